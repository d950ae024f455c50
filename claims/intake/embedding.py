"""The local embedding model: a static model distilled from all-MiniLM-L6-v2, run by model2vec.

The weights are in the repository (claims/intake/model/, rebuilt by `make model`; provenance and
licence in its README), so nothing is downloaded and torch is not needed: model2vec looks up one
vector per token and averages them. docs/matching.md says why this model and what it costs.

`get_encoder()` loads the model once per process, from settings.EMBEDDING_MODEL_PATH. It returns
None when the model cannot be used (files missing, model2vec not installed, another number of
dimensions), logs why once, and `encoder_unavailable_reason()` gives the same sentence for the
page to show; matching then falls back to BM25 (claims/intake/matching.py).
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

# The size of every vector `encode` returns (the PCA dimensions of scripts/build_model.py).
DIMENSIONS = 256
NAME = "all-MiniLM-L6-v2, static (model2vec)"
# Without these the folder is not a model2vec model; model2vec would then take the path for the
# name of a model on the Hugging Face hub and try to download it.
MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")
# A vector shorter than this comes from a text with no known token: it stays a zero row.
_ZERO_NORM = 1e-12
# Tokens that carry no word: punctuation and symbols.
_WORD_CHARACTER = re.compile(r"\w")


@dataclass(frozen=True)
class TokenVectors:
    """The content tokens of one text and their unit vectors, one row per token."""

    tokens: tuple[str, ...]
    vectors: np.ndarray  # float32, shape (len(tokens), DIMENSIONS)


class Encoder:
    """Turns texts into vectors with the static model. Build it with `get_encoder()`."""

    name = NAME

    def __init__(self, model):
        self._model = model
        self._kept = {}  # encode_tokens' vocabulary mask, per set of skipped tokens

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row of DIMENSIONS per text: the mean of its token vectors.

        Texts are not truncated (a static model has no length limit, and an abstract is longer
        than model2vec's default of 512 tokens). A text with no known token gives a zero row.
        Multiprocessing is off: the web process should not fork workers for a page.
        """
        if not texts:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), max_length=None, normalize=False, use_multiprocessing=False
        )
        return _unit_rows(np.asarray(vectors, dtype=np.float32))

    def encode_tokens(
        self, texts: Sequence[str], skip: Collection[str] = frozenset()
    ) -> list[TokenVectors]:
        """Each text's tokens (the model's WordPiece tokens, lower case) with unit vectors.

        Tokens without a letter or digit and those in `skip` (stop words) are left out. Matching
        compares claims with sentences token by token (claims/intake/matching.py). The texts'
        tokens are looked up and normalised together, in one array (a page ranks some 300
        claims: one look-up each cost more than the ranking).
        """
        if not texts:
            return []
        ids = self._model.tokenize(list(texts))
        lengths = [len(token_ids) for token_ids in ids]
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=sum(lengths))
        owner = np.repeat(np.arange(len(ids)), lengths)
        kept = self._content_tokens(frozenset(skip))[flat]
        flat, owner = flat[kept], owner[kept]
        # The model's vector of each token (as encode_as_sequence gives them, which would read
        # every text a second time), made unit length.
        vectors = _unit_rows(
            np.asarray(self._model._encode_helper(flat), dtype=np.float32).reshape(
                -1, self._model.dim
            )
        )
        ends = np.cumsum(np.bincount(owner, minlength=len(ids)))[:-1]
        names = self._model.tokens
        return [
            TokenVectors(tokens=tuple(names[i] for i in token_ids), vectors=rows)
            for token_ids, rows in zip(np.split(flat, ends), np.split(vectors, ends), strict=True)
        ]

    def _content_tokens(self, skip: frozenset[str]) -> np.ndarray:
        """Per token id of the vocabulary: whether encode_tokens keeps it (it has a letter or a
        digit and is not in `skip`). Made once per `skip`."""
        if skip not in self._kept:
            self._kept[skip] = np.array(
                [
                    bool(_WORD_CHARACTER.search(token)) and token not in skip
                    for token in self._model.tokens
                ],
                dtype=bool,
            )
        return self._kept[skip]


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.where(norms > _ZERO_NORM, vectors / np.maximum(norms, _ZERO_NORM), 0.0).astype(
        np.float32
    )


@functools.cache
def _load(path: str) -> tuple[Encoder | None, str | None]:
    """The encoder for the model at `path`, or None and why. Cached: one load per process."""
    folder = Path(path)
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        reason = (
            f"The embedding model is not at {folder} (missing {', '.join(missing)}); "
            "run make model or set EMBEDDING_MODEL_PATH."
        )
        logger.warning(reason)
        return None, reason
    try:
        from model2vec import StaticModel
    except ImportError as error:
        reason = (
            f"The package model2vec is not installed ({error}); pip install -r requirements.txt."
        )
        logger.warning(reason)
        return None, reason
    try:
        model = StaticModel.from_pretrained(folder)
    except Exception as error:  # a broken file can fail in safetensors, tokenizers or json
        reason = f"The embedding model at {folder} could not be loaded: {error}"
        logger.warning(reason)
        return None, reason
    if model.dim != DIMENSIONS:
        reason = (
            f"The embedding model at {folder} has {model.dim} dimensions; "
            f"this code expects {DIMENSIONS}."
        )
        logger.warning(reason)
        return None, reason
    return Encoder(model), None


def get_encoder() -> Encoder | None:
    """The encoder of settings.EMBEDDING_MODEL_PATH, or None when it cannot be used."""
    return _load(str(settings.EMBEDDING_MODEL_PATH))[0]


def encoder_unavailable_reason() -> str | None:
    """Why `get_encoder()` returns None, in a sentence for the page; None when it does not."""
    return _load(str(settings.EMBEDDING_MODEL_PATH))[1]


def clear_cache() -> None:
    """Forget loaded models (tests that change EMBEDDING_MODEL_PATH call it)."""
    _load.cache_clear()
