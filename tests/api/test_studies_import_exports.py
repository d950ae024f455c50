"""POST /api/studies/import/ takes every export the command takes, told from the content or
named, and counts skipped entries apart from errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evidence.models import Study
from tests.evidence.importing import SAMPLES
from tests.evidence.test_import_skipped import BIBLATEX, SKIPPED

EXPORTS = {
    "ovid_psycinfo.ris": "ris",
    "scopus.bib": "bibtex",
    "springer.csv": "csv",
    "short_title.ris": "ris",
    "savedrecs.txt": "csv",
    "ovid_medline.txt": "ovid",
    "cochrane_central.ris": "ris",
    "zotero.json": "csl-json",
    "embase.csv": "csv",
}


def post(client, name, content, **data):
    upload = SimpleUploadedFile(name, content)
    return client.post("/api/studies/import/", {"file": upload, **data}, format="multipart")


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_each_export_is_told_from_its_content_and_imports(client_for, name):
    response = post(client_for("researcher"), name, (SAMPLES / name).read_bytes())
    assert response.status_code == 201
    body = response.json()
    assert (body["format"], body["summary"]) == (
        EXPORTS[name],
        "2 created, 0 duplicates, 0 possible duplicates, 0 errors",
    )
    assert Study.objects.count() == 2


@pytest.mark.parametrize("format", ["ovid", "csl-json"])
def test_the_new_formats_may_be_named(client_for, format):
    name = {"ovid": "ovid_medline.txt", "csl-json": "zotero.json"}[format]
    response = post(
        client_for("researcher"), "export.txt", (SAMPLES / name).read_bytes(),
        format=format, dry_run="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert (response.json()["format"], response.json()["created"]) == (format, 2)


def test_the_api_counts_skipped_entries_apart_from_errors(client_for):
    response = post(client_for("researcher"), "library.bib", BIBLATEX.encode())
    assert response.status_code == 201
    body = response.json()
    assert (body["summary"], body["errors"], body["skipped"]) == (SKIPPED, 0, 4)
    assert [outcome["status"] for outcome in body["outcomes"]] == [
        "skipped", "skipped", "skipped", "skipped", "new", "new",
    ]  # fmt: skip
    assert body["outcomes"][3]["message"] == "a biblatex @set (it groups other entries)"
