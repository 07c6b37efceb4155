"""`--fix` and `--diff`: apply the one safe replacement a finding carries (Finding.fix).

Only text, Markdown and HTML files are changed. Each file is re-read and must still be the
bytes that were linted (else it is left alone and reported); the new text keeps the encoding,
the BOM and the line endings, and is written atomically (temporary file, then rename).
"""
from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Finding
from .sources import format_of

FIXABLE_FORMATS = ("text", "markdown", "html")


@dataclass
class FixReport:
    text: str = ""
    remaining: list[Finding] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, had BOM); newlines are kept exactly as stored."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8", True
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise
        return str(best), best.encoding, False


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + column - 1


def apply_fixes(findings: list[Finding], write: bool, digests: dict[str, str] | None = None) -> FixReport:
    report = FixReport()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.fix and format_of(finding.path) in FIXABLE_FORMATS and os.path.isfile(finding.path):
            by_path[finding.path].append(finding)
        else:
            report.remaining.append(finding)
    messages, diffs = [], []
    for path, fixable in sorted(by_path.items()):
        with open(path, "rb") as handle:
            data = handle.read()
        if digests and digests.get(path) and hashlib.sha1(data).hexdigest() != digests[path]:
            messages.append(f"{path}: changed since it was checked; not fixed")
            report.remaining.extend(fixable)
            continue
        try:
            text, encoding, bom = _decode(data)
        except UnicodeDecodeError:
            messages.append(f"{path}: encoding not recognised; not fixed")
            report.remaining.extend(fixable)
            continue
        lines = text.splitlines(keepends=True)
        edits = []
        for finding in fixable:
            old, new = finding.fix  # type: ignore[misc]
            start = _offset(lines, finding.line, finding.column)
            if text[start : start + len(old)] != old:
                report.remaining.append(finding)  # written across markup or entities: not safe
                continue
            edits.append((start, start + len(old), new))
        fixed = text
        for start, end, new in sorted(edits, reverse=True):
            fixed = fixed[:start] + new + fixed[end:]
        if fixed == text:
            continue
        if not write:
            diffs.append("".join(difflib.unified_diff(text.splitlines(keepends=True), fixed.splitlines(keepends=True), f"a/{path}", f"b/{path}")))
            report.remaining.extend(fixable)
            continue
        payload = (b"\xef\xbb\xbf" if bom else b"") + fixed.encode(encoding)
        folder = os.path.dirname(os.path.abspath(path))
        handle_fd, temporary = tempfile.mkstemp(prefix=".commlint-fix-", dir=folder)
        with os.fdopen(handle_fd, "wb") as out:
            out.write(payload)
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
        messages.append(f"{path}: fixed {len(edits)} problem{'s' if len(edits) != 1 else ''}")
    report.text = "".join(diffs) + "".join(m + "\n" for m in messages)
    return report
