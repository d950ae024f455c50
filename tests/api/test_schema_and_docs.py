"""The OpenAPI schema (/api/schema/, committed as docs/openapi.yaml) and the docs page, which
works with no outside network."""

import re
from io import StringIO
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def test_the_committed_schema_is_the_one_the_code_generates():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert out.getvalue() == SCHEMA_FILE.read_text(), (
        "docs/openapi.yaml is out of date: run `make schema` and commit it."
    )


def test_the_schema_is_served(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Evidence tracker API"
    assert "/api/claims/claimreview.jsonld" in schema["paths"]


def test_every_operation_documents_its_errors():
    import yaml

    schema = yaml.safe_load(SCHEMA_FILE.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes & {"400", "404"}, f"{method} {path} documents no error"
            if method in ("post", "put", "patch"):
                assert {"400", "401", "403"} <= codes, f"{method} {path}"


def test_the_docs_page_loads_everything_from_this_server(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        if asset == "/api/docs/?script=":  # Swagger UI's setup, a script of its own (CSP)
            continue
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not shipped"
    assert "https://" not in html and "http://" not in html


def test_the_docs_page_runs_no_inline_script_and_sets_up_swagger_from_a_file(api):
    response = api.get("/api/docs/")
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert '<script src="/api/docs/?script="></script>' in html
    script = api.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content
    assert b'"validatorUrl": null' in script.content  # no badge fetched from outside


def test_an_unknown_address_under_the_api_is_a_json_404(api):
    response = api.post("/api/findings/0.5/approve/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_writes_take_json_and_say_so_to_anything_else(client_for):
    response = client_for("researcher").post(
        "/api/studies/", {"title": "Synthetic"}, format="multipart"
    )
    assert response.status_code == 415


def test_an_endpoints_address_without_its_final_slash_leads_to_it(api):
    response = api.get("/api/claims?verdict=contradicted")
    assert response.status_code == 301
    assert response["Location"] == "/api/claims/?verdict=contradicted"
    assert api.get("/api/nothing-here").status_code == 404
