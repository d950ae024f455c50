"""The tests' own PostgreSQL cluster, the product's processes pointed at it, and how a test
waits until the product is blocked inside its transaction. Fixtures: conftest.py."""

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DEADLINE = 120  # seconds: a guard against a hang, never a measure
TEMPLATE = "faults_template"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing():
    """Why the cluster cannot be made here, or None."""
    for tool in ("initdb", "pg_ctl", "pg_config"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL's {tool} is not in {PG_BIN} (set PG_BIN)"
    sharedir = subprocess.run(
        [PG_BIN / "pg_config", "--sharedir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not (Path(sharedir) / "extension" / "vector.control").exists():
        return "pgvector is not installed for this PostgreSQL (scripts/install_pgvector.sh)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no postgres user to run initdb as"
        if not shutil.which("runuser"):
            return "running as root, and there is no runuser to run initdb as postgres"
    return None


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on a free port of 127.0.0.1."""

    def __init__(self, directory):
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "server.log"
        self.port = free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(directory, "postgres")

    def _run(self, tool, *args):
        result = subprocess.run(
            [*self.as_owner, PG_BIN / tool, *args], capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(map(str, args))}: {result.stderr}")
        return result

    def create(self):
        self._run(
            "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")

    def stop(self, mode="fast"):
        """fast: the server ends every session, rolling back what is open; immediate: it dies
        at once, as in a crash, and recovers at the next start."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    @property
    def running(self):
        status = subprocess.run(
            [*self.as_owner, PG_BIN / "pg_ctl", "-D", self.data, "status"], capture_output=True
        )
        return status.returncode == 0

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, name="postgres", autocommit=True):
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=name, autocommit=autocommit
        )


# What the TLS proxy in front of gunicorn adds to every request (README, "Deploying").
PROXIED = {"X-Forwarded-Proto": "https"}


def product_env(database_url):
    """The environment of the product's processes: that database, DEBUG off, as in production,
    behind a TLS proxy that says so in X-Forwarded-Proto (Server sends it, as the proxy would)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args, check=True):
    """manage.py ARGS in a subprocess: (exit status, stdout, stderr)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE * 2,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(map(str, args))}: {result.stderr}")
    return result


class Database:
    def __init__(self, cluster, name):
        self.cluster, self.name = cluster, name
        self.url = cluster.url(name)
        self.env = product_env(self.url)

    def connect(self, autocommit=True):
        return self.cluster.connect(self.name, autocommit=autocommit)

    def value(self, sql, *params):
        with self.connect() as connection:
            return connection.execute(sql, params).fetchone()[0]

    def rows(self, sql, *params):
        with self.connect() as connection:
            return connection.execute(sql, params).fetchall()


class Server:
    """gunicorn serving the product on a free port: one sync worker, the production setup."""

    def __init__(self, database, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "w")  # closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--worker-class", "sync",
                "--timeout", str(DEADLINE), "--graceful-timeout", "5",
                "--access-logfile", "-", "--error-logfile", "-",
            ],
            cwd=ROOT, env=database.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_until_serving(self):
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log_path.read_text()}")
            try:
                requests.get(self.base + "/about/", headers=PROXIED, timeout=DEADLINE)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()}")

    def get(self, path, headers=None, **kwargs):
        return requests.get(
            self.base + path,
            headers={**PROXIED, **(headers or {})},
            timeout=DEADLINE,
            allow_redirects=False,
            **kwargs,
        )

    def post(self, path, headers=None, **kwargs):
        return requests.post(
            self.base + path,
            headers={**PROXIED, **(headers or {})},
            timeout=DEADLINE,
            allow_redirects=False,
            **kwargs,
        )

    def workers(self):
        """The worker processes' ids: the same ones before and after means no restart."""
        pid = self.process.pid
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def blocked_behind(monitor, blocker, process):
    """The backend that waits for a lock the connection `blocker` holds, once one does. Fails
    when `process` (the product's, a Popen or a Thread) ends before it gets there."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        row = monitor.execute(
            "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [blocker.info.backend_pid],
        ).fetchone()
        if row:
            return row[0]
        ended = process.poll() is not None if hasattr(process, "poll") else not process.is_alive()
        if ended:
            pytest.fail("The product ended without waiting for the lock held against it.")
        time.sleep(0.02)
    pytest.fail("The product never waited for the lock held against it.")


def tables_written_by(monitor, pid):
    """The tables a backend has inserted into, updated or deleted from in its transaction."""
    rows = monitor.execute(
        "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND locktype = 'relation' "
        "AND mode = 'RowExclusiveLock' AND granted",
        [pid],
    )
    return {table for (table,) in rows}


def close_quietly(*connections):
    """Close connections whose server may be gone."""
    for connection in connections:
        try:
            connection.close()
        except psycopg.Error:
            pass
