"""The admin's import page: upload, preview per record, confirm, result."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from evidence.models import PossibleDuplicate, Study, StudyImport
from tests.evidence.importing import CREATED, NEW, SAMPLES, UPLOAD, as_shown, ris, rows, upload
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
        (1, NEW),
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
    assert [outcome for _, outcome in rows(response)][0] == CREATED
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
    # New, and said to be not classified unless the file's publication types and subjects
    # gave a design and a population (tests/evidence/test_import_unclassified.py)
    assert [outcome.split(" (")[0] for _, outcome in rows(preview)] == ["New", "New"]


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
    assertContains(response, "<select", count=2 * count)  # a design and a population each
    assertNotContains(response, "Error")


def test_the_preview_lists_the_first_records_and_counts_them_all(client, researcher, monkeypatch):
    monkeypatch.setattr("evidence.admin_import.ROWS_SHOWN", 2)
    client.force_login(researcher)
    upload(client, "synthetic.ris", ris(4) + "\nTY  - JOUR\nPY  - 2020\nER  -\n")
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    response = client.get(preview)
    assertContains(response, "would give 4 created, 0 duplicates, 0 possible duplicates, 1 errors")
    assert rows(response) == [(1, NEW), (2, NEW)]
    assertContains(response, "The first 2 of 5 records are listed")
    assertContains(response, 'value="Create 4 studies"')


# What the confirm button counts, the guesses shown and changed, records left out

NBIB = """
PMID- 990000101
TI  - Synthetic preview trial one.
DP  - 2021
AU  - Testauthor A
PT  - Randomized Controlled Trial
MH  - Humans
LID - 10.5555/synthetic.preview.1 [doi]

PMID- 990000102
TI  - Synthetic preview rat study two.
DP  - 2021
AU  - Testauthor B
PT  - Journal Article
MH  - Animals
LID - 10.5555/synthetic.preview.2 [doi]

PMID- 990000103
TI  - Synthetic preview record three.
DP  - 2022
AU  - Testauthor C
LID - 10.5555/synthetic.preview.3 [doi]
"""


def previewed(client, name, content):
    upload(client, name, content)
    preview = reverse("admin:evidence_study_import_preview", args=[StudyImport.objects.get().pk])
    return preview, client.get(preview)


def test_the_button_counts_the_studies_the_import_will_create_not_the_records(client, researcher):
    StudyFactory(doi="10.5555/synthetic.admin.2", title="Synthetic stored record")
    StudyFactory(title="Synthetic admin record 3", year=2020, authors=["Other Z"])
    client.force_login(researcher)
    _, response = previewed(client, "synthetic.ris", ris(3) + "\nTY  - JOUR\nPY  - 2020\nER  -\n")
    # one new and one possible duplicate (created and flagged); the duplicate and the error not
    assertContains(response, 'value="Create 2 studies"', count=2)
    assertNotContains(response, "Import 4 records")


def test_a_file_with_nothing_to_create_says_so_and_offers_the_upload_instead_of_a_button(
    client, researcher
):
    StudyFactory(doi="10.5555/synthetic.admin.1", title="Synthetic stored record one")
    StudyFactory(doi="10.5555/synthetic.admin.2", title="Synthetic stored record two")
    client.force_login(researcher)
    _, response = previewed(client, "synthetic.ris", ris(2))
    assertContains(response, "<strong>Nothing would be created</strong>")
    assertContains(response, f'<a href="{UPLOAD}">Upload another file</a>', html=True)
    assertNotContains(response, 'value="Create')
    assertNotContains(response, 'id="import-confirm"')
    assert rows(response)[0][1].startswith("Duplicate of")


def test_the_preview_shows_each_guess_preset_and_stores_the_choices_as_confirmed(
    client, researcher
):
    client.force_login(researcher)
    preview, response = previewed(client, "synthetic.nbib", NBIB)
    form = response.context["form"]
    assert [(form[f"design_{n}"].value(), form[f"population_{n}"].value()) for n in (1, 2, 3)] == [
        ("rct", "human"),
        ("animal", "animal"),
        ("", ""),
    ]
    assertContains(response, '<option value="rct" selected>Randomised controlled trial</option>')
    assertContains(response, '<span class="import-guessed">guessed</span>', count=4)
    assertContains(response, '<option value="" selected>Not classified</option>', count=2)

    response = client.post(
        preview,
        as_shown(response, design_1="cohort", population_2="", design_3="case_report"),
    )
    assertRedirects(
        response, reverse("admin:evidence_study_import_result", args=[StudyImport.objects.get().pk])
    )
    stored = {
        study.title: (
            study.design,
            study.design_guessed,
            study.population,
            study.population_guessed,
        )
        for study in Study.objects.all()
    }
    assert stored == {
        "Synthetic preview trial one.": ("cohort", False, "human", False),
        "Synthetic preview rat study two.": ("animal", False, "", False),
        "Synthetic preview record three.": ("case_report", False, "", False),
    }


def test_unticked_records_are_not_created_and_the_result_counts_them_left_out(client, researcher):
    client.force_login(researcher)
    preview, response = previewed(client, "synthetic.ris", ris(3))
    assert all(form_value for name, form_value in as_shown(response).items() if "include" in name)
    client.post(preview, as_shown(response, include_2=False))
    assert sorted(Study.objects.values_list("title", flat=True)) == [
        "Synthetic admin record 1",
        "Synthetic admin record 3",
    ]
    study_import = StudyImport.objects.get()
    assert (study_import.created, study_import.left_out) == (2, 1)
    response = client.get(reverse("admin:evidence_study_import_result", args=[study_import.pk]))
    assertContains(response, "2 created, 0 duplicates, 0 possible duplicates, 0 errors, 1 left out")
    assert rows(response) == [
        (1, CREATED),
        (2, "Left out (unticked in the preview)"),
        (3, CREATED),
    ]


def test_a_choice_that_is_not_valid_imports_nothing_and_keeps_the_others_choices(
    client, researcher
):
    client.force_login(researcher)
    preview, response = previewed(client, "synthetic.nbib", NBIB)
    response = client.post(
        preview, as_shown(response, design_1="no_such_design", include_2=False, design_3="cohort")
    )
    assert response.status_code == 200
    assertContains(response, "Nothing was imported: please correct the errors below.")
    assertContains(response, "Select a valid choice. no_such_design is not one of")
    form = response.context["form"]
    assert form["include_2"].value() is False
    assert form["include_1"].value() is True
    assert form["design_3"].value() == "cohort"
    assertContains(response, '<option value="cohort" selected>Cohort study</option>')
    assert not Study.objects.exists()
    assert StudyImport.objects.get().status == "uploaded"


def test_unticking_every_record_imports_nothing_and_says_why(client, researcher):
    client.force_login(researcher)
    preview, response = previewed(client, "synthetic.ris", ris(2))
    response = client.post(preview, as_shown(response, include_1=False, include_2=False))
    assertContains(response, "No record is ticked, so nothing would be created.")
    assert not Study.objects.exists()


def test_a_file_over_the_choices_limit_is_imported_whole_with_its_guesses_and_says_so(
    client, researcher, monkeypatch
):
    monkeypatch.setattr("evidence.admin_import.CHOICES_UP_TO", 2)
    client.force_login(researcher)
    preview, response = previewed(client, "synthetic.nbib", NBIB)
    assertContains(response, "This file has more than 2 records: all of its new records are")
    assertNotContains(response, "<select")
    assertContains(response, 'value="Create 3 studies"', count=1)
    client.post(preview)
    assert Study.objects.get(design="rct").design_guessed is True
    assert Study.objects.count() == 3


def test_the_records_table_reads_row_by_row_on_a_phone(client, researcher):
    client.force_login(researcher)
    _, response = previewed(client, "synthetic.ris", ris(1))
    assertContains(response, '<table id="import-records" class="stack">')
    assertContains(response, '<td data-label="Outcome">')
    assertContains(response, "evidence/import.css")


def test_the_upload_page_says_which_files_may_be_chosen_record_by_record(client, researcher):
    client.force_login(researcher)
    response = client.get(UPLOAD)
    assertContains(response, "of at most 300 records you may leave out")


def test_the_preview_counts_the_ticked_records_as_they_change_with_its_script(client, researcher):
    client.force_login(researcher)
    _, response = previewed(client, "synthetic.ris", ris(2))
    assertContains(response, 'data-to-create="2"')
    assertContains(response, "evidence/import.js")
