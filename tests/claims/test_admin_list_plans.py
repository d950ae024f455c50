"""The admin's big lists read their page in an order an index serves, count up to their cap
without reading the table, and find a claim's findings and the intake's candidate claims by
index: on PostgreSQL, on a synthetic library of a few thousand rows (tests/plans.py)."""

import pytest
from django.contrib.auth.models import Group, User

from claims.models import Article
from config.admin_lists import LargeList
from tests.plans import (
    BIG_TABLES,
    indexes_read,
    on_postgresql,
    plan_library,  # noqa: F401 (a fixture, used by pytestmark)
    plan_nodes,
    queries_of,
    scanned_sequentially,
)

pytestmark = [on_postgresql, pytest.mark.django_db, pytest.mark.usefixtures("plan_library")]
PER_PAGE = LargeList.list_per_page


@pytest.fixture
def staff(client):
    user = User.objects.create_user("plan-grader", is_staff=True)
    user.groups.add(Group.objects.get(name="grader"))
    client.force_login(user)
    return client


def list_page_query(client, url, table):
    """The SQL of the query that reads the list's page of `table` (not its count)."""
    found = [
        sql
        for sql in queries_of(client, url, table)
        if sql.rstrip().endswith((f"LIMIT {PER_PAGE}", f"LIMIT {PER_PAGE + 1}"))
        and not sql.startswith("SELECT COUNT")
    ]
    assert found, f"No page of {table} read by {url}"
    return found[-1]


# (The statement links' list, ordered by statementclaim_review_order, is one page of 20 rows
# in this library: no page query to test.)
@pytest.mark.parametrize(
    ("url", "table", "index"),
    [
        ("/admin/claims/claim/", "claims_claim", "claim_admin_order"),
        ("/admin/claims/assessment/", "claims_assessment", "assessment_created_order"),
        ("/admin/evidence/appraisal/", "evidence_appraisal", "appraisal_updated_order"),
        ("/admin/evidence/study/", "evidence_study", "study_list_order"),
        ("/admin/claims/finding/", "claims_finding", "claims_finding_pkey"),
    ],
)
def test_each_admin_list_reads_its_page_in_an_order_an_index_serves(staff, url, table, index):
    sql = list_page_query(staff, url, table)
    assert not scanned_sequentially(sql) & BIG_TABLES
    assert index in indexes_read(sql, seqscan=False)


@pytest.mark.parametrize(
    ("url", "table"),
    [
        ("/admin/claims/claim/", "claims_claim"),
        ("/admin/claims/finding/", "claims_finding"),
        ("/admin/evidence/study/", "evidence_study"),
    ],
)
def test_a_big_admin_list_counts_up_to_its_cap_and_never_the_whole_table(staff, url, table):
    counts = [sql for sql in queries_of(staff, url, table) if sql.startswith("SELECT COUNT")]
    assert len(counts) == 1 and "LIMIT 10001" in counts[0]


def test_a_claims_findings_are_read_by_index_on_its_page_and_in_its_list(staff):
    from claims.models import Claim

    claim = Claim.objects.order_by("pk").first()
    page = list_page_query(
        staff, f"/admin/claims/finding/?claim__id__exact={claim.pk}", "claims_finding"
    )
    assert not scanned_sequentially(page) & BIG_TABLES
    newest = [
        sql
        for sql in queries_of(staff, f"/admin/claims/claim/{claim.pk}/change/", "claims_finding")
        if sql.rstrip().endswith("LIMIT 20")
    ]
    assert len(newest) == 1 and not scanned_sequentially(newest[0]) & BIG_TABLES
    assert "finding_claim_order" in indexes_read(newest[0], seqscan=False)


def test_the_years_of_the_studies_filter_are_found_by_walking_the_year_index(staff):
    (walk,) = [
        sql
        for sql in queries_of(staff, "/admin/evidence/study/", "evidence_study")
        if sql.lstrip().startswith("WITH RECURSIVE")
    ]
    assert not scanned_sequentially(walk) & BIG_TABLES


# Each word's look-up is a constant query the planner sees, for the first PER_WORD by key: at a
# few thousand claims it rightly reads the table, or walks the key's index, for them; what must
# hold at any size is that the word index answers each word alone (a bitmap of it), which the
# planner takes for a rare word once the table is large (0.2 ms at 100,000 claims, where a word
# in most of them walks the key's index for its first PER_WORD: docs/benchmarks.md).
def test_the_intake_finds_each_sentences_candidate_claims_by_the_word_index(staff):
    article = Article.objects.order_by("pk").first()
    (found,) = [
        sql
        for sql in queries_of(staff, f"/intake/{article.slug}/", "claims_claim")
        if "WITH found" in sql
    ]
    assert indexes_read(found, seqscan=False, indexscan=False) == {"claims_claim_search"}


def test_the_findings_search_for_a_common_word_tests_each_findings_study_and_claim_by_join(
    staff, monkeypatch
):
    # "marker" is in 30 % of the studies: with the keys' cap at 1,000 it stands for a common
    # word of a million studies. No keys are read, and neither the count nor the page hashes
    # every matching study or claim first: each row's own are joined (config.search.rows_on).
    monkeypatch.setattr("config.search.KEYS_CAP", 1000)
    queries = queries_of(staff, "/admin/claims/finding/?q=marker", "claims_finding")
    assert queries and all("EXISTS" not in sql and "IN (" not in sql for sql in queries)
    for sql in queries:
        nodes = plan_nodes(sql)
        assert not [n for n in nodes if "hashed" in n.get("Subplan Name", "")]
        assert {"evidence_study", "claims_claim"} <= {n.get("Relation Name") for n in nodes}
    searched = queries_of(staff, "/admin/claims/finding/?q=marker", "evidence_study")
    assert all(sql.startswith("EXPLAIN") for sql in searched)
