"""Value types shared by every stage: documents, blocks, findings, errors.

Stages only pass these values forward; nothing here does I/O.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

CATEGORIES: tuple[str, ...] = (
    "jargon",
    "readability",
    "overpromise",
    "wait-time",
    "contradiction",
    "terminology",
    "placeholder",
    "tone",
    "duplicate",
)
CHANNELS: tuple[str, ...] = ("web", "email", "social", "draft")
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Unit:
    """One item inside a multi-item file: a post in an export, a message in an mbox."""

    kind: str  # "post" or "message"
    id: str
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.date:
            data["date"] = self.date
        return data


@dataclass
class Block:
    """A paragraph-like stretch of reader-visible text (heading, paragraph, cell, alt text...)."""

    start: int  # offset of the block in Document.text
    end: int
    kind: str = "paragraph"
    lang: str | None = None  # set where a block's language differs from the document's


@dataclass
class Document:
    """Reader-visible text of one unit, with a map from every character back to the source."""

    path: str  # as named on the command line, or the page URL
    channel: str
    text: str
    blocks: list[Block]
    positions: "SourceMap"
    lang: str = "und"
    unit: Unit | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


class OffsetRuns(Sequence[int]):
    """Text offset -> source offset for a whole document, stored compactly as runs.

    Most characters come from the source character after the previous one, so run k says
    that text offsets from `text_starts[k]` on map to `source_starts[k]` on, one for one, up
    to the next run. Two machine ints per run instead of a Python int per character: a 10 MB
    text needs a few thousand runs, not ten million objects.
    """

    __slots__ = ("text_starts", "source_starts", "length")

    def __init__(self, text_starts: "array[int]", source_starts: "array[int]", length: int) -> None:
        self.text_starts = text_starts
        self.source_starts = source_starts
        self.length = length

    @classmethod
    def from_offsets(cls, offsets: Iterable[int]) -> OffsetRuns:
        text_starts, source_starts = array("q"), array("q")
        expected = None
        length = 0
        for index, offset in enumerate(offsets):
            if offset != expected:
                text_starts.append(index)
                source_starts.append(offset)
            expected = offset + 1
            length = index + 1
        return cls(text_starts, source_starts, length)

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError("text offset out of range")
        run = bisect_right(self.text_starts, index) - 1
        return self.source_starts[run] + index - self.text_starts[run]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetRuns):
            return (self.length, self.text_starts, self.source_starts) == (other.length, other.text_starts, other.source_starts)
        if isinstance(other, Sequence):
            return len(other) == self.length and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"OffsetRuns({len(self.text_starts)} runs, {self.length} characters)"


@dataclass
class SourceMap:
    """Maps offsets in Document.text to 1-based (line, column) in the stored file.

    `offsets[i]` is the offset of text character i in `source` (the decoded file text, or for
    an encoded MIME part the decoded part). Any sequence of ints may be given; it is kept as
    OffsetRuns. `line_base` is added to lines, so a base64 part reports the raw file line where
    its body begins plus the line inside the decoded text.

    `regions` lets one source hold several such stretches: each (start, line_base) says that
    `source[start:]` (up to the next region) numbers its lines from 1 + line_base. A region's
    start must begin a line. Before the first region, `line_base` applies.
    """

    source: str
    offsets: Sequence[int]
    line_base: int = 0
    regions: tuple[tuple[int, int], ...] = ()
    _line_starts: Sequence[int] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.offsets, OffsetRuns):
            self.offsets = OffsetRuns.from_offsets(self.offsets)

    def _starts(self) -> Sequence[int]:
        if self._line_starts is None:
            starts = array("q", [0])
            find = self.source.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def source_offset(self, text_offset: int) -> int:
        if not self.offsets:
            return 0
        index = min(max(text_offset, 0), len(self.offsets) - 1)
        return self.offsets[index]

    def _region(self, src: int) -> tuple[int, int, int]:
        """(first line index, last line index + 1, line_base) of the region holding `src`."""
        starts = self._starts()
        bounds = [(0, self.line_base)] + list(self.regions)
        which = max(bisect_right([start for start, _ in bounds], src) - 1, 0)
        first = bisect_right(starts, bounds[which][0]) - 1
        stop = bisect_right(starts, bounds[which + 1][0]) - 1 if which + 1 < len(bounds) else len(starts)
        return first, stop, bounds[which][1]

    def line_col(self, text_offset: int) -> tuple[int, int]:
        src = self.source_offset(text_offset)
        starts = self._starts()
        line_index = bisect_right(starts, src) - 1
        first, _, base = self._region(src)
        return line_index - first + 1 + base, src - starts[line_index] + 1

    def source_line(self, line: int, text_offset: int | None = None) -> str:
        """The stored line `line` (1-based, in file terms), without its line break.

        With regions, `text_offset` (a Document.text offset) picks the region; default: the first.
        """
        starts = self._starts()
        src = 0 if text_offset is None else self.source_offset(text_offset)
        first, stop, base = self._region(src)
        index = line - 1 - base + first
        if index < first or index >= stop:
            return ""
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(self.source)
        return self.source[starts[index] : end].rstrip("\r")


@dataclass(frozen=True)
class Related:
    path: str
    line: int
    column: int
    excerpt: str
    value: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    channel: str
    lang: str
    message: str
    excerpt: str
    suggestion: str | None = None
    unit: Unit | None = None
    related: tuple[Related, ...] = ()
    source_line: str = ""  # the stored line, for reporters that show context
    fix: tuple[str, str] | None = None  # (words as written, the one safe replacement)
    # where the flagged words sit in `excerpt` (start, end), so a report can mark them in the
    # reader's text; None where the stage that made the finding did not say
    excerpt_span: tuple[int, int] | None = None

    def fingerprint(self) -> str:
        """Stable across line shifts and edits elsewhere in the file: the rule, the file (and
        post or message), the words flagged and the sentence around them, without positions."""
        import hashlib

        sentence = " ".join(self.excerpt.casefold().split())
        key = "\x1f".join((self.rule, self.path, self.unit.id if self.unit else "", self.message, sentence))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str]:
        """File order: a post or message is found by its line in the file, not by its id."""
        return (self.path, self.line, self.column, self.rule)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "channel": self.channel,
            "lang": self.lang,
            "message": self.message,
            "suggestion": self.suggestion,
            "excerpt": self.excerpt,
        }
        if self.unit:
            data["unit"] = self.unit.to_json()
        if self.related:
            data["related"] = [
                {k: v for k, v in vars(r).items() if v is not None} for r in self.related
            ]
        return data


@dataclass(frozen=True)
class InputError:
    """An input that could not be read or parsed; the run goes on without it."""

    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class ExtractionError(Exception):
    """Raised by a reader or extractor; its message names the reason in plain words."""


@dataclass(frozen=True)
class InputWarning:
    """Something left out of an input that was otherwise read: a skipped post, a special file
    in a folder walk, a charset that did not match. It does not change the exit code."""

    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}
