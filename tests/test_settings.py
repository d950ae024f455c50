"""The settings module reads the environment and refuses values it cannot read."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "PAGE_SIZE"}
    }
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DATABASES['default']"
            "['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS, s.PAGE_SIZE)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_it_defaults_to_sqlite_with_debug_on():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.sqlite3", "True"]


def test_it_reads_a_postgres_url_hosts_and_page_size():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="a.example, b.example",
        DATABASE_URL="postgres://u@127.0.0.1:5432/db",
        PAGE_SIZE="10",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "django.db.backends.postgresql False ['a.example', 'b.example'] 10"
    )


@pytest.mark.parametrize(
    "env,message",
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/x"}, "SQLite or PostgreSQL"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "true", "PAGE_SIZE": "ten"}, "PAGE_SIZE='ten' is not a whole number"),
        ({"DEBUG": "true", "PAGE_SIZE": "0"}, "PAGE_SIZE=0 must be at least 1"),
        ({"DEBUG": "true", "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is set but names no host"),
    ],
)
def test_a_value_it_cannot_read_stops_the_start_naming_the_variable(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_the_apps_postgresql_connections_compile_no_query():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
