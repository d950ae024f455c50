"""Migration claims 0013: REST framework's clear-text tokens become knox digests; the keys
scripts hold keep working, with an expiry, and the clear-text table is gone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from knox.auth import TokenAuthentication

BEFORE = [("claims", "0012_admin_unlocks_sign_ins")]
AFTER = [("claims", "0013_hashed_api_tokens")]
OLD_KEY = "0123456789abcdef0123456789abcdef01234567"  # 40 hex characters, as authtoken made them


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_migrations():
    yield
    if "authtoken_token" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE authtoken_token")
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_an_old_clear_text_token_is_hashed_keeps_working_and_expires():
    apps = migrate(BEFORE)
    user = apps.get_model("auth", "User").objects.create(username="scripted", is_staff=True)
    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created {stamp} "
            "NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [OLD_KEY, timezone.now(), user.pk],
        )

    apps = migrate(AFTER)
    assert "authtoken_token" not in connection.introspection.table_names()
    token = apps.get_model("knox", "AuthToken").objects.get()
    assert token.user_id == user.pk
    assert OLD_KEY not in (token.digest, token.token_key)
    assert token.expiry > timezone.now()

    authenticated, _ = TokenAuthentication().authenticate_credentials(OLD_KEY.encode())
    assert authenticated.pk == user.pk
