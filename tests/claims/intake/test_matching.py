"""Ranking the seed's claims for sentences, with the real model and without it.

The sentences are our own synthetic paraphrases of the seed claims, written for these tests; none
is taken from an article.
"""

import pytest

from claims.intake import matching
from claims.intake.matching import ClaimText, Match, near_duplicates, rank_claims

# Seed claim ids (fixtures/seed.json): 1 pain, 2 inflammation, 3 opioid receptors,
# 4 endocannabinoid system, 5 prolactin lowered, 6 prolactin and immunity, 7 chronic prolactin
# and low-grade inflammation, 8 side effects, 9 sex hormones, 10 dependence and liver injury.
PARAPHRASES = [
    ("Taking the herb is said to bring down the amount of prolactin in the blood.", 5),
    ("People who use kratom often report feeling constipated and drowsy, with a dry mouth.", 8),
    ("Mitragynine binds to the mu-opioid receptor in the brain.", 3),
    ("The leaf is marketed as a natural painkiller for adults with back pain.", 1),
    ("Daily users of the plant may become dependent and suffer withdrawal when they stop.", 10),
    ("Regular users showed changes in testosterone and other reproductive hormones.", 9),
    ("The plant is sold as a natural way to calm swelling and inflammation in the joints.", 2),
    ("Prolactin can push immune cells to release inflammatory cytokines.", 6),
]


def test_it_ranks_the_prolactin_claim_first_for_a_paraphrase(seed_claims):
    ranking = rank_claims([PARAPHRASES[0][0]], seed_claims)
    assert ranking.method == "model"
    assert ranking.matches[0][0].claim_id == 5


@pytest.mark.parametrize("sentence,claim_id", PARAPHRASES)
def test_the_model_ranks_the_paraphrased_claim_first(seed_claims, sentence, claim_id):
    assert rank_claims([sentence], seed_claims).matches[0][0].claim_id == claim_id


def test_a_ranking_says_which_method_and_threshold_it_used(seed_claims):
    ranking = rank_claims(["Kratom lowers prolactin levels."], seed_claims)
    assert ranking.method == "model"
    assert ranking.fallback_reason is None
    assert ranking.label == "all-MiniLM-L6-v2, static (model2vec)"
    assert ranking.threshold == matching.MODEL_THRESHOLD


def test_it_gives_the_top_three_best_first_per_sentence(seed_claims):
    sentences = [text for text, _ in PARAPHRASES[:4]]
    ranking = rank_claims(sentences, seed_claims)
    assert len(ranking.matches) == 4
    for matches in ranking.matches:
        assert len(matches) == 3
        scores = [match.score for match in matches]
        assert scores == sorted(scores, reverse=True)


def test_top_none_ranks_every_claim(seed_claims):
    (matches,) = rank_claims([PARAPHRASES[1][0]], seed_claims, top=None).matches
    assert sorted(match.claim_id for match in matches) == list(range(1, 11))


def test_a_claim_stated_word_for_word_scores_one_and_is_above_the_threshold(seed_claims):
    (matches,) = rank_claims(["Kratom lowers prolactin levels."], seed_claims).matches
    assert matches[0] == Match(claim_id=5, score=pytest.approx(1.0, abs=1e-5), above_threshold=True)


def test_a_sentence_about_nothing_in_the_claims_stays_below_the_threshold(seed_claims):
    (matches,) = rank_claims(["Sign up to our newsletter for weekly tips."], seed_claims).matches
    assert not any(match.above_threshold for match in matches)


def test_above_threshold_follows_the_score(seed_claims):
    ranking = rank_claims([text for text, _ in PARAPHRASES], seed_claims)
    for matches in ranking.matches:
        for match in matches:
            assert match.above_threshold == (match.score >= matching.MODEL_THRESHOLD)


def test_no_sentences_or_no_claims_give_empty_rankings(seed_claims):
    assert rank_claims([], seed_claims).matches == []
    assert rank_claims(["Kratom lowers prolactin levels."], []).matches == [[]]


def test_claim_ids_can_be_any_hashable_value():
    claims = [
        ClaimText("pain", "Kratom relieves pain."),
        ClaimText("gut", "Kratom causes constipation."),
    ]
    (matches,) = rank_claims(["Users said the herb eased their pain."], claims).matches
    assert matches[0].claim_id == "pain"


def test_without_the_model_it_falls_back_to_bm25_and_says_why(seed_claims, without_model):
    ranking = rank_claims(["Kratom lowers prolactin levels."], seed_claims)
    assert ranking.method == "bm25"
    assert "make model" in ranking.fallback_reason
    assert ranking.label == matching.BM25_LABEL
    assert ranking.threshold == matching.BM25_THRESHOLD
    assert ranking.matches[0][0].claim_id == 5
    assert ranking.matches[0][0].above_threshold


def test_bm25_leaves_out_claims_that_share_no_word(seed_claims, without_model):
    (matches,) = rank_claims(["Sedation was reported."], seed_claims).matches
    assert [match.claim_id for match in matches] == [8]


def test_bm25_finds_the_claim_when_the_words_are_shared(seed_claims, without_model):
    sentence = "Some users reported constipation and sedation after taking kratom."
    assert rank_claims([sentence], seed_claims).matches[0][0].claim_id == 8


RESTATEMENTS = [
    ("Kratom decreases prolactin.", 5),
    ("Kratom lowers blood prolactin levels.", 5),
    ("Kratom relieves pain.", 1),
    ("Prolactin promotes pro-inflammatory cytokines and regulates immunity.", 6),
]


@pytest.mark.parametrize("text,claim_id", RESTATEMENTS)
def test_a_restated_claim_is_reported_as_a_near_duplicate(seed_claims, text, claim_id):
    duplicates = near_duplicates(text, seed_claims)
    assert [match.claim_id for match in duplicates] == [claim_id]
    assert duplicates[0].above_threshold


@pytest.mark.parametrize(
    "text", ["Coffee improves memory.", "Kratom alters the gut microbiome in mice."]
)
def test_a_new_claim_on_another_matter_has_no_near_duplicate(seed_claims, text):
    assert near_duplicates(text, seed_claims) == []


def test_a_claim_that_only_adds_to_another_is_not_its_duplicate(seed_claims):
    # Every word of "Kratom reduces inflammation." is in it, but it says much more.
    text = "Kratom reduces inflammation of the joints by blocking interleukin-6 in older adults."
    assert 2 not in [match.claim_id for match in near_duplicates(text, seed_claims)]


def test_near_duplicates_takes_a_threshold(seed_claims):
    loose = near_duplicates("Kratom decreases prolactin.", seed_claims, threshold=0.3)
    assert len(loose) > 1
    assert loose[0].claim_id == 5


def test_near_duplicates_of_nothing_is_nothing():
    assert near_duplicates("Kratom relieves pain.", []) == []


def test_without_the_model_near_duplicates_compare_words(seed_claims, without_model):
    assert [m.claim_id for m in near_duplicates("Kratom relieves pain.", seed_claims)] == [1]
    assert near_duplicates("Coffee improves memory.", seed_claims) == []
