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
EMBEDDING_MODEL_PATH
               folder of the static embedding model (default claims/intake/model, committed);
               where it cannot be loaded, claim suggestions fall back to BM25

A value that cannot be read stops the start with ImproperlyConfigured naming the variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

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


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

_database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "evidence",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefuseNulMiddleware",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The product's own settings.
PAGE_SIZE = env_int("PAGE_SIZE", 25, minimum=1)
# Independent assessments a claim needs before a consensus can be published (1 for small teams).
REQUIRED_ASSESSMENTS = env_int("REQUIRED_ASSESSMENTS", 2, minimum=1)
LOGIN_URL = "admin:login"
# Where signing in lands when the page asked for is missing or not on this site (an unsafe
# ?next=): everyone who signs in works in the admin. Django's default is a missing page.
LOGIN_REDIRECT_URL = "admin:index"
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 20, minimum=1)
# The local embedding model that suggests claims for sentences (claims/intake/embedding.py). A
# folder it cannot load is not an error: matching falls back to BM25 and the page says why.
EMBEDDING_MODEL_PATH = env_path("EMBEDDING_MODEL_PATH", BASE_DIR / "claims" / "intake" / "model")

# Work longer than a request (embedding studies: claims.intake.candidates) runs as a task of
# Django's Tasks framework. The immediate backend runs it at once, in the process that enqueues
# it, so tests and `make run` need no worker; issue 10 brings the database backend and workers.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# The API (/api/): anonymous readers read; scripts write with a token (manage.py
# create_api_token USERNAME), people signed in to the admin with their session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
        "(`Authorization: Token KEY`; `manage.py create_api_token USERNAME` makes one).\n\n"
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
    },
}
