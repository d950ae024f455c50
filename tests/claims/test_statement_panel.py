import pytest

from claims.models import Statement, Status
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    statement_for,
)


def prolactin_statement():
    return Statement.objects.get(text__startswith="Studies suggest that kratom can modulate")


def test_htmx_gets_the_panel_alone_to_open_in_place(client, seed):
    statement = prolactin_statement()
    response = client.get(
        f"/articles/kratom-prolactin-inflammation/statements/{statement.pk}/",
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert not html.lstrip().startswith("<!doctype")
    assert "It asserts “Kratom lowers prolactin levels.”, which the evidence contradicts." in html
    against = html.split("Strongest against")[1].split("</ul>")[0]
    assert "de Vries 2020" in against and "Vuong 2010" in against
    assert "It is very uncertain whether kratom lowers prolactin levels" in html


def test_without_javascript_the_same_panel_is_a_page_of_its_own(client, seed):
    statement = prolactin_statement()
    response = client.get(f"/articles/kratom-prolactin-inflammation/statements/{statement.pk}/")
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype")
    assert "Strongest against" in html
    # One address, a fragment or a page: a cache keeps them apart.
    assert "HX-Request" in response["Vary"]
    assert f'href="/articles/kratom-prolactin-inflammation/#s{statement.pk}"' in html


def test_the_article_page_links_each_statement_to_its_panel_with_and_without_javascript(
    client, seed
):
    statement = prolactin_statement()
    html = client.get("/articles/kratom-prolactin-inflammation/").content.decode()
    url = f"/articles/kratom-prolactin-inflammation/statements/{statement.pk}/"
    assert f'href="{url}" hx-get="{url}" hx-target="#statement-panel"' in html
    assert '<div id="statement-panel" class="statement-panel"></div>' in html  # one, empty


def test_beside_the_article_the_panel_quotes_its_statement_and_can_be_closed(client, seed):
    statement = prolactin_statement()
    url = f"/articles/kratom-prolactin-inflammation/statements/{statement.pk}/"
    beside = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'<p class="panel-quote">“{statement.text}”</p>' in beside
    assert 'data-close-panel aria-label="Close"' in beside
    own_page = client.get(url).content.decode()
    assert 'class="panel-quote"' not in own_page  # its heading quotes it
    assert "data-close-panel" not in own_page


def test_the_strongest_study_on_each_side_comes_first(client, db):
    article = ArticleFactory(slug="a")
    claim = ClaimFactory()
    FindingFactory(
        claim=claim,
        study__design="cross_sectional",
        study__participants=9000,
        study__authors=["Survey A"],
    )
    FindingFactory(
        claim=claim, study__design="rct", study__participants=40, study__authors=["Trial A"]
    )
    FindingFactory(
        claim=claim,
        study__design="narrative_review",
        study__participants=None,
        study__authors=["Review A"],
    )
    AssessmentFactory(claim=claim)
    statement = statement_for(article, "First sentence asserts something.", claims_=[claim])
    html = client.get(f"/articles/a/statements/{statement.pk}/").content.decode()
    supporting = html.split("Strongest for")[1].split("</ul>")[0]
    assert supporting.index("Trial 2020") < supporting.index("Survey 2020")
    assert "Review 2020" not in supporting  # two at most


def test_a_statement_of_a_draft_article_or_another_article_is_a_404(client, db):
    draft = ArticleFactory(slug="draft", status=Status.DRAFT)
    ArticleFactory(slug="other")
    statement = statement_for(draft, "First sentence asserts something.")
    assert client.get(f"/articles/draft/statements/{statement.pk}/").status_code == 404
    assert client.get(f"/articles/other/statements/{statement.pk}/").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_three_queries_whatever_the_number_of_claims_and_findings(
    client, db, rows, django_assert_num_queries
):
    article = ArticleFactory(slug="a")
    claims = ClaimFactory.create_batch(rows)
    for claim in claims:
        AssessmentFactory(claim=claim)
        FindingFactory.create_batch(2, claim=claim)
    statement = statement_for(article, "First sentence asserts something.", claims_=claims)
    with django_assert_num_queries(3):
        response = client.get(f"/articles/a/statements/{statement.pk}/")
    assert response.content.decode().count("Strongest for") == rows


def test_the_panel_marks_the_statement_and_each_claim_as_surely_as_their_grades(client, seed):
    statement = prolactin_statement()
    html = client.get(
        f"/articles/kratom-prolactin-inflammation/statements/{statement.pk}/",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert (
        '<span class="tag support-contradicted weight-very-low"><span class="icon" '
        'aria-hidden="true">✗</span> Very uncertain, leans contradicted · provisional</span>'
    ) in html
    assert "✗</span> Very uncertain, leans contradicted</span>" in html  # the claim's own
    assert "✗</span> Contradicted" not in html
