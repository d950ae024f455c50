"""RIS (Zotero, EndNote, Mendeley, Scopus, Web of Science, Google Scholar). rispy reads the tags;
this module finds where each record starts and ends, so that a broken file is refused with the
record and line, and maps rispy's fields to a Record."""

import re

import rispy

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
_PMCID = re.compile(r"^PMC\d+$", re.IGNORECASE)


def _first(entry, *names):
    for name in names:
        value = entry.get(name)
        if isinstance(value, list):
            value = next((v for v in value if clean(v)), "")
        if clean(value):
            return clean(value)
    return ""


def to_record(entry, number, line):
    keywords = unique(entry.get("keywords", []))
    database = " ".join(
        clean(entry.get(key, "")) for key in ("name_of_database", "database_provider")
    ).lower()
    accession = _first(entry, "accession_number")
    pmcid = next(
        (clean(entry.get(k)) for k in ("custom2", "note") if _PMCID.match(clean(entry.get(k)))),
        "",
    )
    return Record(
        number=number,
        line=line,
        title=_first(entry, "title", "primary_title", "translated_title"),
        authors=unique(
            surname_initials(name)
            for name in [*entry.get("authors", []), *entry.get("first_authors", [])]
        ),
        journal=_first(
            entry,
            "secondary_title",
            "alternate_title3",
            "journal_name",
            "alternate_title2",
            "alternate_title1",
        ),
        year=year_of(_first(entry, "year", "publication_year", "date")),
        volume=_first(entry, "volume"),
        issue=_first(entry, "number"),
        pages=join_pages(entry.get("start_page"), entry.get("end_page")),
        doi=_first(entry, "doi"),
        pmid=accession
        if accession.isdigit() and any(db in database for db in PUBMED_DATABASES)
        else "",
        pmcid=pmcid,
        abstract=_first(entry, "abstract", "notes_abstract"),
        keywords=keywords,
        language=_first(entry, "language"),
        url=first_url(entry.get("urls", [])),
        publication_types=split_list(entry.get("type_of_work", "")),
        mesh_terms=keywords,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), one at a time."""
    parser = rispy.RisParser()
    current, start, number = None, 0, 0
    for line_number, line in enumerate(text.lines(), start=1):
        match = TAG.match(line)
        tag = match.group(1) if match else None
        if current is None:
            if tag == "TY":
                current, start = [line], line_number
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
