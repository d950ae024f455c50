"""CSV: PubMed's "Save: CSV", Scopus's CSV export, and our own columns (the export of
/studies/). Columns are found by their header, in any order and case."""

import csv
import re

from evidence.importers.names import is_initials, surname_initials
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
from evidence.spreadsheet import CSV_COLUMNS, restore_cell

# Header (lower case) -> Record field. The first header of a field that a file has wins.
COLUMNS = {
    "title": "title",
    "article title": "title",
    "document title": "title",
    "authors": "authors",
    "author full names": "authors",
    "journal": "journal",
    "journal/book": "journal",
    "source title": "journal",
    "year": "year",
    "publication year": "year",
    "volume": "volume",
    "issue": "issue",
    "pages": "pages",
    "page start": "page_start",
    "page end": "page_end",
    "doi": "doi",
    "pmid": "pmid",
    "pubmed id": "pmid",
    "pmcid": "pmcid",
    "abstract": "abstract",
    "keywords": "keywords",
    "author keywords": "keywords",
    "index keywords": "index_keywords",
    "language": "language",
    "language of original document": "language",
    "url": "url",
    "link": "url",
    "publication types": "publication_types",
    "document type": "publication_types",
    "citation": "citation",
    "design": "design",
    "population": "population",
    "design guessed": "design_guessed",
    "population guessed": "population_guessed",
}
# "J Synth Test. 2021 May;12(3):45-67. doi: …" (PubMed's Citation column)
_CITATION = re.compile(r";\s*(?P<volume>[^(:;.]*)(?:\((?P<issue>[^)]*)\))?(?::(?P<pages>[^.;]+))?")
_SCOPUS_ID = re.compile(r"\s*\(\d+\)$")
TRUE = {"true", "yes", "1"}
OWN_HEADERS = {header.lower() for header, _ in CSV_COLUMNS}

# The csv module refuses a cell over 131,072 characters by default; the other importers and the
# API take a field of any length, which our CSV export then writes, so the CSV importer reads a
# cell as long as the file (a file is bounded by IMPORT_MAX_UPLOAD_MB when uploaded). The limit
# is the csv module's, process-wide; this only raises it. 2**31 - 1: a C long everywhere.
FIELD_SIZE_LIMIT = 2**31 - 1
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))


def is_own_export(header):
    """Our export (evidence.exporters.to_csv) has every one of its columns, the two "guessed"
    ones found nowhere else. Only its cells carry the quote that keeps a spreadsheet from
    running "=..." as a formula: the quote is taken off those, and no other file's."""
    return OWN_HEADERS <= {clean(name).lower() for name in header}


def split_authors(value):
    """PubMed 'Smith JA, Doe J'; Scopus 'Smith J.; Doe J.A.' or 'Smith, J.; Doe, J.A.';
    Scopus 'Author full names' 'Smith, John (123456)'; ours 'Smith JA; Doe J'."""
    value = clean(value)
    if not value or value.lower() == "[no author name available]":
        return []
    if ";" in value:
        names = value.split(";")
    else:
        names = value.split(",")
        if any(is_initials(name.strip()) for name in names):  # one name: "Secondauthor, C."
            names = [value]
    return unique(surname_initials(_SCOPUS_ID.sub("", name)) for name in names)


def columns_of(header):
    found = {}
    for index, name in enumerate(header):
        target = COLUMNS.get(clean(name).lower())
        if target and target not in found:
            found[target] = index
    return found


def to_record(row, columns, number, line, own=False):
    def get(name):
        index = columns.get(name)
        if index is None or index >= len(row):
            return ""
        return clean(restore_cell(row[index]) if own else row[index])

    citation = _CITATION.search(get("citation")) if get("citation") else None
    from_citation = citation.groupdict() if citation else {}
    keywords = unique([*split_list(get("keywords")), *split_list(get("index_keywords"))])
    return Record(
        number=number,
        line=line,
        title=get("title"),
        authors=split_authors(get("authors")),
        journal=get("journal"),
        year=year_of(get("year")),
        volume=get("volume") or clean(from_citation.get("volume")),
        issue=get("issue") or clean(from_citation.get("issue")),
        pages=get("pages")
        or join_pages(get("page_start"), get("page_end"))
        or clean(from_citation.get("pages")),
        doi=get("doi"),
        pmid=get("pmid"),
        pmcid=get("pmcid"),
        abstract="" if get("abstract") == "[No abstract available]" else get("abstract"),
        keywords=keywords,
        language=get("language"),
        url=first_url([get("url")]),
        publication_types=split_list(get("publication_types")),
        mesh_terms=keywords,
        design=get("design"),
        population=get("population"),
        design_guessed=get("design_guessed").lower() in TRUE if get("design") else None,
        population_guessed=get("population_guessed").lower() in TRUE if get("population") else None,
    )


def records(text):
    """The Records of a Text (evidence.importers.text), one at a time."""
    first_line = next(text.lines())
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text.lines(keepends=True), delimiter=delimiter, strict=True)
    header, columns, own, number = None, {}, False, 0
    line = 1
    try:
        for row in reader:
            if header is None:
                header, columns, own = row, columns_of(row), is_own_export(row)
                if "title" not in columns:
                    raise ParseError(
                        f"no Title column among the headers ({', '.join(map(clean, row))})",
                        line=1,
                    )
            elif any(cell.strip() for cell in row):
                if len(row) > len(header):
                    raise ParseError(
                        f"{len(row)} cells where the header has {len(header)} (an unquoted "
                        f"“{delimiter}” or a missing quote?)",
                        record=number + 1,
                        line=line,
                    )
                number += 1
                yield to_record(row, columns, number, line, own)
            line = reader.line_num + 1
    except csv.Error as error:
        raise ParseError(
            f"the CSV cannot be read ({error})", record=number + 1, line=line
        ) from None
