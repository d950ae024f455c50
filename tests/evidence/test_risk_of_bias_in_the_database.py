"""evidence.models.high_risk_of_bias_of: a study's risk of bias computed by the database (for
reading every finding of a claim without loading appraisals) says what high_risk_of_bias() says
of the appraisals loaded, in every case the rules distinguish."""

import datetime

import pytest
from django.db.models import OuterRef
from django.utils import timezone

from evidence.models import Appraisal, Study, ToolJudgement, high_risk_of_bias_of
from tests.factories import StudyFactory, UserFactory, appraise


def incomplete(study, appraiser):
    """An appraisal with one domain judged, the others not yet."""
    appraisal = appraise(study, appraiser, judgement="high")
    appraisal.domain_judgements.exclude(pk=appraisal.domain_judgements.first().pk).delete()
    return appraisal


def overridden(appraisal, value):
    appraisal.overall_override = ToolJudgement.objects.get(tool=appraisal.tool, value=value)
    appraisal.override_justification = "A synthetic justification written for a test."
    appraisal.save()
    return appraisal


def aged(appraisal, days):
    """As if last changed `days` ago."""
    when = timezone.now() - datetime.timedelta(days=days)
    Appraisal.objects.filter(pk=appraisal.pk).update(updated_at=when)


def both(study):
    """(what the database says, what high_risk_of_bias() says of the loaded appraisals)."""
    computed = Study.objects.annotate(high=high_risk_of_bias_of(OuterRef("pk"))).get(pk=study.pk)
    loaded = Study.objects.with_appraisals().get(pk=study.pk)
    return computed.high, loaded.at_high_risk_of_bias()


@pytest.fixture
def rct(db):
    return StudyFactory(design="rct")


def test_a_study_nobody_appraised_has_no_risk_of_bias_yet(rct):
    assert both(rct) == (None, None)


def test_an_incomplete_appraisal_does_not_count(rct):
    incomplete(rct, UserFactory())
    assert both(rct) == (None, None)


@pytest.mark.parametrize(
    ("judgement", "worst", "high"), [("low", None, False), ("low", "high", True)]
)
def test_a_complete_appraisal_is_as_high_as_its_most_severe_domain(rct, judgement, worst, high):
    appraise(rct, UserFactory(), judgement=judgement, worst=worst)
    assert both(rct) == (high, high)


@pytest.mark.parametrize(
    ("worst", "override", "high"), [("high", "low", False), (None, "high", True)]
)
def test_the_graders_override_of_the_overall_judgement_wins(rct, worst, override, high):
    overridden(appraise(rct, UserFactory(), worst=worst), override)
    assert both(rct) == (high, high)


@pytest.mark.parametrize("newer_is_high", [True, False])
def test_the_latest_complete_appraisal_counts(rct, newer_is_high):
    older = appraise(rct, UserFactory(), worst=None if newer_is_high else "high")
    aged(older, 2)
    newer = appraise(rct, UserFactory(), worst="high" if newer_is_high else None)
    aged(newer, 1)
    aged(incomplete(rct, UserFactory()), 0)  # the latest of all, but not complete
    assert both(rct) == (newer_is_high, newer_is_high)
