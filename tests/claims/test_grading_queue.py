import pytest
from django.urls import reverse

from claims.models import AssessmentStatus
from tests.factories import AssessmentFactory, ClaimFactory, UserFactory


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_claims(
    client, grader, rows, django_assert_num_queries
):
    other = UserFactory()
    for claim in ClaimFactory.create_batch(rows):
        AssessmentFactory(claim=claim)
        AssessmentFactory(claim=claim, status=AssessmentStatus.SUBMITTED, author=other)
        AssessmentFactory(claim=claim, status=AssessmentStatus.DRAFT, author=grader)
    client.force_login(grader)
    # session, user, the claims with their rounds, the user's permissions for the template
    with django_assert_num_queries(5):
        response = client.get(reverse("grading:queue"))
    rows_shown = list(response.context["claims"])
    assert len(rows_shown) == rows
    assert {(c.submitted_count, c.my_status) for c in rows_shown} == {(1, "draft")}


def test_it_is_for_staff_only(client, reader):
    client.force_login(reader)
    assert client.get(reverse("grading:queue")).status_code == 302
