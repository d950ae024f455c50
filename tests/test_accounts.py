"""Signing in, and who may change accounts (issue 11, item 12)."""

from django.contrib.auth.models import Group, User
from django.urls import reverse

PASSWORD = "a-synthetic-password-for-tests"


def test_an_unsafe_next_address_lands_on_the_admin_not_on_a_404(client, researcher):
    researcher.set_password(PASSWORD)
    researcher.save()
    response = client.post(
        reverse("admin:login") + "?next=https://elsewhere.example/",
        {"username": "researcher", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("admin:index")


def test_a_member_of_the_admin_group_cannot_make_anyone_a_superuser(client, db):
    member = User.objects.create_user("group-admin", password=PASSWORD, is_staff=True)
    member.groups.add(Group.objects.get(name="admin"))
    client.force_login(member)
    page = client.get(reverse("admin:auth_user_change", args=[member.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    client.post(
        reverse("admin:auth_user_change", args=[member.pk]),
        {
            "username": "group-admin",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [str(Group.objects.get(name="admin").pk)],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    member.refresh_from_db()
    assert not member.is_superuser


def test_a_superuser_still_makes_superusers(client, admin_user, researcher):
    client.force_login(admin_user)
    page = client.get(reverse("admin:auth_user_change", args=[researcher.pk])).content.decode()
    assert 'name="is_superuser"' in page
