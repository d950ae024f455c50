"""Candidate studies for a claim: the studies of the library nearest to the claim by meaning,
among those with no finding on it yet. DESIGN.md, "Bringing in a new article": the model
suggests, a person links; nothing here writes a finding.

- study_vectors_refresh embeds, in batches, the studies whose vector is missing or stale (their
  title or abstract changed, or another model made it); refresh_study_vectors is the same as a
  task, and study_vectors_refresh_on_commit enqueues it once the writing transaction commits.
  claims/ calls it where it writes studies (the admin, the API's services, a merge), and an
  import calls it through evidence.services.studies_imported_hooks (registered in ClaimsConfig).
- nearest_studies ranks with pgvector's cosine distance over the HNSW index on PostgreSQL (one
  query), and with numpy over the stored vectors on SQLite, read in chunks.
- candidate_studies_for_page is what the claim page asks: nothing, and no query, for readers.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from django.db import connection, transaction
from django.db.models import Exists, FloatField, Func, OuterRef
from django.tasks import task
from django.utils import timezone

from claims.intake import embedding
from claims.intake.study_vectors import StudyVector, study_text, text_hash, vector_literal
from claims.models import Finding
from evidence.models import Study

logger = logging.getLogger(__name__)

# Studies embedded per call of the encoder and per transaction: large enough for the encoder to
# batch well, small enough that a long run shows progress and keeps what it has done.
EMBED_BATCH_SIZE = 256
# How many candidates the claim page lists.
CANDIDATE_LIMIT = 10
# Vectors read from SQLite per numpy step: 2,000 x 384 float32 is 3 MB at a time.
SQLITE_CHUNK_SIZE = 2000
# Who sees the candidates: those who can act on them, by adding a finding.
CANDIDATES_PERMISSION = "claims.add_finding"
# How pgvector's HNSW index is searched, set on the connection before the ranking query.
# ef_search: the candidates the graph search keeps; pgvector's default, 40, found 94% of the
# exact 10 nearest among 100,000 synthetic studies, 100 found all of them, for a millisecond
# more (make bench-candidates, docs/matching.md). iterative_scan (pgvector 0.8):
# the scan reads on while the filter (no finding on this claim yet) turns rows away, so a claim
# with many findings still gets its `limit` candidates, in exact order of distance.
PGVECTOR_EF_SEARCH = 100
PGVECTOR_SCAN = (
    "SELECT set_config('hnsw.ef_search', %s, false), "
    "set_config('hnsw.iterative_scan', 'strict_order', false)"
)


# --- Keeping the vectors current ------------------------------------------------------------


@dataclass
class RefreshResult:
    embedded: int = 0  # vectors made or remade
    current: int = 0  # studies whose vector was already current
    model_name: str = ""
    reason: str = ""  # why nothing was embedded: the encoder could not be loaded

    def as_dict(self):
        return {
            "embedded": self.embedded,
            "current": self.current,
            "model_name": self.model_name,
            "reason": self.reason,
        }


def study_vectors_refresh(
    *, studies=None, batch_size=EMBED_BATCH_SIZE, everything=False, progress=None
):
    """Embed the studies (a Study queryset; the whole library when None) whose vector is
    missing or stale: made from another text (the title or abstract changed) or by another
    model. `everything` remakes every vector. Each batch is embedded and written in its own
    transaction, so a long run keeps what it has done; `progress(n)` is called after each batch
    of n studies. Without an encoder nothing is written, and the result says why."""
    encoder = embedding.get_encoder()
    if encoder is None:
        return RefreshResult(reason=embedding.encoder_unavailable_reason())
    result = RefreshResult(model_name=encoder.name)
    queryset = Study.objects.all() if studies is None else studies
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        embedded = _refresh_batch(encoder, batch, everything)
        result.embedded += embedded
        result.current += len(batch) - embedded
        if progress:
            progress(len(batch))
    return result


def _refresh_batch(encoder, ids, everything):
    rows = Study.objects.filter(pk__in=ids).values_list(
        "pk", "title", "abstract", "vector__text_hash", "vector__model_name"
    )
    stale = []  # (study id, text, hash)
    for pk, title, abstract, stored_hash, stored_model in rows:
        text = study_text(title, abstract)
        digest = text_hash(text)
        if everything or stored_hash != digest or stored_model != encoder.name:
            stale.append((pk, text, digest))
    if not stale:
        return 0
    vectors = encoder.encode([text for _, text, _ in stale])
    now = timezone.now()
    with transaction.atomic():
        # A study deleted (merged) since it was read has nothing left to attach a vector to.
        alive = set(
            Study.objects.filter(pk__in=[pk for pk, _, _ in stale]).values_list("pk", flat=True)
        )
        StudyVector.objects.bulk_create(
            [
                StudyVector(
                    study_id=pk,
                    vector=vector,
                    model_name=encoder.name,
                    text_hash=digest,
                    embedded_at=now,
                )
                for (pk, _, digest), vector in zip(stale, vectors, strict=True)
                if pk in alive
            ],
            update_conflicts=True,
            unique_fields=["study"],
            update_fields=["vector", "model_name", "text_hash", "embedded_at"],
        )
    return len(stale)


@task()
def refresh_study_vectors(study_ids=None):
    """study_vectors_refresh as a task of Django's Tasks framework: the studies given by id, or
    the whole library. Returns the counts (a task's result is JSON)."""
    studies = None if study_ids is None else Study.objects.filter(pk__in=study_ids)
    result = study_vectors_refresh(studies=studies)
    if result.reason:
        logger.warning("Study vectors not refreshed: %s", result.reason)
    return result.as_dict()


def study_vectors_refresh_on_commit(study_ids):
    """Enqueue the refresh of these studies' vectors once the current transaction commits (at
    once outside one): a worker must see the studies as written, and a failed write must not
    embed anything. Called wherever claims/ writes a study's title or abstract."""
    ids = sorted({int(pk) for pk in study_ids})
    if ids:
        transaction.on_commit(partial(refresh_study_vectors.enqueue, study_ids=ids))


# --- The search ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    study: Study
    score: float  # cosine similarity of the claim and the study's title and abstract, -1 to 1


@dataclass
class Candidates:
    """The nearest studies, best first, and where they come from. Empty with a reason when the
    encoder could not be loaded."""

    studies: list[Candidate] = field(default_factory=list)
    model_name: str = ""
    reason: str = ""


def claim_text(claim):
    """What is embedded for a claim: its sentence. (Its subject and outcome are words of that
    sentence already; docs/matching.md, "Candidate studies", compares both on the seed.)"""
    return claim.text


def nearest_studies(claim, limit=CANDIDATE_LIMIT):
    """The `limit` studies nearest to the claim's text that have no finding on the claim (in
    any status: a rejected finding is a person's decision too), with their cosine similarity,
    best first. Only vectors of the current encoder count."""
    encoder = embedding.get_encoder()
    if encoder is None:
        return Candidates(reason=embedding.encoder_unavailable_reason())
    query = np.asarray(encoder.encode([claim_text(claim)])[0], dtype=np.float32)
    vectors = unlinked_vectors(claim, encoder.name)
    if connection.vendor == "postgresql":
        ranked = _ranked_by_pgvector(vectors, query, limit)
    else:
        ranked = _ranked_by_numpy(vectors, query, limit)
    studies = Study.objects.in_bulk([pk for pk, _ in ranked])
    return Candidates(
        studies=[Candidate(studies[pk], score) for pk, score in ranked if pk in studies],
        model_name=encoder.name,
    )


def unlinked_vectors(claim, model_name):
    """The vectors to rank for a claim: those of `model_name` (another model's vectors are in
    another space) of studies with no finding on the claim."""
    return StudyVector.objects.filter(model_name=model_name).exclude(
        Exists(Finding.objects.filter(claim=claim, study=OuterRef("study")))
    )


class CosineDistance(Func):
    """pgvector's cosine distance, `column <=> query`: what the HNSW index (vector_cosine_ops)
    orders by."""

    output_field = FloatField()

    def __init__(self, expression, query):
        super().__init__(expression)
        self.query = query

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"({column} <=> %s::vector)", [*params, vector_literal(self.query)]


def pgvector_ranking(vectors, query, limit):
    """The query that ranks on PostgreSQL: ORDER BY the cosine distance LIMIT n, which the HNSW
    index answers (run PGVECTOR_SCAN on the connection first). (study id, distance) rows."""
    return (
        vectors.annotate(distance=CosineDistance("vector", query))
        .order_by("distance")
        .values_list("study_id", "distance")[:limit]
    )


def _ranked_by_pgvector(vectors, query, limit):
    with connection.cursor() as cursor:
        cursor.execute(PGVECTOR_SCAN, [str(PGVECTOR_EF_SEARCH)])
    rows = [(pk, 1.0 - distance) for pk, distance in pgvector_ranking(vectors, query, limit)]
    # Equal distances (two studies with the same text) in the order numpy gives them.
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def _ranked_by_numpy(vectors, query, limit):
    """The exact nearest by cosine similarity (the vectors are unit length: a dot product), the
    best `limit` kept as the chunks go by. Ties go to the lower id, as on PostgreSQL."""
    best_ids = np.empty(0, dtype=np.int64)
    best_scores = np.empty(0, dtype=np.float32)
    rows = vectors.order_by("study_id").values_list("study_id", "vector")
    iterator = rows.iterator(chunk_size=SQLITE_CHUNK_SIZE)
    while chunk := _take(iterator, SQLITE_CHUNK_SIZE):
        ids = np.fromiter((pk for pk, _ in chunk), dtype=np.int64, count=len(chunk))
        scores = np.stack([vector for _, vector in chunk]) @ query
        best_ids = np.concatenate([best_ids, ids])
        best_scores = np.concatenate([best_scores, scores])
        order = np.lexsort((best_ids, -best_scores))[:limit]
        best_ids, best_scores = best_ids[order], best_scores[order]
    return [(int(pk), float(score)) for pk, score in zip(best_ids, best_scores, strict=True)]


def _take(iterator, count):
    chunk = []
    for row in iterator:
        chunk.append(row)
        if len(chunk) == count:
            break
    return chunk


# --- The claim page ------------------------------------------------------------------------


def candidate_studies_for_page(user, claim):
    """The candidates a claim page shows this user: None for readers (and no query: they are
    not staff, so no permission is looked up), the nearest studies for researchers, graders and
    admins."""
    if not (user.is_staff and user.has_perm(CANDIDATES_PERMISSION)):
        return None
    return nearest_studies(claim)
