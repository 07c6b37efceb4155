"""Run commlint over ../shared/corpora and report time, documents per second and findings.

Usage: python benchmarks/corpora.py [CORPORA_DIR] [--jobs N]
Findings per 1,000 words are printed per corpus and category (the false-positive check).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpora", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--sample", type=int, default=0, help="print N findings per corpus and rule, to review by hand")
    args = parser.parse_args()
    if not args.corpora.is_dir():
        print(f"no corpora at {args.corpora}", file=sys.stderr)
        return 2
    command = [shutil.which("commlint") or sys.executable, *([] if shutil.which("commlint") else ["-m", "commlint"])]
    command += ["check", str(args.corpora), "--format", "json", "--fail-on", "never"]
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if "Traceback" in done.stderr:
        print(done.stderr, file=sys.stderr)
        return 1
    data = json.loads(done.stdout)
    docs = data["documents"]
    print("command:", " ".join(command))
    print(f"exit code {done.returncode}; {len(docs)} documents in {elapsed:.1f} s = {len(docs) / elapsed:.0f} documents/s; {len(data['errors'])} inputs could not be read")
    for error in data["errors"][:10]:
        print(f"  error: {error['path']}: {error['message']}")
    corpus_of = lambda path: Path(path).relative_to(args.corpora).parts[0] if path.startswith(str(args.corpora)) else path  # noqa: E731
    docs_per = Counter(corpus_of(d["path"]) for d in docs)
    langs = defaultdict(Counter)
    for d in docs:
        langs[corpus_of(d["path"])][d["lang"]] += 1
    words: Counter[str] = Counter()
    for d in docs:
        words[corpus_of(d["path"])] += d.get("words", 0)
    per = defaultdict(Counter)
    examples = defaultdict(list)
    for finding in data["findings"]:
        corpus = corpus_of(finding["path"])
        per[corpus][finding["category"]] += 1
        examples[(corpus, finding["rule"])].append(finding)
    print(f"\n{'corpus':<36}{'docs':>6}{'words':>10}  languages detected")
    for corpus in sorted(docs_per):
        print(f"{corpus:<36}{docs_per[corpus]:>6}{words[corpus]:>10}  {dict(langs[corpus].most_common(5))}")
    categories = ["overpromise", "wait-time", "jargon", "readability", "placeholder", "tone", "duplicate"]
    print("\nfindings per 1,000 words, per corpus and category")
    print(f"{'corpus':<36}" + "".join(f"{c:>12}" for c in categories))
    for corpus in sorted(docs_per):
        rate = lambda c: 1000 * per[corpus][c] / max(words[corpus], 1)  # noqa: E731
        print(f"{corpus:<36}" + "".join(f"{rate(c):>12.2f}" for c in categories))
    if args.sample:
        print(f"\nsample of findings ({args.sample} per corpus and rule)")
        for (corpus, rule), found in sorted(examples.items()):
            print(f"\n== {corpus} · {rule} ({len(found)})")
            for finding in found[: args.sample]:
                print(f"  [{finding['lang']}] {finding['excerpt'][:150]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
