"""Who may open each grading page: every role, every page."""

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, StudyFactory

# role fixture -> expected status for (queue, appraise, assess, consensus); 302: to the login
EXPECTED = {
    "reader": (302, 302, 302, 302),
    "researcher": (200, 403, 403, 403),
    "grader": (200, 200, 200, 403),  # consensus: nobody has submitted yet
    "admin_user": (200, 200, 200, 403),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_reaches_only_its_grading_pages(client, db, request, role):
    user = request.getfixturevalue(role)
    claim = ClaimFactory(slug="c")
    study = StudyFactory(design="rct")
    client.force_login(user)
    urls = (
        reverse("grading:queue"),
        reverse("grading:appraise", args=[study.pk]),
        reverse("grading:assess", args=[claim.slug]),
        reverse("grading:consensus", args=[claim.slug]),
    )
    assert tuple(client.get(url).status_code for url in urls) == EXPECTED[role]


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_grading_page(client, db):
    claim = ClaimFactory(slug="c")
    study = StudyFactory(design="rct")
    for url in (
        reverse("grading:queue"),
        reverse("grading:appraise", args=[study.pk]),
        reverse("grading:assess", args=[claim.slug]),
        reverse("grading:consensus", args=[claim.slug]),
    ):
        assert client.get(url).status_code == 302
