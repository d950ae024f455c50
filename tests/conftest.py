"""Shared personas, one per role of DESIGN.md, and the seed data."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from claims.roles import Role
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
