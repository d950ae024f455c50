"""/api/articles/: published articles with their scorecard; an article with every statement's
support (rule 9)."""

import pytest

from claims.models import Status
from tests.factories import ArticleFactory, AssessmentFactory, ClaimFactory, statement_for


def test_an_article_lists_its_statements_with_their_support_as_the_page_marks_them(api, seed):
    article = api.get("/api/articles/kratom-prolactin-inflammation/").json()
    assert article["body"].startswith("Kratom, a Southeast Asian tropical plant")
    statements = article["statements"]
    assert len(statements) == article["scorecard"]["total"] == 32
    for statement in statements:
        assert article["body"][statement["start"] : statement["end"]] == statement["text"]
    prolactin = next(
        s
        for s in statements
        if any(c["slug"] == "kratom-lowers-prolactin-levels" for c in s["claims"])
    )
    assert prolactin["support"] == "contradicted"
    assert prolactin["overstated"] is True
    assert prolactin["overstated_because"]
    assert prolactin["support_label"] == "Very uncertain, leans contradicted · provisional"
    overstated = sum(s["overstated"] for s in statements)
    assert article["scorecard"]["overstated"] == overstated


def test_a_statement_is_as_supported_as_its_weakest_claim(api, db):
    article = ArticleFactory(slug="a")
    strong, weak = ClaimFactory(), ClaimFactory()
    AssessmentFactory(claim=strong, verdict="supported", certainty="high")
    AssessmentFactory(claim=weak, verdict="supported", certainty="low")
    statement_for(article, "First sentence asserts something.", "fact", [strong, weak])
    (statement,) = api.get("/api/articles/a/").json()["statements"]
    assert (statement["support"], statement["certainty"]) == ("supported", "low")
    assert statement["overstated"] is True
    assert {c["certainty"] for c in statement["claims"]} == {"high", "low"}


def test_each_claim_of_a_statement_says_how_strongly_it_is_asserted_and_if_that_overstates(
    api, db
):
    article = ArticleFactory(slug="a")
    stated, hedged = ClaimFactory(slug="stated"), ClaimFactory(slug="hedged")
    AssessmentFactory(claim=stated, verdict="supported", certainty="low")
    AssessmentFactory(claim=hedged, verdict="supported", certainty="low")
    statement = statement_for(article, "First sentence asserts something.", "fact", [stated])
    statement.links.create(claim=hedged, assertion="suggests", status="published")
    (statement,) = api.get("/api/articles/a/").json()["statements"]
    claims = {c["slug"]: c for c in statement["claims"]}
    assert claims["stated"]["assertion"] == "fact"
    assert "states as fact" in claims["stated"]["overstated_because"]
    assert (claims["hedged"]["assertion"], claims["hedged"]["overstated_because"]) == (
        "suggests",
        None,
    )


def test_the_list_gives_each_articles_scorecard_and_its_address_not_its_statements(api, seed):
    (listed,) = api.get("/api/articles/").json()["results"]
    assert "statements" not in listed and "body" not in listed
    article = api.get(listed["api_url"]).json()
    assert listed["scorecard"] == article["scorecard"]
    assert listed["scorecard"]["total"] == len(article["statements"]) == 32


def test_readers_see_published_articles_only(api, db):
    ArticleFactory(slug="published")
    ArticleFactory(slug="draft", status=Status.DRAFT)
    listing = api.get("/api/articles/").json()
    assert [a["slug"] for a in listing["results"]] == ["published"]
    assert api.get("/api/articles/draft/").status_code == 404


def test_a_draft_claim_is_not_shown_in_a_published_article(api, db):
    article = ArticleFactory(slug="a")
    draft = ClaimFactory(status=Status.DRAFT, text="Synthetic draft claim.")
    statement_for(article, "First sentence asserts something.", "fact", [draft])
    (statement,) = api.get("/api/articles/a/").json()["statements"]
    assert statement["claims"] == []
    assert statement["support"] == "not-assessed"


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_four_queries_whatever_the_number_of_articles(
    api, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    claim = ClaimFactory()
    AssessmentFactory(claim=claim)
    for article in ArticleFactory.create_batch(rows):
        statement_for(article, "First sentence asserts something.", claims_=[claim])
        statement_for(article, "Second sentence asserts more.", claims_=[claim])
    # count, articles, their statements, the statements' claims with their grades
    with django_assert_num_queries(4):
        response = api.get("/api/articles/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_an_article_runs_three_queries_whatever_the_number_of_statements(
    api, db, rows, django_assert_num_queries
):
    claim = ClaimFactory()
    AssessmentFactory(claim=claim)
    article = ArticleFactory(slug="a", body=" ".join(f"Sentence {n:02}." for n in range(rows)))
    for n in range(rows):
        statement_for(article, f"Sentence {n:02}.", claims_=[claim])
    # the article, its statements, the statements' claims with their grades
    with django_assert_num_queries(3):
        response = api.get("/api/articles/a/")
    assert len(response.json()["statements"]) == rows
