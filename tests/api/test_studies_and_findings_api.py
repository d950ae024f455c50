"""/api/studies/ and /api/findings/: the study list's filters, what readers see of findings,
fixed queries."""

import pytest

from claims.models import Status
from tests.api.conftest import all_results
from tests.factories import ClaimFactory, FindingFactory, StudyFactory


def test_studies_have_the_study_lists_filters_and_order(api, db):
    StudyFactory(title="Synthetic trial", design="rct", year=2019)
    StudyFactory(title="Synthetic newer cohort", design="cohort", year=2022)
    StudyFactory(title="Synthetic older cohort", design="cohort", year=2018)
    titles = [s["title"] for s in all_results(api, "/api/studies/", {"design": "cohort"})]
    assert titles == ["Synthetic newer cohort", "Synthetic older cohort"]
    by_title = [s["title"] for s in all_results(api, "/api/studies/", {"sort": "title"})]
    assert by_title == sorted(by_title)
    assert api.get("/api/studies/", {"year": "2020.5"}).status_code == 400


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
    with django_assert_num_queries(2):  # count, studies
        response = api.get("/api/studies/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_finding_list_runs_two_queries_whatever_the_number_of_findings(
    api, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    FindingFactory.create_batch(rows)
    with django_assert_num_queries(2):  # count, findings with their studies and claims
        response = api.get("/api/findings/")
    assert len(response.json()["results"]) == rows
