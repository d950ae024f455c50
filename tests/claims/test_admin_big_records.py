"""The admin's pages of a claim with hundreds of findings and an article with hundreds of
statements: the newest findings listed and linked, the first statements to change, a link to
all of the rest, and the same queries however many there are."""

import pytest
from django.urls import reverse

from claims import admin as claims_admin
from claims.models import Statement
from tests.factories import ArticleFactory, ClaimFactory, FindingFactory


@pytest.mark.parametrize("findings", [3, 25])
def test_a_claims_page_runs_the_same_queries_however_many_findings_it_has(
    client, grader, findings, django_assert_num_queries
):
    claim = ClaimFactory()
    FindingFactory.create_batch(findings, claim=claim)
    client.force_login(grader)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    client.get(url)  # content types are cached by the process, once
    # Session, user, the claim, the grader's permissions (2), its pending proposals, how many
    # findings, the newest of them with their studies.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


def test_a_claims_page_lists_its_newest_findings_and_links_to_all_of_them(client, grader):
    claim = ClaimFactory()
    findings = FindingFactory.create_batch(claims_admin.CLAIM_PAGE_FINDINGS + 2, claim=claim)
    client.force_login(grader)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    for finding in findings[2:]:
        assert reverse("admin:claims_finding_change", args=[finding.pk]) in html
    for finding in findings[:2]:
        assert reverse("admin:claims_finding_change", args=[finding.pk]) not in html
    every = reverse("admin:claims_finding_changelist") + f"?claim__id__exact={claim.pk}"
    assert f'<a href="{every}">All 22 findings of this claim →</a>' in html
    assert 'name="findings-0-study"' in html  # a row to add one
    assert 'name="findings-INITIAL_FORMS" value="0"' in html  # none of the stored ones


def test_the_findings_list_narrowed_to_a_claim_shows_its_findings_only(client, grader):
    claim, other = ClaimFactory(), ClaimFactory()
    FindingFactory.create_batch(3, claim=claim)
    FindingFactory(claim=other)
    client.force_login(grader)
    response = client.get(
        reverse("admin:claims_finding_changelist"), {"claim__id__exact": claim.pk}
    )
    assert {f.claim_id for f in response.context["cl"].result_list} == {claim.pk}
    assert response.context["cl"].result_count == 3


def many_statements(count):
    body = " ".join(f"Synthetic sentence {n} asserts a thing." for n in range(count))
    article = ArticleFactory(body=body)
    Statement.objects.bulk_create(
        Statement(
            article=article, start=body.index(text), end=body.index(text) + len(text), text=text
        )
        for text in (f"Synthetic sentence {n} asserts a thing." for n in range(count))
    )
    return article


@pytest.mark.parametrize("statements", [3, 40])
def test_an_articles_page_runs_the_same_queries_however_many_statements_it_has(
    client, admin_user, statements, django_assert_num_queries
):
    article = many_statements(statements)
    client.force_login(admin_user)
    url = reverse("admin:claims_article_change", args=[article.pk])
    client.get(url)  # content types are cached by the process, once
    # Session, user, the article with its count of statements, the statements shown, their
    # links.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200


def test_an_articles_page_changes_its_first_statements_and_links_to_all_of_them(client, admin_user):
    article = many_statements(claims_admin.ARTICLE_PAGE_STATEMENTS + 5)
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_article_change", args=[article.pk]))
    html = response.content.decode()
    shown = response.context["inline_admin_formsets"][0].formset.queryset
    assert [s.start for s in shown.order_by("start")] == list(
        Statement.objects.filter(article=article).order_by("start").values_list("start", flat=True)
    )[: claims_admin.ARTICLE_PAGE_STATEMENTS]
    every = reverse("admin:claims_statement_changelist") + f"?article={article.pk}"
    shown_first = claims_admin.ARTICLE_PAGE_STATEMENTS
    assert f"The first {shown_first} of {shown_first + 5} below" in html
    assert f'href="{every}"' in html
