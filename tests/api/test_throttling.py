"""The API throttles anonymous clients per address and signed-in users per user (REST
framework's throttles; issue 11, item 11): past the rate, a 429 in the API's error shape with
Retry-After. The suite runs with high rates (tests/conftest.py); these tests set low ones."""

import pytest

from tests.api.conftest import token_client
from tests.factories import UserFactory


@pytest.fixture
def rates(settings):
    def set_rates(anon="1000/minute", user="1000/minute"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
        }

    return set_rates


def reads(client, times, **extra):
    return [client.get("/api/studies/", **extra) for _ in range(times)]


def test_an_anonymous_client_past_the_rate_is_answered_429_with_retry_after(api, rates):
    rates(anon="5/minute")
    responses = reads(api, 6)
    assert [r.status_code for r in responses] == [200] * 5 + [429]
    refused = responses[-1]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Content-Type"] == "application/json"
    assert set(refused.json()) == {"detail"}
    assert "throttled" in refused.json()["detail"]


def test_the_anonymous_rate_is_per_address(api, rates):
    rates(anon="5/minute")
    reads(api, 5, REMOTE_ADDR="192.0.2.1")
    assert api.get("/api/studies/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api.get("/api/studies/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_forwarded_for_header_does_not_make_a_new_client(api, rates):
    rates(anon="5/minute")
    for n in range(5):
        api.get("/api/studies/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert api.get("/api/studies/", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_a_user_past_the_user_rate_is_answered_429_whatever_their_address(researcher, rates):
    rates(user="5/minute")
    client = token_client(researcher)
    for n in range(5):
        assert client.get("/api/studies/", REMOTE_ADDR=f"192.0.2.{n}").status_code == 200
    refused = client.get("/api/studies/", REMOTE_ADDR="192.0.2.50")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_the_user_rate_is_per_user(researcher, rates):
    rates(user="5/minute")
    reads(token_client(researcher), 5)
    assert token_client(researcher).get("/api/studies/").status_code == 429
    assert token_client(UserFactory(username="another")).get("/api/studies/").status_code == 200


def test_signed_in_users_are_not_held_to_the_anonymous_rate(researcher, rates):
    rates(anon="5/minute", user="50/minute")
    assert [r.status_code for r in reads(token_client(researcher), 10)] == [200] * 10


def test_writes_are_throttled_too(researcher, rates):
    rates(user="2/minute")
    client = token_client(researcher)
    for n in range(2):
        assert client.post("/api/studies/", {"title": f"Synthetic {n}"}).status_code == 201
    assert client.post("/api/studies/", {"title": "Synthetic 3"}).status_code == 429


@pytest.mark.parametrize(
    "path", ["/api/studies/export.csv", "/api/claims/export.csv", "/api/claims/claimreview.jsonld"]
)
def test_a_download_past_the_rate_is_a_429_in_json_too(api, rates, path):
    rates(anon="1/minute")
    assert api.get(path).status_code == 200
    refused = api.get(path)
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) > 0


def test_every_operation_of_the_schema_documents_the_429_and_retry_after(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert operations
    for path, method, operation in operations:
        throttled = operation["responses"].get("429")
        assert throttled is not None, f"{method} {path}"
        assert "Retry-After" in throttled["headers"]
        assert "ErrorDetail" in throttled["content"]["application/json"]["schema"]["$ref"]
