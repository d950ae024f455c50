"""The article page's statement marks, made in Python: an article of 200 statements rendered
them through about 35 template lookups, two includes and two reversed URLs each, most of the
page's time (docs/benchmarks.md). The article's URL is reversed once a page and extended per
statement (a reverse() costs about 70 us here, 200 of them a sixth of the page):
tests/claims/test_article_detail.py proves the links equal to reverse()'s."""

import functools

from django import template
from django.urls import reverse
from django.utils.html import format_html, mark_safe

from claims.grading import OVERSTATED_ICON, support_icon
from claims.templatetags.marks import support_tag

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


@register.simple_tag
def scorecard_block(card):
    """An article's statements per mark (rule 8: a support level at a certainty; `card`, a
    claims.models.Scorecard), as a bar and as numbers, with the count of overstated ones and a
    notice when marks rest on unreviewed grades. A segment's width is its share in per cent,
    as a class (grow-0 to grow-100 in site.css): the Content-Security-Policy allows no style
    attribute. Made in Python, as the marks above: through the templates a scorecard took
    2.3 ms, a list of 25 articles 57 ms of its page."""
    notice = bar = ""
    if card.provisional:
        notice = format_html(
            '<p class="notice provisional-notice">Provisional — not yet reviewed: {} of these {} '
            "marks rest on grades from the rules that no grader has reviewed yet.</p>",
            card.provisional,
            card.total,
        )
    if card.total:
        segments = mark_safe(
            "".join(
                _SEGMENT.format(*_segment_parts(m), share=round(n / card.total * 100), n=n)
                for m, n in card.segments()
            )
        )
        bar = format_html(
            '<div class="scorebar" role="img" aria-label="{}">{}</div>',
            card.description(),
            segments,
        )
    rows = mark_safe("".join(f"{_score_row(m)}{n}</dd></div>" for m, n in card.rows()))
    return format_html(
        '<div class="scorecard-block">{}{}<dl class="scorecard" aria-label="Scorecard">{}'
        '<div class="score overstated" data-score="overstated"><dt><span class="tag '
        'overstated-tag"><span class="icon" aria-hidden="true">!</span> Overstated</span></dt>'
        "<dd>{}</dd></div></dl></div>",
        notice,
        bar,
        rows,
        card.overstated,
    )


# A scorecard's pieces that depend on a mark alone (a few dozen marks exist), escaped once per
# process: a page of 25 scorecards has some 700 of them.
_SEGMENT = '<span class="seg {} grow-{share}" title="{n} {}">{n}</span>'


@functools.cache
def _segment_parts(mark):
    """A bar segment's classes and its words, escaped (the counts are numbers)."""
    return (
        format_html("support-{} weight-{}", mark.support, mark.weight),
        format_html("{}", mark.label.lower()),
    )


@functools.cache
def _score_row(mark):
    """A row of the scorecard's numbers up to its count."""
    return format_html(
        '<div class="score support-{}" data-score="{}"{}><dt>{}</dt><dd>',
        mark.support,
        mark.support,
        format_html(' data-certainty="{}"', mark.certainty) if mark.certainty else "",
        support_tag(mark.support, mark.label, mark.weight),
    )
