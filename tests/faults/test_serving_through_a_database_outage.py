"""The server (gunicorn, one worker, DEBUG off) while PostgreSQL stops and comes back: a
publish cut in the middle publishes nothing and answers 503; pages and the API answer 503
while the database is down; the same worker serves again once it is back, without a restart."""

import json
import threading

from tests.faults.postgres import blocked_behind, close_quietly, manage, tables_written_by

DOWN = "The database is unavailable, so nothing was saved. Try again in a minute."
ASSESSMENTS = (
    "SELECT id, status, consensus_id FROM claims_assessment WHERE claim_id = %s ORDER BY id"
)
HISTORY = "SELECT count(*) FROM claims_historicalassessment"


def assert_unavailable(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_a_database_restart_while_the_server_is_idle_costs_no_request(cluster, server):
    assert server.get("/claims/").status_code == 200  # the worker keeps its connection open
    workers = server.workers()
    cluster.stop("fast")
    cluster.start()
    assert server.get("/claims/").status_code == 200
    assert server.get("/api/claims/").status_code == 200
    assert server.workers() == workers


def test_while_the_database_is_down_pages_and_the_api_answer_503_then_serve_again(cluster, server):
    assert server.get("/claims/").status_code == 200
    workers = server.workers()
    cluster.stop("immediate")

    page = server.get("/claims/")
    assert_unavailable(page)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>The database is unavailable</h1>" in page.text and DOWN in page.text
    assert "Traceback" not in page.text
    api = server.get("/api/claims/")
    assert_unavailable(api)
    assert api.json() == {"detail": DOWN}

    cluster.start()
    assert server.get("/claims/").status_code == 200
    assert server.get("/api/claims/").status_code == 200
    assert server.workers() == workers


def test_a_publish_cut_by_a_stopping_database_publishes_nothing_and_answers_503(
    cluster, database, server
):
    shell = "from tests.faults.scenario import second_round; second_round()"
    scenario = json.loads(manage(database.env, "shell", "-v", "0", "-c", shell).stdout)
    token = manage(database.env, "create_api_token", scenario["grader"]).stdout.strip()
    claim, slug = scenario["claim"], scenario["slug"]
    before = database.rows(ASSESSMENTS, claim)
    history = database.value(HISTORY)
    assert server.get(f"/claims/{slug}/").status_code == 200
    workers = server.workers()

    def publish():
        return server.post(
            f"/api/claims/{slug}/consensus/",
            json=scenario["consensus"],
            headers={"Authorization": f"Token {token}"},
        )

    # The publish supersedes the grade published before and inserts the new one, then writes
    # their history: holding the history table makes it wait there, half done.
    answer = {}
    publishing = threading.Thread(target=lambda: answer.update(response=publish()))
    blocker, monitor = database.connect(autocommit=False), database.connect()
    try:
        blocker.execute("LOCK TABLE claims_historicalassessment IN ACCESS EXCLUSIVE MODE")
        publishing.start()
        waiting = blocked_behind(monitor, blocker, publishing)
        assert "claims_assessment" in tables_written_by(monitor, waiting)
        cluster.stop("immediate")
    finally:
        close_quietly(blocker, monitor)
    publishing.join(timeout=120)

    response = answer["response"]
    assert_unavailable(response)
    assert response.json() == {"detail": DOWN}

    cluster.start()
    assert database.rows(ASSESSMENTS, claim) == before
    assert database.value(HISTORY) == history
    published = [row for row in before if row[1] == "published"]
    assert [row[0] for row in published] == [scenario["published"]]
    assert server.get(f"/claims/{slug}/").status_code == 200
    assert server.workers() == workers
    # The round is still open: the same publish, sent again, goes through.
    assert publish().status_code == 201
