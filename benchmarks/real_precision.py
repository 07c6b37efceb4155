"""Precision of commlint's findings on real copy (../shared/corpora), from blind hand-judgements.

Usage:
  python benchmarks/real_precision.py [--corpora DIR] [--python PY] [--run RUN.json]
      score the current findings against tests/real/judged.jsonl
  python benchmarks/real_precision.py sample N --out PACKET.jsonl [--seed S]
      draw about N findings not judged yet, stratified by rule (round-robin over languages within a
      rule), with their source context, for a judge who never saw the rules

A judgement is keyed by corpus-relative path + line + rule, and its verdict is `right` (a careful
editor would flag this, in this category), `wrong`, or `not-copy` (not customer copy at all: licence
files, markup, code, data). Precision is right / (right + wrong); "strict" also counts not-copy as
wrong. No corpus text is stored in the project: judged.jsonl holds keys and verdicts only.
Findings per 1,000 words are printed per corpus, so a change that silences a category shows up.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
JUDGED = REPO / "tests" / "real" / "judged.jsonl"
SKIPPED = ("contradiction",)  # judged by the claims benchmarks, not here
NOT_DATA = ("README", "LICENSE")


def run_commlint(corpora: Path, python: str) -> dict:
    done = subprocess.run([python, "-m", "commlint", "check", str(corpora), "--format", "json", "--fail-on", "never"], capture_output=True, text=True)
    if "Traceback" in done.stderr or not done.stdout.strip():
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout)


def relative(path: str, corpora: Path) -> str:
    try:
        return Path(path).resolve().relative_to(corpora.resolve()).as_posix()
    except ValueError:
        return path


def is_data(rel: str) -> bool:
    return not Path(rel).name.startswith(NOT_DATA)


def findings_of(data: dict, corpora: Path) -> list[dict]:
    out = []
    for finding in data["findings"]:
        rel = relative(finding["path"], corpora)
        if finding["category"] in SKIPPED or not is_data(rel):
            continue
        out.append({**finding, "rel": rel})
    return out


def load_judged() -> dict[tuple[str, int, str], dict]:
    judged = {}
    if JUDGED.exists():
        for line in JUDGED.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                judged[(entry["path"], entry["line"], entry["rule"])] = entry
    return judged


def context(corpora: Path, rel: str, line: int, cache: dict[str, list[str]]) -> str:
    if rel not in cache:
        try:
            cache[rel] = (corpora / rel).read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            cache[rel] = []
    lines = cache[rel]
    start, stop = max(line - 3, 0), min(line + 2, len(lines))
    return "\n".join(f"{n + 1:>6}: {lines[n][:400]}" for n in range(start, stop))


def sample(args: argparse.Namespace) -> int:
    corpora = args.corpora
    data = json.loads(Path(args.run).read_text()) if args.run else run_commlint(corpora, args.python)
    judged = load_judged()
    by_rule: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    seen = set()
    for finding in findings_of(data, corpora):
        key = (finding["rel"], finding["line"], finding["rule"])
        if key in judged or key in seen:
            continue
        seen.add(key)
        by_rule[finding["rule"]][finding["lang"]].append(finding)
    rng = random.Random(args.seed)
    sizes = [sum(len(items) for items in by_rule[rule].values()) for rule in by_rule]
    per_rule = 1  # the smallest cap per rule that reaches N in all (small rules give all they have)
    while sum(min(size, per_rule) for size in sizes) < min(args.n, sum(sizes)):
        per_rule += 1
    picked: list[dict] = []
    for rule in sorted(by_rule):
        pools = {lang: rng.sample(items, len(items)) for lang, items in sorted(by_rule[rule].items())}
        taken = 0
        while taken < per_rule and any(pools.values()):
            for lang in list(pools):
                if pools[lang] and taken < per_rule:
                    picked.append(pools[lang].pop())
                    taken += 1
    rng.shuffle(picked)
    cache: dict[str, list[str]] = {}
    with open(args.out, "w", encoding="utf-8") as out:
        for number, f in enumerate(picked, 1):
            item = {
                "item": number, "path": f["rel"], "line": f["line"], "rule": f["rule"], "category": f["category"],
                "severity": f["severity"], "lang": f["lang"], "channel": f["channel"], "message": f["message"],
                "excerpt": f["excerpt"][:600], "source": context(corpora, f["rel"], f["line"], cache),
            }
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(picked)} findings from {len(by_rule)} rules written to {args.out}")
    return 0


def score(args: argparse.Namespace) -> int:
    corpora = args.corpora
    data = json.loads(Path(args.run).read_text()) if args.run else run_commlint(corpora, args.python)
    judged = load_judged()
    findings = findings_of(data, corpora)
    words: Counter[str] = Counter()
    for doc in data["documents"]:
        rel = relative(doc["path"].split("#")[0], corpora)
        if is_data(rel):
            words[rel.split("/")[0]] += doc.get("words", 0)
    per_corpus: Counter[str] = Counter(f["rel"].split("/")[0] for f in findings)
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    matched = set()
    for f in findings:
        key = (f["rel"], f["line"], f["rule"])
        if key not in judged or key in matched:
            continue
        matched.add(key)
        verdict = judged[key]["verdict"]
        for group in ("all", f"category {f['category']}", f"language {f['lang']}", f"severity {f['severity']}", f"rule {f['rule']}"):
            tallies[group][verdict] += 1
    print(f"{len(findings)} findings (contradictions and README/LICENSE files left out); {len(matched)} of them judged, of {len(judged)} judgements\n")
    print(f"{'group':<34} {'judged':>6} {'right':>5} {'wrong':>5} {'not-copy':>8} {'precision':>9} {'strict':>6}")
    order = sorted(tallies, key=lambda g: (g.split()[0] != "all", g.split()[0], g))
    for group in order:
        t = tallies[group]
        n = sum(t.values())
        p = t["right"] / (t["right"] + t["wrong"]) if t["right"] + t["wrong"] else float("nan")
        strict = t["right"] / n if n else float("nan")
        if group.startswith("rule ") and not args.rules:
            continue
        print(f"{group:<34} {n:>6} {t['right']:>5} {t['wrong']:>5} {t['not-copy']:>8} {p:>9.2f} {strict:>6.2f}")
    print(f"\n{'corpus':<40} {'words':>10} {'findings':>8} {'per 1,000 words':>15}")
    for corpus in sorted(words):
        print(f"{corpus:<40} {words[corpus]:>10} {per_corpus[corpus]:>8} {1000 * per_corpus[corpus] / max(words[corpus], 1):>15.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="score", choices=("score", "sample"))
    parser.add_argument("n", nargs="?", type=int, default=400)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--run", help="a saved `commlint check --format json` of the corpora, instead of running it")
    parser.add_argument("--out", default="packet.jsonl")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--rules", action="store_true", help="also print precision per rule")
    args = parser.parse_args()
    if not args.corpora.is_dir():
        print(f"no corpora at {args.corpora}", file=sys.stderr)
        return 2
    return sample(args) if args.command == "sample" else score(args)


if __name__ == "__main__":
    raise SystemExit(main())
