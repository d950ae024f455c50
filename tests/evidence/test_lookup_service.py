"""Adding studies by identifier (evidence.lookup.services.studies_lookup) against the local stub
of NCBI and Crossref: a DOI PubMed holds, a PMID, a PMCID, a DOI only Crossref knows, one
nobody knows, a service that does not answer; the records go through the import (deduplicated,
retracted records stored retracted, a stored study now retracted marked and its claim
regraded and flagged)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from evidence.lookup.services import MAX_IDENTIFIERS, LookupDisabled, studies_lookup
from evidence.models import Design, Study
from tests.evidence.lookup_stub import Reply
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory, StudyFactory


def by_identifier(result):
    return {o.identifier: (o.status, o.source, o.study_id) for o in result.outcomes}


def test_a_doi_pubmed_holds_is_fetched_from_pubmed_and_created(lookup_stub, researcher):
    result = studies_lookup(identifiers="10.5555/synthetic.lookup.1", by=researcher)
    study = Study.objects.get()
    assert by_identifier(result) == {"10.5555/synthetic.lookup.1": ("created", "PubMed", study.pk)}
    assert (study.pmid, study.pmcid, study.doi, study.design) == (
        "99999301",
        "PMC9999301",
        "10.5555/synthetic.lookup.1",
        Design.RCT,
    )
    assert study.authors == ["Lookupauthor A", "Testauthor B"]
    assert study.history.first().history_change_reason.startswith("Imported from Looked up")
    assert lookup_stub.paths() == ["/eutils/esearch.fcgi", "/eutils/efetch.fcgi"]
    _, query, _ = lookup_stub.requests[0]
    assert query["term"] == ['"10.5555/synthetic.lookup.1"[aid]']


def test_a_pmid_is_fetched_and_a_retracted_record_comes_in_retracted_with_its_notice(
    lookup_stub, researcher
):
    result = studies_lookup(identifiers="PMID: 99999302", by=researcher)
    study = Study.objects.get()
    assert result.outcomes[0].status == "created"
    assert "retracted" in result.outcomes[0].message
    assert (study.retracted, study.retracted_on, study.retraction_notice_url) == (
        True,
        datetime.date(2025, 2, 3),
        "https://pubmed.ncbi.nlm.nih.gov/99999309/",
    )
    _, query, _ = lookup_stub.requests[0]
    assert (query["db"], query["id"], query["retmode"]) == (["pubmed"], ["99999302"], ["xml"])


def test_a_pmcid_becomes_its_pmid_through_the_id_converter(lookup_stub, researcher):
    result = studies_lookup(identifiers="PMC9999301", by=researcher)
    assert result.outcomes[0].status == "created"
    assert Study.objects.get().pmid == "99999301"
    assert lookup_stub.paths() == ["/idconv/", "/eutils/efetch.fcgi"]


def test_a_doi_pubmed_lacks_comes_from_crossref(lookup_stub, researcher):
    result = studies_lookup(
        identifiers="https://doi.org/10.5555/synthetic.lookup.crossref", by=researcher
    )
    study = Study.objects.get()
    assert result.outcomes[0].status == "created"
    assert result.outcomes[0].source == "Crossref"
    assert (study.title, study.journal, study.year, study.volume, study.issue, study.pages) == (
        "Synthetic study known only to Crossref: a made-up survey",
        "Synthetic Review of Lookups",
        2022,
        "7",
        "3",
        "101-110",
    )
    assert study.authors == ["Crossrefauthor D", "Testauthor E"]
    assert study.abstract.startswith("A synthetic abstract, in JATS")
    assert study.url == "https://example.org/synthetic/lookup/crossref"
    path, query, _ = lookup_stub.requests[-1]
    assert path == "/crossref/works"
    assert query["filter"] == ["doi:10.5555/synthetic.lookup.crossref"]
    assert query["mailto"] == ["lookup-tests@example.org"]


def test_a_crossref_work_a_retraction_updated_comes_in_retracted(lookup_stub, researcher):
    lookup_stub.recorded.retract("10.5555/synthetic.lookup.crossref")
    studies_lookup(identifiers="10.5555/synthetic.lookup.crossref", by=researcher)
    study = Study.objects.get()
    assert (study.retracted, study.retracted_on, study.retraction_notice_url) == (
        True,
        datetime.date(2025, 6, 7),
        "https://doi.org/10.5555/synthetic.lookup.notice.2",
    )


def test_each_identifier_says_what_became_of_it(lookup_stub, researcher):
    stored = StudyFactory(pmid="99999302", doi="", title="Synthetic stored study")
    pasted = "10.5555/synthetic.lookup.1\n99999302\n99999399\n10.5555/synthetic.nobody\nPMC9999398"
    result = studies_lookup(identifiers=pasted, by=researcher)
    created = Study.objects.get(pmid="99999301")
    assert by_identifier(result) == {
        "10.5555/synthetic.lookup.1": ("created", "PubMed", created.pk),
        "99999302": ("duplicate", "PubMed", stored.pk),
        "99999399": ("not found", "", None),
        "10.5555/synthetic.nobody": ("not found", "", None),
        "PMC9999398": ("not found", "", None),
    }
    messages = {o.identifier: o.message for o in result.outcomes}
    assert messages["99999399"] == "PubMed holds no record of PMID 99999399."
    assert messages["10.5555/synthetic.nobody"] == "Neither PubMed nor Crossref knows this DOI."
    assert messages["PMC9999398"] == "PubMed Central does not know this PMCID."
    assert "duplicate of" in messages["99999302"] and "same PMID" in messages["99999302"]


def test_the_doi_and_the_pmid_of_one_article_create_it_once(lookup_stub, researcher):
    result = studies_lookup(identifiers=["10.5555/synthetic.lookup.1", "99999301"], by=researcher)
    study = Study.objects.get()
    assert by_identifier(result) == {
        "10.5555/synthetic.lookup.1": ("created", "PubMed", study.pk),
        "99999301": ("duplicate", "PubMed", study.pk),
    }


def test_looking_up_again_gives_only_duplicates(lookup_stub, researcher):
    studies_lookup(identifiers="10.5555/synthetic.lookup.1\n99999302", by=researcher)
    again = studies_lookup(identifiers="10.5555/synthetic.lookup.1\n99999302", by=researcher)
    assert [o.status for o in again.outcomes] == ["duplicate", "duplicate"]
    assert Study.objects.count() == 2


def test_a_service_that_does_not_answer_is_an_error_of_its_identifiers(lookup_stub, researcher):
    lookup_stub.fail("/eutils/efetch.fcgi", *[Reply(503)] * 3)
    result = studies_lookup(identifiers="99999302", by=researcher)
    assert result.outcomes[0].status == "error"
    assert "did not answer after 3 tries (HTTP 503)" in result.outcomes[0].message
    assert not Study.objects.exists()


def test_a_503_then_an_answer_creates_the_study(lookup_stub, researcher):
    lookup_stub.fail("/eutils/efetch.fcgi", Reply(503))
    assert studies_lookup(identifiers="99999302", by=researcher).outcomes[0].status == "created"


def test_a_pubmed_record_now_retracted_marks_the_stored_study_regrades_and_flags_its_claim(
    lookup_stub, researcher, grader
):
    claim = ClaimFactory()
    FindingFactory(claim=claim, study__design="rct", study__participants=400)
    doomed = FindingFactory(
        claim=claim,
        study__design="rct",
        study__pmid="99999302",
        study__authors=["Retractauthor C"],
        study__year=2023,
    ).study
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    AssessmentFactory(
        claim=claim, status=AssessmentStatus.PUBLISHED, author=grader, verdict="supported",
        certainty="high", body="experimental",
    )  # fmt: skip
    result = studies_lookup(identifiers="99999302", by=researcher)
    assert result.outcomes[0].status == "duplicate"
    assert "now marked retracted" in result.outcomes[0].message
    doomed.refresh_from_db()
    assert doomed.retracted
    provisional = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    assert "Retracted, so excluded: Retractauthor 2023." in provisional.summary
    grade = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert grade.needs_review
    assert grade.needs_review_because == "Retractauthor 2023 was retracted on 3 February 2025."


def test_nothing_recognisable_or_too_many_identifiers_is_refused(lookup_stub, researcher):
    with pytest.raises(ValidationError, match="No DOI"):
        studies_lookup(identifiers="no identifier here", by=researcher)
    many = "\n".join(str(99990000 + n) for n in range(MAX_IDENTIFIERS + 1))
    with pytest.raises(ValidationError, match="at most 200 are looked up at once"):
        studies_lookup(identifiers=many, by=researcher)
    assert lookup_stub.requests == []


def test_it_is_off_when_lookup_is_disabled(lookup_stub, researcher, settings):
    settings.LOOKUP_ENABLED = False
    with pytest.raises(LookupDisabled, match="import the file"):
        studies_lookup(identifiers="99999302", by=researcher)
    assert lookup_stub.requests == []


def test_readers_may_not_look_up(lookup_stub, reader):
    with pytest.raises(PermissionDenied):
        studies_lookup(identifiers="99999302", by=reader)


def test_dois_pubmed_lacks_are_asked_of_crossref_twenty_a_request(lookup_stub, researcher):
    dois = [f"10.5555/synthetic.lookup.missing.{n}" for n in range(25)]
    result = studies_lookup(identifiers=dois, by=researcher)
    assert {o.status for o in result.outcomes} == {"not found"}
    asked = [q["filter"][0] for path, q, _ in lookup_stub.requests if path == "/crossref/works"]
    assert [len(f.split(",")) for f in asked] == [20, 5]


def test_a_doi_holding_a_comma_is_asked_of_crossref_alone(lookup_stub, researcher):
    doi = "10.5555/synthetic.lookup,comma"
    recorded = lookup_stub.recorded.works["10.5555/synthetic.lookup.crossref"]
    lookup_stub.recorded.works[doi] = recorded.replace("10.5555/synthetic.lookup.crossref", doi)
    result = studies_lookup(identifiers=doi, by=researcher)
    assert result.outcomes[0].status == "created"
    assert Study.objects.get().doi == doi
    assert lookup_stub.paths()[-1] == "/crossref/works/10.5555%2Fsynthetic.lookup%2Ccomma"


def test_crossref_not_answering_is_an_error_of_its_dois(lookup_stub, researcher):
    lookup_stub.fail("/crossref/works", *[Reply(502)] * 3)
    result = studies_lookup(identifiers="10.5555/synthetic.lookup.crossref", by=researcher)
    assert result.outcomes[0].status == "error"
    assert result.outcomes[0].message.startswith("Crossref: 127.0.0.1 did not answer")


def test_when_pubmeds_search_fails_crossref_is_asked_and_an_unknown_doi_is_an_error(
    lookup_stub, researcher
):
    lookup_stub.fail("/eutils/esearch.fcgi", *[Reply(500)] * 3)
    result = studies_lookup(
        identifiers="10.5555/synthetic.lookup.crossref\n10.5555/synthetic.none", by=researcher
    )
    assert [(o.status, o.source) for o in result.outcomes] == [
        ("created", "Crossref"),
        ("error", ""),
    ]
    assert result.outcomes[1].message.startswith("PubMed could not be searched (127.0.0.1 did")
