"""Compare sentence segmenters on our cases and on the seed article (docs/intake.md's table).

Run it in a scratch virtual environment, not the project's (only syntok is a requirement):

    python3.12 -m venv /tmp/seg && /tmp/seg/bin/pip install pysbd sentencex syntok
    /tmp/seg/bin/python scripts/compare_segmenters.py [SEED_DIR]

Each line is segmented on its own, as claims/intake/segment.py does. "Seed statements exact" counts
the statements of fixtures/build_seed.py that come out as one sentence with exactly their text,
raw and with the quoted-paragraph rule (a line wholly in “…” segmented inside the quotes).
"""

import ast
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "seed"
REPEATS = 20

# Each case is two sentences, written for this comparison; the text is them joined by a space.
CASES = [
    ("Dr. Lee reviewed the data.", "The results were clear."),
    ("Some herbs (e.g. ginger) are widely used.", "Others are not."),
    ("Some herbs, e.g. Ginger, are widely used.", "Others are not."),
    ("Two groups were compared, i.e. treated and untreated ones.", "The difference was small."),
    ("The trial compared the herb vs. placebo in adults.", "No effect was found."),
    ("Herb vs. Placebo was the comparison.", "It was blinded."),
    ("The usual dose is approx. 3 mg per day.", "It was well tolerated."),
    ("Approx. half of the users reported nausea.", "Few stopped."),
    ("A trial by Lee et al. found a small effect.", "A second trial did not."),
    ("Lee et al. (2020) found a small effect.", "A second trial did not."),
    ("The effect was reported by Lee et al.", "A later trial did not confirm it."),
    ("It is sold as powder, capsules, teas, etc.", "Doses vary widely."),
    ("St. John's wort interacts with many drugs.", "Ask before combining them."),
    ("Participants took 2.5 mg daily.", "Levels fell by 1.5 percent."),
    ("The difference was significant (p < 0.05).", "It was small."),
    ("Prof. Ito, Ph.D., led the work.", "She retired later."),
    ("The review by J. R. Lee found nothing.", "A later one agreed."),
    ("The levels fell (Fig. 2) in the treated group.", "The control group did not change."),
    ("The herb is sold in the U.S. and in Europe.", "Rules differ."),
    ("See trial no. 4 for details.", "It was short."),
    ("The leaflet said, “This plant is safe.”", "Experts disagree."),
    ('The leaflet said, "This plant is safe."', "Experts disagree."),
    ("“Is it safe?” the reader asked.", "Nobody answered."),
    ("Is the herb safe?", "Nobody knows yet."),
    ("Sign up today!", "The newsletter is free."),
    ("The effect was small (see the table).", "It faded after a week."),
    ("The effect was small.", "It faded"),
    ("The results were mixed...", "More work is needed."),
    ("The dose was small.", "12 people took part."),
    ("The plant’s leaves are chewed.", "Users’ reports vary."),
    ("Details are at example.org in the report.", "It is short."),
]


def pysbd_split(line):
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return [s.sent.strip() for s in segmenter.segment(line) if s.sent.strip()]


def sentencex_split(line):
    import sentencex

    return [s.strip() for s in sentencex.segment("en", line) if s.strip()]


def syntok_split(line):
    import syntok.segmenter as segmenter
    from syntok.tokenizer import Tokenizer

    tokens = Tokenizer(replace_not_contraction=False).tokenize(line)
    return [
        line[sentence[0].offset : sentence[-1].offset + len(sentence[-1].value)]
        for sentence in segmenter.segment(tokens)
    ]


SEGMENTERS = {"syntok": syntok_split, "pysbd": pysbd_split, "sentencex": sentencex_split}


def seed_statements():
    tree = ast.parse((ROOT / "fixtures" / "build_seed.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "STATEMENTS":
            return [ast.literal_eval(element.elts[0]) for element in node.value.elts]
    raise SystemExit("no STATEMENTS in fixtures/build_seed.py")


def seed_sentences(split, lines, inside_quotes):
    result = []
    for line in lines:
        if inside_quotes and line.startswith("“") and line.endswith("”"):
            line = line[1:-1]
        result += split(line)
    return result


def main():
    lines = (SEED_DIR / "article.txt").read_text(encoding="utf-8").split("\n")
    statements = seed_statements()
    print("| segmenter | cases right | fails on | seed raw | seed, quoted rule | ms per seed |")
    for name, split in SEGMENTERS.items():
        failures = [f"{a} {b}" for a, b in CASES if split(f"{a} {b}") != [a, b]]
        exact = []
        for inside_quotes in (False, True):
            found = set(seed_sentences(split, lines, inside_quotes))
            exact.append(sum(text in found for text in statements))
        start = time.perf_counter()
        for _ in range(REPEATS):
            seed_sentences(split, lines, inside_quotes=True)
        elapsed = (time.perf_counter() - start) / REPEATS * 1000
        print(
            f"| {name} | {len(CASES) - len(failures)} / {len(CASES)} | "
            f"{'; '.join(failures) or '-'} | {exact[0]} / {len(statements)} | "
            f"{exact[1]} / {len(statements)} | {elapsed:.1f} |"
        )


if __name__ == "__main__":
    main()
