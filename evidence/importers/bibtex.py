"""BibTeX and biblatex (Zotero, Mendeley, JabRef, Google Scholar, Scopus). bibtexparser reads the
entries; LaTeX accents and escapes are decoded to text; names become 'Surname Initials'; fields
map as evidence.importers.fields.BIBTEX says.

Text outside the entries (Scopus's header lines) is no entry. @comment, @preamble and @string
blocks, and entries that are no record (a biblatex @set: fields.BIBTEX_NOT_RECORDS), are
skipped. An entry with a field twice (as some exports write) is read, its first value kept."""

import logging
import re

from bibtexparser import middlewares
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ExplicitComment,
    Preamble,
    String,
)
from bibtexparser.splitter import Splitter
from pylatexenc.latex2text import LatexNodes2Text

from evidence.importers.fields import BIBTEX, BIBTEX_NOT_RECORDS
from evidence.importers.names import initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    first_url,
    skipped,
    split_list,
    unique,
    year_of,
)

logging.getLogger("bibtexparser").addHandler(logging.NullHandler())  # we report errors
_latex = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_PMID = re.compile(r"^\d+$")
_PAGE_RANGE = re.compile(r"\s*(?:--?|–|—)\s*")  # 45--67, 45 – 67
# Blocks that are no entry, skipped with the reason.
NOT_ENTRIES = {
    ExplicitComment: "a @comment",
    Preamble: "a @preamble",
    String: "a @string (an abbreviation other entries use)",
}


def text(value):
    value = clean(value)
    if not any(c in value for c in "\\{}$~"):
        return value
    return clean(_latex.latex_to_text(value))


def author(parts):
    """bibtexparser's NameParts to 'Surname Initials'; a braced group name stays whole."""
    surname = text(" ".join([*parts.von, *parts.last]))
    given = initials(text(" ".join(parts.first)))
    return f"{surname} {given}".strip()


def _fields(entry):
    """{name: value} of an entry's fields, in lower case."""
    return {item.key.lower(): item.value for item in entry.fields}


def _first_of_each_field(entry):
    """The entry with the first of each field it has more than once."""
    seen = set()
    entry.fields = [
        item
        for item in entry.fields
        if not (item.key.lower() in seen or seen.add(item.key.lower()))
    ]
    return entry


def _library(text_):
    """bibtexparser's Library of a text: its blocks split, then the usual middlewares
    (enclosing braces removed, @string references resolved) and ours (names split into their
    parts). bibtexparser leaves an entry unread when it has a field twice (it is read with the
    first) or the key of an entry before it (two records still: it is read under a key of its
    own)."""
    library = Splitter(bibstr=text_).split()
    for number, block in enumerate(list(library.failed_blocks), start=1):
        entry = block
        while isinstance(entry, DuplicateFieldKeyBlock | DuplicateBlockKeyBlock):
            entry = entry.ignore_error_block
        if entry is not block and isinstance(entry, Entry):
            entry = _first_of_each_field(entry)
            entry.key = f"{entry.key} (again: {number})"
            library.replace(block, entry, fail_on_duplicate_key=False)
    for middleware in (
        *default_parse_stack(allow_inplace_modification=True),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
    ):
        library = middleware.transform(library=library)
    return library


def to_record(entry, number):
    fields = _fields(entry)

    def field(name):
        for key in BIBTEX[name]:
            value = fields.get(key)
            if value is not None and not isinstance(value, list) and clean(value):
                return text(value)
        return ""

    names = [
        parts
        for key in BIBTEX["authors"]
        if isinstance(fields.get(key), list)
        for parts in fields[key]
    ]
    keywords = unique(
        [item for key in BIBTEX["keywords"] for item in split_list(text(fields.get(key, "")))]
    )
    pmid = field("pmid")
    return Record(
        number=number,
        line=entry.start_line + 1,
        title=field("title"),
        authors=unique(author(parts) for parts in names),
        journal=field("journal"),
        year=year_of(field("year")),
        volume=field("volume"),
        issue=field("issue"),
        pages=_PAGE_RANGE.sub("-", field("pages")),
        doi=field("doi"),
        pmid=pmid if _PMID.match(pmid) else "",
        pmcid=field("pmcid"),
        abstract=field("abstract"),
        keywords=keywords,
        language=field("language"),
        url=first_url([field("url")]),
        publication_types=split_list(field("publication_types")),
        mesh_terms=keywords,
    )


def records(text_):
    """The Records of a Text (evidence.importers.text): bibtexparser reads the whole text."""
    library = _library(text_.whole())
    entries = []  # each an Entry, or the reason a block is skipped and its line
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # two entries with one key are still two records
        if isinstance(block, Entry):
            why = BIBTEX_NOT_RECORDS.get(block.entry_type.lower())
            entries.append((why, block.start_line + 1) if why else block)
        elif type(block) in NOT_ENTRIES:
            entries.append((NOT_ENTRIES[type(block)], block.start_line + 1))
        elif block in library.failed_blocks:
            raise ParseError(
                "this entry cannot be read (a brace, quote or comma is missing?)",
                record=len(entries) + 1,
                line=block.start_line + 1,
            )
    for number, entry in enumerate(entries, start=1):
        if isinstance(entry, tuple):
            yield skipped(number, entry[1], entry[0])
        else:
            yield to_record(entry, number)
