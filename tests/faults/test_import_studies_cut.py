"""manage.py import_studies while PostgreSQL stops under it: nothing of the file is written, the
command says so in one line, and the same file imports once the database is back."""

import subprocess
import sys

from tests.faults.postgres import ROOT, blocked_behind, close_quietly, manage, tables_written_by

RECORD = """TY  - JOUR
TI  - Synthetic fault-test study {n} of a made-up intervention
AU  - Testauthor{n}, A.
PY  - 2020
DO  - 10.5555/fault.{n}
ER  -
"""
RECORDS = 3
OF_THE_FILE = "SELECT count(*) FROM {table} WHERE doi LIKE '10.5555/fault.%%'"


def test_an_import_cut_by_a_stopping_database_writes_nothing_and_says_so_in_one_line(
    cluster, database, tmp_path
):
    path = tmp_path / "synthetic-fault.ris"
    path.write_text("\n".join(RECORD.format(n=n) for n in range(1, RECORDS + 1)))
    # The import inserts its studies, then their history: holding the history table makes it
    # wait inside its transaction with the studies written.
    blocker, monitor = database.connect(autocommit=False), database.connect()
    try:
        blocker.execute("LOCK TABLE evidence_historicalstudy IN ACCESS EXCLUSIVE MODE")
        importing = subprocess.Popen(
            [sys.executable, "manage.py", "import_studies", str(path)],
            cwd=ROOT,
            env=database.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        waiting = blocked_behind(monitor, blocker, importing)
        assert "evidence_study" in tables_written_by(monitor, waiting)
        cluster.stop("fast")
    finally:
        close_quietly(blocker, monitor)
    out, err = importing.communicate(timeout=120)

    assert importing.returncode == 1
    assert out == ""
    assert err.startswith(f"CommandError: {path}: the database is unreachable (")
    assert err.endswith("); nothing of this file was imported. Try again once it is back.\n")
    assert err.count("\n") == 1 and "Traceback" not in err

    cluster.start()
    assert database.value(OF_THE_FILE.format(table="evidence_study")) == 0
    assert database.value(OF_THE_FILE.format(table="evidence_historicalstudy")) == 0
    result = manage(database.env, "import_studies", path)
    assert (
        result.stdout
        == f"{path}: {RECORDS} created, 0 duplicates, 0 possible duplicates, 0 errors\n"
    )
    assert database.value(OF_THE_FILE.format(table="evidence_study")) == RECORDS
