"""Every page each role reaches, at a phone's width and a desktop's (issue 12, item 11): signed
in as a researcher, a grader and an admin, the walk opens the site's pages, the work pages of the
role and, from the admin's index as that role sees it, every list, every add form and the first
record's page of each list. Each page gets the checks of every browser test (no console error, no
serious axe violation, nothing wider than the screen, no heading broken inside a word); the walk
goes on past a failing page and names all of them at the end."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.accounts import log_in, member

ARTICLE = "/articles/kratom-prolactin-inflammation/"
CLAIM = "/claims/kratom-lowers-prolactin-levels/"

# The site's own pages, and the work pages of each role (each role also walks those below it).
SITE = ["/", ARTICLE, "/claims/", CLAIM, "/studies/", "/about/"]
WORK = {
    "researcher": ["/intake/", "/admin/evidence/study/import/", "/admin/evidence/study/lookup/"],
    "grader": ["/grading/", f"/grading/claims/{CLAIM.split('/')[2]}/assess/"],
    "admin": ["/admin/auth/user/add/"],
}
BELOW = {"researcher": ["researcher"], "grader": ["researcher", "grader"]}
BELOW["admin"] = BELOW["grader"] + ["admin"]


def admin_pages(page, base):
    """The admin's index as the signed-in account sees it: each list, its add form where the
    account may add, and the first record's page of each list that has one."""
    page.goto(base + "/admin/")
    links = page.locator("#content-main a").evaluate_all("links => links.map(a => a.pathname)")
    pages = ["/admin/"]
    for path in dict.fromkeys(links):
        pages.append(path)
        if path.endswith("/add/"):
            continue
        page.goto(base + path)
        first = page.locator("#result_list tbody tr a[href*='/change/']").first
        if first.count():
            pages.append(first.evaluate("a => a.pathname"))
    return pages


@pytest.mark.parametrize("role", ["researcher", "grader", "admin"])
def test_every_page_a_role_reaches_fits_the_screen_and_passes_the_checks(visit, role):
    member(role, role)
    page = visit.go("/admin/login/?next=/")
    log_in(page, role)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    from evidence.models import Study

    study = Study.objects.order_by("pk").first().pk
    pages = SITE + [f"/studies/{study}/"]
    pages += [path for level in BELOW[role] for path in WORK[level]]
    if role != "researcher":
        pages.append(f"/grading/studies/{study}/appraise/")
    pages += admin_pages(page, visit.base)
    failures = []
    for path in dict.fromkeys(pages):
        try:
            response = page.goto(visit.base + path)
        except PlaywrightError as error:  # e.g. an error answered with no page
            failures.append(f"{path}: {error.message.splitlines()[0]}")
            continue
        if response.status != 200:
            failures.append(f"{path}: {response.status}")
            continue
        name = f"{role}-" + (re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home")
        try:
            visit.check(name)
        except AssertionError as failure:
            failures.append(f"{path}: {failure}")
        visit.errors.clear()  # each page answers for its own console
    assert len(pages) > len(SITE) + 10  # the walk reached the admin's lists
    assert failures == [], "\n".join(failures)
