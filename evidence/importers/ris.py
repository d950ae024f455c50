"""RIS (Zotero, EndNote, Mendeley, Scopus, Web of Science, Google Scholar, Ovid, the Cochrane
Library). rispy reads the tags; this module finds where each record starts and ends, so that a
broken file is refused with the record and line, and maps rispy's fields to a Record
(evidence.importers.fields.RIS).

Before the first record a file may carry lines that are no tag (Ovid's search history, a
title); a record may be preceded by its number on a line of its own ("1.", as Ovid and rispy
write); a line may start with a byte order mark (files joined together). Any other line outside
a record is refused: a record lost its "TY  - "."""

import re

import rispy

from evidence.importers.fields import RIS
from evidence.importers.names import surname_initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    first_url,
    join_pages,
    split_list,
    unique,
    year_of,
)

TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
TY_LINE = re.compile(r"^TY  -(?: |$)", re.M)
NUMBERING = re.compile(r"^\s*\d+\.\s*$")  # "1." above a record, as rispy and some tools write
PUBMED_DATABASES = ("pubmed", "medline", "nlm")
BOM = "\ufeff"
_PMCID = re.compile(r"^PMC\d+$", re.IGNORECASE)


def _first(entry, *names):
    for name in names:
        value = entry.get(name)
        if isinstance(value, list):
            value = next((v for v in value if clean(v)), "")
        if clean(value):
            return clean(value)
    return ""


def _every(entry, names):
    values = []
    for name in names:
        value = entry.get(name, [])
        values.extend(value if isinstance(value, list) else [value])
    return values


def to_record(entry, number, line):
    def first(field):
        return _first(entry, *RIS[field])

    keywords = unique(_every(entry, RIS["keywords"]))
    database = " ".join(clean(entry.get(key, "")) for key in RIS["database"]).lower()
    accession = first("accession")
    pmcid = next(
        (clean(entry.get(k)) for k in RIS["pmcid"] if _PMCID.match(clean(entry.get(k)))), ""
    )
    return Record(
        number=number,
        line=line,
        title=first("title"),
        authors=unique(surname_initials(name) for name in _every(entry, RIS["authors"])),
        journal=first("journal"),
        year=year_of(first("year")),
        volume=first("volume"),
        issue=first("issue"),
        pages=join_pages(first("page_start"), first("page_end")),
        doi=first("doi"),
        pmid=accession
        if accession.isdigit() and any(db in database for db in PUBMED_DATABASES)
        else "",
        pmcid=pmcid,
        abstract=first("abstract"),
        keywords=keywords,
        language=first("language"),
        url=first_url(_every(entry, RIS["url"])),
        publication_types=split_list(first("publication_types")),
        mesh_terms=keywords,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), one at a time."""
    parser = rispy.RisParser()
    current, start, number = None, 0, 0
    for line_number, line in enumerate(text.lines(), start=1):
        if line.startswith(BOM):
            line = line.lstrip(BOM)
        match = TAG.match(line)
        tag = match.group(1) if match else None
        if current is None:
            if tag == "TY":
                current, start = [line], line_number
            elif not number and not tag:
                continue  # before the first record: a header, a search history
            elif line.strip() and not NUMBERING.match(line):
                raise ParseError(
                    f"expected a record starting “TY  - ”, found “{clean(line)[:60]}”",
                    record=number + 1,
                    line=line_number,
                )
            continue
        if tag == "TY":
            raise ParseError(
                "a new record starts (TY) before this one ends with “ER  -”",
                record=number + 1,
                line=line_number,
            )
        current.append(line)
        if tag == "ER":
            (entry,) = parser.parse_lines(iter(current))
            number += 1
            yield to_record(entry, number, start)
            current = None
    if current is not None:
        raise ParseError("the record does not end with “ER  -”", record=number + 1, line=start)


def count(text):
    """How many records the text holds (its "TY  - " lines), without reading them."""
    return sum(len(TY_LINE.findall(chunk)) for chunk in text.line_chunks())
