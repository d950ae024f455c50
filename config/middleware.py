"""Middleware of our own."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

from config.errors import DATABASE_UNAVAILABLE, database_error_reason

NUL = "\x00"
REFUSAL = "A NUL character (%00) in the address or its query: refused."
API_PREFIX = "/api/"  # the API answers its errors in JSON, as its schema documents


class RefuseNulMiddleware:
    """A NUL character in the address or a query parameter (`?verdict=%00`) is a 400, for every
    page, the admin and the API alike. No filter or lookup could use it: PostgreSQL refuses it in
    any text it compares (a 500 from the admin's list filters), and one check here spares every
    view and filter form its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": REFUSAL}, status=400)
            return HttpResponseBadRequest(REFUSAL, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


DATABASE_DOWN = "The database is unavailable, so nothing was saved. Try again in a minute."
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view that loses the database (stopped, restarting, unreachable) answers 503 with
    Retry-After instead of a 500: a plain page (templates/503.html), or under /api/ the API's
    JSON error. Every write is one transaction (the services), rolled back with the connection:
    nothing of the request was saved. The connection is dropped, and the next request opens a
    new one once the database is back (CONN_HEALTH_CHECKS in config/settings.py), so the server
    needs no restart. The error is logged with its traceback for whoever runs the site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "The database is unavailable (%s): %s %s answers 503",
            database_error_reason(exception),
            request.method,
            request.path,
            exc_info=exception,
        )
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"detail": DATABASE_DOWN}, status=503)
        else:
            # Rendered without the request: its context processors would read the session and
            # the user from the database that is gone.
            response = HttpResponse(
                render_to_string("503.html", {"message": DATABASE_DOWN}), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
