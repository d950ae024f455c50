import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade, study_retract
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory, StudyFactory


@pytest.fixture
def published(db, grader):
    """A claim resting on two trials, with a grade a grader published."""
    claim = ClaimFactory(slug="c")
    kept = FindingFactory(claim=claim, study__design="rct", study__participants=500)
    doomed = FindingFactory(
        claim=claim,
        study__design="rct",
        study__participants=500,
        study__authors=["Retractedauthor A"],
        study__year=2019,
    )
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.PUBLISHED,
        author=grader,
        verdict="supported",
        certainty="high",
        body="experimental",
    )
    return claim, kept.study, doomed.study


def test_a_retraction_excludes_the_study_and_flags_the_published_grade(grader, published):
    claim, _, doomed = published
    study_retract(
        study=doomed,
        by=grader,
        retracted_on=datetime.date(2026, 3, 4),
        notice_url="https://example.org/synthetic-notice",
    )
    provisional = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    assert "Retracted, so excluded: Retractedauthor 2019." in provisional.summary
    assert "The only study included 500 people" in provisional.imprecision_reason
    grade = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert grade.needs_review
    assert grade.needs_review_because == "Retractedauthor 2019 was retracted on 4 March 2026."


def test_readers_see_a_notice_on_the_claim_until_a_grader_publishes_again(
    client, grader, published
):
    claim, _, doomed = published
    study_retract(
        study=doomed,
        by=grader,
        retracted_on=datetime.date(2026, 3, 4),
        notice_url="https://example.org/synthetic-notice",
    )
    html = client.get(reverse("claims:claim", args=["c"])).content.decode()
    assert "Needs review:" in html
    assert "Retractedauthor 2019 was retracted on 4 March 2026." in html
    Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).update(
        status=AssessmentStatus.SUPERSEDED
    )
    AssessmentFactory(claim=claim, status=AssessmentStatus.PUBLISHED, author=grader)
    assert "Needs review:" not in client.get(reverse("claims:claim", args=["c"])).content.decode()


def test_marking_a_study_retracted_in_the_admin_does_the_same(client, grader, published):
    claim, _, doomed = published
    client.force_login(grader)
    client.post(
        reverse("admin:evidence_study_change", args=[doomed.pk]),
        {
            "title": doomed.title,
            "authors": "Retractedauthor A",
            "journal": doomed.journal,
            "year": "2019",
            "doi": doomed.doi,
            "pmid": doomed.pmid,
            "pmcid": "",
            "design": "rct",
            "population": "human",
            "participants": "500",
            "retracted": "on",
            "retracted_on": "2026-03-04",
            "retraction_notice_url": "https://example.org/synthetic-notice",
        },
    )
    assert Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED).needs_review


def test_the_study_page_says_the_study_no_longer_counts(client, grader, published):
    _, _, doomed = published
    study_retract(
        study=doomed,
        by=grader,
        retracted_on=datetime.date(2026, 3, 4),
        notice_url="https://example.org/synthetic-notice",
    )
    html = client.get(reverse("claims:study", args=[doomed.pk])).content.decode()
    assert "This study has been retracted (4 March 2026)" in html
    assert 'href="https://example.org/synthetic-notice"' in html


def test_a_reader_cannot_retract_a_study(reader, published):
    _, _, doomed = published
    with pytest.raises(PermissionDenied):
        study_retract(
            study=doomed,
            by=reader,
            retracted_on=datetime.date(2026, 3, 4),
            notice_url="https://example.org/synthetic-notice",
        )
    doomed.refresh_from_db()
    assert not doomed.retracted


def test_the_grading_queue_lists_claims_needing_review_first(client, grader, published):
    _, _, doomed = published
    ClaimFactory(text="A synthetic claim that sorts first.")
    study_retract(
        study=doomed,
        by=grader,
        retracted_on=datetime.date(2026, 3, 4),
        notice_url="https://example.org/synthetic-notice",
    )
    client.force_login(grader)
    response = client.get(reverse("grading:queue"))
    flagged = response.context["work"][0]
    assert flagged.title == "Published grades flagged for review"
    assert [claim.slug for claim in flagged.rows] == ["c"]
    assert next(c for c in response.context["claims"] if c.slug == "c").needs_review


def test_a_retraction_needs_its_date_and_the_address_of_its_notice(db):
    study = StudyFactory.build(retracted=True, retracted_on=datetime.date(2026, 3, 4))
    with pytest.raises(ValidationError, match="date and the address of its notice"):
        study.full_clean()
