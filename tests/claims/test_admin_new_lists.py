"""The admin lists issue 11 added run a fixed number of queries, as many for 30 rows as for 3:
the graders' claim edit proposals and the API tokens."""

import pytest

from claims.api_tokens import api_token_issue
from claims.models import Status
from claims.services import claim_edit_propose
from tests.factories import ClaimFactory, UserFactory

PROPOSALS = "/admin/claims/claimeditproposal/"
TOKENS = "/admin/knox/authtoken/"


def proposals(researcher, count):
    for n in range(count):
        claim = ClaimFactory(status=Status.PUBLISHED)
        claim_edit_propose(
            claim=claim, by=researcher, changes={"text": f"Synthetic proposed text {n}."}
        )


def tokens(count):
    for _ in range(count):
        api_token_issue(user=UserFactory())


@pytest.mark.parametrize("rows", [3, 30])
def test_the_proposals_list_runs_the_same_queries_for_any_number_of_rows(
    client, grader, researcher, rows, django_assert_num_queries
):
    proposals(researcher, rows)
    client.force_login(grader)
    client.get(PROPOSALS)  # the session's first request caches the user's permissions

    with django_assert_num_queries(PROPOSALS_QUERIES):
        assert client.get(PROPOSALS).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_tokens_list_runs_the_same_queries_for_any_number_of_rows(
    client, admin_user, rows, django_assert_num_queries
):
    tokens(rows)
    client.force_login(admin_user)
    client.get(TOKENS)

    with django_assert_num_queries(TOKENS_QUERIES):
        assert client.get(TOKENS).status_code == 200


# Measured: the same for 3 rows as for 30 (the list selects its related rows in one query;
# it counts up to its cap once, config/admin_lists.py).
PROPOSALS_QUERIES = 6
TOKENS_QUERIES = 5
