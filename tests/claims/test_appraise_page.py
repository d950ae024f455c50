import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from evidence.models import Appraisal, AppraisalTool, ToolDomain, ToolJudgement
from tests.claims.forms_data import appraisal_form as form_data
from tests.factories import StudyFactory


@pytest.mark.parametrize(
    "design,tool_name,domains",
    [
        (
            "rct",
            "RoB 2",
            [
                "Bias arising from the randomisation process",
                "Bias due to deviations from intended interventions",
                "Bias due to missing outcome data",
                "Bias in measurement of the outcome",
                "Bias in selection of the reported result",
            ],
        ),
        (
            "cohort",
            "ROBINS-I",
            [
                "Bias due to confounding",
                "Bias in selection of participants into the study",
                "Bias in classification of interventions",
                "Bias due to deviations from intended interventions",
                "Bias due to missing data",
                "Bias in measurement of outcomes",
                "Bias in selection of the reported result",
            ],
        ),
        ("animal", "Laboratory studies (short generic tool)", None),
    ],
)
def test_the_tool_is_chosen_from_the_studys_design_with_its_real_domains(
    client, grader, design, tool_name, domains
):
    study = StudyFactory(design=design)
    client.force_login(grader)
    response = client.get(reverse("grading:appraise", args=[study.pk]))
    assert response.context["tool"].name == tool_name
    shown = [domain.name for domain, _, _ in response.context["form"].rows()]
    if domains:
        assert shown == domains


def test_robins_i_offers_its_five_judgements(db):
    tool = AppraisalTool.objects.get(slug="robins-i")
    assert [j.label for j in tool.judgements.all()] == [
        "Low",
        "Moderate",
        "No information",
        "Serious",
        "Critical",
    ]


def test_the_overall_judgement_is_the_worst_domain(client, grader):
    study = StudyFactory(design="rct")
    tool = AppraisalTool.objects.get(slug="rob-2")
    data = form_data(tool, "low")
    last = tool.domains.last()
    data[f"judgement_{last.pk}"] = tool.judgements.get(value="some-concerns").pk
    client.force_login(grader)
    client.post(reverse("grading:appraise", args=[study.pk]), data)
    appraisal = Appraisal.objects.complete_details().get()
    assert appraisal.overall.label == "Some concerns"
    assert appraisal.appraiser == grader


def test_overriding_the_overall_judgement_needs_a_justification(client, grader):
    study = StudyFactory(design="rct")
    tool = AppraisalTool.objects.get(slug="rob-2")
    high = tool.judgements.get(value="high")
    client.force_login(grader)
    url = reverse("grading:appraise", args=[study.pk])
    response = client.post(url, form_data(tool, "low", overall_override=high.pk))
    assertContains(response, "Overriding the overall judgement needs a justification.")
    assert not Appraisal.objects.exists()
    client.post(
        url,
        form_data(
            tool,
            "low",
            overall_override=high.pk,
            override_justification="Synthetic: sponsor wrote the report.",
        ),
    )
    assert Appraisal.objects.complete_details().get().overall == high


def test_every_domain_needs_a_judgement_and_its_support(client, grader):
    study = StudyFactory(design="rct")
    tool = AppraisalTool.objects.get(slug="rob-2")
    client.force_login(grader)
    response = client.post(
        reverse("grading:appraise", args=[study.pk]), form_data(tool, "low", support="")
    )
    assert response.status_code == 200
    assert len(response.context["form"].errors) == 5
    assert not Appraisal.objects.exists()


def test_appraising_again_updates_the_graders_appraisal(client, grader):
    study = StudyFactory(design="rct")
    tool = AppraisalTool.objects.get(slug="rob-2")
    client.force_login(grader)
    url = reverse("grading:appraise", args=[study.pk])
    client.post(url, form_data(tool, "low"))
    client.post(url, form_data(tool, "high"))
    assert Appraisal.objects.complete_details().get().overall.label == "High"


def test_a_new_tool_is_a_new_record(client, grader):
    tool = AppraisalTool.objects.create(
        slug="synthetic", name="Synthetic review tool", designs=["systematic_review"]
    )
    ToolDomain.objects.create(tool=tool, order=1, name="Synthetic domain")
    ToolJudgement.objects.create(tool=tool, value="ok", label="Fine", severity=0)
    study = StudyFactory(design="systematic_review")
    client.force_login(grader)
    response = client.get(reverse("grading:appraise", args=[study.pk]))
    assert response.context["tool"] == tool
    assertContains(response, "Synthetic domain")


def test_a_design_without_a_tool_says_what_to_do(client, grader):
    study = StudyFactory(design="narrative_review")
    client.force_login(grader)
    assertContains(
        client.get(reverse("grading:appraise", args=[study.pk])),
        "No appraisal tool covers the design “Narrative review” yet",
    )


def test_a_researcher_cannot_appraise_a_study(client, researcher):
    study = StudyFactory(design="rct")
    client.force_login(researcher)
    tool = AppraisalTool.objects.get(slug="rob-2")
    url = reverse("grading:appraise", args=[study.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(tool, "low")).status_code == 403
    assert not Appraisal.objects.exists()
