"""Forms of the grading pages: a grader's assessment of a claim, an appraisal of a study."""

from django import forms

from claims import grading
from claims.grading import Body, Verdict
from claims.models import DOMAIN_LABELS, Assessment
from config.versions import SeenVersionField

DOMAINS = grading.DOWNGRADE_DOMAINS + grading.UPGRADE_DOMAINS
GRADED_FIELDS = ["verdict", "body", "summary"] + [
    name for domain in DOMAINS for name in (domain, f"{domain}_reason")
]


class AssessmentForm(forms.ModelForm):
    """A grader's GRADE judgement, checked against the rules' suggestion: every domain that is
    not 0, and every domain that departs from the suggestion, needs the grader's own reason."""

    # The assess page: the version of the grader's own draft it was opened at (0: none yet);
    # the consensus page: the published grade it would supersede (0: none). Both optional.
    seen_version = SeenVersionField()
    supersedes = SeenVersionField()

    class Meta:
        model = Assessment
        fields = GRADED_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            **{f"{d}_reason": forms.Textarea(attrs={"rows": 2}) for d in DOMAINS},
        }

    def __init__(self, *args, suggestion=None, **kwargs):
        self.suggestion = suggestion
        super().__init__(*args, **kwargs)
        self.fields["summary"].label = "Your reasons"

    @staticmethod
    def data_accepting(suggestion, summary):
        """The form's data, as a browser sends it, for an assessment that accepts the rules'
        suggestion with `summary` as the grader's reasons."""
        data = {"verdict": suggestion.verdict, "body": suggestion.body, "summary": summary}
        for domain in DOMAINS:
            data[domain] = str(getattr(suggestion, domain))
            data[f"{domain}_reason"] = getattr(suggestion, f"{domain}_reason")
        return data

    def rows(self):
        """(label, rating field, reason field, suggested rating, suggested reason) per domain."""
        rows = []
        for domain in DOMAINS:
            suggested = getattr(self.suggestion, domain, None)
            reason = getattr(self.suggestion, f"{domain}_reason", "")
            rows.append(
                (DOMAIN_LABELS[domain], self[domain], self[f"{domain}_reason"], suggested, reason)
            )
        return rows

    def clean(self):
        cleaned = super().clean()
        verdict, body = cleaned.get("verdict"), cleaned.get("body")
        if verdict == Verdict.INSUFFICIENT and body and body != Body.NONE:
            self.add_error("body", "Insufficient evidence rests on no body of evidence.")
        if verdict and verdict != Verdict.INSUFFICIENT and body == Body.NONE:
            self.add_error("body", "Say which body of evidence the grade rests on.")
        if body not in grading.UPGRADABLE_BODIES:
            for domain in grading.UPGRADE_DOMAINS:
                if cleaned.get(domain):
                    self.add_error(domain, "Upgrades are for observational evidence only.")
        for domain in DOMAINS:
            rating = cleaned.get(domain)
            reason = (cleaned.get(f"{domain}_reason") or "").strip()
            if rating is None:
                continue
            if rating and not reason:
                self.add_error(
                    f"{domain}_reason", "Say why: every level up or down needs a reason."
                )
            if self.suggestion is not None and rating != getattr(self.suggestion, domain):
                if not reason or reason == getattr(self.suggestion, f"{domain}_reason"):
                    self.add_error(
                        f"{domain}_reason",
                        "You depart from the rules' suggestion here: say why in your own words.",
                    )
        return cleaned

    def certainty(self):
        """The certainty the form's judgements give, or '' for insufficient evidence."""
        data = self.cleaned_data
        if data.get("verdict") == Verdict.INSUFFICIENT:
            return ""
        return grading.certainty_from(data["body"], [data[d] for d in DOMAINS])


class ConsensusForm(AssessmentForm):
    """The consensus of a round (claims.review.ReviewRound): a domain the assessors rated apart
    has no rating until the grader picks one (copied from an assessor or chosen), and whatever
    is picked needs a reason in the grader's own words, not a copy of one side's."""

    def __init__(self, *args, disagreements=None, **kwargs):
        self.disagreements = disagreements or {}
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        for domain, sides in self.disagreements.items():
            field = self.fields[domain]
            labels = dict(field.choices)
            ratings = " and ".join(f"{labels[rating]} ({who})" for who, rating, _ in sides)
            field.choices = [("", "— pick one —"), *field.choices]
            field.help_text = f"The assessors disagree: {ratings}."
            if domain not in given:  # not the model's default 0: nothing until picked
                self.initial[domain] = ""

    def clean(self):
        cleaned = super().clean()
        for domain, sides in self.disagreements.items():
            reason = (cleaned.get(f"{domain}_reason") or "").strip()
            theirs = {side_reason.strip() for _, _, side_reason in sides}
            if cleaned.get(domain) is not None and (not reason or reason in theirs):
                self.add_error(
                    f"{domain}_reason",
                    "The assessors disagree here: say in your own words why the consensus "
                    "settles on this rating (a reason copied from one side does not say why).",
                )
        return cleaned


class AppraisalForm(forms.Form):
    """One row a domain of the tool: a judgement and what supports it; then the overall
    judgement, derived from the worst domain unless overridden with a justification."""

    seen_version = SeenVersionField()  # of the grader's appraisal (0: none yet)
    overall_override = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="The worst domain (derived)",
        label="Overall judgement",
    )
    override_justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why the overall judgement departs from the worst domain",
    )

    def __init__(self, *args, tool, appraisal=None, **kwargs):
        initial = {}
        if appraisal is not None and appraisal.tool_id == tool.pk:
            for row in appraisal.domain_judgements.all():
                initial[f"judgement_{row.domain_id}"] = row.judgement_id
                initial[f"support_{row.domain_id}"] = row.support
            initial["overall_override"] = appraisal.overall_override_id
            initial["override_justification"] = appraisal.override_justification
        initial["seen_version"] = appraisal.version if appraisal is not None else 0
        super().__init__(*args, initial=initial, **kwargs)
        self.tool = tool
        judgements = tool.judgements.all()
        self.fields["overall_override"].queryset = judgements
        for domain in tool.domains.all():
            self.fields[f"judgement_{domain.pk}"] = forms.ModelChoiceField(
                queryset=judgements,
                widget=forms.RadioSelect,
                empty_label=None,
                label=f"{domain.order}. {domain.name}",
            )
            self.fields[f"support_{domain.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Support for the judgement of {domain.order}. {domain.name}",
            )

    def rows(self):
        return [
            (domain, self[f"judgement_{domain.pk}"], self[f"support_{domain.pk}"])
            for domain in self.tool.domains.all()
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("overall_override")
            and not cleaned.get("override_justification", "").strip()
        ):
            self.add_error(
                "override_justification", "Overriding the overall judgement needs a justification."
            )
        return cleaned

    def judgements(self):
        """The keyword arguments of services.appraisal_save."""
        data = self.cleaned_data
        return {
            "judgements": {
                domain.pk: (data[f"judgement_{domain.pk}"], data[f"support_{domain.pk}"])
                for domain in self.tool.domains.all()
            },
            "overall_override": data["overall_override"],
            "override_justification": data["override_justification"].strip(),
            "seen": data.get("seen_version"),
        }
