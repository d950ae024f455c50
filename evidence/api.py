"""The literature in the API: how a study reads and is written, and the import of a file.
The studies' endpoints are routed in claims/api.py, beside the filters of the study list."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import (
    HasRolePermissions,
    PortableModelSerializer,
    StrictBooleanField,
    StrictCharField,
    errors,
)
from evidence.importers import FORMAT_CHOICES, ParseError
from evidence.lookup.services import (
    IDENTIFIER_KIND_CHOICES,
    MAX_IDENTIFIERS,
    Found,
    LookupDisabled,
    studies_lookup,
)
from evidence.models import Design, ImportStatus, Population, Study, StudyImport
from evidence.services import studies_import_upload

STUDY_FIELDS = [
    "title", "authors", "authors_incomplete", "journal", "year", "volume", "issue", "pages",
    "doi", "pmid", "pmcid", "url", "publication_types", "design", "design_guessed",
    "pools_randomised", "population", "population_guessed", "participants", "abstract",
    "keywords", "language", "retracted", "retracted_on", "retraction_notice_url",
]  # fmt: skip


class OptionalURLField(serializers.URLField):
    """An address that may be unknown: null then (stored empty); send null to clear it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        if not kwargs.get("read_only"):
            kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return "" if value is None else value

    def to_representation(self, value):
        return value or None


def _texts(help_text):
    return serializers.ListField(
        child=StrictCharField(max_length=500), required=False, help_text=help_text
    )


class StudySerializer(PortableModelSerializer):
    """A study as the API shows it and takes it. Setting the design or the population confirms
    it: `design_guessed` / `population_guessed` become false."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:study-detail")
    short_label = serializers.CharField(read_only=True, help_text="e.g. “de Vries 2020”.")
    authors = _texts("Author names in order, surname first, e.g. “de Vries F”.")
    keywords = _texts("Keywords and MeSH headings.")
    publication_types = _texts("As the source listed them, e.g. “Randomized Controlled Trial”.")
    url = OptionalURLField(max_length=500)
    retraction_notice_url = OptionalURLField(max_length=500)

    class Meta:
        model = Study
        fields = [
            "id", "api_url", "short_label", *STUDY_FIELDS, "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "design_guessed", "population_guessed", "version", "created_at", "updated_at",
        ]  # fmt: skip
        # Uniqueness of the identifiers is the model's (Study.full_clean in the service).
        validators = []


class StudyBriefSerializer(PortableModelSerializer):
    """A study where another record names it (a finding)."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:study-detail")
    short_label = serializers.CharField(read_only=True)
    design = serializers.ChoiceField(
        choices=Design.choices, allow_blank=True, read_only=True, help_text="Empty: not classified."
    )
    population = serializers.ChoiceField(
        choices=Population.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty: not classified.",
    )

    class Meta:
        model = Study
        fields = [
            "id", "api_url", "short_label", "title", "journal", "year", "design", "population",
            "participants", "doi", "pmid", "retracted",
        ]  # fmt: skip
        read_only_fields = fields


class StudyImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="RIS, BibTeX, MEDLINE (.nbib), PubMed XML, EndNote XML, CSV or tab-delimited "
        "(PubMed, Scopus, Embase, Springer Link, Web of Science), Ovid tagged or CSL JSON; at "
        "most IMPORT_MAX_UPLOAD_MB (20 MB by default)."
    )
    format = serializers.ChoiceField(
        choices=FORMAT_CHOICES, required=False, help_text="Told from the content when not given."
    )
    dry_run = StrictBooleanField(
        default=False, help_text="Report what would happen; write nothing."
    )

    def validate_file(self, upload):
        limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise serializers.ValidationError(
                f"“{upload.name}” is {filesizeformat(upload.size)}; the limit for an upload is "
                f"{settings.IMPORT_MAX_UPLOAD_MB} MB (setting IMPORT_MAX_UPLOAD_MB). Split the "
                f"file, or import it with manage.py import_studies, which has no limit."
            )
        return upload


class ImportOutcomeSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The record's number in the file, from 1.")
    line = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(
        choices=["new", "duplicate", "possible duplicate", "error", "skipped", "left out"],
        help_text="new: created; duplicate: nothing created; possible duplicate: created and "
        "flagged for a person to merge or keep; error: not imported; skipped: not a record "
        "(a @comment, a biblatex @set, a row of empty cells), no error; left out: a person "
        "chose in the admin's preview not to import it.",
    )
    match_id = serializers.IntegerField(
        allow_null=True, help_text="The stored study it duplicates or may duplicate."
    )
    match_label = serializers.CharField(allow_blank=True)
    message = serializers.CharField(
        allow_blank=True, help_text="Why: the identifier, or the error."
    )
    study_id = serializers.IntegerField(allow_null=True, help_text="The study it created.")


class ImportResultSerializer(serializers.Serializer):
    file = serializers.CharField()
    format = serializers.ChoiceField(choices=FORMAT_CHOICES)
    dry_run = serializers.BooleanField()
    summary = serializers.CharField(
        help_text="As `manage.py import_studies` ends: “N created, M duplicates, K possible "
        "duplicates, E errors”, then “, S skipped” when entries were no records."
    )
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    possible_duplicates = serializers.IntegerField()
    errors = serializers.IntegerField()
    skipped = serializers.IntegerField(
        help_text="Entries that are no record (a @comment, a biblatex @set, an empty row): "
        "not imported, and no error."
    )
    outcomes = ImportOutcomeSerializer(many=True)


class ImportStateSerializer(serializers.Serializer):
    """An import the task worker runs (files of more than IMPORT_IN_BACKGROUND_OVER records)."""

    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(
        help_text="Where to follow it: GET it until `status` is final."
    )
    file = serializers.CharField(source="file_name")
    format = serializers.ChoiceField(choices=FORMAT_CHOICES)
    status = serializers.ChoiceField(
        choices=ImportStatus.choices,
        help_text="queued (waiting for the task worker), running, imported, failed (what was "
        "done stays; `failure` says why). `uploaded` imports are waiting for a person to "
        "confirm them in the admin.",
    )
    records_total = serializers.IntegerField()
    records_done = serializers.IntegerField(help_text="Records imported and committed so far.")
    summary = serializers.CharField(help_text="Of the records done so far.")
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    possible_duplicates = serializers.IntegerField()
    errors = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Entries that are no record.")
    left_out = serializers.IntegerField(
        help_text="Records a person chose in the admin's preview not to import."
    )
    failure = serializers.CharField(allow_blank=True)
    outcomes = serializers.SerializerMethodField(
        help_text="One per record done, once the import has finished."
    )

    def get_url(self, study_import) -> str:
        address = reverse("api:studies-import-state", args=[study_import.pk])
        return self.context["request"].build_absolute_uri(address)

    @extend_schema_field(ImportOutcomeSerializer(many=True))
    def get_outcomes(self, study_import):
        return [] if study_import.in_progress else study_import.outcomes


def _import_state(study_import, request):
    return ImportStateSerializer(study_import, context={"request": request}).data


class StudyImportView(APIView):
    """POST a file of studies: what `manage.py import_studies` and the admin's import page do."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, HasRolePermissions]
    write_permissions = {"post": ["evidence.add_study", "evidence.add_studyimport"]}

    @extend_schema(
        operation_id="studies_import",
        tags=["studies"],
        summary="Import a file of studies",
        description="Each record becomes a new study, a duplicate (nothing created), a possible "
        "duplicate (created and flagged in the admin) or an error (not imported; the rest of "
        "the file is). A file that cannot be read imports nothing: 400, naming the record and "
        "line. Imports take turns; if another write still got in the way, nothing is imported: "
        "409, send the file again. A file of more than IMPORT_IN_BACKGROUND_OVER records (2,000 "
        "by default) is imported by the task worker: 202, with the import's address in "
        "`Location` and `url`, to follow. Researchers, graders and admins.",
        request={"multipart/form-data": StudyImportRequestSerializer},
        responses={
            201: ImportResultSerializer,
            200: ImportResultSerializer,
            202: ImportStateSerializer,
            **errors(400, 401, 403, 409),
        },
    )
    def post(self, request):
        form = StudyImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            format, result, study_import = studies_import_upload(
                data=upload.read(),
                file_name=upload.name,
                by=request.user,
                format=form.validated_data.get("format"),
                dry_run=form.validated_data["dry_run"],
            )
        except ParseError as error:
            raise serializers.ValidationError(
                {"file": [f"“{upload.name}” cannot be read, nothing was imported: {error}"]}
            ) from None
        if result is None:  # queued for the task worker
            state = _import_state(study_import, request)
            return Response(
                state, status=status.HTTP_202_ACCEPTED, headers={"Location": state["url"]}
            )
        body = {
            "file": upload.name,
            "format": format,
            "dry_run": result.dry_run,
            "summary": result.summary,
            "created": result.created,
            "duplicates": result.duplicates,
            "possible_duplicates": result.possible_duplicates,
            "errors": result.errors,
            "skipped": result.skipped,
            "outcomes": [outcome.as_dict() for outcome in result.outcomes],
        }
        code = status.HTTP_200_OK if result.dry_run else status.HTTP_201_CREATED
        return Response(ImportResultSerializer(body).data, status=code)


class StudyImportStateView(APIView):
    """GET an import: its progress while the task worker runs it, then its result."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="studies_import_state",
        tags=["studies"],
        summary="Follow an import",
        description="The import's status and how many records are done; once it has "
        "finished, what became of each record. The person who sent it and those who may view "
        "imports (graders and admins) see it; others get 404.",
        responses={200: ImportStateSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        imports = StudyImport.objects.all()
        if not request.user.has_perm("evidence.view_studyimport"):
            imports = imports.filter(uploaded_by=request.user)
        return Response(_import_state(get_object_or_404(imports.defer("content"), pk=pk), request))


# --- Adding studies by identifier -------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "minLength": 1},
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
        ],
        "description": "DOIs, PMIDs or PMCIDs: one text (one a line, or a whole reference "
        f"list) or a list of them; at most {MAX_IDENTIFIERS} identifiers.",
    }
)
class IdentifiersField(serializers.Field):
    """A text, or a list of texts, each a string (StrictCharField's rules: no number, no
    control character)."""

    def to_internal_value(self, data):
        items = data if isinstance(data, list) else [data]
        if not items:
            raise serializers.ValidationError("Give at least one DOI, PMID or PMCID.")
        text = StrictCharField(max_length=200_000)
        return "\n".join(text.run_validation(item) for item in items)


class LookupRequestSerializer(serializers.Serializer):
    identifiers = IdentifiersField()


class LookupOutcomeSerializer(serializers.Serializer):
    identifier = serializers.CharField(help_text="As it was written in what was sent.")
    kind = serializers.ChoiceField(choices=IDENTIFIER_KIND_CHOICES)
    value = serializers.CharField(help_text="The identifier normalized (a DOI in lower case).")
    status = serializers.ChoiceField(
        choices=Found.CHOICES,
        help_text="created: a new study; duplicate: a study already stored (nothing created; "
        "a record PubMed now marks retracted marks it retracted); possible duplicate: created "
        "and flagged for a person to merge or keep; not found: neither PubMed nor Crossref "
        "knows it; error: a service did not answer, or the record could not be imported.",
    )
    message = serializers.CharField(allow_blank=True, help_text="Where it came from, and why.")
    source = serializers.ChoiceField(choices=["PubMed", "Crossref", ""], allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    study_id = serializers.IntegerField(
        allow_null=True, help_text="The study created, or the stored study it duplicates."
    )
    study_url = serializers.SerializerMethodField()

    def get_study_url(self, outcome) -> str | None:
        if not outcome.study_id:
            return None
        address = reverse("api:study-detail", args=[outcome.study_id])
        return self.context["request"].build_absolute_uri(address)


class LookupResultSerializer(serializers.Serializer):
    summary = serializers.CharField(help_text="The import's summary, as import_studies ends.")
    created = serializers.IntegerField(help_text="Studies created (possible duplicates too).")
    outcomes = LookupOutcomeSerializer(many=True, help_text="One per identifier, in order.")


LOOKUP_DISABLED = OpenApiResponse(
    inline_serializer("LookupDisabled", {"detail": serializers.CharField()}),
    description="Adding by identifier is turned off on this server (LOOKUP_ENABLED=false): "
    "import a file instead (POST /api/studies/import/).",
)


class StudyLookupView(APIView):
    """POST identifiers: what the admin's "Add by identifier" page does."""

    permission_classes = [IsAuthenticated, HasRolePermissions]
    write_permissions = {"post": ["evidence.add_study", "evidence.add_studyimport"]}

    @extend_schema(
        operation_id="studies_lookup",
        tags=["studies"],
        summary="Add studies by DOI, PMID or PMCID",
        description="Each identifier found in `identifiers` is looked up (PMIDs and PMCIDs in "
        "PubMed through NCBI E-utilities and the PMC ID converter; DOIs in PubMed, else in "
        "Crossref) and imported as a file's records are: deduplicated, a retracted record "
        "stored retracted. One result per identifier. 201 when a study was created, else 200; "
        f"400 when no identifier is found or more than {MAX_IDENTIFIERS} are sent; 503 when "
        "the look-up is turned off. Researchers, graders and admins.",
        request=LookupRequestSerializer,
        responses={
            201: LookupResultSerializer,
            200: LookupResultSerializer,
            **errors(400, 401, 403, 409),
            503: LOOKUP_DISABLED,
        },
    )
    def post(self, request):
        form = LookupRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            result = studies_lookup(identifiers=form.validated_data["identifiers"], by=request.user)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"identifiers": error.messages}) from None
        except LookupDisabled as error:
            return Response({"detail": str(error)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        body = LookupResultSerializer(
            {"summary": result.summary, "created": result.created, "outcomes": result.outcomes},
            context={"request": request},
        ).data
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(body, status=code)
