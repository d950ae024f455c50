from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import finding_save
from evidence.models import Study
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    UserFactory,
    appraise,
)


def run(*args, **options):
    out = StringIO()
    call_command("grade_claims", *args, stdout=out, **options)
    return out.getvalue()


def regraded(*args):
    """The slugs of the claims a run regrades (its lines at verbosity 2)."""
    lines = run(*args, verbosity=2).splitlines()
    return sorted(line.split(":")[0] for line in lines[:-1])


def test_it_stores_the_rules_suggestion_as_a_provisional_assessment(db):
    claim = ClaimFactory(slug="synthetic-lowering")
    FindingFactory(claim=claim, direction="contradicts", study__participants=50)
    output = run(verbosity=2)
    assessment = Assessment.objects.get(claim=claim)
    assert assessment.status == AssessmentStatus.PROVISIONAL
    assert assessment.author is None
    assert (assessment.verdict, assessment.certainty) == ("contradicted", "very-low")
    assert assessment.imprecision == -2
    assert "included 50 people" in assessment.imprecision_reason
    assert "synthetic-lowering: Contradicted, Very low" in output


def test_it_updates_the_provisional_assessment_instead_of_adding_another(db):
    claim = ClaimFactory()
    FindingFactory(claim=claim)
    run()
    FindingFactory(claim=claim, direction="contradicts")
    FindingFactory(claim=claim, direction="contradicts")
    run()
    assessment = Assessment.objects.get(claim=claim)
    assert assessment.verdict == "mixed"


def test_it_only_counts_approved_findings(db):
    claim = ClaimFactory()
    FindingFactory(claim=claim, direction="supports")
    for status in ("draft", "submitted", "rejected"):
        FindingFactory(claim=claim, direction="contradicts", status=status)
    run()
    assert Assessment.objects.get(claim=claim).verdict == "supported"


def test_it_never_overwrites_an_assessment_a_grader_published(db):
    claim = ClaimFactory()
    FindingFactory(claim=claim, direction="contradicts")
    grader = UserFactory()
    published = AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.PUBLISHED,
        author=grader,
        verdict="supported",
        certainty="moderate",
    )
    run()
    published.refresh_from_db()
    assert (published.verdict, published.certainty, published.author) == (
        "supported",
        "moderate",
        grader,
    )
    assert Assessment.objects.get(claim=claim, status="provisional").verdict == "contradicted"


def test_a_claim_without_findings_is_graded_insufficient(db):
    claim = ClaimFactory()
    run()
    assessment = Assessment.objects.get(claim=claim)
    assert (assessment.verdict, assessment.certainty) == ("insufficient", "")


def test_it_ends_with_how_many_claims_it_regraded(db):
    ClaimFactory.create_batch(3)
    assert run().startswith("Regraded 3 of 3 claims; 0 unchanged since their last grading, in ")
    assert run().startswith("Regraded 0 of 3 claims; 3 unchanged since their last grading, in ")
    assert run("--all").startswith("Regraded 3 of 3 claims, in ")


@pytest.fixture
def graded(db):
    """Three claims, each with a finding, graded once: nothing changed since."""
    claims = [ClaimFactory(slug=f"synthetic-graded-{n}") for n in range(3)]
    designs = ["cohort", "cohort", "rct"]
    findings = [
        FindingFactory(claim=claim, study__design=design)
        for claim, design in zip(claims, designs, strict=True)
    ]
    run()
    return claims, findings


def test_a_second_run_regrades_nothing_when_nothing_changed(graded):
    assert regraded() == []
    assert regraded("--all") == [f"synthetic-graded-{n}" for n in range(3)]


def test_a_study_whose_design_changed_regrades_its_claim_and_only_it(graded):
    claims, findings = graded
    Study.objects.filter(pk=findings[1].study_id).update(design="rct")  # around the services
    assert regraded() == ["synthetic-graded-1"]
    assert Assessment.objects.get(claim=claims[1]).body == "experimental"
    assert regraded() == []


def test_a_changed_finding_regrades_its_claim_and_only_it(graded):
    claims, findings = graded
    type(findings[0]).objects.filter(pk=findings[0].pk).update(direction="contradicts")
    assert regraded() == ["synthetic-graded-0"]
    assert Assessment.objects.get(claim=claims[0]).verdict == "contradicted"


def test_a_new_appraisal_regrades_the_claim_of_its_study_and_only_it(graded):
    claims, findings = graded
    appraise(findings[2].study, UserFactory(), judgement="high")
    assert regraded() == ["synthetic-graded-2"]
    assert Assessment.objects.get(claim=claims[2]).risk_of_bias == -2


def test_a_claim_whose_kind_changed_is_regraded(graded):
    claims, _ = graded
    Claim.objects.filter(pk=claims[0].pk).update(kind="mechanism")
    assert regraded() == ["synthetic-graded-0"]


def test_a_finding_no_longer_approved_regrades_its_claim(graded):
    claims, findings = graded
    type(findings[2]).objects.filter(pk=findings[2].pk).update(status="submitted")
    assert regraded() == ["synthetic-graded-2"]
    assert Assessment.objects.get(claim=claims[2]).verdict == "insufficient"


def test_a_claim_a_service_regraded_is_not_regraded_again(graded, grader):
    claims, findings = graded
    finding_save(finding=findings[0], by=grader, changes={"direction": "no-effect"})
    assert Assessment.objects.get(claim=claims[0]).verdict == "no-effect"
    assert regraded() == []


def test_check_finds_and_repairs_a_stored_grade_that_drifted(graded):
    claims, _ = graded
    assert "Every claim's stored grade is the one its assessments give." in run("--check")
    Claim.objects.filter(pk=claims[0].pk).update(grade_verdict="mixed", verdict_rank=44)
    output = run("--check")
    assert f"Claim #{claims[0].pk}: grade_verdict stored 'mixed'" in output
    assert "Stored the grade of 1 claim again." in output
    assert Claim.objects.grade_drift() == []
