"""/healthz: what a load balancer or an uptime check asks (issue 11, production serving)."""

from unittest import mock

import pytest
from django.db import OperationalError, connection


def test_it_answers_ok_when_the_database_answers(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_it_answers_503_when_the_database_cannot_be_reached(client, db):
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_it_needs_no_login_sets_no_cookie_and_takes_any_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["evidence.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")  # a balancer asks by address
    assert response.status_code == 200
    assert not response.cookies
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # the rest checks it


@pytest.mark.parametrize("method", ["post", "delete"])
def test_it_only_reads(client, db, method):
    response = getattr(client, method)("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
