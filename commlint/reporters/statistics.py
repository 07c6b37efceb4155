"""`--statistics`: how many findings each rule made, most first, after a text or concise report.

Rows are aligned like ruff's: count, rule, severity, what the rule flags (its message with
the flagged words shown as "…", as `commlint rules` lists it)."""
from __future__ import annotations

import re
from collections import Counter

from ..model import SEVERITY_RANK
from ..runner import RunResult
from .text import SEVERITY_COLORS, _style, one_line

DESCRIPTION_CHARACTERS = 90  # `commlint rule ID` explains a rule in full


def rule_counts(result: RunResult) -> list[tuple[str, int]]:
    """(rule, findings) pairs, most findings first, then by rule id."""
    return sorted(Counter(f.rule for f in result.findings).items(), key=lambda pair: (-pair[1], pair[0]))


def render_statistics(result: RunResult, color: bool = False) -> str:
    counts = rule_counts(result)
    if not counts:
        return ""
    severities: dict[str, set[str]] = {}
    for finding in result.findings:  # a rule's severity may differ per path or channel in the config
        severities.setdefault(finding.rule, set()).add(finding.severity)
    shown = {rule: "/".join(sorted(severities[rule], key=SEVERITY_RANK.__getitem__, reverse=True)) for rule, _ in counts}
    count_width = max(len(f"{count:,}") for _, count in counts)
    rule_width = max(len(rule) for rule, _ in counts)
    severity_width = max(map(len, shown.values()))
    lines = ["", "Findings per rule:"]
    for rule, count in counts:
        severity = shown[rule]
        colored = _style(f"{severity:<{severity_width}}", color, fg=SEVERITY_COLORS[severity.split("/")[0]])
        lines.append(f"  {count:>{count_width},}  {_style(f'{rule:<{rule_width}}', color, fg='cyan')}  {colored}  {_description(result, rule)}".rstrip())
    return "\n".join(lines) + "\n"


def _description(result: RunResult, rule: str) -> str:
    message = result.rule_help.get(rule, ("", "", ""))[1]
    # the flagged words become "…"; a placeholder that only adds detail at the end is dropped
    template = re.sub(r"\{\w+\}$", "", message.strip())
    text = one_line(" ".join(re.sub(r"\{\w+\}", "…", template).split()))
    return text if len(text) <= DESCRIPTION_CHARACTERS else text[: DESCRIPTION_CHARACTERS - 1] + "…"
