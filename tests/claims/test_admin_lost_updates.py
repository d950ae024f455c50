"""Two people with the same record open in the admin: the second save, made on the page opened
before the first save, is refused with who changed it, when and how, instead of silently
putting back what the first changed (issue 11, item 5)."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from claims.models import Claim, Finding, FindingStatus
from evidence.models import Study
from tests.factories import ClaimFactory, FindingFactory, StudyFactory
from tests.posted_forms import as_posted

pytestmark = pytest.mark.django_db


def sessions(*users):
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def both_open(url, first, second):
    return first.get(url), second.get(url)


def test_a_claim_saved_by_one_grader_is_not_reverted_by_another_who_opened_it_before(
    grader, second_grader
):
    claim = ClaimFactory(subject="Synthetic subject", outcome="Synthetic outcome")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    first, second = sessions(grader, second_grader)
    first_page, second_page = both_open(url, first, second)

    response = first.post(url, as_posted(first_page, "text", subject="Synthetic subject, edited"))
    assertRedirects(response, reverse("admin:claims_claim_changelist"))
    response = second.post(url, as_posted(second_page, "text", outcome="Synthetic outcome, new"))

    assert response.status_code == 200
    assertContains(response, "This claim was changed by grader since you opened it, at ")
    assertContains(response, "Subject: “Synthetic subject” / “Synthetic subject, edited”")
    assertContains(response, "Outcome: “Synthetic outcome, new” / “Synthetic outcome”")
    claim.refresh_from_db()
    assert (claim.subject, claim.outcome) == ("Synthetic subject, edited", "Synthetic outcome")
    # Nothing of theirs is lost: the form shows what they entered.
    assert response.context["adminform"].form["outcome"].value() == "Synthetic outcome, new"


def test_saving_again_after_reading_the_differences_replaces_the_other_change_on_purpose(
    grader, second_grader
):
    claim = ClaimFactory(subject="Synthetic subject")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    first, second = sessions(grader, second_grader)
    first_page, second_page = both_open(url, first, second)
    first.post(url, as_posted(first_page, "text", subject="Synthetic subject, edited"))
    refused = second.post(url, as_posted(second_page, "text", outcome="Synthetic outcome, new"))

    response = second.post(url, as_posted(refused, "text"))

    assertRedirects(response, reverse("admin:claims_claim_changelist"))
    claim.refresh_from_db()
    assert (claim.subject, claim.outcome) == ("Synthetic subject", "Synthetic outcome, new")
    assert claim.version == 3


def test_a_study_saved_by_one_person_is_not_reverted_by_another_who_opened_it_before(
    researcher, grader
):
    study = StudyFactory(participants=500, title="Synthetic study of a made-up marker")
    url = reverse("admin:evidence_study_change", args=[study.pk])
    first, second = sessions(researcher, grader)
    first_page, second_page = both_open(url, first, second)

    first.post(url, as_posted(first_page, "title", participants="480"))
    response = second.post(
        url, as_posted(second_page, "title", title="Synthetic study of a made-up marker, renamed")
    )

    assertContains(response, "This study was changed by researcher since you opened it")
    assertContains(response, "Participants: “500” / “480”")
    study.refresh_from_db()
    assert (study.participants, study.title) == (480, "Synthetic study of a made-up marker")


def test_a_finding_saved_by_one_grader_is_not_reverted_by_another_who_opened_it_before(
    grader, second_grader
):
    finding = FindingFactory(status=FindingStatus.SUBMITTED, direction="supports")
    url = reverse("admin:claims_finding_change", args=[finding.pk])
    first, second = sessions(grader, second_grader)
    first_page, second_page = both_open(url, first, second)

    first.post(url, as_posted(first_page, "note", direction="contradicts"))
    response = second.post(url, as_posted(second_page, "note", note="A synthetic note, edited."))

    assertContains(response, "This finding was changed by grader since you opened it")
    assertContains(response, "Direction: “Supports” / “Contradicts”")
    finding.refresh_from_db()
    assert (finding.direction, finding.note) == ("contradicts", "A synthetic finding written for a test.")


def test_saving_a_claim_leaves_its_findings_as_another_grader_changed_them(
    grader, second_grader
):
    """The claim's page lists its findings without a form for each (they are changed on their
    own pages, where the check above applies): saving the claim cannot overwrite one."""
    finding = FindingFactory(status=FindingStatus.SUBMITTED, direction="supports")
    claim_url = reverse("admin:claims_claim_change", args=[finding.claim_id])
    finding_url = reverse("admin:claims_finding_change", args=[finding.pk])
    first, second = sessions(grader, second_grader)
    first_page = first.get(finding_url)
    second_page = second.get(claim_url)
    assert 'name="findings-INITIAL_FORMS" value="0"' in second_page.content.decode()

    first.post(finding_url, as_posted(first_page, "note", direction="contradicts"))
    second.post(claim_url, as_posted(second_page, "text", subject="Synthetic subject"))

    finding.refresh_from_db()
    assert finding.direction == "contradicts"


def test_every_save_in_the_admin_counts_the_version_up_and_the_history_keeps_it(grader):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    (client,) = sessions(grader)
    for n in range(2):
        client.post(url, as_posted(client.get(url), "text", subject=f"Synthetic subject {n}"))
    claim.refresh_from_db()
    assert claim.version == 3
    assert sorted(claim.history.values_list("version", flat=True)) == [1, 2, 3]


def test_a_revert_from_the_history_is_checked_against_the_version_stored_when_it_was_opened(
    grader, second_grader
):
    claim = ClaimFactory(subject="Synthetic subject")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    first, second = sessions(grader, second_grader)
    first.post(url, as_posted(first.get(url), "text", subject="Synthetic subject, second"))
    oldest = claim.history.earliest()
    revert_url = reverse("admin:claims_claim_simple_history", args=[claim.pk, oldest.history_id])
    revert_page = second.get(revert_url)
    first.post(url, as_posted(first.get(url), "text", subject="Synthetic subject, third"))

    # A revert is an edit (issue 11, item 1): refused, it returns to the page with why.
    response = second.post(revert_url, as_posted(revert_page, "text"), follow=True)

    assertContains(response, "Not reverted: This claim was changed by grader since you opened it")
    claim.refresh_from_db()
    assert claim.subject == "Synthetic subject, third"
    response = second.post(revert_url, as_posted(second.get(revert_url), "text"))
    claim.refresh_from_db()
    assert (claim.subject, claim.version) == ("Synthetic subject", 4)


def test_a_form_posted_without_the_version_is_saved_as_before(grader):
    claim = ClaimFactory()
    (client,) = sessions(grader)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = as_posted(client.get(url), "text", subject="Synthetic subject")
    del data["seen_version"]
    assertRedirects(client.post(url, data), reverse("admin:claims_claim_changelist"))
    assert Claim.objects.get().version == 2
    assert Finding.objects.count() == Study.objects.count() == 0
