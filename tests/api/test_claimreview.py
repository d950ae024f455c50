"""claims/claimreview.py: a claim's grade as a schema.org ClaimReview, on a 1-5 scale."""

import itertools
import json

from django.test import RequestFactory

from claims import claimreview
from claims.grading import Certainty, Verdict
from claims.models import AssessmentStatus, Claim
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    UserFactory,
    statement_for,
)


def request():
    return RequestFactory().get("/")


def review_of(slug):
    claim = Claim.objects.for_api().with_statements().get(slug=slug)
    return claimreview.claim_review(claim, request())


def test_every_verdict_at_every_certainty_has_a_rating_from_1_to_5():
    for verdict, certainty in itertools.product(Verdict, Certainty):
        if verdict != Verdict.INSUFFICIENT:
            assert 1 <= claimreview.rating_value(verdict, certainty) <= 5
    assert claimreview.rating_value("insufficient", "") == 3


def test_the_rating_goes_with_the_verdict_and_as_far_as_the_certainty_carries_it():
    rating = claimreview.rating_value
    assert rating("supported", "high") == 5
    assert rating("supported", "moderate") == rating("supported", "low") == 4
    assert rating("contradicted", "high") == rating("no-effect", "high") == 1
    assert rating("contradicted", "low") == 2
    # At very low certainty the evidence settles nothing either way: the middle of the scale.
    assert rating("contradicted", "very-low") == rating("supported", "very-low") == 3
    assert {rating("mixed", c) for c in Certainty} == {3}


def test_the_prolactin_claims_review(seed):
    review = review_of("kratom-lowers-prolactin-levels")
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Kratom lowers prolactin levels."
    assert review["url"] == "http://testserver/claims/kratom-lowers-prolactin-levels/"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Evidence tracker",
        "url": "http://testserver/",
    }
    rating = review["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (3, 5, 1)
    assert rating["alternateName"] == (
        "It is very uncertain whether kratom lowers prolactin levels; what evidence there is "
        "points the other way."
    )
    assert "Provisional" in rating["ratingExplanation"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert [a["headline"] for a in item["appearance"]] == ["Kratom, prolactin and inflammation"]
    assert item["appearance"][0]["url"] == (
        "http://testserver/articles/kratom-prolactin-inflammation/"
    )


def test_a_published_grade_is_reviewed_on_the_day_it_was_published(db):
    import datetime

    claim = ClaimFactory(slug="c")
    article = ArticleFactory(
        url="https://example.org/synthetic-article",
        publisher="Synthetic Publisher",
        published_on=datetime.date(2025, 3, 1),
    )
    statement_for(article, "First sentence asserts something.", claims_=[claim])
    AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.PUBLISHED,
        author=UserFactory(),
        verdict="supported",
        certainty="high",
        published_at=datetime.datetime(2026, 2, 3, 10, tzinfo=datetime.UTC),
    )
    review = review_of("c")
    assert review["datePublished"] == "2026-02-03"
    assert review["reviewRating"]["ratingValue"] == 5
    assert "published by the graders" in review["reviewRating"]["ratingExplanation"]
    assert review["itemReviewed"]["appearance"] == [
        {
            "@type": "Article",
            "headline": article.title,
            "url": "https://example.org/synthetic-article",
            "publisher": {"@type": "Organization", "name": "Synthetic Publisher"},
            "datePublished": "2025-03-01",
        }
    ]


def test_a_claim_without_a_grade_readers_see_has_no_review(db):
    ClaimFactory(slug="c")
    assert review_of("c") is None


def test_the_feed_has_a_review_for_every_graded_published_claim_and_nothing_else(api, seed):
    ClaimFactory(slug="not-assessed")
    AssessmentFactory(claim__slug="draft", claim__status="draft")
    response = api.get("/api/claims/claimreview.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    feed = json.loads(b"".join(response.streaming_content))  # written as it is read
    assert feed["@context"] == "https://schema.org"
    assert len(feed["@graph"]) == 10
    assert all("@context" not in review for review in feed["@graph"])
    assert not any(r["url"].endswith(("/not-assessed/", "/draft/")) for r in feed["@graph"])


def test_a_claim_page_can_embed_the_same_review_from_its_own_queryset(seed):
    on_the_page = Claim.objects.for_detail().get(slug="kratom-lowers-prolactin-levels")
    assert claimreview.claim_review(on_the_page, request()) == review_of(
        "kratom-lowers-prolactin-levels"
    )
