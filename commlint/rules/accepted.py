"""The terms a team accepts (vocabulary files): no rule flags them, in the languages they are
accepted for, and neither does a finding that lies inside one ("Boost" in "Fiber Boost")."""
from __future__ import annotations

import regex

from ..compiled import compile_pattern

ALL_LANGUAGES = "*"


class AcceptedTerms:
    """Accepted words and phrases per language code (or "*"), matched as a `terms` rule matches
    its terms: whole words, any case, a phrase across line breaks, `*` for any letters."""

    def __init__(self, terms: dict[str, tuple[str, ...]]) -> None:
        self.terms = {lang: tuple(found) for lang, found in terms.items() if found}
        self._patterns: dict[tuple[str, bool], "regex.Pattern[str] | None"] = {}
        longest = max((len(t) for found in self.terms.values() for t in found), default=0)
        self.reach = 2 * longest + 40  # how far from a hit an occurrence covering it can start

    def __bool__(self) -> bool:
        return bool(self.terms)

    def _pattern(self, lang: str, spaces: bool) -> "regex.Pattern[str] | None":
        key = (lang, spaces)
        if key not in self._patterns:
            terms = sorted({*self.terms.get(ALL_LANGUAGES, ()), *self.terms.get(lang, ())}, key=len, reverse=True)
            bodies = [(r"[\s\-]+" if spaces else "").join(regex.escape(part).replace(r"\*", r"\w*") for part in term.split()) for term in terms]
            body = "(?:" + "|".join(bodies) + ")"
            self._patterns[key] = compile_pattern(r"(?<![\w\-])" + body + r"(?![\w\-])" if spaces else body, regex.V1 | regex.IGNORECASE) if terms else None
        return self._patterns[key]

    def covers(self, text: str, start: int, end: int, lang: str, spaces: bool = True) -> bool:
        """True when an accepted term of `lang` stands in `text` around [start, end)."""
        pattern = self._pattern(lang, spaces)
        if pattern is None:
            return False
        low, high = max(0, start - self.reach), min(len(text), end + self.reach)
        for found in pattern.finditer(text, low, high):
            if found.start() > start:
                return False
            # the window's edge is no word boundary: an occurrence cut there is checked whole
            if found.end() >= end and (found.end() < high or high == len(text) or not _joins(text, high)):
                return True
        return False

    def whole(self, text: str, lang: str) -> bool:
        """True when `text` is itself an accepted term of `lang` ("NordlysFiber")."""
        pattern = self._pattern(lang, True)
        return pattern is not None and pattern.fullmatch(" ".join(text.split())) is not None


def _joins(text: str, at: int) -> bool:
    """The character at `at` continues a word (so a match ending just before it is no whole word)."""
    return at < len(text) and (text[at].isalnum() or text[at] in "_-")
