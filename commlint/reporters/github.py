"""`--format github`: GitHub Actions workflow commands, shown as annotations on the changed lines."""
from __future__ import annotations

from ..runner import RunResult

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, color: bool = False) -> str:
    lines = []
    for f in result.findings:
        message = f.message + (f" — {f.suggestion}" if f.suggestion else "")
        properties = f"file={_escape_property(f.path)},line={f.line},col={f.column},endLine={max(f.end_line, f.line)},endColumn={f.end_column},title={_escape_property(f.rule)}"
        lines.append(f"::{COMMANDS.get(f.severity, 'warning')} {properties}::{_escape_data(message)}")
    for e in result.errors:
        lines.append(f"::error file={_escape_property(e.path)},title=commlint::{_escape_data(e.message)}")
    for w in result.warnings:
        lines.append(f"::notice file={_escape_property(w.path)},title=commlint::{_escape_data(w.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
