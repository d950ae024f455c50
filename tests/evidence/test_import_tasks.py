"""Imports of more than IMPORT_IN_BACKGROUND_OVER records: queued for the task worker, which
imports them chunk by chunk and records its progress, followed on the admin's result page and
in the API. Tests run tasks at once (the immediate backend), when the upload's transaction
commits."""

from datetime import timedelta
from io import StringIO
from itertools import islice

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from evidence import services
from evidence.models import ImportStatus, Study, StudyImport
from tests.evidence.importing import as_shown, ris, rows, stored_import, upload


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_IN_BACKGROUND_OVER = 3


def preview_url(study_import):
    return reverse("admin:evidence_study_import_preview", args=[study_import.pk])


def result_url(study_import):
    return reverse("admin:evidence_study_import_result", args=[study_import.pk])


def confirm(client, study_import, capture, execute=True):
    with capture(execute=execute):
        return client.post(
            preview_url(study_import), as_shown(client.get(preview_url(study_import)))
        )


def test_a_large_upload_is_imported_by_the_task_and_ends_on_its_result(
    client, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    upload(client, "large.ris", ris(5))
    study_import = StudyImport.objects.get()

    response = confirm(client, study_import, django_capture_on_commit_callbacks)

    assertRedirects(response, result_url(study_import))
    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.IMPORTED
    assert (study_import.records_done, study_import.records_total) == (5, 5)
    assert study_import.created == 5
    assert Study.objects.count() == 5
    response = client.get(result_url(study_import))
    assertContains(response, "5 created, 0 duplicates, 0 possible duplicates, 0 errors")
    assert [number for number, _ in rows(response)] == [1, 2, 3, 4, 5]
    assertNotContains(response, "evidence/progress.js")


def test_a_small_upload_is_imported_at_once_without_a_task(
    client, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    upload(client, "small.ris", ris(3))
    study_import = StudyImport.objects.get()

    confirm(client, study_import, django_capture_on_commit_callbacks, execute=False)

    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.IMPORTED
    assert Study.objects.count() == 3


def test_the_result_page_follows_a_queued_import_with_a_progress_bar(
    client, researcher, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(researcher)
    upload(client, "large.ris", ris(5))
    study_import = StudyImport.objects.get()
    response = confirm(client, study_import, django_capture_on_commit_callbacks, execute=False)
    response = client.get(response.url)  # the redirect, with its message

    assertContains(response, "runs in the background")
    assertContains(response, '<progress max="5" value="0"')
    assertContains(response, "Waiting for the task worker")
    assertContains(response, "data-follow-progress")  # what evidence/progress.js follows
    assertContains(response, "evidence/progress.js")
    assert Study.objects.count() == 0
    # session, user, the user's and their groups' permissions, the import (not its file)
    with django_assert_num_queries(5):
        client.get(result_url(study_import))


def test_the_preview_of_a_queued_import_goes_to_its_progress(
    client, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    upload(client, "large.ris", ris(5))
    study_import = StudyImport.objects.get()
    confirm(client, study_import, django_capture_on_commit_callbacks, execute=False)

    assertRedirects(client.get(preview_url(study_import)), result_url(study_import))
    second = confirm(client, study_import, django_capture_on_commit_callbacks)
    assertRedirects(second, result_url(study_import))
    assert Study.objects.count() == 0


def test_the_task_commits_chunk_by_chunk_and_a_later_chunk_sees_an_earlier_one(
    researcher, django_capture_on_commit_callbacks
):
    study_import = stored_import(
        researcher,
        4,
        content=ris(3) + ris(1, start=2),  # the fourth record repeats the second's DOI
        status=ImportStatus.QUEUED,
    )

    services.study_import_run(study_import_id=study_import.pk, chunk_size=3)

    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.IMPORTED
    assert (study_import.created, study_import.duplicates) == (3, 1)
    assert [row["status"] for row in study_import.outcomes] == ["new"] * 3 + ["duplicate"]
    assert study_import.outcomes[3]["message"] == "same DOI"
    assert study_import.outcomes[3]["match_id"] == study_import.outcomes[1]["study_id"]


def test_a_failed_import_keeps_what_it_committed_and_resumes_after_it(
    client, researcher, monkeypatch, django_capture_on_commit_callbacks
):
    study_import = stored_import(researcher, 5, status=ImportStatus.QUEUED)
    real_import = services.studies_import
    calls = []

    def second_chunk_fails(**kwargs):
        # Stands in for a crash of the worker's database connection during the second chunk.
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("connection to the database lost")
        return real_import(**kwargs)

    monkeypatch.setattr(services, "studies_import", second_chunk_fails)
    with pytest.raises(RuntimeError):
        services.study_import_run(study_import_id=study_import.pk, chunk_size=2)
    monkeypatch.setattr(services, "studies_import", real_import)

    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.FAILED
    assert study_import.failure == "connection to the database lost"
    assert (study_import.records_done, study_import.created) == (2, 2)
    assert Study.objects.count() == 2
    client.force_login(researcher)
    response = client.get(result_url(study_import))
    assertContains(response, "The import stopped: connection to the database lost")
    assertContains(response, "Try again from record 3")

    retry = reverse("admin:evidence_study_import_retry", args=[study_import.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assertRedirects(client.post(retry), result_url(study_import))

    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.IMPORTED
    assert (study_import.records_done, study_import.created, study_import.duplicates) == (5, 5, 0)
    assert [row["number"] for row in study_import.outcomes] == [1, 2, 3, 4, 5]
    assert Study.objects.count() == 5


def test_only_a_failed_import_can_be_tried_again(client, researcher):
    study_import = stored_import(researcher)
    client.force_login(researcher)
    retry = reverse("admin:evidence_study_import_retry", args=[study_import.pk])
    response = client.post(retry, follow=True)
    assertContains(response, "This file cannot be imported again from here.")
    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.UPLOADED


def test_a_reader_cannot_try_an_import_again(client, reader, researcher):
    study_import = stored_import(researcher, 1, status=ImportStatus.FAILED)
    client.force_login(reader)
    client.post(reverse("admin:evidence_study_import_retry", args=[study_import.pk]))
    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.FAILED


def test_a_second_worker_leaves_a_running_import_alone(researcher):
    study_import = stored_import(researcher, 2, status=ImportStatus.RUNNING)
    services.study_import_run(study_import_id=study_import.pk)
    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.RUNNING
    assert Study.objects.count() == 0


# A worker killed under an import (no exception: the process is gone) leaves it running; once
# it has committed nothing for IMPORT_STALLED_AFTER_MINUTES it may be tried again.


class WorkerKilled(BaseException):
    """What the import sees of a worker's process being killed: nothing after it runs."""


def killed_after_first_chunk(monkeypatch, researcher, records=5):
    study_import = stored_import(researcher, records, status=ImportStatus.QUEUED)
    real_import, calls = services.studies_import, []

    def killed_in_second_chunk(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise WorkerKilled
        return real_import(**kwargs)

    monkeypatch.setattr(services, "studies_import", killed_in_second_chunk)
    with pytest.raises(WorkerKilled):
        services.study_import_run(study_import_id=study_import.pk, chunk_size=2)
    monkeypatch.setattr(services, "studies_import", real_import)
    study_import.refresh_from_db()
    assert (study_import.status, study_import.records_done) == (ImportStatus.RUNNING, 2)
    return study_import


def stall(study_import, minutes=11):
    StudyImport.objects.filter(pk=study_import.pk).update(
        progressed_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_an_import_whose_worker_was_killed_is_offered_again_once_stalled_and_resumes(
    client, researcher, monkeypatch, django_capture_on_commit_callbacks
):
    study_import = killed_after_first_chunk(monkeypatch, researcher)
    client.force_login(researcher)
    response = client.get(result_url(study_import))
    assertContains(response, "So far: 2 created")
    assertNotContains(response, "Try again")

    stall(study_import)
    response = client.get(result_url(study_import))
    assertContains(response, "The import has not moved since")
    assertContains(response, "Try again from record 3")
    assertNotContains(response, "data-follow-progress")  # nothing to follow

    retry = reverse("admin:evidence_study_import_retry", args=[study_import.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assertRedirects(client.post(retry), result_url(study_import))
    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.IMPORTED
    assert (study_import.records_done, study_import.created) == (5, 5)
    assert [row["number"] for row in study_import.outcomes] == [1, 2, 3, 4, 5]
    assert Study.objects.count() == 5


def test_an_import_that_is_still_moving_cannot_be_tried_again(client, researcher, monkeypatch):
    study_import = killed_after_first_chunk(monkeypatch, researcher)
    stall(study_import, minutes=9)
    client.force_login(researcher)
    retry = reverse("admin:evidence_study_import_retry", args=[study_import.pk])
    response = client.post(retry, follow=True)
    assertContains(response, "This file is being imported.")
    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.RUNNING


def test_requeue_stalled_imports_queues_those_whose_worker_stopped_and_leaves_the_rest(
    researcher, monkeypatch, django_capture_on_commit_callbacks
):
    stalled = killed_after_first_chunk(monkeypatch, researcher)
    stall(stalled)
    moving = stored_import(
        researcher,
        2,
        content=ris(2, start=10),
        status=ImportStatus.RUNNING,
        progressed_at=timezone.now(),
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("requeue_stalled_imports", stdout=out)

    assert out.getvalue() == (
        f"synthetic.ris (import {stalled.pk}): queued again, to resume after record 2 of 5.\n"
    )
    stalled.refresh_from_db()
    moving.refresh_from_db()
    assert (stalled.status, stalled.created) == (ImportStatus.IMPORTED, 5)
    assert (moving.status, moving.records_done) == (ImportStatus.RUNNING, 0)


def test_a_worker_that_lost_its_import_to_a_second_try_leaves_it_to_the_new_worker(
    researcher, monkeypatch
):
    # The first worker is slow, not dead (it waited for another import's turn): its import
    # stalled and was tried again, and a second worker finished it. The first writes nothing more.
    study_import = stored_import(researcher, 5, status=ImportStatus.QUEUED)
    real_records_of, taken_over = services.records_of, []

    def meanwhile(content, format):
        records = real_records_of(content, format)
        yield from islice(records, 2)  # the first worker's first chunk
        if not taken_over:
            taken_over.append(True)
            stall(study_import)
            services.study_import_retry(study_import=study_import, user=researcher)
            services.study_import_run(study_import_id=study_import.pk, chunk_size=2)
        yield from records

    monkeypatch.setattr(services, "records_of", meanwhile)
    services.study_import_run(study_import_id=study_import.pk, chunk_size=2)

    study_import.refresh_from_db()
    assert study_import.status == ImportStatus.IMPORTED
    assert (study_import.records_done, study_import.created) == (5, 5)
    assert [row["number"] for row in study_import.outcomes] == [1, 2, 3, 4, 5]
    assert Study.objects.count() == 5
