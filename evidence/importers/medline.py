"""MEDLINE / PubMed .nbib (PubMed's "Send to: Citation manager"). Bio.Medline reads the tags;
this module splits the records, checks every line is a tag or a continuation, and maps them."""

import re

from Bio import Medline

from evidence.importers.names import surname_initials
from evidence.importers.records import ParseError, Record, clean, unique, year_of

TAG = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
CONTINUATION = "      "


def _list(entry, tag):
    value = entry.get(tag, [])
    return [value] if isinstance(value, str) else value


def _marked(values, mark):
    """'10.5555/x [doi]' among LID/AID values -> '10.5555/x' (Bio.Medline joins repeated LIDs
    with spaces: 'e123 [pii] 10.5555/x [doi]')."""
    match = re.search(rf"(\S+) \[{mark}\]", " ".join(values))
    return match.group(1) if match else ""


def mesh_heading(value):
    """'*Kratom/adverse effects' -> 'Kratom'."""
    return value.split("/")[0].lstrip("*").strip()


def to_record(entry, number, line):
    authors = _list(entry, "AU") or [surname_initials(name) for name in _list(entry, "FAU")]
    mesh = unique(mesh_heading(term) for term in _list(entry, "MH"))
    return Record(
        number=number,
        line=line,
        title=clean(entry.get("TI") or entry.get("BTI", "")),
        authors=unique([*authors, *_list(entry, "CN")]),
        journal=clean(entry.get("JT") or entry.get("TA", "")),
        year=year_of(entry.get("DP")),
        volume=clean(entry.get("VI")),
        issue=clean(entry.get("IP")),
        pages=clean(entry.get("PG")),
        doi=_marked(_list(entry, "LID") + _list(entry, "AID"), "doi"),
        pmid=clean(entry.get("PMID")),
        pmcid=clean(entry.get("PMC")),
        abstract=clean(entry.get("AB")),
        keywords=unique([*_list(entry, "OT"), *mesh]),
        language="; ".join(unique(_list(entry, "LA"))),
        publication_types=unique(_list(entry, "PT")),
        mesh_terms=mesh,
    )


def parse(text):
    records, current, start = [], [], 0
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if current:
                records.append(to_record(Medline.read(current), len(records) + 1, start))
                current = []
            continue
        if line.startswith(CONTINUATION) and current:
            current.append(line + "\n")
            continue
        if not TAG.match(line):
            raise ParseError(
                f"expected a tag such as “TI  - ”, found “{clean(line)[:60]}”",
                record=len(records) + 1,
                line=number,
            )
        if not current:
            start = number
        current.append(line + "\n")
    if current:
        records.append(to_record(Medline.read(current), len(records) + 1, start))
    return records
