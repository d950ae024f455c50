"""Writes that touch several records, each in one transaction, each record validated."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.forms import GRADED_FIELDS
from claims.models import (
    Article,
    Assessment,
    AssessmentStatus,
    Claim,
    FindingStatus,
    Statement,
)
from claims.review import ReviewRound
from evidence.models import Appraisal, DomainJudgement


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


# --- Appraisals ---------------------------------------------------------------------------


@transaction.atomic
def appraisal_save(
    *, study, appraiser, tool, judgements, overall_override=None, override_justification=""
):
    """A grader's appraisal of a study with `tool`: `judgements` maps every domain of the tool
    to (ToolJudgement, support). One appraisal per grader and study: saving again updates it.
    The claims the study bears on are regraded."""
    _require(appraiser, "evidence.add_appraisal", "appraise studies")
    appraisal = Appraisal.objects.filter(study=study, appraiser=appraiser).first() or Appraisal(
        study=study, appraiser=appraiser
    )
    appraisal.tool = tool
    appraisal.overall_override = overall_override
    appraisal.override_justification = override_justification
    appraisal.full_clean()
    appraisal.save()
    appraisal.domain_judgements.exclude(domain__tool=tool).delete()
    for domain in tool.domains.all():
        judgement, support = judgements[domain.pk]
        row = DomainJudgement.objects.filter(appraisal=appraisal, domain=domain).first()
        row = row or DomainJudgement(appraisal=appraisal, domain=domain)
        row.judgement, row.support = judgement, support
        row.full_clean()
        row.save()
    claims_grade_for_study(study=study)
    return appraisal


# --- Findings -----------------------------------------------------------------------------


def _require(user, permission, what):
    if not user.has_perm(permission):
        raise PermissionDenied(f"{user} may not {what}.")


def _move_finding(finding, from_status, to_status):
    if finding.status != from_status:
        raise ValidationError(
            f"Only a {from_status} finding can become {to_status}; this one is {finding.status}."
        )
    finding.status = to_status


@transaction.atomic
def finding_submit(*, finding, by):
    _require(by, "claims.change_finding", "submit findings")
    _move_finding(finding, FindingStatus.DRAFT, FindingStatus.SUBMITTED)
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_approve(*, finding, by):
    """Approved, the finding counts in grading: its claim is regraded at once."""
    _require(by, "claims.review_finding", "approve findings")
    _move_finding(finding, FindingStatus.SUBMITTED, FindingStatus.APPROVED)
    finding.reviewed_by, finding.reviewed_at = by, timezone.now()
    finding.full_clean()
    finding.save()
    claims_grade(claims=Claim.objects.filter(pk=finding.claim_id))
    return finding


@transaction.atomic
def finding_reject(*, finding, by, because):
    _require(by, "claims.review_finding", "reject findings")
    _move_finding(finding, FindingStatus.SUBMITTED, FindingStatus.REJECTED)
    finding.rejected_because = because.strip()
    finding.reviewed_by, finding.reviewed_at = by, timezone.now()
    finding.full_clean()
    finding.save()
    return finding


# --- Assessments --------------------------------------------------------------------------


def _apply(assessment, form):
    for name in GRADED_FIELDS:
        setattr(assessment, name, form.cleaned_data[name])
    assessment.certainty = form.certainty()


@transaction.atomic
def assessment_save(*, claim, author, form, submit=False):
    """Save an assessor's independent assessment of a claim (a valid AssessmentForm), as a
    draft or submitted. Once submitted it is no longer changed."""
    _require(author, "claims.add_assessment", "assess claims")
    round_ = ReviewRound(claim)
    assessment = round_.mine(author) or Assessment(
        claim=claim, author=author, status=AssessmentStatus.DRAFT
    )
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise ValidationError("This assessment was submitted; it can no longer be changed.")
    _apply(assessment, form)
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_publish(*, claim, author, form):
    """Record the assessors' consensus and publish it as the claim's grade: the grade published
    before is superseded, and the round's independent assessments are tied to it."""
    _require(author, "claims.publish_assessment", "publish grades")
    round_ = ReviewRound(claim)
    if not round_.is_ready:
        raise ValidationError(
            f"{round_.required} independent assessments are needed before a consensus; "
            f"{len(round_.submitted)} submitted so far."
        )
    Assessment.objects.filter(claim=claim, status=AssessmentStatus.PUBLISHED).update(
        status=AssessmentStatus.SUPERSEDED
    )
    consensus = Assessment(
        claim=claim, author=author, status=AssessmentStatus.PUBLISHED, published_at=timezone.now()
    )
    _apply(consensus, form)
    consensus.full_clean()
    consensus.save()
    for assessment in round_.submitted:
        assessment.consensus = consensus
        assessment.save(update_fields=["consensus", "updated_at"])
    # Drafts nobody submitted in time stay open for the next round.
    return consensus


# --- Retractions --------------------------------------------------------------------------


@transaction.atomic
def study_retract(*, study, by, retracted_on, notice_url=""):
    """Mark a study retracted: it leaves every grade. The claims it bears on are regraded, and
    their published grades are flagged for review until a grader publishes again."""
    _require(by, "evidence.change_study", "retract studies")
    study.retracted, study.retracted_on, study.retraction_notice_url = (
        True,
        retracted_on,
        notice_url,
    )
    study.full_clean()
    study.save()
    claims_flag_for_review(study=study)
    return study


def claims_flag_for_review(*, study):
    """After a retraction: regrade the study's claims and flag their published grades."""
    claims_grade_for_study(study=study)
    when = study.retracted_on
    because = f"{study.short_label} was retracted" + (
        f" on {when.day} {when:%B %Y}." if when else "."
    )
    published = Assessment.objects.filter(
        claim__findings__study=study,
        claim__findings__status=FindingStatus.APPROVED,
        status=AssessmentStatus.PUBLISHED,
    ).distinct()
    for assessment in published:
        assessment.needs_review = True
        assessment.needs_review_because = " ".join(
            filter(None, [assessment.needs_review_because, because])
        )
        assessment.save(update_fields=["needs_review", "needs_review_because", "updated_at"])
