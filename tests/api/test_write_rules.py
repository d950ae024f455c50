"""The rules behind the writes, the same as the admin's and the grading pages': reasons,
enough independent assessments, justifications, the regrading that follows a change, and the
services refusing a user without the permission whoever calls them."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Assessment, AssessmentStatus, Claim, Finding
from claims.services import (
    assessment_publish,
    claims_grade,
    finding_approve,
    finding_save,
    study_save_and_regrade,
)
from evidence.models import Study
from evidence.services import studies_import_upload
from tests.api.conftest import submit_assessment
from tests.api.test_writes_by_role import SYNTHETIC_RIS
from tests.claims.forms_data import accepting_suggestion
from tests.evidence.importing import run_import
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_rejecting_a_finding_needs_a_reason(client_for):
    finding = FindingFactory(status="submitted")
    for data in ({}, {"because": "   "}):
        response = client_for("grader").post(f"/api/findings/{finding.pk}/reject/", data)
        assert response.status_code == 400
        assert "because" in response.json()
    finding.refresh_from_db()
    assert finding.status == "submitted"


def test_only_a_submitted_finding_can_be_approved(client_for):
    finding = FindingFactory(status="draft")
    response = client_for("grader").post(f"/api/findings/{finding.pk}/approve/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Only a submitted finding can become approved; this one is draft."]
    }


def test_a_rejected_finding_its_author_reworks_is_a_draft_again(client_for, researcher):
    finding = FindingFactory(status="rejected", created_by=researcher)
    response = client_for("researcher").patch(
        f"/api/findings/{finding.pk}/", {"note": "Synthetic, reworked."}
    )
    assert response.json()["status"] == "draft"
    assert response.json()["rejected_because"] == ""


def test_another_researchers_draft_finding_cannot_be_changed_or_submitted(client_for):
    author = UserFactory(username="author-researcher")
    author.groups.add(Group.objects.get(name="researcher"))
    finding = FindingFactory(status="draft", note="Synthetic, the author's.", created_by=author)
    other = client_for("researcher")
    url = f"/api/findings/{finding.pk}/"
    assert other.patch(url, {"note": "Synthetic, overwritten."}).status_code == 403
    assert (
        other.put(
            url,
            {
                "study": finding.study_id,
                "claim": finding.claim_id,
                "direction": "contradicts",
                "note": "Synthetic.",
            },
        ).status_code
        == 403
    )
    assert other.post(f"{url}submit/").status_code == 403
    finding.refresh_from_db()
    assert (finding.note, finding.direction, finding.status) == (
        "Synthetic, the author's.",
        "supports",
        "draft",
    )


def test_its_author_or_a_grader_changes_and_submits_a_draft_finding(client_for, researcher, grader):
    mine = FindingFactory(status="draft", created_by=researcher)
    assert (
        client_for("researcher")
        .patch(f"/api/findings/{mine.pk}/", {"note": "Synthetic, mine."})
        .status_code
        == 200
    )
    assert client_for("researcher").post(f"/api/findings/{mine.pk}/submit/").status_code == 200
    theirs = FindingFactory(status="draft", created_by=researcher)
    assert (
        client_for("grader")
        .patch(f"/api/findings/{theirs.pk}/", {"note": "Synthetic, a grader's edit."})
        .status_code
        == 200
    )
    assert client_for("grader").post(f"/api/findings/{theirs.pk}/submit/").status_code == 200


def test_a_second_finding_of_a_study_on_a_claim_is_refused(client_for):
    finding = FindingFactory()
    response = client_for("researcher").post(
        "/api/findings/",
        {
            "study": finding.study_id,
            "claim": finding.claim.slug,
            "direction": "contradicts",
            "note": "Synthetic second finding.",
        },
    )
    assert response.status_code == 400
    assert Finding.objects.count() == 1


def test_a_consensus_waits_for_enough_independent_assessments(client_for, grader):
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim, study__design="rct")
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    submit_assessment(claim, grader)
    response = client_for("grader").post("/api/claims/c/consensus/", accepting_suggestion(claim))
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "2 independent assessments are needed before a consensus; 1 submitted so far."
        ]
    }


def test_a_consensus_that_departs_from_the_suggestion_says_why(client_for, ready_claim):
    data = accepting_suggestion(ready_claim, publication_bias="-1", publication_bias_reason="")
    response = client_for("grader").post("/api/claims/c/consensus/", data)
    assert response.status_code == 400
    assert "publication_bias_reason" in response.json()
    assert not Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).exists()


def test_a_consensus_settles_a_disagreement_with_a_reason_of_its_own(client_for, ready_claim):
    Assessment.objects.filter(author__username="assessor-1").update(
        risk_of_bias=-1, risk_of_bias_reason="Synthetic: assessor-1 found the trials unblinded."
    )
    copied = accepting_suggestion(
        ready_claim,
        risk_of_bias="-1",
        risk_of_bias_reason="Synthetic: assessor-1 found the trials unblinded.",
    )
    response = client_for("grader").post("/api/claims/c/consensus/", copied)
    assert response.status_code == 400
    assert "in your own words" in response.json()["risk_of_bias_reason"][0]
    own = copied | {"risk_of_bias_reason": "Synthetic: the consensus weighs the larger trial."}
    assert client_for("grader").post("/api/claims/c/consensus/", own).status_code == 201


def test_a_grader_with_a_draft_in_the_round_submits_it_before_publishing(
    client_for, grader, ready_claim
):
    # A draft begun before the others submitted theirs (no new one can be begun after).
    AssessmentFactory(claim=ready_claim, status=AssessmentStatus.DRAFT, author=grader)
    response = client_for("grader").post(
        "/api/claims/c/consensus/", accepting_suggestion(ready_claim)
    )
    assert response.status_code == 400
    assert "Submit your own assessment first" in response.json()["non_field_errors"][0]


def test_a_published_consensus_is_the_grade_readers_see(api, client_for, ready_claim):
    data = accepting_suggestion(
        ready_claim, imprecision="-1", imprecision_reason="Synthetic consensus reason."
    )
    response = client_for("grader").post("/api/claims/c/consensus/", data)
    assert response.status_code == 201
    grade = api.get("/api/claims/c/").json()["grade"]
    assert (grade["provisional"], grade["certainty"], grade["graded_by"]) == (
        False,
        "moderate",
        "grader",
    )


def test_a_second_grader_publishing_the_same_round_gets_a_clear_409(client_for, ready_claim):
    data = accepting_suggestion(ready_claim)
    assert client_for("grader").post("/api/claims/c/consensus/", data).status_code == 201
    response = client_for("admin_user").post("/api/claims/c/consensus/", data)
    assert response.status_code == 409
    assert "published this claim's consensus" in response.json()["detail"]
    assert Assessment.objects.filter(claim=ready_claim, status="published").count() == 1


def test_changing_a_studys_size_regrades_the_claims_it_bears_on(client_for):
    finding = FindingFactory(study__design="rct", study__participants=1000)
    claims_grade(claims=Claim.objects.filter(pk=finding.claim_id))
    before = Assessment.objects.get(claim=finding.claim, status="provisional")
    client_for("researcher").patch(f"/api/studies/{finding.study_id}/", {"participants": 20})
    after = Assessment.objects.get(pk=before.pk)
    assert (before.imprecision, after.imprecision) == (0, -2)


def test_retracting_a_study_flags_the_published_grades_it_supports(client_for, grader):
    finding = FindingFactory(study__authors=["Retractauthor A"], study__year=2021)
    AssessmentFactory(claim=finding.claim, status="published", author=grader)
    response = client_for("grader").patch(
        f"/api/studies/{finding.study_id}/",
        {
            "retracted": True,
            "retracted_on": "2026-05-06",
            "retraction_notice_url": "https://example.org/synthetic-notice",
        },
    )
    assert response.status_code == 200
    published = Assessment.objects.get(status="published")
    assert published.needs_review
    assert published.needs_review_because == "Retractauthor 2021 was retracted on 6 May 2026."


def test_a_retraction_date_needs_the_retraction(client_for):
    study = StudyFactory()
    response = client_for("researcher").patch(
        f"/api/studies/{study.pk}/", {"retracted_on": "2026-05-06"}
    )
    assert response.status_code == 400
    assert response.json() == {"retracted": ["Tick “retracted” to record a retraction."]}


def test_a_doi_another_study_has_is_refused(client_for):
    StudyFactory(doi="10.5555/synthetic.taken")
    response = client_for("researcher").post(
        "/api/studies/", {"title": "Synthetic", "doi": "https://doi.org/10.5555/SYNTHETIC.TAKEN"}
    )
    assert response.status_code == 400
    assert Study.objects.count() == 1


def test_the_import_reports_what_the_command_reports_and_a_dry_run_writes_nothing(
    client_for, tmp_path
):
    path = tmp_path / "synthetic.ris"
    path.write_text(SYNTHETIC_RIS)
    upload = SimpleUploadedFile("synthetic.ris", SYNTHETIC_RIS.encode())
    response = client_for("researcher").post(
        "/api/studies/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["format"], body["dry_run"], body["created"]) == ("ris", True, 1)
    assert not Study.objects.exists()
    _, out, _ = run_import(path)
    assert out == f"{path}: {body['summary']}\n"
    again = client_for("researcher").post(
        "/api/studies/import/",
        {"file": SimpleUploadedFile("again.ris", SYNTHETIC_RIS.encode())},
        format="multipart",
    )
    assert again.json()["summary"] == "0 created, 1 duplicates, 0 possible duplicates, 0 errors"
    assert again.json()["outcomes"][0]["status"] == "duplicate"


def test_a_file_that_cannot_be_read_imports_nothing_and_says_where(client_for, settings):
    broken = SYNTHETIC_RIS.replace("ER  - \n", "")
    response = client_for("researcher").post(
        "/api/studies/import/",
        {"file": SimpleUploadedFile("broken.ris", broken.encode())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "record 1" in response.json()["file"][0]
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.ris", b"x" * (1024 * 1024 + 1))
    too_big = client_for("researcher").post(
        "/api/studies/import/", {"file": big}, format="multipart"
    )
    assert too_big.status_code == 400
    assert "the limit for an upload is 1 MB" in too_big.json()["file"][0]
    assert not Study.objects.exists()


def test_a_dry_run_of_a_file_with_a_nul_character_is_refused_naming_record_and_line(
    client_for,
):
    with_nul = SYNTHETIC_RIS.replace("made-up compound", "made-up\x00compound")
    response = client_for("researcher").post(
        "/api/studies/import/",
        {"file": SimpleUploadedFile("nul.ris", with_nul.encode()), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "nothing was imported: record 1, line 2: a NUL character" in response.json()["file"][0]
    assert not Study.objects.exists()


def test_the_services_refuse_a_user_without_the_permission_whoever_calls_them(
    reader, researcher, ready_claim
):
    finding = FindingFactory(status="submitted")
    with pytest.raises(PermissionDenied):
        finding_approve(finding=finding, by=researcher)
    with pytest.raises(PermissionDenied):
        finding_save(finding=Finding(), by=reader, changes={})
    with pytest.raises(PermissionDenied):
        study_save_and_regrade(study=Study(title="Synthetic"), by=reader, changes={})
    with pytest.raises(PermissionDenied):
        studies_import_upload(data=SYNTHETIC_RIS.encode(), file_name="x.ris", by=reader)
    with pytest.raises(PermissionDenied):
        assessment_publish(claim=ready_claim, author=researcher, form=None)


def test_a_number_past_what_its_column_holds_on_every_database_is_refused(client_for):
    study = StudyFactory(year=2020)
    response = client_for("researcher").patch(f"/api/studies/{study.pk}/", {"year": 40000})
    assert response.status_code == 400
    assert response.json() == {"year": ["Ensure this value is less than or equal to 32767."]}


def test_text_longer_than_its_limit_is_refused_even_when_it_starts_with_whitespace(client_for):
    study = StudyFactory()
    volume = "\u0085" + "9" * 50  # 51 characters as sent; 50 once trimmed
    response = client_for("researcher").patch(f"/api/studies/{study.pk}/", {"volume": volume})
    assert response.status_code == 400
    assert "volume" in response.json()
    study.refresh_from_db()
    assert study.volume == ""
