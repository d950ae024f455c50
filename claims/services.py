"""Writes that touch several records, each in one transaction, each record validated.

The merge of two studies lives here, not in evidence/, because it carries their findings:
claims may know evidence, never the other way."""

import itertools
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.tasks import task
from django.utils import timezone

from claims import grading
from claims.forms import GRADED_FIELDS
from claims.intake.candidates import study_vectors_refresh_on_commit
from claims.intake.study_vectors import EMBEDDED_FIELDS
from claims.models import (
    CLAIM_PROPOSABLE_FIELDS,
    Article,
    Assessment,
    AssessmentStatus,
    Claim,
    ClaimEditProposal,
    Finding,
    FindingStatus,
    ProposalStatus,
    RegradeRun,
    RegradeStatus,
    Statement,
    StatementClaim,
    Status,
    grading_input,
)
from claims.review import ReviewRound
from claims.roles import Role
from config.bulk import copy_rows, update_rows
from config.errors import Conflict
from evidence import services as evidence_services
from evidence.models import Appraisal, DomainJudgement, PossibleDuplicate, Study

# What a provisional assessment takes from the rules' suggestion (Assessment.apply_suggestion),
# and what a regrade writes of each one it changes.
SUGGESTED_FIELDS = [
    "verdict",
    "certainty",
    "body",
    "summary",
    *[
        name
        for domain in grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS
        for name in (domain, f"{domain}_reason")
    ],
]
REGRADE_BATCH = 500  # claims a batch of claims_regrade (and of claims_grade) reads and writes


@transaction.atomic
def claims_grade(*, claims=None, only_changed=False):
    """Store the rules' suggestion for each claim as its provisional assessment, and what it
    was computed from (Claim.graded_inputs); with `only_changed`, only for the claims whose
    inputs changed since (grading.inputs_fingerprint). The claims' stored grade follows.

    A grader's assessments (draft, published, superseded) are never touched: the provisional one
    is what readers see only until a grader publishes. Returns the provisional assessments
    stored (each with its claim). Claims are graded REGRADE_BATCH at a time (_grade_batch)."""
    queryset = (claims if claims is not None else Claim.objects.all()).order_by("pk")
    stored = []
    for batch in itertools.batched(queryset.only(*_CLAIM_FIELDS), REGRADE_BATCH):
        stored += _grade_batch(batch, only_changed=only_changed)
    return stored


# What a batch reads of each claim: the kind is the rules' input, the slug names it in
# grade_claims -v 2.
_CLAIM_FIELDS = ("pk", "slug", "kind", "graded_inputs")


def _grade_batch(claims, *, only_changed):
    """Grade a batch of claims (instances with _CLAIM_FIELDS) in a constant number of queries
    whatever its size: every approved finding of the batch as light rows in one query
    (FindingQuerySet.grading_rows: values, each study's risk of bias computed by the database,
    no model instances), the rules run on them in Python (grading.suggest, the same
    grading.FindingInput as Claim.grading_inputs() gives), and, for the claims whose inputs
    changed (all with only_changed False), their provisional assessments read and locked in one
    query, written in one INSERT for the new ones and one UPDATE for the others, with one INSERT
    of their history rows, then the claims' fingerprints and stored grades in one UPDATE each.
    Returns the provisional assessments stored, each with its claim."""
    inputs = {claim.pk: [] for claim in claims}
    for claim_id, *row in Finding.objects.grading_rows(list(inputs)):
        inputs[claim_id].append(grading_input(row))
    changed = []
    for claim in claims:
        fingerprint = grading.inputs_fingerprint(claim.kind, inputs[claim.pk])
        if only_changed and fingerprint == claim.graded_inputs:
            continue
        claim.graded_inputs = fingerprint
        changed.append(claim)
    if not changed:
        return []
    provisional = {
        assessment.claim_id: assessment
        for assessment in Assessment.objects.select_for_update().filter(
            claim__in=[claim.pk for claim in changed], status=AssessmentStatus.PROVISIONAL
        )
    }
    now = timezone.now()
    added, updated = [], []
    for claim in changed:
        assessment = provisional.get(claim.pk)
        if assessment is None:
            assessment = Assessment(claim=claim, status=AssessmentStatus.PROVISIONAL, version=1)
            added.append(assessment)
        else:
            assessment.claim = claim
            assessment.version += 1  # locked above: no other write comes between
            updated.append(assessment)
        assessment.apply_suggestion(grading.suggest(claim.kind, inputs[claim.pk]))
        assessment.updated_at = now
        # The claim exists (it was just read) and the database enforces Assessment's
        # constraints; checking either in Python costs a query per claim.
        assessment.clean_fields(exclude=["claim"])
    Assessment.objects.bulk_create(added)
    update_rows(Assessment, updated, [*SUGGESTED_FIELDS, "version", "updated_at"])
    _history_create([*((a, "+") for a in added), *((a, "~") for a in updated)], when=now)
    update_rows(Claim, changed, ["graded_inputs"])
    Claim.objects.filter(pk__in=[claim.pk for claim in changed]).store_grades()
    return [*added, *updated]


def _history_create(records, *, when):
    """The history rows of records written in bulk (no save(), so simple-history's signal does
    not write them), in one statement (COPY on PostgreSQL): (record, "+" added or "~" changed)
    pairs, each row as the signal would have written it, by the user of the request if any."""
    history = Assessment.history.model
    rows = [
        {
            "history_date": when,
            "history_user_id": getattr(history.get_default_history_user(record), "pk", None),
            "history_change_reason": None,  # as the signal writes it without a reason
            "history_type": history_type,
            **{f.attname: getattr(record, f.attname) for f in history.tracked_fields},
        }
        for record, history_type in records
    ]
    if connection.vendor == "postgresql":
        copy_rows(history, rows, [f for f in history._meta.concrete_fields if not f.primary_key])
    else:
        history.objects.bulk_create([history(**row) for row in rows])


def claims_regrade(*, every_claim=False, batch_size=REGRADE_BATCH, progress=None):
    """Regrade the library (grade_claims, the regrade task): the claims whose grading inputs
    changed since they were last graded, or every claim, in batches of `batch_size` in order of
    primary key, each batch in a transaction of its own (_grade_batch: a constant number of
    queries a batch). `progress(looked_at, total, stored)` is told after each batch, with the
    provisional assessments it stored. Returns (claims regraded, claims looked at)."""
    total, looked_at, regraded, last = Claim.objects.count(), 0, 0, 0
    while claims := list(
        Claim.objects.filter(pk__gt=last).order_by("pk").only(*_CLAIM_FIELDS)[:batch_size]
    ):
        with transaction.atomic():
            stored = _grade_batch(claims, only_changed=not every_claim)
        looked_at, regraded, last = looked_at + len(claims), regraded + len(stored), claims[-1].pk
        if progress:
            progress(looked_at, total, stored)
    return regraded, looked_at


class RegradeStarted(NamedTuple):
    run: RegradeRun
    started: bool  # False: one was in progress already, and this is it


def regrade_start(*, by, every_claim=False):
    """A grader or an admin starts a regrade of the library, which the task worker runs
    (regrade_task). One at a time: while one is queued or running, starting another returns
    that one (started False). A running one whose worker stopped without saying so (stalled:
    no batch recorded for REGRADE_STALLED_AFTER) is marked stopped first, and a new one starts;
    whatever it regraded stays, and the new one, unless it regrades every claim, goes on with
    the claims still changed."""
    require_permission(by, "claims.add_regraderun", "regrade the library")
    for attempt in range(3):
        with transaction.atomic():
            now = timezone.now()
            for stalled in RegradeRun.objects.select_for_update().stalled():
                since = stalled.progressed_at or stalled.created_at
                stalled.status, stalled.finished_at = RegradeStatus.FAILED, now
                stalled.error = (
                    f"Its worker stopped without finishing (nothing recorded since "
                    f"{since:%Y-%m-%d %H:%M} UTC); another regrade was started."
                )
                stalled.save(update_fields=["status", "finished_at", "error"])
            running = RegradeRun.objects.in_progress().select_related("started_by").first()
            if running is not None:
                return RegradeStarted(running, started=False)
            run = RegradeRun(started_by=by, every_claim=every_claim, total=Claim.objects.count())
            run.full_clean(validate_constraints=False)  # the database checks the one in progress
            try:
                with transaction.atomic():
                    run.save()
            except IntegrityError:  # another start came between: show that one
                if attempt == 2:
                    raise
                continue
            transaction.on_commit(partial(regrade_task.enqueue, run_id=run.pk))
            return RegradeStarted(run, started=True)


class _RegradeSuperseded(Exception):
    """The run was marked stopped (stalled) while this worker still ran it."""


def regrade_run(*, run_id, batch_size=REGRADE_BATCH):
    """The task worker's regrade (claims_regrade), recording on the RegradeRun after each batch
    how far it is (looked_at, regraded) and when (progressed_at). A run that is no longer
    queued when the worker takes it (another worker took it, or it was marked stopped) is left
    alone; one marked stopped while it runs stops after its batch. Returns the RegradeRun."""
    now = timezone.now()
    taken = RegradeRun.objects.filter(pk=run_id, status=RegradeStatus.QUEUED).update(
        status=RegradeStatus.RUNNING, progressed_at=now
    )
    run = RegradeRun.objects.get(pk=run_id)
    if not taken:
        return run

    def record(looked_at, total, stored):
        run.looked_at, run.regraded = looked_at, run.regraded + len(stored)
        run.total, run.progressed_at = max(total, looked_at), timezone.now()
        fields = ["looked_at", "regraded", "total", "progressed_at"]
        if not RegradeRun.objects.filter(pk=run.pk, status=RegradeStatus.RUNNING).update(
            **{name: getattr(run, name) for name in fields}
        ):
            raise _RegradeSuperseded

    try:
        claims_regrade(every_claim=run.every_claim, batch_size=batch_size, progress=record)
    except _RegradeSuperseded:
        return RegradeRun.objects.get(pk=run_id)
    except Exception as error:
        RegradeRun.objects.filter(pk=run.pk, status=RegradeStatus.RUNNING).update(
            status=RegradeStatus.FAILED,
            error=str(error) or type(error).__name__,
            finished_at=timezone.now(),
        )
        raise
    run.status, run.finished_at = RegradeStatus.DONE, timezone.now()
    RegradeRun.objects.filter(pk=run.pk, status=RegradeStatus.RUNNING).update(
        status=run.status, finished_at=run.finished_at, total=max(run.total, run.looked_at)
    )
    return run


@task()
def regrade_task(run_id):
    """regrade_run as a task of Django's Tasks framework; the result is the summary."""
    return regrade_run(run_id=run_id).summary


def claims_grade_for_study(*, study):
    """Recompute the provisional grades of every claim a study bears on (after a change to the
    study: its design, size, retraction or appraisal)."""
    return claims_grade(claims=Claim.objects.filter(findings__study=study).distinct())


@transaction.atomic
def statement_create(
    *, article: Article, start: int, end: int, links=(), status=Status.DRAFT, by=None
):
    """A statement over article.body[start:end], checked against the body and its neighbours,
    with its links to claims: (claim, assertion) pairs, each in the statement's status."""
    statement = Statement(
        article=article,
        start=start,
        end=end,
        text=article.body[start:end],
        status=status,
        created_by=by,
    )
    statement.full_clean()
    statement.save()
    for claim, assertion in links:
        link = StatementClaim(
            statement=statement, claim=claim, assertion=assertion, status=status, created_by=by
        )
        link.full_clean()
        link.save()
    return statement


@transaction.atomic
def statements_publish(*, statements, by):
    """A grader accepts proposed statements: each is published with its draft links. Returns
    how many statements were published."""
    require_permission(by, "claims.publish_assessment", "publish statements")
    count = 0
    for statement in statements.select_for_update().filter(status=Status.DRAFT):
        statement.status = Status.PUBLISHED
        statement.save(update_fields=["status"])
        for link in statement.links.filter(status=Status.DRAFT):
            link.status = Status.PUBLISHED
            link.save(update_fields=["status"])
        count += 1
    return count


@transaction.atomic
def statement_links_publish(*, links, by):
    """A grader accepts proposed links, and the draft statements they belong to. Returns how
    many links were published."""
    require_permission(by, "claims.publish_assessment", "publish statements")
    count = 0
    for link in links.select_for_update().filter(status=Status.DRAFT).select_related("statement"):
        link.status = Status.PUBLISHED
        link.save(update_fields=["status"])
        if link.statement.status == Status.DRAFT:
            link.statement.status = Status.PUBLISHED
            link.statement.save(update_fields=["status"])
        count += 1
    return count


# --- Changes to published claims ---------------------------------------------------------


def claim_edit_is_proposal(*, claim, by):
    """Whether `by`'s change to `claim` waits for a grader: the claim is published and `by` is
    not one who publishes. A grader's own edits, and anyone's to a draft, apply at once."""
    return claim.status == Status.PUBLISHED and not by.has_perm("claims.publish_assessment")


@transaction.atomic
def claim_edit_propose(*, claim, by, changes):
    """A researcher's change to a published claim, kept as a proposal: the claim stays as it is
    for readers until a grader accepts it. `changes` maps fields of CLAIM_PROPOSABLE_FIELDS to
    new values; those equal to the claim's are left out. The claim with the changes applied
    is validated now, so a grader is never asked to accept what could not be saved."""
    require_permission(by, "claims.change_claim", "change claims")
    claim = Claim.objects.get(pk=claim.pk)
    unknown = set(changes) - set(CLAIM_PROPOSABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Not a field a proposal changes: {', '.join(sorted(unknown))}.")
    changed = {name: value for name, value in changes.items() if getattr(claim, name) != value}
    if not changed:
        raise ValidationError("The proposal changes nothing: every value is the claim's already.")
    original = {name: getattr(claim, name) for name in changed}
    for name, value in changed.items():
        setattr(claim, name, value)
    claim.full_clean()
    proposal = ClaimEditProposal(claim=claim, changes=changed, original=original, proposed_by=by)
    proposal.full_clean()
    proposal.save()
    return proposal


def _pending(proposal):
    """The proposal, locked, if still pending; a Conflict naming who decided it otherwise."""
    proposal = ClaimEditProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        who = proposal.decided_by.get_username() if proposal.decided_by else "someone"
        raise Conflict(
            f"{who} {proposal.status} this proposal at {proposal.decided_at:%Y-%m-%d %H:%M} UTC."
        )
    return proposal


@transaction.atomic
def claim_edit_accept(*, proposal, by):
    """A grader accepts a proposed change: it is applied to the claim (validated, in the claim's
    history as the proposal's), and the claim is regraded when its kind changed."""
    require_permission(by, "claims.publish_assessment", "accept changes to claims")
    proposal = _pending(proposal)
    claim = Claim.objects.select_for_update().get(pk=proposal.claim_id)
    for name, value in proposal.changes.items():
        setattr(claim, name, value)
    claim.full_clean()
    proposer = proposal.proposed_by.get_username() if proposal.proposed_by else "a researcher"
    claim._change_reason = f"Proposal #{proposal.pk} by {proposer} accepted"[:100]
    claim.save_version()
    proposal.status, proposal.decided_by, proposal.decided_at = (
        ProposalStatus.ACCEPTED,
        by,
        timezone.now(),
    )
    proposal.full_clean()
    proposal.save()
    if "kind" in proposal.changes:
        claims_grade(claims=Claim.objects.filter(pk=claim.pk))
    return proposal


@transaction.atomic
def claim_edit_decline(*, proposal, by, because):
    """A grader declines a proposed change, saying why: the claim is left as it is."""
    require_permission(by, "claims.publish_assessment", "decline changes to claims")
    proposal = _pending(proposal)
    proposal.status, proposal.decided_by, proposal.decided_at = (
        ProposalStatus.DECLINED,
        by,
        timezone.now(),
    )
    proposal.reason = because.strip()
    proposal.full_clean()
    proposal.save()
    return proposal


# --- Appraisals ---------------------------------------------------------------------------


@transaction.atomic
def appraisal_save(
    *,
    study,
    appraiser,
    tool,
    judgements,
    overall_override=None,
    override_justification="",
    seen=None,
):
    """A grader's appraisal of a study with `tool`: `judgements` maps every domain of the tool
    to (ToolJudgement, support). One appraisal per grader and study: saving again updates it,
    unless it changed since version `seen` (0: none yet) was read, in another tab (Stale).
    The claims the study bears on are regraded."""
    require_permission(appraiser, "evidence.add_appraisal", "appraise studies")
    appraisal = Appraisal.objects.filter(study=study, appraiser=appraiser).first() or Appraisal(
        study=study, appraiser=appraiser
    )
    appraisal.tool = tool
    appraisal.overall_override = overall_override
    appraisal.override_justification = override_justification
    appraisal.full_clean()
    appraisal.save_version(seen=seen)
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


def require_permission(user, permission, what):
    if not user.has_perm(permission):
        raise PermissionDenied(f"{user} may not {what}.")


def _move_finding(finding, from_status, to_status):
    if finding.status != from_status:
        raise ValidationError(
            f"Only a {from_status} finding can become {to_status}; this one is {finding.status}."
        )
    finding.status = to_status


def finding_is_theirs(user, finding):
    """A draft or rejected finding is its author's work in progress: only they, or a reviewer
    (a grader), change or submit it. Another researcher's token must not rewrite it or send it
    to review in its author's name. A finding with no recorded author is the reviewers'."""
    return finding.created_by_id == user.pk or user.has_perm("claims.review_finding")


def finding_may_change(user, finding):
    """The rule of the admin, the API and the services: its author (or a reviewer) reworks a
    draft or a rejected finding; once submitted or approved, it is the reviewers' to change."""
    if not user.has_perm("claims.change_finding"):
        return False
    reviewed = finding.status in (FindingStatus.SUBMITTED, FindingStatus.APPROVED)
    if reviewed:
        return user.has_perm("claims.review_finding")
    return finding_is_theirs(user, finding)


@transaction.atomic
def finding_save(*, finding, by, changes, seen=None):
    """A person's new finding (a draft, theirs) or their change to one (a dict of field values;
    the status moves only by submit, approve and reject), refused (Stale) when another write
    came after the version `seen` they read. A rejected finding its author reworks is a draft
    again. The claims it bears on (before and after) are regraded."""
    if finding.pk is None:
        require_permission(by, "claims.add_finding", "add findings")
        finding.created_by, finding.status = by, FindingStatus.DRAFT
    elif not finding_may_change(by, finding):
        if finding.status in (FindingStatus.DRAFT, FindingStatus.REJECTED):
            raise PermissionDenied(
                f"{by} may not change a {finding.status} finding: only its author or a grader may."
            )
        raise PermissionDenied(
            f"{by} may not change a {finding.status} finding: it is the reviewers' now."
        )
    claim_before = finding.claim_id
    for name, value in changes.items():
        setattr(finding, name, value)
    if finding.status == FindingStatus.REJECTED and not by.has_perm("claims.review_finding"):
        finding.status, finding.rejected_because = FindingStatus.DRAFT, ""
    finding.full_clean()
    finding.save_version(seen=seen)
    claims_grade(claims=Claim.objects.filter(pk__in={finding.claim_id, claim_before}))
    return finding


@transaction.atomic
def finding_submit(*, finding, by, seen=None):
    """Its author (or a grader) sends a draft to review (as read at version `seen`)."""
    require_permission(by, "claims.change_finding", "submit findings")
    if not finding_is_theirs(by, finding):
        raise PermissionDenied(f"{by} may not submit a finding: only its author or a grader may.")
    _move_finding(finding, FindingStatus.DRAFT, FindingStatus.SUBMITTED)
    finding.full_clean()
    finding.save_version(seen=seen)
    return finding


class OwnFindingApproval(PermissionDenied):
    """A grader approving a finding they wrote: approval needs a second person unless the
    team says otherwise (FINDING_SELF_APPROVAL)."""


@transaction.atomic
def finding_approve(*, finding, by, seen=None):
    """Approved (as read at version `seen`), the finding counts in grading: its claim is
    regraded at once. Someone other than its author approves it, unless FINDING_SELF_APPROVAL
    is on (a one-person team)."""
    require_permission(by, "claims.review_finding", "approve findings")
    if finding.created_by_id == by.pk and not settings.FINDING_SELF_APPROVAL:
        raise OwnFindingApproval(
            f"{by} may not approve a finding of their own: another grader approves it "
            f"(FINDING_SELF_APPROVAL is off)."
        )
    _move_finding(finding, FindingStatus.SUBMITTED, FindingStatus.APPROVED)
    finding.reviewed_by, finding.reviewed_at = by, timezone.now()
    finding.full_clean()
    finding.save_version(seen=seen)
    claims_grade(claims=Claim.objects.filter(pk=finding.claim_id))
    return finding


@transaction.atomic
def finding_reject(*, finding, by, because, seen=None):
    require_permission(by, "claims.review_finding", "reject findings")
    _move_finding(finding, FindingStatus.SUBMITTED, FindingStatus.REJECTED)
    finding.rejected_because = because.strip()
    finding.reviewed_by, finding.reviewed_at = by, timezone.now()
    finding.full_clean()
    finding.save_version(seen=seen)
    return finding


# --- Assessments --------------------------------------------------------------------------


def _apply(assessment, form):
    for name in GRADED_FIELDS:
        setattr(assessment, name, form.cleaned_data[name])
    assessment.certainty = form.certainty()


@transaction.atomic
def assessment_save(*, claim, author, form, submit=False, seen=None):
    """Save an assessor's independent assessment of a claim (a valid AssessmentForm), as a
    draft or submitted. Once submitted it is no longer changed. `seen`: the version of their
    draft the form was opened at (0: none yet); saved since, in another tab, it is Stale."""
    require_permission(author, "claims.add_assessment", "assess claims")
    round_ = ReviewRound(claim)
    if round_.mine(author) is None and round_.is_ready:
        raise ValidationError(
            "Enough independent assessments are in, and you could have read them: an "
            "assessment of yours would not be independent. Record the consensus instead."
        )
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
    assessment.save_version(seen=seen)
    return assessment


@transaction.atomic
def assessment_publish(*, claim, author, form, supersedes=None):
    """Record the assessors' consensus and publish it as the claim's grade: the grade published
    before is superseded, and the round's independent assessments are tied to it. With
    `supersedes` (the id of the published grade the grader saw, 0 for none), another grade
    published since is a Conflict."""
    require_permission(author, "claims.publish_assessment", "publish grades")
    # Two graders publishing at once take turns: the second sees the round the first closed.
    Claim.objects.select_for_update().filter(pk=claim.pk).exists()
    round_ = ReviewRound(claim)
    mine = round_.mine(author)
    if mine is not None and mine.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(
            "Submit your own assessment first: an assessor sees the others' work, and records "
            "their consensus, only after submitting their own."
        )
    if not round_.submitted:
        published = (
            Assessment.objects.filter(claim=claim, status=AssessmentStatus.PUBLISHED)
            .select_related("author")
            .first()
        )
        if published is not None:
            raise Conflict(
                f"{published.author_name} published this claim's consensus at "
                f"{published.published_at:%Y-%m-%d %H:%M} UTC, closing the round; there is no "
                f"open round to publish. Reload to see their grade."
            )
    if not round_.is_ready:
        raise ValidationError(
            f"{round_.required} independent assessments are needed before a consensus; "
            f"{len(round_.submitted)} submitted so far."
        )
    published = (
        Assessment.objects.filter(claim=claim, status=AssessmentStatus.PUBLISHED)
        .select_related("author")
        .first()
    )
    if supersedes is not None and (published.pk if published else 0) != supersedes:
        raise Conflict(
            f"{published.author_name} published a consensus for this claim at "
            f"{published.published_at:%Y-%m-%d %H:%M} UTC, since you opened this page. Your "
            f"entries are kept below: read their grade on the claim's page, then publish yours "
            f"to replace it."
            if published
            else "The grade you would replace was taken back since you opened this page; your "
            "entries are kept below: publish again to make yours the claim's grade."
        )
    if published is not None:
        published.status = AssessmentStatus.SUPERSEDED
        published.save_version(update_fields=["status", "updated_at"])
    consensus = Assessment(
        claim=claim, author=author, status=AssessmentStatus.PUBLISHED, published_at=timezone.now()
    )
    _apply(consensus, form)
    consensus.full_clean()
    consensus.save()
    for assessment in round_.submitted:
        assessment.consensus = consensus
        assessment.save_version(update_fields=["consensus", "updated_at"])
    Claim.objects.filter(pk=claim.pk).store_grades()
    # Drafts nobody submitted in time stay open for the next round.
    return consensus


# --- Studies -------------------------------------------------------------------------------


@transaction.atomic
def study_save_and_regrade(*, study, by, changes, seen=None):
    """evidence.services.study_save, then what the change means for the grades, as the admin
    does it: a study newly retracted flags its claims' published grades for review; any other
    change (design, size, population) regrades its claims. A new title or abstract is embedded
    again once the change commits (the candidate studies of claims)."""
    was_retracted = bool(study.pk) and study.retracted
    is_new = not study.pk
    study = evidence_services.study_save(study=study, by=by, changes=changes, seen=seen)
    if study.retracted and not was_retracted:
        claims_flag_for_review(study=study)
    else:
        claims_grade_for_study(study=study)
    if is_new or EMBEDDED_FIELDS & set(changes):
        study_vectors_refresh_on_commit([study.pk])
    return study


# --- Retractions --------------------------------------------------------------------------


@transaction.atomic
def study_retract(*, study, by, retracted_on, notice_url):
    """Mark a study retracted: it leaves every grade. The claims it bears on are regraded, and
    their published grades are flagged for review until a grader publishes again."""
    require_permission(by, "evidence.change_study", "retract studies")
    evidence_services.study_mark_retracted(
        study=study, by=None, retracted_on=retracted_on, notice_url=notice_url
    )
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
        assessment.save_version(
            update_fields=["needs_review", "needs_review_because", "updated_at"]
        )


# --- Merging studies ----------------------------------------------------------------------


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
    both = (
        Appraisal.objects.filter(study=keep)
        .values("appraiser")
        .intersection(Appraisal.objects.filter(study=remove).values("appraiser"))
    )
    if both.exists():
        problems.append("the same grader appraised both: delete one of the two appraisals first")
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
        finding.save_version()
    for appraisal in Appraisal.objects.filter(study=remove):
        appraisal.study = keep
        appraisal.save_version()
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
    keep.save_version()
    claims_grade_for_study(study=keep)
    study_vectors_refresh_on_commit([keep.pk])  # it may have taken the other's abstract
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


def user_set_role(*, user, role):
    """Give an account its one role (DESIGN.md, roles): the role's group in place of any other
    role's (groups that are not roles stay), and the staff status every work role needs to sign
    in; an account with no work role (reader) cannot sign in, unless it is a superuser's."""
    role = Role(role)
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=list(Role)).exclude(name=role))
        user.groups.add(Group.objects.get(name=role))
        user.is_staff = role != Role.READER or user.is_superuser  # a superuser keeps the admin
        user.full_clean(exclude=["password"])
        user.save(update_fields=["is_staff"])
    return user
