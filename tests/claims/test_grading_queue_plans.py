"""The grading queue reads each section of the work waiting, and its page of every claim, by
index, on PostgreSQL with a synthetic library of a few thousand rows (tests/plans.py): the
flagged grades from a partial index of them alone, the claims no person has assessed in text
order from a partial index of those claims, never by walking every claim."""

import pytest

from tests.plans import (
    BIG_TABLES,
    indexes_read,
    on_postgresql,
    plan_library,  # noqa: F401 (a fixture, used by pytestmark)
    queries_of,
    scanned_sequentially,
)

pytestmark = [on_postgresql, pytest.mark.django_db, pytest.mark.usefixtures("plan_library")]


@pytest.fixture
def as_grader(client, grader):
    client.force_login(grader)
    return client


def queue_pages(client):
    """The queue's queries that read rows of claims (sections and the page), not its counts."""
    return [
        sql
        for sql in queries_of(client, "/grading/", "claims_claim")
        if "LIMIT" in sql and not sql.startswith("SELECT COUNT")
    ]


def test_no_section_of_the_queue_scans_a_big_table(as_grader):
    pages = queue_pages(as_grader)
    assert len(pages) >= 4  # flagged, unassessed, rounds ready, every claim
    for sql in pages:
        assert not scanned_sequentially(sql) & BIG_TABLES, sql


def test_the_flagged_and_the_unassessed_claims_come_from_their_own_partial_indexes(as_grader):
    read = set().union(*(indexes_read(sql, seqscan=False) for sql in queue_pages(as_grader)))
    assert {"assessment_flagged", "claim_provisional_order"} <= read


def test_the_flagged_claims_are_found_from_the_flagged_grades_not_by_walking_every_claim(as_grader):
    (flagged,) = [
        sql for sql in queue_pages(as_grader) if sql.endswith("LIMIT 11") and "needs_review" in sql
    ]
    assert "assessment_flagged" in indexes_read(flagged)
    assert "claim_admin_order" not in indexes_read(flagged)


def test_the_studies_to_appraise_are_walked_newest_first_each_probing_its_own_appraisals(
    as_grader,
):
    # An anti-join (NOT EXISTS) would read every appraisal of the library and test each for
    # completeness before the first study is found: 0.4 s at a million studies.
    (section,) = [
        sql for sql in queries_of(as_grader, "/grading/", "evidence_study") if "LIMIT 11" in sql
    ]
    assert not scanned_sequentially(section) & (BIG_TABLES | {"evidence_appraisal"}), section
