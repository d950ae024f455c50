"""The claims list and the API's claims list read every page through indexes: with a few
thousand synthetic claims and ANALYZE, no query of any filter, sort or page scans the claims
(or the findings) sequentially. Their grade is stored on the claim and each order has its index
(Claim.Meta.indexes); a page's counts are computed for its own rows (claims.paging). Plans, not
timings: those are in docs/benchmarks.md."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.synthetic import Size, library_make
from tests.plans import on_postgresql, scanned_sequentially

pytestmark = [
    on_postgresql,
    # Committed, so that VACUUM can set the visibility map as autovacuum does on a library.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEVER_SCANNED = {"claims_claim", "claims_finding"}
VARIANTS = [
    "",
    "?verdict=supported",
    "?certainty=low",
    "?kind=mechanism",
    "?sort=text",
    "?sort=verdict",
    "?sort=-verdict",
    "?sort=certainty",
    "?sort=-certainty",
    "?page=100",
    "?sort=-verdict&page=100",
    "?verdict=mixed&page=15",
]


@pytest.fixture
def library(settings):
    settings.PAGE_SIZE = 25
    library_make(size=Size(studies=600, claims=3000, findings=6000, articles=1, statements=50))
    with connection.cursor() as cursor:
        for table in ("claims_claim", "claims_finding", "claims_assessment"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def sequential_scans(sql):
    """The tables of NEVER_SCANNED that the plan of `sql` reads by a sequential scan."""
    return scanned_sequentially(sql) & NEVER_SCANNED


def claim_queries(client, url):
    """The queries of the response to `url` that read claims: the count of the list and the
    page's claims (then, in the API, what each claim shows)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in queries if '"claims_claim"' in q["sql"]]
    assert any(sql.startswith("SELECT COUNT(*)") for sql in sqls)
    assert any("LIMIT" in sql for sql in sqls)
    return sqls


def assert_indexed(client, base):
    scanned = {}
    for variant in VARIANTS:
        for sql in claim_queries(client, base + variant):
            if tables := sequential_scans(sql):
                scanned.setdefault(base + variant, []).append((sorted(tables), sql))
    assert scanned == {}


def test_every_filter_sort_and_page_of_the_claims_list_reads_through_indexes(client, library):
    assert_indexed(client, "/claims/")


def test_every_filter_sort_and_page_of_the_apis_claims_reads_through_indexes(client, library):
    assert_indexed(client, "/api/claims/")


def test_a_plan_with_a_sequential_scan_of_the_claims_is_found(library):
    """The check above can fail: a filter no index backs (a claim's subject) is scanned."""
    assert sequential_scans(
        "SELECT id FROM claims_claim WHERE subject = 'compound A' ORDER BY outcome"
    ) == {"claims_claim"}
