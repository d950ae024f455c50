"""manage.py requeue_stalled_imports [--minutes N]

Queues again every background import left running by a task worker that stopped without saying
so (killed, the machine restarted): one that has committed nothing for IMPORT_STALLED_AFTER_MINUTES
(or --minutes). Each resumes after the last record it committed, when a worker takes it. One line
per import queued again; nothing when there is none. `make run` and `make serve` run it as they
start the worker; the admin's result page of such an import offers "Try again" as well.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from evidence.services import study_imports_requeue_stalled


class Command(BaseCommand):
    help = "Queue again the background imports whose worker stopped (running, no progress)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            help="Without progress for this long (default: IMPORT_STALLED_AFTER_MINUTES).",
        )

    def handle(self, *args, minutes, **options):
        stalled_for = timedelta(minutes=minutes) if minutes is not None else None
        for study_import in study_imports_requeue_stalled(stalled_for=stalled_for):
            self.stdout.write(
                f"{study_import.file_name} (import {study_import.pk}): queued again, to resume "
                f"after record {study_import.records_done:,} of {study_import.records_total:,}."
            )
