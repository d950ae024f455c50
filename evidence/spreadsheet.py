"""Our own CSV of studies: its columns, and the quote that keeps a spreadsheet from running a
cell as a formula, added by the export (evidence.exporters) and taken off by the import
(evidence.importers.csvfile). No imports, so that both can use it without a cycle.

Why a quote, and why only ours is unquoted: OWASP's advice for CSV injection is to prefix a
cell that starts with = + - @, tab or carriage return with a single quote, which spreadsheets
read as "this is text". The file must still import back to the same studies, so the importer
takes exactly that quote off, and only in a file with our header: a PubMed or Scopus cell
"'=x" is what its tool wrote and stays as it is. A value that itself starts with quotes before
one of those characters gets one quote more on export, so taking one off is exact whatever
the value held."""

import re

CSV_COLUMNS = [
    ("Title", "title"),
    ("Authors", "authors"),
    ("Journal", "journal"),
    ("Year", "year"),
    ("Volume", "volume"),
    ("Issue", "issue"),
    ("Pages", "pages"),
    ("DOI", "doi"),
    ("PMID", "pmid"),
    ("PMCID", "pmcid"),
    ("Abstract", "abstract"),
    ("Keywords", "keywords"),
    ("Language", "language"),
    ("URL", "url"),
    ("Publication types", "publication_types"),
    ("Design", "design"),
    ("Design guessed", "design_guessed"),
    ("Population", "population"),
    ("Population guessed", "population_guessed"),
]

# OWASP's CSV injection rule: a cell starting with one of these a spreadsheet reads as a
# formula (or skips to one). Such a cell goes out behind a single quote, which spreadsheets
# show as text. Cells already starting with quotes before one of these get one more quote, so
# that stripping exactly one quote on import (restore_cell) gives every value back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_QUOTE = "'"
_NEUTRALISED = re.compile(f"^{FORMULA_QUOTE}*[{re.escape(''.join(FORMULA_STARTS))}]")


def neutralise_cell(text):
    """A CSV cell a spreadsheet will not run as a formula ("=1+2" -> "'=1+2")."""
    return FORMULA_QUOTE + text if _NEUTRALISED.match(text) else text


def restore_cell(text):
    """neutralise_cell undone: for the cells of our own CSV export only (the importer knows it
    by its header), since another tool's cell "'=x" means what it says."""
    return text[1:] if _NEUTRALISED.match(text) and text.startswith(FORMULA_QUOTE) else text
