"""Retractions found at import: a PubMed record marked "Retracted Publication", or carrying a
"Retraction in" comment, comes in retracted with its notice; a stored study whose record now
comes in retracted is marked so, and the claims it bears on are regraded and their published
grades flagged for review (claims.services.claims_flag_for_review)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Assessment, AssessmentStatus, Claim
from claims.services import claims_grade
from evidence.importers import Record, guess, read
from evidence.importers.records import mark_retraction
from evidence.models import Study, StudyImport
from evidence.services import UNCLASSIFIED_NOTE, studies_import
from tests.evidence.importing import SAMPLES, as_shown, rows, run_import, upload
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory

NBIB = SAMPLES / "retracted.nbib"
XML = SAMPLES / "retracted_pubmed.xml"


def test_a_pubmed_xml_record_of_a_retracted_publication_imports_retracted_with_its_notice(db):
    status, out, _ = run_import(XML)
    assert status == 0
    assert "2 created, 0 duplicates, 0 possible duplicates, 0 errors, 2 retracted" in out
    study = Study.objects.get(pmid="99999111")
    assert (study.retracted, study.retracted_on, study.retraction_notice_url) == (
        True,
        datetime.date(2024, 3, 4),
        "https://pubmed.ncbi.nlm.nih.gov/99999112/",
    )
    study.full_clean()


def test_a_retracted_publication_without_its_notice_points_to_its_own_pubmed_page_on_the_import_date(
    db,
):
    run_import(XML)
    study = Study.objects.get(pmid="99999113")
    assert (study.retracted, study.retracted_on, study.retraction_notice_url) == (
        True,
        timezone.localdate(),
        "https://pubmed.ncbi.nlm.nih.gov/99999113/",
    )


def test_a_medline_record_with_a_retraction_in_comment_imports_retracted_with_its_notice(db):
    status, out, _ = run_import(NBIB)
    assert status == 0
    assert "3 created, 0 duplicates, 0 possible duplicates, 0 errors, 2 retracted" in out
    retracted = {
        study.pmid: (study.retracted, study.retracted_on, study.retraction_notice_url)
        for study in Study.objects.all()
    }
    assert retracted == {
        # the reference's PMID (on a continuation line) and its day
        "99999101": (
            True,
            datetime.date(2024, 3, 4),
            "https://pubmed.ncbi.nlm.nih.gov/99999102/",
        ),
        # no PMID, no DOI, no day: the record's own page, the day it was imported
        "99999103": (True, timezone.localdate(), "https://pubmed.ncbi.nlm.nih.gov/99999103/"),
        "99999104": (False, None, ""),
    }


def test_the_records_carry_the_notices_reference_as_the_record_gives_it():
    by_pmid = {record.pmid: record for record in read(NBIB.read_bytes())}
    by_pmid |= {record.pmid: record for record in read(XML.read_bytes())}
    assert by_pmid["99999101"].retraction_notice == (
        "J Synth Test Data. 2024 Mar 4;13(1):1. doi: 10.5555/synthetic.notice.1. PMID: 99999102."
    )
    assert by_pmid["99999111"].retraction_notice == (
        "J Synth Test Data. 2024 Mar 4;13(1):3. doi: 10.5555/synthetic.notice.3."
    )
    # a comment of another kind is no retraction notice
    assert "99999119" not in by_pmid["99999111"].retraction_notice_url
    assert not by_pmid["99999104"].retracted


def test_a_retraction_notice_without_a_pmid_is_addressed_by_its_doi():
    text = NBIB.read_text().replace(" PMID:\n      99999102.", "")
    record = next(r for r in read(text.encode()) if r.pmid == "99999101")
    assert record.retraction_notice_url == "https://doi.org/10.5555/synthetic.notice.1"


@pytest.fixture
def stored(db, grader):
    """A claim resting on two trials, with a grade a grader published; one of the trials is
    the study of the retracted PubMed record, stored before it was retracted."""
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim, study__design="rct", study__participants=500)
    doomed = FindingFactory(
        claim=claim,
        study__design="rct",
        study__participants=500,
        study__authors=["Retractedauthor A"],
        study__year=2019,
        study__pmid="99999111",
    ).study
    claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.PUBLISHED,
        author=grader,
        verdict="supported",
        certainty="high",
        body="experimental",
    )
    return claim, doomed


def test_reimporting_a_stored_studys_record_now_retracted_marks_it_regrades_and_flags_its_grades(
    stored,
):
    claim, doomed = stored
    status, out, _ = run_import(XML)
    assert status == 0
    assert (
        "1 created, 1 duplicates, 0 possible duplicates, 0 errors, "
        "2 retracted (1 of them stored and now marked retracted)"
    ) in out
    doomed.refresh_from_db()
    assert (doomed.retracted, doomed.retracted_on, doomed.retraction_notice_url) == (
        True,
        datetime.date(2024, 3, 4),
        "https://pubmed.ncbi.nlm.nih.gov/99999112/",
    )
    assert doomed.history.first().history_change_reason == f"Imported from {XML}: retracted"[:100]
    provisional = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    assert "Retracted, so excluded: Retractedauthor 2019." in provisional.summary
    grade = Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED)
    assert grade.needs_review
    assert grade.needs_review_because == "Retractedauthor 2019 was retracted on 4 March 2024."


def test_a_dry_run_counts_the_stored_study_it_would_mark_retracted_and_changes_nothing(stored):
    claim, doomed = stored
    _, out, _ = run_import("--dry-run", XML)
    assert "2 retracted (1 of them stored and would be marked retracted)" in out
    doomed.refresh_from_db()
    assert not doomed.retracted
    assert not Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED).needs_review


def test_reimporting_a_study_already_retracted_changes_nothing(stored):
    claim, doomed = stored
    run_import(XML)
    Assessment.objects.filter(claim=claim).update(needs_review=False, needs_review_because="")
    doomed.refresh_from_db()
    version = doomed.version
    _, out, _ = run_import(XML)
    assert "0 created, 2 duplicates, 0 possible duplicates, 0 errors, 2 retracted" in out
    assert "stored and now marked" not in out
    doomed.refresh_from_db()
    assert doomed.version == version
    assert not Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED).needs_review


def test_the_admins_import_says_which_records_came_in_retracted_and_marks_the_stored_one(
    client, researcher, stored
):
    claim, doomed = stored
    client.force_login(researcher)
    upload(client, "retracted_pubmed.xml", XML.read_bytes())
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    response = client.get(preview)
    assert (
        "2 retracted (1 of them stored and would be marked retracted)" in response.content.decode()
    )
    client.post(preview, as_shown(response))
    result = client.get(
        reverse("admin:evidence_study_import_result", args=[StudyImport.objects.get().pk])
    )
    assert rows(result) == [
        (
            1,
            f"Duplicate of {doomed.short_label}: {doomed.title} (same PMID; retracted: J Synth "
            f"Test Data. 2024 Mar 4;13(1):3. doi: 10.5555/synthetic.notice.3.; the stored study "
            f"is now marked retracted)",
        ),
        (2, f"Created ({UNCLASSIFIED_NOTE}; retracted: https://pubmed.ncbi.nlm.nih.gov/99999113/)"),
    ]
    doomed.refresh_from_db()
    assert doomed.retracted
    assert doomed.history.first().history_user == researcher
    assert Assessment.objects.get(claim=claim, status=AssessmentStatus.PUBLISHED).needs_review


def test_the_apis_import_summary_says_how_many_came_in_retracted(researcher, stored):
    client = APIClient()
    client.force_authenticate(researcher)
    response = client.post(
        "/api/studies/import/",
        {"file": SimpleUploadedFile("retracted_pubmed.xml", XML.read_bytes())},
        format="multipart",
    )
    assert response.status_code == 201
    assert response.json()["summary"].endswith(
        "2 retracted (1 of them stored and now marked retracted)"
    )


def synthetic(n, retracted):
    record = guess.complete(
        Record(
            number=n,
            line=n,
            title=f"Synthetic record {n} of a made-up study, retracted or not",
            authors=[f"Testauthor{n} A"],
            year=2020,
            pmid=str(99999200 + n),
            publication_types=["Retracted Publication"] if retracted else [],
        )
    )
    return mark_retraction(record, [])


def queries(records):
    with CaptureQueriesContext(connection) as captured:
        studies_import(records=records, batch_size=10)
    return len(captured)


def test_records_coming_in_retracted_cost_no_query_per_record(db):
    plain = queries([synthetic(n, retracted=False) for n in range(1, 21)])
    retracted = queries([synthetic(n, retracted=True) for n in range(21, 41)])
    assert retracted == plain
    assert Study.objects.filter(retracted=True).count() == 20
    # again, as duplicates of stored studies already retracted: one look-up per batch
    again = queries([synthetic(n, retracted=True) for n in range(21, 41)])
    duplicates = queries([synthetic(n, retracted=False) for n in range(1, 21)])
    assert again == duplicates + 2
