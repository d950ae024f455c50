"""The admin's big lists (config/admin_lists.py): counted up to a cap, said as such, with the
pages up to it and no "select all" past it; the studies' years listed as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import admin_lists
from config.paging import CappedPaginator
from tests.factories import ClaimFactory, StudyFactory


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)


def test_a_list_longer_than_its_cap_says_more_than_the_cap(client, admin_user, cap_of_three):
    ClaimFactory.create_batch(5)
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_claim_changelist"))
    html = response.content.decode()
    assert "more than 3 claims" in html
    assert "Select all 4 claims" not in html and 'class="question' not in html


def test_a_search_is_counted_up_to_its_own_smaller_cap(client, admin_user, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    monkeypatch.setattr(admin_lists, "SEARCH_COUNT_CAP", 3)
    ClaimFactory.create_batch(5, text="Synthetic herb lowers a synthetic marker.")
    client.force_login(admin_user)
    changelist = reverse("admin:claims_claim_changelist")
    assert "more than" not in client.get(changelist).content.decode()
    searched = client.get(changelist, {"q": "herb"}).content.decode()
    assert "more than 3 results" in searched



def test_what_is_typed_in_an_autocomplete_box_is_counted_up_to_the_searchs_cap(
    client, admin_user, monkeypatch
):
    monkeypatch.setattr(admin_lists, "SEARCH_COUNT_CAP", 3)
    ClaimFactory.create_batch(2, text="Synthetic herb lowers a synthetic marker.")
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(
            "/admin/autocomplete/",
            {"term": "herb", "app_label": "claims", "model_name": "finding", "field_name": "claim"},
        ).json()
    assert len(answer["results"]) == 2 and answer["pagination"] == {"more": False}
    (count,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert count.rstrip().endswith("LIMIT 4) subquery")

def test_a_list_within_its_cap_counts_its_rows(client, admin_user):
    ClaimFactory.create_batch(3)
    client.force_login(admin_user)
    html = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "3 claims" in html and "more than" not in html


def test_a_page_shows_25_rows_and_the_next_page_the_rest(client, admin_user):
    StudyFactory.create_batch(30)
    client.force_login(admin_user)
    changelist = reverse("admin:evidence_study_changelist")
    first = client.get(changelist).context["cl"]
    second = client.get(changelist, {"p": 2}).context["cl"]
    assert len(first.result_list) == 25 and len(second.result_list) == 5
    shown = {s.pk for s in first.result_list} | {s.pk for s in second.result_list}
    assert len(shown) == 30


def test_the_studies_year_filter_offers_each_year_the_studies_have(client, admin_user):
    for year in (2001, 2001, 2015, None):
        StudyFactory(year=year)
    client.force_login(admin_user)
    response = client.get(reverse("admin:evidence_study_changelist"))
    (years,) = [f for f in response.context["cl"].filter_specs if f.lookup_kwarg == "year"]
    choices = list(years.lookup_choices)  # None last on PostgreSQL, first on SQLite
    assert [year for year in choices if year] == [2001, 2015] and None in choices
