"""MEDLINE / PubMed .nbib (PubMed's "Send to: Citation manager"). Splits the records, checks every
line is a tag or a continuation, and maps them, one record at a time.

A record's tags are read as Bio.Medline reads them: the lines of a tag (a continuation line
adds to the tag above it) are joined by a space for the tags it keeps as one text, each a value
of its own for the others (MeSH terms and affiliations: the last value continued). The usual
file (every tag padded to four characters and "- ") is read a megabyte at a time by regular
expressions; a part of a file with a line in another shape is read line by line and
Bio.Medline itself, and refused at the first line that is neither a tag nor a continuation."""

import re
from collections import defaultdict

from Bio import Medline

from evidence.importers.fields import MEDLINE
from evidence.importers.names import surname_initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    mark_retraction,
    unique,
    year_of,
)

TAG = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
CONTINUATION = "      "
# Bio.Medline's tags whose lines are joined into one text (the others are lists of values),
# and those whose continuation lines continue the last value instead of adding one.
TEXT_TAGS = frozenset(
    "ID PMID SO RF NI JC TA IS CY TT CA IP VI DP YR PG LID DA LR OWN STAT DCOM PUBM DEP PL JID "
    "SB PMC EDAT MHDA PST AB EA TI JT".split()
)
CONTINUED_TAGS = ("MH", "AD")
# The tags a Record is made of (evidence.importers.fields.MEDLINE).
READ_TAGS = sorted({tag for tags in MEDLINE.values() for tag in tags})

# A line in none of the usual shapes (a tag padded to four characters and "- ", a continuation
# of six spaces, a blank line), or a continuation after a blank line, in a part of a file with
# two line feeds before it (anchored on the line feeds, which the search finds fast). A part
# with one is read line by line (_checked_entry), which refuses it or reads it as Bio.Medline.
_UNUSUAL = re.compile(
    r"\n(?:(?!(?:[A-Z][A-Z0-9]{3}|[A-Z][A-Z0-9]{2} |[A-Z][A-Z0-9]  )- |      |[^\S\n]*(?:\n|\Z))"
    r"|[^\S\n]*\n      [^\S\n]*\S)"
)
# A run of lines each holding something other than whitespace: a record.
_BLOCK = re.compile(r"^[^\S\n]*+\S.*+(?:\n[^\S\n]*+\S.*+)*+", re.M)
# One of READ_TAGS with its value (without the whitespace ending its line) and its
# continuation lines, in a record of the usual shape.
_FIELD = re.compile(
    rf"^({'|'.join(sorted(READ_TAGS, key=len, reverse=True))}) *- (.*\S|)[^\S\n]*"
    r"((?:\n      .*)*)",
    re.M,
)
_DOI = re.compile(r"(\S+) \[doi\]")


def _continued(tag, value, more):
    """A tag's values from its first line's value and its continuation lines (`more`: each
    with the line feed and the six spaces before it)."""
    parts = [value, *(part.rstrip() for part in more.split("\n      ")[1:])]
    return [" ".join(parts)] if tag in CONTINUED_TAGS or tag in TEXT_TAGS else parts


def _entry(block):
    """{tag: [values]} of READ_TAGS of a record of the usual shape."""
    entry = defaultdict(list)
    for tag, value, more in _FIELD.findall(block):
        if more:
            entry[tag].extend(_continued(tag, value, more))
        else:
            entry[tag].append(value)
    return entry


def _checked_entry(lines, number, first_line):
    """{tag: [values]} of a record's lines read one by one (a text tag's one value is its lines
    joined); ParseError at the first line that is neither a tag nor a continuation."""
    current = []
    for offset, line in enumerate(lines):
        if not (line.startswith(CONTINUATION) and current) and not TAG.match(line):
            raise ParseError(
                f"expected a tag such as “TI  - ”, found “{clean(line)[:60]}”",
                record=number,
                line=first_line + offset,
            )
        current.append(line + "\n")
    return {
        tag: [value] if isinstance(value, str) else value
        for tag, value in Medline.read(current).items()
    }


def mesh_heading(value):
    """'*Kratom/adverse effects' -> 'Kratom'."""
    return value.split("/")[0].lstrip("*").strip()


# Each Record field of one value, with its tags, the first that a record has winning; and
# those whose every tag adds its values.
_FIRST = tuple(
    (field, MEDLINE[field])
    for field in ("title", "journal", "year", "volume", "issue", "pages", "pmid", "pmcid")
)


_EVERY = tuple(
    MEDLINE[field]
    for field in (
        "authors", "full_authors", "groups", "doi", "abstract", "keywords", "mesh", "language",
        "publication_types", "retraction_in",
    )
)  # fmt: skip


def to_record(entry, number, line):
    get = entry.get
    join = " ".join
    first = {}
    for field, tags in _FIRST:
        for tag in tags:
            if values := get(tag):
                first[field] = join(values)
                break
    # every value of each field's tags (a field's list, as the record has it, when one tag)
    (
        authors, full_authors, groups, dois, abstract, keywords, mesh, language, types,
        retraction_in,
    ) = (
        get(tags[0], ()) if len(tags) == 1 else [v for tag in tags for v in get(tag, ())]
        for tags in _EVERY
    )  # fmt: skip
    authors = authors or [surname_initials(name) for name in full_authors]
    mesh = unique([mesh_heading(term) for term in mesh])
    doi = _DOI.search(join(dois))
    record = Record(
        number=number,
        line=line,
        title=clean(first.get("title")),
        authors=unique([*authors, *groups]),
        journal=clean(first.get("journal")),
        year=year_of(first.get("year")),
        volume=clean(first.get("volume")),
        issue=clean(first.get("issue")),
        pages=clean(first.get("pages")),
        doi=doi.group(1) if doi else "",
        pmid=clean(first.get("pmid")),
        pmcid=clean(first.get("pmcid")),
        abstract=clean(join(abstract)),
        keywords=unique([*keywords, *mesh]),
        language="; ".join(unique(language)),
        publication_types=unique(types),
        mesh_terms=mesh,
    )
    # RIN's continuation lines are values of their own (as Bio.Medline reads a list tag):
    # joined, they are the notice's reference
    return mark_retraction(record, [(join(retraction_in), "")] if retraction_in else [])


def _parts(text):
    """(line, text) of each part of the text: a chunk, cut after its last empty line, and the
    line it starts on."""
    line = 1
    rest = ""
    for chunk in text.chunks():
        body = rest + chunk
        cut = body.rfind("\n\n")
        if cut < 0:
            rest = body
            continue
        body, rest = body[: cut + 1], body[cut + 2 :]
        yield line, body
        line += body.count("\n") + 1
    if rest:
        yield line, rest


def _blocks(text):
    """(line, text, usual) of each record: a run of lines that are not blank, the line it starts
    on, and whether every line of its part of the file is of the usual shape."""
    for line, part in _parts(text):
        usual = _UNUSUAL.search(f"\n\n{part}") is None
        at = 0
        for match in _BLOCK.finditer(part):
            line += part.count("\n", at, match.start())
            at = match.start()
            yield line, match.group(), usual


def records(text):
    """The Records of a Text (evidence.importers.text), one at a time."""
    number = 0
    for line, block, usual in _blocks(text):
        number += 1
        if usual:
            entry = _entry(block)
        else:
            entry = _checked_entry(block.split("\n"), number, line)
        yield to_record(entry, number, line)


def count(text):
    """How many records the text holds, without reading them."""
    return sum(len(_BLOCK.findall(part)) for _, part in _parts(text))
