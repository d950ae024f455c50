"""manage.py create_api_token: a script's token, acting with its user's role."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def create_token(*args):
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_users_token_and_the_token_acts_with_the_users_role(researcher):
    key = create_token("researcher")
    assert Token.objects.get(user=researcher).key == key
    assert create_token("researcher") == key  # the same token, not a new one each time
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post("/api/studies/", {"title": "Synthetic study from a script"})
    assert response.status_code == 201


def test_reset_replaces_the_token_and_the_old_one_stops_working(researcher):
    old = create_token("researcher")
    new = create_token("researcher", "--reset")
    assert new != old
    client = APIClient(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.post("/api/studies/", {"title": "Synthetic"}).status_code == 401


def test_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        create_token("nobody")


def test_admins_manage_tokens_in_the_admin(client, admin_user, researcher):
    create_token("researcher")
    client.force_login(admin_user)
    response = client.get("/admin/authtoken/tokenproxy/")
    assert response.status_code == 200
    assert "researcher" in response.content.decode()
