"""The pages the reader journeys do not visit, under the Content-Security-Policy: the admin
(Django's own scripts and styles, which carry the nonce), the grading pages and Swagger UI. A
refused script or style is a console error (conftest.Visit), so it fails here."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.browser.accounts import log_in, member


@pytest.fixture
def grader_page(visit):
    member("gina", "grader")
    page = visit.go("/admin/login/")
    log_in(page, "gina")
    expect(page).to_have_url(re.compile("/admin/$"))
    return page


def test_the_admin_and_the_grading_pages_run_under_the_policy(visit, grader_page):
    page = grader_page
    claim = Claim.objects.first()
    for path in (
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/evidence/study/?design__exact=rct",
        "/grading/",
    ):
        page = visit.go(path)
        page.wait_for_load_state("load")
        assert visit.errors == [], f"{path}: {visit.errors}"
    # The admin's own scripts ran: the theme toggle and the navigation sidebar are live.
    page = visit.go(f"/admin/claims/claim/{claim.pk}/change/")
    expect(page.locator("#toggle-nav-sidebar")).to_be_attached()
    assert page.evaluate("() => typeof django !== 'undefined' && !!django.jQuery")
    assert visit.errors == []


def test_swagger_ui_runs_under_the_policy(visit):
    page = visit.go("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Evidence tracker API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert visit.errors == []
