"""Which known claims a sentence may assert: ranked suggestions with scores. Pure: no ORM.

`rank_claims(sentences, claims)` ranks the claims for every sentence with the local embedding
model (claims/intake/embedding.py) or, when it cannot be loaded, with BM25 (lexical.py), and says
which it used and why. `near_duplicates(text, claims)` finds the claims a new claim nearly repeats.

How the model scores a claim against a sentence. A static model's sentence vector is an average
of token vectors, and a long sentence that asserts two or three claims averages them away: on the
seed the plain cosine put the right claim in the top three for only 61% of the links. So matching
compares words: every word of the claim is paired with the closest word of the sentence (cosine
of the two token vectors, 1.0 for the same word, high for a related one: "analgesic" and
"pain"), and the claim's score is the mean of those cosines, each word weighted by its IDF over
the claims ranked, so that "prolactin" counts for more than "kratom". A score of 1.0 means every
word of the claim is in the sentence. docs/matching.md has the figures.

Scores of one method are comparable across sentences ranked against the same claims (the IDF
weights come from them): each method has a threshold (below), chosen on the seed by
`make eval-matching`, and every Match says whether it reaches it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from claims.intake import embedding
from claims.intake.lexical import BM25, STOP_WORDS, tokenize

# Ranking.method, and Ranking.label when BM25 ranked (the model's label is Encoder.name).
METHOD_MODEL = "model"
METHOD_BM25 = "bm25"
BM25_LABEL = "BM25 (words in common)"

# A suggestion at or above its method's threshold is marked as likely. Chosen on the seed article
# by `make eval-matching` (docs/matching.md, "Thresholds"): the highest score that nine in ten of
# the method's right top-three suggestions still reach, rounded down.
MODEL_THRESHOLD = 0.48
BM25_THRESHOLD = 0.14
# A new claim whose score against an existing one reaches this is reported as a near duplicate:
# the lower of the two directions (claim in text, text in claim), so both say nearly the same.
# Chosen on the paraphrases of tests/claims/intake/test_matching.py: restatements of a seed claim
# score 0.71 to 0.91 against it, other seed claims at most 0.52.
NEAR_DUPLICATE_MODEL_THRESHOLD = 0.7
# Without the model: the share of content words the two claims have in common (Dice).
NEAR_DUPLICATE_LEXICAL_THRESHOLD = 0.5

DEFAULT_TOP = 3


@dataclass(frozen=True)
class ClaimText:
    """A claim to match against: its id (anything hashable) and its text."""

    id: Hashable
    text: str


@dataclass(frozen=True)
class Match:
    claim_id: Hashable
    score: float
    above_threshold: bool


@dataclass(frozen=True)
class Ranking:
    """The suggestions for every sentence, in the order of the sentences given.

    method: "model" or "bm25"; fallback_reason: None, or why the model was not used; label: the
    method in words for the page; threshold: the one `above_threshold` was judged by; matches:
    per sentence, the best claims first (at most `top`, none that shares nothing with it).
    """

    method: str
    fallback_reason: str | None
    label: str
    threshold: float
    matches: list[list[Match]]


def rank_claims(
    sentences: Sequence[str], claims: Sequence[ClaimText], top: int | None = DEFAULT_TOP
) -> Ranking:
    """The `top` claims for each sentence (all of them with top=None), best first."""
    encoder = embedding.get_encoder()
    if encoder is not None:
        scores = model_scores(encoder, sentences, claims)
        method, reason, label, threshold = METHOD_MODEL, None, encoder.name, MODEL_THRESHOLD
    else:
        scores = bm25_scores(sentences, claims)
        method, reason = METHOD_BM25, embedding.encoder_unavailable_reason()
        label, threshold = BM25_LABEL, BM25_THRESHOLD
    return Ranking(
        method=method,
        fallback_reason=reason,
        label=label,
        threshold=threshold,
        matches=[_best(row, claims, threshold, top) for row in scores],
    )


def rank_candidates(
    sentences: Sequence[str],
    candidates: Sequence[Sequence[ClaimText]],
    top: int | None = DEFAULT_TOP,
) -> Ranking:
    """As rank_claims, each sentence against its own candidate claims (candidates[n] for
    sentences[n]): the same scores as rank_claims([sentence], candidates[n]), with each claim
    and each sentence encoded once however many sentences it is a candidate of."""
    encoder = embedding.get_encoder()
    if encoder is not None:
        method, reason, label, threshold = METHOD_MODEL, None, encoder.name, MODEL_THRESHOLD
    else:
        method, reason = METHOD_BM25, embedding.encoder_unavailable_reason()
        label, threshold = BM25_LABEL, BM25_THRESHOLD
    matches = []
    if encoder is not None and sentences:
        distinct = list({claim.id: claim for group in candidates for claim in group}.values())
        encoded = dict(
            zip(
                (claim.id for claim in distinct),
                encoder.encode_tokens([claim.text for claim in distinct], skip=STOP_WORDS),
                strict=True,
            )
        )
        sentence_tokens = encoder.encode_tokens(list(sentences), skip=STOP_WORDS)
        for tokens, group in zip(sentence_tokens, candidates, strict=True):
            scores = _token_scores([tokens], [encoded[claim.id] for claim in group])[0]
            matches.append(_best(scores, list(group), threshold, top))
    else:
        for sentence, group in zip(sentences, candidates, strict=True):
            scores = bm25_scores([sentence], list(group))
            row = scores[0] if len(scores) else []
            matches.append(_best(row, list(group), threshold, top))
    return Ranking(
        method=method, fallback_reason=reason, label=label, threshold=threshold, matches=matches
    )


def near_duplicates(
    text: str, claims: Sequence[ClaimText], threshold: float | None = None
) -> list[Match]:
    """The claims that `text` nearly repeats, most similar first.

    With the model, the score is the lower of "the claim's words found in the text" and "the
    text's words found in the claim" (so a claim that only adds to the other is not a duplicate);
    without it, the Dice overlap of their content words. threshold=None takes the method's own
    (NEAR_DUPLICATE_MODEL_THRESHOLD or NEAR_DUPLICATE_LEXICAL_THRESHOLD).
    """
    if not claims:
        return []
    encoder = embedding.get_encoder()
    if encoder is not None:
        claims_in_text = model_scores(encoder, [text], claims)[0]
        texts = [claim.text for claim in claims]
        text_in_claims = model_scores(encoder, texts, [ClaimText(None, text)])[:, 0]
        scores = np.minimum(claims_in_text, text_in_claims)
        default = NEAR_DUPLICATE_MODEL_THRESHOLD
    else:
        scores = np.array([_dice(text, claim.text) for claim in claims])
        default = NEAR_DUPLICATE_LEXICAL_THRESHOLD
    limit = default if threshold is None else threshold
    return [match for match in _best(scores, claims, limit, None) if match.above_threshold]


def model_scores(
    encoder: embedding.Encoder, sentences: Sequence[str], claims: Sequence[ClaimText]
) -> np.ndarray:
    """Scores of every claim for every sentence, shape (sentences, claims); see the module doc."""
    if not sentences or not claims:
        return np.zeros((len(sentences), len(claims)), dtype=np.float32)
    return _token_scores(
        encoder.encode_tokens(sentences, skip=STOP_WORDS),
        encoder.encode_tokens([claim.text for claim in claims], skip=STOP_WORDS),
    )


def _token_scores(sentence_tokens, claim_tokens) -> np.ndarray:
    """model_scores of the sentences' and the claims' encoded tokens."""
    result = np.zeros((len(sentence_tokens), len(claim_tokens)), dtype=np.float32)
    if not sentence_tokens or not claim_tokens:
        return result
    claims = claim_tokens
    weights = _idf_weights([tokens.tokens for tokens in claim_tokens])
    # All the claims' tokens in one matrix; `owner` says which claim each row belongs to.
    vectors = np.concatenate([tokens.vectors for tokens in claim_tokens])
    owner = np.repeat(np.arange(len(claims)), [len(tokens.tokens) for tokens in claim_tokens])
    totals = np.bincount(owner, weights=weights, minlength=len(claims))
    for row, sentence in enumerate(sentence_tokens):
        if not len(sentence.tokens) or not len(owner):
            continue
        closest = (vectors @ sentence.vectors.T).max(axis=1)
        found = np.bincount(owner, weights=weights * closest, minlength=len(claims))
        result[row] = np.divide(found, totals, out=np.zeros_like(found), where=totals > 0)
    return result


def bm25_scores(sentences: Sequence[str], claims: Sequence[ClaimText]) -> np.ndarray:
    """BM25 scores of every claim (the documents) for every sentence (the queries)."""
    if not sentences or not claims:
        return np.zeros((len(sentences), len(claims)), dtype=np.float32)
    ranker = BM25([claim.text for claim in claims])
    return np.array([ranker.scores(sentence) for sentence in sentences], dtype=np.float32)


def _idf_weights(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """One weight per token of every list, in order: Lucene's IDF over the lists (claims)."""
    total = len(token_lists)
    frequency = Counter(token for tokens in token_lists for token in set(tokens))
    # Each distinct token's weight once (a page weighs some 7,500 tokens, far fewer distinct).
    idf = {
        token: math.log(1 + (total - count + 0.5) / (count + 0.5))
        for token, count in frequency.items()
    }
    return np.array([idf[token] for tokens in token_lists for token in tokens], dtype=np.float64)


def _best(scores, claims, threshold, top) -> list[Match]:
    """The claims by score, best first (ties in the claims' order); none with a score <= 0."""
    order = sorted(range(len(claims)), key=lambda n: (-float(scores[n]), n))
    matches = [
        Match(claims[n].id, float(scores[n]), bool(scores[n] >= threshold))
        for n in order
        if scores[n] > 0
    ]
    return matches if top is None else matches[:top]


def _dice(first: str, second: str) -> float:
    a, b = set(tokenize(first)), set(tokenize(second))
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0
