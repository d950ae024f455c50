"""The studies list's page query reads indexes, whatever the filter, sort or search: no
sequential scan of the studies (nor of the findings for the claim filter). PostgreSQL only."""

import pytest

from claims.models import Claim
from tests.plans import (
    on_postgresql,
    page_query,
    plan_library,  # noqa: F401 (a fixture, used by pytestmark)
    scanned_sequentially,
)

pytestmark = [on_postgresql, pytest.mark.django_db, pytest.mark.usefixtures("plan_library")]

BIG_TABLES = {"evidence_study", "claims_finding", "claims_claim"}


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
        "?q=1234",
        "?q=1234&sort=title",
        "?q=marker&sort=-year",
    ],
)
def test_the_study_list_reads_its_page_from_indexes(client, query):
    sql = page_query(client, f"/studies/{query}", "evidence_study")
    assert not scanned_sequentially(sql) & BIG_TABLES


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


@pytest.mark.parametrize("query", ["", "?design=rct&year=2015", "?q=marker", "?q=1234"])
def test_the_api_reads_its_page_of_studies_from_indexes(client, query):
    sql = page_query(client, f"/api/studies/{query}", "evidence_study")
    assert not scanned_sequentially(sql) & BIG_TABLES


@pytest.mark.parametrize("text", ["Synthetic claim 1234", "marker"])
def test_the_claim_suggestions_read_indexes(client, text, monkeypatch):
    monkeypatch.setattr("config.search.RANK_CAP", 100)
    sql = page_query(client, f"/claims/suggestions/?q={text}", "claims_claim")
    assert not scanned_sequentially(sql) & BIG_TABLES
