"""Downloads under /api/, each with the filters and the order of its list endpoint, unpaged:
claims with their grades as CSV and JSON, every ClaimReview as one JSON-LD feed, and studies
as RIS, BibTeX and CSV (the study list's export view, claims.views.study_export)."""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView

from claims import claimreview
from claims.filters import ClaimFilter, StudyFilter
from claims.models import Claim
from claims.serializers import ClaimExportSerializer
from claims.views import study_export
from config.api import AnyAccept, errors
from evidence.exporters import spreadsheet_cell
from evidence.models import Study

CLAIM_CSV_COLUMNS = [
    "slug", "text", "kind", "subject", "outcome", "verdict", "certainty", "provisional",
    "plain_language", "rating_value", "needs_review", "finding_count", "statement_count",
    "page_url",
]  # fmt: skip


def _claim_row(claim, request):
    assessment = claim.current_assessment()
    graded = assessment is not None and bool(claim.grade_verdict)
    return {
        "slug": claim.slug,
        "text": claim.text,
        "kind": claim.kind,
        "subject": claim.subject,
        "outcome": claim.outcome,
        "verdict": claim.grade_verdict or "",
        "certainty": claim.grade_certainty or "",
        "provisional": "true" if claim.is_provisional else "false",
        "plain_language": claim.plain_language,
        "rating_value": (
            claimreview.rating_value(claim.grade_verdict, claim.grade_certainty) if graded else ""
        ),
        "needs_review": "true" if graded and assessment.needs_review else "false",
        "finding_count": claim.finding_count,
        "statement_count": claim.statement_count,
        "page_url": request.build_absolute_uri(claim.get_absolute_url()),
    }


# Claims an export reads at a time, each with its prefetched rows: an export's memory is that
# of one batch whatever the library's size (the JSON export of 100,000 claims read whole took
# 18 GB and 344 s before its first byte; docs/benchmarks.md).
EXPORT_BATCH = 500


def _batches(claims):
    """The claims EXPORT_BATCH at a time, in their order, each batch's prefetches read for it."""
    batch = []
    for claim in claims.iterator(chunk_size=EXPORT_BATCH):
        batch.append(claim)
        if len(batch) == EXPORT_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _streamed(parts, content_type, filename=None):
    """A response written as it is read (`parts`: its text, piece by piece); with a file name,
    a download."""
    response = StreamingHttpResponse(parts, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _json_array(batches, head="[", tail="]"):
    """A JSON array written a batch of items at a time, byte for byte as JsonResponse wrote it
    whole (items apart by ", "); between `head` and `tail`. A generator: closing it (the
    response closed, a client gone) closes the batches' generator and its database cursor."""
    yield head
    first = True
    for items in batches:
        if items:
            text = ", ".join(
                json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False) for item in items
            )
            yield text if first else ", " + text
            first = False
    yield tail


def claims_csv(claims, request):
    def lines():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CLAIM_CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for batch in _batches(claims):
            for claim in batch:
                row = _claim_row(claim, request)
                writer.writerow({name: spreadsheet_cell(str(value)) for name, value in row.items()})
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()  # the header alone when there is no claim

    return _streamed(lines(), "text/csv; charset=utf-8", "claims.csv")


def claims_json(claims, request):
    context = {"request": request}
    batches = (
        ClaimExportSerializer(batch, many=True, context=context).data for batch in _batches(claims)
    )
    return _streamed(_json_array(batches), "application/json", "claims.json")


def claim_review_feed(claims, request):
    """One JSON-LD document: a ClaimReview (claims/claimreview.py) for every claim with a grade
    readers see, published or provisional."""

    def reviews(batch):
        for claim in batch:
            review = claimreview.claim_review(claim, request)
            if review is not None:
                review.pop("@context")
                yield review

    batches = (list(reviews(batch)) for batch in _batches(claims))
    head = '{"@context": "https://schema.org", "@graph": ['
    return _streamed(_json_array(batches, head, "]}"), "application/ld+json")


class ClaimExport(GenericAPIView):
    queryset = Claim.objects.none()
    filterset_class = ClaimFilter
    pagination_class = None
    content_negotiation_class = AnyAccept
    write = None
    claims = None  # () -> the claims it reads, with what it shows of each prefetched

    def get(self, request):
        claims = self.filter_queryset(type(self).claims())
        return type(self).write(claims, request)


class StudyExport(GenericAPIView):
    queryset = Study.objects.none()
    filterset_class = StudyFilter
    pagination_class = None
    content_negotiation_class = AnyAccept
    fmt = None

    def get(self, request):
        # A filter the page's export would ignore is a 400 here, as on /api/studies/.
        self.filter_queryset(Study.objects.for_export())
        return study_export(request._request, self.fmt)


_CLAIM_REVIEW = {
    "type": "object",
    "required": ["@context", "@graph"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@graph": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "A schema.org ClaimReview: claimReviewed, reviewRating "
                "(ratingValue 1-5 from verdict and certainty, claims/claimreview.py; "
                "alternateName the grade in plain language), itemReviewed (a Claim with "
                "its appearances: the articles that assert it), author, datePublished, url.",
                "required": [
                    "@type",
                    "url",
                    "claimReviewed",
                    "datePublished",
                    "author",
                    "reviewRating",
                    "itemReviewed",
                ],  # fmt: skip
                "properties": {
                    "@type": {"type": "string", "enum": ["ClaimReview"]},
                    "url": {"type": "string", "format": "uri"},
                    "claimReviewed": {"type": "string"},
                    "datePublished": {"type": "string", "format": "date"},
                    "author": {"type": "object"},
                    "reviewRating": {
                        "type": "object",
                        "required": ["ratingValue", "bestRating", "worstRating", "alternateName"],
                        "properties": {
                            "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                            "bestRating": {"type": "integer", "enum": [5]},
                            "worstRating": {"type": "integer", "enum": [1]},
                            "alternateName": {"type": "string"},
                            "ratingExplanation": {"type": "string"},
                        },
                    },
                    "itemReviewed": {"type": "object"},
                },
            },
        },
    },
}


def _export(base, name, media_type, body, summary, description, **attrs):
    def get(self, request):
        return base.get(self, request)

    attrs["get"] = extend_schema(
        operation_id=name,
        tags=["exports"],
        summary=summary,
        description=description,
        filters=True,
        responses={(200, media_type): OpenApiResponse(body), **errors(400)},
    )(get)
    return type(name, (base,), attrs)


_SAME_AS = "The claims of /api/claims/ with the same filters, in the same order, unpaged."
_STUDIES = "The studies of /api/studies/ with the same filters, in the same order, unpaged"

ClaimsCsv = _export(
    ClaimExport,
    "claims_export_csv",
    "text/csv",
    OpenApiTypes.STR,
    "Claims with their grades as CSV",
    f"{_SAME_AS} One row a claim: {', '.join(CLAIM_CSV_COLUMNS)}.",
    write=claims_csv,
    claims=lambda: Claim.objects.for_api(),
)
ClaimsJson = _export(
    ClaimExport,
    "claims_export_json",
    "application/json",
    ClaimExportSerializer(many=True),
    "Claims with their grades as JSON",
    f"{_SAME_AS} Each claim as /api/claims/ shows it, with every approved finding (and its "
    "study) and the statements that assert it.",
    write=claims_json,
    claims=lambda: Claim.objects.for_export(),
)
ClaimReviewFeed = _export(
    ClaimExport,
    "claims_claimreview_feed",
    "application/ld+json",
    _CLAIM_REVIEW,
    "Every ClaimReview as one JSON-LD feed",
    "A schema.org ClaimReview for every claim of /api/claims/ (same filters) with a published "
    "or provisional grade, in a JSON-LD @graph.",
    write=claim_review_feed,
    claims=lambda: Claim.objects.for_api().with_statements(),
)
StudiesRis = _export(
    StudyExport,
    "studies_export_ris",
    "application/x-research-info-systems",
    OpenApiTypes.STR,
    "Studies as RIS",
    f"{_STUDIES}.",
    fmt="ris",
)
StudiesBibtex = _export(
    StudyExport,
    "studies_export_bibtex",
    "application/x-bibtex",
    OpenApiTypes.STR,
    "Studies as BibTeX",
    f"{_STUDIES}.",
    fmt="bib",
)
StudiesCsv = _export(
    StudyExport,
    "studies_export_csv",
    "text/csv",
    OpenApiTypes.STR,
    "Studies as CSV",
    f"{_STUDIES}; our own columns, which the import reads back.",
    fmt="csv",
)
