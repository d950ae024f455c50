from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from evidence.identifiers import DOI_PREFIXES, normalize_doi
from evidence.models import Appraisal, Study


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin that only lets a user revert a record they may change.

    simple_history saves a POST to a record's history form ("Revert") after checking only that
    the user may view the history; a reader of the history must not be able to overwrite it.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class AuthorsField(forms.CharField):
    """The JSON list of authors, edited as one name a line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class StudyForm(forms.ModelForm):
    authors = AuthorsField(
        required=False, help_text="One author a line, surname first, e.g. “de Vries F”."
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "authors",
            "authors_incomplete",
            "journal",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "pmcid",
            "url",
            "design",
            "pools_randomised",
            "population",
            "participants",
            "abstract",
            "retracted",
            "retracted_on",
            "retraction_notice_url",
        ]


@admin.register(Study)
class StudyAdmin(HistoryAdmin):
    form = StudyForm
    list_display = ["short_label", "title", "design", "population", "year", "identifiers"]
    list_display_links = ["short_label", "title"]
    list_filter = ["design", "population", "year", "retracted"]
    search_fields = ["title", "journal", "doi", "pmid", "pmcid"]
    ordering = ["-year", "title", "id"]
    fieldsets = [
        (
            "Citation",
            {
                "fields": [
                    "title",
                    "authors",
                    "authors_incomplete",
                    "journal",
                    "year",
                    ("volume", "issue", "pages"),
                ]
            },
        ),
        ("Identifiers", {"fields": ["doi", "pmid", "pmcid", "url"]}),
        ("Design", {"fields": ["design", "pools_randomised", "population", "participants"]}),
        ("Abstract", {"fields": ["abstract"]}),
        ("Retraction", {"fields": ["retracted", "retracted_on", "retraction_notice_url"]}),
    ]

    @admin.display(description="study", ordering="year")
    def short_label(self, study):
        return study.short_label

    @admin.display(description="identifiers")
    def identifiers(self, study):
        parts = [
            f"DOI {study.doi}" if study.doi else "",
            f"PMID {study.pmid}" if study.pmid else "",
            study.pmcid,
        ]
        return " · ".join(part for part in parts if part) or "—"

    def get_search_results(self, request, queryset, search_term):
        # A DOI pasted as a link (https://doi.org/10.…) finds the study stored as 10.….
        if search_term.strip().lower().startswith(DOI_PREFIXES):
            search_term = normalize_doi(search_term)
        return super().get_search_results(request, queryset, search_term)


@admin.register(Appraisal)
class AppraisalAdmin(HistoryAdmin):
    list_display = ["study", "overall", "appraiser", "created_at"]
    list_select_related = ["study", "appraiser"]
    list_filter = ["overall"]
    search_fields = ["study__title", "study__doi", "support"]
    autocomplete_fields = ["study"]
    fields = ["study", "overall", "support", "appraiser", "created_at"]
    readonly_fields = ["appraiser", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.appraiser = request.user
        super().save_model(request, obj, form, change)
