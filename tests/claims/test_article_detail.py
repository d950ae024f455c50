import re

import pytest
from django.urls import reverse

from claims.models import Statement, Status
from tests.factories import ArticleFactory, AssessmentFactory, ClaimFactory, statement_for

SEED_ARTICLE = "/articles/kratom-prolactin-inflammation/"


def statement_marks(html):
    """(statement id, support, overstated) for every highlighted statement."""
    return re.findall(
        r'data-statement-id="(\d+)" data-support="([a-z-]+)"( data-overstated="true")?', html
    )


MARK = re.compile(
    r'<a class="statement support-(?P<support>[a-z-]+) weight-(?P<weight>[a-z-]+)'
    r'(?P<overstated> is-overstated)?" id="s(?P<pk>\d+)" data-statement-id="(?P=pk)" '
    r'data-support="(?P=support)"(?: data-overstated="true")? href="(?P<href>[^"]+)" '
    r'hx-get="(?P=href)" hx-target="#statement-panel" aria-controls="statement-panel" '
    r'aria-expanded="false" title="(?P<title>[^"]*)">(?P<text>.*?)'
    r'<span class="mark-icon" aria-hidden="true">(?P<icons>.*?)</span>'
    r'<span class="mark-words"> \((?P<words>.*?)\)</span></a>'
)


def marks(html):
    """Every statement's mark: one link, its sentence, its icons and its words."""
    return [match.groupdict() for match in MARK.finditer(html)]


def mark_of(html, sentence):
    (mark,) = [mark for mark in marks(html) if mark["text"].startswith(sentence)]
    return mark


def test_it_highlights_every_statement_of_the_seed_article_with_its_support(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    marks = statement_marks(html)
    assert len(marks) >= 12
    assert {support for _, support, _ in marks} <= {
        "supported",
        "contradicted",
        "mixed",
        "no-effect",
        "insufficient",
        "not-assessed",
    }


def test_it_marks_the_prolactin_sentences_contradicted_and_overstated(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    sentences = [
        "Studies indicate that kratom can modulate prolactin secretion",
        "Studies suggest that kratom can modulate prolactin secretion",
        "By inhibiting prolactin release, kratom could help alleviate",
    ]
    for sentence in sentences:
        mark = mark_of(html, sentence)
        assert (mark["support"], mark["overstated"]) == ("contradicted", " is-overstated")
        assert mark["icons"] == '✗<span class="overstated-icon">!</span>'


def test_it_says_why_a_statement_is_overstated_in_its_panel_not_inline(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    reason = "It asserts “Kratom lowers prolactin levels.”, which the evidence contradicts."
    assert reason not in html  # the panels load on demand
    statement = mark_of(html, "Studies suggest that kratom")["pk"]
    panel = client.get(f"{SEED_ARTICLE}statements/{statement}/").content.decode()
    assert reason in panel


def test_colour_is_never_the_only_signal(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    icons = {"supported": "✓", "contradicted": "✗", "mixed": "◐", "insufficient": "?"}
    for mark in marks(html):
        assert mark["icons"].startswith(icons[mark["support"]])
        assert mark["words"].startswith(mark["title"].split(";")[0])
    legend = html.split('<section class="legend"')[1].split("</section>")[0]
    assert 'Contradicted<span class="mark-icon" aria-hidden="true">✗</span>' in legend
    assert "Overstated: says more than the evidence carries" in legend


def test_each_statement_is_one_link_to_its_panel_which_links_on_to_the_claim(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    mark = mark_of(html, "Studies indicate that kratom can")
    assert mark["href"] == f"{SEED_ARTICLE}statements/{mark['pk']}/"
    assert "<a" not in mark["text"]  # no second click target inside
    panel = client.get(mark["href"], headers={"HX-Request": "true"}).content.decode()
    assert '<a href="/claims/kratom-lowers-prolactin-levels/">' in panel


def test_the_scorecard_counts_statements_per_support_level(client, seed):
    response = client.get(SEED_ARTICLE)
    scorecard = response.context["scorecard"]
    assert scorecard.total == len(statement_marks(response.content.decode()))
    assert scorecard["contradicted"] > 0
    assert scorecard.overstated >= 3


def test_an_unknown_article_is_a_404(client, db):
    assert client.get("/articles/no-such-article/").status_code == 404


def test_it_hides_draft_articles_from_readers(client, reader):
    ArticleFactory(slug="draft-article", status=Status.DRAFT)
    assert client.get("/articles/draft-article/").status_code == 404
    client.force_login(reader)
    assert client.get("/articles/draft-article/").status_code == 404


def test_it_does_not_show_draft_claims_of_a_published_article(client, db):
    article = ArticleFactory(slug="a")
    draft = ClaimFactory(text="Synthetic draft claim.", status=Status.DRAFT)
    AssessmentFactory(claim=draft, verdict="supported", certainty="high")
    statement_for(article, "First sentence asserts something.", claims_=[draft])
    html = client.get("/articles/a/").content.decode()
    assert "Synthetic draft claim." not in html
    assert 'data-support="not-assessed"' in html


def make_article_with_statements(n):
    body = " ".join(f"Sentence {i} asserts a synthetic thing." for i in range(n))
    article = ArticleFactory(slug="many", body=body)
    for i in range(n):
        claim = ClaimFactory()
        AssessmentFactory(claim=claim, verdict="mixed", certainty="low")
        statement_for(article, f"Sentence {i} asserts a synthetic thing.", claims_=[claim])


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_three_queries_whatever_the_number_of_statements(
    client, db, rows, django_assert_num_queries
):
    make_article_with_statements(rows)
    with django_assert_num_queries(3):
        response = client.get("/articles/many/")
    assert len(statement_marks(response.content.decode())) == rows


def test_with_many_statements_each_keeps_its_mark_and_panel_link_and_no_panel_body_inline(
    client, db
):
    make_article_with_statements(30)
    html = client.get("/articles/many/").content.decode()
    found = marks(html)
    assert len(found) == 30
    for mark in found:
        assert mark["href"] == f"/articles/many/statements/{mark['pk']}/"
    assert html.count('id="statement-panel"') == 1
    # No panel's body inline: neither a claim's grade in plain language nor how the article
    # asserts it (both in the panels, on demand).
    assert 'class="panel-body"' not in html
    assert 'class="plain"' not in html
    assert "The article states as fact." not in html


def test_each_statements_links_are_the_ones_the_urlconf_gives(client, db):
    # The page extends two reversed prefixes per statement (claims.templatetags.articles).
    make_article_with_statements(3)
    html = client.get("/articles/many/").content.decode()
    for statement in Statement.objects.filter(article__slug="many"):
        panel = reverse("claims:statement", args=["many", statement.pk])
        assert f'href="{panel}" hx-get="{panel}"' in html


def test_it_says_which_marks_rest_on_grades_no_grader_has_reviewed(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    assert "Provisional — not yet reviewed: 32 of these 32 marks rest on grades" in html
    mark = mark_of(html, "Studies suggest that kratom can")
    assert mark["words"].startswith("Very uncertain, leans contradicted · provisional; ")


def test_the_overstated_mark_names_the_claim_it_overstates(client, db):
    article = ArticleFactory(slug="a")
    weak = ClaimFactory(text="Synthetic weakly supported claim.")
    strong = ClaimFactory(text="Synthetic well supported claim.")
    AssessmentFactory(claim=weak, verdict="supported", certainty="very-low")
    AssessmentFactory(claim=strong, verdict="supported", certainty="high")
    statement_for(article, "First sentence asserts something.", claims_=[weak, strong])
    html = client.get("/articles/a/").content.decode()
    (mark,) = marks(html)
    assert mark["words"] == (
        "Very uncertain, leans supported · provisional; overstated: "
        '<span class="overstated-claims">“Synthetic weakly supported claim.”</span>'
    )
    assert mark["title"] == (
        "Very uncertain, leans supported · provisional; overstated: "
        "“Synthetic weakly supported claim.”"
    )


def test_a_hedged_link_beside_a_background_one_is_not_overstated(client, db):
    article = ArticleFactory(slug="a")
    background = ClaimFactory(text="Synthetic textbook claim.")
    hedged = ClaimFactory(text="Synthetic hedged claim.")
    for claim in (background, hedged):
        AssessmentFactory(claim=claim, verdict="supported", certainty="very-low")
    statement = statement_for(
        article, "First sentence asserts something.", assertion="suggests", claims_=[hedged]
    )
    statement.links.create(claim=background, assertion="background", status="published")
    html = client.get("/articles/a/").content.decode()
    assert 'data-overstated="true"' not in html
    panel = client.get(f"/articles/a/statements/{statement.pk}/").content.decode()
    assert "The article mentions as background." in panel
    assert "The article suggests." in panel
    statement.links.filter(claim=background).update(assertion="fact")
    html = client.get("/articles/a/").content.decode()
    assert '<span class="overstated-claims">“Synthetic textbook claim.”</span>' in html


def test_readers_do_not_see_proposed_statements_or_proposed_links(client, db):
    article = ArticleFactory(slug="a")
    claim = ClaimFactory(text="Synthetic published claim.")
    AssessmentFactory(claim=claim, verdict="contradicted", certainty="high")
    draft = statement_for(
        article, "First sentence asserts something.", claims_=[claim], status="draft"
    )
    published = statement_for(article, "Second sentence asserts more.", claims_=[])
    published.links.create(claim=claim, assertion="fact", status="draft")
    html = client.get("/articles/a/").content.decode()
    assert len(statement_marks(html)) == 1
    assert "Synthetic published claim." not in html
    assert client.get(f"/articles/a/statements/{draft.pk}/").status_code == 404


def test_in_the_seed_prolactins_role_in_immunity_is_background_where_kratom_is_hedged(seed):
    from claims.models import StatementClaim

    link = StatementClaim.objects.get(
        statement__text__startswith="Additionally, kratom’s ability to influence prolactin",
        claim__slug="prolactin-regulates-immune-responses-and-can-promote-pro-inflammatory-cytokines",
    )
    assert link.assertion == "background"
    hedged = link.statement.links.exclude(pk=link.pk)
    assert {other.assertion for other in hedged} == {"suggests"}


def test_the_articles_headings_and_list_items_read_as_such_without_their_markers(client, db):
    body = "# A synthetic part\n- A synthetic item\nFirst sentence asserts something."
    article = ArticleFactory(slug="a", body=body)
    statement_for(article, "First sentence asserts something.", claims_=[ClaimFactory()])
    html = client.get("/articles/a/").content.decode()
    assert '<h2 class="para article-heading">A synthetic part</h2>' in html
    assert '<div class="para list-item">A synthetic item</div>' in html
    assert "# A synthetic part" not in html and "- A synthetic item" not in html
    assert 'data-statement-id="' in html


def test_the_seed_articles_own_headings_are_headings(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    assert (
        '<h2 class="para article-heading">The Role of Prolactin in Inflammation: '
        "A Target for Kratom</h2>"
    ) in html
    assert '<div class="para list-item">What is Kratom and How Does it Interact' in html


def tags(html):
    """(support, weight, words) of every support tag on a page, in order."""
    return re.findall(
        r'<span class="tag support-([a-z-]+) weight-([a-z-]+)"><span class="icon" '
        r'aria-hidden="true">[^<]*</span> ([^<]+)</span>',
        html,
    )


def test_a_statements_mark_says_no_more_than_its_grade_and_fades_with_the_certainty(client, db):
    # Rule 8: the words carry the certainty, the weight falls with it; data-support stays the
    # verdict for machines.
    article = ArticleFactory(slug="a", body="First sentence. Second sentence. Third sentence.")
    for sentence, certainty in (("First", "very-low"), ("Second", "low"), ("Third", "high")):
        claim = ClaimFactory()
        AssessmentFactory(claim=claim, verdict="supported", certainty=certainty)
        statement_for(article, f"{sentence} sentence.", assertion="suggests", claims_=[claim])
    html = client.get("/articles/a/").content.decode()
    assert [(m["support"], m["weight"], m["words"]) for m in marks(html)] == [
        ("supported", "very-low", "Very uncertain, leans supported · provisional"),
        ("supported", "low", "May be supported · provisional"),
        ("supported", "high", "Supported · provisional"),
    ]


def test_a_very_low_certainty_statement_of_the_seed_reads_very_uncertain(client, seed):
    html = client.get(SEED_ARTICLE).content.decode()
    mark = mark_of(html, "Kratom, a Southeast Asian tropical plant")
    assert (mark["support"], mark["weight"]) == ("supported", "very-low")
    assert mark["words"] == "Very uncertain, leans supported · provisional"
    assert not any(m["words"].startswith("Supported") for m in marks(html))


def test_the_scorecard_counts_the_marks_readers_see_certainty_by_certainty(client, db):
    article = ArticleFactory(slug="a", body="First sentence. Second sentence. Third sentence.")
    for sentence, verdict, certainty in (
        ("First", "supported", "very-low"),
        ("Second", "supported", "very-low"),
        ("Third", "supported", "moderate"),
    ):
        claim = ClaimFactory()
        AssessmentFactory(claim=claim, verdict=verdict, certainty=certainty)
        statement_for(article, f"{sentence} sentence.", assertion="suggests", claims_=[claim])
    html = client.get("/articles/a/").content.decode()
    scorecard = html.split('<dl class="scorecard"')[1].split("</dl>")[0]
    rows = re.findall(r"</span>\s*</dt><dd>(\d+)</dd>", scorecard)
    assert [words for _, _, words in tags(scorecard)] == [
        "Probably supported",
        "Very uncertain, leans supported",
        "Contradicted",
        "Mixed evidence",
        "Insufficient evidence",
    ]
    assert rows == ["1", "2", "0", "0", "0", "0"]  # the last: overstated
    assert 'data-score="supported" data-certainty="very-low"' in scorecard
    assert "3 statements: 2 very uncertain, leans supported; 1 probably supported; 0 " in html
    bar = re.findall(r'<span class="seg support-supported weight-([a-z-]+) ', html)
    assert bar == ["very-low", "moderate"]
