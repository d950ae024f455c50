"""A reader's journey through the seed article, at a phone's width and a desktop's."""

import json
import re

from playwright.sync_api import expect

ARTICLE = "/articles/kratom-prolactin-inflammation/"
SUPPORTS = {"supported", "contradicted", "mixed", "no-effect", "insufficient", "not-assessed"}


def test_every_statement_of_the_article_is_highlighted_with_a_word_and_an_icon(visit):
    page = visit.go(ARTICLE)
    statements = page.locator("[data-statement-id]")
    expect(statements).to_have_count(32)
    for support in statements.evaluate_all("els => els.map(e => e.dataset.support)"):
        assert support in SUPPORTS
    expect(page.locator(".scorebar")).to_be_visible()
    expect(page.locator(".statement .tag").first).to_be_visible()
    visit.check("article")


def test_a_statement_opens_its_evidence_in_place_and_leads_to_the_claim(visit):
    page = visit.go(ARTICLE)
    statement = page.locator("[data-statement-id]", has_text="Studies suggest that kratom can")
    trigger = statement.locator(".tag-link")
    trigger.click()
    panel = page.locator(f"#{trigger.get_attribute('aria-controls')}")
    expect(panel).to_contain_text("Strongest against")
    expect(panel).to_contain_text("de Vries 2020")
    expect(panel).to_contain_text("which the evidence contradicts")
    expect(trigger).to_have_attribute("aria-expanded", "true")
    visit.check("article-panel")
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_empty()
    trigger.click()
    panel.get_by_role("link", name=re.compile("All the evidence")).first.click()
    expect(page).to_have_url(re.compile("/claims/kratom-lowers-prolactin-levels/$"))
    grade = page.locator("section.grade")
    expect(grade).to_have_attribute("data-verdict", "contradicted")
    expect(page.locator("figure.evidence-map svg")).to_be_visible()
    expect(page.locator("svg[aria-labelledby='emap-title emap-desc']")).to_have_count(1)
    review = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"].startswith("It is very uncertain whether")
    visit.check("claim")


def test_the_claims_list_filters_from_a_form_that_keeps_its_state_in_the_address(visit):
    page = visit.go("/claims/")
    page.locator("select[name=verdict]").select_option("contradicted")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"verdict=contradicted"))
    expect(page.locator("select[name=verdict]")).to_have_value("contradicted")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(2)
    for verdict in rows.evaluate_all("rows => rows.map(r => r.dataset.verdict)"):
        assert verdict == "contradicted"
    expect(page.locator(".count")).to_have_text("2 claims")
    visit.check("claims-filtered")


def test_a_study_opens_from_its_claim_with_its_identifiers_linked(visit):
    page = visit.go("/claims/kratom-lowers-prolactin-levels/")
    page.locator(".findings a", has_text="de Vries 2020").first.click()
    expect(page.locator("h1")).to_contain_text("Opioids and Their Endocrine Effects")
    expect(page.get_by_role("link", name="10.1210/clinem/dgz022")).to_have_attribute(
        "href", "https://doi.org/10.1210/clinem/dgz022"
    )
    visit.check("study")


def test_the_lists_and_the_about_page_read_well(visit):
    for name, path in (
        ("home", "/"),
        ("claims", "/claims/"),
        ("studies", "/studies/"),
        ("about", "/about/"),
    ):
        page = visit.go(path)
        expect(page.locator("h1")).to_be_visible()
        visit.check(name)
