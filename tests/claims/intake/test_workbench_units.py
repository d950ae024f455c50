"""workbench.units_of: the statements of an article and the sentences no statement overlaps."""

import random

from claims.intake import segment, workbench
from claims.models import Statement

# Plainly synthetic sentences (offsets: 0-39, 40-73, 74-110, 111-123).
BODY = (
    "Synthetic compound A lowers marker one. Synthetic diet C raises rate two. "
    "Synthetic regimen D eases level one. Water helps."
)


def statement(start, end):
    return Statement(start=start, end=end, text=BODY[start:end])


def spans(units):
    return [(unit.start, unit.end, unit.statement is not None) for unit in units]


def test_it_lists_every_sentence_when_there_is_no_statement():
    assert spans(workbench.units_of(BODY, [])) == [
        (0, 39, False),
        (40, 73, False),
        (74, 110, False),
        (111, 123, False),
    ]


def test_a_statement_takes_the_place_of_the_sentence_it_covers():
    units = workbench.units_of(BODY, [statement(40, 73)])
    assert spans(units) == [(0, 39, False), (40, 73, True), (74, 110, False), (111, 123, False)]


def test_a_statement_over_two_sentences_hides_both():
    units = workbench.units_of(BODY, [statement(0, 73)])
    assert spans(units) == [(0, 73, True), (74, 110, False), (111, 123, False)]


def test_a_statement_inside_a_sentence_hides_that_sentence():
    units = workbench.units_of(BODY, [statement(81, 100)])  # "ic regimen D eases "
    assert spans(units) == [(0, 39, False), (40, 73, False), (81, 100, True), (111, 123, False)]


def test_a_statement_ending_where_a_sentence_starts_leaves_it():
    units = workbench.units_of(BODY, [statement(0, 40), statement(73, 74)])
    assert spans(units) == [
        (0, 40, True),
        (40, 73, False),
        (73, 74, True),
        (74, 110, False),
        (111, 123, False),
    ]


def test_statements_given_out_of_order_hide_the_same_sentences():
    units = workbench.units_of(BODY, [statement(111, 123), statement(10, 20)])
    assert spans(units) == [(10, 20, True), (40, 73, False), (74, 110, False), (111, 123, True)]


def test_it_keeps_exactly_the_sentences_no_statement_overlaps_for_any_statements():
    sentences = segment.sentences(BODY)
    chooser = random.Random(20261204)
    for _ in range(500):
        # Statements that do not overlap one another, as an article's never do.
        cuts = sorted(chooser.sample(range(len(BODY) + 1), chooser.choice([2, 4, 6])))
        made = [statement(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if a < b]
        kept = [u for u in workbench.units_of(BODY, made) if u.statement is None]
        expected = [
            s for s in sentences if not any(m.start < s.end and s.start < m.end for m in made)
        ]
        assert [(u.start, u.end) for u in kept] == [(s.start, s.end) for s in expected]
