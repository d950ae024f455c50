"""What every parser produces: one Record per bibliographic record, and ParseError."""

import re
from dataclasses import dataclass, field
from datetime import date

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# PubMed's publication type of an article that was retracted (its notice is "Retraction of
# Publication", which is no retraction of itself).
RETRACTED_TYPE = "retracted publication"
# In the reference of a retraction notice ("J Synth. 2024 Mar 4;5(2):10. doi: 10.5555/x.
# PMID: 99999002."): its PMID, its DOI, and its date when it gives the day.
_NOTICE_PMID = re.compile(r"PMID:\s*(\d+)")
_NOTICE_DOI = re.compile(r"doi:\s*(10\.\S+?)\.?(?:\s|$)", re.I)
_NOTICE_DATE = re.compile(
    r"(?<!\d)(1[5-9]\d\d|20\d\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2})(?!\d)"
)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


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
    # A record PubMed says was retracted (publication type "Retracted Publication", or a
    # "Retraction in" comment): the notice's reference as the record gives it, its address
    # (the notice's PubMed page, else its DOI, else the record's own PubMed page, which shows
    # the retraction) and its date when the reference gives the day (else the import's date).
    retracted: bool = False
    retraction_notice: str = ""
    retraction_notice_url: str = ""
    retracted_on: date | None = None
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


def notice_date(reference):
    """The date of a retraction notice's reference ('J Synth. 2024 Mar 4;5(2):10.'), when it
    gives the day; None otherwise (a month is not a date)."""
    match = _NOTICE_DATE.search(reference)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), _MONTHS.index(month) + 1, int(day))
    except ValueError:
        return None


def mark_retraction(record, notices):
    """Mark a PubMed record retracted when its publication types say so or it carries a
    "Retraction in" comment: `notices` are those comments, each (reference, PMID or "") as the
    record gives them. The first notice is the one recorded."""
    types = {kind.lower() for kind in record.publication_types}
    notices = [(clean(reference), clean(pmid)) for reference, pmid in notices]
    notices = [(reference, pmid) for reference, pmid in notices if reference or pmid]
    if RETRACTED_TYPE not in types and not notices:
        return record
    reference, pmid = notices[0] if notices else ("", "")
    pmid = pmid or (found.group(1) if (found := _NOTICE_PMID.search(reference)) else "")
    doi = found.group(1) if (found := _NOTICE_DOI.search(reference)) else ""
    record.retracted = True
    record.retraction_notice = reference
    if pmid.isdigit():
        record.retraction_notice_url = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    elif doi:
        record.retraction_notice_url = f"https://doi.org/{doi}"
    elif record.pmid.isdigit():
        record.retraction_notice_url = f"https://pubmed.ncbi.nlm.nih.gov/{record.pmid}/"
    elif record.doi:
        record.retraction_notice_url = f"https://doi.org/{record.doi}"
    record.retracted_on = notice_date(reference)
    return record
