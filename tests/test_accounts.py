"""Signing in, who may change accounts (issue 11, item 12), and giving an account its role in one
form (issue 12, item 5)."""

import pytest
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
            "role": "admin",
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


def names(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_an_admin_gives_a_new_account_its_role_in_one_form_and_it_can_sign_in(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-grader",
            "email": "new-grader@example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "grader",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new-grader")
    assert (names(user), user.is_staff, user.is_superuser) == (["grader"], True, False)

    client.logout()
    response = client.post(
        reverse("admin:login") + "?next=/grading/",
        {"username": "new-grader", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/grading/"
    assert client.get("/grading/").status_code == 200


def test_the_add_form_offers_the_roles_and_starts_at_researcher(client, admin_user):
    client.force_login(admin_user)
    form = client.get(reverse("admin:auth_user_add")).context["adminform"].form
    assert [value for value, _ in form.fields["role"].choices] == [
        "researcher",
        "grader",
        "admin",
        "reader",
    ]
    assert form.fields["role"].initial == "researcher"


def test_a_new_account_needs_a_role(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "no-role", "usable_password": "false"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == ["This field is required."]
    assert not User.objects.filter(username="no-role").exists()


def change(client, user, role, **fields):
    return client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "role": role,
            **fields,
        },
    )


def test_a_users_page_shows_their_role_and_changing_it_replaces_the_old_one(
    client, admin_user, researcher
):
    client.force_login(admin_user)
    page = client.get(reverse("admin:auth_user_change", args=[researcher.pk]))
    assert page.context["adminform"].form.fields["role"].initial == "researcher"

    assert change(client, researcher, "grader").status_code == 302
    researcher.refresh_from_db()
    assert (names(researcher), researcher.is_staff) == (["grader"], True)


def test_taking_every_work_role_away_also_takes_away_signing_in(client, admin_user, grader):
    client.force_login(admin_user)
    assert change(client, grader, "reader").status_code == 302
    grader.refresh_from_db()
    assert (names(grader), grader.is_staff) == (["reader"], False)


def test_nobody_changes_their_own_role(client, db):
    member = User.objects.create_user("group-admin", password=PASSWORD, is_staff=True)
    member.groups.add(Group.objects.get(name="admin"))
    client.force_login(member)
    page = client.get(reverse("admin:auth_user_change", args=[member.pk]))
    assert page.context["adminform"].form.fields["role"].disabled

    change(client, member, "reader")
    member.refresh_from_db()
    assert (names(member), member.is_staff) == (["admin"], True)


@pytest.mark.parametrize("accounts", [2, 6])
def test_the_account_list_shows_each_role_in_the_same_queries_however_many(
    accounts, client, admin_user, django_assert_num_queries
):
    for number in range(accounts):
        user = User.objects.create_user(f"synthetic-{number}")
        user.groups.add(Group.objects.get(name="grader" if number % 2 else "researcher"))
    client.force_login(admin_user)
    with django_assert_num_queries(7):
        page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert page.count('class="field-role">grader<') == accounts // 2
    assert page.count('class="field-role">researcher<') == accounts - accounts // 2
    assert 'class="field-role">admin, superuser<' in page


def test_saving_an_account_with_no_role_group_leaves_its_access_alone(client, admin_user):
    owner = User.objects.create_superuser("owner", password=PASSWORD)  # createsuperuser's kind
    client.force_login(admin_user)
    response = change(client, owner, "", email="owner@example.org", is_superuser="on")
    assert response.status_code == 302, response.context["adminform"].form.errors
    owner.refresh_from_db()
    assert (owner.email, owner.is_staff, names(owner)) == ("owner@example.org", True, [])


def test_the_admin_group_cannot_change_a_superusers_account(client, db):
    member = User.objects.create_user("group-admin", password=PASSWORD, is_staff=True)
    member.groups.add(Group.objects.get(name="admin"))
    owner = User.objects.create_superuser("owner", password=PASSWORD)
    client.force_login(member)
    change(client, owner, "reader")
    owner.refresh_from_db()
    assert owner.is_staff and owner.is_active
    password = reverse("admin:auth_user_password_change", args=[owner.pk])
    assert client.get(password).status_code == 403


def test_nobody_deactivates_their_own_account(client, admin_user):
    client.force_login(admin_user)
    change(client, admin_user, "admin", is_active="")
    admin_user.refresh_from_db()
    assert admin_user.is_active
