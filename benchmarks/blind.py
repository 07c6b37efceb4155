"""Score commlint on a blind round: whole documents with an answer key, run through the real CLI.

Usage: python benchmarks/blind.py ROUND_DIR_OR_FILES... [--python PY] [--show-errors] [--markdown]

Each YAML file holds `cases` (id, lang, channel, format, expect, trap, text), as written for a blind
round (see tests/blind/README.md). Every case is written to a temporary folder as a real file
(.html, .md, .txt, .eml) and the folder is checked with `commlint check --format json`, languages
detected as a user's run would detect them. A category raised in a document counts once per document:
a true positive when the key expects it, a false positive when it does not; an expected category not
raised is a miss. `--python` runs another installation (e.g. the commit a round was first run on).
Categories outside the round's vocabulary (contradiction, terminology) are not scored.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval import Tally  # noqa: E402  (one tally of true and false positives for both benchmarks)

SCORED = ("overpromise", "wait-time", "jargon", "readability", "placeholder", "tone", "duplicate")
CHANNELS = ("web", "email", "social", "draft")
SUFFIX = {"html": ".html", "md": ".md", "txt": ".txt", "eml": ".eml"}
CONFIG = """\
[[paths]]
glob = "social/**"
channel = "social"

[[paths]]
glob = "draft/**"
channel = "draft"
"""


@dataclass
class Case:
    id: str
    lang: str
    channel: str
    format: str
    text: str
    expect: tuple[str, ...]
    trap: str | None
    why: str
    file: str

    @property
    def relpath(self) -> str:
        return f"{self.channel}/{self.id}{SUFFIX[self.format]}"


def load(paths: list[Path]) -> list[Case]:
    files = [f for p in paths for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    cases: list[Case] = []
    seen: set[str] = set()
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for raw in data["cases"]:
            where = f"{file.name}: case {raw.get('id')!r}"
            expect = tuple(c for c in (raw.get("expect") or ()) if c in SCORED)
            if raw.get("channel") not in CHANNELS or raw.get("format") not in SUFFIX or not raw.get("text") or raw["id"] in seen:
                raise SystemExit(f"{where}: needs a unique id, text, channel in {CHANNELS} and format in {tuple(SUFFIX)}")
            seen.add(raw["id"])
            cases.append(Case(str(raw["id"]), raw.get("lang", data.get("lang")), raw["channel"], raw["format"], raw["text"], expect, raw.get("trap"), str(raw.get("why") or ""), file.name))
    return cases


def run(cases: list[Case], python: str) -> dict[str, dict]:
    """Findings and detected language per case id, from one CLI run over all cases."""
    with tempfile.TemporaryDirectory(prefix="commlint-blind-") as folder:
        root = Path(folder)
        (root / "commlint.toml").write_text(CONFIG, encoding="utf-8")
        by_path: dict[str, Case] = {}
        for case in cases:
            target = root / case.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            text = case.text if case.text.endswith("\n") else case.text + "\n"
            if case.format == "eml":
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            target.write_bytes(text.encode("utf-8"))
            by_path[case.relpath] = case
        done = subprocess.run([python, "-m", "commlint", "check", ".", "--format", "json", "--fail-on", "never"], cwd=root, capture_output=True, text=True)
        if "Traceback" in done.stderr or not done.stdout.strip():
            raise SystemExit(f"commlint failed:\n{done.stderr[-3000:]}")
        data = json.loads(done.stdout)
    results: dict[str, dict] = {c.id: {"findings": [], "langs": set(), "error": None} for c in cases}
    for doc in data["documents"]:
        case = by_path.get(doc["path"].split("#")[0])
        if case:
            results[case.id]["langs"].add(doc.get("lang"))
    for error in data.get("errors", []):
        case = by_path.get(error["path"].split("#")[0])
        if case:
            results[case.id]["error"] = error["message"]
    for finding in data["findings"]:
        case = by_path.get(finding["path"].split("#")[0])
        if case:
            results[case.id]["findings"].append(finding)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--python", default=sys.executable, help="the Python whose commlint to run")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong case")
    parser.add_argument("--lang", help="only this language")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--min-precision", type=float, help="with --min-recall: exit 1 when a category misses a floor in any language")
    parser.add_argument("--min-recall", type=float)
    args = parser.parse_args()
    cases = [c for c in load(args.paths) if not args.lang or c.lang == args.lang]
    results = run(cases, args.python)
    by_category: dict[str, Tally] = defaultdict(Tally)
    by_language: dict[str, Tally] = defaultdict(Tally)
    by_cell: dict[tuple[str, str], Tally] = defaultdict(Tally)
    errors = []
    misdetected = 0
    for case in cases:
        result = results[case.id]
        raised = {f["category"] for f in result["findings"]} & set(SCORED)
        if result["langs"] and result["langs"] != {case.lang}:
            misdetected += 1
        for category in SCORED:
            expected, got = category in case.expect, category in raised
            if not (expected or got):
                continue
            field = "tp" if expected and got else ("fn" if expected else "fp")
            for tally in (by_category[category], by_language[case.lang], by_cell[(category, case.lang)]):
                setattr(tally, field, getattr(tally, field) + 1)
            if field != "tp":
                errors.append((case, field, category, result))

    languages = sorted({c.lang for c in cases})
    traps = sum(1 for c in cases if not c.expect)
    channels = {ch: sum(1 for c in cases if c.channel == ch) for ch in CHANNELS}
    print(f"{len(cases)} documents ({traps} traps, {traps / max(len(cases), 1):.0%}) in {', '.join(languages)}; channels {channels}")
    print(f"language detected differently from the key: {misdetected}; inputs that failed: {sum(1 for r in results.values() if r['error'])}\n")
    bar = "|" if args.markdown else " "
    head = f"{'category':<12}{bar}{'P':>6}{bar}{'R':>6}{bar} " + f"{bar}".join(f"{lang:>10}" for lang in languages)
    print(head if not args.markdown else f"|{head}|\n|" + "---|" * (3 + len(languages)))
    for category in SCORED:
        tally = by_category[category]
        if not (tally.tp + tally.fp + tally.fn):
            continue
        cells = f"{bar}".join(f"{by_cell[(category, lang)].precision:4.2f}/{by_cell[(category, lang)].recall:4.2f}" for lang in languages)
        line = f"{category:<12}{bar}{tally.precision:>6.2f}{bar}{tally.recall:>6.2f}{bar} {cells}"
        print(f"|{line}|" if args.markdown else line)
    total = Tally(*(sum(getattr(t, f) for t in by_category.values()) for f in ("tp", "fp", "fn")))
    line = f"{'all':<12}{bar}{total.precision:>6.2f}{bar}{total.recall:>6.2f}{bar} " + f"{bar}".join(
        f"{by_language[lang].precision:4.2f}/{by_language[lang].recall:4.2f}" for lang in languages
    )
    print(f"|{line}|" if args.markdown else line)
    print("\n(P and R over all languages; cells: precision/recall per language)")
    if args.min_precision is not None or args.min_recall is not None:
        floor_p, floor_r = args.min_precision or 0.0, args.min_recall or 0.0
        missed = [
            f"{category}/{lang} {tally.precision:.2f}/{tally.recall:.2f}"
            for (category, lang), tally in sorted(by_cell.items())
            if tally.precision < floor_p or tally.recall < floor_r
        ]
        if missed:
            print(f"\nunder the floors (P >= {floor_p}, R >= {floor_r}): {', '.join(missed)}")
            return 1
    if args.show_errors:
        for case, field, category, result in errors:
            kind = "FALSE POSITIVE" if field == "fp" else "MISSED"
            print(f"\n{kind} {category} in {case.id} [{case.lang}, {case.channel}/{case.format}] why: {case.why[:200]}")
            for finding in result["findings"]:
                if finding["category"] == category:
                    print(f"    raised {finding['rule']} line {finding['line']}: {finding['excerpt'][:140]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
