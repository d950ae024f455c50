"""The site's header: a way to sign in and out from any page, and for the people who work on the
evidence a Work menu of what their role can open (issue 12, item 5)."""

import pytest
from django.urls import reverse

WORK = {
    "queue": 'href="/grading/"',
    "intake": f'href="{reverse("intake:start")}"',
    "import": f'href="{reverse("admin:evidence_study_import")}"',
    "lookup": f'href="{reverse("admin:evidence_study_lookup")}"',
    "admin": 'href="/admin/"',
}


def header(client, path="/claims/?verdict=supported"):
    page = client.get(path).content.decode()
    return page[page.index('<header class="site">') : page.index("</header>")]


def test_an_anonymous_reader_is_offered_sign_in_back_to_the_same_page(client, db):
    html = header(client)
    assert 'href="/admin/login/?next=/claims/%3Fverdict%3Dsupported">Sign in</a>' in html
    assert "Work" not in html and "Sign out" not in html


@pytest.mark.parametrize(
    "persona, offered",
    [
        ("researcher", {"queue", "intake", "import", "lookup", "admin"}),
        ("grader", {"queue", "intake", "import", "lookup", "admin"}),
        ("admin_user", {"queue", "intake", "import", "lookup", "admin"}),
    ],
)
def test_signed_in_staff_get_a_work_menu_of_what_their_role_opens(
    persona, offered, client, db, request
):  # db named here: pytest-django orders tests by the fixtures they name
    client.force_login(request.getfixturevalue(persona))
    html = header(client)
    assert "<summary>Work</summary>" in html
    assert {name for name, link in WORK.items() if link in html} == offered
    for name in offered:  # each link opens for this role
        path = WORK[name].removeprefix('href="').removesuffix('"')
        assert client.get(path).status_code == 200, name


def test_an_account_with_no_work_role_has_no_work_menu_but_can_sign_out(client, reader):
    client.force_login(reader)
    html = header(client)
    assert "Work" not in html
    assert "Sign out" in html


def test_signing_out_returns_to_the_page_it_was_asked_from(client, researcher):
    client.force_login(researcher)
    html = header(client)
    assert 'action="/admin/logout/"' in html
    assert 'name="next" value="/claims/?verdict=supported"' in html
    response = client.post("/admin/logout/", {"next": "/claims/?verdict=supported"})
    assert response.headers["Location"] == "/claims/?verdict=supported"
    assert "_auth_user_id" not in client.session
