"""The admin's import page: upload a file, preview what each record would become, confirm,
see the result. Researchers and graders use it; `manage.py import_studies` does the same."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse

from config.errors import Conflict
from evidence.importers import FORMAT_CHOICES, ParseError, count, decode, detect, records_of
from evidence.models import ImportStatus, StudyImport
from evidence.services import studies_import, study_import_retry, study_import_start

# The preview and the result list at most this many records; the summary counts them all.
ROWS_SHOWN = 1000


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


class StudyImportViews:
    """Mixed into StudyAdmin: /admin/evidence/study/import/…"""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_upload), name="evidence_study_import"),
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
        context = self._context(request, "Import studies", form=form)
        return render(request, "admin/evidence/study/import_upload.html", context)

    def import_preview(self, request, pk):
        if not self.has_import_permission(request):
            raise PermissionDenied
        study_import = get_object_or_404(StudyImport, pk=pk)
        if study_import.status != ImportStatus.UPLOADED:
            return redirect("admin:evidence_study_import_result", pk)
        if request.method == "POST":
            try:
                study_import = study_import_start(study_import=study_import, user=request.user)
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
        result = studies_import(
            records=records_of(study_import.content, study_import.format),
            dry_run=True,
            keep_outcomes=ROWS_SHOWN,
        )
        outcomes = [outcome.as_dict() for outcome in result.outcomes[:ROWS_SHOWN]]
        context = self._context(
            request,
            f"Preview of {study_import.file_name}",
            study_import=study_import,
            summary=result.summary,
            outcomes=outcomes,
            records=result.total,
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
