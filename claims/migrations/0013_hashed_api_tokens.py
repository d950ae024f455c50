"""API tokens move from REST framework's authtoken (keys stored in clear, never expiring) to
django-rest-knox (SHA-512 digests, an expiry). Each existing key is hashed into a knox token of
the same user, so scripts keep working with the key they have, until it expires
API_TOKEN_TTL_DAYS from this migration; the table of clear keys is then dropped. The admin group
gets every permission on tokens: issue, rotate, revoke (issue 11, item 12). Frozen lists, as in
0002."""

import hashlib

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"
KNOX_KEY_LENGTH = 15  # knox.settings.CONSTANTS.TOKEN_KEY_LENGTH
ADMIN_MODELS = {"knox": ["authtoken"]}


def digest(key):
    """knox.crypto.hash_token with knox's default SECURE_HASH_ALGORITHM, frozen."""
    return hashlib.sha512(key.encode("utf-8")).hexdigest()


def hash_existing_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        if isinstance(created, str):  # SQLite hands a raw query's datetime back as text
            created = parse_datetime(created)
        if created is not None and timezone.is_naive(created):
            created = timezone.make_aware(created, timezone.UTC)
        token = AuthToken.objects.create(
            digest=digest(key), token_key=key[:KNOX_KEY_LENGTH], user_id=user_id, expiry=expiry
        )
        if created is not None:
            AuthToken.objects.filter(pk=token.pk).update(created=created)
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Group.objects.get(name="admin")
    for label, models in ADMIN_MODELS.items():
        admin.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=label, content_type__model__in=models
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_admin_unlocks_sign_ins"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(hash_existing_tokens, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
