"""Writes that touch several records of the literature, each in one transaction.

studies_import: a file's records (evidence.importers) into Study, in one transaction with
batched writes: per batch of records, a bounded number of queries whatever the library's size:
one look-up of the stored studies sharing an identifier, a title or a first author with any
record of the batch (set-based: the batch's keys in one query, joined on the indexes), then the
inserts of the studies, their history and the duplicate flags. On PostgreSQL the studies go in
by COPY (config.bulk) with ids taken from the sequence first, and their history rows are copied
from them by one INSERT … SELECT; on SQLite both by bulk_create. What the import remembers of
each record for the records after it is its keys (_Key), not the record, so its memory grows by
little more than the outcomes.

Imports take turns: two at once (two uploads, the command beside the site) would each look for
duplicates before the other had written, and both create the same studies. On PostgreSQL an
import takes a transaction-level advisory lock before it looks; on SQLite every transaction
takes the database's write lock as it begins (BEGIN IMMEDIATE, config/settings.py).
"""

from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.tasks import task
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.bulk import copy_rows, take_ids
from config.errors import Conflict
from evidence import matching
from evidence.citations import short_label
from evidence.importers import decode, detect, parse
from evidence.models import ImportStatus, PossibleDuplicate, Study, StudyImport

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


class Status:
    NEW = "new"
    DUPLICATE = "duplicate"
    POSSIBLE_DUPLICATE = "possible duplicate"
    ERROR = "error"


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
    outcomes: list[Outcome]
    dry_run: bool

    def count(self, status):
        return sum(1 for outcome in self.outcomes if outcome.status == status)

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
    def summary(self):
        return (
            f"{self.created} created, {self.duplicates} duplicates, "
            f"{self.possible_duplicates} possible duplicates, {self.errors} errors"
        )


class _Key:
    """What dedupe needs of a study, stored or of this file: its identifiers, match keys and
    year, and for a stored one what describes it. A study of this file has its id once its
    batch is written."""

    __slots__ = MATCH_FIELDS

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    @classmethod
    def of(cls, study):
        """The keys of a study of this file (its title and authors are not kept: a match with
        it is named by its record number)."""
        return cls(None, "", [], "", *(getattr(study, name) for name in MATCH_FIELDS[4:]))

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
    "population", "population_guessed",
)  # fmt: skip
NOT_FROM_RECORDS = [f.name for f in Study._meta.concrete_fields if f.name not in FROM_RECORDS]


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
    )
    # Unique identifiers are what the import looks up; the check constraints are the model's
    # clean() in Python, so validation needs no query per record. The fields a record does not
    # set hold their defaults, which are valid: only the record's are checked.
    study.full_clean(exclude=NOT_FROM_RECORDS, validate_unique=False, validate_constraints=False)
    study.set_match_keys()
    return study


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
        cursor.execute(" UNION ".join(arms) + " ORDER BY id", [list(v) for v in wanted.values()])
        for row in cursor.fetchall():
            yield (*row[:at], authors.from_db_value(row[at], None, connection), *row[at + 1 :])


class _Importer:
    def __init__(self, *, dry_run, user, source):
        self.dry_run = dry_run
        self.user = user
        self.source = source
        self.seen = _Seen()
        self.outcomes = []

    def run(self, batch):
        valid = []
        for record in batch:
            try:
                valid.append((record, study_from_record(record)))
            except ValidationError as error:
                self.outcomes.append(
                    Outcome(
                        record.number,
                        record.line,
                        record.title,
                        Status.ERROR,
                        message=_error_message(error),
                    )
                )
        keys = [_Key.of(study) for _, study in valid]
        stored, candidates = self._stored_matches(keys)
        to_create, flags, matched = [], [], []
        for (record, study), key in zip(valid, keys, strict=True):
            outcome = self._classify(record, key, stored, candidates)
            self.outcomes.append(outcome)
            if outcome.status != Status.NEW:
                matched.append(outcome)
            if outcome.status in (Status.NEW, Status.POSSIBLE_DUPLICATE):
                to_create.append((outcome, study, key))
                self.seen.add(record.number, key)
                if outcome.status == Status.POSSIBLE_DUPLICATE:
                    flags.append((study, outcome))
        if not self.dry_run:
            self._write(to_create, flags)
            for outcome in matched:  # a match earlier in this batch has its id only now
                outcome.match_id = outcome._match.pk
        for outcome in matched:
            del outcome._match

    def _stored_matches(self, keys):
        """The stored studies sharing a DOI, PMID or PMCID, a title key or a first author with
        any of the batch's keys, in one query: {(identifier, value): _Key}, and by title key and
        by author key [(None, _Key)] in the order of their ids."""
        by_identifier, by_title, by_author = {}, {}, {}
        wanted = {"title_key": {key.title_key for key in keys}}
        wanted["author_key"] = {key.author_key for key in keys if key.author_key}
        for name, _ in IDENTIFIERS:
            wanted[name] = {getattr(key, name) for key in keys if getattr(key, name)}
        wanted = {name: values for name, values in wanted.items() if values}
        if not wanted:
            return by_identifier, (by_title, by_author)
        lookup = _stored_rows_pg if connection.vendor == "postgresql" else _stored_rows
        for row in lookup(wanted):
            study = _Key(*row)
            for name, _ in IDENTIFIERS:
                if getattr(study, name):
                    by_identifier[(name, getattr(study, name))] = study
            by_title.setdefault(study.title_key, []).append((None, study))
            if study.author_key:
                by_author.setdefault(study.author_key, []).append((None, study))
        return by_identifier, (by_title, by_author)

    def _classify(self, record, study, stored, candidates):
        outcome = Outcome(record.number, record.line, record.title, Status.NEW)
        for name, label in IDENTIFIERS:
            value = getattr(study, name)
            if not value:
                continue
            if (name, value) in stored:
                match = stored[(name, value)]
                return self._matched(outcome, Status.DUPLICATE, (None, match), f"same {label}")
            if (name, value) in self.seen.by_identifier:
                match = self.seen.by_identifier[(name, value)]
                return self._matched(outcome, Status.DUPLICATE, match, f"same {label}")
        by_title, by_author = candidates
        pool = [
            *by_title.get(study.title_key, []),
            *self.seen.by_title.get(study.title_key, []),
            *by_author.get(study.author_key, []),
            *self.seen.by_author.get(study.author_key, []),
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

    def _write(self, to_create, flags):
        if not to_create:
            return
        reason = f"Imported from {self.source}"[:100] if self.source else "Imported"
        _insert_studies([study for _, study, _ in to_create], user=self.user, reason=reason)
        for outcome, study, key in to_create:
            outcome.study_id = key.id = study.pk
        if flags:
            PossibleDuplicate.objects.bulk_create(
                [
                    PossibleDuplicate(
                        study=study, duplicate_of_id=outcome._match.pk, reason=outcome.message
                    )
                    for study, outcome in flags
                ]
            )


def _insert_studies(studies, *, user, reason):
    """Insert new studies, each with its history row ("created", by the user, for the reason);
    gives them their ids. COPY and INSERT … SELECT on PostgreSQL, bulk_create on SQLite."""
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            studies,
            Study,
            batch_size=len(studies),
            default_user=user,
            default_change_reason=reason,
        )
        return
    now = timezone.now()
    ids = take_ids(Study, len(studies))
    for study, pk in zip(studies, ids, strict=True):
        study.pk, study.created_at, study.updated_at = pk, now, now
        study._state.adding, study._state.db = False, connection.alias
    fields = [f for f in Study._meta.concrete_fields if not f.generated]
    copy_rows(Study, ({f.attname: getattr(study, f.attname) for f in fields} for study in studies))
    # The history rows copied from the rows just written, by the database: one statement, and
    # no second encoding of every study in Python.
    history = Study.history.model
    user = user or history.get_default_history_user(studies[0])
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


def studies_import(
    *, records, dry_run=False, user=None, source="", batch_size=IMPORT_BATCH_SIZE, progress=None
):
    """Import parsed records (evidence.importers) as studies, in one transaction.

    Each record is new, a duplicate (same DOI, PMID or PMCID as a stored study or an earlier
    record; nothing is updated), a possible duplicate (created and flagged for a person), or an
    error (not imported; the others are). With dry_run nothing is written and the outcomes are
    the same. `progress(n)` is called after each batch of n records. Once the import commits,
    each of studies_imported_hooks is called with the ids of the studies it created. Imports that
    write take turns; config.errors.Conflict when another write still got in the way.
    """
    importer = _Importer(dry_run=dry_run, user=user, source=source)
    with transaction.atomic() if dry_run else _import_transaction():
        if connection.vendor == "postgresql":
            # The look-ups' estimates (many rows per author) would have every batch's query
            # compiled by PostgreSQL's JIT, which costs more than the query (for this
            # transaction only).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        for batch in _batches(records, batch_size):
            importer.run(batch)
            if progress:
                progress(len(batch))
        created = [outcome.study_id for outcome in importer.outcomes if outcome.study_id]
        if created:
            for hook in studies_imported_hooks:
                transaction.on_commit(partial(hook, created))
    importer.outcomes.sort(key=lambda outcome: outcome.number)
    return ImportResult(importer.outcomes, dry_run)


def study_import_confirm(*, study_import: StudyImport, records, user):
    """Import an uploaded file a person has previewed, now; refuses a second import of it."""
    with _import_transaction():
        locked = _lock_for_import(study_import)
        result = studies_import(records=records, user=user, source=locked.file_name)
        locked.status = ImportStatus.IMPORTED
        locked.imported_at = timezone.now()
        locked.records_total = len(result.outcomes)
        locked.add_result(result)
        locked.full_clean()
        locked.save()
    return locked, result


def _lock_for_import(study_import, allowed=(ImportStatus.UPLOADED,)):
    locked = StudyImport.objects.select_for_update().get(pk=study_import.pk)
    if locked.status not in allowed:
        raise ValidationError(
            {
                ImportStatus.IMPORTED: "This file has already been imported.",
                ImportStatus.QUEUED: "This file is already waiting to be imported.",
                ImportStatus.RUNNING: "This file is being imported.",
            }.get(locked.status, "This file cannot be imported again from here.")
        )
    return locked


def study_import_start(*, study_import: StudyImport, records, user):
    """A person confirms a previewed upload: imported now when it has at most
    IMPORT_IN_BACKGROUND_OVER records, else queued for the task worker (study_import_task),
    which records its progress on the StudyImport. Returns the StudyImport."""
    if len(records) <= settings.IMPORT_IN_BACKGROUND_OVER:
        locked, _ = study_import_confirm(study_import=study_import, records=records, user=user)
        return locked
    return _queue(study_import, records_total=len(records))


def study_import_retry(*, study_import: StudyImport, user):
    """Queue again an import that stopped: it resumes after the last record it committed."""
    if not user.has_perms(["evidence.add_study", "evidence.add_studyimport"]):
        raise PermissionDenied(f"{user} may not import studies.")
    return _queue(study_import, allowed=(ImportStatus.FAILED,))


def _queue(study_import, records_total=None, allowed=(ImportStatus.UPLOADED,)):
    with transaction.atomic():
        locked = _lock_for_import(study_import, allowed)
        locked.status = ImportStatus.QUEUED
        locked.failure = ""
        if records_total is not None:
            locked.records_total = records_total
        locked.full_clean()
        locked.save()
        transaction.on_commit(partial(study_import_task.enqueue, study_import_id=locked.pk))
    return locked


def study_import_run(*, study_import_id, chunk_size=IMPORT_TASK_CHUNK):
    """The task worker's import of a queued upload, chunk by chunk: each chunk's studies and the
    StudyImport's progress commit together, so the page following it sees the count move and a
    failure keeps what was done; study_import_retry resumes after it. Other imports may take
    their turn between chunks, which is why a duplicate of an earlier chunk's record is reported
    as a duplicate of the stored study. Returns the StudyImport."""
    try:
        with transaction.atomic():
            study_import = _lock_for_import(
                StudyImport(pk=study_import_id), allowed=(ImportStatus.QUEUED,)
            )
            study_import.status = ImportStatus.RUNNING
            study_import.save(update_fields=["status"])
    except ValidationError:  # already taken by another worker, or not queued: nothing to do
        return StudyImport.objects.get(pk=study_import_id)
    try:
        records = parse(study_import.content, study_import.format)
        for chunk in _batches(records[study_import.records_done :], chunk_size):
            with _import_transaction():
                result = studies_import(
                    records=chunk, user=study_import.uploaded_by, source=study_import.file_name
                )
                study_import.add_result(result)
                study_import.save()
        study_import.status = ImportStatus.IMPORTED
        study_import.imported_at = timezone.now()
        study_import.full_clean()
        study_import.save()
    except Exception as error:
        StudyImport.objects.filter(pk=study_import.pk).update(
            status=ImportStatus.FAILED,
            failure=str(error) or type(error).__name__,
        )
        raise
    return study_import


@task()
def study_import_task(study_import_id):
    """study_import_run as a task of Django's Tasks framework; the result is the summary."""
    return study_import_run(study_import_id=study_import_id).summary


def studies_import_upload(*, data, file_name, by, format=None, dry_run=False):
    """A file a person sends (the API's import), with the permissions the admin's import page
    asks. The file is read whole first (a ParseError: nothing is imported). With dry_run nothing
    is written: returns (format, ImportResult, None). Otherwise it is recorded as a StudyImport,
    as the admin records an upload, and confirmed (study_import_start): returns (format,
    ImportResult, StudyImport) when imported now, (format, None, StudyImport) when queued."""
    if not by.has_perms(["evidence.add_study", "evidence.add_studyimport"]):
        raise PermissionDenied(f"{by} may not import studies.")
    text = decode(data)
    format = format or detect(text)
    records = parse(text, format)
    if dry_run:
        return format, studies_import(records=records, dry_run=True, source=file_name), None
    if len(records) > settings.IMPORT_IN_BACKGROUND_OVER:
        with transaction.atomic():
            study_import = _uploaded(text, format, file_name, by)
            return (
                format,
                None,
                study_import_start(study_import=study_import, records=records, user=by),
            )
    with _import_transaction():
        study_import = _uploaded(text, format, file_name, by)
        study_import, result = study_import_confirm(
            study_import=study_import, records=records, user=by
        )
    return format, result, study_import


def _uploaded(text, format, file_name, by):
    study_import = StudyImport(
        file_name=file_name[:255], format=format, content=text, uploaded_by=by
    )
    study_import.full_clean()
    study_import.save()
    return study_import


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
