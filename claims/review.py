"""A round of independent review of one claim: who has assessed it, who may see what, and where
the assessors disagree. A round ends when its consensus is published."""

from django.conf import settings

from claims import grading
from claims.models import DOMAIN_LABELS, INDEPENDENT_STATUSES, Assessment, AssessmentStatus

DOMAINS = grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS


class ReviewRound:
    def __init__(self, claim):
        self.claim = claim
        self.assessments = list(
            Assessment.objects.filter(
                claim=claim, status__in=INDEPENDENT_STATUSES, consensus__isnull=True
            )
            .select_related("author")
            .order_by("submitted_at", "pk")
        )
        self.required = settings.REQUIRED_ASSESSMENTS

    @property
    def submitted(self):
        return [a for a in self.assessments if a.status == AssessmentStatus.SUBMITTED]

    @property
    def is_ready(self):
        """Enough independent assessments are in for a consensus."""
        return len(self.submitted) >= self.required

    def mine(self, user):
        return next((a for a in self.assessments if a.author_id == user.pk), None)

    def may_see_others(self, user):
        """An assessor sees the others' work once they have submitted their own; a grader who
        did not assess sees it once enough are in. Nobody ever sees another's draft."""
        mine = self.mine(user)
        if mine is not None:
            return mine.status == AssessmentStatus.SUBMITTED
        return self.is_ready

    def visible_to(self, user):
        """The assessments of the round this user may read."""
        if self.may_see_others(user):
            return self.submitted
        mine = self.mine(user)
        return [mine] if mine else []

    def agreed(self):
        """Where the consensus starts: every field (verdict, body, each domain) on which all the
        submitted assessments agree, with their reasons; a field they disagree on is left out,
        so the grader settles it (never the rules' suggestion in its place)."""
        assessments = self.submitted
        agreed = {}
        for name in ("verdict", "body", *DOMAINS):
            values = {getattr(a, name) for a in assessments}
            if len(values) != 1:
                continue
            agreed[name] = values.pop()
            if name in DOMAINS:
                reasons = dict.fromkeys(getattr(a, f"{name}_reason").strip() for a in assessments)
                agreed[f"{name}_reason"] = "\n\n".join(r for r in reasons if r)
        return agreed

    def disagreements(self):
        """{domain: [(assessor, rating, reason)]} for each domain the assessors rate apart."""
        assessments = self.submitted
        return {
            domain: [
                (a.author_name, getattr(a, domain), getattr(a, f"{domain}_reason"))
                for a in assessments
            ]
            for domain in DOMAINS
            if len({getattr(a, domain) for a in assessments}) > 1
        }

    def comparison(self):
        """Per row (verdict, body, certainty, each domain): the label, each submitted
        assessment's (value, reason), and whether the assessors disagree."""
        assessments = self.submitted
        rows = [
            ("Verdict", "verdict", [(a.get_verdict_display(), "") for a in assessments]),
            ("Body of evidence", "body", [(a.get_body_display(), "") for a in assessments]),
            (
                "Certainty",
                "certainty",
                [(a.get_certainty_display() or "—", "") for a in assessments],
            ),
        ]
        for domain in DOMAINS:
            rows.append(
                (
                    DOMAIN_LABELS[domain],
                    domain,
                    [(getattr(a, domain), getattr(a, f"{domain}_reason")) for a in assessments],
                )
            )
        return [
            (label, name, values, len({value for value, _ in values}) > 1)
            for label, name, values in rows
        ]
