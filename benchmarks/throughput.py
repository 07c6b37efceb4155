"""Throughput of commlint against proselint on the same corpus, in one run, on this machine.

Usage:
    python benchmarks/throughput.py [CORPUS] [--jobs 2] [--scales 1,2,4] [--no-peer]

CORPUS defaults to ../shared/corpora/opentermsarchive_contrib_terms_md (the terms pages of issue
12); `--all` takes every corpus in ../shared/corpora instead (mixed languages and formats; the
peer, which reads English prose files only, is then run on the Markdown and text files alone).
proselint is installed into its own virtual environment under the user's cache folder the first
time (from PyPI, like the project). For each scale (the corpus copied k times, every copy made
distinct so nothing can be answered from a cache) the script prints wall time, MB/s, the peak
resident memory of the whole process tree (parent and workers, summed, sampled every 50 ms; RSS,
which counts the pages forked workers share once per worker, and PSS, which shares them out), and
time per MB, which stays flat when time grows linearly with the input.

commlint runs with a cache folder of its own (COMMLINT_CACHE_DIR), filled by one untimed run of
the corpus first, which is reported on its own line: every later run of an installed commlint
finds its compiled rules and word lists there, and that is what the timed runs measure.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()
CORPORA = HERE.parents[2] / "shared" / "corpora"
DEFAULT = CORPORA / "opentermsarchive_contrib_terms_md"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "commlint-bench"
PEER_SUFFIXES = {".md", ".txt"}  # what proselint reads as prose
SAMPLE_SECONDS = 0.05


def _commlint() -> list[str]:
    found = shutil.which("commlint")
    return [found] if found else [sys.executable, "-m", "commlint"]


def _proselint() -> list[str]:
    venv = CACHE / "proselint-venv"
    binary = venv / "bin" / "proselint"
    if not binary.exists():
        print(f"installing proselint into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "proselint"], check=True)
    # proselint 0.16 lints paths given to its `check` command; older releases take them directly
    usage = subprocess.run([str(binary), "--help"], capture_output=True, text=True).stdout
    return [str(binary), "check"] if "check" in usage.split("commands:")[-1] else [str(binary)]


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                kids += [int(k) for k in handle.read().split()]
    except OSError:
        pass
    return kids


def _status_kib(pid: int, file: str, field: str) -> int:
    """One "Field:  N kB" line of /proc/PID/<file>, in KiB (0 once the process is gone)."""
    try:
        with open(f"/proc/{pid}/{file}", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_kib(root: int) -> tuple[int, int]:
    """(RSS, PSS) of the process tree, summed."""
    rss = pss = 0
    todo, seen = [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        rss += _status_kib(pid, "status", "VmRSS:")
        # PSS: pages shared by forked workers counted once across them
        pss += _status_kib(pid, "smaps_rollup", "Pss:")
        todo += _children(pid)
    return rss, pss


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS of the process tree in MB, the exit code, and peak PSS in MB."""
    peak = peak_pss = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = _tree_kib(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    return elapsed, peak / 1024, code, peak_pss / 1024


def build(corpus: Path, copies: int, into: Path) -> tuple[Path, int, list[Path]]:
    """The corpus copied `copies` times; each copy's files get a first line of their own."""
    total, peer_files = 0, []
    for copy in range(copies):
        for source in sorted(p for p in corpus.rglob("*") if p.is_file()):
            target = into / f"copy{copy}" / source.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            if copy and source.suffix in PEER_SUFFIXES:
                data = f"Copy {copy}.\n\n".encode() + data
            target.write_bytes(data)
            total += len(data)
            if source.suffix in PEER_SUFFIXES:
                peer_files.append(target)
    return into, total, peer_files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--all", action="store_true", help="every corpus in ../shared/corpora")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--no-peer", action="store_true", help="time commlint alone")
    args = parser.parse_args()
    corpus = CORPORA if args.all else args.corpus
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    peer = None if args.no_peer else _proselint()
    scales = [int(s) for s in args.scales.split(",")]
    print(f"corpus: {corpus}   commlint --jobs {args.jobs}   machine: {os.cpu_count()} cores")
    print(f"{'tool':<10}{'scale':>6}{'MB':>8}{'files':>7}{'s':>9}{'MB/s':>8}{'s/MB':>7}{'peak MB':>9}{'PSS MB':>8}  exit")
    cache = tempfile.mkdtemp(prefix="commlint-throughput-cache-")
    os.environ["COMMLINT_CACHE_DIR"] = cache
    seconds, *_ = timed([*_commlint(), "check", str(corpus), "--jobs", str(args.jobs), "--format", "json", "--fail-on", "never"])
    print(f"(first run, filling an empty cache: {seconds:.2f} s; not counted)")
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix="commlint-throughput-") as scratch:
            root, size, peer_files = build(corpus, scale, Path(scratch))
            megabytes = size / 1e6
            files = sum(1 for p in root.rglob("*") if p.is_file())
            command = [*_commlint(), "check", str(root), "--jobs", str(args.jobs), "--format", "json", "--fail-on", "never"]
            seconds, rss, code, pss = timed(command)
            print(f"{'commlint':<10}{scale:>5}x{megabytes:>8.2f}{files:>7}{seconds:>9.2f}{megabytes / seconds:>8.3f}{seconds / megabytes:>7.2f}{rss:>9.0f}{pss:>8.0f}  {code}")
            if peer is not None and peer_files:
                peer_mb = sum(p.stat().st_size for p in peer_files) / 1e6
                seconds_peer, rss_peer, code_peer, pss_peer = timed([*peer, *map(str, peer_files)])
                print(f"{'proselint':<10}{scale:>5}x{peer_mb:>8.2f}{len(peer_files):>7}{seconds_peer:>9.2f}"
                      f"{peer_mb / seconds_peer:>8.3f}{seconds_peer / peer_mb:>7.2f}{rss_peer:>9.0f}{pss_peer:>8.0f}  {code_peer}")
                if code_peer not in (0, 1):  # 1: it found something; anything else: it did not run
                    print(f"{'ratio':<10}{scale:>5}x  proselint failed (exit {code_peer}): no ratio")
                else:
                    print(f"{'ratio':<10}{scale:>5}x  commlint MB/s ÷ proselint MB/s = {(megabytes / seconds) / (peer_mb / seconds_peer):.2f}")
    shutil.rmtree(cache, ignore_errors=True)
    print("command: " + " ".join(["python", "benchmarks/throughput.py", *sys.argv[1:]]) + (f"   peer: {' '.join(peer)} FILES" if peer else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
