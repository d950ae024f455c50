"""Helpers for the import tests: the sample files and running the command."""

import re
from io import StringIO
from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from evidence.services import UNCLASSIFIED_NOTE

SAMPLES = Path(__file__).parent / "samples"


def run_import(*args):
    """(exit status, stdout, stderr) of manage.py import_studies."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_studies", *map(str, args), stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        status = error.returncode
    return status, out.getvalue(), err.getvalue()


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode(encoding))
    return path


def assert_imported(path):
    status, out, err = run_import(path)
    if status != 0:
        pytest.fail(f"import failed: {out} {err}")
    return out


# The admin's import page

UPLOAD = reverse("admin:evidence_study_import")


def ris(count, start=1):
    return "\n".join(
        f"TY  - JOUR\nTI  - Synthetic admin record {n}\nAU  - Testauthor{n}, A.\nPY  - 2020\n"
        f"DO  - 10.5555/synthetic.admin.{n}\nER  -\n"
        for n in range(start, start + count)
    )


def upload(client, name, content, **data):
    content = content.encode() if isinstance(content, str) else content
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), **data})


# A new record of the synthetic samples: none says its design and population, so each is told
# that findings on it will not count until it is classified.
NEW = f"New ({UNCLASSIFIED_NOTE})"
CREATED = f"Created ({UNCLASSIFIED_NOTE})"


def rows(response):
    """(number, outcome text) of each row of the preview or result table."""
    body = response.content.decode()
    table = body[body.index('id="import-records"') :]
    found = []
    for row in re.findall(r'<tr class="import-[\w-]+">(.*?)</tr>', table, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", "", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        found.append((int(cells[0]), cells[3]))
    return found


def stored_import(by, records=1, *, status=None, content=None, **fields):
    """A StudyImport of `records` synthetic RIS records uploaded by `by`: as the upload left it,
    or, given a status, as confirming it (queued, its records counted) or the worker left it."""
    from evidence.models import StudyImport

    if status is not None:
        fields = {"status": status, "records_total": records, **fields}
    return StudyImport.objects.create(
        file_name="synthetic.ris",
        format="ris",
        content=ris(records) if content is None else content,
        uploaded_by=by,
        **fields,
    )


def as_shown(response, **changes):
    """The POST data of the preview's form as a browser posts the page as rendered (boxes
    ticked, options selected), with changes ({"include_2": False, "design_1": "cohort"}:
    False unticks); {} when the page has no such form."""
    if response.status_code != 200 or b'id="import-confirm"' not in response.content:
        return {}
    form = lxml.html.fromstring(response.content.decode()).get_element_by_id("import-confirm")
    data = dict(form.form_values())
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data
