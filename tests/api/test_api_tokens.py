"""API tokens (django-rest-knox): `manage.py create_api_token` prints a new token once; only its
digest is stored; it expires; the admin issues, rotates and revoke tokens (issue 11, items 11
and 12)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

PASSWORD = "a-synthetic-password-for-tests"


def create_token(*args):
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def may_write(key):
    """Whether `key` authenticates a write (a researcher's, or better, role)."""
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    status = client.post("/api/studies/", {"title": "Synthetic study from a script"}).status_code
    assert status in (201, 401), status
    return status == 201


def stored_values():
    """Every value of every token row, as text: where a key in clear would show."""
    return [str(value) for row in AuthToken.objects.values_list() for value in row]


def test_it_prints_a_new_token_that_acts_with_the_users_role(researcher):
    key = create_token("researcher")
    assert may_write(key)
    assert AuthToken.objects.get(user=researcher).user == researcher


def test_the_token_is_stored_as_a_digest_never_in_clear(researcher):
    key = create_token("researcher")
    assert not any(key in value for value in stored_values())


def test_each_run_issues_another_token_and_both_work(researcher):
    first, second = create_token("researcher"), create_token("researcher")
    assert first != second
    assert may_write(first) and may_write(second)


def test_reset_revokes_the_users_other_tokens(researcher):
    old = create_token("researcher")
    new = create_token("researcher", "--reset")
    assert new != old
    assert not may_write(old)
    assert may_write(new)


def test_a_token_expires_after_the_configured_lifetime(researcher, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=3)}
    before = timezone.now()
    create_token("researcher")
    expiry = AuthToken.objects.get(user=researcher).expiry
    assert before + timedelta(days=3) <= expiry <= timezone.now() + timedelta(days=3)


def test_an_expired_token_is_refused(researcher):
    key = create_token("researcher")
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert not may_write(key)


def test_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        create_token("nobody")


# --- The admin ---------------------------------------------------------------------------------

TOKENS = "/admin/knox/authtoken/"


def group_admin():
    """A member of the admin group who is not a superuser (issue 11, item 12)."""
    member = User.objects.create_user("group-admin", password=PASSWORD, is_staff=True)
    member.groups.add(Group.objects.get(name="admin"))
    return member


def issue_in_the_admin(client, user):
    expiry = timezone.localtime() + timedelta(days=30)
    response = client.post(
        f"{TOKENS}add/",
        {"user": user.pk, "expiry_0": expiry.date().isoformat(), "expiry_1": "12:00:00"},
    )
    assert response.status_code == 200
    assert "issued" in response.context, response.context["adminform"].form.errors
    return response, response.context["issued"]


def test_admins_list_tokens_in_the_admin(client, admin_user, researcher):
    create_token("researcher")
    client.force_login(admin_user)
    response = client.get(TOKENS)
    assert response.status_code == 200
    assert "researcher" in response.content.decode()


@pytest.mark.parametrize("who", ["superuser", "admin group"])
def test_an_admin_issues_a_token_whose_key_is_shown_once_and_works(client, db, who, researcher):
    member = group_admin() if who == "admin group" else User.objects.create_superuser("root")
    client.force_login(member)
    response, issued = issue_in_the_admin(client, researcher)
    [(user, key)] = issued
    assert user == researcher
    assert key in response.content.decode()
    assert may_write(key)
    assert not any(key in value for value in stored_values())
    # Not in a message (a cookie or the session) either: the next page does not show it.
    assert key not in client.get(TOKENS).content.decode()


def test_a_member_of_the_admin_group_revokes_a_token(client, researcher):
    key = create_token("researcher")
    token = AuthToken.objects.get(user=researcher)
    client.force_login(group_admin())
    response = client.post(
        TOKENS, {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AuthToken.objects.exists()
    assert not may_write(key)


def test_rotating_replaces_the_token_and_shows_the_new_key_once(client, researcher):
    old = create_token("researcher")
    token = AuthToken.objects.get(user=researcher)
    client.force_login(group_admin())
    response = client.post(TOKENS, {"action": "rotate", "_selected_action": [token.pk]})
    assert response.status_code == 200
    [(user, new)] = response.context["issued"]
    assert user == researcher and new in response.content.decode()
    assert not may_write(old)
    assert may_write(new)


def test_a_users_page_links_to_their_tokens_and_to_issuing_one(client, researcher):
    create_token("researcher")
    client.force_login(group_admin())
    page = client.get(reverse("admin:auth_user_change", args=[researcher.pk])).content.decode()
    tokens = f"{TOKENS}?user__id__exact={researcher.pk}"
    assert f'href="{tokens}"' in page
    assert f'href="{TOKENS}add/?user={researcher.pk}"' in page
    listed = client.get(tokens)
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == list(AuthToken.objects.filter(user=researcher))


def test_an_inactive_user_is_not_issued_a_token(client, researcher):
    researcher.is_active = False
    researcher.save()
    client.force_login(group_admin())
    expiry = timezone.localtime() + timedelta(days=30)
    response = client.post(
        f"{TOKENS}add/",
        {"user": researcher.pk, "expiry_0": expiry.date().isoformat(), "expiry_1": "12:00:00"},
    )
    assert "is not active" in response.content.decode()
    assert not AuthToken.objects.exists()


def test_a_grader_cannot_reach_the_tokens(client, grader):
    client.force_login(grader)
    assert client.get(TOKENS).status_code == 403


def test_a_tokens_page_is_read_only_and_never_shows_its_key(client, researcher):
    key = create_token("researcher")
    token = AuthToken.objects.get(user=researcher)
    client.force_login(group_admin())
    page = client.get(reverse("admin:knox_authtoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert 'name="expiry' not in page.content.decode()
    assert key not in page.content.decode()
    assert client.post(reverse("admin:knox_authtoken_change", args=[token.pk]), {}).status_code == 403
