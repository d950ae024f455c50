"""PubMed XML as E-utilities efetch returns it (<PubmedArticleSet>). Read with ElementTree:
Bio.Entrez's parser needs the file's DOCTYPE and its DTD, and does not say where a record
starts."""

from evidence.importers.names import surname_initials
from evidence.importers.records import ParseError, Record, clean, unique, year_of
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


def _abstract(article):
    parts = []
    for part in article.findall("Abstract/AbstractText"):
        label = part.get("Label")
        body = text_of(part)
        parts.append(f"{label}: {body}" if label else body)
    return clean(" ".join(parts))


def _id(element, kind):
    for identifier in element.findall("PubmedData/ArticleIdList/ArticleId"):
        if identifier.get("IdType") == kind:
            return text_of(identifier)
    return ""


def to_record(element, number, line):
    citation = element.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if article is None:
        raise ParseError(
            "a PubmedArticle without MedlineCitation/Article", record=number, line=line
        )
    issue = article.find("Journal/JournalIssue")
    date = issue.find("PubDate") if issue is not None else None
    doi = _id(element, "doi") or next(
        (text_of(e) for e in article.findall("ELocationID") if e.get("EIdType") == "doi"), ""
    )
    mesh = unique(
        text_of(e) for e in citation.findall("MeshHeadingList/MeshHeading/DescriptorName")
    )
    return Record(
        number=number,
        line=line,
        title=text_of(article.find("ArticleTitle")),
        authors=unique(_author(a) for a in article.findall("AuthorList/Author")),
        journal=text_of(article.find("Journal/Title"))
        or text_of(article.find("Journal/ISOAbbreviation")),
        year=year_of(text_of(date.find("Year")) or text_of(date.find("MedlineDate")))
        if date is not None
        else None,
        volume=text_of(issue.find("Volume")) if issue is not None else "",
        issue=text_of(issue.find("Issue")) if issue is not None else "",
        pages=text_of(article.find("Pagination/MedlinePgn")),
        doi=doi,
        pmid=text_of(citation.find("PMID")),
        pmcid=_id(element, "pmc"),
        abstract=_abstract(article),
        keywords=unique([*(text_of(k) for k in citation.findall("KeywordList/Keyword")), *mesh]),
        language="; ".join(unique(text_of(e) for e in article.findall("Language"))),
        publication_types=unique(
            text_of(e) for e in article.findall("PublicationTypeList/PublicationType")
        ),
        mesh_terms=mesh,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), as it is read."""
    root_tag, _ = yield from read_records(text, RECORD, to_record, root="PubmedArticleSet")
    if root_tag != "PubmedArticleSet":
        raise ParseError(f"expected <PubmedArticleSet>, found <{root_tag}>", line=1)
