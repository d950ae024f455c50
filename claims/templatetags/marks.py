"""A support level's icon (claims.grading.SUPPORT_ICONS), for the templates that draw marks."""

from django import template

from claims.grading import SUPPORT_ICONS, Support

register = template.Library()


@register.filter
def support_icon(support):
    """Not assessed's for anything else (no grade yet)."""
    return SUPPORT_ICONS.get(support, SUPPORT_ICONS[Support.NOT_ASSESSED])
