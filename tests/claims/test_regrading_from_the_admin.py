"""Whatever is changed in the admin, the provisional grade readers see follows at once."""

from django.urls import reverse

from claims.models import Assessment
from evidence.models import AppraisalTool
from tests.factories import ClaimFactory, FindingFactory, StudyFactory


def provisional(claim):
    return Assessment.objects.get(claim=claim, status="provisional")


def test_editing_an_approved_findings_direction_regrades_its_claim(client, grader):
    claim = ClaimFactory()
    finding = FindingFactory(claim=claim, direction="supports")
    client.force_login(grader)
    client.post(
        reverse("admin:claims_finding_change", args=[finding.pk]),
        {
            "study": finding.study_id,
            "claim": claim.pk,
            "direction": "contradicts",
            "note": finding.note,
            "status": "approved",
        },
    )
    assert provisional(claim).verdict == "contradicted"


def test_marking_a_study_retracted_excludes_it_from_the_grades_at_once(client, grader):
    study = StudyFactory(title="Synthetic study to retract")
    claim = ClaimFactory()
    FindingFactory(claim=claim, study=study)
    client.force_login(grader)
    response = client.post(
        reverse("admin:evidence_study_change", args=[study.pk]),
        {
            "title": study.title,
            "authors": "Testauthor A",
            "journal": study.journal,
            "year": "2020",
            "doi": study.doi,
            "pmid": study.pmid,
            "pmcid": "",
            "design": study.design,
            "population": study.population,
            "participants": "500",
            "retracted": "on",
            "retracted_on": "2026-01-02",
            "retraction_notice_url": "https://example.org/synthetic-notice",
        },
    )
    assert response.status_code == 302
    assessment = provisional(claim)
    assert assessment.verdict == "insufficient"
    assert "Retracted, so excluded" in assessment.summary


def test_an_appraisal_at_high_risk_regrades_the_claims_of_its_study(client, grader):
    study = StudyFactory(participants=1000, design="rct")
    claim = ClaimFactory()
    FindingFactory(claim=claim, study=study)
    tool = AppraisalTool.objects.get(slug="rob-2")
    high = tool.judgements.get(value="high")
    form = {f"judgement_{d.pk}": high.pk for d in tool.domains.all()}
    form |= {f"support_{d.pk}": "Synthetic support." for d in tool.domains.all()}
    client.force_login(grader)
    client.post(reverse("grading:appraise", args=[study.pk]), form)
    assert provisional(claim).risk_of_bias == -2


def test_changing_a_claims_kind_regrades_it(client, grader):
    claim = ClaimFactory(kind="effect")
    FindingFactory(
        claim=claim, study__design="animal", study__population="animal", study__participants=None
    )
    client.force_login(grader)
    client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {
            "text": claim.text,
            "slug": claim.slug,
            "kind": "mechanism",
            "subject": "",
            "outcome": "",
            "status": claim.status,
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0",
            "findings-MAX_NUM_FORMS": "1000",
        },
    )
    assert provisional(claim).body == "experimental"
