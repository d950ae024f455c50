import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Article, AssessmentStatus, Statement
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    UserFactory,
    statement_for,
)


def test_a_statement_must_be_its_exact_span_of_the_article(db):
    article = ArticleFactory()
    statement = Statement(article=article, start=0, end=5, text="Other")
    with pytest.raises(ValidationError, match="differs from the article"):
        statement.full_clean()


def test_a_statement_must_lie_inside_its_article(db):
    article = ArticleFactory(body="Short.")
    statement = Statement(article=article, start=0, end=60, text="Short.")
    with pytest.raises(ValidationError, match="6 characters"):
        statement.full_clean()


def test_the_database_refuses_a_statement_whose_text_is_not_as_long_as_its_span(db):
    with pytest.raises(IntegrityError):
        Statement.objects.create(
            article=ArticleFactory(), start=0, end=3, text="First"
        )


def test_statements_of_an_article_do_not_overlap(db):
    article = ArticleFactory()
    statement_for(article, "First sentence asserts something.")
    with pytest.raises(ValidationError, match="overlaps"):
        statement_for(article, "sentence asserts something. Second")


def test_a_claim_has_one_published_assessment_at_most(db):
    claim = ClaimFactory()
    grader = UserFactory()
    AssessmentFactory(claim=claim, status=AssessmentStatus.PUBLISHED, author=grader)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(claim=claim, status=AssessmentStatus.PUBLISHED, author=grader)
    AssessmentFactory(claim=claim, status=AssessmentStatus.SUPERSEDED, author=grader)


def test_an_insufficient_verdict_has_no_certainty_and_every_other_has_one(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(verdict="insufficient", certainty="low")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(verdict="supported", certainty="")


def test_a_downgrade_is_at_most_two_levels(db):
    with pytest.raises(IntegrityError):
        AssessmentFactory(imprecision=-3)


def test_a_provisional_assessment_has_no_author_and_a_graders_has_one(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(author=UserFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(status=AssessmentStatus.PUBLISHED, author=None)


def test_every_record_keeps_its_history(db):
    claim = ClaimFactory(text="Synthetic first wording.")
    claim.text = "Synthetic second wording."
    claim.save()
    assert [h.text for h in claim.history.all()] == [
        "Synthetic second wording.",
        "Synthetic first wording.",
    ]


def test_an_article_splits_into_paragraphs_that_keep_every_character(db):

    article = ArticleFactory(body="Title line\nOne claim here. Plain text.\nAnother claim.")
    one = statement_for(article, "One claim here.")
    another = statement_for(article, "Another claim.")
    paragraphs = Article.objects.for_detail().get(pk=article.pk).paragraphs()
    assert [[(text, s and s.pk) for text, s in p] for p in paragraphs] == [
        [("Title line", None)],
        [("One claim here.", one.pk), (" Plain text.", None)],
        [("Another claim.", another.pk)],
    ]


def test_a_statement_cannot_span_a_line_break(db):
    article = ArticleFactory(body="One line.\nNext line.")
    with pytest.raises(ValidationError, match="line break"):
        statement_for(article, "One line.\nNext line.")
