"""The static embedding model, loaded for real from claims/intake/model/ (no mocks)."""

import logging
import sys

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from claims.intake import embedding
from config.settings import BASE_DIR, env_path

SENTENCES = [
    "Kratom lowers prolactin levels.",
    "A synthetic sentence about the weather, which has nothing to do with any claim.",
    "Prolactin is a hormone made by the pituitary gland.",
]


@pytest.fixture
def encoder():
    found = embedding.get_encoder()
    assert found is not None, embedding.encoder_unavailable_reason()
    return found


def test_the_committed_model_loads_without_a_reason_to_fall_back(encoder):
    assert embedding.encoder_unavailable_reason() is None
    assert encoder.name == "all-MiniLM-L6-v2, static (model2vec)"


def test_the_setting_points_at_the_committed_model_by_default(settings):
    assert settings.EMBEDDING_MODEL_PATH == BASE_DIR / "claims" / "intake" / "model"


def test_it_gives_one_float32_row_of_the_stated_size_per_text(encoder):
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (3, embedding.DIMENSIONS)
    assert vectors.dtype == np.float32


def test_every_row_is_a_unit_vector(encoder):
    norms = np.linalg.norm(encoder.encode(SENTENCES), axis=1)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)


def test_the_same_text_gives_the_same_vector_alone_or_in_a_batch(encoder):
    alone = encoder.encode([SENTENCES[2]])
    batch = encoder.encode(SENTENCES)
    np.testing.assert_array_equal(alone[0], batch[2])
    np.testing.assert_array_equal(encoder.encode(SENTENCES), batch)


def test_related_sentences_are_closer_than_unrelated_ones(encoder):
    a, weather, b = encoder.encode(SENTENCES)
    assert a @ b > a @ weather


def test_no_texts_give_an_empty_matrix_of_the_right_width(encoder):
    assert encoder.encode([]).shape == (0, embedding.DIMENSIONS)


def test_a_text_with_no_known_token_gives_a_zero_row_not_nan(encoder):
    vectors = encoder.encode(["", "Kratom."])
    assert not np.isnan(vectors).any()
    assert np.linalg.norm(vectors[0]) == 0
    assert np.linalg.norm(vectors[1]) == pytest.approx(1.0, rel=1e-5)


def test_a_long_text_is_not_cut_at_512_tokens(encoder):
    opening = "Kratom lowers prolactin levels. " * 120  # 720 tokens
    cut, whole = encoder.encode([opening, opening + "Sedation and constipation follow."])
    assert not np.array_equal(cut, whole)


def test_token_vectors_leave_out_punctuation_and_the_words_asked(encoder):
    (tokens,) = encoder.encode_tokens(["Kratom, it is said, lowers prolactin."], skip={"is", "it"})
    assert "," not in tokens.tokens and "." not in tokens.tokens
    assert "is" not in tokens.tokens and "it" not in tokens.tokens
    assert "lowers" in tokens.tokens
    assert tokens.vectors.shape == (len(tokens.tokens), embedding.DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(tokens.vectors, axis=1), 1.0, rtol=1e-5)


def test_texts_encoded_together_get_the_tokens_and_vectors_each_gets_alone(encoder):
    texts = ["Kratom lowers prolactin.", "", "?!", "Sedation and constipation follow.", "Kratom"]
    together = encoder.encode_tokens(texts, skip={"and"})
    assert [t.tokens for t in together][1:3] == [(), ()]
    for text, tokens in zip(texts, together, strict=True):
        (alone,) = encoder.encode_tokens([text], skip={"and"})
        assert tokens.tokens == alone.tokens
        np.testing.assert_array_equal(tokens.vectors, alone.vectors)
        assert tokens.vectors.shape == (len(tokens.tokens), embedding.DIMENSIONS)


def test_the_encoder_is_loaded_once_per_process(encoder):
    assert embedding.get_encoder() is encoder


def test_a_missing_model_gives_no_encoder_and_says_why(without_model, settings, caplog):
    with caplog.at_level(logging.WARNING, logger="claims.intake.embedding"):
        assert embedding.get_encoder() is None
    reason = embedding.encoder_unavailable_reason()
    assert str(settings.EMBEDDING_MODEL_PATH) in reason
    assert "make model" in reason
    assert reason in caplog.text


def test_a_model_of_another_size_is_refused(without_model, settings, monkeypatch):
    settings.EMBEDDING_MODEL_PATH = BASE_DIR / "claims" / "intake" / "model"
    monkeypatch.setattr(embedding, "DIMENSIONS", 384)
    assert embedding.get_encoder() is None
    assert "has 256 dimensions; this code expects 384" in embedding.encoder_unavailable_reason()


def test_a_broken_model_file_gives_no_encoder_and_says_why(without_model, settings, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    for name in embedding.MODEL_FILES:
        (folder / name).write_text("not a model")
    settings.EMBEDDING_MODEL_PATH = folder
    assert embedding.get_encoder() is None
    assert "could not be loaded" in embedding.encoder_unavailable_reason()


def test_the_setting_takes_a_relative_path_from_the_repository(monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL_PATH", "elsewhere/model")
    assert env_path("EMBEDDING_MODEL_PATH", None) == BASE_DIR / "elsewhere" / "model"


def test_the_setting_set_but_empty_stops_the_start_naming_it(monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL_PATH", " ")
    with pytest.raises(ImproperlyConfigured, match="EMBEDDING_MODEL_PATH is set but empty"):
        env_path("EMBEDDING_MODEL_PATH", None)


def test_without_the_model2vec_package_it_says_to_install_it(without_model, settings, monkeypatch):
    settings.EMBEDDING_MODEL_PATH = BASE_DIR / "claims" / "intake" / "model"
    monkeypatch.setitem(sys.modules, "model2vec", None)  # import model2vec now fails
    assert embedding.get_encoder() is None
    assert "model2vec is not installed" in embedding.encoder_unavailable_reason()
