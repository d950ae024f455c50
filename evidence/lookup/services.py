"""Adding studies by identifier, and re-checking the stored studies for retractions.

studies_lookup: DOIs, PMIDs and PMCIDs pasted (one a line, or a whole reference list) are read
(evidence.identifiers.find_identifiers); PMCIDs become PMIDs through the PMC ID converter, DOIs
are searched in PubMed ("DOI"[aid]); every PMID is fetched from PubMed (efetch, read by the
importer's PubMed XML parser), and a DOI PubMed does not hold comes from Crossref (20 a
request). The records
then go through the import (evidence.services.studies_import): deduplicated as any import, a
retracted record stored retracted and a stored study now retracted marked so, its claims
regraded and flagged. Nothing is fetched inside a transaction.

studies_recheck_retractions: the stored studies not retracted, with a PMID, are fetched again
from PubMed in batches, and those without a PMID but with a DOI are looked up in Crossref's
retraction notices; each one now retracted is marked so (study_mark_retracted, then
studies_retracted_hooks: claims regrades and flags its grades), with the change reason
RECHECK_REASON in its history, which is how the grading queue lists them.
"""

from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from evidence.identifiers import find_identifiers, normalize_doi
from evidence.lookup import sources
from evidence.lookup.http import FetchError, crossref_client, ncbi_client
from evidence.models import Study
from evidence.services import (
    Status,
    studies_import,
    studies_retracted_hooks,
    study_mark_retracted,
)

MAX_IDENTIFIERS = 200  # per look-up (the admin's page and the API)
LOOKUP_SOURCE = "Looked up by identifier"
RECHECK_REASON = "Retraction re-check: retracted"
RECHECK_BATCH = 200
RECENTLY_DAYS = 30  # the grading queue lists the studies the re-check marked in these days
KINDS = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID"}
IDENTIFIER_KIND_CHOICES = list(KINDS.items())


class LookupDisabled(Exception):
    """LOOKUP_ENABLED is off."""

    def __str__(self):
        return (
            "Adding studies by identifier is turned off on this server (LOOKUP_ENABLED=false). "
            "Export the records from PubMed or your reference manager and import the file "
            "instead (Studies → Import studies, or POST /api/studies/import/)."
        )


def lookup_enabled():
    return settings.LOOKUP_ENABLED


class Found:
    """What became of one identifier."""

    CREATED = "created"
    DUPLICATE = "duplicate"
    POSSIBLE_DUPLICATE = "possible duplicate"
    NOT_FOUND = "not found"
    ERROR = "error"
    CHOICES = [CREATED, DUPLICATE, POSSIBLE_DUPLICATE, NOT_FOUND, ERROR]


@dataclass
class LookupOutcome:
    identifier: str  # as written
    kind: str  # doi, pmid, pmcid
    value: str  # normalized
    status: str = Found.NOT_FOUND
    message: str = ""
    source: str = ""  # PubMed or Crossref
    title: str = ""
    study_id: int | None = None  # the study created, or the stored study it duplicates
    record: object = field(default=None, repr=False)

    def as_dict(self):
        data = asdict(self)
        data.pop("record")
        return data

    @property
    def label(self):
        return f"{KINDS[self.kind]} {self.value}"


@dataclass
class LookupResult:
    outcomes: list
    summary: str = ""

    def count(self, status):
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def created(self):
        return self.count(Found.CREATED) + self.count(Found.POSSIBLE_DUPLICATE)


def _wanted(identifiers):
    if isinstance(identifiers, list | tuple):
        identifiers = "\n".join(str(item) for item in identifiers)
    found = find_identifiers(identifiers)
    if not found:
        raise ValidationError(
            "No DOI (10.xxxx/…), PMID (digits alone on a line, or after “PMID:”) or PMCID "
            "(PMC…) was found in what was given."
        )
    if len(found) > MAX_IDENTIFIERS:
        raise ValidationError(
            f"{len(found)} identifiers were given; at most {MAX_IDENTIFIERS} are looked up at "
            f"once. Split the list, or import a file exported from PubMed."
        )
    return [
        LookupOutcome(identifier=written, kind=kind, value=value) for kind, value, written in found
    ]


def _fail(outcomes, error):
    for outcome in outcomes:
        if outcome.record is None and outcome.status != Found.ERROR:
            outcome.status, outcome.message = Found.ERROR, str(error)


def _fetch(outcomes):
    """Give each outcome its Record, or say why it has none."""
    ncbi, crossref = ncbi_client(), crossref_client()
    pmid_of = {}  # outcome index -> PMID to fetch
    doi_of = {}  # outcome index -> DOI to look for
    for n, outcome in enumerate(outcomes):
        if outcome.kind == "pmid":
            pmid_of[n] = outcome.value
        elif outcome.kind == "doi":
            doi_of[n] = outcome.value
    pmcids = {n: o for n, o in enumerate(outcomes) if o.kind == "pmcid"}
    if pmcids:
        try:
            converted = sources.pmids_of_pmcids([o.value for o in pmcids.values()], client=ncbi)
        except FetchError as error:
            _fail(pmcids.values(), f"The PMC ID converter: {error}")
            converted = {}
        for n, outcome in pmcids.items():
            pmid, doi = converted.get(outcome.value, ("", ""))
            if pmid:
                pmid_of[n] = pmid
            elif doi:
                doi_of[n] = doi
            elif outcome.status != Found.ERROR:
                outcome.message = "PubMed Central does not know this PMCID."
    dois = list(dict.fromkeys(doi_of.values()))
    searched, search_failed = [], ""
    if dois:
        try:
            searched = sources.pmids_of_dois(dois, client=ncbi)
        except FetchError as error:  # PubMed's search failed: Crossref is asked for every DOI
            search_failed = (
                f"PubMed could not be searched ({error}), and Crossref does not know it."
            )
    records = {}
    wanted_pmids = list(dict.fromkeys([*pmid_of.values(), *searched]))
    if wanted_pmids:
        try:
            records = sources.pubmed_records(wanted_pmids, client=ncbi)
        except FetchError as error:
            _fail([outcomes[n] for n in pmid_of], f"PubMed: {error}")
    by_doi = {normalize_doi(r.doi): r for r in records.values() if r.doi}
    for n, pmid in pmid_of.items():
        outcome = outcomes[n]
        if pmid in records:
            outcome.record, outcome.source = records[pmid], "PubMed"
        elif outcome.status != Found.ERROR:
            outcome.message = f"PubMed holds no record of PMID {pmid}."
    elsewhere = list(dict.fromkeys(doi for doi in doi_of.values() if doi not in by_doi))
    from_crossref, crossref_failed = {}, None
    if elsewhere:
        try:
            from_crossref = sources.crossref_records(elsewhere, client=crossref)
        except FetchError as error:
            crossref_failed = f"Crossref: {error}"
    for n, doi in doi_of.items():
        outcome = outcomes[n]
        if doi in by_doi:
            outcome.record, outcome.source = by_doi[doi], "PubMed"
        elif doi in from_crossref:
            outcome.record, outcome.source = from_crossref[doi], "Crossref"
        elif crossref_failed:
            outcome.status, outcome.message = Found.ERROR, crossref_failed
        elif search_failed:
            outcome.status, outcome.message = Found.ERROR, search_failed
        else:
            outcome.message = "Neither PubMed nor Crossref knows this DOI."


IMPORTED = {
    Status.NEW: Found.CREATED,
    Status.DUPLICATE: Found.DUPLICATE,
    Status.POSSIBLE_DUPLICATE: Found.POSSIBLE_DUPLICATE,
    Status.ERROR: Found.ERROR,
}


def studies_lookup(*, identifiers, by):
    """Look up DOIs, PMIDs and PMCIDs (a text, or a list of them) and import what is found,
    with the permissions of the import (researchers and above). Returns a LookupResult: each
    identifier created, duplicate, possible duplicate, not found or error, with its study.
    ValidationError when none is given or more than MAX_IDENTIFIERS; LookupDisabled when
    LOOKUP_ENABLED is off."""
    if not by.has_perms(["evidence.add_study", "evidence.add_studyimport"]):
        raise PermissionDenied(f"{by} may not import studies.")
    if not lookup_enabled():
        raise LookupDisabled
    outcomes = _wanted(identifiers)
    _fetch(outcomes)
    found = [(n, o) for n, o in enumerate(outcomes, start=1) if o.record is not None]
    if not found:
        return LookupResult(outcomes, "nothing found to import")
    records = [replace(o.record, number=n, line=n) for n, o in found]
    result = studies_import(records=records, user=by, source=LOOKUP_SOURCE)
    imported = {outcome.number: outcome for outcome in result.outcomes}
    for n, outcome in found:
        done = imported[n]
        outcome.status = IMPORTED.get(done.status, Found.ERROR)
        outcome.title = done.title
        reason = done.message
        if done.status == Status.DUPLICATE:
            match = getattr(done, "_match", None)
            outcome.study_id = done.match_id or getattr(match, "pk", None)
            reason = f"duplicate of {done.match_label} ({done.message})"
        else:
            outcome.study_id = done.study_id
            if done.status == Status.POSSIBLE_DUPLICATE:
                reason = f"possible duplicate of {done.match_label} ({done.message})"
        outcome.message = "; ".join(filter(None, [f"from {outcome.source}", reason]))
    return LookupResult(outcomes, result.summary)


# --- Re-checking retractions ------------------------------------------------------------------


@dataclass
class RecheckResult:
    pmids_checked: int = 0
    dois_checked: int = 0
    retracted: list = field(default_factory=list)  # the studies marked retracted now
    errors: list = field(default_factory=list)  # what could not be checked, and why

    @property
    def summary(self):
        errors = f"; {len(self.errors)} batches not checked" if self.errors else ""
        return (
            f"{self.pmids_checked:,} PMIDs and {self.dois_checked:,} DOIs checked, "
            f"{len(self.retracted)} newly retracted{errors}"
        )


def _to_check(queryset, batch_size, field_name):
    """(pk, identifier) of the studies to check, a batch at a time, by primary key."""
    last = 0
    while True:
        batch = list(
            queryset.filter(pk__gt=last).order_by("pk").values_list("pk", field_name)[:batch_size]
        )
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _retract(pk, *, by, retracted_on, notice_url, result):
    with transaction.atomic():
        study = Study.objects.select_for_update().filter(pk=pk, retracted=False).first()
        if study is None:  # retracted meanwhile, by a person or an import
            return
        study_mark_retracted(
            study=study,
            by=by,
            retracted_on=retracted_on or timezone.localdate(),
            notice_url=notice_url,
            reason=RECHECK_REASON,
        )
        for hook in studies_retracted_hooks:
            hook(study=study)
    result.retracted.append(study)


def studies_recheck_retractions(*, by=None, batch_size=RECHECK_BATCH, progress=None):
    """Re-check every stored study not retracted: its PMID in PubMed (efetch, batch_size at a
    time: publication type "Retracted Publication" or a "Retraction in" comment), else its DOI
    in Crossref's retraction notices. Each one found retracted is marked so with its notice
    and date (the day of the check when the notice gives none), its claims regraded and their
    published grades flagged. A batch a service does not answer is skipped and named in
    `errors`; the next run checks it again. `progress(n)` after each batch of n studies.
    LookupDisabled when LOOKUP_ENABLED is off."""
    if not lookup_enabled():
        raise LookupDisabled
    result = RecheckResult()
    pending = Study.objects.filter(retracted=False)
    ncbi = ncbi_client()
    for batch in _to_check(pending.exclude(pmid=""), batch_size, "pmid"):
        pks = {pmid: pk for pk, pmid in batch}
        try:
            records = sources.pubmed_records(list(pks), client=ncbi)
        except FetchError as error:
            result.errors.append(f"PMIDs {batch[0][1]} … {batch[-1][1]}: {error}")
        else:
            result.pmids_checked += len(batch)
            for pmid, record in records.items():
                if record.retracted and pmid in pks:
                    _retract(
                        pks[pmid],
                        by=by,
                        retracted_on=record.retracted_on,
                        notice_url=record.retraction_notice_url,
                        result=result,
                    )
        if progress:
            progress(len(batch))
    crossref = crossref_client()
    without_pmid = pending.filter(pmid="").exclude(doi="")
    for batch in _to_check(without_pmid, sources.CROSSREF_BATCH, "doi"):
        pks = {doi: pk for pk, doi in batch}
        try:
            notices = sources.crossref_retractions(list(pks), client=crossref)
        except FetchError as error:
            result.errors.append(f"DOIs {batch[0][1]} … {batch[-1][1]}: {error}")
        else:
            result.dois_checked += len(batch)
            for doi, (notice, day) in notices.items():
                _retract(
                    pks[doi],
                    by=by,
                    retracted_on=day,
                    notice_url=f"https://doi.org/{notice}",
                    result=result,
                )
        if progress:
            progress(len(batch))
    return result


def studies_retracted_by_recheck(*, days=RECENTLY_DAYS):
    """The history rows of the studies the re-check marked retracted in the last `days` days,
    the newest first (the grading queue lists them): each with the study's id, title, date of
    retraction and notice as marked, and when it was marked (history_date)."""
    since = timezone.now() - timedelta(days=days)
    return Study.history.filter(
        history_change_reason=RECHECK_REASON, history_date__gte=since
    ).order_by("-history_date", "-history_id")


def studies_to_recheck():
    """How many studies a re-check looks at (a progress bar's total)."""
    pending = Study.objects.filter(retracted=False)
    return pending.exclude(pmid="").count() + pending.filter(pmid="").exclude(doi="").count()


@task()
def retractions_recheck_task():
    """studies_recheck_retractions as a task of Django's Tasks framework (a periodic trigger
    may enqueue it); the result is the summary."""
    return studies_recheck_retractions().summary
