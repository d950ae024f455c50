"""Repeated failed sign-ins lock the user name at that address (django-axes; issue 11, item 11):
LOGIN_FAILURE_LIMIT failures, then even the right password is refused until the cool-off
passes or an admin unlocks it."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

PASSWORD = "a-synthetic-password-for-tests"
LIMIT = 3


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    # A fast hasher: these tests check passwords dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(db):
    return User.objects.create_user("staff-member", password=PASSWORD, is_staff=True)


def sign_in(client, password, username="staff-member", address="192.0.2.10", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(response):
    return response.status_code == 302 and response.headers["Location"] == "/admin/"


def fail(client, times, **kwargs):
    for n in range(times):
        response = sign_in(client, f"wrong-{n}", **kwargs)
        assert not signed_in(response)
    return response


def test_the_right_password_after_the_limit_of_wrong_ones_is_refused(client, member):
    fail(client, LIMIT)
    response = sign_in(client, PASSWORD)
    assert not signed_in(response)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "15 minutes" in page and "staff-member" in page
    assert int(response.headers["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, member):
    fail(client, LIMIT - 1)
    assert signed_in(sign_in(client, PASSWORD))


def test_a_success_starts_the_count_again(client, member):
    fail(client, LIMIT - 1)
    assert signed_in(sign_in(client, PASSWORD))
    client.logout()
    fail(client, LIMIT - 1)
    assert signed_in(sign_in(client, PASSWORD))


def test_the_lock_ends_after_the_cool_off(client, member):
    fail(client, LIMIT)
    assert not signed_in(sign_in(client, PASSWORD))
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(sign_in(client, PASSWORD))


def test_axes_reset_unlocks(client, member):
    fail(client, LIMIT)
    call_command("axes_reset_username", "staff-member", stdout=StringIO())
    assert signed_in(sign_in(client, PASSWORD))


def test_a_member_of_the_admin_group_unlocks_in_the_admin(client, member):
    fail(client, LIMIT)
    unlocker = User.objects.create_user("group-admin", password=PASSWORD, is_staff=True)
    unlocker.groups.add(Group.objects.get(name="admin"))
    admin_client = client.__class__()
    admin_client.force_login(unlocker)
    attempts = reverse("admin:axes_accessattempt_changelist")
    assert "staff-member" in admin_client.get(attempts).content.decode()
    response = admin_client.post(
        attempts,
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert signed_in(sign_in(client, PASSWORD))


def test_the_lock_is_for_that_user_name_at_that_address(client, member):
    User.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    fail(client, LIMIT)
    assert signed_in(sign_in(client.__class__(), PASSWORD, address="192.0.2.99"))
    assert signed_in(sign_in(client.__class__(), PASSWORD, username="colleague"))


def test_a_forwarded_for_header_is_ignored_without_a_trusted_proxy(client, member):
    fail(client, LIMIT, HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"address": "10.0.0.1"}
    fail(client, LIMIT, HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.1", **proxy)
    # Another client behind the same proxy is not locked out ...
    other = sign_in(client.__class__(), PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert signed_in(other)
    # ... and the locked one cannot get out by choosing what it sends on the left.
    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="anything, 198.51.100.1", **proxy)
    assert response.status_code == 429
