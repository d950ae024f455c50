"""Writes that touch several records, each in one transaction, each record validated."""

from django.db import transaction

from claims.models import Article, Assessment, AssessmentStatus, Claim, Statement


@transaction.atomic
def claims_grade(*, claims=None):
    """Store the rules' suggestion for each claim as its provisional assessment.

    A grader's assessments (draft, published, superseded) are never touched: the provisional one
    is what readers see only until a grader publishes. Returns the provisional assessments.
    """
    queryset = (claims if claims is not None else Claim.objects.all()).for_grading()
    stored = []
    for claim in queryset:
        assessment = Assessment.objects.filter(
            claim=claim, status=AssessmentStatus.PROVISIONAL
        ).first() or Assessment(claim=claim, status=AssessmentStatus.PROVISIONAL)
        assessment.apply_suggestion(claim.suggest_grade())
        assessment.full_clean()
        assessment.save()
        stored.append(assessment)
    return stored


def claims_grade_for_study(*, study):
    """Recompute the provisional grades of every claim a study bears on (after a change to the
    study: its design, size, retraction or appraisal)."""
    return claims_grade(claims=Claim.objects.filter(findings__study=study).distinct())


@transaction.atomic
def statement_create(*, article: Article, start: int, end: int, assertion: str, claims=()):
    """A statement over article.body[start:end], checked against the body and its neighbours."""
    statement = Statement(
        article=article, start=start, end=end, text=article.body[start:end], assertion=assertion
    )
    statement.full_clean()
    statement.save()
    statement.claims.set(claims)
    return statement
