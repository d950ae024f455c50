"""A support level's icon (claims.grading.SUPPORT_ICONS) and its tag (icon and words), for
the templates that draw marks."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims import grading

register = template.Library()


register.filter("support_icon", grading.support_icon)


@register.simple_tag
def support_tag(support, label, weight=None):
    """A support level as icon and words, never colour alone (claims/_support.html); `weight`
    (grading.Mark.weight), if any. Also called from Python (the scorecard)."""
    return format_html(
        '<span class="tag support-{}{}"><span class="icon" aria-hidden="true">{}</span> {}</span>',
        support,
        format_html(" weight-{}", weight) if weight else mark_safe(""),
        grading.support_icon(support),
        label,
    )
