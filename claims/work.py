"""What is waiting for one grader or researcher (the grading queue, /grading/): claims whose
grade was flagged for review, claims no person has assessed yet, rounds ready for a consensus,
findings to approve and studies nobody has appraised, each as far as the user's role allows and
each one click from its form. Every section reads at most SHOWN + 1 rows, in an order an index
serves, whatever the size of the library."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Subquery

from claims.models import (
    Assessment,
    AssessmentStatus,
    Claim,
    Finding,
    FindingStatus,
)
from evidence.lookup.services import RECENTLY_DAYS, studies_retracted_by_recheck
from evidence.models import AppraisalTool, Study, complete_appraisals_of

SHOWN = 10


@dataclass
class Section:
    name: str
    title: str
    rows: list
    more: bool  # more than SHOWN wait

    @classmethod
    def of(cls, name, title, queryset):
        rows = list(queryset[: SHOWN + 1])
        return cls(name, title, rows[:SHOWN], len(rows) > SHOWN)


def _not_submitted_by(user):
    """Claims where this user has not submitted an assessment in the open round."""
    return ~Exists(
        Assessment.objects.filter(
            claim=OuterRef("pk"),
            author=user,
            status=AssessmentStatus.SUBMITTED,
            consensus__isnull=True,
        )
    )


def _my_draft(user):
    return Exists(
        Assessment.objects.filter(claim=OuterRef("pk"), author=user, status=AssessmentStatus.DRAFT)
    )


class WorkQueue:
    def __init__(self, user):
        self.user = user

    def sections(self):
        """The sections this user's role opens, in the order to work through them."""
        user, found = self.user, []
        if user.has_perm("claims.add_assessment"):
            found += [self.flagged_claims(), self.recently_retracted(), self.unassessed_claims()]
        if user.has_perm("claims.publish_assessment"):
            found.append(self.rounds_ready())
        if user.has_perm("claims.review_finding"):
            found.append(self.findings_to_approve())
        if user.has_perm("evidence.add_appraisal"):
            found.append(self.studies_to_appraise())
        return found

    def flagged_claims(self):
        # From the flagged grades (a partial index holds only them) to their claims, not a
        # walk over every claim testing each.
        flagged = Assessment.objects.filter(
            status=AssessmentStatus.PUBLISHED, needs_review=True
        ).values("claim")
        claims = (
            Claim.objects.filter(pk__in=flagged)
            .filter(_not_submitted_by(self.user))
            .annotate(my_draft=_my_draft(self.user))
            .order_by("text", "pk")
        )
        return Section.of("flagged", "Published grades flagged for review", claims)

    def recently_retracted(self):
        """Studies the retraction re-check (manage.py recheck_retractions) found retracted
        lately: their claims' grades are flagged above; this says which studies and why."""
        return Section.of(
            "retracted",
            f"Studies found retracted in the last {RECENTLY_DAYS} days",
            studies_retracted_by_recheck(),
        )

    def unassessed_claims(self):
        """Claims with approved findings whose grade is still the rules' (no person's), in text
        order by a partial index of those claims alone (claim_provisional_order)."""
        claims = (
            Claim.objects.filter(grade_status=AssessmentStatus.PROVISIONAL)
            .filter(Exists(Finding.objects.approved().filter(claim=OuterRef("pk"))))
            .filter(_not_submitted_by(self.user))
            .annotate(my_draft=_my_draft(self.user))
            .order_by("text", "pk")
        )
        return Section.of("unassessed", "Claims no person has assessed yet", claims)

    def rounds_ready(self):
        """Claims with enough independent assessments submitted for a consensus."""
        ready = (
            Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, consensus__isnull=True)
            .values("claim")
            .annotate(submitted=Count("pk"))
            .filter(submitted__gte=settings.REQUIRED_ASSESSMENTS)
            .values("claim")
        )
        claims = Claim.objects.filter(pk__in=ready).order_by("text", "pk")
        return Section.of("consensus", "Rounds ready for a consensus", claims)

    def findings_to_approve(self):
        findings = (
            Finding.objects.filter(status=FindingStatus.SUBMITTED)
            .select_related("study", "claim", "created_by")
            .order_by("pk")
        )
        if not settings.FINDING_SELF_APPROVAL:
            findings = findings.exclude(created_by=self.user)
        return Section.of("findings", "Findings to approve", findings)

    def studies_to_appraise(self):
        """Studies a finding rests on that have no complete appraisal (what the rules count), of
        a design a tool appraises and not retracted; the newest first."""
        designs = sorted(
            {design for tool in AppraisalTool.objects.all() for design in tool.designs}
        )
        studies = (
            Study.objects.filter(design__in=designs)
            .filter(
                Exists(
                    Finding.objects.filter(
                        study=OuterRef("pk"),
                        status__in=[FindingStatus.SUBMITTED, FindingStatus.APPROVED],
                    )
                )
            )
            .filter(retracted=False)
            # not complete: an appraisal begun, or left by a change of tool, does not count. A
            # subquery's value, not NOT EXISTS: PostgreSQL would make that an anti-join over
            # every appraisal of the library before the first study (0.4 s at a million).
            .annotate(complete=Subquery(complete_appraisals_of(OuterRef("pk")).values("pk")[:1]))
            .filter(complete__isnull=True)
            .order_by("-pk")
        )
        return Section.of("appraise", "Studies nobody has appraised", studies)
