"""The article page's statement marks, made in Python: an article of 200 statements rendered
them through about 35 template lookups, two includes and two reversed URLs each, most of the
page's time (docs/benchmarks.md). The support tag and the overstated tag still come from their
templates (_support.html, _overstated_tag.html), rendered once per support label on a page.
The URLs are reversed once a page and extended per statement (a reverse() costs about 70 us
here, 400 of them a third of the page): tests/claims/test_article_detail.py proves them equal
to reverse()'s."""

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def statement_mark(context, article, text, statement):
    """A statement of the article's body: its sentence (linked to the claim that sets its
    support), its support tag opening its panel in place, and the panel's empty box."""
    grade = statement.grade
    claim = statement.weakest_claim
    urls = _urls(context, article)
    sentence = format_html('<a href="{}{}/">{}</a>', urls["claims"], claim.slug, text) if claim else text
    panel = f"{urls['article']}statements/{statement.pk}/"
    label = statement.support_label
    weight = grade.mark.weight
    why = f"Why {label.lower()}"
    tags = _support_tag(context, grade.support, label, weight)
    overstated = ""
    if grade.overstated:
        why += ", overstated: " + "; ".join(f"“{claim}”" for claim in grade.overstated_claims)
        tags += mark_safe(" ") + get_template("claims/_overstated_tag.html").render({"grade": grade})
        overstated = mark_safe(' data-overstated="true"')
    return format_html(
        '<span class="statement support-{support} weight-{weight}{is_overstated}" id="s{pk}" '
        'data-statement-id="{pk}" data-support="{support}"{overstated}>{sentence} '
        '<a class="tag-link" href="{panel}" hx-get="{panel}" hx-target="#panel-{pk}" '
        'aria-controls="panel-{pk}" aria-expanded="false" aria-label="{why}: open the evidence">'
        "{tags}</a></span>"
        '<div class="panel" id="panel-{pk}" aria-live="polite"></div>',
        support=grade.support,
        weight=weight,
        is_overstated=" is-overstated" if grade.overstated else "",
        pk=statement.pk,
        overstated=overstated,
        sentence=sentence,
        panel=panel,
        why=why,
        tags=tags,
    )


def _urls(context, article):
    """The page's URL prefixes: the article's own (its statements' panels are under it) and the
    claims list's (a claim's page is under it)."""
    if "article_urls" not in context.render_context:
        context.render_context["article_urls"] = {
            "article": reverse("claims:article", args=[article.slug]),
            "claims": reverse("claims:claims"),
        }
    return context.render_context["article_urls"]


def _support_tag(context, support, label, weight):
    rendered = context.render_context.setdefault("support_tags", {})
    key = support, label, weight
    if key not in rendered:
        tag = get_template("claims/_support.html").render(
            {"support": support, "label": label, "weight": weight}
        )
        rendered[key] = mark_safe(tag.strip())
    return rendered[key]

