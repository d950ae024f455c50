"""Form data for the grading pages, built the way a grader's browser would send it."""

from claims.forms import AssessmentForm
from claims.models import Assessment, AssessmentStatus


def accepting_suggestion(claim, **changes):
    """An assessment form that accepts the rules' suggestion, with `changes` on top."""
    suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    data = AssessmentForm.data_accepting(suggestion, "Synthetic reasons of a grader.")
    data.update({key: str(value) for key, value in changes.items()})
    return data


def appraisal_form(tool, judgement, support="Synthetic support.", **extra):
    """An appraisal form with every domain of `tool` judged `judgement` (its value)."""
    data = {}
    for domain in tool.domains.all():
        data[f"judgement_{domain.pk}"] = tool.judgements.get(value=judgement).pk
        data[f"support_{domain.pk}"] = support
    data.update(extra)
    return data
