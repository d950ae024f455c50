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
