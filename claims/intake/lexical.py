"""BM25: the lexical ranker matching falls back to when the embedding model cannot be loaded.

bm25s computes the scores (Lucene's variant of Okapi BM25: its IDF stays positive for a word most
claims share, such as "kratom", so such a word adds a little, never a penalty); this module
supplies the words: lower case, possessives and English stop words removed, no stemming.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import bm25s

# Term-frequency saturation and length normalisation: the usual defaults (Lucene, Elasticsearch).
K1 = 1.2
B = 0.75
METHOD = "lucene"

# English function words, modal verbs among them: they say nothing of which claim a sentence
# asserts. The embedding matcher skips the same words.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just may me might more most must my myself no nor not now of off on once one only
    or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves
    """.split()
)

# Words: letters and digits, joined by inner hyphens ("7-hydroxymitragynine", "low-grade").
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Curly and straight apostrophes, then the possessive "'s", which would otherwise stand alone.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_POSSESSIVE = re.compile(r"'s\b")


def tokenize(text: str) -> list[str]:
    """Lower-case words of `text`, possessives and stop words removed. No stemming."""
    text = _POSSESSIVE.sub("", text.lower().translate(_APOSTROPHES))
    return [word for word in _WORD.findall(text) if word not in STOP_WORDS]


class BM25:
    """Scores queries against a fixed list of documents (here: the claims)."""

    def __init__(self, documents: Sequence[str]):
        self.count = len(documents)
        self._ranker = None
        words = [tokenize(document) for document in documents]
        if any(words):  # bm25s cannot index a corpus without a word
            self._ranker = bm25s.BM25(k1=K1, b=B, method=METHOD)
            self._ranker.index(words, show_progress=False)

    def scores(self, query: str) -> list[float]:
        """The BM25 score of `query` against every document, in the documents' order."""
        words = tokenize(query)
        if self._ranker is None or not words:  # bm25s fails on an empty query
            return [0.0] * self.count
        return [float(score) for score in self._ranker.get_scores(words)]
