"""BM25, the ranker matching falls back to without the model."""

import pytest

from claims.intake.lexical import BM25, STOP_WORDS, tokenize


def test_it_lowercases_and_drops_stop_words_and_possessives():
    assert tokenize("Kratom’s alkaloids may act on the Opioid receptors.") == [
        "kratom",
        "alkaloids",
        "act",
        "opioid",
        "receptors",
    ]


def test_it_keeps_hyphenated_words_and_numbers_whole():
    assert tokenize("7-hydroxymitragynine and low-grade inflammation") == [
        "7-hydroxymitragynine",
        "low-grade",
        "inflammation",
    ]


def test_modal_verbs_are_stop_words():
    assert {"may", "might", "could", "can"} <= STOP_WORDS


def test_it_ranks_the_document_that_shares_the_rare_word_first():
    ranker = BM25(
        [
            "Kratom relieves pain in humans.",
            "Kratom reduces inflammation.",
            "Kratom lowers prolactin levels.",
        ]
    )
    scores = ranker.scores("A synthetic note: the leaf was said to change prolactin.")
    assert scores[2] > 0
    assert scores[2] == max(scores)
    assert scores[0] == scores[1] == 0


def test_a_word_every_document_shares_still_counts_a_little():
    ranker = BM25(["Kratom relieves pain.", "Kratom reduces inflammation."])
    assert all(score > 0 for score in ranker.scores("kratom"))


def test_a_shorter_document_scores_higher_for_the_same_match():
    ranker = BM25(["prolactin", "prolactin and many other words about other things entirely"])
    short, long = ranker.scores("prolactin")
    assert short > long


def test_a_query_with_no_known_word_scores_zero_everywhere():
    assert BM25(["Kratom reduces inflammation."]).scores("the and of") == [0.0]


def test_no_documents_give_no_scores():
    assert BM25([]).scores("kratom") == []


@pytest.mark.parametrize("query", ["", "   ", "!!!"])
def test_an_empty_query_scores_zero(query):
    assert BM25(["Kratom reduces inflammation."]).scores(query) == [0.0]


def test_documents_with_no_word_but_stop_words_score_zero():
    assert BM25(["The and of.", "It is."]).scores("kratom") == [0.0, 0.0]


def test_a_repeated_query_word_counts_each_time():
    ranker = BM25(["Kratom lowers prolactin levels.", "Kratom reduces inflammation."])
    once, twice = ranker.scores("prolactin")[0], ranker.scores("prolactin prolactin")[0]
    assert twice == pytest.approx(2 * once)
