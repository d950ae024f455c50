"""The workbench's reading of an article: its body as units (the statements already made, and
the sentences between them), each with the claims it may assert and how strongly.

Reads only: the writes are in claims/intake/services.py. Suggestions come from
claims/intake/matching.py (the local embedding model, or BM25 without it) and
claims/intake/hedges.py (the hedge lexicon); nothing is linked without a person.

At scale: the page opens UNITS_PER_PAGE units at a time (the progress counts them all), and
the model ranks, for each sentence, the CANDIDATES claims that share the most words with it
(Claim.objects.sharing_words, on the database's word index), not every claim of the library;
in a library of at most CANDIDATES claims it ranks them all."""

import functools
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from math import ceil
from typing import NamedTuple

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.intake import hedges, matching, segment
from claims.intake.models import Dismissal
from claims.models import ASSERTION_CHOICES, Claim, Statement, StatementClaim
from config import search

SUGGESTIONS_SHOWN = 3  # claims offered per sentence, best first
MORE_SUGGESTIONS = 7  # further claims, ranked, behind "other claims"
UNITS_PER_PAGE = 15  # sentences and statements opened at a time
# Claims the model ranks per sentence at most: the library's, or those sharing most words.
CANDIDATES = search.WORDS_IN_COMMON_LIMIT


@dataclass
class Suggestion:
    claim: "ClaimRow"
    score: float
    above_threshold: bool


@dataclass
class Unit:
    """A span of the body the researcher decides on: a statement, or a sentence not yet one."""

    start: int
    end: int
    text: str
    candidate: bool  # could be a statement (headings, lists of contents... are not)
    why_not: str = ""
    statement: Statement | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    assertion: hedges.AssertionSuggestion | None = None
    dismissed: bool = False  # a person said it is not a statement
    # Its further suggestions rendered, not only offered by a link: rendering every unit's
    # was most of the page (its HTML and a sixth of its time), and they are seldom opened.
    show_more: bool = False

    @property
    def top_suggestions(self):
        return self.suggestions[:SUGGESTIONS_SHOWN]

    @property
    def more_suggestions(self):
        return self.suggestions[SUGGESTIONS_SHOWN:]

    @property
    def assertion_options(self):
        """The options of "how strongly", the hedge lexicon's suggestion chosen."""
        return assertion_options(self.assertion.assertion if self.assertion else "")

    @property
    def assertion_label(self):
        """The hedge lexicon's suggestion in words, with the cue that decided it."""
        if self.assertion is None:
            return ""
        label = dict(ASSERTION_CHOICES)[self.assertion.assertion]
        cues = ", ".join(f"“{cue}”" for cue in self.assertion.cue)
        return f"{label} ({cues})" if cues else f"{label} (no hedge found)"

    @property
    def links(self):
        return list(self.statement.links.all()) if self.statement else []

    @property
    def is_done(self):
        return bool(self.statement) or self.dismissed or not self.candidate


@functools.cache
def assertion_options(selected):
    """The <option>s of "how strongly" with `selected` chosen: the same few strings on every
    select of the page (a dozen a sentence), made once, not rendered option by option."""
    return mark_safe(
        "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                value,
                mark_safe(" selected") if value == str(selected) else "",
                label,
            )
            for value, label in ASSERTION_CHOICES
        )
    )


@dataclass
class Progress:
    """How far the researcher is through the article."""

    units: int
    statements: int
    decided: int

    @property
    def to_decide(self):
        return self.units - self.decided


@dataclass
class Pages:
    """Which units of the article the page opened: page `number` of `count`."""

    number: int
    count: int
    first: int  # the place of the page's first unit among all, from 1
    last: int
    units: int
    next_undecided: int | None  # the page of the first undecided unit after this page's

    @property
    def previous(self):
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self):
        return self.number + 1 if self.number < self.count else None


@dataclass
class Reading:
    units: list[Unit]
    method: str  # "model" or "bm25"
    method_label: str
    fallback_reason: str | None
    progress: Progress
    pages: Pages | None = None


def article_statements(article):
    """Every statement of the article, whatever its status (their links: with_links)."""
    return list(
        Statement.objects.filter(article=article)
        .only("pk", "article_id", "start", "end", "text", "status")
        .order_by("start")
    )


def with_links(units):
    """The statements of these units with their links and the links' claims (one query)."""
    links = StatementClaim.objects.select_related("claim").order_by("pk")
    statements = [unit.statement for unit in units if unit.statement]
    prefetch_related_objects(statements, Prefetch("links", queryset=links))


def units_of(body, statements):
    """The statements, and the sentences of the body that no statement overlaps, in order."""
    units = [Unit(s.start, s.end, s.text, candidate=True, statement=s) for s in statements]
    # A sentence overlaps a statement when one of the statements starting before the sentence
    # ends, ends after it starts: the furthest end among those statements says (by bisection
    # on the starts, not a test of every statement for every sentence: 200 statements and as
    # many sentences were 40,000 tests a page).
    spans = sorted((s.start, s.end) for s in statements)
    starts = [start for start, _ in spans]
    furthest_end = list(accumulate((end for _, end in spans), max))
    for sentence in segment.sentences(body):
        before_its_end = bisect_left(starts, sentence.end)
        if before_its_end and furthest_end[before_its_end - 1] > sentence.start:
            continue
        units.append(
            Unit(
                sentence.start,
                sentence.end,
                sentence.text,
                candidate=sentence.candidate,
                why_not=sentence.why_not or "",
            )
        )
    return sorted(units, key=lambda u: u.start)


@dataclass
class SentenceSuggestions:
    """A sentence of a body with what the workbench would suggest for it (for the command)."""

    start: int
    end: int
    text: str
    candidate: bool
    why_not: str
    assertion: hedges.AssertionSuggestion | None
    matches: list  # matching.Match, best first
    claims: dict

    @property
    def best(self):
        """The best suggestion if it is above the threshold, else None."""
        if self.matches and self.matches[0].above_threshold:
            return self.matches[0]
        return None

    def as_dict(self):
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "candidate": self.candidate,
            "why_not": self.why_not or None,
            "assertion": str(self.assertion.assertion) if self.assertion else None,
            "cues": list(self.assertion.cue) if self.assertion else [],
            "suggestions": [
                {
                    "slug": self.claims[m.claim_id].slug,
                    "text": self.claims[m.claim_id].text,
                    "score": round(float(m.score), 4),
                    "above_threshold": bool(m.above_threshold),
                }
                for m in self.matches
            ],
        }


def rank(texts, claims, top):
    """The claims (pk -> Claim) each text may assert, best first: one call of the matcher."""
    return matching.rank_claims(
        texts, [matching.ClaimText(pk, claim.text) for pk, claim in claims.items()], top=top
    )


def suggest_for_body(body, claims, top=SUGGESTIONS_SHOWN):
    """Every sentence of a body with its suggestions: what intake_article prints."""
    sentences = segment.sentences(body)
    candidates = [s for s in sentences if s.candidate]
    ranking = rank([s.text for s in candidates], claims, top)
    matches = dict(zip((s.start for s in candidates), ranking.matches, strict=True))
    result = [
        SentenceSuggestions(
            s.start,
            s.end,
            s.text,
            s.candidate,
            s.why_not or "",
            hedges.suggest_assertion(s.text) if s.candidate else None,
            list(matches.get(s.start, [])),
            claims,
        )
        for s in sentences
    ]
    return result, ranking


class ClaimRow(NamedTuple):
    """What a suggestion shows of a claim (a row, not a model: a page reads hundreds)."""

    pk: int
    slug: str
    text: str
    status: str


def candidate_claims(texts):
    """For each text, the claims (pk -> ClaimRow) the model ranks for it: every claim in a
    library of at most CANDIDATES, else the CANDIDATES sharing the most words with it. Two
    queries, or one in a small library."""
    fields = ("pk", "slug", "text", "status")
    first = Claim.objects.order_by("pk").values_list(*fields)[: CANDIDATES + 1]
    first = [ClaimRow(*row) for row in first]
    if len(first) <= CANDIDATES:
        every = {claim.pk: claim for claim in first}
        return [every for _ in texts]
    keys = Claim.objects.sharing_words(texts, limit=CANDIDATES)
    wanted = {pk for found in keys for pk in found}
    rows = Claim.objects.filter(pk__in=wanted).values_list(*fields) if wanted else []
    claims = {row[0]: ClaimRow(*row) for row in rows}
    return [{pk: claims[pk] for pk in found if pk in claims} for found in keys]


def page_of(units, start):
    """The page (from 1) that opens the unit beginning at `start` (else the first)."""
    for n, unit in enumerate(units):
        if unit.start == start:
            return n // UNITS_PER_PAGE + 1
    return 1


def _page(units, number):
    count = max(1, ceil(len(units) / UNITS_PER_PAGE))
    number = min(max(1, number), count)
    first = (number - 1) * UNITS_PER_PAGE
    shown = units[first : first + UNITS_PER_PAGE]
    later = [n for n, unit in enumerate(units) if n >= first + len(shown) and not unit.is_done]
    pages = Pages(
        number=number,
        count=count,
        first=first + 1,
        last=first + len(shown),
        units=len(units),
        next_undecided=later[0] // UNITS_PER_PAGE + 1 if later else None,
    )
    return shown, pages


def read(article, *, only=None, page=1, more=None):
    """The workbench's units of an article with their suggestions: those of page `page`
    (UNITS_PER_PAGE a page), or `only`: (start, end) of the one unit to read (after an action
    on it); the unit starting at `more` with its further suggestions shown."""
    statements = article_statements(article)
    units = units_of(article.body, statements)
    dismissed = {}
    for text, claim_id in Dismissal.objects.filter(article=article).values_list("text", "claim"):
        dismissed.setdefault(text, set()).add(claim_id)
    for unit in units:
        unit.dismissed = None in dismissed.get(unit.text, set())
    progress = Progress(
        units=len(units),
        statements=len(statements),
        decided=sum(unit.is_done for unit in units),
    )
    pages = None
    if only is not None:
        units = [u for u in units if (u.start, u.end) == tuple(only)]
    else:
        units, pages = _page(units, page)
    with_links(units)
    for unit in units:
        for link in unit.links:
            link.assertion_options = assertion_options(link.assertion)
    ranked = [u for u in units if u.candidate]
    candidates = candidate_claims([u.text for u in ranked])
    # Room for the claims already linked or turned down, which are not offered again.
    top = SUGGESTIONS_SHOWN + MORE_SUGGESTIONS + 5
    ranking = matching.rank_candidates(
        [unit.text for unit in ranked],
        [
            [matching.ClaimText(pk, claim.text) for pk, claim in claims.items()]
            for claims in candidates
        ],
        top=top,
    )
    for unit, claims, matches in zip(ranked, candidates, ranking.matches, strict=True):
        turned_down = dismissed.get(unit.text, set())
        linked = {link.claim_id for link in unit.links}
        unit.suggestions = [
            Suggestion(claims[m.claim_id], m.score, m.above_threshold)
            for m in matches
            if m.claim_id not in linked and m.claim_id not in turned_down
        ][: SUGGESTIONS_SHOWN + MORE_SUGGESTIONS]
    for unit in ranked:
        unit.assertion = hedges.suggest_assertion(unit.text)
        unit.show_more = unit.start == more
    return Reading(units, ranking.method, ranking.label, ranking.fallback_reason, progress, pages)
