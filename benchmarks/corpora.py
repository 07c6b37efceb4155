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
    words = data.get("summary", {}).get("words_by_path", {})
    per = defaultdict(Counter)
    for finding in data["findings"]:
        per[corpus_of(finding["path"])][finding["category"]] += 1
    print(f"\n{'corpus':<36}{'docs':>6}  languages detected")
    for corpus in sorted(docs_per):
        print(f"{corpus:<36}{docs_per[corpus]:>6}  {dict(langs[corpus].most_common(5))}")
    print(f"\nfindings per corpus and category")
    for corpus in sorted(per):
        print(f"{corpus:<36}{dict(per[corpus].most_common())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
