"""The workbench's reading of an article: its body as units (the statements already made, and
the sentences between them), each with the claims it may assert and how strongly.

Reads only: the writes are in claims/intake/services.py. Suggestions come from
claims/intake/matching.py (the local embedding model, or BM25 without it) and
claims/intake/hedges.py (the hedge lexicon); nothing is linked without a person."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from claims.intake import hedges, matching, segment
from claims.intake.models import Dismissal
from claims.models import ASSERTION_CHOICES, Claim, Statement, StatementClaim

SUGGESTIONS_SHOWN = 3  # claims offered per sentence, best first
MORE_SUGGESTIONS = 7  # further claims, ranked, behind "other claims"


@dataclass
class Suggestion:
    claim: Claim
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

    @property
    def top_suggestions(self):
        return self.suggestions[:SUGGESTIONS_SHOWN]

    @property
    def more_suggestions(self):
        return self.suggestions[SUGGESTIONS_SHOWN:]

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
class Reading:
    units: list[Unit]
    method: str  # "model" or "bm25"
    method_label: str
    fallback_reason: str | None
    progress: Progress


def article_statements(article):
    """Every statement of the article, whatever its status, with its links and their claims."""
    links = StatementClaim.objects.select_related("claim").order_by("pk")
    return list(
        Statement.objects.filter(article=article)
        .order_by("start")
        .prefetch_related(Prefetch("links", queryset=links))
    )


def units_of(body, statements):
    """The statements, and the sentences of the body that no statement overlaps, in order."""
    units = [
        Unit(s.start, s.end, s.text, candidate=True, statement=s) for s in statements
    ]
    for sentence in segment.sentences(body):
        if any(s.start < sentence.end and sentence.start < s.end for s in statements):
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


def read(article, *, only=None):
    """The workbench's units of an article with their suggestions. `only`: (start, end) of the
    one unit to read (after an action on it), else all."""
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
    if only is not None:
        units = [u for u in units if (u.start, u.end) == tuple(only)]
    claims = {c.pk: c for c in Claim.objects.only("pk", "slug", "text", "status")}
    ranked = [u for u in units if u.candidate]
    # Room for the claims already linked or turned down, which are not offered again.
    ranking = rank([u.text for u in ranked], claims, top=SUGGESTIONS_SHOWN + MORE_SUGGESTIONS + 5)
    for unit, matches in zip(ranked, ranking.matches, strict=True):
        turned_down = dismissed.get(unit.text, set())
        linked = {link.claim_id for link in unit.links}
        unit.suggestions = [
            Suggestion(claims[m.claim_id], m.score, m.above_threshold)
            for m in matches
            if m.claim_id not in linked and m.claim_id not in turned_down
        ][: SUGGESTIONS_SHOWN + MORE_SUGGESTIONS]
        unit.assertion = hedges.suggest_assertion(unit.text)
    return Reading(units, ranking.method, ranking.label, ranking.fallback_reason, progress)
