"""A claim's evidence is read through indexes, whatever the size of the library: the light rows
of every finding of the claim with the most findings (each with its study's risk of bias,
computed by the database), on its page, its findings list and in the API, and the counts per
direction of a page of the API's claims. No sequential scan of the findings, the studies or
the appraisals (an EXISTS over many rows can become a hash of the whole appraisals table; the
risk of bias of a study is read from its own appraisals). PostgreSQL only."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests.plans import (
    on_postgresql,
    plan_library,  # noqa: F401 (a fixture, used by pytestmark)
    scanned_sequentially,
)

pytestmark = [on_postgresql, pytest.mark.django_db, pytest.mark.usefixtures("plan_library")]

NEVER_SCANNED = {
    "claims_claim",
    "claims_finding",
    "evidence_study",
    "evidence_appraisal",
    "evidence_domainjudgement",
}


def queries_of(client, url, marker):
    """The queries of the response to `url` whose SQL holds `marker`."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    found = [q["sql"] for q in queries.captured_queries if marker in q["sql"]]
    assert found, f"No query with {marker} in {url}"
    return found


def biggest():
    return Claim.objects.published().annotate(n=Count("findings")).order_by("-n").first()


def typical():
    return Claim.objects.published().annotate(n=Count("findings")).filter(n__gt=1).last()


PAGES = ["/claims/{}/", "/claims/{}/findings/?direction=supports", "/api/claims/{}/"]


@pytest.mark.parametrize("url", PAGES)
def test_the_light_rows_of_a_claim_read_indexes(client, url):
    for sql in queries_of(client, url.format(typical().slug), 'AS "high_risk"'):
        assert not scanned_sequentially(sql) & NEVER_SCANNED, sql


@pytest.mark.parametrize("url", PAGES)
def test_the_risk_of_bias_of_every_study_of_the_claim_with_the_most_findings_reads_indexes(
    client, url
):
    """Its 500 studies are a twentieth of this small library, so PostgreSQL may rightly read
    the studies whole here; never the appraisals, whatever the number of rows."""
    for sql in queries_of(client, url.format(biggest().slug), 'AS "high_risk"'):
        assert not scanned_sequentially(sql) & (NEVER_SCANNED - {"evidence_study"}), sql


def test_the_api_counts_a_pages_findings_per_direction_from_indexes(client):
    for sql in queries_of(client, "/api/claims/", 'COUNT("claims_finding"."id")'):
        assert not scanned_sequentially(sql) & NEVER_SCANNED, sql
