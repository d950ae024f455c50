"""manage.py grade_claims [--all] [--batch-size N] [--check]

Regrades the claims whose grading inputs (their kind, their approved findings and what the rules
read of those findings' studies and appraisals) changed since they were last graded, or every
claim with --all: the rules' suggestion is stored as each claim's provisional assessment, in
batches (claims.services.claims_regrade). A progress bar shows on a terminal; it ends with how
many claims it regraded and how long it took. With -v 2, each regraded claim's new grade.

--check compares every claim's stored grade (the columns the claims list sorts and filters on)
with the one its assessments give, lists any difference and stores the right one.
"""

import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from claims.models import Claim
from claims.services import claims_regrade


class Command(BaseCommand):
    help = (
        "Store the rules' suggestion as the provisional assessment of every claim whose grading "
        "inputs changed since it was last graded (of every claim with --all). Assessments by "
        "graders are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Regrade every claim, changed or not."
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Claims per batch (and transaction)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare each claim's stored grade with its assessments and repair it; no "
            "regrading.",
        )

    def handle(self, *args, all, batch_size, check, verbosity, **_):
        if check:
            return self.check_stored_grades()
        stream = getattr(self.stderr, "_out", sys.stderr)
        bar = tqdm(
            total=Claim.objects.count(),
            desc="claims",
            unit=" claims",
            file=stream,
            disable=not stream.isatty(),
            leave=False,
        )

        def progress(looked_at, total, stored):
            bar.update(looked_at - bar.n)
            if verbosity >= 2:
                for assessment in stored:
                    certainty = assessment.get_certainty_display() or "no certainty"
                    line = (
                        f"{assessment.claim.slug}: {assessment.get_verdict_display()}, {certainty}"
                    )
                    bar.write(line, file=self.stdout._out)  # above the bar, on a terminal

        started = time.perf_counter()
        try:
            regraded, looked_at = claims_regrade(
                every_claim=all, batch_size=batch_size, progress=progress
            )
        finally:
            bar.close()
        seconds = time.perf_counter() - started
        unchanged = "" if all else f"; {looked_at - regraded:,} unchanged since their last grading"
        self.stdout.write(
            f"Regraded {regraded:,} of {looked_at:,} claims{unchanged}, in {seconds:.1f} s."
        )

    def check_stored_grades(self):
        drift = Claim.objects.grade_drift()
        for pk, column, stored, computed in drift:
            self.stdout.write(
                f"Claim #{pk}: {column} stored {stored!r}, its assessments give {computed!r}"
            )
        claims = {pk for pk, *_ in drift}
        if not claims:
            self.stdout.write("Every claim's stored grade is the one its assessments give.")
            return
        Claim.objects.filter(pk__in=claims).store_grades()
        self.stdout.write(
            f"Stored the grade of {len(claims):,} claim{'s' * (len(claims) != 1)} again."
        )
