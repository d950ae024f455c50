"""Data the fault tests need, written into the cluster's database by the product itself:

    manage.py shell -c "from tests.faults.scenario import second_round; second_round()"

prints, as JSON, what the test needs to know. Synthetic records only (tests/factories.py)."""

import json

from django.contrib.auth.models import Group

from claims.forms import AssessmentForm
from claims.models import Assessment, AssessmentStatus, Claim
from claims.roles import Role
from claims.services import assessment_publish, assessment_save, claims_grade
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ClaimFactory, FindingFactory, UserFactory

SLUG = "synthetic-fault-claim"


def _form(claim):
    suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    data = accepting_suggestion(claim)
    form = AssessmentForm(data, suggestion=suggestion)
    assert form.is_valid(), form.errors
    return data, form


def second_round():
    """A published claim whose first consensus is published (its grade) and whose second round
    has its two independent assessments submitted: ready for a grader to publish again."""
    claim = ClaimFactory(slug=SLUG, text="Synthetic substance lowers a made-up marker (faults).")
    for _ in range(2):
        FindingFactory(claim=claim, study__design="rct", study__participants=30)
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    graders = []
    for n in (1, 2):
        grader = UserFactory(username=f"fault-grader-{n}", is_staff=True)
        grader.groups.add(Group.objects.get(name=Role.GRADER))
        graders.append(grader)
    for round_ in (1, 2):
        for grader in graders:
            assessment_save(claim=claim, author=grader, form=_form(claim)[1], submit=True)
        if round_ == 1:
            first = assessment_publish(claim=claim, author=graders[0], form=_form(claim)[1])
    print(
        json.dumps(
            {
                "slug": claim.slug,
                "claim": claim.pk,
                "published": first.pk,
                "grader": graders[0].username,
                "consensus": _form(claim)[0],
            }
        )
    )
