"""Stage 5, reporters: render a run's result. One module per format."""
from __future__ import annotations

from typing import Callable

from ..runner import RunResult

Renderer = Callable[[RunResult, bool], str]


def renderer(name: str) -> Renderer:
    if name == "json":
        from .json_report import render
    else:
        from .text import render
    return render


FORMATS = ("text", "json")
