"""Every write of the API, for every role, with a token as a script sends it: allowed for the
roles the admin allows, refused (401 without a token, 403 with a role that may not) and then
changing nothing. The services check the permission again (test_write_rules.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Assessment, AssessmentStatus, Finding, FindingStatus
from evidence.models import Study, StudyImport
from tests.api.conftest import ROLES
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ClaimFactory, FindingFactory, StudyFactory

ENTERS_DATA = {"researcher", "grader", "admin_user"}
REVIEWS = {"grader", "admin_user"}
SYNTHETIC_RIS = (
    "TY  - JOUR\nTI  - Synthetic imported study of a made-up compound\nAU  - Testauthor, A.\n"
    "PY  - 2021\nDO  - 10.5555/synthetic.api.import.1\nER  - \n"
)


def refused_status(role):
    return 401 if role == "anonymous" else 403


def check(response, role, allowed, ok=200):
    expected = ok if role in allowed else refused_status(role)
    assert response.status_code == expected, response.content
    return role in allowed


# --- Studies ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_study(client_for, role):
    response = client_for(role).post(
        "/api/studies/",
        {"title": "Synthetic study added by a script", "doi": "10.5555/SYNTHETIC.API.1"},
    )
    if check(response, role, ENTERS_DATA, ok=201):
        study = Study.objects.get()
        assert study.doi == "10.5555/synthetic.api.1"  # normalized as everywhere
        assert response.json()["id"] == study.pk
    else:
        assert not Study.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_study(client_for, role):
    study = StudyFactory(participants=500, design="rct", design_guessed=True)
    response = client_for(role).patch(
        f"/api/studies/{study.pk}/", {"participants": 40, "design": "rct"}
    )
    study.refresh_from_db()
    if check(response, role, ENTERS_DATA):
        assert (study.participants, study.design_guessed) == (40, False)
    else:
        assert (study.participants, study.design_guessed) == (500, True)


@pytest.mark.parametrize("role", ROLES)
def test_importing_a_file_of_studies(client_for, role):
    upload = SimpleUploadedFile("synthetic.ris", SYNTHETIC_RIS.encode())
    response = client_for(role).post("/api/studies/import/", {"file": upload}, format="multipart")
    if check(response, role, ENTERS_DATA, ok=201):
        assert response.json()["summary"] == (
            "1 created, 0 duplicates, 0 possible duplicates, 0 errors"
        )
        assert StudyImport.objects.get().imported_at is not None
    else:
        assert not Study.objects.exists()


# --- Findings -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_finding(client_for, role, request):
    study, claim = StudyFactory(), ClaimFactory(slug="c")
    response = client_for(role).post(
        "/api/findings/",
        {
            "study": study.pk,
            "claim": "c",
            "direction": "supports",
            "note": "A synthetic finding entered by a script.",
        },
    )
    if check(response, role, ENTERS_DATA, ok=201):
        finding = Finding.objects.get()
        assert finding.status == FindingStatus.DRAFT
        assert finding.created_by == request.getfixturevalue(role)
        assert response.json()["status"] == "draft"
    else:
        assert not Finding.objects.exists()
    assert claim.findings.count() == (1 if role in ENTERS_DATA else 0)


def _persona(role, request):
    """The user behind client_for(role), to be a finding's author (anonymous: nobody)."""
    return None if role == "anonymous" else request.getfixturevalue(role)


@pytest.mark.parametrize("role", ROLES)
def test_changing_their_own_draft_finding(client_for, role, request):
    finding = FindingFactory(
        status="draft", note="Synthetic note.", created_by=_persona(role, request)
    )
    response = client_for(role).patch(
        f"/api/findings/{finding.pk}/", {"note": "Synthetic note, reworded."}
    )
    finding.refresh_from_db()
    changed = check(response, role, ENTERS_DATA)
    assert finding.note == ("Synthetic note, reworded." if changed else "Synthetic note.")


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_submitted_finding_is_for_reviewers(client_for, role):
    finding = FindingFactory(status="submitted", note="Synthetic note.")
    response = client_for(role).patch(
        f"/api/findings/{finding.pk}/", {"note": "Synthetic note, reworded."}
    )
    finding.refresh_from_db()
    changed = check(response, role, REVIEWS)
    assert finding.note == ("Synthetic note, reworded." if changed else "Synthetic note.")


@pytest.mark.parametrize("role", ROLES)
def test_submitting_their_own_draft_finding(client_for, role, request):
    finding = FindingFactory(status="draft", created_by=_persona(role, request))
    response = client_for(role).post(f"/api/findings/{finding.pk}/submit/")
    finding.refresh_from_db()
    submitted = check(response, role, ENTERS_DATA)
    assert finding.status == ("submitted" if submitted else "draft")


@pytest.mark.parametrize("role", ROLES)
def test_approving_a_submitted_finding(client_for, role):
    finding = FindingFactory(status="submitted", study__design="rct")
    response = client_for(role).post(f"/api/findings/{finding.pk}/approve/")
    finding.refresh_from_db()
    if check(response, role, REVIEWS):
        assert finding.status == "approved"
        # It counts at once: its claim has a provisional grade.
        assert Assessment.objects.filter(claim=finding.claim, status="provisional").exists()
    else:
        assert finding.status == "submitted"


@pytest.mark.parametrize("role", ROLES)
def test_rejecting_a_submitted_finding_with_a_reason(client_for, role):
    finding = FindingFactory(status="submitted")
    response = client_for(role).post(
        f"/api/findings/{finding.pk}/reject/",
        {"because": "Synthetic: the quote is from another study."},
    )
    finding.refresh_from_db()
    if check(response, role, REVIEWS):
        assert finding.status == "rejected"
        assert finding.rejected_because == "Synthetic: the quote is from another study."
    else:
        assert finding.status == "submitted"


# --- Publishing a grade -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_publishing_the_consensus(client_for, role, ready_claim):
    data = accepting_suggestion(ready_claim)
    response = client_for(role).post("/api/claims/c/consensus/", data)
    published = Assessment.objects.filter(status=AssessmentStatus.PUBLISHED)
    if check(response, role, REVIEWS, ok=201):
        assert published.get().claim == ready_claim
        assert response.json()["provisional"] is False
    else:
        assert not published.exists()
