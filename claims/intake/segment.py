"""Split a stored body into blocks and sentences, and say which sentences could be statements.

The body is the format of `extract`: one block per line, "# " for a heading, "- " for a list item.
A bare line can be a heading too (plain text such as the seed article marks none), and
`blocks()` recognises it by its look: short, no full stop at its end, title-like.

Sentences come from syntok, chosen among the segmenters measured in docs/intake.md (pysbd,
sentencex, syntok):

- it got the most of our abbreviation, "et al.", number and quote cases right (30 of 31:
  "approx." and "Approx." included, which the other two split after), and with the
  quoted-paragraph rule below every one of the seed's statements (so do the other two);
- its tokens carry their offsets in the input, so a sentence's span is read from the segmenter,
  not searched for afterwards;
- it is pure Python with one dependency (`regex`, which trafilatura needs anyway), tiny, and
  several times faster than pysbd on the seed (sentencex, compiled, is faster still).

Its last release is from 2022; it is small, stable and its rules are readable, and swapping it
means changing `_segment_span()` only.

Each line is segmented on its own, so a sentence never spans lines. Offsets are exact:
``body[s.start:s.end] == s.text``, with no surrounding whitespace. A paragraph wholly inside
double quotes (the seed's second paragraph opens with “ and closes with ”) is segmented inside
them, so that its first sentence starts after the opening quote and its last ends before the
closing one; a quotation inside a line keeps its closing quote in the sentence it ends.

Whether a sentence is a *candidate* statement is deliberately generous: headings and list items
never are, nor are questions, very short fragments and pure calls to action (a small named
lexicon below); everything else is, and the matcher's threshold decides what asserts a claim.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

import syntok.segmenter as syntok_segmenter
from syntok.tokenizer import Tokenizer

# The markers of the stored body's format (see extract.py), defined here so that reading a body
# does not import the HTML extractor.
HEADING_MARKER = "# "
LIST_ITEM_MARKER = "- "


class BlockKind(StrEnum):
    HEADING = "heading"
    LIST_ITEM = "list_item"
    PARAGRAPH = "paragraph"


class NotCandidate(StrEnum):
    """Why a sentence is not offered as a statement."""

    HEADING = "heading"
    LIST_OF_CONTENTS = "list of contents"
    LIST_ITEM = "list item"
    QUESTION = "question"
    CALL_TO_ACTION = "call to action"
    TOO_SHORT = "too short"


@dataclass(frozen=True)
class Block:
    """One line of the body: its kind and its text's span (marker and outer spaces excluded)."""

    kind: BlockKind
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body, with its exact span and whether it could be a statement."""

    start: int
    end: int
    text: str
    block_kind: BlockKind
    candidate: bool
    why_not: NotCandidate | None = None


# A bare line is a heading when it has at most this many words...
HEADING_MAX_WORDS = 16
# ...does not end like a sentence that states something (closing quotes and brackets ignored)...
SENTENCE_FULL_STOPS = (".", "!", "…", ";", ",")
TRAILING_CLOSERS = "\"'”’)]»"
# ...starts with a capital letter or a digit, and is title-like: it ends without any punctuation
# ("Side effects and safety"), or at least this share of its words that are not short function
# words are capitalised ("What is Kratom and How Does it Interact with Prolactin?").
TITLE_CASE_MIN_SHARE = 0.5
FUNCTION_WORDS = frozenset(
    "a an and as at but by for from if in into is it its nor of on or per so than that the then "
    "to up via vs was with".split()
)

# A sentence with fewer words than this is a fragment ("Read on.", "In short:"), not a statement.
MIN_STATEMENT_WORDS = 3

# Double quotes that can wrap a whole paragraph, as (opening, closing).
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"))

# Calls to action: sentences that ask the reader to do something and assert nothing. Only pure
# ones, so that a sentence that merely opens with a verb ("Explore how the herb lowers…",
# "Uncover the potential of…") stays a candidate and the matcher decides.
# - openings: the sentence starts with one of these (after any opening quote);
CALL_TO_ACTION_OPENINGS = (
    "subscribe",
    "sign up",
    "click",
    "tap here",
    "read more",
    "read on",
    "continue reading",
    "learn more",
    "find out more",
    "share this",
    "share on",
    "buy",
    "order now",
    "shop now",
    "download",
    "follow us",
    "join us",
    "join our",
    "contact us",
    "don't miss",
    "don’t miss",
    "see also",
)
# - anywhere: asking the reader to act, or advice to see a professional, wherever it stands
#   ("Consulting healthcare professionals before … is essential.").
CALL_TO_ACTION_PHRASES = (
    "click here",
    "contact us",
    "sign up for",
    "subscribe to our",
    "our newsletter",
)
PROFESSIONALS = (
    "doctor",
    "doctors",
    "physician",
    "physicians",
    "pharmacist",
    "pharmacists",
    "healthcare professional",
    "healthcare professionals",
    "health care professional",
    "health care professionals",
    "healthcare provider",
    "healthcare providers",
    "health care provider",
    "health care providers",
    "medical professional",
    "medical professionals",
)
CONSULTING_VERBS = (
    "consult",
    "consulting",
    "talk to",
    "talk with",
    "speak to",
    "speak with",
    "ask",
    "check with",
)
CONSULTED_DETERMINERS = ("your", "a", "an", "with", "the")


def _words_pattern(phrases) -> str:
    """Phrases as regex alternatives, longest first, spaces matching any whitespace."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)


_OPENING_RE = re.compile(rf"(?:{_words_pattern(CALL_TO_ACTION_OPENINGS)})\b", re.IGNORECASE)
_PHRASE_RE = re.compile(rf"\b(?:{_words_pattern(CALL_TO_ACTION_PHRASES)})\b", re.IGNORECASE)
_CONSULT_RE = re.compile(
    rf"\b(?:{_words_pattern(CONSULTING_VERBS)})\s+"
    rf"(?:(?:{_words_pattern(CONSULTED_DETERMINERS)})\s+)?"
    rf"(?:{_words_pattern(PROFESSIONALS)})\b",
    re.IGNORECASE,
)
_LEADING_QUOTES = "\"'“‘«„("

_TOKENIZER = Tokenizer(replace_not_contraction=False)


def blocks(body: str) -> list[Block]:
    """The body's lines as blocks, in order; empty lines are skipped."""
    result = []
    offset = 0
    for line in body.split("\n"):
        start = offset + len(line) - len(line.lstrip())
        end = offset + len(line.rstrip())
        offset += len(line) + 1
        if start >= end:
            continue
        text = body[start:end]
        if text.startswith(HEADING_MARKER) or text.startswith(LIST_ITEM_MARKER):
            kind = BlockKind.HEADING if text.startswith(HEADING_MARKER) else BlockKind.LIST_ITEM
            inner = text[len(HEADING_MARKER) :]
            start += len(text) - len(inner.lstrip())
            text = body[start:end]
            if not text:
                continue
        elif looks_like_heading(text):
            kind = BlockKind.HEADING
        else:
            kind = BlockKind.PARAGRAPH
        result.append(Block(kind, start, end, text))
    return result


def looks_like_heading(line: str) -> bool:
    """Whether a bare line reads as a heading: short, no full stop at its end, title-like."""
    words = line.split()
    if not words or len(words) > HEADING_MAX_WORDS:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    ending = line.rstrip(TRAILING_CLOSERS)
    if not ending or ending.endswith(SENTENCE_FULL_STOPS):
        return False
    if ending[-1].isalnum():
        return True  # no punctuation at all at its end: "Side effects and safety"
    content = [w for w in words if w.lower().strip(TRAILING_CLOSERS) not in FUNCTION_WORDS]
    capitalised = [w for w in content if w[0].isupper() or w[0].isdigit()]
    return bool(content) and len(capitalised) / len(content) >= TITLE_CASE_MIN_SHARE


def sentences(body: str) -> list[Sentence]:
    """Every sentence of the body, in order, with its block's kind and whether it is a candidate."""
    return list(_sentences(body))


# The workbench reads its article's sentences on every page and after every action, and a
# body's sentences never change: the last few bodies' are kept (syntok takes about 3 ms for a
# paragraph of five sentences).
@functools.lru_cache(maxsize=32)
def _sentences(body: str) -> tuple[Sentence, ...]:
    all_blocks = blocks(body)
    heading_texts = {_normalised(b.text) for b in all_blocks if b.kind == BlockKind.HEADING}
    result = []
    for block in all_blocks:
        for start, end in _segment_block(body, block):
            text = body[start:end]
            why_not = _why_not(text, block, heading_texts)
            result.append(Sentence(start, end, text, block.kind, why_not is None, why_not))
    return tuple(result)


def is_call_to_action(sentence: str) -> bool:
    """Whether a sentence only asks the reader to do something (see the lexicons above)."""
    opening = sentence.lstrip(_LEADING_QUOTES + " ")
    return bool(
        _OPENING_RE.match(opening) or _PHRASE_RE.search(sentence) or _CONSULT_RE.search(sentence)
    )


def _why_not(text: str, block: Block, heading_texts: set[str]) -> NotCandidate | None:
    if block.kind == BlockKind.HEADING:
        return NotCandidate.HEADING
    if block.kind == BlockKind.LIST_ITEM:
        if _normalised(block.text) in heading_texts:
            return NotCandidate.LIST_OF_CONTENTS  # an entry naming a heading of the same body
        return NotCandidate.LIST_ITEM
    if text.rstrip(TRAILING_CLOSERS).endswith("?"):
        return NotCandidate.QUESTION
    if is_call_to_action(text):
        return NotCandidate.CALL_TO_ACTION
    if sum(1 for w in text.split() if any(c.isalpha() for c in w)) < MIN_STATEMENT_WORDS:
        return NotCandidate.TOO_SHORT
    return None


def _segment_block(body: str, block: Block) -> list[tuple[int, int]]:
    start, end = block.start, block.end
    for opening, closing in QUOTE_PAIRS:
        inner = body[start + len(opening) : end - len(closing)]
        if (
            end - start > len(opening) + len(closing)
            and body.startswith(opening, start)
            and body.endswith(closing, 0, end)
            and opening not in inner
            and closing not in inner
        ):
            # The whole paragraph is a quotation: its sentences are those inside the quotes.
            return _segment_span(body, start + len(opening), end - len(closing))
    return _segment_span(body, start, end)


def _segment_span(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of body[start:end] (one line) as spans, by syntok."""
    spans = []
    for sentence in syntok_segmenter.segment(_TOKENIZER.tokenize(body[start:end], start)):
        first, last = sentence[0], sentence[-1]
        span = (first.offset, last.offset + len(last.value))
        if span[0] < span[1]:
            spans.append(span)
    return spans


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())
