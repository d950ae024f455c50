from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from claims import claimreview, grading
from claims.charts import evidence_map, traffic_lights
from claims.claimreview import claim_review, json_ld
from claims.filters import ClaimFilter, StudyFilter
from claims.intake.candidates import candidate_studies_for_page
from claims.models import (
    CERTAINTY_CHOICES,
    DIRECTION_CHOICES,
    VERDICT_CHOICES,
    Article,
    Claim,
    Finding,
    Statement,
    attach_scorecards,
    attach_strongest_findings,
)
from claims.paging import CappedKeysFirstPaginator, page_of, query_without_page
from evidence.exporters import FORMATS, WRITERS
from evidence.models import Study


def _get_article(slug):
    return get_object_or_404(Article.objects.for_detail(), slug=slug)


def _get_claim(slug):
    return get_object_or_404(Claim.objects.for_detail(), slug=slug)


# Published claims a suggestion lists at most, and the characters it needs.
SUGGESTIONS = 20
SUGGESTION_MIN_LENGTH = 3


def about(request):
    certainties = list(reversed(grading.CERTAINTY_LADDER))
    scale = [
        (label, [claimreview.RATING_VALUES[(verdict, c)] for c in certainties])
        for verdict, label in VERDICT_CHOICES
        if verdict != grading.Verdict.INSUFFICIENT
    ]
    context = {
        "levels": [name for name, _ in grading.EVIDENCE_LEVELS],
        "thresholds": {
            "verdict": f"{grading.VERDICT_SHARE:.0%}",
            "inconsistency_one": f"{grading.INCONSISTENCY_ONE_LEVEL:.0%}",
            "inconsistency_two": f"{grading.INCONSISTENCY_TWO_LEVELS:.0%}",
            "ois": grading.OPTIMAL_INFORMATION_SIZE,
            "very_small": grading.VERY_SMALL_INFORMATION_SIZE,
        },
        "scale": scale,
        "scale_certainties": [dict(CERTAINTY_CHOICES)[c] for c in certainties],
        "insufficient_rating": claimreview.RATING_VALUES[(grading.Verdict.INSUFFICIENT, None)],
        "mark_ladder": [
            (grading.mark(grading.Support.SUPPORTED, c).label, dict(CERTAINTY_CHOICES)[c])
            for c in certainties
        ],
        "best": claimreview.BEST_RATING,
        "worst": claimreview.WORST_RATING,
    }
    return render(request, "claims/about.html", context)


def article_list(request):
    page = page_of(request, Article.objects.for_list())
    page.object_list = attach_scorecards(page.object_list)
    return render(
        request,
        "claims/article_list.html",
        {"articles": page.object_list, "page": page, "query": query_without_page(request)},
    )


def article_detail(request, slug):
    article = _get_article(slug)
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "scorecard": article.scorecard(),
            # Rule 8: each level in its plainest words, then how a mark's words and weight
            # follow the certainty (supported as the example).
            "legend": [grading.level_mark(support) for support in grading.Support],
            "certainty_legend": [
                (grading.mark(grading.Support.SUPPORTED, c), dict(CERTAINTY_CHOICES)[c])
                for c in reversed(grading.CERTAINTY_LADDER)
            ],
        },
    )


@vary_on_headers("HX-Request")  # a fragment or a page at one address: caches keep both
def statement_detail(request, slug, pk):
    """A statement's panel: in place on the article page (HTMX asks for the fragment), or as a
    page of its own for a browser without JavaScript."""
    statement = get_object_or_404(Statement.objects.for_panel(), article__slug=slug, pk=pk)
    claims = attach_strongest_findings(statement.shown_claims)
    context = {"statement": statement, "claims": claims, "article": statement.article}
    if request.headers.get("HX-Request"):
        # Beside the article: the panel says which statement it is about.
        return render(request, "claims/_statement_panel.html", context | {"beside": True})
    return render(request, "claims/statement_detail.html", context)


def claim_list(request):
    claim_filter = ClaimFilter(request.GET, queryset=Claim.objects.for_list())
    page = page_of(request, claim_filter.qs, CappedKeysFirstPaginator)
    return render(
        request,
        "claims/claim_list.html",
        {
            "filter": claim_filter,
            "page": page,
            "query": query_without_page(request),
        },
    )


def claim_detail(request, slug):
    claim = _get_claim(slug)
    assessment = claim.current_assessment()
    claim.reader_assessments = [assessment] if assessment else []  # for claim_review()
    review = claim_review(claim, request)
    evidence = claim.evidence(assessment and assessment.body)
    findings_by_direction = evidence.by_direction()
    shown = [finding for _, _, findings, _ in findings_by_direction for finding in findings]
    strongest = {d: findings[0] for d, _, findings, _ in findings_by_direction if findings}
    participants, studies, unsized, whole_reviews = evidence.in_grade()
    findings_url = reverse("claims:claim_findings", args=[claim.slug])
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "assessment": assessment,
            "findings_by_direction": findings_by_direction,
            # The summary of findings: what the grade rests on, the strongest on each side.
            "summary": {
                "participants": participants,
                "studies": studies,
                "unsized": unsized,
                "whole_reviews": whole_reviews,
                "for": strongest.get(grading.Direction.SUPPORTS),
                "against": strongest.get(grading.Direction.CONTRADICTS),
            },
            "findings_url": findings_url,
            "evidence_map": evidence_map(
                evidence.inputs,
                evidence.sets_grade,
                url_for=lambda i: reverse("claims:study", args=[evidence.study_ids[i]]),
                more_url=lambda direction: f"{findings_url}?direction={direction}",
            ),
            "what_would_change": evidence.what_would_change(assessment),
            "claim_review": json_ld(review) if review else "",
            # The appraisals of the studies shown (the strongest findings), not all of them.
            "lights": traffic_lights(evidence.appraisals_of(shown)),
            "appraised": evidence.appraised_count(),
            "shown_appraised": len({f.study_id for f in shown} & evidence.appraised_studies),
            # Researchers and graders only; None (and no query) for readers.
            "candidates": candidate_studies_for_page(request.user, claim),
        },
    )


@vary_on_headers("HX-Request")
def claim_findings(request, slug):
    """Every approved finding of a claim, of one direction (?direction=) or of all, strongest
    first, a page at a time: the claim page's "Show all" loads a page in place (HTMX asks for
    the fragment) or, without JavaScript, opens it as a page of its own."""
    claim = get_object_or_404(Claim.objects.published(), slug=slug)
    assessment = claim.current_assessment()
    evidence = claim.evidence(assessment and assessment.body)
    direction = request.GET.get("direction", "")
    directions = [d for d in grading.Direction if d == direction] or list(grading.Direction)
    direction = directions[0].value if len(directions) == 1 else ""
    ranked = [i for d in directions for i in evidence.ranked(d)]
    page = page_of(request, ranked)
    context = {
        "claim": claim,
        "direction": direction,
        "direction_label": dict(DIRECTION_CHOICES).get(direction, ""),
        "directions": DIRECTION_CHOICES,
        "page": page,
        "findings": evidence.findings(page.object_list),
        "findings_url": reverse("claims:claim_findings", args=[claim.slug]),
        "query": query_without_page(request),
    }
    if request.headers.get("HX-Request"):
        return render(request, "claims/_findings_page.html", context)
    return render(request, "claims/claim_findings.html", context)


def claim_suggestions(request):
    """The published claims whose text, subject or outcome holds what was typed (?q=, at least
    SUGGESTION_MIN_LENGTH characters), most relevant first: the study list's autocomplete."""
    text = request.GET.get("q", "").strip()
    claims = []
    if len(text) >= SUGGESTION_MIN_LENGTH:
        found = Claim.objects.published().order_by("id").search(text)
        claims = list(found.values("slug", "text")[:SUGGESTIONS])
    return JsonResponse({"results": claims})


def study_list(request):
    study_filter = StudyFilter(request.GET, queryset=Study.objects.for_list())
    page = page_of(request, study_filter.qs, CappedKeysFirstPaginator)
    return render(
        request,
        "claims/study_list.html",
        {
            "filter": study_filter,
            "page": page,
            "query": query_without_page(request),
            "chosen_claim": study_filter.form.cleaned_data.get("claim"),
        },
    )


def study_export(request, fmt):
    """The studies of the list, with the same filters and order, as RIS, BibTeX or CSV."""
    if fmt not in WRITERS:
        raise Http404("Export as ris, bib or csv.")
    study_filter = StudyFilter(request.GET, queryset=Study.objects.for_export())
    content_type, extension = FORMATS[fmt]
    response = StreamingHttpResponse(
        WRITERS[fmt](study_filter.qs.iterator(chunk_size=1000)),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="studies.{extension}"'
    return response


def study_detail(request, pk):
    study = get_object_or_404(Study.objects.with_appraisals(), pk=pk)
    findings = Finding.objects.for_study_page(study)
    return render(
        request,
        "claims/study_detail.html",
        {"study": study, "findings": findings, "lights": traffic_lights(study.appraisals.all())},
    )
