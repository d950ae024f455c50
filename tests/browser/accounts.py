"""Accounts for the browser tests: a member of a role (given as the admin gives it,
claims.services.user_set_role) and signing in on the admin's sign-in page."""

from django.contrib.auth.models import User

from claims.services import user_set_role

PASSWORD = "a-synthetic-password-for-tests"


def member(username, role):
    return user_set_role(user=User.objects.create_user(username, password=PASSWORD), role=role)


def log_in(page, username):
    """On the sign-in page the browser is on (e.g. /admin/login/?next=…)."""
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
