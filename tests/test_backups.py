"""manage.py backup and restore (make backup, make restore): the round trip gives back every
table row by row, the history tables included (nothing re-dated), sessions and tokens too.
On PostgreSQL the backup is restored into a throwaway database of the test's own; on SQLite into
a file, and into the site's own database over changes made since."""

import os
import shutil
import sqlite3
from io import StringIO

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims.api_tokens import api_token_issue
from claims.models import Claim
from evidence.importers import read
from evidence.models import Study
from evidence.services import studies_import, study_save

# Committed data (pg_dump reads it from another connection); the roles' groups, which a
# migration creates, are put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def library(seed, researcher):
    """The seed, an import, edits (history rows), a session and an API token."""
    ris = "".join(
        f"TY  - JOUR\nTI  - Synthetic backed-up record {n}\nAU  - Backup{n}, A.\nPY  - 2022\n"
        f"DO  - 10.5555/synthetic.backup.{n}\nER  -\n"
        for n in range(1, 6)
    )
    studies_import(records=read(ris.encode()), user=researcher, source="backup.ris")
    study = Study.objects.get(doi="10.5555/synthetic.backup.1")
    study_save(study=study, by=researcher, changes={"abstract": "Synthetic\nedited abstract."})
    session = SessionStore()
    session["_auth_user_id"] = str(researcher.pk)
    session.create()
    api_token_issue(user=researcher)
    assert Study.history.count() == 6  # five created, one changed


def sort_key(row):
    return tuple((value is None, repr(value)) for value in row)


def sqlite_tables(db):
    names = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    return {
        name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=sort_key)
        for name in names
    }


def pg_tables(cursor):
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f'SELECT * FROM "{name}"')
        tables[name] = sorted(cursor.fetchall(), key=sort_key)
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
        "ORDER BY sequencename"
    )
    tables["sequences"] = cursor.fetchall()
    return tables


def pg_url(name):
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgresql://{settings['USER']}{password}@{host}:{port}/{name}"


def everything():
    """Every table of the test database, each row: read as the restored copy is read (on
    PostgreSQL a connection of its own, not Django's, which reads JSON as text)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite_tables(connection.connection)
    with psycopg.connect(pg_url(connection.settings_dict["NAME"])) as source:
        return pg_tables(source.cursor())


def assert_same(restored, before):
    assert sorted(restored) == sorted(before)
    for name, rows in before.items():
        assert restored[name] == rows, f"table {name} differs"
    assert len(before["evidence_historicalstudy"]) > 5
    assert before["django_session"] and before["knox_authtoken"]


def backup(path):
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    assert out.getvalue().startswith("Backed up ")
    return path


def restore(path, *options):
    out = StringIO()
    call_command("restore", str(path), "--no-input", *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def throwaway_pg_database():
    """A database of this test's own on the test server, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore_{os.getpid()}"
    admin = psycopg.connect(pg_url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url(name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_postgresql_backup_restored_into_a_new_database_holds_every_row(
    library, tmp_path, request
):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip runs with DATABASE_URL=postgres://…")
    url = request.getfixturevalue("throwaway_pg_database")
    before = everything()
    path = backup(tmp_path / "evidence.dump")
    assert path.read_bytes().startswith(b"PGDMP")
    assert restore(path, "--database-url", url).startswith("Restored ")
    with psycopg.connect(url) as restored:
        assert_same(pg_tables(restored.cursor()), before)


def test_a_sqlite_backup_restored_into_a_new_file_holds_every_row(library, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs on SQLite")
    before = everything()
    path = backup(tmp_path / "evidence.sqlite3")
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # it holds sessions and tokens
    target = tmp_path / "restored.sqlite3"
    restore(path, "--database-url", f"sqlite:///{target}")
    # Read as Django reads the test database: its converters (booleans, dates) on both sides.
    types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    with sqlite3.connect(target, detect_types=types) as restored:
        assert_same(sqlite_tables(restored), before)


def test_restoring_into_the_sites_own_database_undoes_what_came_after(library, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the tests restore into a database of their own only")
    before = everything()
    path = backup(tmp_path / "evidence.sqlite3")
    Claim.objects.all().delete()
    Study.objects.filter(doi__startswith="10.5555/synthetic.backup.").delete()
    assert everything() != before
    restore(path)
    assert_same(everything(), before)


def test_a_backup_of_the_other_kind_of_database_is_refused_before_anything_changes(
    library, tmp_path
):
    path = tmp_path / "not-a-backup.dump"
    path.write_bytes(b"SQLite format 3\x00" if connection.vendor == "postgresql" else b"PGDMP")
    before = everything()
    with pytest.raises(CommandError, match="Nothing was restored"):
        restore(path)
    assert everything() == before


def test_the_default_file_is_under_backups(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    if connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    out = StringIO()
    call_command("backup", stdout=out)
    (written,) = (tmp_path / "backups").iterdir()
    assert str(written) in out.getvalue()
    assert written.suffix == (".dump" if connection.vendor == "postgresql" else ".sqlite3")
