from html import unescape

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ClaimFactory, FindingFactory


@pytest.fixture
def claim(db):
    """A claim with two trials of 60 participants: the rules suggest supported, low certainty
    (high, -2 for imprecision)."""
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    return claim


def url():
    return reverse("grading:assess", args=["c"])


def test_it_shows_the_rules_suggestion_beside_every_field(client, grader, claim):
    client.force_login(grader)
    response = client.get(url())
    assertContains(response, "-2: The studies included 60 people in all. With fewer than 100,")
    form = response.context["form"]
    assert form["imprecision"].value() == -2
    assert form["verdict"].value() == "supported"


def test_a_grader_who_accepts_the_suggestion_gets_its_grade(client, grader, claim):
    client.force_login(grader)
    client.post(url(), accepting_suggestion(claim) | {"submit": "1"})
    mine = Assessment.objects.get(claim=claim, author=grader)
    assert (mine.status, mine.verdict, mine.certainty) == ("submitted", "supported", "low")
    assert mine.submitted_at is not None


def test_every_domain_that_moves_the_grade_needs_a_reason(client, grader, claim):
    client.force_login(grader)
    data = accepting_suggestion(claim, imprecision_reason="")
    response = client.post(url(), data | {"submit": "1"})
    assertContains(response, "every level up or down needs a reason")
    assert not Assessment.objects.filter(author=grader).exists()


def test_departing_from_the_suggestion_needs_the_graders_own_reason(client, grader, claim):
    client.force_login(grader)
    data = accepting_suggestion(claim, imprecision="-1")  # the rules' reason left in place
    response = client.post(url(), data | {"submit": "1"})
    # (its quote written &#39; by the form's error list: see tests/test_form_renderer.py)
    assert "You depart from the rules' suggestion here" in unescape(response.content.decode())
    data["imprecision_reason"] = "Synthetic: the two trials are large enough for this outcome."
    client.post(url(), data | {"submit": "1"})
    mine = Assessment.objects.get(author=grader)
    assert (mine.imprecision, mine.certainty) == (-1, "moderate")


def test_upgrades_are_refused_unless_the_evidence_is_observational(client, grader, claim):
    client.force_login(grader)
    data = accepting_suggestion(claim, large_effect="1", large_effect_reason="Synthetic.")
    response = client.post(url(), data | {"submit": "1"})
    assertContains(response, "Upgrades are for observational evidence only.")


def test_certainty_never_goes_below_very_low(client, grader, claim):
    client.force_login(grader)
    data = accepting_suggestion(
        claim,
        risk_of_bias="-2",
        risk_of_bias_reason="Synthetic: both trials unblinded.",
        indirectness="-2",
        indirectness_reason="Synthetic: another population.",
    )
    client.post(url(), data | {"submit": "1"})
    assert Assessment.objects.get(author=grader).certainty == "very-low"


def test_a_draft_is_saved_and_can_be_changed_until_it_is_submitted(client, grader, claim):
    client.force_login(grader)
    client.post(url(), accepting_suggestion(claim) | {"save": "1"})
    assert Assessment.objects.get(author=grader).status == AssessmentStatus.DRAFT
    client.post(url(), accepting_suggestion(claim, verdict="mixed") | {"submit": "1"})
    assert Assessment.objects.get(author=grader).verdict == "mixed"
    client.post(url(), accepting_suggestion(claim, verdict="contradicted") | {"submit": "1"})
    assert Assessment.objects.get(author=grader).verdict == "mixed"


def test_a_researcher_cannot_assess_a_claim(client, researcher, claim):
    client.force_login(researcher)
    assert client.get(url()).status_code == 403
    assert client.post(url(), accepting_suggestion(claim) | {"submit": "1"}).status_code == 403
    assert not Assessment.objects.filter(author=researcher).exists()


def test_a_reader_is_sent_to_log_in(client, reader, claim):
    client.force_login(reader)
    assert client.get(url()).status_code == 302


def test_readers_never_see_an_assessors_draft_or_submission(client, grader, claim):
    client.force_login(grader)
    client.post(url(), accepting_suggestion(claim, verdict="contradicted") | {"submit": "1"})
    client.logout()
    response = client.get(reverse("claims:claim", args=["c"]))
    assert response.context["assessment"].status == AssessmentStatus.PROVISIONAL
    assertContains(response, "Provisional — not yet reviewed")
