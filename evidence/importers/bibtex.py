"""BibTeX (Zotero, Mendeley, JabRef, Google Scholar). bibtexparser reads the entries; LaTeX
accents and escapes are decoded to text; names become 'Surname Initials'."""

import logging
import re

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text

from evidence.importers.names import initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    first_url,
    split_list,
    unique,
    year_of,
)

logging.getLogger("bibtexparser").addHandler(logging.NullHandler())  # we report errors
_latex = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)
_PMID = re.compile(r"^\d+$")


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


def to_record(entry, number):
    def field(*names):
        for name in names:
            value = entry.fields_dict.get(name)
            if value is not None and clean(value.value):
                return text(value.value)
        return ""

    names = entry.fields_dict.get("author")
    keywords = split_list(field("keywords", "mesh"))
    pmid = field("pmid")
    return Record(
        number=number,
        line=entry.start_line + 1,
        title=field("title"),
        authors=unique(author(parts) for parts in (names.value if names else [])),
        journal=field("journal", "journaltitle", "booktitle"),
        year=year_of(field("year", "date")),
        volume=field("volume"),
        issue=field("number", "issue"),
        pages=field("pages").replace("--", "-"),
        doi=field("doi"),
        pmid=pmid if _PMID.match(pmid) else "",
        pmcid=field("pmcid"),
        abstract=field("abstract"),
        keywords=keywords,
        language=field("language", "langid"),
        url=first_url([field("url")]),
        publication_types=split_list(field("pubtype", "type")),
        mesh_terms=keywords,
    )


def records(text_):
    """The Records of a Text (evidence.importers.text): bibtexparser reads the whole text."""
    library = bibtexparser.parse_string(
        text_.whole(),
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    entries = []
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # two entries with one key are still two records
        if isinstance(block, Entry):
            entries.append(block)
        elif block in library.failed_blocks:
            raise ParseError(
                "this entry cannot be read (a brace, quote or comma is missing?)",
                record=len(entries) + 1,
                line=block.start_line + 1,
            )
    for number, entry in enumerate(entries, start=1):
        yield to_record(entry, number)
