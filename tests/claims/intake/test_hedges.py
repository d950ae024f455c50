"""claims.intake.hedges: the suggested assertion of a sentence, and the cues that decided it.

Every sentence here is written for the test.
"""

import pytest

from claims.grading import Assertion
from claims.intake.hedges import suggest_assertion

from .seed_source import needs_seed, statements


@pytest.mark.parametrize(
    "sentence",
    [
        "Green tea lowers blood pressure in adults.",
        "The herb can raise heart rate.",
        "Poor sleep is associated with weight gain.",
        "Caffeine has been linked to anxiety.",
    ],
)
def test_a_sentence_without_a_hedge_states_as_fact(sentence):
    suggestion = suggest_assertion(sentence)
    assert suggestion.assertion == Assertion.FACT
    assert suggestion.cue == ()


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Green tea may lower blood pressure.", ("may",)),
        ("The herb could ease mild pain.", ("could",)),
        ("Studies indicate that the tea lowers stress.", ("Studies indicate",)),
        ("Research suggests a small effect on mood.", ("suggests",)),
        ("The root is believed to calm the nerves.", ("is believed",)),
        ("The leaf has potential benefits for sleep.", ("potential",)),
        ("Early trials are promising.", ("promising",)),
        ("Preliminary data point to a small benefit.", ("Preliminary",)),
        ("The extract appears to reduce swelling.", ("appears to",)),
    ],
)
def test_a_hedged_sentence_suggests_and_names_its_cue(sentence, cue):
    suggestion = suggest_assertion(sentence)
    assert suggestion.assertion == Assertion.SUGGESTS
    assert suggestion.cue == cue


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The tea might help with jet lag.", ("might",)),
        ("Drinking it daily could lead to better sleep.", ("could lead to",)),
        ("The extract may one day treat insomnia.", ("may one day",)),
        ("It is possible that the root lowers cortisol.", ("It is possible that",)),
        ("The leaf is proposed to act on serotonin.", ("proposed to",)),
    ],
)
def test_the_weakest_hedges_speculate(sentence, cue):
    suggestion = suggest_assertion(sentence)
    assert suggestion.assertion == Assertion.SPECULATES
    assert suggestion.cue == cue


def test_a_speculative_cue_wins_over_a_milder_one_in_the_same_sentence():
    suggestion = suggest_assertion("Studies suggest the herb might ease pain.")
    assert suggestion.assertion == Assertion.SPECULATES
    assert suggestion.cue == ("might",)


def test_it_lists_every_deciding_cue_in_order_with_its_span():
    sentence = "Studies suggest that the tea may lower stress, potentially."
    suggestion = suggest_assertion(sentence)
    assert suggestion.cue == ("suggest", "may", "potentially")
    assert [sentence[start:end] for start, end in suggestion.spans] == list(suggestion.cue)


def test_it_matches_cues_on_word_boundaries_and_in_any_case():
    assert suggest_assertion("MAY the tea help? Nobody knows.").assertion == Assertion.SUGGESTS
    assert suggest_assertion("The mayor opened the tea shop.").assertion == Assertion.FACT
    assert suggest_assertion("The herb is mighty popular.").assertion == Assertion.FACT
    assert suggest_assertion("The trial was unpromising.").assertion == Assertion.FACT


def test_the_month_of_may_is_not_a_hedge():
    assert suggest_assertion("The trial ended in May 2024.").assertion == Assertion.FACT
    assert suggest_assertion("The label changed on 3 May.").assertion == Assertion.FACT


# The two seed statements where the lexicon and the editorial reading differ; docs/intake.md says
# why: the reading is not consistent on the first, and the second's hedges qualify another claim.
SEED_DISAGREEMENTS = {
    "Studies indicate that kratom can modulate prolactin secretion, offering potential relief",
    "However, while preliminary research shows promise, more studies are needed",
}


@needs_seed
def test_it_agrees_with_the_seeds_reading_on_44_of_its_46_asserting_links():
    """Rule 9 puts the assertion on each link; the lexicon reads the sentence, so it is compared
    with every link of the sentence but the background ones, which it never suggests."""
    links = [
        (text, assertion)
        for text, by_claim in statements()
        for assertion in by_claim.values()
        if assertion != Assertion.BACKGROUND
    ]
    disagreements = {
        text for text, assertion in links if suggest_assertion(text).assertion != assertion
    }
    assert (len(statements()), len(links)) == (32, 46)
    assert {
        next(prefix for prefix in SEED_DISAGREEMENTS if text.startswith(prefix))
        for text in disagreements
    } == SEED_DISAGREEMENTS
    assert sum(suggest_assertion(t).assertion != a for t, a in links) == 2
