"""Re-checking the stored studies for retractions (manage.py recheck_retractions, the task, and
evidence.lookup.services.studies_recheck_retractions) against the local stub of NCBI and
Crossref (synthetic recorded answers): PubMed's record of PMID 99999302 is marked "Retracted
Publication" with a "Retraction in" comment; Crossref's work of DOI 10.5555/synthetic.lookup.
crossref now lists a retraction in its "updated-by" (Retraction Watch's, beside a correction)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from evidence.lookup.services import (
    RECHECK_REASON,
    retractions_recheck_task,
    studies_recheck_retractions,
)
from tests.evidence.lookup_stub import Reply
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory, StudyFactory


@pytest.fixture
def library(db, grader, lookup_stub):
    """A claim resting on three trials with a grade a grader published: one whose PubMed record
    is now retracted, one known to Crossref only (no PMID) now retracted, one not retracted."""
    claim = ClaimFactory()
    by_pmid = FindingFactory(
        claim=claim, study__design="rct", study__pmid="99999302", study__doi="",
        study__authors=["Retractauthor C"], study__year=2023,
    ).study  # fmt: skip
    by_doi = FindingFactory(
        claim=claim, study__design="rct", study__pmid="",
        study__doi="10.5555/synthetic.lookup.crossref",
        study__authors=["Crossrefauthor D"], study__year=2022,
    ).study  # fmt: skip
    standing = FindingFactory(
        claim=claim, study__design="rct", study__pmid="99999301", study__doi=""
    ).study
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    AssessmentFactory(
        claim=claim, status=AssessmentStatus.PUBLISHED, author=grader, verdict="supported",
        certainty="high", body="experimental",
    )  # fmt: skip
    lookup_stub.recorded.retract("10.5555/synthetic.lookup.crossref")
    return claim, by_pmid, by_doi, standing


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("recheck_retractions", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, out.getvalue(), err.getvalue()


def test_the_command_marks_the_studies_now_retracted_and_regrades_and_flags_their_claim(
    library, lookup_stub
):
    claim, by_pmid, by_doi, standing = library
    status, out, err = run()
    assert (status, err) == (0, "")
    for study in (by_pmid, by_doi, standing):
        study.refresh_from_db()
    assert (by_pmid.retracted, by_pmid.retracted_on, by_pmid.retraction_notice_url) == (
        True,
        datetime.date(2025, 2, 3),
        "https://pubmed.ncbi.nlm.nih.gov/99999309/",
    )
    assert (by_doi.retracted, by_doi.retracted_on, by_doi.retraction_notice_url) == (
        True,
        datetime.date(2025, 6, 7),
        "https://doi.org/10.5555/synthetic.lookup.notice.2",
    )
    assert not standing.retracted
    assert by_pmid.history.first().history_change_reason == RECHECK_REASON
    assert "Re-checked retractions: 2 PMIDs and 1 DOIs checked, 2 newly retracted." in out
    assert f"Marked retracted: {by_pmid}" in out
    provisional = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    assert (
        "Retractauthor 2023" in provisional.summary and "Crossrefauthor 2022" in provisional.summary
    )
    grade = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert grade.needs_review
    assert "Retractauthor 2023 was retracted on 3 February 2025." in grade.needs_review_because


def test_pmids_are_fetched_in_batches_and_dois_asked_of_crossref(library, lookup_stub):
    run("--batch-size", "1")
    efetches = [q for path, q, _ in lookup_stub.requests if path == "/eutils/efetch.fcgi"]
    assert [q["id"] for q in efetches] == [["99999302"], ["99999301"]]
    (notices,) = [q for path, q, _ in lookup_stub.requests if path == "/crossref/works"]
    assert notices["filter"] == ["doi:10.5555/synthetic.lookup.crossref"]
    assert notices["mailto"] == ["lookup-tests@example.org"]


def test_a_second_run_finds_nothing_new(library, lookup_stub):
    run()
    status, out, _ = run()
    assert "1 PMIDs and 0 DOIs checked, 0 newly retracted." in out


def test_a_batch_a_service_does_not_answer_is_named_and_the_command_exits_1(library, lookup_stub):
    claim, by_pmid, by_doi, standing = library
    lookup_stub.fail("/eutils/efetch.fcgi", *[Reply(503)] * 3)
    status, out, err = run()
    assert status == 1
    assert "Not checked: PMIDs 99999302 … 99999301: 127.0.0.1 did not answer after 3 tries" in err
    by_pmid.refresh_from_db()
    by_doi.refresh_from_db()
    assert (by_pmid.retracted, by_doi.retracted) == (False, True)


def test_when_lookup_is_off_the_command_says_so(library, lookup_stub, settings):
    settings.LOOKUP_ENABLED = False
    with pytest.raises(CommandError, match="LOOKUP_ENABLED=false"):
        call_command("recheck_retractions", stdout=StringIO())
    assert lookup_stub.requests == []


def test_the_task_runs_the_recheck(library, lookup_stub):
    result = retractions_recheck_task.enqueue()
    assert result.return_value == "2 PMIDs and 1 DOIs checked, 2 newly retracted"


def test_the_grading_queue_lists_the_studies_the_recheck_found_retracted_in_one_query(
    client, grader, library, lookup_stub, django_assert_num_queries
):
    _, by_pmid, by_doi, _ = library
    studies_recheck_retractions()
    StudyFactory(title="Synthetic study a person marked retracted")  # not by the re-check
    client.force_login(grader)
    with django_assert_num_queries(14):  # as tests/claims/test_grading_queue.py pins it
        response = client.get(reverse("grading:queue"))
    section = {s.name: s for s in response.context["work"]}["retracted"]
    assert [row.id for row in section.rows] == [by_doi.pk, by_pmid.pk]  # the newest first
    page = response.content.decode()
    assert f'href="{reverse("admin:evidence_study_change", args=[by_pmid.pk])}"' in page
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/99999309/">the notice</a>' in page
    assert "retracted 2025-02-03" in page


def test_the_queue_says_when_the_recheck_found_none(client, grader):
    client.force_login(grader)
    assert (
        "The retraction re-check found none."
        in client.get(reverse("grading:queue")).content.decode()
    )
