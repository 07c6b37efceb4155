"""Assemble a document's text from pieces while remembering where each character came from."""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

from ..model import Block, Document, OffsetRuns, SourceMap, Unit
from .copy import NOT_COPY, data_spans

_GAP = re.compile(r"\s{2,}|[^\S ]")  # whitespace a reader sees as one space, other than " " itself
# A line that starts a list item in plain text: "- ", "* ", "• ", "・", "※", "①", "1. ", "2) ".
# "●●様" and "XX" are name placeholders, not bullets: a doubled mark is left alone.
LIST_MARKER = re.compile(r"[ \t]*(?:[-*•・※▪◦►▶✓✔]|[●■◆](?![●■◆])|[①-⑳]|\d{1,2}[.)](?=[ \t]))[ \t]*(?=[^\s●■◆])")


class TextBuilder:
    """Collects blocks of text; each character keeps its offset in the source text.

    Blocks are separated by a blank line in Document.text, so sentence and paragraph logic
    never joins two blocks. Whitespace inside a block is collapsed to one space, as a reader
    sees it.

    Text is kept as pieces and offsets as runs (see OffsetRuns), and a piece whose characters
    are consecutive in the source is handled in bulk, so a 10 MB text costs a few passes in C
    rather than a Python step and two objects per character.

    Data inside a block (a long URL or token, a data: URI, base64 lines) is moved into a block
    of its own, kind "data", when the block closes: it must never read as a huge sentence.
    """

    def __init__(self, source: str, line_base: int = 0) -> None:
        self.source = source
        self.line_base = line_base
        self._parts: list[str] = []
        self._length = 0
        self._run_text = array("q")
        self._run_source = array("q")
        self._next_source = -1  # the source offset that continues the current run
        self._blocks: list[Block] = []
        self._block_start: int | None = None
        self._block_part = 0  # index in _parts where the open block's text begins
        self._splitting = False
        self._block_kind = "paragraph"
        self._block_lang: str | None = None
        self._pending_space: int | None = None

    # -- building -------------------------------------------------------------------------
    def open_block(self, kind: str = "paragraph", lang: str | None = None) -> None:
        self.close_block()
        self._block_kind = kind
        self._block_lang = lang

    def add(self, text: str, source_offsets: Sequence[int] | int) -> None:
        """Append `text`; `source_offsets` gives each character's source offset, or the first
        one when the text is a verbatim slice of the source."""
        if isinstance(source_offsets, int):
            self._add_slice(text, source_offsets)
            return
        count = min(len(text), len(source_offsets))
        if isinstance(source_offsets, range) and source_offsets.step == 1:
            self._add_slice(text[:count], source_offsets.start)
            return
        # Split into stretches of consecutive offsets; each is then a verbatim slice.
        start = 0
        for index in range(1, count):
            if source_offsets[index] != source_offsets[index - 1] + 1:
                self._add_slice(text[start:index], source_offsets[start])
                start = index
        if count:
            self._add_slice(text[start:count], source_offsets[start])

    def _add_slice(self, text: str, offset: int) -> None:
        """`text` whose characters sit at offset, offset + 1, ... in the source."""
        if not text:
            return
        body_start = len(text) - len(text.lstrip())
        if body_start == len(text):  # only whitespace: at most a space before what follows
            if self._block_start is not None and self._pending_space is None:
                self._pending_space = offset
            return
        if body_start and self._block_start is not None and self._pending_space is None:
            self._pending_space = offset
        if self._block_start is None:
            if self._length:
                # blank line between blocks, both characters mapped to the last char of the
                # previous block (two runs: they share one offset)
                last = self._next_source - 1
                self._run_text.extend((self._length, self._length + 1))
                self._run_source.extend((last, last))
                self._parts.append("\n\n")
                self._length += 2
                self._next_source = last + 1
            self._block_start = self._length
            self._block_part = len(self._parts)
        elif self._pending_space is not None:
            self._emit(" ", self._pending_space)
        self._pending_space = None
        body_end = len(text.rstrip())
        base = offset + body_start
        body = text[body_start:body_end]
        cursor = 0
        for gap in _GAP.finditer(body):  # a run of whitespace, or a tab/newline: one space
            self._emit(body[cursor : gap.start()], base + cursor)
            self._emit(" ", base + gap.start())
            cursor = gap.end()
        self._emit(body[cursor:], base + cursor)
        if body_end < len(text):
            self._pending_space = offset + body_end

    def _emit(self, text: str, offset: int) -> None:
        if not text:
            return
        if offset != self._next_source:
            self._run_text.append(self._length)
            self._run_source.append(offset)
        self._parts.append(text)
        self._length += len(text)
        self._next_source = offset + len(text)

    def add_block(
        self, text: str, source_offsets: Sequence[int] | int, kind: str, lang: str | None = None
    ) -> None:
        self.open_block(kind, lang)
        self.add(text, source_offsets)
        self.close_block()

    def close_block(self) -> None:
        if self._block_start is not None:
            if not self._splitting and self._block_kind not in NOT_COPY:
                spans = data_spans("".join(self._parts[self._block_part :]))
                if spans:
                    self._split_out(spans)
                    return
            self._blocks.append(Block(self._block_start, self._length, self._block_kind, self._block_lang))
        self._block_start = None
        self._pending_space = None

    @property
    def length(self) -> int:
        return self._length

    def text_since(self, start: int) -> str:
        """The text added from offset `start` on (block separators included)."""
        return "".join(self._parts)[start:] if start < self._length else ""

    def _split_out(self, spans: list[tuple[int, int]]) -> None:
        """Rebuild the open block (the tail of the text) as copy and data blocks. `spans` are
        data stretches in block coordinates. The block and the blank line before it are taken
        back, then its pieces are added again with their source offsets."""
        start, kind, lang = self._block_start or 0, self._block_kind, self._block_lang
        text = "".join(self._parts[self._block_part :])
        pieces = self._runs_between(start, self._length)
        cut = start - 2 if start else 0  # the blank line that opened this block goes too
        del self._parts[self._block_part - (1 if start else 0) :]
        keep = bisect_left(self._run_text, cut)
        del self._run_text[keep:], self._run_source[keep:]
        self._length = cut
        if cut:
            last = len(self._run_text) - 1
            self._next_source = self._run_source[last] + (cut - 1 - self._run_text[last]) + 1
        else:
            self._next_source = -1
        self._block_start = self._pending_space = None
        self._splitting = True
        try:
            position = 0
            for low, high in [*spans, (len(text), len(text))]:
                for a, b, piece_kind in ((position, low, kind), (low, high, "data")):
                    if b <= a:
                        continue
                    self.open_block(piece_kind, lang)
                    for t0, t1, s0 in pieces:
                        x0, x1 = max(t0, start + a), min(t1, start + b)
                        if x0 < x1:
                            self._add_slice(text[x0 - start : x1 - start], s0 + x0 - t0)
                    self.close_block()
                position = high
        finally:
            self._splitting = False
        self._block_kind = kind  # text added after this block continues in its kind

    def _runs_between(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(text start, text end, source start) of each run over text[start:end]."""
        found = []
        index = max(bisect_right(self._run_text, start) - 1, 0)
        while index < len(self._run_text) and self._run_text[index] < end:
            low = max(self._run_text[index], start)
            high = min(self._run_text[index + 1] if index + 1 < len(self._run_text) else self._length, end)
            if high > low:
                found.append((low, high, self._run_source[index] + low - self._run_text[index]))
            index += 1
        return found

    # -- result ---------------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not self._length

    def build(
        self,
        path: str,
        channel: str,
        unit: Unit | None = None,
        meta: dict[str, str] | None = None,
    ) -> Document:
        self.close_block()
        offsets = OffsetRuns(array("q", self._run_text), array("q", self._run_source), self._length)
        return Document(
            path=path,
            channel=channel,
            text="".join(self._parts),
            blocks=list(self._blocks),
            positions=SourceMap(self.source, offsets, self.line_base),
            unit=unit,
            meta=dict(meta or {}),
        )


def split_lines_with_offsets(text: str) -> list[tuple[str, int]]:
    """Lines of `text` with the offset where each begins (line breaks dropped)."""
    result: list[tuple[str, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        result.append((line.rstrip("\r\n"), offset))
        offset += len(line)
    return result


_BLANK_LINE_AHEAD = re.compile(r"\n(?=[ \t\r]*\n)")


def paragraph_spans(text: str) -> "Iterator[tuple[int, int]]":
    r"""(start, end) of each paragraph: text from a non-blank character up to a blank line.

    Found by searching for the breaks, not by matching paragraphs with a per-character pattern
    such as `\S(?:.|\n(?!…))*`: Python's re keeps a backtrack entry for every character of
    such a match, which took a 10 MB paragraph to 1.2 GB."""
    position = 0
    for brk in _BLANK_LINE_AHEAD.finditer(text):
        yield from _trimmed(text, position, brk.start())
        position = brk.end()
    yield from _trimmed(text, position, len(text))


def _trimmed(text: str, start: int, end: int) -> "Iterator[tuple[int, int]]":
    segment = text[start:end]
    lead = len(segment) - len(segment.lstrip())
    if lead < len(segment):
        yield start + lead, end
