"""The request log names the user of an API token, as it does a signed-in person."""


def test_an_api_request_is_logged_with_the_tokens_user(client_for, researcher, request_lines):
    client_for("researcher").get("/api/findings/")
    (line,) = request_lines()
    assert (line["path"], line["status"], line["user_id"]) == ("/api/findings/", 200, researcher.pk)
