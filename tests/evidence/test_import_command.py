"""manage.py import_studies: summaries, malformed files, encodings, errors, --dry-run."""

import io

import pytest
from django.core.management import call_command

from evidence.models import PossibleDuplicate, Study
from tests.evidence.importing import assert_imported, run_import, write
from tests.factories import StudyFactory

RIS_RECORD = """TY  - JOUR
TI  - {title}
AU  - {author}
PY  - 2020
DO  - {doi}
ER  -
"""


def ris(*records):
    return "\n".join(RIS_RECORD.format(**record) for record in records)


def synthetic(n, **extra):
    return {
        "title": f"Synthetic record {n} of a made-up study",
        "author": f"Testauthor{n}, A.",
        "doi": f"10.5555/synthetic.cmd.{n}",
        **extra,
    }


MALFORMED = {
    "missing_er.ris": (
        ris(synthetic(1)) + "\nTY  - JOUR\nTI  - Synthetic record without its end\nPY  - 2020\n",
        "record 2, line 8: the record does not end with “ER  -”",
    ),
    "two_starts.ris": (
        ris(synthetic(1)) + "\nTY  - JOUR\nTI  - Synthetic unfinished\nTY  - JOUR\nER  - \n",
        "record 2, line 10: a new record starts (TY) before this one ends",
    ),
    "broken.nbib": (
        "PMID- 990000101\nTI  - Synthetic fine record\n\nPMID- 990000102\n"
        "TI  - Synthetic record\nthis line has no tag\n",
        "record 2, line 6: expected a tag such as “TI  - ”",
    ),
    "broken.bib": (
        "@article{fine, title = {Synthetic fine record}, year = 2020}\n\n"
        "@article{broken,\n  title = {Synthetic unclosed,\n  year = 2020\n",
        "record 2, line 3: this entry cannot be read",
    ),
    "broken_pubmed.xml": (
        "<?xml version='1.0'?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation>"
        "<PMID>990000103</PMID><Article><ArticleTitle>Synthetic fine</ArticleTitle></Article>"
        "</MedlineCitation></PubmedArticle>\n<PubmedArticle><MedlineCitation>\n"
        "<PMID>990000104</PMID>\n</PubmedArticle>\n</PubmedArticleSet>\n",
        "record 2, line 6: the XML is not well-formed (mismatched tag)",
    ),
    "broken_endnote.xml": (
        "<?xml version='1.0'?>\n<xml><records>\n<record><titles><title>Synthetic fine</title>"
        "</titles></record>\n<record><titles><title>Synthetic broken</titles></record>\n"
        "</records></xml>\n",
        "record 2, line 4: the XML is not well-formed (mismatched tag)",
    ),
    "unclosed_quote.csv": (
        'Title,Authors,Year\nSynthetic fine record,Testauthor A,2020\n"Synthetic unclosed,B,2021\n',
        "record 2, line 3: the CSV cannot be read",
    ),
    "extra_cells.csv": (
        "Title,Authors,Year\nSynthetic fine record,Testauthor A,2020\n"
        "Synthetic record, with a comma,Testauthor B,2021\n",
        "record 2, line 3: 4 cells where the header has 3",
    ),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_writes_nothing_exits_non_zero_and_names_file_record_and_line(
    db, tmp_path, name
):
    StudyFactory(title="Synthetic study stored before")
    content, message = MALFORMED[name]
    path = write(tmp_path, name, content)
    status, out, err = run_import(path)
    assert status == 1
    assert f"{path}: cannot be read, nothing imported: {message}" in err
    assert "Traceback" not in err
    assert out == ""
    assert list(Study.objects.values_list("title", flat=True)) == ["Synthetic study stored before"]


@pytest.mark.parametrize(
    "name, content, where",
    [
        (
            "nul.ris",
            RIS_RECORD.format(title="Synthetic one", author="Testauthor, A.", doi="")
            + RIS_RECORD.format(title="Synthetic\x00two", author="Testauthor, B.", doi=""),
            "record 2, line 8",
        ),
        (
            "nul.csv",
            "Title,Authors\nSynthetic one,Testauthor A\nSynthetic\x00two,X\n",
            "record 2, line 3",
        ),
        (
            "nul.xml",
            "<PubmedArticleSet><PubmedArticle>\x00</PubmedArticle></PubmedArticleSet>",
            "line 1",
        ),
    ],
)
def test_a_nul_character_in_a_file_is_refused_with_its_record_and_line_even_on_a_dry_run(
    db, tmp_path, name, content, where
):
    path = write(tmp_path, name, content)
    for args in ([path, "--dry-run"], [path]):
        status, out, err = run_import(*args)
        assert status == 1
        assert f"{path}: cannot be read, nothing imported: {where}: a NUL character" in err
        assert "created" not in out
    assert not Study.objects.exists()


@pytest.mark.parametrize(
    "name, content, where, named",
    [
        (
            "control.ris",
            RIS_RECORD.format(title="Synthetic one", author="Testauthor, A.", doi="")
            + RIS_RECORD.format(title="Synthetic\x01two", author="Testauthor, B.", doi=""),
            "record 2, line 8",
            "U+0001",
        ),
        (
            "control.csv",
            "Title,Volume\nSynthetic one,1\nSynthetic two,\x0b12\n",
            "record 2, line 3",
            "U+000B",
        ),
        (
            "control.bib",
            "@article{one,\n  title = {Synthetic\x1b[31m one},\n}\n",
            "record 1, line 2",
            "U+001B",
        ),
        (
            "control.xml",
            "<PubmedArticleSet><PubmedArticle>\x7f</PubmedArticle></PubmedArticleSet>",
            "line 1",
            "U+007F",
        ),
        (
            "control.nbib",
            "PMID- 990000001\nTI  - Synthetic \u0085title\n",
            "record 1, line 2",
            "U+0085",
        ),
    ],
)
def test_another_control_character_in_a_file_is_refused_with_its_record_and_line(
    db, tmp_path, name, content, where, named
):
    path = write(tmp_path, name, content)
    for args in ([path, "--dry-run"], [path]):
        status, out, err = run_import(*args)
        assert status == 1
        assert (
            f"{path}: cannot be read, nothing imported: {where}: the control character {named}, "
            "which is not text (of the control characters only tabs and line breaks are): "
            "remove it and try again." in err
        )
    assert not Study.objects.exists()


def test_tabs_and_line_breaks_of_any_kind_are_text(db, tmp_path):
    content = RIS_RECORD.format(title="Synthetic\ttabbed title", author="Testauthor, A.", doi="")
    assert_imported(write(tmp_path, "tabs.ris", content.replace("\n", "\r\n")))
    assert Study.objects.get().title == "Synthetic tabbed title"



def test_a_csv_file_without_a_title_column_is_refused_naming_its_columns(db, tmp_path):
    path = write(tmp_path, "names.csv", "Name,Year\nSynthetic,2020\n")
    status, _, err = run_import(path, "--format", "csv")
    assert status == 1
    assert "line 1: no Title column among the headers (Name, Year)" in err
    assert not Study.objects.exists()


def test_the_other_files_are_imported_when_one_cannot_be_read(db, tmp_path):
    good = write(tmp_path, "good.ris", ris(synthetic(1)))
    bad = write(tmp_path, "bad.ris", ris(synthetic(2)) + "TY  - JOUR\n")
    status, out, err = run_import(bad, good)
    assert status == 1
    assert out == f"{good}: 1 created, 0 duplicates, 0 possible duplicates, 0 errors\n"
    assert f"{bad}: cannot be read" in err
    assert Study.objects.get().doi == "10.5555/synthetic.cmd.1"


@pytest.mark.parametrize(
    "encoding, prefix, newline",
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\n"),
        ("latin-1", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("latin-1", b"", "\r\n"),
    ],
)
def test_it_reads_utf8_with_or_without_bom_latin1_and_crlf(db, tmp_path, encoding, prefix, newline):
    text = ris(synthetic(1, title="Synthetic Müller café study", author="Müller, Jörg"))
    path = write(tmp_path, "accents.ris", prefix + text.replace("\n", newline).encode(encoding))
    status, out, _ = run_import(path)
    assert status == 0, out
    study = Study.objects.get()
    assert (study.title, study.authors) == ("Synthetic Müller café study", ["Müller J"])


def test_a_record_with_an_error_is_reported_and_the_rest_of_the_file_is_imported(db, tmp_path):
    path = write(
        tmp_path,
        "errors.ris",
        ris(synthetic(1), synthetic(2, title=""), synthetic(3, doi="not-a-doi")),
    )
    status, out, err = run_import(path)
    assert status == 1
    assert out == f"{path}: 1 created, 0 duplicates, 0 possible duplicates, 2 errors\n"
    assert f"{path}: record 2 (line 8) not imported: no title" in err
    assert f"{path}: record 3 (line 15) not imported: doi: A DOI starts with 10." in err
    assert list(Study.objects.values_list("doi", flat=True)) == ["10.5555/synthetic.cmd.1"]


def test_a_record_with_a_title_past_the_limit_is_an_error_and_the_rest_is_imported(
    db, tmp_path
):
    path = write(tmp_path, "long.ris", ris(synthetic(1, title="Synthetic " * 90), synthetic(2)))
    status, out, err = run_import(path)
    assert status == 1
    assert out == f"{path}: 1 created, 0 duplicates, 0 possible duplicates, 1 errors\n"
    assert "record 1 (line 1) not imported: title: A title has at most 800 characters" in err
    assert list(Study.objects.values_list("doi", flat=True)) == ["10.5555/synthetic.cmd.2"]


def test_an_exact_doi_match_is_a_duplicate_and_updates_nothing(db, tmp_path):
    stored = StudyFactory(doi="10.5555/synthetic.cmd.1", title="Synthetic title as stored")
    path = write(
        tmp_path, "a.ris", ris(synthetic(1, doi="https://doi.org/10.5555/SYNTHETIC.CMD.1"))
    )
    status, out, _ = run_import(path)
    assert (status, out) == (
        0,
        f"{path}: 0 created, 1 duplicates, 0 possible duplicates, 0 errors\n",
    )
    stored.refresh_from_db()
    assert stored.title == "Synthetic title as stored"
    assert Study.objects.count() == 1


def test_dry_run_reports_the_same_summary_and_writes_nothing(db, tmp_path):
    StudyFactory(doi="10.5555/synthetic.cmd.1")
    StudyFactory(title="Synthetic record 3 of a made-up study", year=2020, doi="10.5555/other")
    path = write(
        tmp_path, "a.ris", ris(synthetic(1), synthetic(2), synthetic(3), synthetic(4, title=""))
    )
    status, out, _ = run_import(path, "--dry-run")
    assert status == 1
    assert out == (
        f"{path}: 1 created, 1 duplicates, 1 possible duplicates, 1 errors\n"
        "Dry run: nothing was written.\n"
    )
    assert Study.objects.count() == 2
    assert not PossibleDuplicate.objects.exists()
    _, real, _ = run_import(path)
    assert real.splitlines()[0] == out.splitlines()[0]
    assert Study.objects.count() == 4


def test_it_shows_no_progress_bar_when_the_output_is_not_a_terminal(db, tmp_path):
    path = write(tmp_path, "a.ris", ris(synthetic(1)))
    _, _, err = run_import(path)
    assert err == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_it_shows_a_progress_bar_on_a_terminal(db, tmp_path):
    path = write(tmp_path, "a.ris", ris(synthetic(1), synthetic(2)))
    terminal = Terminal()
    call_command("import_studies", str(path), stdout=io.StringIO(), stderr=terminal)
    assert f"{path}:   0%|" in terminal.getvalue()
    assert "0/2 [" in terminal.getvalue()


def test_it_says_in_one_line_that_the_database_is_unreachable_and_nothing_was_imported(
    tmp_path, cut_database
):
    path = write(tmp_path, "studies.ris", ris(synthetic(1), synthetic(2)))
    cut_database()
    status, out, err = run_import(path)
    assert status == 1
    assert out == ""
    assert err == (
        f"CommandError: {path}: the database is unreachable (connection to server at "
        '"127.0.0.1", port 5432 failed: refused); nothing of this file was imported. Try '
        "again once it is back.\n"
    )


def test_a_file_that_breaks_after_its_first_batches_writes_none_of_them(db, tmp_path):
    # The file is read as the import goes: the break comes after 600 records were written
    # (batches of 500), and rolls them back with the rest.
    records = [synthetic(n) for n in range(1, 601)]
    path = write(tmp_path, "long.ris", ris(*records) + "\nTY  - JOUR\nTI  - Synthetic end\n")
    status, out, err = run_import(path)
    assert status == 1
    assert out == ""
    assert (
        f"{path}: cannot be read, nothing imported: record 601, line 4201: the record does not "
        "end with “ER  -”" in err
    )
    assert not Study.objects.exists()


def test_records_with_errors_are_listed_from_every_batch_and_counted_with_the_rest(db, tmp_path):
    records = [synthetic(n, **({"title": ""} if n in (2, 700) else {})) for n in range(1, 801)]
    path = write(tmp_path, "errors.ris", ris(*records))
    status, out, err = run_import(path)
    assert status == 1
    assert out == f"{path}: 798 created, 0 duplicates, 0 possible duplicates, 2 errors\n"
    assert err.splitlines()[:2] == [
        f"{path}: record 2 (line 8) not imported: no title",
        f"{path}: record 700 (line 4894) not imported: no title",
    ]
