"""The article page's statement marks, made in Python: an article of 200 statements rendered
them through about 35 template lookups, two includes and two reversed URLs each, most of the
page's time (docs/benchmarks.md). The article's URL is reversed once a page and extended per
statement (a reverse() costs about 70 us here, 200 of them a sixth of the page):
tests/claims/test_article_detail.py proves the links equal to reverse()'s."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, mark_safe

from claims.grading import OVERSTATED_ICON, support_icon

register = template.Library()


@register.simple_tag(takes_context=True)
def statement_mark(context, article, text, statement):
    """A statement of the article's body as one quiet mark and one click target: the sentence,
    underlined in its support's colour with a weight that falls with the certainty (rule 8),
    ending in its support's icon (and the overstated one), its words for screen readers and
    print. It opens the statement's panel beside the article (its own page without
    JavaScript), and the panel links on to the claims."""
    grade = statement.grade
    panel = f"{_article_url(context, article)}statements/{statement.pk}/"
    icons = support_icon(grade.support)
    words = statement.support_label
    overstated = ""
    if grade.overstated:
        icons = format_html('{}<span class="overstated-icon">{}</span>', icons, OVERSTATED_ICON)
        claims = "; ".join(f"“{claim}”" for claim in grade.overstated_claims)
        overstated = format_html('; overstated: <span class="overstated-claims">{}</span>', claims)
        words += f"; overstated: {claims}"
    return format_html(
        '<a class="statement support-{support} weight-{weight}{is_overstated}" id="s{pk}" '
        'data-statement-id="{pk}" data-support="{support}"{data_overstated} href="{panel}" '
        'hx-get="{panel}" hx-target="#statement-panel" aria-controls="statement-panel" '
        'aria-expanded="false" title="{words}">{text}<span class="mark-icon" aria-hidden="true">'
        '{icons}</span><span class="mark-words"> ({label}{overstated})</span></a>',
        support=grade.support,
        weight=grade.mark.weight,
        is_overstated=" is-overstated" if grade.overstated else "",
        pk=statement.pk,
        data_overstated=mark_safe(' data-overstated="true"') if grade.overstated else "",
        panel=panel,
        words=words,
        text=text,
        icons=icons,
        label=statement.support_label,
        overstated=overstated,
    )


def _article_url(context, article):
    """The article's URL, reversed once a page: its statements' panels are under it."""
    if "article_url" not in context.render_context:
        context.render_context["article_url"] = reverse("claims:article", args=[article.slug])
    return context.render_context["article_url"]
