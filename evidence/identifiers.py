"""Normalizing bibliographic identifiers, so the same study is stored one way only."""

import re

DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
PMCID_PATTERN = re.compile(r"^PMC[0-9]+$")
PMID_PATTERN = re.compile(r"^[1-9][0-9]*$")


def normalize_doi(value):
    """'https://doi.org/10.1210/CLINEM/dgz022 ' -> '10.1210/clinem/dgz022' (DOIs are
    case-insensitive, so lower case is the stored form)."""
    doi = (value or "").strip()
    lowered = doi.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    return doi.lower()


def normalize_pmid(value):
    pmid = (value or "").strip()
    if pmid.lower().startswith("pmid:"):
        pmid = pmid[5:].strip()
    return pmid


def normalize_pmcid(value):
    pmcid = (value or "").strip().upper()
    if pmcid and pmcid.isdigit():
        pmcid = f"PMC{pmcid}"
    return pmcid


# Identifiers in a pasted text (one a line, or a whole reference list): a DOI wherever it
# stands (a bare 10.xxxx/…, doi:…, a doi.org address); a PMCID (PMC123); a PMID after "PMID",
# in a PubMed address, or alone on its line (digits only).
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"<>]+", re.I)
_PMCID_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])PMC\s?(\d+)(?![0-9])", re.I)
_PMID_IN_TEXT = re.compile(
    r"(?:PMID:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})(?!\d)", re.I
)
_PMID_LINE = re.compile(r"^\s*(\d{1,9})\s*[.,;]?\s*$", re.M)
_DOI_TAIL = ".,;:"


def _doi_in_text(match):
    """A DOI as it stands in running text, without the punctuation that ends the sentence or a
    bracket it does not open."""
    doi = match.rstrip(_DOI_TAIL)
    for opening, closing in ("()", "[]", "{}"):
        while doi.endswith(closing) and doi.count(closing) > doi.count(opening):
            doi = doi[:-1].rstrip(_DOI_TAIL)
    return doi


def find_identifiers(text):
    """The DOIs, PMIDs and PMCIDs of a text, each once, in the order they first appear, as
    (kind, normalized value, as written): kind is "doi", "pmid" or "pmcid"."""
    found = []  # (position, kind, value, written)
    text = text or ""
    taken = []  # the spans of DOIs: a PMID is never read out of one
    for match in _DOI_IN_TEXT.finditer(text):
        written = _doi_in_text(match.group())
        found.append((match.start(), "doi", normalize_doi(written), written))
        taken.append(match.span())

    def free(start):
        return not any(begin <= start < end for begin, end in taken)

    for match in _PMCID_IN_TEXT.finditer(text):
        if free(match.start()):
            found.append((match.start(), "pmcid", f"PMC{match.group(1)}", match.group()))
    for pattern in (_PMID_IN_TEXT, _PMID_LINE):
        for match in pattern.finditer(text):
            pmid = match.group(1).lstrip("0")
            if free(match.start(1)) and PMID_PATTERN.match(pmid):
                found.append((match.start(1), "pmid", pmid, match.group().strip()))
    seen, unique = set(), []
    for _, kind, value, written in sorted(found):
        if (kind, value) not in seen:
            seen.add((kind, value))
            unique.append((kind, value, written.rstrip(_DOI_TAIL)))
    return unique
