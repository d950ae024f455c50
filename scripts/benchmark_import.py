#!/usr/bin/env python
"""Benchmark of import_studies: generates a MEDLINE (.nbib) file and a RIS file of plainly
synthetic records (100,000 each by default), then imports each into a fresh SQLite database and
a fresh PostgreSQL database with `manage.py import_studies`, and prints records per second
beside the bare parse rate of the same file (decode and parse, no database).

    make benchmark                       # or: .venv/bin/python scripts/benchmark_import.py
    .venv/bin/python scripts/benchmark_import.py --records 10000 --postgres postgres://…/name

The PostgreSQL database (default postgres://postgres@127.0.0.1:5432/evidence_benchmark) is
dropped and created for each run: never point it at a database you keep. Not a test: it times.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence.importers import read  # noqa: E402  (pure Python: no Django needed)

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/evidence_benchmark"
WORDS = (
    "synthetic made-up compound trial cohort marker dose response placebo adults mice rats "
    "serum plasma outcome exposure randomised controlled effect model analysis review fictional "
    "imaginary test sample level change week month baseline follow-up group arm"
).split()
TYPES = [
    "Journal Article",
    "Randomized Controlled Trial",
    "Review",
    "Case Reports",
    "Meta-Analysis",
]


def title(rng, n):
    return f"Synthetic {' '.join(rng.choice(WORDS) for _ in range(8))} {n}"


def author(rng):
    return f"Synthauthor{rng.randrange(20000)}", rng.choice("ABCDEFGH") + rng.choice(["", "J", "K"])


def medline(n, rng):
    surname, initials = author(rng)
    return (
        f"PMID- {990000001 + n}\nOWN - NLM\nSTAT- MEDLINE\nDP  - {rng.randrange(1990, 2025)} May\n"
        f"TI  - {title(rng, n)}.\nPG  - {n % 500 + 1}-{n % 500 + 9}\n"
        f"LID - 10.5555/bench.medline.{n} [doi]\n"
        f"AB  - A synthetic abstract for the benchmark, record {n}: "
        f"{' '.join(rng.choice(WORDS) for _ in range(12))}\n"
        f"      {' '.join(rng.choice(WORDS) for _ in range(12))}.\n"
        f"FAU - {surname}, {initials}\nAU  - {surname} {initials}\nFAU - Second, Bea\nAU  - Second B\n"
        f"LA  - eng\nPT  - Journal Article\nPT  - {rng.choice(TYPES)}\n"
        f"TA  - J Synth Bench\nJT  - Journal of Synthetic Benchmarks\nVI  - {n % 40 + 1}\n"
        f"IP  - {n % 12 + 1}\nMH  - {rng.choice(['Humans', 'Animals'])}\nMH  - Synthetic Compounds\n"
        f"OT  - synthetic\n\n"
    )


def ris(n, rng):
    surname, initials = author(rng)
    return (
        f"TY  - JOUR\nTI  - {title(rng, n)}\nAU  - {surname}, {initials}\nAU  - Second, B.\n"
        f"T2  - Journal of Synthetic Benchmarks\nPY  - {rng.randrange(1990, 2025)}\n"
        f"VL  - {n % 40 + 1}\nIS  - {n % 12 + 1}\nSP  - {n % 500 + 1}\nEP  - {n % 500 + 9}\n"
        f"DO  - 10.5555/bench.ris.{n}\n"
        f"AB  - A synthetic abstract for the benchmark, record {n}: "
        f"{' '.join(rng.choice(WORDS) for _ in range(24))}.\n"
        f"KW  - {rng.choice(['Humans', 'Animals'])}\nKW  - synthetic\nLA  - English\n"
        f"UR  - https://example.org/synthetic/bench/{n}\nER  - \n\n"
    )


def generate(directory, count):
    files = {}
    for name, record in (("medline", medline), ("ris", ris)):
        rng = random.Random(name)
        path = directory / f"bench.{'nbib' if name == 'medline' else 'ris'}"
        with path.open("w", encoding="utf-8") as handle:
            for n in range(count):
                handle.write(record(n, rng))
        files[name] = path
    return files


def parse_rate(path, count):
    started = time.perf_counter()
    records = read(path.read_bytes())
    elapsed = time.perf_counter() - started
    assert len(records) == count, (path, len(records))
    return count / elapsed


def fresh_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(database_url, *args):
    # DEBUG off, as in production: with it on, Django keeps the text of every query.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def import_rate(database_url, path, count):
    manage(database_url, "migrate", "--no-input")
    started = time.perf_counter()
    result = manage(database_url, "import_studies", str(path))
    elapsed = time.perf_counter() - started
    expected = f"{path}: {count} created, 0 duplicates, 0 possible duplicates, 0 errors"
    assert result.stdout.strip() == expected, result.stdout
    return count / elapsed, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        print(f"Generating {args.records:,} synthetic records per format …", flush=True)
        files = generate(directory, args.records)
        print(
            f"{'file':<10} {'database':<11} {'import rec/s':>13} {'seconds':>8} {'parse rec/s':>12}"
        )
        for name, path in files.items():
            parsed = parse_rate(path, args.records)
            databases = [("SQLite", f"sqlite:///{directory / 'bench.sqlite3'}")]
            if not args.skip_postgres:
                databases.append(("PostgreSQL", args.postgres))
            for label, url in databases:
                if label == "SQLite":
                    (directory / "bench.sqlite3").unlink(missing_ok=True)
                else:
                    fresh_postgres(url)
                rate, seconds = import_rate(url, path, args.records)
                print(
                    f"{name:<10} {label:<11} {rate:>13,.0f} {seconds:>8.1f} {parsed:>12,.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
