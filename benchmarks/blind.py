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
from dataclasses import dataclass, field
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


def run(rounds: dict[str, list[Case]], python: str) -> dict[str, dict[str, dict]]:
    """Findings and detected language per round and case id, from one CLI run over all cases
    (each round in a folder of its own: ids are unique within a round only)."""
    with tempfile.TemporaryDirectory(prefix="commlint-blind-") as folder:
        root = Path(folder)
        (root / "commlint.toml").write_text(CONFIG, encoding="utf-8")
        by_path: dict[str, tuple[str, Case]] = {}
        for name, cases in rounds.items():
            for case in cases:
                relpath = f"{name}/{case.relpath}"
                target = root / relpath
                target.parent.mkdir(parents=True, exist_ok=True)
                text = case.text if case.text.endswith("\n") else case.text + "\n"
                if case.format == "eml":
                    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
                target.write_bytes(text.encode("utf-8"))
                by_path[relpath] = (name, case)
        done = subprocess.run([python, "-m", "commlint", "check", ".", "--format", "json", "--fail-on", "never"], cwd=root, capture_output=True, text=True)
        if "Traceback" in done.stderr or not done.stdout.strip():
            raise SystemExit(f"commlint failed:\n{done.stderr[-3000:]}")
        data = json.loads(done.stdout)
    results = {name: {c.id: {"findings": [], "langs": set(), "error": None} for c in cases} for name, cases in rounds.items()}

    def of(path: str) -> dict | None:
        found = by_path.get(path.split("#")[0])
        return results[found[0]][found[1].id] if found else None

    for doc in data["documents"]:
        if (result := of(doc["path"])) is not None:
            result["langs"].add(doc.get("lang"))
    for error in data.get("errors", []):
        if (result := of(error["path"])) is not None:
            result["error"] = error["message"]
    for finding in data["findings"]:
        if (result := of(finding["path"])) is not None:
            result["findings"].append(finding)
    return results


@dataclass
class Score:
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_language: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_cell: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))  # (category, language)
    errors: list[tuple[Case, str, str, dict]] = field(default_factory=list)  # case, "fp" or "fn", category, its result
    misdetected: int = 0

    def under(self, floor_p: float, floor_r: float) -> list[str]:
        """The (category, language) cells under the floors."""
        return [f"{category}/{lang} {tally.precision:.2f}/{tally.recall:.2f}" for (category, lang), tally in sorted(self.by_cell.items())
                if tally.precision < floor_p or tally.recall < floor_r]


def score(cases: list[Case], results: dict[str, dict]) -> Score:
    scored = Score()
    for case in cases:
        result = results[case.id]
        raised = {f["category"] for f in result["findings"]} & set(SCORED)
        if result["langs"] and result["langs"] != {case.lang}:
            scored.misdetected += 1
        for category in SCORED:
            expected, got = category in case.expect, category in raised
            if not (expected or got):
                continue
            kind = "tp" if expected and got else ("fn" if expected else "fp")
            for tally in (scored.by_category[category], scored.by_language[case.lang], scored.by_cell[(category, case.lang)]):
                setattr(tally, kind, getattr(tally, kind) + 1)
            if kind != "tp":
                scored.errors.append((case, kind, category, result))
    return scored


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
    results = run({"round": cases}, args.python)["round"]
    scored = score(cases, results)
    by_category, by_language, by_cell = scored.by_category, scored.by_language, scored.by_cell

    languages = sorted({c.lang for c in cases})
    traps = sum(1 for c in cases if not c.expect)
    channels = {ch: sum(1 for c in cases if c.channel == ch) for ch in CHANNELS}
    print(f"{len(cases)} documents ({traps} traps, {traps / max(len(cases), 1):.0%}) in {', '.join(languages)}; channels {channels}")
    print(f"language detected differently from the key: {scored.misdetected}; inputs that failed: {sum(1 for r in results.values() if r['error'])}\n")
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
        missed = scored.under(floor_p, floor_r)
        if missed:
            print(f"\nunder the floors (P >= {floor_p}, R >= {floor_r}): {', '.join(missed)}")
            return 1
    if args.show_errors:
        for case, kind, category, result in scored.errors:
            what = "FALSE POSITIVE" if kind == "fp" else "MISSED"
            print(f"\n{what} {category} in {case.id} [{case.lang}, {case.channel}/{case.format}] why: {case.why[:200]}")
            for finding in result["findings"]:
                if finding["category"] == category:
                    print(f"    raised {finding['rule']} line {finding['line']}: {finding['excerpt'][:140]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
