"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live_server.

Run with `make test-browser` (or .ci/run). Every page is opened at a phone's and a desktop's
width, fails on any console error, and is checked with axe-core (from the npm registry,
node_modules/) for serious or critical accessibility violations. Screenshots go to screenshots/.

The Content-Security-Policy is on, as in production: every page visited must carry it, and a
violation (an inline script or style without the nonce, a file from elsewhere) is a console
error, so it fails the test. axe-core is evaluated by the driver, not added as a <script>.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with a sync browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
AXE_SOURCE = AXE.read_text(encoding="utf-8") if AXE.exists() else ""
# Every word of a table heading on one line: a word whose box has two rectangles was broken
# across lines ("Stu / dies"); a line may break at a hyphen ("Dose- / response").
BROKEN_HEADINGS = """() => {
  const broken = [];
  for (const th of document.querySelectorAll("th")) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {  // a hyphen may break
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
  `at ${e.sourceFile}:${e.lineNumber}`));
"""


def pytest_collection_modifyitems(config, items):
    if not any(Path(item.fspath).is_relative_to(Path(__file__).parent) for item in items):
        return
    missing = []
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    if not AXE.exists():
        missing.append("axe-core in node_modules/ (npm ci)")
    if missing:
        raise pytest.UsageError("The browser tests need " + " and ".join(missing) + ".")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def site(live_server, transactional_db, django_db_serialized_rollback):
    """The live server with the seed loaded. Serialized rollback keeps what the migrations
    wrote (roles, appraisal tools) through the flush after each test."""
    call_command("loaddata", "seed", verbosity=0)
    return live_server.url


@pytest.fixture(params=list(WIDTHS))
def width(request):
    return request.param


class Visit:
    """A page at one width that records console errors and checks accessibility."""

    def __init__(self, page, base, width):
        self.page, self.base, self.width = page, base, width
        self.errors = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # Chromium reports most violations itself; this names every one, whatever its kind.
        page.add_init_script(CSP_VIOLATIONS)
        page.on("response", self._policy_present)

    def _policy_present(self, response):
        """Every page (a document, not a file or an HTMX fragment) under the policy."""
        if response.request.resource_type == "document" and response.status < 300:
            if "content-security-policy" not in response.headers:
                self.errors.append(f"no Content-Security-Policy on {response.url}")

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page

    def check(self, name):
        """No console error, no serious accessibility violation; a screenshot for people."""
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}-{self.width}.png", full_page=True)
        self.page.evaluate(AXE_SOURCE)  # not add_script_tag: the CSP refuses an inline script
        violations = self.page.evaluate(
            """async () => (await axe.run()).violations
                 .filter(v => ["serious", "critical"].includes(v.impact))
                 .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(" | ")})`)"""
        )
        assert violations == [], f"{name} at {self.width}: {violations}"
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name} at {self.width}: {overflow}px wider than the screen"
        broken = self.page.evaluate(BROKEN_HEADINGS)
        assert broken == [], f"{name} at {self.width}: headings broken inside a word {broken}"
        assert self.errors == [], f"{name} at {self.width}: console errors {self.errors}"


@pytest.fixture
def visit(browser, site, width):
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    yield Visit(page, site, width)
    context.close()
