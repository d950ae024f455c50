"""The study list's "Bears on claim" field: an autocomplete from the published claims, with
JavaScript and without."""

import re

from playwright.sync_api import expect

CLAIM = "Kratom lowers prolactin levels"


def test_typing_part_of_a_claim_offers_it_and_choosing_it_filters_the_studies(visit):
    page = visit.go("/studies/")
    field = page.get_by_label("Bears on claim")
    field.press_sequentially("prolact", delay=30)
    options = page.locator("#claim-options option")
    expect(options.first).to_be_attached()
    offered = options.evaluate_all("options => options.map(o => o.value)")
    assert any(CLAIM.lower() in text.lower() for text in offered), offered
    chosen = next(text for text in offered if CLAIM.lower() in text.lower())
    field.fill(chosen)
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"claim="))
    expect(page.locator(".chosen")).to_contain_text(chosen)
    expect(page.locator("table.list tbody tr").first).to_be_visible()
    visit.check("studies-by-claim")


def test_without_javascript_the_claims_slug_filters_the_studies(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/studies/")
    page.get_by_label("Bears on claim").fill("kratom-lowers-prolactin-levels")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".chosen")).to_contain_text(CLAIM)
    context.close()
