import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ClaimFactory, FindingFactory


@pytest.fixture
def claim(db):
    claim = ClaimFactory(slug="c", text="Synthetic substance lowers a made-up marker.")
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    return claim


def assess(client, user, claim, **changes):
    client.force_login(user)
    client.post(
        reverse("grading:assess", args=[claim.slug]),
        accepting_suggestion(claim, **changes) | {"submit": "1"},
    )


def url():
    return reverse("grading:consensus", args=["c"])


def test_an_assessor_cannot_see_the_others_work_before_submitting_their_own(
    client, grader, second_grader, claim
):
    assess(client, second_grader, claim, summary="Synthetic summary of the second grader.")
    client.force_login(grader)
    client.post(reverse("grading:assess", args=["c"]), accepting_suggestion(claim) | {"save": "1"})
    response = client.get(url())
    assert response.status_code == 403
    assertContains(response, "Submit your own assessment first", status_code=403)
    assertNotContains(response, "Synthetic summary of the second grader.", status_code=403)


def test_once_both_are_in_the_page_shows_them_side_by_side_with_each_disagreement(
    client, grader, second_grader, claim
):
    assess(client, grader, claim)
    assess(
        client,
        second_grader,
        claim,
        imprecision="-1",
        imprecision_reason="Synthetic: enough participants for a large effect.",
    )
    response = client.get(url())
    html = response.content.decode()
    disagreeing = re.findall(r'<tr class="disagree"><th>([^<]+)</th>', html)
    assert disagreeing == ["Certainty", "Imprecision"]
    assert "Synthetic: enough participants for a large effect." in html


def test_one_click_copies_an_assessors_judgement_of_a_domain_into_the_consensus(
    client, grader, second_grader, claim
):
    assess(client, grader, claim)
    assess(
        client,
        second_grader,
        claim,
        imprecision="-1",
        imprecision_reason="Synthetic: enough participants for a large effect.",
    )
    second = Assessment.objects.get(author=second_grader)
    data = accepting_suggestion(claim) | {"copy": f"{second.pk}:imprecision"}
    response = client.post(url(), data)
    form = response.context["form"]
    assert str(form["imprecision"].value()) == "-1"
    assert form["imprecision_reason"].value() == (
        "Synthetic: enough participants for a large effect."
    )
    assert not Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).exists()


def test_publishing_the_consensus_makes_it_the_grade_readers_see(
    client, grader, second_grader, claim
):
    assess(client, grader, claim)
    assess(client, second_grader, claim)
    data = accepting_suggestion(
        claim, imprecision="-1", imprecision_reason="Synthetic consensus reason."
    )
    response = client.post(url(), data | {"publish": "1"})
    assert response.status_code == 302
    published = Assessment.objects.get(status=AssessmentStatus.PUBLISHED)
    assert (published.author, published.certainty) == (second_grader, "moderate")
    assert set(published.independent.values_list("author__username", flat=True)) == {
        "grader",
        "second-grader",
    }
    client.logout()
    html = client.get(reverse("claims:claim", args=["c"])).content.decode()
    assert 'data-verdict="supported" data-certainty="moderate"' in html
    assert "Provisional" not in html
    assert "Graded by second-grader" in html


def test_a_new_consensus_supersedes_the_last_and_the_timeline_says_what_changed(
    client, grader, second_grader, claim
):
    for imprecision, reason in (
        ("-1", "Synthetic first reason."),
        ("-2", "Synthetic: a second look found the trials small."),
    ):
        assess(client, grader, claim)
        assess(client, second_grader, claim)
        client.post(
            url(),
            accepting_suggestion(claim, imprecision=imprecision, imprecision_reason=reason)
            | {"publish": "1"},
        )
    assert Assessment.objects.filter(status=AssessmentStatus.SUPERSEDED).count() == 1
    client.logout()
    html = client.get(reverse("claims:claim", args=["c"])).content.decode()
    assert "certainty lowered from moderate to low" in html
    assert "imprecision -1 → -2: Synthetic: a second look found the trials small." in html


def test_a_consensus_waits_for_enough_independent_assessments(client, grader, second_grader, claim):
    assess(client, grader, claim)
    client.force_login(second_grader)
    response = client.get(url())
    assert response.status_code == 403
    assertContains(response, "1 of 2 independent assessments submitted", status_code=403)
    client.post(url(), accepting_suggestion(claim) | {"publish": "1"})
    assert not Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).exists()


def test_a_small_team_may_need_a_single_assessment(client, grader, claim, settings):
    settings.REQUIRED_ASSESSMENTS = 1
    assess(client, grader, claim)
    client.post(url(), accepting_suggestion(claim) | {"publish": "1"})
    assert Assessment.objects.get(status=AssessmentStatus.PUBLISHED).author == grader


def test_a_researcher_cannot_publish_a_grade(client, researcher, grader, second_grader, claim):
    assess(client, grader, claim)
    assess(client, second_grader, claim)
    client.force_login(researcher)
    assert client.post(url(), accepting_suggestion(claim) | {"publish": "1"}).status_code == 403
    assert not Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).exists()


def test_a_grader_who_could_read_the_assessments_cannot_add_an_independent_one(
    client, grader, second_grader, admin_user, claim
):
    assess(client, grader, claim)
    assess(client, second_grader, claim)
    client.force_login(admin_user)
    response = client.get(reverse("grading:assess", args=["c"]))
    assertContains(response, "would no longer be independent")
    client.post(
        reverse("grading:assess", args=["c"]), accepting_suggestion(claim) | {"submit": "1"}
    )
    assert not Assessment.objects.filter(author=admin_user).exists()


def disagreeing_on_risk_of_bias(client, grader, second_grader, claim):
    assess(
        client,
        grader,
        claim,
        risk_of_bias="-1",
        risk_of_bias_reason="Synthetic: one of the two trials was not blinded.",
    )
    assess(client, second_grader, claim)


def test_the_consensus_starts_from_what_the_assessors_agreed_not_from_the_rules(
    client, grader, second_grader, claim
):
    for user in (grader, second_grader):
        assess(
            client,
            user,
            claim,
            risk_of_bias="-1",
            risk_of_bias_reason=f"Synthetic: {user.username} found the trials unblinded.",
        )
    form = client.get(url()).context["form"]
    assert form["risk_of_bias"].value() == -1  # the rules suggest 0
    assert form["risk_of_bias_reason"].value() == (
        "Synthetic: grader found the trials unblinded.\n\n"
        "Synthetic: second-grader found the trials unblinded."
    )
    assert form["summary"].value() in (None, "")  # the grader's own words


def test_a_domain_the_assessors_rate_apart_waits_to_be_picked(client, grader, second_grader, claim):
    disagreeing_on_risk_of_bias(client, grader, second_grader, claim)
    response = client.get(url())
    form = response.context["form"]
    assert form["risk_of_bias"].value() == ""
    assert "The assessors disagree: −1 (grader) and 0 (second-grader)." in (
        response.content.decode()
    )
    # published as it stands, the disagreement is not silently settled at 0
    data = accepting_suggestion(claim) | {"risk_of_bias": "", "publish": "1"}
    response = client.post(url(), data)
    assert response.context["form"].errors["risk_of_bias"] == ["This field is required."]
    assert not Assessment.objects.filter(status=AssessmentStatus.PUBLISHED).exists()


def test_settling_a_disagreement_needs_a_reason_of_the_graders_own(
    client, grader, second_grader, claim
):
    disagreeing_on_risk_of_bias(client, grader, second_grader, claim)
    copied = accepting_suggestion(
        claim,
        risk_of_bias="-1",
        risk_of_bias_reason="Synthetic: one of the two trials was not blinded.",
    )
    response = client.post(url(), copied | {"publish": "1"})
    assert "say in your own words why the consensus" in str(
        response.context["form"].errors["risk_of_bias_reason"]
    )
    own = copied | {
        "risk_of_bias_reason": "Synthetic: the unblinded trial carries most participants."
    }
    assert client.post(url(), own | {"publish": "1"}).status_code == 302
    assert Assessment.objects.get(status=AssessmentStatus.PUBLISHED).risk_of_bias == -1


def test_copying_never_waits_for_the_reasons_to_be_written(client, grader, second_grader, claim):
    disagreeing_on_risk_of_bias(client, grader, second_grader, claim)
    html = client.get(url()).content.decode()
    copies = re.findall(r"<button class=\"copy\"[^>]*>", html)
    assert copies and all("formnovalidate" in button for button in copies)
    # the copy is posted with "Your reasons" empty, as the browser now sends it
    mine = Assessment.objects.get(author=grader)
    response = client.post(url(), {"copy": f"{mine.pk}:all", "summary": ""})
    assert response.context["form"]["risk_of_bias"].value() == -1
