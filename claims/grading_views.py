"""The graders' pages, beside the admin: appraise a study with the tool for its design, assess a
claim independently with the rules' suggestion beside every field, and record the consensus of
the assessors. Each page needs its permission; the services check it again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from claims.forms import DOMAINS, GRADED_FIELDS, AppraisalForm, AssessmentForm, ConsensusForm
from claims.models import Assessment, AssessmentStatus, Claim, RegradeRun
from claims.paging import (
    CappedKeysFirstPaginator,
    KeysFirstPaginator,
    page_of,
    query_without_page,
)
from claims.review import ReviewRound
from claims.services import (
    appraisal_save,
    assessment_publish,
    assessment_save,
    regrade_start,
)
from claims.work import SHOWN, WorkQueue
from config.errors import Conflict, Stale
from config.versions import show_stale
from evidence.models import Appraisal, AppraisalTool, Study


def _suggestion(claim):
    return Assessment.objects.filter(claim=claim, status=AssessmentStatus.PROVISIONAL).first()


def _initial_from(assessment):
    if assessment is None:
        return {}
    initial = {name: getattr(assessment, name) for name in GRADED_FIELDS}
    if assessment.status == AssessmentStatus.PROVISIONAL:
        initial["summary"] = ""  # the grader's own words, not the rules'
    return initial


@staff_member_required
@permission_required("claims.view_assessment", raise_exception=True)  # the role, not is_staff
def queue(request):
    claims = Claim.objects.for_grading_queue(request.user)
    text = request.GET.get("q", "").strip()
    if text:  # by the claims' word index, in the list's order (ClaimQuerySet.matching)
        claims = claims.matching(text)
    # Every claim counted exactly, so that each stays reachable page after page; a search's
    # matches up to the cap (past it, narrow the search); each claim's round read for the
    # page's rows only.
    page = page_of(request, claims, CappedKeysFirstPaginator if text else KeysFirstPaginator)
    return render(
        request,
        "claims/grading/queue.html",
        {
            # What waits for the user, on the first page of the whole list only.
            "work": WorkQueue(request.user).sections() if page.number == 1 and not text else [],
            "shown": SHOWN,
            "claims": page,
            "page": page,
            "searched": text,
            "query": query_without_page(request),
            "required": settings.REQUIRED_ASSESSMENTS,
            "title": "Your work",
            "last_regrade": RegradeRun.objects.select_related("started_by").first(),
        },
    )


@require_POST
@staff_member_required
@permission_required("claims.add_regraderun", raise_exception=True)
def regrade(request):
    """Start a regrade of the library (the queue's button), or, while one is in progress,
    show that one; either way, its page."""
    run, started = regrade_start(by=request.user, every_claim="every_claim" in request.POST)
    if started:
        messages.info(
            request,
            "The regrade runs in the background; this page follows it, and you may leave it.",
        )
    else:
        when = timezone.localtime(run.created_at, timezone.UTC)
        messages.warning(
            request,
            f"A regrade started by {run.started_by.get_username()} at {when:%Y-%m-%d %H:%M} UTC "
            f"is still in progress, so no other was started: this is it.",
        )
    return redirect(run)


@staff_member_required
@permission_required("claims.view_regraderun", raise_exception=True)
def regrade_progress(request, pk):
    """A regrade's progress while the task worker runs it (the page follows it:
    evidence/progress.js), then its result."""
    run = get_object_or_404(RegradeRun.objects.select_related("started_by"), pk=pk)
    return render(
        request,
        "claims/grading/regrade.html",
        {"run": run, "title": f"Regrade of the library #{run.pk}"},
    )


@staff_member_required
@permission_required("evidence.add_appraisal", raise_exception=True)
def appraise_study(request, pk):
    study = get_object_or_404(Study, pk=pk)
    tools = AppraisalTool.objects.for_design(study.design)
    context = {"study": study, "tools": tools, "title": f"Appraise {study.short_label}"}
    if not tools:
        return render(request, "claims/grading/appraise.html", context)
    tool = next((t for t in tools if t.slug == request.GET.get("tool")), tools[0])
    mine = Appraisal.objects.complete_details().filter(study=study, appraiser=request.user).first()
    form = AppraisalForm(request.POST or None, tool=tool, appraisal=mine)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal_save(study=study, appraiser=request.user, tool=tool, **form.judgements())
        except ValidationError as error:
            form.add_error(None, error)
        except Stale as error:  # saved in another tab since this one was opened
            show_stale(form, error)
        else:
            messages.success(
                request,
                f"Your appraisal of {study.short_label} is saved; the "
                f"claims it bears on were regraded.",
            )
            return redirect("grading:queue")  # the next piece of work
    return render(request, "claims/grading/appraise.html", {**context, "tool": tool, "form": form})


@staff_member_required
@permission_required("claims.add_assessment", raise_exception=True)
def assess_claim(request, slug):
    claim = get_object_or_404(Claim, slug=slug)
    round_ = ReviewRound(claim)
    mine = round_.mine(request.user)
    suggestion = _suggestion(claim)
    context = {
        "claim": claim,
        "round": round_,
        "mine": mine,
        "suggestion": suggestion,
        "title": f"Assess: {claim.text}",
    }
    if mine and mine.status == AssessmentStatus.SUBMITTED:
        return render(request, "claims/grading/assess.html", context)
    if mine is None and round_.is_ready:
        context["too_late"] = True  # the others' work is open to this user: not independent
        return render(request, "claims/grading/assess.html", context)
    initial = _initial_from(mine or suggestion) | {"seen_version": mine.version if mine else 0}
    form = AssessmentForm(request.POST or None, initial=initial, suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            assessment_save(
                claim=claim,
                author=request.user,
                form=form,
                submit=submit,
                seen=form.cleaned_data["seen_version"],
            )
        except Stale as error:  # their draft, saved in another tab since this one was opened
            show_stale(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Your assessment is submitted."
                if submit
                else "Your draft is saved; nobody else can see it.",
            )
            return redirect("grading:assess", slug=claim.slug)
    return render(request, "claims/grading/assess.html", {**context, "form": form})


def _copied(data, source, domain):
    """The form data with one assessor's judgement (a domain, or all) copied in."""
    data = data.copy()
    names = GRADED_FIELDS if domain == "all" else [domain, f"{domain}_reason"]
    for name in names:
        data[name] = getattr(source, name)
    return data


@staff_member_required
@permission_required("claims.publish_assessment", raise_exception=True)
def record_consensus(request, slug):
    claim = get_object_or_404(Claim, slug=slug)
    round_ = ReviewRound(claim)
    suggestion = _suggestion(claim)
    context = {
        "claim": claim,
        "round": round_,
        "suggestion": suggestion,
        "mine": round_.mine(request.user),
        "title": f"Consensus: {claim.text}",
    }
    if not round_.may_see_others(request.user):
        return render(request, "claims/grading/consensus.html", context, status=403)
    context["comparison"] = round_.comparison()
    context["domains"] = DOMAINS
    disagreements = round_.disagreements()
    if request.method == "POST" and "copy" in request.POST:
        pk, _, domain = request.POST["copy"].partition(":")
        source = next((a for a in round_.submitted if str(a.pk) == pk), None)
        if source is None or (domain != "all" and domain not in DOMAINS):
            return redirect("grading:consensus", slug=claim.slug)
        form = ConsensusForm(
            initial=_copied(request.POST, source, domain).dict(),
            suggestion=suggestion,
            disagreements=disagreements,
        )
    elif request.method == "POST":
        form = ConsensusForm(request.POST, suggestion=suggestion, disagreements=disagreements)
        if form.is_valid():
            try:
                assessment_publish(
                    claim=claim,
                    author=request.user,
                    form=form,
                    supersedes=form.cleaned_data["supersedes"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except Conflict as error:
                # Another grader published first: shown again, the form may replace theirs.
                form.add_error(None, str(error))
                form.data = form.data.copy()
                form.data["supersedes"] = str(_published_id(claim))
            else:
                messages.success(request, "The consensus is published: readers now see it.")
                return redirect(reverse("claims:claim", args=[claim.slug]))
    else:
        # What the assessors agreed on; what they did not, the grader settles.
        initial = round_.agreed() | {"supersedes": _published_id(claim)}
        form = ConsensusForm(initial=initial, suggestion=suggestion, disagreements=disagreements)
    return render(request, "claims/grading/consensus.html", {**context, "form": form})


def _published_id(claim):
    """The id of the claim's published grade, 0 when there is none."""
    published = Assessment.objects.filter(claim=claim, status=AssessmentStatus.PUBLISHED)
    return published.values_list("pk", flat=True).first() or 0
