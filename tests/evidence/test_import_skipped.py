"""Entries of a file that are no record (a biblatex @set, a @comment, @preamble or @string, a row
of empty cells) are skipped: counted apart from errors by the command, the admin's pages and
the API (tests/api/test_studies_import_exports.py), and the command exits 0 when nothing but skips happened."""

from django.urls import reverse
from pytest_django.asserts import assertContains

from evidence.models import Study, StudyImport
from tests.evidence.importing import NEW, as_shown, rows, run_import, upload, write

BIBLATEX = r"""@preamble{"\newcommand{\noop}[1]{}"}
@string{jstd = "Journal of Synthetic Test Data"}
@comment{Synthetic records written for a test.}

@set{synthetic-set,
  entryset = {testauthor2021, secondauthor2019}
}

@article{testauthor2021,
  author = {Testauthor, Anna B.},
  title = {Synthetic randomised trial of a made-up compound in adults},
  journaltitle = jstd,
  date = {2021-05-03},
  doi = {10.5555/synthetic.set.1}
}

@article{secondauthor2019,
  author = {Secondauthor, Carla},
  title = {Synthetic review of made-up compounds},
  journaltitle = jstd,
  date = {2019},
  doi = {10.5555/synthetic.set.2}
}
"""
SKIPPED = "2 created, 0 duplicates, 0 possible duplicates, 0 errors, 4 skipped"


def test_a_biblatex_set_and_comments_are_skipped_not_errors_and_the_command_exits_0(db, tmp_path):
    path = write(tmp_path, "library.bib", BIBLATEX)
    status, out, err = run_import(path)
    assert (status, out, err) == (0, f"{path}: {SKIPPED}\n", "")
    first, second = Study.objects.order_by("id")
    assert (first.journal, first.year, second.year) == (
        "Journal of Synthetic Test Data",
        2021,
        2019,
    )


def test_skips_beside_an_error_are_counted_apart_and_the_command_exits_1(db, tmp_path):
    path = write(tmp_path, "library.bib", BIBLATEX + "@article{untitled, year = 2020}\n")
    status, out, err = run_import(path)
    assert status == 1
    assert out == (f"{path}: 2 created, 0 duplicates, 0 possible duplicates, 1 errors, 4 skipped\n")
    assert f"{path}: record 7 (line 24) not imported: no title" in err
    assert "skipped" not in err


def test_a_row_of_empty_cells_is_skipped_and_a_blank_line_is_no_row(db, tmp_path):
    path = write(
        tmp_path,
        "export.csv",
        "Title,Authors,Year\nSynthetic one,Testauthor A,2020\n,,\n\nSynthetic two,Doe J,2021\n",
    )
    status, out, _ = run_import(path)
    assert (status, out) == (
        0,
        f"{path}: 2 created, 0 duplicates, 0 possible duplicates, 0 errors, 1 skipped\n",
    )


def test_a_file_of_nothing_but_skipped_entries_holds_no_record(db, tmp_path):
    path = write(tmp_path, "comments.bib", "@comment{nothing}\n@string{j = {J}}\n")
    status, _, err = run_import(path)
    assert status == 1
    assert "cannot be read, nothing imported: the file holds no record" in err


def test_the_admin_preview_and_result_list_skipped_entries_apart_from_errors(client, researcher):
    client.force_login(researcher)
    upload(client, "library.bib", BIBLATEX)
    study_import = StudyImport.objects.get()
    preview = client.get(reverse("admin:evidence_study_import_preview", args=[study_import.pk]))
    assertContains(preview, f"would give {SKIPPED}.")
    assert rows(preview) == [
        (1, "Skipped: not a record (a @preamble)"),
        (2, "Skipped: not a record (a @string (an abbreviation other entries use))"),
        (3, "Skipped: not a record (a @comment)"),
        (4, "Skipped: not a record (a biblatex @set (it groups other entries))"),
        (5, NEW),
        (6, NEW),
    ]
    client.post(
        reverse("admin:evidence_study_import_preview", args=[study_import.pk]), as_shown(preview)
    )
    result = client.get(reverse("admin:evidence_study_import_result", args=[study_import.pk]))
    assertContains(result, SKIPPED)
    study_import.refresh_from_db()
    assert (study_import.errors, study_import.skipped, study_import.created) == (0, 4, 2)
