from collections import Counter
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from claims import grading
from claims.grading import Assertion, Body, Certainty, Direction, Kind, Verdict
from claims.intake import segment
from config import search
from config.versions import Versioned, version_positive
from evidence.citations import short_label
from evidence.models import Appraisal, high_risk_of_bias_of


def _choices(enum, labels):
    return [(member.value, labels[member]) for member in enum]


KIND_CHOICES = _choices(
    Kind, {Kind.EFFECT: "Effect in people", Kind.MECHANISM: "Biological mechanism"}
)
DIRECTION_CHOICES = _choices(
    Direction,
    {
        Direction.SUPPORTS: "Supports",
        Direction.CONTRADICTS: "Contradicts",
        Direction.NO_EFFECT: "No effect",
        Direction.MIXED: "Mixed",
        Direction.CONTEXT: "Context",
    },
)
VERDICT_CHOICES = _choices(
    Verdict,
    {
        Verdict.SUPPORTED: "Supported",
        Verdict.CONTRADICTED: "Contradicted",
        Verdict.MIXED: "Mixed",
        Verdict.NO_EFFECT: "No effect",
        Verdict.INSUFFICIENT: "Insufficient evidence",
    },
)
CERTAINTY_CHOICES = _choices(
    Certainty,
    {
        Certainty.HIGH: "High",
        Certainty.MODERATE: "Moderate",
        Certainty.LOW: "Low",
        Certainty.VERY_LOW: "Very low",
    },
)
ASSERTION_CHOICES = _choices(
    Assertion,
    {
        Assertion.FACT: "States as fact",
        Assertion.SUGGESTS: "Suggests",
        Assertion.SPECULATES: "Speculates",
        Assertion.BACKGROUND: "Mentions as background",
    },
)
BODY_CHOICES = _choices(
    Body,
    {
        Body.EXPERIMENTAL: "Experimental",
        Body.OBSERVATIONAL: "Observational",
        Body.LABORATORY_ONLY: "Laboratory only",
        Body.NONE: "None",
    },
)
SUPPORT_LABELS = {
    grading.Support.SUPPORTED: "Supported",
    grading.Support.CONTRADICTED: "Contradicted",
    grading.Support.MIXED: "Mixed evidence",
    grading.Support.NO_EFFECT: "No effect found",
    grading.Support.INSUFFICIENT: "Insufficient evidence",
    grading.Support.NOT_ASSESSED: "Not assessed",
}
DOMAIN_LABELS = {
    "risk_of_bias": "Risk of bias",
    "inconsistency": "Inconsistency",
    "indirectness": "Indirectness",
    "imprecision": "Imprecision",
    "publication_bias": "Publication bias",
    "large_effect": "Large effect",
    "dose_response": "Dose-response",
    "confounding": "Plausible confounding",
}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class FindingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AssessmentStatus(models.TextChoices):
    """The rules' suggestion is provisional; an assessor's independent assessment is a draft,
    then submitted; the consensus of the assessors is published, then superseded by the next."""

    PROVISIONAL = "provisional", "Provisional (from the rules, not reviewed)"
    DRAFT = "draft", "Draft (independent)"
    SUBMITTED = "submitted", "Submitted (independent)"
    PUBLISHED = "published", "Published (consensus)"
    SUPERSEDED = "superseded", "Superseded (consensus)"


INDEPENDENT_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED)
CONSENSUS_STATUSES = (AssessmentStatus.PUBLISHED, AssessmentStatus.SUPERSEDED)


def _count(queryset):
    """A correlated COUNT(*) subquery: counts without joins or GROUP BY."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), Value(0))


def _study_appraisals():
    return Prefetch("study__appraisals", queryset=Appraisal.objects.complete_details())


# --- Claims -------------------------------------------------------------------------------


def _reader_facing():
    return Assessment.objects.filter(
        status__in=[AssessmentStatus.PUBLISHED, AssessmentStatus.PROVISIONAL],
    ).order_by(Case(When(status=AssessmentStatus.PUBLISHED, then=Value(0)), default=Value(1)))


def reader_facing_assessments(claim):
    """The assessments of a claim readers may see, the one they see first: the published one,
    else the provisional one. `claim` may be OuterRef("pk") inside a subquery."""
    return _reader_facing().filter(claim=claim)


# Where a claim nobody assessed sorts by verdict (rule 9).
NOT_ASSESSED_RANK = grading.verdict_rank(None, None)
# The reader-facing grade stored on each claim (ClaimQuerySet.store_grades), for the list's
# filters, sorts and indexes.
GRADE_COLUMNS = (
    "grade_verdict",
    "grade_certainty",
    "grade_status",
    "certainty_rank",
    "verdict_rank",
)


def _computed_grade():
    """The reader-facing grade of each claim computed from its assessments, as expressions on
    the claim: what its stored grade columns (GRADE_COLUMNS) must hold."""
    current = reader_facing_assessments(OuterRef("pk")).annotate(
        certainty_rank=Case(
            *[
                When(certainty=c.value, then=Value(grading.certainty_rank(c)))
                for c in grading.CERTAINTY_LADDER
            ],
            default=Value(0),
        ),
        verdict_rank=Case(
            *[
                When(verdict=v.value, certainty=c, then=Value(grading.verdict_rank(v, c)))
                for v in Verdict
                for c in ["", *grading.CERTAINTY_LADDER]
            ],
            default=Value(NOT_ASSESSED_RANK),
        ),
    )

    def first(name):
        return Subquery(current.values(name)[:1])

    return {
        "grade_verdict": first("verdict"),
        "grade_certainty": first("certainty"),
        "grade_status": first("status"),
        "certainty_rank": Coalesce(first("certainty_rank"), Value(0)),
        "verdict_rank": Coalesce(first("verdict_rank"), Value(NOT_ASSESSED_RANK)),
    }


# What the text search reads (config.search): the index of migration 0016 is built from it.
CLAIM_SEARCH = {
    "fields": ["text", "subject", "outcome"],
    "partial": "text",
    "document": "search_document",
}


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def search(self, text):
        """Claims with the words in their text, subject or outcome (part of a word: in the
        text), the most relevant first (config.search)."""
        return search.ranked(self, text, **CLAIM_SEARCH)

    def matching(self, text):
        """As search(), in the queryset's own order (the admin's search and its autocompletes:
        `icontains` over the text, slug, subject and outcome read every claim)."""
        return search.matching(self, text, **CLAIM_SEARCH)

    def sharing_words(self, texts, *, limit=None):
        """For each of `texts`, the keys of at most `limit` of these claims that share words
        with it (text, subject, outcome), those sharing the most and the rarest first
        (config.search.words_in_common; limit None: its WORDS_IN_COMMON_LIMIT): the candidates
        the intake's model ranks."""
        return search.words_in_common(
            self,
            texts,
            fields=CLAIM_SEARCH["fields"],
            document=CLAIM_SEARCH["document"],
            limit=limit or search.WORDS_IN_COMMON_LIMIT,
        )

    def with_computed_grade(self):
        """Each claim with `computed_<column>` for each of GRADE_COLUMNS: its grade computed
        from its assessments, one correlated subquery per column. For checking the stored
        columns (grade_claims --check, the tests); pages read the stored ones."""
        return self.annotate(**{f"computed_{name}": e for name, e in _computed_grade().items()})

    def store_grades(self):
        """Store the reader-facing grade of these claims (GRADE_COLUMNS) from their assessments,
        in one UPDATE: the one place the columns are written. Called by everything that changes
        which assessment readers see or what it says (claims.services, make_library)."""
        return Claim.objects.filter(pk__in=self.values("pk")).update(**_computed_grade())

    def grade_drift(self):
        """The claims whose stored grade differs from the computed one, as (claim id, column,
        stored, computed); none, unless something wrote assessments around the services."""
        names = list(GRADE_COLUMNS)
        rows = self.with_computed_grade().values_list(
            "pk", *names, *[f"computed_{name}" for name in names]
        )
        drift = []
        for pk, *values in rows.order_by("pk"):
            stored, computed = values[: len(names)], values[len(names) :]
            drift += [
                (pk, name, a, b)
                for name, a, b in zip(names, stored, computed, strict=True)
                if a != b
            ]
        return drift

    def for_list(self):
        """The claims list: published claims with their stored grade, how many findings and
        statements, in the order of their text. Every order and filter the list offers is
        backed by an index of Claim.Meta; the counts are per row, so a page computes them for
        its own rows only (claims.paging.KeysFirstPaginator)."""
        findings = Finding.objects.approved().filter(claim=OuterRef("pk"))
        statements = StatementClaim.objects.shown_to_readers().filter(claim=OuterRef("pk"))
        return (
            self.published()
            .annotate(finding_count=_count(findings), statement_count=_count(statements))
            .order_by("text", "pk")
        )

    def for_api(self):
        """The claims of the API and its exports: the list's grade, counts and sort keys, and
        the assessments readers may see (for the grade's reasons), one query. Each claim's
        findings are a link away (/api/findings/?claim=), counted per direction by
        attach_finding_counts()."""
        return self.for_list().prefetch_related(
            Prefetch(
                "assessments",
                queryset=_reader_facing().select_related("author"),
                to_attr="reader_assessments",
            )
        )

    def with_statements(self):
        """Each claim with the statements of published articles that assert it, one query (the
        API's claim, its ClaimReview, the JSON export)."""
        statements = (
            StatementClaim.objects.shown_to_readers()
            .select_related("statement__article")
            .order_by("statement__article__title", "statement__article_id", "statement__start")
        )
        return self.prefetch_related(
            Prefetch("statement_links", queryset=statements, to_attr="published_statement_links")
        )

    def for_export(self):
        """The JSON export: the API's claims with the statements that assert them and every
        approved finding with its study (a download holds the whole of each claim)."""
        approved = Finding.objects.approved().select_related("study").order_by("study__title", "pk")
        return (
            self.for_api()
            .with_statements()
            .prefetch_related(Prefetch("findings", queryset=approved, to_attr="approved_findings"))
        )

    def for_grading_queue(self, user):
        """The graders' queue's list of every claim: its grade, how far its round of independent
        review is, where this user stands in it, and whether its grade needs review; in the
        order of the text (an index: claim_admin_order). What waits for the user comes first,
        apart (claims.work)."""
        open_round = Assessment.objects.filter(
            claim=OuterRef("pk"), status__in=INDEPENDENT_STATUSES, consensus__isnull=True
        )
        flagged = Assessment.objects.filter(
            claim=OuterRef("pk"), status=AssessmentStatus.PUBLISHED, needs_review=True
        )
        return self.annotate(
            submitted_count=_count(open_round.filter(status=AssessmentStatus.SUBMITTED)),
            my_status=Subquery(open_round.filter(author=user).values("status")[:1]),
            needs_review=Exists(flagged),
        ).order_by("text", "id")

    def for_grading(self):
        """What the rules read of each claim (grading_inputs) and its provisional assessment,
        if it has one; in order of primary key."""
        # In entry order, so that the reasons name studies in the same order on every database.
        approved = (
            Finding.objects.approved()
            .select_related("study")
            .prefetch_related(_study_appraisals())
            .order_by("pk")
        )
        provisional = Assessment.objects.filter(status=AssessmentStatus.PROVISIONAL)
        return self.order_by("pk").prefetch_related(
            Prefetch("findings", queryset=approved, to_attr="approved_findings"),
            Prefetch("assessments", queryset=provisional, to_attr="provisional_assessments"),
        )

    def for_detail(self):
        """A claim's page: its grade, the statements that assert it and its published grades;
        its findings come from Claim.evidence(), read light, whatever their number."""
        statements = (
            StatementClaim.objects.shown_to_readers()
            .select_related("statement__article")
            .order_by("statement__article__title", "statement__start")
        )
        consensus = (
            Assessment.objects.filter(status__in=CONSENSUS_STATUSES)
            .select_related("author")
            .order_by("published_at", "pk")
        )
        return self.published().prefetch_related(
            Prefetch("statement_links", queryset=statements, to_attr="published_statement_links"),
            Prefetch("assessments", queryset=consensus, to_attr="consensus_assessments"),
        )


class Claim(Versioned):
    slug = models.SlugField(max_length=120, unique=True)
    text = models.CharField(max_length=500, help_text="A normalized, testable proposition.")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    subject = models.CharField(max_length=200, blank=True, help_text="e.g. kratom")
    outcome = models.CharField(max_length=200, blank=True, help_text="e.g. serum prolactin")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The grade readers see (the published assessment, else the provisional one; null: not
    # assessed) and its sort keys, stored by ClaimQuerySet.store_grades for the claims list's
    # filters, sorts and indexes: never edited, not part of the claim's history. Null, not
    # empty, when not assessed: an empty certainty is an assessment's (insufficient evidence).
    grade_verdict = models.CharField(  # noqa: DJ001
        max_length=20, choices=VERDICT_CHOICES, null=True, editable=False
    )
    grade_certainty = models.CharField(  # noqa: DJ001
        max_length=20, choices=CERTAINTY_CHOICES, null=True, editable=False
    )
    grade_status = models.CharField(  # noqa: DJ001
        max_length=20, choices=AssessmentStatus, null=True, editable=False
    )
    certainty_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    verdict_rank = models.PositiveSmallIntegerField(default=NOT_ASSESSED_RANK, editable=False)
    # grading.inputs_fingerprint of what its provisional grade was last computed from (empty:
    # never), so that grade_claims regrades only claims whose inputs changed.
    graded_inputs = models.CharField(max_length=64, blank=True, editable=False)
    # The text search's words of the text, subject and outcome, computed by the database
    # (config.search).
    search_document = models.GeneratedField(
        expression=search.StoredDocument(*CLAIM_SEARCH["fields"]),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    history = HistoricalRecords(
        excluded_fields=[*GRADE_COLUMNS, "graded_inputs", "search_document"]
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["text"]
        constraints = [version_positive("claim")]
        # The claims list reads published claims only; each of its orders, and each filter in
        # the default order, walks one of these (tests/claims/test_claim_list_plans.py).
        indexes = [
            models.Index(
                fields=[*fields, "id"],
                name=f"claim_list_{name}",
                condition=Q(status=Status.PUBLISHED),
            )
            for name, fields in (
                ("text", ["text"]),
                ("verdict", ["grade_verdict", "text"]),
                ("certainty", ["grade_certainty", "text"]),
                ("kind", ["kind", "text"]),
                ("by_verdict", ["verdict_rank"]),
                ("by_certainty", ["certainty_rank"]),
            )
        ] + [
            # The admin's list of every claim, drafts too (ClaimAdmin.ordering).
            models.Index(fields=["text", "id"], name="claim_admin_order"),
            # The grading queue's claims no person has assessed (claims.work), in its order.
            models.Index(
                fields=["text", "id"],
                name="claim_provisional_order",
                condition=Q(grade_status=AssessmentStatus.PROVISIONAL),
            ),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("claims:claim", args=[self.slug])

    @property
    def grade(self):
        """The reader-facing grade (the stored grade_verdict and grade_certainty)."""
        return self.grade_from(self.text, self.grade_verdict, self.grade_certainty)

    @staticmethod
    def grade_from(text, grade_verdict, grade_certainty):
        """The grade of a claim's text and stored columns (also for rows read as values)."""
        verdict = Verdict(grade_verdict) if grade_verdict else None
        certainty = Certainty(grade_certainty) if grade_certainty else None
        return grading.ClaimGrade(text, verdict, certainty)

    @property
    def verdict_label(self):
        return dict(VERDICT_CHOICES).get(self.grade_verdict, "Not assessed")

    @property
    def mark(self):
        """How readers see its grade (rule 8): words and weight that carry the certainty."""
        return grading.mark(self.grade_verdict, self.grade_certainty)

    @property
    def certainty_label(self):
        return dict(CERTAINTY_CHOICES).get(self.grade_certainty, "")

    @property
    def is_provisional(self):
        return self.grade_status == AssessmentStatus.PROVISIONAL

    @property
    def plain_language(self):
        if not self.grade_verdict:
            return "Not yet assessed."
        return grading.plain_language(self.text, self.grade_verdict, self.grade_certainty)

    def current_assessment(self):
        """The assessment readers see: the published one, else the provisional one (None when
        not assessed), knowing its claim (its wording names it). Reads the prefetch of
        ClaimQuerySet.for_api() when it is there."""
        if hasattr(self, "reader_assessments"):
            assessment = self.reader_assessments[0] if self.reader_assessments else None
        else:
            assessment = reader_facing_assessments(self).select_related("author").first()
        if assessment is not None:
            assessment.claim = self
        return assessment

    @property
    def shown_assessment(self):
        """current_assessment(), as an attribute (for the API's serializers)."""
        return self.current_assessment()

    @property
    def published_statements(self):
        """The published statements that assert it, each with `link` (how strongly it asserts
        this claim); needs with_statements() or for_detail()."""
        statements = []
        for link in self.published_statement_links:
            link.statement.link = link
            statements.append(link.statement)
        return statements

    def articles(self):
        """The published articles that assert it, each once, in title order; needs
        with_statements() or for_detail()."""
        articles = {}
        for statement in self.published_statements:
            articles.setdefault(statement.article_id, statement.article)
        return list(articles.values())

    def evidence(self, body=None):
        """Its approved findings as the rules see them, every one of them counted and ranked,
        `body` the body of evidence its grade rests on (ClaimEvidence)."""
        return ClaimEvidence(self, body)

    def grade_history(self):
        """Every grade graders published, oldest first, each with what changed from the one
        before; needs for_detail()."""
        events, previous = [], None
        for assessment in self.consensus_assessments:
            events.append((assessment, assessment.changes_since(previous)))
            previous = assessment
        return events

    def grading_inputs(self):
        """What the rules need of this claim's approved findings; needs for_grading()."""
        return [finding.as_grading_input() for finding in self.approved_findings]


# How many findings of each direction a claim's page shows (its strongest); the others are a
# link away (the claim's findings list, a page at a time).
FINDINGS_SHOWN = 5


class ClaimEvidence:
    """A claim's approved findings as the rules see them, however many: one light query for
    every finding (values of the finding and its study, and its study's risk of bias computed
    in the database: no model instances, no appraisals loaded); counts, placements (rules 1-4),
    the ranking and what would change the grade cover every approved finding. The findings
    readers see in full are read by findings(), a handful or a page at a time, and the
    appraisals of their studies by appraisals_of()."""

    def __init__(self, claim, body=None):
        self.kind, self.body = claim.kind, body
        rows = list(Finding.objects.for_ranking(claim))
        self.pks = [row[0] for row in rows]
        self.study_ids = [row[1] for row in rows]
        self.inputs = [grading_input(row[2:]) for row in rows]
        own = 2 + GRADING_COLUMNS.index("participants")
        self.own_participants = [row[own] for row in rows]  # the finding's own number, if any
        # Appraised: with a complete appraisal (what the rules and the traffic lights count).
        self.appraised_studies = {
            study_id
            for study_id, finding in zip(self.study_ids, self.inputs, strict=True)
            if finding.high_risk is not None
        }
        self.placements = grading.place(self.kind, self.inputs)
        self.sets_grade = [bool(body) and p.body == body for p in self.placements]
        self._ranked = {}

    def __len__(self):
        return len(self.inputs)

    def count(self, direction):
        return sum(f.direction == direction for f in self.inputs)

    def ranked(self, direction):
        """The indexes of a direction's findings, strongest first (grading.strongest, those
        in the body the grade rests on first)."""
        if direction not in self._ranked:
            self._ranked[direction] = grading.strongest(
                self.kind,
                self.inputs,
                direction,
                count=None,
                body=self.body,
                placements=self.placements,
            )
        return self._ranked[direction]

    def findings(self, indexes):
        """The findings at these indexes, in that order, as model instances with their study,
        each with `placement` (its body of evidence, or why it is set aside) and `sets_grade`
        (whether it is in the body the grade rests on). One query."""
        by_pk = Finding.objects.select_related("study").in_bulk([self.pks[i] for i in indexes])
        shown = []
        for i in indexes:
            finding = by_pk[self.pks[i]]
            finding.placement, finding.sets_grade = self.placements[i], self.sets_grade[i]
            shown.append(finding)
        return shown

    def by_direction(self, count=FINDINGS_SHOWN):
        """(direction, label, its strongest `count` findings, how many it has) for each
        direction with findings; one query."""
        ranked = {d: self.ranked(d) for d in Direction}
        shown = iter(self.findings([i for d in Direction for i in ranked[d][:count]]))
        labels = dict(DIRECTION_CHOICES)
        return [
            (d.value, labels[d], [next(shown) for _ in ranked[d][:count]], len(ranked[d]))
            for d in Direction
            if ranked[d]
        ]

    def appraisals_of(self, findings):
        """The appraisals of these findings' studies, in the findings' order, with what the
        traffic lights need (Appraisal.objects.complete_details()); no query when none of the
        studies has a complete appraisal (the traffic lights draw no other)."""
        studies = {f.study_id: f.study for f in findings if f.study_id in self.appraised_studies}
        if not studies:
            return []
        by_study = {}
        for appraisal in Appraisal.objects.filter(study__in=list(studies)).complete_details():
            appraisal.study = studies[appraisal.study_id]
            by_study.setdefault(appraisal.study_id, []).append(appraisal)
        return [appraisal for study_id in studies for appraisal in by_study.get(study_id, [])]

    def appraised_count(self):
        """How many of the studies have a complete appraisal."""
        return len(self.appraised_studies)

    def in_grade(self):
        """(participants, studies, unsized, whole reviews) of the findings the grade rests on, for
        the summary of findings: participants is None when none of those studies gives its size
        (laboratory studies); studies counts each study once, unsized those of them whose size
        is not known (not in participants); whole reviews names the reviews
        counted at their whole size because no finding says how many of their participants it
        rests on (a meta-analysis of 18,428 people of whom a few studies measured the outcome)."""
        chosen = [i for i, sets in enumerate(self.sets_grade) if sets]
        sizes = [self.inputs[i].participants for i in chosen if self.inputs[i].participants]
        unsized = len({self.study_ids[i] for i in chosen if not self.inputs[i].participants})
        whole_reviews = [
            self.inputs[i].label
            for i in chosen
            if self.inputs[i].design in grading.POOLING_DESIGNS
            and self.own_participants[i] is None
            and self.inputs[i].participants
        ]
        return (
            (sum(sizes) if sizes else None),
            len({self.study_ids[i] for i in chosen}),
            unsized,
            whole_reviews,
        )

    def what_would_change(self, assessment):
        """What evidence could change the grade readers see (`assessment`)."""
        if assessment is None:
            return []
        ratings = {
            name: getattr(assessment, name)
            for name in grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS
        }
        return grading.what_would_change(
            self.kind,
            self.inputs,
            assessment.verdict,
            assessment.certainty or None,
            assessment.body,
            ratings,
        )


# What readers see of a claim (its page, its address, the API): a researcher's change to any of
# these on a published claim is a proposal a grader accepts (ClaimEditProposal).
CLAIM_PROPOSABLE_FIELDS = ("text", "slug", "kind", "subject", "outcome")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ClaimEditProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def for_review(self):
        """The graders' list: pending first, then declined and accepted, newest first."""
        return self.select_related("claim", "proposed_by", "decided_by")


class ClaimEditProposal(models.Model):
    """A researcher's change to a published claim (DESIGN.md, roles: a change to anything
    published is a proposal a grader accepts). Readers see the claim as it was until a grader
    accepts it (claims.services.claim_edit_accept); a declined one says why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="edit_proposals")
    changes = models.JSONField(help_text="The proposed value of each changed field.")
    original = models.JSONField(
        help_text="The value of each changed field when it was proposed (what the proposer saw)."
    )
    status = models.CharField(max_length=20, choices=ProposalStatus, default=ProposalStatus.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claim_edit_proposals",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_edit_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why a grader declined it.")
    history = HistoricalRecords()

    objects = ClaimEditProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "claim edit proposal"
        ordering = ["-status", "-created_at", "-pk"]  # pending sorts first when reversed
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ProposalStatus.PENDING) & Q(decided_at__isnull=False)),
                name="claim_edit_proposal_decided_when_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(reason=""),
                name="claim_edit_proposal_declined_says_why",
                violation_error_message="A declined proposal says why.",
            ),
        ]

    def __str__(self):
        return f"Proposed change to “{self.claim}”"

    def clean(self):
        unknown = set(self.changes or {}) - set(CLAIM_PROPOSABLE_FIELDS)
        if unknown:
            raise ValidationError(
                {"changes": f"Not a field a proposal changes: {', '.join(sorted(unknown))}."}
            )
        if not self.changes:
            raise ValidationError({"changes": "A proposal changes at least one field."})

    def differences(self):
        """(field label, before, proposed) for each proposed field, in the order of the claim's
        form; before is the claim's value now while the proposal is pending, and the value it
        replaced (or would have) once decided."""
        rows = []
        for name in CLAIM_PROPOSABLE_FIELDS:
            if name in self.changes:
                field = Claim._meta.get_field(name)
                pending = self.status == ProposalStatus.PENDING
                before = getattr(self.claim, name) if pending else self.original.get(name, "")
                rows.append(
                    (
                        capfirst(field.verbose_name),
                        self._shown(field, before),
                        self._shown(field, self.changes[name]),
                    )
                )
        return rows

    @staticmethod
    def _shown(field, value):
        return dict(field.choices).get(value, value) if field.choices else value


# --- Articles and statements --------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_list(self):
        """Published articles, the latest first; their scorecards: attach_scorecards()."""
        return self.published().order_by("-published_on", "title", "pk")

    def for_detail(self):
        """A published article with its statements, each graded (rule 9) from its links."""
        statements = Statement.objects.published().order_by("start").with_reader_links()
        return self.published().prefetch_related(
            Prefetch("statements", queryset=statements, to_attr="published_statements")
        )


class Article(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    url = models.URLField(blank=True, max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    body = models.TextField(help_text="The text exactly as published; statements are spans of it.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("claims:article", args=[self.slug])

    def scorecard(self):
        """Statements per support level, plus how many are overstated; needs for_detail() or
        attach_scorecards()."""
        if hasattr(self, "_scorecard"):
            return self._scorecard
        return Scorecard.of(
            (statement.grade, statement.is_provisional) for statement in self.published_statements
        )

    def paragraphs(self):
        """The body as the reader sees it: its blocks (claims.intake.segment.blocks: headings,
        list items and paragraphs, their "# " and "- " markers left out), each a Paragraph of
        (text, statement or None) pieces for highlighting; needs for_detail(). Statements never
        overlap and never span a line."""
        statements = self.published_statements
        paragraphs, i = [], 0
        for block in segment.blocks(self.body):
            pieces, position = [], block.start
            while i < len(statements) and statements[i].start < block.end:
                statement = statements[i]
                if statement.start > position:
                    pieces.append((self.body[position : statement.start], None))
                pieces.append((statement.text, statement))
                position, i = statement.end, i + 1
            if position < block.end:
                pieces.append((self.body[position : block.end], None))
            paragraphs.append(Paragraph(str(block.kind), pieces))
        return paragraphs


class Paragraph(list):
    """A block of an article's body: its kind (heading, list_item, paragraph) and its pieces."""

    def __init__(self, kind, pieces):
        super().__init__(pieces)
        self.kind = kind


class Scorecard:
    """An article's statements counted per support level (`counts`, the API's) and per mark
    readers see (rule 8: a support level at a certainty, `marks`)."""

    @classmethod
    def of(cls, statements):
        """The scorecard of statements given as (grade, provisional): each one's
        grading.StatementGrade and whether its mark rests on an unreviewed grade."""
        counts = {support: 0 for support in grading.Support}
        marks = Counter()
        overstated = provisional = 0
        for grade, is_provisional in statements:
            counts[grade.support] += 1
            marks[grade.support, grade.certainty] += 1
            overstated += grade.overstated
            provisional += is_provisional
        return cls(counts, overstated, provisional, marks)

    def __init__(self, counts, overstated, provisional=0, marks=None):
        self.counts = counts
        self.marks = Counter(marks or {})  # (support, certainty or None): statements
        self.overstated = overstated
        self.provisional = provisional  # statements whose mark rests on an unreviewed grade
        self.total = sum(counts.values())

    ALWAYS_SHOWN = (
        grading.Support.SUPPORTED,
        grading.Support.CONTRADICTED,
        grading.Support.MIXED,
        grading.Support.INSUFFICIENT,
    )
    # A level's marks from the surest down; None last (a verdict without a certainty).
    SUREST_FIRST = (*reversed(grading.CERTAINTY_LADDER), None)

    def _marks_of(self, support, certainties):
        """(mark, count) of one support level: one per certainty present, or one for the
        whole level when its words do not change with the certainty (mixed and the rest)."""
        if support in grading.FIXED_MARK_LABELS:
            count = self.counts[support]
            return [(grading.mark(support, None), count)] if count else []
        return [
            (grading.mark(support, certainty), self.marks[support, certainty])
            for certainty in certainties
            if self.marks[support, certainty]
        ]

    def rows(self):
        """(mark, count) for the numbers: each level's marks, the surest first; a main level
        with no statement still shows, in its plainest words, with 0."""
        rows = []
        for support in grading.Support:
            marks = self._marks_of(support, self.SUREST_FIRST)
            if not marks and support in self.ALWAYS_SHOWN:
                marks = [(grading.level_mark(support), 0)]
            rows += marks
        return rows

    def __getitem__(self, support):
        return self.counts[grading.Support(support)]

    def segments(self):
        """(mark, count) for the bar: the marks with statements, weakest first (rule 9: by
        support level, then the lower certainty first)."""
        weakest_first = tuple(reversed(self.SUREST_FIRST))
        return [
            segment
            for support in grading.SUPPORT_ORDER
            for segment in self._marks_of(support, weakest_first)
        ]

    def description(self):
        """The bar in words, for screen readers."""
        parts = [f"{n} {mark.label.lower()}" for mark, n in self.segments()]
        return f"{self.total} statements: {'; '.join(parts)}; {self.overstated} overstated."


def _proposal_status():
    return models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Draft: a proposal readers do not see until a grader publishes it.",
    )


def _created_by(related_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


class StatementQuerySet(models.QuerySet):
    def published(self):
        """What readers see: published statements of published articles."""
        return self.filter(status=Status.PUBLISHED, article__status=Status.PUBLISHED)

    def with_reader_links(self):
        """Each statement with `reader_links`: its published links to published claims, each
        claim with its grade (rule 9 reads them)."""
        links = StatementClaim.objects.published().with_claim_grade().order_by("pk")
        return self.prefetch_related(Prefetch("links", queryset=links, to_attr="reader_links"))

    def for_panel(self):
        """A statement as its panel on the article page shows it: with its published claims
        and their grades (the strongest studies come from attach_strongest_findings)."""
        return self.published().select_related("article").with_reader_links()


def attach_scorecards(articles):
    """Give each article its scorecard (Article.scorecard()) from plain rows, two queries for
    all of them: the ids of its published statements, then the links readers see with their
    claims' grades, each statement graded as Statement.grade and Statement.is_provisional
    grade it (rule 9: its weakest claim, the first of equals). The lists need only the counts:
    a page of 25 articles of 40 statements made some 3,000 model instances for them
    (docs/benchmarks.md). What a statement counts as depends only on its links' assertions,
    verdicts, certainties and review status, in their order, not on the claims' words: each
    such combination is graded once (a page of 1,000 statements has a few dozen). Returns the
    articles."""
    articles = list(articles)
    statements = dict(
        Statement.objects.published()
        .filter(article__in=articles)
        .order_by()
        .values_list("pk", "article_id")
    )
    links = {pk: [] for pk in statements}
    rows = (
        StatementClaim.objects.shown_to_readers()
        .filter(statement__article__in=articles)
        .order_by("pk")
        .values_list(
            "statement_id",
            "assertion",
            "claim__grade_verdict",
            "claim__grade_certainty",
            "claim__grade_status",
        )
    )
    if statements:
        for statement_id, *link in rows:
            if statement_id in links:  # else published between the two queries: next time
                links[statement_id].append(tuple(link))
    counted = {}  # the links of a statement (a tuple) -> what it counts as
    graded = {article.pk: [] for article in articles}
    for pk, article_id in statements.items():
        key = tuple(links[pk])
        if key not in counted:
            counted[key] = _counted_as(key)
        graded[article_id].append(counted[key])
    for article in articles:
        article._scorecard = Scorecard.of(graded[article.pk])
    return articles


def _counted_as(links):
    """(grade, provisional) of a statement whose links readers see are `links`, each
    (assertion, verdict, certainty, review status): Scorecard.of's input. The claims' words
    only name them in the reasons, which a scorecard does not show."""
    asserted = [
        (
            grading.AssertedClaim(assertion, Claim.grade_from("", verdict, certainty)),
            status == AssessmentStatus.PROVISIONAL,
        )
        for assertion, verdict, certainty, status in links
    ]
    weakest = min(asserted, key=lambda link: grading.support_rank(link[0].grade), default=None)
    grade = grading.grade_statement([claim for claim, _ in asserted])
    return grade, bool(weakest and weakest[1])


def attach_finding_counts(claims):
    """Set `finding_counts` on each claim: its approved findings per direction, every direction
    (0 when it has none). One query for all the claims; returns them."""
    counts = {claim.pk: {d.value: 0 for d in Direction} for claim in claims}
    rows = (
        Finding.objects.approved()
        .filter(claim__in=list(counts))
        .order_by()
        .values_list("claim_id", "direction")
        .annotate(n=Count("pk"))
    )
    if counts:
        for claim_id, direction, n in rows:
            counts[claim_id][direction] = n
    for claim in claims:
        claim.finding_counts = counts[claim.pk]
    return claims


def attach_strongest_findings(claims, count=2):
    """Set `strongest_for` and `strongest_against` on each claim: its strongest approved
    findings on each side (grading.strongest). One query for all the claims."""
    findings = {}
    for finding in Finding.objects.approved().filter(claim__in=claims).select_related("study"):
        findings.setdefault(finding.claim_id, []).append(finding)
    for claim in claims:
        own = findings.get(claim.pk, [])
        inputs = [f.as_grading_input(with_risk_of_bias=False) for f in own]
        claim.strongest_for = [
            own[i] for i in grading.strongest(claim.kind, inputs, Direction.SUPPORTS, count)
        ]
        claim.strongest_against = [
            own[i] for i in grading.strongest(claim.kind, inputs, Direction.CONTRADICTS, count)
        ]
    return claims


class Statement(models.Model):
    """A span of an article's body that asserts something. Readers see it once a grader has
    published it (a researcher's statement is a proposal until then)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the body.")
    end = models.PositiveIntegerField(help_text="Offset just after the last character.")
    text = models.TextField(help_text="The body between start and end, exactly.")
    claims = models.ManyToManyField(
        Claim, through="StatementClaim", related_name="statements", blank=True
    )
    status = _proposal_status()
    created_by = _created_by("statements")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="statement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")),
                name="statement_text_matches_offsets",
                violation_error_message="The text must be exactly the span between start and end.",
            ),
            models.UniqueConstraint(fields=["article", "start"], name="statement_unique_start"),
        ]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.start is None or self.end is None or not self.article_id:
            return  # the missing field has its own error
        body = self.article.body
        if self.end > len(body):
            raise ValidationError(
                {
                    "end": f"The article has {len(body)} characters; the "
                    f"statement ends at {self.end}."
                }
            )
        if "\n" in self.text:
            raise ValidationError(
                {"text": "A statement is one sentence: it cannot span a line break."}
            )
        if body[self.start : self.end] != self.text:
            raise ValidationError({"text": "The text differs from the article at these offsets."})
        overlapping = Statement.objects.filter(
            article_id=self.article_id, start__lt=self.end, end__gt=self.start
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError("The statement overlaps another statement of the article.")

    @property
    def shown_links(self):
        """Its published links to published claims, each link's claim carrying its grade;
        needs StatementQuerySet.with_reader_links()."""
        for link in self.reader_links:
            link.prime_claim_grade()
        return self.reader_links

    @property
    def shown_claims(self):
        return [link.claim for link in self.shown_links]

    @property
    def grade(self):
        """Rule 9 over its links; needs StatementQuerySet.with_reader_links()."""
        if not hasattr(self, "_grade"):
            self._grade = grading.grade_statement(
                [
                    grading.AssertedClaim(link.assertion, link.claim.grade)
                    for link in self.shown_links
                ]
            )
        return self._grade

    @cached_property
    def support_label(self):
        """Its mark's words (rule 8: 'Very uncertain, leans supported'), and whether the grade
        under it is provisional."""
        label = self.grade.mark.label
        if self.is_provisional:
            label += " · provisional"
        return label

    @property
    def is_provisional(self):
        """Its mark rests on a grade no grader has reviewed (the weakest claim's)."""
        claim = self.weakest_claim
        return bool(claim and claim.is_provisional)

    @cached_property
    def weakest_claim(self):
        """The claim that sets the statement's support (rule 9), or None."""
        return min(
            self.shown_claims, key=lambda claim: grading.support_rank(claim.grade), default=None
        )


class StatementClaimQuerySet(models.QuerySet):
    def published(self):
        """Links readers may see: published, to a published claim."""
        return self.filter(status=Status.PUBLISHED, claim__status=Status.PUBLISHED)

    def shown_to_readers(self):
        """Published links of published statements of published articles."""
        return self.published().filter(
            statement__status=Status.PUBLISHED, statement__article__status=Status.PUBLISHED
        )

    def with_claim_grade(self):
        """Each link with its claim, which carries its reader-facing grade."""
        return self.select_related("claim")


class StatementClaim(models.Model):
    """That a statement asserts a claim, and how strongly (rule 9): one sentence can state one
    claim as fact and hedge another. A researcher's link is a proposal (draft) until a grader
    publishes it."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="links")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="statement_links")
    assertion = models.CharField(
        max_length=20,
        choices=ASSERTION_CHOICES,
        help_text="How strongly the statement asserts this claim.",
    )
    status = _proposal_status()
    created_by = _created_by("statement_links")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = StatementClaimQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "claim"], name="statement_claim_linked_once"
            ),
        ]
        # The admin's review list, proposals first (StatementClaimAdmin.ordering).
        indexes = [models.Index(fields=["status", "id"], name="statementclaim_review_order")]

    def __str__(self):
        return f"{self.statement} — {self.get_assertion_display().lower()} — {self.claim}"

    def prime_claim_grade(self):
        """The link's claim, told how strongly the statement asserts it (for the panel)."""
        self.claim.link = self
        return self.claim

    @property
    def overstated_because(self):
        """Why this link says more than the evidence carries, or None; needs with_claim_grade()."""
        return grading.overstated_because(self.assertion, self.prime_claim_grade().grade)


# --- Findings -----------------------------------------------------------------------------


@cache
def _finding_study_risk():
    """The risk of bias of a finding's study (evidence.models.high_risk_of_bias_of), built once:
    building its nested subqueries costs more than the rest of the query (each use copies it)."""
    return high_risk_of_bias_of(OuterRef("study_id"))


# What the rules read of a finding and its study, as light rows (FindingQuerySet.for_ranking,
# grading_rows): grading_input() makes a grading.FindingInput of one, the same that
# Finding.as_grading_input() makes of model instances.
GRADING_COLUMNS = (
    "direction",
    "indirect_because",
    "study__authors",
    "study__journal",
    "study__year",
    "study__design",
    "study__population",
    "participants",
    "study__participants",
    "study__retracted",
    "study__pools_randomised",
    "high_risk",
)


def counted(own, whole):
    """The participants the rules count for a finding: its own number, never more than its
    study's size (which may have been lowered since), else the study's size."""
    if own is None:
        return whole
    return own if whole is None else min(own, whole)


def grading_input(row):
    """The grading.FindingInput of a light row of GRADING_COLUMNS."""
    (
        direction,
        indirect_because,
        authors,
        journal,
        year,
        design,
        population,
        own_participants,
        study_participants,
        retracted,
        pools_randomised,
        high_risk,
    ) = row
    participants = counted(own_participants, study_participants)
    return grading.FindingInput(
        label=short_label(authors, journal, year),
        design=design,
        population=population,
        direction=direction,
        participants=participants,
        high_risk=high_risk,
        retracted=retracted,
        indirect=bool(indirect_because),
        indirect_because=indirect_because,
        pools_randomised=pools_randomised,
    )


class FindingQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=FindingStatus.APPROVED)

    def public(self):
        """What anonymous readers see: approved findings on published claims."""
        return self.approved().filter(claim__status=Status.PUBLISHED)

    def visible_to(self, user):
        """Readers see the public findings; those who may view findings in the admin
        (researchers, graders) see every finding, drafts and rejected ones too."""
        if user.has_perm("claims.view_finding"):
            return self.all()
        return self.public()

    def newest_of(self, claim):
        """A claim's findings, the newest first, with their studies (the admin's claim page
        shows the first CLAIM_PAGE_FINDINGS; finding_claim_order serves the order)."""
        return self.filter(claim=claim).select_related("study").order_by("-pk")

    def for_ranking(self, claim):
        """A claim's approved findings as light rows (ClaimEvidence): the finding's and its
        study's ids, then what the rules need of each (GRADING_COLUMNS: grading_input()), in
        entry order."""
        return (
            self.approved()
            .filter(claim=claim)
            .annotate(high_risk=_finding_study_risk())
            .order_by("pk")
            .values_list("pk", "study_id", *GRADING_COLUMNS)
        )

    def grading_rows(self, claim_ids):
        """The approved findings of many claims as light rows, for grading them together
        (claims.services.claims_grade): (claim id, *GRADING_COLUMNS), each claim's in entry
        order, one query whatever their number. What Claim.grading_inputs() reads of model
        instances, read as values, with each study's risk of bias computed by the database."""
        return (
            self.approved()
            .filter(claim_id__in=claim_ids)
            .annotate(high_risk=_finding_study_risk())
            .order_by("claim_id", "pk")
            .values_list("claim_id", *GRADING_COLUMNS)
        )

    def for_api(self):
        """Findings with their study and claim, in the order they were added (the API pages
        through them by id)."""
        return self.select_related("study", "claim").order_by("id")

    def for_study_page(self, study):
        """What readers see of a study: its approved findings on published claims."""
        return (
            self.approved()
            .filter(study=study, claim__status=Status.PUBLISHED)
            .select_related("claim")
            .order_by("claim__text")
        )


class Finding(Versioned):
    study = models.ForeignKey("evidence.Study", on_delete=models.PROTECT, related_name="findings")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="findings")
    direction = models.CharField(max_length=20, choices=DIRECTION_CHOICES)
    note = models.TextField(help_text="What the study found, in one or two sentences.")
    rationale_quote = models.TextField(
        blank=True, help_text="The sentence from the abstract that shows it."
    )
    outcome = models.CharField(max_length=200, blank=True)
    effect_estimate = models.CharField(max_length=200, blank=True)
    participants = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many participants this finding rests on, when fewer than the study's "
        "(e.g. those of the trials in a review that measured this outcome). Empty: the "
        "study's size.",
    )
    indirect_because = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this is indirect evidence for the claim (a different population, "
        "intervention or outcome); empty when direct.",
    )
    status = models.CharField(max_length=20, choices=FindingStatus, default=FindingStatus.DRAFT)
    rejected_because = models.TextField(blank=True, help_text="Why a grader rejected it.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_findings",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    class Meta:
        permissions = [("review_finding", "Can approve or reject submitted findings")]
        # The API's findings of one review status (drafts, submitted), in its order (id).
        indexes = [
            models.Index(fields=["status", "id"], name="finding_status_order"),
            # A claim's findings, newest first (the admin's claim page and its findings list).
            models.Index(fields=["claim", "id"], name="finding_claim_order"),
        ]
        constraints = [
            version_positive("finding"),
            models.UniqueConstraint(fields=["study", "claim"], name="finding_one_per_study_claim"),
            models.CheckConstraint(
                condition=~Q(status=FindingStatus.REJECTED) | ~Q(rejected_because=""),
                name="finding_rejection_says_why",
                violation_error_message="A rejected finding says why.",
            ),
        ]

    def __str__(self):
        return f"{self.study.short_label} {self.direction} “{self.claim.text}”"

    @property
    def is_indirect(self):
        return bool(self.indirect_because)

    @property
    def counted_participants(self):
        """The participants the rules count for it: its own number, else its study's size."""
        return counted(self.participants, self.study.participants)

    def clean(self):
        super().clean()
        whole = self.study.participants if self.study_id else None
        if self.participants is not None and whole is not None and self.participants > whole:
            raise ValidationError(
                {
                    "participants": f"More than the {whole:,} participants of the whole study: "
                    "a finding rests on the study's participants or some of them."
                }
            )

    def as_grading_input(self, with_risk_of_bias=True):
        """What the rules need of this finding; without risk of bias, the appraisals need not
        be loaded (for showing findings, not grading them)."""
        study = self.study
        return grading.FindingInput(
            label=study.short_label,
            design=study.design,
            population=study.population,
            direction=self.direction,
            participants=self.counted_participants,
            high_risk=study.at_high_risk_of_bias() if with_risk_of_bias else None,
            retracted=study.retracted,
            indirect=self.is_indirect,
            indirect_because=self.indirect_because,
            pools_randomised=study.pools_randomised,
        )


# --- Assessments --------------------------------------------------------------------------


DOWNGRADE_CHOICES = [(0, "0"), (-1, "−1"), (-2, "−2")]
UPGRADE_CHOICES = [(0, "0"), (1, "+1"), (2, "+2")]


def _downgrade(label):
    return models.SmallIntegerField(label, default=0, choices=DOWNGRADE_CHOICES)


def _upgrade(label):
    return models.SmallIntegerField(label, default=0, choices=UPGRADE_CHOICES)


class Assessment(Versioned):
    """A GRADE judgement of a claim: verdict, certainty and the reason for every domain.
    Provisional ones come from the rules (`grade_claims`); a grader's published one replaces
    it for readers."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(max_length=20, choices=AssessmentStatus)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="Empty for a provisional grade from the rules.",
    )
    verdict = models.CharField(max_length=20, choices=VERDICT_CHOICES)
    certainty = models.CharField(max_length=20, choices=CERTAINTY_CHOICES, blank=True)
    body = models.CharField("body of evidence", max_length=20, choices=BODY_CHOICES)
    summary = models.TextField(
        help_text="Which findings count, which body sets the grade, and why any part departs "
        "from the rules' suggestion."
    )
    risk_of_bias = _downgrade("risk of bias")
    risk_of_bias_reason = models.TextField(blank=True)
    inconsistency = _downgrade("inconsistency")
    inconsistency_reason = models.TextField(blank=True)
    indirectness = _downgrade("indirectness")
    indirectness_reason = models.TextField(blank=True)
    imprecision = _downgrade("imprecision")
    imprecision_reason = models.TextField(blank=True)
    publication_bias = _downgrade("publication bias")
    publication_bias_reason = models.TextField(blank=True)
    large_effect = _upgrade("large effect")
    large_effect_reason = models.TextField(blank=True)
    dose_response = _upgrade("dose-response")
    dose_response_reason = models.TextField(blank=True)
    confounding = _upgrade("plausible confounding")
    confounding_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    consensus = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="independent",
        help_text="For an independent assessment: the consensus it went into.",
    )
    needs_review = models.BooleanField(
        default=False, help_text="Something it rests on changed (a retraction) since publication."
    )
    needs_review_because = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("publish_assessment", "Can publish an assessment as the claim's grade")]
        indexes = [
            # The admin's list of every grade, the newest first (AssessmentAdmin.ordering).
            models.Index(fields=["created_at", "id"], name="assessment_created_order"),
            # The grading queue's flagged grades (claims.work): few, whatever the library.
            models.Index(
                fields=["claim"],
                name="assessment_flagged",
                condition=Q(status=AssessmentStatus.PUBLISHED, needs_review=True),
            ),
        ]
        constraints = [
            version_positive("assessment"),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status=AssessmentStatus.PUBLISHED),
                name="assessment_one_published_per_claim",
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(status=AssessmentStatus.PROVISIONAL),
                name="assessment_one_provisional_per_claim",
            ),
            models.CheckConstraint(
                condition=(Q(verdict=Verdict.INSUFFICIENT) & Q(certainty=""))
                | (~Q(verdict=Verdict.INSUFFICIENT) & ~Q(certainty="")),
                name="assessment_certainty_unless_insufficient",
                violation_error_message="A certainty is given unless the evidence is "
                "insufficient, and only then left empty.",
            ),
            models.CheckConstraint(
                condition=Q(status=AssessmentStatus.PROVISIONAL, author__isnull=True)
                | (~Q(status=AssessmentStatus.PROVISIONAL) & Q(author__isnull=False)),
                name="assessment_provisional_has_no_author",
            ),
            models.UniqueConstraint(
                fields=["claim", "author"],
                condition=Q(status__in=INDEPENDENT_STATUSES, consensus__isnull=True),
                name="assessment_one_open_independent_per_assessor",
            ),
            models.CheckConstraint(
                condition=Q(needs_review=False) | ~Q(needs_review_because=""),
                name="assessment_needs_review_says_why",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": -2, f"{name}__lte": 0}),
                    name=f"assessment_{name}_range",
                )
                for name in grading.DOWNGRADE_DOMAINS
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 2}),
                    name=f"assessment_{name}_range",
                )
                for name in grading.UPGRADE_DOMAINS
            ],
        ]

    def __str__(self):
        return f"{self.claim}: {self.get_verdict_display()} ({self.get_status_display()})"

    @property
    def is_provisional(self):
        return self.status == AssessmentStatus.PROVISIONAL

    def domains(self):
        """(label, rating, reason) for every GRADE domain, downgrades then upgrades."""
        names = grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS
        return [(DOMAIN_LABELS[n], getattr(self, n), getattr(self, f"{n}_reason")) for n in names]

    @property
    def author_name(self):
        return self.author.get_full_name() or self.author.get_username() if self.author else ""

    def changes_since(self, previous):
        """What a published grade changed from the one before, in sentences a reader follows:
        'certainty lowered from moderate to low', then each domain that moved and why."""
        if previous is None:
            return []
        changes = []
        if previous.verdict != self.verdict:
            changes.append(
                f"verdict changed from {previous.get_verdict_display().lower()} to "
                f"{self.get_verdict_display().lower()}"
            )
        if previous.certainty != self.certainty:
            ladder = [c.value for c in grading.CERTAINTY_LADDER]
            before = previous.certainty or "none"
            after = self.certainty or "none"
            lower = (ladder.index(self.certainty) if self.certainty else -1) < (
                ladder.index(previous.certainty) if previous.certainty else -1
            )
            changes.append(
                f"certainty {'lowered' if lower else 'raised'} from "
                f"{before.replace('-', ' ')} to {after.replace('-', ' ')}"
            )
        for domain in grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS:
            if getattr(previous, domain) != getattr(self, domain):
                changes.append(
                    f"{DOMAIN_LABELS[domain].lower()} {getattr(previous, domain):+d} "
                    f"→ {getattr(self, domain):+d}: {getattr(self, f'{domain}_reason')}"
                )
        return changes

    def apply_suggestion(self, suggestion: grading.Suggestion):
        self.verdict = suggestion.verdict
        self.certainty = suggestion.certainty or ""
        self.body = suggestion.body
        self.summary = suggestion.summary
        for name, judgement in suggestion.domains.items():
            setattr(self, name, judgement.rating)
            setattr(self, f"{name}_reason", judgement.reason)


# --- Regrading the library ------------------------------------------------------------------


class RegradeStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the task worker"
    RUNNING = "running", "Regrading"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped"


REGRADE_IN_PROGRESS = (RegradeStatus.QUEUED, RegradeStatus.RUNNING)
# A running regrade that has recorded no batch for this long has lost its worker (killed, the
# machine restarted): it no longer counts as running, and a new one may start. A batch of 500
# claims takes seconds.
REGRADE_STALLED_AFTER = timedelta(minutes=10)


class RegradeRunQuerySet(models.QuerySet):
    def in_progress(self):
        """Queued, or running and not stalled (REGRADE_STALLED_AFTER)."""
        cutoff = timezone.now() - REGRADE_STALLED_AFTER
        return self.filter(
            Q(status=RegradeStatus.QUEUED)
            | Q(status=RegradeStatus.RUNNING, progressed_at__gte=cutoff)
        )

    def stalled(self):
        cutoff = timezone.now() - REGRADE_STALLED_AFTER
        return self.filter(status=RegradeStatus.RUNNING).exclude(progressed_at__gte=cutoff)


class RegradeRun(models.Model):
    """A regrade of the library (claims.services.claims_regrade) that a grader or an admin
    started, run by the task worker (regrade_run), which records its progress after every batch
    of claims. One at a time: a start while one is in progress gets that one."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    every_claim = models.BooleanField(
        default=False,
        help_text="Regrade every claim, not only those whose grading inputs changed since they "
        "were last graded.",
    )
    status = models.CharField(
        max_length=10, choices=RegradeStatus.choices, default=RegradeStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0, help_text="Claims in the library.")
    looked_at = models.PositiveIntegerField(default=0, help_text="Claims looked at so far.")
    regraded = models.PositiveIntegerField(
        default=0, help_text="Claims whose provisional grade was stored again so far."
    )
    error = models.TextField(blank=True, help_text="Why it stopped, if it did.")
    progressed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker began it or last recorded a batch."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RegradeRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "regrade of the library"
        verbose_name_plural = "regrades of the library"
        constraints = [
            # One in progress at a time (regrade_start): a second row queued or running is
            # refused by the database, whoever inserts it.
            models.UniqueConstraint(
                Value(True),
                condition=Q(status__in=REGRADE_IN_PROGRESS),
                name="regrade_run_one_in_progress",
                violation_error_message="A regrade of the library is already in progress.",
            ),
            models.CheckConstraint(
                condition=Q(regraded__lte=F("looked_at")), name="regrade_run_regraded_looked_at"
            ),
            models.CheckConstraint(
                condition=Q(status__in=REGRADE_IN_PROGRESS, finished_at__isnull=True)
                | (~Q(status__in=REGRADE_IN_PROGRESS) & Q(finished_at__isnull=False)),
                name="regrade_run_finished_at_iff_finished",
            ),
        ]

    def __str__(self):
        return f"Regrade #{self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("grading:regrade", args=[self.pk])

    @property
    def in_progress(self):
        return self.status in REGRADE_IN_PROGRESS and not self.is_stalled

    @property
    def is_stalled(self):
        """Running, and no batch recorded for REGRADE_STALLED_AFTER: its worker stopped without
        saying so."""
        return self.status == RegradeStatus.RUNNING and (
            self.progressed_at is None
            or timezone.now() - self.progressed_at > REGRADE_STALLED_AFTER
        )

    @property
    def percent_done(self):
        return min(100, round(100 * self.looked_at / self.total)) if self.total else 0

    @property
    def summary(self):
        changed = "" if self.every_claim else " (only those whose grading inputs changed)"
        return f"{self.regraded:,} of {self.looked_at:,} claims regraded{changed}"


# The intake workbench's own records live with its code (claims/intake/); imported here so that
# Django finds them as models of this app.
from claims.intake.models import Dismissal  # noqa: E402, F401
from claims.intake.study_vectors import StudyVector  # noqa: E402, F401
