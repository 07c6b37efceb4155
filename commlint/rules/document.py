"""Matchers that look at a whole document rather than one block."""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

import regex

from ..model import Document
from .matchers import Hit, _compile_regex, _error
from .profiles import LanguageProfile
from .spec import RuleSpec


def _patterns(spec: RuleSpec, key: str, raw: Any, profile: LanguageProfile) -> list["regex.Pattern[str]"]:
    """`when`/`require` take {terms: [...], regex: [...]}; terms match as whole words."""
    allowed = {"terms", "regex", "concrete_time"} if key == "require" else {"terms", "regex"}
    if not isinstance(raw, dict) or not raw or set(raw) - allowed:
        raise _error(spec, key, f"expected a mapping with {' and/or '.join(sorted(allowed))}")
    flags = regex.V1 | regex.IGNORECASE
    compiled = []
    for term in raw.get("terms", []) or []:
        body = regex.escape(str(term)).replace(r"\ ", r"\s+")
        source = rf"(?<!\w){body}(?!\w)" if profile.spaces else body
        compiled.append(_compile_regex(spec, key, source, flags))
    for pattern in raw.get("regex", []) or []:
        compiled.append(_compile_regex(spec, key, str(pattern), flags))
    if raw.get("concrete_time"):
        # The language profile's own patterns for "within 24 hours", "2営業日以内", ...
        compiled.extend(profile.concrete_time_patterns())
    if not compiled:
        raise _error(spec, key, "give at least one term or regular expression")
    return compiled


class RequireMatcher:
    """A document that shows `when` (e.g. ways to contact us) must also show `require`
    (e.g. a response time). The finding points at the first `when` match."""

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        self.when = _patterns(spec, "when", spec.params.get("when"), profile)
        self.require = _patterns(spec, "require", spec.params.get("require"), profile)
        when_path = spec.params.get("when_path")
        self.when_path = _compile_regex(spec, "when_path", when_path, regex.IGNORECASE) if when_path else None

    def find_document(self, doc: Document, text: str, offset: int) -> Iterator[Hit]:
        if self.when_path is not None:
            # The page's name: title, subject, headings, and the first line of a plain draft.
            named = [b for b in doc.blocks if b.kind in ("title", "subject", "heading")]
            # A plain draft has no markup: its first line names it when it reads like a heading.
            first = doc.blocks[:1]
            if first and (first[0].end - first[0].start) <= 60 and not doc.block_text(first[0]).rstrip().endswith((".", "!", "?", "。", ",")):
                named += first
            title = " ".join(doc.block_text(b) for b in named)
            if not (self.when_path.search(doc.path) or self.when_path.search(title)):
                return
        first = None
        for pattern in self.when:
            match = pattern.search(text)
            if match and (first is None or match.start() < first.start()):
                first = match
        if first is None:
            return
        if any(pattern.search(text) for pattern in self.require):
            return
        yield Hit(offset + first.start(), offset + first.end(), first.group(0))


# The paragraph ends as a sentence does (a closing quote or bracket may follow).
_SENTENCE_END = regex.compile(r"[.!?。！？…][\"'”’」』)\]]*[\s\p{So}\p{Sk}\p{Cf}\uFE0F]*$")


def _normalise_paragraph(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


class RepeatedMatcher:
    """The same paragraph (after case and whitespace folding) twice in one document."""

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        value = spec.params.get("min_chars", 40)
        if not isinstance(value, int) or value < 1:
            raise _error(spec, "min_chars", "expected a positive whole number")
        # Without spaces each character carries more (Japanese): half the length says as much.
        self.min_chars = value if profile.spaces else max(1, value // 2)
        # Paragraphs by default: a heading repeated in a table of contents, or a button label
        # used twice, is structure, not a paste error.
        self.kinds = set(spec.blocks or ("paragraph",))
        words = spec.params.get("min_words", 6)
        if not isinstance(words, int) or words < 1:
            raise _error(spec, "min_words", "expected a positive whole number")
        self.min_words = words if profile.spaces else 1  # no spaces to count words by (Japanese)

    def find_document(self, doc: Document, text: str, offset: int) -> Iterator[Hit]:
        first_seen: dict[str, tuple[tuple[int, int], bool]] = {}
        for block in doc.blocks:
            if block.kind not in self.kinds:
                continue
            text = doc.block_text(block)
            key = _normalise_paragraph(text)
            words = len(key.split())
            if len(key) < self.min_chars or words < self.min_words:
                continue
            # A paragraph says something: a full sentence, or a long line that lost its full
            # stop. Repeated teaser titles, labels and reference lines are page structure. One
            # copy with its full stop is enough: pastes often lose it.
            is_paragraph = bool(_SENTENCE_END.search(text)) or (self.min_words > 1 and words >= 12)
            if key in first_seen:
                span, first_is_paragraph = first_seen[key]
                if is_paragraph or first_is_paragraph:
                    yield Hit(block.start, block.end, text[:60], related=(span,))
            else:
                first_seen[key] = ((block.start, block.end), is_paragraph)