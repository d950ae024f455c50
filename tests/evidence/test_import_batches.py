"""studies_import across batches: a record matched to one of an earlier batch of the same file
has the outcome it would have if that batch were a stored library (the import looks up a batch
while the one before it is still being written, config.pipeline.Pipeline)."""

import threading

import pytest

from evidence.importers import Record, guess
from evidence.importers.records import mark_retraction
from evidence.models import PossibleDuplicate, Study
from evidence.services import Status, studies_import

BATCH = 2


def record(n, **fields):
    values = {
        "title": f"Synthetic record {n} of a made-up study across batches",
        "authors": [f"Testauthor{n} A"],
        "journal": "Journal of Synthetic Tests",
        "year": 2020,
        "doi": f"10.5555/synthetic.batches.{n}",
        **fields,
    }
    return mark_retraction(guess.complete(Record(number=n, line=n, **values)), [])


def fillers(*numbers):
    return [record(n) for n in numbers]


def outcome_of(result, n):
    return next(o for o in result.outcomes if o.number == n)


def import_after_earlier_batches(later, batches_between):
    """Records 1 and 2 as the first batch, then `batches_between` batches of others, then
    `later`: the result, and the study record 2 made."""
    between = fillers(*range(3, 3 + BATCH * batches_between))
    result = studies_import(records=[*fillers(1, 2), *between, later], batch_size=BATCH)
    return result, Study.objects.get(doi="10.5555/synthetic.batches.2")


@pytest.mark.parametrize("batches_between", [0, 1, 3])
def test_a_record_with_the_doi_of_an_earlier_batchs_record_is_its_duplicate(db, batches_between):
    same_doi = record(100, doi="10.5555/synthetic.batches.2", title="Another synthetic title")
    result, earlier = import_after_earlier_batches(same_doi, batches_between)
    outcome = outcome_of(result, 100)
    # as a stored study's: described by its citation, not as "record 2 of this file"
    assert (outcome.status, outcome.message, outcome.match_id, outcome.match_label) == (
        Status.DUPLICATE,
        "same DOI",
        earlier.pk,
        "Testauthor2 2020: Synthetic record 2 of a made-up study across batches",
    )
    assert Study.objects.count() == 2 + BATCH * batches_between


@pytest.mark.parametrize("batches_between", [0, 1, 3])
def test_a_similar_title_by_an_earlier_batchs_first_author_is_flagged_against_its_study(
    db, batches_between
):
    similar = record(
        100,
        doi="",
        title="Synthetic record 2 of a made-up study across batch",
        authors=["Testauthor2 A"],
    )
    result, earlier = import_after_earlier_batches(similar, batches_between)
    outcome = outcome_of(result, 100)
    assert (outcome.status, outcome.message, outcome.match_id, outcome.match_label) == (
        Status.POSSIBLE_DUPLICATE,
        "title 98% similar, same first author",
        earlier.pk,
        "Testauthor2 2020: Synthetic record 2 of a made-up study across batches",
    )
    flag = PossibleDuplicate.objects.get()
    assert (flag.study_id, flag.duplicate_of_id) == (outcome.study_id, earlier.pk)


def test_records_in_the_same_batch_are_still_told_apart_by_their_record_number(db):
    result = studies_import(
        records=[record(1), record(2, doi="10.5555/synthetic.batches.1")], batch_size=BATCH
    )
    assert outcome_of(result, 2).match_label == "record 1 of this file"


@pytest.mark.parametrize("batches_between", [0, 1])
def test_a_retracted_record_of_an_earlier_batchs_study_marks_that_study_retracted(
    db, batches_between
):
    retracted = record(
        100,
        title="Synthetic record 2 of a made-up study across batches",
        publication_types=["Retracted Publication"],
        doi="10.5555/synthetic.batches.2",
    )
    result, earlier = import_after_earlier_batches(retracted, batches_between)
    assert (earlier.retracted, earlier.retraction_notice_url) == (
        True,
        retracted.retraction_notice_url,
    )
    assert outcome_of(result, 100).status == Status.DUPLICATE
    assert result.now_retracted == 1


def test_a_dry_run_across_batches_gives_the_outcomes_of_the_import(db):
    records = [
        *fillers(1, 2, 3, 4, 5),
        record(100, doi="10.5555/synthetic.batches.1", title="Another synthetic title"),
        record(101, doi="", title="Synthetic record 3 of a made-up study across batches, again",
               authors=["Testauthor3 A"]),
    ]  # fmt: skip
    dry = studies_import(records=records, dry_run=True, batch_size=BATCH)
    real = studies_import(records=records, batch_size=BATCH)
    assert [(o.number, o.status, o.message) for o in dry.outcomes] == [
        (o.number, o.status, o.message) for o in real.outcomes
    ]
    assert [o.status for o in real.outcomes][-2:] == [Status.DUPLICATE, Status.POSSIBLE_DUPLICATE]


def test_an_error_in_a_later_batch_stops_every_thread_and_writes_nothing(db, monkeypatch):
    from evidence import services

    def fail(*args, **kwargs):
        raise RuntimeError("synthetic failure of a look-up")

    calls = []
    original = services._stored_rows_of

    def fail_on_third(wanted):
        calls.append(wanted)
        if len(calls) == 3:
            fail()
        return original(wanted)

    monkeypatch.setattr(services, "_stored_rows_of", fail_on_third)
    threads = threading.active_count()
    with pytest.raises(RuntimeError, match="synthetic failure of a look-up"):
        studies_import(records=fillers(*range(1, 11)), batch_size=BATCH)
    assert not Study.objects.exists()
    assert threading.active_count() == threads
