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

The synthetic library has topics: each study's title and abstract are drawn mostly from one of
1,000 small sets of words (the model's own vocabulary; one for every 100 studies), and each claim from one topic with
findings on five of its studies, so that the excluded studies are among the nearest.

--vectors real (the default): each title and abstract embedded by the real model with
study_vectors_refresh (timed: the embedding rate of an import, writes included).
--vectors random: random unit vectors of DIMENSIONS instead; the worst case for an HNSW graph
(no neighbourhoods to find: its recall there says little about a real library).

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
PGVECTOR_DEFAULT_EF_SEARCH = 40
# The synthetic library has topics, as a real one has: each study's words are drawn mostly from
# one of a few small sets of words, a topic for every STUDIES_PER_TOPIC studies (and some words
# from anywhere), so that related studies exist and
# an approximate index has neighbourhoods to find. The words are the embedding model's own
# vocabulary (its tokenizer's whole words), so every one of them means something to the model.
STUDIES_PER_TOPIC = 100
TOPIC_WORDS = 12
TOPIC_SHARE = 0.8


class Library:
    """Plainly synthetic texts for studies and claims, reproducible from SEED."""

    def __init__(self, rng, topics):
        vocabulary = json.loads((ROOT / "claims/intake/model/tokenizer.json").read_text())
        self.words = sorted(w for w in vocabulary["model"]["vocab"] if re.fullmatch("[a-z]{4,}", w))
        self.rng = rng
        self.topics = [rng.sample(self.words, TOPIC_WORDS) for _ in range(topics)]

    def text(self, topic, count):
        return " ".join(
            self.rng.choice(self.topics[topic] if self.rng.random() < TOPIC_SHARE else self.words)
            for _ in range(count)
        )

    def study(self, n):
        topic = self.rng.randrange(len(self.topics))
        title = f"Synthetic benchmark study {n}: {self.text(topic, 8)}"
        abstract = f"A synthetic abstract for the benchmark, study {n}: {self.text(topic, 30)}."
        return topic, title, abstract

    def claim(self, n, topic):
        return f"Synthetic benchmark claim {n}: {self.text(topic, 6)}."


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

    from claims.intake import candidates, embedding
    from claims.intake.candidates import (
        PGVECTOR_EF_SEARCH,
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
    library = Library(rng, topics=max(QUERIES, args.studies // STUDIES_PER_TOPIC))
    by_topic = {}  # topic -> study ids
    started = time.perf_counter()
    for start in range(0, args.studies, INSERT_BATCH):
        texts = [library.study(n) for n in range(start, min(start + INSERT_BATCH, args.studies))]
        created = Study.objects.bulk_create(
            Study(
                title=title,
                abstract=abstract,
                doi=f"10.5555/bench.vectors.{start + i}",
                year=1990 + (start + i) % 35,
                authors=[f"Synthauthor{(start + i) % 20000} A"],
            )
            for i, (_, title, abstract) in enumerate(texts)
        )
        for (topic, _, _), study in zip(texts, created, strict=True):
            by_topic.setdefault(topic, []).append(study.pk)
    out["fill_studies_s"] = time.perf_counter() - started

    started = time.perf_counter()
    if args.vectors == "real":
        result = study_vectors_refresh()
        out["embedded"] = result.embedded
        out["embed_rate"] = result.embedded / (time.perf_counter() - started)
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

    # Each claim is on a topic, with findings on FINDINGS_PER_CLAIM of that topic's studies:
    # the studies it excludes are among its nearest, as they would be in a real library.
    topics = rng.sample(
        sorted(t for t, ids in by_topic.items() if len(ids) > FINDINGS_PER_CLAIM), QUERIES
    )
    claims = Claim.objects.bulk_create(
        Claim(
            slug=f"synthetic-benchmark-claim-{n}",
            text=library.claim(n, topic),
            kind="effect",
            status=Status.PUBLISHED,
        )
        for n, topic in enumerate(topics)
    )
    Finding.objects.bulk_create(
        Finding(
            claim=claim,
            study_id=study,
            direction="supports",
            note="A synthetic finding for the benchmark.",
        )
        for claim, topic in zip(claims, topics, strict=True)
        for study in rng.sample(by_topic[topic], FINDINGS_PER_CLAIM)
    )

    nearest_studies(claims[0])  # the first call loads the model: not timed
    if not postgres:
        out["runs"] = [{"label": "numpy, exact", **timed(claims, nearest_studies)}]
    else:
        exact = exact_nearest(encoder, claims, StudyVector)
        out["runs"] = []
        # pgvector's default ef_search beside the product's (claims.intake.candidates).
        for ef_search in (PGVECTOR_DEFAULT_EF_SEARCH, PGVECTOR_EF_SEARCH):
            candidates.PGVECTOR_EF_SEARCH = ef_search
            run = {"label": f"HNSW, ef_search {ef_search}", **timed(claims, nearest_studies)}
            found = sum(
                len({c.study.pk for c in nearest_studies(claim, limit=LIMIT).studies} & exact[n])
                for n, claim in enumerate(claims)
            )
            run["recall"] = found / (LIMIT * len(claims))
            out["runs"].append(run)
        query = encoder.encode([claims[0].text])[0]
        ranking = pgvector_ranking(unlinked_vectors(claims[0], encoder.name), query, LIMIT)
        with connection.cursor() as cursor:
            cursor.execute(PGVECTOR_SCAN, [str(PGVECTOR_EF_SEARCH)])
        out["explain"] = ranking.explain(analyze=True)
    print(json.dumps(out))


def timed(claims, nearest_studies):
    """Median and 95th percentile, in ms, of nearest_studies over the claims."""
    timings = []
    for claim in claims:
        started = time.perf_counter()
        result = nearest_studies(claim, limit=LIMIT)
        timings.append((time.perf_counter() - started) * 1000)
        assert len(result.studies) == LIMIT, len(result.studies)
    timings.sort()
    return {"p50_ms": statistics.median(timings), "p95_ms": timings[int(0.95 * len(timings)) - 1]}


def exact_nearest(encoder, claims, StudyVector):
    """For each claim, the ids of its exact LIMIT nearest studies without a finding on it
    (numpy over every vector): what the HNSW index's answers are measured against."""
    import numpy as np

    ids, vectors = [], []
    for pk, vector in StudyVector.objects.values_list("study_id", "vector").iterator(5000):
        ids.append(pk)
        vectors.append(vector)
    ids, matrix = np.array(ids), np.stack(vectors)
    exact = []
    for claim in claims:
        linked = set(claim.findings.values_list("study_id", flat=True))
        order = np.argsort(-(matrix @ encoder.encode([claim.text])[0]))
        exact.append({int(ids[i]) for i in order[: LIMIT + len(linked)] if ids[i] not in linked})
    return exact


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
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"The benchmark on {database_url} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--vectors", choices=["real", "random"], default="real")
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
        databases = [("SQLite", f"sqlite:///{Path(directory) / 'bench.sqlite3'}")]
        if not args.skip_postgres:
            databases.insert(0, ("PostgreSQL", args.postgres))
        for label, url in databases:
            if url.startswith("postgres"):
                fresh_postgres(url)
            try:
                results.append((label, run_worker(url, args)))
            finally:
                if url.startswith("postgres") and not args.keep:
                    drop_postgres(url)
    model = results[0][1]["model"]
    print(f"model: {model}")
    for label, out in results:
        if "embed_rate" in out:
            print(f"{label}: embedded {out['embedded']:,} studies, {out['embed_rate']:,.0f}/s")
    print()
    print(f"{'database, search':<32} {'p50 ms':>7} {'p95 ms':>7} {'recall@10':>10}")
    for label, out in results:
        for run in out["runs"]:
            recall = f"{run['recall']:.3f}" if "recall" in run else "1 (exact)"
            name = f"{label}, {run['label']}"
            print(f"{name:<32} {run['p50_ms']:>7.1f} {run['p95_ms']:>7.1f} {recall:>10}")
    print()
    for label, out in results:
        index = (
            f", HNSW index built in {out['index_build_s']:.1f} s" if "index_build_s" in out else ""
        )
        print(f"{label}: vectors written in {out['fill_vectors_s']:.1f} s{index}")
    for label, out in results:
        if "explain" in out:
            # The query vector's hundreds of numbers, shortened.
            plan = re.sub(r"'\[[^']{40,}\]'", "'[…]'", out["explain"])
            print(f"\nEXPLAIN ANALYZE of the ranking query ({label}):\n{plan}")
    return None


if __name__ == "__main__":
    main()
