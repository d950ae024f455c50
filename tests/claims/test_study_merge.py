"""Merging a possible duplicate: every identifier and every finding is kept, or the merge is
refused and nothing changes."""

import pytest
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from claims.models import Finding
from claims.services import study_merge
from evidence.models import Appraisal, PossibleDuplicate, Study
from tests.factories import ClaimFactory, FindingFactory, StudyFactory, appraise

CHANGELIST = reverse("admin:evidence_possibleduplicate_changelist")


def pair(**imported):
    kept = StudyFactory(
        title="Synthetic merge target", doi="10.5555/synthetic.keep", pmid="", keywords=["a"]
    )
    fields = {
        "title": "Synthetic merge target.",
        "doi": "",
        "pmid": "990000555",
        "pmcid": "PMC990000555",
        "abstract": "A synthetic abstract only the import had.",
        "keywords": ["a", "b"],
        **imported,
    }
    removed = StudyFactory(**fields)
    return kept, removed


def test_a_merge_keeps_every_identifier_and_fills_what_the_kept_study_lacks(db):
    kept, removed = pair()
    study_merge(keep=kept, remove=removed)
    kept.refresh_from_db()
    assert (kept.doi, kept.pmid, kept.pmcid) == (
        "10.5555/synthetic.keep",
        "990000555",
        "PMC990000555",
    )
    assert kept.abstract == "A synthetic abstract only the import had."
    assert kept.keywords == ["a", "b"]
    assert not Study.objects.filter(pk=removed.pk).exists()
    assert kept.history.first().history_change_reason.startswith(f"Merged with #{removed.pk}")


def test_a_merge_carries_every_finding_and_appraisal_of_the_removed_study(db, grader):
    kept, removed = pair()
    FindingFactory(study=kept)
    moved = FindingFactory(study=removed)
    appraise(removed, grader)
    study_merge(keep=kept, remove=removed)
    assert Finding.objects.filter(study=kept).count() == 2
    assert Finding.objects.get(pk=moved.pk).study == kept
    assert Appraisal.objects.get().study == kept


def test_two_findings_on_the_same_claim_refuse_the_merge_and_change_nothing(db):
    kept, removed = pair()
    claim = ClaimFactory(text="Synthetic substance lowers a made-up marker.")
    FindingFactory(study=kept, claim=claim, note="Kept note.")
    FindingFactory(study=removed, claim=claim, note="Removed note.")
    with pytest.raises(ValidationError) as refused:
        study_merge(keep=kept, remove=removed)
    assert "both have a finding on “Synthetic substance lowers a made-up marker.”" in str(
        refused.value
    )
    assert set(Finding.objects.values_list("note", flat=True)) == {"Kept note.", "Removed note."}
    assert Study.objects.filter(pk=removed.pk).exists()


def test_two_different_dois_refuse_the_merge(db):
    kept, removed = pair(doi="10.5555/synthetic.other")
    with pytest.raises(ValidationError, match="different DOIs"):
        study_merge(keep=kept, remove=removed)
    assert Study.objects.count() == 2


def test_a_flag_with_a_third_study_passes_to_the_kept_study(db):
    kept, removed = pair()
    third = StudyFactory()
    PossibleDuplicate.objects.create(study=removed, duplicate_of=kept, reason="same title")
    PossibleDuplicate.objects.create(study=third, duplicate_of=removed, reason="same title")
    study_merge(keep=kept, remove=removed)
    assert list(PossibleDuplicate.objects.values_list("study", "duplicate_of")) == [
        (third.pk, kept.pk)
    ]


def act(client, action, flags):
    return client.post(
        CHANGELIST,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [flag.pk for flag in flags]},
        follow=True,
    )


def test_a_researcher_merges_a_flagged_pair_from_the_admin(client, researcher):
    kept, removed = pair()
    flag = PossibleDuplicate.objects.create(study=removed, duplicate_of=kept, reason="same title")
    client.force_login(researcher)
    response = act(client, "merge", [flag])
    assertContains(response, "Merged 1 pair(s) of studies.")
    assert list(Study.objects.all()) == [kept]
    assert not PossibleDuplicate.objects.exists()


def test_a_refused_merge_says_why_in_the_admin(client, researcher):
    kept, removed = pair(doi="10.5555/synthetic.other")
    flag = PossibleDuplicate.objects.create(study=removed, duplicate_of=kept, reason="same title")
    client.force_login(researcher)
    response = act(client, "merge", [flag])
    assertContains(response, "cannot be merged: the two have different DOIs")
    assert Study.objects.count() == 2


def test_a_researcher_keeps_both_studies_and_the_flag_is_closed(client, researcher):
    kept, removed = pair()
    flag = PossibleDuplicate.objects.create(study=removed, duplicate_of=kept, reason="same title")
    client.force_login(researcher)
    act(client, "keep_both", [flag])
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by) == ("kept", researcher)
    assert Study.objects.count() == 2


@pytest.mark.parametrize("rows", [3, 30])
def test_the_possible_duplicates_list_runs_the_same_number_of_queries(
    client, admin_user, django_assert_num_queries, rows
):
    for _ in range(rows):
        PossibleDuplicate.objects.create(
            study=StudyFactory(), duplicate_of=StudyFactory(), reason="same title and year"
        )
    client.force_login(admin_user)
    # session, user, the count (up to its cap, once: config/admin_lists.py), the page of rows
    # with both studies joined
    with django_assert_num_queries(4):
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == rows


def test_a_merge_of_two_studies_the_same_grader_appraised_is_refused(grader):
    kept, removed = pair()
    appraise(kept, grader)
    appraise(removed, grader)
    with pytest.raises(ValidationError, match="the same grader appraised both"):
        study_merge(keep=kept, remove=removed)
    assert Study.objects.filter(pk=removed.pk).exists()
