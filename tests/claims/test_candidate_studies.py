"""Candidate studies for a claim (issue 9, item 5): the studies nearest to a claim by meaning,
among those with no finding on it yet, for researchers and graders; vectors kept current on
import and edit. The real local embedding model; synthetic studies (tests/factories.py) about
made-up substances ("zelmorin", "quentrafil"), never real citations."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from claims.intake import embedding
from claims.intake.candidates import (
    _ranked_by_numpy,
    _ranked_by_pgvector,
    nearest_studies,
    refresh_study_vectors,
    study_vectors_refresh,
)
from claims.intake.study_vectors import StudyVector, study_text, text_hash
from claims.models import FindingStatus
from evidence.importers import read
from evidence.models import Study
from evidence.services import studies_import
from tests.evidence.importing import SAMPLES
from tests.evidence.test_admin import study_form
from tests.factories import ClaimFactory, FindingFactory, StudyFactory

HEADING = "Studies that may bear on this claim"

CLAIM = "Zelmorin lowers blood pressure in adults with hypertension."
# (title, abstract): two on the claim's subject, three far from it. All invented.
ON_TOPIC = [
    (
        "Synthetic randomised trial of zelmorin for high blood pressure in adults",
        "Synthetic abstract: adults with hypertension took zelmorin or a placebo for twelve "
        "weeks; systolic blood pressure was measured at every visit.",
    ),
    (
        "Synthetic cohort study of zelmorin use and hypertension",
        "Synthetic abstract: blood pressure of adults who used zelmorin compared with adults "
        "who did not.",
    ),
]
OFF_TOPIC = [
    (
        "Synthetic survey of sleep duration in secondary school pupils",
        "Synthetic abstract: pupils reported their hours of sleep on school nights.",
    ),
    (
        "Synthetic field study of soil bacteria under winter wheat",
        "Synthetic abstract: soil samples from wheat fields were cultured for bacteria.",
    ),
    (
        "Synthetic laboratory study of corrosion in marine steel",
        "Synthetic abstract: steel plates were kept in sea water for a year.",
    ),
]


@pytest.fixture
def library(db):
    """The claim, its five synthetic studies, embedded. Returns (claim, on-topic, off-topic)."""
    claim = ClaimFactory(slug="zelmorin", text=CLAIM, subject="zelmorin", outcome="blood pressure")
    near = [StudyFactory(title=title, abstract=abstract) for title, abstract in ON_TOPIC]
    far = [StudyFactory(title=title, abstract=abstract) for title, abstract in OFF_TOPIC]
    assert study_vectors_refresh().embedded == 5
    return claim, near, far


def ids(result):
    return [candidate.study.pk for candidate in result.studies]


# --- The search ----------------------------------------------------------------------------


def test_it_lists_the_nearest_studies_not_yet_linked_to_the_claim(library):
    claim, near, far = library
    result = nearest_studies(claim, limit=5)
    assert set(ids(result)[:2]) == {study.pk for study in near}
    assert set(ids(result)[2:]) == {study.pk for study in far}
    scores = [candidate.score for candidate in result.studies]
    assert scores == sorted(scores, reverse=True)
    assert all(-1.0 <= score <= 1.0 for score in scores)
    assert result.model_name == embedding.get_encoder().name
    assert result.reason == ""


@pytest.mark.parametrize("status", list(FindingStatus))
def test_a_study_with_a_finding_on_the_claim_in_any_status_is_not_a_candidate(library, status):
    claim, near, _ = library
    FindingFactory(claim=claim, study=near[0], status=status)
    assert near[0].pk not in ids(nearest_studies(claim))
    assert near[1].pk in ids(nearest_studies(claim))


def test_a_finding_on_another_claim_does_not_exclude_the_study(library):
    claim, near, _ = library
    FindingFactory(study=near[0])  # on a claim of its own
    assert ids(nearest_studies(claim, limit=1)) in ([near[0].pk], [near[1].pk])
    assert near[0].pk in ids(nearest_studies(claim))


def test_it_gives_at_most_the_limit(library):
    claim, _, _ = library
    assert len(nearest_studies(claim, limit=3).studies) == 3


def test_the_score_is_the_cosine_similarity_of_the_claim_and_the_studys_text(library):
    claim, near, _ = library
    encoder = embedding.get_encoder()
    title, abstract = ON_TOPIC[0]
    claim_vector, study_vector = encoder.encode([CLAIM, study_text(title, abstract)])
    expected = float(np.dot(claim_vector, study_vector))
    score = {c.study.pk: c.score for c in nearest_studies(claim).studies}[near[0].pk]
    assert score == pytest.approx(expected, abs=1e-4)


def test_the_database_and_numpy_give_the_same_ranking_on_the_same_data(library):
    """PostgreSQL ranks with pgvector's HNSW index, SQLite with numpy: on PostgreSQL both run on
    the same rows; on SQLite numpy is checked against a brute-force ranking of all vectors."""
    claim, _, _ = library
    query = embedding.get_encoder().encode([CLAIM])[0]
    vectors = StudyVector.objects.all()
    by_numpy = _ranked_by_numpy(vectors, query, 5)
    everything = sorted(
        (-float(np.dot(v.vector, query)), v.study_id) for v in StudyVector.objects.all()
    )
    assert [pk for pk, _ in by_numpy] == [pk for _, pk in everything]
    if connection.vendor == "postgresql":
        by_pgvector = _ranked_by_pgvector(vectors, query, 5)
        assert [pk for pk, _ in by_pgvector] == [pk for pk, _ in by_numpy]
        for (_, database), (_, numpy) in zip(by_pgvector, by_numpy, strict=True):
            assert database == pytest.approx(numpy, abs=1e-5)


def test_only_vectors_made_by_the_current_model_are_searched(library):
    claim, near, _ = library
    StudyVector.objects.filter(study=near[0]).update(model_name="another-model")
    assert near[0].pk not in ids(nearest_studies(claim))


def test_without_the_model_it_suggests_nothing_and_says_why(library, monkeypatch):
    claim, _, _ = library
    monkeypatch.setattr(embedding, "get_encoder", lambda: None)
    monkeypatch.setattr(embedding, "encoder_unavailable_reason", lambda: "a synthetic reason")
    result = nearest_studies(claim)
    assert (result.studies, result.reason) == ([], "a synthetic reason")


def test_a_vector_reads_back_exactly_as_it_was_written(db):
    study = StudyFactory()
    vector = np.random.default_rng(7).standard_normal(embedding.DIMENSIONS).astype(np.float32)
    StudyVector.objects.create(
        study=study, vector=vector, model_name="m", text_hash="h", embedded_at="2026-01-01T00:00Z"
    )
    stored = StudyVector.objects.get(study=study).vector
    assert stored.dtype == np.float32
    assert np.array_equal(stored, vector)


# --- Keeping the vectors current -----------------------------------------------------------


def test_it_embeds_the_title_and_abstract_with_the_models_name(library):
    _, near, _ = library
    stored = StudyVector.objects.get(study=near[0])
    assert stored.text_hash == text_hash(study_text(*ON_TOPIC[0]))
    assert stored.model_name == embedding.get_encoder().name
    assert stored.vector.shape == (embedding.DIMENSIONS,)
    assert np.linalg.norm(stored.vector) == pytest.approx(1.0, abs=1e-5)


def test_a_second_refresh_embeds_nothing_that_is_current(library):
    result = study_vectors_refresh()
    assert (result.embedded, result.current) == (0, 5)


def test_a_stale_vector_is_embedded_again_after_an_edit_of_the_title(library):
    claim, near, far = library
    far[0].title = "Synthetic trial of zelmorin for blood pressure in adults"
    far[0].save()
    result = study_vectors_refresh()
    assert (result.embedded, result.current) == (1, 4)
    assert StudyVector.objects.get(study=far[0]).text_hash == text_hash(
        study_text(far[0].title, far[0].abstract)
    )
    assert far[0].pk in ids(nearest_studies(claim, limit=3))


def test_the_refresh_works_in_batches_and_reports_progress(library):
    seen = []
    result = study_vectors_refresh(batch_size=2, everything=True, progress=seen.append)
    assert seen == [2, 2, 1]
    assert result.embedded == 5


def test_the_task_refreshes_the_studies_it_is_given(db):
    studies = StudyFactory.create_batch(2)
    result = refresh_study_vectors.enqueue(study_ids=[studies[0].pk])
    assert result.return_value["embedded"] == 1
    assert list(StudyVector.objects.values_list("study_id", flat=True)) == [studies[0].pk]


def test_a_researcher_editing_a_studys_abstract_in_the_admin_has_it_embedded_again(
    client, researcher, django_capture_on_commit_callbacks
):
    study = StudyFactory(abstract="Synthetic abstract about soil.")
    study_vectors_refresh()
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:evidence_study_change", args=[study.pk]),
            study_form(
                title=study.title,
                doi=study.doi,
                pmid=study.pmid,
                abstract="Synthetic abstract about zelmorin and blood pressure.",
            ),
        )
    study.refresh_from_db()
    assert study.abstract == "Synthetic abstract about zelmorin and blood pressure."
    assert StudyVector.objects.get(study=study).text_hash == text_hash(
        study_text(study.title, study.abstract)
    )


def test_a_study_added_in_the_admin_is_embedded(
    client, researcher, django_capture_on_commit_callbacks
):
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:evidence_study_add"), study_form())
    study = Study.objects.get(title="Synthetic study entered through the admin")
    assert StudyVector.objects.filter(study=study).exists()


def test_a_change_through_the_api_to_the_title_has_the_study_embedded_again(
    researcher, django_capture_on_commit_callbacks
):
    from tests.api.conftest import token_client

    study = StudyFactory()
    study_vectors_refresh()
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(researcher).patch(
            f"/api/studies/{study.pk}/", {"title": "Synthetic study, its title corrected"}
        )
    assert response.status_code == 200, response.content
    assert StudyVector.objects.get(study=study).text_hash == text_hash(
        study_text("Synthetic study, its title corrected", "")
    )


def test_a_change_that_leaves_the_title_and_abstract_alone_enqueues_nothing(
    researcher, django_capture_on_commit_callbacks
):
    from tests.api.conftest import token_client

    study = StudyFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        token_client(researcher).patch(f"/api/studies/{study.pk}/", {"participants": 42})
    assert callbacks == []


def test_the_studies_an_import_creates_are_embedded_once_it_commits(
    db, django_capture_on_commit_callbacks
):
    records = read((SAMPLES / "synthetic.ris").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        result = studies_import(records=records, source="synthetic.ris")
    created = [outcome.study_id for outcome in result.outcomes if outcome.study_id]
    assert created
    assert set(StudyVector.objects.values_list("study_id", flat=True)) == set(created)


def test_a_dry_run_import_embeds_nothing(db, django_capture_on_commit_callbacks):
    records = read((SAMPLES / "synthetic.ris").read_bytes())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        studies_import(records=records, dry_run=True)
    assert callbacks == []
    assert not StudyVector.objects.exists()


# --- The command ---------------------------------------------------------------------------


def embed_studies(*args):
    out = StringIO()
    call_command("embed_studies", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_embed_studies_embeds_the_missing_and_stale_vectors(db):
    first, second = StudyFactory.create_batch(2)
    name = embedding.get_encoder().name
    assert embed_studies() == f"2 embedded, 0 already current ({name})\n"
    second.abstract = "Synthetic abstract, added later."
    second.save()
    assert embed_studies() == f"1 embedded, 1 already current ({name})\n"
    assert embed_studies() == f"0 embedded, 2 already current ({name})\n"


def test_embed_studies_with_all_embeds_every_study_again(db):
    StudyFactory.create_batch(3)
    embed_studies()
    assert embed_studies("--all").startswith("3 embedded, 0 already current")


def test_embed_studies_without_the_model_fails_and_writes_nothing(db, monkeypatch):
    StudyFactory()
    monkeypatch.setattr(embedding, "get_encoder", lambda: None)
    monkeypatch.setattr(embedding, "encoder_unavailable_reason", lambda: "a synthetic reason")
    with pytest.raises(CommandError, match="Nothing embedded: a synthetic reason"):
        embed_studies()
    assert not StudyVector.objects.exists()


def test_loading_the_seed_embeds_its_studies(db):
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert f"Embedded {Study.objects.count()} studies." in out.getvalue()
    assert StudyVector.objects.count() == Study.objects.count()


# --- The claim page ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["researcher", "grader", "admin_user"])
def test_researchers_and_graders_see_the_candidates_with_an_add_a_finding_link(
    client, library, request, role
):
    claim, near, _ = library
    client.force_login(request.getfixturevalue(role))
    response = client.get(claim.get_absolute_url())
    assertContains(response, HEADING)
    assertContains(response, embedding.get_encoder().name)
    assertContains(response, "Nothing is linked without a person")
    for study in near:
        assertContains(response, f'data-candidate-study="{study.pk}"')
        assertContains(
            response, f"/admin/claims/finding/add/?study={study.pk}&amp;claim={claim.pk}"
        )


def test_the_page_says_so_when_the_model_is_unavailable(client, researcher, library, monkeypatch):
    claim, _, _ = library
    monkeypatch.setattr(embedding, "get_encoder", lambda: None)
    monkeypatch.setattr(embedding, "encoder_unavailable_reason", lambda: "a synthetic reason")
    client.force_login(researcher)
    response = client.get(claim.get_absolute_url())
    assertContains(response, "No suggestions: the embedding model is unavailable")
    assertContains(response, "a synthetic reason")


def test_the_add_a_finding_link_opens_the_admins_form_with_the_study_and_claim_chosen(
    client, researcher, library
):
    claim, near, _ = library
    client.force_login(researcher)
    response = client.get(f"/admin/claims/finding/add/?study={near[0].pk}&claim={claim.pk}")
    form = response.context["adminform"].form
    assert (int(form.initial["study"]), int(form.initial["claim"])) == (near[0].pk, claim.pk)
    assertContains(response, f'<option value="{near[0].pk}" selected>')


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_never_see_the_candidates(client, library, request, who):
    claim, _, _ = library
    if who == "reader":
        client.force_login(request.getfixturevalue("reader"))
    assertNotContains(client.get(claim.get_absolute_url()), HEADING)


# Queries of this claim's page (no finding yet) for an anonymous reader: the claim, its
# findings (light rows, each with its study's risk of bias), statements, published grades and
# the current grade, as tests/claims/test_claim_detail.py counts them (no finding: no shown
# finding, no appraisal).
ANONYMOUS_QUERIES = 5
# A signed-in reader adds the session and the user, and nothing for the candidates: a reader
# is not staff, so not even a permission is looked up.
READER_QUERIES = ANONYMOUS_QUERIES + 2
# A researcher adds, to a reader's: the permissions (the user's, the groups'), the ranked
# vectors, the studies; on PostgreSQL also the SET of pgvector's iterative scan. The same
# whatever the size of the library.
STAFF_QUERIES = READER_QUERIES + 4 + (connection.vendor == "postgresql")


def test_the_page_runs_a_fixed_number_of_queries_for_readers_and_for_researchers(
    client, reader, researcher, library, django_assert_num_queries
):
    claim, _, _ = library
    url = claim.get_absolute_url()
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        client.get(url)
    client.force_login(reader)
    with django_assert_num_queries(READER_QUERIES):
        client.get(url)
    client.force_login(researcher)
    with django_assert_num_queries(STAFF_QUERIES):
        client.get(url)
    StudyFactory.create_batch(5)
    study_vectors_refresh()
    with django_assert_num_queries(STAFF_QUERIES):
        client.get(url)
