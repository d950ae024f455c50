"""Form data for the grading pages, built the way a grader's browser would send it."""

from claims.forms import DOMAINS
from claims.models import Assessment, AssessmentStatus


def accepting_suggestion(claim, **changes):
    """An assessment form that accepts the rules' suggestion, with `changes` on top."""
    suggestion = Assessment.objects.get(claim=claim, status=AssessmentStatus.PROVISIONAL)
    data = {
        "verdict": suggestion.verdict,
        "body": suggestion.body,
        "summary": "Synthetic reasons of a grader.",
    }
    for domain in DOMAINS:
        data[domain] = str(getattr(suggestion, domain))
        data[f"{domain}_reason"] = getattr(suggestion, f"{domain}_reason")
    data.update({key: str(value) for key, value in changes.items()})
    return data
