"""How two bibliographic records are compared: match keys and title similarity. Pure Python.

A *title key* is the title in lower case without accents, punctuation or extra spaces, so
"Synthetic trial: a test." and "SYNTHETIC TRIAL — A TEST" have the same key. An *author key* is
the first author's surname and first initial in the same form ("de Vries F" -> "de vries f").
"""

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache

from evidence.citations import first_author_surname

# A title at least this similar (difflib ratio, 0..1) to a stored one by the same first author
# makes a probable duplicate.
TITLE_SIMILARITY_THRESHOLD = 0.9
TITLE_KEY_LENGTH = 300
AUTHOR_KEY_LENGTH = 100

_NOT_WORD = re.compile(r"[\W_]+")


def fold(text):
    """Lower case, accents dropped, punctuation to single spaces."""
    text = text or ""
    if text.isascii():  # nothing to decompose (most titles): the same key, a character loop less
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", plain.lower()).strip()


def title_key(title):
    return fold(title)[:TITLE_KEY_LENGTH]


def author_key(authors):
    """The first author as 'surname initial'; '' without authors."""
    if not authors:
        return ""
    surname = fold(first_author_surname(authors))
    parts = authors[0].split()
    initials = parts[-1] if len(parts) > 1 and parts[-1].isupper() else ""
    return f"{surname} {initials[:1].lower()}".strip()[:AUTHOR_KEY_LENGTH]


def title_similarity(key_a, key_b):
    """difflib's ratio of two title keys, with its cheap upper bounds tried first: its
    real_quick_ratio (from the lengths) and quick_ratio (the letters in common), computed as
    difflib computes them, without a SequenceMatcher, each key's letters counted once."""
    if key_a == key_b:
        return 1.0
    length = len(key_a) + len(key_b)
    bound = 2.0 * min(len(key_a), len(key_b)) / length
    if bound < TITLE_SIMILARITY_THRESHOLD:
        return bound
    letters_a, letters_b = _letters(key_a), _letters(key_b)
    bound = 2.0 * sum(min(n, letters_b[letter]) for letter, n in letters_a.items()) / length
    if bound < TITLE_SIMILARITY_THRESHOLD:
        return bound
    return SequenceMatcher(None, key_a, key_b, autojunk=False).ratio()


@lru_cache(maxsize=4096)
def _letters(key):
    return Counter(key)
