"""Posts left out of a social export: each with a plain reason, told one by one up to a cap,
then counted, so a million empty rows give twenty-one notes, not a million."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Document, ExtractionError

MAX_SKIP_NOTES = 20  # skipped posts told one by one; the rest are counted by reason


class Skipped:
    """Posts left out of an export, each with its reason, for the run's warnings."""

    def __init__(self, text: str, unit: str) -> None:
        self.text = text
        self.unit = unit  # "post" or "row"
        self.told: list[str] = []
        self.untold: Counter[str] = Counter()
        self._line = (0, 1)  # (offset, its line): posts come in file order, so lines are counted once

    def add(self, number: int, offset: int | None, reason: str) -> None:
        if len(self.told) >= MAX_SKIP_NOTES:
            self.untold[reason] += 1
            return
        where = ""
        if offset is not None and offset >= self._line[0]:
            line = self._line[1] + self.text.count("\n", self._line[0], offset)
            self._line = (offset, line)
            where = f" (line {line})"
        self.told.append(f"{self.unit} {number}{where}: {reason}; skipped")

    @property
    def count(self) -> int:
        return len(self.told) + sum(self.untold.values())

    def notes(self) -> list[str]:
        if not self.untold:
            return list(self.told)
        reasons = ", ".join(f"{count} because {reason}" for reason, count in self.untold.most_common())
        return [*self.told, f"and {sum(self.untold.values())} more {self.unit}s skipped: {reasons}"]

    def summary(self) -> str:
        reasons = Counter(note.split(": ", 1)[1].removesuffix("; skipped") for note in self.told) + self.untold
        return "; ".join(f"{count} {self.unit}{'s' if count != 1 else ''}: {reason}" for reason, count in reasons.most_common(3))

    def finish(self, docs: list[Document], notes: list[str] | None) -> list[Document]:
        """The posts read; an export where every post was skipped is an error, not a silent pass."""
        if not docs and self.count:
            which = f"all {self.count} {self.unit}s were" if self.count > 1 else f"its only {self.unit} was"
            raise ExtractionError(f"no posts with text found: {which} skipped ({self.summary()})")
        if notes is not None:
            notes.extend(self.notes())
        return docs


def kind_of(value: Any) -> str:
    """A JSON value's kind in plain words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"
