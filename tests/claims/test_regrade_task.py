"""Regrading the library as a task (claims.services.regrade_start, regrade_run, regrade_task):
one at a time, its progress recorded after every batch, a stalled one never blocking."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Assessment, AssessmentStatus, Claim, RegradeRun, RegradeStatus
from claims.services import claims_regrade, regrade_run, regrade_start
from tests.factories import ClaimFactory, FindingFactory


@pytest.fixture
def library(db):
    """Five claims never graded."""
    for _ in range(5):
        FindingFactory(claim=ClaimFactory())


def test_a_start_is_queued_and_the_worker_regrades_with_progress_after_each_batch(
    library, grader, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run, started = regrade_start(by=grader)
    assert started
    assert (run.status, run.started_by, run.every_claim, run.total) == ("queued", grader, False, 5)
    assert len(queued) == 1  # the task, enqueued once the start commits
    assert not Assessment.objects.exists()

    seen = []

    def watched(**kwargs):  # what each batch's record leaves stored, as a page would read it
        record = kwargs.pop("progress")

        def progress(*args):
            record(*args)
            seen.append(RegradeRun.objects.values_list("looked_at", "regraded", "status").get())

        return claims_regrade(**kwargs, progress=progress)

    monkeypatch.setattr("claims.services.claims_regrade", watched)
    regrade_run(run_id=run.pk, batch_size=2)

    assert seen == [(2, 2, "running"), (4, 4, "running"), (5, 5, "running")]
    run.refresh_from_db()
    assert (run.status, run.looked_at, run.regraded, run.total) == ("done", 5, 5, 5)
    assert run.finished_at is not None and run.progressed_at is not None
    assert run.summary == "5 of 5 claims regraded (only those whose grading inputs changed)"
    assert Assessment.objects.filter(status=AssessmentStatus.PROVISIONAL).count() == 5


def test_the_task_runs_at_once_with_the_immediate_backend(
    library, grader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = regrade_start(by=grader, every_claim=True)
    run.refresh_from_db()
    assert (run.status, run.regraded, run.every_claim) == ("done", 5, True)
    assert Claim.objects.grade_drift() == []


def test_a_second_start_while_one_is_in_progress_returns_that_one(library, grader, admin_user):
    first, started = regrade_start(by=grader)
    again, started_again = regrade_start(by=admin_user, every_claim=True)
    assert started and not started_again
    assert again == first
    assert RegradeRun.objects.count() == 1
    RegradeRun.objects.filter(pk=first.pk).update(status="running", progressed_at=timezone.now())
    assert regrade_start(by=admin_user) == (first, False)


def test_the_database_refuses_a_second_run_in_progress(library, grader):
    regrade_start(by=grader)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegradeRun.objects.create(started_by=grader, status=RegradeStatus.RUNNING)


def test_a_finished_run_does_not_block_the_next(
    library, grader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = regrade_start(by=grader)
    second, started = regrade_start(by=grader)
    assert started and second != first


def test_a_stalled_run_is_marked_stopped_and_a_new_one_starts(library, grader):
    stalled, _ = regrade_start(by=grader)
    long_ago = timezone.now() - timedelta(minutes=11)
    RegradeRun.objects.filter(pk=stalled.pk).update(
        status="running", progressed_at=long_ago, looked_at=2, regraded=2
    )
    stalled.refresh_from_db()
    assert stalled.is_stalled and not stalled.in_progress

    run, started = regrade_start(by=grader)

    assert started and run != stalled
    stalled.refresh_from_db()
    assert stalled.status == RegradeStatus.FAILED
    assert "Its worker stopped without finishing" in stalled.error
    assert stalled.finished_at is not None


def test_a_run_still_moving_is_not_stalled(library, grader):
    run, _ = regrade_start(by=grader)
    recently = timezone.now() - timedelta(minutes=9)
    RegradeRun.objects.filter(pk=run.pk).update(status="running", progressed_at=recently)
    assert regrade_start(by=grader) == (run, False)


def test_a_worker_whose_run_was_marked_stopped_stops_after_its_batch(library, grader, monkeypatch):
    run, _ = regrade_start(by=grader)

    def stopped_meanwhile(**kwargs):  # another start marks it stopped while the worker runs
        RegradeRun.objects.filter(pk=run.pk).update(
            status="failed", finished_at=timezone.now(), error="Marked stopped."
        )
        return claims_regrade(**kwargs)

    monkeypatch.setattr("claims.services.claims_regrade", stopped_meanwhile)
    result = regrade_run(run_id=run.pk, batch_size=2)

    assert (result.status, result.looked_at) == ("failed", 0)
    assert Assessment.objects.count() == 2  # its first batch, committed; no other


def test_a_run_no_longer_queued_is_left_alone(library, grader):
    run, _ = regrade_start(by=grader)
    RegradeRun.objects.filter(pk=run.pk).update(status="running", progressed_at=timezone.now())
    assert regrade_run(run_id=run.pk).status == "running"
    assert not Assessment.objects.exists()


def test_an_error_stops_the_run_and_says_why(library, grader, monkeypatch):
    run, _ = regrade_start(by=grader)

    def broken(**kwargs):
        raise RuntimeError("a synthetic failure")

    monkeypatch.setattr("claims.services.claims_regrade", broken)
    with pytest.raises(RuntimeError):
        regrade_run(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error) == ("failed", "a synthetic failure")
    assert regrade_start(by=grader).started  # it does not block the next


@pytest.mark.parametrize("role", ["reader", "researcher"])
def test_only_graders_and_admins_may_start_one(db, request, role):
    with pytest.raises(PermissionDenied):
        regrade_start(by=request.getfixturevalue(role))
    assert not RegradeRun.objects.exists()


def test_an_admin_may_start_one(admin_user):
    assert regrade_start(by=admin_user).started
