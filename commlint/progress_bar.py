"""The progress bar of `commlint check` on a terminal: one line on stderr, redrawn as inputs
finish and erased when the run is done, so it never mixes with the report on stdout.

The runner knows nothing of terminals: it calls `ProgressBar.update` with a RunProgress.
"""
from __future__ import annotations

import os
import time
from typing import TextIO

from .runner import RunProgress

SHOW_OVER_INPUTS = 5  # a run of more inputs than this shows the bar from the start
SHOW_AFTER_SECONDS = 1.0  # a smaller run shows it once it has taken this long
REDRAW_EVERY = 0.1  # seconds: a redraw per finished file would flood a slow terminal
BAR_WIDTH = 24
MB = 1024 * 1024


class ProgressBar:
    """Draws `Checking [#####.....]  120/2,000 files  3.4/12.0 MB  5 s` on `stream` (kB below 1 MB)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.drawn_width = 0  # characters of the line on screen; 0: nothing shown

    def update(self, progress: RunProgress) -> None:
        now = time.monotonic()
        elapsed = now - self.started
        if not self.drawn_width and progress.total <= SHOW_OVER_INPUTS and elapsed < SHOW_AFTER_SECONDS:
            return
        if self.drawn_width and now - self.drawn_at < REDRAW_EVERY and progress.done < progress.total:
            return
        line = describe(progress, elapsed)[: self._columns() - 1]  # a wrapped line could not be redrawn
        padding = " " * max(0, self.drawn_width - len(line))
        self.stream.write("\r" + line + padding)
        self.stream.flush()
        self.drawn_at, self.drawn_width = now, max(len(line), 1)

    def close(self) -> None:
        """Erase the line, so the report and any message start at the margin."""
        if self.drawn_width:
            self.stream.write("\r" + " " * self.drawn_width + "\r")
            self.stream.flush()
            self.drawn_width = 0

    def _columns(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 0
        return columns if columns > 20 else 80  # a new pseudo-terminal may report 0 columns


def describe(progress: RunProgress, elapsed: float) -> str:
    fraction = progress.done / progress.total if progress.total else 1.0
    filled = round(fraction * BAR_WIDTH)
    line = f"Checking [{'#' * filled}{'.' * (BAR_WIDTH - filled)}]  {progress.done:,}/{progress.total:,} files"
    if progress.total_bytes:
        unit, size = ("MB", MB) if progress.total_bytes >= MB else ("kB", 1024)  # small runs: 0.0/0.0 MB says nothing
        line += f"  {progress.done_bytes / size:.1f}/{progress.total_bytes / size:.1f} {unit}"
    return line + f"  {elapsed:.0f} s"
