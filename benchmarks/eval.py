"""Precision and recall of the rule packs on the labelled evaluation set in tests/eval/.

Usage: python benchmarks/eval.py [--check] [--show-errors] [--lang de] [FILES...]

Each case is a snippet of realistic copy with its language, channel and the categories it must
raise (`expect`); a case with `expect: []` is a trap that must raise nothing (`trap` names the
category it tempts). Per category: a true positive is an expected category that was raised, a
false negative one that was not, a false positive a category raised that was not expected.
With --check the exit code is 1 when any category or language misses the targets
(precision >= 0.95, recall >= 0.90).
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO / "tests" / "eval"
CATEGORIES = ("overpromise", "wait-time", "jargon", "readability", "placeholder", "tone", "duplicate")
CHANNELS = ("web", "email", "social", "draft")
PRECISION_TARGET, RECALL_TARGET = 0.95, 0.90


@dataclass
class Case:
    id: str
    lang: str
    channel: str
    text: str
    expect: tuple[str, ...]
    trap: str | None
    file: str


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def meets_targets(self) -> bool:
        return self.precision >= PRECISION_TARGET and self.recall >= RECALL_TARGET


def load_cases(files: list[Path]) -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        lang = data["lang"]
        for raw in data["cases"]:
            where = f"{file.name}: case {raw.get('id')!r}"
            expect = tuple(raw.get("expect") or ())
            unknown = [c for c in expect if c not in CATEGORIES]
            if unknown or raw.get("channel") not in CHANNELS or not raw.get("text") or raw["id"] in seen:
                raise SystemExit(f"{where}: needs a unique id, text, a channel in {CHANNELS} and categories from {CATEGORIES}")
            if not expect and raw.get("trap") not in CATEGORIES:
                raise SystemExit(f"{where}: a trap (expect: []) must name the category it tempts in `trap`")
            seen.add(raw["id"])
            cases.append(Case(raw["id"], raw.get("lang", lang), raw["channel"], raw["text"], expect, raw.get("trap"), file.name))
    return cases


def evaluate(cases: list[Case]) -> list[tuple[Case, set[str], list[str]]]:
    from commlint.config import Config
    from commlint.runner import build_ruleset, lint_text, load_rules

    config = Config()
    ruleset = build_ruleset(config, None, (), load_rules(config))
    results = []
    for case in cases:
        findings = lint_text(case.text, ruleset, lang=case.lang, channel=case.channel)
        results.append((case, {f.category for f in findings}, [f"{f.rule}: {f.excerpt[:70]}" for f in findings]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong case")
    parser.add_argument("--lang", help="only this language")
    args = parser.parse_args()
    files = args.files or sorted(EVAL_DIR.glob("*.yaml"))
    cases = [c for c in load_cases(files) if not args.lang or c.lang == args.lang]
    by_category: dict[str, Tally] = defaultdict(Tally)
    by_language: dict[str, Tally] = defaultdict(Tally)
    by_cell: dict[tuple[str, str], Tally] = defaultdict(Tally)
    errors = []
    for case, raised, details in evaluate(cases):
        for category in CATEGORIES:
            expected, got = category in case.expect, category in raised
            if not (expected or got):
                continue
            field = "tp" if expected and got else ("fn" if expected else "fp")
            for tally in (by_category[category], by_language[case.lang], by_cell[(category, case.lang)]):
                setattr(tally, field, getattr(tally, field) + 1)
            if field != "tp":
                errors.append((case, field, category, details))

    traps = sum(1 for c in cases if not c.expect)
    languages = sorted({c.lang for c in cases})
    channels = {ch: sum(1 for c in cases if c.channel == ch) for ch in CHANNELS}
    print(f"{len(cases)} cases ({traps} traps, {traps / max(len(cases), 1):.0%}) in {', '.join(languages)}; channels {channels}\n")
    print(f"{'category':<12} {'cases':>5} {'precision':>9} {'recall':>7}   " + "  ".join(f"{lang:>9}" for lang in languages))
    for category in CATEGORIES:
        tally = by_category[category]
        count = sum(1 for c in cases if category in c.expect or c.trap == category)
        cells = "  ".join(
            f"{by_cell[(category, lang)].precision:4.2f}/{by_cell[(category, lang)].recall:4.2f}" for lang in languages
        )
        print(f"{category:<12} {count:>5} {tally.precision:>9.3f} {tally.recall:>7.3f}   {cells}")
    print()
    print(f"{'language':<12} {'cases':>5} {'precision':>9} {'recall':>7}")
    for lang in languages:
        tally = by_language[lang]
        print(f"{lang:<12} {sum(1 for c in cases if c.lang == lang):>5} {tally.precision:>9.3f} {tally.recall:>7.3f}")
    print("\n(cells: precision/recall per category and language)")

    if args.show_errors or args.check:
        for case, field, category, details in errors:
            kind = "false positive" if field == "fp" else "missed"
            print(f"\n{kind} {category} in {case.file}:{case.id} [{case.lang}, {case.channel}]\n  {case.text[:160]!r}")
            for line in details:
                print(f"    raised {line}")
    missed = [name for name, tally in [*by_category.items(), *by_language.items()] if not tally.meets_targets()]
    if args.check and missed:
        print(f"\ntargets missed (precision >= {PRECISION_TARGET}, recall >= {RECALL_TARGET}): {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
