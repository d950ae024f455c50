"""/claims/suggestions/: the published claims the study list's "Bears on claim" field offers
as the reader types."""

from tests.factories import ClaimFactory
from tests.plans import search_estimates


def suggested(client, text):
    response = client.get("/claims/suggestions/", {"q": text})
    assert response.status_code == 200
    return [claim["text"] for claim in response.json()["results"]]


def test_it_suggests_published_claims_matching_the_text_with_their_slug(client, db):
    ClaimFactory(slug="c", text="Synthetic compound lowers a made-up marker.")
    ClaimFactory(text="Synthetic diet changes a response.")
    response = client.get("/claims/suggestions/", {"q": "marker"})
    assert response.json() == {
        "results": [{"slug": "c", "text": "Synthetic compound lowers a made-up marker."}]
    }


def test_part_of_a_word_is_enough(client, db):
    ClaimFactory(text="Synthetic compound lowers prolactin.")
    assert suggested(client, "prolac") == ["Synthetic compound lowers prolactin."]


def test_it_never_suggests_a_draft_claim(client, db):
    ClaimFactory(text="Synthetic draft marker claim.", status="draft")
    assert suggested(client, "marker") == []


def test_it_waits_for_three_characters(client, db):
    ClaimFactory(text="Synthetic compound lowers a made-up marker.")
    assert suggested(client, "ma") == []


def test_it_suggests_at_most_twenty(client, db):
    ClaimFactory.create_batch(25, text="Synthetic marker claim")
    assert len(suggested(client, "marker")) == 20


def test_it_runs_two_queries(client, db, django_assert_num_queries):
    ClaimFactory.create_batch(3)
    # (On PostgreSQL, the planner's estimate of the word,) the matches counted up to the
    # ranking's cap, then the suggestions.
    with django_assert_num_queries(2 + search_estimates()):
        client.get("/claims/suggestions/", {"q": "synthetic"})


def test_a_few_matches_come_the_most_relevant_first(client, db):
    only_in_subject = ClaimFactory(text="Synthetic diet changes a response.", subject="marker")
    in_text = ClaimFactory(text="Synthetic compound lowers a made-up marker.")
    assert suggested(client, "marker") == [in_text.text, only_in_subject.text]


def test_more_matches_than_the_ranking_takes_come_in_the_order_of_the_claims(
    client, db, monkeypatch
):
    monkeypatch.setattr("config.search.RANK_CAP", 5)
    claims = ClaimFactory.create_batch(25, text="Synthetic marker claim")
    slugs = [
        c["slug"] for c in client.get("/claims/suggestions/", {"q": "marker"}).json()["results"]
    ]
    assert slugs == [claim.slug for claim in claims[:20]]
