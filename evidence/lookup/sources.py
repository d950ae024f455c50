"""What the services answer, read: PubMed records by PMID (efetch, PubMed XML, read by the
importer's own parser), the PMIDs of DOIs (esearch "DOI"[aid]), the PMIDs of PMCIDs (the PMC ID
converter), a DOI's work from Crossref, and the retractions Crossref lists for DOIs' works.
Each request goes through evidence.lookup.http; FetchError when a service did not answer."""

import json
from urllib.parse import quote

from django.conf import settings

from evidence.identifiers import normalize_doi, normalize_pmcid
from evidence.importers import ParseError, records_of
from evidence.importers import crossref as crossref_importer
from evidence.lookup.http import (
    FetchError,
    crossref_client,
    crossref_params,
    ncbi_client,
    ncbi_params,
)

EFETCH_BATCH = 200  # PMIDs per efetch (NCBI suggests at most 200 by GET)
ESEARCH_BATCH = 50  # DOIs per esearch (the term stays a short address)
IDCONV_BATCH = 200  # the PMC ID converter's limit
CROSSREF_BATCH = 20  # DOIs per Crossref query (filter=doi:…)


def _batches(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _json(answer, service):
    try:
        return json.loads(answer.data)
    except ValueError:
        raise FetchError(f"{service} answered what is not JSON") from None


def _eutils(name):
    return settings.NCBI_EUTILS_URL.rstrip("/") + f"/{name}.fcgi"


def pubmed_records(pmids, *, client=None):
    """{PMID: Record} of the PMIDs PubMed holds (the others are left out), efetch'ed
    EFETCH_BATCH at a time and read by the importer's PubMed XML parser."""
    client = client or ncbi_client()
    found = {}
    for batch in _batches(dict.fromkeys(pmids), EFETCH_BATCH):
        answer = client.get(
            _eutils("efetch"), ncbi_params(db="pubmed", id=",".join(batch), retmode="xml")
        )
        if answer.status == 404:
            continue
        text = answer.text()
        if "<PubmedArticle>" not in text and "<PubmedArticle " not in text:
            continue  # none of them is in PubMed (or only as books, which are no articles)
        try:
            records = list(records_of(text, "pubmed-xml"))
        except ParseError as error:
            raise FetchError(f"PubMed's answer cannot be read: {error}") from None
        for record in records:
            if record.pmid:
                found[record.pmid] = record
    return found


def pmids_of_dois(dois, *, client=None):
    """The PMIDs PubMed finds for DOIs (searched as article identifiers, "DOI"[aid], ESEARCH_BATCH
    a search). Which PMID is which DOI's is read from the records themselves, once fetched."""
    client = client or ncbi_client()
    pmids = []
    for batch in _batches(dict.fromkeys(dois), ESEARCH_BATCH):
        term = " OR ".join(f'"{doi}"[aid]' for doi in batch)
        answer = client.get(
            _eutils("esearch"),
            ncbi_params(db="pubmed", term=term, retmode="json", retmax=str(len(batch) * 5)),
        )
        result = _json(answer, "PubMed's search").get("esearchresult") or {}
        if "ERROR" in result:
            raise FetchError(f"PubMed's search refused the DOIs: {result['ERROR']}")
        pmids += [str(pmid) for pmid in result.get("idlist") or []]
    return list(dict.fromkeys(pmids))


def pmids_of_pmcids(pmcids, *, client=None):
    """{PMCID: (PMID or "", DOI or "")} of the PMCIDs the PMC ID converter knows."""
    client = client or ncbi_client()
    found = {}
    for batch in _batches(dict.fromkeys(pmcids), IDCONV_BATCH):
        answer = client.get(
            settings.NCBI_IDCONV_URL,
            ncbi_params(ids=",".join(batch), idtype="pmcid", format="json", versions="no"),
        )
        if answer.status == 404:
            continue
        for row in _json(answer, "the PMC ID converter").get("records") or []:
            pmcid = normalize_pmcid(str(row.get("pmcid") or row.get("requested-id") or ""))
            if row.get("status") == "error" or not pmcid:
                continue
            pmid = str(row.get("pmid") or "")
            found[pmcid] = (pmid if pmid.isdigit() else "", normalize_doi(row.get("doi") or ""))
    return found


def _crossref(path):
    return settings.CROSSREF_API_URL.rstrip("/") + "/" + path


def _crossref_work(doi, client):
    """The work of one DOI (GET /works/{doi}), or None when Crossref does not know it."""
    answer = client.get(_crossref(f"works/{quote(doi, safe='')}"), crossref_params())
    if answer.status == 404:
        return None
    work = _json(answer, "Crossref").get("message")
    if not isinstance(work, dict):
        raise FetchError("Crossref's answer holds no work")
    return work


def crossref_works(dois, *, client=None):
    """{DOI: work} of the DOIs Crossref knows (its works as /works/{doi} gives them), asked
    CROSSREF_BATCH at a time (GET /works?filter=doi:A,doi:B…: the filters of one name are
    OR'ed); a DOI with a comma, which the filter cannot hold, is asked alone."""
    client = client or crossref_client()
    wanted = {normalize_doi(doi) for doi in dois}
    found = {}
    for doi in sorted(d for d in wanted if "," in d):
        if (work := _crossref_work(doi, client)) is not None:
            found[doi] = work
    listed = sorted(d for d in wanted if "," not in d)
    for batch in _batches(listed, CROSSREF_BATCH):
        answer = client.get(
            _crossref("works"),
            crossref_params(filter=",".join(f"doi:{doi}" for doi in batch), rows=str(len(batch))),
        )
        if answer.status == 404:
            continue
        items = (_json(answer, "Crossref").get("message") or {}).get("items") or []
        for work in items:
            doi = normalize_doi(str(work.get("DOI") or "")) if isinstance(work, dict) else ""
            if doi in wanted:
                found[doi] = work
    return found


def crossref_records(dois, *, client=None):
    """{DOI: Record} of the DOIs Crossref knows, mapped as evidence.importers.crossref says."""
    works = crossref_works(dois, client=client)
    return {doi: crossref_importer.to_record(work) for doi, work in works.items()}


def crossref_retractions(dois, *, client=None):
    """{DOI: (notice DOI, date or None)} of the DOIs Crossref says a retraction updated: their
    works' "updated-by" of type "retraction", which holds the notices publishers deposit and
    those Retraction Watch records (source "retraction-watch")."""
    found = {}
    for doi, work in crossref_works(dois, client=client).items():
        if notices := crossref_importer.retractions(work):
            found[doi] = notices[0]
    return found
