"""Position lookups the engine makes for every hit, each in O(log n) rather than a scan.

A document with thousands of findings (a paragraph pasted a thousand times, a CSV field that
repeats one promise) must not cost findings × document: blocks, sentences, tokens, quotations
and source lines are indexed once and then found by bisection.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Callable, Iterable

from ..sentences import iter_sentence_spans

if TYPE_CHECKING:
    from .tokenizer import Tokens

    from ..model import Block, Document

MAX_EXCERPT = 4000  # characters: a hit as long as a whole block is shown by its start


class DocIndex:
    """Blocks by offset, sentences (of commlint.sentences, block by block) and stored lines of
    one document."""

    def __init__(self, doc: "Document") -> None:
        self.doc = doc
        self.blocks = doc.blocks
        self.starts = [block.start for block in doc.blocks]
        if any(a > b for a, b in zip(self.starts, self.starts[1:])):
            # extractors emit blocks in text order; keep the lookup right if one ever does not
            self.blocks = sorted(doc.blocks, key=lambda b: b.start)
            self.starts = [block.start for block in self.blocks]
        self._sentences: dict[tuple[int, int], tuple[array, array]] = {}
        self._lines: dict[tuple[int, int], str] = {}
        self._excerpts: dict[tuple[int, int], tuple[str, int] | None] = {}

    def block_at(self, offset: int) -> "Block | None":
        """The block holding `offset`, or None."""
        i = bisect_right(self.starts, offset) - 1
        start = self.starts[i] if i >= 0 else -1
        while i >= 0 and self.starts[i] == start:  # (empty blocks may share a start)
            if offset < self.blocks[i].end:
                return self.blocks[i]
            i -= 1
        if 0 <= offset < len(self.doc.text) and self.doc.text[offset] not in "\n ":
            # not between blocks: blocks that nest (no extractor makes them) are scanned
            return next((b for b in self.blocks if b.start <= offset < b.end), None)
        return None

    def block_after(self, offset: int) -> "Block | None":
        """The first block starting at or after `offset`."""
        i = bisect_left(self.starts, offset)
        return self.blocks[i] if i < len(self.blocks) else None

    def _spans(self, lo: int, hi: int, lang: str | None) -> tuple[array, array]:
        """The sentences of text[lo:hi] as (starts, ends), 16 bytes each however many there are;
        the two latest regions kept."""
        key = (lo, hi)
        if key not in self._sentences:
            starts, ends = array("q"), array("q")
            for a, b in iter_sentence_spans(self.doc.text, lo, hi, lang):
                starts.append(a)
                ends.append(b)
            if len(self._sentences) >= 2:
                del self._sentences[next(iter(self._sentences))]
            self._sentences[key] = (starts, ends)
        return self._sentences[key]

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding text[start:end] within its block: from the start of the last
        sentence starting at or before `start` to the end of the first one ending at or after
        `end` (one sentence, unless the span crosses a sentence end)."""
        block = self.block_at(start)
        lo, hi = (block.start, block.end) if block else (0, len(self.doc.text))
        starts, ends = self._spans(lo, hi, (block.lang if block else None) or self.doc.lang)
        i = bisect_right(starts, start) - 1
        left = min(starts[i], start) if i >= 0 else lo
        j = bisect_left(ends, end)
        right = max(ends[j], end) if j < len(ends) else hi
        return max(left, lo), right

    def excerpt(self, start: int, end: int) -> str:
        """The sentence holding the hit, or the words around it when the sentence is long."""
        return self.excerpt_at(start, end)[0]

    def excerpt_at(self, start: int, end: int) -> tuple[str, int]:
        """The excerpt and the offset in the document's text where it begins, so a reporter
        can mark the flagged words in what the reader sees."""
        s, e = self.sentence_bounds(start, end)
        if (s, e) not in self._excerpts:
            # one copy per sentence, however many hits it holds
            raw = self.doc.text[s:e] if e - s <= 4 * MAX_EXCERPT else None
            text = raw.strip() if raw is not None else None
            self._excerpts[(s, e)] = (text, s + len(raw) - len(raw.lstrip())) if text is not None and len(text) <= 240 else None
        short = self._excerpts[(s, e)]
        if short is not None:
            return short
        block = self.block_at(start)
        lo, hi = (block.start, block.end) if block else (0, len(self.doc.text))
        left = max(lo, start - 100)
        raw = self.doc.text[left : min(hi, end + 100, left + MAX_EXCERPT)]
        return raw.strip(), left + len(raw) - len(raw.lstrip())

    def source_line(self, line: int, offset: int, line_start: int) -> str:
        """The stored line, one string shared by every finding on it (a CSV field or a minified
        page can hold thousands of findings on one long line)."""
        key = (line, line_start)
        if key not in self._lines:
            self._lines[key] = self.doc.positions.source_line(line, offset)
        return self._lines[key]


class PieceIndex:
    """Sentences, tokens and quotations of one piece of a block, with memoised per-sentence
    answers: a rule asks about the sentence of each hit, and a long sentence holds many hits."""

    def __init__(self, text: str, tokens: "Tokens", following: Callable[[], str], sentences: Callable[[], list[tuple[int, int]]]) -> None:
        self.text = text
        self.tokens = tokens
        self._make_sentences = sentences
        self._sentences: list[tuple[int, int]] | None = None  # made when a hit first asks
        self._sentence_starts: list[int] = []
        self._following = following
        self._following_text: str | None = None
        self._token_starts: list[int] | None = None
        self._quotes: tuple[list[int], list[int]] | None = None
        self.memo: dict[tuple[object, ...], bool] = {}

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = self._make_sentences()
            self._sentence_starts = [a for a, _ in self._sentences]
        return self._sentences

    def sentence_at(self, offset: int) -> tuple[int, int]:
        sentences = self.sentences
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and sentences[i][0] <= offset < sentences[i][1]:
            return sentences[i]
        return 0, len(self.text)

    def sentence_after(self, offset: int) -> tuple[int, int] | None:
        """The first sentence starting at or after `offset`."""
        sentences = self.sentences
        i = bisect_left(self._sentence_starts, offset)
        return sentences[i] if i < len(sentences) else None

    def following_text(self) -> str:
        """The first sentence after this piece (in the block's next piece or the next block)."""
        if self._following_text is None:
            self._following_text = self._following()
        return self._following_text

    def words_before(self, start: int, s_start: int, window: int) -> int | None:
        """Offset of the window-th word before `start` within the sentence (fewer if the
        sentence has fewer), or None when no whole word precedes `start` in it."""
        starts = self._starts()
        found = None
        i = bisect_left(starts, start) - 1
        taken = 0
        while i >= 0 and starts[i] >= s_start and taken < window:
            token = self.tokens[i]
            if not token.is_space and token.idx + len(token.text) <= start:
                found = token.idx
                taken += 1
            i -= 1
        return found

    def words_after(self, end: int, s_end: int, window: int) -> int | None:
        """End offset of the window-th word from `end` within the sentence, or None."""
        starts = self._starts()
        found = None
        i = bisect_left(starts, end)
        taken = 0
        while i < len(starts) and starts[i] < s_end and taken < window:
            token = self.tokens[i]
            if not token.is_space:
                found = token.idx + len(token.text)
                taken += 1
            i += 1
        return found

    def _starts(self) -> list[int]:
        if self._token_starts is None:
            self._token_starts = [token.idx for token in self.tokens]
        return self._token_starts

    def in_quotes(self, start: int, end: int) -> bool:
        """True when text[start:end] lies strictly inside a quotation."""
        if self._quotes is None:
            spans = quoted_spans(self.text)
            self._quotes = ([a for a, _ in spans], [b for _, b in spans])
        opens, closes = self._quotes
        # quotations do not overlap: only the last one opening before `start` can hold the hit
        i = bisect_left(opens, start) - 1
        return i >= 0 and end < closes[i]


# Quotation marks and what closes them: “…”, "…", „…“ or „…”, «…», »…«, 「…」, 『…』.
_CLOSERS = {"“": "”", '"': '"', "„": "“”", "«": "»", "»": "«", "「": "」", "『": "』"}
_OPENER = re.compile("[" + re.escape("".join(_CLOSERS)) + "]")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The quotations in `text`, left to right and not overlapping, as the regular expression
    “[^”]*”|"[^"]*"|„[^“”]*[“”]|… would find them, but in linear time: an opening mark with no
    closing one after it costs one lookup, not a scan to the end."""
    if _OPENER.search(text) is None:
        return []
    positions: dict[str, list[int]] = {}
    for closer in set("".join(_CLOSERS.values())):
        positions[closer] = [m.start() for m in re.finditer(re.escape(closer), text)]
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        match = _OPENER.search(text, pos)
        if match is None:
            return spans
        at = match.start()
        close = _first_after(positions, _CLOSERS[match.group()], at + 1)
        if close is None:
            pos = at + 1
            continue
        spans.append((at, close + 1))
        pos = close + 1


def _first_after(positions: dict[str, list[int]], closers: Iterable[str], offset: int) -> int | None:
    found = None
    for closer in closers:
        where = positions[closer]
        i = bisect_left(where, offset)
        if i < len(where) and (found is None or where[i] < found):
            found = where[i]
    return found


class IntervalSet:
    """Disjoint half-open intervals, added one at a time, with an overlap test: O(log n) each.

    Built over the endpoints of every interval that may be asked about; a Fenwick tree counts
    the covered stretches between consecutive endpoints.
    """

    def __init__(self, endpoints: Iterable[int]) -> None:
        self.points = sorted(set(endpoints))
        self.tree = [0] * (len(self.points) + 1)

    def _index(self, value: int) -> int:
        return bisect_left(self.points, value)

    def _count(self, stop: int) -> int:
        """Covered stretches among the first `stop`."""
        total = 0
        while stop > 0:
            total += self.tree[stop]
            stop -= stop & -stop
        return total

    def overlaps(self, start: int, end: int) -> bool:
        a, b = self._index(start), self._index(end)
        return b > a and self._count(b) - self._count(a) > 0

    def add(self, start: int, end: int) -> None:
        """Cover [start, end); it must not overlap what is already covered."""
        for stretch in range(self._index(start), self._index(end)):
            i = stretch + 1
            while i < len(self.tree):
                self.tree[i] += 1
                i += i & -i
