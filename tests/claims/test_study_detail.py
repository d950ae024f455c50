import pytest

from claims.models import Status
from evidence.models import Study
from tests.factories import ClaimFactory, FindingFactory, StudyFactory, UserFactory, appraise


def test_it_links_the_identifiers_to_doi_org_and_pubmed(client, seed):
    study = Study.objects.get(doi="10.1210/clinem/dgz022")
    html = client.get(f"/studies/{study.pk}/").content.decode()
    assert 'href="https://doi.org/10.1210/clinem/dgz022"' in html
    assert f'href="https://pubmed.ncbi.nlm.nih.gov/{study.pmid}/"' in html
    assert "Kratom lowers prolactin levels." in html


def test_it_hides_unapproved_findings_and_draft_claims_from_readers(client, reader):
    study = StudyFactory()
    FindingFactory(study=study, note="Synthetic approved finding.")
    FindingFactory(study=study, note="Synthetic submitted finding.", status="submitted")
    FindingFactory(
        study=study,
        note="Synthetic finding on a draft claim.",
        claim=ClaimFactory(status=Status.DRAFT),
    )
    for user in (None, reader):
        if user:
            client.force_login(user)
        html = client.get(f"/studies/{study.pk}/").content.decode()
        assert "Synthetic approved finding." in html
        assert "Synthetic submitted finding." not in html
        assert "Synthetic finding on a draft claim." not in html


def test_it_shows_a_retraction(client, db):
    study = StudyFactory(retracted=True, retraction_notice_url="https://example.org/notice")
    assert "This study has been retracted" in client.get(f"/studies/{study.pk}/").content.decode()


def test_an_unknown_study_is_a_404(client, db):
    assert client.get("/studies/999999/").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_findings_and_appraisals(
    client, db, rows, django_assert_num_queries
):
    study = StudyFactory()
    FindingFactory.create_batch(rows, study=study)
    for _ in range(rows):
        appraise(study, UserFactory())
    # study, appraisals, their domain judgements, the tool's domains and judgements, findings
    with django_assert_num_queries(6):
        response = client.get(f"/studies/{study.pk}/")
    html = response.content.decode()
    assert html.count("A synthetic finding written for a test.") == rows
    assert html.count("<circle") == rows * 8


def test_it_shows_the_risk_of_bias_traffic_light_with_letters_not_only_colours(client, grader):
    study = StudyFactory(design="rct")
    appraise(study, grader, judgement="low", worst="high")
    html = client.get(f"/studies/{study.pk}/").content.decode()
    assert "Risk of bias by RoB 2: 1 appraisal, domain by domain" in html
    assert "D5 Bias in selection of the reported result" in html
    assert html.count(">L</text>") == 4
    assert html.count(">H</text>") == 2  # domain 5 and the overall, the worst domain


def test_it_says_when_nobody_has_appraised_the_study(client, db):
    study = StudyFactory()
    assert "No grader has appraised" in client.get(f"/studies/{study.pk}/").content.decode()
