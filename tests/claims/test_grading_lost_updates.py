"""The grading pages with the same record open twice (two tabs, or two graders): a save made
on the page opened before another save is refused with who saved, when and how the stored
record differs, and the page keeps what was entered (issue 11, item 5)."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from evidence.models import Appraisal, AppraisalTool
from tests.api.conftest import submit_assessment
from tests.claims.forms_data import accepting_suggestion
from tests.factories import ClaimFactory, FindingFactory, StudyFactory, UserFactory
from tests.posted_forms import as_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(db):
    claim = ClaimFactory(slug="c", text="Synthetic substance lowers a made-up marker.")
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    FindingFactory(claim=claim, study__design="rct", study__participants=30)
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    return claim


def tabs(user, count=2):
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_a_draft_assessment_saved_in_one_tab_is_not_reverted_from_another(grader, claim):
    url = reverse("grading:assess", args=[claim.slug])
    first, second = tabs(grader)
    first_page, second_page = first.get(url), second.get(url)
    first.post(url, as_posted(first_page, "verdict", summary="Synthetic reasons, tab one.", save="1"))

    response = second.post(
        url, as_posted(second_page, "verdict", summary="Synthetic reasons, tab two.", save="1")
    )

    assert response.status_code == 200
    assertContains(response, "changed by grader since you opened it")
    mine = Assessment.objects.get(author=grader)
    assert mine.summary == "Synthetic reasons, tab one."
    assert response.context["form"]["summary"].value() == "Synthetic reasons, tab two."


def test_a_draft_changed_in_another_tab_since_it_was_opened_shows_the_differences(grader, claim):
    url = reverse("grading:assess", args=[claim.slug])
    tab = tabs(grader, 1)[0]
    tab.post(url, as_posted(tab.get(url), "verdict", summary="Synthetic reasons.", save="1"))
    first, second = tabs(grader)
    first_page, second_page = first.get(url), second.get(url)
    first.post(url, as_posted(first_page, "verdict", summary="Synthetic reasons, edited.", save="1"))

    response = second.post(url, as_posted(second_page, "verdict", submit="1"))

    assertContains(response, "Summary: “Synthetic reasons.” / “Synthetic reasons, edited.”")
    mine = Assessment.objects.get(author=grader)
    assert (mine.status, mine.summary) == (AssessmentStatus.DRAFT, "Synthetic reasons, edited.")
    response = second.post(url, as_posted(response, "verdict", submit="1"))
    assertRedirects(response, url)
    assert Assessment.objects.get(author=grader).status == AssessmentStatus.SUBMITTED


def form_data(tool, judgement, support="Synthetic support.", **extra):
    data = {}
    for domain in tool.domains.all():
        data[f"judgement_{domain.pk}"] = tool.judgements.get(value=judgement).pk
        data[f"support_{domain.pk}"] = support
    return data | extra


def test_an_appraisal_saved_in_one_tab_is_not_reverted_from_another(grader):
    study = StudyFactory(design="rct")
    tool = AppraisalTool.objects.get(slug="rob-2")
    url = reverse("grading:appraise", args=[study.pk])
    first, second = tabs(grader)
    first_page, second_page = first.get(url), second.get(url)
    first.post(url, as_posted(first_page, "override_justification", **form_data(tool, "high")))

    response = second.post(
        url, as_posted(second_page, "override_justification", **form_data(tool, "low"))
    )

    assert response.status_code == 200
    assertContains(response, "This appraisal was changed by grader since you opened it")
    appraisal = Appraisal.objects.complete_details().get()
    assert appraisal.overall.value == "high"


def test_a_consensus_published_since_the_page_was_opened_is_not_replaced_unseen(
    grader, second_grader, claim
):
    submit_assessment(claim, UserFactory(username="assessor-1"))
    submit_assessment(claim, UserFactory(username="assessor-2"))
    url = reverse("grading:consensus", args=[claim.slug])
    first, second = Client(), Client()
    first.force_login(grader)
    second.force_login(second_grader)
    page = first.get(url)
    second.post(url, accepting_suggestion(claim, summary="Synthetic consensus of the second."))
    # A new round is in before the first grader publishes from the page opened earlier.
    submit_assessment(claim, UserFactory(username="assessor-3"))
    submit_assessment(claim, UserFactory(username="assessor-4"))

    response = first.post(url, as_posted(page, "verdict", summary="Synthetic consensus, first."))

    assertContains(response, "published a consensus for this claim at")
    assertContains(response, "since you opened this page")
    published = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert published.summary == "Synthetic consensus of the second."
    response = first.post(url, as_posted(response, "verdict"))
    published = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert published.summary == "Synthetic consensus, first."
