"""Writes that touch several records, each in one transaction, each record validated.

The merge of two studies lives here, not in evidence/, because it carries their findings:
claims may know evidence, never the other way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Article, Assessment, AssessmentStatus, Claim, Finding, Statement
from evidence.models import Appraisal, PossibleDuplicate, Study


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


# Fields a merge copies from the removed study when the kept one has none.
MERGE_FILLS = (
    "authors", "journal", "year", "volume", "issue", "pages", "doi", "pmid", "pmcid",
    "abstract", "language", "url", "participants",
)  # fmt: skip
MERGE_IDENTIFIERS = (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"))


def _merge_conflicts(keep, remove):
    problems = []
    for name, label in MERGE_IDENTIFIERS:
        kept, removed = getattr(keep, name), getattr(remove, name)
        if kept and removed and kept != removed:
            problems.append(
                f"the two have different {label}s ({kept} and {removed}), so they are different "
                f"records: keep both"
            )
    shared = Claim.objects.filter(findings__study=keep).filter(findings__study=remove)
    texts = sorted(shared.values_list("text", flat=True).distinct())
    if texts:
        claims_ = "; ".join(f"“{text}”" for text in texts)
        problems.append(
            f"both have a finding on {claims_}: a claim has one finding per study, so change or "
            f"delete one of the two findings first"
        )
    return problems


@transaction.atomic
def study_merge(*, keep: Study, remove: Study, user=None):
    """Merge `remove` into `keep`: every identifier, finding, appraisal and duplicate flag of
    `remove` passes to `keep`, its fields fill the ones `keep` lacks, then `remove` is deleted.

    Refused (ValidationError, nothing changed) when the two carry different identifiers of one
    kind, or both have a finding on the same claim: a merge never drops either.
    """
    keep = Study.objects.select_for_update().get(pk=keep.pk)
    remove = Study.objects.select_for_update().get(pk=remove.pk)
    if keep.pk == remove.pk:
        raise ValidationError("A study cannot be merged with itself.")
    problems = _merge_conflicts(keep, remove)
    if problems:
        raise ValidationError(
            f"{keep.short_label} (#{keep.pk}) and {remove.short_label} (#{remove.pk}) cannot "
            f"be merged: {'; '.join(problems)}."
        )
    for finding in Finding.objects.filter(study=remove):
        finding.study = keep
        finding._change_reason = f"Study #{remove.pk} merged into #{keep.pk}"
        finding.save()
    for appraisal in Appraisal.objects.filter(study=remove):
        appraisal.study = keep
        appraisal.save()
    _repoint_flags(keep, remove)
    for name in MERGE_FILLS:
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
    if not keep.design and remove.design:
        keep.design, keep.design_guessed = remove.design, remove.design_guessed
        keep.pools_randomised = remove.pools_randomised
    if not keep.population and remove.population:
        keep.population, keep.population_guessed = remove.population, remove.population_guessed
    keep.keywords = _union(keep.keywords, remove.keywords)
    keep.publication_types = _union(keep.publication_types, remove.publication_types)
    if remove.retracted and not keep.retracted:
        keep.retracted = True
        keep.retracted_on = remove.retracted_on
        keep.retraction_notice_url = remove.retraction_notice_url
    removed_label = f"#{remove.pk} {remove.title[:60]}"
    remove._change_reason = f"Merged into #{keep.pk}"
    remove.delete()  # first, so that its identifiers are free for `keep`
    keep.full_clean()
    keep._change_reason = f"Merged with {removed_label}"[:100]
    keep.save()
    return keep


def _union(first, second):
    return first + [item for item in second if item not in first]


def _repoint_flags(keep, remove):
    """Flags of `remove` with a third study become flags of `keep`; flags between the two go
    with `remove`."""
    for field, other in (("study", "duplicate_of"), ("duplicate_of", "study")):
        for flag in PossibleDuplicate.objects.filter(**{field: remove}).exclude(**{other: keep}):
            pair = {field: keep, other: getattr(flag, other)}
            if PossibleDuplicate.objects.filter(**pair).exists():
                flag.delete()
            else:
                setattr(flag, field, keep)
                flag.save()


@transaction.atomic
def possible_duplicate_keep_both(*, flag: PossibleDuplicate, user):
    """A person says the flagged studies are different: both stay, the flag is closed."""
    flag.resolution = PossibleDuplicate.Resolution.KEPT
    flag.resolved_by = user
    flag.resolved_at = timezone.now()
    flag.full_clean()
    flag.save()
    return flag
