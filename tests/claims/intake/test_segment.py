"""claims.intake.segment: blocks, sentences with exact offsets, and which could be statements.

Every sentence here is written for the test (fictional names, no real study or figure).
"""

import pytest

from claims.intake.segment import BlockKind, NotCandidate, blocks, looks_like_heading, sentences

from .seed_source import article_text, needs_seed, statements


def texts(body):
    return [s.text for s in sentences(body)]


def test_every_sentence_is_its_exact_span_of_the_body_without_outer_spaces():
    body = "  One sentence here.   Another one follows.  \n# A heading\n- an item.  And more."
    for sentence in sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    assert texts(body) == [
        "One sentence here.",
        "Another one follows.",
        "A heading",
        "an item.",
        "And more.",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Dr. Lee reviewed the data. The results were clear.",
        "Some herbs (e.g. ginger) are widely used. Others are not.",
        "Some herbs, e.g. Ginger, are widely used. Others are not.",
        "Two groups were compared, i.e. treated and untreated ones. The difference was small.",
        "The trial compared the herb vs. placebo in adults. No effect was found.",
        "Herb vs. Placebo was the comparison. It was blinded.",
        "The usual dose is approx. 3 mg per day. It was well tolerated.",
        "Approx. half of the users reported nausea. Few stopped.",
        "Prof. Ito, Ph.D., led the work. She retired later.",
        "The review by J. R. Lee found nothing. A later one agreed.",
        "The levels fell (Fig. 2) in the treated group. The control group did not change.",
        "The herb is sold in the U.S. and in Europe. Rules differ.",
    ],
)
def test_it_does_not_end_a_sentence_at_an_abbreviation(body):
    first, second = body.rsplit(". ", 1)
    assert texts(body) == [first + ".", second]


def test_it_keeps_et_al_inside_the_sentence():
    assert texts("A trial by Lee et al. found a small effect. A second trial did not.") == [
        "A trial by Lee et al. found a small effect.",
        "A second trial did not.",
    ]
    assert texts("Lee et al. (2020) found a small effect. A second trial did not.") == [
        "Lee et al. (2020) found a small effect.",
        "A second trial did not.",
    ]


def test_it_keeps_decimal_numbers_whole():
    assert texts("Participants took 2.5 mg daily. Levels fell by 1.5 percent.") == [
        "Participants took 2.5 mg daily.",
        "Levels fell by 1.5 percent.",
    ]
    assert texts("The difference was significant (p < 0.05). It was small.") == [
        "The difference was significant (p < 0.05).",
        "It was small.",
    ]


def test_a_sentence_inside_curly_quotes_ends_after_the_closing_quote():
    assert texts("The leaflet said, “This plant is safe.” Experts disagree.") == [
        "The leaflet said, “This plant is safe.”",
        "Experts disagree.",
    ]
    assert texts("“Is it safe?” the reader asked. Nobody answered the reader.") == [
        "“Is it safe?” the reader asked.",
        "Nobody answered the reader.",
    ]


def test_a_paragraph_wholly_in_quotes_is_split_inside_them():
    body = "“The herb is popular. Its effect is not known.”\nA line after it."
    assert texts(body) == ["The herb is popular.", "Its effect is not known.", "A line after it."]


def test_a_sentence_never_spans_lines():
    assert texts("The dose was\nsmall. It faded") == ["The dose was", "small.", "It faded"]


def test_a_line_starting_with_the_heading_marker_is_a_heading_of_any_text():
    (block,) = blocks("# it is a heading, whatever it looks like.")
    assert block.kind == BlockKind.HEADING
    assert block.text == "it is a heading, whatever it looks like."
    assert block.start == 2


def test_a_line_starting_with_the_list_marker_is_a_list_item():
    body = "Intro line of the text.\n- The first item.\n-not an item."
    kinds = [(b.kind, b.text) for b in blocks(body)]
    assert kinds == [
        (BlockKind.PARAGRAPH, "Intro line of the text."),
        (BlockKind.LIST_ITEM, "The first item."),
        (BlockKind.PARAGRAPH, "-not an item."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Side effects and safety",
        "How Much Tea Is Too Much?",
        "The Role of Sleep in Recovery: A Closer Look",
        "2024 in Review",
    ],
)
def test_a_short_title_like_bare_line_is_a_heading(line):
    assert looks_like_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "The tea is cheap.",
        "Is the tea safe for children?",
        "however, nobody knows",
        "It works, and it is cheap,",
        "A very long line without a full stop that goes on and on well past the number of words "
        "any heading would ever use in a page",
    ],
)
def test_a_sentence_like_bare_line_is_not_a_heading(line):
    assert not looks_like_heading(line)


def test_headings_and_list_items_are_never_candidates():
    body = (
        "# The Effect of Tea\nThe tea lowers stress in adults.\n- The tea lowers stress in adults."
    )
    result = [(s.block_kind, s.candidate, s.why_not) for s in sentences(body)]
    assert result == [
        (BlockKind.HEADING, False, NotCandidate.HEADING),
        (BlockKind.PARAGRAPH, True, None),
        (BlockKind.LIST_ITEM, False, NotCandidate.LIST_ITEM),
    ]


def test_a_list_item_naming_a_heading_of_the_body_is_a_list_of_contents():
    body = "- What the Tea Contains\n- Some other note\nWhat the Tea Contains\nIt contains water."
    why = [s.why_not for s in sentences(body)]
    assert why == [
        NotCandidate.LIST_OF_CONTENTS,
        NotCandidate.LIST_ITEM,
        NotCandidate.HEADING,
        None,
    ]


def test_a_question_is_not_a_candidate():
    (question, answer) = sentences("Does the tea help sleep? Two small trials found no effect.")
    assert (question.candidate, question.why_not) == (False, NotCandidate.QUESTION)
    assert answer.candidate


@pytest.mark.parametrize(
    "sentence",
    [
        "Subscribe to our newsletter for weekly tips.",
        "Sign up today and get the guide for free.",
        "Click here to read the full report.",
        "Read more about herbal teas in our guide.",
        "Share this article with a friend.",
        "Buy the tea in our shop.",
        "Learn more about sleep on our sleep page.",
        "For questions, contact us by e-mail.",
        "Always consult your doctor before taking a new supplement.",
        "Talking is good, but speak to a pharmacist before mixing remedies.",
        "Consulting healthcare professionals before starting the tea is essential.",
        "“Don’t miss our next issue on sleep.”",
    ],
)
def test_a_pure_call_to_action_is_not_a_candidate(sentence):
    (result,) = sentences(sentence)
    assert (result.candidate, result.why_not) == (False, NotCandidate.CALL_TO_ACTION)


@pytest.mark.parametrize(
    "sentence",
    [
        "Discover how the tea may calm the nerves before sleep.",
        "Explore how the herb lowers stress in older adults.",
        "Doctors who consulted the records found no change in sleep.",
        "The pharmacist’s advice was that the tea is safe in small doses.",
    ],
)
def test_an_imperative_or_a_sentence_naming_doctors_that_asserts_something_stays_a_candidate(
    sentence,
):
    (result,) = sentences(sentence)
    assert result.candidate


def test_a_fragment_of_fewer_than_three_words_is_not_a_candidate():
    (fragment, statement) = sentences("In short. The tea is harmless.")
    assert (fragment.candidate, fragment.why_not) == (False, NotCandidate.TOO_SHORT)
    assert statement.candidate


@needs_seed
def test_every_seed_statement_is_exactly_one_candidate_sentence_at_its_offsets():
    body = article_text()
    result = sentences(body)
    candidates = {(s.start, s.end): s for s in result if s.candidate}
    for text, _links in statements():
        start = body.index(text)
        assert body.count(text) == 1
        assert (start, start + len(text)) in candidates, text
    assert all(body[s.start : s.end] == s.text for s in result)


@needs_seed
def test_the_seed_has_five_candidates_besides_its_statements_and_no_heading_among_them():
    body = article_text()
    seed_texts = {text for text, _links in statements()}
    others = [s.text for s in sentences(body) if s.candidate and s.text not in seed_texts]
    # The statements that assert no claim of the seed ("Long-term effects are not yet
    # well-defined…") and one invitation that asserts nothing ("Delve into the science…"), which
    # the matcher's threshold is left to drop.
    assert len(others) == 5
    assert any(text.startswith("Delve into the science") for text in others)


@needs_seed
def test_the_seeds_headings_table_of_contents_and_advice_are_not_candidates():
    body = article_text()
    why = [(s.text, s.why_not) for s in sentences(body) if not s.candidate]
    heading = "The Role of Prolactin in Inflammation: A Target for Kratom"
    assert (heading, NotCandidate.HEADING) in why
    assert (heading, NotCandidate.LIST_OF_CONTENTS) in why
    reasons = [reason for _text, reason in why]
    assert reasons.count(NotCandidate.HEADING) == 3
    assert reasons.count(NotCandidate.LIST_OF_CONTENTS) == 3
    assert reasons.count(NotCandidate.CALL_TO_ACTION) == 2
    assert len(reasons) == 8
