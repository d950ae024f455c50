"""/api/findings/ reads a page of findings from indexes, for readers and for researchers,
with or without its filters: no sequential scan of findings, studies or claims. PostgreSQL
only."""

import pytest

from claims.models import Claim
from evidence.models import Study
from tests.api.conftest import token_client
from tests.plans import (
    BIG_TABLES,
    on_postgresql,
    page_query,
    plan_library,  # noqa: F401 (a fixture, used by pytestmark)
    scanned_sequentially,
)

pytestmark = [on_postgresql, pytest.mark.django_db, pytest.mark.usefixtures("plan_library")]


def test_readers_page_of_findings_reads_indexes(api):
    sql = page_query(api, "/api/findings/", "claims_finding")
    assert not scanned_sequentially(sql) & BIG_TABLES


def test_a_deep_page_of_findings_reads_indexes(api):
    body = api.get("/api/findings/", {"page_size": 100}).json()
    for _ in range(20):
        body = api.get(body["next"]).json()
    sql = page_query(api, body["next"], "claims_finding")
    assert not scanned_sequentially(sql) & BIG_TABLES


def test_findings_filtered_by_claim_or_study_read_indexes(api):
    claim = Claim.objects.published().order_by("id").first()
    study = Study.objects.order_by("id").first()
    for url in (f"/api/findings/?claim={claim.slug}", f"/api/findings/?study={study.pk}"):
        sql = page_query(api, url, "claims_finding")
        assert not scanned_sequentially(sql) & BIG_TABLES, url


def test_researchers_page_of_findings_reads_indexes(researcher):
    sql = page_query(token_client(researcher), "/api/findings/?status=draft", "claims_finding")
    assert not scanned_sequentially(sql) & BIG_TABLES
