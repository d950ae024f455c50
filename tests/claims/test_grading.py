"""Each grading rule of DESIGN.md, as a test that reads like the rule. Pure: no database."""

from claims.grading import (
    AssertedClaim,
    Assertion,
    Body,
    Certainty,
    ClaimGrade,
    FindingInput,
    SetAside,
    Support,
    Verdict,
    grade_statement,
    level_mark,
    mark,
    place,
    plain_language,
    suggest,
    what_would_change,
)


def human(direction="supports", design="cross_sectional", participants=1000, **extra):
    return FindingInput(
        label=extra.pop("label", "Human"),
        design=design,
        population="human",
        direction=direction,
        participants=participants,
        **extra,
    )


def rct(direction="supports", participants=1000, **extra):
    return human(direction, design="rct", participants=participants, **extra)


def animal(direction="supports", **extra):
    return FindingInput(
        label=extra.pop("label", "Animal"),
        design="animal",
        population="animal",
        direction=direction,
        **extra,
    )


def in_vitro(direction="supports", **extra):
    return FindingInput(
        label=extra.pop("label", "Cells"),
        design="in_vitro",
        population="in_vitro",
        direction=direction,
        **extra,
    )


# Rule 1


def test_retracted_studies_are_excluded_and_the_reason_names_them():
    findings = [rct(), rct(), rct("contradicts", retracted=True, label="Retracted 2001")]
    result = suggest("effect", findings)
    assert result.verdict == Verdict.SUPPORTED
    assert result.domains["inconsistency"].rating == 0
    assert "Retracted, so excluded: Retracted 2001." in result.summary


def test_a_claim_whose_only_study_is_retracted_is_insufficient():
    assert suggest("effect", [rct(retracted=True)]).verdict == Verdict.INSUFFICIENT


# Rule 2


def test_narrative_reviews_and_expert_opinion_never_set_certainty():
    findings = [
        human(design="narrative_review", participants=None, label="Review"),
        human(design="expert_opinion", participants=None, label="Opinion"),
    ]
    result = suggest("effect", findings)
    assert result.verdict == Verdict.INSUFFICIENT
    assert result.certainty is None
    assert "Review, Opinion" in result.summary


def test_context_findings_are_shown_but_never_set_certainty():
    result = suggest("effect", [rct("context", label="Context trial"), human()])
    assert result.body == Body.OBSERVATIONAL
    assert "Context trial" in result.summary


# Rule 3


def test_for_an_effect_claim_laboratory_findings_do_not_set_the_grade_when_human_evidence_exists():
    result = suggest("effect", [human("contradicts")] + [animal() for _ in range(5)])
    assert result.verdict == Verdict.CONTRADICTED
    assert result.body == Body.OBSERVATIONAL
    assert "shown but do not set the grade" in result.summary


def test_for_an_effect_claim_laboratory_only_evidence_starts_low_and_loses_two_levels():
    result = suggest("effect", [animal(), animal(), in_vitro()])
    assert result.body == Body.LABORATORY_ONLY
    assert result.domains["indirectness"].rating == -2
    assert result.certainty == Certainty.VERY_LOW
    assert result.verdict == Verdict.SUPPORTED


def test_for_a_mechanism_claim_laboratory_experiments_are_direct_evidence_starting_high():
    result = suggest("mechanism", [animal(), in_vitro()])
    assert result.body == Body.EXPERIMENTAL
    assert result.domains["indirectness"].rating == 0
    assert result.certainty == Certainty.HIGH


# Rule 4


def test_randomised_trials_start_high():
    assert suggest("effect", [rct(), rct()]).certainty == Certainty.HIGH


def test_a_meta_analysis_pooling_randomised_trials_is_experimental():
    pooled = human(design="meta_analysis", pools_randomised=True)
    assert suggest("effect", [pooled]).body == Body.EXPERIMENTAL


def test_a_meta_analysis_not_known_to_pool_trials_counts_as_observational():
    unknown = human(design="meta_analysis", pools_randomised=None)
    observational = human(design="systematic_review", pools_randomised=False)
    assert suggest("effect", [unknown]).body == Body.OBSERVATIONAL
    assert suggest("effect", [observational]).body == Body.OBSERVATIONAL


def test_observational_studies_start_low():
    for design in ("cohort", "case_control", "cross_sectional", "case_series", "case_report"):
        assert suggest("effect", [human(design=design)]).certainty == Certainty.LOW


def test_the_claim_takes_the_body_with_the_higher_certainty():
    # A 50-person trial: high, -2 for imprecision = low; the observational body: low.
    # On a tie the experimental body wins.
    result = suggest("effect", [rct(participants=50), human(participants=5000)])
    assert result.body == Body.EXPERIMENTAL
    # A trial body that falls to very low loses to an observational body at low.
    result = suggest("effect", [rct(participants=50, indirect=True), human(participants=5000)])
    assert result.body == Body.OBSERVATIONAL
    assert result.certainty == Certainty.LOW


def test_the_other_body_pointing_the_other_way_costs_one_more_level_of_inconsistency():
    result = suggest("effect", [rct(), rct(), human("contradicts"), human("contradicts")])
    assert result.verdict == Verdict.SUPPORTED
    assert result.domains["inconsistency"].rating == -1
    assert result.certainty == Certainty.MODERATE
    assert result.domains["inconsistency"].reason.endswith(
        "The observational studies point the other way (on their own they contradict the "
        "claim), so the certainty is lowered one more level."
    )


def test_the_other_body_agreeing_costs_nothing():
    result = suggest("effect", [rct(), rct(), human(), human()])
    assert result.domains["inconsistency"].rating == 0


# Rule 5: risk of bias


def test_studies_not_yet_appraised_are_not_downgraded_and_the_reason_says_so():
    judgement = suggest("effect", [rct()]).domains["risk_of_bias"]
    assert judgement.rating == 0
    assert judgement.reason.startswith("The studies have not yet been appraised for risk of bias")
    assert judgement.reason.endswith("so the certainty is not lowered for it.")


def test_more_than_half_the_participants_at_high_risk_costs_one_level():
    findings = [
        rct(participants=600, high_risk=True),
        rct(participants=400, high_risk=False),
    ]
    assert suggest("effect", findings).domains["risk_of_bias"].rating == -1


def test_exactly_half_the_participants_at_high_risk_costs_nothing():
    findings = [
        rct(participants=500, high_risk=True),
        rct(participants=500, high_risk=False),
    ]
    assert suggest("effect", findings).domains["risk_of_bias"].rating == 0


def test_all_participants_at_high_risk_costs_two_levels():
    findings = [rct(high_risk=True), rct(high_risk=True)]
    result = suggest("effect", findings)
    assert result.domains["risk_of_bias"].rating == -2
    assert result.certainty == Certainty.LOW


def test_laboratory_risk_of_bias_is_counted_in_studies():
    findings = [
        animal(high_risk=True),
        animal(high_risk=True),
        animal(high_risk=False),
    ]
    assert suggest("mechanism", findings).domains["risk_of_bias"].rating == -1


# Rule 5: inconsistency


def test_a_minority_of_a_quarter_costs_one_level_of_inconsistency():
    findings = [rct(), rct(), rct(), rct("contradicts")]
    assert suggest("effect", findings).domains["inconsistency"].rating == -1


def test_a_minority_of_forty_percent_costs_two_levels_of_inconsistency():
    findings = [rct(), rct(), rct(), rct("contradicts"), rct("contradicts")]
    assert suggest("effect", findings).domains["inconsistency"].rating == -2


def test_a_minority_under_a_quarter_costs_nothing():
    findings = [rct()] * 4 + [rct("contradicts")]
    assert suggest("effect", findings).domains["inconsistency"].rating == 0


def test_mixed_and_no_effect_findings_do_not_count_as_a_side_for_inconsistency():
    findings = [rct(), rct(), rct("mixed"), rct("no-effect")]
    assert suggest("effect", findings).domains["inconsistency"].rating == 0


# Rule 5: indirectness


def test_more_than_half_the_findings_indirect_costs_one_level():
    findings = [rct(indirect=True), rct(indirect=True), rct()]
    assert suggest("effect", findings).domains["indirectness"].rating == -1


def test_half_the_findings_indirect_costs_nothing():
    findings = [rct(indirect=True), rct()]
    assert suggest("effect", findings).domains["indirectness"].rating == 0


# Rule 5: imprecision


def test_a_human_body_under_400_participants_costs_one_level():
    judgement = suggest("effect", [rct(participants=399)]).domains["imprecision"]
    assert judgement.rating == -1
    assert suggest("effect", [rct(participants=400)]).domains["imprecision"].rating == 0


def test_a_human_body_under_100_participants_costs_two_levels():
    assert suggest("effect", [rct(participants=99)]).domains["imprecision"].rating == -2
    assert suggest("effect", [rct(participants=100)]).domains["imprecision"].rating == -1


def test_a_laboratory_body_with_a_single_study_costs_one_level():
    assert suggest("mechanism", [animal()]).domains["imprecision"].rating == -1
    assert suggest("mechanism", [animal(), animal()]).domains["imprecision"].rating == 0


def test_publication_bias_and_upgrades_are_left_to_the_grader():
    result = suggest("effect", [human(), human()])
    for domain in ("publication_bias", "large_effect", "dose_response", "confounding"):
        assert result.domains[domain].rating == 0
        assert "grader" in result.domains[domain].reason


# Rule 5: every reason a plain sentence a reader follows


def reasons(result):
    return [judgement.reason for judgement in result.domains.values()]


def test_an_imprecision_reason_says_what_the_number_of_people_means_for_the_certainty():
    assert suggest("effect", [rct(participants=26)]).domains["imprecision"].reason == (
        "The only study included 26 people. With fewer than 100, chance can easily sway "
        "the results, so the certainty is lowered two levels."
    )
    findings = [human(participants=200), human(participants=56), human(participants=None)]
    assert suggest("effect", findings).domains["imprecision"].reason == (
        "The studies included 256 people in all (1 more study does not say how many). That is "
        "under 400, GRADE's rule of thumb for enough people to give a precise result, so the "
        "certainty is lowered one level."
    )


def test_numbers_in_reasons_have_thousands_separators():
    result = suggest("effect", [human(participants=18428)])
    assert "The only study included 18,428 people, at least the 400" in (
        result.domains["imprecision"].reason
    )
    result = suggest("effect", [human(participants=10000), human(participants=972)])
    assert "The studies included 10,972 people in all" in result.domains["imprecision"].reason
    findings = [rct(participants=1200, high_risk=True), rct(participants=4300, high_risk=False)]
    assert "1,200 of the 5,500 people" in suggest("effect", findings).domains["risk_of_bias"].reason


def test_no_reason_is_jargon_or_a_bare_rating():
    cases = [
        ("effect", [rct(participants=26)]),
        ("effect", [rct(), rct("contradicts"), rct("mixed")]),
        ("effect", [rct(high_risk=True), rct(high_risk=True, indirect=True)]),
        ("effect", [rct(), rct(), human("contradicts"), human("contradicts")]),
        ("effect", [animal()]),
        ("mechanism", [animal(), in_vitro()]),
        ("effect", [human(participants=None)]),
        ("effect", []),
    ]
    for kind, findings in cases:
        for reason in reasons(suggest(kind, findings)):
            assert reason.endswith((".", ")")), reason
            for jargon in ("downgraded", "minority", "participants in all:", "levels down"):
                assert jargon not in reason, reason


def test_an_inconsistency_reason_says_how_many_findings_go_against_the_rest():
    findings = [rct(), rct(), rct(), rct("contradicts")]
    assert suggest("effect", findings).domains["inconsistency"].reason == (
        "Some findings disagree: 3 findings support the claim and 1 contradicts it, so 1 in 4 "
        "(25%) goes against the rest. When 25% or more do, the certainty is lowered one level."
    )


def test_on_a_mixed_verdict_no_reason_says_the_findings_agree():
    for findings in (
        [human(), human("mixed")],
        [human("mixed")],
        [human(), human("no-effect"), human("mixed")],
    ):
        result = suggest("effect", findings)
        assert result.verdict == Verdict.MIXED
        reason = result.domains["inconsistency"].reason
        for misleading in ("points the other way", "agree", "do not disagree"):
            assert misleading not in reason, reason
    assert suggest("effect", [human(), human("mixed")]).domains["inconsistency"].reason == (
        "1 finding supports the claim and none contradicts it; 1 found mixed results. Only "
        "findings that support or contradict the claim are weighed against each other here, so "
        "the certainty is not lowered for it."
    )


def test_an_indirectness_reason_names_its_findings_with_their_own_words_for_why():
    findings = [
        human("contradicts", label="Synthetic 2020", indirect=True, indirect_because="drug: other"),
        human("contradicts", label="Direct 2021"),
        human("contradicts", label="Plain 2022", indirect=True),
    ]
    reason = suggest("effect", findings).domains["indirectness"].reason
    assert reason == (
        "2 of the 3 findings bear on the claim indirectly, having studied a different "
        "population, intervention or outcome from the claim's: Synthetic 2020 (drug: other); "
        "Plain 2022. So the certainty is lowered one level."
    )


def test_laboratory_only_indirectness_names_the_studies_and_says_why_it_costs_two_levels():
    reason = suggest("effect", [animal(label="Rat 2009")]).domains["indirectness"].reason
    assert "bear on this claim about an effect in people: Rat 2009." in reason
    assert reason.endswith("so the certainty is lowered two levels.")


# Rule 7


def test_seventy_five_percent_supporting_is_supported():
    assert suggest("effect", [rct()] * 3 + [rct("mixed")]).verdict == Verdict.SUPPORTED


def test_seventy_five_percent_contradicting_is_contradicted():
    assert suggest("effect", [rct("contradicts")] * 3 + [rct()]).verdict == Verdict.CONTRADICTED


def test_seventy_five_percent_finding_no_effect_is_no_effect():
    assert suggest("effect", [rct("no-effect")] * 3 + [rct()]).verdict == Verdict.NO_EFFECT


def test_anything_less_decided_is_mixed():
    assert suggest("effect", [rct(), rct(), rct("contradicts")]).verdict == Verdict.MIXED


def test_no_finding_that_sets_certainty_is_insufficient():
    result = suggest("effect", [])
    assert result.verdict == Verdict.INSUFFICIENT
    assert result.certainty is None


def test_certainty_never_goes_below_very_low():
    findings = [
        human(high_risk=True, indirect=True, participants=10),
        human("contradicts", high_risk=True, indirect=True, participants=10),
    ]
    assert suggest("effect", findings).certainty == Certainty.VERY_LOW


# Rule 8


def test_reader_wording_follows_grade_summary_statements():
    claim = "Kratom lowers a marker."
    assert (
        plain_language(claim, "supported", "high")
        == "The evidence shows that kratom lowers a marker."
    )
    assert (
        plain_language(claim, "supported", "moderate")
        == "It is probably true that kratom lowers a marker."
    )
    assert (
        plain_language(claim, "supported", "low") == "It may be true that kratom lowers a marker."
    )
    assert plain_language(claim, "supported", "very-low").startswith(
        "It is very uncertain whether kratom lowers a marker"
    )
    assert plain_language(claim, "insufficient", "") == (
        "There is not enough evidence to say whether kratom lowers a marker."
    )


def test_reader_wording_keeps_acronyms_capitalised():
    assert "whether LH falls" in plain_language("LH falls.", "supported", "very-low")


def test_a_marks_words_carry_the_certainty_as_the_sentence_does():
    assert [mark("supported", c).label for c in ("high", "moderate", "low", "very-low")] == [
        "Supported",
        "Probably supported",
        "May be supported",
        "Very uncertain, leans supported",
    ]
    assert [mark("contradicted", c).label for c in ("high", "moderate", "low", "very-low")] == [
        "Contradicted",
        "Probably contradicted",
        "May be contradicted",
        "Very uncertain, leans contradicted",
    ]
    assert [mark("no-effect", c).label for c in ("high", "moderate", "low", "very-low")] == [
        "No effect",
        "Probably no effect",
        "May have no effect",
        "Very uncertain, leans no effect",
    ]


def test_only_a_high_certainty_mark_says_supported_contradicted_or_no_effect_outright():
    for support in ("supported", "contradicted", "no-effect"):
        for certainty in ("moderate", "low", "very-low"):
            hedged = mark(support, certainty).label
            assert hedged != level_mark(support).label
            sentence = plain_language("X lowers Y.", support, certainty)
            hedge = {"moderate": "probably", "low": "may", "very-low": "very uncertain"}[certainty]
            assert hedge in sentence.lower() and hedge in hedged.lower()


def test_mixed_and_insufficient_marks_keep_their_words_at_every_certainty():
    for certainty in ("high", "moderate", "low", "very-low", None):
        assert mark("mixed", certainty).label == "Mixed evidence"
    assert mark("insufficient", None).label == "Insufficient evidence"
    assert mark(None, None).label == "Not assessed"


def test_a_marks_weight_falls_with_the_certainty_and_is_none_without_one():
    assert [mark("supported", c).weight for c in ("high", "moderate", "low", "very-low")] == [
        "high",
        "moderate",
        "low",
        "very-low",
    ]
    assert mark("mixed", "low").weight == "low"
    assert mark("insufficient", None).weight == mark(None, None).weight == "none"


def test_a_verdict_without_a_certainty_never_reads_as_sure():
    assert mark("supported", None).label == "Very uncertain, leans supported"


def test_a_statements_mark_is_its_weakest_claims():
    result = grade_statement(
        links("suggests", grade("supported", "high"), grade("supported", "very-low"))
    )
    assert (result.mark.label, result.mark.weight) == (
        "Very uncertain, leans supported",
        "very-low",
    )
    assert grade("contradicted", "moderate").mark.label == "Probably contradicted"


# Rule 9


def grade(verdict, certainty, claim="A claim"):
    return ClaimGrade(
        claim, Verdict(verdict) if verdict else None, Certainty(certainty) if certainty else None
    )


def links(assertion, *grades):
    """A statement asserting every one of `grades` equally strongly."""
    return [AssertedClaim(assertion, g) for g in grades]


def test_a_statement_is_as_supported_as_its_weakest_claim():
    weakest_first = [
        ("contradicted", "high"),
        ("no-effect", "high"),
        ("insufficient", None),
        ("mixed", "high"),
        ("supported", "high"),
    ]
    for i, weaker in enumerate(weakest_first):
        for stronger in weakest_first[i:]:
            result = grade_statement(links("suggests", grade(*stronger), grade(*weaker)))
            assert result.support == Support(weaker[0])


def test_on_the_same_verdict_the_lower_certainty_is_weaker():
    result = grade_statement(
        links("suggests", grade("supported", "high"), grade("supported", "low"))
    )
    assert result.certainty == Certainty.LOW


def test_a_statement_without_assessed_claims_is_not_assessed():
    assert grade_statement([]).support == Support.NOT_ASSESSED
    assert grade_statement(links("fact", grade(None, None))).support == Support.NOT_ASSESSED


def test_stating_as_fact_what_the_evidence_grades_low_or_very_low_is_overstated():
    for certainty in ("low", "very-low"):
        result = grade_statement(links(Assertion.FACT, grade("supported", certainty, "X works.")))
        assert result.overstated
        assert "states as fact “X works.”" in result.overstated_because[0]


def test_suggesting_speculating_or_mentioning_as_background_what_is_graded_low_is_not_overstated():
    for assertion in (Assertion.SUGGESTS, Assertion.SPECULATES, Assertion.BACKGROUND):
        assert not grade_statement(links(assertion, grade("supported", "low"))).overstated


def test_stating_as_fact_what_the_evidence_grades_moderate_is_not_overstated():
    assert not grade_statement(links(Assertion.FACT, grade("supported", "moderate"))).overstated


def test_asserting_a_contradicted_claim_is_overstated_however_it_is_worded():
    for assertion in Assertion:
        result = grade_statement(links(assertion, grade("contradicted", "very-low", "X lowers Y.")))
        assert result.overstated
        assert "“X lowers Y.”, which the evidence contradicts" in result.overstated_because[0]


def test_asserting_a_claim_the_evidence_finds_no_effect_for_is_overstated():
    result = grade_statement(links(Assertion.SUGGESTS, grade("no-effect", "high", "X lowers Y.")))
    assert result.overstated_because == (
        "It asserts “X lowers Y.”, where the evidence finds no effect.",
    )


def test_stating_as_fact_a_claim_with_insufficient_evidence_is_overstated():
    assert grade_statement(links(Assertion.FACT, grade("insufficient", None))).overstated
    assert not grade_statement(links(Assertion.SUGGESTS, grade("insufficient", None))).overstated


def test_how_strongly_a_statement_asserts_a_claim_belongs_to_each_link():
    background = AssertedClaim(Assertion.BACKGROUND, grade("supported", "very-low", "P does Q."))
    hedged = AssertedClaim(Assertion.SUGGESTS, grade("supported", "very-low", "X lowers P."))
    stated = AssertedClaim(Assertion.FACT, grade("supported", "very-low", "P does Q."))
    assert not grade_statement([background, hedged]).overstated
    result = grade_statement([stated, hedged])
    assert result.overstated_claims == ("P does Q.",)
    assert result.overstated_because == (
        "It states as fact “P does Q.”, which the evidence grades very low.",
    )


def test_an_overstated_statement_names_every_claim_it_overstates_in_order():
    result = grade_statement(
        [
            AssertedClaim(Assertion.FACT, grade("supported", "low", "A.")),
            AssertedClaim(Assertion.FACT, grade("supported", "high", "B.")),
            AssertedClaim(Assertion.SUGGESTS, grade("contradicted", "low", "C.")),
        ]
    )
    assert result.overstated_claims == ("A.", "C.")


def test_a_claim_not_yet_assessed_is_weaker_than_mixed_but_not_than_insufficient():
    not_assessed = grade(None, None)
    assert grade_statement(links("fact", grade("mixed", "high"), not_assessed)).support == (
        Support.NOT_ASSESSED
    )
    assert grade_statement(links("fact", grade("insufficient", None), not_assessed)).support == (
        Support.INSUFFICIENT
    )


def test_only_the_findings_that_set_the_grade_are_placed_in_a_body():
    findings = [
        rct(),
        human(),
        animal(),
        rct("context"),
        rct(retracted=True),
        human(design="narrative_review"),
    ]
    assert [(p.body, p.set_aside) for p in place("effect", findings)] == [
        (Body.EXPERIMENTAL, None),
        (Body.OBSERVATIONAL, None),
        (None, SetAside.LABORATORY),
        (None, SetAside.CONTEXT),
        (None, SetAside.RETRACTED),
        (None, SetAside.NOT_EVIDENCE),
    ]


def test_a_summary_says_when_a_meta_analysis_counts_as_observational_for_want_of_pooling_data():
    result = suggest("effect", [human(design="meta_analysis", label="Pooled 2020")])
    assert (
        "Not recorded as pooling randomised trials, so counted as observational: "
        "Pooled 2020." in result.summary
    )


def test_imprecision_is_left_to_the_grader_when_no_study_states_its_size():
    judgement = suggest("effect", [human(participants=None)]).domains["imprecision"]
    assert judgement.rating == 0
    assert "left to the grader" in judgement.reason


def test_a_body_with_laboratory_studies_is_judged_for_imprecision_by_number_of_studies():
    findings = [animal(), animal(), rct(participants=50)]
    assert suggest("mechanism", findings).domains["imprecision"].rating == 0


def test_the_cross_body_level_is_not_taken_twice_when_inconsistency_is_already_two_levels_down():
    trials = [rct("no-effect")] * 6 + [rct(), rct("contradicts")]
    result = suggest("effect", trials + [human(), human()])
    assert result.verdict == Verdict.NO_EFFECT
    assert result.domains["inconsistency"].rating == -2
    assert result.domains["inconsistency"].reason.endswith(
        "but the certainty is already lowered two levels, the most it can be."
    )


def test_a_study_not_yet_classified_is_shown_but_never_sets_certainty():
    unclassified = FindingInput(
        label="Unsorted 2024", design="", population="", direction="supports", participants=5000
    )
    result = suggest("effect", [unclassified])
    assert result.verdict == Verdict.INSUFFICIENT
    assert "Not counted until their design and population are classified: Unsorted 2024." in (
        result.summary
    )


def test_what_would_change_a_grade_says_there_is_no_human_trial_yet():
    findings = [human(participants=50)]
    result = suggest("effect", findings)
    hints = what_would_change(
        "effect",
        findings,
        result.verdict,
        result.certainty,
        result.body,
        {n: j.rating for n, j in result.domains.items()},
    )
    assert "A randomised trial in people: there is none yet." in hints
    assert "Larger studies: 50 participants so far, under GRADE's rule of thumb of 400." in hints
    assert any(h.startswith("An appraisal of risk of bias: 1 study") for h in hints)


def test_what_would_change_a_grade_says_when_there_is_only_animal_evidence():
    findings = [animal()]
    result = suggest("effect", findings)
    hints = what_would_change(
        "effect",
        findings,
        result.verdict,
        result.certainty,
        result.body,
        {n: j.rating for n, j in result.domains.items()},
    )
    assert "Any study in people: the evidence is only animal or in-vitro work." in hints


def test_a_high_certainty_grade_is_unlikely_to_change():
    findings = [rct(), rct()]
    result = suggest("effect", findings)
    assert what_would_change(
        "effect", findings, result.verdict, result.certainty, result.body, {}
    ) == ["The certainty is high: further research is very unlikely to change the grade."]
