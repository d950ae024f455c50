"""Reading bibliographic files into Records. Pure Python: no database, no Django.

    records = read(data)                 # bytes of a file, format detected from its content
    records = read(data, format="ris")   # or named

Each record comes with its design and population guessed (evidence.importers.guess). A file
that cannot be read raises ParseError naming the record and line; nothing is half-read.
"""

import re

from config.text import ALLOWED, describe, first_control_character
from evidence.importers import bibtex, csvfile, endnote_xml, guess, medline, pubmed_xml, ris
from evidence.importers.encoding import decode
from evidence.importers.records import ParseError, Record

PARSERS = {
    "ris": ris.parse,
    "bibtex": bibtex.parse,
    "medline": medline.parse,
    "pubmed-xml": pubmed_xml.parse,
    "endnote-xml": endnote_xml.parse,
    "csv": csvfile.parse,
}
FORMAT_CHOICES = [
    ("ris", "RIS (.ris)"),
    ("bibtex", "BibTeX (.bib)"),
    ("medline", "MEDLINE / PubMed (.nbib, .txt)"),
    ("pubmed-xml", "PubMed XML (efetch PubmedArticleSet)"),
    ("endnote-xml", "EndNote XML"),
    ("csv", "CSV (PubMed, Scopus or ours)"),
]
_MEDLINE_TAG = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
_BIBTEX_ENTRY = re.compile(r"^@\s*[A-Za-z]+\s*[{(]")

__all__ = ["FORMAT_CHOICES", "PARSERS", "ParseError", "Record", "decode", "detect", "parse", "read"]


def detect(text):
    """The format of a file from its first lines."""
    head = text.lstrip()[:5000]
    if head.startswith("<"):
        if "<PubmedArticleSet" in head or "<PubmedArticle" in head:
            return "pubmed-xml"
        if re.search(r"<xml>\s*<records>", head):
            return "endnote-xml"
    lines = [line for line in head.split("\n") if line.strip()]
    first = lines[0] if lines else ""
    if first.startswith("TY  -"):
        return "ris"
    if _MEDLINE_TAG.match(first):
        return "medline"
    if any(_BIBTEX_ENTRY.match(line.strip()) for line in lines[:50]):
        return "bibtex"
    if first and any(
        csvfile.COLUMNS.get(cell.strip().strip('"').lower()) == "title"
        for cell in re.split(r"[,;\t]", first)
    ):
        return "csv"
    raise ParseError(
        "the format cannot be told from the content; give it (RIS, BibTeX, MEDLINE, PubMed "
        "XML, EndNote XML or CSV)",
        line=1,
    )


def refuse_control_characters(text, records):
    """A control character other than tab and line break is no text (config.text): PostgreSQL
    refuses a NUL in any text column (a 500, after a dry run that said "1 created"), and the
    others are invisible, or worse, in every page and export. The file is refused whole, naming
    the line the first one is on and the record that line belongs to (the last one starting at
    or before it)."""
    found = first_control_character(text)
    if found is None:
        return
    at, character = found
    line = text.count("\n", 0, at) + 1
    starts = [record.number for record in records if record.line <= line]
    advice = "is this the right file?" if character == "\x00" else "remove it and try again."
    raise ParseError(
        f"{describe(character)}, which is not text (of the control characters only {ALLOWED} "
        f"are): {advice}",
        record=starts[-1] if starts else None,
        line=line,
    )


def parse(text, format=None):
    """Records of a decoded text; the format is detected when not given."""
    format = format or detect(text)
    try:
        records = PARSERS[format](text)
    except ParseError:
        # the control character, when there is one, is what broke the parser
        refuse_control_characters(text, [])
        raise
    refuse_control_characters(text, records)
    if not records:
        raise ParseError("the file holds no record")
    return [guess.complete(record) for record in records]


def read(data, format=None):
    """Records of a file's bytes, whatever their encoding."""
    return parse(decode(data), format)
