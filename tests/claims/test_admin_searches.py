"""The admin's claim and finding searches go by the word indexes (the claims' and the studies'),
then, when those find nothing, by part of a field as any admin search does."""

import re

from tests.factories import ClaimFactory, FindingFactory, StudyFactory
from tests.plans import on_postgresql, search_estimates


def listed(client, url):
    """The first column's text of each row of an admin list."""
    html = client.get(url).content.decode()
    return sorted(
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th class="field-[a-z_]+">(.*?)</th>', html, re.S)
    )


def test_the_claims_search_finds_a_claim_by_a_word_of_its_subject(client, grader):
    ClaimFactory(text="Synthetic compound lowers a made-up marker.", subject="quenchers")
    ClaimFactory(text="Synthetic other claim.", subject="others")
    client.force_login(grader)
    assert listed(client, "/admin/claims/claim/?q=quencher") == [
        "Synthetic compound lowers a made-up marker."
    ]


@on_postgresql
def test_on_postgresql_the_claims_search_finds_other_forms_of_its_words(client, grader):
    ClaimFactory(text="Synthetic compound lowers a made-up marker.")
    ClaimFactory(text="Synthetic other claim.")
    client.force_login(grader)
    assert listed(client, "/admin/claims/claim/?q=lowering+markers") == [
        "Synthetic compound lowers a made-up marker."
    ]


def test_the_claims_search_still_finds_part_of_a_slug(client, grader):
    ClaimFactory(text="Synthetic compound lowers a made-up marker.", slug="synthetic-xq7")
    ClaimFactory(text="Synthetic other claim.", slug="synthetic-other")
    client.force_login(grader)
    assert listed(client, "/admin/claims/claim/?q=xq7") == [
        "Synthetic compound lowers a made-up marker."
    ]


def test_the_claim_box_of_a_finding_finds_claims_by_their_words(client, grader):
    ClaimFactory(text="Synthetic compound lowers a made-up marker.")
    ClaimFactory(text="Synthetic other claim.")
    client.force_login(grader)
    answer = client.get(
        "/admin/autocomplete/",
        {"term": "compound", "app_label": "claims", "model_name": "finding", "field_name": "claim"},
    ).json()
    assert [row["text"] for row in answer["results"]] == [
        "Synthetic compound lowers a made-up marker."
    ]


def test_the_findings_search_finds_the_findings_on_a_study_by_a_word_of_its_title(client, grader):
    wanted = FindingFactory(study=StudyFactory(title="Synthetic quenching trial"))
    FindingFactory()
    client.force_login(grader)
    assert listed(client, "/admin/claims/finding/?q=quenching") == [str(wanted.study.short_label)]


def test_the_findings_search_finds_by_the_studys_doi_and_by_a_word_of_the_claim(client, grader):
    by_doi = FindingFactory(study=StudyFactory(doi="10.5555/synthetic.search.1"))
    by_claim = FindingFactory(claim=ClaimFactory(text="Synthetic quenchers lower a marker."))
    FindingFactory()
    client.force_login(grader)
    assert listed(client, "/admin/claims/finding/?q=10.5555/synthetic.search.1") == [
        by_doi.study.short_label
    ]
    assert listed(client, "/admin/claims/finding/?q=quenchers") == [by_claim.study.short_label]


def test_the_findings_search_finds_the_findings_on_a_claim_by_a_word_of_its_subject(client, grader):
    # The claim's subject is not among the findings' search fields: only its word index has it.
    wanted = FindingFactory(claim=ClaimFactory(subject="quenchers"))
    FindingFactory()
    client.force_login(grader)
    assert listed(client, "/admin/claims/finding/?q=quenchers") == [wanted.study.short_label]


def test_the_findings_search_finds_part_of_a_studys_title(client, grader):
    wanted = FindingFactory(study=StudyFactory(title="Synthetic quenchingxyz trial"))
    FindingFactory()
    client.force_login(grader)
    assert listed(client, "/admin/claims/finding/?q=quenchingx") == [wanted.study.short_label]


def test_the_findings_search_finds_nothing_where_nothing_matches(client, grader):
    FindingFactory(note="A synthetic finding about zqx9 levels.")  # notes are not searched
    client.force_login(grader)
    assert listed(client, "/admin/claims/finding/?q=zqx9") == []


def found_by_the_findings_search(client, grader, word):
    on_study = FindingFactory(study=StudyFactory(title=f"Synthetic {word} trial"))
    on_claim = FindingFactory(claim=ClaimFactory(text=f"Synthetic {word} lower a marker."))
    FindingFactory()
    client.force_login(grader)
    wanted = sorted([on_study.study.short_label, on_claim.study.short_label])
    return listed(client, f"/admin/claims/finding/?q={word}"), wanted


def test_the_findings_search_finds_more_matches_than_it_reads_keys_of(client, grader, monkeypatch):
    # Past KEYS_CAP matches each finding tests its own study and claim (config.search.rows_on).
    monkeypatch.setattr("config.search.KEYS_CAP", 0)
    found, wanted = found_by_the_findings_search(client, grader, "quenchers")
    assert found == wanted


@on_postgresql
def test_the_findings_search_finds_a_common_words_findings_through_their_study_and_claim(
    client, grader, monkeypatch
):
    # A word the planner takes for common is tested on the joined study and claim, its keys
    # not read (config.search._through).
    monkeypatch.setattr("config.search._is_common", lambda words: True)
    found, wanted = found_by_the_findings_search(client, grader, "quenchers")
    assert found == wanted


def test_past_its_keys_the_findings_search_still_finds_part_of_a_title(client, grader, monkeypatch):
    # Part of a title is the one condition tested through the join (config.search._through).
    monkeypatch.setattr("config.search.KEYS_CAP", 0)
    wanted = FindingFactory(study=StudyFactory(title="Synthetic quenchingxyz trial"))
    FindingFactory()
    client.force_login(grader)
    assert listed(client, "/admin/claims/finding/?q=quenchingx") == [wanted.study.short_label]


def test_the_findings_search_runs_as_many_queries_for_3_matches_as_for_30(
    client, grader, django_assert_num_queries
):
    claim = ClaimFactory(text="Synthetic quenchers lower a marker.")
    client.force_login(grader)
    # session, user, two permission queries; for the studies, which hold no such word, the
    # words' estimate (PostgreSQL) and keys, then those of the studies with it in part of their
    # title; for the claims, the words' estimate and keys, once (rows_on() takes the keys
    # matching() found, not finding them again); the count; the page.
    expected = 4 + 2 * (search_estimates() + 1) + (search_estimates() + 1) + 2
    for findings in (3, 30):
        FindingFactory.create_batch(findings - claim.findings.count(), claim=claim)
        with django_assert_num_queries(expected):
            assert len(listed(client, "/admin/claims/finding/?q=quenchers")) == min(findings, 25)
