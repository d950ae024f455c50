#!/usr/bin/env python
"""Benchmark of the candidate studies of a claim (claims.intake.candidates.nearest_studies) at
100,000 studies: pgvector's HNSW index on PostgreSQL against numpy on SQLite.

    make bench-candidates               # or: .venv/bin/python scripts/bench_candidates.py
    .venv/bin/python scripts/bench_candidates.py --studies 20000 --vectors real

For each database (a throwaway PostgreSQL database, by default
postgres://postgres@127.0.0.1:5432/evidence_bench_vectors, dropped and created: never point it at
a database you keep; and a temporary SQLite file) it migrates, fills the library with plainly
synthetic studies ("Synthetic benchmark study N", DOIs 10.5555/bench.vectors.N) and their
vectors, 50 synthetic claims each with findings on 5 studies, then times nearest_studies for
each claim (the whole call: embedding the claim, the ranking, reading the studies) and prints
the median and 95th percentile. On PostgreSQL it also times the index build, prints EXPLAIN
ANALYZE of the ranking query (the HNSW index must be in the plan) and the recall@10 of the
index against the exact ranking.

--vectors random (the default): random unit vectors of DIMENSIONS, the same on both databases;
the worst case for an HNSW graph (no clusters to exploit) and independent of the model.
--vectors real: each synthetic title and abstract embedded by the real model with
study_vectors_refresh (timed: that is the embedding rate of an import).

Not a test: it times. Needs the local embedding model (claims.intake.embedding).
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/evidence_bench_vectors"
QUERIES = 50
FINDINGS_PER_CLAIM = 5
LIMIT = 10
INSERT_BATCH = 2000
SEED = 20261203
# The HNSW build keeps its graph in maintenance_work_mem; 100,000 x 256 float32 is 100 MB of
# vectors alone, more than the default 64 MB, with which the build spills and slows down.
BUILD_MEMORY = "512MB"
WORDS = (
    "synthetic made-up compound trial cohort marker dose response placebo adults mice rats "
    "serum plasma outcome exposure randomised controlled effect model analysis review fictional "
    "imaginary test sample level change week month baseline follow-up group arm blood pressure "
    "sleep pain inflammation liver kidney heart memory mood weight glucose insulin bone"
).split()


def words(rng, count):
    return " ".join(rng.choice(WORDS) for _ in range(count))


# --- The worker: one database, in its own process (Django reads DATABASE_URL at start) -------


def worker(args):
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    import numpy as np
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from claims.intake import embedding
    from claims.intake.candidates import (
        PGVECTOR_SCAN,
        nearest_studies,
        pgvector_ranking,
        study_vectors_refresh,
        unlinked_vectors,
    )
    from claims.intake.study_vectors import StudyVector, study_text, text_hash
    from claims.models import Claim, Finding, Status
    from evidence.models import Study

    encoder = embedding.get_encoder()
    if encoder is None:
        sys.exit(f"No embedding model: {embedding.encoder_unavailable_reason()}")
    out = {"database": connection.vendor, "model": encoder.name}
    call_command("migrate", verbosity=0)
    postgres = connection.vendor == "postgresql"
    if postgres:  # loaded first, indexed after: the way to build an HNSW index on a library
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS claims_studyvector_vector_hnsw")

    rng = random.Random(SEED)
    started = time.perf_counter()
    for start in range(0, args.studies, INSERT_BATCH):
        Study.objects.bulk_create(
            Study(
                title=f"Synthetic benchmark study {n}: {words(rng, 8)}",
                abstract=f"A synthetic abstract for the benchmark, study {n}: {words(rng, 30)}.",
                doi=f"10.5555/bench.vectors.{n}",
                year=1990 + n % 35,
                authors=[f"Synthauthor{n % 20000} A"],
            )
            for n in range(start, min(start + INSERT_BATCH, args.studies))
        )
    out["fill_studies_s"] = time.perf_counter() - started

    started = time.perf_counter()
    if args.vectors == "real":
        result = study_vectors_refresh()
        out["embedded"] = result.embedded
    else:
        vectors = np.random.default_rng(SEED).standard_normal(
            (args.studies, embedding.DIMENSIONS), dtype=np.float32
        )
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        now = timezone.now()
        rows = Study.objects.order_by("pk").values_list("pk", "title", "abstract")
        batch = []
        for (pk, title, abstract), vector in zip(rows.iterator(), vectors, strict=True):
            batch.append(
                StudyVector(
                    study_id=pk,
                    vector=vector,
                    model_name=encoder.name,
                    text_hash=text_hash(study_text(title, abstract)),
                    embedded_at=now,
                )
            )
            if len(batch) == INSERT_BATCH:
                StudyVector.objects.bulk_create(batch)
                batch = []
        StudyVector.objects.bulk_create(batch)
    out["fill_vectors_s"] = time.perf_counter() - started

    if postgres:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
            cursor.execute(
                "CREATE INDEX claims_studyvector_vector_hnsw ON claims_studyvector "
                "USING hnsw (vector vector_cosine_ops)"
            )
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("VACUUM ANALYZE claims_studyvector")
        out["index_build_s"] = time.perf_counter() - started

    claims = Claim.objects.bulk_create(
        Claim(
            slug=f"synthetic-benchmark-claim-{n}",
            text=f"Synthetic benchmark claim {n}: a made-up compound changes {words(rng, 3)}.",
            kind="effect",
            status=Status.PUBLISHED,
        )
        for n in range(QUERIES)
    )
    study_ids = list(Study.objects.values_list("pk", flat=True))
    Finding.objects.bulk_create(
        Finding(
            claim=claim,
            study_id=study,
            direction="supports",
            note="A synthetic finding for the benchmark.",
        )
        for claim in claims
        for study in rng.sample(study_ids, FINDINGS_PER_CLAIM)
    )

    nearest_studies(claims[0])  # the first call loads the model: not timed
    timings = []
    for claim in claims:
        started = time.perf_counter()
        result = nearest_studies(claim, limit=LIMIT)
        timings.append((time.perf_counter() - started) * 1000)
        assert len(result.studies) == LIMIT, len(result.studies)
    timings.sort()
    out["p50_ms"] = statistics.median(timings)
    out["p95_ms"] = timings[int(0.95 * len(timings)) - 1]

    if postgres:
        query = encoder.encode([claims[0].text])[0]
        ranking = pgvector_ranking(unlinked_vectors(claims[0], encoder.name), query, LIMIT)
        with connection.cursor() as cursor:
            cursor.execute(PGVECTOR_SCAN)
        out["explain"] = ranking.explain(analyze=True)
        out["recall_at_10"] = recall(encoder, claims, StudyVector, nearest_studies)
    print(json.dumps(out))


def recall(encoder, claims, StudyVector, nearest_studies):
    """The share of the exact 10 nearest (numpy over every vector, less the claim's linked
    studies) that the HNSW index returns, over the benchmark's claims."""
    import numpy as np

    ids, vectors = [], []
    for pk, vector in StudyVector.objects.values_list("study_id", "vector").iterator(5000):
        ids.append(pk)
        vectors.append(vector)
    ids, matrix = np.array(ids), np.stack(vectors)
    found = 0
    for claim in claims:
        linked = set(claim.findings.values_list("study_id", flat=True))
        scores = matrix @ encoder.encode([claim.text])[0]
        exact = [int(ids[i]) for i in np.argsort(-scores) if int(ids[i]) not in linked][:LIMIT]
        approximate = {c.study.pk for c in nearest_studies(claim, limit=LIMIT).studies}
        found += len(approximate & set(exact))
    return found / (LIMIT * len(claims))


# --- The driver ----------------------------------------------------------------------------


def fresh_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run_worker(database_url, args):
    # DEBUG off, as in production: with it on, Django keeps the text of every query.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key",
    }
    command = [sys.executable, __file__, "--worker", "--studies", str(args.studies)]
    command += ["--vectors", args.vectors]
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--vectors", choices=["random", "real"], default="random")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_VECTORS_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the PostgreSQL database.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    print(
        f"{args.studies:,} synthetic studies, {args.vectors} vectors, {QUERIES} claims with "
        f"{FINDINGS_PER_CLAIM} findings each, {LIMIT} candidates a claim",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory() as directory:
        databases = [("SQLite (numpy)", f"sqlite:///{Path(directory) / 'bench.sqlite3'}")]
        if not args.skip_postgres:
            databases.insert(0, ("PostgreSQL (pgvector HNSW)", args.postgres))
        for label, url in databases:
            if url.startswith("postgres"):
                fresh_postgres(url)
            try:
                results.append((label, run_worker(url, args)))
            finally:
                if url.startswith("postgres") and not args.keep:
                    drop_postgres(url)
    model = results[0][1]["model"]
    print(f"model: {model}\n")
    print(f"{'database':<28} {'p50 ms':>8} {'p95 ms':>8} {'fill vectors s':>15} {'index s':>8}")
    for label, out in results:
        index = f"{out['index_build_s']:.1f}" if "index_build_s" in out else "-"
        print(
            f"{label:<28} {out['p50_ms']:>8.1f} {out['p95_ms']:>8.1f} "
            f"{out['fill_vectors_s']:>15.1f} {index:>8}"
        )
    for label, out in results:
        if "explain" in out:
            print(
                f"\nrecall@{LIMIT} of the HNSW index against the exact ranking: "
                f"{out['recall_at_10']:.3f}"
            )
            # The query vector's hundreds of numbers, shortened.
            plan = re.sub(r"'\[[^']{40,}\]'", "'[…]'", out["explain"])
            print(f"\nEXPLAIN ANALYZE of the ranking query ({label}):\n{plan}")
    return None


if __name__ == "__main__":
    main()
