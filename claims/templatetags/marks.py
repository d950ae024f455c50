"""A support level's icon (claims.grading.SUPPORT_ICONS), for the templates that draw marks."""

from django import template

from claims import grading

register = template.Library()


register.filter("support_icon", grading.support_icon)
