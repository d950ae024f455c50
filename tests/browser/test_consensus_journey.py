"""Two graders have assessed a claim and disagree on one domain; the second records the
consensus by copying the first's rating without typing anything first, gives a reason of their
own, and publishes (issue 12, item 2)."""

import re

from playwright.sync_api import expect

from claims.models import Assessment, AssessmentStatus, Claim
from tests.browser.accounts import log_in, member


def grader(username):
    user = member(username, "grader")
    return user


def submitted_copy(suggestion, author, **changes):
    """An independent assessment that accepts the rules' suggestion, with `changes`."""
    assessment = Assessment.objects.get(pk=suggestion.pk)
    assessment.pk = None
    assessment.status, assessment.author = AssessmentStatus.SUBMITTED, author
    assessment.summary = f"Synthetic reasons of {author.username}."
    for name, value in changes.items():
        setattr(assessment, name, value)
    assessment.save()


def test_two_graders_reach_a_consensus_by_copying_and_publish(visit):
    claim = Claim.objects.get(text="Kratom relieves pain in humans.")
    suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    first, second = grader("gita"), grader("gus")
    submitted_copy(
        suggestion,
        first,
        risk_of_bias=-1,
        risk_of_bias_reason="Synthetic: gita judged most participants at high risk.",
    )
    submitted_copy(suggestion, second)

    page = visit.go(f"/admin/login/?next=/grading/claims/{claim.slug}/consensus/")
    log_in(page, "gus")
    expect(page.locator("#id_risk_of_bias")).to_have_value("")  # waits to be picked
    visit.check("consensus-disagreement")

    row = page.locator("tr.disagree", has=page.get_by_role("rowheader", name="Risk of bias"))
    row.locator("td").first.get_by_role("button", name="Use this").click()  # gita's column
    expect(page.locator("#id_risk_of_bias")).to_have_value("-1")
    page.fill("#id_risk_of_bias_reason", "Synthetic: the larger trials were not blinded.")
    page.fill("#id_summary", "Synthetic consensus reasons of gus.")
    page.get_by_role("button", name="Publish as the claim's grade").click()

    expect(page).to_have_url(re.compile(rf"/claims/{claim.slug}/$"))
    expect(page.get_by_role("status")).to_contain_text("The consensus is published")
    published = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert (published.author, published.risk_of_bias) == (second, -1)
