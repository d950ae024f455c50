"""CSV and tab-delimited exports: PubMed's "Save: CSV", Scopus's CSV export, Embase's "CSV -
Fields by Column", Springer Link's CSV, Web of Science's tab-delimited "savedrecs.txt", and our
own columns (the export of /studies/). The header says which export a file is (its columns:
evidence.importers.fields.CSV_EXPORTS); columns are found by their header, in any order and
case."""

import csv
import re

from evidence.importers.fields import CSV_EXPORTS
from evidence.importers.names import is_initials, surname_initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    first_url,
    join_pages,
    skipped,
    split_list,
    unique,
    year_of,
)
from evidence.spreadsheet import CSV_COLUMNS, restore_cell

# "J Synth Test. 2021 May;12(3):45-67. doi: …" (PubMed's Citation column)
_CITATION = re.compile(r";\s*(?P<volume>[^(:;.]*)(?:\((?P<issue>[^)]*)\))?(?::(?P<pages>[^.;]+))?")
_SCOPUS_ID = re.compile(r"\s*\(\d+\)$")
# "B.Frank": a name that ends in an initial, run into the next one.
_INITIAL_THEN_NAME = re.compile(r"\.[^\W\d_]")
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


# The fields whose every column adds its values (the others take the first that has one).
LIST_FIELDS = frozenset({"keywords", "index_keywords", "groups"})


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


def split_semicolons(value):
    """Web of Science 'Testauthor, AB; de Vries, F'."""
    return unique(surname_initials(name) for name in clean(value).split(";"))


def split_run_together(value):
    """Springer Link writes its authors' names one after the other with nothing between them:
    'Anna TestauthorFrank de VriesBoris Müller'. A name ends where a lower-case letter meets an
    upper-case one; a piece of one word is the rest of the name before it ('Anna Mc' + 'Donald':
    'Anna McDonald'), since every name there has a given name and a surname. Names that cannot
    be told apart so (one ends in an initial: 'Anna B.Frank de Vries') are kept as given, run
    together in one author: a person corrects them, nothing is guessed. A list with semicolons
    is split as Scopus's is."""
    value = clean(value)
    if not value or ";" in value:
        return split_authors(value)
    if _INITIAL_THEN_NAME.search(value):
        return [value]
    names, start = [], 0
    for at in range(1, len(value)):
        if value[at].isupper() and value[at - 1].islower():
            piece = value[start:at]
            if names and " " not in piece.strip():
                names[-1] += piece
            else:
                names.append(piece)
            start = at
    piece = value[start:]
    if names and " " not in piece.strip():
        names[-1] += piece
    else:
        names.append(piece)
    return unique(surname_initials(name) for name in names)


AUTHOR_STYLES = {
    "pubmed or scopus": split_authors,
    "semicolons": split_semicolons,
    "run together": split_run_together,
}


def header_name(cell):
    return clean(cell).lstrip("\ufeff").lower()


def export_of(header):
    """The export (evidence.importers.fields.CSV_EXPORTS) whose header this is, if it has a
    title column."""
    names = {header_name(cell) for cell in header}
    for export in CSV_EXPORTS:
        if export["signature"] <= names:
            columns = export["columns"]
            return export if any(columns.get(name) == "title" for name in names) else None
    return None


def columns_of(header, export):
    """{Record field: [the indexes of its columns, in the header's order]}."""
    found = {}
    for index, name in enumerate(header):
        target = export["columns"].get(header_name(name))
        if target:
            found.setdefault(target, []).append(index)
    return found


def to_record(row, columns, number, line, own=False, split=split_authors):
    def cell(index):
        if index >= len(row):
            return ""
        return clean(restore_cell(row[index]) if own else row[index])

    def get(name):
        for index in columns.get(name, ()):
            if value := cell(index):
                return value
        return ""

    def every(name):
        return [item for index in columns.get(name, ()) for item in split_list(cell(index))]

    citation = _CITATION.search(get("citation")) if get("citation") else None
    from_citation = citation.groupdict() if citation else {}
    keywords = unique([*every("keywords"), *every("index_keywords")])
    return Record(
        number=number,
        line=line,
        title=get("title"),
        authors=unique([*split(get("authors")), *every("groups")]),
        journal=get("journal"),
        year=year_of(get("year")),
        volume=get("volume") or clean(from_citation.get("volume")),
        issue=get("issue") or clean(from_citation.get("issue")),
        pages=get("pages")
        or join_pages(get("page_start"), get("page_end"))
        or get("article_number")
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


def delimiter_of(first_line):
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def is_header(first_line):
    """Whether a file's first line is the header of an export this module reads."""
    header = next(csv.reader([first_line], delimiter=delimiter_of(first_line)), [])
    return export_of(header) is not None


def records(text):
    """The Records of a Text (evidence.importers.text), one at a time. A row of empty cells is
    skipped (an empty line is no row)."""
    first_line = next(text.lines())
    delimiter = delimiter_of(first_line)
    export = export_of(next(csv.reader([first_line], delimiter=delimiter), []))
    quoted = export is None or export["quoted"]
    reader = csv.reader(
        text.lines(keepends=True),
        delimiter=delimiter,
        strict=quoted,
        quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE,
    )
    header, columns, own, number = None, {}, False, 0
    split = AUTHOR_STYLES[export["authors"]] if export else split_authors
    line = 1
    try:
        for row in reader:
            if header is None:
                header, own = row, is_own_export(row)
                columns = columns_of(row, export) if export else {}
                if "title" not in columns:
                    raise ParseError(
                        f"no Title column among the headers ({', '.join(map(clean, row))})",
                        line=1,
                    )
            elif row and not any(cell.strip() for cell in row):
                number += 1
                yield skipped(number, line, "an empty row")
            elif row:
                if len(row) > len(header) and not any(c.strip() for c in row[len(header) :]):
                    row = row[: len(header)]  # a tab at the end of the line (Web of Science)
                if len(row) > len(header):
                    raise ParseError(
                        f"{len(row)} cells where the header has {len(header)} (an unquoted "
                        f"“{delimiter}” or a missing quote?)",
                        record=number + 1,
                        line=line,
                    )
                number += 1
                yield to_record(row, columns, number, line, own, split)
            line = reader.line_num + 1
    except csv.Error as error:
        raise ParseError(
            f"the CSV cannot be read ({error})", record=number + 1, line=line
        ) from None
