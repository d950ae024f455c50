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


def test_a_reader_given_staff_status_still_cannot_open_the_grading_queue(client, reader):
    reader.is_staff = True
    reader.save()
    ClaimFactory(slug="c", text="A synthetic draft claim.", status="draft")
    client.force_login(reader)
    response = client.get(reverse("grading:queue"))
    assert response.status_code == 403
    assert "A synthetic draft claim." not in response.content.decode()
