import pytest
from django.urls import reverse

from claims.models import AssessmentStatus
from tests.factories import AssessmentFactory, ClaimFactory, UserFactory


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_claims(
    client, grader, rows, django_assert_num_queries, settings
):
    other = UserFactory()
    for claim in ClaimFactory.create_batch(rows):
        AssessmentFactory(claim=claim)
        AssessmentFactory(claim=claim, status=AssessmentStatus.SUBMITTED, author=other)
        AssessmentFactory(claim=claim, status=AssessmentStatus.DRAFT, author=grader)
    client.force_login(grader)
    # session, user, how many claims, a page of claims with their rounds, the user's
    # permissions for the template, the last regrade of the library
    with django_assert_num_queries(7):
        response = client.get(reverse("grading:queue"))
    rows_shown = list(response.context["claims"])
    assert len(rows_shown) == min(rows, settings.PAGE_SIZE)
    assert {(c.submitted_count, c.my_status) for c in rows_shown} == {(1, "draft")}


def test_it_is_for_staff_only(client, reader):
    client.force_login(reader)
    assert client.get(reverse("grading:queue")).status_code == 302


def test_it_pages_through_the_claims_with_those_needing_review_first(client, grader, settings):
    settings.PAGE_SIZE = 2
    claims = [ClaimFactory(text=f"Synthetic queued claim {n}") for n in range(5)]
    AssessmentFactory(
        claim=claims[4],
        status=AssessmentStatus.PUBLISHED,
        author=grader,
        needs_review=True,
        needs_review_because="A synthetic study it rests on was retracted.",
    )
    client.force_login(grader)

    first = client.get(reverse("grading:queue"))
    last = client.get(reverse("grading:queue"), {"page": 3})

    assert [c.text for c in first.context["claims"]] == [claims[4].text, claims[0].text]
    assert "Page 1 of 3" in first.content.decode()
    assert [c.text for c in last.context["claims"]] == [claims[3].text]
