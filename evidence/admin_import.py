"""The admin's import page: upload a file, preview what each record would become, confirm,
see the result. Researchers and graders use it; `manage.py import_studies` does the same."""

from itertools import chain, islice

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse

from config.errors import Conflict
from evidence.importers import FORMAT_CHOICES, ParseError, count, decode, detect, records_of
from evidence.lookup.services import (
    MAX_IDENTIFIERS,
    LookupDisabled,
    lookup_enabled,
    studies_lookup,
)
from evidence.models import Design, ImportStatus, Population, StudyImport
from evidence.services import (
    RecordChoice,
    Status,
    studies_import,
    study_import_retry,
    study_import_start,
)

# The preview and the result list at most this many records; the summary counts them all.
ROWS_SHOWN = 1000
# The preview lets a person leave out each record to be created and set its design and
# population for files of at most this many records (three fields a record stay within
# Django's DATA_UPLOAD_MAX_NUMBER_FIELDS, 1,000), when they are imported at once (at most
# IMPORT_IN_BACKGROUND_OVER); larger files are imported whole, with the guesses.
CHOICES_UP_TO = 300
CREATED = (Status.NEW, Status.POSSIBLE_DUPLICATE)  # the outcomes that create a study


class RecordChoicesForm(forms.Form):
    """Per record to be created: import it or not, its design and population (pre-set to the
    importer's guesses; empty is not classified)."""

    def __init__(self, records, data=None):
        super().__init__(data)
        self.numbers = [record.number for record in records]
        for record in records:
            n = record.number
            self.fields[f"include_{n}"] = forms.BooleanField(
                label="Import this", required=False, initial=True
            )
            self.fields[f"design_{n}"] = forms.ChoiceField(
                label="Design",
                choices=[("", "Not classified"), *Design.choices],
                required=False,
                initial=record.design,
            )
            self.fields[f"population_{n}"] = forms.ChoiceField(
                label="Population",
                choices=[("", "Not classified"), *Population.choices],
                required=False,
                initial=record.population,
            )

    def clean(self):
        cleaned = super().clean()
        if (
            self.numbers
            and not self.errors
            and not any(cleaned.get(f"include_{n}") for n in self.numbers)
        ):
            raise ValidationError(
                "No record is ticked, so nothing would be created. Tick the records to import."
            )
        return cleaned

    def choices(self):
        """record number -> RecordChoice"""
        data = self.cleaned_data
        return {
            n: RecordChoice(data[f"include_{n}"], data[f"design_{n}"], data[f"population_{n}"])
            for n in self.numbers
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="RIS, BibTeX, MEDLINE (.nbib), PubMed XML, EndNote XML, CSV or tab-delimited "
        "(PubMed, Scopus, Embase, Springer Link, Web of Science), Ovid tagged or CSL JSON."
    )
    format = forms.ChoiceField(
        choices=[("", "Tell from the content"), *FORMAT_CHOICES], required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise ValidationError(
                f"“{upload.name}” is {filesizeformat(upload.size)}; the limit for an upload is "
                f"{settings.IMPORT_MAX_UPLOAD_MB} MB (setting IMPORT_MAX_UPLOAD_MB). Split the "
                f"file, or import it with manage.py import_studies, which has no limit."
            )
        text = decode(upload.read())
        try:
            format = cleaned.get("format") or detect(text)
            count(text, format)  # refuse a file that cannot be read before storing it
        except ParseError as error:
            raise ValidationError(
                f"“{upload.name}” cannot be read, nothing was imported: {error}"
            ) from None
        cleaned["text"], cleaned["format"] = text, format
        return cleaned


class LookupForm(forms.Form):
    identifiers = forms.CharField(
        label="DOIs, PMIDs or PMCIDs",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text=f"One a line, or paste a whole reference list; at most {MAX_IDENTIFIERS}.",
    )


class StudyImportViews:
    """Mixed into StudyAdmin: /admin/evidence/study/import/…"""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_upload), name="evidence_study_import"),
            path("lookup/", view(self.import_lookup), name="evidence_study_lookup"),
            path(
                "import/<int:pk>/", view(self.import_preview), name="evidence_study_import_preview"
            ),
            path(
                "import/<int:pk>/result/",
                view(self.import_result),
                name="evidence_study_import_result",
            ),
            path(
                "import/<int:pk>/retry/",
                view(self.import_retry),
                name="evidence_study_import_retry",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return request.user.has_perms(["evidence.add_study", "evidence.add_studyimport"])

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "max_upload_mb": settings.IMPORT_MAX_UPLOAD_MB,
            **extra,
        }

    def import_upload(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            study_import = StudyImport(
                file_name=form.cleaned_data["file"].name[:255],
                format=form.cleaned_data["format"],
                content=form.cleaned_data["text"],
                uploaded_by=request.user,
            )
            study_import.full_clean()
            study_import.save()
            return redirect("admin:evidence_study_import_preview", study_import.pk)
        context = self._context(
            request,
            "Import studies",
            form=form,
            choices_up_to=min(CHOICES_UP_TO, settings.IMPORT_IN_BACKGROUND_OVER),
        )
        return render(request, "admin/evidence/study/import_upload.html", context)

    def import_lookup(self, request):
        """Add by identifier: DOIs, PMIDs and PMCIDs looked up in PubMed and Crossref and
        imported (evidence.lookup.services.studies_lookup); each says what became of it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        enabled = lookup_enabled()
        form = LookupForm(request.POST or None) if enabled else None
        result = None
        if enabled and request.method == "POST" and form.is_valid():
            try:
                result = studies_lookup(
                    identifiers=form.cleaned_data["identifiers"], by=request.user
                )
            except ValidationError as error:
                form.add_error("identifiers", error)
            except LookupDisabled:  # turned off since the page was read
                enabled, form = False, None
            except Conflict as error:
                self.message_user(request, str(error), messages.ERROR)
        context = self._context(
            request,
            "Add studies by identifier",
            form=form,
            enabled=enabled,
            disabled=str(LookupDisabled()),
            result=result,
            max_identifiers=MAX_IDENTIFIERS,
        )
        return render(request, "admin/evidence/study/lookup.html", context)

    def import_preview(self, request, pk):
        if not self.has_import_permission(request):
            raise PermissionDenied
        study_import = get_object_or_404(StudyImport, pk=pk)
        if study_import.status != ImportStatus.UPLOADED:
            return redirect("admin:evidence_study_import_result", pk)
        # The first records in a list: all of them when the file is small enough for choices.
        records = records_of(study_import.content, study_import.format)
        limit = min(CHOICES_UP_TO, settings.IMPORT_IN_BACKGROUND_OVER)
        head = list(islice(records, limit + 1))
        choosing = len(head) <= limit
        form = result = None
        if choosing or request.method != "POST":  # a larger file is confirmed whole
            result = studies_import(
                records=head if choosing else chain(head, records),
                dry_run=True,
                keep_outcomes=ROWS_SHOWN,
            )
        if choosing and result.created + result.possible_duplicates:
            # the records listed (all unless ROWS_SHOWN is smaller than CHOICES_UP_TO)
            statuses = {outcome.number: outcome.status for outcome in result.outcomes[:ROWS_SHOWN]}
            form = RecordChoicesForm(
                [record for record in head if statuses.get(record.number) in CREATED],
                request.POST if request.method == "POST" else None,
            )
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                study_import = study_import_start(
                    study_import=study_import,
                    user=request.user,
                    choices=form.choices() if form else None,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            except Conflict as error:  # another import got in the way: nothing was imported
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:evidence_study_import_preview", pk)
            else:
                if study_import.in_progress:
                    self.message_user(
                        request,
                        f"The import of {study_import.records_total:,} records runs in the "
                        "background; this page follows it, and you may leave it.",
                        messages.INFO,
                    )
            return redirect("admin:evidence_study_import_result", pk)
        outcomes = [outcome.as_dict() for outcome in result.outcomes[:ROWS_SHOWN]]
        if form is not None:
            guessed = {r.number: (r.design_guessed, r.population_guessed) for r in head}
            for row in outcomes:
                if row["status"] in CREATED:
                    n = row["number"]
                    row["include"] = form[f"include_{n}"]
                    row["design"] = form[f"design_{n}"]
                    row["population"] = form[f"population_{n}"]
                    row["design_guessed"], row["population_guessed"] = guessed[n]
        context = self._context(
            request,
            f"Preview of {study_import.file_name}",
            study_import=study_import,
            summary=result.summary,
            outcomes=outcomes,
            records=result.total,
            to_create=result.created + result.possible_duplicates,
            form=form,
            choices_up_to=limit,
            confirm=True,
        )
        return render(request, "admin/evidence/study/import_preview.html", context)

    def import_result(self, request, pk):
        """The result of an import, or its progress while the task worker imports it (the page
        follows it until it is done: evidence/progress.js)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        # Not the file itself: the page reloads every few seconds while the import runs.
        study_import = get_object_or_404(StudyImport.objects.defer("content"), pk=pk)
        if study_import.status == ImportStatus.UPLOADED:
            return redirect("admin:evidence_study_import_preview", pk)
        context = self._context(
            request,
            f"Import of {study_import.file_name}"
            if study_import.status != ImportStatus.IMPORTED
            else f"Imported {study_import.file_name}",
            study_import=study_import,
            summary=study_import.summary,
            outcomes=study_import.outcomes[:ROWS_SHOWN],
            records=study_import.records_done,
            confirm=False,
            flags_url=reverse("admin:evidence_possibleduplicate_changelist"),
        )
        return render(request, "admin/evidence/study/import_preview.html", context)

    def import_retry(self, request, pk):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:evidence_study_import_result", pk)
        study_import = get_object_or_404(StudyImport, pk=pk)
        try:
            study_import_retry(study_import=study_import, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                f"The import resumes after record {study_import.records_done:,}.",
                messages.INFO,
            )
        return redirect("admin:evidence_study_import_result", pk)
