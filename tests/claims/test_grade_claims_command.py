from io import StringIO

from django.core.management import call_command

from claims.models import Assessment, AssessmentStatus
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory, UserFactory


def run():
    out = StringIO()
    call_command("grade_claims", stdout=out)
    return out.getvalue()


def test_it_stores_the_rules_suggestion_as_a_provisional_assessment(db):
    claim = ClaimFactory(slug="synthetic-lowering")
    FindingFactory(claim=claim, direction="contradicts", study__participants=50)
    output = run()
    assessment = Assessment.objects.get(claim=claim)
    assert assessment.status == AssessmentStatus.PROVISIONAL
    assert assessment.author is None
    assert (assessment.verdict, assessment.certainty) == ("contradicted", "very-low")
    assert assessment.imprecision == -2
    assert "50 participants" in assessment.imprecision_reason
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
