"""Writes that touch several records of the literature, each in one transaction.

studies_import: a file's records (evidence.importers), read one at a time, into Study, in one
transaction with batched writes: per batch of records, a bounded number of queries whatever the
library's size: one look-up of the stored studies sharing an identifier, a title or a first
author with any record of the batch (set-based: the batch's keys in one query, joined on the
indexes), then the inserts of the studies, their history and the duplicate flags. On PostgreSQL
the studies go in by COPY (config.bulk) with ids taken from the sequence first, and their history
rows are copied from them by one INSERT … SELECT; on SQLite both by bulk_create. A record is
checked by the rules full_clean() applies, without a Study per record (study_values).

Three threads share the work of a file of several batches, so that Python runs while the
database works: one reads and checks the records (_checked_batches), one classifies them
(_Importer.plan), and the caller's thread runs the queries, in order, on its connection and in
its transaction (config.pipeline). A batch is looked up before the one ahead of it is written;
the records of that one are matched from memory, as the stored studies they are becoming.

A PubMed record that comes in retracted (evidence.importers.records.mark_retraction) makes a
study stored retracted, with its notice. One that duplicates a stored study not yet retracted
(the record was retracted since it was stored) marks that study retracted: the batch's such
studies are read in one query, and only for each one found (no query per record) its new
version is saved and studies_retracted_hooks run (claims regrades and flags its grades).

Memory stays flat in the file's size: the records are read as the import goes (a file that
breaks half-way rolls the transaction back), what the import keeps of each batch is gone once
the batch after it is classified (the batches after that find those studies by the same look-up
as any stored study), and a caller that does not need every record's outcome keeps only some
(keep_outcomes). A dry run writes nothing, so it remembers the keys of every record (_Key) to
match the records after them.

Imports take turns: two at once (two uploads, the command beside the site) would each look for
duplicates before the other had written, and both create the same studies. On PostgreSQL an
import takes a transaction-level advisory lock before it looks; on SQLite every transaction
takes the database's write lock as it begins (BEGIN IMMEDIATE, config/settings.py).
"""

import json
import queue
import re
import threading
from array import array
from collections import Counter
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, OperationalError, connection, transaction
from django.tasks import task
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.bulk import copy_values, take_ids
from config.errors import Conflict
from config.pipeline import Pipeline
from evidence import matching
from evidence.citations import short_label
from evidence.identifiers import (
    PMCID_PATTERN,
    PMID_PATTERN,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from evidence.importers import decode, detect, records_of
from evidence.models import (
    TITLE_MAX_LENGTH,
    Design,
    ImportStatus,
    Population,
    PossibleDuplicate,
    Study,
    StudyImport,
)

IMPORT_BATCH_SIZE = 500
# A task's import commits every this many records, with its progress (study_import_run).
IMPORT_TASK_CHUNK = 1000
IMPORT_LOCK_KEY = 0x45564944  # "EVID": the key of the PostgreSQL advisory lock imports take
IDENTIFIERS = (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"))
IDENTIFIER_NAMES = [name for name, _ in IDENTIFIERS]
# How the databases name a unique identifier that was taken: PostgreSQL the constraint, SQLite
# the column.
UNIQUE_IDENTIFIERS = (
    *(f"study_{name}_unique" for name, _ in IDENTIFIERS),
    *(f"evidence_study.{name}" for name, _ in IDENTIFIERS),
)
# What dedupe reads of a stored study (the fields of _Key).
MATCH_FIELDS = ("id", "title", "authors", "journal", "year")
MATCH_FIELDS += ("doi", "pmid", "pmcid", "title_key", "author_key")

# What other apps do with the studies an import created, each called with their ids once the
# import has committed: claims registers the embedding of their title and abstract
# (ClaimsConfig.ready). A plain list, not a signal: evidence knows nothing of claims, and
# every import (the command, the admin's page, the API) passes through studies_import.
studies_imported_hooks = []
# What other apps do with a stored study an import found retracted (a record of it that PubMed
# now marks retracted), each called as hook(study=study) once the study is marked, in the
# import's transaction: claims regrades the claims it bears on and flags their published grades
# for review (claims.services.claims_flag_for_review, as claims.services.study_retract does).
studies_retracted_hooks = []


class Status:
    NEW = "new"
    DUPLICATE = "duplicate"
    POSSIBLE_DUPLICATE = "possible duplicate"
    ERROR = "error"
    SKIPPED = "skipped"  # not a record (a biblatex @set, a @comment, a row of empty cells)
    LEFT_OUT = "left out"  # a person chose, in the preview, not to import it


# Said of a new study whose design or population is not known (issue 12, item 3): a finding on
# it will not count until it is classified (evidence.models.Study.is_classified).
UNCLASSIFIED_NOTE = (
    "not classified: set its design and population, or findings on it will not count"
)


@dataclass
class Outcome:
    """What became of one record."""

    number: int
    line: int | None
    title: str
    status: str
    match_id: int | None = None  # the stored study it duplicates or may duplicate
    match_label: str = ""  # that study, or "record 3 of this file"
    message: str = ""  # why: the identifier, the similarity, or the error
    study_id: int | None = None  # the study it created

    def as_dict(self):
        return asdict(self)


@dataclass
class ImportResult:
    """What became of a file's records: the outcomes kept (every one unless the import was
    told otherwise: studies_import's keep_outcomes), in the order of the file, and how many
    records came to each status."""

    outcomes: list[Outcome]
    dry_run: bool
    counts: Counter = field(default=None)

    def __post_init__(self):
        if self.counts is None:
            self.counts = Counter(outcome.status for outcome in self.outcomes)

    def count(self, status):
        return self.counts[status]

    @property
    def total(self):
        """How many records the file held."""
        return sum(self.counts.values())

    @property
    def created(self):
        return self.count(Status.NEW)

    @property
    def duplicates(self):
        return self.count(Status.DUPLICATE)

    @property
    def possible_duplicates(self):
        return self.count(Status.POSSIBLE_DUPLICATE)

    @property
    def errors(self):
        return self.count(Status.ERROR)

    @property
    def skipped(self):
        return self.count(Status.SKIPPED)

    # How many records came in retracted (new studies stored retracted, and duplicates of
    # stored studies), and how many stored studies were not retracted until this import.
    retracted: int = 0
    now_retracted: int = 0

    @property
    def left_out(self):
        return self.count(Status.LEFT_OUT)

    @property
    def summary(self):
        """StudyImport's summary, then how many records came in retracted, when any did."""
        summary = StudyImport.summary_of(
            self.created,
            self.duplicates,
            self.possible_duplicates,
            self.errors,
            self.skipped,
            self.left_out,
        )
        if not self.retracted:
            return summary
        stored = (
            f" ({self.now_retracted} of them stored and {'would be' if self.dry_run else 'now'} "
            f"marked retracted)"
            if self.now_retracted
            else ""
        )
        return f"{summary}, {self.retracted} retracted{stored}"


class _Key:
    """What dedupe needs of a study, stored or of this file: its identifiers, match keys and
    year, and what describes it (_describe; in a dry run nothing, for a record of this file,
    which a dry run never describes). A study of this file has its id once its batch is
    written."""

    __slots__ = MATCH_FIELDS

    def __init__(self, id, title, authors, journal, year, doi, pmid, pmcid, title_key, author_key):
        self.id, self.title, self.authors, self.journal, self.year = (
            id, title, authors, journal, year
        )  # fmt: skip
        self.doi, self.pmid, self.pmcid, self.title_key, self.author_key = (
            doi, pmid, pmcid, title_key, author_key
        )  # fmt: skip

    @property
    def pk(self):
        return self.id


def _describe(study):
    return f"{short_label(study.authors, study.journal, study.year)}: {study.title[:80]}"


def _error_message(error):
    parts = []
    for name, messages in error.message_dict.items():
        if name == "title" and any("blank" in message for message in messages):
            parts.append("no title")
        else:
            label = "record" if name == "__all__" else name
            parts.append(f"{label}: {' '.join(messages)}")
    return "; ".join(parts)


FROM_RECORDS = (
    "title", "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "pmcid",
    "abstract", "keywords", "language", "url", "publication_types", "design", "design_guessed",
    "population", "population_guessed", "retracted", "retracted_on", "retraction_notice_url",
)  # fmt: skip
NOT_FROM_RECORDS = [f.name for f in Study._meta.concrete_fields if f.name not in FROM_RECORDS]
# What study_values gives: the fields of a record, then the match keys.
VALUES = (*FROM_RECORDS, "title_key", "author_key")
_YEAR, _DOI, _PMID, _PMCID = (VALUES.index(name) for name in ("year", "doi", "pmid", "pmcid"))
_TITLE_KEY, _AUTHOR_KEY = VALUES.index("title_key"), VALUES.index("author_key")
_DESIGN, _POPULATION = VALUES.index("design"), VALUES.index("population")
_TITLE, _AUTHORS, _JOURNAL = (VALUES.index(name) for name in ("title", "authors", "journal"))
_KEYWORDS, _RETRACTED_ON = VALUES.index("keywords"), VALUES.index("retracted_on")
# The rest of an imported study's fields, as a new Study has them.
CONSTANT_FIELDS = {
    "version": 1,
    "authors_incomplete": False,
    "pools_randomised": None,
    "participants": None,
}
_LIMITS = {name: Study._meta.get_field(name).max_length for name in ("doi", "pmid", "pmcid", "url")}
_YEAR_RANGE = range(0, 32768)  # a PositiveSmallIntegerField's
_DESIGNS, _POPULATIONS = frozenset(Design.values), frozenset(Population.values)
_URL = URLValidator()


def study_from_record(record):
    """An unsaved, validated Study for a Record; raises ValidationError."""
    study = Study(
        title=record.title,
        authors=record.authors,
        journal=record.journal[:300],
        year=record.year,
        volume=record.volume[:50],
        issue=record.issue[:50],
        pages=record.pages[:50],
        doi=record.doi,
        pmid=record.pmid,
        pmcid=record.pmcid,
        abstract=record.abstract,
        keywords=record.keywords,
        language=record.language[:100],
        url=record.url if len(record.url) <= 500 else "",
        publication_types=record.publication_types,
        design=record.design,
        design_guessed=bool(record.design_guessed),
        population=record.population,
        population_guessed=bool(record.population_guessed),
        retracted=record.retracted,
        retracted_on=_retracted_on(record),
        retraction_notice_url=record.retraction_notice_url,
    )
    # Unique identifiers are what the import looks up; the check constraints are the model's
    # clean() in Python, so validation needs no query per record. The fields a record does not
    # set hold their defaults, which are valid: only the record's are checked.
    study.full_clean(exclude=NOT_FROM_RECORDS, validate_unique=False, validate_constraints=False)
    study.set_match_keys()
    return study


def _retracted_on(record):
    """A retracted record's date of retraction: its notice's, else the day it is imported."""
    if not record.retracted:
        return None
    return record.retracted_on or timezone.localdate()


def _valid_url(url):
    try:
        _URL(url)
    except ValidationError:
        return False
    return True


def study_values(record):
    """The VALUES of the Study a Record makes, as study_from_record() gives them (the same
    normalized identifiers, the same truncations, the same match keys); ValidationError with
    the same messages. A record whose every field passes the checks full_clean() would make
    (the usual case) needs no Study: one that may not is checked by study_from_record()."""
    title, authors, keywords, types = (
        record.title, record.authors, record.keywords, record.publication_types
    )  # fmt: skip
    year, design, population = record.year, record.design, record.population
    doi, pmid, pmcid = (
        normalize_doi(record.doi), normalize_pmid(record.pmid), normalize_pmcid(record.pmcid)
    )  # fmt: skip
    url = record.url if len(record.url) <= 500 else ""
    if (
        title
        and len(title) <= TITLE_MAX_LENGTH
        and type(authors) is list
        and type(keywords) is list
        and type(types) is list
        and (year is None or (type(year) is int and year in _YEAR_RANGE))
        and (not doi or (doi.startswith("10.") and len(doi) <= _LIMITS["doi"]))
        and (not pmid or (len(pmid) <= _LIMITS["pmid"] and PMID_PATTERN.search(pmid)))
        and (not pmcid or (len(pmcid) <= _LIMITS["pmcid"] and PMCID_PATTERN.search(pmcid)))
        and (not design or design in _DESIGNS)
        and (not population or population in _POPULATIONS)
        and (not url or _valid_url(url))
        and (
            not record.retracted
            or (
                0 < len(record.retraction_notice_url) <= 500
                and _valid_url(record.retraction_notice_url)
            )
        )
    ):
        return (
            title, authors, record.journal[:300], year, record.volume[:50],
            record.issue[:50], record.pages[:50], doi, pmid, pmcid, record.abstract,
            keywords, record.language[:100], url, types, design,
            bool(record.design_guessed), population, bool(record.population_guessed),
            bool(record.retracted), _retracted_on(record), record.retraction_notice_url,
            matching.title_key(title), matching.author_key(authors),
        )  # fmt: skip
    study = study_from_record(record)  # full_clean(): its ValidationError, or a valid study
    return tuple(getattr(study, name) for name in VALUES)


class _Seen:
    """The records of this file so far, as matches for the ones after them: their _Keys."""

    def __init__(self):
        self.by_identifier = {}  # ("doi", value) -> (record number, _Key)
        self.by_title = {}  # title key -> [(record number, _Key)]
        self.by_author = {}  # author key -> [(record number, _Key)]

    def add(self, number, study):
        for name, _ in IDENTIFIERS:
            if getattr(study, name):
                self.by_identifier.setdefault((name, getattr(study, name)), (number, study))
        self.by_title.setdefault(study.title_key, []).append((number, study))
        if study.author_key:
            self.by_author.setdefault(study.author_key, []).append((number, study))


def _has_identifier(study):
    return any(getattr(study, name) for name, _ in IDENTIFIERS)


def _probable(study, candidates):
    """The best (candidate, reason, exact) among candidates (number or None, Study) that may be
    the same record: same title and year, or a similar title by the same first author. The
    same title, year and first author with no identifier on either side is exact."""
    best = None
    for number, other in candidates:
        if other is study:
            continue
        if other.title_key == study.title_key and (
            other.year == study.year or other.year is None or study.year is None
        ):
            if (
                other.year == study.year
                and other.author_key == study.author_key
                and not _has_identifier(study)
                and not _has_identifier(other)
            ):
                return (number, other), "same title, year and first author, no identifiers", True
            score = 1.0
            reason = "same title and year" if other.year == study.year else "same title"
        elif study.author_key and other.author_key == study.author_key:
            score = matching.title_similarity(study.title_key, other.title_key)
            if score < matching.TITLE_SIMILARITY_THRESHOLD:
                continue
            reason = f"title {score:.0%} similar, same first author"
        else:
            continue
        if best is None or score > best[0]:
            best = (score, (number, other), reason)
    return (best[1], best[2], False) if best else (None, "", False)


def _wanted(keys):
    """What to look up of a batch's _Keys: {column: its values}, the columns with any."""
    wanted = {"title_key": {key.title_key for key in keys}}
    wanted["author_key"] = {key.author_key for key in keys if key.author_key}
    for name, _ in IDENTIFIERS:
        wanted[name] = {getattr(key, name) for key in keys if getattr(key, name)}
    return {name: values for name, values in wanted.items() if values}


def _stored_rows_of(wanted):
    """The stored studies sharing a value of `wanted` (_wanted): rows of MATCH_FIELDS by id, in
    one query (none when nothing is wanted)."""
    if not wanted:
        return []
    lookup = _stored_rows_pg if connection.vendor == "postgresql" else _stored_rows
    return list(lookup(wanted))


def _stored_rows(wanted):
    """The MATCH_FIELDS of the stored studies whose column (a key of `wanted`) holds one of its
    values, by id: a UNION of one look-up per column, each on its index."""
    lookups = [
        # "not empty" lets the database use the partial unique index of an identifier
        Study.objects.filter(**{f"{name}__in": values}).exclude(**{name: ""})
        if name in IDENTIFIER_NAMES
        else Study.objects.filter(**{f"{name}__in": values})
        for name, values in wanted.items()
    ]
    first, *others = (lookup.values_list(*MATCH_FIELDS) for lookup in lookups)
    return first.union(*others).order_by("id")


def _stored_rows_pg(wanted):
    """_stored_rows on PostgreSQL: the batch's values joined to the table, one index look-up
    per value (LATERAL, kept from being flattened by OFFSET 0). With `IN (…)` the planner reads
    the whole table as soon as its statistics promise many rows per value (a library where
    many studies share a first author), though most values of a batch match nothing."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in MATCH_FIELDS)
    table = quote(Study._meta.db_table)
    arms = []
    for name in wanted:
        condition = f"{quote(name)} = wanted.value"
        if name in IDENTIFIER_NAMES:  # on the identifier's partial unique index
            condition += f" AND {quote(name)} <> ''"
        arms.append(
            f"SELECT s.* FROM unnest(%s::text[]) AS wanted (value) CROSS JOIN LATERAL "
            f"(SELECT {columns} FROM {table} WHERE {condition} OFFSET 0) AS s"
        )
    authors = Study._meta.get_field("authors")
    at = MATCH_FIELDS.index("authors")
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ".join(arms) + " ORDER BY id", [_text_array(v) for v in wanted.values()]
        )
        for row in cursor.fetchall():
            yield (*row[:at], authors.from_db_value(row[at], None, connection), *row[at + 1 :])


def _text_array(values):
    """PostgreSQL's literal of a text[] (psycopg dumps a list value by value, in Python): the
    values quoted, and escaped only when one holds a quote or a backslash."""
    values = list(values)
    joined = "".join(values)
    if '"' in joined or "\\" in joined:
        values = [value.replace("\\", "\\\\").replace('"', '\\"') for value in values]
    return '{"' + '","'.join(values) + '"}' if values else "{}"


@dataclass
class _Batch:
    """A batch classified, for its writes: every outcome, and of them the studies to create
    (outcome, values, _Key), the possible duplicates to flag, those matched to a study, and the
    duplicates that come in retracted (outcome, record)."""

    outcomes: list
    to_create: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    matched: list = field(default_factory=list)
    retracted: list = field(default_factory=list)
    new: "_NewStudies | None" = None  # what is written of the studies to create


class _Importer:
    def __init__(self, *, dry_run, user, source, keep_outcomes=None):
        self.dry_run = dry_run
        self.postgres = connection.vendor == "postgresql"
        self.user = user
        self.reason = f"Imported from {source}"[:100] if source else "Imported"
        self.keep_outcomes = keep_outcomes
        # The records of this file that a batch's look-up does not find: those of its own batch
        # before the record classified (seen), and of the batch before, still being written
        # (previous); earlier batches are found as stored studies. In a dry run, every record
        # before it (seen).
        self.seen, self.previous = _Seen(), _Seen()
        self.outcomes = []  # those kept
        self.counts = Counter()
        self.created = array("q")  # the ids of the studies created
        self.retracted = 0  # records that came in retracted
        self.now_retracted = 0  # stored studies found retracted (see _retract_stored)
        self.kept_first = 0  # how many of the first records' outcomes are kept

    def plan(self, batches, pipeline, progress=None):
        """Import batches of (record, its study_values or their ValidationError) through a
        config.pipeline.Pipeline: this runs in its thread and classifies; the look-ups and
        writes are its jobs. A batch's look-up is submitted before the batch ahead of it is
        written, so that PostgreSQL stores one batch while Python classifies the next: the
        records of the batch being written are matched from memory (previous), as stored."""

        def look_up(batch):  # the batch split, and its look-up submitted
            checked = self._split(batch)
            return checked, pipeline.submit(partial(_stored_rows_of, _wanted(checked[2])))

        batches = iter(batches)
        batch = next(batches, None)
        if batch is None:
            return
        checked, found = look_up(batch)
        while batch is not None:
            done = self._classify_batch(*checked, self._stored_matches(pipeline.wait(found)))
            batch = next(batches, None)
            if batch is not None:
                checked, found = look_up(batch)
            pipeline.submit(partial(self._finish, done, progress))

    def _split(self, batch):
        """A batch's valid (record, values), the outcomes of the others, the valid ones' _Keys."""
        valid, outcomes = [], []
        for record, values in batch:
            if record.skipped:
                outcomes.append(
                    Outcome(record.number, record.line, "", Status.SKIPPED, message=record.skipped)
                )
            elif not isinstance(values, ValidationError):
                valid.append((record, values))
            else:
                error = values
                outcomes.append(
                    Outcome(
                        record.number,
                        record.line,
                        record.title,
                        Status.ERROR,
                        message=_error_message(error),
                    )
                )
        # With what describes the study, which the batch after it reads while it is written (a
        # dry run writes nothing, and keeps every key: not their titles and authors too).
        keys = [
            _Key(None, *(("", [], "") if self.dry_run else (v[_TITLE], v[_AUTHORS], v[_JOURNAL])),
                 v[_YEAR], v[_DOI], v[_PMID], v[_PMCID], v[_TITLE_KEY], v[_AUTHOR_KEY])
            for _, v in valid
        ]  # fmt: skip
        return valid, outcomes, keys

    def _classify_batch(self, valid, outcomes, keys, stored):
        if not self.dry_run:  # a dry run's seen keeps every record so far
            self.previous, self.seen = self.seen, _Seen()
        done = _Batch(outcomes)
        for (record, values), key in zip(valid, keys, strict=True):
            outcome = self._classify(record, key, *stored)
            outcomes.append(outcome)
            if outcome.status == Status.NEW and not (values[_DESIGN] and values[_POPULATION]):
                outcome.message = UNCLASSIFIED_NOTE
            if record.retracted:
                self.retracted += 1
                notice = record.retraction_notice or record.retraction_notice_url
                outcome.message = "; ".join(filter(None, [outcome.message, f"retracted: {notice}"]))
                if outcome.status == Status.DUPLICATE:
                    done.retracted.append((outcome, record))
            if outcome.status != Status.NEW:
                done.matched.append(outcome)
            if outcome.status in (Status.NEW, Status.POSSIBLE_DUPLICATE):
                done.to_create.append((outcome, values, key))
                self.seen.add(record.number, key)
                if outcome.status == Status.POSSIBLE_DUPLICATE:
                    done.flags.append(outcome)
        if not self.dry_run:
            done.new = _NewStudies([v for _, v, _ in done.to_create], postgres=self.postgres)
        return done

    def _finish(self, done, progress):
        """A classified batch's writes (a job: the batches before it are written). Its records
        were classified against the batch before as it was in memory, not as written: the same,
        since nothing written after a study is created changes what dedupe reads of it (a
        retraction saves the study, which keeps its keys). A study another session commits
        meanwhile may come before that batch's among the candidates, as it may be found before
        or after anything this import does."""
        # Of the duplicates that come in retracted, those of a stored study: its id is known
        # (a study of this file has one once its batch is written, as the ones before are).
        retracted = [(o, r) for o, r in done.retracted if o._match.pk is not None]
        if retracted:
            self._retract_stored(retracted)
        if not self.dry_run:
            self._write(done)
            for outcome in done.matched:  # a match earlier in this file has its id only now
                outcome.match_id = outcome._match.pk
        for outcome in done.matched:
            del outcome._match
        size = len(done.outcomes)
        self._keep(done.outcomes)
        if progress:
            progress(size)

    def _keep(self, outcomes):
        """Count a batch's outcomes, and keep them all, or the first keep_outcomes of the file
        and every error."""
        self.counts.update(outcome.status for outcome in outcomes)
        if self.keep_outcomes is None:
            self.outcomes += outcomes
            return
        outcomes.sort(key=lambda outcome: outcome.number)
        room = max(self.keep_outcomes - self.kept_first, 0)
        self.outcomes += outcomes[:room]
        self.outcomes += [o for o in outcomes[room:] if o.status == Status.ERROR]
        self.kept_first += min(room, len(outcomes))

    def _stored_matches(self, rows):
        """The stored studies (rows of MATCH_FIELDS) as matches: {(identifier, value): _Key},
        and by title key and by author key [(None, _Key)] in the order of their ids."""
        by_identifier, by_title, by_author = {}, {}, {}
        for row in rows:
            study = _Key(*row)
            for name, _ in IDENTIFIERS:
                if getattr(study, name):
                    by_identifier[(name, getattr(study, name))] = study
            by_title.setdefault(study.title_key, []).append((None, study))
            if study.author_key:
                by_author.setdefault(study.author_key, []).append((None, study))
        return by_identifier, (by_title, by_author)

    def _classify(self, record, study, stored, candidates):
        """A record's outcome, against the stored studies, the batch being written (previous:
        matched as a stored study is) and the records of its own batch before it (seen)."""
        outcome = Outcome(record.number, record.line, record.title, Status.NEW)
        previous, seen = self.previous, self.seen
        for name, label in IDENTIFIERS:
            value = getattr(study, name)
            if not value:
                continue
            if (name, value) in stored:
                match = stored[(name, value)]
                return self._matched(outcome, Status.DUPLICATE, (None, match), f"same {label}")
            if (name, value) in previous.by_identifier:
                _, match = previous.by_identifier[(name, value)]
                return self._matched(outcome, Status.DUPLICATE, (None, match), f"same {label}")
            if (name, value) in seen.by_identifier:
                match = seen.by_identifier[(name, value)]
                return self._matched(outcome, Status.DUPLICATE, match, f"same {label}")
        by_title, by_author = candidates
        pool = [
            *by_title.get(study.title_key, []),
            *((None, key) for _, key in previous.by_title.get(study.title_key, [])),
            *seen.by_title.get(study.title_key, []),
            *by_author.get(study.author_key, []),
            *((None, key) for _, key in previous.by_author.get(study.author_key, [])),
            *seen.by_author.get(study.author_key, []),
        ]
        match, reason, exact = _probable(study, pool)
        if match is None:
            return outcome
        status = Status.DUPLICATE if exact else Status.POSSIBLE_DUPLICATE
        return self._matched(outcome, status, match, reason)

    @staticmethod
    def _matched(outcome, status, match, reason):
        number, study = match
        outcome.status = status
        outcome.message = reason
        outcome.match_id = study.pk
        outcome.match_label = (
            f"record {number} of this file" if number is not None else _describe(study)
        )
        outcome._match = study  # for the flag, once the study has its id
        return outcome

    def _retract_stored(self, retracted):
        """Stored studies whose record (a duplicate of them) comes in retracted: those not yet
        retracted, found in one query, are marked so with the record's notice, and each of
        studies_retracted_hooks runs (claims regrades and flags their grades). A dry run only
        counts them."""
        by_id = {outcome._match.pk: (outcome, record) for outcome, record in retracted}
        studies = Study.objects.filter(pk__in=by_id, retracted=False).order_by("pk")
        for study in studies:
            outcome, record = by_id[study.pk]
            self.now_retracted += 1
            outcome.message += (
                "; the stored study would now be marked retracted"
                if self.dry_run
                else "; the stored study is now marked retracted"
            )
            if self.dry_run:
                continue
            study_mark_retracted(
                study=study,
                by=self.user,
                retracted_on=_retracted_on(record),
                notice_url=record.retraction_notice_url,
                reason=f"{self.reason}: retracted"[:100],
            )
            for hook in studies_retracted_hooks:
                hook(study=study)

    def _write(self, done):
        to_create, flags = done.to_create, done.flags
        if not to_create:
            return
        ids = _insert_studies(done.new, user=self.user, reason=self.reason)
        for (outcome, _, key), pk in zip(to_create, ids, strict=True):
            outcome.study_id = key.id = pk
        self.created.extend(ids)
        if flags:
            PossibleDuplicate.objects.bulk_create(
                [
                    PossibleDuplicate(
                        study_id=outcome.study_id,
                        duplicate_of_id=outcome._match.pk,
                        reason=outcome.message,
                    )
                    for outcome in flags
                ]
            )

    def result(self):
        self.outcomes.sort(key=lambda outcome: outcome.number)
        return ImportResult(
            self.outcomes, self.dry_run, self.counts, self.retracted, self.now_retracted
        )


# The columns an import copies into the study table, in order: the id, the VALUES, the
# CONSTANT_FIELDS, the times. The JSON of JSON fields is made once per list of types.
COPIED = ("id", *VALUES, *CONSTANT_FIELDS, "created_at", "updated_at")
_JSON_TYPES = VALUES.index("publication_types")
# What a JSON string must escape: a quote, a backslash, a control character.
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')


def _json_list(items):
    """The JSON text of a list of strings (json.dumps' value, with its non-ASCII unescaped):
    joined as they are when none needs an escape, the usual case."""
    try:
        unsafe = _JSON_ESCAPED.search(" ".join(items))
    except TypeError:  # not strings
        unsafe = True
    if unsafe:
        return json.dumps(items)
    return '["' + '", "'.join(items) + '"]' if items else "[]"


class _NewStudies:
    """A batch's new studies: their VALUES, and on PostgreSQL what COPY writes of each after its
    id (JSON as its text, a date in ISO 8601), made as the batch is classified, so that the job
    writing them has only to number them."""

    def __init__(self, values, *, postgres):
        self.values = values
        self.now = timezone.now()
        if postgres:
            constants = (*CONSTANT_FIELDS.values(), self.now.isoformat(), self.now.isoformat())
            self.copied = [_copied(row, constants) for row in values]

    def __len__(self):
        return len(self.values)


def _copied(values, constants):
    values = list(values)
    values[_AUTHORS] = _json_list(values[_AUTHORS])
    values[_KEYWORDS] = _json_list(values[_KEYWORDS])
    values[_JSON_TYPES] = _json_list(values[_JSON_TYPES])
    if values[_RETRACTED_ON] is not None:
        values[_RETRACTED_ON] = values[_RETRACTED_ON].isoformat()
    return (*values, *constants)


def _insert_studies(new, *, user, reason):
    """Insert new studies (_NewStudies), each with its history row ("created", by the user,
    for the reason); their ids, in order. COPY and INSERT … SELECT on PostgreSQL, bulk_create on
    SQLite."""
    if connection.vendor != "postgresql":
        studies = [Study(**dict(zip(VALUES, values, strict=True))) for values in new.values]
        bulk_create_with_history(
            studies,
            Study,
            batch_size=len(studies),
            default_user=user,
            default_change_reason=reason,
        )
        return [study.pk for study in studies]
    now = new.now
    ids = take_ids(Study, len(new))
    copy_values(Study, COPIED, ((pk, *row) for pk, row in zip(ids, new.copied, strict=True)))
    # The history rows copied from the rows just written, by the database: one statement, and
    # no second encoding of every study in Python.
    history = Study.history.model
    if user is None:
        user = history.get_default_history_user(Study(pk=ids[0]))
    quote = connection.ops.quote_name
    tracked = ", ".join(quote(f.column) for f in history.tracked_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, history_date, "
            f"history_user_id, history_change_reason, history_type) "
            f"SELECT {tracked}, %s, %s, %s, '+' FROM {quote(Study._meta.db_table)} "
            f"WHERE id = ANY(%s) ORDER BY id",
            [now, user.pk if user else None, reason, ids],
        )
    return ids


@contextmanager
def _import_transaction():
    """The transaction of an import that writes, once no other import is writing (see the module's
    docstring). If studies with the same identifiers were still written meanwhile (by a person, not
    an import), or SQLite's lock was not free in time, nothing is imported: Conflict, not a 500."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            yield
    except IntegrityError as error:
        if not any(name in str(error) for name in UNIQUE_IDENTIFIERS):
            raise
        raise Conflict(
            "Studies with the same DOI, PMID or PMCID were stored while this import ran; nothing "
            "was imported. Import the file again: those records will be reported as duplicates."
        ) from None
    except OperationalError as error:
        if "database is locked" not in str(error):
            raise
        raise Conflict(
            "The database is busy with another import; nothing was imported. Try again once it "
            "has finished."
        ) from None


def _batches(items, size):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# Batches read and checked ahead of the import, at most (each a batch's records and values).
READ_AHEAD = 2
_READ = object()  # the end of the records


def _one_batch(records, size):
    """Whether the records are known to make one batch at most (a list; a file's are read)."""
    return isinstance(records, list | tuple) and len(records) <= size


def _checked(record):
    if record.skipped:  # not a record: nothing to check
        return record, None
    try:
        return record, study_values(record)
    except ValidationError as error:
        return record, error


def _checked_batches(records, size):
    """The records in batches of (record, its study_values or their ValidationError), read and
    checked by a thread of their own up to READ_AHEAD batches ahead: its Python runs while the
    import waits for the database. What reading raises (a ParseError) comes where it came, after
    the batches before it. Close it to stop the thread (studies_import does)."""
    if _one_batch(records, size):
        if records:
            yield [_checked(record) for record in records]
        return
    ahead, stop = queue.Queue(maxsize=READ_AHEAD), threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                return ahead.put(item, timeout=0.1)
            except queue.Full:
                continue

    def read():
        try:
            for batch in _batches(records, size):
                put([_checked(record) for record in batch])
                if stop.is_set():
                    return
            put(_READ)
        except BaseException as error:  # noqa: B036  (given to the import, which raises it)
            put(error)

    reader = threading.Thread(target=read, name="studies_import: reading ahead", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not _READ:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def studies_import(
    *,
    records,
    dry_run=False,
    user=None,
    source="",
    batch_size=IMPORT_BATCH_SIZE,
    progress=None,
    keep_outcomes=None,
):
    """Import records (evidence.importers: a list, or records_of() reading a file as it goes)
    as studies, in one transaction.

    Each record is new, a duplicate (same DOI, PMID or PMCID as a stored study or an earlier
    record; nothing is updated), a possible duplicate (created and flagged for a person), or an
    error (not imported; the others are); an entry that is no record (Record.skipped) is
    skipped. With dry_run nothing is written and the outcomes are
    the same. `progress(n)` is called after each batch of n records. The result keeps every
    record's outcome, or with keep_outcomes=N those of the first N records and every error
    (0: the errors only); it counts them all. A ParseError of the records rolls back the
    import. Once the import commits, each of studies_imported_hooks is called with the ids of
    the studies it created. Imports that write take turns; config.errors.Conflict when another
    write still got in the way.
    """
    importer = _Importer(dry_run=dry_run, user=user, source=source, keep_outcomes=keep_outcomes)
    # Planned in a thread of their own while PostgreSQL writes; here when there is one batch,
    # or on SQLite, which writes in this process (threads made its import 12-15 % slower).
    threaded = connection.vendor == "postgresql" and not _one_batch(records, batch_size)
    with transaction.atomic() if dry_run else _import_transaction():
        with closing(_checked_batches(records, batch_size)) as batches:
            Pipeline(
                partial(importer.plan, batches, progress=progress),
                threaded=threaded,
                name="studies_import: classifying",
            ).run()
        if importer.created:
            created = importer.created.tolist()
            for hook in studies_imported_hooks:
                transaction.on_commit(partial(hook, created))
    return importer.result()


def study_import_confirm(*, study_import: StudyImport, records, user, left_out=()):
    """Import an uploaded file a person has previewed, now; refuses a second import of it.
    The records left_out (a person chose not to import them) are counted and listed as such."""
    with _import_transaction():
        locked = _lock_for_import(study_import)
        result = studies_import(records=records, user=user, source=locked.file_name)
        if left_out:
            result.outcomes += [
                Outcome(record.number, record.line, record.title, Status.LEFT_OUT)
                for record in left_out
            ]
            result.outcomes.sort(key=lambda outcome: outcome.number)
            result.counts[Status.LEFT_OUT] += len(left_out)
        locked.status = ImportStatus.IMPORTED
        locked.imported_at = timezone.now()
        locked.records_total = result.total
        locked.add_result(result)
        locked.full_clean()
        locked.save()
    return locked, result


def _lock_for_import(study_import, allowed=(ImportStatus.UPLOADED,), stalled=False):
    """The import, locked, if its status is one of `allowed` (or with `stalled`, it is a
    running import that stalled); else ValidationError saying why not."""
    locked = StudyImport.objects.select_for_update().get(pk=study_import.pk)
    if locked.status not in allowed and not (stalled and locked.is_stalled):
        raise ValidationError(
            {
                ImportStatus.IMPORTED: "This file has already been imported.",
                ImportStatus.QUEUED: "This file is already waiting to be imported.",
                ImportStatus.RUNNING: "This file is being imported.",
            }.get(locked.status, "This file cannot be imported again from here.")
        )
    return locked


def _read_upload(text, format):
    """(records, total) of an uploaded text, read through once (a ParseError if it breaks
    anywhere): the records in a list when there are at most IMPORT_IN_BACKGROUND_OVER of them
    (imported now), else None (the task worker reads them again)."""
    records = records_of(text, format)
    small = list(islice(records, settings.IMPORT_IN_BACKGROUND_OVER + 1))
    if len(small) <= settings.IMPORT_IN_BACKGROUND_OVER:
        return small, len(small)
    return None, len(small) + sum(1 for _ in records)


@dataclass
class RecordChoice:
    """What a person chose in the preview for one record: import it or leave it out, and its
    design and population ("" for not classified), which are then confirmed, not guesses."""

    include: bool = True
    design: str = ""
    population: str = ""


def _apply_choices(records, choices):
    """(records to import, records left out) once each record with a RecordChoice (by its
    number) has it applied: its design and population as chosen, confirmed."""
    kept, left_out = [], []
    for record in records:
        choice = choices.get(record.number)
        if choice is None or record.skipped:
            kept.append(record)
        elif not choice.include:
            left_out.append(record)
        else:
            for name in CONFIRMED_BY_SETTING:
                setattr(record, name, getattr(choice, name))
                setattr(record, CONFIRMED_BY_SETTING[name], False)
            kept.append(record)
    return kept, left_out


def study_import_start(*, study_import: StudyImport, user, choices=None):
    """A person confirms a previewed upload: imported now when it has at most
    IMPORT_IN_BACKGROUND_OVER records, else queued for the task worker (study_import_task),
    which records its progress on the StudyImport. `choices` (record number -> RecordChoice)
    leave records out and set their design and population; they apply only to an import run
    now (ValidationError for one that would run in the background). Returns the StudyImport."""
    records, total = _read_upload(study_import.content, study_import.format)
    if records is not None:
        records, left_out = _apply_choices(records, choices or {})
        locked, _ = study_import_confirm(
            study_import=study_import, user=user, records=records, left_out=left_out
        )
        return locked
    if choices:
        raise ValidationError(
            f"This file has {total:,} records: it is imported in the background, where records "
            f"cannot be left out or classified one by one "
            f"(IMPORT_IN_BACKGROUND_OVER is {settings.IMPORT_IN_BACKGROUND_OVER:,})."
        )
    return _queue(study_import, records_total=total)


def study_import_retry(*, study_import: StudyImport, user):
    """Queue again an import that stopped (failed, or running with no progress for
    IMPORT_STALLED_AFTER_MINUTES: its worker died): it resumes after the last record it
    committed."""
    if not user.has_perms(["evidence.add_study", "evidence.add_studyimport"]):
        raise PermissionDenied(f"{user} may not import studies.")
    return _queue(study_import, allowed=(ImportStatus.FAILED,), stalled=True)


def _queue(study_import, records_total=None, allowed=(ImportStatus.UPLOADED,), stalled=False):
    with transaction.atomic():
        locked = _lock_for_import(study_import, allowed, stalled)
        locked.status = ImportStatus.QUEUED
        locked.failure = ""
        if records_total is not None:
            locked.records_total = records_total
        locked.full_clean()
        locked.save()
        transaction.on_commit(partial(study_import_task.enqueue, study_import_id=locked.pk))
    return locked


class _Superseded(Exception):
    """The import was queued again (it had stalled) while this worker waited its turn: the
    worker that runs it now continues it."""


def _claim_chunk(study_import, since):
    """Lock the import for a chunk, if this worker still runs it: still running, and not moved
    since this worker last did (progressed_at), else _Superseded."""
    current = (
        StudyImport.objects.select_for_update()
        .filter(pk=study_import.pk)
        .values_list("status", "progressed_at")
        .first()
    )
    if current != (ImportStatus.RUNNING, since):
        raise _Superseded


def study_import_run(*, study_import_id, chunk_size=IMPORT_TASK_CHUNK):
    """The task worker's import of a queued upload, chunk by chunk: each chunk's studies and the
    StudyImport's progress commit together, so the page following it sees the count move and a
    failure keeps what was done; study_import_retry resumes after it. Other imports may take
    their turn between chunks, which is why a duplicate of an earlier chunk's record is reported
    as a duplicate of the stored study. Each commit records when it came (progressed_at): an
    import that stops moving has lost its worker (killed), and may be tried again. Returns the
    StudyImport."""
    try:
        with transaction.atomic():
            study_import = _lock_for_import(
                StudyImport(pk=study_import_id), allowed=(ImportStatus.QUEUED,)
            )
            study_import.status = ImportStatus.RUNNING
            study_import.progressed_at = timezone.now()
            study_import.save(update_fields=["status", "progressed_at"])
    except ValidationError:  # already taken by another worker, or not queued: nothing to do
        return StudyImport.objects.get(pk=study_import_id)
    since = study_import.progressed_at  # as committed: this worker's mark on the import
    try:
        records = records_of(study_import.content, study_import.format)
        for chunk in _batches(islice(records, study_import.records_done, None), chunk_size):
            with _import_transaction():
                _claim_chunk(study_import, since)
                result = studies_import(
                    records=chunk, user=study_import.uploaded_by, source=study_import.file_name
                )
                study_import.add_result(result)
                study_import.progressed_at = timezone.now()
                study_import.save()
            since = study_import.progressed_at
        study_import.status = ImportStatus.IMPORTED
        study_import.imported_at = timezone.now()
        study_import.full_clean()
        with transaction.atomic():
            _claim_chunk(study_import, since)
            study_import.save()
    except _Superseded:
        return StudyImport.objects.get(pk=study_import_id)
    except Exception as error:
        StudyImport.objects.filter(
            pk=study_import.pk, status=ImportStatus.RUNNING, progressed_at=since
        ).update(
            status=ImportStatus.FAILED,
            failure=str(error) or type(error).__name__,
        )
        raise
    return study_import


@task()
def study_import_task(study_import_id):
    """study_import_run as a task of Django's Tasks framework; the result is the summary."""
    return study_import_run(study_import_id=study_import_id).summary


def study_imports_requeue_stalled(*, stalled_for=None):
    """Queue again every running import that has not moved for `stalled_for` (default
    IMPORT_STALLED_AFTER_MINUTES): its worker stopped without saying so (killed, the machine
    restarted). Each resumes after the last record it committed. Returns them."""
    cutoff = timezone.now() - (StudyImport.stalled_after() if stalled_for is None else stalled_for)
    requeued = []
    stalled = StudyImport.objects.filter(status=ImportStatus.RUNNING).exclude(
        progressed_at__gte=cutoff
    )
    for study_import in stalled.defer("content", "outcomes"):
        with transaction.atomic():
            locked = StudyImport.objects.select_for_update().get(pk=study_import.pk)
            if locked.status != ImportStatus.RUNNING or (
                locked.progressed_at and locked.progressed_at >= cutoff
            ):
                continue
            locked.status = ImportStatus.QUEUED
            locked.save(update_fields=["status"])
            transaction.on_commit(partial(study_import_task.enqueue, study_import_id=locked.pk))
        requeued.append(locked)
    return requeued


def studies_import_upload(*, data, file_name, by, format=None, dry_run=False):
    """A file a person sends (the API's import), with the permissions the admin's import page
    asks. The file is read through first (a ParseError: nothing is imported). With dry_run nothing
    is written: returns (format, ImportResult, None). Otherwise it is recorded as a StudyImport,
    as the admin records an upload, and confirmed (study_import_start): returns (format,
    ImportResult, StudyImport) when imported now, (format, None, StudyImport) when queued."""
    if not by.has_perms(["evidence.add_study", "evidence.add_studyimport"]):
        raise PermissionDenied(f"{by} may not import studies.")
    text = decode(data)
    format = format or detect(text)
    if dry_run:  # a ParseError rolls the dry run back, as it writes nothing anyway
        result = studies_import(records=records_of(text, format), dry_run=True, source=file_name)
        return format, result, None
    records, total = _read_upload(text, format)
    if records is None:
        with transaction.atomic():
            study_import = _uploaded(text, format, file_name, by)
            return format, None, _queue(study_import, records_total=total)
    with _import_transaction():
        study_import = _uploaded(text, format, file_name, by)
        study_import, result = study_import_confirm(
            study_import=study_import, user=by, records=records
        )
    return format, result, study_import


def _uploaded(text, format, file_name, by):
    study_import = StudyImport(
        file_name=file_name[:255], format=format, content=text, uploaded_by=by
    )
    study_import.full_clean()
    study_import.save()
    return study_import


@transaction.atomic
def study_mark_retracted(*, study, by, retracted_on, notice_url, reason=None):
    """Record a study's retraction, its date and the address of its notice, validated, as its
    next version. What it means for the grades is claims': claims.services.study_retract (a
    person's) calls it, and an import that finds a stored study retracted runs
    studies_retracted_hooks after it."""
    study.retracted, study.retracted_on, study.retraction_notice_url = (
        True,
        retracted_on,
        notice_url,
    )
    study.full_clean()
    if by is not None:
        study._history_user = by
    if reason:
        study._change_reason = reason
    study.save_version()
    return study


# A person who sets a study's design or population has checked it: it is no longer a guess.
CONFIRMED_BY_SETTING = {"design": "design_guessed", "population": "population_guessed"}


@transaction.atomic
def study_save(*, study, by, changes, seen=None):
    """A person's new study, or their change to one (a dict of field values), with the
    permission the admin asks (add or change studies) and the model's validation; refused
    (Stale) when another write came after the version `seen` they read. A design or
    population given is confirmed: no longer marked guessed. Nothing here regrades claims:
    claims.services.study_save_and_regrade does."""
    permission = "evidence.change_study" if study.pk else "evidence.add_study"
    if not by.has_perm(permission):
        raise PermissionDenied(f"{by} may not {'change' if study.pk else 'add'} studies.")
    for name, value in changes.items():
        setattr(study, name, value)
        if name in CONFIRMED_BY_SETTING:
            setattr(study, CONFIRMED_BY_SETTING[name], False)
    study.full_clean()
    study.save_version(seen=seen)
    return study
