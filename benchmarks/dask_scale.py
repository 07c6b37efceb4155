"""Throughput of `commlint check --executor dask` with 1 and 2 workers on this machine, and its
overhead against a local `--jobs 2` run of the same inputs.

Usage:
    python benchmarks/dask_scale.py [CORPUS ...] [--copies 1]

CORPUS defaults to three of ../shared/corpora (e-mails, web pages, terms pages: mixed formats and
languages). `--copies k` lints the inputs k times over (each copy under its own folder).

Each cluster is a LocalCluster of worker processes with one thread each, started by this script
and reached with --scheduler, so its start-up is reported apart from the runs. Every run is the
installed CLI in a subprocess with one shared compile cache, filled by an untimed local run
first. For each cluster the first run is "cold" (each worker builds its ruleset) and the second
"warm" (the workers kept it, as a long-lived cluster does); throughput is the warm run's.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
# ../shared/corpora beside the checkout (a worktree may stand one folder deeper)
CORPORA = next((p / "shared" / "corpora" for p in HERE.parents if (p / "shared" / "corpora").is_dir()), HERE.parents[2] / "shared" / "corpora")
DEFAULT = ["phishing_pot_eml", "trafilatura_eval_html", "opentermsarchive_contrib_terms_md"]


def _commlint() -> list[str]:
    found = shutil.which("commlint")
    return [found] if found else [sys.executable, "-m", "commlint"]


def _timed(targets: list[str], *extra: str) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run([*_commlint(), "check", *targets, "--format", "json", "-o", os.devnull, "-q", *extra],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1, 2):
        sys.exit(f"commlint failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started, done.returncode


def _size(targets: list[str]) -> tuple[int, int]:
    files = [p for t in targets for p in Path(t).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", default=DEFAULT)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="commlint-dask-bench-") as scratch:
        os.environ["COMMLINT_CACHE_DIR"] = str(Path(scratch) / "cache")
        targets = []
        for copy in range(args.copies):
            for name in args.corpora:
                source = Path(name) if Path(name).is_dir() else CORPORA / name
                if args.copies == 1:
                    targets.append(str(source))
                else:
                    target = Path(scratch) / f"copy{copy}" / source.name
                    shutil.copytree(source, target)
                    targets.append(str(target))
        files, size = _size(targets)
        mb = size / 1e6
        print(f"inputs: {files} files, {mb:.1f} MB ({', '.join(Path(t).name for t in targets)})")
        _timed(targets, "--jobs", "2")  # fills the compile cache
        local, code = _timed(targets, "--jobs", "2")
        print(f"local --jobs 2:            {local:6.1f} s  {mb / local:5.2f} MB/s  (exit {code})")
        rows = []
        for workers in (1, 2):
            started = time.perf_counter()
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
                up = time.perf_counter() - started
                scheduler = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
                cold, _ = _timed(targets, *scheduler)
                warm, code = _timed(targets, *scheduler)
            rows.append((workers, warm))
            print(f"dask, {workers} worker{'s' if workers > 1 else ' '}:           {warm:6.1f} s  {mb / warm:5.2f} MB/s  "
                  f"(cold {cold:.1f} s; cluster start {up:.1f} s; exit {code})")
        two = dict(rows)[2]
        print(f"overhead of dask (2 workers) against local --jobs 2: {two - local:+.1f} s ({(two / local - 1) * 100:+.0f} %)")
        print(f"scaling 1 -> 2 workers: x{dict(rows)[1] / two:.2f}")
        per_core = mb / dict(rows)[1]
        print(f"per worker core: {per_core:.2f} MB/s; 1 TB at that rate: "
              + ", ".join(f"{n} workers {1e6 / (per_core * n) / 3600:.1f} h" for n in (8, 64, 256)))


if __name__ == "__main__":
    main()
