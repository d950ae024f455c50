"""Versioned.save_version, the one place versions are counted: a write against the version
read moves it on; one against an older version raises Stale and writes nothing, history
included; the check and the write are one conditional UPDATE (issue 11, item 5)."""

import threading
import time

import pytest
from django.db import connection, transaction

from claims.models import Finding
from claims.services import finding_save
from config.errors import Stale
from config.versions import current_version
from tests.factories import FindingFactory, StudyFactory


@pytest.mark.django_db
def test_a_save_against_the_version_read_counts_it_up():
    finding = FindingFactory()
    finding.note = "A synthetic note, edited."
    finding.save_version(seen=1)
    assert (finding.version, current_version(finding)) == (2, 2)
    assert finding.history.latest().version == 2


@pytest.mark.django_db
def test_a_save_against_an_older_version_writes_nothing(grader):
    finding = FindingFactory(direction="supports")
    first, second = Finding.objects.get(), Finding.objects.get()
    finding_save(finding=first, by=grader, changes={"direction": "contradicts"}, seen=1)

    with pytest.raises(Stale) as refused:
        finding_save(finding=second, by=grader, changes={"note": "Synthetic."}, seen=1)

    assert refused.value.version == 2
    assert ("Direction", "Supports", "Contradicts") in refused.value.differences
    assert ("Note", "Synthetic.", "A synthetic finding written for a test.") in (
        refused.value.differences
    )
    stored = Finding.objects.get()
    assert (stored.direction, stored.note, stored.version) == (
        "contradicts",
        "A synthetic finding written for a test.",
        2,
    )
    assert finding.history.count() == 2


@pytest.mark.django_db
def test_a_record_deleted_since_it_was_read_is_refused():
    study = StudyFactory()
    study.delete()
    study.pk, study._state.adding = None, True
    with pytest.raises(Stale, match="deleted since you opened it"):
        study.save_version(seen=3)


def waiting_for_the_row(tries=200):
    """Until a backend waits for a lock (the second writer's UPDATE), or it finished first."""
    for _ in range(tries):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_the_same_version_at_once_one_wins_the_other_is_refused():
    """The second writer's UPDATE waits for the first's transaction and then finds the version
    moved on: no moment lies between the check and the write."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; row locks are PostgreSQL's")
    finding = FindingFactory()
    holding, outcome = threading.Event(), {}

    def first_writer():
        try:
            with transaction.atomic():
                mine = Finding.objects.get(pk=finding.pk)
                mine.note = "Synthetic note of the first writer."
                mine.save_version(seen=1)
                holding.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def second_writer():
        try:
            theirs = Finding.objects.get(pk=finding.pk)
            theirs.note = "Synthetic note of the second writer."
            theirs.save_version(seen=1)
            outcome["second"] = "saved"
        except Stale:
            outcome["second"] = "refused"
        finally:
            connection.close()

    release = threading.Event()
    first = threading.Thread(target=first_writer)
    first.start()
    assert holding.wait(timeout=10)
    second = threading.Thread(target=second_writer)
    second.start()
    waiting_for_the_row()
    release.set()
    first.join()
    second.join()

    assert outcome == {"second": "refused"}
    stored = Finding.objects.get()
    assert (stored.note, stored.version) == ("Synthetic note of the first writer.", 2)


@pytest.mark.django_db
def test_a_write_without_a_version_to_a_record_deleted_meanwhile_says_so():
    finding = FindingFactory()
    Finding.objects.filter(pk=finding.pk).delete()
    with pytest.raises(Stale, match="deleted since you opened it"):
        finding.save_version()
