import re
from datetime import date

import pytest

from claims.models import Article, Claim, Statement, Status
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
def test_it_runs_four_queries_whatever_the_number_of_articles(
    client, db, rows, django_assert_num_queries
):
    for _ in range(rows):
        article = ArticleFactory()
        claim = ClaimFactory()
        AssessmentFactory(claim=claim)
        statement_for(article, "First sentence asserts something.", claims_=[claim])
    # The count, the page's articles, their statements, the links readers see.
    with django_assert_num_queries(4):
        response = client.get("/")
    assert len(response.context["articles"]) == min(rows, 25)


def test_it_shows_25_articles_a_page_the_latest_first(client, db):
    for day in range(1, 31):
        ArticleFactory(title=f"Synthetic article of day {day}", published_on=date(2026, 1, day))
    first = client.get("/").content.decode()
    second = client.get("/", {"page": 2}).content.decode()
    assert first.index("day 30<") < first.index("day 29<") and "day 5<" not in first
    assert 'href="?page=2" rel="next"' in first
    assert [f"day {n}<" in second for n in (5, 1, 6)] == [True, True, False]


def test_each_articles_scorecard_is_the_one_its_page_shows(client, seed, grader):
    """The list counts plain rows; the article page grades its statements as models: the two
    agree, on the seed (overstated, provisional and contradicted marks) and on statements
    with no link a reader sees (a draft link, a link to a draft claim, none)."""
    sentences = [f"Synthetic sentence {n} says a thing." for n in range(5)]
    article = ArticleFactory(body=" ".join(sentences))
    graded = Claim.objects.filter(grade_verdict="supported").first()
    # A reviewed weak grade beside an unreviewed strong one: the weak one sets the mark, which
    # is therefore not provisional.
    sure, weak = ClaimFactory(), ClaimFactory()
    AssessmentFactory(claim=sure, verdict="supported", certainty="high")
    AssessmentFactory(
        claim=weak, verdict="supported", certainty="low", status="published", author=grader
    )
    Claim.objects.filter(pk__in=[sure.pk, weak.pk]).store_grades()
    statement_for(article, sentences[4], claims_=[sure, weak])
    statement_for(article, sentences[0], claims_=[ClaimFactory(status=Status.DRAFT)])
    statement_for(article, sentences[1])
    statement_for(article, sentences[2], claims_=[graded]).links.update(status=Status.DRAFT)
    statement_for(article, sentences[3], claims_=[graded, Claim.objects.last()])
    listed = client.get("/").context["articles"]
    assert len(listed) == 2
    for each in listed:
        card = each.scorecard()
        shown = Article.objects.for_detail().get(pk=each.pk).scorecard()
        assert (card.counts, card.marks, card.overstated, card.provisional) == (
            shown.counts,
            shown.marks,
            shown.overstated,
            shown.provisional,
        )
        assert card.total == Statement.objects.published().filter(article=each).count()
    seed_card = Article.objects.for_detail().exclude(pk=article.pk).get().scorecard()
    assert seed_card.overstated and seed_card.provisional


def test_each_articles_scorecard_says_how_sure_its_marks_are(client, seed):
    html = client.get("/").content.decode()
    assert 'data-score="contradicted" data-certainty="very-low"' in html
    rows = dict(re.findall(r"</span> ([^<]+)</span>\s*</dt><dd>(\d+)</dd>", html))
    assert rows["Very uncertain, leans contradicted"] == "14"
    assert rows["May be supported"] == "1"
    assert "Contradicted" not in rows
