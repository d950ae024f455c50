"""A finding records how many participants it rests on, when fewer than its study's (issue 12,
item 9): the rules count that number, the pages say it, and a review counted whole says so."""

import re

import pytest
from django.core.exceptions import ValidationError

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from tests.factories import ClaimFactory, FindingFactory, StudyFactory


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def graded(claim):
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    return Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)


@pytest.fixture
def claim(db):
    return ClaimFactory(slug="c", text="Synthetic substance lowers a made-up marker.")


def test_the_rules_count_the_findings_own_participants(claim):
    finding = FindingFactory(claim=claim, study=StudyFactory(design="rct", participants=1000))
    assert graded(claim).imprecision == 0  # 1,000: at least GRADE's 400
    finding.participants = 50
    finding.save()
    assert graded(claim).imprecision == -2  # 50 of them: under 100


def test_without_a_number_of_its_own_a_finding_counts_its_studys(claim):
    finding = FindingFactory(claim=claim, study=StudyFactory(design="rct", participants=250))
    assert finding.participants is None
    assert finding.counted_participants == 250
    assert graded(claim).imprecision == -1  # under 400


def test_a_finding_cannot_rest_on_more_participants_than_its_study(claim):
    finding = FindingFactory(claim=claim, study=StudyFactory(participants=30), participants=31)
    with pytest.raises(ValidationError, match="More than the 30 participants of the whole study"):
        finding.full_clean()


def test_the_claim_page_says_how_many_of_the_studys_participants_a_finding_rests_on(client, claim):
    FindingFactory(
        claim=claim, study=StudyFactory(design="rct", participants=18428), participants=700
    )
    graded(claim)
    html = text_of(client.get("/claims/c/").content.decode())
    assert "700 of its 18,428 participants" in html
    assert "Rests on 700 participants in 1 study" in html


def test_a_review_counted_whole_is_named_in_the_summary(client, claim):
    review = StudyFactory(
        design="meta_analysis", participants=18428, authors=["Synthetic A"], year=2020
    )
    FindingFactory(claim=claim, study=review)
    graded(claim)
    html = text_of(client.get("/claims/c/").content.decode())
    assert "Rests on 18,428 participants in 1 study" in html
    assert (
        f"(counting all the participants of {review.short_label}: how many of them bear on "
        "this claim is not recorded)"
    ) in html


def test_a_finding_rests_on_at_least_one_participant(claim):
    finding = FindingFactory(claim=claim, participants=0)
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        finding.full_clean()


def test_a_study_made_smaller_later_caps_what_its_finding_counts(claim):
    study = StudyFactory(design="rct", participants=1000)
    finding = FindingFactory(claim=claim, study=study, participants=800)
    study.participants = 90
    study.save()
    finding.refresh_from_db()
    assert finding.counted_participants == 90
    assert graded(claim).imprecision == -2  # 90: under 100, not 800
