"""Form data for the grading pages, built the way a grader's browser would send it."""

from claims.forms import AssessmentForm
from claims.models import Assessment, AssessmentStatus


def accepting_suggestion(claim, **changes):
    """An assessment form that accepts the rules' suggestion, with `changes` on top."""
    suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    data = AssessmentForm.data_accepting(suggestion, "Synthetic reasons of a grader.")
    data.update({key: str(value) for key, value in changes.items()})
    return data
