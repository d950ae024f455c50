"""Claim.objects.sharing_words: the candidates the intake's model ranks for each sentence
(config.search.words_in_common), on PostgreSQL's word index and SQLite's fallback alike."""

import pytest

from claims.models import Claim
from config import search
from tests.factories import ClaimFactory
from tests.plans import on_postgresql


@pytest.fixture
def claims(db):
    return {
        "prolactin": ClaimFactory(
            text="Synthetic herb lowers serum prolactin.", status="published"
        ),
        "pain": ClaimFactory(text="Synthetic herb relieves joint pain.", status="published"),
        "sleep": ClaimFactory(text="Synthetic herb improves sleep.", status="draft"),
        "other": ClaimFactory(text="Compound Q changes a marker.", status="published"),
    }


def test_each_text_gets_the_claims_sharing_the_most_words_with_it_first(claims):
    found = Claim.objects.sharing_words(
        ["The synthetic herb lowered prolactin in serum.", "Joint pain eased."]
    )
    assert found[0][0] == claims["prolactin"].pk
    assert claims["other"].pk not in found[0]
    assert found[1] == [claims["pain"].pk]


def test_a_text_sharing_no_word_with_any_claim_gets_none(claims):
    assert Claim.objects.sharing_words(["Nothing in common here, truly.", "the of and"]) == [[], []]
    assert Claim.objects.sharing_words([]) == []


def test_no_more_than_the_limit_are_given(claims):
    (found,) = Claim.objects.sharing_words(["A synthetic herb."], limit=2)
    assert len(found) == 2 and claims["other"].pk not in found


def test_a_word_most_claims_share_does_not_crowd_out_a_rarer_one(claims, monkeypatch):
    for n in range(6):
        ClaimFactory(text=f"Synthetic herb changes marker {n}.")
    monkeypatch.setattr(search, "PER_WORD", 2)
    (found,) = Claim.objects.sharing_words(["Synthetic herb and serum prolactin."])
    assert found[0] == claims["prolactin"].pk


def test_only_the_claims_of_the_queryset_are_given(claims):
    (found,) = Claim.objects.published().sharing_words(["Synthetic herb improves sleep."])
    assert claims["sleep"].pk not in found and found


@on_postgresql
def test_a_word_in_more_claims_than_are_read_of_it_gives_the_same_ones_every_time(db, monkeypatch):
    """The records a word finds past PER_WORD are the first by key, not the first the scan
    meets: the suggestions stay the same from one request to the next."""
    made = [ClaimFactory(text=f"Synthetic quencher changes marker {n}.") for n in range(6)]
    # PostgreSQL writes the first three anew after the others: its scans meet them last.
    Claim.objects.filter(pk__in=[claim.pk for claim in made[:3]]).update(subject="rewritten")
    monkeypatch.setattr(search, "PER_WORD", 3)
    (found,) = Claim.objects.sharing_words(["A quencher."])
    assert sorted(found) == [claim.pk for claim in made[:3]]
