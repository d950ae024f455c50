"""Helpers for the import tests: the sample files and running the command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
