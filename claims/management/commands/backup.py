"""manage.py backup [FILE] [--database-url URL]: the whole database to FILE (by default
backups/<database>-<UTC time>.dump on PostgreSQL, .sqlite3 on SQLite). See config/backups.py."""

from django.core.management.base import BaseCommand, CommandError

from config import backups


class Command(BaseCommand):
    requires_system_checks = []  # the checks would open (on SQLite: create) the database
    help = (
        "Back up the whole database (pg_dump -Fc on PostgreSQL, the SQLite backup API on "
        "SQLite) to FILE, by default under backups/. It holds secrets: password hashes, "
        "sessions and API tokens; it is written readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", metavar="FILE")
        parser.add_argument(
            "--database-url", help="Back up this database instead of DATABASE_URL's."
        )

    def handle(self, *args, file, database_url, **options):
        try:
            path = backups.backup(file or None, url=database_url)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up {backups.describe(database_url)} to {path}")
