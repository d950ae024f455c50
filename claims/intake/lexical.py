"""BM25: the lexical ranker matching falls back to when the embedding model cannot be loaded.

A short implementation rather than a package: bm25s needs scipy (about 100 MB installed) for what
is, here, a few sentences against at most some hundreds of claims, and rank-bm25 has had no
release since 2022 (docs/matching.md). The formula is Okapi BM25 with Lucene's IDF, which stays
positive for a word most claims share ("kratom"), so such a word adds a little, never a penalty.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

# Term-frequency saturation and length normalisation: the usual defaults (Lucene, Elasticsearch).
K1 = 1.2
B = 0.75

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
        self.documents = [Counter(tokenize(document)) for document in documents]
        self.lengths = [sum(counts.values()) for counts in self.documents]
        self.average_length = (sum(self.lengths) / len(self.lengths) if self.lengths else 0) or 1
        total = len(self.documents)
        frequency = Counter(word for counts in self.documents for word in counts)
        self.idf = {
            word: math.log(1 + (total - n + 0.5) / (n + 0.5)) for word, n in frequency.items()
        }

    def scores(self, query: str) -> list[float]:
        """The BM25 score of `query` against every document, in the documents' order."""
        words = tokenize(query)
        out = []
        for counts, length in zip(self.documents, self.lengths, strict=True):
            norm = K1 * (1 - B + B * length / self.average_length)
            score = 0.0
            for word in words:
                frequency = counts.get(word, 0)
                if frequency:
                    score += self.idf[word] * frequency * (K1 + 1) / (frequency + norm)
            out.append(score)
        return out
