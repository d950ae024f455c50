"""Migration claims 0005: each statement's one assertion moves onto each of its links."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0004_import_permissions")]
AFTER = [("claims", "0008_statement_link_permissions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_migrations():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_each_link_takes_its_statements_assertion_and_stays_published():
    apps = migrate(BEFORE)
    Article, Claim = apps.get_model("claims", "Article"), apps.get_model("claims", "Claim")
    Statement = apps.get_model("claims", "Statement")
    body = "Synthetic sentence one. Synthetic sentence two."
    article = Article.objects.create(slug="synthetic", title="Synthetic", body=body)
    first, second = (
        Claim.objects.create(slug=f"synthetic-{n}", text=f"Synthetic claim {n}.", kind="effect")
        for n in (1, 2)
    )
    statement = Statement.objects.create(
        article=article, start=0, end=23, text=body[:23], assertion="suggests"
    )
    statement.claims.set([first, second])

    apps = migrate(AFTER)
    links = apps.get_model("claims", "StatementClaim").objects.order_by("claim__slug")
    assert [(link.claim.slug, link.assertion, link.status) for link in links] == [
        ("synthetic-1", "suggests", "published"),
        ("synthetic-2", "suggests", "published"),
    ]
    assert apps.get_model("claims", "Statement").objects.get().status == "published"
    history = apps.get_model("claims", "HistoricalStatementClaim").objects.all()
    assert {row.history_type for row in history} == {"+"} and history.count() == 2
