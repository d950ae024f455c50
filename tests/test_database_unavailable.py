"""A request that loses the database answers 503 (config.middleware.DatabaseUnavailableMiddleware):
a plain page, or the API's JSON error, with Retry-After; never a 500.

Here the connection is patched to fail, the way a stopped server makes it fail; tests/faults/
stops a real PostgreSQL under an import and a publish (make test-faults). The fixture
cut_database is in tests/conftest.py."""

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError

from config.middleware import DATABASE_DOWN, RETRY_AFTER_SECONDS


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_a_page_that_loses_the_database_answers_503_with_a_plain_page(client, cut_database):
    cut_database()
    response = client.get("/claims/")
    assert_unavailable(response)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<h1>The database is unavailable</h1>" in page
    assert DATABASE_DOWN in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_the_page_of_a_signed_in_grader_does_not_read_the_user_from_the_lost_database(
    client, grader, cut_database
):
    client.force_login(grader)
    cut_database()
    response = client.get("/grading/")
    assert_unavailable(response)
    assert "The database is unavailable" in response.content.decode()


def test_the_api_answers_503_in_its_json_error_shape(client, cut_database):
    cut_database()
    response = client.get("/api/claims/")
    assert_unavailable(response)
    assert response.json() == {"detail": DATABASE_DOWN}


def test_a_write_that_loses_the_database_answers_503_too(client, grader, cut_database):
    client.force_login(grader)
    cut_database()
    response = client.post("/api/claims/any-claim/consensus/", {}, content_type="application/json")
    assert_unavailable(response)
    assert response.json() == {"detail": DATABASE_DOWN}


def test_a_connection_closed_under_the_request_is_a_503_too(client, cut_database):
    cut_database(InterfaceError)
    assert_unavailable(client.get("/claims/"))


def test_other_database_errors_stay_errors_of_the_site(client, cut_database):
    cut_database(IntegrityError)
    with pytest.raises(IntegrityError):
        client.get("/claims/")


def test_the_lost_database_is_logged_with_its_traceback(client, cut_database, caplog):
    cut_database()
    client.get("/claims/")
    record = next(r for r in caplog.records if r.name == "config.middleware")
    assert record.levelname == "ERROR"
    assert "The database is unavailable (connection to server" in record.getMessage()
    assert record.exc_info[0] is OperationalError
