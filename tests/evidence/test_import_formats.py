"""Every format's sample file imports with every mapped field; the format is told from the
content. The samples in samples/ are plainly synthetic records in each format's shape."""

import pytest

from evidence.models import Study
from tests.evidence.importing import SAMPLES, assert_imported, run_import

FIRST = {
    "synthetic.ris": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F", "Synthetic Study Group"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.ris.1",
        "pmid": "990000001",
        "pmcid": "PMC990000101",
        "abstract": "BACKGROUND: A synthetic abstract written for a test. It runs over two lines.",
        "keywords": ["Synthetic compounds", "Humans"],
        "language": "English",
        "url": "https://example.org/synthetic/ris-1",
        "publication_types": ["Randomized Controlled Trial"],
        "design": "rct",
        "design_guessed": True,
        "population": "human",
        "population_guessed": True,
    },
    "synthetic.nbib": {
        "title": "Synthetic randomised trial of a made-up compound in adults: a test record.",
        "authors": ["Testauthor AB", "de Vries F", "Synthetic Study Group"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.nbib.1",
        "pmid": "990000002",
        "pmcid": "PMC990000102",
        "abstract": "BACKGROUND: A synthetic abstract written for a test. RESULTS: None, it is "
        "synthetic.",
        "keywords": [
            "made-up compound",
            "synthetic trial",
            "Adult",
            "Humans",
            "Synthetic Compounds",
        ],
        "language": "eng",
        "url": "",
        "publication_types": [
            "Journal Article",
            "Randomized Controlled Trial",
            "Research Support, Non-U.S. Gov't",
        ],
        "design": "rct",
        "design_guessed": True,
        "population": "human",
        "population_guessed": True,
    },
    "synthetic.bib": {
        "title": "Synthetic randomised trial of a made-up compound in Adults with ö",
        "authors": ["Testauthor AB", "de Vries F", "Müller JP", "Synthetic Study Group"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.bib.1",
        "pmid": "990000004",
        "pmcid": "PMC990000104",
        "abstract": "A synthetic abstract written for a test, with 5% of nothing.",
        "keywords": ["synthetic compounds", "Humans"],
        "language": "english",
        "url": "https://example.org/synthetic/bib-1",
        "publication_types": [],
        "design": "",
        "design_guessed": False,
        "population": "human",
        "population_guessed": True,
    },
    "synthetic_pubmed.xml": {
        "title": "Synthetic randomised trial of a made-up compound in adults.",
        "authors": ["Testauthor AB", "de Vries F", "Synthetic Study Group"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.xml.1",
        "pmid": "990000005",
        "pmcid": "PMC990000105",
        "abstract": "BACKGROUND: A synthetic abstract written for a test. RESULTS: None, it is "
        "synthetic.",
        "keywords": ["made-up compound", "Adult", "Humans"],
        "language": "eng",
        "url": "",
        "publication_types": ["Journal Article", "Randomized Controlled Trial"],
        "design": "rct",
        "design_guessed": True,
        "population": "human",
        "population_guessed": True,
    },
    "synthetic_endnote.xml": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.endnote.1",
        "pmid": "990000007",
        "pmcid": "PMC990000107",
        "abstract": "A synthetic abstract written for a test.",
        "keywords": ["Humans", "Synthetic compounds"],
        "language": "eng",
        "url": "https://example.org/synthetic/endnote-1",
        "publication_types": ["Randomized Controlled Trial"],
        "design": "rct",
        "design_guessed": True,
        "population": "human",
        "population_guessed": True,
    },
    "pubmed.csv": {
        "title": "Synthetic randomised trial of a made-up compound in adults.",
        "authors": ["Testauthor AB", "de Vries F", "Synthetic Study Group"],
        "journal": "J Synth Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.csv.1",
        "pmid": "990000008",
        "pmcid": "PMC990000108",
        "abstract": "",
        "keywords": [],
        "language": "",
        "url": "",
        "publication_types": [],
        "design": "",
        "design_guessed": False,
        "population": "",
        "population_guessed": False,
    },
    "scopus.csv": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.scopus.1",
        "pmid": "",
        "pmcid": "",
        "abstract": "A synthetic abstract written for a test, with a comma.",
        "keywords": ["made-up compound", "synthetic trial", "Humans", "Synthetic Compounds"],
        "language": "English",
        "url": "https://example.org/synthetic/scopus-1",
        "publication_types": ["Article"],
        "design": "",
        "design_guessed": False,
        "population": "human",
        "population_guessed": True,
    },
}

SECOND = {
    "synthetic.ris": {
        "title": "Synthetic study of a made-up compound in mice",
        "authors": ["Secondauthor C"],
        "year": 2019,
        "journal": "",
        "design": "animal",
        "population": "animal",
    },
    "synthetic.nbib": {
        "title": "Synthetic meta-analysis of made-up compounds in rats.",
        "pmid": "990000003",
        "design": "meta_analysis",
        "population": "animal",
    },
    "synthetic.bib": {
        "title": "Synthetic note without a journal",
        "authors": ["Secondauthor C"],
        "design": "",
        "population": "",
    },
    "synthetic_pubmed.xml": {
        "title": "Synthetic case report of a made-up reaction.",
        "journal": "J Synth Test Data",
        "year": 2019,
        "pmid": "990000006",
        "design": "case_report",
        "population": "",
    },
    "synthetic_endnote.xml": {
        "title": "Synthetic review of made-up compounds",
        "authors": ["Secondauthor C"],
        "pmid": "",
        "design": "narrative_review",
        "design_guessed": True,
    },
    "pubmed.csv": {
        "title": "Synthetic cohort of made-up people.",
        "volume": "7",
        "pages": "e101",
        "pmid": "990000009",
        "design": "",
    },
    "scopus.csv": {
        "title": "Synthetic review of made-up compounds",
        "authors": ["Secondauthor C"],
        "abstract": "",
        "design": "narrative_review",
        "design_guessed": True,
    },
}


def fields_of(study, names):
    return {name: getattr(study, name) for name in names}


@pytest.mark.parametrize("name", sorted(FIRST))
def test_it_maps_every_field_of_each_format_and_tells_the_format_from_the_content(db, name):
    out = assert_imported(SAMPLES / name)
    assert (
        out.strip() == f"{SAMPLES / name}: 2 created, 0 duplicates, 0 possible duplicates, 0 errors"
    )
    first, second = Study.objects.order_by("id")
    assert fields_of(first, FIRST[name]) == FIRST[name]
    assert fields_of(second, SECOND[name]) == SECOND[name]


@pytest.mark.parametrize("name", sorted(FIRST))
def test_a_second_import_of_the_same_file_reports_every_record_as_a_duplicate(db, name):
    assert_imported(SAMPLES / name)
    status, out, _ = run_import(SAMPLES / name)
    assert status == 0
    assert out.strip().endswith("0 created, 2 duplicates, 0 possible duplicates, 0 errors")
    assert Study.objects.count() == 2


def test_the_format_can_be_named_when_the_file_name_says_nothing(db, tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes((SAMPLES / "synthetic.nbib").read_bytes())
    status, out, _ = run_import(path, "--format", "medline")
    assert status == 0
    assert "2 created" in out


def test_a_named_format_that_does_not_fit_the_file_is_refused_and_nothing_is_written(db):
    status, _, err = run_import(SAMPLES / "synthetic.ris", "--format", "medline")
    assert status == 1
    assert "synthetic.ris: cannot be read, nothing imported: record 1, line 1" in err
    assert not Study.objects.exists()


def test_a_file_whose_format_cannot_be_told_is_refused_with_a_message(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Some notes about synthetic studies.\nNothing bibliographic.\n")
    status, _, err = run_import(path)
    assert status == 1
    assert "the format cannot be told from the content" in err
    assert "Traceback" not in err
