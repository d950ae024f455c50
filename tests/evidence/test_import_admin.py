"""The admin's import page: upload, preview per record, confirm, result."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from evidence.models import PossibleDuplicate, Study, StudyImport
from tests.evidence.importing import SAMPLES, UPLOAD, as_shown, ris, rows, upload
from tests.factories import StudyFactory


def test_the_study_list_links_to_the_import_page(client, researcher):
    client.force_login(researcher)
    response = client.get(reverse("admin:evidence_study_changelist"))
    assertContains(response, f'<a href="{UPLOAD}">Import studies</a>', html=True)


def test_a_researcher_uploads_previews_confirms_and_sees_the_result(client, researcher):
    stored = StudyFactory(doi="10.5555/synthetic.admin.2", title="Synthetic stored record")
    similar = StudyFactory(title="Synthetic admin record 3", year=2020, authors=["Other Z"])
    client.force_login(researcher)
    content = ris(3) + "\nTY  - JOUR\nPY  - 2020\nER  -\n"
    response = upload(client, "synthetic.ris", content)
    study_import = StudyImport.objects.get()
    preview = reverse("admin:evidence_study_import_preview", args=[study_import.pk])
    assertRedirects(response, preview)

    response = client.get(preview)
    assertContains(response, "would give 1 created, 1 duplicates, 1 possible duplicates, 1 errors")
    assert rows(response) == [
        (1, "New"),
        (2, f"Duplicate of {stored.short_label}: Synthetic stored record (same DOI)"),
        (
            3,
            f"Possible duplicate of {similar.short_label}: Synthetic admin record 3 (same title and year)",
        ),
        (4, "Error: no title"),
    ]
    assert Study.objects.count() == 2

    response = client.post(preview, as_shown(response))
    result = reverse("admin:evidence_study_import_result", args=[study_import.pk])
    assertRedirects(response, result)
    response = client.get(result)
    assertContains(response, "1 created, 1 duplicates, 1 possible duplicates, 1 errors")
    assert [outcome for _, outcome in rows(response)][0] == "Created"
    assert Study.objects.count() == 4
    flag = PossibleDuplicate.objects.get()
    assert (flag.duplicate_of, flag.study.title) == (similar, "Synthetic admin record 3")
    assert flag.study.history.get().history_user == researcher


def test_confirming_twice_imports_once(client, researcher):
    client.force_login(researcher)
    upload(client, "synthetic.ris", ris(2))
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    shown = as_shown(client.get(preview))
    client.post(preview, shown)
    client.post(preview, shown)
    assert Study.objects.count() == 2


@pytest.mark.parametrize(
    "name",
    [
        "synthetic.nbib", "synthetic_pubmed.xml", "scopus.csv", "ovid_psycinfo.ris", "scopus.bib",
        "springer.csv", "short_title.ris", "savedrecs.txt", "ovid_medline.txt",
        "cochrane_central.ris", "zotero.json", "embase.csv",
    ],
)  # fmt: skip
def test_the_format_is_told_from_the_content_of_an_upload(client, researcher, name):
    client.force_login(researcher)
    upload(client, name, (SAMPLES / name).read_bytes())
    preview = client.get(
        reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    )
    assert [outcome for _, outcome in rows(preview)] == ["New", "New"]


def test_a_file_that_cannot_be_read_is_refused_with_its_record_and_line(client, researcher):
    client.force_login(researcher)
    response = upload(client, "broken.ris", ris(1) + "\nTY  - JOUR\nTI  - Synthetic unfinished\n")
    assertContains(
        response,
        "“broken.ris” cannot be read, nothing was imported: record 2, line 8: the record does not "
        "end with “ER  -”",
    )
    assert not StudyImport.objects.exists()
    assert not Study.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_the_limit_and_what_to_do(
    client, researcher, settings
):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(researcher)
    response = upload(client, "big.ris", ris(1) + " " * (1024 * 1024))
    assertContains(response, "“big.ris” is 1.0\xa0MB; the limit for an upload is 1 MB")
    assertContains(response, "import it with manage.py import_studies")
    assert not StudyImport.objects.exists()


def test_a_staff_user_without_the_permission_to_add_studies_cannot_import(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    assert client.get(UPLOAD).status_code == 403


@pytest.mark.parametrize("count", [3, 30])
def test_the_preview_runs_the_same_number_of_queries_however_many_records(
    client, researcher, django_assert_num_queries, count
):
    StudyFactory.create_batch(3)
    client.force_login(researcher)
    upload(client, "synthetic.ris", ris(count))
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    # session, user, the user's and the groups' permissions, the upload, the savepoint and its
    # release, the one look-up of identifiers, titles and first authors
    with django_assert_num_queries(8):
        response = client.get(preview)
    assert len(rows(response)) == count
    assertNotContains(response, "Error")


def test_the_preview_lists_the_first_records_and_counts_them_all(client, researcher, monkeypatch):
    monkeypatch.setattr("evidence.admin_import.ROWS_SHOWN", 2)
    client.force_login(researcher)
    upload(client, "synthetic.ris", ris(4) + "\nTY  - JOUR\nPY  - 2020\nER  -\n")
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    response = client.get(preview)
    assertContains(response, "would give 4 created, 0 duplicates, 0 possible duplicates, 1 errors")
    assert rows(response) == [(1, "New"), (2, "New")]
    assertContains(response, "The first 2 of 5 records are listed")
    assertContains(response, 'value="Create 4 studies"')
