import django_filters
from django import forms
from django.db.models import Q

from claims.models import CERTAINTY_CHOICES, VERDICT_CHOICES, Article, Claim, Finding, Statement
from evidence.models import Design, Population, Study


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Text", method="search")
    verdict = django_filters.ChoiceFilter(
        label="Verdict",
        field_name="grade_verdict",
        choices=VERDICT_CHOICES,
        empty_label="Any verdict",
    )
    certainty = django_filters.ChoiceFilter(
        label="Certainty",
        field_name="grade_certainty",
        choices=CERTAINTY_CHOICES,
        empty_label="Any certainty",
    )
    kind = django_filters.ChoiceFilter(
        choices=Claim._meta.get_field("kind").choices, empty_label="Any kind"
    )
    article = django_filters.ModelChoiceFilter(
        label="Asserted in article",
        to_field_name="slug",
        queryset=Article.objects.published(),
        empty_label="Any article",
        method="asserted_in",
    )
    sort = django_filters.OrderingFilter(
        fields=(("text", "text"), ("certainty_rank", "certainty"), ("verdict_rank", "verdict")),
        field_labels={"text": "Claim", "certainty_rank": "Certainty", "verdict_rank": "Verdict"},
        label="Sort by",
        empty_label="Default order",
    )

    class Meta:
        model = Claim
        fields = ["q", "verdict", "certainty", "kind", "article"]

    def asserted_in(self, queryset, name, article):
        return queryset.filter(pk__in=Statement.objects.filter(article=article).values("claims"))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(text__icontains=value) | Q(subject__icontains=value) | Q(outcome__icontains=value)
        )


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: '2020.5' is not understood rather than quietly read as 2020."""

    field_class = forms.IntegerField


class StudyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Title or journal", method="search")
    design = django_filters.ChoiceFilter(choices=Design, empty_label="Any design")
    population = django_filters.ChoiceFilter(choices=Population, empty_label="Any population")
    year = IntegerFilter(label="Year")
    claim = django_filters.ModelChoiceFilter(
        label="Bears on claim",
        to_field_name="slug",
        method="bears_on",
        empty_label="Any claim",
        queryset=Claim.objects.published(),
    )
    sort = django_filters.OrderingFilter(
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
        return queryset.filter(Q(title__icontains=value) | Q(journal__icontains=value))
