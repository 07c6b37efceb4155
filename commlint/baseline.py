"""Baselines for adopting commlint on an existing site: record today's findings, fail only on new ones.

The file holds finding fingerprints (see Finding.fingerprint) with a count each, so the same
sentence flagged twice needs two entries; fingerprints ignore line numbers, so edits elsewhere
in a file keep the recorded findings hidden.
"""
from __future__ import annotations

import json
import os
from collections import Counter

from .model import Finding


BASELINE_MAX_BYTES = 64 * 1024 * 1024  # a fingerprint and a count take ~40 bytes: a million findings fit


class BaselineError(Exception):
    pass


def read_baseline(path: str) -> Counter[str]:
    from .sources import InputReadError, read_file_bytes

    if not os.path.lexists(path):
        return Counter()
    try:
        data = json.loads(read_file_bytes(path, BASELINE_MAX_BYTES).decode("utf-8"))
        return Counter({str(k): int(v) for k, v in data["fingerprints"].items()})
    except (InputReadError, OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: not a commlint baseline ({error}); recreate it with --update-baseline") from error


def apply_baseline(findings: list[Finding], recorded: Counter[str]) -> tuple[list[Finding], int]:
    """(findings not in the baseline, number hidden)."""
    left = Counter(recorded)
    kept, hidden = [], 0
    for finding in findings:
        key = finding.fingerprint()
        if left[key] > 0:
            left[key] -= 1
            hidden += 1
        else:
            kept.append(finding)
    return kept, hidden


def write_baseline(path: str, findings: list[Finding]) -> None:
    counts = Counter(f.fingerprint() for f in findings)
    data = {
        "version": 1,
        "comment": "commlint baseline: findings recorded here are not reported. Update with --update-baseline.",
        "fingerprints": dict(sorted(counts.items())),
        "rules": dict(sorted(Counter(f.rule for f in findings).items())),
    }
    from .safewrite import write_file

    write_file(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
