"""Every format's sample file imports with every mapped field; the format is told from the
content. The samples in samples/ are plainly synthetic records in each format's shape: the
formats' own, and the exports of the tools researchers use (Ovid, Scopus, Springer Link, Web of
Science, Embase, the Cochrane Library, Zotero), each with its quirks."""

import pytest

from evidence.importers import FORMAT_CHOICES, PARSERS, ParseError, detect, parse
from evidence.importers.csvfile import split_run_together
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

# The exports of the tools researchers use, each with what sets it apart from the format's
# plainest shape (said beside it). Only the fields each file carries.
FIRST_OF_EXPORTS = {
    # Ovid (PsycINFO) RIS: a record number line above each record, DO given twice, first with
    # a http://dx.doi.org/ prefix; T1, A1, Y1, N2, JF.
    "ovid_psycinfo.ris": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.ovid-ris.1",
        "abstract": "A synthetic abstract written for a test. It says nothing about anything real.",
        "keywords": ["made-up compound", "synthetic trial"],
        "language": "English",
        "url": "https://example.org/synthetic/ovid-ris-1",
        "publication_types": ["Randomized Controlled Trial"],
        "design": "rct",
    },
    # Scopus BibTeX: header lines before the first entry, a references field of ~27,000
    # characters, accented and Cyrillic text, an en dash in the pages.
    "scopus.bib": {
        "title": "Synthetic randomised trial of a made-up compound in adults; "
        "[Синтетическое испытание выдуманного соединения]",
        "authors": ["Testauthor AB", "de Vries F", "Иванов ИИ"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.scopus-bib.1",
        "pmid": "990000021",
        "abstract": "A synthetic abstract written for a test, with accents: café, naïve, Müller, "
        "São Tomé. © 2021 Synthetic Publisher",
        "keywords": ["Humans", "Synthetic Compounds", "made-up compound", "synthetic trial"],
        "language": "English",
        "publication_types": ["Article"],
        "population": "human",
    },
    # Springer Link CSV: its own columns, the authors' names run together.
    "springer.csv": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor A", "de Vries F", "McDonald C"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "doi": "10.5555/synthetic.springer.1",
        "url": "http://example.org/synthetic/springer/article/1",
        "publication_types": ["Article"],
    },
    # RIS with a byte order mark, TY "Journal Article", the title only in ST and an abstract
    # on lines without a tag.
    "short_title.ris": {
        "title": "Synthetische Studie einer erfundenen Verbindung bei Erwachsenen",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.st.1",
        "abstract": "Synthetic study of a made-up compound in adults Eine synthetische "
        "Zusammenfassung, für einen Test geschrieben. Sie steht auf mehreren Zeilen.",
        "language": "German",
    },
    # Web of Science tab-delimited (savedrecs.txt): a byte order mark, a tab ending each row,
    # a quote in a title (no CSV quoting there).
    "savedrecs.txt": {
        "title": 'Synthetic "made-up" compound trial in adults',
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "JOURNAL OF SYNTHETIC TEST DATA",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.wos.1",
        "pmid": "990000071",
        "abstract": "A synthetic abstract written for a test.",
        "keywords": ["made-up compound", "synthetic trial", "HUMANS", "SYNTHETIC COMPOUNDS"],
        "language": "English",
        "publication_types": ["Article"],
    },
    # Ovid tagged (MEDLINE): the search history first, "<1. >" above each record, the journal
    # only in SO, the DOI as an address, MeSH with subheadings.
    "ovid_medline.txt": {
        "title": "Synthetic randomised trial of a made-up compound in adults.",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.ovid.1",
        "pmid": "990000041",
        "abstract": "BACKGROUND: A synthetic abstract written for a test. It runs over two lines.",
        "keywords": ["made-up compound", "Adult", "Humans", "Synthetic Compounds"],
        "language": "English",
        "publication_types": ["Journal Article", "Randomized Controlled Trial"],
        "design": "rct",
        "population": "human",
    },
    # Cochrane CENTRAL RIS: a blank line first, ID CN-…, JO, the page range in SP, MeSH in KW.
    "cochrane_central.ris": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.central.1",
        "abstract": "BACKGROUND: A synthetic abstract written for a test. RESULTS: None, it is "
        "synthetic.",
        "keywords": ["*Synthetic Compounds [therapeutic use]", "Adult", "Humans"],
        "url": "https://example.org/synthetic/central/CN-99000051",
        "population": "human",
    },
    # Zotero CSL JSON: names in parts (a particle, a group), the year in date-parts.
    "zotero.json": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F", "Synthetic Study Group"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.csl.1",
        "pmid": "990000061",
        "pmcid": "PMC990000161",
        "abstract": "A synthetic abstract written for a test.",
        "keywords": ["made-up compound", "synthetic trial"],
        "language": "en",
        "url": "https://example.org/synthetic/csl-1",
    },
    # Embase "CSV - Fields by Column": its own columns, Emtree terms with the author keywords.
    "embase.csv": {
        "title": "Synthetic randomised trial of a made-up compound in adults",
        "authors": ["Testauthor AB", "de Vries F"],
        "journal": "Journal of Synthetic Test Data",
        "year": 2021,
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
        "doi": "10.5555/synthetic.embase.1",
        "pmid": "990000081",
        "abstract": "A synthetic abstract written for a test.",
        "keywords": [
            "made-up compound", "synthetic trial", "synthetic compound", "adult",
            "controlled study", "human", "randomized controlled trial",
        ],
        "language": "English",
        "url": "https://example.org/synthetic/embase-1",
        "publication_types": ["Article"],
    },
}  # fmt: skip
FIRST.update(FIRST_OF_EXPORTS)
SECOND.update(
    {
        "ovid_psycinfo.ris": {
            "title": "Synthetic review of made-up compounds",
            "doi": "10.5555/synthetic.ovid-ris.2",
            "pages": "e101",
            "design": "narrative_review",
        },
        "scopus.bib": {
            "title": "Синтетический обзор выдуманных соединений",
            "authors": ["Müller JP", "Петрова А"],
            "journal": "Синтетический журнал",
            "abstract": "Синтетическая аннотация, написанная для теста.",
            "language": "Russian",
        },
        "springer.csv": {
            "title": "Synthetic chapter on made-up compounds, a review",
            "authors": ["Secondauthor C"],
            "journal": "Synthetic Handbook of Made-up Compounds",
            "publication_types": ["Chapter"],
        },
        "short_title.ris": {"title": "Synthetic review of made-up compounds", "year": 2019},
        "savedrecs.txt": {
            "authors": ["Secondauthor C", "Synthetic Study Group"],
            "pages": "e101",
            "design": "narrative_review",
        },
        "ovid_medline.txt": {
            "title": "Synthetic case report of a made-up reaction.",
            "authors": ["Secondauthor C", "Thirdauthor DE"],
            "journal": "Synthetic Case Reports",
            "pages": "e101",
            "pmid": "",
            "doi": "10.5555/synthetic.ovid.2",
        },
        "cochrane_central.ris": {"journal": "Synthetic Conference Abstracts", "doi": ""},
        "zotero.json": {
            "journal": "Synthetic Handbook of Made-up Compounds",
            "year": 2019,
            "authors": ["Secondauthor C"],
        },
        "embase.csv": {
            "pages": "e101",
            "url": "https://example.org/synthetic/embase/2099000082",
            "design": "narrative_review",
        },
    }
)


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


@pytest.mark.parametrize(
    "content, format",
    [
        # Ovid's search history above RIS records, each with its number
        (
            "Database: Synthetic Database <1900 to 2026>\nSearch Strategy:\n1  made-up.mp. (1)\n"
            "\n1.\nTY  - JOUR\nTI  - Synthetic record\nER  - \n",
            "ris",
        ),
        # a byte order mark in front of the first record of a file joined from two
        ("\n\ufeff\ufeffTY  - JOUR\nTI  - Synthetic record\nER  - \n", "ris"),
        (
            "Scopus\nEXPORT DATE: 03 December 2026\n\n@ARTICLE{a, title={Synthetic record}}\n",
            "bibtex",
        ),
        ("Header line\n<1. >\nVN  - Ovid Technologies\nTI  - Synthetic record\n", "ovid"),
        ('[{"title": "Synthetic record"}]', "csl-json"),
        ("PT\tAU\tTI\tPY\nJ\tTestauthor, A\tSynthetic record\t2020\n", "csv"),
    ],
)
def test_the_format_is_told_past_header_lines_and_byte_order_marks(content, format):
    assert detect(content) == format
    assert [record.title for record in parse(content)] == ["Synthetic record"]


def test_springer_authors_run_together_are_split_where_a_name_ends_and_kept_where_it_cannot_be():
    assert split_run_together("Anna TestauthorFrank de VriesCarl McDonald") == [
        "Testauthor A",
        "de Vries F",
        "McDonald C",
    ]
    assert split_run_together("Иван ИвановAnna Müller") == ["Иванов И", "Müller A"]
    # a name ending in an initial has no lower-case letter before the next: kept as given
    assert split_run_together("Anna B.Frank de Vries") == ["Anna B.Frank de Vries"]


def test_a_bibtex_entry_with_a_field_twice_is_read_with_its_first_value():
    (record,) = parse(
        "@article{a, author = {Testauthor, A. and de Vries, F.}, title = {Synthetic},\n"
        "  note = {first}, note = {second}, year = 2020}\n"
    )
    assert (record.title, record.authors, record.year) == (
        "Synthetic",
        ["Testauthor A", "de Vries F"],
        2020,
    )


def test_two_bibtex_entries_with_one_key_are_two_records_read_alike():
    first, second = parse(
        "@article{same, author = {Testauthor, A.}, title = {Synthetic one}}\n"
        "@article{same, author = {Secondauthor, C.}, title = {{Synthetic two}}}\n"
    )
    assert (first.authors, second.authors) == (["Testauthor A"], ["Secondauthor C"])
    assert second.title == "Synthetic two"


def test_an_ovid_record_without_its_number_starts_at_its_vn_line():
    first, second = parse(
        "VN  - Ovid Technologies\nDB  - Embase\nTI  - Synthetic one. [Article]\n"
        "VN  - Ovid Technologies\nDB  - Ovid MEDLINE(R)\nUI  - 990000091\nTI  - Synthetic two\n",
        format="ovid",
    )
    assert (first.title, first.pmid, second.title, second.pmid) == (
        "Synthetic one.",
        "",
        "Synthetic two",
        "990000091",
    )


def test_csl_json_that_breaks_is_refused_with_the_item_and_line():
    with pytest.raises(ParseError) as refused:
        parse('[\n  {"title": "Synthetic one"},\n  {"title": "Synthetic two",\n]\n')
    assert str(refused.value).startswith("record 2, line 4: the JSON cannot be read")


def test_every_format_has_a_choice_and_a_reader():
    assert {name for name, _ in FORMAT_CHOICES} == set(PARSERS)
