"""What every endpoint of the API (/api/) shares: pagination, errors, the role check of writes,
and the documented error responses. The endpoints are in claims/api.py and evidence/api.py."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import Conflict, Stale
from config.text import ALLOWED, describe, first_control_character
from config.versions import etag

MAX_PAGE_SIZE = 100


def _describe_page_size(parameter, largest):
    """The schema of `?page_size=`, for both kinds of pages."""
    parameter["schema"].update(minimum=1, maximum=largest)
    parameter["description"] = f"Rows a page, from 1 to {largest} (default: the PAGE_SIZE setting)."


class Pagination(PageNumberPagination):
    """`?page=N`, PAGE_SIZE rows a page (the pages' setting), or `?page_size=` from 1 to 100;
    a page size out of range or not a whole number is a 400, not quietly replaced."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    @property
    def page_size(self):
        return settings.PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                _describe_page_size(parameter, self.max_page_size)
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = "The page, from 1; past the last one: 404."
        return parameters


class KeysetPagination(CursorPagination):
    """The big lists (studies, findings): in the order the rows were added, page after page
    through `next` (and `previous`), whose opaque `cursor` says where the page starts: reading
    page 10,000 costs what page 1 does, and no total is counted. `?page_size=` as Pagination."""

    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    get_page_size = Pagination.get_page_size

    def __init__(self):
        self.page_size = settings.PAGE_SIZE

    def decode_cursor(self, request):
        if request.query_params.get(self.cursor_query_param) == "":
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["Empty: leave it out for the first page."]}
            )
        return super().decode_cursor(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                _describe_page_size(parameter, self.max_page_size)
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "Where the page starts: take it from a response's `next` or `previous`; "
                    "one that is not understood is a 404."
                )
        return parameters


class FilterBackend(DjangoFilterBackend):
    """The pages' filters (claims/filters.py), strictly: a filter the API does not understand
    is a 400 with what is wrong, and so is one sent empty (leave it out to not filter)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [name for name in filterset.filters if "" in request.query_params.getlist(name)]
            if empty:
                raise exceptions.ValidationError(
                    {name: ["Empty: leave the filter out to not filter by it."] for name in empty}
                )
        return filterset


# The ranges of whole numbers Django guarantees on every database it supports, most specific
# field first. REST framework would read the current database's ranges instead, so the API and
# its schema would differ between SQLite and PostgreSQL.
PORTABLE_RANGES = [
    (models.PositiveSmallIntegerField, 0, 32767),
    (models.PositiveIntegerField, 0, 2147483647),
    (models.PositiveBigIntegerField, 0, 9223372036854775807),
    (models.SmallIntegerField, -32768, 32767),
    (models.BigIntegerField, -9223372036854775808, 9223372036854775807),
    (models.IntegerField, -2147483648, 2147483647),
]


class StrictCharField(serializers.CharField):
    """Text as the schema says: a string, not a number made one (REST framework would store
    `1.4e-307` as "1.4e-307"); no control character but tab, line feed and carriage return
    (config.text); its maximum length checked as it was sent, before surrounding whitespace is
    trimmed (what the schema's maxLength promises; schemathesis found the difference)."""

    default_error_messages = {
        "control_character": "{character} is not allowed in text; of the control characters "
        f"only {ALLOWED} are.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        found = first_control_character(data)
        if found is not None:
            named = describe(found[1])
            self.fail("control_character", character=named[0].upper() + named[1:])
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A yes or no as the schema says: in a JSON body only `true` or `false` (REST framework
    would take 0, 1, "yes" or "on" too); in a form, where every value is text, also the words
    REST framework reads as yes or no ("true", "false", "1", "0", "on", "off"). Schemathesis
    found `{"every_claim": 0}` accepted."""

    def to_internal_value(self, data):
        from_form = isinstance(self.root.initial_data, QueryDict)
        if not isinstance(data, bool) and not (from_form and isinstance(data, str)):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


# A ModelSerializer whose whole numbers take the range their column has on every database:
# the same API, and the same schema, on SQLite and PostgreSQL. (A comment, not a docstring:
# the schema would describe every serializer with it.)
class PortableModelSerializer(serializers.ModelSerializer):
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.CharField:
            field_class = StrictCharField
        limits = next(
            ((low, high) for kind, low, high in PORTABLE_RANGES if isinstance(model_field, kind)),
            None,
        )
        if limits is None or isinstance(model_field, models.AutoField):
            return field_class, kwargs
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        validators = kwargs.get("validators", [])
        # The bounds the model declares (e.g. at least 1; not the database's range, which REST
        # framework reads too) narrow the portable range, never widen it.
        declared = model_field._validators
        low = max([limits[0], *(v.limit_value for v in declared if type(v) is MinValueValidator)])
        high = min([limits[1], *(v.limit_value for v in declared if type(v) is MaxValueValidator)])
        kwargs["validators"] = [
            validator
            for validator in validators
            if not isinstance(validator, MinValueValidator | MaxValueValidator)
        ]
        if "choices" not in kwargs:
            kwargs["min_value"], kwargs["max_value"] = low, high
        return field_class, kwargs


class ConflictError(exceptions.APIException):
    status_code = 409
    default_detail = "The record changed since; reload it."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The record changed since you read it; GET it again."
    default_code = "precondition_failed"


def exception_handler(error, context):
    """DRF's handler, and a Django ValidationError from a service is a 400 with its messages,
    the way a serializer's would be; a Stale write (its If-Match names an older version) is a
    412 carrying the stored version's ETag; a Conflict (another person acted first) is a 409."""
    version = None
    if isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(serializers.as_serializer_error(error))
    elif isinstance(error, Stale):
        version = error.version
        error = PreconditionFailed(str(error))
    elif isinstance(error, Conflict):
        error = ConflictError(str(error))
    response = drf_exception_handler(error, context)
    if response is not None and version:
        response["ETag"] = etag(version)
    return response


class ETagFromVersion:
    """For the viewsets of Versioned records (config.versions), whose serializers show
    `version`: a response of one record (a read, or a write's result) carries its ETag, the
    version in quotes; send it back as If-Match to write only if nobody wrote since."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if 200 <= response.status_code < 300 and isinstance(data, dict) and "version" in data:
            response["ETag"] = etag(data["version"])
        return response


IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the record as you read it: the write is made only if nobody wrote "
    "since, else 412. Without it the write proceeds whatever was written since.",
)
ETAG = OpenApiParameter(
    "ETag",
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="The record's version, in quotes: send it back as If-Match with a write.",
)


class HasRolePermissions(BasePermission):
    """Writes need the Django permissions the admin asks for the same change, listed by the view
        per action (a viewset's action, else the HTTP method in lower case) in `write_permissions`;
    an action it does not list is refused. The services
        check again."""

    def has_permission(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        action = getattr(view, "action", None) or request.method.lower()
        needed = getattr(view, "write_permissions", {}).get(action)
        return needed is not None and request.user.has_perms(needed)


class AnyAccept(BaseContentNegotiation):
    """For the downloads: their format is in the address, whatever the Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


_DETAIL = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Not valid: each field (or `non_field_errors`) with a list of what is "
        "wrong, e.g. a filter value that is not understood.",
    ),
    401: OpenApiResponse(_DETAIL, description="Writes need a token or a session."),
    403: OpenApiResponse(_DETAIL, description="The user's role may not do this."),
    404: OpenApiResponse(_DETAIL, description="No such record, or a page past the last."),
    409: OpenApiResponse(_DETAIL, description="Another person changed it first; reload."),
    412: OpenApiResponse(
        _DETAIL,
        description="If-Match names an older version: somebody wrote since (who and when in "
        "`detail`); nothing was written. GET the record again (the stored version's ETag is "
        "in this response's ETag).",
    ),
}


def errors(*codes):
    """The documented error responses of an operation."""
    return {code: ERRORS[code] for code in codes}


@csrf_exempt
def not_found(request, path=""):
    """Any other address under /api/: a 404 in JSON, as the endpoints answer it; a GET of an
    endpoint's address without its final slash is sent there, as on the pages."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(f"{request.path}/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{request.path}/" + (f"?{query}" if query else "")
            )
    return JsonResponse({"detail": "Not found."}, status=404)


def strict_query_parameters(result, generator, request, public):
    """drf-spectacular postprocessing hook: what FilterBackend refuses is outside the schema
    too, so that the schema says exactly what a filter takes: a text filter at least one
    character, a sort order at least one field."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                if schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
                if schema.get("type") == "array":
                    schema.setdefault("minItems", 1)
    return result


THROTTLED = {
    "description": "Too many requests: past the anonymous rate of the client's address "
    "(API_THROTTLE_ANON) or the rate of the user (API_THROTTLE_USER). Wait the seconds "
    "Retry-After says.",
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}},
}


def throttled_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may be throttled (settings:
    DEFAULT_THROTTLE_CLASSES), so every operation documents the 429 and its Retry-After."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", THROTTLED)
    return result
