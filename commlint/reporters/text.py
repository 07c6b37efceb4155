"""The default report: readable by people who have never used a linter.

Each finding: where (path:line:col), how serious, which rule, what is wrong, the line with
the words marked, and what to write instead. A summary closes the report.
"""
from __future__ import annotations

from collections import Counter

import click

from ..extraction.copy import language_name
from ..extraction.generated import closing_line
from ..model import Finding
from ..runner import RunResult
from . import skipped_sentence
from .table import display_width

SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}
CONTEXT = 70  # characters of a long line shown either side of the marked words


RELATED_SHOWN = 5  # the JSON report names every place; the terminal shows the first few
SAMPLES_SHOWN = 3  # sample URLs per crawl limit reached (--format json has 20)


WARNINGS_SHOWN = 10  # per report; --format json lists them all
_CONTROL = {ord(c): f"\\x{ord(c):02x}" for c in map(chr, [*range(32), *range(127, 160)])}
_CONTROL.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_CONTROL.update({0x2028: "\\u2028", 0x2029: "\\u2029"})  # line and paragraph separators: str.splitlines breaks there


def shown_path(path: str) -> str:
    """A path on one line: a newline or other control character in a file name is escaped, so
    one odd name cannot break the report or pass for another finding."""
    return path.translate(_CONTROL)


one_line = shown_path  # the same escaping keeps any text (a finding's message) on one line
_width = display_width  # columns a terminal gives the text


def _excerpt_line(finding: Finding) -> tuple[str, str] | None:
    """The stored line, trimmed around the hit, and the marker line beneath it."""
    line = finding.source_line.expandtabs(1)
    if not line.strip():
        return None
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line.rstrip())
    end = max(end, start + 1)
    left = max(0, start - CONTEXT)
    right = min(len(line), end + CONTEXT)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    shown = prefix + line[left:right] + suffix
    indent = _width(prefix + line[left:start])
    marks = "^" * max(1, _width(line[start:min(end, right)]))
    # Drop leading indentation of markup so the words sit near the margin.
    strip = len(shown) - len(shown.lstrip())
    strip_width = _width(shown[:strip])
    return shown[strip:].rstrip(), " " * (indent - strip_width) + marks


def _style(text: str, color: bool, **kwargs: object) -> str:
    return click.style(text, **kwargs) if color else text  # type: ignore[arg-type]


def render_finding(finding: Finding, color: bool) -> str:
    where = f"{shown_path(finding.path)}:{finding.line}:{finding.column}"
    if finding.unit:
        where += f" ({finding.unit.kind} {finding.unit.id})"
    severity = _style(finding.severity, color, fg=SEVERITY_COLORS[finding.severity], bold=True)
    lines = [f"{_style(where, color, bold=True)}: {severity} {_style(finding.rule, color, fg='cyan')}  [{finding.lang}, {finding.channel}]"]
    lines.append(f"  {finding.message}")
    shown = _excerpt_line(finding)
    if shown:
        number = str(finding.line)
        lines.append(f"  {_style(number, color, dim=True)} | {shown[0]}")
        lines.append(f"  {' ' * len(number)} | {_style(shown[1], color, fg=SEVERITY_COLORS[finding.severity])}")
    if finding.excerpt and (not shown or finding.excerpt not in shown[0]):
        lines.append(f"  in: “{finding.excerpt}”")
    for related in finding.related[:RELATED_SHOWN]:
        lines.append(f"  see also {shown_path(related.path)}:{related.line}:{related.column}" + (f" ({related.value})" if related.value else ""))
    if len(finding.related) > RELATED_SHOWN:
        lines.append(f"  … and {len(finding.related) - RELATED_SHOWN} more places (all of them in --format json)")
    if finding.suggestion:
        lines.append(f"  {_style('suggestion:', color, fg='green')} {finding.suggestion}")
    return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _crawl_summary(result: RunResult) -> list[str]:
    """Counts, and a few sample URLs per limit reached (all counts and 20 samples in --format json)."""
    report = result.crawl_report
    skipped = report.skipped_count if report else len(result.crawl_skipped)
    lines = [f"Crawled {_plural(len(result.crawl_fetched), 'page')}; skipped {skipped:,} URL{'' if skipped == 1 else 's'} (off-site, robots.txt, not pages)."]
    for left in report.not_visited.values() if report else ():
        more = " …" if left.count > SAMPLES_SHOWN else ""
        lines.append(f"{left.count:,} URL{'' if left.count == 1 else 's'} not visited ({left.reason}), e.g. {', '.join(left.sample[:SAMPLES_SHOWN])}{more}")
    return lines


def render(result: RunResult, color: bool = False) -> str:
    parts = [render_finding(f, color) + "\n" for f in result.findings]
    return "\n".join(parts + summary_lines(result, color)) + "\n"


def summary_lines(result: RunResult, color: bool = False) -> list[str]:
    """What follows the findings: unreadable inputs, counts, notes, time (--format concise too)."""
    parts: list[str] = []
    if result.errors:
        parts.append(_style(f"{_plural(len(result.errors), 'input')} could not be read:", color, fg="red", bold=True))
        parts.extend(f"  {shown_path(e.path)}: {e.message}" for e in result.errors)
        parts.append("")
    severities = Counter(f.severity for f in result.findings)
    documents = {(d.path, d.unit.id if d.unit else "") for d in result.documents}
    flagged = {(f.path, f.unit.id if f.unit else "") for f in result.findings}
    if result.findings:
        counts = ", ".join(_plural(severities[s], s).replace("infos", "info") for s in ("error", "warning", "info") if severities[s])
        parts.append(_style(f"Found {_plural(len(result.findings), 'problem')} ({counts}) in {len(flagged)} of {_plural(len(documents), 'document')}{_hidden(result)}.", color, bold=True))
        categories = Counter(f.category for f in result.findings)
        parts.append("  " + " · ".join(f"{name} {count}" for name, count in categories.most_common()))
    elif result.info_hidden:
        parts.append(_style(f"No errors or warnings in {_plural(len(documents), 'document')}{_hidden(result)}.", color, fg="green", bold=True))
    else:
        parts.append(_style(f"No problems found in {_plural(len(documents), 'document')}.", color, fg="green", bold=True))
    if result.unchanged_hidden:  # a short report must not read as the whole
        parts.append(f"{_plural(result.unchanged_hidden, 'finding')} on lines not changed since {result.changed_since} not shown (--changed-since)")
    if result.baseline_hidden:
        parts.append(f"{_plural(result.baseline_hidden, 'finding')} recorded in the baseline not shown (--baseline)")
    for lang, count in result.unsupported_languages.items():
        # a clean pass on a language without rules must not read as "all fine"
        parts.append(f"{_plural(count, 'document')} in {language_name(lang)} ({lang}): only language-neutral rules ran")
    if result.unattributed:
        # facts that were not compared must not read as facts that agree
        shown = ", ".join(map(shown_path, result.unattributed[:3])) + (" …" if len(result.unattributed) > 3 else "")
        parts.append(
            f"{_plural(len(result.unattributed), 'document')} ({shown}) name no sender, in folders of {result.organisations} "
            "organisations: their facts were compared with no other. Name their organisation under "
            "[organisations] in the config, or run with --organisation NAME."
        )
    if result.crawl_fetched or result.crawl_report:
        parts.extend(_crawl_summary(result))
    if result.skipped:
        parts.append(f"{skipped_sentence(len(result.skipped))}: {', '.join(map(shown_path, result.skipped[:5]))}{' …' if len(result.skipped) > 5 else ''}")
    # commlint's own reports and baselines found in a folder are left out quietly (listed in JSON)
    parts.extend(f"{shown_path(own.path)} is {own.kind}; not checked." for own in result.own_files if own.explicit)
    if result.warnings:
        parts.append(f"{_plural(len(result.warnings), 'note')} on what was left out:")
        parts.extend(f"  {shown_path(w.path)}: {w.message}" for w in result.warnings[:WARNINGS_SHOWN])
        if len(result.warnings) > WARNINGS_SHOWN:
            parts.append(f"  … and {len(result.warnings) - WARNINGS_SHOWN} more (all of them in --format json)")
    parts.append(closing_line(result.seconds))  # also marks a saved report as commlint's
    return parts


def _hidden(result: RunResult) -> str:
    """-q left info findings out: say so, so a quiet report is not read as a complete one."""
    return f"; {_plural(result.info_hidden, 'info finding')} not shown (-q)" if result.info_hidden else ""
