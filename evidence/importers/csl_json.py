"""CSL JSON (Zotero's "CSL JSON" export, citeproc's input): an array of items, or one item.
Read whole, as BibTeX is, one item at a time, keeping the line each starts on; fields map as
evidence.importers.fields.CSL_JSON says."""

import json
import re

from evidence.importers.fields import CSL_JSON
from evidence.importers.names import surname_initials
from evidence.importers.records import (
    ParseError,
    Record,
    clean,
    first_url,
    split_list,
    unique,
    year_of,
)

_SPACE = re.compile(r"\s*")
_decoder = json.JSONDecoder()


def _text(value):
    """A CSL value as one line of text: a string, a number, or the first of a list."""
    if isinstance(value, list):
        value = next((v for v in value if clean(v)), "")
    if isinstance(value, dict | bool) or value is None:
        return ""
    return clean(value)


def _year(value):
    """A CSL date: {"date-parts": [[2021, 5, 3]]}, {"raw": "2021-05-03"}, {"literal": …}, or a
    string."""
    if isinstance(value, dict):
        parts = value.get("date-parts") or [[]]
        first = parts[0] if isinstance(parts, list) and parts else []
        if isinstance(first, list) and first:
            return year_of(first[0])
        return year_of(value.get("raw") or value.get("literal") or value.get("season"))
    return year_of(_text(value))


def _author(name):
    """{"family": "Vries", "given": "Frank", "non-dropping-particle": "de"}, or {"literal": …}."""
    if not isinstance(name, dict):
        return surname_initials(_text(name))
    if _text(name.get("literal")):
        return surname_initials(name["literal"])
    family = " ".join(
        _text(name.get(part)) for part in ("non-dropping-particle", "family") if name.get(part)
    )
    given = " ".join(
        _text(name.get(part)) for part in ("given", "dropping-particle") if name.get(part)
    )
    return surname_initials(f"{family}, {given}" if given else family)


def to_record(item, number, line):
    if not isinstance(item, dict):
        raise ParseError("expected an item ({…}) of CSL JSON", record=number, line=line)

    def first(field):
        for key in CSL_JSON[field]:
            if value := _text(item.get(key)):
                return value
        return ""

    names = [name for key in CSL_JSON["authors"] for name in (item.get(key) or [])]
    keywords = unique(k for key in CSL_JSON["keywords"] for k in split_list(_text(item.get(key))))
    return Record(
        number=number,
        line=line,
        title=first("title"),
        authors=unique(_author(name) for name in names if name),
        journal=first("journal"),
        year=next((y for key in CSL_JSON["year"] if (y := _year(item.get(key))) is not None), None),
        volume=first("volume"),
        issue=first("issue"),
        pages=first("pages"),
        doi=first("doi"),
        pmid=first("pmid"),
        pmcid=first("pmcid"),
        abstract=first("abstract"),
        keywords=keywords,
        language=first("language"),
        url=first_url([first("url")]),
        publication_types=split_list(first("publication_types")),
        mesh_terms=keywords,
    )


def _items(whole):
    """(offset, item) of each item of the text, decoded one at a time; ParseError where the
    JSON breaks."""
    at = _SPACE.match(whole).end()
    if whole.startswith("{", at):
        starts, closing = [at], None
    elif whole.startswith("[", at):
        starts, closing = None, "]"
        at += 1
    else:
        raise ParseError("expected CSL JSON: an array of items ([{…}, …])", line=1)
    number = 0
    while True:
        at = _SPACE.match(whole, at).end()
        if closing and whole.startswith(closing, at):
            at += 1
            break
        if starts is None and number:
            if not whole.startswith(",", at):
                raise _broken(whole, at, number + 1, "a comma or “]” is missing")
            at = _SPACE.match(whole, at + 1).end()
        try:
            item, end = _decoder.raw_decode(whole, at)
        except json.JSONDecodeError as error:
            raise _broken(whole, error.pos, number + 1, error.msg) from None
        number += 1
        yield at, item
        at = end
        if starts is not None:
            break
    at = _SPACE.match(whole, at).end()
    if at < len(whole):
        raise _broken(whole, at, number + 1, "text after the last item")


def _broken(whole, at, record, why):
    return ParseError(
        f"the JSON cannot be read ({why})", record=record, line=whole.count("\n", 0, at) + 1
    )


def records(text):
    """The Records of a Text (evidence.importers.text): the text is read whole."""
    whole = text.whole()
    line, counted = 1, 0
    for number, (at, item) in enumerate(_items(whole), start=1):
        line += whole.count("\n", counted, at)
        counted = at
        yield to_record(item, number, line)
