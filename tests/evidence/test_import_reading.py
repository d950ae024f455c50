"""Reading a file as the import goes (evidence.importers.records_of, Text): the same records
whatever the size of the chunks it is read in, from disk as from memory, one at a time."""

import codecs

import pytest
from Bio import Medline

from evidence.importers import ParseError, Text, decode, guess, medline, parse, records_of, text
from tests.evidence.importing import SAMPLES

# A MEDLINE file in PubMed's shape: titles, abstracts, MeSH terms and names wrapped onto
# continuation lines, a repeated location identifier, tags we do not read, blank lines of
# spaces between records.
WRAPPED = """PMID- 990000201
OWN - NLM
TI  - Synthetic randomised trial of a made-up compound in adults, with a title
      long enough to wrap onto a second line.
LID - e1234 [pii]
LID - 10.5555/synthetic.wrapped.1 [doi]
AB  - BACKGROUND: A synthetic abstract written for a test.   It wraps
       onto a second line with an extra space, and
      onto a third.
FAU - Testauthor, Anna
      Beatrice
AU  - Testauthor AB
AD  - Synthetic Institute, Made-up Town,
      Nowhere.
MH  - Humans
MH  - *Synthetic Compounds/administration &
      dosage
PT  - Journal Article
PT  - Randomized Controlled Trial
DP  - 2021 May 3
JT  - Journal of Synthetic Test Data
OT  - made-up compound
   \u0020
PMID- 990000202
BTI - Synthetic Handbook of Made-up Compounds
FAU - Secondauthor, Carl
MH  - Animals
PT  - Review

PMID- 990000203
TI  - Synthetic case report.
CN  - Synthetic Study Group
PT  - Case Reports
"""


def as_bio_reads_it(content):
    """The records Bio.Medline reads in each run of lines that are not blank, through the same
    mapping."""
    groups, current = [], []
    for line in content.split("\n"):
        if line.strip():
            current.append(line + "\n")
        elif current:
            groups, current = [*groups, current], []
    groups += [current] if current else []
    entries = [Medline.read(lines) for lines in groups]
    return [
        guess.complete(
            medline.to_record(
                {tag: [value] if isinstance(value, str) else value for tag, value in entry.items()},
                number,
                None,
            )
        )
        for number, entry in enumerate(entries, start=1)
    ]


def without_lines(records):
    for record in records:
        record.line = None
    return records


def test_a_medline_file_in_the_usual_shape_reads_as_bio_medline_reads_it():
    assert without_lines(parse(WRAPPED)) == as_bio_reads_it(WRAPPED)


def test_a_medline_file_with_a_line_in_another_shape_reads_as_bio_medline_reads_it():
    # "TI - " (one space) is a tag still; such a part of a file is read line by line.
    content = WRAPPED.replace("PT  - Case Reports", "TI - Case Reports")
    assert without_lines(parse(content)) == as_bio_reads_it(content)


def test_wrapped_medline_fields_are_joined_as_one_line():
    first, second, third = parse(WRAPPED)
    assert first.title == (
        "Synthetic randomised trial of a made-up compound in adults, with a title long enough "
        "to wrap onto a second line."
    )
    assert first.abstract == (
        "BACKGROUND: A synthetic abstract written for a test. It wraps onto a second line with "
        "an extra space, and onto a third."
    )
    assert first.doi == "10.5555/synthetic.wrapped.1"
    assert first.keywords == ["made-up compound", "Humans", "Synthetic Compounds"]
    assert (first.line, second.line, third.line) == (1, 24, 30)
    assert third.authors == ["Synthetic Study Group"]


def test_a_book_chapter_without_a_title_of_its_own_takes_its_book_title():
    assert parse(WRAPPED)[1].title == "Synthetic Handbook of Made-up Compounds"


@pytest.mark.parametrize("name", sorted(path.name for path in SAMPLES.iterdir() if path.is_file()))
@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_file_reads_the_same_records_whatever_the_size_of_the_chunks_it_is_read_in(
    monkeypatch, tmp_path, name, chunk
):
    whole = parse(decode((SAMPLES / name).read_bytes()))
    monkeypatch.setattr(text, "CHUNK", chunk)
    assert parse(Text.on_disk(SAMPLES / name)) == whole
    assert parse(decode((SAMPLES / name).read_bytes())) == whole


@pytest.mark.parametrize("chunk", [1, 5, 64])
def test_medline_records_and_their_lines_are_the_same_in_chunks_of_any_size(monkeypatch, chunk):
    whole = parse(WRAPPED)
    monkeypatch.setattr(text, "CHUNK", chunk)
    assert parse(WRAPPED) == whole


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "TI  - Synthetic café\r\nPMID- 990000301\r\n".encode(),
        "TI  - Synthetic café\rPMID- 990000301\r".encode("latin-1"),
        "TI  - Synthetic “café”\nPMID- 990000301\n".encode("cp1252"),
        "\ufeffTI  - Synthetic café\nPMID- 990000301\n".encode("utf-16"),
    ],
    ids=["utf-8 with a BOM and CR LF", "latin-1 with CR", "windows-1252", "utf-16"],
)
def test_a_file_on_disk_reads_as_its_bytes_decode(tmp_path, monkeypatch, data):
    path = tmp_path / "synthetic.nbib"
    path.write_bytes(data)
    monkeypatch.setattr(text, "CHUNK", 4)
    assert Text.on_disk(path).whole() == decode(data)
    assert parse(Text.on_disk(path)) == parse(decode(data))


def test_records_come_one_at_a_time_before_the_file_is_read_to_the_place_it_breaks():
    content = WRAPPED + "\nPMID- 990000204\nthis line has no tag\n"
    records = records_of(content)
    assert [next(records).number for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ParseError, match="record 4, line 36: expected a tag"):
        next(records)


def test_a_control_character_is_refused_before_the_first_record():
    records = records_of(WRAPPED + "\nPMID- 990000204\nTI  - Synthetic\x01\n")
    with pytest.raises(ParseError, match="record 4, line 36: the control character U[+]0001"):
        next(records)


def test_an_xml_file_is_refused_for_being_broken_before_for_a_record_it_cannot_map():
    # Read as it comes, the file meets the record without an article first; it is refused, as
    # when the whole tree was read first, for what breaks the file.
    content = (
        "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>990000501</PMID>"
        "</MedlineCitation></PubmedArticle>\n<PubmedArticle><broken></PubmedArticle>\n"
        "</PubmedArticleSet>\n"
    )
    with pytest.raises(ParseError, match="record 2, line 3: the XML is not well-formed"):
        parse(content)
    with pytest.raises(ParseError, match="record 1, line 2: a PubmedArticle without"):
        parse(content.replace("<broken>", ""))
