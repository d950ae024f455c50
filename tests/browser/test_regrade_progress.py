"""A grader follows a regrade of the library the task worker runs: its page shows the progress,
reloads itself, and shows the result once the worker has finished (evidence/progress.js, the
import's result page's script)."""

import re

from playwright.sync_api import expect

from claims.models import Claim, RegradeRun, RegradeStatus
from claims.services import regrade_run
from tests.browser.accounts import log_in, member
from tests.factories import ClaimFactory, FindingFactory


def test_the_regrade_page_follows_the_worker_until_it_is_done(visit):
    user = member("gita", "grader")
    for _ in range(3):
        FindingFactory(claim=ClaimFactory())
    # What a start leaves for the worker (regrade_start), without running it at once.
    run = RegradeRun.objects.create(
        started_by=user, status=RegradeStatus.QUEUED, total=Claim.objects.count()
    )
    address = f"/grading/regrades/{run.pk}/"
    page = visit.go(f"/admin/login/?next={address}")
    log_in(page, "gita")
    expect(page).to_have_url(re.compile(re.escape(address) + "$"))

    status = page.get_by_role("status")
    expect(status).to_contain_text(f"0 of {run.total} claims looked at")
    expect(status).to_contain_text("Waiting for the task worker")
    expect(page.locator("progress")).to_have_attribute("value", "0")
    visit.check("regrade-progress")

    regrade_run(run_id=run.pk)  # the worker's part

    # The page reloads itself every few seconds until the regrade is done.
    expect(page.locator(".regrade-result")).to_contain_text(
        f"{run.total} of {run.total} claims regraded", timeout=10_000
    )
    expect(page.get_by_role("button", name="Regrade the library")).to_be_visible()
    visit.check("regrade-done")
