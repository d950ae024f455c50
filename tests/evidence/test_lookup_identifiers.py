"""Reading DOIs, PMIDs and PMCIDs out of what a person pastes (evidence.identifiers.
find_identifiers). Every identifier here is synthetic (DOIs under 10.5555/, PMIDs 999993xx)."""

from evidence.identifiers import find_identifiers

REFERENCES = """\
1. Lookupauthor A, Testauthor B. Synthetic study looked up by its DOI. J Synth Lookup Data.
   2024;4(1):1-9. doi:10.5555/synthetic.lookup.1. PMID: 99999301; PMCID: PMC9999301.
2. Retractauthor C. Synthetic study (a cohort). J Synth Lookup Data 2023;3(2):40-48
   (https://doi.org/10.5555/Synthetic.Lookup.(2)b).
3. https://pubmed.ncbi.nlm.nih.gov/99999302/
"""


def test_a_reference_list_gives_each_identifier_once_in_the_order_it_appears():
    assert find_identifiers(REFERENCES) == [
        ("doi", "10.5555/synthetic.lookup.1", "10.5555/synthetic.lookup.1"),
        ("pmid", "99999301", "PMID: 99999301"),
        ("pmcid", "PMC9999301", "PMC9999301"),
        ("doi", "10.5555/synthetic.lookup.(2)b", "10.5555/Synthetic.Lookup.(2)b"),
        ("pmid", "99999302", "pubmed.ncbi.nlm.nih.gov/99999302"),
    ]


def test_one_identifier_a_line_is_read_and_a_repeated_one_counts_once():
    pasted = "99999301\n10.5555/SYNTHETIC.lookup.crossref\npmc9999301\n99999301\n\n"
    assert [(kind, value) for kind, value, _ in find_identifiers(pasted)] == [
        ("pmid", "99999301"),
        ("doi", "10.5555/synthetic.lookup.crossref"),
        ("pmcid", "PMC9999301"),
    ]


def test_numbers_in_running_text_and_inside_a_doi_are_no_pmids():
    text = "J Synth. 2024;12(3):45-67.\n10.5555/1234567"
    assert find_identifiers(text) == [("doi", "10.5555/1234567", "10.5555/1234567")]


def test_digits_alone_on_their_line_are_taken_for_a_pmid():
    assert find_identifiers("  99999302.\n") == [("pmid", "99999302", "99999302")]


def test_nothing_recognisable_gives_nothing():
    assert find_identifiers("a synthetic title without any identifier") == []
