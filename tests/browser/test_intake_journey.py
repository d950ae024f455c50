"""A researcher brings in the seed article as if it were new and links every statement of the
seed's reading from the workbench's suggestions, at a phone's width and a desktop's."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Article, Claim, Statement
from tests.browser.accounts import log_in, member
from tests.claims.intake.seed_source import ARTICLE, needs_seed, statements


@pytest.fixture
def researcher_page(visit):
    """The seed's claims, studies and findings, but no article; a researcher signed in."""
    Article.objects.all().delete()
    member("rita", "researcher")
    page = visit.go("/admin/login/?next=/intake/")
    log_in(page, "rita")
    expect(page).to_have_url(re.compile("/intake/$"))
    return page


def unit_holding(page, text):
    """The sentence of the workbench holding `text`, going on to the next sentences (the page
    opens fifteen at a time) until it is there."""
    unit = page.locator("li.unit", has=page.locator("p.sentence", has_text=text))
    while unit.count() == 0:
        following = page.locator("nav.unit-pages a[rel=next]").first
        href = following.get_attribute("href")
        following.click()
        page.wait_for_url(re.compile(re.escape(href) + "$"))
    return unit


@needs_seed
def test_a_researcher_links_every_statement_of_the_seed_from_the_suggestions(
    visit, researcher_page
):
    page = researcher_page
    visit.check("intake-start")
    page.fill("#id_title", "Kratom, prolactin and inflammation")
    page.fill("#id_text", ARTICLE.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Bring it in").click()
    expect(page.locator("#units")).to_be_visible()
    visit.check("intake-workbench")

    key_text = {f"C{pk}": text for pk, text in Claim.objects.values_list("pk", "text")}
    clicks = 0
    for text, links in statements():
        for key, assertion in links.items():
            unit = unit_holding(page, text)
            suggestion = unit.locator("ol.suggestions > li", has_text=key_text[key]).first
            if not suggestion.is_visible():
                unit.locator("p.other-claims a").click()  # brings them (HTMX)
                expect(unit.locator("details.other-claims[open]")).to_be_visible()
                clicks += 1
            suggestion.locator("select").select_option(str(assertion))
            suggestion.get_by_role("button", name=re.compile("^Link")).click()
            clicks += 2
            expect(unit.locator(".saved")).to_contain_text(key_text[key])

    linked = {
        (s.text, link.claim.text, link.assertion)
        for s in Statement.objects.prefetch_related("links__claim")
        for link in s.links.all()
    }
    expected = {
        (text, key_text[key], str(assertion))
        for text, links in statements()
        for key, assertion in links.items()
    }
    assert linked == expected
    assert clicks <= 3 * len(expected)
    page.reload()
    expect(page.locator(".intake-progress label")).to_contain_text("32 statements")
    visit.check("intake-linked")
