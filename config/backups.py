"""Backups of the whole database and their restore: `manage.py backup` and `manage.py restore`
(`make backup`, `make restore`) call these.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the client tools of the server's major
version or newer). SQLite: the SQLite backup API, a page-by-page copy that is consistent while
the site writes. Either way the database comes back as it was: every table, the history tables
included, each row as it was stored (nothing re-dated, as `dumpdata`/`loaddata` would), and the
sequences where the next ids continue.

A backup holds everything, secrets included: password hashes, sessions (a session key signs
its holder in) and API tokens. It is written readable by its owner only (0600).
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
EXTENSIONS = {"postgresql": "dump", "sqlite": "sqlite3"}


class BackupError(Exception):
    """What went wrong, said for the person running the command."""


def vendor_of(database):
    return "postgresql" if database["ENGINE"].endswith("postgresql") else "sqlite"


def database_from_url(url):
    """The settings dict of DATABASE_URL-style `url`; None: the site's own database."""
    return dj_database_url.parse(url) if url else settings.DATABASES["default"]


def default_path(database):
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = Path(str(database["NAME"])).stem or "database"
    return Path(settings.BASE_DIR) / "backups" / f"{name}-{stamp}.{EXTENSIONS[vendor_of(database)]}"


def _pg_environment(database):
    """libpq's environment for the client tools: no password on a command line."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[name] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return env


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (Debian: apt-get install "
            "postgresql-client) of the server's major version or newer."
        )
    return path


def _run(command, env):
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _sqlite_connection(database):
    """A connection to the SQLite database: the site's own (Django's, which may be in memory in
    the tests) or the file named by a URL."""
    if database is settings.DATABASES["default"]:
        if not connection.is_in_memory_db() and not Path(database["NAME"]).is_file():
            raise BackupError(f"No database at {database['NAME']} (make migrate creates one).")
        connection.ensure_connection()
        return connection.connection, False
    return sqlite3.connect(database["NAME"]), True


def backup(path=None, url=None):
    """Write a backup of the database (the site's, or `url`'s) to `path` (by default under
    backups/), whole or not at all; returns the path."""
    database = database_from_url(url)
    path = Path(path) if path else default_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        if vendor_of(database) == "postgresql":
            command = [_pg_tool("pg_dump"), "--format=custom", f"--file={partial}"]
            _run(command, _pg_environment(database))
        else:
            source, close = _sqlite_connection(database)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                if close:
                    source.close()
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def check_kind(path, database):
    """Refuse a file that is no backup for this kind of database, before anything is touched."""
    if not Path(path).is_file():
        raise BackupError(f"{path}: no such file.")
    with open(path, "rb") as handle:
        head = handle.read(16)
    vendor = vendor_of(database)
    if vendor == "postgresql" and not head.startswith(PG_MAGIC):
        kind = "a SQLite backup" if head.startswith(SQLITE_MAGIC) else "not a pg_dump -Fc file"
        raise BackupError(f"{path} is {kind}; the database is PostgreSQL.")
    if vendor == "sqlite" and not head.startswith(SQLITE_MAGIC):
        kind = "a PostgreSQL dump" if head.startswith(PG_MAGIC) else "not a SQLite database"
        raise BackupError(f"{path} is {kind}; the database is SQLite.")


def describe(url=None):
    """The database a restore replaces, as the confirmation names it."""
    database = database_from_url(url)
    if vendor_of(database) == "postgresql":
        return f"PostgreSQL database {database['NAME']} on {database.get('HOST') or 'localhost'}"
    return f"SQLite database {database['NAME']}"


def restore(path, url=None):
    """Replace the database (the site's, or `url`'s, which may be a new empty one) with the
    backup at `path`, in one transaction: all of it or nothing."""
    database = database_from_url(url)
    check_kind(path, database)
    if vendor_of(database) == "postgresql":
        command = [
            _pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
            "--single-transaction", "--exit-on-error", f"--dbname={database['NAME']}", str(path),
        ]  # fmt: skip
        _run(command, _pg_environment(database))
        return
    source = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise BackupError(f"{path} is damaged: {result}")
        target, close = _sqlite_connection(database)
        try:
            source.backup(target)
        finally:
            if close:
                target.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be restored: {error}") from None
    finally:
        source.close()
