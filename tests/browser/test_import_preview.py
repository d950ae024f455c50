"""A researcher uploads a file, leaves a record out and corrects a guessed design in the
preview, and creates the rest; the preview fits a phone (issue 12, item 6)."""

import re

from playwright.sync_api import expect

from evidence.models import Study
from tests.browser.accounts import log_in, member

RIS = "".join(
    f"TY  - JOUR\nTI  - Synthetic previewed record {n}\nAU  - Previewer{n}, A.\nPY  - 2021\n"
    f"DO  - 10.5555/synthetic.preview.{n}\nER  -\n"
    for n in (1, 2, 3)
)


def test_a_researcher_leaves_a_record_out_and_corrects_a_guess_before_creating(visit):
    member("rita", "researcher")
    page = visit.go("/admin/login/?next=/admin/evidence/study/import/")
    log_in(page, "rita")

    page.set_input_files(
        "input[type=file]",
        files=[{"name": "preview.ris", "mimeType": "text/plain", "buffer": RIS.encode()}],
    )
    page.get_by_role("button", name="Preview").click()
    create = page.locator("#import-confirm input[type=submit]").first
    expect(create).to_have_value("Create 3 studies")
    visit.check("import-preview")

    row_two = page.locator("#import-records tr", has_text="Synthetic previewed record 2")
    row_two.get_by_label("Import this").uncheck()
    expect(create).to_have_value("Create 2 studies")  # the count follows the boxes
    row_one = page.locator("#import-records tr", has_text="Synthetic previewed record 1")
    row_one.get_by_label(re.compile("^Design")).select_option("rct")
    create.click()

    expect(page.locator(".import-summary")).to_contain_text("1 left out")
    titles = set(
        Study.objects.filter(title__startswith="Synthetic previewed").values_list(
            "title", flat=True
        )
    )
    assert titles == {"Synthetic previewed record 1", "Synthetic previewed record 3"}
    assert Study.objects.get(title="Synthetic previewed record 1").design == "rct"
    visit.check("import-result")
