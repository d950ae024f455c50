import re

import pytest

from claims.models import Status
from tests.factories import AssessmentFactory, ClaimFactory, FindingFactory, UserFactory, appraise


def notes(html):
    return re.findall(r"<p>(Synthetic finding \d+\.)</p>", html)


def make_claim(findings, direction="supports"):
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim)
    for i in range(findings):
        FindingFactory(claim=claim, direction=direction, note=f"Synthetic finding {i}.")
    return claim


def test_it_lists_every_finding_of_a_direction_across_pages(client, db, settings):
    settings.PAGE_SIZE = 5
    make_claim(12)
    FindingFactory(claim__slug="other", note="Synthetic finding 99.")
    seen = []
    for page in (1, 2, 3):
        html = client.get(f"/claims/c/findings/?direction=supports&page={page}").content.decode()
        seen += notes(html)
    assert sorted(seen) == sorted(f"Synthetic finding {i}." for i in range(12))
    assert "Page 3 of 3" in html
    assert 'href="/claims/c/findings/?direction=supports&amp;page=2"' in html


def test_it_lists_only_the_direction_asked_for_and_every_direction_without_one(client, db):
    claim = make_claim(2)
    FindingFactory(claim=claim, direction="contradicts", note="Synthetic finding 7.")
    html = client.get("/claims/c/findings/?direction=contradicts").content.decode()
    assert notes(html) == ["Synthetic finding 7."]
    assert "Contradicts: the findings on" in html
    html = client.get("/claims/c/findings/").content.decode()
    assert len(notes(html)) == 3


def test_readers_never_see_findings_not_yet_approved_nor_a_draft_claims(client, reader, db):
    claim = make_claim(1)
    for status in ("draft", "submitted", "rejected"):
        FindingFactory(claim=claim, note=f"Synthetic {status} finding.", status=status)
    ClaimFactory(slug="draft-claim", status=Status.DRAFT)
    for user in (None, reader):
        if user:
            client.force_login(user)
        html = client.get("/claims/c/findings/?direction=supports").content.decode()
        assert notes(html) == ["Synthetic finding 0."]
        assert "Synthetic draft finding." not in html
        assert "Synthetic submitted finding." not in html
        assert "Synthetic rejected finding." not in html
        assert client.get("/claims/draft-claim/findings/").status_code == 404


def test_htmx_gets_the_page_of_findings_alone_with_links_that_load_in_place(client, db, settings):
    settings.PAGE_SIZE = 5
    make_claim(7)
    response = client.get("/claims/c/findings/?direction=supports", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert not html.lstrip().startswith("<!doctype")
    assert html.lstrip().startswith('<div class="findings-page"')
    assert len(notes(html)) == 5
    url = "/claims/c/findings/?direction=supports&amp;page=2"
    assert f'href="{url}" hx-get="{url}" hx-target="#findings-supports"' in html


def test_without_javascript_it_is_a_page_of_its_own_leading_back_to_the_claim(client, db):
    make_claim(1)
    response = client.get("/claims/c/findings/?direction=supports")
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype")
    assert "HX-Request" in response["Vary"]  # one address, a fragment or a page
    assert '<p class="kicker"><a href="/claims/c/">' in html


def test_each_finding_says_whether_it_sets_the_grade(client, db):
    claim = ClaimFactory(slug="c")
    FindingFactory(claim=claim, study__design="rct", note="Synthetic finding 1.")
    FindingFactory(claim=claim, study__design="cohort", note="Synthetic finding 2.")
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate", body="experimental")
    html = client.get("/claims/c/findings/?direction=supports").content.decode()
    trial = html.split("Synthetic finding 1.")[1].split("</li>")[0]
    assert "Sets the grade (experimental evidence)." in trial
    cohort = html.split("Synthetic finding 2.")[1].split("</li>")[0]
    assert "In the observational evidence, which does not set this grade." in cohort


def test_an_unknown_claim_is_a_404(client, db):
    assert client.get("/claims/no-such-claim/findings/").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_findings(
    client, db, rows, django_assert_num_queries
):
    claim = make_claim(rows)
    grader = UserFactory()
    for finding in claim.findings.all():
        appraise(finding.study, grader)
    # claim, the current assessment, every approved finding (light rows, each with its study's
    # risk of bias computed by the database), the page's findings
    with django_assert_num_queries(4):
        response = client.get("/claims/c/findings/?direction=supports")
    assert len(notes(response.content.decode())) == min(rows, 25)


def test_a_study_at_high_risk_of_bias_ranks_after_one_that_is_not(client, db):
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim, verdict="supported", certainty="low", body="experimental")
    grader = UserFactory()
    for note, worst in (("Synthetic finding 1.", "high"), ("Synthetic finding 2.", None)):
        finding = FindingFactory(
            claim=claim, note=note, study__design="rct", study__participants=100
        )
        appraise(finding.study, grader, worst=worst)
    html = client.get("/claims/c/findings/?direction=supports").content.decode()
    assert notes(html) == ["Synthetic finding 2.", "Synthetic finding 1."]
