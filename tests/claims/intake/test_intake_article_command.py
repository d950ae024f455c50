"""manage.py intake_article: the workbench's reading of an article, for scripts and tests."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.models import Article, Statement, StatementClaim
from tests.claims.intake.seed_source import ARTICLE, needs_seed, statements
from tests.factories import ClaimFactory

BODY = "Synthetic herb X lowers blood pressure in adults. Its leaves are green.\n"


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("intake_article", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(BODY, encoding="utf-8")
    return path


def test_a_dry_run_prints_each_sentence_with_offsets_suggestions_and_assertion(db, article_file):
    claim = ClaimFactory(text="Synthetic herb X lowers blood pressure.")
    report = json.loads(run(str(article_file), "--title", "T", "--dry-run", "--format", "json"))
    first = report["sentences"][0]
    assert (first["start"], first["end"], first["text"]) == (
        0,
        49,
        "Synthetic herb X lowers blood pressure in adults.",
    )
    assert first["suggestions"][0]["slug"] == claim.slug
    assert first["assertion"] == "fact"
    assert report["written"] is None
    assert not Article.objects.exists()


def test_without_dry_run_it_stores_a_draft_and_proposes_the_best_links(
    db, article_file, researcher
):
    claim = ClaimFactory(text="Synthetic herb X lowers blood pressure.")
    out = run(str(article_file), "--title", "T", "--user", "researcher", "--propose")
    assert "1 links proposed" in out
    link = StatementClaim.objects.get()
    assert (link.claim, link.status, link.statement.status) == (claim, "draft", "draft")
    assert Article.objects.get().status == "draft"


def test_it_needs_a_user_to_write(db, article_file):
    with pytest.raises(CommandError, match="--user"):
        run(str(article_file), "--title", "T")
    assert not Statement.objects.exists()


def test_an_unreadable_file_is_a_clear_error(db, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="cannot be read as UTF-8"):
        run(str(path), "--title", "T", "--dry-run")


@needs_seed
def test_on_the_seed_article_the_right_claim_is_in_the_top_three_for_nine_in_ten_links(seed):
    """Issue 9's target: recall@3 >= 0.9 of the seed's links, the seed's statements and links
    set aside (the dry run reads the article as if it were new)."""
    report = json.loads(run(str(ARTICLE), "--title", "Seed", "--dry-run", "--format", "json"))
    by_text = {s["text"]: s for s in report["sentences"]}
    from claims.models import Claim

    slug_of = {f"C{n}": c.slug for n, c in enumerate(Claim.objects.order_by("pk"), start=1)}
    found = total = 0
    for text, links in statements():
        top3 = [s["slug"] for s in by_text[text]["suggestions"][:3]]
        for key in links:
            total += 1
            found += slug_of[key] in top3
    assert report["method"] == "model"
    assert found / total >= 0.9
