"""The intake workbench's writes: everything a researcher does is a proposal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.intake import services
from claims.intake.models import Dismissal
from claims.models import Statement, StatementClaim
from tests.factories import ArticleFactory, ClaimFactory

BODY = "A synthetic first sentence. A synthetic second one.\nA heading\nA third sentence here."
FIRST = (0, 27)
SECOND = (28, 51)


def test_an_article_comes_in_as_a_draft_with_its_body_exactly_and_a_unique_slug(researcher):
    ArticleFactory(slug="a-synthetic-article")
    article = services.article_intake(title="A synthetic article", body=BODY, by=researcher)
    assert (article.slug, article.status, article.body) == ("a-synthetic-article-2", "draft", BODY)


def test_a_reader_cannot_bring_in_an_article(reader):
    with pytest.raises(PermissionDenied):
        services.article_intake(title="A synthetic article", body=BODY, by=reader)


def test_linking_a_sentence_proposes_a_statement_and_its_link(researcher):
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory()
    link = services.link_propose(
        article=article, start=FIRST[0], end=FIRST[1], claim=claim, assertion="suggests",
        by=researcher,
    )  # fmt: skip
    statement = link.statement
    assert (statement.text, statement.status, statement.created_by) == (
        "A synthetic first sentence.",
        "draft",
        researcher,
    )
    assert (link.assertion, link.status, link.created_by) == ("suggests", "draft", researcher)


def test_linking_again_changes_the_assertion_of_the_same_link(researcher):
    article, claim = ArticleFactory(body=BODY), ClaimFactory()
    services.link_propose(article=article, start=0, end=27, claim=claim, assertion="fact", by=researcher)
    services.link_propose(
        article=article, start=0, end=27, claim=claim, assertion="speculates", by=researcher
    )
    assert list(StatementClaim.objects.values_list("assertion", flat=True)) == ["speculates"]


def test_a_researcher_cannot_change_a_published_link(researcher):
    article, claim = ArticleFactory(body=BODY), ClaimFactory()
    link = services.link_propose(
        article=article, start=0, end=27, claim=claim, assertion="fact", by=researcher
    )
    StatementClaim.objects.filter(pk=link.pk).update(status="published")
    with pytest.raises(PermissionDenied):
        services.link_propose(
            article=article, start=0, end=27, claim=claim, assertion="suggests", by=researcher
        )


def test_withdrawing_the_last_link_of_a_proposed_statement_removes_the_statement(researcher):
    article, claim = ArticleFactory(body=BODY), ClaimFactory()
    link = services.link_propose(
        article=article, start=0, end=27, claim=claim, assertion="fact", by=researcher
    )
    services.link_withdraw(link=link, by=researcher)
    assert not Statement.objects.exists()


def test_linking_a_claim_takes_back_its_dismissal(researcher):
    article, claim = ArticleFactory(body=BODY), ClaimFactory()
    services.suggestion_dismiss(article=article, text=BODY[0:27], claim=claim, by=researcher)
    services.suggestion_dismiss(article=article, text=BODY[0:27], claim=claim, by=researcher)
    assert Dismissal.objects.count() == 1
    services.link_propose(article=article, start=0, end=27, claim=claim, assertion="fact", by=researcher)
    assert not Dismissal.objects.exists()


def test_merging_two_sentences_makes_one_statement_with_the_links_of_both(researcher):
    article = ArticleFactory(body=BODY)
    first, second = ClaimFactory(), ClaimFactory()
    services.link_propose(article=article, start=0, end=27, claim=first, assertion="fact", by=researcher)
    services.link_propose(
        article=article, start=28, end=51, claim=second, assertion="suggests", by=researcher
    )
    merged = services.statement_resize(
        article=article, start=0, end=27, new_start=0, new_end=51, by=researcher
    )
    assert Statement.objects.get() == merged
    assert merged.text == BODY[:51]
    assert {(link.claim, link.assertion) for link in merged.links.all()} == {
        (first, "fact"),
        (second, "suggests"),
    }


def test_a_statement_never_spans_a_line_break(researcher):
    article = ArticleFactory(body=BODY)
    with pytest.raises(ValidationError):
        services.statement_resize(
            article=article, start=28, end=51, new_start=28, new_end=62, by=researcher
        )


def test_a_researcher_cannot_merge_into_a_published_statement(researcher):
    article, claim = ArticleFactory(body=BODY), ClaimFactory()
    link = services.link_propose(
        article=article, start=0, end=27, claim=claim, assertion="fact", by=researcher
    )
    Statement.objects.filter(pk=link.statement_id).update(status="published")
    with pytest.raises(ValidationError):
        services.statement_resize(
            article=article, start=0, end=27, new_start=0, new_end=51, by=researcher
        )


def test_a_new_text_re_anchors_every_statement_and_says_which_it_could_not_place(researcher):
    article, claim = ArticleFactory(body=BODY, status="draft"), ClaimFactory()
    for start, end in (FIRST, SECOND):
        services.link_propose(
            article=article, start=start, end=end, claim=claim, assertion="fact", by=researcher
        )
    edited = "An added opening line.\nA synthetic first sentence. A changed second one."
    unplaced = services.article_rebody(article=article, body=edited, by=researcher)
    assert [s.text for s in unplaced] == ["A synthetic second one."]
    (statement,) = Statement.objects.all()
    assert (statement.start, statement.end) == (23, 50)
    assert edited[statement.start : statement.end] == statement.text


def test_a_published_articles_text_is_changed_by_a_grader_not_a_researcher(researcher, grader):
    article = ArticleFactory(body=BODY, status="published")
    edited = "An added opening line.\n" + BODY
    with pytest.raises(PermissionDenied, match="The article is published"):
        services.article_rebody(article=article, body=edited, by=researcher)
    article.refresh_from_db()
    assert article.body == BODY
    services.article_rebody(article=article, body=edited, by=grader)
    article.refresh_from_db()
    assert article.body == edited


def test_a_grader_accepts_the_proposals_and_publishes_the_article(researcher, grader):
    article = services.article_intake(title="A synthetic article", body=BODY, by=researcher)
    services.link_propose(
        article=article, start=0, end=27, claim=ClaimFactory(), assertion="fact", by=researcher
    )
    with pytest.raises(PermissionDenied):
        services.article_proposals_publish(article=article, by=researcher)
    assert services.article_proposals_publish(article=article, by=grader) == 1
    article.refresh_from_db()
    assert article.status == "published"
    assert set(StatementClaim.objects.values_list("status", flat=True)) == {"published"}


def test_a_new_claim_from_a_sentence_is_a_draft(researcher):
    claim = services.claim_propose(text="Synthetic X lowers Y.", kind="effect", by=researcher)
    assert (claim.slug, claim.status) == ("synthetic-x-lowers-y", "draft")
