"""Contradictions on blind whole-company sets: precision, recall and traps hit.

Usage: python benchmarks/company_eval.py FOLDER [--python PYTHON] [--show-errors] [--markdown]

FOLDER holds one YAML file per writer (tests/company/BRIEF.md gives the format): fictional
organisations, each with 6-10 documents (web pages, e-mails, posts, drafts) in two languages,
the conflicts planted in them and the traps. The documents are written to a temporary folder,
one folder per organisation, and commlint runs on them through its command line, as a user would:

- mixed: one run over every organisation's folder together, with no configuration: who sent
  what is told by each document's sender (site, e-mail domain, folder);
- alone: one run per organisation's folder.

A contradiction is a true find when it names the planted conflict's fact and at least two of its
places (one, when both values are in one document); any other contradiction is a false alarm,
and a trap is hit when a false alarm names its fact and its places. A contradiction between two
organisations' documents is a false alarm too (counted apart: "across senders").
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class Org:
    writer: str
    id: str
    folder: str  # writer/org, relative to the run's root
    docs: dict[str, str]  # relative path inside the run's root -> document id
    conflicts: list[dict]
    traps: list[dict]
    languages: tuple[str, ...] = ()


@dataclass
class Score:
    findings: int = 0
    true: int = 0
    found: set = field(default_factory=set)  # (org folder, conflict index)
    traps_hit: set = field(default_factory=set)
    across: int = 0
    errors: list[str] = field(default_factory=list)
    by_fact: Counter = field(default_factory=Counter)  # fact -> false alarms


def load(folder: Path, root: Path) -> list[Org]:
    orgs = []
    for file in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        writer = str(data.get("writer") or file.stem)
        for org in data["organisations"]:
            base = f"{writer}/{org['id']}"
            docs = {}
            for doc in org["documents"]:
                target = root / base / doc["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(doc["text"] if doc["text"].endswith("\n") else doc["text"] + "\n", encoding="utf-8")
                docs[f"{base}/{doc['path']}"] = doc["id"]
            orgs.append(Org(writer, org["id"], base, docs, list(org.get("conflicts") or []), list(org.get("traps") or []),
                            tuple(org.get("languages") or ())))
    return orgs


def run(python: str, root: Path, target: str, extra: list[str]) -> list[dict]:
    done = subprocess.run(
        [python, "-m", "commlint", "check", target, "--format", "json", "--select", "contradiction", "--jobs", "2", *extra],
        cwd=root, capture_output=True, text=True, timeout=900,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"commlint failed on {target}: {done.stderr[-2000:]}")
    return [f for f in json.loads(done.stdout)["findings"] if f["category"] == "contradiction"]


def _places(item: dict) -> set[str]:
    return {str(place["doc"]) for place in item.get("places") or []}


def score(findings: list[dict], orgs: list[Org], score: Score) -> None:
    owner = {path: org for org in orgs for path in org.docs}
    for finding in findings:
        score.findings += 1
        paths = [finding["path"], *(r["path"] for r in finding.get("related") or [])]
        paths = [p[2:] if p.startswith("./") else p for p in paths]
        fact = finding["rule"].split("/", 1)[1]
        involved = {owner[p].folder for p in paths if p in owner}
        docs = {owner[p].docs[p] for p in paths if p in owner}
        if len(involved) > 1:
            score.across += 1
            score.by_fact[fact] += 1
            score.errors.append(f"ACROSS SENDERS {fact}: {finding['message']}")
            continue
        org = owner.get(paths[0])
        hit = None
        if org is not None:
            for index, conflict in enumerate(org.conflicts):
                places = _places(conflict)
                need = min(2, len(places))
                if conflict.get("fact") == fact and len(places & docs) >= need:
                    hit = index
                    break
        if hit is not None:
            score.true += 1
            score.found.add((org.folder, hit))
            continue
        score.by_fact[fact] += 1
        trap = None
        if org is not None:
            trap = next((i for i, t in enumerate(org.traps) if t.get("tempts") == fact and _places(t) & docs), None)
            if trap is not None:
                score.traps_hit.add((org.folder, trap))
        where = f"{org.folder}" if org else "?"
        label = f"TRAP {org.traps[trap].get('why', '')[:120]}" if trap is not None else "FALSE ALARM"
        score.errors.append(f"{label} [{where}] {fact}: {finding['message']}")


def report(name: str, result: Score, orgs: list[Org], markdown: bool) -> str:
    conflicts = sum(len(o.conflicts) for o in orgs)
    traps = sum(len(o.traps) for o in orgs)
    precision = result.true / result.findings if result.findings else 1.0
    recall = len(result.found) / conflicts if conflicts else 1.0
    line = (f"{name}: {result.findings} contradictions, {result.true} true; precision {precision:.2f}, recall "
            f"{recall:.2f} ({len(result.found)} of {conflicts} conflicts), traps hit {len(result.traps_hit)} of {traps} "
            f"({len(result.traps_hit) / traps if traps else 0:.1%}), across senders {result.across}")
    if markdown:
        line = "- " + line
    return line


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        orgs = load(args.folder, root)
        missing = Counter()
        facts = Counter(c.get("fact") for o in orgs for c in o.conflicts)
        print(f"{len(orgs)} organisations, {sum(len(o.docs) for o in orgs)} documents, "
              f"{sum(len(o.conflicts) for o in orgs)} conflicts ({', '.join(f'{k} {v}' for k, v in sorted(facts.items()))}), "
              f"{sum(len(o.traps) for o in orgs)} traps")
        mixed = Score()
        score(run(args.python, root, ".", []), orgs, mixed)
        alone = Score()
        for org in orgs:
            score(run(args.python, root, org.folder, []), [org], alone)
        print(report("mixed (one run, senders told apart)", mixed, orgs, args.markdown))
        print(report("alone (one run per organisation)", alone, orgs, args.markdown))
        for result in (mixed, alone):
            for org in orgs:
                for index, conflict in enumerate(org.conflicts):
                    if (org.folder, index) not in result.found and result is alone:
                        missing[conflict.get("fact")] += 1
                        if args.show_errors:
                            places = "; ".join(f"{p['doc']}: {p['value']}" for p in conflict.get("places") or [])
                            print(f"MISSED {org.folder} {conflict.get('fact')} ({conflict.get('about', '')}): {places}")
        print("missed (alone) by fact: " + (", ".join(f"{k} {v}" for k, v in sorted(missing.items())) or "none"))
        print("false alarms (mixed) by fact: " + (", ".join(f"{k} {v}" for k, v in sorted(mixed.by_fact.items())) or "none"))
        if args.show_errors:
            for line in mixed.errors:
                print("mixed:", line)
            for line in alone.errors:
                print("alone:", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
