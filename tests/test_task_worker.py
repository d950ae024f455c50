"""TASKS_BACKEND=database (what `make serve` uses): a task is stored for the worker beside
gunicorn (django-tasks-db's db_worker) and done by it, on Django's own Tasks framework."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.tasks import TaskResultStatus, task_backends

from claims.intake.candidates import refresh_study_vectors
from claims.intake.study_vectors import StudyVector
from config.settings import TASKS_BACKENDS
from tests.factories import StudyFactory
from tests.test_deployment import ROOT


def test_a_task_waits_in_the_database_until_the_worker_does_it(
    transactional_db, django_db_serialized_rollback, settings
):
    """Outside a test transaction: the worker closes its connection between tasks, as it
    should, which would end the transaction on PostgreSQL."""
    settings.TASKS = {"default": TASKS_BACKENDS["database"]}
    assert type(task_backends["default"]).__module__.startswith("django_tasks_db")
    study = StudyFactory()
    result = refresh_study_vectors.enqueue(study_ids=[study.pk])
    assert result.status == TaskResultStatus.READY
    assert not StudyVector.objects.exists()

    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["embedded"] == 1
    assert list(StudyVector.objects.values_list("study_id", flat=True)) == [study.pk]


def test_a_backend_it_does_not_know_stops_the_start():
    env = dict(os.environ, DEBUG="true", TASKS_BACKEND="celery")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "TASKS_BACKEND='celery': use immediate or database." in result.stderr
