"""Studies to RIS, BibTeX and CSV, one chunk of text per study (for a streamed download).
What these files hold reads back through evidence.importers to the same studies."""

import csv
import io
import re

import rispy
from bibtexparser import Library, write_string
from bibtexparser.model import Entry, Field

from evidence.importers.names import family_given
from evidence.spreadsheet import CSV_COLUMNS, neutralise_cell

# Every line boundary str.splitlines() knows (RIS readers split on them): inside a field, one
# would start a new line, and a title holding "\nER  -\nTY  -" would be an extra record.
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])[ \t]*")

FORMATS = {
    "ris": ("application/x-research-info-systems", "ris"),
    "bib": ("application/x-bibtex", "bib"),
    "csv": ("text/csv", "csv"),
}


def one_line(value):
    """A field's text on one line: each line break, with the blanks around it, becomes a space.
    No exported field can then start a line of its own (a RIS tag, a BibTeX entry, a CSV row).
    The import folds whitespace the same way (records.clean), so the round trip holds."""
    return _LINE_BREAKS.sub(" ", value)


def spreadsheet_cell(text):
    """A CSV cell of any of our exports: on one line, and never a formula."""
    return neutralise_cell(one_line(text))


def _one_line_values(entry):
    return {
        key: [one_line(item) for item in value] if isinstance(value, list) else one_line(value)
        for key, value in entry.items()
    }


def _name(author, bibtex=False):
    """'de Vries F' -> 'de Vries, F.'; a group's name stays (braced for BibTeX)."""
    family, given = family_given(author)
    if bibtex:
        family = latex(family)
    if not given:
        return f"{{{family}}}" if bibtex else family
    return f"{family}, {'.'.join(given)}."


def _pages(study):
    start, _, end = study.pages.partition("-")
    return start.strip(), end.strip()


def ris_entry(study):
    start, end = _pages(study)
    entry = {
        "type_of_reference": "JOUR",
        "title": study.title,
        "authors": [_name(author) for author in study.authors],
        "secondary_title": study.journal,
        "year": str(study.year or ""),
        "volume": study.volume,
        "number": study.issue,
        "start_page": start,
        "end_page": end,
        "doi": study.doi,
        "accession_number": study.pmid,
        "name_of_database": "PubMed" if study.pmid else "",
        "custom2": study.pmcid,
        "abstract": study.abstract,
        "keywords": study.keywords,
        "language": study.language,
        "urls": [study.url] if study.url else [],
        "type_of_work": "; ".join(study.publication_types),
    }
    return _one_line_values({key: value for key, value in entry.items() if value})


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line above each record."""

    def set_header(self, count):
        return ""


def to_ris(studies):
    for study in studies:
        yield rispy.dumps([ris_entry(study)], implementation=_RisWriter)


LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{c: f"\\{c}" for c in "{}%&$#_"},
}


def latex(text):
    """Characters LaTeX would read as commands, escaped ("5%" -> "5\\%")."""
    return "".join(LATEX_ESCAPES.get(c, c) for c in text)


def bibtex_entry(study):
    fields = {
        "title": study.title,
        "author": " and ".join(_name(author, bibtex=True) for author in study.authors),
        "journal": study.journal,
        "year": str(study.year or ""),
        "volume": study.volume,
        "number": study.issue,
        "pages": study.pages.replace("-", "--"),
        "doi": study.doi,
        "pmid": study.pmid,
        "pmcid": study.pmcid,
        "abstract": study.abstract,
        "keywords": "; ".join(study.keywords),
        "language": study.language,
        "url": study.url,
        "pubtype": "; ".join(study.publication_types),
    }
    return Entry(
        "article",
        f"study{study.pk}",
        [
            Field(key, one_line(value if key == "author" else latex(value)))
            for key, value in fields.items()
            if value
        ],
    )


def to_bibtex(studies):
    for study in studies:
        yield write_string(Library([bibtex_entry(study)]))


def _csv_line(values):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(value)
    elif isinstance(value, bool):
        value = "true" if value else "false"
    return spreadsheet_cell("" if value is None else str(value))


def to_csv(studies):
    yield _csv_line([header for header, _ in CSV_COLUMNS])
    for study in studies:
        yield _csv_line([_cell(getattr(study, name)) for _, name in CSV_COLUMNS])


WRITERS = {"ris": to_ris, "bib": to_bibtex, "csv": to_csv}
