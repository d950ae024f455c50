"""EndNote XML (File > Export > XML): <xml><records><record>…. Read with ElementTree; fields map
as evidence.importers.fields.ENDNOTE_XML says."""

import re

from evidence.importers.fields import ENDNOTE_XML as PATHS
from evidence.importers.names import surname_initials
from evidence.importers.records import (
    ParseError,
    Record,
    first_url,
    unique,
    year_of,
)
from evidence.importers.xmlfile import read_records, text_of

RECORD = "record"
PUBMED_DATABASES = ("pubmed", "medline", "nlm")
_PMCID = re.compile(r"^PMC\d+$")


def to_record(element, number, line):
    def every(field):
        return [text_of(found) for path in PATHS[field] for found in element.findall(path)]

    def first(field):
        return next((value for value in every(field) if value), "")

    keywords = unique(every("keywords"))
    database = " ".join(every("database")).lower()
    accession = first("accession")
    pmcid = next((v for v in every("pmcid") if _PMCID.match(v.upper())), "")
    return Record(
        number=number,
        line=line,
        title=first("title"),
        authors=unique(surname_initials(name) for name in every("authors")),
        journal=first("journal"),
        year=year_of(first("year")),
        volume=first("volume"),
        issue=first("issue"),
        pages=first("pages"),
        doi=first("doi"),
        pmid=accession
        if accession.isdigit() and any(db in database for db in PUBMED_DATABASES)
        else "",
        pmcid=pmcid.upper(),
        abstract=first("abstract"),
        keywords=keywords,
        language=first("language"),
        url=first_url(every("url")),
        publication_types=unique([first("publication_types")]),
        mesh_terms=keywords,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), as it is read."""
    root_tag, found = yield from read_records(
        text, RECORD, to_record, root="xml", container="records"
    )
    if root_tag != "xml" or not found:
        raise ParseError(f"expected EndNote's <xml><records>, found <{root_tag}>", line=1)
