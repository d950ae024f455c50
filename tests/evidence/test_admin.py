"""The admin of studies and appraisals."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from evidence.models import Appraisal, AppraisalTool, Study
from tests.factories import StudyFactory, UserFactory, appraise

# Queries of a changelist for a superuser: session, user, the count (up to its cap: never the
# whole table's as well, config/admin_lists.py), the page of rows, and one per list filter
# that reads the database (the years).
STUDY_CHANGELIST_QUERIES = 5
APPRAISAL_CHANGELIST_QUERIES = 7


def add_synthetic_rows(count=5):
    appraiser = UserFactory()
    for year in range(2000, 2000 + count):
        appraise(StudyFactory(year=year), appraiser)


def study_form(**fields):
    data = {
        "title": "Synthetic study entered through the admin",
        "authors": "Testauthor A\nSecond B",
        "journal": "Journal of Synthetic Test Data",
        "year": "2021",
        "doi": "",
        "pmid": "",
        "pmcid": "",
        "design": "cohort",
        "population": "human",
        "participants": "120",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("model", ["study", "appraisal", "appraisaltool"])
def test_every_evidence_admin_page_loads_for_an_admin_on_the_seed_data(
    client, seed, admin_user, grader, model
):
    appraise(Study.objects.first(), grader)
    obj = {"study": Study, "appraisal": Appraisal, "appraisaltool": AppraisalTool}[
        model
    ].objects.first()
    client.force_login(admin_user)
    urls = [
        reverse(f"admin:evidence_{model}_changelist"),
        reverse(f"admin:evidence_{model}_change", args=[obj.pk]),
        reverse(f"admin:evidence_{model}_history", args=[obj.pk]),
    ]
    if model != "appraisal":  # appraisals are made on the grading page
        urls.append(reverse(f"admin:evidence_{model}_add"))
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", ["study", "appraisal"])
def test_a_researcher_can_read_every_evidence_admin_page_on_the_seed_data(
    client, seed, researcher, grader, model
):
    appraise(Study.objects.first(), grader)
    obj = {"study": Study, "appraisal": Appraisal}[model].objects.first()
    client.force_login(researcher)
    for url in [
        reverse(f"admin:evidence_{model}_changelist"),
        reverse(f"admin:evidence_{model}_change", args=[obj.pk]),
        reverse(f"admin:evidence_{model}_history", args=[obj.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_study_changelist_runs_the_same_number_of_queries_however_many_studies(
    client, seed, admin_user, django_assert_num_queries
):
    client.force_login(admin_user)
    url = reverse("admin:evidence_study_changelist")
    with django_assert_num_queries(STUDY_CHANGELIST_QUERIES):
        before = client.get(url)
    add_synthetic_rows()
    with django_assert_num_queries(STUDY_CHANGELIST_QUERIES):
        after = client.get(url)
    assert after.context["cl"].result_count == before.context["cl"].result_count + 5


def test_the_appraisal_changelist_runs_the_same_number_of_queries_however_many_appraisals(
    client, seed, admin_user, django_assert_num_queries
):
    client.force_login(admin_user)
    url = reverse("admin:evidence_appraisal_changelist")
    add_synthetic_rows(count=1)
    with django_assert_num_queries(APPRAISAL_CHANGELIST_QUERIES):
        client.get(url)
    add_synthetic_rows()
    with django_assert_num_queries(APPRAISAL_CHANGELIST_QUERIES):
        response = client.get(url)
    assert response.context["cl"].result_count == 6


def test_the_study_changelist_shows_label_design_population_year_and_identifiers(
    client, admin_user
):
    StudyFactory(
        authors=["de Testauthor F"],
        year=2019,
        design="rct",
        doi="10.5555/synthetic.list",
        pmid="990000777",
        pmcid="PMC990000777",
    )
    client.force_login(admin_user)
    response = client.get(reverse("admin:evidence_study_changelist"))
    assertContains(response, "de Testauthor 2019")
    assertContains(response, "Randomised controlled trial")
    assertContains(response, "DOI 10.5555/synthetic.list · PMID 990000777 · PMC990000777")


def test_a_researcher_adds_a_study_and_its_doi_is_stored_normalized(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("admin:evidence_study_add"),
        study_form(doi=" https://doi.org/10.5555/SYNTHETIC.Admin-1 ", pmcid="pmc990000123"),
    )
    assertRedirects(response, reverse("admin:evidence_study_changelist"))
    study = Study.objects.get()
    assert study.doi == "10.5555/synthetic.admin-1"
    assert study.pmcid == "PMC990000123"
    assert study.authors == ["Testauthor A", "Second B"]
    assert study.history.get().history_user == researcher


def test_a_study_whose_doi_is_another_spelling_of_a_stored_one_is_refused(client, researcher):
    StudyFactory(doi="10.5555/synthetic.twin")
    client.force_login(researcher)
    response = client.post(
        reverse("admin:evidence_study_add"), study_form(doi="doi:10.5555/SYNTHETIC.TWIN")
    )
    assert response.status_code == 200
    assertContains(response, "Please correct the error below.")
    assert Study.objects.count() == 1


def test_only_reviews_may_say_whether_they_pool_randomised_trials_in_the_add_form(
    client, researcher
):
    client.force_login(researcher)
    response = client.post(
        reverse("admin:evidence_study_add"), study_form(design="cohort", pools_randomised="true")
    )
    assertContains(response, "Only for systematic reviews and meta-analyses.")
    assert not Study.objects.exists()


def test_the_study_search_finds_a_study_by_a_doi_pasted_as_a_link(client, researcher):
    wanted = StudyFactory(doi="10.5555/synthetic.wanted")
    StudyFactory(doi="10.5555/synthetic.other")
    client.force_login(researcher)
    response = client.get(
        reverse("admin:evidence_study_changelist"),
        {"q": "https://doi.org/10.5555/SYNTHETIC.WANTED"},
    )
    assert list(response.context["cl"].result_list) == [wanted]


def admin_search(client, text):
    response = client.get(reverse("admin:evidence_study_changelist"), {"q": text})
    return list(response.context["cl"].result_list)


def test_the_study_search_finds_words_of_a_title_in_any_form(client, researcher):
    wanted = StudyFactory(title="Synthetic markers of a made-up compound")
    StudyFactory(title="Synthetic unrelated study")
    client.force_login(researcher)
    assert admin_search(client, "marker compound") == [wanted]
    assert admin_search(client, "made-up nothing") == []


def test_the_study_search_finds_a_study_by_its_pmid_or_pmcid(client, researcher):
    by_pmid = StudyFactory(pmid="990000123", title="Synthetic first")
    by_pmcid = StudyFactory(pmcid="PMC990000456", title="Synthetic second")
    client.force_login(researcher)
    assert admin_search(client, "990000123") == [by_pmid]
    assert admin_search(client, "pmc990000456") == [by_pmcid]


def test_a_number_that_is_no_pmid_is_searched_as_a_word(client, researcher):
    wanted = StudyFactory(title="Synthetic study 4321 of a made-up cohort")
    client.force_login(researcher)
    assert admin_search(client, "4321") == [wanted]


def test_a_reader_who_is_not_staff_is_sent_from_the_admin_to_the_login_page(client, reader):
    client.force_login(reader)
    response = client.get("/admin/")
    assertRedirects(response, "/admin/login/?next=/admin/")


def test_appraisals_are_made_on_the_grading_page_not_in_the_admin(client, grader):
    client.force_login(grader)
    assert client.get(reverse("admin:evidence_appraisal_add")).status_code == 403


def test_a_user_who_may_only_view_a_record_cannot_revert_it_from_its_history(
    client, researcher, grader
):
    appraisal = appraise(StudyFactory(), grader)
    appraisal.overall_override = appraisal.tool.judgements.get(value="serious")
    appraisal.override_justification = "A synthetic justification."
    appraisal.save()
    first_version = appraisal.history.earliest()
    url = reverse(
        "admin:evidence_appraisal_simple_history", args=[appraisal.pk, first_version.history_id]
    )
    client.force_login(researcher)
    assert client.get(url).status_code == 200
    response = client.post(url, {"study": appraisal.study_id, "tool": appraisal.tool_id})
    assert response.status_code == 403
    appraisal.refresh_from_db()
    assert appraisal.override_justification == "A synthetic justification."


def test_a_person_who_sets_the_design_confirms_it_and_it_is_no_longer_a_guess(client, researcher):
    study = StudyFactory(design="rct", design_guessed=True, population_guessed=True)
    client.force_login(researcher)
    response = client.post(
        reverse("admin:evidence_study_change", args=[study.pk]),
        study_form(
            title=study.title,
            doi=study.doi,
            pmid=study.pmid,
            design="cohort",
            design_guessed="on",
            population="human",
            population_guessed="on",
        ),
    )
    assertRedirects(response, reverse("admin:evidence_study_changelist"))
    study.refresh_from_db()
    assert (study.design, study.design_guessed) == ("cohort", False)
    assert study.population_guessed is True  # unchanged, so still a guess


def test_a_researcher_confirms_the_guesses_of_selected_studies(client, researcher):
    guessed = StudyFactory(design_guessed=True, population_guessed=True)
    client.force_login(researcher)
    client.post(
        reverse("admin:evidence_study_changelist"),
        {"action": "confirm_guesses", "_selected_action": [guessed.pk]},
    )
    guessed.refresh_from_db()
    assert (guessed.design_guessed, guessed.population_guessed) == (False, False)
    assert (
        guessed.history.first().history_change_reason == "Guessed design and population confirmed"
    )


def test_the_study_list_filters_studies_whose_design_is_a_guess(client, researcher):
    guessed = StudyFactory(design_guessed=True)
    StudyFactory(design_guessed=False)
    client.force_login(researcher)
    response = client.get(
        reverse("admin:evidence_study_changelist"), {"design_guessed__exact": "1"}
    )
    assert list(response.context["cl"].result_list) == [guessed]
