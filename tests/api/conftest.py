"""API clients for the personas of tests/conftest.py: anonymous, or with the persona's token,
the way a script authenticates."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from claims.api_tokens import api_token_issue
from claims.forms import AssessmentForm
from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import assessment_save, claims_grade
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ClaimFactory, FindingFactory, UserFactory

ROLES = ["anonymous", "reader", "researcher", "grader", "admin_user"]


def token_client(user):
    client = APIClient()
    if user is not None:
        _, key = api_token_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(db):
    """An anonymous reader's client."""
    return APIClient()


@pytest.fixture
def client_for(request, db):
    """client_for("researcher"): a client with that persona's token ("anonymous": none)."""

    def make(role):
        user = None if role == "anonymous" else request.getfixturevalue(role)
        return token_client(user)

    return make


def all_results(client, path, params=None):
    """Every row of a paged list, following `next`."""
    rows, url, params = [], path, dict(params or {})
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url, params = body["next"], None
    return rows


def submit_assessment(claim, user):
    """`user`, made a grader, submits an independent assessment accepting the suggestion."""
    user.groups.add(Group.objects.get(name="grader"))
    suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    form = AssessmentForm(accepting_suggestion(claim), suggestion=suggestion)
    assert form.is_valid(), form.errors
    return assessment_save(claim=claim, author=user, form=form, submit=True)


@pytest.fixture
def ready_claim(db):
    """A claim (slug "c") whose round has two submitted independent assessments."""
    claim = ClaimFactory(slug="c", text="Synthetic substance lowers a made-up marker.")
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    for n in (1, 2):
        submit_assessment(claim, UserFactory(username=f"assessor-{n}"))
    return claim
