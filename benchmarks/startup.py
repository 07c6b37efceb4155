"""Wall time of `commlint check -` on a two-sentence draft, per language (the git-hook case).

Usage: python benchmarks/startup.py [RUNS]   (needs `commlint` on PATH; prints medians)
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

DRAFTS = {
    "en": "Thanks for your order. We guarantee delivery tomorrow.",
    "de": "Vielen Dank für Ihre Bestellung. Wir melden uns in Kürze bei Ihnen.",
    "nb": "Takk for bestillingen din. Vi tar kontakt snart med deg.",
    "ja": "ご注文ありがとうございます。折り返しご連絡いたします。",
    "id": "Terima kasih atas pesanan Anda. Kami akan segera menghubungi Anda.",
    "su": "Hatur nuhun kana pesenan anjeun. Kami badé ngahubungi anjeun deui engké.",
}


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    command = shutil.which("commlint")
    if not command:
        print("commlint is not on PATH; install the project first", file=sys.stderr)
        return 2
    print(f"commlint check - on a two-sentence draft; median of {runs} runs after one warm-up (language detected)")
    print(f"{'lang':<6}{'median s':>10}{'min s':>8}{'max s':>8}  detected")
    for lang, text in DRAFTS.items():
        times = []
        detected = "?"
        for run in range(runs + 1):
            started = time.perf_counter()
            done = subprocess.run([command, "check", "-", "--format", "json"], input=text, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            if run:
                times.append(elapsed)
            if '"lang"' in done.stdout:
                import json

                detected = json.loads(done.stdout)["documents"][0]["lang"]
        print(f"{lang:<6}{statistics.median(times):>10.2f}{min(times):>8.2f}{max(times):>8.2f}  {detected}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
