"""`--fix` and `--diff`: apply the one safe replacement a finding carries (Finding.fix).

Only text, Markdown and HTML files are changed (never a Word document: that is said). Each file
is re-read and must still be the bytes that were linted (else it is left alone and reported);
the new text keeps the encoding, the BOM and the line endings, and is written with the
safe-write helper: atomically, through symlinks, keeping hard links, and never over a
read-only file.
"""
from __future__ import annotations

import difflib
from itertools import accumulate
import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field

from .model import ExtractionError, Finding
from .safewrite import WriteError, write_file
from .sources import InputReadError, format_of, read_file_bytes

FIXABLE_FORMATS = ("text", "markdown", "html")
# Formats --fix never rewrites, though their findings may carry a fix: said once per file.
NOT_FIXED_HERE = {"docx": "--fix does not edit Word documents; make the {count} in Word yourself"}


@dataclass
class FixReport:
    text: str = ""
    remaining: list[Finding] = field(default_factory=list)


def _decode(data: bytes, fmt: str) -> tuple[str, str, bytes]:
    """(text, codec, BOM bytes) as the extraction stage decodes this file, so --fix edits the
    same characters that were linted. Raises ValueError if the text would not be written back
    to exactly the same bytes (a lossy decode must never rewrite a user's file)."""
    from .extraction.decoding import bom_encoding, decode_html, decode_text_with_codec

    bom = bom_encoding(data)
    prefix = data[: bom[1]] if bom else b""
    text, codec = decode_html(data) if fmt == "html" else decode_text_with_codec(data)
    if prefix + text.encode(codec) != data:
        raise ValueError("its encoding does not round-trip")
    return text, codec, prefix


def _offset(line_starts: list[int], line: int, column: int) -> int:
    return line_starts[line - 1] + column - 1 if 0 < line <= len(line_starts) else -1


def apply_fixes(findings: list[Finding], write: bool, digests: dict[str, str] | None = None) -> FixReport:
    report = FixReport()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    not_here: dict[str, int] = defaultdict(int)
    for finding in findings:
        if finding.fix and format_of(finding.path) in FIXABLE_FORMATS and os.path.isfile(finding.path):
            by_path[finding.path].append(finding)
        else:
            report.remaining.append(finding)
            if finding.fix and format_of(finding.path) in NOT_FIXED_HERE:
                not_here[finding.path] += 1
    messages, diffs = [], []
    for path, count in sorted(not_here.items()):
        changes = f"{count} suggested change{'s' if count != 1 else ''}"
        messages.append(f"{path}: {NOT_FIXED_HERE[format_of(path) or ''].format(count=changes)}")
    for path, fixable in sorted(by_path.items()):
        try:
            data = read_file_bytes(path)
        except InputReadError as error:
            messages.append(f"{path}: {error}; not fixed")
            report.remaining.extend(fixable)
            continue
        if digests and digests.get(path) and hashlib.sha1(data).hexdigest() != digests[path]:
            messages.append(f"{path}: changed since it was checked; not fixed")
            report.remaining.extend(fixable)
            continue
        try:
            text, encoding, bom = _decode(data, format_of(path) or "text")
        except (ValueError, LookupError, ExtractionError):  # UnicodeError is a ValueError
            messages.append(f"{path}: encoding not recognised exactly; not fixed")
            report.remaining.extend(fixable)
            continue
        # lines end at LF only, as in the source map that gave the findings their positions
        line_starts = list(accumulate((len(line) for line in text.split("\n")), lambda total, length: total + length + 1, initial=0))
        edits = []
        for finding in fixable:
            old, new = finding.fix  # type: ignore[misc]
            start = _offset(line_starts, finding.line, finding.column)
            if start < 0 or text[start : start + len(old)] != old:
                report.remaining.append(finding)  # written across markup or entities: not safe
                continue
            edits.append((start, start + len(old), new))
        pieces, position = [], 0
        for start, end, new in sorted(edits):
            if start >= position:  # overlapping edits: the first one wins
                pieces += [text[position:start], new]
                position = end
        fixed = "".join(pieces) + text[position:]
        if fixed == text:
            continue
        if not write:
            diffs.append("".join(difflib.unified_diff(text.splitlines(keepends=True), fixed.splitlines(keepends=True), f"a/{path}", f"b/{path}")))
            report.remaining.extend(fixable)
            continue
        payload = bom + fixed.encode(encoding)
        try:
            write_file(path, payload)  # through symlinks, keeping hard links; read-only is refused
        except WriteError as error:
            messages.append(f"{error}")
            report.remaining.extend(fixable)
            continue
        messages.append(f"{path}: fixed {len(edits)} problem{'s' if len(edits) != 1 else ''}")
    report.text = "".join(diffs) + "".join(m + "\n" for m in messages)
    return report
