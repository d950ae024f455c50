"""The risk-of-bias tools the product ships with, as records: RoB 2 for randomised trials,
ROBINS-I for non-randomised human studies and a short generic tool for animal and in-vitro work.
The data is frozen here; a new tool, or a change to one, is a new record or a new migration."""

from django.db import migrations

TOOLS = [
    {
        "slug": "rob-2",
        "name": "RoB 2",
        "description": "Cochrane risk-of-bias tool for randomised trials (Sterne et al., BMJ 2019).",
        "designs": ["rct"],
        "domains": [
            "Bias arising from the randomisation process",
            "Bias due to deviations from intended interventions",
            "Bias due to missing outcome data",
            "Bias in measurement of the outcome",
            "Bias in selection of the reported result",
        ],
        "judgements": [
            ("low", "Low", False),
            ("some-concerns", "Some concerns", False),
            ("high", "High", True),
        ],
    },
    {
        "slug": "robins-i",
        "name": "ROBINS-I",
        "description": (
            "Risk Of Bias In Non-randomised Studies of Interventions (Sterne et al., BMJ 2016). "
            "'No information' ranks between moderate and serious: it is worse than a known "
            "moderate risk but is not counted as high risk by the grading rules."
        ),
        "designs": ["cohort", "case_control", "cross_sectional", "case_series", "case_report"],
        "domains": [
            "Bias due to confounding",
            "Bias in selection of participants into the study",
            "Bias in classification of interventions",
            "Bias due to deviations from intended interventions",
            "Bias due to missing data",
            "Bias in measurement of outcomes",
            "Bias in selection of the reported result",
        ],
        "judgements": [
            ("low", "Low", False),
            ("moderate", "Moderate", False),
            ("no-information", "No information", False),
            ("serious", "Serious", True),
            ("critical", "Critical", True),
        ],
    },
    {
        "slug": "laboratory",
        "name": "Laboratory studies (short generic tool)",
        "description": (
            "A short scale for animal and in-vitro experiments, over the main areas of "
            "SYRCLE's risk-of-bias tool for animal studies."
        ),
        "designs": ["animal", "in_vitro"],
        "domains": [
            "Selection: allocation to groups and baseline similarity",
            "Performance and detection: blinding of those handling and measuring",
            "Attrition: incomplete outcome data",
            "Reporting: selective outcome reporting",
        ],
        "judgements": [
            ("low", "Low", False),
            ("unclear", "Unclear", False),
            ("high", "High", True),
        ],
    },
]


def create_tools(apps, schema_editor):
    AppraisalTool = apps.get_model("evidence", "AppraisalTool")
    ToolDomain = apps.get_model("evidence", "ToolDomain")
    ToolJudgement = apps.get_model("evidence", "ToolJudgement")
    Appraisal = apps.get_model("evidence", "Appraisal")
    # An appraisal of the first form (one overall judgement, no tool) cannot be mapped onto a
    # tool's domains. None exists outside development databases: the product was not released.
    Appraisal.objects.filter(tool__isnull=True).delete()
    for spec in TOOLS:
        tool = AppraisalTool.objects.create(
            slug=spec["slug"], name=spec["name"], description=spec["description"],
            designs=spec["designs"],
        )
        for order, name in enumerate(spec["domains"], start=1):
            ToolDomain.objects.create(tool=tool, order=order, name=name)
        for severity, (value, label, high_risk) in enumerate(spec["judgements"]):
            ToolJudgement.objects.create(
                tool=tool, value=value, label=label, severity=severity, high_risk=high_risk
            )


def remove_tools(apps, schema_editor):
    apps.get_model("evidence", "AppraisalTool").objects.filter(
        slug__in=[spec["slug"] for spec in TOOLS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evidence", "0002_appraisal_tools")]

    operations = [migrations.RunPython(create_tools, remove_tools)]
