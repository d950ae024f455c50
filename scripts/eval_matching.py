"""How well the claim suggestions find the seed article's statements (run by `make eval-matching`).

    .venv/bin/python scripts/eval_matching.py [--minilm-python .venv-model/bin/python] [--model DIR]

The seed article is split into sentences with its statements and links set aside; every
sentence is ranked against the seed's ten claims; the editorial reading of fixtures/build_seed.py
(STATEMENTS: which sentences assert which claims) is the answer key. For each method:

- recall@1: the share of the seed's statements whose top suggestion is one of their claims;
- recall@3: the share of statement-claim links whose claim is among the statement's top three;
- threshold: by the rule below, on that method's scores: the highest score that 90% (KEEP) of
  the method's right top-three suggestions still reach. A suggestion at or above the threshold is
  marked as likely on the page; this rule keeps nine in ten of the right ones marked, whatever
  the scale of the method's scores (MODEL_THRESHOLD and BM25_THRESHOLD in
  claims/intake/matching.py are these values, rounded down);
- false alarms: how many of the article's other sentences get a suggestion at or above that
  threshold, all of them and those in prose (without the headings and the list of contents,
  which the real segmenter leaves out: whole lines that do not end with a full stop).

The workbench ranks, for each sentence, the claims sharing the most words with it when the
library holds more than 50 (claims.intake.workbench.CANDIDATES): the rows "model on the N
claims sharing most words" measure that pre-selection by keeping 5 and 3 of the seed's ten
(on the database of DATABASE_URL, migrated: PostgreSQL's word index, or SQLite's fallback).

A statement the splitter does not give as one sentence counts as missed. With --minilm-python
(the build environment of `make model`), the full all-MiniLM-L6-v2 is measured too, by the
cosine of its sentence vectors, for comparison.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from claims.intake import embedding, matching, segment  # noqa: E402
from fixtures.build_seed import DEFAULT_SEED, STATEMENTS  # noqa: E402

TOP = 3
KEEP = 0.9  # the share of right top-three suggestions the threshold keeps marked
SWEEP_STEPS = 12
# The workbench ranks every claim of a library of at most claims.intake.workbench.CANDIDATES
# (50), else the CANDIDATES sharing the most words with each sentence: measured here by keeping
# fewer of the seed's ten (the database's sharing_words), as a larger library would.
PRESELECTED = (5, 3)


def split_sentences(text):
    """The article's candidate sentences, as the workbench and intake_article read them: the
    real segmenter (claims/intake/segment.py), headings, lists of contents and calls to action
    left out."""
    return [sentence.text for sentence in segment.sentences(text) if sentence.candidate]


def load_seed():
    """The article, the claims (key, text, subject, outcome) and the editorial reading."""
    if not (DEFAULT_SEED / "claims.json").exists():
        raise SystemExit(
            f"The seed is not at {DEFAULT_SEED} (../shared/seed beside the repository)."
        )
    article = (DEFAULT_SEED / "article.txt").read_text(encoding="utf-8")
    claims = json.loads((DEFAULT_SEED / "claims.json").read_text(encoding="utf-8"))
    reading = [(text, set(links)) for text, links in STATEMENTS]
    return article, claims, reading


def _plain(text):
    return text.replace("“", "").replace("”", "").strip()


def label_sentences(sentences, reading):
    """Per sentence, the claim keys of the statement it holds (None: not a statement)."""
    gold = [None] * len(sentences)
    missed = []
    for text, keys in reading:
        places = [n for n, s in enumerate(sentences) if _plain(text) == _plain(s)]
        if places:
            gold[places[0]] = keys
        else:
            missed.append(text)
    return gold, missed


def is_heading(sentence, article):
    """A heading or an item of the list of contents: a whole line that ends without a full stop
    (a question may be a heading: "What is Kratom and How Does it Interact with Prolactin?")."""
    lines = {line.strip().removeprefix("- ") for line in article.splitlines()}
    return sentence in lines and not re.search(r"\.[”\"]?$", sentence)


def measure(scores, keys, gold, missed, threshold, sentences, article):
    """recall@1, recall@3, right top-three suggestions at or above threshold, false alarms."""
    statements = [n for n, g in enumerate(gold) if g is not None]
    others = [n for n, g in enumerate(gold) if g is None]
    total_statements = len(statements) + len(missed)
    total_links = sum(len(gold[n]) for n in statements) + sum(len(k) for _t, k in missed)
    top1 = links = links_above = 0
    for n in statements:
        order = sorted(range(len(keys)), key=lambda c: (-scores[n][c], c))
        top1 += keys[order[0]] in gold[n]
        for c in order[:TOP]:
            if keys[c] in gold[n]:
                links += 1
                links_above += bool(scores[n][c] >= threshold)
    alarms = [n for n in others if scores[n].max() >= threshold]
    return {
        "recall@1": top1 / total_statements,
        "recall@3": links / total_links,
        "kept": links_above / links if links else 0.0,
        "alarms": len(alarms),
        "prose alarms": sum(not is_heading(sentences[n], article) for n in alarms),
        "others": len(others),
        "prose": sum(not is_heading(sentences[n], article) for n in others),
    }


def choose_threshold(scores, keys, gold, missed, sentences, article):
    """The highest threshold that KEEP of the right top-three suggestions still reach."""
    candidates = sorted({float(s) for row in scores for s in row if s > 0}, reverse=True)
    for threshold in candidates:
        if measure(scores, keys, gold, missed, threshold, sentences, article)["kept"] >= KEEP:
            return threshold
    return 0.0


def minilm_scores(python, sentences, claim_texts):
    texts = list(sentences) + list(claim_texts)
    result = subprocess.run(
        [python, str(ROOT / "scripts" / "encode_minilm.py")],
        input=json.dumps(texts).encode(),
        capture_output=True,
        check=True,
    )
    import io

    vectors = np.load(io.BytesIO(result.stdout))
    return vectors[: len(sentences)] @ vectors[len(sentences) :].T


class ExactWords:
    """The model's words with the vectors taken away (an ablation): one-hot token vectors, so a
    claim's word scores 1 when the same token is in the sentence and 0 otherwise."""

    def __init__(self, encoder, texts):
        self.encoder = encoder
        tokens = {t for words in encoder.encode_tokens(texts) for t in words.tokens}
        self.index = {token: n for n, token in enumerate(sorted(tokens))}

    def encode_tokens(self, texts, skip=frozenset()):
        out = []
        for words in self.encoder.encode_tokens(texts, skip=skip):
            vectors = np.zeros((len(words.tokens), len(self.index)), dtype=np.float32)
            vectors[np.arange(len(words.tokens)), [self.index[t] for t in words.tokens]] = 1
            out.append(embedding.TokenVectors(words.tokens, vectors))
        return out


def preselected_scores(sentences, claims, limit):
    """The model's scores as the workbench computes them in a library of more than `limit`
    claims: for each sentence, over the `limit` claims sharing the most words with it
    (Claim.objects.sharing_words, on this run's database: the seed's claims are created in a
    transaction rolled back after; on PostgreSQL its word index, on SQLite the fallback);
    0 for the claims not among them."""
    from django.db import transaction

    from claims.models import Claim

    with transaction.atomic():
        made = [
            Claim.objects.create(
                text=c["text"], slug=f"eval-matching-{c['key'].lower()}", kind=c["kind"],
                subject=c["subject"], outcome=c["outcome"],
            )
            for c in claims
        ]  # fmt: skip
        found = Claim.objects.filter(pk__in=[c.pk for c in made]).sharing_words(
            sentences, limit=limit
        )
        transaction.set_rollback(True)
    place = {claim.pk: n for n, claim in enumerate(made)}
    candidates = [
        [matching.ClaimText(place[pk], claims[place[pk]]["text"]) for pk in keys] for keys in found
    ]
    ranking = matching.rank_candidates(sentences, candidates, top=None)
    scores = np.zeros((len(sentences), len(claims)), dtype=np.float32)
    for row, matches in enumerate(ranking.matches):
        for match in matches:
            scores[row, match.claim_id] = match.score
    return scores


def cosine_scores(encoder, sentences, claim_texts):
    return encoder.encode(sentences) @ encoder.encode(claim_texts).T


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minilm-python", help="python of .venv-model, to compare the full model")
    parser.add_argument(
        "--model", help="another static model's folder (scripts/build_model.py --pca-dims ...)"
    )
    args = parser.parse_args()

    article, claims, reading = load_seed()
    sentences = split_sentences(article)
    gold, missed = label_sentences(sentences, reading)
    keys = [c["key"] for c in claims]
    as_text = [c["text"] for c in claims]
    as_rich = [f"{c['text']} {c['subject']}; {c['outcome']}." for c in claims]

    if args.model:  # a variant, whatever its size: embedding.get_encoder() would refuse it
        from model2vec import StaticModel

        encoder = embedding.Encoder(StaticModel.from_pretrained(Path(args.model)))
        encoder.name = f"{args.model} ({encoder.encode(['x']).shape[1]} dimensions)"
    else:
        encoder = embedding.get_encoder()
    if encoder is None:
        raise SystemExit(f"No embedding model: {embedding.encoder_unavailable_reason()}")

    def claim_texts(texts):
        return [matching.ClaimText(key, text) for key, text in zip(keys, texts, strict=True)]

    rows = []  # (method, claims as, scores, threshold in use or None)
    for name, texts in (("text", as_text), ("text + subject + outcome", as_rich)):
        rows.append(
            (
                "model: claim words in the sentence",
                name,
                matching.model_scores(encoder, sentences, claim_texts(texts)),
                matching.MODEL_THRESHOLD,
            )
        )
        rows.append(
            (
                "BM25",
                name,
                matching.bm25_scores(sentences, claim_texts(texts)),
                matching.BM25_THRESHOLD,
            )
        )
        rows.append(
            ("model: sentence-vector cosine", name, cosine_scores(encoder, sentences, texts), None)
        )
        exact = ExactWords(encoder, sentences + texts)
        rows.append(
            (
                "model's words matched exactly (no vectors)",
                name,
                matching.model_scores(exact, sentences, claim_texts(texts)),
                None,
            )
        )
        if args.minilm_python:
            rows.append(
                (
                    "full all-MiniLM-L6-v2: cosine",
                    name,
                    minilm_scores(args.minilm_python, sentences, texts),
                    None,
                )
            )

    from django.db import connection

    for limit in PRESELECTED:
        rows.append(
            (
                f"model on the {limit} claims sharing most words ({connection.vendor})",
                "text",
                preselected_scores(sentences, claims, limit),
                None,
            )
        )

    statements = sum(g is not None for g in gold)
    print(
        f"Seed article: {len(sentences)} sentences, {statements} of the {len(reading)} statements "
        f"found by the splitter, {sum(len(k) for _t, k in reading)} statement-claim links, "
        f"{len(claims)} claims; model: {encoder.name}."
    )
    for text in missed:
        print(f"  not split as one sentence (counted as missed): {text}")
    print()
    print(
        "| method | claims as | recall@1 | recall@3 | threshold | false alarms "
        "| false alarms in prose |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    chosen = {}
    for method, claims_as, scores, _threshold in rows:
        threshold = choose_threshold(scores, keys, gold, missed, sentences, article)
        chosen[method, claims_as] = threshold
        figures = measure(scores, keys, gold, missed, threshold, sentences, article)
        print(
            f"| {method} | {claims_as} | {figures['recall@1']:.3f} | {figures['recall@3']:.3f} "
            f"| {threshold:.3f} | {figures['alarms']} of {figures['others']} "
            f"| {figures['prose alarms']} of {figures['prose']} |"
        )
    print()
    for method, claims_as, _scores, threshold in rows:
        if claims_as == "text" and threshold is not None:
            print(
                f"{method}: matching.py's threshold is {threshold:g}; "
                f"the rule gives {chosen[method, claims_as]:.3f} on the seed."
            )

    print()
    print("Sweep (claims as text): the share of right top-three suggestions at or above each")
    print("threshold, and the false alarms (all other sentences / in prose).")
    for method, claims_as, scores, threshold in rows:
        if claims_as != "text" or threshold is None:
            continue
        top = float(np.max(scores))
        print()
        print(f"{method}:")
        print("| threshold | right suggestions kept | false alarms | in prose |")
        print("| ---: | ---: | ---: | ---: |")
        for step in range(SWEEP_STEPS):
            value = round(top * step / SWEEP_STEPS, 2)
            figures = measure(scores, keys, gold, missed, value, sentences, article)
            print(
                f"| {value:g} | {figures['kept']:.3f} | {figures['alarms']} "
                f"| {figures['prose alarms']} |"
            )

    print()
    print("Other sentences at or above matching.py's threshold (claims as text):")
    for method, claims_as, scores, threshold in rows:
        if claims_as != "text" or threshold is None:
            continue
        for n, g in enumerate(gold):
            if g is None and scores[n].max() >= threshold:
                best = keys[int(np.argmax(scores[n]))]
                print(f"- {method}: {best} {scores[n].max():.2f}: {sentences[n]}")


if __name__ == "__main__":
    main()
