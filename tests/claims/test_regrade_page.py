"""A grader regrades the library from the grading queue (POST /grading/regrades/) and follows
it on its page (/grading/regrades/<id>/), which shows its progress, then its result."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from claims.models import RegradeRun
from claims.services import regrade_start
from tests.factories import ClaimFactory, FindingFactory

START = reverse("grading:regrade_start")


def page(run):
    return reverse("grading:regrade", args=[run.pk])


def test_the_queue_offers_graders_to_regrade_the_library(client, grader):
    client.force_login(grader)
    response = client.get(reverse("grading:queue"))
    assertContains(response, f'action="{START}"')
    assertContains(response, "Regrade the library")


def test_the_queue_names_the_last_regrade(client, grader):
    run, _ = regrade_start(by=grader)
    client.force_login(grader)
    response = client.get(reverse("grading:queue"))
    assertContains(response, f'<a href="{page(run)}">#{run.pk}</a>')
    assertContains(response, "waiting for the task worker")


def test_a_researcher_is_not_offered_it_and_may_not_start_one(client, researcher):
    client.force_login(researcher)
    assertNotContains(client.get(reverse("grading:queue")), f'action="{START}"')
    assert client.post(START).status_code == 403
    assert not RegradeRun.objects.exists()


def test_it_starts_only_on_a_post(client, grader):
    client.force_login(grader)
    assert client.get(START).status_code == 405
    assert not RegradeRun.objects.exists()


def test_a_start_leads_to_its_page_which_follows_it(
    client, grader, django_capture_on_commit_callbacks
):
    ClaimFactory.create_batch(3)
    client.force_login(grader)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(START, {"every_claim": "on"}, follow=True)
    run = RegradeRun.objects.get()
    assert run.every_claim
    assert response.redirect_chain == [(page(run), 302)]
    assertContains(response, "The regrade runs in the background")
    assertContains(response, "0 of 3 claims looked at (0%)")
    assertContains(response, "Waiting for the task worker")
    assertContains(response, "data-follow-progress")  # what evidence/progress.js follows
    assertContains(response, "evidence/progress.js")
    assertContains(response, '<progress max="3" value="0"')


def test_a_second_start_shows_the_one_in_progress_and_says_so(client, grader, admin_user):
    first, _ = regrade_start(by=admin_user)
    client.force_login(grader)
    response = client.post(START, follow=True)
    assert response.redirect_chain == [(page(first), 302)]
    assertContains(response, f"A regrade started by {admin_user.username} at")
    assertContains(response, "is still in progress, so no other was started: this is it.")
    assert RegradeRun.objects.count() == 1


def test_a_running_regrade_shows_how_far_it_is(client, grader):
    run, _ = regrade_start(by=grader)
    RegradeRun.objects.filter(pk=run.pk).update(
        status="running", progressed_at=timezone.now(), total=1000, looked_at=500, regraded=20
    )
    client.force_login(grader)
    response = client.get(page(run))
    assertContains(response, "500 of 1,000 claims looked at (50%), 20 regraded")
    assertContains(response, "data-follow-progress")
    assertNotContains(response, f'action="{START}"')  # one at a time


def test_a_finished_regrade_shows_its_result_and_follows_nothing(
    client, grader, django_capture_on_commit_callbacks
):
    FindingFactory(claim=ClaimFactory())
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = regrade_start(by=grader)
    client.force_login(grader)
    response = client.get(page(run))
    assertContains(response, "1 of 1 claims regraded (only those whose grading inputs changed)")
    assertNotContains(response, "data-follow-progress")
    assertNotContains(response, "evidence/progress.js")
    assertContains(response, f'action="{START}"')  # another may start


def test_a_stalled_regrade_says_so_and_offers_to_start_again(client, grader):
    run, _ = regrade_start(by=grader)
    RegradeRun.objects.filter(pk=run.pk).update(
        status="running", progressed_at=timezone.now() - timedelta(minutes=30)
    )
    client.force_login(grader)
    response = client.get(page(run))
    assertContains(response, "the task worker running it has stopped")
    assertNotContains(response, "data-follow-progress")
    assertContains(response, f'action="{START}"')


def test_a_failed_regrade_says_why(client, grader):
    run, _ = regrade_start(by=grader)
    RegradeRun.objects.filter(pk=run.pk).update(
        status="failed", error="A synthetic failure.", finished_at=timezone.now()
    )
    client.force_login(grader)
    assertContains(client.get(page(run)), "The regrade stopped: A synthetic failure.")


@pytest.mark.parametrize("role", ["researcher", "reader"])
def test_only_those_who_may_see_regrades_see_its_page(client, grader, request, role):
    run, _ = regrade_start(by=grader)
    client.force_login(request.getfixturevalue(role))
    assert client.get(page(run)).status_code in (302, 403)


def test_its_page_runs_a_fixed_number_of_queries(client, grader, django_assert_num_queries):
    run, _ = regrade_start(by=grader)
    client.force_login(grader)
    # session, user, the user's permissions (their own, their groups'), the run with who
    # started it
    with django_assert_num_queries(5):
        assert client.get(page(run)).status_code == 200
