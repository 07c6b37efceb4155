"""Time and peak memory of commlint on hostile inputs at large sizes (issue 9).

Every class of input that once made commlint slow, quadratic or hungry is generated at each size
(1 MB and 10 MB by default) and checked by the real CLI in a fresh process, with no time limit.
For each run it prints the wall time, seconds per MB, the peak resident memory of the largest
process (the CLI or one of its workers, from wait4's rusage) and the exit code.
Target: at most 10 s per MB and 500 MB peak.

    python benchmarks/hostile.py                   # every class at 1 and 10 MB
    python benchmarks/hostile.py --sizes 1 --only html
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

MB = 1024 * 1024


def _repeat(unit: str, size: int) -> bytes:
    data = unit.encode("utf-8")
    # cut at a character boundary, so a multi-byte text stays valid UTF-8
    return (data * (size // len(data) + 1))[:size].decode("utf-8", "ignore").encode("utf-8")


def _sentences(size: int) -> bytes:
    text = ("We guarantee delivery tomorrow. Our team will get back to you soon. Most parcels arrive in "
            "3 to 5 business days, and we reply within 24 hours on weekdays.\n\n")
    return _repeat(text, size)


def _csv_field(size: int) -> bytes:
    return b"id,text\n1,\"" + _repeat("We guarantee it. ", size - 20) + b"\"\n"


def _fluent(size: int) -> bytes:
    lines, total, number = [], 0, 0
    while total < size:
        line = f"message-{number} = We guarantee it, number {number}.\n"
        lines.append(line)
        total += len(line)
        number += 1
    return "".join(lines).encode()


def _eml_subject(size: int) -> bytes:
    broken = _repeat("=?utf-8?q?We_guarantee=E2=80?= ", size)
    return b"From: a@example.com\r\nTo: b@example.com\r\nSubject: " + broken + b"\r\n\r\nHello.\r\n"


def _eml_header(size: int) -> bytes:
    return b"From: a@example.com\r\nX-Long: " + _repeat("x", size) + b"\r\nSubject: Hi\r\n\r\nWe guarantee it.\r\n"


def _random(size: int) -> bytes:
    return random.Random(9).randbytes(size)


def _utf16(size: int) -> bytes:
    return _sentences(size // 2).decode().encode("utf-16-le")


# name -> (file name, generator of `size` bytes)
CLASSES: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "txt-prose": ("a.txt", _sentences),
    "txt-one-sentence": ("a.txt", lambda n: _repeat("we guarantee it and ", n)),
    "txt-aaaa": ("a.txt", lambda n: b"a" * n),
    "txt-exclamations": ("a.txt", lambda n: b"!" * n),
    "txt-lt": ("a.txt", lambda n: b"<" * n),
    "txt-repeated-paragraphs": ("a.txt", lambda n: _repeat("We reply within two days, every day of the year.\n\n", n)),
    "txt-at-signs": ("a.txt", lambda n: _repeat("a@", n)),
    "txt-braces": ("a.txt", lambda n: _repeat("{{", n)),
    "txt-durations": ("a.txt", lambda n: _repeat("30 days 14 Tage ", n)),
    "txt-addresses": ("a.txt", lambda n: _repeat("Storgata 12, 0155 Oslo ", n)),
    "txt-within": ("a.txt", lambda n: _repeat("within 24 hours ", n)),
    "txt-hours": ("a.txt", lambda n: _repeat("Mon–Fri 9–17 ", n)),
    "txt-utf16-no-bom": ("a.txt", _utf16),
    "md-brackets": ("a.md", lambda n: _repeat("[", n - 2) + b"](" ),
    "md-cr-only": ("a.md", lambda n: _repeat("# Title\r\rWe guarantee it.\r\r", n)),
    "ja-paragraph": ("a.txt", lambda n: _repeat("必ず翌日にお届けします。", n)),
    "ja-no-punctuation": ("a.txt", lambda n: _repeat("必ず翌日にお届けします", n)),
    "html-p-attrs": ("a.html", lambda n: _repeat("<p ", n)),
    "html-lt": ("a.html", lambda n: b"<" * n),
    "html-amp": ("a.html", lambda n: b"&" * n),
    "html-comment": ("a.html", lambda n: b"<!--" + _repeat("We guarantee it. ", n)),
    "html-bang": ("a.html", lambda n: b"<!" + _repeat("x ", n)),
    "html-cdata": ("a.html", lambda n: b"<![CDATA[" + _repeat("x ", n)),
    "html-alt": ("a.html", lambda n: b'<img alt="' + _repeat("We guarantee it. ", n) + b'">'),
    "html-random-bytes": ("a.html", _random),
    "html-prose": ("a.html", lambda n: b"<html><body>" + _repeat("<p>We guarantee delivery tomorrow. We'll get back to you soon.</p>\n", n)),
    "csv-one-field": ("posts.csv", _csv_field),
    "ftl-messages": ("a.ftl", _fluent),
    "eml-rfc2047-subject": ("a.eml", _eml_subject),
    "eml-long-header": ("a.eml", _eml_header),
}


def _commlint() -> list[str]:
    script = shutil.which("commlint")
    return [script] if script else [sys.executable, "-m", "commlint"]


def measure(path: Path, cwd: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB of the largest process, exit code, first error) for one run."""
    started = time.perf_counter()
    process = subprocess.Popen([*_commlint(), "check", str(path), "--format", "json", "--time-limit", "0", "--jobs", "1"],
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    # wait4's rusage covers the child and every descendant it waited for (the workers).
    peak_mb = _children_peak_mb()
    error = ""
    try:
        report = json.loads(out)
        if report["errors"]:
            error = report["errors"][0]["message"][:70]
    except ValueError:
        error = (err.decode("utf-8", "replace").strip().splitlines() or ["no JSON"])[-1][:70]
    return elapsed, peak_mb, process.returncode, error



def _children_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10", help="sizes in MB, comma-separated")
    parser.add_argument("--only", default="", help="only classes whose name contains this")
    parser.add_argument("--child", nargs=2, metavar=("CLASS", "MB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one measurement in its own process, so peak RSS is this run's alone
        name, size = args.child
        file_name, make = CLASSES[name]
        with tempfile.TemporaryDirectory(prefix="commlint-hostile-") as folder:
            path = Path(folder) / file_name
            path.write_bytes(make(int(float(size) * MB)))
            print(json.dumps(measure(path, Path(folder))))
        return 0
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"{'class':26} {'MB':>4} {'seconds':>8} {'s/MB':>6} {'peak MB':>8} {'exit':>4}  error / note")
    worst_rate, worst_peak = 0.0, 0.0
    for name in CLASSES:
        if args.only not in name:
            continue
        for size in sizes:
            done = subprocess.run([sys.executable, __file__, "--child", name, str(size)], capture_output=True, text=True)
            try:
                seconds, peak, code, error = json.loads(done.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                print(f"{name:26} {size:>4g}  benchmark failed: {done.stderr.strip()[-200:]}")
                continue
            rate = seconds / size
            worst_rate, worst_peak = max(worst_rate, rate), max(worst_peak, peak)
            flag = "  OVER TARGET" if rate > 10 or peak > 500 else ""
            print(f"{name:26} {size:>4g} {seconds:>8.2f} {rate:>6.2f} {peak:>8.0f} {code:>4}  {error}{flag}", flush=True)
    print(f"\nworst: {worst_rate:.2f} s/MB, {worst_peak:.0f} MB peak (target: 10 s/MB, 500 MB)")
    print(f"machine: {os.cpu_count()} CPUs; command: python benchmarks/hostile.py --sizes {args.sizes}" + (f" --only {args.only}" if args.only else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
