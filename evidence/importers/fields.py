"""Every format's field mapping, in one place: for each field of a Record, the format's
fields (tags, keys, columns, XML paths) that fill it, in order. For a field of one value the
first of them that has a value wins; for a list (authors, keywords) every one adds its values.
The parsers read these tables and nothing else of a format's names; what a format needs beyond
a table (a name to split, an identifier to pick out of a text) is in its parser, named there.

A field a table leaves out is one the format does not carry."""

# RIS, by the names rispy gives the tags (TI title, T1 primary_title, ST short_title,
# T2 secondary_title, JF alternate_title3, JO journal_name, DO doi, AN accession_number,
# DB name_of_database, DP database_provider, C2 custom2, N1 notes, M3 type_of_work …).
RIS = {
    "title": ("title", "primary_title", "translated_title", "short_title"),
    "authors": ("authors", "first_authors"),
    "journal": (
        "secondary_title", "alternate_title3", "journal_name", "alternate_title2",
        "alternate_title1",
    ),
    "year": ("year", "publication_year", "date"),
    "volume": ("volume",),
    "issue": ("number",),
    "page_start": ("start_page",),
    "page_end": ("end_page",),
    "doi": ("doi",),
    "accession": ("accession_number",),  # a PMID when the database is PubMed's
    "database": ("name_of_database", "database_provider"),
    "pmcid": ("custom2", "note"),  # when it is one ("PMC123")
    "abstract": ("abstract", "notes_abstract"),
    "keywords": ("keywords",),
    "language": ("language",),
    "url": ("urls",),
    "publication_types": ("type_of_work",),
}  # fmt: skip

# BibTeX and biblatex (Zotero, Mendeley, JabRef, Google Scholar, Scopus), by field name.
BIBTEX = {
    "title": ("title",),
    "authors": ("author",),
    "journal": ("journal", "journaltitle", "booktitle", "abbrev_source_title"),
    "year": ("year", "date"),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "doi": ("doi",),
    "pmid": ("pmid",),
    "pmcid": ("pmcid",),
    "abstract": ("abstract",),
    "keywords": ("keywords", "author_keywords", "mesh"),
    "language": ("language", "langid"),
    "url": ("url",),
    "publication_types": ("pubtype", "type"),
}
# Entries that are no record, by type: skipped, with the reason. (bibtexparser gives @comment,
# @preamble and @string blocks of their own; the parser skips those too.)
BIBTEX_NOT_RECORDS = {
    "set": "a biblatex @set (it groups other entries)",
    "xdata": "a biblatex @xdata (fields other entries inherit)",
}

# MEDLINE / PubMed .nbib, by tag.
MEDLINE = {
    "title": ("TI", "BTI"),
    "authors": ("AU",),
    "full_authors": ("FAU",),  # when there is no AU
    "groups": ("CN",),
    "journal": ("JT", "TA"),
    "year": ("DP",),
    "volume": ("VI",),
    "issue": ("IP",),
    "pages": ("PG",),
    "doi": ("LID", "AID"),  # "10.5555/x [doi]"
    "pmid": ("PMID",),
    "pmcid": ("PMC",),
    "abstract": ("AB",),
    "keywords": ("OT",),
    "mesh": ("MH",),
    "language": ("LA",),
    "publication_types": ("PT",),
    "retraction_in": ("RIN",),  # "J Synth. 2024 Mar 4;5(2):10. PMID: 99999002."
}

# Ovid's tagged export (MEDLINE, Embase, PsycINFO, … "Reprint/Medlars"), by tag.
OVID = {
    "title": ("TI", "BT"),
    "authors": ("AU",),
    "full_authors": ("FA",),  # when there is no AU
    "journal": ("JN", "JT", "TA"),
    "source": ("SO",),  # "Journal. 12(3):45-67, 2021 May." when the fields above are missing
    "year": ("YR", "DP"),
    "volume": ("VO", "VI"),
    "issue": ("IP",),
    "pages": ("PG",),
    "doi": ("DO", "DI"),
    "pmid": ("UI",),  # the PMID in Ovid MEDLINE only (database DB)
    "database": ("DB",),
    "abstract": ("AB",),
    "keywords": ("KW",),
    "mesh": ("MH",),
    "language": ("LG", "LA"),
    "publication_types": ("PT",),
}

# CSL JSON (Zotero's "CSL JSON" export, citeproc), by key.
CSL_JSON = {
    "title": ("title",),
    "authors": ("author",),
    "journal": ("container-title", "container-title-short", "journalAbbreviation"),
    "year": ("issued", "original-date", "available-date"),
    "volume": ("volume",),
    "issue": ("issue", "number"),
    "pages": ("page",),
    "doi": ("DOI",),
    "pmid": ("PMID",),
    "pmcid": ("PMCID",),
    "abstract": ("abstract",),
    "keywords": ("keyword",),
    "language": ("language",),
    "url": ("URL",),
    "publication_types": ("genre",),
}

# PubMed XML (efetch PubmedArticleSet), by path from a <PubmedArticle>.
_ARTICLE = "MedlineCitation/Article/"
_ISSUE = f"{_ARTICLE}Journal/JournalIssue/"
PUBMED_XML = {
    "title": (f"{_ARTICLE}ArticleTitle",),
    "authors": (f"{_ARTICLE}AuthorList/Author",),
    "journal": (f"{_ARTICLE}Journal/Title", f"{_ARTICLE}Journal/ISOAbbreviation"),
    "year": (f"{_ISSUE}PubDate/Year", f"{_ISSUE}PubDate/MedlineDate"),
    "volume": (f"{_ISSUE}Volume",),
    "issue": (f"{_ISSUE}Issue",),
    "pages": (f"{_ARTICLE}Pagination/MedlinePgn",),
    "ids": ("PubmedData/ArticleIdList/ArticleId",),  # by IdType: doi, pmc
    "doi": (f"{_ARTICLE}ELocationID",),  # EIdType="doi", when ArticleIdList has none
    "pmid": ("MedlineCitation/PMID",),
    "abstract": (f"{_ARTICLE}Abstract/AbstractText",),
    "keywords": ("MedlineCitation/KeywordList/Keyword",),
    "mesh": ("MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName",),
    "language": (f"{_ARTICLE}Language",),
    "publication_types": (f"{_ARTICLE}PublicationTypeList/PublicationType",),
    # each with its RefSource (the notice's reference) and PMID
    "retraction_in": (
        "MedlineCitation/CommentsCorrectionsList/CommentsCorrections[@RefType='RetractionIn']",
    ),
}

# EndNote XML, by path from a <record>.
ENDNOTE_XML = {
    "title": ("titles/title",),
    "authors": ("contributors/authors/author",),
    "journal": ("periodical/full-title", "titles/secondary-title", "periodical/abbr-1"),
    "year": ("dates/year",),
    "volume": ("volume",),
    "issue": ("number",),
    "pages": ("pages",),
    "doi": ("electronic-resource-num",),
    "accession": ("accession-num",),  # a PMID when the database is PubMed's
    "database": ("remote-database-name", "remote-database-provider"),
    "pmcid": ("custom2", "custom1"),  # when it is one ("PMC123")
    "abstract": ("abstract",),
    "keywords": ("keywords/keyword",),
    "language": ("language",),
    "url": (".//url",),
    "publication_types": ("work-type",),
}

# CSV and tab-delimited exports, by header (compared in lower case). A file's header picks the
# first export whose `signature` headers it all has; "columns" maps each header to a Record
# field or a part of one (page_start, page_end, article_number, citation, index_keywords,
# groups). "authors" says how the export writes a list of names
# (evidence.importers.csvfile.AUTHOR_STYLES), "quoted" whether a quote is CSV quoting (Web of
# Science's tab-delimited files have none: a quote there is text).
_SHARED_COLUMNS = {
    "title": "title",
    "journal": "journal",
    "year": "year",
    "volume": "volume",
    "issue": "issue",
    "pages": "pages",
    "doi": "doi",
    "pmid": "pmid",
    "pmcid": "pmcid",
    "abstract": "abstract",
    "keywords": "keywords",
    "language": "language",
    "url": "url",
}
CSV_EXPORTS = (
    {
        "name": "Web of Science (tab-delimited)",
        "signature": {"pt", "au", "ti"},
        "columns": {
            "ti": "title",
            "au": "authors",
            "af": "authors",
            "ca": "groups",
            "so": "journal",
            "ji": "journal",
            "py": "year",
            "vl": "volume",
            "is": "issue",
            "bp": "page_start",
            "ep": "page_end",
            "ar": "article_number",
            "di": "doi",
            "pm": "pmid",
            "ab": "abstract",
            "de": "keywords",
            "id": "index_keywords",
            "la": "language",
            "dt": "publication_types",
        },
        "authors": "semicolons",
        "quoted": False,
    },
    {
        "name": "Springer Link",
        "signature": {"item title"},
        "columns": {
            "item title": "title",
            "authors": "authors",
            "publication title": "journal",
            "book series title": "journal",
            "journal volume": "volume",
            "journal issue": "issue",
            "item doi": "doi",
            "publication year": "year",
            "url": "url",
            "content type": "publication_types",
        },
        "authors": "run together",
        "quoted": True,
    },
    {
        # PubMed's "Save: CSV", Scopus's CSV export, Embase's "CSV - Fields by Column" and
        # our own export (/studies/export.csv): no header of one means another thing in another.
        "name": "PubMed, Scopus, Embase or ours",
        "signature": set(),
        "columns": {
            **_SHARED_COLUMNS,
            "article title": "title",
            "document title": "title",
            "authors": "authors",
            "author full names": "authors",
            "author names": "authors",
            "journal/book": "journal",
            "source title": "journal",
            "publication year": "year",
            "page start": "page_start",
            "art. no.": "article_number",
            "page end": "page_end",
            "first page": "page_start",
            "last page": "page_end",
            "pubmed id": "pmid",
            "medline pmid": "pmid",
            "author keywords": "keywords",
            "index keywords": "index_keywords",
            "emtree medical index terms": "index_keywords",
            "emtree drug index terms": "index_keywords",
            "language of original document": "language",
            "article language": "language",
            "link": "url",
            "full text link": "url",
            "embase link": "url",
            "publication types": "publication_types",
            "publication type": "publication_types",
            "document type": "publication_types",
            "citation": "citation",
            "design": "design",
            "population": "population",
            "design guessed": "design_guessed",
            "population guessed": "population_guessed",
        },
        "authors": "pubmed or scopus",
        "quoted": True,
    },
)

# A work of Crossref's REST API (GET /works/{doi}: its "message"), by key. Close to CSL JSON
# (Crossref serves citeproc's names), but titles are lists and the abstract is JATS.
CROSSREF = {
    "title": ("title", "original-title"),
    "subtitle": ("subtitle",),  # joined to the title after a colon
    "authors": ("author",),
    "journal": ("container-title", "short-container-title"),
    "year": ("published-print", "published-online", "issued", "published", "created"),
    "volume": ("volume",),
    "issue": ("issue", "journal-issue"),
    "pages": ("page", "article-number"),
    "doi": ("DOI",),
    "abstract": ("abstract",),
    "keywords": ("subject",),
    "language": ("language",),
    "url": ("resource", "URL"),
    "publication_types": ("type",),
    # each {"DOI": notice, "type": "retraction", "updated": {"date-parts": …}, "label": …}
    "updated_by": ("updated-by",),
}
