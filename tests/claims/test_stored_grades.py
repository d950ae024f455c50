"""A claim's reader-facing grade is stored on the claim (grade_verdict, grade_certainty,
grade_status and the sort ranks) for the claims list's filters, sorts and indexes. Whatever
changes which assessment readers see, or what it says, stores it again: after each such
operation the stored columns equal the grade computed from the assessments
(ClaimQuerySet.with_computed_grade, the computation the list ran per row before)."""

import datetime
from io import StringIO

import pytest
from django.contrib.admin import helpers
from django.core.management import call_command
from django.urls import reverse

from claims import grading
from claims.forms import AssessmentForm
from claims.models import Assessment, AssessmentStatus, Claim, Finding, FindingStatus
from claims.services import (
    assessment_publish,
    assessment_save,
    claim_edit_accept,
    claim_edit_propose,
    claims_grade,
    finding_approve,
    study_merge,
    study_retract,
    study_save_and_regrade,
)
from claims.synthetic import Size, library_make
from tests.claims.forms_data import accepting_suggestion
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory, StudyFactory
from tests.posted_forms import as_posted


def stored(claim):
    return Claim.objects.filter(pk=claim.pk).values_list(
        "grade_verdict", "grade_certainty", "grade_status", "verdict_rank", "certainty_rank"
    )[0]


def assert_no_drift():
    assert Claim.objects.grade_drift() == []


def grade(claim):
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))


@pytest.fixture
def trial_claim(db):
    """A claim on two small randomised trials that support it, graded by the rules."""
    claim = ClaimFactory()
    for _ in range(2):
        FindingFactory(claim=claim, study__design="rct", study__participants=30)
    grade(claim)
    return claim


def consensus(claim, grader, second_grader, **changes):
    """Both graders assess the claim as the rules suggest, then `grader` publishes."""
    for person in (grader, second_grader):
        form = AssessmentForm(
            accepting_suggestion(claim),
            suggestion=Assessment.objects.get(claim=claim, status="provisional"),
        )
        assert form.is_valid(), form.errors
        assessment_save(claim=claim, author=person, form=form, submit=True)
    form = AssessmentForm(
        accepting_suggestion(claim, **changes),
        suggestion=Assessment.objects.get(claim=claim, status="provisional"),
    )
    assert form.is_valid(), form.errors
    return assessment_publish(claim=claim, author=grader, form=form)


# --- what is stored -----------------------------------------------------------------------


def test_the_computed_grade_is_the_published_assessment_else_the_provisional_one(db, grader):
    unassessed = ClaimFactory()
    provisional = AssessmentFactory(verdict="insufficient", certainty="").claim
    published = AssessmentFactory(verdict="mixed", certainty="low").claim
    AssessmentFactory(
        claim=published, status="published", author=grader, verdict="supported", certainty="high"
    )
    computed = {
        claim.pk: (
            claim.computed_grade_verdict,
            claim.computed_grade_certainty,
            claim.computed_grade_status,
            claim.computed_verdict_rank,
            claim.computed_certainty_rank,
        )
        for claim in Claim.objects.with_computed_grade()
    }
    not_assessed = grading.SUPPORT_ORDER.index(grading.Support.NOT_ASSESSED) * 10
    assert computed == {
        unassessed.pk: (None, None, None, not_assessed, 0),
        provisional.pk: (
            "insufficient",
            "",
            "provisional",
            grading.verdict_rank("insufficient", ""),
            0,
        ),
        published.pk: (
            "supported",
            "high",
            "published",
            grading.verdict_rank("supported", "high"),
            4,
        ),
    }
    for claim in (unassessed, provisional, published):
        assert stored(claim) == computed[claim.pk]


def test_the_verdict_rank_sorts_weakest_first_then_by_certainty():
    ranks = [
        grading.verdict_rank("contradicted", "high"),
        grading.verdict_rank("no-effect", "very-low"),
        grading.verdict_rank("insufficient", ""),
        grading.verdict_rank(None, None),
        grading.verdict_rank("mixed", "low"),
        grading.verdict_rank("supported", "very-low"),
        grading.verdict_rank("supported", "high"),
    ]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_grade_drift_names_a_column_written_around_the_services(db):
    claim = AssessmentFactory(verdict="supported", certainty="low").claim
    assert_no_drift()
    Claim.objects.filter(pk=claim.pk).update(grade_certainty="high")
    assert Claim.objects.grade_drift() == [(claim.pk, "grade_certainty", "high", "low")]


# --- every operation that changes what readers see of a grade stores it -----------------


def test_the_rules_grading_a_claim_stores_its_grade(trial_claim):
    assert stored(trial_claim)[:3] == ("supported", "low", "provisional")
    assert_no_drift()


def test_approving_a_finding_stores_the_new_grade(trial_claim, grader, researcher):
    finding = FindingFactory(
        claim=trial_claim,
        direction="contradicts",
        status="submitted",
        created_by=researcher,
        study__design="rct",
    )
    finding_approve(finding=finding, by=grader)
    assert stored(trial_claim)[0] == "mixed"
    assert_no_drift()


def test_publishing_and_superseding_a_consensus_stores_it(trial_claim, grader, second_grader):
    consensus(trial_claim, grader, second_grader)
    assert stored(trial_claim)[:3] == ("supported", "low", "published")
    assert_no_drift()
    consensus(trial_claim, grader, second_grader, imprecision=0, imprecision_reason="Synthetic.")
    assert Assessment.objects.filter(claim=trial_claim, status="superseded").count() == 1
    assert stored(trial_claim)[:3] == ("supported", "high", "published")
    assert_no_drift()


def test_a_retraction_regrades_and_stores_the_provisional_grade(trial_claim, grader):
    for finding in Finding.objects.filter(claim=trial_claim):
        study_retract(
            study=finding.study,
            by=grader,
            retracted_on=datetime.date(2026, 1, 2),
            notice_url="https://example.org/synthetic-notice",
        )
    assert stored(trial_claim)[:3] == ("insufficient", "", "provisional")
    assert_no_drift()


def test_a_change_to_a_study_stores_the_regraded_grade(trial_claim, grader):
    for finding in Finding.objects.filter(claim=trial_claim):
        study_save_and_regrade(study=finding.study, by=grader, changes={"participants": 300})
    assert stored(trial_claim)[:2] == ("supported", "high")
    assert_no_drift()


def test_a_merge_of_studies_stores_the_grades_of_their_claims(db):
    claim = ClaimFactory()
    kept = StudyFactory(design="rct", participants=30)
    removed = StudyFactory(design="rct", participants=30, doi="", pmid="")
    FindingFactory(claim=claim, study=removed, direction="contradicts")
    grade(claim)
    assert stored(claim)[0] == "contradicted"
    Finding.objects.filter(claim=claim).update(direction="supports")  # the merge regrades
    study_merge(keep=kept, remove=removed)
    assert stored(claim)[0] == "supported"
    assert_no_drift()


def test_accepting_a_new_kind_for_a_claim_stores_its_regraded_grade(grader, researcher):
    claim = ClaimFactory()
    FindingFactory(claim=claim, study__design="animal", study__population="animal")
    grade(claim)
    before = stored(claim)
    proposal = claim_edit_propose(claim=claim, by=researcher, changes={"kind": "mechanism"})
    claim_edit_accept(proposal=proposal, by=grader)
    assert stored(claim) != before
    assert_no_drift()


def test_the_finding_admins_approve_action_stores_the_new_grade(client, trial_claim, grader):
    finding = FindingFactory(
        claim=trial_claim, direction="no-effect", status="submitted", study__design="rct"
    )
    client.force_login(grader)
    client.post(
        reverse("admin:claims_finding_changelist"),
        {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [finding.pk]},
    )
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.APPROVED
    assert stored(trial_claim)[0] == "mixed"
    assert_no_drift()


def test_deleting_findings_in_the_admin_stores_the_new_grade(client, trial_claim, admin_user):
    client.force_login(admin_user)
    client.post(
        reverse("admin:claims_finding_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            helpers.ACTION_CHECKBOX_NAME: list(
                Finding.objects.filter(claim=trial_claim).values_list("pk", flat=True)
            ),
        },
    )
    assert not Finding.objects.filter(claim=trial_claim).exists()
    assert stored(trial_claim)[0] == "insufficient"
    assert_no_drift()


def test_withdrawing_a_claim_in_the_admin_keeps_its_stored_grade(client, trial_claim, grader):
    client.force_login(grader)
    url = reverse("admin:claims_claim_change", args=[trial_claim.pk])
    client.post(url, as_posted(client.get(url), "text", status="draft"))
    assert Claim.objects.get(pk=trial_claim.pk).status == "draft"
    assert stored(trial_claim)[:3] == ("supported", "low", "provisional")
    assert_no_drift()


def test_grade_claims_stores_the_grades_it_gives(db):
    claims = [ClaimFactory() for _ in range(3)]
    FindingFactory(claim=claims[0], direction="contradicts")
    call_command("grade_claims", stdout=StringIO())
    assert stored(claims[0])[0] == "contradicted"
    assert stored(claims[1])[0] == "insufficient"
    assert_no_drift()


def test_the_seed_comes_with_its_grades_stored(seed):
    assert set(Claim.objects.values_list("grade_status", flat=True)) == {"provisional"}
    assert_no_drift()


def test_load_seed_stores_the_grades_of_the_seed(db):
    call_command("load_seed", stdout=StringIO())
    assert not Claim.objects.filter(grade_verdict__isnull=True).exists()
    assert_no_drift()


def test_a_synthetic_library_comes_with_its_grades_stored(db):
    library_make(size=Size(studies=600, claims=20, findings=700, articles=0, statements=0))
    assert Claim.objects.filter(grade_status=AssessmentStatus.PUBLISHED).exists()
    assert Claim.objects.filter(grade_status=AssessmentStatus.PROVISIONAL).exists()
    assert_no_drift()
