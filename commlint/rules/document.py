"""Matchers that look at a whole document rather than one block."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Callable, Any, Iterator

import regex

from ..compiled import compile_pattern
from ..model import Document
from ..sentences import ends_like_sentence, iter_sentence_spans
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


MAX_TRIGGERS = 200  # `when` matches whose context is checked, per pattern and document


class RequireMatcher:
    """A document that shows `when` (e.g. ways to contact us) must also show `require`
    (e.g. a response time). The finding points at the first `when` match."""

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        self.when = _patterns(spec, "when", spec.params.get("when"), profile)
        self.require = _patterns(spec, "require", spec.params.get("require"), profile)
        when_path = spec.params.get("when_path")
        self.when_path = _compile_regex(spec, "when_path", when_path, regex.IGNORECASE) if when_path else None

    def find_document(self, doc: Document, text: str, offset: int, accept: "Callable[[int, int], bool] | None" = None) -> Iterator[Hit]:
        """`accept(start, end)` may refuse a `when` match (its sentence makes no such claim)."""
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
            for tried, match in enumerate(pattern.finditer(text)):
                if first is not None and match.start() >= first.start():
                    break
                if accept is None or accept(offset + match.start(), offset + match.end()):
                    first = match
                    break
                if tried >= MAX_TRIGGERS:
                    break
        if first is None:
            return
        if any(pattern.search(text) for pattern in self.require):
            return
        yield Hit(offset + first.start(), offset + first.end(), first.group(0))


_MARKS = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def _normalise_paragraph(text: str) -> str:
    """Case, marks and spacing folded: the same paragraph pasted twice gives the same key.
    (Substitutions, not str.split(): a 10 MB paragraph would be a list of two million words.)"""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", _MARKS.sub(" ", text)).strip()


def _key(normalised: str) -> str | bytes:
    """What a paragraph is remembered by: itself, or a digest of a long one (memory stays small)."""
    if len(normalised) <= 256:
        return normalised
    return hashlib.blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# A long paragraph is folded in pieces, so a 10 MB one never has several 10 MB copies at once.
# A piece starts at an ASCII, Han or kana character: Unicode normalisation never joins such a
# character with what comes before it, so the pieces fold exactly as the whole would.
_FOLD_PIECE = 65_536
_FOLD_CUT = compile_pattern(r"[\x00-\x7f\p{Han}\u3041-\u3096\u30a1-\u30fa]")


def _paragraph_key(text: str) -> tuple[str | bytes, int, int]:
    """(key, length, words) of the folded paragraph: the same as _key(_normalise_paragraph(text)),
    its length and its word count, without the whole folded text in memory."""
    if len(text) <= _FOLD_PIECE:
        normalised = _normalise_paragraph(text)
        return _key(normalised), len(normalised), (normalised.count(" ") + 1 if normalised else 0)
    digest = hashlib.blake2b(digest_size=16)
    head: list[str] = []  # the folded text while it is short enough to be its own key
    length = spaces = 0
    pending = False  # a space that is kept only if more text follows (strip at the end)
    at_start = True
    for part in _folded_pieces(text):
        if part.startswith(" ") and (pending or at_start):
            part = part[1:]  # one space across the cut; none at the start
        if not part:
            continue
        if pending:
            part = " " + part
            pending = False
        if part.endswith(" "):
            part, pending = part[:-1], True
        at_start = False
        digest.update(part.encode("utf-8", "surrogatepass"))
        if length <= 256:
            head.append(part)
        length += len(part)
        spaces += part.count(" ")
    if length <= 256:
        return "".join(head), length, (spaces + 1 if length else 0)
    return digest.digest(), length, spaces + 1


def _folded_pieces(text: str) -> Iterator[str]:
    start = 0
    while len(text) - start > _FOLD_PIECE:
        cut = _FOLD_CUT.search(text, start + _FOLD_PIECE)
        if cut is None:
            break
        yield _SPACES.sub(" ", _MARKS.sub(" ", unicodedata.normalize("NFKC", text[start : cut.start()]).casefold()))
        start = cut.start()
    yield _SPACES.sub(" ", _MARKS.sub(" ", unicodedata.normalize("NFKC", text[start:]).casefold()))


def _positive(spec: RuleSpec, key: str, default: int) -> int:
    value = spec.params.get(key, default)
    if not isinstance(value, int) or value < 1:
        raise _error(spec, key, "expected a positive whole number")
    return value


class RepeatedMatcher:
    """The same paragraph (after case and whitespace folding) twice in one document."""

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        # Without spaces each character carries more (Japanese): half the length says as much.
        chars = _positive(spec, "min_chars", 40)
        self.min_chars = chars if profile.spaces else max(1, chars // 2)
        # Paragraphs by default: a heading repeated in a table of contents, or a button label
        # used twice, is structure, not a paste error.
        self.kinds = set(spec.blocks or ("paragraph",))
        words = _positive(spec, "min_words", 6)
        self.min_words = words if profile.spaces else 1  # no spaces to count words by (Japanese)
        # A paste error repeats a paragraph that says something: two sentences or more, or one
        # long sentence, anywhere; one short sentence only close to its last copy.
        self.min_sentences = _positive(spec, "min_sentences", 2)
        self.long_sentence_words = _positive(spec, "long_sentence_words", 30)
        # Three different repeated paragraphs, or one repeated three times with other paragraphs
        # between, make a template: a contact block or a Q&A set under each region or route.
        self.template_repeats = _positive(spec, "template_repeats", 3)
        self.near = _positive(spec, "near", 3)  # paragraphs apart: a one-sentence repeat this close is a slip

    def _weight(self, text: str, words: int, lang: str | None) -> int:
        """0: a label or a title; 1: one sentence; 2: two sentences or more, or a long one."""
        if not (ends_like_sentence(text) or (self.min_words > 1 and words >= 12)):
            return 0
        if self.min_words > 1 and words >= self.long_sentence_words:
            return 2
        sentences = 0
        for _ in iter_sentence_spans(text, lang=lang):
            sentences += 1
            if sentences >= self.min_sentences:
                return 2
        return 1

    def _template(self, copy_of: list[int], place: list[int]) -> bool:
        """Three different paragraphs repeated, or one repeated three times with other paragraphs
        between its copies: the page repeats a block under each section by design. (The same
        paragraph pasted over and over in a row is still a paste error, every time.)"""
        copies: dict[int, list[int]] = {}
        for i, j in enumerate(copy_of):
            if j >= 0:
                copies.setdefault(j, [j]).append(i)
        if len(copies) >= self.template_repeats:
            return True
        return any(
            len(copies_at) >= self.template_repeats and any(place[b] - place[a] > 1 for a, b in zip(copies_at, copies_at[1:]))
            for copies_at in copies.values()
        )

    def find_document(self, doc: Document, text: str, offset: int) -> Iterator[Hit]:
        # one pass and one dictionary find the copies (linear in the document)
        spans: list[tuple[int, int]] = []
        weight: list[int] = []
        copy_of: list[int] = []  # index of the first copy, or -1
        first_index: dict[str | bytes, int] = {}
        place: list[int] = []  # each span's place among all the document's blocks
        previous: list[int] = []  # index of the copy before this one, or -1
        last_index: dict[str | bytes, int] = {}
        for number, block in enumerate(doc.blocks):
            if block.kind not in self.kinds:
                continue
            text = doc.block_text(block)
            key, length, words = _paragraph_key(text)
            if length < self.min_chars or words < self.min_words:
                continue
            # A paragraph says something: a full sentence, or a long line that lost its full
            # stop. Repeated teaser titles, labels and reference lines are page structure.
            spans.append((block.start, block.end))
            place.append(number)
            weight.append(self._weight(text, words, block.lang or doc.lang))
            copy_of.append(first_index.setdefault(key, len(spans) - 1) if key in first_index else -1)
            if copy_of[-1] == -1:
                first_index[key] = len(spans) - 1
            previous.append(last_index.get(key, -1))
            last_index[key] = len(spans) - 1
        # A paragraph pasted twice is a lone copy. When its neighbour is repeated along with it, a
        # whole section is repeated: a FAQ answer under each operator's heading, a page captured
        # twice, US and EU versions of a clause. That is structure, not a paste error.
        if self._template(copy_of, place):
            return
        last = len(spans) - 1
        for i, j in enumerate(copy_of):
            # A one-sentence paragraph repeated far from its last copy is a reminder or a
            # reference line ("See our Returns Policy"); close to it, a slip of the paste.
            if j < 0:
                continue
            heaviest = max(weight[i], weight[j])  # one copy may have lost its full stop
            if heaviest == 0 or (heaviest == 1 and i - previous[i] > self.near):
                continue
            if (i > 0 and j > 0 and copy_of[i - 1] == j - 1) or (i < last and copy_of[i + 1] == j + 1):
                continue
            start, end = spans[i]
            yield Hit(start, end, doc.text[start : start + 60], related=(spans[j],))
