"""An article's scorecard as readers see it (claims/templatetags/articles.py, scorecard_block):
the bar's segments by share, the numbers per mark, the overstated count and the notice."""

import re

from claims.grading import Certainty, StatementGrade, Support
from claims.models import Scorecard
from claims.templatetags.articles import scorecard_block


def card(*statements):
    return Scorecard.of(
        (StatementGrade(support, certainty, ("a reason",) if over else ()), provisional)
        for support, certainty, over, provisional in statements
    )


def test_the_bar_gives_each_mark_its_share_weakest_first():
    html = str(
        scorecard_block(
            card(
                (Support.SUPPORTED, Certainty.HIGH, False, False),
                (Support.SUPPORTED, Certainty.HIGH, False, False),
                (Support.CONTRADICTED, Certainty.LOW, True, False),
            )
        )
    )
    segments = re.findall(r'<span class="seg support-([\w-]+) weight-([\w-]+) grow-(\d+)"', html)
    assert segments == [("contradicted", "low", "33"), ("supported", "high", "67")]
    assert 'aria-label="3 statements: 1 ' in html and "; 1 overstated." in html
    assert re.search(r'data-score="overstated">.*<dd>1</dd>', html)
    assert "provisional-notice" not in html


def test_marks_resting_on_unreviewed_grades_are_announced():
    html = str(scorecard_block(card((Support.MIXED, None, False, True))))
    assert "Provisional — not yet reviewed: 1 of these 1 marks" in html
    assert re.search(
        r'data-score="mixed"><dt><span class="tag support-mixed weight-none">.* Mixed evidence',
        html,
    )


def test_an_article_with_no_marked_statement_has_numbers_and_no_bar():
    html = str(scorecard_block(card()))
    assert "scorebar" not in html
    assert re.search(r'data-score="supported".*<dd>0</dd>', html)
