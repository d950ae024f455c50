"""The seed article and its editorial reading, read as tests/claims/test_seed_fixture.py does.

Outside a checkout beside ../shared there is no seed; the tests using it skip, unless CI sets
REQUIRE_SEED=1 so that a missing seed fails instead.
"""

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SEED_DIR = Path(os.environ.get("SEED_DIR", ROOT.parent / "shared" / "seed"))
ARTICLE = SEED_DIR / "article.txt"

needs_seed = pytest.mark.skipif(
    not ARTICLE.exists() and not os.environ.get("REQUIRE_SEED"),
    reason=f"the seed source is not at {SEED_DIR} (set SEED_DIR)",
)


def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def statements():
    """fixtures/build_seed.py's STATEMENTS: (text, {claim key: assertion}) for each statement."""
    spec = importlib.util.spec_from_file_location("build_seed", ROOT / "fixtures" / "build_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STATEMENTS
