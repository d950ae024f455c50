"""The intake workbench: bring in an article, then decide sentence by sentence."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from claims.intake import workbench
from claims.intake.models import Dismissal
from claims.models import Article, Statement, StatementClaim
from tests.factories import ArticleFactory, ClaimFactory

BODY = (
    "Synthetic herb X lowers blood pressure in adults. Its leaves are green.\n"
    "A synthetic heading\n"
    "Synthetic herb X may reduce joint pain."
)


def units(html):
    """The (start, end) of every sentence row of the workbench, in order."""
    return [tuple(map(int, m)) for m in re.findall(r'<span class="offsets meta">(\d+)–(\d+)', html)]


@pytest.fixture
def article(db):
    return ArticleFactory(slug="synthetic", body=BODY, status="draft")


@pytest.fixture
def claims(db):
    return {
        "pressure": ClaimFactory(
            text="Synthetic herb X lowers blood pressure.", status="published"
        ),
        "pain": ClaimFactory(text="Synthetic herb X relieves joint pain.", status="published"),
    }


def test_readers_and_visitors_cannot_open_the_workbench(client, reader, article):
    url = reverse("intake:workbench", args=[article.slug])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(reader)
    assert client.get(url).status_code in (302, 403)


def test_a_researcher_pastes_an_article_and_lands_on_its_workbench(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("intake:start"),
        {"title": "A synthetic article", "text": BODY, "format": "text"},
    )
    article = Article.objects.get()
    assert response.headers["Location"] == reverse("intake:workbench", args=[article.slug])
    assert (article.body, article.status) == (BODY, "draft")


def test_an_empty_paste_is_refused_with_a_reason_and_nothing_is_stored(client, researcher):
    client.force_login(researcher)
    response = client.post(reverse("intake:start"), {"title": "A synthetic article", "text": " "})
    assert "Paste the article" in response.content.decode()
    assert not Article.objects.exists()


def test_an_uploaded_markdown_file_keeps_its_headings_as_headings(client, researcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(researcher)
    upload = SimpleUploadedFile(
        "a.md", b"# A synthetic title\n\n## A part\n\nSynthetic herb X lowers blood pressure.\n"
    )
    client.post(reverse("intake:start"), {"file": upload})
    article = Article.objects.get()
    assert article.title == "A synthetic title"
    assert "# A part\nSynthetic herb X lowers blood pressure." in article.body


def test_each_sentence_gets_the_claims_it_may_assert_with_scores(
    client, researcher, article, claims
):
    client.force_login(researcher)
    html = client.get(reverse("intake:workbench", args=[article.slug])).content.decode()
    assert units(html) == [(0, 49), (50, 71), (72, 91), (92, 131)]
    first = html.split('id="u0"')[1].split('id="u50"')[0]
    assert first.index(claims["pressure"].text) < first.index(claims["pain"].text)
    assert "Not a statement: heading." in html


def test_accepting_a_suggestion_saves_a_proposed_link_at_once(client, researcher, article, claims):
    client.force_login(researcher)
    claim = claims["pain"]
    response = client.post(
        reverse("intake:accept", args=[article.slug]),
        {"start": 92, "end": 131, "claim": claim.pk, "assertion": "suggests"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'id="u92"' in html and "proposed" in html and "Linked to" in html
    link = StatementClaim.objects.get()
    assert (link.statement.text, link.claim, link.assertion, link.status) == (
        "Synthetic herb X may reduce joint pain.",
        claim,
        "suggests",
        "draft",
    )


def test_without_javascript_an_action_returns_to_the_page_at_the_sentence(
    client, researcher, article, claims
):
    client.force_login(researcher)
    response = client.post(
        reverse("intake:reject", args=[article.slug]),
        {"start": 0, "end": 49, "claim": claims["pressure"].pk},
    )
    assert response.headers["Location"].endswith("#u0")
    assert Dismissal.objects.get().claim == claims["pressure"]
    html = client.get(reverse("intake:workbench", args=[article.slug])).content.decode()
    first = html.split('id="u0"')[1].split('id="u50"')[0]
    assert claims["pressure"].text not in first


def test_a_new_claim_near_an_existing_one_is_refused_until_confirmed(
    client, researcher, article, claims
):
    client.force_login(researcher)
    data = {
        "start": 0, "end": 49, "text": "Synthetic herb X lowers blood pressure.",
        "kind": "effect", "assertion": "fact",
    }  # fmt: skip
    url = reverse("intake:new_claim", args=[article.slug])
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert "Nearly the same claim exists" in response.content.decode()
    assert not Statement.objects.exists()
    client.post(url, {**data, "confirm_new": "1"}, headers={"HX-Request": "true"})
    link = StatementClaim.objects.get()
    assert (link.claim.status, link.assertion) == ("draft", "fact")


def test_merging_two_sentences_gives_one_statement(client, researcher, article, claims):
    client.force_login(researcher)
    client.post(reverse("intake:merge", args=[article.slug]), {"start": 0, "end": 49})
    assert Statement.objects.get().text == BODY[0:71]


def test_a_bad_request_says_what_is_wrong_in_the_sentence(client, researcher, article, claims):
    client.force_login(researcher)
    response = client.post(
        reverse("intake:accept", args=[article.slug]),
        {"start": 0, "end": 49, "claim": claims["pain"].pk, "assertion": "certain"},
        headers={"HX-Request": "true"},
    )
    assert "Choose how strongly" in response.content.decode()
    assert not Statement.objects.exists()


def test_the_workbench_says_when_it_falls_back_to_the_lexical_ranker(
    client, researcher, article, claims, settings
):
    from claims.intake import embedding

    settings.EMBEDDING_MODEL_PATH = "/nonexistent/model"
    embedding.clear_cache()
    client.force_login(researcher)
    html = client.get(reverse("intake:workbench", args=[article.slug])).content.decode()
    assert "BM25" in html and "embedding model is not available" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_workbench_runs_a_fixed_number_of_queries(
    client, researcher, rows, django_assert_num_queries
):
    body = " ".join(f"Synthetic sentence {i} asserts a thing." for i in range(rows))
    article = ArticleFactory(slug="many", body=body, status="draft")
    for i in range(rows):
        ClaimFactory(text=f"Synthetic claim {i}.")
    from claims.intake import services

    claim = ClaimFactory()
    for i in range(0, rows, 3):
        sentence = f"Synthetic sentence {i} asserts a thing."
        start = body.index(sentence)
        services.link_propose(
            article=article, start=start, end=start + len(sentence), claim=claim,
            assertion="fact", by=researcher,
        )  # fmt: skip
    client.force_login(researcher)
    # Session, user, the user's permissions (2), the article, its statements, the dismissals,
    # the claims to rank (a small library's: all of them), the links of the page's statements.
    with django_assert_num_queries(9):
        client.get(reverse("intake:workbench", args=["many"]))


@pytest.mark.parametrize("claims", [3, 12])
def test_in_a_large_library_the_workbench_runs_a_fixed_number_of_queries(
    client, researcher, claims, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(workbench, "CANDIDATES", 2)
    body = " ".join(f"Synthetic herb X{i} lowers blood pressure." for i in range(20))
    ArticleFactory(slug="many", body=body, status="draft")
    for i in range(claims):
        ClaimFactory(text=f"Synthetic herb X{i} lowers blood pressure.")
    client.force_login(researcher)
    # As above, with the claims sharing words with each sentence found first (PostgreSQL: the
    # sentences' words, then what the word index finds for them; SQLite: the claims, read in
    # Python), then read: one query more, two on PostgreSQL.
    extra = 2 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(8 + extra + (claims > 2)):
        client.get(reverse("intake:workbench", args=["many"]))


def test_the_workbench_opens_fifteen_sentences_at_a_time_and_counts_them_all(client, researcher):
    body = " ".join(f"Synthetic sentence {i} asserts a thing." for i in range(40))
    ArticleFactory(slug="long", body=body, status="draft")
    client.force_login(researcher)
    url = reverse("intake:workbench", args=["long"])
    first = client.get(url).content.decode()
    assert len(units(first)) == workbench.UNITS_PER_PAGE
    assert "Sentences 1–15 of 40" in first and "0 of 40 sentences decided" in first
    assert 'href="?page=2" rel="next"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert len(units(last)) == 10 and "Sentences 31–40 of 40" in last
    assert 'rel="next"' not in last
    assert units(client.get(url, {"page": 99}).content.decode()) == units(last)


def test_without_javascript_an_action_returns_to_the_page_that_holds_the_sentence(
    client, researcher
):
    body = " ".join(f"Synthetic sentence {i} asserts a thing." for i in range(20))
    article = ArticleFactory(slug="long", body=body, status="draft")
    sentence = "Synthetic sentence 17 asserts a thing."
    start = body.index(sentence)
    client.force_login(researcher)
    response = client.post(
        reverse("intake:not_a_statement", args=[article.slug]),
        {"start": start, "end": start + len(sentence)},
    )
    assert response.headers["Location"].endswith(f"?page=2#u{start}")


def test_in_a_large_library_each_sentence_is_offered_the_claims_sharing_its_words(
    client, researcher, monkeypatch
):
    monkeypatch.setattr(workbench, "CANDIDATES", 2)
    ArticleFactory(slug="synthetic", body=BODY, status="draft")
    pain = ClaimFactory(text="Synthetic herb X relieves joint pain.")
    pressure = ClaimFactory(text="Synthetic herb X lowers blood pressure.")
    for n in range(5):
        ClaimFactory(text=f"Synthetic compound Q{n} changes a synthetic marker.")
    client.force_login(researcher)
    html = client.get(reverse("intake:workbench", args=["synthetic"])).content.decode()
    first = html.split('id="u0"')[1].split('id="u50"')[0]
    last = html.split('id="u92"')[1]
    assert pressure.text in first and "compound Q" not in first
    assert first.index(pressure.text) < first.index(pain.text)
    assert last.index(pain.text) < last.index(pressure.text)


def test_a_suggestion_is_linked_with_the_strength_chosen_beside_it(
    client, researcher, article, claims
):
    client.force_login(researcher)
    pain = claims["pain"]
    html = client.get(reverse("intake:workbench", args=[article.slug])).content.decode()
    assert f'name="assertion-{pain.pk}"' in html
    assert f'<button type="submit" name="claim" value="{pain.pk}" class="link">' in html
    client.post(
        reverse("intake:accept", args=[article.slug]),
        {"start": 92, "end": 131, "claim": pain.pk, f"assertion-{pain.pk}": "speculates",
         f"assertion-{claims['pressure'].pk}": "fact"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert StatementClaim.objects.get().assertion == "speculates"


def test_a_grader_accepts_the_proposals_from_the_workbench(
    client, researcher, grader, article, claims
):
    from claims.intake import services

    services.link_propose(
        article=article, start=0, end=49, claim=claims["pressure"], assertion="fact",
        by=researcher,
    )  # fmt: skip
    client.force_login(researcher)
    assert (
        "Accept the proposals"
        not in client.get(reverse("intake:workbench", args=[article.slug])).content.decode()
    )
    client.force_login(grader)
    response = client.post(reverse("intake:publish", args=[article.slug]), follow=True)
    assert "1 statement published with its links." in response.content.decode()
    article.refresh_from_db()
    assert article.status == "published"
    assert StatementClaim.objects.get().status == "published"


def test_a_new_text_keeps_the_statements_it_can_place_and_names_the_others(
    client, researcher, article, claims
):
    from claims.intake import services

    for start, end in ((0, 49), (50, 71)):
        services.link_propose(
            article=article, start=start, end=end, claim=claims["pressure"], assertion="fact",
            by=researcher,
        )  # fmt: skip
    client.force_login(researcher)
    new_text = "An added first line.\nSynthetic herb X lowers blood pressure in adults."
    response = client.post(
        reverse("intake:rebody", args=[article.slug]), {"body": new_text}, follow=True
    )
    html = response.content.decode()
    assert "1 statement could not be placed" in html and "“Its leaves are green.”" in html
    (statement,) = Statement.objects.all()
    assert (statement.start, statement.text) == (
        21,
        "Synthetic herb X lowers blood pressure in adults.",
    )


@pytest.fixture
def many_claims(db):
    return [
        ClaimFactory(text=f"Synthetic herb X lowers blood pressure by route {n}.") for n in range(6)
    ]


def test_a_sentences_other_claims_are_a_link_not_rendered_on_the_page(
    client, researcher, article, many_claims
):
    client.force_login(researcher)
    html = client.get(reverse("intake:workbench", args=[article.slug])).content.decode()
    first = html.split('id="u0"')[1].split('id="u50"')[0]
    shown = [claim for claim in many_claims if claim.text in first]
    assert len(shown) == workbench.SUGGESTIONS_SHOWN
    unit = reverse("intake:unit", args=[article.slug])
    assert f'hx-get="{unit}?start=0&amp;end=49">Other claims, ranked (3)</a>' in first


def test_the_other_claims_link_brings_the_sentence_with_every_suggestion(
    client, researcher, article, many_claims, django_assert_num_queries
):
    client.force_login(researcher)
    url = reverse("intake:unit", args=[article.slug])
    # Session, user, permissions (2), the article, its statements, the dismissals, the claims
    # to rank (a small library's: all of them).
    with django_assert_num_queries(8):
        response = client.get(url, {"start": 0, "end": 49}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.count('id="u0"') == 1 and 'id="u50"' not in html
    assert all(claim.text in html for claim in many_claims)
    assert '<details class="other-claims" open>' in html and "Other claims, ranked (" not in html


def test_without_javascript_the_other_claims_link_opens_them_on_the_page(
    client, researcher, article, many_claims
):
    client.force_login(researcher)
    url = reverse("intake:unit", args=[article.slug])
    response = client.get(url, {"start": 92, "end": 131})
    assert response.headers["Location"].endswith("?page=1&more=92#u92")
    assert "HX-Request" in response["Vary"]  # one address, a fragment or a redirect
    html = client.get(response.headers["Location"]).content.decode()
    last = html.split('id="u92"')[1]
    first = html.split('id="u0"')[1].split('id="u50"')[0]
    assert '<details class="other-claims" open>' in last
    assert '<details class="other-claims"' not in first and "Other claims, ranked (3)" in first


def test_the_other_claims_of_a_sentence_no_longer_there_say_so(client, researcher, article):
    client.force_login(researcher)
    url = reverse("intake:unit", args=[article.slug])
    response = client.get(url, {"start": 3, "end": 9}, headers={"HX-Request": "true"})
    assert "no longer in the article" in response.content.decode()
    assert client.get(url, {"start": "x"}).status_code == 400


def test_an_action_taken_with_the_other_claims_open_leaves_them_open(
    client, researcher, article, many_claims
):
    client.force_login(researcher)
    url = reverse("intake:reject", args=[article.slug])
    data = {"start": 92, "end": 131, "claim": many_claims[5].pk}
    opened = client.post(url, {**data, "more": "1"}, headers={"HX-Request": "true"})
    assert '<details class="other-claims" open>' in opened.content.decode()
    closed = client.post(url, {**data, "claim": many_claims[4].pk}, headers={"HX-Request": "true"})
    assert "Other claims, ranked (" in closed.content.decode()
    assert (
        client.post(url, {**data, "claim": many_claims[3].pk, "more": "1"})
        .headers["Location"]
        .endswith("?page=1&more=92#u92")
    )


def test_a_page_or_sentence_number_that_is_not_a_number_is_ignored(client, researcher, article):
    client.force_login(researcher)
    url = reverse("intake:workbench", args=[article.slug])
    for query in ({"page": "²", "more": "²"}, {"page": "x", "more": "-1"}):
        response = client.get(url, query)
        assert units(response.content.decode()) == [(0, 49), (50, 71), (72, 91), (92, 131)]
