"""manage.py import_studies FILE [FILE ...] [--format F] [--dry-run]

Each file is imported in one transaction, read as the import goes (memory stays flat in the
file's size): a file that cannot be read writes nothing, whatever part of it was read before the
place where it breaks. Ends with one line per file:

    FILE: N created, M duplicates, K possible duplicates, E errors[, S skipped]

Records with errors (no title, a malformed identifier) are listed and not imported; the rest of
their file is. Entries that are no record (a biblatex @set, a @comment, a row of empty cells)
are skipped and counted apart: a skip is no error. The exit status is 1 when a file could not
be read or a record had an error; 0 when only skips occurred.

When the database cannot be reached (it stopped, or restarted during the import), the command
stops with one line that says so: the file it was importing is rolled back whole, nothing of it
is written, and the files before it are as their lines above report. Exit status 1.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from config.errors import DATABASE_UNAVAILABLE, Conflict, database_error_reason
from evidence.importers import PARSERS, ParseError, Text, estimate, records_of
from evidence.services import Status, studies_import


class Command(BaseCommand):
    help = (
        "Import studies from RIS, BibTeX, MEDLINE (.nbib), PubMed XML, EndNote XML, CSV or "
        "tab-delimited, Ovid tagged or CSL JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--format",
            choices=sorted(PARSERS),
            help="The files' format; detected from each file's content when not given.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )

    def handle(self, *args, files, format, dry_run, **options):
        failed = []
        for number, path in enumerate(files):
            try:
                imported = self.import_file(path, format, dry_run)
            except DATABASE_UNAVAILABLE as error:
                before = " The files before it are as reported above." if number else ""
                raise CommandError(
                    f"{path}: the database is unreachable ({database_error_reason(error)}); "
                    f"nothing of this file was imported.{before} Try again once it is back.",
                    returncode=1,
                ) from error
            if not imported:
                failed.append(path)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        if failed:
            raise CommandError(
                f"Not everything was imported: {', '.join(failed)} (see the messages above).",
                returncode=1,
            )

    def import_file(self, path, format, dry_run):
        try:
            text = Text.on_disk(path)
        except OSError as error:
            self.stderr.write(f"{path}: cannot be opened: {error.strerror}")
            return False
        try:
            with self.progress_bar(path, text, format) as bar:
                # Only the errors' outcomes are kept, to list them: the summary counts them all.
                result = studies_import(
                    records=records_of(text, format),
                    dry_run=dry_run,
                    source=path,
                    progress=bar.update,
                    keep_outcomes=0,
                )
        except ParseError as error:
            self.stderr.write(f"{path}: cannot be read, nothing imported: {error}")
            return False
        except Conflict as error:
            self.stderr.write(f"{path}: {error}")
            return False
        for outcome in result.outcomes:
            if outcome.status == Status.ERROR:
                self.stderr.write(
                    f"{path}: record {outcome.number} (line {outcome.line}) not imported: "
                    f"{outcome.message}"
                )
        self.stdout.write(f"{path}: {result.summary}")
        return result.errors == 0

    def progress_bar(self, path, text, format):
        """A progress bar on a terminal, of the file's records (counted first, as cheaply as
        the format allows); nothing when the output is a file or a pipe."""
        stream = getattr(self.stderr, "_out", sys.stderr)
        shown = stream.isatty()
        total = None
        if shown:
            try:
                total = estimate(text, format)
            except ParseError:  # the import says so, where the file breaks
                total = None
        return tqdm(
            total=total,
            desc=path,
            unit=" records",
            file=stream,
            disable=not shown,
            leave=False,
        )
