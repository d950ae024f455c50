"""The studies list's page query reads indexes, whatever the filter, sort or search: no
sequential scan of the studies (nor of the findings for the claim filter). PostgreSQL only."""

import pytest

from claims.models import Claim
from tests.plans import (
    BIG_TABLES,
    indexes_read,
    on_postgresql,
    page_query,
    plan_library,  # noqa: F401 (a fixture, used by pytestmark)
    plan_nodes,
    queries_of,
    rows_returned,
    scanned_sequentially,
    search_keys_query,
)

pytestmark = [on_postgresql, pytest.mark.django_db, pytest.mark.usefixtures("plan_library")]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?page=40",
        "?sort=year",
        "?sort=-year",
        "?sort=title",
        "?sort=-title",
        "?sort=participants",
        "?sort=-participants",
        "?design=rct",
        "?design=rct&sort=-year",
        "?population=animal&sort=title",
        "?year=2015",
        "?q=marker&sort=-year",
    ],
)
def test_the_study_list_reads_its_page_from_indexes(client, query):
    sql = page_query(client, f"/studies/{query}", "evidence_study")
    assert not scanned_sequentially(sql) & BIG_TABLES


# A search for a rare word finds its matches' keys by the word index, then reads the page by
# those keys (config.search._keys). The stored search vector makes a row cheap to test, so on a
# library of a few thousand rows the planner may rightly scan them all; what must hold at any
# size is that the word index answers once scanning is not the cheapest.
@pytest.mark.parametrize("query", ["?q=1234", "?q=1234&sort=title"])
def test_a_search_for_a_rare_word_finds_its_keys_by_the_word_index(client, query):
    url = f"/studies/{query}"
    keys = search_keys_query(client, url, "evidence_study")
    assert "evidence_study_search" in indexes_read(keys, seqscan=False)
    page = page_query(client, url, "evidence_study")
    assert '"evidence_study"."id" = ANY(' in page  # the keys found, as one array
    assert not scanned_sequentially(page) & BIG_TABLES


@pytest.mark.parametrize("query", ["?q=marker", "?q=compound", "?q=synthe"])
def test_a_common_word_past_the_ranking_cap_reads_the_lists_order_from_an_index(
    client, query, monkeypatch
):
    # At scale a common word matches far more than the 1,000 the search ranks: here, 30 %
    # of 3,000 studies stand for 30 % of a million.
    monkeypatch.setattr("config.search.RANK_CAP", 100)
    sql = page_query(client, f"/studies/{query}", "evidence_study")
    assert not scanned_sequentially(sql) & BIG_TABLES


def test_the_study_list_filtered_by_a_claim_reads_indexes(client):
    claim = Claim.objects.published().order_by("id").first()
    sql = page_query(client, f"/studies/?claim={claim.slug}", "evidence_study")
    assert not scanned_sequentially(sql) & BIG_TABLES


@pytest.mark.parametrize("query", ["", "?design=rct&year=2015", "?q=marker"])
def test_the_api_reads_its_page_of_studies_from_indexes(client, query):
    sql = page_query(client, f"/api/studies/{query}", "evidence_study")
    assert not scanned_sequentially(sql) & BIG_TABLES


def test_the_apis_search_for_a_rare_word_finds_its_keys_by_the_word_index(client):
    keys = search_keys_query(client, "/api/studies/?q=1234", "evidence_study")
    assert "evidence_study_search" in indexes_read(keys, seqscan=False)
    page = page_query(client, "/api/studies/?q=1234", "evidence_study")
    assert not scanned_sequentially(page) & BIG_TABLES


def test_the_claim_suggestions_for_a_common_word_read_indexes(client, monkeypatch):
    monkeypatch.setattr("config.search.RANK_CAP", 100)
    sql = page_query(client, "/claims/suggestions/?q=marker", "claims_claim")
    assert not scanned_sequentially(sql) & BIG_TABLES


def test_the_claim_suggestions_for_a_rare_claim_read_their_page_by_the_keys_found(client):
    # Found how: 2,000 claims are too few for the planner to prefer the word index to a scan
    # (at 100,000 it does: docs/benchmarks.md); the page reads the keys' rows only.
    page = page_query(client, "/claims/suggestions/?q=Synthetic claim 1234", "claims_claim")
    assert '"claims_claim"."id" = ANY(' in page  # the keys found, as one array
    assert not scanned_sequentially(page) & BIG_TABLES


def test_a_search_the_word_index_cannot_answer_is_found():
    """The check above can fail: a search in the abstract, which the index does not hold."""
    sql = (
        "SELECT id FROM evidence_study WHERE to_tsvector('english', abstract) @@ "
        "plainto_tsquery('english', '1234') ORDER BY id LIMIT 25"
    )
    assert "evidence_study_search" not in indexes_read(sql, seqscan=False)


def test_a_word_the_planner_knows_as_common_is_counted_once_without_looking_for_its_keys(
    client, monkeypatch
):
    # "marker" is in 30 % of the 10,000 studies: with the keys' cap at 1,000 it stands for a
    # common word of a million studies, whose keys would be read only to be dropped.
    monkeypatch.setattr("config.search.KEYS_CAP", 1000)
    searches = [
        sql for sql in queries_of(client, "/studies/?q=marker", "evidence_study") if "@@" in sql
    ]
    assert [sql.split(" ")[0] for sql in searches] == ["EXPLAIN", "SELECT", "SELECT"]
    count, page = searches[1:]
    assert "COUNT(" in count
    assert "= ANY(" not in page  # no list of found keys


def test_a_word_found_in_more_studies_than_the_planner_expected_is_searched_as_a_common_one(
    client, monkeypatch
):
    # As for two words that go together ("training regimen"): the planner multiplies their
    # shares and expects few. 3,000 of 10,000 studies found: their keys do not narrow the page.
    monkeypatch.setattr("config.search._is_common", lambda words: False)
    page = page_query(client, "/studies/?q=marker", "evidence_study")
    assert "= ANY(" not in page and "@@" in page
    assert not scanned_sequentially(page) & BIG_TABLES


def test_a_word_found_common_is_found_so_by_reading_no_more_keys_than_make_it_common(
    client, monkeypatch
):
    # 3,000 of the 10,000 studies, though the planner expected few: the search reads the keys
    # of 5 % of the table and one more (501), not of up to 10,001 matches, to know it common.
    monkeypatch.setattr("config.search._is_common", lambda words: False)
    keys = search_keys_query(client, "/studies/?q=marker", "evidence_study")
    assert rows_returned(keys) == 501
    page = page_query(client, "/studies/?q=marker", "evidence_study")
    assert "= ANY(" not in page and "@@" in page


def test_a_rare_word_is_not_taken_for_a_common_one(client, monkeypatch):
    monkeypatch.setattr("config.search.KEYS_CAP", 1000)
    keys = search_keys_query(client, "/studies/?q=1234", "evidence_study")
    assert "COUNT(" not in keys
    page = page_query(client, "/studies/?q=1234", "evidence_study")
    assert '"evidence_study"."id" = ANY(' in page  # the keys found, as one array


@pytest.mark.parametrize("query", ["?page=40", "?sort=title&page=40", "?sort=-year&page=40"])
def test_a_deep_page_skips_the_rows_before_it_in_the_index_alone(client, query):
    """The page's keys first (claims.paging.KeysFirstPaginator): the rows it skips are walked
    in the order's index without reading them, and only the page's own rows are read."""
    sql = page_query(client, f"/studies/{query}", "evidence_study")
    nodes = plan_nodes(sql, seqscan=False)
    walked = [n for n in nodes if n["Node Type"] == "Index Only Scan"]
    assert walked and walked[0]["Relation Name"] == "evidence_study"
