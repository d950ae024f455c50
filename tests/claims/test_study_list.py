import pytest

from config.paging import CappedPaginator
from tests.factories import ClaimFactory, FindingFactory, StudyFactory
from tests.plans import search_estimates


def listed(response):
    return [study.title for study in response.context["page"].object_list]


def test_it_lists_the_seed_studies(client, seed):
    response = client.get("/studies/")
    assert response.context["page"].paginator.count == 28
    assert "28 studies" in response.content.decode()


def test_it_filters_by_design_population_and_year(client, db):
    StudyFactory(title="Synthetic trial", design="rct", year=2001)
    StudyFactory(title="Synthetic mouse study", design="animal", population="animal", year=2002)
    assert listed(client.get("/studies/?design=rct")) == ["Synthetic trial"]
    assert listed(client.get("/studies/?population=animal")) == ["Synthetic mouse study"]
    assert listed(client.get("/studies/?year=2001")) == ["Synthetic trial"]


def test_it_filters_by_the_claim_a_study_bears_on_through_approved_findings(client, db):
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim, study__title="Synthetic approved")
    FindingFactory(claim=claim, study__title="Synthetic draft", status="draft")
    StudyFactory(title="Synthetic unrelated")
    assert listed(client.get("/studies/?claim=c")) == ["Synthetic approved"]


def test_a_nonsense_filter_value_is_ignored_with_a_message_not_a_500(client, db):
    StudyFactory.create_batch(2)
    response = client.get("/studies/?year=abc&claim=nope&design=zzz&page=-4")
    assert response.status_code == 200
    assert "Some filters were not understood and are ignored" in response.content.decode()
    assert len(listed(response)) == 2


@pytest.mark.parametrize("url", ["/studies/?sort=,", "/claims/?sort=,", "/api/claims/?sort=,"])
def test_a_sort_of_empty_choices_keeps_the_default_order_not_a_500(client, db, url):
    StudyFactory.create_batch(2)
    assert client.get(url).status_code == 200


def test_it_says_what_to_do_when_nothing_matches(client, db):
    assert "No study matches these filters" in client.get("/studies/").content.decode()


# Two: the count and the page (a third, the select of every claim, went with issue 10).
@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_two_queries_whatever_the_number_of_studies(
    client, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    StudyFactory.create_batch(rows)
    with django_assert_num_queries(2):
        response = client.get("/studies/")
    assert len(listed(response)) == rows


def test_it_runs_four_queries_with_a_claim_and_a_text_search(client, db, django_assert_num_queries):
    claim = ClaimFactory(slug="c")
    FindingFactory.create_batch(3, claim=claim, study__title="Synthetic marker study")
    # The claim, (on PostgreSQL, the planner's estimate of the word,) the matches counted up to
    # the ranking's cap, the count, the page.
    with django_assert_num_queries(4 + search_estimates()):
        response = client.get("/studies/?claim=c&q=marker")
    assert len(listed(response)) == 3


@pytest.mark.parametrize(
    "sort, first_added_first", [("year", True), ("-year", False), ("-participants", False)]
)
def test_a_sort_breaks_ties_by_when_a_study_was_added_in_the_sorts_direction(
    client, db, sort, first_added_first
):
    added = [StudyFactory(title=f"Synthetic tie {n}", year=2010, participants=50) for n in range(3)]
    titles = [study.title for study in added]
    expected = titles if first_added_first else titles[::-1]
    assert listed(client.get(f"/studies/?sort={sort}")) == expected


def test_the_claim_filter_is_a_text_field_not_a_select_of_every_claim(client, db):
    ClaimFactory(slug="published-claim", text="Synthetic published claim.")
    html = client.get("/studies/").content.decode()
    assert "Synthetic published claim." not in html
    assert 'name="claim"' in html
    assert 'list="claim-options"' in html
    assert '<datalist id="claim-options">' in html


def test_it_takes_the_claim_by_its_text_as_typed_and_shows_it(client, db):
    claim = ClaimFactory(slug="c", text="Synthetic compound lowers a made-up marker.")
    FindingFactory(claim=claim, study__title="Synthetic approved")
    StudyFactory(title="Synthetic unrelated")
    response = client.get("/studies/?claim=synthetic compound lowers a MADE-UP marker.")
    assert listed(response) == ["Synthetic approved"]
    html = response.content.decode()
    assert 'Studies bearing on the claim <a href="/claims/c/">' in html


def test_readers_cannot_filter_by_a_draft_claim(client, db):
    draft = ClaimFactory(slug="draft-claim", text="Synthetic draft claim.", status="draft")
    FindingFactory(claim=draft, study__title="Synthetic study on a draft claim")
    filtered = client.get("/studies/?claim=draft-claim")
    assert "Some filters were not understood" in filtered.content.decode()
    assert "Synthetic draft claim." not in filtered.content.decode()


def test_past_the_count_cap_it_says_more_than_and_offers_no_deeper_page(
    client, db, monkeypatch, settings
):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    settings.PAGE_SIZE = 2
    StudyFactory.create_batch(7)
    response = client.get("/studies/")
    html = response.content.decode()
    assert "More than 4 studies" in html
    assert "Page 1 of more than 2" in html
    last = client.get("/studies/?page=9")
    assert last.context["page"].number == 2
    assert not last.context["page"].has_next()


def test_under_the_count_cap_it_says_the_exact_count(client, db, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    StudyFactory.create_batch(4)
    assert "4 studies" in client.get("/studies/").content.decode()


def test_a_year_that_is_not_a_whole_number_is_not_understood(client, db):
    StudyFactory(year=2020)
    response = client.get("/studies/?year=2020.5")
    assert "Some filters were not understood" in response.content.decode()


def test_it_marks_a_guessed_design_and_an_unclassified_population(client, db):
    StudyFactory(design="rct", design_guessed=True, population="")
    content = client.get("/studies/").content.decode()
    assert 'Randomised controlled trial <span class="meta">(guessed)</span>' in content
    assert '<td data-label="Population">Not classified</td>' in content
