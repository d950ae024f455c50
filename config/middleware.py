"""Middleware of our own."""

import logging
import re
import time
import uuid

from django.db import Error, connection
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


request_logger = logging.getLogger("config.requests")
# A request id from the proxy (X-Request-ID) is kept when it looks like one; else a new one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")


class RequestLogMiddleware:
    """One JSON line per request (logger config.requests, formatted by config.logs): method,
    path, status, duration in ms, the user's id (null when anonymous) and a request id, which the
    response carries back as X-Request-ID. The first middleware, so it times all the others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request.request_id
        if request_logger.isEnabledFor(logging.INFO):
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": duration_ms,
                        "user_id": _user_id(request),
                        "request_id": request.request_id,
                    }
                },
            )
        return response


def _user_id(request):
    """The signed-in user's id, or None; never an error (a request answered before the session
    and auth middleware, or while the database is down, has no user to name)."""
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # noqa: BLE001 - a log line must not turn a response into a 500
        return None


HEALTH_PATHS = {"/healthz", "/healthz/"}


class HealthCheckMiddleware:
    """/healthz for load balancers and uptime checks: 200 {"status": "ok"} when the database
    answers `SELECT 1`, 503 when it cannot be reached. Answered before the host check, the HTTPS
    redirect, sessions and auth: no login, no cookie, one query, whatever Host the check sends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"detail": "Use GET."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Error as error:  # any database error: OperationalError, InterfaceError...
            request_logger.warning("Health check: the database cannot be reached: %s", error)
            response = JsonResponse(
                {"status": "unavailable", "database": "unreachable"}, status=503
            )
        else:
            response = JsonResponse({"status": "ok"})
        response["Cache-Control"] = "no-store"
        return response
