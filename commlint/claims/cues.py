"""Which fact a value is claimed for: the cue word nearest it, in its own clause first, past
the words that name the event a period counts from ("within 30 days of installation")."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Protocol

from .knowledge import Knowledge

if TYPE_CHECKING:
    import regex

_FULL_WIDTH = str.maketrans("０１２３４５６７８９：．，％～－", "0123456789:.,%~-")


class ContextReader(Protocol):
    def context_fact(self, context: str, facts: tuple[str, ...], knowledge: Knowledge | None = None) -> str | None: ...


def nearest_fact(sentence: str, context: str, start: int, end: int, knowledge: Knowledge, facts: tuple[str, ...]) -> str | None:
    """The fact whose cue word is nearest the value in the sentence, a cue in the value's own
    clause first; the context (a table row's header cell, the heading above a list) counts only
    when the sentence has no cue. (A plain scan: Sentence.nearest_fact finds the same faster.)"""
    scanned = Sentence(sentence, knowledge)
    best: tuple[tuple[bool, int, int], str] | None = None
    for fact in facts:
        pattern = knowledge.cue_res.get(fact)
        if pattern is None:
            continue
        for cue in pattern.finditer(sentence):
            if knowledge.anchor_re is not None and knowledge.anchor_re.search(sentence[max(0, cue.start() - 25) : cue.start()]):
                continue  # "within 30 days of installation": the event the period counts from
            if cue.end() <= start:
                rank = (scanned._crosses(cue.end(), start), start - cue.end(), -(cue.end() - cue.start()))
            elif cue.start() >= end:
                if scanned._starts_event(end, cue.start()):
                    continue  # "2 hours after the form is sent"
                rank = (scanned._crosses(end, cue.start()), cue.start() - end, -(cue.end() - cue.start()))
            else:
                rank = (False, 0, -(cue.end() - cue.start()))
            if best is None or rank < best[0]:
                best = (rank, fact)
    if best is None and context:
        for fact in facts:
            pattern = knowledge.cue_res.get(fact)
            if pattern is not None and pattern.search(context):
                return fact
    return best[1] if best else None


class Sentence:
    """One sentence with what every value in it asks about it, each worked out once: a long
    list of opening hours or prices must not cost values × sentence length."""

    def __init__(self, raw: str, knowledge: Knowledge | None) -> None:
        self.raw = raw
        self.text = raw.translate(_FULL_WIDTH)  # same length: offsets still hold
        self.knowledge = knowledge
        self._cues: dict[str, tuple[list[int], list[int]]] = {}
        self._flags: dict[str, bool] = {}
        self._breaks: list[int] | None = None

    EVENT_WORDS = 3  # words between "after" and a cue that still make it the start event

    def _starts_event(self, end: int, cue: int) -> bool:
        """A cue in a clause that tells when the period starts: "within 14 days after the form
        is sent", "setelah formulir dikirim" (but "14 Tage nach Zustellung an uns zurücksenden":
        "nach" starts no clause, and the cue is the return)."""
        pattern = self.knowledge.event_word_re if self.knowledge is not None else None
        last = None
        for last in pattern.finditer(self.text, end, cue) if pattern is not None else ():
            pass
        return last is not None and len(self.text[last.end() : cue].split()) <= self.EVENT_WORDS

    def _crosses(self, a: int, b: int) -> bool:
        """Whether a clause ends between offsets a and b."""
        if self._breaks is None:
            self._breaks = [m.start() for m in self.knowledge.clause_re.finditer(self.text)] if self.knowledge is not None else []
        i = bisect_left(self._breaks, a)
        return i < len(self._breaks) and self._breaks[i] < b

    def flag(self, name: str, pattern: "regex.Pattern[str]") -> bool:
        if name not in self._flags:
            self._flags[name] = bool(pattern.search(self.text))
        return self._flags[name]

    def cues(self, fact: str) -> tuple[list[int], list[int]]:
        """Starts and ends of the fact's cue words, in order, without those that name the event
        a period counts from ("within 30 days of installation")."""
        if fact not in self._cues:
            starts: list[int] = []
            ends: list[int] = []
            knowledge = self.knowledge
            pattern = knowledge.cue_res.get(fact) if knowledge is not None else None
            if pattern is not None:
                for cue in pattern.finditer(self.text):
                    if knowledge.anchor_re is not None and knowledge.anchor_re.search(self.text[max(0, cue.start() - 25) : cue.start()]):
                        continue
                    starts.append(cue.start())
                    ends.append(cue.end())
            self._cues[fact] = (starts, ends)
        return self._cues[fact]

    def nearest_fact(self, start: int, end: int, facts: tuple[str, ...], context: str, reader: "ContextReader") -> str | None:
        """The fact whose cue word is nearest the value in the sentence; the context (a table
        row's header cell, the heading above a list) counts only when the sentence has no cue.
        Same answer as _nearest_fact, found by bisection in each fact's cues."""
        best: tuple[tuple[bool, int, int], str] | None = None
        for fact in facts:
            starts, ends = self.cues(fact)
            if not starts:
                continue
            # a cue in the value's own clause beats a nearer one across "and" or a comma
            ranks = []
            before = bisect_right(ends, start) - 1  # the last cue ending at or before the value
            if before >= 0:
                ranks.append((self._crosses(ends[before], start), start - ends[before], -(ends[before] - starts[before])))
            i = before + 1
            while i < len(starts) and starts[i] < end:  # cues touching the value
                ranks.append((False, 0, -(ends[i] - starts[i])))
                i += 1
            after = bisect_left(starts, end)  # the first cue starting at or after the value's end
            while after < len(starts) and self._starts_event(end, starts[after]):
                after += 1
            if after < len(starts):
                ranks.append((self._crosses(end, starts[after]), starts[after] - end, -(ends[after] - starts[after])))
            if not ranks:
                continue
            rank = min(ranks)
            if best is None or rank < best[0]:
                best = (rank, fact)
        if best is None and context:
            return reader.context_fact(context, facts, self.knowledge)
        return best[1] if best else None
