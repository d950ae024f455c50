"""/api/claims/: published claims with the grade readers see, its reasons, their findings
counted per direction and paged out at /api/findings/ (a claim shows its strongest few), the
statements that assert them; the pages' filters and orders; pagination; fixed queries."""

import pytest

from claims.models import FINDINGS_SHOWN, AssessmentStatus, Status
from tests.api.conftest import all_results
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    UserFactory,
    statement_for,
)

DIRECTIONS = ["supports", "contradicts", "no-effect", "mixed", "context"]

PROLACTIN = "kratom-lowers-prolactin-levels"


def slugs(response):
    return [claim["slug"] for claim in response.json()["results"]]


def test_contradicted_claims_include_the_prolactin_claim_with_its_reasons(api, seed):
    response = api.get("/api/claims/", {"verdict": "contradicted"})
    assert response.status_code == 200
    claims = {claim["slug"]: claim for claim in response.json()["results"]}
    assert PROLACTIN in claims
    assert all(claim["grade"]["verdict"] == "contradicted" for claim in claims.values())
    grade = claims[PROLACTIN]["grade"]
    assert (grade["certainty"], grade["provisional"]) == ("very-low", True)
    assert grade["plain_language"].startswith("It is very uncertain whether kratom lowers")
    domains = {domain["domain"]: domain for domain in grade["domains"]}
    assert list(domains) == [
        "risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias",
        "large_effect", "dose_response", "confounding",
    ]  # fmt: skip
    assert all(domain["reason"] for domain in domains.values())
    assert domains["imprecision"]["label"] == "Imprecision"


def test_a_claim_shows_its_strongest_findings_and_the_statements_that_assert_it(api, seed):
    claim = api.get(f"/api/claims/{PROLACTIN}/").json()
    counts = claim["finding_counts"]
    assert list(counts) == DIRECTIONS
    assert claim["finding_count"] == sum(counts.values()) > 0
    groups = claim["strongest_findings"]
    assert {g["direction"]: g["count"] for g in groups} == {d: n for d, n in counts.items() if n}
    for group in groups:
        assert {f["direction"] for f in group["strongest"]} == {group["direction"]}
        assert len(group["strongest"]) == min(group["count"], FINDINGS_SHOWN)
    assert claim["statement_count"] == len(claim["statements"]) > 0
    statement = claim["statements"][0]
    assert statement["article"]["slug"] == "kratom-prolactin-inflammation"
    assert claim["page_url"] == f"http://testserver/claims/{PROLACTIN}/"


def test_a_claims_findings_are_a_link_away_a_page_at_a_time(api, seed, settings):
    settings.PAGE_SIZE = 2
    claim = api.get(f"/api/claims/{PROLACTIN}/").json()
    assert claim["findings_url"] == (
        f"http://testserver/api/findings/?claim={PROLACTIN}&status=approved"
    )
    findings = all_results(api, claim["findings_url"])
    assert len(findings) == claim["finding_count"]
    assert {f["claim"]["slug"] for f in findings} == {PROLACTIN}
    for group in claim["strongest_findings"]:
        of_direction = all_results(api, group["findings_url"])
        assert len(of_direction) == group["count"]
        assert {f["id"] for f in group["strongest"]} <= {f["id"] for f in of_direction}


def test_the_list_counts_each_claims_findings_per_direction_and_embeds_none(api, db):
    claim = ClaimFactory(slug="c")
    for direction, n in (("supports", 3), ("contradicts", 1), ("context", 2)):
        FindingFactory.create_batch(n, claim=claim, direction=direction)
    FindingFactory(claim=claim, direction="mixed", status="submitted")
    (listed,) = api.get("/api/claims/").json()["results"]
    assert listed["finding_counts"] == {
        "supports": 3, "contradicts": 1, "no-effect": 0, "mixed": 0, "context": 2,
    }  # fmt: skip
    assert listed["finding_count"] == 6
    assert "findings" not in listed
    assert "strongest_findings" not in listed
    assert "statements" not in listed
    assert listed["findings_url"] == "http://testserver/api/findings/?claim=c&status=approved"


def test_a_claim_shows_the_strongest_of_each_direction_as_its_page_does(api, client, db):
    claim = ClaimFactory(slug="c")
    for i in range(4):
        FindingFactory(claim=claim, study__design="cross_sectional", study__participants=9000 + i)
    FindingFactory(claim=claim, study__design="animal", study__population="animal")
    FindingFactory(claim=claim, study__design="rct", study__participants=40, note="The trial.")
    FindingFactory(claim=claim, study__design="rct", study__participants=400, note="Big trial.")
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate", body="experimental")
    (group,) = api.get("/api/claims/c/").json()["strongest_findings"]
    assert (group["direction"], group["label"], group["count"]) == ("supports", "Supports", 7)
    strongest = group["strongest"]
    assert [f["note"] for f in strongest[:2]] == ["Big trial.", "The trial."]
    assert [f["study"]["participants"] for f in strongest[2:]] == [9003, 9002, 9001]
    assert (strongest[0]["sets_grade"], strongest[0]["body"]) == (True, "experimental")
    assert (strongest[2]["sets_grade"], strongest[2]["body"]) == (False, "observational")
    assert strongest[2]["set_aside_because"] is None
    assert strongest[0]["api_url"].startswith("http://testserver/api/findings/")
    page = client.get("/claims/c/").content.decode().split('data-direction="supports"')[1]
    shown = [page.index(f'href="/studies/{f["study"]["id"]}/">') for f in strongest]
    assert shown == sorted(shown)  # the same findings, in the same order, as the page


def test_a_published_grade_replaces_the_provisional_one_and_names_who_published_it(api, db):
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate")
    grader = UserFactory(username="synthetic-grader")
    AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.PUBLISHED,
        author=grader,
        verdict="mixed",
        certainty="low",
        summary="Synthetic published consensus.",
    )
    grade = api.get("/api/claims/c/").json()["grade"]
    assert (grade["verdict"], grade["certainty"], grade["provisional"]) == ("mixed", "low", False)
    assert (grade["graded_by"], grade["summary"]) == (
        "synthetic-grader",
        "Synthetic published consensus.",
    )


def test_an_unassessed_claim_has_no_grade(api, db):
    ClaimFactory(slug="c")
    assert api.get("/api/claims/c/").json()["grade"] is None


def test_insufficient_evidence_has_no_certainty(api, db):
    AssessmentFactory(claim__slug="c", verdict="insufficient", certainty="", body="none")
    grade = api.get("/api/claims/c/").json()["grade"]
    assert (grade["verdict"], grade["certainty"]) == ("insufficient", None)
    assert grade["plain_language"].startswith("There is not enough evidence")


def test_readers_never_see_a_draft_claim_a_draft_finding_or_an_independent_assessment(api, db):
    ClaimFactory(slug="draft", status=Status.DRAFT)
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate")
    for status in ("draft", "submitted"):
        AssessmentFactory(
            claim=claim,
            status=status,
            author=UserFactory(),
            verdict="contradicted",
            certainty="high",
            summary=f"Synthetic {status} independent assessment.",
        )
    FindingFactory(claim=claim, note="Synthetic approved finding.")
    FindingFactory(claim=claim, status="submitted", note="Synthetic submitted finding.")
    FindingFactory(claim=claim, status="draft", note="Synthetic draft finding.")
    listing = api.get("/api/claims/")
    assert slugs(listing) == ["c"]
    assert api.get("/api/claims/draft/").status_code == 404
    detail = api.get("/api/claims/c/")
    content = detail.content.decode()
    assert "independent assessment" not in content
    assert detail.json()["grade"]["verdict"] == "supported"
    (group,) = detail.json()["strongest_findings"]
    assert [f["note"] for f in group["strongest"]] == ["Synthetic approved finding."]
    assert group["count"] == detail.json()["finding_count"] == 1


def test_it_filters_and_sorts_as_the_claims_page_does(api, seed):
    def listed(**params):
        return [claim["text"] for claim in all_results(api, "/api/claims/", params)]

    assert listed(certainty="high") == [
        "Mitragynine and 7-hydroxymitragynine, kratom's main alkaloids, act on opioid receptors."
    ]
    assert len(listed(q="prolactin")) == 3
    assert len(listed(article="kratom-prolactin-inflammation")) == 8
    assert len(listed(kind="mechanism")) == 3
    by_verdict = all_results(api, "/api/claims/", {"sort": "verdict"})
    assert by_verdict[0]["grade"]["verdict"] == "contradicted"
    assert by_verdict[-1]["grade"]["verdict"] == "supported"


def test_a_filter_it_does_not_understand_is_a_400_that_says_what_is_wrong(api, seed):
    response = api.get("/api/claims/", {"verdict": "bogus", "article": "no-such-article"})
    assert response.status_code == 400
    assert set(response.json()) == {"verdict", "article"}
    empty = api.get("/api/claims/?verdict=")
    assert empty.status_code == 400
    assert empty.json() == {"verdict": ["Empty: leave the filter out to not filter by it."]}


def test_it_pages_with_a_stable_order_even_on_ties(api, db, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        AssessmentFactory(claim__text=f"Synthetic claim {n}.", certainty="low")
    seen = []
    for page in (1, 2, 3):
        response = api.get("/api/claims/", {"sort": "certainty", "page": page})
        seen += slugs(response)
    assert len(seen) == len(set(seen)) == 5
    assert api.get("/api/claims/", {"page": 4}).status_code == 404
    assert len(slugs(api.get("/api/claims/", {"page_size": 5}))) == 5
    assert api.get("/api/claims/", {"page_size": 101}).status_code == 400


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_four_queries_whatever_the_number_of_claims(
    api, db, rows, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 50
    article = ArticleFactory()
    claims = ClaimFactory.create_batch(rows)
    for claim in claims:
        AssessmentFactory(claim=claim)
        FindingFactory.create_batch(2, claim=claim)
    statement_for(article, "First sentence asserts something.", claims_=claims)
    # count, claims, their assessments, their findings counted per direction
    with django_assert_num_queries(4):
        response = api.get("/api/claims/")
    assert len(slugs(response)) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_a_claim_runs_six_queries_whatever_the_number_of_its_findings(
    api, db, rows, django_assert_num_queries
):
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim)
    for direction in DIRECTIONS:
        FindingFactory.create_batch(rows, claim=claim, direction=direction)
    statement_for(ArticleFactory(), "First sentence asserts something.", claims_=[claim])
    # claim, its assessments, its statements, its findings counted per direction, every
    # finding's light row, the strongest shown
    with django_assert_num_queries(6):
        response = api.get("/api/claims/c/")
    groups = response.json()["strongest_findings"]
    assert [len(g["strongest"]) for g in groups] == [min(rows, FINDINGS_SHOWN)] * 5
