"""Shared personas, one per role of DESIGN.md, and the seed data."""

import io
import json
import logging

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connections

from claims.roles import Role
from config.logs import JsonFormatter
from tests.factories import UserFactory

# The suite makes many API requests from one address in little time: it runs with rates no test
# reaches, and each test starts with no request counted. tests/api/test_throttling.py sets low
# rates to see the limits work; the throttles themselves stay on.
TEST_THROTTLE_RATES = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def api_throttle_rates_for_tests(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": TEST_THROTTLE_RATES,
    }
    cache.clear()
    yield
    cache.clear()


# The product never calls the outside web in tests: the look-up's services (NCBI, Crossref)
# point at a closed local port unless a test serves recorded answers (tests/evidence/conftest.py,
# lookup_stub).
CLOSED_PORT = "http://127.0.0.1:9/"


@pytest.fixture(autouse=True)
def lookup_services_unreachable(settings):
    settings.NCBI_EUTILS_URL = settings.NCBI_IDCONV_URL = settings.CROSSREF_API_URL = CLOSED_PORT
    settings.LOOKUP_RETRIES = 0


@pytest.fixture
def waits(monkeypatch):
    """The look-up client's waits (backoff, the rate limiter), recorded instead of slept."""
    from evidence.lookup import http

    slept = []
    monkeypatch.setattr(http, "_sleep", slept.append)
    return slept


@pytest.fixture
def lookup_stub(settings, waits):
    """NCBI and Crossref as a local HTTP server serving synthetic recorded answers
    (tests/evidence/lookup_stub.py)."""
    from tests.evidence.lookup_stub import StubServer

    with StubServer() as stub:
        settings.LOOKUP_ENABLED = True
        settings.NCBI_EUTILS_URL = f"{stub.url}/eutils/"
        settings.NCBI_IDCONV_URL = f"{stub.url}/idconv/"
        settings.CROSSREF_API_URL = f"{stub.url}/crossref/"
        settings.LOOKUP_MAILTO = "lookup-tests@example.org"
        settings.NCBI_API_KEY = ""
        settings.LOOKUP_RETRIES = 2
        settings.LOOKUP_TIMEOUT_SECONDS = 5
        yield stub


def _member(role, **extra):
    user = UserFactory(username=str(role), **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def reader(db):
    return _member(Role.READER)


@pytest.fixture
def researcher(db):
    return _member(Role.RESEARCHER, is_staff=True)


@pytest.fixture
def grader(db):
    return _member(Role.GRADER, is_staff=True)


@pytest.fixture
def admin_user(db):
    return _member(Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def seed(db):
    """The seed article, claims, studies, findings and provisional grades (fixtures/seed.json)."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture
def second_grader(db):
    user = UserFactory(username="second-grader", is_staff=True)
    user.groups.add(Group.objects.get(name=Role.GRADER))
    return user


@pytest.fixture
def cut_database(db):
    """cut_database(): from now on every query fails, as if the database server had stopped
    (cut_database(InterfaceError): as if the connection had been closed). For the unit tests of
    what the pages, the API and the commands say then; tests/faults/ stops a real server."""
    error = {"class": OperationalError}
    connection = connections["default"]

    def down(*args, **kwargs):
        raise error["class"]('connection to server at "127.0.0.1", port 5432 failed: refused')

    def cut(error_class=OperationalError):
        error["class"] = error_class
        connection.ensure_connection = down

    yield cut
    connection.__dict__.pop("ensure_connection", None)


@pytest.fixture
def request_lines():
    """What the configured handler of config.requests writes (stdout under gunicorn), here."""
    logger = logging.getLogger("config.requests")
    (handler,) = [h for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]
    stream, level = io.StringIO(), logger.level
    previous = handler.setStream(stream)
    logger.setLevel(logging.INFO)  # REQUEST_LOG: on by default only with DEBUG off
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)
    logger.setLevel(level)
