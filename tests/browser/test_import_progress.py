"""A researcher follows an import the task worker runs: the result page shows its progress,
reloads itself, and shows the result once the worker has finished."""

import re

from playwright.sync_api import expect

from evidence.models import ImportStatus
from evidence.services import study_import_run
from tests.browser.accounts import log_in, member
from tests.evidence.importing import stored_import


def test_the_result_page_follows_a_background_import_until_it_is_done(visit):
    user = member("rita", "researcher")
    # What confirming a large upload leaves for the worker (study_import_start).
    study_import = stored_import(user, 5, status=ImportStatus.QUEUED)
    result = f"/admin/evidence/study/import/{study_import.pk}/result/"
    page = visit.go(f"/admin/login/?next={result}")
    log_in(page, "rita")
    expect(page).to_have_url(re.compile(re.escape(result) + "$"))

    expect(page.get_by_role("status")).to_contain_text("0 of 5 records done")
    expect(page.get_by_role("status")).to_contain_text("Waiting for the task worker")
    expect(page.locator("progress")).to_have_attribute("value", "0")
    visit.check("import-progress")

    study_import_run(study_import_id=study_import.pk)  # the worker's part

    # The page reloads itself every few seconds until the import is done.
    expect(page.locator(".import-summary")).to_contain_text(
        "5 created, 0 duplicates, 0 possible duplicates, 0 errors", timeout=10_000
    )
    expect(page.locator("#import-records tbody tr")).to_have_count(5)
    visit.check("import-done")
