"""manage.py restore FILE [--database-url URL] [--no-input]: replace the database with a backup
made by manage.py backup. See config/backups.py."""

from django.core.management.base import BaseCommand, CommandError

from config import backups


class Command(BaseCommand):
    requires_system_checks = []  # the checks would open (on SQLite: create) the database
    help = (
        "Replace the whole database with a backup made by manage.py backup (pg_restore on "
        "PostgreSQL, the SQLite backup API on SQLite), in one transaction. Stop the site first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--database-url",
            help="Restore into this database (e.g. a new, empty one, to check a backup) instead "
            "of DATABASE_URL's.",
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args, file, database_url, interactive, **options):
        target = backups.describe(database_url)
        if interactive:
            answer = input(
                f"Everything in the {target} is replaced by {file}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            backups.restore(file, url=database_url)
        except backups.BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from None
        self.stdout.write(f"Restored {file} into the {target}.")
