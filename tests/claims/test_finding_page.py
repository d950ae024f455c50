"""A finding's admin page: a button for each move of its status the user may make, and a
warning, with the fields that fix it, when its study is not classified and it will not count
(issue 12, items 3 and 4)."""

from django.urls import reverse

from claims.models import Claim, FindingStatus
from claims.services import claims_grade
from tests.factories import ClaimFactory, FindingFactory, StudyFactory


def page(client, finding):
    return client.get(reverse("admin:claims_finding_change", args=[finding.pk]))


def post(client, finding, **extra):
    data = {
        "study": finding.study_id,
        "claim": finding.claim_id,
        "direction": finding.direction,
        "note": finding.note,
        "version": finding.version,
        **extra,
    }
    return client.post(reverse("admin:claims_finding_change", args=[finding.pk]), data, follow=True)


def buttons(response):
    return [name for name, _ in response.context.get("transitions", [])]


def test_a_researcher_submits_their_draft_from_its_page(client, researcher):
    draft = FindingFactory(status=FindingStatus.DRAFT, created_by=researcher)
    client.force_login(researcher)
    assert buttons(page(client, draft)) == ["_submit"]
    response = post(client, draft, _submit="Save and submit for review")
    draft.refresh_from_db()
    assert draft.status == FindingStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("admin:claims_finding_change", args=[draft.pk])
    assert "Submitted 1 finding." in response.content.decode()


def test_a_grader_approves_a_submitted_finding_from_its_page(client, grader, researcher):
    finding = FindingFactory(status=FindingStatus.SUBMITTED, created_by=researcher)
    client.force_login(grader)
    assert buttons(page(client, finding)) == ["_approve", "_reject"]
    post(client, finding, _approve="Save and approve")
    finding.refresh_from_db()
    assert (finding.status, finding.reviewed_by) == (FindingStatus.APPROVED, grader)


def test_a_grader_is_not_offered_to_approve_their_own_finding(client, grader, settings):
    settings.FINDING_SELF_APPROVAL = False
    finding = FindingFactory(status=FindingStatus.SUBMITTED, created_by=grader)
    client.force_login(grader)
    assert buttons(page(client, finding)) == ["_reject"]
    post(client, finding, _approve="Save and approve")  # sent anyway: refused
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED


def test_rejecting_from_the_page_needs_a_reason(client, grader, researcher):
    finding = FindingFactory(status=FindingStatus.SUBMITTED, created_by=researcher)
    client.force_login(grader)
    response = post(client, finding, _reject="Reject", _reject_because="  ")
    assert "Not rejected: say why" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED

    post(client, finding, _reject="Reject", _reject_because="Synthetic: wrong outcome.")
    finding.refresh_from_db()
    assert (finding.status, finding.rejected_because) == (
        FindingStatus.REJECTED,
        "Synthetic: wrong outcome.",
    )


def test_an_approved_finding_offers_no_move(client, grader):
    finding = FindingFactory(status=FindingStatus.APPROVED)
    client.force_login(grader)
    assert buttons(page(client, finding)) == []


def test_a_finding_on_an_unclassified_study_says_it_will_not_count(client, researcher):
    study = StudyFactory(design="", population="")
    draft = FindingFactory(study=study, status=FindingStatus.DRAFT, created_by=researcher)
    client.force_login(researcher)
    html = page(client, draft).content.decode()
    assert "does not count towards the claim's grade until its study's design" in html
    assert 'name="study_design"' in html and 'name="study_population"' in html

    classified = FindingFactory(status=FindingStatus.DRAFT, created_by=researcher)
    html = page(client, classified).content.decode()
    assert "does not count" not in html and 'name="study_design"' not in html


def test_classifying_the_study_from_the_finding_makes_it_count(client, grader, researcher):
    claim = claim_resting_on_an_unclassified_study(researcher)
    finding = claim.findings.get()
    client.force_login(grader)
    assert Claim.objects.get(pk=claim.pk).grade_verdict == "insufficient"
    post(client, finding, study_design="rct", study_population="human")
    finding.study.refresh_from_db()
    assert (finding.study.design, finding.study.population) == ("rct", "human")
    assert Claim.objects.get(pk=claim.pk).grade_verdict == "supported"
    assert finding.study.history.latest().history_user == grader


def claim_resting_on_an_unclassified_study(researcher):  # noqa: N802
    claim = ClaimFactory()
    FindingFactory(
        claim=claim,
        study=StudyFactory(design="", population="", participants=50),
        status=FindingStatus.APPROVED,
        created_by=researcher,
    )
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    return claim


def test_approving_a_finding_that_will_not_count_says_so_at_once(client, grader, researcher):
    finding = FindingFactory(
        study=StudyFactory(design="", population=""),
        status=FindingStatus.SUBMITTED,
        created_by=researcher,
    )
    client.force_login(grader)
    html = post(client, finding, _approve="Save and approve").content.decode()
    assert "1 approved finding will not count until its study is classified" in html


def test_moving_a_finding_to_another_study_classifies_neither(client, grader, researcher):
    unclassified = StudyFactory(design="", population="")
    finding = FindingFactory(study=unclassified, status=FindingStatus.DRAFT, created_by=grader)
    other = StudyFactory(design="cohort", population="human")
    client.force_login(grader)
    post(client, finding, study=other.pk, study_design="rct", study_population="animal")
    other.refresh_from_db()
    unclassified.refresh_from_db()
    assert (other.design, other.population) == ("cohort", "human")
    assert (unclassified.design, unclassified.population) == ("", "")


def test_a_classification_the_study_refuses_is_a_form_error_not_a_crash(client, grader):
    review = StudyFactory(design="meta_analysis", population="", pools_randomised=True)
    finding = FindingFactory(study=review, status=FindingStatus.DRAFT, created_by=grader)
    client.force_login(grader)
    response = post(client, finding, study_design="rct", study_population="human")
    assert response.status_code == 200
    assert "Only for systematic reviews and meta-analyses." in response.content.decode()
    review.refresh_from_db()
    assert (review.design, review.population) == ("meta_analysis", "")
