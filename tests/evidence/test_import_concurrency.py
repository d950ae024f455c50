"""Two imports of the same file at once, as two processes (two `manage.py import_studies`, or
two workers of the site): one creates the studies, the other finds them and reports duplicates.
Each import runs in a subprocess with its own connection to a database on disk: the test
database itself on PostgreSQL, a file copy of it on SQLite (the test database is in memory)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains

from config.errors import Conflict
from evidence import services
from evidence.importers import read
from evidence.models import Study, StudyImport
from evidence.services import studies_import
from tests.api.conftest import token_client
from tests.evidence.importing import as_shown, run_import, write
from tests.factories import StudyFactory

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 1500


def ris(records, with_doi):
    lines = []
    for n in range(1, records + 1):
        lines += [
            "TY  - JOUR",
            f"TI  - Synthetic concurrent import record {n} about compound {n * 7919 % 100003}",
            f"AU  - Concurrent{n}, Alice",
            "PY  - 2021",
            "T2  - Journal of Synthetic Test Data",
        ]
        if with_doi:
            lines.append(f"DO  - 10.5555/synthetic.concurrent.{n}")
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def database_url(tmp_path):
    """A database the subprocesses can open, with the test database's tables."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def studies_in(url):
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            (count,) = db.execute("SELECT count(*) FROM evidence_study").fetchone()
        return count
    return Study.objects.count()


def import_twice_at_once(url, path):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true"}
    command = [sys.executable, "manage.py", "import_studies", str(path)]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    return [(p.wait(timeout=300), *p.communicate()) for p in processes]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("with_doi", [True, False], ids=["with DOIs", "without identifiers"])
def test_two_imports_of_one_file_at_once_create_its_studies_once(tmp_path, with_doi):
    path = tmp_path / "library.ris"
    path.write_text(ris(RECORDS, with_doi))
    url = database_url(tmp_path)

    runs = import_twice_at_once(url, path)

    for status, out, err in runs:
        assert status == 0, f"{out}\n{err}"
        assert "Traceback" not in err
    summaries = sorted(out.strip().rsplit(": ", 1)[-1] for _, out, _ in runs)
    assert summaries == [
        f"0 created, {RECORDS} duplicates, 0 possible duplicates, 0 errors",
        f"{RECORDS} created, 0 duplicates, 0 possible duplicates, 0 errors",
    ]
    assert studies_in(url) == RECORDS


# A study with the same DOI written by someone else after the import looked for duplicates (a
# person's edit takes no import turn): the import stops, writes nothing and says so; no 500.


@pytest.fixture
def written_meanwhile(db, monkeypatch):
    """The import looks for stored identifiers before the study below is written."""
    StudyFactory(doi="10.5555/synthetic.concurrent.2", title="Synthetic study written meanwhile")
    monkeypatch.setattr(services, "_stored_rows_of", lambda wanted: [])


def test_an_import_that_meets_a_study_written_meanwhile_writes_nothing_and_says_so(
    written_meanwhile,
):
    with pytest.raises(Conflict, match="nothing was imported. Import the file again"):
        studies_import(records=read(ris(3, with_doi=True).encode()))
    assert Study.objects.count() == 1


def test_the_command_reports_it_without_a_traceback(written_meanwhile, tmp_path):
    status, out, err = run_import(write(tmp_path, "library.ris", ris(3, with_doi=True)))
    assert status == 1
    assert "library.ris: Studies with the same DOI, PMID or PMCID were stored" in err
    assert Study.objects.count() == 1


def test_the_api_answers_409_and_imports_nothing(written_meanwhile, researcher):
    upload = SimpleUploadedFile("library.ris", ris(3, with_doi=True).encode())
    response = token_client(researcher).post(
        "/api/studies/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 409, response.content
    assert "nothing was imported" in response.json()["detail"]
    assert (Study.objects.count(), StudyImport.objects.count()) == (1, 0)


def test_the_admin_says_so_on_the_preview_and_imports_nothing(
    written_meanwhile, client, researcher
):
    client.force_login(researcher)
    upload = SimpleUploadedFile("library.ris", ris(3, with_doi=True).encode())
    client.post(reverse("admin:evidence_study_import"), {"file": upload})
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    response = client.post(preview, as_shown(client.get(preview)), follow=True)
    assert response.redirect_chain == [(preview, 302)]
    assertContains(response, "nothing was imported. Import the file again")
    assert Study.objects.count() == 1
    assert StudyImport.objects.get().imported_at is None
