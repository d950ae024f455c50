"""The grading rules of DESIGN.md, as pure functions: no ORM, no Django.

`suggest()` turns a claim's kind and its approved findings into a suggested verdict, a certainty
and one reason per GRADE domain. `grade_statement()` turns the grades of the claims a statement
asserts into the statement's support and, when it says more than the evidence carries, why it is
overstated. `plain_language()` words a grade the way GRADE's summary statements do.

The rule numbers in comments are those of DESIGN.md, "The grading rules". Every threshold is a
named constant below.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    EFFECT = "effect"
    MECHANISM = "mechanism"


class Direction(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NO_EFFECT = "no-effect"
    MIXED = "mixed"
    CONTEXT = "context"


class Verdict(StrEnum):
    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    MIXED = "mixed"
    NO_EFFECT = "no-effect"
    INSUFFICIENT = "insufficient"


class Certainty(StrEnum):
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"


class Body(StrEnum):
    EXPERIMENTAL = "experimental"
    OBSERVATIONAL = "observational"
    LABORATORY_ONLY = "laboratory-only"
    NONE = "none"


class Assertion(StrEnum):
    """How strongly a statement asserts one claim (rule 9: it belongs to the link between the
    statement and the claim, since one sentence can state one claim as fact and hedge another)."""

    FACT = "fact"
    SUGGESTS = "suggests"
    SPECULATES = "speculates"
    BACKGROUND = "background"  # mentions it as given context, not as its own point


class Support(StrEnum):
    """How well the evidence supports a statement, as the article page marks it."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    MIXED = "mixed"
    NO_EFFECT = "no-effect"
    INSUFFICIENT = "insufficient"
    NOT_ASSESSED = "not-assessed"


# Colour never comes alone: each support level's icon, beside its words or in their place where
# the words are one click away (the article's statements).
SUPPORT_ICONS = {
    Support.SUPPORTED: "✓",
    Support.CONTRADICTED: "✗",
    Support.MIXED: "◐",
    Support.NO_EFFECT: "∅",
    Support.INSUFFICIENT: "?",
    Support.NOT_ASSESSED: "…",
}
OVERSTATED_ICON = "!"


def support_icon(support):
    """A support level's icon; not assessed's for anything else (no grade yet)."""
    return SUPPORT_ICONS.get(support, SUPPORT_ICONS[Support.NOT_ASSESSED])


# Certainty levels from lowest to highest; a level's index is its number of "points".
CERTAINTY_LADDER = (Certainty.VERY_LOW, Certainty.LOW, Certainty.MODERATE, Certainty.HIGH)

# Study designs, as evidence.models.Design stores them.
RANDOMISED_DESIGNS = frozenset({"rct"})
POOLING_DESIGNS = frozenset({"systematic_review", "meta_analysis"})
LABORATORY_DESIGNS = frozenset({"animal", "in_vitro"})
LABORATORY_POPULATIONS = frozenset({"animal", "in_vitro"})

# Levels of evidence, strongest first, for showing findings (the evidence map, the strongest
# studies on each side). Grading itself works with the bodies of rules 3 and 4, not with these.
EVIDENCE_LEVELS = (
    ("Systematic reviews and meta-analyses", frozenset({"systematic_review", "meta_analysis"})),
    ("Randomised trials", frozenset({"rct"})),
    ("Cohort and case-control studies", frozenset({"cohort", "case_control"})),
    ("Cross-sectional studies", frozenset({"cross_sectional"})),
    ("Case series and case reports", frozenset({"case_series", "case_report"})),
    ("Animal experiments", frozenset({"animal"})),
    ("In-vitro experiments", frozenset({"in_vitro"})),
    ("Narrative reviews and expert opinion", frozenset({"narrative_review", "expert_opinion"})),
)


def evidence_level(design):
    """The index of a design in EVIDENCE_LEVELS (0 strongest); unclassified designs last."""
    return next(
        (i for i, (_, designs) in enumerate(EVIDENCE_LEVELS) if design in designs),
        len(EVIDENCE_LEVELS),
    )


# Rule 2: shown, never sets certainty.
NON_EVIDENCE_DESIGNS = frozenset({"narrative_review", "expert_opinion"})

# Rule 3 and 4: where each body starts.
EXPERIMENTAL_START = Certainty.HIGH
OBSERVATIONAL_START = Certainty.LOW
LABORATORY_ONLY_START = Certainty.LOW
LABORATORY_ONLY_INDIRECTNESS = -2
STARTS = {
    Body.EXPERIMENTAL: EXPERIMENTAL_START,
    Body.OBSERVATIONAL: OBSERVATIONAL_START,
    Body.LABORATORY_ONLY: LABORATORY_ONLY_START,
}

# Rule 6: upgrades are for observational bodies only.
UPGRADABLE_BODIES = frozenset({Body.OBSERVATIONAL})

# Rule 5: downgrades.
MAX_DOWNGRADE = -2
HIGH_RISK_SHARE = 0.5  # more than this share at high risk: -1; all of it: -2
INCONSISTENCY_ONE_LEVEL = 0.25  # minority side at least this share: -1
INCONSISTENCY_TWO_LEVELS = 0.40  # minority side at least this share: -2
INDIRECT_SHARE = 0.5  # more than this share of findings indirect: -1
OPTIMAL_INFORMATION_SIZE = 400  # human bodies under this many participants: -1
VERY_SMALL_INFORMATION_SIZE = 100  # human bodies under this many participants: -2
LABORATORY_SINGLE_STUDY = 1  # laboratory bodies with this many studies or fewer: -1
BETWEEN_BODIES_INCONSISTENCY = -1  # rule 4: the other body points the other way

# Rule 7: verdict.
VERDICT_SHARE = 0.75
OPPOSITE_VERDICTS = frozenset(
    {
        frozenset({Verdict.SUPPORTED, Verdict.CONTRADICTED}),
        frozenset({Verdict.SUPPORTED, Verdict.NO_EFFECT}),
    }
)

# Rule 9: weakest first.
SUPPORT_ORDER = (
    Support.CONTRADICTED,
    Support.NO_EFFECT,
    Support.INSUFFICIENT,
    Support.NOT_ASSESSED,
    Support.MIXED,
    Support.SUPPORTED,
)
WEAK_CERTAINTIES = frozenset({Certainty.LOW, Certainty.VERY_LOW})

DOWNGRADE_DOMAINS = (
    "risk_of_bias",
    "inconsistency",
    "indirectness",
    "imprecision",
    "publication_bias",
)
UPGRADE_DOMAINS = ("large_effect", "dose_response", "confounding")


@dataclass(frozen=True)
class FindingInput:
    """One approved finding with what the rules need of its study."""

    label: str  # how a reason names the study, e.g. "de Vries 2020"
    design: str
    population: str
    direction: str
    participants: int | None = None
    high_risk: bool | None = None  # at high risk of bias overall; None: not yet appraised
    retracted: bool = False
    indirect: bool = False  # a different population, intervention or outcome than the claim's
    indirect_because: str = ""  # the finding's own words for why, e.g. "intervention: opioids"
    pools_randomised: bool | None = None  # reviews and meta-analyses: pools randomised trials

    @property
    def is_laboratory(self):
        return self.design in LABORATORY_DESIGNS or self.population in LABORATORY_POPULATIONS

    @property
    def is_experimental_design(self):
        return self.design in RANDOMISED_DESIGNS or (
            self.design in POOLING_DESIGNS and self.pools_randomised is True
        )


@dataclass(frozen=True)
class Judgement:
    rating: int
    reason: str


@dataclass(frozen=True)
class Suggestion:
    verdict: Verdict
    certainty: Certainty | None  # None when the verdict is insufficient
    body: Body
    summary: str  # which findings count, which body sets the grade and where it starts
    domains: dict[str, Judgement] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimGrade:
    """A claim's grade as a statement sees it; verdict None: not assessed."""

    claim: str
    verdict: Verdict | None
    certainty: Certainty | None

    @property
    def mark(self):
        return mark(self.verdict, self.certainty)


@dataclass(frozen=True)
class AssertedClaim:
    """One claim of a statement: the claim's grade and how strongly the statement asserts it."""

    assertion: str
    grade: ClaimGrade


@dataclass(frozen=True)
class StatementGrade:
    support: Support
    certainty: Certainty | None
    overstated_because: tuple[str, ...]
    overstated_claims: tuple[str, ...] = ()  # the texts of the claims it overstates

    @property
    def overstated(self):
        return bool(self.overstated_because)

    @property
    def mark(self):
        return mark(self.support, self.certainty)


def _count(n, word, plural=None):
    """'1 study', '3 studies', '18,428 people': numbers with thousands separators."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {plural or word + 's'}"


def _names(findings):
    return ", ".join(f.label for f in findings)


def _verb(n, singular, plural):
    return singular if n == 1 else plural


def _why_indirect(findings):
    """The findings named, each with its own words for why it is indirect."""
    return "; ".join(
        f"{f.label} ({f.indirect_because})" if f.indirect_because else f.label for f in findings
    )


def _share_of(k, n, word="finding"):
    """'the only finding', 'both findings', 'all 3 findings', '2 of the 5 findings'."""
    if n == 1:
        return f"the only {word}"
    if k == n == 2:
        return f"both {word}s"
    if k == n:
        return f"all {n:,} {word}s"
    return f"{k:,} of the {n:,} {word}s"


# How the reasons say a rating, and what they call the bodies of evidence and the verdicts.
LOWERED = {
    0: "the certainty is not lowered for it",
    -1: "the certainty is lowered one level",
    -2: "the certainty is lowered two levels",
}
BODY_WORDS = {
    Body.EXPERIMENTAL: "experimental studies",
    Body.OBSERVATIONAL: "observational studies",
    Body.LABORATORY_ONLY: "laboratory studies",
}
OTHER_WAY = {
    Verdict.SUPPORTED: "on their own they support the claim",
    Verdict.CONTRADICTED: "on their own they contradict the claim",
    Verdict.NO_EFFECT: "on their own they find no effect",
}
RISK_OF_BIAS_MEANS = "flaws in how a study was designed or run that can skew its results"
INDIRECT_MEANS = "a different population, intervention or outcome from the claim's"


def move(certainty, levels):
    """Certainty moved by `levels` (negative: down), never below very low nor above high."""
    index = CERTAINTY_LADDER.index(certainty) + levels
    return CERTAINTY_LADDER[max(0, min(index, len(CERTAINTY_LADDER) - 1))]


def verdict_of(findings: Sequence[FindingInput]) -> Verdict:
    """Rule 7: 75% or more one way gives that verdict, otherwise mixed; none: insufficient."""
    if not findings:
        return Verdict.INSUFFICIENT
    total = len(findings)
    for direction, verdict in (
        (Direction.SUPPORTS, Verdict.SUPPORTED),
        (Direction.CONTRADICTS, Verdict.CONTRADICTED),
        (Direction.NO_EFFECT, Verdict.NO_EFFECT),
    ):
        if sum(f.direction == direction for f in findings) / total >= VERDICT_SHARE:
            return verdict
    return Verdict.MIXED


def risk_of_bias(findings: Sequence[FindingInput], laboratory: bool) -> Judgement:
    """Rule 5: share at high risk, by participants (laboratory bodies: by studies)."""
    appraised = [f for f in findings if f.high_risk is not None]
    if not appraised:
        return Judgement(
            0,
            f"The studies have not yet been appraised for risk of bias ({RISK_OF_BIAS_MEANS}), "
            f"so {LOWERED[0]}.",
        )
    high = [f for f in findings if f.high_risk]
    unappraised = len(findings) - len(appraised)
    # By studies where a size is unknown, or none is given (a total of 0 people weighs nothing).
    weigh_by_studies = (
        laboratory
        or any(f.participants is None for f in findings)
        or not sum(f.participants for f in findings)
    )
    if weigh_by_studies:
        share = len(high) / len(findings)
        measure = f"{len(high):,} of the {_count(len(findings), 'study', 'studies')}"
    else:
        total = sum(f.participants for f in findings)
        at_risk = sum(f.participants for f in high)
        share = at_risk / total
        measure = f"{at_risk:,} of the {_count(total, 'person', 'people')}"
    note = (
        f" {_count(unappraised, 'study', 'studies')} {_verb(unappraised, 'has', 'have')} not "
        f"been appraised yet."
        if unappraised
        else ""
    )
    if high and len(high) == len(findings):
        return Judgement(
            -2,
            f"All of the evidence comes from studies at high risk of bias "
            f"({RISK_OF_BIAS_MEANS}): {_names(high)}. So {LOWERED[-2]}.{note}",
        )
    if share > HIGH_RISK_SHARE:
        return Judgement(
            -1,
            f"More than half of the evidence comes from studies at high risk of bias "
            f"({RISK_OF_BIAS_MEANS}): {_names(high)} ({measure}). So {LOWERED[-1]}.{note}",
        )
    if high:
        return Judgement(
            0,
            f"{_names(high)} {_verb(len(high), 'is', 'are')} at high risk of bias "
            f"({RISK_OF_BIAS_MEANS}), but that is {measure}, not more than half of the "
            f"evidence, so {LOWERED[0]}.{note}",
        )
    return Judgement(
        0,
        f"None of the appraised studies is at high risk of bias ({RISK_OF_BIAS_MEANS}), so "
        f"{LOWERED[0]}.{note}",
    )


def _neither_side(findings):
    """'1 found no effect and 2 found mixed results', or ''."""
    parts = []
    for direction, words in (
        (Direction.NO_EFFECT, "no effect"),
        (Direction.MIXED, "mixed results"),
    ):
        n = sum(f.direction == direction for f in findings)
        if n:
            parts.append(f"{n:,} found {words}")
    return " and ".join(parts)


def inconsistency(findings: Sequence[FindingInput]) -> Judgement:
    """Rule 5: the minority side among findings that support or contradict."""
    supports = [f for f in findings if f.direction == Direction.SUPPORTS]
    contradicts = [f for f in findings if f.direction == Direction.CONTRADICTS]
    sided = len(supports) + len(contradicts)
    neither = _neither_side(findings)
    not_weighed = (
        f" Findings of no effect or mixed results ({neither}) are not weighed for or against here."
        if neither
        else ""
    )
    if not sided:
        return Judgement(
            0,
            f"No finding clearly supports or contradicts the claim ({neither}), so there are no "
            f"findings for and against to weigh, and {LOWERED[0]}.",
        )
    if not supports or not contradicts:
        side, verbs, other = (
            (supports, ("supports", "support"), "contradicts")
            if supports
            else (contradicts, ("contradicts", "contradict"), "supports")
        )
        if neither:
            return Judgement(
                0,
                f"{_count(len(side), 'finding')} {_verb(len(side), *verbs)} the claim and none "
                f"{other} it; {neither}. Only findings that support or contradict the claim are "
                f"weighed against each other here, so {LOWERED[0]}.",
            )
        if len(side) == 1:
            return Judgement(
                0,
                f"There is only one finding (it {verbs[0]} the claim), so there is no "
                f"disagreement to weigh, and {LOWERED[0]}.",
            )
        who = _share_of(len(side), len(side))
        return Judgement(
            0,
            f"{who[0].upper()}{who[1:]} {verbs[1]} the claim and none {other} it, so {LOWERED[0]}.",
        )
    minority = min(len(supports), len(contradicts))
    share = minority / sided
    split = (
        f"{_count(len(supports), 'finding')} {_verb(len(supports), 'supports', 'support')} the "
        f"claim and {len(contradicts):,} {_verb(len(contradicts), 'contradicts', 'contradict')} "
        f"it, so {minority:,} in {sided:,} ({share:.0%}) {_verb(minority, 'goes', 'go')} "
        f"against the rest"
    )
    if share >= INCONSISTENCY_TWO_LEVELS:
        return Judgement(
            -2,
            f"The findings disagree: {split}. When {INCONSISTENCY_TWO_LEVELS:.0%} or more do, "
            f"{LOWERED[-2]}.{not_weighed}",
        )
    if share >= INCONSISTENCY_ONE_LEVEL:
        return Judgement(
            -1,
            f"Some findings disagree: {split}. When {INCONSISTENCY_ONE_LEVEL:.0%} or more do, "
            f"{LOWERED[-1]}.{not_weighed}",
        )
    return Judgement(
        0,
        f"The findings mostly agree: {split}, under the {INCONSISTENCY_ONE_LEVEL:.0%} that "
        f"would lower the certainty.{not_weighed}",
    )


def indirectness(findings: Sequence[FindingInput]) -> Judgement:
    """Rule 5: more than half the findings indirect: -1."""
    indirect = [f for f in findings if f.indirect]
    if not indirect:
        return Judgement(
            0,
            f"The findings bear directly on the claim (its own population, intervention and "
            f"outcome), so {LOWERED[0]}.",
        )
    who = _share_of(len(indirect), len(findings))
    bears = f"{who[0].upper()}{who[1:]} {_verb(len(indirect), 'bears', 'bear')}"
    why = (
        f"{bears} on the claim indirectly, having studied {INDIRECT_MEANS}: "
        f"{_why_indirect(indirect)}"
    )
    if len(indirect) / len(findings) > INDIRECT_SHARE:
        return Judgement(-1, f"{why}. So {LOWERED[-1]}.")
    return Judgement(0, f"{why}. That is not more than half of them, so {LOWERED[0]}.")


def laboratory_only_indirectness(findings: Sequence[FindingInput] = ()) -> Judgement:
    """Rule 3: an effect claim with only laboratory evidence is two levels indirect."""
    named = f": {_why_indirect(findings)}" if findings else ""
    return Judgement(
        LABORATORY_ONLY_INDIRECTNESS,
        f"Only animal or laboratory (in-vitro) studies bear on this claim about an effect in "
        f"people{named}. What happens in animals or cells often differs in people, so "
        f"{LOWERED[LABORATORY_ONLY_INDIRECTNESS]}.",
    )


def imprecision(findings: Sequence[FindingInput], laboratory: bool) -> Judgement:
    """Rule 5: human bodies by participants, bodies with laboratory studies by number of
    studies. Sizes not stated are not guessed: with none stated, the grader judges."""
    if laboratory:
        if len(findings) <= LABORATORY_SINGLE_STUDY:
            return Judgement(
                -1,
                f"A single laboratory study ({_names(findings)}) is too little to be sure of, "
                f"so {LOWERED[-1]}.",
            )
        lab = sum(f.is_laboratory for f in findings)
        studies = _count(len(findings), "laboratory study", "laboratory studies")
        if lab < len(findings):
            studies = (
                f"{_count(len(findings), 'study', 'studies')}, {lab:,} of them in a laboratory,"
            )
        return Judgement(
            0, f"{studies[0].upper()}{studies[1:]} bear on it, not a single one, so {LOWERED[0]}."
        )
    counted = [f for f in findings if f.participants is not None]
    if not counted:
        return Judgement(
            0,
            "None of the studies says how many people took part, so whether there are "
            "enough is left to the grader.",
        )
    total = sum(f.participants for f in counted)
    unknown = len(findings) - len(counted)
    note = (
        f" ({unknown:,} more {_verb(unknown, 'study does', 'studies do')} not say how many)"
        if unknown
        else ""
    )
    people = (
        f"The only study included {_count(total, 'person', 'people')}"
        if len(findings) == 1
        else f"The studies included {_count(total, 'person', 'people')} in all{note}"
    )
    if total < VERY_SMALL_INFORMATION_SIZE:
        return Judgement(
            -2,
            f"{people}. With fewer than {VERY_SMALL_INFORMATION_SIZE:,}, chance can easily "
            f"sway the results, so {LOWERED[-2]}.",
        )
    if total < OPTIMAL_INFORMATION_SIZE:
        return Judgement(
            -1,
            f"{people}. That is under {OPTIMAL_INFORMATION_SIZE:,}, GRADE's rule of thumb for "
            f"enough people to give a precise result, so {LOWERED[-1]}.",
        )
    return Judgement(
        0,
        f"{people}, at least the {OPTIMAL_INFORMATION_SIZE:,} that GRADE's rule of thumb asks "
        f"for a precise result, so {LOWERED[0]}.",
    )


PUBLICATION_BIAS = Judgement(
    0,
    "Whether studies that found nothing went unpublished (publication bias) is for a grader "
    "to judge; the rules do not lower the certainty for it.",
)
UPGRADE = Judgement(
    0, "Only a grader can raise the certainty for this, with a reason; the rules do not."
)


@dataclass(frozen=True)
class _GradedBody:
    body: Body
    findings: tuple[FindingInput, ...]
    start: Certainty
    verdict: Verdict
    domains: dict[str, Judgement]

    @property
    def certainty(self):
        return move(self.start, sum(j.rating for j in self.domains.values()))


def _grade_body(body, findings, start, indirect=None):
    laboratory = any(f.is_laboratory for f in findings)
    domains = {
        "risk_of_bias": risk_of_bias(findings, laboratory),
        "inconsistency": inconsistency(findings),
        "indirectness": indirect or indirectness(findings),
        "imprecision": imprecision(findings, laboratory),
        "publication_bias": PUBLICATION_BIAS,
    }
    return _GradedBody(body, tuple(findings), start, verdict_of(findings), domains)


class SetAside(StrEnum):
    """Why a finding is shown but does not set the grade."""

    RETRACTED = "retracted"
    CONTEXT = "context"
    NOT_EVIDENCE = "not-evidence"  # narrative review or expert opinion
    LABORATORY = "laboratory"  # an effect claim with human evidence
    UNCLASSIFIED = "unclassified"  # the study's design or population is not known yet


SET_ASIDE_NOTES = {
    SetAside.RETRACTED: "retracted, so excluded (rule 1)",
    SetAside.CONTEXT: "context only: shown, never sets certainty (rule 2)",
    SetAside.NOT_EVIDENCE: "a narrative review or expert opinion: shown, never sets certainty "
    "(rule 2)",
    SetAside.LABORATORY: "laboratory evidence: shown, but human evidence sets the grade of an "
    "effect in people (rule 3)",
    SetAside.UNCLASSIFIED: "the study's design or population is not classified yet, so the "
    "rules cannot place it",
}


@dataclass(frozen=True)
class Placement:
    """Where a finding goes: into a body of evidence, or set aside and why."""

    body: Body | None
    set_aside: SetAside | None = None

    @property
    def note(self):
        return SET_ASIDE_NOTES[self.set_aside] if self.set_aside else ""


def place(kind: str, findings: Sequence[FindingInput]) -> list[Placement]:
    """Rules 1 to 4: for each finding, the body of evidence it belongs to, or why it is set
    aside. Laboratory findings of an effect claim form a body of their own only when no human
    finding counts."""
    placements = []
    for f in findings:
        if f.retracted:
            placements.append(Placement(None, SetAside.RETRACTED))
        elif f.direction == Direction.CONTEXT:
            placements.append(Placement(None, SetAside.CONTEXT))
        elif f.design in NON_EVIDENCE_DESIGNS:
            placements.append(Placement(None, SetAside.NOT_EVIDENCE))
        elif not f.design or not f.population:
            placements.append(Placement(None, SetAside.UNCLASSIFIED))
        elif f.is_laboratory:
            body = Body.EXPERIMENTAL if kind == Kind.MECHANISM else Body.LABORATORY_ONLY
            placements.append(Placement(body))
        elif f.is_experimental_design:
            placements.append(Placement(Body.EXPERIMENTAL))
        else:
            placements.append(Placement(Body.OBSERVATIONAL))
    human_counts = any(p.body in (Body.EXPERIMENTAL, Body.OBSERVATIONAL) for p in placements)
    if kind == Kind.EFFECT and human_counts:
        placements = [
            Placement(None, SetAside.LABORATORY) if p.body == Body.LABORATORY_ONLY else p
            for p in placements
        ]
    return placements


def _bodies(findings, placements):
    """The graded bodies of evidence, experimental first (rule 4)."""
    members = {body: [] for body in Body}
    for finding, placement in zip(findings, placements, strict=True):
        if placement.body:
            members[placement.body].append(finding)
    bodies = []
    if members[Body.LABORATORY_ONLY]:
        bodies.append(
            _grade_body(
                Body.LABORATORY_ONLY,
                members[Body.LABORATORY_ONLY],
                LABORATORY_ONLY_START,
                laboratory_only_indirectness(members[Body.LABORATORY_ONLY]),
            )
        )
    if members[Body.EXPERIMENTAL]:
        bodies.append(
            _grade_body(Body.EXPERIMENTAL, members[Body.EXPERIMENTAL], EXPERIMENTAL_START)
        )
    if members[Body.OBSERVATIONAL]:
        bodies.append(
            _grade_body(Body.OBSERVATIONAL, members[Body.OBSERVATIONAL], OBSERVATIONAL_START)
        )
    return bodies


def _with_cross_body_inconsistency(chosen, other):
    """Rule 4: the other body pointing the other way costs one more level (at most -2)."""
    if frozenset({chosen.verdict, other.verdict}) not in OPPOSITE_VERDICTS:
        return chosen
    own = chosen.domains["inconsistency"]
    rating = max(MAX_DOWNGRADE, own.rating + BETWEEN_BODIES_INCONSISTENCY)
    consequence = (
        "so the certainty is lowered one more level"
        if rating < own.rating
        else "but the certainty is already lowered two levels, the most it can be"
    )
    reason = (
        f"{own.reason} The {BODY_WORDS[other.body]} point the other way "
        f"({OTHER_WAY[other.verdict]}), {consequence}."
    )
    domains = {**chosen.domains, "inconsistency": Judgement(rating, reason)}
    return _GradedBody(chosen.body, chosen.findings, chosen.start, chosen.verdict, domains)


def suggest(kind: str, findings: Iterable[FindingInput]) -> Suggestion:
    """A claim's suggested grade from its approved findings (rules 1-7)."""
    findings = list(findings)
    placements = place(kind, findings)

    def aside(reason):
        return [f for f, p in zip(findings, placements, strict=True) if p.set_aside == reason]

    notes = []
    if aside(SetAside.RETRACTED):
        notes.append(f"Retracted, so excluded: {_names(aside(SetAside.RETRACTED))}.")
    shown_only = aside(SetAside.CONTEXT) + aside(SetAside.NOT_EVIDENCE)
    if shown_only:
        notes.append(
            f"Shown but not counted towards the grade (background, narrative reviews or expert "
            f"opinion): "
            f"{_names(shown_only)}."
        )
    if aside(SetAside.UNCLASSIFIED):
        notes.append(
            f"Not counted until their design and population are classified: "
            f"{_names(aside(SetAside.UNCLASSIFIED))}."
        )
    if aside(SetAside.LABORATORY):
        notes.append(
            f"Animal and laboratory findings ({_names(aside(SetAside.LABORATORY))}) are shown but "
            f"do not set the grade, because there are studies in people."
        )
    unknown_pooling = [
        f
        for f, p in zip(findings, placements, strict=True)
        if p.body == Body.OBSERVATIONAL
        and f.design in POOLING_DESIGNS
        and f.pools_randomised is None
    ]
    if unknown_pooling:
        notes.append(
            f"Not recorded as pooling randomised trials, so counted as observational: "
            f"{_names(unknown_pooling)}."
        )

    bodies = _bodies(findings, placements)
    if any(b.body == Body.LABORATORY_ONLY for b in bodies):
        notes.append("Only animal or laboratory evidence bears on this effect in people.")
    if not bodies:
        notes.insert(0, "No finding counts towards a grade, so the evidence is insufficient.")
        nothing = Judgement(0, "No finding counts towards a grade, so there is nothing to judge.")
        domains = {name: nothing for name in DOWNGRADE_DOMAINS}
        domains.update({name: UPGRADE for name in UPGRADE_DOMAINS})
        return Suggestion(Verdict.INSUFFICIENT, None, Body.NONE, " ".join(notes), domains)

    # Rule 4: the higher certainty wins, the experimental body on a tie (it comes first).
    chosen = max(bodies, key=lambda b: CERTAINTY_LADDER.index(b.certainty))
    others = [b for b in bodies if b is not chosen]
    if others:
        chosen = _with_cross_body_inconsistency(chosen, others[0])
    notes.insert(
        0,
        f"The grade rests on the {BODY_WORDS[chosen.body]} "
        f"({_count(len(chosen.findings), 'study', 'studies')}: {_names(chosen.findings)}), "
        f"which start at {chosen.start.replace('-', ' ')} certainty.",
    )
    for other in others:
        notes.insert(
            1,
            f"On their own, the {BODY_WORDS[other.body]} ({_names(other.findings)}) would "
            f"be marked “{mark(other.verdict, other.certainty).label}” "
            f"({other.certainty.replace('-', ' ')} certainty).",
        )
    domains = {**chosen.domains, **{name: UPGRADE for name in UPGRADE_DOMAINS}}
    return Suggestion(chosen.verdict, chosen.certainty, chosen.body, " ".join(notes), domains)


def certainty_from(body: str, ratings: Iterable[int]) -> Certainty:
    """A grader's certainty: where the body starts (rule 4), moved by the downgrades and
    upgrades, never below very low (rule 7)."""
    return move(STARTS[Body(body)], sum(ratings))


def support_rank(grade: ClaimGrade):
    """Sort key: weakest first (rule 9)."""
    support = Support(grade.verdict) if grade.verdict else Support.NOT_ASSESSED
    certainty = CERTAINTY_LADDER.index(grade.certainty) if grade.certainty else -1
    return SUPPORT_ORDER.index(support), certainty


def certainty_rank(certainty) -> int:
    """The claims list's sort key for certainty: 1 (very low) to 4 (high), 0 for none."""
    return CERTAINTY_LADDER.index(certainty) + 1 if certainty else 0


def verdict_rank(verdict, certainty) -> int:
    """The claims list's sort key for the verdict: weakest first (rule 9, support_rank), ten
    apart, then by certainty within a verdict; not assessed (None) where rule 9 puts it."""
    support = Support(verdict) if verdict else Support.NOT_ASSESSED
    return SUPPORT_ORDER.index(support) * 10 + certainty_rank(certainty)


def inputs_fingerprint(kind: str, findings: Iterable[FindingInput]) -> str:
    """A digest of everything suggest() reads of a claim: its kind and its findings' inputs in
    their order. A claim whose fingerprint is unchanged would be graded the same."""
    return hashlib.sha256(repr((str(kind), tuple(findings))).encode()).hexdigest()


def overstated_because(assertion: str, grade: ClaimGrade) -> str | None:
    """Rule 9, for one link: why asserting this claim this strongly says more than the evidence
    carries, or None. Asserting a claim the evidence contradicts is overstated however it is
    worded (as context too: presenting it as given presents it as true); stating as fact what
    the evidence grades low or very low is overstated; suggesting, speculating or mentioning it
    as background is not.

    Two readings of the rule, where DESIGN.md is silent: a claim graded "no effect" counts as
    contradicted (the evidence finds no effect where the claim asserts one), and stating as fact
    a claim whose evidence is insufficient to grade at all is overstated, as it is at very low
    certainty."""
    if grade.verdict == Verdict.CONTRADICTED:
        return f"It asserts “{grade.claim}”, which the evidence contradicts."
    if grade.verdict == Verdict.NO_EFFECT:
        return f"It asserts “{grade.claim}”, where the evidence finds no effect."
    if assertion == Assertion.FACT and grade.certainty in WEAK_CERTAINTIES:
        level = grade.certainty.replace("-", " ")
        return f"It states as fact “{grade.claim}”, which the evidence grades {level}."
    if assertion == Assertion.FACT and grade.verdict == Verdict.INSUFFICIENT:
        return (
            f"It states as fact “{grade.claim}”, for which there is not enough evidence to grade."
        )
    return None


def grade_statement(links: Sequence[AssertedClaim]) -> StatementGrade:
    """Rule 9: a statement is as supported as its weakest claim; it is overstated when one of
    its links is (overstated_because), and says which claims it overstates."""
    if not links:
        return StatementGrade(Support.NOT_ASSESSED, None, ())
    weakest = min((link.grade for link in links), key=support_rank)
    support = Support(weakest.verdict) if weakest.verdict else Support.NOT_ASSESSED
    reasons, overstated = [], []
    for link in links:
        reason = overstated_because(link.assertion, link.grade)
        if reason:
            reasons.append(reason)
            overstated.append(link.grade.claim)
    return StatementGrade(support, weakest.certainty, tuple(reasons), tuple(overstated))


def _clause(claim_text):
    text = claim_text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


PLAIN_LANGUAGE = {
    Verdict.SUPPORTED: {
        Certainty.HIGH: "The evidence shows that {c}.",
        Certainty.MODERATE: "It is probably true that {c}.",
        Certainty.LOW: "It may be true that {c}.",
        Certainty.VERY_LOW: "It is very uncertain whether {c}.",
    },
    Verdict.CONTRADICTED: {
        Certainty.HIGH: "The evidence shows that it is not true that {c}.",
        Certainty.MODERATE: "It is probably not true that {c}.",
        Certainty.LOW: "It may not be true that {c}.",
        Certainty.VERY_LOW: "It is very uncertain whether {c}; what evidence there is points "
        "the other way.",
    },
    Verdict.NO_EFFECT: {
        Certainty.HIGH: "The evidence shows no effect: it is not true that {c}.",
        Certainty.MODERATE: "There is probably no effect: it is probably not true that {c}.",
        Certainty.LOW: "There may be no effect: it may not be true that {c}.",
        Certainty.VERY_LOW: "It is very uncertain whether {c}; what evidence there is finds no "
        "effect.",
    },
    Verdict.MIXED: {
        Certainty.HIGH: "The evidence is mixed on whether {c}.",
        Certainty.MODERATE: "The evidence is mixed on whether {c}.",
        Certainty.LOW: "The evidence is mixed and uncertain on whether {c}.",
        Certainty.VERY_LOW: "It is very uncertain whether {c}; the evidence is mixed.",
    },
}


def plain_language(claim_text: str, verdict: str, certainty: str | None) -> str:
    """Rule 8: GRADE's summary statements — high "X lowers…", moderate "X probably lowers…",
    low "X may lower…", very low "it is very uncertain whether X lowers…"."""
    clause = _clause(claim_text)
    if verdict == Verdict.INSUFFICIENT or not certainty:
        return f"There is not enough evidence to say whether {clause}."
    return PLAIN_LANGUAGE[Verdict(verdict)][Certainty(certainty)].format(c=clause)


# Rule 8: the mark a reader sees says no more than the plain-language sentence. Its words
# carry the certainty, as the sentence's do ("probably", "may", "very uncertain").
MARK_LABELS = {
    Support.SUPPORTED: {
        Certainty.HIGH: "Supported",
        Certainty.MODERATE: "Probably supported",
        Certainty.LOW: "May be supported",
        Certainty.VERY_LOW: "Very uncertain, leans supported",
    },
    Support.CONTRADICTED: {
        Certainty.HIGH: "Contradicted",
        Certainty.MODERATE: "Probably contradicted",
        Certainty.LOW: "May be contradicted",
        Certainty.VERY_LOW: "Very uncertain, leans contradicted",
    },
    Support.NO_EFFECT: {
        Certainty.HIGH: "No effect",
        Certainty.MODERATE: "Probably no effect",
        Certainty.LOW: "May have no effect",
        Certainty.VERY_LOW: "Very uncertain, leans no effect",
    },
}
# Mixed and insufficient evidence, and claims not assessed, claim nothing to hedge: their
# words stay the same at every certainty.
FIXED_MARK_LABELS = {
    Support.MIXED: "Mixed evidence",
    Support.INSUFFICIENT: "Insufficient evidence",
    Support.NOT_ASSESSED: "Not assessed",
}
# A mark's visual weight falls with the certainty: solid at high, faint at very low (the
# stylesheet's weight-* classes); "none" where there is no certainty to show.
NO_WEIGHT = "none"


@dataclass(frozen=True)
class Mark:
    """How a reader sees a support level at a certainty: its words and its visual weight."""

    support: Support
    certainty: Certainty | None
    label: str

    @property
    def weight(self):
        return self.certainty.value if self.certainty else NO_WEIGHT


@functools.cache  # a few dozen marks exist; a page of 25 scorecards asks for a thousand
def mark(support: str | None, certainty: str | None) -> Mark:
    """Rule 8: the mark of a support level (or a claim's verdict; None: not assessed) at a
    certainty. A verdict that points one way but has no certainty (the assessments' constraint
    rules it out) is worded as at very low: the mark never says more than the evidence."""
    support = Support(support) if support else Support.NOT_ASSESSED
    certainty = Certainty(certainty) if certainty else None
    if support in FIXED_MARK_LABELS:
        return Mark(support, certainty, FIXED_MARK_LABELS[support])
    return Mark(support, certainty, MARK_LABELS[support][certainty or Certainty.VERY_LOW])


def level_mark(support: str) -> Mark:
    """A support level itself, in its plainest words ("Supported") and with no weight: for a
    legend, or a level no statement has. Never for a grade: that is mark()'s."""
    support = Support(support)
    label = FIXED_MARK_LABELS.get(support) or MARK_LABELS[support][Certainty.HIGH]
    return Mark(support, None, label)


def strongest(
    kind: str,
    findings: Sequence[FindingInput],
    direction: str,
    count=2,
    body=None,
    placements: Sequence[Placement] | None = None,
):
    """The strongest findings of one direction: those that count in a body before those set
    aside (and, given the `body` the grade rests on, those in it first), then by level of
    evidence, then those not at high risk of bias, then by size. Returns indexes into
    `findings`; all of the direction's when `count` is None. `placements`: place(kind,
    findings), when the caller has it already."""
    if placements is None:
        placements = place(kind, findings)
    ranked = sorted(
        (i for i, f in enumerate(findings) if f.direction == direction),
        key=lambda i: (
            placements[i].body is None,
            body is not None and placements[i].body != body,
            evidence_level(findings[i].design),
            findings[i].high_risk is True,
            -(findings[i].participants or 0),
        ),
    )
    return ranked if count is None else ranked[:count]


def what_would_change(
    kind: str,
    findings: Sequence[FindingInput],
    verdict: str,
    certainty,
    body: str,
    ratings: dict[str, int],
) -> list[str]:
    """For readers: what evidence could change a grade, from the findings and the domains that
    lowered it (e.g. "no human trial yet", "only animal evidence")."""
    placements = place(kind, findings)
    counted = [f for f, p in zip(findings, placements, strict=True) if p.body]
    if verdict == Verdict.INSUFFICIENT:
        hints = ["Any study that bears on it directly: no finding sets a grade yet."]
        if findings:
            hints.append(
                "What there is (reviews, context, set-aside studies) is shown but cannot grade it."
            )
        return hints
    if certainty == Certainty.HIGH:
        return ["The certainty is high: further research is very unlikely to change the grade."]
    hints = []
    if kind == Kind.EFFECT and not any(f.is_experimental_design for f in counted):
        hints.append("A randomised trial in people: there is none yet.")
    if body == Body.LABORATORY_ONLY:
        hints.append("Any study in people: the evidence is only animal or in-vitro work.")
    unappraised = [f for f in counted if f.high_risk is None]
    if unappraised:
        hints.append(
            f"An appraisal of risk of bias: {_count(len(unappraised), 'study', 'studies')} "
            f"not yet appraised (it could lower the grade)."
        )
    if ratings.get("risk_of_bias", 0) < 0:
        hints.append("Studies at lower risk of bias.")
    if ratings.get("inconsistency", 0) < 0:
        hints.append("Studies that settle why the findings disagree.")
    if ratings.get("indirectness", 0) < 0 and body != Body.LABORATORY_ONLY:
        hints.append(
            "Studies of the claim's own population, intervention and outcome: most of "
            "the evidence is indirect."
        )
    if ratings.get("imprecision", 0) < 0:
        if any(f.is_laboratory for f in counted):
            hints.append("More than one laboratory study.")
        else:
            total = sum(f.participants or 0 for f in counted)
            hints.append(
                f"Larger studies: {total:,} participants so far, under GRADE's rule of "
                f"thumb of {OPTIMAL_INFORMATION_SIZE}."
            )
    if body == Body.OBSERVATIONAL:
        hints.append(
            "A large effect or a dose-response in the observational studies could "
            "raise the certainty."
        )
    return hints
