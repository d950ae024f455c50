"""PostgreSQL stopped under the product, for real: a throwaway cluster of the tests' own.

Never the shared server on port 5432: `initdb` into a temporary directory (as the `postgres`
OS user when the tests run as root: initdb refuses root), `pg_ctl start` on a free port of
127.0.0.1, `pg_ctl stop -m fast|immediate` to cut it under the product, `pg_ctl start` to bring
it back. The migrations run once into a template database; each test gets a fresh copy.

The product runs as a person runs it, in subprocesses pointed at that cluster by DATABASE_URL,
with DEBUG off: `manage.py import_studies`, and gunicorn (one sync worker, which keeps its
database connection between requests as in production). A test makes the product wait inside
its transaction deterministically: another connection holds a lock the product needs after it
has written rows, the test waits until PostgreSQL reports the product blocked behind it
(pg_blocking_pids), then stops the cluster. No sleep decides anything; DEADLINE only stops a
test that would otherwise hang.

Run by `make test-faults` (and .ci/run), not by `make test`: they need PostgreSQL's server
binaries (PG_BIN, default /usr/lib/postgresql/15/bin) and pgvector, and skip with the reason
when either is missing (REQUIRE_FAULT_CLUSTER=1, as .ci/run sets it: fail instead). They
ignore DATABASE_URL: they bring their own database.
"""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.faults.postgres import (
    TEMPLATE,
    Cluster,
    Database,
    Server,
    manage,
    missing,
    product_env,
)

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def cluster():
    reason = missing()
    if reason:
        message = f"The fault tests need their own PostgreSQL cluster: {reason}."
        if os.environ.get("REQUIRE_FAULT_CLUSTER"):  # CI: a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix="evidence-faults-"))
    cluster = Cluster(directory)
    try:
        cluster.create()
        cluster.start()
        with cluster.connect() as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        manage(product_env(cluster.url(TEMPLATE)), "migrate", "--no-input", "-v", "0")
        # DEBUG off serves the hashed static files collectstatic writes, as make serve does.
        manage(product_env(cluster.url(TEMPLATE)), "collectstatic", "--no-input", "-v", "0")
        yield cluster
    finally:
        if cluster.running:
            cluster.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def database(cluster):
    """A fresh, migrated database on the cluster, which is running."""
    if not cluster.running:
        cluster.start()
    name = f"faults_{next(_numbers)}"
    with cluster.connect() as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return Database(cluster, name)


@pytest.fixture
def server(database, tmp_path):
    """gunicorn serving that database; its log is printed (shown when the test fails)."""
    server = Server(database, tmp_path / "gunicorn.log")
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()
        print(server.log_path.read_text())
