"""Suggest how strongly a sentence asserts what it says, from the hedges it uses.

`suggest_assertion(sentence)` returns one of `claims.grading.Assertion`'s FACT, SUGGESTS and
SPECULATES, with the cue words that decided it, for the researcher to accept or change. It never
suggests "background" (textbook context the article does not argue for): that depends on what
the sentence is linked to, not on its wording.

The lexicon is two lists of cues, matched case-insensitively on word boundaries:

- SPECULATION_CUES, the weakest hedges: a possibility put forward without evidence ("might",
  "it is possible that", "proposed to", "hypothesised"), or a consequence projected into the
  future ("could lead to", "may one day"). In the hedging scales of the linguistics literature
  (Hyland's "possibility" devices) these sit below "may" and "suggest". Any one of them makes
  the sentence speculate, even beside a milder hedge.
- SUGGESTION_CUES, hedges that claim some support or likelihood: modal "may" and "could",
  reported evidence that "suggests" or "indicates", belief ("is believed", "is thought to"),
  appearance ("appears to", "seems to"), likelihood ("likely", "probably"), and the vocabulary of
  early promise ("potential", "promising", "shown promise", "preliminary").
- A sentence with neither states as fact. Words that sound cautious but state a fact about the
  world are deliberately left out: "can" (a capability: "prolactin can stimulate…"), "linked
  to" and "associated with" (an association stated flatly), "studies show".

The seed's editorial reading is the yardstick (docs/intake.md lists where the two differ and
why); the lexicon is not bent to single sentences of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.grading import Assertion

SPECULATION_CUES = (
    "might",
    "could lead to",
    "could one day",
    "may one day",
    "may eventually",
    "could eventually",
    "could potentially",
    "may potentially",
    "it is possible that",
    "it's possible that",
    "it’s possible that",
    "possibly",
    "perhaps",
    "conceivably",
    "proposed to",
    "has been proposed",
    "have been proposed",
    "is hypothesised",
    "is hypothesized",
    "hypothesised to",
    "hypothesized to",
    "theorised",
    "theorized",
    "speculated",
    "in theory",
)

SUGGESTION_CUES = (
    "may",
    "could",
    "suggest",
    "suggests",
    "suggested",
    "suggesting",
    "studies indicate",
    "research indicates",
    "evidence indicates",
    "data indicate",
    "findings indicate",
    "is believed",
    "are believed",
    "believed to",
    "is thought to",
    "are thought to",
    "appears to",
    "appear to",
    "seems to",
    "seem to",
    "likely",
    "probably",
    "potential",
    "potentially",
    "promising",
    "shown promise",
    "shows promise",
    "show promise",
    "preliminary",
    "early research",
    "emerging evidence",
)

# "May" the month is no hedge: "in May 2024", "on 3 May".
MONTH_MAY = re.compile(r"(?:\d\s+May\b|\bMay\s+\d)")


@dataclass(frozen=True)
class AssertionSuggestion:
    """The suggested assertion and the cue words that decided it, as written in the sentence.

    `cue` is empty for a fact; `spans` are the cues' (start, end) offsets in the sentence, in the
    same order, for highlighting.
    """

    assertion: Assertion
    cue: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()


def _cue_pattern(cues) -> re.Pattern:
    """Cues as one pattern on word boundaries, longest first, spaces matching any whitespace."""
    ordered = sorted(cues, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, cue.split())) for cue in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_SPECULATION = _cue_pattern(SPECULATION_CUES)
_SUGGESTION = _cue_pattern(SUGGESTION_CUES)


def suggest_assertion(sentence: str) -> AssertionSuggestion:
    """FACT, SUGGESTS or SPECULATES for `sentence`, with the cues that decided it."""
    months = [m.span() for m in MONTH_MAY.finditer(sentence)]
    for level, pattern in ((Assertion.SPECULATES, _SPECULATION), (Assertion.SUGGESTS, _SUGGESTION)):
        matches = [
            m
            for m in pattern.finditer(sentence)
            if not any(start <= m.start() < end for start, end in months)
        ]
        if matches:
            return AssertionSuggestion(
                level, tuple(m.group(0) for m in matches), tuple(m.span() for m in matches)
            )
    return AssertionSuggestion(Assertion.FACT)
