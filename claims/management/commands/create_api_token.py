"""manage.py create_api_token USERNAME [--reset]

Prints the API token of a user (making one if they have none), for scripts:

    curl -H "Authorization: Token KEY" ...

The token acts with the user's role (researcher, grader, admin). --reset replaces the token, so
that the old one stops working. Tokens are also listed, added and deleted in the admin
(Auth Token → Tokens).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print a user's API token, making one if needed (--reset: replace it)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset", action="store_true", help="Replace the token: the old one stops working."
        )

    @transaction.atomic
    def handle(self, *args, username, reset, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}; create one first (make admin).")
        if not user.is_active:
            raise CommandError(f"{username} is not active: their token would not work.")
        if reset:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
