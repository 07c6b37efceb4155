"""Precision and recall of the contradiction checker on tests/claims_eval/cases.yaml.

Usage: python benchmarks/claims_eval.py [--check] [--show-errors] [FILE]

Each case is a small set of documents from one company. A `conflict` case states one fact
differently (its `fact`); a `trap` must raise no contradiction at all. A conflict case counts as
found when commlint reports a contradiction of that fact; any contradiction in a trap, or of
another fact in a conflict case, is a false positive. With --check the exit code is 1 when
precision < 0.95 or recall < 0.85. (Recall was held at 0.90 until issue 11: since then a price
with no plan named, or a discount with no offer named, is compared with nothing, and two of
these cases state only such prices. The blind company sets in benchmarks/BLIND.md are the
figures of record.)
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO / "tests" / "claims_eval" / "cases.yaml"


def evaluate(cases: list[dict], region: str = "NO") -> list[tuple[dict, list]]:
    from commlint.claims import compare, extract_claims, load_knowledge
    from commlint.extraction.builder import TextBuilder
    from commlint.extraction.text import extract_plain_text
    from commlint.rules import builtin_pack_folder

    knowledge = load_knowledge([builtin_pack_folder()])
    results = []
    for case in cases:
        claims = []
        for number, doc_data in enumerate(case["docs"], 1):
            text = doc_data["text"]
            builder = TextBuilder(text)
            extract_plain_text(text, builder)
            doc = builder.build(f"{case['id']}/doc{number}-{doc_data['channel']}", doc_data["channel"])
            doc.lang = doc_data["lang"]
            claims.extend(extract_claims(doc, knowledge, case.get("region", region)))
        findings = [f for f in compare(claims) if f.category == "contradiction"]
        results.append((case, findings))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    cases = yaml.safe_load(args.file.read_text(encoding="utf-8"))["cases"]
    tp = fp = fn = 0
    per_fact: dict[str, Counter] = defaultdict(Counter)
    per_lang: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for case, findings in evaluate(cases):
        fact = case["fact"]
        langs = "+".join(sorted({d["lang"] for d in case["docs"]}))
        hit = any(_fact_of(f) == fact for f in findings)
        wrong = [f for f in findings if _fact_of(f) != fact or case["kind"] == "trap"]
        if case["kind"] == "conflict":
            tp += hit
            fn += not hit
            per_fact[fact]["tp" if hit else "fn"] += 1
            per_lang[langs]["tp" if hit else "fn"] += 1
            if not hit:
                errors.append(("missed", case, findings))
        fp += len(wrong)
        per_fact[fact]["fp"] += len(wrong)
        per_lang[langs]["fp"] += len(wrong)
        if wrong:
            errors.append(("false positive", case, wrong))
    conflicts = sum(1 for c in cases if c["kind"] == "conflict")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{len(cases)} cases: {conflicts} conflicts, {len(cases) - conflicts} traps")
    print(f"precision {precision:.3f}  recall {recall:.3f}  (tp {tp}, fp {fp}, fn {fn})\n")
    print(f"{'fact':<26}{'tp':>4}{'fp':>4}{'fn':>4}")
    for fact in sorted(per_fact):
        c = per_fact[fact]
        print(f"{fact:<26}{c['tp']:>4}{c['fp']:>4}{c['fn']:>4}")
    print(f"\n{'languages':<26}{'tp':>4}{'fp':>4}{'fn':>4}")
    for langs in sorted(per_lang):
        c = per_lang[langs]
        print(f"{langs:<26}{c['tp']:>4}{c['fp']:>4}{c['fn']:>4}")
    if args.show_errors or args.check:
        for kind, case, found in errors:
            print(f"\n{kind}: {case['id']} ({case['kind']}, {case['fact']})")
            for doc in case["docs"]:
                print(f"   [{doc['lang']}] {doc['text'][:140]}")
            for finding in found:
                print(f"   -> {finding.message[:160]}")
    if args.check and (precision < 0.95 or recall < 0.85):
        return 1
    return 0


def _fact_of(finding) -> str:
    return finding.rule.split("/", 1)[1]


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
