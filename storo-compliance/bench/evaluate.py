"""Recall and false-positive rate on a labelled evaluation set.

Positives are listed names altered the way real payment names differ from list
entries (typos, transliteration variants, swapped and missing name parts, added
honorifics and joined particles); negatives are common names that are not listed.
A screening "hits" when its decision is review or deny.

    python bench/evaluate.py [--positives 1500] [--negatives 1500]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import date

from common import synthetic_index
from names import common_name

from storo_compliance.matching.config import MatchConfig
from storo_compliance.matching.index import Query
from storo_compliance.matching.normalise import normalise
from storo_compliance.screening.decision import decide

TRANSLIT = [
    ("mohammed", "muhammad"),
    ("mohammed", "mohamed"),
    ("muhammad", "mohammad"),
    ("yusuf", "youssef"),
    ("hussein", "husain"),
    ("hassan", "hasan"),
    ("omar", "umar"),
    ("dmitry", "dmitri"),
    ("sergei", "sergey"),
    ("yuri", "yury"),
    ("ou", "u"),
    ("u", "ou"),
    ("kh", "h"),
    ("sh", "ch"),
    ("q", "k"),
    ("y", "i"),
    ("ee", "i"),
    ("i", "ee"),
    ("v", "w"),
    ("j", "dj"),
    ("k", "c"),
    ("ai", "ay"),
]


def typo(token: str, rng: random.Random) -> str:
    if len(token) < 4:
        return token
    i = rng.randrange(1, len(token) - 1)
    op = rng.choice(("sub", "del", "ins", "swap"))
    letters = "abcdefghijklmnoprstuvy"
    if op == "sub":
        return token[:i] + rng.choice(letters) + token[i + 1 :]
    if op == "del":
        return token[:i] + token[i + 1 :]
    if op == "ins":
        return token[:i] + rng.choice(letters) + token[i:]
    return token[: i - 1] + token[i] + token[i - 1] + token[i + 1 :]


def translit(tokens: list[str], rng: random.Random) -> list[str]:
    out = list(tokens)
    rules = [(a, b) for a, b in TRANSLIT if any(a in t for t in out)]
    rng.shuffle(rules)
    for a, b in rules[: rng.choice((1, 2))]:
        where = [k for k, t in enumerate(out) if a in t]
        if where:
            j = rng.choice(where)
            out[j] = out[j].replace(a, b, 1)
    return out


def variant(tokens: list[str], kind: str, rng: random.Random) -> list[str]:
    if kind == "typo":
        j = rng.randrange(len(tokens))
        return [typo(t, rng) if k == j else t for k, t in enumerate(tokens)]
    if kind == "double_typo":
        return [typo(t, rng) if len(t) > 5 else t for t in tokens]
    if kind == "transliteration":
        return translit(tokens, rng)
    if kind == "swapped":
        return list(reversed(tokens))
    if kind == "missing_part":
        drop = rng.randrange(1, len(tokens) - 1) if len(tokens) > 2 else None
        return [t for k, t in enumerate(tokens) if k != drop]
    if kind == "honorific_joined":
        joined = [t.replace("-", "") for t in tokens]
        return ["Sheikh", *joined] if rng.random() < 0.5 else ["Dr", *joined]
    raise ValueError(kind)


KINDS = ("typo", "double_typo", "transliteration", "swapped", "missing_part")
KINDS += ("honorific_joined",)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--positives", type=int, default=1500)
    parser.add_argument("--negatives", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=88)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    index, _ = synthetic_index()
    config = MatchConfig()
    people = [e for e in index.entries if e.entry.subject == "individual"]
    listed_texts = {
        normalise(n.name).sorted_text for e in index.entries for n in e.entry.names
    }
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses: list[str] = []
    pos_scores: list[int] = []
    neg_scores: list[int] = []
    for i in range(args.positives):
        item = rng.choice(people)
        kind = KINDS[i % len(KINDS)]
        last, first = item.entry.primary_name.lower().split(",")
        tokens = first.split() + last.split()
        altered = " ".join(variant(tokens, kind, rng))
        dob = None
        if rng.random() < 0.5 and item.entry.dates_of_birth:
            listed = item.entry.dates_of_birth[0]
            dob = date.fromisoformat(listed) if len(listed) == 10 else None
        result = decide(
            index.screen(Query(altered, "individual", None, dob), config), config
        )
        totals[kind] += 1
        pos_scores.append(result.score)
        if result.decision != "clear":
            hits[kind] += 1
        elif len(misses) < 12:
            misses.append(f"{kind}: {altered!r} for {item.entry.primary_name!r}")
    false_pos = 0
    negatives = 0
    fp_examples: list[str] = []
    while negatives < args.negatives:
        name = " ".join(common_name(rng)).title()
        if normalise(name).sorted_text in listed_texts:
            continue
        negatives += 1
        dob = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
        country = rng.choice(("ZA", "ZW", "GB", None))
        query = Query(name, "individual", country, dob if rng.random() < 0.5 else None)
        result = decide(index.screen(query, config), config)
        neg_scores.append(result.score)
        if result.decision != "clear":
            false_pos += 1
            if len(fp_examples) < 8:
                top = result.candidates[0]
                fp_examples.append(f"{name!r} -> {top.matched_name!r} {top.score}")
    recall = sum(hits.values()) / sum(totals.values())
    fpr = false_pos / negatives
    print(f"index: {index.name_count} names in {len(index.entries)} entries")
    print(
        f"thresholds: review >= {config.review_threshold}, deny >= "
        f"{config.deny_threshold}"
    )
    for kind in KINDS:
        print(
            f"  recall {kind:17s} {hits[kind] / totals[kind]:6.1%} "
            f"({hits[kind]}/{totals[kind]})"
        )
    print(f"recall {recall:.1%} over {sum(totals.values())} listed variants")
    print(f"false-positive rate {fpr:.1%} over {negatives} common unlisted names")
    print("review threshold sweep (recall / false-positive rate):")
    for t in range(70, 96, 2):
        r = sum(s >= t for s in pos_scores) / len(pos_scores)
        f = sum(s >= t for s in neg_scores) / len(neg_scores)
        print(f"  >= {t}: {r:6.1%} / {f:5.1%}")
    for line in misses:
        print("  missed", line)
    for line in fp_examples:
        print("  false positive", line)


if __name__ == "__main__":
    main()
