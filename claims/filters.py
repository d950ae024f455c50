import django_filters
from django import forms
from django.urls import reverse_lazy
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from claims.models import (
    CERTAINTY_CHOICES,
    DIRECTION_CHOICES,
    VERDICT_CHOICES,
    Article,
    Claim,
    Finding,
    FindingStatus,
    StatementClaim,
)
from evidence.models import Design, Population, Study


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A record named by its slug (in the OpenAPI schema: a string, described by its label)."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="slug", **kwargs)
        description = f"{self.label}: its slug."
        extend_schema_field({"type": "string", "description": description})(self)


class StableOrderingFilter(django_filters.OrderingFilter):
    """A chosen order with ties broken by primary key, so that no row repeats or goes missing
    from one page to the next; in the chosen order's direction, so that one index (column,
    id) serves the order both ways, read backwards for a descending one."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value in EMPTY_VALUES:
            return qs
        order = qs.query.order_by  # empty for a value of empty choices (?sort=,)
        descending = bool(order) and isinstance(order[0], str) and order[0].startswith("-")
        return qs.order_by(*order, "-pk" if descending else "pk")


class GradeFilter(django_filters.ChoiceFilter):
    """A value of the claim's stored grade (in the OpenAPI schema: one of the choices, never
    null, though the column is null for a claim not assessed)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        choices = sorted(value for value, _ in kwargs["choices"])
        lines = "\n".join(f"* `{value}` - {label}" for value, label in kwargs["choices"])
        description = f"{self.label}\n\n{lines}"
        schema = {"type": "string", "enum": choices, "description": description}
        extend_schema_field(schema)(self)


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Text", method="search")
    verdict = GradeFilter(
        label="Verdict",
        field_name="grade_verdict",
        choices=VERDICT_CHOICES,
        empty_label="Any verdict",
    )
    certainty = GradeFilter(
        label="Certainty",
        field_name="grade_certainty",
        choices=CERTAINTY_CHOICES,
        empty_label="Any certainty",
    )
    kind = django_filters.ChoiceFilter(
        choices=Claim._meta.get_field("kind").choices, empty_label="Any kind"
    )
    article = SlugChoiceFilter(
        label="Asserted in article",
        # what the select shows of each: not its body (3 ms of 50 articles' bodies a page)
        queryset=Article.objects.published().only("pk", "slug", "title"),
        empty_label="Any article",
        method="asserted_in",
    )
    sort = StableOrderingFilter(
        fields=(("text", "text"), ("certainty_rank", "certainty"), ("verdict_rank", "verdict")),
        field_labels={"text": "Claim", "certainty_rank": "Certainty", "verdict_rank": "Verdict"},
        label="Sort by",
        empty_label="Default order",
    )

    class Meta:
        model = Claim
        fields = ["q", "verdict", "certainty", "kind", "article"]

    def asserted_in(self, queryset, name, article):
        links = StatementClaim.objects.shown_to_readers().filter(statement__article=article)
        return queryset.filter(pk__in=links.values("claim"))

    def search(self, queryset, name, value):
        return queryset.search(value)


# What a database column of whole numbers holds: past it, SQLite raises an overflow.
LARGEST_INTEGER = 2**63 - 1


class IntegerFilter(django_filters.NumberFilter):
    """A whole number from 0: '2020.5' is not understood rather than quietly read as 2020, and
    neither is a number no record can have."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST_INTEGER)
        super().__init__(**kwargs)
        schema = {"type": "integer", "minimum": 0, "maximum": LARGEST_INTEGER}
        extend_schema_field({**schema, "description": self.label})(self)


class PublishedClaimField(forms.CharField):
    """A published claim named by its slug or its whole text, as typed (any case): a text
    input the list's autocomplete (claims/static/claims/autocomplete.js) helps fill, rather
    than a select of every claim."""

    widget = forms.TextInput

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        claims = Claim.objects.published()
        claim = claims.filter(slug=value).first() or claims.filter(text__iexact=value).first()
        if claim is None:
            raise forms.ValidationError("No published claim has this slug or text.")
        return claim


class PublishedClaimFilter(django_filters.Filter):
    field_class = PublishedClaimField

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        description = f"{self.label}: its slug (or its whole text)."
        extend_schema_field({"type": "string", "description": description})(self)


class StudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Title or journal", method="search")
    design = django_filters.ChoiceFilter(
        label="Design", choices=Design.choices, empty_label="Any design"
    )
    population = django_filters.ChoiceFilter(
        label="Population", choices=Population.choices, empty_label="Any population"
    )
    year = IntegerFilter(label="Year")
    claim = PublishedClaimFilter(
        label="Bears on claim",
        method="bears_on",
        widget=forms.TextInput(
            attrs={
                "list": "claim-options",
                "autocomplete": "off",
                "placeholder": "Any claim",
                "data-suggest": reverse_lazy("claims:claim_suggestions"),
            }
        ),
    )
    sort = StableOrderingFilter(
        fields=(("year", "year"), ("title", "title"), ("participants", "participants")),
        label="Sort by",
        empty_label="Default order",
    )

    class Meta:
        model = Study
        fields = ["q", "design", "population", "year", "claim"]

    def bears_on(self, queryset, name, claim):
        return queryset.filter(
            pk__in=Finding.objects.approved().filter(claim=claim).values("study")
        )

    def search(self, queryset, name, value):
        return queryset.search(value)


class StudyApiFilter(StudyFilter):
    """The study list's filters in the API, which pages through studies in the order they were
    added: no sort order, and the text search narrows without ranking."""

    sort = None

    def search(self, queryset, name, value):
        return queryset.matching(value)


def _claims_to_filter_findings_by(request):
    if request is not None and request.user.has_perm("claims.view_finding"):
        return Claim.objects.all()
    return Claim.objects.published()


class FindingFilter(django_filters.FilterSet):
    """The API's findings: by claim, study, direction and, for those who see unapproved
    findings, review status."""

    claim = SlugChoiceFilter(
        label="On claim (slug)",
        queryset=_claims_to_filter_findings_by,
    )
    study = IntegerFilter(label="Of study (id)", field_name="study_id")
    direction = django_filters.ChoiceFilter(choices=DIRECTION_CHOICES, label="Direction")
    status = django_filters.ChoiceFilter(
        choices=FindingStatus.choices,
        label="Review status (readers see approved findings only)",
    )

    class Meta:
        model = Finding
        fields = ["claim", "study", "direction", "status"]
