"""The one sentence splitter every stage uses: rule matching, finding excerpts, claims and
language detection all cut text into the same sentences.

Neutral ground (it imports nothing from rules, extraction or claims). It works on offsets only and
in time linear in the text: a regular expression finds the candidate ends (runs of end marks
followed by a space, runs holding a CJK full stop, line breaks), each judged by looking at a few
characters around it, so a 10 MB text costs one pass and a list of offsets.

A sentence ends:
- after a run of . ! ? … ‼ ⁉ ︒ ﹒ ． (and the closing quotes or brackets right after it) that is
  followed by a space or the end of the text; after 。！？｡ even when text follows at once;
- at a line break when the line looks like a heading, a salutation or a list item (short, or a list
  item follows), and at every blank line;
but not after a decimal or inside a URL or e-mail address (no space follows), not after a known
abbreviation or an initial, and not after an ordinal number before a lower-case word or a month
("am 3. Oktober", "den 17. mai"). The abbreviations and month names are in rules/sentences.yaml.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

import yaml

from .compiled import load_yaml
from .packs import builtin_pack_folder

END_MARKS = ".!?。！？…‼⁉︒﹒．｡"
# Japanese and Chinese write no space after a sentence: these end one even when text follows.
CJK_END_MARKS = "。！？｡"
# Closing quotes and brackets that belong to the sentence they follow ("Stop." / (see below.)).
CLOSERS = "\"'”’“‘»«›‹)]}」』】〕〉》）］｝＂＇"  # (“ and ‘ close German quotations: „Danke.“)
# Opening quotes and brackets before the first letter of a sentence.
OPENERS = "\"'“‘„«»‹›([{「『【〔〈《（［｛＂＇¿¡"
LINE_BREAKS = "\n\u2028\u2029"

# A line shorter than this (in columns; a CJK character takes two) is a heading, salutation or
# list line when it has no end mark. Hard-wrapped prose wraps at 60-80 columns, so its lines are
# longer and continue (a wrapped German line may well end before a capitalised noun or a name).
SHORT_LINE = 40
MAX_TOKEN = 40  # an abbreviation or ordinal is short: a longer word before a full stop is a word


def _chars(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


_M, _J, _C, _NL = _chars(END_MARKS), _chars(CJK_END_MARKS), _chars(CLOSERS), _chars(LINE_BREAKS)
_HS = r"[^\S\n\u2028\u2029]"  # a space that is not a line break
# Candidate ends. Each alternative starts only at the start of its run ((?<!…) guards) and its
# quantifiers are possessive, so a long run of marks is read once, not once per character.
_CANDIDATE = re.compile(
    rf"(?<!{_M}){_M}++{_C}*+(?=\s|\Z)"  # end marks before a space or the end of the text
    rf"|(?<!{_M}){_M}*?{_J}{_M}*+{_C}*+"  # end marks holding 。！？: an end before anything
    rf"|{_NL}(?:{_HS}*+{_NL})*+"  # line breaks (a blank line is one candidate)
)
_SPACES = re.compile(r"\s*+")
_MARK_RUN = re.compile(rf"{_M}*+")
_CJK_MARK = re.compile(_J)
_ELLIPSIS = re.compile(r"[.…]{2,}|…")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+")
# A list item starts a line: a bullet, a dash before a space, "1." / "1)" / "a)" before a space.
_LIST_ITEM = re.compile(r"(?:[-*+–—]|\d{1,3}[.)]|[A-Za-z]\))(?=\s)|[•·‣◦▪▫■□●○→►▶✓✔✗✘☐☑☒]")


@dataclass(frozen=True)
class Knowledge:
    """One language's words that change what a full stop means (see rules/sentences.yaml)."""

    abbreviations: frozenset[str] = frozenset()
    number_abbreviations: frozenset[str] = frozenset()
    final_abbreviations: frozenset[str] = frozenset()
    ordinal_months: frozenset[str] = frozenset()
    ordinal_openers: frozenset[str] = frozenset()


_KEYS = ("abbreviations", "number_abbreviations", "final_abbreviations", "ordinal_months", "ordinal_openers")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, frozenset[str]]]:
    """rules/sentences.yaml, read on first use and kept for the process: language -> key -> words."""
    try:
        data: Any = load_yaml(builtin_pack_folder() / "sentences.yaml")
    except (OSError, yaml.YAMLError):
        data = None  # a broken install: sentences still end at end marks, only abbreviations are missed
    table: dict[str, dict[str, frozenset[str]]] = {}
    for code, entry in (data or {}).items() if isinstance(data, dict) else ():
        if isinstance(entry, dict):
            table[str(code)] = {
                key: frozenset(str(word).casefold().rstrip(".") for word in entry.get(key) or [] if str(word).strip())
                for key in _KEYS
            }
    return table


@lru_cache(maxsize=64)
def knowledge(lang: str | None = None) -> Knowledge:
    """The lists for `lang` ("en", "de-AT", ...) with those of `any`; every language's when the
    language is not known (language detection splits before it knows; "und" is undetermined)."""
    table = _table()
    if not lang or lang == "und":
        codes = list(table)
    else:
        code = lang.replace("_", "-").split("-")[0].casefold()
        codes = ["any", code]
    merged = {key: frozenset().union(*(table.get(c, {}).get(key, frozenset()) for c in codes)) for key in _KEYS}
    return Knowledge(**merged)


def sentence_spans(text: str, start: int = 0, end: int | None = None, lang: str | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of text[start:end], without the spaces around them.

    The region is read as a whole text: nothing before `start` or after `end` is looked at. For
    a very large text with very many sentences, iterate iter_sentence_spans() instead.
    """
    return list(iter_sentence_spans(text, start, end, lang))


def iter_sentence_spans(text: str, start: int = 0, end: int | None = None, lang: str | None = None) -> Iterator[tuple[int, int]]:
    """sentence_spans() one at a time (a 10 MB block holds hundreds of thousands)."""
    end = len(text) if end is None else min(end, len(text))
    known = knowledge(lang)
    segment = start
    for cut in _cuts(text, start, end, known):
        span = _trimmed(text, segment, cut)
        if span is not None:
            yield span
        segment = cut
    span = _trimmed(text, segment, end)
    if span is not None:
        yield span


def first_sentence(text: str, start: int = 0, end: int | None = None, lang: str | None = None) -> tuple[int, int] | None:
    """The first sentence of text[start:end], reading no further than its end."""
    return next(iter_sentence_spans(text, start, end, lang), None)


def ends_like_sentence(text: str) -> bool:
    """Does `text` end as a sentence does: an end mark, then perhaps closing quotes or brackets,
    then perhaps spaces and emoji? (Read from the end only.)"""
    i = len(text)
    while i and (text[i - 1].isspace() or text[i - 1] == "\ufe0f" or unicodedata.category(text[i - 1]) in ("So", "Sk", "Cf")):
        i -= 1
    while i and text[i - 1] in CLOSERS:
        i -= 1
    return bool(i) and text[i - 1] in END_MARKS


def _trimmed(text: str, a: int, b: int) -> tuple[int, int] | None:
    """text[a:b] without the spaces at either end, or None when nothing is left."""
    a = _SPACES.match(text, a, b).end()  # type: ignore[union-attr]  (\s*+ always matches)
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None


def _cuts(text: str, start: int, end: int, known: Knowledge) -> Iterator[int]:
    """Offsets where a sentence ends (just after its last mark or closer, or at the end of a line)."""
    last_cut = start
    line_start = start
    for candidate in _CANDIDATE.finditer(text, start, end):
        a, b = candidate.span()
        if text[a] in LINE_BREAKS:
            cut = _line_end(text, line_start, a, b, end, last_cut)
            line_start = b
        else:
            marks_end = _MARK_RUN.match(text, a, b).end() if b - a > 1 else b  # type: ignore[union-attr]
            cjk = _CJK_MARK.search(text, a, marks_end) is not None
            cut = b if cjk or _full_stop_ends(text, start, end, a, marks_end, b, known) else None
        if cut is not None and cut > last_cut:
            yield cut
            last_cut = cut


def _line_end(text: str, line_start: int, a: int, b: int, end: int, last_cut: int) -> int | None:
    """Where the line ending at `a` ends a sentence (the end of its words), or None: the sentence
    goes on in the next line (hard-wrapped prose)."""
    line_end = a
    while line_end > line_start and text[line_end - 1].isspace():
        line_end -= 1
    words = line_start
    while words < line_end and (text[words].isspace() or text[words] == ">"):  # "> " quoting a reply
        words += 1
    if words >= line_end or last_cut >= line_end:
        return None  # a blank line, or the line already ended with a sentence
    following = _SPACES.match(text, b, end).end()  # type: ignore[union-attr]
    blank = b - a > 1 and _breaks(text, a, b) >= 2
    if blank or following >= end or _LIST_ITEM.match(text, following, end):
        return line_end  # a paragraph ends, or a list item follows
    if _width(text, words, line_end) < SHORT_LINE:
        return line_end  # a heading, a salutation, a list line
    first = following
    while first < end and first - following < 8 and text[first] in "> \t":  # a reply's "> " again
        first += 1
    next_lower = first < end and text[first].islower()
    if not next_lower and (text[line_end - 1] == ":" or _LIST_ITEM.match(text, words, line_end)):
        return line_end  # "… as follows:" / a long list item, then a new line
    return None


def _breaks(text: str, a: int, b: int) -> int:
    """Line breaks in the spaces text[a:b]; a paragraph separator counts two (a blank line)."""
    count = text.count("\n", a, b)
    if count < 2 and b - a > 1:
        count += text.count("\u2028", a, b) + 2 * text.count("\u2029", a, b)
    return count


def _width(text: str, a: int, b: int) -> int:
    """Columns of text[a:b] (a CJK character takes two); any line of SHORT_LINE characters or
    more is simply long."""
    if b - a >= SHORT_LINE:
        return b - a
    line = text[a:b]
    if line.isascii():
        return len(line)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def _full_stop_ends(text: str, start: int, end: int, a: int, marks_end: int, b: int, known: Knowledge) -> bool:
    """Does the run of end marks text[a:marks_end] (closers up to b), followed by a space or the
    end of the text, end a sentence?"""
    following = _SPACES.match(text, b, end).end()  # type: ignore[union-attr]
    if following >= end:
        return True
    if following - b > 1 and _breaks(text, b, following) >= 2:
        return True  # a blank line: a paragraph ends whatever the word before was
    n = following
    while n < end and n - following < 3 and text[n] in OPENERS:
        n += 1
    first = text[n] if n < end else ""
    lower = first.islower()
    closed = b > marks_end
    if closed and lower:
        return False  # '"Can I help?" she asked', "(see below.) and then"
    if marks_end - a > 1 or text[a] != ".":
        # an ellipsis before a lower-case word trails off inside the sentence ("… bald")
        return not (lower and _ELLIPSIS.fullmatch(text, a, marks_end) is not None)
    word = a
    while word > start and a - word <= MAX_TOKEN and not text[word - 1].isspace():
        word -= 1
    if a - word > MAX_TOKEN or any(c in "@/:" for c in text[word:a]):
        return True  # a long word, the end of a URL or e-mail address
    # the word the full stop ends: letters, digits and inner full stops ("Fr" of "Mo.–Fr.",
    # "z.B", "3.5", "inkl" of "(inkl.")
    word_start = a
    while word_start > word and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    token = text[word_start:a]
    if not token:
        return True  # a stray mark
    if _NUMBER.fullmatch(token):
        return _number_ends(text, start, end, word_start, token, closed, n, lower, known)
    folded = token.casefold()
    if folded in known.abbreviations:
        return closed and first.isupper()  # "(inkl. MwSt.) Bitte …"
    if folded in known.number_abbreviations and (first.isdigit() or first in "+#"):
        return False  # "Nr. 5", "kl. 17", "Tel. +47"
    if folded in known.final_abbreviations:
        return not (lower or first.isdigit())  # "usw. Die …", but "Mo. bis Fr."
    if len(token) == 1 and token.isalpha():
        return False  # an initial ("J. Smith") or a spaced abbreviation ("z. B.", "d. h.")
    return True


def _number_ends(text: str, start: int, end: int, word: int, token: str, closed: bool, n: int, lower: bool, known: Knowledge) -> bool:
    """A number with a full stop: an ordinal or a list number, or the end of a sentence?"""
    if not closed and len(token) <= 3 and token.isdigit() and _starts_line(text, start, word):
        return False  # "1. Open the app": a numbered list item
    if lower:
        return False  # "den 17. mai", "am 3. des Monats": an ordinal
    following = _WORD.match(text, n, min(end, n + 20))
    if following and following.group().casefold() in known.ordinal_months:
        return False  # "am 3. Oktober", "17. Mai"
    if len(token.rsplit(".", 1)[-1]) <= 2 and known.ordinal_openers:
        before = word
        while before > start and word - before < 4 and text[before - 1] in " \t\u00a0":
            before -= 1
        opener = before
        while opener > start and before - opener < 12 and text[opener - 1].isalpha():
            opener -= 1
        if opener < before and text[opener:before].casefold() in known.ordinal_openers:
            return False  # "zum 1. Mal", "am 2. Werktag"
    return True


def _starts_line(text: str, start: int, at: int) -> bool:
    """Only spaces (or a reply's ">") stand between the start of the line and `at`."""
    i = at
    while i > start and at - i < 12 and text[i - 1] in " \t>":
        i -= 1
    return i == start or text[i - 1] in LINE_BREAKS
