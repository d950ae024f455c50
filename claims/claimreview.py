"""A claim's grade as a schema.org ClaimReview (JSON-LD), for the feed at
/api/claims/claimreview.jsonld and for the JSON-LD embedded in a claim's page.

    claim_review(claim, request) -> dict   # None when the claim has no grade readers may see

The rating is on a 1-5 scale (worstRating 1, bestRating 5), read from RATING_VALUES: the
verdict says which way (supported up, contradicted or no effect down, mixed or insufficient in
the middle, 3) and the certainty how far. Only high and moderate certainty reach the ends of
the scale; low certainty moves one step; at very low certainty the evidence settles nothing,
so it stays in the middle: "it is very uncertain whether…" is neither true nor false.

    verdict          high  moderate  low  very low   (no certainty)
    supported          5      4       4      3
    mixed              3      3       3      3
    no effect          1      2       2      3
    contradicted       1      2       2      3
    insufficient                                        3

A finding of no effect rates like a contradiction: the claims assert an effect. The words a
reader needs go with the number: reviewRating.alternateName is the grade in plain language
(Claim.plain_language, GRADE's summary statements), and ratingExplanation names the verdict,
the certainty and whether a grader has reviewed it.
"""

import json

from django.utils.safestring import mark_safe

from claims.grading import Certainty, Verdict

BEST_RATING = 5
WORST_RATING = 1
MIDDLE_RATING = 3
PUBLISHER = "Evidence tracker"

RATING_VALUES = {
    (Verdict.SUPPORTED, Certainty.HIGH): 5,
    (Verdict.SUPPORTED, Certainty.MODERATE): 4,
    (Verdict.SUPPORTED, Certainty.LOW): 4,
    (Verdict.SUPPORTED, Certainty.VERY_LOW): 3,
    (Verdict.MIXED, Certainty.HIGH): 3,
    (Verdict.MIXED, Certainty.MODERATE): 3,
    (Verdict.MIXED, Certainty.LOW): 3,
    (Verdict.MIXED, Certainty.VERY_LOW): 3,
    (Verdict.NO_EFFECT, Certainty.HIGH): 1,
    (Verdict.NO_EFFECT, Certainty.MODERATE): 2,
    (Verdict.NO_EFFECT, Certainty.LOW): 2,
    (Verdict.NO_EFFECT, Certainty.VERY_LOW): 3,
    (Verdict.CONTRADICTED, Certainty.HIGH): 1,
    (Verdict.CONTRADICTED, Certainty.MODERATE): 2,
    (Verdict.CONTRADICTED, Certainty.LOW): 2,
    (Verdict.CONTRADICTED, Certainty.VERY_LOW): 3,
    (Verdict.INSUFFICIENT, None): MIDDLE_RATING,
}


def rating_value(verdict, certainty):
    """The 1-5 rating of a verdict at a certainty ('' or None for insufficient evidence)."""
    return RATING_VALUES[(Verdict(verdict), Certainty(certainty) if certainty else None)]


def _explanation(claim, assessment):
    words = claim.verdict_label
    if claim.certainty_label:
        words += f", {claim.certainty_label.lower()} certainty"
    if assessment.is_provisional:
        return f"{words} (GRADE). Provisional: from the grading rules, not yet reviewed."
    return f"{words} (GRADE), published by the graders."


def _appearance(article, request):
    work = {
        "@type": "Article",
        "headline": article.title,
        "url": article.url or request.build_absolute_uri(article.get_absolute_url()),
    }
    if article.publisher:
        work["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.published_on:
        work["datePublished"] = article.published_on.isoformat()
    return work


def claim_review(claim, request):
    """The ClaimReview of a claim, as a JSON-LD dict with its @context, or None when readers
    see no grade for it. The claim needs the prefetches of
    for_api().with_statements() or for_detail() (its published statements with their
    articles); without the for_api() prefetch, finding the current assessment is one query."""
    assessment = claim.current_assessment()
    if assessment is None or not claim.grade_verdict:
        return None
    when = assessment.published_at if not assessment.is_provisional else assessment.updated_at
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "claimReviewed": claim.text,
        "datePublished": (when or assessment.updated_at).date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": PUBLISHER,
            "url": request.build_absolute_uri("/"),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating_value(claim.grade_verdict, claim.grade_certainty),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": claim.plain_language,
            "ratingExplanation": _explanation(claim, assessment),
        },
        "itemReviewed": {
            "@type": "Claim",
            "text": claim.text,
            "appearance": [_appearance(a, request) for a in claim.articles()],
        },
    }


_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data):
    """JSON for a <script type="application/ld+json"> element: no character in it can end the
    element early (as Django's json_script escapes)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))
