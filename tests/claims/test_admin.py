"""The admin of articles, statements, claims, findings and assessments."""

import re

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from claims.models import (
    Article,
    Assessment,
    AssessmentStatus,
    Claim,
    Finding,
    FindingStatus,
    Statement,
    StatementClaim,
)
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
    UserFactory,
    statement_for,
)

BODY = "First sentence asserts something. Second sentence asserts more. A third one."
FIRST = "First sentence asserts something."
SECOND = "Second sentence asserts more."

# Queries of a changelist for a superuser: session, user, the count (up to its cap: never the
# whole table's as well, config/admin_lists.py) and the page of rows; statements add the
# prefetch of their graded claims and the articles of the "by article" filter.
CHANGELIST_QUERIES = {
    "article": 4,
    "statement": 6,
    "statementclaim": 4,
    "claim": 4,
    "finding": 4,
    "assessment": 4,
}
MODELS = {
    "article": Article,
    "statement": Statement,
    "statementclaim": StatementClaim,
    "claim": Claim,
    "finding": Finding,
    "assessment": Assessment,
}


def add_synthetic_rows(count=5):
    """More of every model: claims with grades, findings, and articles whose statements
    assert several claims."""
    for _ in range(count):
        claim, other = ClaimFactory(), ClaimFactory()
        AssessmentFactory(claim=claim)
        FindingFactory(claim=claim, status=FindingStatus.SUBMITTED)
        FindingFactory(claim=other)
        article = ArticleFactory(body=BODY)
        statement_for(article, FIRST, claims_=[claim, other])
        statement_for(article, SECOND, assertion="suggests", claims_=[other])


def column(response, field):
    """The cells of one changelist column, top to bottom; a boolean cell reads True, False or
    None."""
    cells = re.findall(
        rf'<td class="field-{field}">(.*?)</td>', response.content.decode(), flags=re.S
    )
    return [re.sub(r'<img src="[^"]*" alt="(\w+)">', r"\1", cell) for cell in cells]


def article_form(article, statements=(), **fields):
    """The article change form as a browser posts it: its stored statements as they are, then
    the new ones entered in the inline."""
    stored = list(article.statements.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "url": article.url,
        "publisher": article.publisher,
        "published_on": "",
        "status": article.status,
        "body": article.body,
        "statements-TOTAL_FORMS": str(len(stored) + len(statements)),
        "statements-INITIAL_FORMS": str(len(stored)),
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    for index, statement in enumerate(stored):
        data.update(
            {
                f"statements-{index}-id": str(statement.pk),
                f"statements-{index}-article": str(article.pk),
                f"statements-{index}-start": str(statement.start),
                f"statements-{index}-end": str(statement.end),
                f"statements-{index}-text": statement.text,
                f"statements-{index}-status": statement.status,
            }
        )
    for index, statement in enumerate(statements, start=len(stored)):
        data[f"statements-{index}-article"] = str(article.pk)
        data[f"statements-{index}-status"] = "draft"
        for name, value in statement.items():
            data[f"statements-{index}-{name}"] = value
    data.update(fields)
    return data


def action(name, *objects):
    return {
        "action": name,
        "index": "0",
        helpers.ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects],
    }


# --- Every page, and the queries of the changelists ---------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_every_claims_admin_page_loads_for_an_admin_on_the_seed_data(
    client, seed, admin_user, model
):
    obj = MODELS[model].objects.order_by("pk").first()
    client.force_login(admin_user)
    urls = [
        reverse(f"admin:claims_{model}_changelist"),
        reverse(f"admin:claims_{model}_change", args=[obj.pk]),
        reverse(f"admin:claims_{model}_history", args=[obj.pk]),
    ]
    if model != "assessment":  # graders assess on the grading pages
        urls.append(reverse(f"admin:claims_{model}_add"))
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS)
def test_a_researcher_can_read_every_claims_admin_page_on_the_seed_data(
    client, seed, researcher, model
):
    obj = MODELS[model].objects.order_by("pk").first()
    client.force_login(researcher)
    for url in [
        reverse(f"admin:claims_{model}_changelist"),
        reverse(f"admin:claims_{model}_change", args=[obj.pk]),
        reverse(f"admin:claims_{model}_history", args=[obj.pk]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS)
def test_a_changelist_runs_the_same_number_of_queries_however_many_rows_it_shows(
    client, seed, admin_user, django_assert_num_queries, model
):
    client.force_login(admin_user)
    url = reverse(f"admin:claims_{model}_changelist")
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        before = client.get(url)
    add_synthetic_rows()
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        after = client.get(url)
    assert after.context["cl"].result_count > before.context["cl"].result_count


# --- What the changelists show ------------------------------------------------------------


def test_the_statement_changelist_shows_each_statements_support_and_whether_it_is_overstated(
    client, admin_user
):
    weak, contradicted = ClaimFactory(), ClaimFactory()
    AssessmentFactory(claim=weak, verdict="supported", certainty="low")
    AssessmentFactory(claim=contradicted, verdict="contradicted", certainty="moderate")
    article = ArticleFactory(body=BODY)
    statement_for(article, FIRST, assertion="fact", claims_=[weak])
    statement_for(article, SECOND, assertion="suggests", claims_=[weak])
    statement_for(article, "A third one.", assertion="suggests", claims_=[weak, contradicted])
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_statement_changelist"))
    assert column(response, "support") == [
        "May be supported · provisional",
        "May be supported · provisional",
        "Probably contradicted · provisional",
    ]
    assert column(response, "overstated") == ["True", "False", "True"]


def test_a_statement_asserting_only_an_unassessed_claim_is_not_assessed(client, admin_user):
    statement_for(ArticleFactory(body=BODY), FIRST, claims_=[ClaimFactory()])
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_statement_changelist"))
    assert column(response, "support") == ["Not assessed"]


def test_the_claim_changelist_shows_the_current_verdict_certainty_and_if_it_is_provisional(
    client, admin_user, grader
):
    provisional = ClaimFactory(text="A synthetic claim graded by the rules.")
    AssessmentFactory(claim=provisional, verdict="supported", certainty="moderate")
    published = ClaimFactory(text="B synthetic claim graded by a grader.")
    AssessmentFactory(claim=published, verdict="supported", certainty="high")
    AssessmentFactory(
        claim=published,
        status=AssessmentStatus.PUBLISHED,
        author=grader,
        verdict="no-effect",
        certainty="low",
    )
    FindingFactory.create_batch(2, claim=published)
    ClaimFactory(text="C synthetic claim nobody has graded.")
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert column(response, "verdict") == ["Supported", "No effect", "Not assessed"]
    assert column(response, "certainty") == ["Moderate", "Low", "—"]
    assert column(response, "provisional") == ["True", "False", "None"]
    assert column(response, "finding_count") == ["0", "2", "0"]


def test_the_claim_changelist_filters_on_the_current_verdict(client, admin_user):
    supported, contradicted = ClaimFactory(), ClaimFactory()
    AssessmentFactory(claim=supported, verdict="supported")
    AssessmentFactory(claim=contradicted, verdict="contradicted")
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_claim_changelist"), {"verdict": "contradicted"})
    assert list(response.context["cl"].result_list) == [contradicted]


def test_the_article_changelist_counts_each_articles_statements(client, admin_user):
    article = ArticleFactory(title="A synthetic article with two statements", body=BODY)
    statement_for(article, FIRST)
    statement_for(article, SECOND)
    ArticleFactory(title="B synthetic article without statements")
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_article_changelist"))
    assert column(response, "statement_count") == ["2", "0"]


# --- Statements: a span of the body -------------------------------------------------------


def test_a_statement_entered_on_the_article_with_start_and_end_takes_its_text_from_the_body(
    client, grader
):
    article = ArticleFactory(body=BODY)
    start = BODY.index(SECOND)
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, [{"start": str(start), "end": str(start + len(SECOND))}]),
    )
    assertRedirects(response, reverse("admin:claims_article_changelist"))
    statement = Statement.objects.get()
    assert statement.text == SECOND


def statement_form(statement, links=(), **fields):
    """The statement change form as a browser posts it, with new links to claims."""
    data = {
        "article": str(statement.article_id),
        "start": str(statement.start),
        "end": str(statement.end),
        "text": statement.text,
        "status": statement.status,
        "links-TOTAL_FORMS": str(len(links)),
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (claim, assertion) in enumerate(links):
        data.update(
            {
                f"links-{index}-claim": str(claim.pk),
                f"links-{index}-assertion": assertion,
                f"links-{index}-status": "draft",
            }
        )
    return data


def test_a_statement_links_each_claim_with_its_own_assertion_on_its_page(client, grader):
    statement = statement_for(ArticleFactory(body=BODY), FIRST)
    stated, hedged = ClaimFactory(), ClaimFactory()
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_statement_change", args=[statement.pk]),
        statement_form(statement, [(stated, "fact"), (hedged, "suggests")]),
    )
    assertRedirects(response, reverse("admin:claims_statement_changelist"))
    links = {link.claim: link.assertion for link in statement.links.all()}
    assert links == {stated: "fact", hedged: "suggests"}
    assert all(link.created_by == grader for link in statement.links.all())


def test_a_researchers_statement_and_links_are_drafts_they_cannot_publish(client, researcher):
    statement = statement_for(ArticleFactory(body=BODY), FIRST, status="draft")
    claim = ClaimFactory(status="published")
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_statement_change", args=[statement.pk]),
        statement_form(statement, [(claim, "fact")], status="published")
        | {"links-0-status": "published"},
    )
    assertRedirects(response, reverse("admin:claims_statement_changelist"))
    statement.refresh_from_db()
    assert statement.status == "draft"
    assert statement.links.get().status == "draft"


def test_a_grader_publishes_proposed_statements_with_their_links(client, grader, researcher):
    statement = statement_for(ArticleFactory(body=BODY), FIRST, status="draft")
    StatementClaim.objects.create(statement=statement, claim=ClaimFactory(), assertion="fact")
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_statement_changelist"),
        {"action": "publish", "_selected_action": [statement.pk]},
    )
    assertRedirects(response, reverse("admin:claims_statement_changelist"))
    statement.refresh_from_db()
    assert statement.status == "published"
    assert statement.links.get().status == "published"


def test_a_statement_entered_as_text_alone_gets_its_offsets_from_the_body(client, grader):
    article = ArticleFactory(body=BODY)
    client.force_login(grader)
    client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, [{"text": SECOND}]),
    )
    statement = Statement.objects.get()
    assert (statement.start, statement.end) == (BODY.index(SECOND), BODY.index(SECOND) + 29)


def test_moving_a_stored_statement_in_the_inline_takes_the_text_of_its_new_span(client, grader):
    article = ArticleFactory(body=BODY)
    statement = statement_for(article, FIRST)
    start = BODY.index(SECOND)
    data = article_form(article)
    data.update({"statements-0-start": str(start), "statements-0-end": str(start + len(SECOND))})
    client.force_login(grader)
    client.post(reverse("admin:claims_article_change", args=[article.pk]), data)
    statement.refresh_from_db()
    assert statement.text == SECOND


def test_the_statement_inline_refuses_a_span_whose_text_does_not_match_the_body(client, grader):
    article = ArticleFactory(body=BODY)
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(
            article, [{"start": "0", "end": "33", "text": "Something the article never said."}]
        ),
    )
    assert response.status_code == 200
    assertContains(response, "The text differs from the article’s body at 0–33")
    assert not Statement.objects.exists()


def test_the_statement_inline_refuses_two_statements_that_overlap(client, grader):
    article = ArticleFactory(body=BODY)
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, [{"start": "0", "end": "33"}, {"start": "6", "end": "40"}]),
    )
    assertContains(response, "Two statements overlap: 0–33 and 6–40.")
    assert not Statement.objects.exists()


def test_the_statement_inline_refuses_a_statement_overlapping_a_stored_one(client, grader):
    article = ArticleFactory(body=BODY)
    statement_for(article, FIRST)
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, [{"start": "6", "end": "40"}]),
    )
    assertContains(response, "The statement overlaps another statement of the article.")
    assert Statement.objects.count() == 1


@pytest.mark.parametrize(
    "entered,error",
    [
        ({"start": "0", "end": "200"}, "The article has 76 characters; the statement ends at 200."),
        ({"start": "10", "end": "5"}, "The end must come after the start."),
        ({"start": "10"}, "Give both start and end"),
        ({}, "Give start and end, or paste the text of the statement."),
        ({"text": "Never said."}, "This text does not occur in the article’s body."),
        ({"text": "sentence asserts"}, "This text occurs 2 times in the article’s body"),
    ],
)
def test_a_researcher_entering_a_statement_that_is_not_a_span_of_the_body_gets_a_form_error(
    client, researcher, entered, error
):
    article = ArticleFactory(body=BODY)
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_statement_add"),
        {"article": article.pk, **entered},
    )
    assert response.status_code == 200
    assertContains(response, error)
    assert not Statement.objects.exists()


def test_a_researcher_adds_a_statement_by_giving_start_and_end(client, researcher):
    article = ArticleFactory(body=BODY)
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_statement_add"),
        {
            "article": article.pk,
            "start": "0",
            "end": str(len(FIRST)),
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assertRedirects(response, reverse("admin:claims_statement_changelist"))
    statement = Statement.objects.get()
    assert (statement.text, statement.status, statement.created_by) == (FIRST, "draft", researcher)


def test_a_researcher_cannot_use_the_statement_inline_of_an_article_they_may_not_change(
    client, researcher
):
    article = ArticleFactory(body=BODY)
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, [{"start": "0", "end": str(len(FIRST))}]),
    )
    assert response.status_code == 403
    assert not Statement.objects.exists()


def test_statements_are_marked_once_the_article_is_saved(client, grader, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_article_add"))
    assert response.context["inline_admin_formsets"] == []


def test_an_article_body_that_no_longer_holds_its_statements_is_refused(client, grader):
    article = ArticleFactory(body=BODY)
    statement_for(article, SECOND)
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, body="An edited opening. " + BODY),
    )
    assertContains(response, "The new body no longer contains 1 of the article’s statements")
    article.refresh_from_db()
    assert article.body == BODY


def test_the_line_breaks_a_browser_sends_do_not_change_the_body(client, grader):
    body = "A first paragraph.\n\nA second paragraph says something."
    article = ArticleFactory(body=body)
    statement_for(article, "A second paragraph says something.")
    client.force_login(grader)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        article_form(article, body=body.replace("\n", "\r\n"), title="A retitled article"),
    )
    assertRedirects(response, reverse("admin:claims_article_changelist"))
    article.refresh_from_db()
    assert (article.title, article.body) == ("A retitled article", body)


# --- Findings -----------------------------------------------------------------------------


def test_a_researcher_cannot_approve_a_finding(client, researcher):
    finding = FindingFactory(status=FindingStatus.SUBMITTED)
    client.force_login(researcher)
    url = reverse("admin:claims_finding_changelist")
    offered = dict(client.get(url).context["action_form"].fields["action"].choices)
    assert "approve" not in offered
    assert "submit_for_review" in offered
    client.post(url, action("approve", finding))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED


def test_a_researcher_cannot_set_a_findings_status_by_hand(client, researcher):
    finding = FindingFactory(status=FindingStatus.DRAFT, created_by=researcher)
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_finding_change", args=[finding.pk]),
        {
            "study": finding.study_id,
            "claim": finding.claim_id,
            "direction": "contradicts",
            "note": "An edited synthetic note.",
            "status": "approved",
        },
    )
    assertRedirects(response, reverse("admin:claims_finding_changelist"))
    finding.refresh_from_db()
    assert (finding.direction, finding.status) == ("contradicts", FindingStatus.DRAFT)


def test_a_researcher_submits_draft_findings_for_review(client, researcher):
    draft = FindingFactory(status=FindingStatus.DRAFT, created_by=researcher)
    approved = FindingFactory(status=FindingStatus.APPROVED)
    client.force_login(researcher)
    client.post(
        reverse("admin:claims_finding_changelist"), action("submit_for_review", draft, approved)
    )
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (draft.status, approved.status) == (FindingStatus.SUBMITTED, FindingStatus.APPROVED)


def test_a_researcher_can_neither_change_nor_submit_another_researchers_draft(client, researcher):
    author = UserFactory(username="author-researcher", is_staff=True)
    author.groups.add(Group.objects.get(name="researcher"))
    draft = FindingFactory(status=FindingStatus.DRAFT, direction="supports", created_by=author)
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_finding_change", args=[draft.pk]),
        {
            "study": draft.study_id,
            "claim": draft.claim_id,
            "direction": "contradicts",
            "note": "Synthetic overwrite.",
        },
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:claims_finding_changelist"), action("submit_for_review", draft), follow=True
    )
    assertContains(response, "only a finding&#x27;s author or a grader may do that")
    draft.refresh_from_db()
    assert (draft.status, draft.direction) == (FindingStatus.DRAFT, "supports")


def test_a_grader_approves_submitted_findings_and_the_history_says_who(client, grader):
    submitted = FindingFactory(status=FindingStatus.SUBMITTED)
    draft = FindingFactory(status=FindingStatus.DRAFT)
    client.force_login(grader)
    client.post(reverse("admin:claims_finding_changelist"), action("approve", submitted, draft))
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == (FindingStatus.APPROVED, FindingStatus.DRAFT)
    assert submitted.history.latest().history_user == grader


def test_approving_a_finding_recomputes_its_claims_provisional_grade(client, grader):
    claim = ClaimFactory()
    FindingFactory(claim=claim, direction="supports")
    client.force_login(grader)
    contradicting = FindingFactory(
        claim=claim, direction="contradicts", status=FindingStatus.SUBMITTED
    )
    client.post(reverse("admin:claims_finding_changelist"), action("approve", contradicting))
    assert claim.assessments.get(status="provisional").verdict == "mixed"


def test_a_grader_rejects_a_submitted_finding_saying_why(client, grader):
    finding = FindingFactory(status=FindingStatus.SUBMITTED)
    client.force_login(grader)
    url = reverse("admin:claims_finding_changelist")
    asked = client.post(url, action("reject", finding))
    assertContains(asked, "Reject these findings?")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED
    client.post(
        url,
        {
            **action("reject", finding),
            "confirm": "yes",
            "because": "Synthetic reason: the outcome is not the claim's.",
        },
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REJECTED
    assert finding.rejected_because == "Synthetic reason: the outcome is not the claim's."
    assert finding.reviewed_by == grader


def test_a_rejection_without_a_reason_is_asked_again_and_changes_nothing(client, grader):
    finding = FindingFactory(status=FindingStatus.SUBMITTED)
    client.force_login(grader)
    url = reverse("admin:claims_finding_changelist")
    response = client.post(url, {**action("reject", finding), "confirm": "yes", "because": " "})
    assertContains(response, "Say why the findings are rejected.")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED


def test_a_researcher_cannot_change_a_submitted_or_approved_finding(client, researcher):
    for status in (FindingStatus.SUBMITTED, FindingStatus.APPROVED):
        finding = FindingFactory(status=status, direction="supports")
        client.force_login(researcher)
        response = client.post(
            reverse("admin:claims_finding_change", args=[finding.pk]),
            {
                "study": finding.study_id,
                "claim": finding.claim_id,
                "direction": "contradicts",
                "note": "Synthetic rewrite.",
            },
        )
        assert response.status_code == 403
        finding.refresh_from_db()
        assert finding.direction == "supports"


def test_a_researcher_reworking_a_rejected_finding_makes_it_a_draft_again(client, researcher):
    finding = FindingFactory(
        status=FindingStatus.REJECTED, rejected_because="Synthetic.", created_by=researcher
    )
    client.force_login(researcher)
    client.post(
        reverse("admin:claims_finding_change", args=[finding.pk]),
        {
            "study": finding.study_id,
            "claim": finding.claim_id,
            "direction": "mixed",
            "note": "Synthetic rework.",
        },
    )
    finding.refresh_from_db()
    assert (finding.status, finding.direction, finding.rejected_because) == (
        FindingStatus.DRAFT,
        "mixed",
        "",
    )


def test_a_finding_added_on_its_claim_page_is_a_draft_by_whoever_added_it(client, researcher):
    claim = ClaimFactory()
    study = StudyFactory()
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {
            "text": claim.text,
            "slug": claim.slug,
            "kind": claim.kind,
            "subject": "",
            "outcome": "",
            "status": claim.status,
            "findings-TOTAL_FORMS": "1",
            "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0",
            "findings-MAX_NUM_FORMS": "1000",
            "findings-0-claim": str(claim.pk),
            "findings-0-study": str(study.pk),
            "findings-0-direction": "supports",
            "findings-0-note": "A synthetic finding entered on the claim page.",
            "findings-0-status": "approved",
        },
    )
    assertRedirects(response, reverse("admin:claims_claim_changelist"))
    finding = Finding.objects.get()
    assert (finding.study, finding.status, finding.created_by) == (
        study,
        FindingStatus.DRAFT,
        researcher,
    )


def test_a_researcher_finds_the_study_of_a_finding_by_its_doi(client, researcher):
    wanted = StudyFactory(doi="10.5555/synthetic.autocomplete")
    StudyFactory(doi="10.5555/synthetic.unwanted")
    client.force_login(researcher)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "claims",
            "model_name": "finding",
            "field_name": "study",
            "term": "synthetic.autocomplete",
        },
    )
    assert [result["id"] for result in response.json()["results"]] == [str(wanted.pk)]


# --- Assessments --------------------------------------------------------------------------


def test_a_researcher_gets_403_on_the_assessment_add_page(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("admin:claims_assessment_add")).status_code == 403


def test_a_provisional_assessment_is_read_only_even_for_an_admin(client, admin_user):
    assessment = AssessmentFactory(summary="The rules' synthetic summary.")
    url = reverse("admin:claims_assessment_change", args=[assessment.pk])
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = client.post(url, {"summary": "Edited by hand."})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.summary == "The rules' synthetic summary."


def test_nobody_can_revert_a_provisional_assessment_from_its_history(client, admin_user):
    assessment = AssessmentFactory()
    version = assessment.history.get()
    url = reverse(
        "admin:claims_assessment_simple_history", args=[assessment.pk, version.history_id]
    )
    client.force_login(admin_user)
    assert client.post(url, {"summary": "Edited by hand."}).status_code == 403


def test_the_assessment_form_groups_every_domain_with_its_reason(client, admin_user):
    assessment = AssessmentFactory()
    client.force_login(admin_user)
    response = client.get(reverse("admin:claims_assessment_change", args=[assessment.pk]))
    fieldsets = {fieldset.name: fieldset for fieldset in response.context["adminform"]}
    assert list(fieldsets) == [
        None,
        "Grade",
        "Downgrades",
        "Upgrades (observational evidence only)",
        "Record",
    ]
    assert fieldsets["Downgrades"].fields[0] == ("risk_of_bias", "risk_of_bias_reason")
    assert len(fieldsets["Downgrades"].fields) == 5
    assert len(fieldsets["Upgrades (observational evidence only)"].fields) == 3


def test_no_one_adds_or_edits_an_assessment_in_the_admin(client, admin_user, grader):
    assessment = AssessmentFactory()
    for user in (grader, admin_user):
        client.force_login(user)
        assert client.get(reverse("admin:claims_assessment_add")).status_code == 403
        response = client.post(
            reverse("admin:claims_assessment_change", args=[assessment.pk]),
            {"verdict": "contradicted"},
        )
        assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.verdict == "supported"


def test_the_admin_never_shows_an_assessor_anothers_assessment_of_an_open_round(client, grader):
    claim = ClaimFactory()
    other = UserFactory()
    AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.SUBMITTED,
        author=other,
        summary="Synthetic other assessor's summary.",
    )
    mine = AssessmentFactory(claim=claim, status=AssessmentStatus.DRAFT, author=grader)
    client.force_login(grader)
    listed = client.get(reverse("admin:claims_assessment_changelist")).context["cl"].result_list
    assert list(listed) == [mine]


def test_no_one_reads_another_assessors_open_assessment_through_its_history(
    client, grader, researcher
):
    other = UserFactory()
    draft = AssessmentFactory(
        status=AssessmentStatus.DRAFT, author=other, summary="Synthetic draft nobody else may read."
    )
    version = draft.history.latest()
    for user in (grader, researcher):
        client.force_login(user)
        for url in (
            reverse("admin:claims_assessment_history", args=[draft.pk]),
            reverse("admin:claims_assessment_simple_history", args=[draft.pk, version.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "Synthetic draft nobody else may read." not in response.content.decode()


def test_a_researcher_proposes_a_claim_but_cannot_publish_it(client, researcher):
    client.force_login(researcher)
    client.post(
        reverse("admin:claims_claim_add"),
        {
            "text": "Synthetic proposed claim.",
            "slug": "synthetic-proposed",
            "kind": "effect",
            "subject": "",
            "outcome": "",
            "status": "published",
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0",
            "findings-MAX_NUM_FORMS": "1000",
        },
    )
    claim = Claim.objects.get(slug="synthetic-proposed")
    assert claim.status == "draft"
    assert client.get("/claims/synthetic-proposed/").status_code == 404


def test_a_grader_publishes_a_proposed_claim(client, grader):
    claim = ClaimFactory(status="draft")
    client.force_login(grader)
    client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {
            "text": claim.text,
            "slug": claim.slug,
            "kind": claim.kind,
            "subject": "",
            "outcome": "",
            "status": "published",
            "findings-TOTAL_FORMS": "0",
            "findings-INITIAL_FORMS": "0",
            "findings-MIN_NUM_FORMS": "0",
            "findings-MAX_NUM_FORMS": "1000",
        },
    )
    claim.refresh_from_db()
    assert claim.status == "published"


def test_the_statements_article_filter_ignores_an_id_that_is_not_a_number(
    client, admin_user, seed
):
    client.force_login(admin_user)
    changelist = reverse("admin:claims_statement_changelist")
    for value in ("²", "x"):
        response = client.get(changelist, {"article": value})
        assert response.status_code == 200 and "0 statements" in response.content.decode()
