"""API tokens (django-rest-knox): issued, rotated and revoked by `manage.py create_api_token`
and the admin. Only a token's SHA-512 digest is stored; its key is returned once, here, to be
shown once. Each token expires after API_TOKEN_TTL_DAYS (REST_KNOX["TOKEN_TTL"])."""

from django.core.exceptions import ValidationError
from django.db import transaction
from knox.models import AuthToken
from knox.settings import knox_settings


@transaction.atomic
def api_token_issue(*, user, revoke_others=False, expiry=None):
    """A new token for `user`, expiring after `expiry` (a timedelta; default the setting's
    lifetime); with `revoke_others`, the user's other tokens are deleted first. Returns the
    token and its key, which is never stored and cannot be read again."""
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is not active: a token would not work.")
    if revoke_others:
        AuthToken.objects.filter(user=user).delete()
    return AuthToken.objects.create(user=user, expiry=expiry or knox_settings.TOKEN_TTL)


@transaction.atomic
def api_tokens_rotate(*, tokens):
    """Each token replaced by a new one for its user with a full lifetime; the old ones stop
    working at once. Returns [(user, key)] in the order of the tokens."""
    issued = []
    for token in tokens.select_related("user").order_by("user__username", "created"):
        user = token.user
        token.delete()
        issued.append((user, api_token_issue(user=user)[1]))
    return issued
