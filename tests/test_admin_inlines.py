"""The admin's tabular inlines name every field for screen readers (config/admin_inlines.py):
their rows have column headings, not labels."""

import re

from claims.models import Article, Statement


def test_each_field_of_a_tabular_inline_row_carries_its_label(client, grader, seed):
    client.force_login(grader)
    article = Article.objects.get(slug="kratom-prolactin-inflammation")
    html = client.get(f"/admin/claims/article/{article.pk}/change/").content.decode()
    start = re.search(r'<input type="number" name="statements-0-start"[^>]*>', html).group(0)
    assert 'aria-label="Start"' in start
    empty = re.search(r'<textarea name="statements-__prefix__-text"[^>]*>', html).group(0)
    assert 'aria-label="Text"' in empty  # the row "Add another" copies


def test_each_rows_delete_box_is_named(client, grader, seed):
    client.force_login(grader)
    statement = Statement.objects.filter(links__isnull=False).first()
    html = client.get(f"/admin/claims/statement/{statement.pk}/change/").content.decode()
    delete = re.search(r'<input type="checkbox" name="links-0-DELETE"[^>]*>', html).group(0)
    assert 'aria-label="Delete this row"' in delete


def test_an_autocomplete_in_an_inline_row_is_named_for_its_combobox(client, grader, seed):
    client.force_login(grader)
    claim = seed_claim()
    html = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    study = re.search(r'<select name="findings-0-study"[^>]*>', html).group(0)
    assert 'aria-label="Study"' in study and "admin-autocomplete" in study
    assert "claims/admin.js" in html  # which carries the name on to select2's combobox


def seed_claim():
    from claims.models import Claim

    return Claim.objects.get(slug="kratom-lowers-prolactin-levels")
