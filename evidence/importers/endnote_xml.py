"""EndNote XML (File > Export > XML): <xml><records><record>…. Read with ElementTree."""

import re

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
    def field(path):
        return text_of(element.find(path))

    keywords = unique(text_of(k) for k in element.findall("keywords/keyword"))
    database = f"{field('remote-database-name')} {field('remote-database-provider')}".lower()
    accession = field("accession-num")
    pmcid = next((v for v in (field("custom2"), field("custom1")) if _PMCID.match(v.upper())), "")
    return Record(
        number=number,
        line=line,
        title=field("titles/title"),
        authors=unique(
            surname_initials(text_of(a)) for a in element.findall("contributors/authors/author")
        ),
        journal=field("periodical/full-title")
        or field("titles/secondary-title")
        or field("periodical/abbr-1"),
        year=year_of(field("dates/year")),
        volume=field("volume"),
        issue=field("number"),
        pages=field("pages"),
        doi=field("electronic-resource-num"),
        pmid=accession
        if accession.isdigit() and any(db in database for db in PUBMED_DATABASES)
        else "",
        pmcid=pmcid.upper(),
        abstract=field("abstract"),
        keywords=keywords,
        language=field("language"),
        url=first_url(text_of(u) for u in element.iter("url")),
        publication_types=unique([field("work-type")]),
        mesh_terms=keywords,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), as it is read."""
    root_tag, found = yield from read_records(
        text, RECORD, to_record, root="xml", container="records"
    )
    if root_tag != "xml" or not found:
        raise ParseError(f"expected EndNote's <xml><records>, found <{root_tag}>", line=1)
