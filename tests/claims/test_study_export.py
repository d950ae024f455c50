"""Export of the filtered study list as RIS, BibTeX and CSV, and its round trip: importing an
export creates nothing and reports every record as a duplicate."""

import csv
import io

import pytest
from django.urls import reverse

from evidence import importers
from evidence.importers.records import clean
from evidence.models import Study
from tests.evidence.importing import run_import
from tests.factories import StudyFactory

FORMATS = ["ris", "bib", "csv"]
# Every field each format carries back; CSV, our own columns, carries the classification too.
CITATION = [
    "title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "pmcid",
    "abstract", "keywords", "language", "url", "publication_types",
]  # fmt: skip
CARRIED = {
    "ris": CITATION,
    "bib": CITATION,
    "csv": [*CITATION, "design", "design_guessed", "population", "population_guessed"],
}


def synthetic_studies():
    return [
        StudyFactory(
            title="Synthetic trial: 5% of a made-up {compound} & more_x in Zürich",
            authors=["de Vries F", "Müller JP", "Synthetic Study Group"],
            journal="Journal of Synthetic Test Data & Methods",
            year=2021,
            volume="12",
            issue="3",
            pages="45-67",
            doi="10.5555/synthetic.export.1",
            pmid="990000301",
            pmcid="PMC990000301",
            abstract="A synthetic abstract; it has a comma, and “quotes”.",
            keywords=["Carcinoma, Synthetic", "Humans"],
            language="eng",
            url="https://example.org/synthetic/export-1",
            publication_types=["Journal Article", "Randomized Controlled Trial"],
            design="rct",
            design_guessed=True,
            population="human",
            population_guessed=False,
        ),
        StudyFactory(
            title="Synthetic cohort with only a PMID", doi="", pmid="990000302", design="cohort"
        ),
        StudyFactory(
            title="Synthetic record without any identifier",
            authors=["Testauthor Z"],
            doi="",
            pmid="",
            year=2018,
            design="animal",
            population="animal",
        ),
    ]


def export(client, fmt, **filters):
    response = client.get(reverse("claims:studies_export", args=[fmt]), filters)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def fields(study, names):
    return {name: getattr(study, name) for name in names}


@pytest.mark.parametrize("fmt", FORMATS)
def test_reimporting_an_export_creates_nothing_and_reports_every_record_a_duplicate(
    client, db, tmp_path, fmt
):
    synthetic_studies()
    path = tmp_path / f"studies.{fmt}"
    path.write_bytes(export(client, fmt))
    status, out, _ = run_import(path)
    assert (status, out) == (
        0,
        f"{path}: 0 created, 3 duplicates, 0 possible duplicates, 0 errors\n",
    )
    assert Study.objects.count() == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_imported_into_an_empty_database_gives_back_every_field(
    client, db, tmp_path, fmt
):
    before = {study.title: fields(study, CARRIED[fmt]) for study in synthetic_studies()}
    path = tmp_path / f"studies.{fmt}"
    path.write_bytes(export(client, fmt))
    Study.objects.all().delete()
    status, out, _ = run_import(path)
    assert status == 0, out
    after = {study.title: fields(study, CARRIED[fmt]) for study in Study.objects.all()}
    assert after == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_export_has_the_list_filters(client, db, fmt):
    synthetic_studies()
    content = export(client, fmt, design="cohort").decode()
    assert "Synthetic cohort with only a PMID" in content
    assert "Synthetic record without any identifier" not in content
    assert "Synthetic trial" not in content


def test_the_export_is_a_download_named_for_its_format(client, db):
    response = client.get(reverse("claims:studies_export", args=["bib"]))
    assert response["Content-Disposition"] == 'attachment; filename="studies.bib"'
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"


def test_an_unknown_export_format_is_not_found(client, db):
    assert client.get("/studies/export.docx").status_code == 404


def test_the_study_list_links_to_the_export_with_its_filters(client, db):
    StudyFactory(design="rct")
    response = client.get("/studies/?design=rct")
    for fmt in FORMATS:
        assert f'href="/studies/export.{fmt}?design=rct"' in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rows", [3, 30])
def test_the_export_runs_one_query_however_many_studies(
    client, db, django_assert_num_queries, fmt, rows
):
    StudyFactory.create_batch(rows)
    with django_assert_num_queries(1):
        content = export(client, fmt).decode()
    assert content.count("Synthetic study") == rows


# OWASP's examples of cells a spreadsheet runs, and values that already start with a quote.
FORMULA_TITLES = [
    "=1+2",
    '=HYPERLINK("https://example.org/synthetic","Synthetic link")',
    "@SUM(1+2)",
    "+cmd synthetic",
    "-2 synthetic",
    "\tSynthetic tab first",
    "'=Synthetic already quoted",
    "'Synthetic quoted, not a formula",
]


@pytest.mark.parametrize("path", ["/studies/export.csv", "/api/studies/export.csv"])
def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_goes_out_behind_a_quote(client, db, path):
    for n, title in enumerate(FORMULA_TITLES):
        StudyFactory(title=title, doi=f"10.5555/synthetic.formula.{n}", pages="-")
    response = client.get(path)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["Title"] for row in rows) == sorted(
        [
            "'=1+2",
            '\'=HYPERLINK("https://example.org/synthetic","Synthetic link")',
            "'@SUM(1+2)",
            "'+cmd synthetic",
            "'-2 synthetic",
            "'\tSynthetic tab first",
            "''=Synthetic already quoted",
            "'Synthetic quoted, not a formula",
        ]
    )
    assert {row["Pages"] for row in rows} == {"'-"}


def test_our_csv_export_with_formula_quotes_imports_back_to_the_same_values(client, db, tmp_path):
    for n, title in enumerate(FORMULA_TITLES):
        StudyFactory(title=title, doi=f"10.5555/synthetic.formula.{n}", keywords=["-omics"])
    path = tmp_path / "studies.csv"
    path.write_bytes(export(client, "csv"))
    Study.objects.all().delete()
    status, out, _ = run_import(path)
    assert status == 0, out
    imported = {(study.title, tuple(study.keywords)) for study in Study.objects.all()}
    # The import folds whitespace (records.clean): the tab that began a title is not kept.
    assert imported == {(title.strip(), ("-omics",)) for title in FORMULA_TITLES}


def test_a_quote_in_another_tools_csv_is_the_value_and_stays(db, tmp_path):
    path = tmp_path / "scopus.csv"
    path.write_text("Title,Authors\n'=Synthetic title from another tool,Testauthor Z\n")
    status, out, _ = run_import(path)
    assert status == 0, out
    assert Study.objects.get().title == "'=Synthetic title from another tool"


INJECTING = (
    "Synthetic start\nER  - \r\nTY  - JOUR\rTI  - Injected record\u2028"
    "@article{injected,\u2029Injected end"
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_line_breaks_in_a_field_cannot_make_another_record_in_any_export(client, db, tmp_path, fmt):
    StudyFactory(
        title=INJECTING, abstract=INJECTING, keywords=[INJECTING], authors=["Testauthor Z"]
    )
    text = export(client, fmt).decode()
    lines = text.splitlines()
    # Title, abstract and keyword, each whole on one line of the file.
    assert text.count("Injected end") == 3
    assert [line.count("Synthetic start") for line in lines] == [
        line.count("Injected end") for line in lines
    ]
    assert not any(line.startswith(("TY  -", "@article{injected")) for line in lines[1:])
    records = importers.read(text.encode(), format={"bib": "bibtex"}.get(fmt, fmt))
    assert len(records) == 1
    assert records[0].title == clean(INJECTING)


@pytest.mark.parametrize("path", ["/studies/export.csv", "/api/studies/export.csv"])
def test_a_csv_export_with_cells_over_the_csv_modules_default_limit_imports_back_whole(
    client, db, tmp_path, path
):
    # The csv module refuses a cell over 131,072 characters unless told otherwise; RIS, the
    # other importers and the API store any length, so the CSV export must read back too.
    long_abstract = " ".join(f"synthetic{n}" for n in range(20_000))  # about 230,000 characters
    many_authors = [f"Testauthor{n} A" for n in range(12_000)]  # a cell of about 200,000
    StudyFactory(
        title="Synthetic study with a long abstract",
        abstract=long_abstract,
        authors=many_authors,
        doi="10.5555/synthetic.long.1",
    )
    assert len(long_abstract) > 131_072 and len("; ".join(many_authors)) > 131_072
    file = tmp_path / "studies.csv"
    file.write_bytes(b"".join(client.get(path).streaming_content))
    Study.objects.all().delete()
    status, out, err = run_import(file)
    assert (status, err) == (0, ""), out
    study = Study.objects.get()
    assert (study.abstract, study.authors) == (long_abstract, many_authors)
