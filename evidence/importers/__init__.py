"""Reading bibliographic files into Records. Pure Python: no database, no Django.

    records = read(data)                 # bytes of a file, format detected from its content
    records = read(data, format="ris")   # or named
    for record in records_of(Text.on_disk(path)):   # one at a time, the file read as it goes
        ...

Each record comes with its design and population guessed (evidence.importers.guess). A file
that cannot be read raises ParseError naming the record and line: read() and parse() before
returning any record, records_of() when it comes to it (the records before it were given).
Every format but BibTeX (which bibtexparser reads whole) and CSL JSON is read a chunk at a time.
An entry of a file that is no record (a biblatex @set, a @comment, a row of empty cells) comes as
a Record with `skipped` saying why.
"""

import re

from config.text import ALLOWED, describe
from evidence.importers import (
    bibtex,
    csl_json,
    csvfile,
    endnote_xml,
    guess,
    medline,
    ovid,
    pubmed_xml,
    ris,
)
from evidence.importers.encoding import decode
from evidence.importers.records import ParseError, Record
from evidence.importers.text import Text

# Each format's reader: a Text to its Records, one at a time.
PARSERS = {
    "ris": ris.records,
    "bibtex": bibtex.records,
    "medline": medline.records,
    "pubmed-xml": pubmed_xml.records,
    "endnote-xml": endnote_xml.records,
    "csv": csvfile.records,
    "ovid": ovid.records,
    "csl-json": csl_json.records,
}
# Counting records without reading them, where a format allows it.
COUNTERS = {"ris": ris.count, "medline": medline.count}
FORMAT_CHOICES = [
    ("ris", "RIS (.ris)"),
    ("bibtex", "BibTeX (.bib)"),
    ("medline", "MEDLINE / PubMed (.nbib, .txt)"),
    ("pubmed-xml", "PubMed XML (efetch PubmedArticleSet)"),
    ("endnote-xml", "EndNote XML"),
    (
        "csv",
        "CSV or tab-delimited (PubMed, Scopus, Embase, Springer Link, Web of Science, or ours)",
    ),
    ("ovid", "Ovid tagged (MEDLINE, Embase, PsycINFO: Reprint/Medlars)"),
    ("csl-json", "CSL JSON (Zotero)"),
]
FORMAT_NAMES = "RIS, BibTeX, MEDLINE, PubMed XML, EndNote XML, CSV, Ovid or CSL JSON"
_MEDLINE_TAG = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
_BIBTEX_ENTRY = re.compile(r"^@\s*[A-Za-z]+\s*[{(]")
# How a record of each format starts, for a line of a file (without its leading whitespace and
# byte order marks), in the order they are tried: RIS's and Ovid's tags are MEDLINE's shape too.
_STARTS = (
    ("ris", re.compile(r"^TY  -(?: |$)")),
    ("ovid", re.compile(r"^(?:<\s*\d+\.?\s*>$|VN {1,3}- Ovid)")),
    ("medline", _MEDLINE_TAG),
    ("bibtex", _BIBTEX_ENTRY),
)
# Lines of a file looked at, past its first, for where its first record starts: an export may
# begin with a header or a search history.
DETECT_LINES = 200

__all__ = [
    "FORMAT_CHOICES", "PARSERS", "ParseError", "Record", "Text", "count", "decode", "detect",
    "parse", "read", "records_of",
]  # fmt: skip


def _start_of(line):
    """The format whose record starts on this line (stripped), if any."""
    return next((format for format, start in _STARTS if start.match(line)), None)


def detect(text):
    """The format of a file (a str or a Text) from its first lines: its first line, or the first
    line past a header (lines that are none of the formats', such as Ovid's search history,
    Scopus's export date, a record number) where a record of a format starts. Byte order marks
    are passed over."""
    head = Text.of(text).head(20000).lstrip("\ufeff \t\n")
    if head.startswith("<"):
        if "<PubmedArticleSet" in head or "<PubmedArticle" in head:
            return "pubmed-xml"
        if re.search(r"<xml>\s*<records>", head):
            return "endnote-xml"
    if head.startswith(("[", "{")):
        return "csl-json"
    lines = [line.lstrip("\ufeff").strip() for line in head.split("\n")]
    lines = [line for line in lines if line][:DETECT_LINES]
    first = lines[0] if lines else ""
    if found := _start_of(first):
        return found
    if first and csvfile.is_header(first):
        return "csv"
    for line in lines[1:]:
        if found := _start_of(line):
            return found
    raise ParseError(
        f"the format cannot be told from the content; give it ({FORMAT_NAMES})", line=1
    )


def _refuse_control_character(text, format, found):
    """A control character other than tab and line break is no text (config.text): PostgreSQL
    refuses a NUL in any text column (a 500, after a dry run that said "1 created"), and the
    others are invisible, or worse, in every page and export. The file is refused whole, naming
    the line the first one is on and the record that line belongs to (the last one starting at
    or before it; none when the file cannot be read either)."""
    line, character = found
    record = None
    try:
        for parsed in PARSERS[format](text):
            if parsed.line is not None and parsed.line <= line:
                record = parsed.number
    except ParseError:  # the control character, when there is one, is what broke the parser
        record = None
    advice = "is this the right file?" if character == "\x00" else "remove it and try again."
    raise ParseError(
        f"{describe(character)}, which is not text (of the control characters only {ALLOWED} "
        f"are): {advice}",
        record=record,
        line=line,
    )


def records_of(text, format=None):
    """The Records of a text (a str or a Text), one at a time; the format is detected when not
    given. A file with a control character is refused before its first record; another
    ParseError comes where the file breaks."""
    text = Text.of(text)
    format = format or detect(text)
    found = text.first_control_character()
    if found is not None:
        _refuse_control_character(text, format, found)
    empty = True
    for record in PARSERS[format](text):
        if record.skipped:
            yield record
            continue
        empty = False
        yield guess.complete(record)
    if empty:
        raise ParseError("the file holds no record")


def parse(text, format=None):
    """The Records of a decoded text (a str or a Text), in a list; the format is detected when
    not given. ParseError before any record when the file cannot be read."""
    return list(records_of(text, format))


def count(text, format=None):
    """How many records a text holds, read (and so checked: ParseError) without keeping them."""
    return sum(1 for _ in records_of(text, format))


def estimate(text, format=None):
    """How many records a text holds, as cheaply as its format allows (a progress bar's total);
    not checked."""
    text = Text.of(text)
    format = format or detect(text)
    counter = COUNTERS.get(format)
    return counter(text) if counter else count(text, format)


def read(data, format=None):
    """Records of a file's bytes, whatever their encoding."""
    return parse(decode(data), format)
