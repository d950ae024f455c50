"""A grader signs in, finds a study nobody has appraised in their queue, appraises it from there
and lands back on the queue, told what happened (issue 12, item 1)."""

import re

from playwright.sync_api import expect

from evidence.models import Appraisal
from tests.browser.accounts import log_in, member
from tests.factories import FindingFactory, StudyFactory


def test_a_grader_appraises_a_study_from_the_queue(visit):
    grader = member("gita", "grader")
    Appraisal.objects.all().delete()  # the seed's: every study is then waiting
    study = StudyFactory(design="rct", title="A synthetic trial waiting for its appraisal")
    FindingFactory(study=study)

    page = visit.go("/grading/")
    log_in(page, "gita")
    expect(page).to_have_url(re.compile(r"/grading/$"))
    waiting = page.locator(
        "section", has=page.get_by_role("heading", name="Studies nobody has appraised")
    )
    expect(waiting).to_contain_text(study.short_label)
    visit.check("grading-queue-work")

    waiting.locator("li", has_text=study.short_label).get_by_role("link", name="Appraise").click()
    expect(page).to_have_url(re.compile(rf"/grading/studies/{study.pk}/appraise/$"))
    for domain in page.locator("td.radio").all():  # each domain: its first judgement
        domain.locator("input[type=radio]").first.check()
    for box in page.locator("textarea[name^=support_]").all():
        box.fill("A synthetic support written by a browser test.")
    page.get_by_role("button", name=re.compile("Save")).click()

    expect(page).to_have_url(re.compile(r"/grading/$"))
    expect(page.locator(".messagelist")).to_contain_text(
        f"Your appraisal of {study.short_label} is saved"
    )
    expect(waiting).not_to_contain_text(study.short_label)
    assert Appraisal.objects.filter(study=study, appraiser=grader).exists()
