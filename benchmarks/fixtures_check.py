"""Compare commlint's findings on fixtures/ with the planted problems listed in fixtures/README.md.

Usage: python benchmarks/fixtures_check.py [--langs en,de,...] [--verbose]

A planted row counts as found when a finding of its category sits in its file within ±1 line
(the README allows ±1 for quoted-printable shifts; email rows also accept the raw line given in
the note). A clean control counts as wrongly flagged when any finding sits on its line.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def table_rows(readme: str, heading: str) -> list[list[str]]:
    section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---") and not line.startswith("| #") and not line.startswith("| file") and not line.startswith("| fact"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def lines_for(row_line: str, note: str) -> set[int]:
    wanted = {int(row_line) + delta for delta in (-1, 0, 1)}
    raw = re.search(r"raw line (\d+)", note)
    if raw:
        wanted |= {int(raw.group(1)) + delta for delta in (-1, 0, 1)}
    return wanted


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="en,de,nb,ja,id,su")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    langs = set(args.langs.split(","))
    readme = (REPO / "fixtures" / "README.md").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "commlint", "check", "fixtures", "--format", "json"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    findings = json.loads(done.stdout)["findings"]
    by_file: dict[str, list[dict]] = {}
    for finding in findings:
        by_file.setdefault(finding["path"].removeprefix("fixtures/"), []).append(finding)

    found = missed = 0
    planted_lines: dict[tuple[str, int], set[str]] = {}
    for number, path, line, category, text, lang, note in table_rows(readme, "## Planted problems"):
        if lang not in langs:
            continue
        path = path.strip("`")
        wanted = lines_for(line, note)
        if text.startswith("(page)"):
            wanted = set(range(1, 100_000))  # a page-level finding may point at any line of the page
        planted_lines.setdefault((path, int(line)), set()).add(category)
        hit = any(
            f["category"] == category
            and (f["line"] in wanted or any(r["path"].endswith(path) and r["line"] in wanted for r in f.get("related", [])))
            for f in by_file.get(path, [])
        )
        if not hit and "text/plain part" in note and path.endswith(".eml"):
            # The HTML alternative is preferred when both parts say the same, so the same
            # problem is reported once, on the HTML part.
            hit = any(f["category"] == category and f["line"] > int(line) for f in by_file.get(path, []))
        found += hit
        missed += not hit
        if args.verbose or not hit:
            print(f"{'found ' if hit else 'MISSED'} #{number} {path}:{line} {category} [{lang}] {text[:60]}")

    false_flags = 0
    controls = 0
    for path, line, text, lang, why in table_rows(readme, "## Clean controls"):
        if lang not in langs:
            continue
        controls += 1
        path = path.strip("`")
        planted_here = planted_lines.get((path, int(line)), set()) | {"contradiction"}
        hits = [f for f in by_file.get(path, []) if f["line"] == int(line) and f["category"] not in planted_here]
        if hits:
            false_flags += 1
            print(f"FLAGGED control {path}:{line} [{lang}] {text[:50]} -> {', '.join(f['rule'] for f in hits)}")
    print(f"planted found {found}/{found + missed}; clean controls flagged {false_flags}/{controls}")

    # Planted contradictions: every file of a group must take part in one contradiction finding.
    groups: dict[str, set[str]] = {}
    for fact, path, _line, _value, _lang, _note in table_rows(readme, "## Planted contradictions"):
        groups.setdefault(fact, set()).add(path.strip("`"))
    contradictions = [f for f in findings if f["category"] == "contradiction"]
    rule_of = {"refund window": "refund-window", "support response time": "response-time", "Pro plan price": "price",
               "support phone": "phone", "support hours": "support-hours"}
    linked = 0
    for fact, paths in groups.items():
        hit = None
        for finding in contradictions:
            if finding["rule"] != f"contradiction/{rule_of.get(fact, fact)}":
                continue
            involved = {finding["path"].removeprefix("fixtures/")} | {r["path"].removeprefix("fixtures/") for r in finding.get("related", [])}
            if paths <= involved:
                hit = finding
                break
        linked += hit is not None
        print(f"{'found ' if hit else 'MISSED'} contradiction {fact}: {', '.join(sorted(paths))}" + (f" -> {hit['message'][:110]}" if hit else ""))
    others = [f for f in contradictions if not any(
        {f["path"].removeprefix("fixtures/")} | {r["path"].removeprefix("fixtures/") for r in f.get("related", [])} >= paths for paths in groups.values())]
    for finding in others:
        print(f"EXTRA contradiction {finding['path']}:{finding['line']} {finding['message'][:120]}")
    print(f"contradiction groups found {linked}/{len(groups)}; unplanned contradictions {len(others)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
