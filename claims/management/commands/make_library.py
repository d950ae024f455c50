"""manage.py make_library --studies N --claims N --findings N [--articles N --statements N]

Adds a clearly synthetic library (claims/synthetic.py) for benchmarks and load tests: studies
titled "Synthetic study …" with DOIs under 10.5555/, claims, findings (the first claim with 500),
published or provisional grades for most claims, appraisals of one study in ten, and articles
whose sentences are statements (the first with 200). COPY on PostgreSQL, bulk_create on SQLite.
Shows a progress bar on a terminal and ends with what it made and how long it took.

It refuses a database holding studies that are not synthetic unless given --force (it then adds
the library beside them and changes nothing else).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.synthetic import RealStudiesPresent, Size, library_make


class Command(BaseCommand):
    help = "Add a synthetic library of studies, claims, findings and articles (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--studies", type=int, default=100_000)
        parser.add_argument("--claims", type=int, default=10_000)
        parser.add_argument("--findings", type=int, default=300_000)
        parser.add_argument("--articles", type=int, default=1)
        parser.add_argument("--statements", type=int, default=200, help="In all articles.")
        parser.add_argument("--seed", type=int, default=1, help="The random generator's seed.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the library even though the database holds real (non-synthetic) studies.",
        )

    def handle(self, *args, studies, claims, findings, articles, statements, seed, force, **_):
        stream = getattr(self.stderr, "_out", sys.stderr)
        bars = {}

        def progress(label, done, total):
            if label not in bars:
                for bar in bars.values():
                    bar.close()
                bars[label] = tqdm(
                    total=total,
                    desc=label,
                    unit=" rows",
                    file=stream,
                    disable=not stream.isatty(),
                    leave=False,
                )
            bar = bars[label]
            bar.update(done - bar.n)

        started = time.perf_counter()
        try:
            made = library_make(
                size=Size(studies, claims, findings, articles, statements),
                seed=seed,
                force=force,
                progress=progress,
            )
        except (RealStudiesPresent, ValueError) as error:
            raise CommandError(str(error)) from None
        finally:
            for bar in bars.values():
                bar.close()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{made.studies:,} studies, {made.claims:,} claims, {made.findings:,} findings, "
            f"{made.assessments:,} grades, {made.appraisals:,} appraisals, "
            f"{made.articles:,} articles with {made.statements:,} statements "
            f"in {seconds:.1f} s"
        )
