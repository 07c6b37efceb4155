"""Assemble a document's text from pieces while remembering where each character came from."""
from __future__ import annotations

import re

from ..model import Block, Document, SourceMap, Unit

_SPACE_RUN = re.compile(r"\s+")
# A line that starts a list item in plain text: "- ", "* ", "• ", "・", "※", "①", "1. ", "2) ".
# "●●様" and "XX" are name placeholders, not bullets: a doubled mark is left alone.
LIST_MARKER = re.compile(r"[ \t]*(?:[-*•・※▪◦►▶✓✔]|[●■◆](?![●■◆])|[①-⑳]|\d{1,2}[.)](?=[ \t]))[ \t]*(?=[^\s●■◆])")


class TextBuilder:
    """Collects blocks of text; each character keeps its offset in the source text.

    Blocks are separated by a blank line in Document.text, so sentence and paragraph logic
    never joins two blocks. Whitespace inside a block is collapsed to one space, as a reader
    sees it.
    """

    def __init__(self, source: str, line_base: int = 0) -> None:
        self.source = source
        self.line_base = line_base
        self._chars: list[str] = []
        self._offsets: list[int] = []
        self._blocks: list[Block] = []
        self._block_start: int | None = None
        self._block_kind = "paragraph"
        self._block_lang: str | None = None
        self._pending_space: int | None = None

    # -- building -------------------------------------------------------------------------
    def open_block(self, kind: str = "paragraph", lang: str | None = None) -> None:
        self.close_block()
        self._block_kind = kind
        self._block_lang = lang

    def add(self, text: str, source_offsets: list[int] | range | int) -> None:
        """Append `text`; `source_offsets` gives each character's source offset, or the first
        one when the text is a verbatim slice of the source."""
        if isinstance(source_offsets, int):
            source_offsets = range(source_offsets, source_offsets + len(text))
        for char, offset in zip(text, source_offsets):
            if char.isspace():
                if self._block_start is not None and self._pending_space is None:
                    self._pending_space = offset
                continue
            if self._block_start is None:
                if self._chars:
                    # blank line between blocks, mapped to the last char of the previous block
                    last = self._offsets[-1]
                    self._chars.extend("\n\n")
                    self._offsets.extend((last, last))
                self._block_start = len(self._chars)
            elif self._pending_space is not None:
                self._chars.append(" ")
                self._offsets.append(self._pending_space)
            self._pending_space = None
            self._chars.append(char)
            self._offsets.append(offset)

    def add_block(
        self, text: str, source_offsets: list[int] | range | int, kind: str, lang: str | None = None
    ) -> None:
        self.open_block(kind, lang)
        self.add(text, source_offsets)
        self.close_block()

    def close_block(self) -> None:
        if self._block_start is not None:
            self._blocks.append(
                Block(self._block_start, len(self._chars), self._block_kind, self._block_lang)
            )
        self._block_start = None
        self._pending_space = None

    # -- result ---------------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not self._chars

    def build(
        self,
        path: str,
        channel: str,
        unit: Unit | None = None,
        meta: dict[str, str] | None = None,
    ) -> Document:
        self.close_block()
        return Document(
            path=path,
            channel=channel,
            text="".join(self._chars),
            blocks=list(self._blocks),
            positions=SourceMap(self.source, list(self._offsets), self.line_base),
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
