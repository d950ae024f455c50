"""Downloads under /api/: claims as CSV and JSON, the ClaimReview feed, studies as RIS, BibTeX
and CSV; each is the API's list for the same filters, in the same order, unpaged (the JSON
with every approved finding and statement of each claim, which the API pages)."""

import csv
import io
import json

import pytest

from tests.api.conftest import all_results
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
    statement_for,
)

CLAIM_FILTERS = [
    {},
    {"verdict": "contradicted"},
    {"certainty": "low", "sort": "-text"},
    {"q": "prolactin", "sort": "verdict"},
    {"article": "kratom-prolactin-inflammation", "kind": "effect"},
]


def content(response):
    assert response.status_code == 200, response.content
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("filters", CLAIM_FILTERS)
def test_the_claim_exports_hold_the_claims_the_api_lists_for_the_same_filters(
    api, seed, settings, filters
):
    settings.PAGE_SIZE = 3  # the API's list is paged; the exports are not
    listed = all_results(api, "/api/claims/", filters)
    as_json = json.loads(content(api.get("/api/claims/export.json", filters)))
    assert [{k: v for k, v in c.items() if k in listed[0]} for c in as_json] == listed
    rows = csv_rows(content(api.get("/api/claims/export.csv", filters)))
    assert [(r["slug"], r["verdict"], r["certainty"]) for r in rows] == [
        (c["slug"], c["grade"]["verdict"], c["grade"]["certainty"]) for c in listed
    ]
    feed = json.loads(content(api.get("/api/claims/claimreview.jsonld", filters)))
    assert [r["url"] for r in feed["@graph"]] == [c["page_url"] for c in listed]


def test_the_json_export_holds_every_approved_finding_and_statement_of_each_claim(api, seed):
    exported = json.loads(content(api.get("/api/claims/export.json")))
    for claim in exported:
        findings = all_results(api, claim["findings_url"])
        assert sorted(f["id"] for f in claim["findings"]) == sorted(f["id"] for f in findings)
        detail = api.get(claim["api_url"]).json()
        assert claim["statements"] == detail["statements"]
    assert sum(len(c["findings"]) for c in exported) == sum(c["finding_count"] for c in exported)


def test_the_claims_csv_has_the_grade_in_words_and_on_the_rating_scale(api, seed):
    response = api.get("/api/claims/export.csv", {"verdict": "contradicted"})
    assert response["Content-Disposition"] == 'attachment; filename="claims.csv"'
    row = next(
        r for r in csv_rows(content(response)) if r["slug"] == "kratom-lowers-prolactin-levels"
    )
    assert row["provisional"] == "true"
    assert row["rating_value"] == "3"
    assert row["plain_language"].startswith("It is very uncertain whether kratom lowers")


def test_the_claims_csv_neither_runs_formulas_nor_breaks_lines(api, db):
    ClaimFactory(
        slug="synthetic-formula",
        text='=HYPERLINK("https://example.org/synthetic","Synthetic")',
        subject="@SUM(1+2)",
        outcome="+synthetic\nmarker",
    )
    text = content(api.get("/api/claims/export.csv"))
    assert len(text.splitlines()) == 2  # the header and the one claim
    (row,) = csv_rows(text)
    assert (row["text"], row["subject"], row["outcome"]) == (
        '\'=HYPERLINK("https://example.org/synthetic","Synthetic")',
        "'@SUM(1+2)",
        "'+synthetic marker",
    )


def test_a_filter_an_export_does_not_understand_is_a_400(api, db):
    for path in ("/api/claims/export.csv", "/api/claims/claimreview.jsonld"):
        assert api.get(path, {"verdict": "bogus"}).status_code == 400
    for fmt in ("ris", "bib", "csv"):
        assert api.get(f"/api/studies/export.{fmt}", {"design": "bogus"}).status_code == 400


def synthetic_studies():
    StudyFactory(title="Synthetic trial A", design="rct", year=2021)
    StudyFactory(title="Synthetic cohort B", design="cohort", year=2021, doi="")
    StudyFactory(title="Synthetic cohort C", design="cohort", year=2019)
    StudyFactory(title="Synthetic cohort D", design="cohort", year=2023, participants=20)


STUDY_FILTERS = [{}, {"design": "cohort"}, {"sort": "participants"}, {"q": "cohort", "year": 2021}]


@pytest.mark.parametrize("filters", STUDY_FILTERS)
def test_the_study_exports_hold_the_studies_the_api_lists_for_the_same_filters(
    api, db, settings, filters
):
    settings.PAGE_SIZE = 2
    synthetic_studies()
    listed = [s["title"] for s in all_results(api, "/api/studies/", filters)]
    # The API lists studies in the order they were added (by cursor); the exports keep the
    # study list's order (and its sort), the same in every format.
    titles = [r["Title"] for r in csv_rows(content(api.get("/api/studies/export.csv", filters)))]
    assert sorted(titles) == sorted(listed)
    ris = content(api.get("/api/studies/export.ris", filters))
    assert [line[6:] for line in ris.splitlines() if line.startswith("TI  - ")] == titles
    bibtex = content(api.get("/api/studies/export.bib", filters))
    assert [t for t in titles if f"{{{t}}}" in bibtex] == titles
    assert bibtex.count("@article{") == len(titles)


def test_the_study_exports_are_the_study_lists_downloads(api, db):
    synthetic_studies()
    for fmt in ("ris", "bib", "csv"):
        api_export = api.get(f"/api/studies/export.{fmt}", {"design": "cohort"})
        page_export = api.get(f"/studies/export.{fmt}", {"design": "cohort"})
        assert content(api_export) == content(page_export)
        assert api_export["Content-Type"] == page_export["Content-Type"]


def test_an_export_ignores_the_accept_header_its_format_is_in_the_address(api, db):
    synthetic_studies()
    response = api.get("/api/studies/export.ris", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"


CLAIM_EXPORTS = [
    "/api/claims/export.csv",
    "/api/claims/export.json",
    "/api/claims/claimreview.jsonld",
]


def claims_with_their_rows(count):
    article = ArticleFactory()
    claims = ClaimFactory.create_batch(count)
    for claim in claims:
        AssessmentFactory(claim=claim)
        FindingFactory(claim=claim)
    statement_for(article, "First sentence asserts something.", claims_=claims)
    return claims


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # claims, their assessments
        ("/api/claims/export.csv", 2),
        # claims, their assessments, their statements with articles, their findings with
        # studies, their findings counted per direction
        ("/api/claims/export.json", 5),
        # claims, their assessments, their statements with articles
        ("/api/claims/claimreview.jsonld", 3),
    ],
)
def test_the_claim_exports_run_a_fixed_number_of_queries_whatever_the_number_of_claims(
    api, db, rows, path, queries, django_assert_num_queries
):
    claims_with_their_rows(rows)
    with django_assert_num_queries(queries):
        text = content(api.get(path))
    assert text.count("synthetic-claim-") >= rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_study_exports_run_one_query_whatever_the_number_of_studies(
    api, db, rows, django_assert_num_queries
):
    StudyFactory.create_batch(rows)
    for fmt in ("ris", "bib", "csv"):
        with django_assert_num_queries(1):
            text = content(api.get(f"/api/studies/export.{fmt}"))
        assert text.count("Synthetic study") == rows


@pytest.mark.parametrize("path", CLAIM_EXPORTS)
def test_a_claim_export_is_written_a_batch_of_claims_at_a_time_and_whole(
    api, db, path, monkeypatch
):
    claims_with_their_rows(5)
    whole = content(api.get(path))
    monkeypatch.setattr("claims.api_exports.EXPORT_BATCH", 2)
    response = api.get(path)
    assert response.streaming  # written as it is read, not held whole in memory
    parts = list(response.streaming_content)
    assert len(parts) >= 3  # a part per batch of 2 claims (5 claims)
    assert b"".join(parts).decode() == whole
    if path.endswith(("json", "jsonld")):
        # one document across the batches, written as JsonResponse writes one (", ", ": ")
        assert whole == json.dumps(json.loads(whole), ensure_ascii=False)


@pytest.mark.parametrize("path", CLAIM_EXPORTS)
def test_a_claim_export_of_no_claim_is_a_valid_empty_document(api, db, path):
    text = content(api.get(path))
    if path.endswith(".csv"):
        assert csv_rows(text) == [] and text.startswith("slug,text,")
    elif path.endswith(".json"):
        assert json.loads(text) == []
    else:
        assert json.loads(text) == {"@context": "https://schema.org", "@graph": []}
