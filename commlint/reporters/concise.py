"""`--format concise`: one line per finding, `path:line:col: severity rule message`, for people
who scan a long report and for grep; no source excerpt. The text report's summary follows, so
an unreadable input or a language without rules is still said in words."""
from __future__ import annotations

from ..model import Finding
from ..runner import RunResult
from .text import SEVERITY_COLORS, _style, one_line, summary_lines


def render_line(finding: Finding, color: bool = False) -> str:
    """Always one line: a newline or control character in a path or message is escaped."""
    where = _style(f"{one_line(finding.path)}:{finding.line}:{finding.column}:", color, bold=True)
    severity = _style(finding.severity, color, fg=SEVERITY_COLORS[finding.severity], bold=True)
    return f"{where} {severity} {_style(finding.rule, color, fg='cyan')} {one_line(finding.message)}"


def render(result: RunResult, color: bool = False) -> str:
    lines = [render_line(finding, color) for finding in result.findings]
    if lines:
        lines.append("")  # the summary stands apart from the findings, as in the text report
    return "\n".join(lines + summary_lines(result, color)) + "\n"
