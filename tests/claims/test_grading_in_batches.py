"""claims_grade and claims_regrade grade claims a batch at a time from light rows, and write
their provisional assessments in bulk: what they store is exactly what the rules give claim by
claim (Claim.grading_inputs() of model instances, grading.suggest), for claims of every kind and
findings of every sort, and a grader's assessment is never touched."""

import random

import pytest
from django.forms.models import model_to_dict

from claims import grading
from claims.models import Assessment, AssessmentStatus, Claim, FindingStatus
from claims.services import SUGGESTED_FIELDS, claims_grade, claims_regrade
from evidence.models import Appraisal, AppraisalTool, Design, Population
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
    UserFactory,
    appraise,
)

POOLING = {Design.SYSTEMATIC_REVIEW, Design.META_ANALYSIS}


def _study(rng, appraiser, n):
    design = rng.choice([*Design.values, ""])
    study = StudyFactory(
        design=design,
        population=rng.choice([*Population.values, ""]),
        participants=rng.choice([None, 12, 80, 150, 390, 1200]),
        retracted=rng.random() < 0.1,
        pools_randomised=rng.choice([None, True, False]) if design in POOLING else None,
        authors=rng.choice([[f"Synthauthor{n} Q", "Other R"], [], [f"van Synth{n}"]]),
        year=rng.choice([None, 2001, 2019]),
    )
    tools = AppraisalTool.objects.for_design(design) if design else []
    if not tools:
        return study
    judgements = tools[0].judgements.order_by("severity")
    low = judgements.filter(high_risk=False).first().value
    high = judgements.filter(high_risk=True).first()
    chance = rng.random()
    if chance < 0.25:
        appraise(study, appraiser, judgement=low)
    elif chance < 0.45:
        appraise(study, appraiser, judgement=low, worst=high.value)
    elif chance < 0.55:  # begun, not complete: does not count
        Appraisal.objects.create(study=study, appraiser=appraiser, tool=tools[0])
    elif chance < 0.65:  # complete and low, overridden to high
        appraisal = appraise(study, appraiser, judgement=low)
        appraisal.overall_override = high
        appraisal.override_justification = "A synthetic reason to override."
        appraisal.save()
    return study


@pytest.fixture
def library(db):
    """Forty claims of both kinds with findings of every sort: designs, populations, sizes,
    retractions, pooled reviews, appraisals complete or not, directions, indirect or not, and
    findings not approved (which do not count); some with a stale provisional grade, some with
    graders' assessments."""
    rng = random.Random(20261203)
    appraiser, grader = UserFactory(), UserFactory()
    studies = [_study(rng, appraiser, n) for n in range(60)]
    claims = []
    for n in range(40):
        claim = ClaimFactory(kind="mechanism" if n % 3 == 0 else "effect")
        for study in rng.sample(studies, rng.randrange(0, 7)):
            FindingFactory(
                claim=claim,
                study=study,
                direction=rng.choice(list(grading.Direction)),
                indirect_because=rng.choice(["", "", "A different synthetic population."]),
                status=rng.choice([FindingStatus.APPROVED] * 4 + list(FindingStatus)),
            )
        if n % 4 == 1:  # graded before, by rules since changed: stale
            AssessmentFactory(claim=claim, verdict="mixed", certainty="low", version=3)
        if n % 5 == 2:
            AssessmentFactory(
                claim=claim,
                status=AssessmentStatus.PUBLISHED,
                author=grader,
                verdict="supported",
                certainty="high",
            )
        if n % 7 == 3:
            AssessmentFactory(claim=claim, status=AssessmentStatus.DRAFT, author=grader)
        claims.append(claim)
    return claims


SEEN = set()  # (attribute, value) of the findings' inputs per_claim_rules() saw


def per_claim_rules():
    """claim id -> (its fingerprint, the assessment fields the rules give it), computed claim
    by claim from model instances: the rules as the claim's page and the admin apply them."""
    expected = {}
    for claim in Claim.objects.for_grading():
        inputs = claim.grading_inputs()
        SEEN.update((name, getattr(f, name)) for f in inputs for name in ("high_risk", "retracted"))
        assessment = Assessment()
        assessment.apply_suggestion(grading.suggest(claim.kind, inputs))
        expected[claim.pk] = (
            grading.inputs_fingerprint(claim.kind, inputs),
            {name: getattr(assessment, name) for name in SUGGESTED_FIELDS},
        )
    return expected


def stored():
    provisional = Assessment.objects.filter(status=AssessmentStatus.PROVISIONAL)
    return {
        claim.pk: (
            claim.graded_inputs,
            model_to_dict(provisional.get(claim=claim), fields=SUGGESTED_FIELDS),
        )
        for claim in Claim.objects.all()
    }


def graders_assessments():
    return {
        a.pk: {**model_to_dict(a), "version": a.version, "updated_at": a.updated_at}
        for a in Assessment.objects.exclude(status=AssessmentStatus.PROVISIONAL)
    }


@pytest.mark.parametrize("batch_size", [1, 7, 500])
def test_batches_store_exactly_what_the_rules_give_each_claim(library, batch_size):
    expected = per_claim_rules()
    # The library covers claims of both kinds and every body of evidence and verdict.
    suggested = {fields["body"] for _, fields in expected.values()}
    assert suggested == set(grading.Body)
    assert {fields["verdict"] for _, fields in expected.values()} == set(grading.Verdict)
    assert {claim.kind for claim in library} == set(grading.Kind)
    risks = {(name, value) for name in ("high_risk", "retracted") for value in (True, False)}
    assert SEEN >= {*risks, ("high_risk", None)}

    regraded, looked_at = claims_regrade(every_claim=True, batch_size=batch_size)

    assert (regraded, looked_at) == (40, 40)
    assert stored() == expected


def test_grading_a_few_claims_stores_what_the_rules_give_them(library):
    expected = per_claim_rules()
    some = Claim.objects.filter(pk__in=[claim.pk for claim in library[5:9]])
    assert len(claims_grade(claims=some)) == 4
    graded = Assessment.objects.filter(status=AssessmentStatus.PROVISIONAL, claim__in=some)
    for assessment in graded:
        assert (
            model_to_dict(assessment, fields=SUGGESTED_FIELDS) == expected[assessment.claim_id][1]
        )


def test_graders_assessments_are_never_touched(library):
    before = graders_assessments()
    history = Assessment.history.exclude(status=AssessmentStatus.PROVISIONAL).count()
    claims_regrade(every_claim=True, batch_size=7)
    assert graders_assessments() == before
    assert Assessment.history.exclude(status=AssessmentStatus.PROVISIONAL).count() == history


def test_each_stored_grade_is_a_new_version_with_its_history_row(library):
    before = {a.claim_id: a.version for a in Assessment.objects.filter(status="provisional")}
    claims_regrade(every_claim=True, batch_size=7)
    for assessment in Assessment.objects.filter(status=AssessmentStatus.PROVISIONAL):
        assert assessment.version == before.get(assessment.claim_id, 0) + 1
        (row,) = assessment.history.filter(version=assessment.version)
        assert row.history_type == ("~" if assessment.claim_id in before else "+")
        assert (row.history_user, row.history_change_reason) == (None, None)
        recorded = {name: getattr(row, name) for name in SUGGESTED_FIELDS}
        assert recorded == model_to_dict(assessment, fields=SUGGESTED_FIELDS)


def test_the_stored_grades_follow_and_a_second_run_writes_nothing(library):
    claims_regrade(batch_size=7)
    assert Claim.objects.grade_drift() == []
    versions = list(Assessment.objects.order_by("pk").values_list("pk", "version"))
    assert claims_regrade(batch_size=7) == (0, 40)
    assert list(Assessment.objects.order_by("pk").values_list("pk", "version")) == versions


def _changed_library(count):
    """`count` claims, every other one with a provisional grade from before, none graded
    since (every batch holds both a new provisional grade and a changed one)."""
    for n in range(count):
        claim = ClaimFactory()
        FindingFactory(claim=claim)
        FindingFactory(claim=claim, direction="contradicts", study__design="rct")
        if n % 2:
            AssessmentFactory(claim=claim)


# A batch: its claims; their findings; their provisional assessments, locked; the new ones
# inserted; the others updated; their history rows; the claims' fingerprints; their stored
# grades; the savepoint of its transaction, made and released.
QUERIES_PER_BATCH = 10


@pytest.mark.parametrize("batch_size", [2, 4])
def test_a_batch_costs_the_same_queries_whatever_its_size(
    db, batch_size, django_assert_num_queries
):
    _changed_library(8)
    batches = 8 // batch_size
    # the count, the batches, the read that finds no claim left
    with django_assert_num_queries(1 + batches * QUERIES_PER_BATCH + 1):
        assert claims_regrade(batch_size=batch_size) == (8, 8)


@pytest.mark.parametrize("batch_size", [2, 4])
def test_an_unchanged_batch_only_reads_its_claims_and_their_findings(
    db, batch_size, django_assert_num_queries
):
    _changed_library(8)
    claims_regrade()
    # its claims and their findings, in the savepoint of its transaction
    with django_assert_num_queries(1 + (8 // batch_size) * 4 + 1):
        assert claims_regrade(batch_size=batch_size) == (0, 8)
