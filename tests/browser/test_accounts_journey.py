"""An admin signs in from the site's header, gives a new account its role in one form, and signs
out; the new grader signs in the same way and finds the grading queue in the Work menu (issue 12,
item 5)."""

import re

from playwright.sync_api import expect

from tests.browser.accounts import PASSWORD, log_in, member


def sign_in(page, username):
    page.get_by_role("link", name="Sign in").click()
    log_in(page, username)


def test_an_admin_gives_a_new_account_a_role_and_the_new_grader_finds_their_work(visit):
    member("ada", "admin")

    page = visit.go("/claims/")
    sign_in(page, "ada")
    expect(page).to_have_url(re.compile(r"/claims/$"))  # back where the link was
    visit.check("header-signed-in")
    page.get_by_text("Work", exact=True).click()
    visit.check("header-work-menu")
    page.get_by_role("link", name="Admin", exact=True).click()

    page.goto(visit.base + "/admin/auth/user/add/")
    page.fill("#id_username", "gus")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("radio", name=re.compile("Grader")).check()
    visit.check("user-add-with-role")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(visit.base + "/admin/auth/user/")
    expect(page.locator("tr", has_text="gus").locator(".field-role")).to_have_text("grader")
    visit.check("user-list-roles")

    page.goto(visit.base + "/claims/")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/claims/$"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    sign_in(page, "gus")
    page.get_by_text("Work", exact=True).click()
    page.get_by_role("link", name="Grading queue").click()
    expect(page).to_have_url(re.compile(r"/grading/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    visit.check("grading-queue-from-work-menu")
