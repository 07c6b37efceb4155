"""Plain-text tables for the terminal, aligned by what a terminal shows: a CJK character or a
full-width sign takes two columns."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_table(rows: Sequence[Sequence[str]], gap: int = 2) -> list[str]:
    """Rows of cells, the first being the header, as lines padded to each column's widest
    cell; the last column is not padded, so lines have no trailing spaces."""
    if not rows:
        return []
    columns = len(rows[0])
    widths = [max(display_width(row[i]) for row in rows) for i in range(columns - 1)]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row[:-1])]
        lines.append((" " * gap).join([*cells, row[-1]]).rstrip())
    return lines
