"""Export of the filtered study list as RIS, BibTeX and CSV, and its round trip: importing an
export creates nothing and reports every record as a duplicate."""

import pytest
from django.urls import reverse

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
