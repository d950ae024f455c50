#!/usr/bin/env python
"""Benchmark of import_studies: generates a MEDLINE (.nbib) file and a RIS file of plainly
synthetic records (100,000 each by default), then imports each with `manage.py import_studies`
into a fresh SQLite database and into a PostgreSQL database that already holds a synthetic
library (1,000,000 studies by default, `manage.py make_library`), and prints records per second,
the command's CPU seconds and its peak memory beside the bare parse rate of the same file
(read from disk, decoded and parsed as the import reads it, no database).

    make benchmark                       # or: .venv/bin/python scripts/benchmark_import.py
    .venv/bin/python scripts/benchmark_import.py --records 10000 --stored 100000 --skip-sqlite

Dedupe is part of what is timed: one record in a hundred has the DOI of a stored study (of the
library: a duplicate on PostgreSQL, new on the empty SQLite), one repeats the DOI of the record
before it (a duplicate) and one its title and year under another DOI (a possible duplicate).

The PostgreSQL database (default postgres://postgres@127.0.0.1:5432/evidence_benchmark) is
dropped and created for each run, as a copy of a template database holding the library
(`<name>_library_<stored>`, made once with make_library and kept for the next runs): never point
it at a database you keep. The import runs with DEBUG off and TASKS_BACKEND=database, as
`make serve` runs the site (the embedding refresh is enqueued, for a worker). Not a test: it
times.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evidence.importers import Text, records_of  # noqa: E402  (pure Python: no Django needed)

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/evidence_benchmark"
TIME = Path("/usr/bin/time")
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


class Identities:
    """The DOI, year and title of each record. One in a hundred has the DOI of a library's study
    (of the stored ones on PostgreSQL), the next the DOI of the record before it (a duplicate),
    the next the title and year of the record three before under a DOI of its own (a possible
    duplicate)."""

    def __init__(self, name, stored):
        self.name, self.stored, self.recent = name, stored, {}

    def __call__(self, n, rng):
        doi, year, heading = (
            f"10.5555/bench.{self.name}.{n}",
            rng.randrange(1990, 2025),
            title(rng, n),
        )
        if n % 100 == 50 and self.stored:
            doi = f"10.5555/library.{1 + (n // 100 * 7919) % self.stored}"
        elif n % 100 == 51:
            doi = self.recent[n - 1][0]
        elif n % 100 == 52:
            year, heading = self.recent[n - 3][1:]
        self.recent[n] = (doi, year, heading)
        self.recent.pop(n - 4, None)
        return self.recent[n]


def author(rng):
    return f"Synthauthor{rng.randrange(20000)}", rng.choice("ABCDEFGH") + rng.choice(["", "J", "K"])


def medline(n, rng, same):
    surname, initials = author(rng)
    doi, year, heading = same(n, rng)
    return (
        f"PMID- {990000001 + n}\nOWN - NLM\nSTAT- MEDLINE\nDP  - {year} May\n"
        f"TI  - {heading}.\nPG  - {n % 500 + 1}-{n % 500 + 9}\n"
        f"LID - {doi} [doi]\n"
        f"AB  - A synthetic abstract for the benchmark, record {n}: "
        f"{' '.join(rng.choice(WORDS) for _ in range(12))}\n"
        f"      {' '.join(rng.choice(WORDS) for _ in range(12))}.\n"
        f"FAU - {surname}, {initials}\nAU  - {surname} {initials}\nFAU - Second, Bea\nAU  - Second B\n"
        f"LA  - eng\nPT  - Journal Article\nPT  - {rng.choice(TYPES)}\n"
        f"TA  - J Synth Bench\nJT  - Journal of Synthetic Benchmarks\nVI  - {n % 40 + 1}\n"
        f"IP  - {n % 12 + 1}\nMH  - {rng.choice(['Humans', 'Animals'])}\nMH  - Synthetic Compounds\n"
        f"OT  - synthetic\n\n"
    )


def ris(n, rng, same):
    surname, initials = author(rng)
    doi, year, heading = same(n, rng)
    return (
        f"TY  - JOUR\nTI  - {heading}\nAU  - {surname}, {initials}\nAU  - Second, B.\n"
        f"T2  - Journal of Synthetic Benchmarks\nPY  - {year}\n"
        f"VL  - {n % 40 + 1}\nIS  - {n % 12 + 1}\nSP  - {n % 500 + 1}\nEP  - {n % 500 + 9}\n"
        f"DO  - {doi}\n"
        f"AB  - A synthetic abstract for the benchmark, record {n}: "
        f"{' '.join(rng.choice(WORDS) for _ in range(24))}.\n"
        f"KW  - {rng.choice(['Humans', 'Animals'])}\nKW  - synthetic\nLA  - English\n"
        f"UR  - https://example.org/synthetic/bench/{n}\nER  - \n\n"
    )


def generate(directory, count, stored):
    files = {}
    for name, record in (("medline", medline), ("ris", ris)):
        rng, same = random.Random(name), Identities(name, stored)
        path = directory / f"bench.{'nbib' if name == 'medline' else 'ris'}"
        with path.open("w", encoding="utf-8") as handle:
            for n in range(count):
                handle.write(record(n, rng, same))
        files[name] = path
    return files


def parse_rate(path, count):
    """Records per second of the import's own reading of the file (records_of), alone."""
    started = time.perf_counter()
    parsed = sum(1 for _ in records_of(Text.on_disk(path)))
    elapsed = time.perf_counter() - started
    assert parsed == count, (path, parsed)
    return count / elapsed


def fresh_postgres(url, stored):
    """A new database at url, a copy of the template holding `stored` library studies (made
    the first time with make_library)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    base_url = url.rsplit("/", 1)[0]
    template = f"{name}_library_{stored}"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if not exists:
            print(f"Making the template {template} ({stored:,} studies), once …", flush=True)
            connection.execute(f'CREATE DATABASE "{template}"')
            manage(f"{base_url}/{template}", "migrate", "--no-input")
            if stored:
                manage(
                    f"{base_url}/{template}",
                    *("make_library", "--studies", str(stored), "--claims", "1000"),
                    *("--findings", "10000"),
                )
            with psycopg.connect(f"{base_url}/{template}", autocommit=True) as library:
                library.execute("VACUUM ANALYZE")
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def manage(database_url, *args):
    """Runs manage.py; returns its output, its peak resident memory in MB and the CPU seconds
    it used (GNU time's %M, %U and %S; None without /usr/bin/time)."""
    # DEBUG off, as in production: with it on, Django keeps the text of every query.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-secret-key",
        "TASKS_BACKEND": "database",
    }
    with tempfile.NamedTemporaryFile("r") as memory:
        timed = ["/usr/bin/time", "-o", memory.name, "-f", "%M %U %S"] if TIME.exists() else []
        result = subprocess.run(
            [*timed, sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        usage = memory.read().strip().splitlines()
    if not usage:
        return result.stdout, None, None
    peak, user, system = usage[-1].split()
    return result.stdout, int(peak) / 1024, float(user) + float(system)


def import_rate(database_url, path, count):
    manage(database_url, "migrate", "--no-input")
    started = time.perf_counter()
    stdout, peak, cpu = manage(database_url, "import_studies", str(path))
    elapsed = time.perf_counter() - started
    summary = re.fullmatch(
        rf"{re.escape(str(path))}: (\d+) created, (\d+) duplicates, (\d+) possible duplicates, "
        r"0 errors",
        stdout.strip(),
    )
    assert summary and sum(map(int, summary.groups())) == count, stdout
    return count / elapsed, elapsed, peak, cpu, summary.groups()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--stored", type=int, default=1_000_000, help="Studies already in the PostgreSQL database."
    )
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--formats", default="medline,ris", help="medline, ris or both")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        print(f"Generating {args.records:,} synthetic records per format …", flush=True)
        files = generate(directory, args.records, args.stored)
        databases = []
        if not args.skip_sqlite:
            databases.append(("SQLite", f"sqlite:///{directory / 'bench.sqlite3'}", 0))
        if not args.skip_postgres:
            databases.append(("PostgreSQL", args.postgres, args.stored))
        print(
            f"{'file':<8} {'database':<10} {'stored':>9} {'import rec/s':>12} {'seconds':>7} "
            f"{'CPU s':>6} {'peak MB':>7} {'parse rec/s':>11}  created/duplicates/possible"
        )
        for name in args.formats.split(","):
            path = files[name]
            parsed = parse_rate(path, args.records)
            for label, url, stored in databases:
                if label == "SQLite":
                    (directory / "bench.sqlite3").unlink(missing_ok=True)
                else:
                    fresh_postgres(url, stored)
                rate, seconds, peak, cpu, counts = import_rate(url, path, args.records)
                print(
                    f"{name:<8} {label:<10} {stored:>9,} {rate:>12,.0f} {seconds:>7.1f} "
                    f"{cpu or 0:>6.1f} {peak or 0:>7,.0f} {parsed:>11,.0f}  {'/'.join(counts)}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
