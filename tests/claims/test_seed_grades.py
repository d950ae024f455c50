"""The seed's grades, worked out by hand from DESIGN.md's rules (not by running the code)."""

import pytest

from claims.models import Assessment

# claim slug: (verdict, certainty, body), each with the arithmetic behind it.
EXPECTED = {
    # 1 RCT of 26: high, -2 imprecision = low; 3 surveys (11,010): low; tie -> experimental.
    "kratom-relieves-pain-in-humans": ("supported", "low", "experimental"),
    # 1 rat study only: low, -2 indirectness (rule 3), floored at very low.
    "kratom-reduces-inflammation": ("supported", "very-low", "laboratory-only"),
    # 6 laboratory studies all supporting a mechanism: high, no downgrade.
    "mitragynine-and-7-hydroxymitragynine-kratoms-main-alkaloids-act-on-opioid-receptors": (
        "supported",
        "high",
        "experimental",
    ),
    # 1 supports, 1 contradicts: 50% minority, -2 inconsistency: high -> low; verdict mixed.
    "kratoms-alkaloids-act-through-the-endocannabinoid-system": ("mixed", "low", "experimental"),
    # Only de Vries 2020 counts (a meta-analysis not known to pool trials): low, -1 indirect.
    "kratom-lowers-prolactin-levels": ("contradicted", "very-low", "observational"),
    # Orbach 2012 alone (256, mixed): low, -1 imprecision.
    "prolactin-regulates-immune-responses-and-can-promote-pro-inflammatory-cytokines": (
        "mixed",
        "very-low",
        "observational",
    ),
    # 1 supports, 1 mixed, 63 participants: low, -2 imprecision; 50% support -> mixed.
    "chronically-elevated-prolactin-is-linked-to-low-grade-inflammation": (
        "mixed",
        "very-low",
        "observational",
    ),
    # 1 supports, 2 mixed (10,972): low, no downgrade; 33% support -> mixed.
    "kratom-use-causes-side-effects-such-as-constipation-dry-mouth-and-sedation": (
        "mixed",
        "low",
        "observational",
    ),
    # Singh 2018 alone (19, contradicts): low, -2 imprecision.
    "regular-kratom-use-alters-sex-hormone-levels": ("contradicted", "very-low", "observational"),
    # 3 supporting (433): low, no downgrade.
    "regular-kratom-use-can-lead-to-dependence-withdrawal-and-liver-injury": (
        "supported",
        "low",
        "observational",
    ),
}


@pytest.mark.parametrize("slug", EXPECTED)
def test_each_seed_claim_has_the_grade_the_rules_give_by_hand(seed, slug):
    assessment = Assessment.objects.get(claim__slug=slug, status="provisional")
    assert (assessment.verdict, assessment.certainty, assessment.body) == EXPECTED[slug]
