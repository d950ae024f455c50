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
    expect(page.locator(".statement .mark-icon").first).to_be_visible()
    expect(page.locator(".statement .mark-words").first).not_to_be_in_viewport()
    expect(page.locator("#statement-panel")).to_be_hidden()  # until a statement is chosen
    visit.check("article")


def test_a_statement_opens_its_evidence_beside_the_article_and_leads_to_the_claim(visit):
    page = visit.go(ARTICLE)
    trigger = page.locator("[data-statement-id]", has_text="Studies suggest that kratom can")
    other = page.locator("[data-statement-id]", has_text="Kratom, a Southeast Asian")
    trigger.click()
    panel = page.locator(f"#{trigger.get_attribute('aria-controls')}")
    expect(panel).to_contain_text("Studies suggest that kratom can")  # which statement
    expect(panel).to_contain_text("Strongest against")
    expect(panel).to_contain_text("de Vries 2020")
    expect(panel).to_contain_text("which the evidence contradicts")
    expect(trigger).to_have_attribute("aria-expanded", "true")
    expect(panel.locator(".panel-body")).to_be_focused()
    # The panel is in view beside the article (a sheet at the foot of a phone's screen), not
    # pushing it down: the statement stays where it was.
    expect(panel).to_be_in_viewport()
    expect(trigger).to_be_in_viewport()
    visit.check("article-panel")
    other.click()  # one panel: it moves on to the next statement chosen
    expect(panel).to_contain_text("Kratom, a Southeast Asian")
    expect(other).to_have_attribute("aria-expanded", "true")
    expect(trigger).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(other).to_be_focused()
    trigger.click()
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_empty()
    expect(trigger).to_be_focused()
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


def test_a_statement_has_a_page_of_its_own_without_javascript(browser, site, visit):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + ARTICLE)
    page.locator("[data-statement-id]", has_text="Studies suggest that kratom can").click()
    expect(page).to_have_url(re.compile(r"/statements/\d+/$"))
    expect(page.locator("main")).to_contain_text("Strongest against")
    statement_page = page.url.removeprefix(site)
    context.close()
    visit.go(statement_page)  # the same page, checked at each width with axe-core
    visit.check("statement-page")


def test_the_risk_of_bias_traffic_light_draws_on_the_study_and_claim_pages(visit):
    from evidence.models import Study
    from tests.factories import UserFactory, appraise

    trial = Study.objects.get(pmid="32607084")
    appraise(trial, UserFactory(), judgement="low", worst="high")
    page = visit.go(f"/studies/{trial.pk}/")
    expect(page.locator("figure.traffic-light svg")).to_be_visible()
    visit.check("study-appraised")
    page = visit.go("/claims/kratom-relieves-pain-in-humans/")
    expect(page.locator("figure.traffic-light")).to_contain_text("RoB 2")
    visit.check("claim-appraised")


def test_the_printed_article_keeps_every_mark_and_its_words(visit):
    page = visit.go(ARTICLE)
    page.emulate_media(media="print")
    expect(page.locator(".statement .mark-words").first).to_be_visible()
    expect(page.locator(".statement .mark-words").first).to_contain_text("Very uncertain")
    expect(page.locator("header.site nav")).to_be_hidden()
    visit.check("article-print")


def test_a_claim_shows_its_strongest_findings_and_loads_all_of_them_in_place(visit):
    from claims.models import FINDINGS_SHOWN
    from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory

    claim = ClaimFactory(slug="synthetic-claim-with-many-findings")
    AssessmentFactory(claim=claim, verdict="mixed", certainty="low")
    for i in range(FINDINGS_SHOWN + 3):
        FindingFactory(claim=claim, direction="mixed", note=f"Synthetic mixed finding {i}.")
    page = visit.go(f"/claims/{claim.slug}/")
    mixed = page.locator("#findings-mixed")
    expect(mixed.locator(".findings > li")).to_have_count(FINDINGS_SHOWN)
    mixed.get_by_role("link", name=f"Show all {FINDINGS_SHOWN + 3} findings: mixed").click()
    expect(mixed.locator(".findings > li")).to_have_count(FINDINGS_SHOWN + 3)
    expect(mixed.locator(".findings-page")).to_be_focused()
    expect(page).to_have_url(re.compile(f"/claims/{claim.slug}/$"))  # in place
    visit.check("claim-all-findings")
