"""How articles, claims, grades and findings read in the API (claims/api.py), and what the
writes take. Every field a reader sees is computed by the models and the grading rules; nothing
here grades."""

from urllib.parse import urlencode

from django.db.models.manager import BaseManager
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import grading
from claims.forms import GRADED_FIELDS
from claims.models import (
    ASSERTION_CHOICES,
    BODY_CHOICES,
    CERTAINTY_CHOICES,
    DIRECTION_CHOICES,
    DOMAIN_LABELS,
    FINDINGS_SHOWN,
    SUPPORT_LABELS,
    VERDICT_CHOICES,
    Article,
    Assessment,
    Claim,
    Finding,
    FindingStatus,
    Statement,
    StatementClaim,
    attach_finding_counts,
)
from config.api import PortableModelSerializer, StrictCharField
from evidence.api import OptionalURLField, StudyBriefSerializer, StudySerializer
from evidence.models import Study

SUPPORT_CHOICES = [(s.value, SUPPORT_LABELS[s]) for s in grading.Support]


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the record's page for readers."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        return self.context["request"].build_absolute_uri(record.get_absolute_url())


# --- Grades -------------------------------------------------------------------------------


class DomainSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=list(DOMAIN_LABELS))
    label = serializers.CharField()
    rating = serializers.IntegerField(
        min_value=-2, max_value=2, help_text="Downgrades 0, -1, -2; upgrades 0, +1, +2."
    )
    reason = serializers.CharField(allow_blank=True)


class GradeSerializer(serializers.Serializer):
    """The grade readers see: the published consensus of the graders, else the provisional
    one from the grading rules (`provisional: true`), with the reason for every GRADE domain."""

    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    verdict_label = serializers.SerializerMethodField()
    certainty = serializers.SerializerMethodField()
    certainty_label = serializers.SerializerMethodField()
    provisional = serializers.BooleanField(
        source="is_provisional",
        help_text="From the grading rules, not yet reviewed by a grader.",
    )
    plain_language = serializers.SerializerMethodField(
        help_text="The grade in GRADE's plain-language words."
    )
    body = serializers.ChoiceField(
        choices=BODY_CHOICES, help_text="The body of evidence the grade rests on."
    )
    summary = serializers.CharField()
    domains = serializers.SerializerMethodField()
    graded_by = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    needs_review = serializers.BooleanField(
        help_text="A study it rests on changed (a retraction) since it was published."
    )
    needs_review_because = serializers.CharField(allow_blank=True)

    @extend_schema_field(
        serializers.ChoiceField(choices=CERTAINTY_CHOICES, allow_null=True),
    )
    def get_certainty(self, assessment):
        return assessment.certainty or None

    # Labels read by method fields, not by `source="get_verdict_display"`: REST framework
    # inspects the signature of every callable it reads, per row.
    def get_verdict_label(self, assessment) -> str:
        return assessment.get_verdict_display()

    def get_certainty_label(self, assessment) -> str:
        return assessment.get_certainty_display()

    def get_plain_language(self, assessment) -> str:
        return grading.plain_language(
            assessment.claim.text, assessment.verdict, assessment.certainty or None
        )

    @extend_schema_field(DomainSerializer(many=True))
    def get_domains(self, assessment):
        names = grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS
        return [
            {
                "domain": name,
                "label": DOMAIN_LABELS[name],
                "rating": getattr(assessment, name),
                "reason": getattr(assessment, f"{name}_reason"),
            }
            for name in names
        ]

    def get_graded_by(self, assessment) -> str | None:
        """Who published it; null for a provisional grade."""
        return assessment.author_name or None


# --- Claims -------------------------------------------------------------------------------


class ClaimFindingSerializer(PortableModelSerializer):
    """An approved finding, as a claim lists it."""

    study = StudyBriefSerializer(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "study", "direction", "note", "rationale_quote", "outcome", "effect_estimate",
            "indirect_because",
        ]  # fmt: skip
        read_only_fields = fields


class ArticleBriefSerializer(PortableModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:article-detail", lookup_field="slug"
    )
    page_url = PageUrlField()
    url = OptionalURLField(read_only=True, help_text="Where the article was published.")

    class Meta:
        model = Article
        fields = ["slug", "api_url", "page_url", "title", "url", "publisher", "published_on"]
        read_only_fields = fields


class AssertingStatementSerializer(PortableModelSerializer):
    """A statement of a published article that asserts the claim, and how strongly."""

    article = ArticleBriefSerializer(read_only=True)
    assertion = serializers.ChoiceField(
        source="link.assertion",
        choices=ASSERTION_CHOICES,
        read_only=True,
        help_text="How strongly the statement asserts this claim.",
    )

    class Meta:
        model = Statement
        fields = ["id", "article", "text", "assertion"]
        read_only_fields = fields


class StrongFindingSerializer(ClaimFindingSerializer):
    """One of the strongest findings of a direction, and where the rules place it."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:finding-detail")
    sets_grade = serializers.BooleanField(
        read_only=True, help_text="In the body of evidence the claim's grade rests on."
    )
    body = serializers.ChoiceField(
        source="placement.body",
        choices=BODY_CHOICES,
        allow_null=True,
        read_only=True,
        help_text="The body of evidence it belongs to; null when it is set aside.",
    )
    set_aside_because = serializers.SerializerMethodField(
        help_text="Why it never sets the grade (rules 1-3); null when it is in a body."
    )

    class Meta(ClaimFindingSerializer.Meta):
        fields = [
            "id", "api_url", "study", "direction", "note", "rationale_quote", "outcome",
            "effect_estimate", "indirect_because", "sets_grade", "body", "set_aside_because",
        ]  # fmt: skip
        read_only_fields = fields

    def get_set_aside_because(self, finding) -> str | None:
        return finding.placement.note or None


def findings_url(request, claim, direction=None):
    """The address of the claim's approved findings in the API (all of them, a page at a
    time), of one direction if given. The list's address is found once a request."""
    if not hasattr(request, "findings_list_url"):
        request.findings_list_url = request.build_absolute_uri(reverse("api:finding-list"))
    query = {"claim": claim.slug, "status": FindingStatus.APPROVED}
    if direction:
        query["direction"] = direction
    return f"{request.findings_list_url}?{urlencode(query)}"


class DirectionFindingsSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES)
    label = serializers.CharField()
    count = serializers.IntegerField(min_value=0, help_text="Its approved findings, all of them.")
    findings_url = serializers.URLField(help_text="All of them, a page at a time.")
    strongest = StrongFindingSerializer(
        many=True,
        help_text=f"The strongest {FINDINGS_SHOWN} at most, strongest first: those in the body "
        "of evidence the grade rests on first, then by level of evidence, risk of bias and "
        "size (as the claim's page shows them).",
    )


class ClaimListSerializer(serializers.ListSerializer):
    """Claims counted per direction of their findings, one query for all of them."""

    def to_representation(self, data):
        claims = list(data.all() if isinstance(data, BaseManager) else data)
        return super().to_representation(attach_finding_counts(claims))


FINDING_COUNTS = {
    "type": "object",
    "description": "Approved findings per direction (every direction, 0 when none).",
    "properties": {d.value: {"type": "integer", "minimum": 0} for d in grading.Direction},
    "required": [d.value for d in grading.Direction],
    "additionalProperties": False,
}


class ClaimSerializer(PortableModelSerializer):
    """A claim as the list shows it: its grade, how many findings of each direction and the
    address of the findings (each claim's evidence is paged, not embedded)."""

    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:claim-detail", lookup_field="slug"
    )
    page_url = PageUrlField()
    grade = GradeSerializer(
        source="shown_assessment",
        read_only=True,
        allow_null=True,
        help_text="Null when the claim is not assessed yet.",
    )
    finding_count = serializers.IntegerField(read_only=True, help_text="Approved findings.")
    finding_counts = serializers.SerializerMethodField()
    findings_url = serializers.SerializerMethodField(
        help_text="Its approved findings in /api/findings/, a page at a time."
    )
    statement_count = serializers.IntegerField(
        read_only=True, help_text="Statements of published articles that assert it."
    )

    class Meta:
        model = Claim
        fields = [
            "slug", "api_url", "page_url", "text", "kind", "subject", "outcome", "grade",
            "finding_count", "finding_counts", "findings_url", "statement_count",
        ]  # fmt: skip
        read_only_fields = fields
        list_serializer_class = ClaimListSerializer

    @extend_schema_field(FINDING_COUNTS)
    def get_finding_counts(self, claim):
        if not hasattr(claim, "finding_counts"):
            attach_finding_counts([claim])
        return claim.finding_counts

    @extend_schema_field(OpenApiTypes.URI)
    def get_findings_url(self, claim):
        return findings_url(self.context["request"], claim)


class ClaimDetailSerializer(ClaimSerializer):
    """A claim with the strongest findings of each direction (the others a page at a time
    through `findings_url`) and the statements that assert it."""

    strongest_findings = serializers.SerializerMethodField(
        help_text="For each direction with findings: how many, the strongest few and the "
        "address of all of them."
    )
    statements = AssertingStatementSerializer(
        source="published_statements", many=True, read_only=True
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "strongest_findings", "statements"]
        read_only_fields = fields

    @extend_schema_field(DirectionFindingsSerializer(many=True))
    def get_strongest_findings(self, claim):
        assessment = claim.current_assessment()
        groups = claim.evidence(assessment and assessment.body).by_direction()
        request = self.context["request"]
        data = [
            {
                "direction": direction,
                "label": label,
                "count": count,
                "findings_url": findings_url(request, claim, direction),
                "strongest": findings,
            }
            for direction, label, findings, count in groups
        ]
        return DirectionFindingsSerializer(data, many=True, context=self.context).data


# Reads the prefetches of ClaimQuerySet.for_export().
class ClaimExportSerializer(ClaimSerializer):
    """A claim as the JSON export holds it: as the list shows it, with every approved finding
    and the statements that assert it (a download is whole)."""

    findings = ClaimFindingSerializer(source="approved_findings", many=True, read_only=True)
    statements = AssertingStatementSerializer(
        source="published_statements", many=True, read_only=True
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "findings", "statements"]
        read_only_fields = fields


class ConsensusSerializer(PortableModelSerializer):
    """The graders' consensus, as the consensus page takes it; checked there and here by
    claims.forms.AssessmentForm against the rules' suggestion."""

    class Meta:
        model = Assessment
        fields = GRADED_FIELDS


# --- Articles -----------------------------------------------------------------------------


class StatementClaimSerializer(PortableModelSerializer):
    """A claim a statement asserts: its grade, how strongly the statement asserts it, and
    whether that says more than the evidence carries (rule 9)."""

    slug = serializers.SlugField(source="claim.slug", read_only=True)
    api_url = serializers.HyperlinkedRelatedField(
        source="claim", view_name="api:claim-detail", lookup_field="slug", read_only=True
    )
    text = serializers.CharField(source="claim.text", read_only=True)
    verdict = serializers.ChoiceField(
        source="claim.grade_verdict", choices=VERDICT_CHOICES, allow_null=True, read_only=True
    )
    certainty = serializers.ChoiceField(
        source="claim.grade_certainty", choices=CERTAINTY_CHOICES, allow_null=True, read_only=True
    )
    provisional = serializers.BooleanField(source="claim.is_provisional", read_only=True)
    assertion = serializers.ChoiceField(choices=ASSERTION_CHOICES, read_only=True)
    overstated_because = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text="Why asserting this claim this strongly is overstated; null when it is not.",
    )

    class Meta:
        model = StatementClaim
        fields = [
            "slug", "api_url", "text", "verdict", "certainty", "provisional", "assertion",
            "overstated_because",
        ]  # fmt: skip
        read_only_fields = fields


class StatementSerializer(PortableModelSerializer):
    """A statement with its support: as supported as its weakest claim (rule 9)."""

    support = serializers.ChoiceField(
        source="grade.support", choices=SUPPORT_CHOICES, read_only=True
    )
    support_label = serializers.CharField(read_only=True)
    certainty = serializers.ChoiceField(
        source="grade.certainty", choices=CERTAINTY_CHOICES, allow_null=True, read_only=True
    )
    overstated = serializers.BooleanField(source="grade.overstated", read_only=True)
    overstated_because = serializers.ListField(
        source="grade.overstated_because", child=serializers.CharField(), read_only=True
    )
    claims = StatementClaimSerializer(source="shown_links", many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id", "start", "end", "text", "support", "support_label", "certainty",
            "overstated", "overstated_because", "claims",
        ]  # fmt: skip
        read_only_fields = fields


class ScorecardSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    overstated = serializers.IntegerField()
    supported = serializers.IntegerField()
    contradicted = serializers.IntegerField()
    mixed = serializers.IntegerField()
    no_effect = serializers.IntegerField()
    insufficient = serializers.IntegerField()
    not_assessed = serializers.IntegerField()


class ArticleSerializer(ArticleBriefSerializer):
    """An article as the list shows it: its scorecard; its statements are in its `api_url`."""

    scorecard = serializers.SerializerMethodField()

    class Meta(ArticleBriefSerializer.Meta):
        fields = [*ArticleBriefSerializer.Meta.fields, "scorecard"]
        read_only_fields = fields

    @extend_schema_field(ScorecardSerializer)
    def get_scorecard(self, article):
        """Statements per support level, and how many are overstated."""
        card = article.scorecard()
        counts = {s.value.replace("-", "_"): n for s, n in card.counts.items()}
        return {"total": card.total, "overstated": card.overstated, **counts}


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its body and every statement, each with its support and its claims."""

    statements = StatementSerializer(source="published_statements", many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "statements", "body"]
        read_only_fields = fields
        extra_kwargs = {
            "body": {"help_text": "As published; statements are its spans [start, end)."}
        }


# --- Findings -----------------------------------------------------------------------------


class ClaimBriefSerializer(PortableModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:claim-detail", lookup_field="slug"
    )

    class Meta:
        model = Claim
        fields = ["slug", "api_url", "text"]
        read_only_fields = fields


FINDING_FIELDS = [
    "direction", "note", "rationale_quote", "outcome", "effect_estimate", "participants",
    "indirect_because",
]  # fmt: skip


class FindingSerializer(PortableModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:finding-detail")
    study = StudyBriefSerializer(read_only=True)
    claim = ClaimBriefSerializer(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "api_url", "study", "claim", *FINDING_FIELDS, "status", "rejected_because",
            "reviewed_at", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class FindingWriteSerializer(PortableModelSerializer):
    """A researcher's finding: a draft until submitted."""

    study = serializers.PrimaryKeyRelatedField(queryset=Study.objects.all(), help_text="Its id.")
    claim = serializers.SlugRelatedField(
        slug_field="slug", queryset=Claim.objects.all(), help_text="Its slug."
    )

    class Meta:
        model = Finding
        fields = ["study", "claim", *FINDING_FIELDS]
        # One finding per study and claim: the model says so (Finding.full_clean).
        validators = []


class RejectSerializer(serializers.Serializer):
    because = StrictCharField(
        help_text="Why the finding is rejected; its author reads it.", trim_whitespace=True
    )


class StudyWithPageSerializer(StudySerializer):
    page_url = serializers.SerializerMethodField()

    class Meta(StudySerializer.Meta):
        fields = [*StudySerializer.Meta.fields[:2], "page_url", *StudySerializer.Meta.fields[2:]]

    def get_page_url(self, study) -> str:
        path = reverse("claims:study", args=[study.pk])
        return self.context["request"].build_absolute_uri(path)
