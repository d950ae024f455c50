"""Serving in public (issue 11, item 10): `check --deploy` is silent with the documented
production settings, and every page carries a strict Content-Security-Policy whose nonce its
inline scripts bear."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = ROOT / "deploy" / "production.env.example"


def production_env(**overrides):
    """deploy/production.env.example (what README tells a deployment to set), with a real key,
    in place of this process's settings; the database is this run's own (the checks ask its
    server's version, for the generated columns), the example's account being no one's here."""
    env = {k: v for k, v in os.environ.items() if k not in _documented()}
    env.update(_documented())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("DATABASE_URL")
    if "DATABASE_URL" in os.environ:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    env.update(overrides)
    return env


def _documented():
    pairs = {}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_prints_no_warning_with_the_documented_production_settings():
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_with_debug_off_the_defaults_alone_leave_only_the_preload_reminder():
    env = {k: v for k, v in os.environ.items() if k not in _documented()}
    env.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="evidence.example.org"
    )
    result = check_deploy(env)
    output = result.stdout + result.stderr
    assert re.findall(r"security\.W\d+", output) == ["security.W021"], output


def test_each_protection_is_read_from_the_environment():
    result = check_deploy(
        production_env(
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
        )
    )
    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


def test_a_proxy_header_that_is_not_a_header_name_stops_the_start():
    result = check_deploy(production_env(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"))
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in result.stderr


# --- The Content-Security-Policy -----------------------------------------------------------

CLAIM = "/claims/kratom-lowers-prolactin-levels/"


def nonce_of(response):
    policy = response["Content-Security-Policy"]
    match = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'", policy)
    assert match, policy
    return match.group(1)


def test_every_page_carries_a_strict_policy_with_a_nonce(client, seed):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    nonce = nonce_of(response)
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert nonce_of(client.get("/")) != nonce  # a new one each time


def test_a_pages_inline_scripts_carry_its_nonce(client, seed):
    response = client.get(CLAIM)
    nonce = nonce_of(response)
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert any('type="application/ld+json"' in tag for tag in scripts)  # the ClaimReview
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.parametrize(
    "path", ["/", "/articles/kratom-prolactin-inflammation/", CLAIM, "/claims/", "/studies/"]
)
def test_no_page_needs_an_inline_style(client, seed, path):
    html = client.get(path).content.decode()
    assert not re.search(r"\sstyle=", html)
    assert all("nonce=" in tag for tag in re.findall(r"<style\b[^>]*>", html))


def test_the_risk_of_bias_legend_draws_without_a_style_attribute(client, seed):
    from evidence.models import Study
    from tests.factories import UserFactory, appraise

    trial = Study.objects.get(pmid="32607084")
    appraise(trial, UserFactory(), judgement="low", worst="high")
    html = client.get(f"/studies/{trial.pk}/").content.decode()
    assert 'class="swatch" data-fill=' in html
    assert not re.search(r"\sstyle=", html)


def test_every_colour_of_the_risk_of_bias_scale_has_its_swatch_in_the_stylesheet():
    from claims.charts import SCALE

    css = (ROOT / "claims" / "static" / "claims" / "site.css").read_text()
    for colour in SCALE:
        assert f'.swatch[data-fill="{colour}"] {{ background: {colour}; }}' in css


def test_the_grading_pages_and_the_admin_run_no_inline_style_or_script_without_the_nonce(
    client, grader, seed
):
    client.force_login(grader)
    for path in ("/grading/", "/admin/", "/admin/claims/claim/"):
        response = client.get(path)
        assert response.status_code == 200, path
        nonce = nonce_of(response)
        html = response.content.decode()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" not in tag:
                assert f'nonce="{nonce}"' in tag, (path, tag)
