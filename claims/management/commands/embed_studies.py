"""manage.py embed_studies [--all] [--batch-size N]

Embeds the library's studies (title and abstract) for the candidate studies of a claim: those
whose vector is missing or stale (the text changed, or another model made it), or with --all
every one. Shows a progress bar on a terminal and ends with

    N embedded, M already current (MODEL)

It exits 1, writing nothing, when the embedding model cannot be loaded. Imports and edits keep
the vectors current by themselves (a task); this is for a whole library: the first time, after
a change of model, or to catch up.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.intake.candidates import EMBED_BATCH_SIZE, study_vectors_refresh
from evidence.models import Study


class Command(BaseCommand):
    help = "Embed the studies' titles and abstracts whose vectors are missing or stale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Embed every study again, current or not.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=EMBED_BATCH_SIZE,
            help=f"Studies per batch (default {EMBED_BATCH_SIZE}).",
        )

    def handle(self, *args, everything, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(
            total=Study.objects.count(),
            desc="Embedding studies",
            unit=" studies",
            file=stream,
            disable=not stream.isatty(),  # a bar on a terminal; nothing in a file or a pipe
            leave=False,
        ) as bar:
            result = study_vectors_refresh(
                everything=everything, batch_size=batch_size, progress=bar.update
            )
        if result.reason:
            raise CommandError(f"Nothing embedded: {result.reason}", returncode=1)
        self.stdout.write(
            f"{result.embedded} embedded, {result.current} already current ({result.model_name})"
        )
