"""POST /api/regrades/ starts a regrade of the library, which the task worker runs: 202 and the
address to follow, GET /api/regrades/<id>/ until it is done. Graders and admins only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import RegradeRun
from claims.services import regrade_start
from tests.factories import ClaimFactory, FindingFactory


@pytest.fixture
def library(db):
    for _ in range(3):
        FindingFactory(claim=ClaimFactory())


def test_a_start_is_accepted_and_followed_to_its_result(
    library, client_for, django_capture_on_commit_callbacks
):
    client = client_for("grader")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/api/regrades/", {"every_claim": True}, format="json")

    assert response.status_code == 202, response.content
    run = RegradeRun.objects.get()
    url = f"http://testserver/api/regrades/{run.pk}/"
    assert response["Location"] == url
    body = response.json()
    assert (body["url"], body["status"], body["started"], body["every_claim"]) == (
        url,
        "queued",
        True,
        True,
    )
    assert (body["total"], body["looked_at"], body["regraded"], body["started_by"]) == (
        3,
        0,
        0,
        "grader",
    )
    assert len(queued) == 1  # the task, enqueued once the start commits

    queued[0]()  # the worker runs it
    body = client.get(url).json()
    assert (body["status"], body["looked_at"], body["regraded"]) == ("done", 3, 3)
    assert body["summary"] == "3 of 3 claims regraded"
    assert body["finished_at"] is not None and body["error"] == ""


def test_without_a_body_it_regrades_the_changed_claims(library, client_for):
    response = client_for("admin_user").post("/api/regrades/")
    assert response.status_code == 202, response.content
    assert response.json()["every_claim"] is False


@pytest.mark.parametrize("value", [0, 1, "true", []])
def test_every_claim_in_json_must_be_true_or_false(value, library, client_for):
    response = client_for("grader").post("/api/regrades/", {"every_claim": value}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"every_claim": ["Must be a valid boolean."]}
    assert not RegradeRun.objects.exists()


def test_every_claim_may_not_be_null(library, client_for):
    response = client_for("grader").post("/api/regrades/", {"every_claim": None}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"every_claim": ["This field may not be null."]}
    assert not RegradeRun.objects.exists()


def test_a_second_start_returns_the_one_in_progress_and_says_so(library, client_for, grader):
    first, _ = regrade_start(by=grader)
    response = client_for("admin_user").post("/api/regrades/", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["started"]) == (first.pk, False)
    assert body["message"] == (
        "A regrade started by grader is still in progress, so no other was started: this is it."
    )
    assert response["Location"] == f"http://testserver/api/regrades/{first.pk}/"
    assert RegradeRun.objects.count() == 1


def test_a_stalled_run_says_so_and_does_not_block_a_new_one(library, client_for, grader):
    stalled, _ = regrade_start(by=grader)
    RegradeRun.objects.filter(pk=stalled.pk).update(
        status="running", progressed_at=timezone.now() - timedelta(hours=1)
    )
    client = client_for("grader")
    assert client.get(f"/api/regrades/{stalled.pk}/").json()["stalled"] is True
    response = client.post("/api/regrades/")
    assert response.status_code == 202
    assert response.json()["id"] != stalled.pk
    assert client.get(f"/api/regrades/{stalled.pk}/").json()["status"] == "failed"


@pytest.mark.parametrize("role", ["reader", "researcher"])
def test_readers_and_researchers_may_neither_start_nor_follow_one(
    library, client_for, grader, role
):
    run, _ = regrade_start(by=grader)
    client = client_for(role)
    assert client.post("/api/regrades/").status_code == 403
    assert client.get(f"/api/regrades/{run.pk}/").status_code == 403
    assert RegradeRun.objects.count() == 1


def test_an_anonymous_client_is_asked_to_sign_in(library, api, grader):
    run, _ = regrade_start(by=grader)
    assert api.post("/api/regrades/").status_code == 401
    assert api.get(f"/api/regrades/{run.pk}/").status_code == 401


def test_a_flag_that_is_not_a_boolean_is_a_400(library, client_for):
    response = client_for("grader").post("/api/regrades/", {"every_claim": "maybe"}, format="json")
    assert response.status_code == 400
    assert "every_claim" in response.json()
    assert not RegradeRun.objects.exists()


def test_following_a_regrade_that_does_not_exist_is_a_404(client_for):
    assert client_for("grader").get("/api/regrades/999/").status_code == 404


def test_following_one_runs_a_fixed_number_of_queries(
    library, client_for, grader, django_assert_num_queries
):
    run, _ = regrade_start(by=grader)
    client = client_for("grader")
    # the token with its user (knox reads the token twice), the user's permissions (their
    # own, their groups'), the run with who started it
    with django_assert_num_queries(5):
        assert client.get(f"/api/regrades/{run.pk}/").status_code == 200
