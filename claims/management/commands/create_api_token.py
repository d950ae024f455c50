"""manage.py create_api_token USERNAME [--reset]

Issues a new API token for a user and prints it, for scripts:

    curl -H "Authorization: Token KEY" ...

The token is printed this once: only its SHA-512 digest is stored (django-rest-knox), so it
cannot be shown again; a lost token is replaced by a new one. It expires after
API_TOKEN_TTL_DAYS (90 by default) and acts with the user's role (researcher, grader, admin).
--reset revokes the user's other tokens first: the old ones stop working (rotation). Tokens are
also issued, rotated and revoked in the admin (Knox → Auth tokens; a user's page links there).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.api_tokens import api_token_issue


class Command(BaseCommand):
    help = "Issue a new API token for a user and print it once (--reset: revoke their others)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Revoke the user's other tokens: they stop working.",
        )

    def handle(self, *args, username, reset, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}; create one first (make admin).")
        if not user.is_active:
            raise CommandError(f"{username} is not active: their token would not work.")
        _, key = api_token_issue(user=user, revoke_others=reset)
        self.stdout.write(key)
