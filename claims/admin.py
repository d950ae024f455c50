from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from claims import grading, token_admin  # noqa: F401  (token_admin: the API tokens' admin)
from claims.intake.candidates import study_vectors_refresh_on_commit
from claims.intake.study_vectors import EMBEDDED_FIELDS
from claims.models import (
    CERTAINTY_CHOICES,
    CLAIM_PROPOSABLE_FIELDS,
    INDEPENDENT_STATUSES,
    VERDICT_CHOICES,
    Article,
    Assessment,
    AssessmentStatus,
    Claim,
    ClaimEditProposal,
    Finding,
    FindingStatus,
    RegradeRun,
    Statement,
    StatementClaim,
    Status,
)
from claims.roles import Role, role_of
from claims.services import (
    OwnFindingApproval,
    claim_edit_accept,
    claim_edit_decline,
    claim_edit_is_proposal,
    claim_edit_propose,
    claims_flag_for_review,
    claims_grade,
    claims_grade_for_study,
    finding_approve,
    finding_may_change,
    finding_reject,
    finding_submit,
    possible_duplicate_keep_both,
    statement_links_publish,
    statements_publish,
    study_merge,
    study_save_and_regrade,
    user_set_role,
)
from config import search
from config.admin_inlines import LabelledTabularInline
from config.admin_lists import LargeList
from config.errors import Conflict
from config.versions import VersionCheckedForm, Versioned
from evidence.admin import HistoryAdmin, StudyAdmin
from evidence.models import Design, Population, PossibleDuplicate, Study

# Findings the admin's claim page lists (the newest); the rest are in the findings list.
CLAIM_PAGE_FINDINGS = 20
# Statements the admin's article page shows to change (the first); the rest in their list.
# Each is a row of form fields whose rendering is most of the page's time (30: 172 ms at 1M).
ARTICLE_PAGE_STATEMENTS = 10
VERDICT_LABELS = dict(VERDICT_CHOICES)
CERTAINTY_LABELS = dict(CERTAINTY_CHOICES)
SMALL_TEXTAREA = forms.Textarea(attrs={"rows": 2, "cols": 60})


def as_submitted(text):
    """A browser sends a textarea's line breaks as \\r\\n; bodies and statements store \\n."""
    return text.replace("\r\n", "\n")


# --- Articles and statements --------------------------------------------------------------


class StatementForm(forms.ModelForm):
    """A statement is a span of its article's body. Give start and end and the text is taken
    from the body; or paste the text alone and its offsets are found in the body."""

    class Meta:
        model = Statement
        fields = ["article", "start", "end", "text", "status"]
        widgets = {"text": SMALL_TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A user who may only view statements gets a form without these fields.
        for name in ("start", "end", "text"):
            if name in self.fields:
                self.fields[name].required = False
        if "text" in self.fields:
            self.fields["text"].help_text = (
                "Leave empty to take the body between start and end; or paste the sentence and "
                "leave start and end empty to find it in the body."
            )

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article")
        if article is None or self.has_error("start") or self.has_error("end"):
            return cleaned
        body = article.body
        start, end = cleaned.get("start"), cleaned.get("end")
        text = as_submitted(cleaned.get("text") or "")

        if start is None and end is None:
            if not text:
                raise ValidationError("Give start and end, or paste the text of the statement.")
            occurrences = body.count(text)
            if occurrences == 0:
                self.add_error("text", "This text does not occur in the article’s body.")
                return cleaned
            if occurrences > 1:
                self.add_error(
                    "text",
                    f"This text occurs {occurrences} times in the article’s body; give start "
                    f"and end to say which one.",
                )
                return cleaned
            start = body.index(text)
            end = start + len(text)
        elif start is None or end is None:
            missing = "start" if start is None else "end"
            self.add_error(missing, "Give both start and end, or neither and paste the text.")
            return cleaned
        elif end <= start:
            self.add_error("end", "The end must come after the start.")
            return cleaned
        elif end > len(body):
            self.add_error(
                "end", f"The article has {len(body)} characters; the statement ends at {end}."
            )
            return cleaned
        elif not text or (self.instance.pk and "text" not in self.changed_data):
            # New offsets of a stored statement, its old text left as it was: take the new span.
            text = body[start:end]
        elif text != body[start:end]:
            self.add_error(
                "text",
                f"The text differs from the article’s body at {start}–{end}, which reads "
                f"“{body[start:end]}”. Leave the text empty to take it from the body.",
            )
            return cleaned

        cleaned["start"], cleaned["end"], cleaned["text"] = start, end, text
        return cleaned

    def _post_clean(self):
        # The model's validation (Statement.clean) compares start, end and text with the body;
        # on a span this form has already refused it would compare with None and crash.
        span = ("article", "start", "end", "text", NON_FIELD_ERRORS)
        if any(self.has_error(name) for name in span):
            return
        super()._post_clean()


class StatementInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Statement.clean compares a statement with those already stored; this compares the
        statements entered together."""
        super().clean()
        spans = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            start = form.cleaned_data.get("start") if hasattr(form, "cleaned_data") else None
            end = form.cleaned_data.get("end") if hasattr(form, "cleaned_data") else None
            if start is not None and end is not None:
                spans.append((start, end))
        spans.sort()
        for (start, end), (next_start, next_end) in zip(spans, spans[1:], strict=False):
            if next_start < end:
                raise ValidationError(
                    f"Two statements overlap: {start}–{end} and {next_start}–{next_end}."
                )


class RecordsWhoAdds:
    """A record added here, and every row added in its inlines, records who added it."""

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "created_by_id"):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        rows = formset.save(commit=False)
        seen = {id(f.instance): f.seen() for f in formset.forms if hasattr(f, "seen")}
        for row in rows:
            if row.pk is None and hasattr(row, "created_by_id"):
                row.created_by = request.user
            if isinstance(row, Versioned):  # an inline row opened at an older version: Stale
                row._history_user = request.user
                row.save_version(seen=seen.get(id(row)))
            else:
                row.save()
        for row in formset.deleted_objects:
            row.delete()
        formset.save_m2m()


class PublishedByGraders:
    """Researchers propose statements and links (drafts); a grader publishes them."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("claims.publish_assessment"):
            fields.append("status")
        return fields


class PublishedOnesByGraders(PublishedByGraders):
    """Once published, a statement or a link is the graders' to change or remove: a
    researcher's change would reach readers without review."""

    def _may_touch(self, request, record):
        return (
            record is None
            or not isinstance(record, (Statement, StatementClaim))
            or record.status == Status.DRAFT
            or request.user.has_perm("claims.publish_assessment")
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)


class StatementInline(PublishedByGraders, LabelledTabularInline):
    model = Statement
    form = StatementForm
    formset = StatementInlineFormSet
    fields = ["start", "end", "text", "status", "claims_linked"]
    readonly_fields = ["claims_linked"]
    extra = 1
    show_change_link = True

    def get_queryset(self, request):
        links = StatementClaim.objects.select_related("claim")
        return super().get_queryset(request).prefetch_related(Prefetch("links", queryset=links))

    @admin.display(description="claims (link them on the statement's page)")
    def claims_linked(self, statement):
        return "; ".join(
            f"{link.claim.text} ({link.get_assertion_display().lower()})"
            for link in statement.links.all()
        )


class StatementClaimInline(PublishedByGraders, LabelledTabularInline):
    model = StatementClaim
    fields = ["claim", "assertion", "status"]
    autocomplete_fields = ["claim"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim")


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "slug", "url", "publisher", "published_on", "status", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The body is kept exactly as published: statements are offsets into it. (A user who
        # may only view the article gets a form without it.)
        if "body" in self.fields:
            self.fields["body"].strip = False

    def clean_body(self):
        body = as_submitted(self.cleaned_data["body"])
        if self.instance.pk:
            broken = [s for s in self.instance.statements.all() if body[s.start : s.end] != s.text]
            if broken:
                spans = ", ".join(f"{s.start}–{s.end}" for s in broken[:5])
                raise ValidationError(
                    f"The new body no longer contains {len(broken)} of the article’s statements "
                    f"at their offsets ({spans}). Delete or move those statements first."
                )
        return body


def count_of(queryset, field):
    """How many rows of `queryset` point at the row (OuterRef("pk")) by `field`: a subquery per
    row, so that a list computes it for its page's rows only (a Count() annotation groups the
    whole table, for the count of the list too)."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(Article)
class ArticleAdmin(LargeList, HistoryAdmin):
    form = ArticleForm
    list_display = ["title", "status", "publisher", "published_on", "statement_count"]
    list_filter = ["status", "published_on"]
    search_fields = ["title", "slug", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(statement_count=count_of(Statement.objects.all(), "article"))
        )

    @admin.display(description="statements")
    def statement_count(self, article):
        return article.statement_count

    readonly_fields = ["statements_shown"]

    def get_inlines(self, request, obj):
        # Statements are offsets into a stored body: they are marked once the article is saved.
        return [StatementInline] if obj is not None else []

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """The article's first ARTICLE_PAGE_STATEMENTS statements to change here (an article
        has hundreds: a form row each made the page grow with them); the others in the
        statements list, narrowed to the article (statements_shown links to it)."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, StatementInline) and obj is not None and obj.pk is not None:
            first = Statement.objects.filter(article=obj).order_by("start").values("pk")
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=first[:ARTICLE_PAGE_STATEMENTS])
        return kwargs

    @admin.display(description="statements")
    def statements_shown(self, article):
        if article.pk is None:
            return "—"
        total = article.statement_count
        every = reverse("admin:claims_statement_changelist") + f"?article={article.pk}"
        if total <= ARTICLE_PAGE_STATEMENTS:
            return format_html('{} below; <a href="{}">in the statements list</a>', total, every)
        return format_html(
            'The first {} of {} below, in the order of the text; <a href="{}">all of them in '
            "the statements list →</a>",
            ARTICLE_PAGE_STATEMENTS,
            f"{total:,}",
            every,
        )


class RecentArticleFilter(admin.SimpleListFilter):
    """The statements of one article, chosen among the RECENT newest articles (and the one
    chosen, however old), not a list of every article; search by an article's title for the
    others."""

    title = "article (the newest)"
    parameter_name = "article"
    RECENT = 20

    def lookups(self, request, model_admin):
        recent = list(Article.objects.order_by("-pk").values_list("pk", "title")[: self.RECENT])
        chosen = self.value()
        if chosen and chosen.isdecimal() and int(chosen) not in {pk for pk, _ in recent}:
            recent += Article.objects.filter(pk=chosen).values_list("pk", "title")
        return [(str(pk), title) for pk, title in recent]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(article_id=self.value() if self.value().isdecimal() else None)
        return queryset


@admin.register(Statement)
class StatementAdmin(LargeList, RecordsWhoAdds, PublishedOnesByGraders, HistoryAdmin):
    form = StatementForm
    list_display = ["excerpt", "article", "start", "status", "support", "overstated"]
    list_select_related = ["article"]
    list_filter = ["status", RecentArticleFilter]
    search_fields = ["text", "article__title"]
    autocomplete_fields = ["article"]
    fields = ["article", "start", "end", "text", "status"]
    inlines = [StatementClaimInline]
    actions = ["publish"]

    def get_queryset(self, request):
        # Statement.grade reads the grades of the statement's published links.
        return super().get_queryset(request).with_reader_links()

    @admin.display(description="statement", ordering="text")
    def excerpt(self, statement):
        return str(statement)

    @admin.display(description="support (published links)")
    def support(self, statement):
        return statement.support_label

    @admin.display(description="overstated", boolean=True)
    def overstated(self, statement):
        return statement.grade.overstated

    @admin.action(description="Publish the selected statements and their links")
    def publish(self, request, queryset):
        if not request.user.has_perm("claims.publish_assessment"):
            self.message_user(request, "Only graders publish statements.", messages.ERROR)
            return
        published = statements_publish(statements=queryset, by=request.user)
        self.message_user(request, f"{published} statements published with their links.")


@admin.register(StatementClaim)
class StatementClaimAdmin(LargeList, RecordsWhoAdds, PublishedOnesByGraders, HistoryAdmin):
    """Every link of a statement to a claim, proposals first: the graders' review list."""

    list_display = ["statement", "claim", "assertion", "status", "created_by"]
    list_select_related = ["statement", "claim", "created_by"]
    list_filter = ["status", "assertion"]
    search_fields = ["statement__text", "claim__text"]
    autocomplete_fields = ["statement", "claim"]
    fields = ["statement", "claim", "assertion", "status"]
    # Draft sorts before published when reversed; statementclaim_review_order serves it.
    ordering = ["-status", "-id"]
    actions = ["publish"]

    @admin.action(description="Publish the selected links (and their statements)")
    def publish(self, request, queryset):
        if not request.user.has_perm("claims.publish_assessment"):
            self.message_user(request, "Only graders publish links.", messages.ERROR)
            return
        count = statement_links_publish(links=queryset, by=request.user)
        self.message_user(request, f"{count} links published.")


# --- Claims and findings ------------------------------------------------------------------


class ReviewStatusReadOnly:
    """A finding's status moves only through the review actions (submit, approve, reject),
    which record who reviewed it, when and why."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status"]


class FindingInline(ReviewStatusReadOnly, LabelledTabularInline):
    """Anyone who may add findings adds drafts here. The claim's findings themselves are listed
    above it (ClaimAdmin.recent_findings) and changed on their own pages: a claim has hundreds,
    and a form row each (with its study's select) made the page grow with them."""

    model = Finding
    verbose_name_plural = "add findings"
    fields = ["study", "direction", "note", "indirect_because", "status"]
    autocomplete_fields = ["study"]
    formfield_overrides = {models.TextField: {"widget": SMALL_TEXTAREA}}
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class GradeFilter(admin.SimpleListFilter):
    """Filters on a column of the claim's stored grade."""

    column = ""
    options = []

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.column: self.value()})
        return queryset


class VerdictFilter(GradeFilter):
    title = "verdict"
    parameter_name = "verdict"
    column = "grade_verdict"
    options = VERDICT_CHOICES


class CertaintyFilter(GradeFilter):
    title = "certainty"
    parameter_name = "certainty"
    column = "grade_certainty"
    options = CERTAINTY_CHOICES


@admin.register(Claim)
class ClaimAdmin(LargeList, RecordsWhoAdds, HistoryAdmin):
    list_display = [
        "text",
        "kind",
        "status",
        "verdict",
        "certainty",
        "provisional",
        "finding_count",
    ]
    list_filter = ["status", "kind", VerdictFilter, CertaintyFilter]
    search_fields = ["text", "slug", "subject", "outcome"]
    ordering = ["text", "id"]  # claim_admin_order (the list's own indexes are published ones')

    def get_search_results(self, request, queryset, search_term):
        """By the word index (ClaimQuerySet.matching), also for the findings' and statement
        links' claim boxes; when that finds nothing, as any admin search, by part of the text,
        slug, subject or outcome."""
        if search_term.strip():
            found = queryset.matching(search_term)
            if found.exists():
                return found, False
        return super().get_search_results(request, queryset, search_term)

    prepopulated_fields = {"slug": ["text"]}
    form = VersionCheckedForm
    fields = [
        "text",
        "slug",
        "kind",
        "subject",
        "outcome",
        "status",
        "pending_changes",
        "recent_findings",
    ]

    def get_readonly_fields(self, request, obj=None):
        """Researchers propose claims; a grader publishes them."""
        fields = [*super().get_readonly_fields(request, obj), "pending_changes", "recent_findings"]
        if not request.user.has_perm("claims.publish_assessment"):
            fields.append("status")
        return fields

    @admin.display(description="proposed changes waiting for a grader")
    def pending_changes(self, claim):
        if claim.pk is None:
            return "—"
        proposals = claim.edit_proposals.pending().select_related("proposed_by")
        return (
            format_html_join(
                mark_safe("<br>"),
                '<a href="{}">#{}</a> by {}: {}',
                (
                    (
                        reverse("admin:claims_claimeditproposal_change", args=[p.pk]),
                        p.pk,
                        p.proposed_by or "—",
                        "; ".join(f"{label} “{new}”" for label, _, new in p.differences()),
                    )
                    for p in proposals
                ),
            )
            or "—"
        )

    @admin.display(description="findings (the newest)")
    def recent_findings(self, claim):
        """The claim's CLAIM_PAGE_FINDINGS newest findings, each a link to its page, and the
        way to all of them: the findings list narrowed to the claim."""
        if claim.pk is None:
            return "—"
        total = claim.findings.count()
        if not total:
            return "None yet: add them below."
        shown = Finding.objects.newest_of(claim)[:CLAIM_PAGE_FINDINGS]
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}, {}</li>',
            (
                (
                    reverse("admin:claims_finding_change", args=[finding.pk]),
                    finding.study.short_label,
                    finding.get_direction_display().lower(),
                    finding.get_status_display().lower(),
                )
                for finding in shown
            ),
        )
        every = reverse("admin:claims_finding_changelist") + f"?claim__id__exact={claim.pk}"
        return format_html(
            '<ul class="recent-findings">{}</ul><a href="{}">All {} finding{} of this claim →</a>',
            rows,
            every,
            f"{total:,}",
            "" if total == 1 else "s",
        )

    def save_model(self, request, obj, form, change):
        """A researcher's change to a published claim is kept as a proposal a grader accepts
        (claims.services.claim_edit_propose): the claim stays as readers see it. Findings
        added on the page are saved as ever (drafts)."""
        current = Claim.objects.get(pk=obj.pk) if change else None
        if current is None or not claim_edit_is_proposal(claim=current, by=request.user):
            super().save_model(request, obj, form, change)
            return
        changes = {
            name: getattr(obj, name)
            for name in CLAIM_PROPOSABLE_FIELDS
            if getattr(obj, name) != getattr(current, name)
        }
        for name in CLAIM_PROPOSABLE_FIELDS:
            setattr(obj, name, getattr(current, name))
        if changes:
            obj.edit_proposal = claim_edit_propose(claim=current, by=request.user, changes=changes)

    def construct_change_message(self, request, form, formsets, add=False):
        proposal = getattr(form.instance, "edit_proposal", None)
        if proposal is not None:
            return f"Proposed a change (proposal #{proposal.pk}); the claim itself is unchanged."
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        proposal = getattr(obj, "edit_proposal", None)
        if proposal is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            f"This claim is published: your change is proposal #{proposal.pk}, which a grader "
            f"accepts before readers see it. Until then the claim stays as it was.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[obj.pk]))

    inlines = [FindingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(finding_count=count_of(Finding.objects.all(), "claim"))
        )

    @admin.display(description="verdict", ordering="grade_verdict")
    def verdict(self, claim):
        return VERDICT_LABELS.get(claim.grade_verdict, "Not assessed")

    @admin.display(description="certainty", ordering="grade_certainty")
    def certainty(self, claim):
        return CERTAINTY_LABELS.get(claim.grade_certainty, "—")

    @admin.display(description="provisional", boolean=True)
    def provisional(self, claim):
        if claim.grade_status is None:
            return None
        return claim.grade_status == AssessmentStatus.PROVISIONAL

    @admin.display(description="findings")  # not an order: the whole table's counts
    def finding_count(self, claim):
        return claim.finding_count

    def save_related(self, request, form, formsets, change):
        # Its findings or its kind may have changed: the provisional grade follows.
        super().save_related(request, form, formsets, change)
        claims_grade(claims=Claim.objects.filter(pk=form.instance.pk))


@admin.register(ClaimEditProposal)
class ClaimEditProposalAdmin(LargeList, HistoryAdmin):
    """Researchers' changes to published claims, pending first: graders accept them (the
    change is applied) or decline them saying why. Each shows what it changes, now → proposed."""

    list_display = ["claim", "changes_shown", "status", "proposed_by", "created_at", "decided_by"]
    list_select_related = ["claim", "proposed_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["claim__text", "claim__slug"]
    fields = [
        "claim",
        "changes_shown",
        "status",
        "proposed_by",
        "created_at",
        "decided_by",
        "decided_at",
        "reason",
    ]
    readonly_fields = fields
    actions = ["accept", "decline"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_review()

    def has_add_permission(self, request):
        return False  # a proposal is made by changing the claim

    def has_change_permission(self, request, obj=None):
        return False  # decided by the actions, which record who and when

    def has_delete_permission(self, request, obj=None):
        return False  # kept, accepted or declined: the record of who changed what

    def has_decide_permission(self, request):
        return request.user.has_perm("claims.publish_assessment")

    @admin.display(description="changes (now → proposed)")
    def changes_shown(self, proposal):
        return format_html_join(
            mark_safe("<br>"),
            "{}: “{}” → “{}”",
            proposal.differences(),
        )

    def _decide(self, request, queryset, service, verb, **kwargs):
        done = 0
        for proposal in queryset:
            try:
                service(proposal=proposal, by=request.user, **kwargs)
                done += 1
            except (ValidationError, Conflict) as error:
                problem = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"Proposal #{proposal.pk}: {problem}", messages.ERROR)
        self.message_user(request, f"{verb} {done} proposal{'s' * (done != 1)}.")

    @admin.action(description="Accept the selected proposals (apply them)", permissions=["decide"])
    def accept(self, request, queryset):
        self._decide(request, queryset, claim_edit_accept, "Accepted")

    @admin.action(
        description="Decline the selected proposals (with a reason)", permissions=["decide"]
    )
    def decline(self, request, queryset):
        because = request.POST.get("because", "").strip()
        if "confirm" in request.POST and because:
            self._decide(request, queryset, claim_edit_decline, "Declined", because=because)
            return None
        return TemplateResponse(
            request,
            "admin/claims/claimeditproposal/decline.html",
            {
                **self.admin_site.each_context(request),
                "title": "Decline proposed changes",
                "proposals": queryset.select_related("claim"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "missing_reason": "confirm" in request.POST,
                "opts": self.model._meta,
            },
        )


class FindingAdminForm(VersionCheckedForm):
    """A finding, and for a study not classified yet its design and population: set here, they
    are the study's (claims.services.study_save_and_regrade), and the finding counts."""

    study_design = forms.ChoiceField(
        label="Its study's design",
        choices=[("", "— not classified —"), *Design.choices],
        required=False,
    )
    study_population = forms.ChoiceField(
        label="Its study's population",
        choices=[("", "— not classified —"), *Population.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        study = self.instance.study if self.instance.study_id else None
        if study is not None:
            self.fields["study_design"].initial = study.design
            self.fields["study_population"].initial = study.population

    def study_changes(self):
        """What the user set of its study's classification on this page: only the fields they
        changed, and nothing when the finding was moved to another study (the fields showed
        the old one's)."""
        if not self.is_bound or "study" in self.changed_data or not self.instance.study_id:
            return {}
        chosen = {
            "design": "study_design",
            "population": "study_population",
        }
        return {
            name: self.cleaned_data[field]
            for name, field in chosen.items()
            if field in self.changed_data and self.cleaned_data.get(field)
        }

    def clean(self):
        cleaned = super().clean()
        changes = self.study_changes() if not self.errors else {}
        if changes:  # the study as it would be: refused here, not as a 500 after saving
            study = Study.objects.get(pk=self.instance.study_id)
            for name, value in changes.items():
                setattr(study, name, value)
            try:
                study.full_clean()
            except ValidationError as error:
                self.add_error("study_design", "; ".join(error.messages))
        return cleaned


@admin.register(Finding)
class FindingAdmin(LargeList, ReviewStatusReadOnly, HistoryAdmin):
    """A finding's page carries a button for each move its status may make (submit, approve,
    reject with a reason), and says when the finding will not count because its study is not
    classified, with the two fields that classify it."""

    list_display = ["study_label", "claim_text", "direction", "status"]
    list_select_related = ["study", "claim"]
    list_filter = ["direction", "status"]
    search_fields = ["study__title", "claim__text"]  # the search box; see get_search_results
    autocomplete_fields = ["study", "claim"]
    formfield_overrides = {models.TextField: {"widget": SMALL_TEXTAREA}}

    def get_search_results(self, request, queryset, search_term):
        """The findings on the studies the studies' search finds (their words, an identifier,
        else part of a title) or on the claims the claims' search finds (their words, else part
        of the text), each by its own index (config.search.rows_on). Not the findings' notes:
        `icontains` over the studies, claims and notes of every finding read all of them
        whenever a search found nothing (12 to 15 s at a million studies, docs/benchmarks.md)."""
        if not search_term.strip():
            return queryset, False
        found = search.rows_on(Study.objects.found_by(search_term), "study") | search.rows_on(
            Claim.objects.matching(search_term), "claim"
        )
        return queryset.filter(found), False

    form = VersionCheckedForm
    fields = [
        "study",
        "claim",
        "direction",
        "note",
        "rationale_quote",
        "outcome",
        "effect_estimate",
        "participants",
        "indirect_because",
        "status",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    actions = ["submit_for_review", "approve", "reject"]
    form = FindingAdminForm

    @admin.display(description="study", ordering="study__title")
    def study_label(self, finding):
        return format_html(
            '<span title="{}">{}</span>', finding.study.title, finding.study.short_label
        )

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, finding):
        return Truncator(finding.claim.text).chars(90)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        unclassified = obj is not None and not obj.study.is_classified
        may_classify = request.user.has_perm("evidence.change_study")
        if unclassified and may_classify and self.has_change_permission(request, obj):
            fields[fields.index("study") + 1 : fields.index("study") + 1] = [
                "study_design",
                "study_population",
            ]
        return [f for f in fields if unclassified or not f.startswith("study_")]

    def transitions(self, request, finding):
        """The moves of its status this user may make from this page."""
        user, moves = request.user, []
        if finding.status == FindingStatus.DRAFT and finding_may_change(user, finding):
            moves.append(("_submit", "Save and submit for review"))
        if finding.status == FindingStatus.SUBMITTED and self.has_review_permission(request):
            own = finding.created_by_id == user.pk and not settings.FINDING_SELF_APPROVAL
            if not own:
                moves.append(("_approve", "Save and approve"))
            moves.append(("_reject", "Reject with the reason below"))
        return moves

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = self.transitions(request, obj)
            context["unclassified"] = not obj.study.is_classified
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        moves = {name for name, _ in self.transitions(request, obj)}
        one = Finding.objects.filter(pk=obj.pk)
        if "_submit" in request.POST and "_submit" in moves:
            self._act(request, one, finding_submit, "Submitted", "draft")
        elif "_approve" in request.POST and "_approve" in moves:
            self._act(request, one, finding_approve, "Approved", "submitted")
            self._warn_unclassified(request, one)
        elif "_reject" in request.POST and "_reject" in moves:
            because = request.POST.get("_reject_because", "").strip()
            if not because:
                self.message_user(
                    request,
                    "Not rejected: say why, so its author can rework it.",
                    messages.ERROR,
                )
            else:
                self._act(request, one, finding_reject, "Rejected", "submitted", because=because)
        else:
            return super().response_change(request, obj)
        return HttpResponseRedirect(request.path)

    def has_review_permission(self, request):
        return request.user.has_perm("claims.review_finding")

    def has_change_permission(self, request, obj=None):
        """Once submitted, a finding is the reviewers' to change; its author may rework a draft
        or a rejected one."""
        if obj is not None and not finding_may_change(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.status == FindingStatus.REJECTED and not self.has_review_permission(request):
            obj.status, obj.rejected_because = FindingStatus.DRAFT, ""  # reworked: a draft again
        super().save_model(request, obj, form, change)
        classification = form.study_changes() if change else {}
        if classification:  # regrades the claims the study bears on, this one among them
            study_save_and_regrade(study=obj.study, by=request.user, changes=classification)
        # The finding may have moved from one claim to another: both grades change.
        claims_grade(claims=Claim.objects.filter(pk__in={obj.claim_id, form.initial.get("claim")}))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        claims_grade(claims=Claim.objects.filter(pk=obj.claim_id))

    def delete_queryset(self, request, queryset):
        claim_ids = set(queryset.values_list("claim_id", flat=True))
        super().delete_queryset(request, queryset)
        claims_grade(claims=Claim.objects.filter(pk__in=claim_ids))

    def _act(self, request, queryset, service, verb, from_label, **kwargs):
        """Each finding through its service (one transaction and history record each); those
        in the wrong state, or another researcher's, are left as they are and counted."""
        moved = skipped = not_theirs = own = 0
        for finding in queryset:
            try:
                service(finding=finding, by=request.user, **kwargs)
                moved += 1
            except ValidationError:
                skipped += 1
            except OwnFindingApproval:
                own += 1
            except PermissionDenied:
                not_theirs += 1
        self.message_user(request, f"{verb} {moved} finding{'s' * (moved != 1)}.")
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} finding{'s' * (skipped != 1)} unchanged: only {from_label} "
                f"findings can be {verb.lower()}.",
                messages.WARNING,
            )
        if not_theirs:
            self.message_user(
                request,
                f"Left {not_theirs} finding{'s' * (not_theirs != 1)} unchanged: only a "
                f"finding's author or a grader may do that.",
                messages.WARNING,
            )
        if own:
            self.message_user(
                request,
                f"Left {own} finding{'s' * (own != 1)} of your own unchanged: another grader "
                f"approves {'them' if own != 1 else 'it'} (FINDING_SELF_APPROVAL is off).",
                messages.WARNING,
            )

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._act(request, queryset, finding_submit, "Submitted", "draft")

    @admin.action(description="Approve selected findings", permissions=["review"])
    def approve(self, request, queryset):
        self._act(request, queryset, finding_approve, "Approved", "submitted")
        self._warn_unclassified(request, queryset)

    def _warn_unclassified(self, request, findings):
        """Approved findings the rules cannot place yet: said at once, not discovered later."""
        waiting = [
            f
            for f in findings.filter(status=FindingStatus.APPROVED).select_related("study")
            if not f.study.is_classified
        ]
        if waiting:
            names = ", ".join(f"#{f.pk} ({f.study.short_label})" for f in waiting[:10])
            self.message_user(
                request,
                f"{len(waiting)} approved finding{'s' * (len(waiting) != 1)} will not count "
                f"until {'their studies are' if len(waiting) != 1 else 'its study is'} "
                f"classified (design and population): {names}. Open "
                f"{'each' if len(waiting) != 1 else 'it'} to set them.",
                messages.WARNING,
            )

    @admin.action(description="Reject selected findings (with a reason)", permissions=["review"])
    def reject(self, request, queryset):
        because = request.POST.get("because", "").strip()
        if "confirm" in request.POST and because:
            self._act(request, queryset, finding_reject, "Rejected", "submitted", because=because)
            return None
        return TemplateResponse(
            request,
            "admin/claims/finding/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject findings",
                "findings": queryset.select_related("study", "claim"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "missing_reason": "confirm" in request.POST,
                "opts": self.model._meta,
            },
        )


# --- Assessments --------------------------------------------------------------------------


@admin.register(Assessment)
class AssessmentAdmin(LargeList, HistoryAdmin):
    """Every grade, read-only: the rules' provisional ones, the assessors' independent ones and
    the published consensus. Graders assess and publish on the grading pages, which check the
    justifications and the independent review. An assessor never sees another's assessment of
    an open round here: that shows only on the consensus page, once their own is submitted."""

    list_display = [
        "claim",
        "status",
        "verdict",
        "certainty",
        "body",
        "author",
        "needs_review",
        "updated_at",
    ]
    list_select_related = ["claim", "author"]
    list_filter = ["status", "verdict", "certainty", "body", "needs_review"]
    ordering = ["-created_at", "-id"]  # assessment_created_order
    search_fields = ["claim__text", "claim__slug", "summary"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "claim",
                    "status",
                    "author",
                    "submitted_at",
                    "published_at",
                    "consensus",
                    "needs_review",
                    "needs_review_because",
                ]
            },
        ),
        ("Grade", {"fields": ["verdict", "certainty", "body", "summary"]}),
        (
            "Downgrades",
            {"fields": [(name, f"{name}_reason") for name in grading.DOWNGRADE_DOMAINS]},
        ),
        (
            "Upgrades (observational evidence only)",
            {"fields": [(name, f"{name}_reason") for name in grading.UPGRADE_DOMAINS]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        others_open = (
            Q(status__in=INDEPENDENT_STATUSES) & Q(consensus__isnull=True) & ~Q(author=request.user)
        )
        return super().get_queryset(request).exclude(others_open)

    def _visible_or_404(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such assessment.")

    def history_view(self, request, object_id, extra_context=None):
        # simple-history reads the history table directly: the blind review applies here too.
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Assessment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- What a change to the literature means for the grades ----------------------------------
# evidence/ knows nothing of claims, so its admin cannot regrade; these subclasses add that.

admin.site.unregister(Study)


@admin.register(RegradeRun)
class RegradeRunAdmin(admin.ModelAdmin):
    """Past regrades of the library, with who started them and what came of them; a regrade is
    started from the grading queue (POST /grading/regrades/) or the API (POST /api/regrades/)."""

    list_display = ["__str__", "started_by", "created_at", "every_claim", "status", "outcome"]
    list_filter = ["status", "every_claim"]
    list_select_related = ["started_by"]
    fields = [
        "started_by",
        "created_at",
        "every_claim",
        "status",
        "total",
        "looked_at",
        "regraded",
        "progressed_at",
        "finished_at",
        "error",
        "outcome",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="outcome")
    def outcome(self, run):
        state = "stalled" if run.is_stalled else run.get_status_display().lower()
        return format_html('<a href="{}">{}: {}</a>', run.get_absolute_url(), state, run.summary)


@admin.register(Study)
class GradedStudyAdmin(StudyAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.retracted and "retracted" in form.changed_data:
            claims_flag_for_review(study=obj)
        else:
            claims_grade_for_study(study=obj)
        if not change or EMBEDDED_FIELDS & set(form.changed_data):
            study_vectors_refresh_on_commit([obj.pk])


# --- Possible duplicates of studies -------------------------------------------------------
# Registered here, not in evidence/admin.py: merging carries findings (claims.services).


def _study_link(study):
    url = reverse("admin:evidence_study_change", args=[study.pk])
    return format_html('<a href="{}">#{} {}</a>', url, study.pk, str(study))


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(LargeList, admin.ModelAdmin):
    list_display = ["imported_study", "may_duplicate", "reason", "resolution", "created_at"]
    list_select_related = ["study", "duplicate_of"]
    list_filter = ["resolution"]
    search_fields = ["study__title", "duplicate_of__title"]
    fields = ["imported_study", "may_duplicate", "reason", "resolution", "resolved_by"]
    readonly_fields = fields
    actions = ["merge", "keep_both"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="imported study", ordering="study__title")
    def imported_study(self, flag):
        return _study_link(flag.study)

    @admin.display(description="may duplicate")
    def may_duplicate(self, flag):
        return _study_link(flag.duplicate_of)

    def _open_flags(self, queryset):
        return list(
            queryset.filter(resolution=PossibleDuplicate.Resolution.OPEN).values_list(
                "pk", flat=True
            )
        )

    @admin.action(
        description="Merge each imported study into the study it may duplicate",
        permissions=["change"],
    )
    def merge(self, request, queryset):
        merged = 0
        for pk in self._open_flags(queryset):
            flag = PossibleDuplicate.objects.select_related("study", "duplicate_of").filter(pk=pk)
            flag = flag.first()
            if flag is None:  # gone with a study merged a moment ago
                continue
            try:
                study_merge(keep=flag.duplicate_of, remove=flag.study, user=request.user)
                merged += 1
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        if merged:
            self.message_user(request, f"Merged {merged} pair(s) of studies.", messages.SUCCESS)

    @admin.action(description="Keep both: they are different studies", permissions=["change"])
    def keep_both(self, request, queryset):
        flags = queryset.filter(resolution=PossibleDuplicate.Resolution.OPEN)
        for flag in flags:
            possible_duplicate_keep_both(flag=flag, user=request.user)
        self.message_user(request, f"Kept both studies of {len(flags)} flag(s).", messages.SUCCESS)


# --- Accounts -----------------------------------------------------------------------------


ROLE_CHOICES = [
    (role.value, role.description)
    for role in [Role.RESEARCHER, Role.GRADER, Role.ADMIN, Role.READER]
]


class RoleFormMixin(forms.Form):
    """One field for what an account may do: its role (claims.roles). The groups and the staff
    status follow from it (claims.services.user_set_role)."""

    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        initial=Role.RESEARCHER,
        widget=forms.RadioSelect,
        help_text="Every role but the last can sign in; the roles nest, each can do what the one "
        "above it can.",
    )


class UserCreationWithRoleForm(RoleFormMixin, auth_admin.AdminUserCreationForm):
    pass


class UserChangeWithRoleForm(RoleFormMixin, auth_admin.UserChangeForm):
    own_account = False  # set by UserAdmin.get_form on the class it makes for one request

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        role.initial = role_of(self.instance)
        if role.initial is None:  # in no role group (e.g. made by createsuperuser): kept so
            role.required = False
            role.choices = [("", "No role group: left as it is"), *role.choices]
            role.initial = ""
        if self.own_account:
            role.disabled = True
            role.help_text = (
                "Your own role: another admin changes it, so nobody locks themselves out."
            )


class UserAdmin(auth_admin.UserAdmin):
    """Accounts and their one role each: a new account gets its role on the form that creates it,
    the list shows every account's role. Only a superuser makes superusers or grants single
    permissions: a member of the admin group manages accounts and their roles, not the power
    above every role. Nobody changes their own role here (nor locks themselves out with it)."""

    form = UserChangeWithRoleForm
    add_form = UserCreationWithRoleForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
        ("Role", {"classes": ("wide",), "fields": ("role",)}),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "is_active")}),
        (
            "Above every role (superusers only)",
            {"classes": ("collapse",), "fields": ("is_superuser", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "email", "role", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, user):
        role = role_of(user)
        label = role.value if role else "none"
        return f"{label}, superuser" if user.is_superuser else label

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        if obj is not None and obj.pk == request.user.pk:
            fields.append("is_active")  # nobody locks themselves out
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a class made for this request
        form.own_account = obj is not None and obj.pk == request.user.pk
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        role = form.cleaned_data.get("role")
        # Only a role given or changed: saving someone's e-mail leaves their groups alone.
        if (
            role
            and not form.fields["role"].disabled
            and (not change or "role" in form.changed_data)
        ):
            user_set_role(user=obj, role=role)

    def has_change_permission(self, request, obj=None):
        """A superuser's account is a superuser's to change (its password, its role, whether it
        is active): the admin group manages the roles below."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
