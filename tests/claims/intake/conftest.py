"""The seed's claims as matching input, and a way to run without the model."""

import json
from pathlib import Path

import pytest

from claims.intake import embedding
from claims.intake.matching import ClaimText

SEED = Path(__file__).resolve().parents[3] / "fixtures" / "seed.json"


@pytest.fixture(scope="session")
def seed_claims():
    """The ten seed claims, by their primary key in fixtures/seed.json (C1 is 1, ... C10 is 10)."""
    records = json.loads(SEED.read_text(encoding="utf-8"))
    return [
        ClaimText(record["pk"], record["fields"]["text"])
        for record in records
        if record["model"] == "claims.claim"
    ]


@pytest.fixture
def without_model(settings, tmp_path):
    """EMBEDDING_MODEL_PATH pointing at a folder with no model in it: the model cannot be loaded.

    The encoder cache is cleared on both sides, so neither this test nor the next one sees an
    encoder loaded under another setting.
    """
    embedding.clear_cache()
    settings.EMBEDDING_MODEL_PATH = tmp_path / "no-model-here"
    yield
    embedding.clear_cache()
