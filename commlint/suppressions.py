"""Inline suppressions in the copy itself, as in linters for code:

    <!-- commlint-disable overpromise -->  …  <!-- commlint-enable -->
    <!-- commlint-disable-next-line wait-time/vague-response -->

Codes are rule ids, prefixes or categories (several separated by commas or spaces; none means
every rule). Works in HTML, Markdown and text (any comment syntax: the marker words are what
count). A suppression that hid nothing is reported, so stale ones get cleaned up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .config import longest_match
from .model import Finding

_MARKER = re.compile(r"commlint-(disable-next-line|disable|enable)\b([^\n>]*?)(?:-->|\*/|$)", re.MULTILINE)


@dataclass
class Suppression:
    codes: tuple[str, ...]  # () = every rule
    first_line: int
    last_line: int
    line: int  # where the comment is
    kind: str
    used: bool = field(default=False)

    def covers(self, finding: Finding) -> bool:
        if not self.first_line <= finding.line <= self.last_line:
            return False
        return not self.codes or any(longest_match((code,), finding.rule) >= 0 for code in self.codes)


def parse_suppressions(source: str) -> list[Suppression]:
    found: list[Suppression] = []
    open_blocks: list[Suppression] = []
    total_lines = source.count("\n") + 1
    for match in _MARKER.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        codes = tuple(c for c in re.split(r"[\s,]+", match.group(2).strip()) if c)
        if match.group(1) == "disable-next-line":
            found.append(Suppression(codes, line + 1, line + 1, line, "disable-next-line"))
        elif match.group(1) == "disable":
            block = Suppression(codes, line, total_lines, line, "disable")
            open_blocks.append(block)
            found.append(block)
        elif open_blocks:
            open_blocks.pop().last_line = line
    return found


def apply_suppressions(findings: list[Finding], source: str, path: str) -> tuple[list[Finding], list[str]]:
    """(findings left, messages about unused suppressions)."""
    if "commlint-" not in source:
        return findings, []
    suppressions = parse_suppressions(source)
    kept = []
    for finding in findings:
        hit = next((s for s in suppressions if s.covers(finding)), None)
        if hit is None:
            kept.append(finding)
        else:
            hit.used = True
    unused = [
        f"{path}:{s.line}: unused suppression commlint-{s.kind} {' '.join(s.codes) or '(all rules)'}"
        for s in suppressions if not s.used
    ]
    return kept, unused
