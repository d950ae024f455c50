"""Adding studies by DOI, PMID or PMCID from NCBI E-utilities and Crossref, and re-checking the
stored studies for retractions: http (the one HTTP client), sources (what the services answer),
services (the look-up and the re-check)."""
