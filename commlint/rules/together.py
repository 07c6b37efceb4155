"""Words that make a finding only together, in one sentence: `kind: together`.

Blame and reproach are said in endless phrasings, but they are built from a few closed classes:
a verb of telling, a word of "already" or "again", the reader addressed ("wie wir Ihnen gestern
schon erklärt haben", "as we have told you twice already", "sudah kami sampaikan berkali-kali").
A rule lists the classes; a sentence that holds a word of every class, close together, is a hit.
No order is imposed, so word order, inserted adverbs and dates between the words don't matter.

    kind: together
    groups:                 # every group must occur in the sentence
      told: [erklärt, gesagt, mitgeteilt]
      already: [bereits, schon, "zum wiederholten Mal"]
      reader: [Ihnen, dir, euch]
    reach: 80               # at most this many characters from the first word to the last
    case_sensitive: false   # true where a capital changes the word (German "Sie" / "sie")

`groups` may also be a list of such mappings: a sentence that satisfies any one of them is a hit
("told" + "again", or "told" + "already" + "reader").

Words match whole and without case (`*` stands for any letters: `erklär*`); in languages written
without spaces (Japanese) they match as character strings.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterator

import regex

from .matchers import BlockView, Hit, _compile_regex, _error
from .profiles import LanguageProfile
from .spec import RuleSpec

DEFAULT_REACH = 80


class TogetherMatcher:
    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        raw = spec.params.get("groups")
        sets = raw if isinstance(raw, list) else [raw]
        if not sets or not all(isinstance(g, dict) and len(g) >= 2 for g in sets):
            raise _error(spec, "groups", "expected a mapping of at least two named word lists, or a list of such mappings")
        # case matters where a capital changes the word: German "Sie" (you) and "sie" (they)
        flags = regex.V1 | (0 if spec.params.get("case_sensitive") else regex.IGNORECASE)
        self.sets: list[list["regex.Pattern[str]"]] = []
        for groups in sets:
            compiled = []
            for name, words in groups.items():
                if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
                    raise _error(spec, f"groups.{name}", "expected a list of words or phrases")
                compiled.append(_compile_regex(spec, f"groups.{name}", _alternation(words, profile.spaces), flags))
            self.sets.append(compiled)
        reach = spec.params.get("reach", DEFAULT_REACH)
        if not isinstance(reach, int) or reach < 1:
            raise _error(spec, "reach", "expected a positive whole number of characters")
        # without spaces a character carries more: half the reach says as much
        self.reach = reach if profile.spaces else max(1, reach // 2)

    def find(self, view: BlockView) -> Iterator[Hit]:
        # Each group's words are found once in the whole block (not once per sentence), and a
        # set whose groups are not all in the block is not looked at again.
        text = view.text
        sets = [found for found in (self._found(groups, text) for groups in self.sets) if found is not None]
        if not sets:
            return
        for s_start, s_end in view.sentences:
            for groups in sets:
                hit = self._in_sentence(groups, s_start, s_end)
                if hit is not None:
                    start, end = hit
                    yield Hit(view.start + start, view.start + end, text[start:end])
                    break

    @staticmethod
    def _found(groups: list["regex.Pattern[str]"], text: str) -> list[tuple[list[tuple[int, int]], list[int]]] | None:
        """Per group, its words' (start, end) in the text and their starts; None when a group
        has none (the set cannot be satisfied anywhere in the text)."""
        found = [[(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()] for pattern in groups]
        if not all(found):
            return None
        return [(matches, [start for start, _ in matches]) for matches in found]

    def _in_sentence(self, groups: list[tuple[list[tuple[int, int]], list[int]]], s_start: int, s_end: int) -> tuple[int, int] | None:
        """The tightest window holding one word of each group, if it is within reach: a sweep
        over the groups' matches inside the sentence, in order of position."""
        found: list[tuple[int, int, int]] = []  # (start, end, group)
        for number, (matches, starts) in enumerate(groups):
            first = bisect_left(starts, s_start)
            inside = [(a, b, number) for a, b in matches[first : bisect_left(starts, s_end, first)] if b <= s_end]
            if not inside:
                return None
            found.extend(inside)
        found.sort()
        latest: dict[int, tuple[int, int]] = {}
        best: tuple[int, int] | None = None
        for start, end, group in found:
            latest[group] = (start, end)
            if len(latest) == len(groups):
                first_start = min(s for s, _ in latest.values())
                last = max(e for _, e in latest.values())
                if last - first_start <= self.reach and (best is None or last - first_start < best[1] - best[0]):
                    best = (first_start, last)
        return best


def _alternation(words: list[str], spaces: bool) -> str:
    alternatives = []
    for word in sorted(words, key=len, reverse=True):
        body = r"\s+".join(regex.escape(part).replace(r"\*", r"\w*") for part in word.split())
        if spaces:
            body = (r"(?<![\w\-])" if word[:1].isalnum() else "") + body + (r"(?![\w\-])" if word[-1:].isalnum() or word.endswith("*") else "")
        alternatives.append(body)
    return "(?:" + "|".join(alternatives) + ")"
