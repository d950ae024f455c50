"""A researcher's change to anything published is a proposal a grader accepts before readers see
it (DESIGN.md, roles; issue 11, item 2): claims (ClaimEditProposal), statements and links
(drafts a grader publishes)."""

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.models import (
    Assessment,
    Claim,
    ClaimEditProposal,
    ProposalStatus,
    Statement,
    Status,
)
from claims.services import claim_edit_accept, claim_edit_decline, claim_edit_propose
from config.errors import Conflict
from tests.api.conftest import token_client
from tests.claims.test_history_revert import claim_form, revert_url
from tests.factories import ArticleFactory, ClaimFactory, FindingFactory, statement_for

OLD_TEXT = "Synthetic compound lowers a made-up marker."
NEW_TEXT = "Synthetic compound raises a made-up marker."


@pytest.fixture
def published_claim(db):
    return ClaimFactory(status=Status.PUBLISHED, slug="published-claim", text=OLD_TEXT)


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit_in_the_admin(client, user, claim, **fields):
    client.force_login(user)
    return client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]), claim_form(claim, **fields)
    )


def what_readers_see(client, claim):
    client.logout()
    page = client.get(f"/claims/{claim.slug}/").content.decode()
    api = token_client(None).get(f"/api/claims/{claim.slug}/").json()
    return page, api


def changelist_action(client, user, name, *proposals, **extra):
    client.force_login(user)
    return client.post(
        reverse("admin:claims_claimeditproposal_changelist"),
        {"action": name, helpers.ACTION_CHECKBOX_NAME: [p.pk for p in proposals], **extra},
        follow=True,
    )


# --- Proposing -----------------------------------------------------------------------------


def test_a_researchers_edit_of_a_published_claim_is_stored_as_a_proposal_readers_do_not_see(
    client, researcher, published_claim
):
    response = edit_in_the_admin(
        client, researcher, published_claim, text=NEW_TEXT, subject="synthetic subject"
    )
    assert response.status_code == 302
    assert any("your change is proposal #" in message for message in said(response))

    published_claim.refresh_from_db()
    assert (published_claim.text, published_claim.subject) == (OLD_TEXT, "")
    proposal = ClaimEditProposal.objects.get()
    assert proposal.changes == {"text": NEW_TEXT, "subject": "synthetic subject"}
    assert proposal.original == {"text": OLD_TEXT, "subject": ""}
    assert (proposal.status, proposal.proposed_by) == (ProposalStatus.PENDING, researcher)
    assert proposal.history.count() == 1

    page, api = what_readers_see(client, published_claim)
    assert OLD_TEXT in page and NEW_TEXT not in page
    assert (api["text"], api["subject"]) == (OLD_TEXT, "")


def test_the_claims_page_in_the_admin_lists_its_pending_proposals(
    client, researcher, published_claim
):
    edit_in_the_admin(client, researcher, published_claim, text=NEW_TEXT)
    page = client.get(reverse("admin:claims_claim_change", args=[published_claim.pk]))
    assert f"Text “{NEW_TEXT}”" in page.content.decode()


def test_a_researchers_edit_of_a_draft_claim_applies_at_once(client, researcher):
    claim = ClaimFactory(status=Status.DRAFT, text=OLD_TEXT)
    edit_in_the_admin(client, researcher, claim, text=NEW_TEXT)
    claim.refresh_from_db()
    assert claim.text == NEW_TEXT
    assert not ClaimEditProposal.objects.exists()


def test_a_graders_own_edit_of_a_published_claim_applies_at_once(client, grader, published_claim):
    response = edit_in_the_admin(client, grader, published_claim, text=NEW_TEXT)
    assert response.status_code == 302
    published_claim.refresh_from_db()
    assert published_claim.text == NEW_TEXT
    assert not ClaimEditProposal.objects.exists()
    page, _ = what_readers_see(client, published_claim)
    assert NEW_TEXT in page


def test_a_researcher_adding_a_finding_to_a_published_claim_proposes_nothing(
    client, researcher, published_claim
):
    edit_in_the_admin(client, researcher, published_claim)
    assert not ClaimEditProposal.objects.exists()


def test_a_researchers_revert_of_a_published_claims_text_is_a_proposal_too(
    client, researcher, grader, published_claim
):
    first = published_claim.history.get()
    edit_in_the_admin(client, grader, published_claim, text=NEW_TEXT)
    client.force_login(researcher)
    response = client.post(revert_url(published_claim, first), claim_form(first.instance))
    assert response.status_code == 302
    published_claim.refresh_from_db()
    assert published_claim.text == NEW_TEXT
    assert ClaimEditProposal.objects.get().changes == {"text": OLD_TEXT}


def test_the_service_refuses_a_proposal_that_changes_nothing_or_could_not_be_saved(
    researcher, published_claim
):
    ClaimFactory(slug="taken")
    with pytest.raises(ValidationError, match="changes nothing"):
        claim_edit_propose(claim=published_claim, by=researcher, changes={"text": OLD_TEXT})
    with pytest.raises(ValidationError):
        claim_edit_propose(claim=published_claim, by=researcher, changes={"slug": "taken"})
    with pytest.raises(ValidationError, match="Not a field"):
        claim_edit_propose(claim=published_claim, by=researcher, changes={"status": "draft"})
    assert not ClaimEditProposal.objects.exists()


def test_a_reader_cannot_propose(reader, published_claim):
    with pytest.raises(PermissionDenied):
        claim_edit_propose(claim=published_claim, by=reader, changes={"text": NEW_TEXT})


# --- Deciding ------------------------------------------------------------------------------


def test_graders_see_pending_proposals_with_what_they_change_old_to_new(
    client, researcher, grader, published_claim
):
    proposal = claim_edit_propose(claim=published_claim, by=researcher, changes={"text": NEW_TEXT})
    client.force_login(grader)
    page = client.get(reverse("admin:claims_claimeditproposal_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Text: “{OLD_TEXT}” → “{NEW_TEXT}”" in html
    offered = dict(page.context["action_form"].fields["action"].choices)
    assert {"accept", "decline"} <= set(offered)
    assert (
        client.get(reverse("admin:claims_claimeditproposal_change", args=[proposal.pk])).status_code
        == 200
    )


def test_a_grader_accepts_a_proposal_and_readers_see_the_new_text(
    client, researcher, grader, published_claim
):
    proposal = claim_edit_propose(claim=published_claim, by=researcher, changes={"text": NEW_TEXT})
    response = changelist_action(client, grader, "accept", proposal)
    assert "Accepted 1 proposal." in said(response)
    published_claim.refresh_from_db()
    assert published_claim.text == NEW_TEXT
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, grader)
    assert proposal.decided_at is not None
    latest = published_claim.history.latest()
    assert latest.history_change_reason == f"Proposal #{proposal.pk} by researcher accepted"
    page, api = what_readers_see(client, published_claim)
    assert NEW_TEXT in page and api["text"] == NEW_TEXT


def test_a_grader_declines_a_proposal_saying_why_and_the_claim_is_unchanged(
    client, researcher, grader, published_claim
):
    proposal = claim_edit_propose(claim=published_claim, by=researcher, changes={"text": NEW_TEXT})
    asked = changelist_action(client, grader, "decline", proposal)
    assert "Say why" not in asked.content.decode()
    assert "Decline these proposed changes?" in asked.content.decode()
    again = changelist_action(client, grader, "decline", proposal, confirm="yes")
    assert "Say why the proposals are declined." in again.content.decode()
    response = changelist_action(
        client, grader, "decline", proposal, confirm="yes", because="Synthetic: overstates it."
    )
    assert "Declined 1 proposal." in said(response)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == (
        ProposalStatus.DECLINED,
        "Synthetic: overstates it.",
    )
    published_claim.refresh_from_db()
    assert published_claim.text == OLD_TEXT


def test_a_researcher_can_neither_accept_nor_decline(client, researcher, published_claim):
    proposal = claim_edit_propose(claim=published_claim, by=researcher, changes={"text": NEW_TEXT})
    client.force_login(researcher)
    page = client.get(reverse("admin:claims_claimeditproposal_changelist"))
    assert page.status_code == 200
    assert page.context["action_form"] is None  # no action to offer them
    changelist_action(client, researcher, "accept", proposal)
    with pytest.raises(PermissionDenied):
        claim_edit_accept(proposal=proposal, by=researcher)
    with pytest.raises(PermissionDenied):
        claim_edit_decline(proposal=proposal, by=researcher, because="Synthetic.")
    published_claim.refresh_from_db()
    assert published_claim.text == OLD_TEXT


def test_a_proposal_is_decided_once_the_second_grader_is_told_who_decided(
    researcher, grader, second_grader, published_claim
):
    proposal = claim_edit_propose(claim=published_claim, by=researcher, changes={"text": NEW_TEXT})
    claim_edit_accept(proposal=proposal, by=grader)
    with pytest.raises(Conflict, match="grader accepted this proposal"):
        claim_edit_decline(proposal=proposal, by=second_grader, because="Synthetic.")


def test_accepting_a_new_kind_regrades_the_claim(researcher, grader, published_claim):
    FindingFactory(claim=published_claim, study__design="rct")
    proposal = claim_edit_propose(
        claim=published_claim, by=researcher, changes={"kind": "mechanism"}
    )
    claim_edit_accept(proposal=proposal, by=grader)
    assert Assessment.objects.filter(claim=published_claim, status="provisional").exists()


def test_nobody_adds_changes_or_deletes_a_proposal_in_the_admin(
    client, admin_user, researcher, published_claim
):
    proposal = claim_edit_propose(claim=published_claim, by=researcher, changes={"text": NEW_TEXT})
    client.force_login(admin_user)
    assert client.get(reverse("admin:claims_claimeditproposal_add")).status_code == 403
    url = reverse("admin:claims_claimeditproposal_change", args=[proposal.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    delete = reverse("admin:claims_claimeditproposal_delete", args=[proposal.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ClaimEditProposal.objects.filter(pk=proposal.pk, status="pending").exists()


# --- Statements ----------------------------------------------------------------------------

BODY = "First sentence asserts something. Second sentence asserts more. A third one."
FIRST = "First sentence asserts something."
SECOND = "Second sentence asserts more."


def test_a_researchers_statement_on_a_published_article_is_a_draft_readers_do_not_see(
    client, researcher
):
    article = ArticleFactory(body=BODY, status=Status.PUBLISHED, slug="published-article")
    claim = ClaimFactory(status=Status.PUBLISHED)
    statement_for(article, FIRST, claims_=[claim])
    before = client.get("/articles/published-article/").content.decode()
    assert before.count("data-statement-id=") == 1

    client.force_login(researcher)
    start = BODY.index(SECOND)
    response = client.post(
        reverse("admin:claims_statement_add"),
        {
            "article": article.pk,
            "start": str(start),
            "end": str(start + len(SECOND)),
            "status": "published",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-claim": str(claim.pk),
            "links-0-assertion": "fact",
            "links-0-status": "published",
        },
    )
    assert response.status_code == 302
    added = Statement.objects.get(text=SECOND)
    assert (added.status, added.links.get().status) == (Status.DRAFT, Status.DRAFT)

    client.logout()
    after = client.get("/articles/published-article/").content.decode()
    assert after.count("data-statement-id=") == 1
    assert f'data-statement-id="{added.pk}"' not in after
    api = token_client(None).get("/api/articles/published-article/").json()
    assert [statement["text"] for statement in api["statements"]] == [FIRST]


def test_a_published_statement_is_the_graders_to_change(client, researcher, grader):
    article = ArticleFactory(body=BODY, status=Status.PUBLISHED)
    statement = statement_for(article, FIRST, claims_=[ClaimFactory()])
    url = reverse("admin:claims_statement_change", args=[statement.pk])
    data = {
        "article": str(article.pk),
        "start": "0",
        "end": str(len("First sentence")),
        "text": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }
    client.force_login(researcher)
    assert client.get(url).context["has_change_permission"] is False
    assert client.post(url, data).status_code == 403
    statement.refresh_from_db()
    assert statement.text == FIRST

    draft = statement_for(article, SECOND, status=Status.DRAFT)
    draft_url = reverse("admin:claims_statement_change", args=[draft.pk])
    assert client.get(draft_url).context["has_change_permission"] is True

    client.force_login(grader)
    assert client.get(url).context["has_change_permission"] is True


def test_a_researcher_does_not_move_a_published_claims_address_without_review(client, researcher):
    claim = ClaimFactory(status=Status.PUBLISHED, slug="stays")
    edit_in_the_admin(client, researcher, claim, slug="moved")
    assert Claim.objects.get(pk=claim.pk).slug == "stays"
    client.logout()
    assert client.get("/claims/stays/").status_code == 200
    assert client.get("/claims/moved/").status_code == 404
