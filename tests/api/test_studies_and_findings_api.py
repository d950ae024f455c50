"""/api/studies/ and /api/findings/: the study list's filters, what readers see of findings,
fixed queries."""

import pytest

from claims.models import Status
from tests.api.conftest import all_results
from tests.factories import ClaimFactory, FindingFactory, StudyFactory


def test_studies_have_the_study_lists_filters_in_the_order_they_were_added(api, db):
    StudyFactory(title="Synthetic trial", design="rct", year=2019)
    StudyFactory(title="Synthetic older cohort", design="cohort", year=2018)
    StudyFactory(title="Synthetic newer cohort", design="cohort", year=2022)
    titles = [s["title"] for s in all_results(api, "/api/studies/", {"design": "cohort"})]
    assert titles == ["Synthetic older cohort", "Synthetic newer cohort"]
    found = all_results(api, "/api/studies/", {"q": "cohort", "year": 2022})
    assert [s["title"] for s in found] == ["Synthetic newer cohort"]
    assert api.get("/api/studies/", {"year": "2020.5"}).status_code == 400


@pytest.mark.parametrize("path", ["/api/studies/", "/api/findings/"])
def test_the_big_lists_page_through_every_row_once_by_cursor(api, db, path):
    FindingFactory.create_batch(7)
    first = api.get(path, {"page_size": 3}).json()
    assert set(first) == {"next", "previous", "results"}
    assert "cursor=" in first["next"]
    rows = all_results(api, path, {"page_size": 3})
    ids = [row["id"] for row in rows]
    assert ids == sorted(ids)
    assert len(ids) == 7
    assert api.get(path, {"cursor": "not-a-cursor"}).status_code == 404
    assert api.get(path, {"cursor": ""}).status_code == 400
    assert api.get(path, {"page_size": 101}).status_code == 400


def test_a_study_reads_with_its_identifiers_classification_and_page(api, db):
    study = StudyFactory(design="", population="", url="")
    body = api.get(f"/api/studies/{study.pk}/").json()
    assert body["doi"] == study.doi
    assert (body["design"], body["population"], body["url"]) == ("", "", None)
    assert body["page_url"] == f"http://testserver/studies/{study.pk}/"


def test_studies_filter_by_the_claim_they_bear_on_through_approved_findings(api, db):
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim, study__title="Synthetic approved")
    FindingFactory(claim=claim, study__title="Synthetic draft", status="draft")
    titles = [s["title"] for s in all_results(api, "/api/studies/", {"claim": "c"})]
    assert titles == ["Synthetic approved"]


def test_readers_see_approved_findings_on_published_claims_only(api, db):
    published, draft = ClaimFactory(slug="p"), ClaimFactory(slug="d", status=Status.DRAFT)
    shown = FindingFactory(claim=published)
    hidden = [
        FindingFactory(claim=published, status=status) for status in ("draft", "submitted")
    ] + [FindingFactory(claim=published, status="rejected"), FindingFactory(claim=draft)]
    listed = [f["id"] for f in all_results(api, "/api/findings/")]
    assert listed == [shown.pk]
    for finding in hidden:
        assert api.get(f"/api/findings/{finding.pk}/").status_code == 404
    assert api.get("/api/findings/", {"claim": "d"}).status_code == 400


def test_researchers_see_every_finding_and_filter_by_status(client_for, db):
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim)
    draft = FindingFactory(claim=claim, status="draft")
    client = client_for("researcher")
    drafts = all_results(client, "/api/findings/", {"status": "draft", "claim": "c"})
    assert [f["id"] for f in drafts] == [draft.pk]
    assert len(all_results(client, "/api/findings/")) == 2


@pytest.mark.parametrize("rows", [3, 30])
def test_the_study_list_runs_two_queries_whatever_the_number_of_studies(
    api, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    StudyFactory.create_batch(rows)
    with django_assert_num_queries(1):  # the studies (no count since keyset pagination)
        response = api.get("/api/studies/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_finding_list_runs_two_queries_whatever_the_number_of_findings(
    api, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    FindingFactory.create_batch(rows)
    # The findings with their studies and claims (no count since keyset pagination).
    with django_assert_num_queries(1):
        response = api.get("/api/findings/")
    assert len(response.json()["results"]) == rows
