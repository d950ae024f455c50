import re

import pytest

from claims.models import Status
from tests.factories import ArticleFactory, AssessmentFactory, ClaimFactory, statement_for


def test_it_lists_the_seed_article_with_its_scorecard(client, seed):
    response = client.get("/")
    html = response.content.decode()
    assert 'href="/articles/kratom-prolactin-inflammation/"' in html
    assert 'data-score="contradicted"' in html
    assert 'data-score="overstated"' in html


def test_it_hides_draft_articles_from_readers(client, reader):
    ArticleFactory(title="Synthetic published article")
    ArticleFactory(title="Synthetic draft article", status=Status.DRAFT)
    for user in (None, reader):
        if user:
            client.force_login(user)
        html = client.get("/").content.decode()
        assert "Synthetic published article" in html
        assert "Synthetic draft article" not in html


def test_it_says_what_to_do_when_there_is_no_article(client, db):
    assert "No article is published yet" in client.get("/").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_three_queries_whatever_the_number_of_articles(
    client, db, rows, django_assert_num_queries
):
    for _ in range(rows):
        article = ArticleFactory()
        claim = ClaimFactory()
        AssessmentFactory(claim=claim)
        statement_for(article, "First sentence asserts something.", claims_=[claim])
    with django_assert_num_queries(3):
        response = client.get("/")
    assert len(response.context["articles"]) == rows


def test_each_articles_scorecard_says_how_sure_its_marks_are(client, seed):
    html = client.get("/").content.decode()
    assert 'data-score="contradicted" data-certainty="very-low"' in html
    rows = dict(re.findall(r"</span> ([^<]+)</span>\s*</dt><dd>(\d+)</dd>", html))
    assert rows["Very uncertain, leans contradicted"] == "14"
    assert rows["May be supported"] == "1"
    assert "Contradicted" not in rows
