"""config.search.rows_on: the rows whose foreign key is one of the records a search found, by
their keys or, past KEYS_CAP (and for a common word), each row testing its own record; always
the same rows, whatever the condition that found the records."""

import pytest
from django.db.models import F

from claims.models import Assessment, AssessmentStatus, Claim, Finding
from config import search
from evidence.models import Study
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    StudyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["by keys", "each row testing its record"])
def way(request, monkeypatch):
    if request.param != "by keys":
        monkeypatch.setattr(search, "KEYS_CAP", 0)
    return request.param


def findings_on(found, relation):
    return sorted(
        Finding.objects.filter(search.rows_on(found, relation)).values_list("pk", flat=True)
    )


def test_it_finds_the_findings_on_studies_found_by_part_of_their_title(way):
    wanted = FindingFactory(study=StudyFactory(title="Synthetic quenchingxyz trial"))
    FindingFactory()
    assert findings_on(Study.objects.filter(title__icontains="quenchingx"), "study") == [wanted.pk]


def test_a_condition_between_two_of_the_records_fields_is_kept_whole(way):
    same = FindingFactory(
        study=StudyFactory(title="Synthetic journal", journal="Synthetic journal")
    )
    FindingFactory(study=StudyFactory(title="Synthetic title", journal="Synthetic journal"))
    assert findings_on(Study.objects.filter(title=F("journal")), "study") == [same.pk]


def test_a_condition_on_another_table_is_not_taken_for_the_records_own(way):
    # The claims with a finding on a study so titled, and every finding on those claims.
    study = StudyFactory(title="Synthetic marked study")
    marked = ClaimFactory()
    FindingFactory(claim=marked, study=study)
    on_marked = FindingFactory(claim=marked)  # on another study
    FindingFactory()
    found = Claim.objects.filter(findings__study__title="Synthetic marked study")
    expected = sorted(Finding.objects.filter(claim__in=found).values_list("pk", flat=True))
    assert on_marked.pk in expected and len(expected) == 2
    assert findings_on(found, "claim") == expected


def test_a_condition_on_a_joined_record_of_the_same_model_is_not_taken_for_its_own(way):
    # Assessments whose consensus is one whose own consensus is published: a record joined to
    # itself, not the records whose consensus is published.
    def assessment(**fields):
        return AssessmentFactory(author=UserFactory(), **fields)

    published = assessment(status=AssessmentStatus.PUBLISHED)
    middle = assessment(status=AssessmentStatus.SUBMITTED, consensus=published)
    wanted = assessment(status=AssessmentStatus.SUBMITTED, consensus=middle)
    assessment(status=AssessmentStatus.SUBMITTED, consensus=published)  # its own is published
    found = Assessment.objects.filter(consensus__status=AssessmentStatus.PUBLISHED)
    rows = Assessment.objects.filter(search.rows_on(found, "consensus"))
    assert list(rows.values_list("pk", flat=True)) == [wanted.pk]


def test_records_known_to_be_none_find_no_finding(way):
    FindingFactory()
    assert findings_on(Study.objects.none(), "study") == []
    assert findings_on(Study.objects.filter(pk__in=[]), "study") == []


def test_it_takes_the_keys_a_search_found_without_finding_them_again(django_assert_num_queries):
    wanted = FindingFactory(claim=ClaimFactory(text="Synthetic quenchingxyz lowers a marker."))
    FindingFactory()
    found = Claim.objects.matching("quenchingxyz")  # narrowed to the keys it found
    with django_assert_num_queries(0):
        condition = search.rows_on(found, "claim")
    assert sorted(Finding.objects.filter(condition).values_list("pk", flat=True)) == [wanted.pk]


def test_keys_narrowed_further_are_found_again():
    # The keys and another condition: the records are fewer than the keys, so they are read.
    kept = ClaimFactory(text="Synthetic quenchingxyz lowers a marker.")
    dropped = ClaimFactory(text="Synthetic quenchingxyz raises a marker.")
    wanted = FindingFactory(claim=kept)
    FindingFactory(claim=dropped)
    found = Claim.objects.matching("quenchingxyz").exclude(pk=dropped.pk)
    assert findings_on(found, "claim") == [wanted.pk]
