"""POST /api/studies/lookup/: DOIs, PMIDs or PMCIDs looked up in the local stub of NCBI and
Crossref (synthetic recorded answers) and imported, one result per identifier."""

import pytest
from rest_framework.test import APIClient

from evidence.lookup.services import MAX_IDENTIFIERS
from evidence.models import Study

URL = "/api/studies/lookup/"


@pytest.fixture
def api(researcher):
    client = APIClient()
    client.force_authenticate(researcher)
    return client


def test_a_text_of_identifiers_creates_studies_and_says_what_became_of_each(api, lookup_stub):
    response = api.post(
        URL, {"identifiers": "10.5555/synthetic.lookup.1\n99999302\n99999399"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    created = Study.objects.get(pmid="99999301")
    assert body["created"] == 2
    assert body["summary"].startswith("2 created, 0 duplicates")
    assert [(o["identifier"], o["kind"], o["status"], o["source"]) for o in body["outcomes"]] == [
        ("10.5555/synthetic.lookup.1", "doi", "created", "PubMed"),
        ("99999302", "pmid", "created", "PubMed"),
        ("99999399", "pmid", "not found", ""),
    ]
    first = body["outcomes"][0]
    assert first["study_id"] == created.pk
    assert first["study_url"] == f"http://testserver/api/studies/{created.pk}/"
    assert body["outcomes"][2]["study_url"] is None


def test_a_list_of_identifiers_is_taken_too_and_duplicates_answer_200(api, lookup_stub):
    api.post(URL, {"identifiers": ["PMC9999301"]}, format="json")
    response = api.post(URL, {"identifiers": ["PMC9999301", "99999301"]}, format="json")
    assert response.status_code == 200
    assert [o["status"] for o in response.json()["outcomes"]] == ["duplicate", "duplicate"]


def test_more_than_the_limit_is_a_400_naming_it(api, lookup_stub):
    many = [str(99990000 + n) for n in range(MAX_IDENTIFIERS + 1)]
    response = api.post(URL, {"identifiers": many}, format="json")
    assert response.status_code == 400
    assert "at most 200 are looked up at once" in response.json()["identifiers"][0]
    assert lookup_stub.requests == []


def test_no_identifier_or_no_text_is_a_400(api, lookup_stub):
    assert api.post(URL, {"identifiers": "no identifier"}, format="json").status_code == 400
    assert api.post(URL, {"identifiers": []}, format="json").status_code == 400
    assert api.post(URL, {"identifiers": 99999302}, format="json").status_code == 400
    assert api.post(URL, {}, format="json").status_code == 400


def test_when_lookup_is_off_it_answers_503_saying_to_import_a_file(api, lookup_stub, settings):
    settings.LOOKUP_ENABLED = False
    response = api.post(URL, {"identifiers": "99999302"}, format="json")
    assert response.status_code == 503
    assert "LOOKUP_ENABLED=false" in response.json()["detail"]
    assert "/api/studies/import/" in response.json()["detail"]
    assert lookup_stub.requests == []


def test_readers_and_anonymous_clients_may_not(reader, lookup_stub):
    client = APIClient()
    assert client.post(URL, {"identifiers": "99999302"}, format="json").status_code == 401
    client.force_authenticate(reader)
    assert client.post(URL, {"identifiers": "99999302"}, format="json").status_code == 403
    assert lookup_stub.requests == []
