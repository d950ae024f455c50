"""What every parser produces: one Record per bibliographic record, and ParseError."""

import re
from dataclasses import dataclass, field

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


class ParseError(Exception):
    """The file cannot be read. Names the record (1-based) and the line where it went wrong."""

    def __init__(self, message, *, record=None, line=None):
        super().__init__(message)
        self.message = message
        self.record = record
        self.line = line

    def __str__(self):
        where = []
        if self.record is not None:
            where.append(f"record {self.record}")
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Record:
    """One record as a format gives it, mapped to the fields of a Study. Empty means absent."""

    number: int  # its position in the file, from 1
    line: int  # the line it starts on
    title: str = ""
    authors: list[str] = field(default_factory=list)  # "Surname Initials"
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = ""
    url: str = ""
    publication_types: list[str] = field(default_factory=list)
    mesh_terms: list[str] = field(default_factory=list)
    # Only our own CSV columns carry a design and population (and whether they were guessed);
    # for every other format they are guessed later from publication types and MeSH.
    design: str = ""
    population: str = ""
    design_guessed: bool | None = None
    population_guessed: bool | None = None
    # Why this entry of the file is no record at all (a biblatex @set, a @comment, a row of
    # empty cells): it is counted as skipped, neither imported nor an error.
    skipped: str = ""


def year_of(text):
    """The first plausible year in a date ('2020 May 3', '2020///', '2019 Dec-2020 Jan')."""
    match = _YEAR.search(str(text or ""))
    return int(match.group(1)) if match else None


def clean(text):
    """One line of text: whitespace runs (line breaks too) become one space."""
    return " ".join(str(text or "").split())


def unique(items):
    """Non-empty items, first occurrence kept, in order (clean() inlined: it runs for every
    author, keyword and type of every record)."""
    seen, out = set(), []
    for item in items:
        item = " ".join(str(item or "").split())
        folded = item.lower()
        if item and folded not in seen:
            seen.add(folded)
            out.append(item)
    return out


def skipped(number, line, why):
    """An entry of a file that is not a record (see Record.skipped)."""
    return Record(number=number, line=line, skipped=why)


def first_url(candidates):
    for candidate in candidates:
        url = clean(candidate)
        if url.lower().startswith(("http://", "https://")) and " " not in url:
            return url
    return ""


def join_pages(start, end):
    start, end = clean(start), clean(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


def split_list(value):
    """'a; b; c' -> [a, b, c]; a list without semicolons is split on commas."""
    value = clean(value)
    if not value:
        return []
    return unique(value.split(";") if ";" in value else value.split(","))
