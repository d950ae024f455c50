"""A finding is approved by someone other than its author (four eyes), unless the team says
otherwise with FINDING_SELF_APPROVAL (a one-person team): the service decides, so the admin's
action and the API obey alike."""

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims.models import FindingStatus
from claims.services import finding_approve
from tests.api.conftest import token_client
from tests.factories import FindingFactory


def _own_submitted_finding(author):
    return FindingFactory(status=FindingStatus.SUBMITTED, created_by=author, study__design="rct")


def _approve_in_the_admin(client, user, finding):
    client.force_login(user)
    return client.post(
        reverse("admin:claims_finding_changelist"),
        {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [finding.pk]},
        follow=True,
    )


def test_the_setting_is_off_by_default(settings):
    assert settings.FINDING_SELF_APPROVAL is False


def test_the_service_refuses_a_grader_approving_their_own_finding(grader):
    finding = _own_submitted_finding(grader)
    with pytest.raises(PermissionDenied, match="may not approve a finding of their own"):
        finding_approve(finding=finding, by=grader)
    finding.refresh_from_db()
    assert (finding.status, finding.reviewed_by) == (FindingStatus.SUBMITTED, None)


def test_an_admin_does_not_approve_their_own_finding_either(admin_user):
    finding = _own_submitted_finding(admin_user)
    with pytest.raises(PermissionDenied):
        finding_approve(finding=finding, by=admin_user)


def test_another_grader_approves_it(grader, second_grader):
    finding = _own_submitted_finding(grader)
    finding_approve(finding=finding, by=second_grader)
    finding.refresh_from_db()
    assert (finding.status, finding.reviewed_by) == (FindingStatus.APPROVED, second_grader)


def test_the_api_answers_403_to_a_grader_approving_their_own_finding(grader):
    finding = _own_submitted_finding(grader)
    response = token_client(grader).post(f"/api/findings/{finding.pk}/approve/")
    assert response.status_code == 403, response.content
    assert "may not approve a finding of their own" in response.json()["detail"]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED


def test_the_admin_action_leaves_a_graders_own_finding_unapproved_and_says_why(
    client, grader, second_grader
):
    own = _own_submitted_finding(grader)
    response = _approve_in_the_admin(client, grader, own)
    own.refresh_from_db()
    assert own.status == FindingStatus.SUBMITTED
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Approved 0 findings." in said
    assert (
        "Left 1 finding of your own unchanged: another grader approves it "
        "(FINDING_SELF_APPROVAL is off)." in said
    )

    _approve_in_the_admin(client, second_grader, own)
    own.refresh_from_db()
    assert (own.status, own.reviewed_by) == (FindingStatus.APPROVED, second_grader)


def test_a_one_person_team_turns_self_approval_on(settings, client, grader):
    settings.FINDING_SELF_APPROVAL = True
    by_service = _own_submitted_finding(grader)
    finding_approve(finding=by_service, by=grader)
    by_api = _own_submitted_finding(grader)
    assert token_client(grader).post(f"/api/findings/{by_api.pk}/approve/").status_code == 200
    by_admin = _own_submitted_finding(grader)
    _approve_in_the_admin(client, grader, by_admin)
    for finding in (by_service, by_api, by_admin):
        finding.refresh_from_db()
        assert (finding.status, finding.reviewed_by) == (FindingStatus.APPROVED, grader)
