"""Query plans on PostgreSQL for the plan tests: a synthetic library of a few thousand rows
(claims.synthetic, as make_library makes), ANALYZEd, and the plan of a page's main query
walked for sequential scans. Timings stay in make bench-pages; the tests prove the plans."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims.synthetic import Size, library_make

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Query plans are PostgreSQL's: SQLite has neither its planner nor its indexes "
    "(run with DATABASE_URL=postgres://...).",
)

PLAN_LIBRARY = Size(studies=10000, claims=2000, findings=9000, statements=20)
# The tables a page's query must never scan sequentially: they grow with the library.
BIG_TABLES = {"evidence_study", "claims_finding", "claims_claim"}


@pytest.fixture(scope="module")
def plan_library(django_db_setup, django_db_blocker):
    """The library for a module's tests, ANALYZEd (library_make does), rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        library_make(size=PLAN_LIBRARY, seed=10)
        yield
        transaction.set_rollback(True)


def queries_of(client, url, table):
    """The SQL of every query a request runs on `table`, as the database received it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return [query["sql"] for query in queries.captured_queries if f'FROM "{table}"' in query["sql"]]


def page_query(client, url, table):
    """The SQL of the main query a request runs on `table`: the one that reads a page of it
    (LIMIT)."""
    found = [
        sql for sql in queries_of(client, url, table) if "LIMIT" in sql and "COUNT(" not in sql
    ]
    assert found, f"No page of {table} read by {url}"
    return found[-1]


def search_estimates():
    """The queries a text search spends asking the planner how common its words are before
    reading any row (config.search._is_common), for a word that is not: PostgreSQL 1, SQLite 0."""
    return int(connection.vendor == "postgresql")


def search_keys_query(client, url, table):
    """The SQL of the query that finds the keys of a search's matches (config.search._keys)."""
    found = [
        sql
        for sql in queries_of(client, url, table)
        if "@@" in sql and "COUNT(" not in sql and not sql.startswith("EXPLAIN")
    ]
    assert found, f"No search of {table} by {url}"
    return found[0]


def rows_returned(sql):
    """How many rows `sql` returns, run under EXPLAIN ANALYZE (its plan's top node)."""
    return _explained(sql, "ANALYZE, FORMAT JSON")["Actual Rows"]


def plan_nodes(sql, *, seqscan=True, indexscan=True):
    """Every node of the plan of `sql`. seqscan=False: planned with sequential scans turned off,
    that is, by an index wherever one can serve; indexscan=False as well: by a bitmap of an
    index (what a word index gives) wherever one can serve, not by walking another index."""
    turned_off = [name for name, on in (("seqscan", seqscan), ("indexscan", indexscan)) if not on]
    found, nodes = [], [_explained(sql, "FORMAT JSON", turned_off)]
    while nodes:
        node = nodes.pop()
        found.append(node)
        nodes.extend(node.get("Plans", []))
    return found


def _explained(sql, options, turned_off=()):
    """The top node of `sql`'s plan, EXPLAINed with `options` and the planner's `turned_off`
    methods (enable_seqscan, ...) off for it."""
    with connection.cursor() as cursor:
        for name in turned_off:
            cursor.execute(f"SET LOCAL enable_{name} = off")
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        (plan,) = cursor.fetchone()
        for name in turned_off:
            cursor.execute(f"RESET enable_{name}")
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]


def scanned_sequentially(sql):
    """The tables the plan of `sql` reads by a sequential scan."""
    return {n["Relation Name"] for n in plan_nodes(sql) if n["Node Type"] == "Seq Scan"}


def indexes_read(sql, *, seqscan=True, indexscan=True):
    """The indexes the plan of `sql` reads."""
    nodes = plan_nodes(sql, seqscan=seqscan, indexscan=indexscan)
    return {n["Index Name"] for n in nodes if "Index Name" in n}
