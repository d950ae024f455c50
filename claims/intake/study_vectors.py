"""A study's embedding (its title and abstract), for "Studies that may bear on this claim".

One model and one migration for both databases: on PostgreSQL the vector is pgvector's
`vector(N)`, searched through an HNSW index (claims migration 0010 creates the extension and
the index there); on SQLite it is a blob of little-endian float32, searched with numpy
(claims.intake.candidates). The field converts a numpy array either way, so nothing outside this
module knows which database holds it.

Kept light on purpose: claims/models.py imports this module at start-up, so it loads no model;
the encoder is claims.intake.embedding's, used by claims.intake.candidates.
"""

import hashlib

import numpy as np
from django.db import models

from claims.intake.embedding import DIMENSIONS
from evidence.models import Study

# float32, little-endian: what numpy reads back from SQLite without a copy of the bytes' order.
BLOB_DTYPE = np.dtype("<f4")


class VectorField(models.Field):
    """A fixed-length float32 vector: pgvector's `vector(dimensions)` on PostgreSQL, a blob on
    SQLite. Python sees a numpy float32 array of shape (dimensions,)."""

    description = "A vector of %(dimensions)s float32 numbers"

    def __init__(self, *args, dimensions, **kwargs):
        self.dimensions = dimensions
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["dimensions"] = self.dimensions
        return name, path, args, kwargs

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return f"vector({self.dimensions})"
        return "blob"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        array = np.asarray(value, dtype=BLOB_DTYPE).reshape(-1)
        if array.shape != (self.dimensions,):
            raise ValueError(
                f"A vector of {array.size} numbers; this field holds {self.dimensions}."
            )
        if connection.vendor == "postgresql":
            return vector_literal(array)
        return array.tobytes()

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if isinstance(value, str):  # pgvector's text form: "[0.1,0.2,...]"
            return np.array(value.strip("[]").split(","), dtype=np.float32)
        return np.frombuffer(bytes(value), dtype=BLOB_DTYPE)

    def to_python(self, value):
        if value is None or isinstance(value, np.ndarray):
            return value
        return np.asarray(value, dtype=np.float32)


def vector_literal(array):
    """pgvector's input form of a vector. Python's repr of each float32 (as a float) reads back
    as the same float32, so nothing is lost on the way."""
    return "[" + ",".join(map(repr, np.asarray(array, dtype=np.float32).tolist())) + "]"


# The study's fields that are embedded: a change to either makes its vector stale.
EMBEDDED_FIELDS = frozenset({"title", "abstract"})


def study_text(title, abstract):
    """What is embedded for a study: its title, then its abstract (the model reads the start of
    it; the title carries most of what a study is about)."""
    return f"{title.strip()}\n\n{abstract.strip()}".strip()


def text_hash(text):
    """A digest of the embedded text, so a vector is known to be stale when the study's title
    or abstract changed since it was made."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StudyVector(models.Model):
    """The embedding of one study's title and abstract by one model. Rebuilt when the text or
    the model changes (claims.intake.candidates.study_vectors_refresh)."""

    study = models.OneToOneField(
        Study, on_delete=models.CASCADE, primary_key=True, related_name="vector"
    )
    # The encoder's size (claims.intake.embedding): a model of another size needs a migration
    # of this column (makemigrations sees it) and of its index on PostgreSQL.
    vector = VectorField(dimensions=DIMENSIONS)
    model_name = models.CharField(
        max_length=200, help_text="The encoder that made the vector; another model's is stale."
    )
    text_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the text embedded (title and abstract)."
    )
    embedded_at = models.DateTimeField()

    class Meta:
        verbose_name = "study vector"

    def __str__(self):
        return f"Vector of study #{self.study_id} ({self.model_name})"
