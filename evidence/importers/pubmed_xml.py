"""PubMed XML as E-utilities efetch returns it (<PubmedArticleSet>). Read with ElementTree:
Bio.Entrez's parser needs the file's DOCTYPE and its DTD, and does not say where a record
starts."""

from evidence.importers.fields import PUBMED_XML as PATHS
from evidence.importers.names import surname_initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    mark_retraction,
    unique,
    year_of,
)
from evidence.importers.xmlfile import read_records, text_of

RECORD = "PubmedArticle"


def _author(element):
    collective = text_of(element.find("CollectiveName"))
    if collective:
        return collective
    last = text_of(element.find("LastName"))
    initials = text_of(element.find("Initials"))
    if last and initials:
        return f"{last} {initials}"
    return surname_initials(f"{last}, {text_of(element.find('ForeName'))}")


def _abstract(element):
    parts = []
    for part in _every(element, "abstract"):
        label = part.get("Label")
        body = text_of(part)
        parts.append(f"{label}: {body}" if label else body)
    return clean(" ".join(parts))


def _every(element, field):
    return [found for path in PATHS[field] for found in element.findall(path)]


def _first(element, field):
    for path in PATHS[field]:
        if value := text_of(element.find(path)):
            return value
    return ""


def _id(element, kind):
    for identifier in _every(element, "ids"):
        if identifier.get("IdType") == kind:
            return text_of(identifier)
    return ""


def to_record(element, number, line):
    if element.find("MedlineCitation/Article") is None:
        raise ParseError(
            "a PubmedArticle without MedlineCitation/Article", record=number, line=line
        )
    doi = _id(element, "doi") or next(
        (text_of(e) for e in _every(element, "doi") if e.get("EIdType") == "doi"), ""
    )
    mesh = unique(text_of(e) for e in _every(element, "mesh"))
    record = Record(
        number=number,
        line=line,
        title=_first(element, "title"),
        authors=unique(_author(a) for a in _every(element, "authors")),
        journal=_first(element, "journal"),
        year=year_of(_first(element, "year")),
        volume=_first(element, "volume"),
        issue=_first(element, "issue"),
        pages=_first(element, "pages"),
        doi=doi,
        pmid=_first(element, "pmid"),
        pmcid=_id(element, "pmc"),
        abstract=_abstract(element),
        keywords=unique([*(text_of(k) for k in _every(element, "keywords")), *mesh]),
        language="; ".join(unique(text_of(e) for e in _every(element, "language"))),
        publication_types=unique(text_of(e) for e in _every(element, "publication_types")),
        mesh_terms=mesh,
    )
    notices = [
        (text_of(e.find("RefSource")), text_of(e.find("PMID")))
        for e in _every(element, "retraction_in")
    ]
    return mark_retraction(record, notices)


def records(text):
    """The Records of a Text (evidence.importers.text), as it is read."""
    root_tag, _ = yield from read_records(text, RECORD, to_record, root="PubmedArticleSet")
    if root_tag != "PubmedArticleSet":
        raise ParseError(f"expected <PubmedArticleSet>, found <{root_tag}>", line=1)
