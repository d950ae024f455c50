import re

import pytest

from claims.models import FINDINGS_SHOWN, AssessmentStatus, Status
from tests.factories import (
    ArticleFactory,
    AssessmentFactory,
    ClaimFactory,
    FindingFactory,
    UserFactory,
    appraise,
    statement_for,
)

PROLACTIN = "/claims/kratom-lowers-prolactin-levels/"


def grade_of(html):
    return re.search(
        r'class="grade" data-verdict="([a-z-]*)" data-certainty="([a-z-]*)"', html
    ).groups()


def test_kratom_lowers_prolactin_is_contradicted(client, seed):
    html = client.get(PROLACTIN).content.decode()
    assert grade_of(html) == ("contradicted", "very-low")


def test_it_names_de_vries_2020_and_vuong_2010_among_the_contradicting_evidence(client, seed):
    html = client.get(PROLACTIN).content.decode()
    contradicting = html.split('data-direction="contradicts"')[1].split("</section>")[0]
    assert "de Vries 2020" in contradicting
    assert "Vuong 2010" in contradicting


def test_the_endocannabinoid_claim_is_not_supported(client, seed):
    html = client.get("/claims/kratoms-alkaloids-act-through-the-endocannabinoid-system/")
    assert grade_of(html.content.decode())[0] != "supported"


def test_it_gives_the_reason_for_every_domain_and_the_plain_language_sentence(client, seed):
    html = client.get(PROLACTIN).content.decode()
    for domain in (
        "Risk of bias",
        "Inconsistency",
        "Indirectness",
        "Imprecision",
        "Publication bias",
        "Large effect",
        "Dose-response",
        "Plausible confounding",
    ):
        assert f'<th scope="row">{domain}</th>' in html
    assert "intervention: opioid drugs in general, not kratom" in html
    assert (
        "It is very uncertain whether kratom lowers prolactin levels; what evidence there is "
        "points the other way."
    ) in html


def test_it_says_a_grade_from_the_rules_is_provisional(client, seed):
    assert "Provisional — not yet reviewed" in client.get(PROLACTIN).content.decode()


def test_a_published_grade_replaces_the_provisional_one_for_readers(client, db):
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim, verdict="supported", certainty="low")
    AssessmentFactory(
        claim=claim,
        status=AssessmentStatus.PUBLISHED,
        author=UserFactory(first_name="Synthetic", last_name="Grader"),
        verdict="mixed",
        certainty="moderate",
    )
    html = client.get("/claims/c/").content.decode()
    assert grade_of(html) == ("mixed", "moderate")
    assert "Provisional" not in html
    assert "Graded by Synthetic Grader" in html


def test_it_says_which_findings_set_the_grade_and_why_the_others_do_not(client, seed):
    page = client.get("/claims/kratom-relieves-pain-in-humans/").content.decode()
    html = page.split("<h2>The evidence</h2>")[1]
    trial = html.split(">Vicknasingam 2020</a>")[1].split("</li>")[0]
    assert "Sets the grade (experimental evidence)." in trial
    survey = html.split(">Grundmann 2017</a>")[1].split("</li>")[0]
    assert "In the observational evidence, which does not set this grade." in survey
    rats = html.split(">Shaik Mossadeq 2009</a>")[1].split("</li>")[0]
    assert "Does not set the grade: laboratory evidence" in rats


def test_it_lists_the_statements_that_assert_the_claim(client, seed):
    html = client.get(PROLACTIN).content.decode()
    assert "Studies suggest that kratom can modulate prolactin secretion" in html


def test_it_hides_draft_claims_from_readers(client, reader):
    ClaimFactory(slug="draft-claim", status=Status.DRAFT)
    assert client.get("/claims/draft-claim/").status_code == 404
    client.force_login(reader)
    assert client.get("/claims/draft-claim/").status_code == 404


def test_it_hides_findings_not_yet_approved_and_statements_of_draft_articles(client, db):
    claim = ClaimFactory(slug="c")
    for status in ("draft", "submitted", "rejected"):
        FindingFactory(claim=claim, note=f"Synthetic {status} finding.", status=status)
    draft_article = ArticleFactory(status=Status.DRAFT)
    statement_for(draft_article, "First sentence asserts something.", claims_=[claim])
    html = client.get("/claims/c/").content.decode()
    assert "Synthetic draft finding." not in html
    assert "Synthetic submitted finding." not in html
    assert "Synthetic rejected finding." not in html
    assert "First sentence asserts something." not in html


def test_an_unknown_claim_is_a_404(client, db):
    assert client.get("/claims/no-such-claim/").status_code == 404


def make_claim_with_findings(rows, direction="supports"):
    """A published, graded claim with `rows` approved findings of one direction, each study
    appraised, and `rows` statements of an article asserting it."""
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim)
    grader = UserFactory()
    for finding in FindingFactory.create_batch(rows, claim=claim, direction=direction):
        appraise(finding.study, grader)
    AssessmentFactory(claim=claim, status=AssessmentStatus.PUBLISHED, author=grader)
    body = " ".join(f"Sentence {i}." for i in range(rows))
    article = ArticleFactory(body=body)
    for i in range(rows):
        statement_for(article, f"Sentence {i}.", claims_=[claim])
    return claim


@pytest.mark.parametrize("rows", [3, 30])
def test_it_runs_a_fixed_number_of_queries_whatever_the_number_of_findings(
    client, db, rows, django_assert_num_queries
):
    make_claim_with_findings(rows)
    # claim, every approved finding (light rows), their studies' appraisals, the appraisals'
    # domain judgements, tools' domains, tools' judgements, the findings shown, statements,
    # published grades, the current assessment
    with django_assert_num_queries(10):
        response = client.get("/claims/c/")
    html = response.content.decode()
    shown = min(rows, FINDINGS_SHOWN)
    assert html.count("A synthetic finding written for a test.") == shown
    assert html.count('r="14" fill=') == shown * 8  # traffic lights, ROBINS-I: 7 domains, overall
    assert html.count('<a href="/studies/') >= shown  # the evidence map links the studies


def findings_section(html, direction):
    return html.split(f'data-direction="{direction}"')[1].split("</section>")[0]


def test_with_many_findings_it_shows_the_strongest_few_of_each_direction_and_says_how_many_more(
    client, db
):
    claim = make_claim_with_findings(12)
    FindingFactory(claim=claim, direction="contradicts", note="Synthetic contradicting finding.")
    html = client.get("/claims/c/").content.decode()
    supporting = findings_section(html, "supports")
    assert "<h3>Supports (12)</h3>" in supporting
    assert supporting.count("A synthetic finding written for a test.") == FINDINGS_SHOWN
    assert f"The {FINDINGS_SHOWN} strongest of 12" in supporting
    assert (
        '<a href="/claims/c/findings/?direction=supports" '
        'hx-get="/claims/c/findings/?direction=supports" hx-target="#findings-supports">'
        "Show all 12 findings: supports</a>"
    ) in supporting
    contradicting = findings_section(html, "contradicts")
    assert "Synthetic contradicting finding." in contradicting
    assert "Show all" not in contradicting  # the one there is, shown


def test_the_strongest_findings_come_first_those_that_set_the_grade_then_by_level_and_size(
    client, db
):
    claim = ClaimFactory(slug="c")
    for i in range(4):
        FindingFactory(claim=claim, study__design="cross_sectional", study__participants=9000 + i)
    FindingFactory(claim=claim, study__design="animal", study__population="animal")
    FindingFactory(claim=claim, study__design="rct", study__participants=40, note="The trial.")
    FindingFactory(claim=claim, study__design="rct", study__participants=400, note="Big trial.")
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate", body="experimental")
    html = findings_section(client.get("/claims/c/").content.decode(), "supports")
    assert html.index("Big trial.") < html.index("The trial.") < html.index("9,003 participants")
    assert "9,000 participants" not in html  # the fifth survey is the sixth strongest
    assert "Animal" not in html  # set aside beside human evidence: last


def test_what_would_change_the_grade_counts_every_finding_not_only_those_shown(client, db):
    claim = ClaimFactory(slug="c")
    FindingFactory.create_batch(12, claim=claim, study__design="rct", study__participants=10)
    AssessmentFactory(
        claim=claim,
        verdict="supported",
        certainty="moderate",
        body="experimental",
        imprecision=-1,
    )
    html = client.get("/claims/c/").content.decode()
    section = html.split('class="what-would-change"')[1].split("</section>")[0]
    assert "An appraisal of risk of bias: 12 studies not yet appraised" in section
    assert "Larger studies: 120 participants so far" in section
    svg = html.split('<figure class="evidence-map">')[1].split("</figure>")[0]
    assert "12 studies by direction and level of evidence; 12 set the grade." in svg
    assert findings_section(html, "supports").count("<li>") == FINDINGS_SHOWN


def test_the_evidence_map_draws_a_crowded_cell_as_one_numbered_mark_linked_to_the_list(client, db):
    claim = ClaimFactory(slug="c")
    FindingFactory.create_batch(7, claim=claim, study__design="rct")
    FindingFactory(claim=claim, study__design="cohort", study__authors=["Cohort A"])
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate", body="experimental")
    html = client.get("/claims/c/").content.decode()
    svg = html.split('<figure class="evidence-map">')[1].split("</figure>")[0]
    assert (
        '<a href="/claims/c/findings/?direction=supports"><title>7 studies: randomised trials, '
        "supports; 7 set the grade</title>"
    ) in svg
    assert ">7</text>" in svg
    assert "Cohort 2020: Cohort study, humans" in svg  # alone in its cell: its own mark
    assert "8 studies by direction and level of evidence; 7 set the grade." in svg
    assert "A numbered mark stands for the studies of a cell holding more than 4." in svg


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.SUPERSEDED])
def test_readers_never_see_a_graders_draft_or_superseded_assessment(client, reader, status):
    claim = ClaimFactory(slug="c")
    AssessmentFactory(claim=claim, verdict="supported", certainty="low")
    AssessmentFactory(
        claim=claim,
        status=status,
        author=UserFactory(),
        verdict="contradicted",
        certainty="high",
        summary="Synthetic unpublished summary.",
    )
    article = ArticleFactory(slug="a")
    statement_for(article, "First sentence asserts something.", claims_=[claim])
    for user in (None, reader):
        if user:
            client.force_login(user)
        html = client.get("/claims/c/").content.decode()
        assert grade_of(html) == ("supported", "low")
        assert "Synthetic unpublished summary." not in html
        assert client.get("/claims/?verdict=contradicted").context["page"].paginator.count == 0
        assert 'data-support="supported"' in client.get("/articles/a/").content.decode()


def test_the_evidence_map_draws_each_study_by_direction_level_size_and_population(client, seed):
    html = client.get(PROLACTIN).content.decode()
    svg = html.split('<figure class="evidence-map">')[1].split("</figure>")[0]
    assert '<title id="emap-title">Evidence map' in svg
    assert "4 studies by direction and level of evidence; 1 set the grade." in svg
    assert (
        "de Vries 2020: Meta-analysis, humans, 18,428 participants, contradicts; sets the grade"
        in svg
    )
    assert (
        "Vuong 2010: Narrative review, mixed (humans and laboratory), size not stated, "
        "contradicts; does not set the grade" in svg
    )
    assert svg.count("<polygon") == 1  # Vuong 2010 reviews humans and animals: a diamond
    assert svg.count("<circle") == 3  # de Vries 2020, Karavitaki 2024, Singh 2018: humans


def test_it_says_what_would_change_the_grade(client, seed):
    html = client.get(PROLACTIN).content.decode()
    section = html.split('class="what-would-change"')[1].split("</section>")[0]
    assert "A randomised trial in people: there is none yet." in section
    assert "Studies of the claim&#x27;s own population, intervention and outcome" in section


def test_the_claim_page_carries_its_claimreview_as_json_ld(client, seed):
    import json

    html = client.get(PROLACTIN).content.decode()
    # The tag carries the CSP nonce (tests/test_deployment.py) after its id.
    script = html.split('<script type="application/ld+json" id="claim-review"')[1].split(">", 1)[1]
    review = json.loads(script.split("</script>")[0])
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Kratom lowers prolactin levels."
    assert review["reviewRating"]["ratingValue"] == 3
    assert (review["reviewRating"]["bestRating"], review["reviewRating"]["worstRating"]) == (5, 1)
    assert review["reviewRating"]["alternateName"].startswith("It is very uncertain whether")
    assert review["itemReviewed"]["appearance"][0]["headline"] == (
        "Kratom, prolactin and inflammation"
    )
    assert review["url"] == "http://testserver/claims/kratom-lowers-prolactin-levels/"


def test_the_evidence_map_fills_only_the_studies_of_the_body_the_grade_rests_on(client, seed):
    html = client.get("/claims/kratom-relieves-pain-in-humans/").content.decode()
    svg = html.split('<figure class="evidence-map">')[1].split("</figure>")[0]
    assert "studies by direction and level of evidence; 1 set the grade." in svg
    assert (
        "Vicknasingam 2020: Randomised controlled trial, humans, 26 participants, supports; "
        "sets the grade" in svg
    )
    assert (
        "Grundmann 2017: Cross-sectional study, humans, 8,049 participants, supports; "
        "does not set the grade" in svg
    )


def test_the_traffic_lights_show_the_appraisals_of_the_studies_shown_and_count_the_others(
    client, db
):
    claim = ClaimFactory(slug="c")
    grader = UserFactory()
    FindingFactory.create_batch(FINDINGS_SHOWN, claim=claim, study__design="rct")
    for finding in FindingFactory.create_batch(2, claim=claim, study__design="cohort"):
        appraise(finding.study, grader)  # the weakest two: not shown
    AssessmentFactory(claim=claim, verdict="supported", certainty="moderate", body="experimental")
    html = client.get("/claims/c/").content.decode()
    assert 'r="14" fill=' not in html
    assert (
        "No study among the findings shown above is appraised; 2 of this claim's studies "
        "are appraised in all" in html
    )
    appraise(claim.findings.filter(study__design="rct").first().study, grader)
    html = client.get("/claims/c/").content.decode()
    assert html.count('<figure class="traffic-light">') == 1
    assert "The appraisals of the 1 appraised study among the findings shown above; 3 of" in html


def test_a_study_whose_appraisal_is_not_complete_counts_as_not_yet_appraised(client, db):
    claim = ClaimFactory(slug="c")
    grader = UserFactory()
    done, started = FindingFactory.create_batch(2, claim=claim, study__design="rct")
    appraise(done.study, grader)
    appraise(started.study, grader).domain_judgements.first().delete()
    AssessmentFactory(claim=claim, verdict="supported", certainty="low", body="experimental")
    html = client.get("/claims/c/").content.decode()
    assert html.count('<figure class="traffic-light">') == 1
    assert re.search(r"Risk of bias by [^:<]+: 1 appraisal,", html)
    assert "An appraisal of risk of bias: 1 study not yet appraised" in html


def test_the_grade_reads_as_surely_as_its_plain_language_sentence(client, seed):
    # Issue 12: a rat paw study under "Kratom reduces inflammation" once wore a plain
    # "Supported" beside "It is very uncertain whether…".
    html = client.get("/claims/kratom-reduces-inflammation/").content.decode()
    line = html.split('class="grade-line">')[1].split("</dd>")[0]
    assert (
        '<span class="tag support-supported weight-very-low"><span class="icon" '
        'aria-hidden="true">✓</span> Very uncertain, leans supported</span>'
    ) in line
    assert "It is very uncertain whether kratom reduces inflammation." in html
    assert grade_of(html) == ("supported", "very-low")


def domain_reasons(html):
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>[^<]*</td><td>([^<]*)</td>', html))


def test_its_reasons_are_sentences_that_carry_each_findings_own_why_and_big_numbers(client, seed):
    reasons = domain_reasons(client.get(PROLACTIN).content.decode())
    assert (
        "de Vries 2020 (intervention: opioid drugs in general, not kratom)"
        in (reasons["Indirectness"])
    )
    assert reasons["Indirectness"].endswith("So the certainty is lowered one level.")
    assert reasons["Imprecision"].startswith("The only study included 18,428 people")


def test_on_a_mixed_verdict_the_inconsistency_reason_never_says_nothing_points_the_other_way(
    client, seed
):
    html = client.get(
        "/claims/chronically-elevated-prolactin-is-linked-to-low-grade-inflammation/"
    ).content.decode()
    assert grade_of(html)[0] == "mixed"
    reason = domain_reasons(html)["Inconsistency"]
    assert "points the other way" not in reason
    assert reason.startswith("1 finding supports the claim and none contradicts it; 1 found mixed")


def summary_of_findings(html):
    block = html.split('<h2 id="sof-title">Summary of findings</h2>')[1].split("</dl>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)).strip()


def test_the_claim_page_opens_with_its_summary_of_findings(client, seed):
    # The seed's only trial on pain (Vicknasingam 2020, 26 participants) sets the grade.
    html = client.get("/claims/kratom-relieves-pain-in-humans/").content.decode()
    assert html.index("Summary of findings") < html.index("Why this grade")
    assert html.index("Summary of findings") < html.index("Evidence map")
    summary = summary_of_findings(html)
    assert summary.startswith("It may be true that kratom relieves pain in humans.")
    assert "Rests on 26 participants in 1 study" in summary
    assert "Strongest for Vicknasingam 2020 randomised controlled trial, 26 participants" in summary
    assert "Strongest against no study contradicts it" in summary


def test_a_summary_resting_on_laboratory_studies_counts_studies_not_people(client, seed):
    html = client.get("/claims/kratom-reduces-inflammation/").content.decode()
    summary = summary_of_findings(html)
    assert "Rests on 1 study" in summary
    assert "participant" not in summary.split("Rests on")[1].split("Strongest")[0]
