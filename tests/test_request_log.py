"""One JSON line per request on stdout (issue 11, production serving): method, path, status,
duration in ms, user id and request id."""


def test_a_request_writes_one_json_line(client, seed, request_lines):
    response = client.get("/claims/?verdict=supported")
    (line,) = request_lines()
    assert line["method"] == "GET"
    assert line["path"] == "/claims/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert line["request_id"] == response["X-Request-ID"]
    assert {"time", "level", "message"} <= set(line)


def test_the_line_names_the_signed_in_user_and_the_proxys_request_id(client, grader, request_lines):
    client.force_login(grader)
    client.get("/grading/", HTTP_X_REQUEST_ID="edge-4f2a")
    client.get("/no/such/page/", HTTP_X_REQUEST_ID="not a request id; <script>")
    first, second = request_lines()
    assert (first["user_id"], first["request_id"], first["status"]) == (
        grader.pk,
        "edge-4f2a",
        200,
    )
    assert second["status"] == 404
    assert len(second["request_id"]) == 32 and second["request_id"].isalnum()  # a new one
