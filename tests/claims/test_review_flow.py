"""The whole grading workflow, as each role does it, through the admin and the grading pages."""

import datetime

from django.contrib.admin import helpers
from django.urls import reverse

from claims.models import Assessment, AssessmentStatus, Finding, FindingStatus
from claims.services import study_retract
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ArticleFactory, ClaimFactory, StudyFactory, statement_for


def test_from_a_researchers_finding_to_a_published_grade_and_its_review_after_a_retraction(
    client, researcher, grader, second_grader, reader
):
    claim = ClaimFactory(slug="c", text="Synthetic substance lowers a made-up marker.")
    study = StudyFactory(design="cohort", participants=2000, authors=["Flowauthor A"], year=2024)
    article = ArticleFactory(slug="a")
    statement_for(article, "First sentence asserts something.", assertion="fact", claims_=[claim])

    # A researcher adds a finding on the claim's page and submits it for review.
    client.force_login(researcher)
    client.post(
        reverse("admin:claims_finding_add"),
        {
            "study": study.pk,
            "claim": claim.pk,
            "direction": "supports",
            "note": "A synthetic finding from the flow test.",
        },
    )
    finding = Finding.objects.get()
    assert (finding.status, finding.created_by) == (FindingStatus.DRAFT, researcher)
    changelist = reverse("admin:claims_finding_changelist")
    client.post(
        changelist, {"action": "submit_for_review", helpers.ACTION_CHECKBOX_NAME: [finding.pk]}
    )
    # The researcher cannot approve it, and readers do not see it yet.
    client.post(changelist, {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [finding.pk]})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED
    client.force_login(reader)
    assert (
        "A synthetic finding from the flow test." not in client.get("/claims/c/").content.decode()
    )

    # A grader approves it: the rules' provisional grade follows at once.
    client.force_login(grader)
    client.post(changelist, {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [finding.pk]})
    finding.refresh_from_db()
    assert (finding.status, finding.reviewed_by) == (FindingStatus.APPROVED, grader)
    provisional = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    assert (provisional.verdict, provisional.certainty) == ("supported", "low")

    # Two graders assess independently and disagree on publication bias.
    client.post(
        reverse("grading:assess", args=["c"]), accepting_suggestion(claim) | {"submit": "1"}
    )
    client.force_login(second_grader)
    client.post(
        reverse("grading:assess", args=["c"]),
        accepting_suggestion(
            claim,
            publication_bias="-1",
            publication_bias_reason="Synthetic: only industry-funded cohorts were found.",
        )
        | {"submit": "1"},
    )

    # The disagreement shows, and the second grader records the consensus.
    consensus_url = reverse("grading:consensus", args=["c"])
    page = client.get(consensus_url).content.decode()
    assert '<tr class="disagree"><th>Publication bias</th>' in page
    second = Assessment.objects.get(author=second_grader)
    client.post(consensus_url, accepting_suggestion(claim) | {"copy": f"{second.pk}:all"})
    client.post(
        consensus_url,
        accepting_suggestion(
            claim,
            publication_bias="-1",
            # settling a disagreement takes a reason of the consensus's own, not a copied one
            publication_bias_reason="Synthetic consensus: every cohort found was "
            "industry-funded, so unpublished ones are likely.",
        )
        | {"publish": "1"},
    )

    # A reader sees the new grade, who published it, and the timeline.
    client.logout()
    html = client.get("/claims/c/").content.decode()
    assert 'data-verdict="supported" data-certainty="very-low"' in html
    assert "Graded by second-grader" in html
    assert "first published grade: supported, very low certainty" in html
    assert "Provisional" not in html
    assert (
        'data-support="supported" data-overstated="true"'
        in client.get("/articles/a/").content.decode()
    )

    # A retraction flips the published grade to "needs review".
    study_retract(
        study=study,
        by=grader,
        retracted_on=datetime.date(2026, 5, 6),
        notice_url="https://example.org/synthetic-notice",
    )
    assert Assessment.objects.get(status=AssessmentStatus.PUBLISHED).needs_review
    html = client.get("/claims/c/").content.decode()
    assert "Needs review:" in html
    assert "Flowauthor 2024 was retracted on 6 May 2026." in html
