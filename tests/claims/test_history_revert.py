"""The admin's history "Revert" (django-simple-history) is an edit and no more: it never moves a
record past what the user could do by changing it in its form (issue 11, item 1)."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Assessment, AssessmentStatus, Claim, FindingStatus, Status
from evidence.admin import HistoryAdmin
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
)

NO_FINDINGS = {
    "findings-TOTAL_FORMS": "0",
    "findings-INITIAL_FORMS": "0",
    "findings-MIN_NUM_FORMS": "0",
    "findings-MAX_NUM_FORMS": "1000",
}


def claim_form(claim, **fields):
    """The claim's change form (or its revert form) as a browser posts it."""
    data = {
        "text": claim.text,
        "slug": claim.slug,
        "kind": claim.kind,
        "subject": claim.subject,
        "outcome": claim.outcome,
        "status": claim.status,
    }
    return data | fields | NO_FINDINGS


def revert_url(record, version):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[record.pk, version.history_id],
    )


def revert_form(version):
    """What the revert page posts: the version's values in the fields of the form."""
    return claim_form(version.instance)


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_every_admin_of_a_record_with_history_guards_its_revert():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, HistoryAdmin), model


def withdrawn_by_a_grader(client, grader, slug):
    """A published claim a grader has set back to draft, and its published version."""
    claim = ClaimFactory(status=Status.PUBLISHED, slug=slug)
    published = claim.history.get()
    client.force_login(grader)
    client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        claim_form(claim, status=Status.DRAFT),
    )
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    return claim, published


def test_a_researcher_cannot_republish_a_claim_a_grader_withdrew_by_reverting_it(
    client, researcher, grader
):
    claim, published = withdrawn_by_a_grader(client, grader, "withdrawn")
    assert client.get("/claims/withdrawn/").status_code == 404

    client.force_login(researcher)
    response = client.post(revert_url(claim, published), revert_form(published))
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    client.logout()
    assert client.get("/claims/withdrawn/").status_code == 404


def test_the_revert_page_offers_no_revert_beyond_the_users_rights_and_says_why(
    client, researcher, grader
):
    claim, published = withdrawn_by_a_grader(client, grader, "withdrawn")
    client.force_login(researcher)
    page = client.get(revert_url(claim, published))
    assert page.status_code == 200
    assert page.context["revert_disabled"] is True
    assert 'value="Revert"' not in page.content.decode()
    assert any("differs from the claim as it is now in status" in m for m in said(page))


def test_a_grader_may_republish_by_reverting_since_they_may_publish_by_editing(client, grader):
    claim = ClaimFactory(status=Status.PUBLISHED, slug="republished")
    published = claim.history.get()
    client.force_login(grader)
    client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        claim_form(claim, status=Status.DRAFT),
    )
    response = client.post(revert_url(claim, published), revert_form(published))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED
    latest = claim.history.latest()
    assert (latest.history_user, latest.history_change_reason.startswith("Reverted to")) == (
        grader,
        True,
    )
    client.logout()
    assert client.get("/claims/republished/").status_code == 200


def test_a_researcher_reverts_a_draft_claim_within_their_rights(client, researcher):
    claim = ClaimFactory(status=Status.DRAFT, subject="first subject")
    first = claim.history.get()
    client.force_login(researcher)
    client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        claim_form(claim, subject="second subject"),
    )
    claim.refresh_from_db()
    assert claim.subject == "second subject"

    page = client.get(revert_url(claim, first))
    assert page.context["revert_disabled"] is False
    response = client.post(revert_url(claim, first), revert_form(first))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.subject, claim.status) == ("first subject", Status.DRAFT)
    assert claim.history.latest().history_user == researcher


def test_a_reader_with_staff_status_cannot_revert_anything(client, reader):
    reader.is_staff = True
    reader.save()
    claim = ClaimFactory(status=Status.DRAFT)
    first = claim.history.get()
    client.force_login(reader)
    response = client.post(revert_url(claim, first), revert_form(first))
    assert response.status_code == 403


def test_no_one_reverts_a_findings_review_since_only_the_review_actions_move_it(client, grader):
    finding = FindingFactory(status=FindingStatus.SUBMITTED, study__design="rct")
    submitted = finding.history.get()
    finding.status, finding.rejected_because = FindingStatus.REJECTED, "A synthetic reason."
    finding.reviewed_by = grader
    finding.save()
    client.force_login(grader)
    response = client.post(
        revert_url(finding, submitted),
        {
            "study": finding.study_id,
            "claim": finding.claim_id,
            "direction": finding.direction,
            "note": finding.note,
        },
    )
    assert response.status_code == 403
    finding.refresh_from_db()
    assert (finding.status, finding.reviewed_by) == (FindingStatus.REJECTED, grader)


def test_no_one_reverts_an_assessment_even_an_admin(client, admin_user):
    assessment = AssessmentFactory(summary="First synthetic summary.")
    first = assessment.history.get()
    assessment.summary = "Second synthetic summary."
    assessment.save()
    client.force_login(admin_user)
    response = client.post(revert_url(assessment, first), {"summary": "First synthetic summary."})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.summary == "Second synthetic summary."


def test_a_revert_runs_the_same_save_as_an_edit_a_study_retracted_again_flags_its_grades(
    client, researcher, grader
):
    study = StudyFactory(
        retracted=True,
        retracted_on=datetime.date(2024, 5, 1),
        retraction_notice_url="https://example.org/synthetic-notice",
    )
    retracted = study.history.get()
    study.retracted, study.retracted_on, study.retraction_notice_url = False, None, ""
    study.save()
    finding = FindingFactory(study=study, status=FindingStatus.APPROVED)
    published = AssessmentFactory(
        claim=finding.claim, status=AssessmentStatus.PUBLISHED, author=grader
    )
    client.force_login(researcher)
    form = client.get(revert_url(study, retracted)).context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data = {name: value for name, value in data.items() if value is not False}
    data["authors"] = "\n".join(study.authors)
    response = client.post(revert_url(study, retracted), data)
    assert response.status_code == 302, said(response)
    study.refresh_from_db()
    assert study.retracted is True
    published.refresh_from_db()
    assert published.needs_review is True
    assert "was retracted" in published.needs_review_because
    assert Assessment.objects.filter(claim=finding.claim, status="provisional").exists()


@pytest.mark.parametrize("field", ["slug", "kind"])
def test_a_revert_the_form_refuses_is_not_saved_and_says_why(client, researcher, field):
    other = ClaimFactory(status=Status.DRAFT, slug="taken")
    claim = ClaimFactory(status=Status.DRAFT, slug="mine")
    first = claim.history.get()
    client.force_login(researcher)
    bad = {"slug": other.slug, "kind": "not-a-kind"}[field]
    response = client.post(revert_url(claim, first), revert_form(first) | {field: bad})
    assert response.status_code == 302
    assert response.url == revert_url(claim, first)
    assert any(m.startswith("Not reverted:") for m in said(response))
    assert Claim.objects.get(pk=claim.pk).slug == "mine"
