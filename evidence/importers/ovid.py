"""Ovid's tagged export (Ovid MEDLINE, Embase, PsycINFO …, "Reprint/Medlars": the MEDLINE-like
citation format). Each record opens with its number in angle brackets ("<1. >", "<12>"), then
one tag a line ("VN  - Ovid Technologies", "TI  - …"); a line that is no tag continues the tag
above it. Lines before the first record (the search history Ovid writes at the top) are not
read. A file without the numbers starts a record at each "VN  - " line. Fields map as
evidence.importers.fields.OVID says."""

import re

from evidence.importers.fields import OVID
from evidence.importers.medline import mesh_heading
from evidence.importers.names import surname_initials
from evidence.importers.records import ParseError, Record, clean, split_list, unique, year_of

MARKER = re.compile(r"^\s*<\s*\d+\.?\s*>\s*$")
TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {1,3}-(?: (.*)|\s*$)")
BOM = "\ufeff"
# "Journal of Synthetic Test Data. 12(3):45-67, 2021 May." (SO, where a field is missing)
SOURCE = re.compile(
    r"^(?P<journal>.+?)\.\s+(?P<volume>[^\s(:,]+)?(?:\((?P<issue>[^)]*)\))?"
    r"(?::(?P<pages>[^,]+))?,"
)
# What Ovid appends to a title: "A synthetic trial. [Article]"
TITLE_LABEL = re.compile(
    r"\s*\[(?:Article|Review|References|Miscellaneous|Report|Conference Abstract|Editorial|"
    r"Letter|Note|Erratum|Short Survey)\]\s*$"
)
# An author's role and address after the name: "Testauthor, Anna B. [Author; E-mail: …]"
AUTHOR_NOTE = re.compile(r"\s*\[.*$")
DOI = re.compile(r"10\.\d{4,9}/\S+")
MEDLINE_DATABASES = ("medline", "pubmed")


def to_record(entry, number, line):
    def every(field):
        return [value for tag in OVID[field] for value in entry.get(tag, ())]

    def first(field):
        for tag in OVID[field]:
            value = clean(" ".join(entry.get(tag, ())))
            if value:
                return value
        return ""

    database = first("database").lower()
    source = SOURCE.match(first("source"))
    from_source = source.groupdict() if source else {}
    names = every("authors") or every("full_authors")
    mesh = unique(mesh_heading(term) for term in every("mesh"))
    dois = (DOI.search(value) for value in every("doi"))
    pmid = next(
        (
            value
            for tag in OVID["pmid"]
            for value in (clean(v) for v in entry.get(tag, ()))
            if value.isdigit() and (tag != "UI" or any(d in database for d in MEDLINE_DATABASES))
        ),
        "",
    )
    return Record(
        number=number,
        line=line,
        title=TITLE_LABEL.sub("", first("title")),
        authors=unique(surname_initials(AUTHOR_NOTE.sub("", name)) for name in names),
        journal=first("journal") or clean(from_source.get("journal")),
        year=year_of(first("year")) or year_of(first("source")),
        volume=first("volume") or clean(from_source.get("volume")),
        issue=first("issue") or clean(from_source.get("issue")),
        pages=first("pages") or clean(from_source.get("pages")),
        doi=next((match.group().rstrip(".") for match in dois if match), ""),
        pmid=pmid,
        abstract=first("abstract"),
        keywords=unique([*(k for v in every("keywords") for k in split_list(v)), *mesh]),
        language="; ".join(unique(every("language"))),
        publication_types=unique(every("publication_types")),
        mesh_terms=mesh,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), one at a time."""
    entry, start, number, last = None, 0, 0, None
    for line_number, line in enumerate(text.lines(), start=1):
        if line.startswith(BOM):
            line = line.lstrip(BOM)
        match = None if MARKER.match(line) else TAG.match(line)
        tag = match.group(1) if match else None
        if MARKER.match(line) or (tag == "VN" and (entry is None or "VN" in entry)):
            if entry is not None:
                number += 1
                yield to_record(entry, number, start)
            entry, start, last = {}, line_number, None
        if entry is None or MARKER.match(line):
            continue  # before the first record, or its number
        if tag:
            entry.setdefault(tag, []).append(match.group(2) or "")
            last = tag
        elif line.strip():
            if last is None:
                raise ParseError(
                    f"expected a tag such as “TI  - ”, found “{clean(line)[:60]}”",
                    record=number + 1,
                    line=line_number,
                )
            entry[last][-1] += f" {line.strip()}"
    if entry is not None:
        yield to_record(entry, number + 1, start)
