"""A work of Crossref's REST API (GET /works/{doi}) as a Record, mapped as
evidence.importers.fields.CROSSREF says. Used by the look-up of a DOI PubMed does not hold
(evidence.lookup); a work that Crossref says a retraction updated ("updated-by", type
"retraction") comes in retracted, with the notice's DOI as its address."""

import re
from datetime import date

from evidence.importers import guess
from evidence.importers.csl_json import _author, _year
from evidence.importers.fields import CROSSREF
from evidence.importers.records import Record, clean, first_url, unique

_TAG = re.compile(r"<[^>]+>")
RETRACTION = "retraction"


def _text(value):
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int) and clean(v)), "")
    if isinstance(value, dict):
        value = value.get("issue") or value.get("URL") or ""
        if isinstance(value, dict):  # "resource": {"primary": {"URL": …}}
            value = ""
    return clean(value) if isinstance(value, str | int) else ""


def _first(work, field):
    for key in CROSSREF[field]:
        value = work.get(key)
        if key == "resource" and isinstance(value, dict):
            value = (value.get("primary") or {}).get("URL", "")
        if text := _text(value):
            return text
    return ""


def day_of(value):
    """A Crossref date ({"date-parts": [[2024, 3, 4]]}) when it gives the day, else None."""
    parts = (value or {}).get("date-parts") or [[]]
    first = parts[0] if isinstance(parts, list) and parts else []
    if isinstance(first, list) and len(first) == 3 and all(isinstance(p, int) for p in first):
        try:
            return date(*first)
        except ValueError:
            return None
    return None


def retractions(work):
    """The retraction notices Crossref lists for a work: [(notice DOI, date or None)]."""
    found = []
    for key in CROSSREF["updated_by"]:
        for update in work.get(key) or []:
            if isinstance(update, dict) and update.get("type") == RETRACTION and update.get("DOI"):
                found.append((clean(update["DOI"]).lower(), day_of(update.get("updated"))))
    return found


def to_record(work, number=1, line=1):
    title = _first(work, "title")
    if (subtitle := _first(work, "subtitle")) and title:
        title = f"{title}: {subtitle}"
    record = Record(
        number=number,
        line=line,
        title=title,
        authors=unique(_author(name) for name in work.get("author") or [] if name),
        journal=_first(work, "journal"),
        year=next((y for key in CROSSREF["year"] if (y := _year(work.get(key))) is not None), None),
        volume=_first(work, "volume"),
        issue=_first(work, "issue"),
        pages=_first(work, "pages"),
        doi=_first(work, "doi"),
        abstract=clean(_TAG.sub(" ", _first(work, "abstract") or "")),
        keywords=unique(_text(s) for s in work.get("subject") or []),
        language=_first(work, "language"),
        url=first_url([_first(work, "url")]),
        publication_types=unique([_first(work, "publication_types")]),
    )
    notices = retractions(work)
    if notices:
        notice, day = notices[0]
        record.retracted = True
        record.retraction_notice = f"Retraction notice doi:{notice} (Crossref)"
        record.retraction_notice_url = f"https://doi.org/{notice}"
        record.retracted_on = day
    return guess.complete(record)
