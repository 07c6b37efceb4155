"""Stage 5, reporters: render a run's result. One module per format."""
from __future__ import annotations

from importlib import import_module
from typing import Callable

from ..runner import RunResult

Renderer = Callable[[RunResult, bool], str]

# format name -> module in this package that has render(result, color) -> str
MODULES = {"text": "text", "concise": "concise", "json": "json_report", "sarif": "sarif", "github": "github", "junit": "junit", "html": "html"}
FORMATS = tuple(MODULES)
# Reports for people: coloured on a terminal, shortened by -q, followed by --statistics.
# The others are read by tools and stay complete.
HUMAN_FORMATS = ("text", "concise")


def renderer(name: str) -> Renderer:
    return import_module(f".{MODULES[name]}", __name__).render  # type: ignore[no-any-return]


def skipped_sentence(count: int) -> str:
    """ "Skipped 1 file that is not a social-media export", "Skipped 2 files that are not …"."""
    if count == 1:
        return "Skipped 1 file that is not a social-media export"
    return f"Skipped {count:,} files that are not social-media exports"


def hide_info(result: RunResult) -> RunResult:
    """-q: a human report leaves out info findings, and says how many (the exit code counts them)."""
    from dataclasses import replace

    shown = [finding for finding in result.findings if finding.severity != "info"]
    return replace(result, findings=shown, info_hidden=len(result.findings) - len(shown))
