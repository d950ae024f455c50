"""The one settings module. Everything that differs between machines comes from the environment.

DATABASE_URL   database, e.g. postgres://user@127.0.0.1:5432/evidence (default: SQLite file
               db.sqlite3 in the repository)
SECRET_KEY     required unless DEBUG is on
DEBUG          true/false (default false)
ALLOWED_HOSTS  comma-separated host names (default with DEBUG: localhost, 127.0.0.1, [::1])
PAGE_SIZE      rows per page on lists (default 25)
REQUIRED_ASSESSMENTS  independent assessments before a consensus (default 2; 1 for small teams)
IMPORT_MAX_UPLOAD_MB
               largest file the admin's import page accepts, in MB (default 20)
IMPORT_IN_BACKGROUND_OVER
               an upload of more records is imported by the task worker, with its progress
               shown, rather than while the person waits (default 2000)
IMPORT_STALLED_AFTER_MINUTES
               a background import that commits nothing for this long has lost its worker: it
               may be tried again (default 10)
LOOKUP_ENABLED, LOOKUP_MAILTO, NCBI_API_KEY, NCBI_EUTILS_URL, NCBI_IDCONV_URL, CROSSREF_API_URL,
LOOKUP_TIMEOUT_SECONDS, LOOKUP_RETRIES
               adding studies by DOI, PMID or PMCID and re-checking retractions (below, and
               README, "Adding studies by identifier")
EMBEDDING_MODEL_PATH
               folder of the static embedding model (default claims/intake/model, committed);
               where it cannot be loaded, claim suggestions fall back to BM25

Serving in public (HTTPS, cookies, proxies, the Content-Security-Policy, the task worker,
request logs): the block "Deployment" below; every variable is in README's table ("Deploying").
Sign-in lockout, API throttles and tokens (README, "Sign-in lockout, throttles and tokens"):
TRUSTED_PROXY_COUNT
               reverse proxies in front of the app that append to X-Forwarded-For (default 0:
               the client is REMOTE_ADDR); the client's address is the one the first of them saw
LOGIN_FAILURE_LIMIT
               failed sign-ins of one user name from one address before it is locked (default 5)
LOGIN_COOLOFF_MINUTES
               how long a lock lasts, in minutes (default 15)
API_THROTTLE_ANON
               API requests an anonymous client (one address) may make, e.g. 120/minute
               (default); N/second, N/minute, N/hour or N/day
API_THROTTLE_USER
               API requests one signed-in user or token may make (default 600/minute)
API_TOKEN_TTL_DAYS
               lifetime of a new API token, in days (default 90)
CACHE_URL      the cache that counts API requests: locmem:// (default; one per process),
               file:///absolute/folder (shared by the workers of one machine) or
               redis://host:6379/0 (shared by every machine; needs the redis package)

A value that cannot be read stops the start with ImproperlyConfigured naming the variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

# numpy's BLAS (the intake's matching) in one thread per process: a page multiplies small
# matrices, which a pool of threads makes several times slower (7.5 ms against 0.6 ms for a
# sentence against 50 claims here), and the server runs a process per core already. Set before
# numpy is first imported; the environment may say otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but names no host.")
    return items


def env_path(name, default):
    """A path; a relative one is taken from the repository's root, not the working directory."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip():
        raise ImproperlyConfigured(f"{name} is set but empty; unset it or give a folder.")
    return BASE_DIR / Path(raw.strip()).expanduser()


def env_int(name, default, minimum):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_rate(name, default):
    """A throttle rate as REST framework reads it: N/second, N/minute, N/hour or N/day."""
    raw = os.environ.get(name, default).strip()
    count, _, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in ("second", "minute", "hour", "day"):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate; write N/second, N/minute, N/hour or N/day."
        )
    return raw


def env_cache(name, default):
    """A cache from a URL: locmem://, file:///absolute/folder or redis://host:port/db."""
    raw = os.environ.get(name, default).strip()
    url = urlsplit(raw)
    if url.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.scheme == "file" and url.path.startswith("/"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.path,
        }
    if url.scheme in ("redis", "rediss") and url.hostname:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a cache; use locmem://, file:///absolute/folder or "
        "redis://host:port/db."
    )


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

_database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    # A connection is kept for 60 s between requests, and checked before it is used again: one
    # the database dropped (a restart) is replaced instead of failing the next request.
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL compiles a query it costs high, which for this app's
    # queries (a page, an import's or a regrade's batch) costs more than running them. At a
    # million studies the grading queue's query spent 874 ms compiling, 340 ms running; a
    # regrade batch's findings query 0.26 of its 0.8 s; an import's look-ups likewise.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every transaction takes SQLite's write lock as it begins (BEGIN IMMEDIATE): two processes
    # writing at once (two imports) take turns, the second waiting up to 60 s, instead of one
    # failing "database is locked" midway, as a transaction that reads, then writes, would.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=60)

# --- Deployment: HTTPS, cookies, trusted proxies (issue 11, item 10) ----------------------
# With DEBUG off every default is the production one (`manage.py check --deploy` is silent with
# deploy/production.env.example); with DEBUG on (development, tests) they are off. Behind a TLS
# proxy (README, "Deploying") set SECURE_PROXY_SSL_HEADER to the header the proxy sets.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off by default: preloading commits the whole domain to HTTPS in browsers for months; set it
# once the domain qualifies (https://hstspreload.org/). Until then check --deploy says W021.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def env_proxy_ssl_header(name):
    """The header a TLS proxy sets to "https" on the requests it forwarded over HTTPS, e.g.
    X-Forwarded-Proto; unset: the request's own scheme (gunicorn's, which trusts the
    X-Forwarded-Proto of a proxy on 127.0.0.1)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not all(c.isalnum() or c == "-" for c in raw):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a header name like X-Forwarded-Proto.")
    return ("HTTP_" + raw.upper().replace("-", "_"), "https")


SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# Origins (scheme and host) a form may be posted from besides the site's own, e.g. when the proxy
# answers on another name: https://evidence.example.org
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# --- end of deployment --------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # the text search's stored vectors (config.search)
    "django_tasks_db",  # the database task backend and its worker (TASKS_BACKEND=database)
    "django_filters",
    "simple_history",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "evidence",
    "claims",
]

MIDDLEWARE = [
    # One JSON line per request (config.middleware.RequestLogMiddleware), then /healthz answered
    # before host checks, redirects, sessions and auth: both before everything else.
    "config.middleware.RequestLogMiddleware",
    "config.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Widgets in Django's Jinja2 templates, the admin's own in its templates (config/forms.py).
FORM_RENDERER = "config.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # csp_nonce, for inline scripts
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise serves the static files. With DEBUG off they carry their hash in their names
# (cached for a year by browsers) and are compressed ahead, by collectstatic (`make serve` runs
# it); with DEBUG on (development, tests) they are served as they are, without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The product's own settings.
PAGE_SIZE = env_int("PAGE_SIZE", 25, minimum=1)
# Independent assessments a claim needs before a consensus can be published (1 for small teams).
REQUIRED_ASSESSMENTS = env_int("REQUIRED_ASSESSMENTS", 2, minimum=1)
# Whether a grader may approve a finding they wrote themselves. Off: approval needs a second
# person (four eyes); a one-person team turns it on.
FINDING_SELF_APPROVAL = env_bool("FINDING_SELF_APPROVAL", False)
LOGIN_URL = "admin:login"
# Where signing in lands when the page asked for is missing or not on this site (an unsafe
# ?next=): everyone who signs in works in the admin. Django's default is a missing page.
LOGIN_REDIRECT_URL = "admin:index"
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 20, minimum=1)
IMPORT_IN_BACKGROUND_OVER = env_int("IMPORT_IN_BACKGROUND_OVER", 2000, minimum=0)
# A background import that has committed nothing for this long has lost its worker (killed, the
# machine restarted): the admin offers to try it again, and manage.py requeue_stalled_imports
# queues it again. A chunk (1,000 records) takes seconds; waiting for another import's turn may
# take longer, which a second try survives (the worker that waited then leaves it).
IMPORT_STALLED_AFTER_MINUTES = env_int("IMPORT_STALLED_AFTER_MINUTES", 10, minimum=1)
# Adding studies by identifier and re-checking retractions (evidence/lookup/): NCBI E-utilities
# and the PMC ID converter for PMIDs and PMCIDs, Crossref's REST API for DOIs PubMed lacks.
# LOOKUP_ENABLED=false turns both off (the admin's page says how to import a file instead, the
# API answers 503). The addresses are settings so that tests serve recorded responses locally.
# LOOKUP_MAILTO is the contact both services ask for (User-Agent, NCBI's email, Crossref's
# mailto); empty, none is sent. NCBI_API_KEY raises NCBI's rate from 3 to 10 requests a second.
LOOKUP_ENABLED = env_bool("LOOKUP_ENABLED", True)
LOOKUP_MAILTO = os.environ.get("LOOKUP_MAILTO", "").strip()
NCBI_API_KEY = os.environ.get("NCBI_API_KEY", "").strip()
NCBI_EUTILS_URL = os.environ.get(
    "NCBI_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
).strip()
NCBI_IDCONV_URL = os.environ.get(
    "NCBI_IDCONV_URL", "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/"
).strip()
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org/").strip()
# Seconds to wait for a connection, and for each read of an answer; and how many times a
# request is tried again (429, 5xx, a connection error or a timeout), waiting 1, 2, 4 … s, or
# what Retry-After says.
LOOKUP_TIMEOUT_SECONDS = env_int("LOOKUP_TIMEOUT_SECONDS", 30, minimum=1)
LOOKUP_RETRIES = env_int("LOOKUP_RETRIES", 3, minimum=0)
# The local embedding model that suggests claims for sentences (claims/intake/embedding.py). A
# folder it cannot load is not an error: matching falls back to BM25 and the page says why.
EMBEDDING_MODEL_PATH = env_path("EMBEDDING_MODEL_PATH", BASE_DIR / "claims" / "intake" / "model")

# Work longer than a request (embedding studies: claims.intake.candidates) runs as a task of
# Django's Tasks framework. TASKS_BACKEND=immediate (the default) runs it at once, in the process
# that enqueues it, so tests and `make run` need no worker; TASKS_BACKEND=database stores it in
# the database (django-tasks-db) for a worker, `manage.py db_worker`, which `make serve` starts.
TASKS_BACKENDS = {
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={_tasks_backend!r}: use immediate or database.")
TASKS = {"default": TASKS_BACKENDS[_tasks_backend]}

# The API (/api/): anonymous readers read; scripts write with a token (manage.py
# create_api_token USERNAME), people signed in to the admin with their session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # django-rest-knox: tokens stored as SHA-512 digests, with an expiry (REST_KNOX below).
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["config.api.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies; the import takes a file (multipart) and says so itself.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Evidence tracker API",
    "DESCRIPTION": (
        "Published articles with every statement's support, claims with their GRADE grade and "
        "its reasons, studies and findings; exports; writes for researchers and graders.\n\n"
        "Anonymous readers read published data only. Scripts authenticate with a token "
        "(`Authorization: Token KEY`; `manage.py create_api_token USERNAME` makes one). "
        "Tokens expire (`API_TOKEN_TTL_DAYS`, 90 days by default); an expired or revoked "
        "token is a 401.\n\n"
        "Requests are throttled: per address for anonymous clients (`API_THROTTLE_ANON`, "
        "120/minute by default), per user for signed-in ones (`API_THROTTLE_USER`, "
        "600/minute). Past the limit the answer is 429, with a `Retry-After` header giving "
        "the seconds to wait.\n\n"
        "A study or a finding reads with an `ETag` header, its version. Send it back as "
        "`If-Match` with a change (or a step of a finding's review): if somebody wrote the "
        "record since, the change is refused with 412 Precondition Failed and nothing is "
        "written. Without `If-Match` a change proceeds, whatever was written since."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files: no outside network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from Swagger's online validator: nothing leaves this server (and the CSP says so).
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.strict_query_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "claims.models.VERDICT_CHOICES",
        "CertaintyEnum": "claims.models.CERTAINTY_CHOICES",
        "DirectionEnum": "claims.models.DIRECTION_CHOICES",
        "FindingStatusEnum": "claims.models.FindingStatus",
        "DowngradeEnum": "claims.models.DOWNGRADE_CHOICES",
        "UpgradeEnum": "claims.models.UPGRADE_CHOICES",
        "DesignEnum": "evidence.models.Design",
        "PopulationEnum": "evidence.models.Population",
        "KindEnum": "claims.models.KIND_CHOICES",
        "IdentifierKindEnum": "evidence.lookup.services.IDENTIFIER_KIND_CHOICES",
    },
}

# --- Content-Security-Policy (issue 11, item 10) ----------------------------------------------
# Django's own CSP, on everywhere (development and the browser tests too, so they catch a
# violation as a console error). No inline script or style runs without the request's nonce
# ({{ csp_nonce }}, from the csp context processor); scripts and styles come from this site's
# static files; no plugin, no framing, forms post here only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # data: for the blank favicon and Swagger UI's icons
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# --- end of Content-Security-Policy -------------------------------------------------------------

# --- Logs (issue 11, production serving) ------------------------------------------------------
# One JSON line per request on stdout (config.middleware.RequestLogMiddleware): method, path,
# status, duration_ms, user_id, request_id. REQUEST_LOG is on by default with DEBUG off. With
# DEBUG off, warnings and errors (a 500's traceback) are JSON lines on stdout too.
REQUEST_LOG = env_bool("REQUEST_LOG", not DEBUG)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {
        "stdout_json": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        # The root's: a record propagated from a logger set lower (django's is INFO, so
        # django.tasks' "Task … RUNNING") is filtered here, not by the root's own level.
        "stdout_json_warnings": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "level": "WARNING",
        },
    },
    "loggers": {
        "config.requests": {
            "handlers": ["stdout_json"],
            "level": "INFO" if REQUEST_LOG else "WARNING",
            "propagate": False,
        },
        # A 4xx is in the request's own line already; 5xx tracebacks still come out.
        **({} if DEBUG else {"django.request": {"level": "ERROR"}}),
    },
    **({} if DEBUG else {"root": {"handlers": ["stdout_json_warnings"], "level": "WARNING"}}),
}
# --- end of logs ------------------------------------------------------------------------------

# --- Sign-in lockout, API throttles and tokens (issue 11, item 11) ------------------------------
# The client's address, for the sign-in lockout and the API's per-address throttle: with
# TRUSTED_PROXY_COUNT=0 it is REMOTE_ADDR; behind N proxies that each append to X-Forwarded-For,
# it is the N-th address from the right (what the first proxy saw), so a client cannot choose
# it by sending the header itself. config/client_ip.py reads it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# django-axes: LOGIN_FAILURE_LIMIT failed sign-ins of one user name from one address lock that
# pair for LOGIN_COOLOFF_MINUTES (config/lockout.py: 429, Retry-After, a page that says so); a
# success before then starts the count again. An admin unlocks in the admin (Axes → Access
# attempts: delete the row) or with `manage.py axes_reset_username USERNAME` / `axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"
AXES_VERBOSE = False

# REST framework's throttles: anonymous clients per address, signed-in users and tokens per
# user. A 429 carries Retry-After. The counts live in Django's cache: see CACHE_URL.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "config.throttling.AnonRateThrottle",
    "config.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
    "user": env_rate("API_THROTTLE_USER", "600/minute"),
}
CACHES = {"default": env_cache("CACHE_URL", "locmem://")}
# Every operation of the OpenAPI schema documents the 429 and its Retry-After.
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] += ["config.api.throttled_responses"]

# django-rest-knox: a token is shown once, stored as its SHA-512 digest, and expires after
# API_TOKEN_TTL_DAYS. `Authorization: Token KEY`, as with REST framework's tokens before.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
