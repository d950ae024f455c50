"""A finding's own number of participants through the API (issue 12, item 9)."""

from claims.models import Finding
from tests.factories import ClaimFactory, StudyFactory


def test_a_researcher_records_how_many_participants_a_finding_rests_on(client_for, db):
    study, claim = StudyFactory(participants=18428), ClaimFactory()
    body = {
        "study": study.pk,
        "claim": claim.slug,
        "direction": "contradicts",
        "note": "Synthetic.",
    }
    response = client_for("researcher").post("/api/findings/", body | {"participants": 700})
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == 700
    assert Finding.objects.get().counted_participants == 700


def test_more_participants_than_the_study_has_is_a_400(client_for, db):
    study, claim = StudyFactory(participants=30), ClaimFactory()
    body = {"study": study.pk, "claim": claim.slug, "direction": "supports", "note": "Synthetic."}
    response = client_for("researcher").post("/api/findings/", body | {"participants": 31})
    assert response.status_code == 400
    assert "More than the 30 participants" in str(response.json())
    assert not Finding.objects.exists()
