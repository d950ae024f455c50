import re

import pytest

from claims.models import Status
from config.paging import CappedPaginator
from tests.factories import ArticleFactory, AssessmentFactory, ClaimFactory, FindingFactory


def listed(response):
    return [claim.text for claim in response.context["page"].object_list]


def test_it_lists_published_claims_with_their_grade(client, seed):
    html = client.get("/claims/").content.decode()
    assert re.search(
        r'data-verdict="contradicted" data-certainty="very-low">\s*<td><a href='
        r'"/claims/kratom-lowers-prolactin-levels/">',
        html,
    )


def test_it_filters_by_verdict(client, seed):
    response = client.get("/claims/?verdict=contradicted")
    assert "Kratom lowers prolactin levels." in listed(response)
    assert all(c.grade_verdict == "contradicted" for c in response.context["page"].object_list)


def test_it_filters_by_certainty_kind_article_and_text(client, seed):
    assert listed(client.get("/claims/?certainty=high")) == [
        "Mitragynine and 7-hydroxymitragynine, kratom's main alkaloids, act on opioid receptors."
    ]
    about_prolactin = listed(client.get("/claims/?q=prolactin"))
    assert len(about_prolactin) == 3
    assert all("prolactin" in text.lower() for text in about_prolactin)
    in_article = listed(client.get("/claims/?article=kratom-prolactin-inflammation"))
    assert len(in_article) == 8
    assert "Regular kratom use alters sex-hormone levels." not in in_article
    mechanisms = listed(client.get("/claims/?kind=mechanism"))
    assert len(mechanisms) == 3


def test_it_sorts_by_certainty(client, seed):
    response = client.get("/claims/?sort=-certainty")
    ranks = [c.certainty_rank for c in response.context["page"].object_list]
    assert ranks == sorted(ranks, reverse=True)


def test_a_nonsense_filter_value_is_ignored_with_a_message_not_a_500(client, seed):
    response = client.get("/claims/?verdict=bogus&certainty=zz&page=abc&sort=nonsense&article=x")
    assert response.status_code == 200
    assert "Some filters were not understood and are ignored" in response.content.decode()
    assert len(listed(response)) == 10


def test_it_says_what_to_do_when_nothing_matches(client, seed):
    html = client.get("/claims/?q=nothing-matches-this").content.decode()
    assert "No claim matches these filters" in html


def test_it_hides_draft_claims_from_readers(client, reader):
    ClaimFactory(text="Synthetic published claim.")
    ClaimFactory(text="Synthetic draft claim.", status=Status.DRAFT)
    for user in (None, reader):
        if user:
            client.force_login(user)
        assert listed(client.get("/claims/")) == ["Synthetic published claim."]


def test_it_counts_only_approved_findings(client, db):
    claim = ClaimFactory()
    FindingFactory(claim=claim)
    FindingFactory(claim=claim, status="draft")
    assert client.get("/claims/").context["page"].object_list[0].finding_count == 1


def test_it_paginates(client, db, settings):
    settings.PAGE_SIZE = 2
    ClaimFactory.create_batch(5)
    response = client.get("/claims/?page=3")
    assert len(listed(response)) == 1
    assert "Page 3 of 3" in response.content.decode()


def test_past_the_count_cap_it_says_more_than_and_offers_no_deeper_page(
    client, db, monkeypatch, settings
):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    settings.PAGE_SIZE = 2
    ClaimFactory.create_batch(7, text="Synthetic compound X lowers marker Y")
    response = client.get("/claims/?q=compound")
    html = response.content.decode()
    assert "More than 4 claims (narrow them with the filters)" in html
    assert "Page 1 of more than 2" in html
    last = client.get("/claims/?q=compound&page=9")
    assert last.context["page"].number == 2
    assert len(listed(last)) == 2


def test_under_the_count_cap_it_says_the_exact_count(client, db, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    ClaimFactory.create_batch(4)
    assert "4 claims" in client.get("/claims/").content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_three_queries_whatever_the_number_of_claims(
    client, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    ArticleFactory()
    for claim in ClaimFactory.create_batch(rows):
        AssessmentFactory(claim=claim)
        FindingFactory(claim=claim)
    with django_assert_num_queries(3):
        response = client.get("/claims/?sort=text")
    assert len(listed(response)) == rows


def test_sorting_by_verdict_puts_the_weakest_first_then_the_least_certain(client, db):
    grades = [
        ("supported", "high"),
        ("contradicted", "low"),
        ("mixed", "low"),
        ("mixed", "very-low"),
        ("contradicted", "moderate"),
        (None, None),
    ]
    for n, (verdict, certainty) in enumerate(grades):
        claim = ClaimFactory(text=f"Synthetic {n}.")
        if verdict:
            AssessmentFactory(claim=claim, verdict=verdict, certainty=certainty)
    order = [
        (c.grade_verdict, c.grade_certainty)
        for c in client.get("/claims/?sort=verdict").context["page"].object_list
    ]
    assert order == [
        ("contradicted", "low"),
        ("contradicted", "moderate"),
        (None, None),
        ("mixed", "very-low"),
        ("mixed", "low"),
        ("supported", "high"),
    ]


def test_every_filter_has_a_readable_label(client, db):
    html = client.get("/claims/").content.decode()
    for label in ("Text", "Verdict", "Certainty", "Kind", "Asserted in article", "Sort by"):
        assert f"<label>{label} " in html
    assert "[invalid name]" not in html


@pytest.mark.parametrize(
    "path",
    [
        "/claims/?verdict=%00",
        "/claims/?q=synthetic%00",
        "/studies/?q=%00",
        "/api/claims/?verdict=%00",
        "/api/studies/?q=%00",
        "/api/claims/export.csv?subject=%00",
        "/admin/claims/claim/?verdict=%00",
        "/admin/evidence/study/?q=%00",
        "/claims/%00/",
    ],
)
def test_a_nul_character_in_an_address_or_a_filter_is_a_400_everywhere(client, admin_user, path):
    ClaimFactory(text="Synthetic claim for a NUL filter.")
    client.force_login(admin_user)
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    if path.startswith("/api/"):  # in JSON, as the API documents its errors
        assert "NUL" in response.json()["detail"]


def test_each_claims_mark_carries_its_certainty_in_words_and_weight(client, seed):
    html = client.get("/claims/").content.decode()
    row = re.search(
        r'data-verdict="supported" data-certainty="very-low">\s*<td><a href='
        r'"/claims/kratom-reduces-inflammation/">.*?</tr>',
        html,
        re.S,
    ).group(0)
    assert (
        '<span class="tag support-supported weight-very-low"><span class="icon" '
        'aria-hidden="true">✓</span> Very uncertain, leans supported</span>'
    ) in row
    assert "✓</span> Supported</span>" in html  # the one claim graded high
    assert "✓</span> May be supported</span>" in html
