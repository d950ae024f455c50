"""studies_import: duplicates, possible duplicates and batched writes."""

import threading

import pytest
from django.db import connection

from evidence.importers import Record, guess
from evidence.models import PossibleDuplicate, Study
from evidence.services import Status, studies_import
from tests.factories import StudyFactory


def record(n, **fields):
    values = {
        "title": f"Synthetic record {n} of a made-up study",
        "authors": [f"Testauthor{n} A"],
        "year": 2020,
        "doi": f"10.5555/synthetic.dedupe.{n}",
        **fields,
    }
    return guess.complete(Record(number=n, line=n * 10, **values))


def outcome_of(result, n=1):
    return next(o for o in result.outcomes if o.number == n)


@pytest.mark.parametrize(
    "stored, given, label",
    [
        ({"doi": "10.5555/synthetic.same"}, {"doi": "doi:10.5555/SYNTHETIC.SAME"}, "DOI"),
        ({"pmid": "990000111"}, {"doi": "", "pmid": "990000111"}, "PMID"),
        ({"pmcid": "PMC990000111"}, {"doi": "", "pmcid": "990000111"}, "PMCID"),
    ],
)
def test_it_reports_an_exact_identifier_match_as_a_duplicate_and_updates_nothing(
    db, stored, given, label
):
    existing = StudyFactory(title="Synthetic stored title", **{"doi": "", "pmid": "", **stored})
    result = studies_import(records=[record(1, title="Synthetic other title", **given)])
    outcome = outcome_of(result)
    assert (outcome.status, outcome.message, outcome.match_id) == (
        Status.DUPLICATE,
        f"same {label}",
        existing.pk,
    )
    existing.refresh_from_db()
    assert existing.title == "Synthetic stored title"
    assert Study.objects.count() == 1


def test_a_same_title_and_year_is_flagged_as_a_possible_duplicate_never_merged(db):
    existing = StudyFactory(title="Synthetic Trial: of a Made-up Compound.", year=2020)
    result = studies_import(
        records=[record(1, title="synthetic trial of a made-up compound", authors=["Other Z"])]
    )
    outcome = outcome_of(result)
    assert (outcome.status, outcome.message, outcome.match_id) == (
        Status.POSSIBLE_DUPLICATE,
        "same title and year",
        existing.pk,
    )
    flag = PossibleDuplicate.objects.get()
    assert (flag.study_id, flag.duplicate_of_id, flag.resolution) == (
        outcome.study_id,
        existing.pk,
        "open",
    )
    assert Study.objects.count() == 2


def test_a_similar_title_by_the_same_first_author_is_a_possible_duplicate(db):
    existing = StudyFactory(
        title="Synthetic trial of a made-up compound in adults",
        authors=["Testauthor1 A"],
        year=2019,
    )
    result = studies_import(
        records=[record(1, title="Synthetic trial of a made-up compound in adult")]
    )
    outcome = outcome_of(result)
    assert outcome.status == Status.POSSIBLE_DUPLICATE
    assert outcome.match_id == existing.pk
    assert outcome.message == "title 99% similar, same first author"


def test_a_similar_title_by_another_first_author_is_new(db):
    StudyFactory(title="Synthetic trial of a made-up compound in adults", year=2019)
    result = studies_import(
        records=[record(1, title="Synthetic trial of a made-up compound in adult")]
    )
    assert outcome_of(result).status == Status.NEW


def test_a_title_below_the_similarity_threshold_by_the_same_first_author_is_new(db):
    StudyFactory(title="Synthetic cohort of made-up people", authors=["Testauthor1 A"])
    result = studies_import(records=[record(1, title="Synthetic trial of a made-up compound")])
    assert outcome_of(result).status == Status.NEW


def test_the_same_citation_without_any_identifier_on_either_side_is_a_duplicate(db):
    StudyFactory(
        title="Synthetic record 1 of a made-up study",
        authors=["Testauthor1 A"],
        year=2020,
        doi="",
        pmid="",
    )
    result = studies_import(records=[record(1, doi="")])
    assert (outcome_of(result).status, outcome_of(result).message) == (
        Status.DUPLICATE,
        "same title, year and first author, no identifiers",
    )


def test_records_of_one_file_are_matched_against_each_other(db):
    result = studies_import(
        records=[
            record(1),
            record(2, doi="10.5555/synthetic.dedupe.1"),
            record(3, title="Synthetic record 1 of a made-up study", authors=["Other Z"]),
        ]
    )
    first, second, third = result.outcomes
    assert first.status == Status.NEW
    assert (second.status, second.match_label, second.match_id) == (
        Status.DUPLICATE,
        "record 1 of this file",
        first.study_id,
    )
    assert (third.status, third.match_id) == (Status.POSSIBLE_DUPLICATE, first.study_id)
    assert PossibleDuplicate.objects.get().duplicate_of_id == first.study_id
    assert result.summary == "1 created, 1 duplicates, 1 possible duplicates, 0 errors"


def test_a_dry_run_gives_the_same_outcomes_and_writes_nothing(db):
    StudyFactory(doi="10.5555/synthetic.dedupe.2")
    records = [record(1), record(2), record(3, title="")]
    dry = studies_import(records=records, dry_run=True)
    assert not Study.objects.filter(doi="10.5555/synthetic.dedupe.1").exists()
    real = studies_import(records=records)
    assert [o.status for o in dry.outcomes] == [o.status for o in real.outcomes]


def test_imported_studies_have_history_naming_the_source_and_the_user(db, researcher):
    studies_import(records=[record(1)], user=researcher, source="synthetic.ris")
    entry = Study.objects.get().history.get()
    assert (entry.history_user, entry.history_change_reason) == (
        researcher,
        "Imported from synthetic.ris",
    )


def test_a_database_error_mid_file_rolls_back_the_whole_file(db, monkeypatch):
    from evidence import services

    calls = []
    original = services._insert_studies

    def fail_on_second_batch(studies, **kwargs):
        calls.append(len(studies))
        if len(calls) == 2:
            raise RuntimeError("synthetic failure")
        return original(studies, **kwargs)

    monkeypatch.setattr(services, "_insert_studies", fail_on_second_batch)
    threads = threading.active_count()
    with pytest.raises(RuntimeError):
        studies_import(records=[record(n) for n in range(1, 5)], batch_size=2)
    assert calls == [2, 2]
    assert not Study.objects.exists()
    assert threading.active_count() == threads  # the thread reading ahead stopped with it


# Per batch: one look-up of the stored studies sharing an identifier, a title or a first author
# with the batch's records; the studies and their history (SQLite: two INSERTs; PostgreSQL: the
# ids from the sequence, a COPY and an INSERT … SELECT); the possible-duplicate flags. Per file: the savepoint and
# its release, and on PostgreSQL the advisory lock by which imports take turns.
def queries_per_batch():
    return 5 if connection.vendor == "postgresql" else 4


def queries_per_file():
    return 3 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize("batches", [1, 3])
def test_each_batch_runs_the_same_bounded_number_of_queries(db, django_assert_num_queries, batches):
    batch_size = 10
    for n in range(2, batches * batch_size, batch_size):  # one possible duplicate per batch
        StudyFactory(title=f"Synthetic record {n} of a made-up study", year=2020, authors=["Z Z"])
    records = [record(n) for n in range(1, batches * batch_size + 1)]
    with django_assert_num_queries(queries_per_file() + queries_per_batch() * batches):
        result = studies_import(records=records, batch_size=batch_size)
    assert result.summary == (
        f"{batches * (batch_size - 1)} created, 0 duplicates, {batches} possible duplicates, "
        "0 errors"
    )
