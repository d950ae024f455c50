"""manage.py recheck_retractions [--batch-size N]

Re-checks every stored study not yet retracted for a retraction: its PMID in PubMed (NCBI
E-utilities efetch, in batches: publication type "Retracted Publication" or a "Retraction in"
comment), else its DOI in Crossref's retraction notices (evidence.lookup.services.
studies_recheck_retractions). Each study found retracted is marked so with its notice, its
claims regraded and their published grades flagged for review; the grading queue lists it.
A progress bar shows on a terminal; it ends with what it checked and one line per study it
marked. A batch a service did not answer is named on stderr and the command exits 1 (the next
run checks it again). For a periodic run (cron, a systemd timer): README, "Re-checking
retractions".
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from evidence.lookup.services import (
    RECHECK_BATCH,
    LookupDisabled,
    studies_recheck_retractions,
    studies_to_recheck,
)


class Command(BaseCommand):
    help = (
        "Re-check the stored studies' PMIDs (PubMed) and DOIs (Crossref) for retractions, and "
        "mark those now retracted (their claims are regraded and flagged for review)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=RECHECK_BATCH,
            help=f"PMIDs per PubMed request (at most 200; default {RECHECK_BATCH}).",
        )

    def handle(self, *args, batch_size, **_):
        if not 1 <= batch_size <= 200:
            raise CommandError("--batch-size is between 1 and 200.")
        stream = getattr(self.stderr, "_out", sys.stderr)
        bar = tqdm(
            total=studies_to_recheck(),
            desc="studies",
            unit=" studies",
            file=stream,
            disable=not stream.isatty(),
            leave=False,
        )
        try:
            result = studies_recheck_retractions(batch_size=batch_size, progress=bar.update)
        except LookupDisabled as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        for study in result.retracted:
            self.stdout.write(
                f"Marked retracted: {study} (notice {study.retraction_notice_url}, "
                f"{study.retracted_on:%Y-%m-%d})"
            )
        self.stdout.write(f"Re-checked retractions: {result.summary}.")
        for error in result.errors:
            self.stderr.write(f"Not checked: {error}")
        if result.errors:
            sys.exit(1)
