"""claims.services.user_set_role: an account's one role, and the staff status that follows."""

from django.contrib.auth.models import Group

from claims.roles import Role, role_of
from claims.services import user_set_role
from tests.factories import UserFactory


def names(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_a_work_role_makes_the_account_staff(db):
    user = UserFactory(is_staff=False)
    user_set_role(user=user, role=Role.RESEARCHER)
    user.refresh_from_db()
    assert (names(user), user.is_staff) == (["researcher"], True)


def test_a_new_role_replaces_the_old_one_and_keeps_groups_that_are_not_roles(db):
    user = UserFactory(is_staff=True)
    team = Group.objects.create(name="synthetic mailing list")
    user.groups.add(Group.objects.get(name=Role.RESEARCHER), team)
    user_set_role(user=user, role=Role.GRADER)
    assert names(user) == ["grader", "synthetic mailing list"]


def test_the_reader_role_takes_signing_in_away(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=Role.ADMIN))
    user_set_role(user=user, role="reader")
    user.refresh_from_db()
    assert (names(user), user.is_staff) == (["reader"], False)


def test_the_role_of_an_account_in_several_role_groups_is_the_widest(db):
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=[Role.RESEARCHER, Role.GRADER]))
    assert role_of(user) == Role.GRADER
    assert role_of(UserFactory()) is None
