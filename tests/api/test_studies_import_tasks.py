"""POST /api/studies/import/ of a file of more than IMPORT_IN_BACKGROUND_OVER records: 202 and
the address to follow, GET /api/studies/imports/<id>/ until it has finished."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import ImportStatus, Study, StudyImport
from tests.api.conftest import token_client
from tests.evidence.importing import ris, stored_import
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_IN_BACKGROUND_OVER = 3


def post_file(client, count):
    upload = SimpleUploadedFile("large.ris", ris(count).encode())
    return client.post("/api/studies/import/", {"file": upload}, format="multipart")


def test_a_large_file_is_accepted_and_followed_to_its_result(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("researcher")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = post_file(client, 5)

    assert response.status_code == 202, response.content
    study_import = StudyImport.objects.get()
    url = f"http://testserver/api/studies/imports/{study_import.pk}/"
    assert response["Location"] == url
    body = response.json()
    assert (body["url"], body["status"], body["records_total"], body["records_done"]) == (
        url,
        "queued",
        5,
        0,
    )
    assert len(queued) == 1  # the task, enqueued once the upload commits
    assert not Study.objects.exists()

    queued[0]()  # the worker runs it
    body = client.get(url).json()
    assert (body["status"], body["records_done"], body["created"]) == ("imported", 5, 5)
    assert body["summary"] == "5 created, 0 duplicates, 0 possible duplicates, 0 errors"
    assert [outcome["number"] for outcome in body["outcomes"]] == [1, 2, 3, 4, 5]
    assert Study.objects.count() == 5


def test_a_small_file_is_still_imported_at_once(client_for):
    response = post_file(client_for("researcher"), 3)
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 3
    assert StudyImport.objects.get().status == ImportStatus.IMPORTED


def test_a_dry_run_of_a_large_file_answers_at_once_and_writes_nothing(client_for):
    upload = SimpleUploadedFile("large.ris", ris(5).encode())
    response = client_for("researcher").post(
        "/api/studies/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 5
    assert not StudyImport.objects.exists()
    assert not Study.objects.exists()


def test_the_sender_sees_progress_without_the_outcomes_while_it_runs(client_for, researcher):
    study_import = stored_import(
        researcher,
        5,
        status=ImportStatus.RUNNING,
        records_done=2,
        created=2,
        outcomes=[{"number": 1}, {"number": 2}],
    )
    body = client_for("researcher").get(f"/api/studies/imports/{study_import.pk}/").json()
    assert (body["status"], body["records_done"], body["outcomes"]) == ("running", 2, [])


def test_a_reader_does_not_see_another_persons_import(reader, researcher):
    study_import = stored_import(researcher)
    client = token_client(reader)
    assert client.get(f"/api/studies/imports/{study_import.pk}/").status_code == 404


def test_an_anonymous_client_is_asked_to_sign_in(api, researcher):
    study_import = stored_import(researcher)
    assert api.get(f"/api/studies/imports/{study_import.pk}/").status_code == 401


def test_a_user_without_the_view_permission_sees_their_own_import(db):
    sender = UserFactory()
    study_import = stored_import(sender)
    response = token_client(sender).get(f"/api/studies/imports/{study_import.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "uploaded"
