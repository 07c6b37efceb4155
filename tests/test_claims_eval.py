"""The contradiction checker meets its targets on the labelled conflicts and traps, and the
fixture company's planted contradictions are all found (one of them across languages)."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_labelled_conflicts_and_traps_meet_targets() -> None:
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "claims_eval.py"), "--check"],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    first, figures = done.stdout.splitlines()[:2]
    conflicts, traps = int(first.split()[2]), int(first.split()[4])
    assert conflicts >= 60 and traps >= 60, first


def test_fixture_contradictions_are_found_across_languages() -> None:
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "fixtures_check.py")],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert "contradiction groups found 5/5; unplanned contradictions 0" in done.stdout, done.stdout[-3000:]
    # the refund window: 30 days on the English web site, 14 Tage in the German newsletter
    assert "found  contradiction refund window" in done.stdout
