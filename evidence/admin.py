from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from config.admin_inlines import LabelledTabularInline
from config.admin_lists import IndexedValuesListFilter, LargeList
from config.errors import Stale
from config.versions import VersionCheckedForm, Versioned
from evidence.admin_import import StudyImportViews
from evidence.identifiers import DOI_PREFIXES, normalize_doi
from evidence.models import (
    Appraisal,
    AppraisalTool,
    DomainJudgement,
    ImportStatus,
    Study,
    StudyImport,
    ToolDomain,
    ToolJudgement,
)


class CarriesVersion:
    """The admin of a record edited through a VersionCheckedForm: the form's hidden version
    is rendered with the first fieldset, for those who may change the record."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        base = self.form.base_fields if hasattr(self.form, "base_fields") else {}
        if "seen_version" not in base or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        fields = [field for field in options["fields"] if field != "seen_version"]
        return [(name, {**options, "fields": [*fields, "seen_version"]}), *rest]


class HistoryAdmin(CarriesVersion, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "Revert" is an edit, and no more; a Versioned record is saved as
    its next version, refused when it changed since the form was opened.

    simple_history saves a POST to a record's history form after checking only that the user
    may view the history, and saves the whole old version: its read-only fields too (a status
    only a grader sets, a finding's review). Here a revert needs the right to change the record
    as it is now; it is refused (403, and the button is not offered) when the version differs
    from the record in a field the user could not change by editing it (read-only for them, or
    not on the form at all: moved only by a service); otherwise it is saved exactly as the
    record's change form would save it: the same form on the current record, the same
    save_model and save_related, so every rule of an edit applies to a revert too. A deleted
    record is not brought back this way: there is no current record to edit.
    """

    def save_model(self, request, obj, form, change):
        if not isinstance(obj, Versioned):
            return super().save_model(request, obj, form, change)
        obj._history_user = request.user
        seen = form.seen() if isinstance(form, VersionCheckedForm) else None
        obj.save_version(seen=seen)
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Stale:
            # Another save came between the form's check and this one (the transaction is
            # rolled back): the form, shown again, now says who changed it and how.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        version = self._version(object_id, version_id)
        if request.method != "POST":
            blocked = current is not None and self.revert_blocked_by(request, current, version)
            if blocked and self.has_change_permission(request, current):
                self.message_user(request, self._blocked_message(blocked), messages.WARNING)
            return super().history_form_view(request, object_id, version_id, extra_context)
        if current is None or not self.has_change_permission(request, current):
            raise PermissionDenied
        blocked = self.revert_blocked_by(request, current, version)
        if blocked:
            raise PermissionDenied(self._blocked_message(blocked))
        form = self.get_form(request, current)(request.POST, request.FILES, instance=current)
        if not form.is_valid():
            problems = "; ".join(
                f"{'' if name == '__all__' else name + ': '}{' '.join(errors)}"
                for name, errors in form.errors.items()
            )
            self.message_user(request, f"Not reverted: {problems}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        obj = self.save_form(request, form, change=True)
        obj._change_reason = f"Reverted to the version of {version.history_date:%Y-%m-%d %H:%M} UTC"
        try:
            self.save_model(request, obj, form, change=True)
        except Stale as error:  # saved by someone else between the form's check and this save
            self.message_user(request, f"Not reverted: {error}", messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.save_related(request, form, formsets=[], change=True)
        self.log_change(request, obj, self.construct_change_message(request, form, []))
        return self.response_change(request, obj)

    def _version(self, object_id, version_id):
        """The stored version, as an instance of the model with its history_date."""
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        record = get_object_or_404(
            history.model,
            **{self.model._meta.pk.attname: unquote(object_id)},
            history_id=version_id,
        )
        version = record.instance
        version.history_date = record.history_date
        return version

    def revert_blocked_by(self, request, current, version):
        """The fields in which `version` differs from `current` that this user cannot change by
        editing `current` (their labels); empty when the revert is an edit they may make."""
        editable = set(self.get_form(request, current).base_fields)
        return [
            str(field.verbose_name)
            for field in self.model._meta.concrete_fields
            if not (field.primary_key or not field.editable or field.name in editable)
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
            and getattr(version, field.attname) != getattr(current, field.attname)
        ]

    def _blocked_message(self, blocked):
        return (
            f"This version cannot be restored by you: it differs from the "
            f"{self.model._meta.verbose_name} as it is now in {', '.join(blocked)}, which you "
            f"cannot change by editing it."
        )

    def revert_disabled(self, request, obj=None):
        """No "Revert" button where the revert would be refused."""
        if super().revert_disabled(request, obj) or obj is None:
            return True
        current = self.get_object(request, str(obj.pk))
        return (
            current is None
            or not self.has_change_permission(request, current)
            or bool(self.revert_blocked_by(request, current, obj))
        )


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


class ListField(AuthorsField):
    """A JSON list of short texts, edited as one a line."""


class StudyForm(VersionCheckedForm):
    authors = AuthorsField(
        required=False, help_text="One author a line, surname first, e.g. “de Vries F”."
    )
    keywords = ListField(required=False, help_text="One a line.")
    publication_types = ListField(
        required=False, help_text="One a line, as the source listed them."
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
            "publication_types",
            "design",
            "design_guessed",
            "pools_randomised",
            "population",
            "population_guessed",
            "participants",
            "abstract",
            "keywords",
            "language",
            "retracted",
            "retracted_on",
            "retraction_notice_url",
        ]

    def clean(self):
        # A person who sets the design or population has confirmed it: it is no longer a guess.
        cleaned = super().clean()
        for name in ("design", "population"):
            if name in self.changed_data:
                cleaned[f"{name}_guessed"] = False
        return cleaned


@admin.register(Study)
class StudyAdmin(LargeList, StudyImportViews, HistoryAdmin):
    form = StudyForm
    list_display = ["short_label", "title", "design", "population", "year", "identifiers"]
    list_display_links = ["short_label", "title"]
    list_filter = [
        "design",
        "population",
        "design_guessed",
        "population_guessed",
        ("year", IndexedValuesListFilter),
        "retracted",
    ]
    actions = ["confirm_guesses"]
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
        (
            "Design",
            {
                "fields": [
                    "publication_types",
                    ("design", "design_guessed"),
                    "pools_randomised",
                    ("population", "population_guessed"),
                    "participants",
                ]
            },
        ),
        ("Abstract", {"fields": ["abstract", "keywords", "language"]}),
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

    @admin.action(
        description="Confirm the guessed design and population of the selected studies",
        permissions=["change"],
    )
    def confirm_guesses(self, request, queryset):
        studies = list(queryset.filter(Q(design_guessed=True) | Q(population_guessed=True)))
        for study in studies:
            study.design_guessed = study.population_guessed = False
            study._change_reason = "Guessed design and population confirmed"
            study.save_version()
        self.message_user(
            request,
            f"Confirmed the guesses of {len(studies)} stud{'y' if len(studies) == 1 else 'ies'}.",
            messages.SUCCESS,
        )

    def get_search_results(self, request, queryset, search_term):
        """By the word index or an identifier's own (StudyQuerySet.found_by); when that finds
        nothing, as any admin search, by part of the title, journal or an identifier (part of
        a DOI typed into a finding's study box). A DOI pasted as a link (https://doi.org/10.…)
        finds the study stored as 10.…."""
        if not search_term.strip():
            return queryset, False
        found = queryset.found_by(search_term)
        if found.exists():
            return found, False
        if search_term.strip().lower().startswith(DOI_PREFIXES):
            search_term = normalize_doi(search_term)
        return super().get_search_results(request, queryset, search_term)


class DomainJudgementInline(LabelledTabularInline):
    model = DomainJudgement
    fields = ["domain", "judgement", "support"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("domain", "judgement")


@admin.register(Appraisal)
class AppraisalAdmin(LargeList, HistoryAdmin):
    """Appraisals are made on the grading page of a study (one row a domain, the tool chosen
    from the study's design); here they are listed, read and, by admins, deleted."""

    list_display = ["study", "tool", "overall_judgement", "appraiser", "updated_at"]
    list_select_related = ["study", "tool", "appraiser", "overall_override"]
    list_filter = ["tool"]
    search_fields = ["study__title", "study__doi"]
    ordering = ["-updated_at", "-id"]  # appraisal_updated_order
    fields = [
        "study",
        "tool",
        "appraiser",
        "overall_override",
        "override_justification",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [DomainJudgementInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "tool__domains",
                Prefetch(
                    "domain_judgements",
                    queryset=DomainJudgement.objects.select_related("judgement"),
                ),
            )
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description="overall")
    def overall_judgement(self, appraisal):
        overall = appraisal.overall
        return overall.label if overall else "incomplete"


class ToolDomainInline(LabelledTabularInline):
    model = ToolDomain
    fields = ["order", "name", "guidance"]
    extra = 0


class ToolJudgementInline(LabelledTabularInline):
    model = ToolJudgement
    fields = ["severity", "value", "label", "high_risk"]
    extra = 0


@admin.register(AppraisalTool)
class AppraisalToolAdmin(HistoryAdmin):
    """A new risk-of-bias tool is a new record: its designs, domains and judgements."""

    list_display = ["name", "slug", "designs"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ToolDomainInline, ToolJudgementInline]


@admin.register(StudyImport)
class StudyImportAdmin(LargeList, admin.ModelAdmin):
    """Past uploads of the import page, with who uploaded them and what came of them."""

    list_display = ["file_name", "format", "uploaded_by", "created_at", "status", "outcome"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    fields = [
        "file_name",
        "format",
        "uploaded_by",
        "created_at",
        "status",
        "imported_at",
        "outcome",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "outcomes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="outcome")
    def outcome(self, study_import):
        if study_import.status == ImportStatus.UPLOADED:
            url = reverse("admin:evidence_study_import_preview", args=[study_import.pk])
            return format_html('<a href="{}">Not imported: preview</a>', url)
        url = reverse("admin:evidence_study_import_result", args=[study_import.pk])
        if study_import.status == ImportStatus.IMPORTED:
            return format_html('<a href="{}">{}</a>', url, study_import.summary)
        return format_html(
            '<a href="{}">{}: {} of {} records</a>',
            url,
            study_import.get_status_display(),
            study_import.records_done,
            study_import.records_total,
        )
