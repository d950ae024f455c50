"""A researcher opens their draft finding, is told its study will not count until it is
classified, classifies it there and submits the finding from its own page (issue 12, items 3
and 4); the findings list fits the screen."""

import re

from playwright.sync_api import expect

from claims.models import Claim, FindingStatus
from tests.browser.accounts import log_in, member
from tests.factories import FindingFactory, StudyFactory


def test_a_researcher_classifies_the_study_and_submits_a_finding_from_its_page(visit):
    researcher = member("rhea", "researcher")
    claim = Claim.objects.get(text="Kratom relieves pain in humans.")
    study = StudyFactory(design="", population="", title="A synthetic survey, not classified")
    draft = FindingFactory(
        claim=claim, study=study, status=FindingStatus.DRAFT, created_by=researcher
    )

    address = f"/admin/claims/finding/{draft.pk}/change/"
    page = visit.go(f"/admin/login/?next={address}")
    log_in(page, "rhea")
    expect(page.locator(".errornote")).to_contain_text(
        "does not count towards the claim's grade until its study's design and population"
    )
    visit.check("finding-unclassified")

    page.select_option("#id_study_design", "cross_sectional")
    page.select_option("#id_study_population", "human")
    page.get_by_role("button", name="Save and submit for review").click()

    expect(page).to_have_url(re.compile(re.escape(address) + "$"))
    expect(page.locator(".messagelist")).to_contain_text("Submitted 1 finding.")
    expect(page.locator(".errornote")).to_have_count(0)
    draft.refresh_from_db()
    study.refresh_from_db()
    assert (draft.status, study.design, study.population) == (
        FindingStatus.SUBMITTED,
        "cross_sectional",
        "human",
    )

    page.goto(visit.base + "/admin/claims/finding/")
    expect(page.locator("#result_list")).to_be_visible()
    visit.check("finding-list")
