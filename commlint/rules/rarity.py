"""Jargon by rarity: words an ordinary reader meets too seldom to know, found with wordfreq.

A `rare` rule names the word-frequency lists to use and the thresholds, all in YAML:

    kind: rare
    wordlists: [en]          # wordfreq languages, in order; a word is as common as its best
    acronyms: 3.2            # an ACRONYM whose lower-case form is rarer than this (Zipf scale)
    mixed_case: 2.5          # camelCase and MiXeD words (eSIM, IPv6) rarer than this
    foreign: {from: en, min: 3.0, max: 2.0}   # English tech words in other copy: common in
                                              # English, rare in the copy's own lists
    foreign_nouns: {from: en, min: 3.0, max: 2.7, gap: 1.0}   # the same for Capitalised nouns
                             # and compound parts where every noun is Capitalised (German)
    words: {max: 1.8, min_length: 6}          # any lower-case word rarer than this
    known: [PIN, SMS]        # words everyone knows whatever the lists say
    explained: true          # "Service Level Agreement (SLA)" explains SLA in this document

Zipf 3 is about once per million words. Capitalised words inside a sentence (names of brands,
products, places) are left out in cased languages, and so are words the document explains.
"""
from __future__ import annotations

import weakref
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

import regex

from ..compiled import compile_pattern
from ..wordfreqs import zipf

from .matchers import BlockView, Hit, _error
from .profiles import LanguageProfile
from .spec import RuleSpec

# (compiled once here: these run for every token of every block)
_WORD = compile_pattern(r"\p{L}[\p{L}'’\-]*")
_CAPITALISED_WORDS = compile_pattern(r"\b\p{Lu}\p{Ll}+\b")
_CAPITALISED_PART = compile_pattern(r"\p{Lu}\p{Ll}+")
_WORD_PART = compile_pattern(r"\p{Lu}?\p{Ll}+")
_NAME_BEFORE = compile_pattern(r"(\p{Lu}\p{Ll}+)\s+$")
_MODEL_CODE = compile_pattern(r"^\p{Lu}\p{Ll}{0,2}\d")
_CAPITALISED_OPENING = compile_pattern(r"\p{Lu}\p{Ll}{2,}")
_LETTERS_BEFORE = compile_pattern(r"([\p{L}]+)[ \t]+$")
_LETTERS_AFTER = compile_pattern(r"[ \t]+([\p{L}]+)")
_LOWER_WORD = compile_pattern(r"(?<!\p{L})\p{Ll}{3,}")
_CAPITALISED_NEXT = compile_pattern(r"\s+\p{Lu}\p{Ll}{2,}")
_REFERENCE_CODE = compile_pattern(r"[\p{Lu}\d]*-[\p{Lu}\d\-]*\d")
_REFERENCE_CODE_BEFORE = compile_pattern(r"\d[\p{Lu}\d]*-$")
_HYPHEN_PARTS = compile_pattern(r"[^\-]+")
_NUMBER_NEXT = compile_pattern(r"\s+\d")
_NUMBERED_BEFORE = compile_pattern(r"\d[\p{L}\d]*\s+$")


if TYPE_CHECKING:
    from ..model import Document

_ACRONYM = compile_pattern(r"^\p{Lu}[\p{Lu}&]{1,5}(?:s)?$")  # letters only: KT13 and B6142 are codes
_MIXED = compile_pattern(r"^(?=.*\p{Ll})(?=.*\p{Lu})(?!\p{Lu}\p{Ll}+$)[\p{L}\d]{3,}$")
_PLAIN_WORD = compile_pattern(r"^[\p{L}][\p{L}\-]*[\p{L}]$")
# "Service Level Agreement (SLA)", '(the "FBA")', "SLA (service level agreement)" and the language's
# "FTTP stands for …" (context.explains in rules/languages/<lang>.yaml): explained where it is used.
_TERM = r"[\p{L}][\p{L}\d&\-]{1,24}"
_BRACKETED = compile_pattern(r"[(（]\s*(?:the\s+)?[\"“'‘]?(" + _TERM + r"(?: " + _TERM + r"){0,2})[\"”'’]?\s*[)）]|(" + _TERM + r")[\"”'’]?\s*[(（](?=[^)）]{6,})")


@lru_cache(maxsize=64)
def _explains_pattern(phrases: tuple[str, ...], before: tuple[str, ...] = ()) -> "regex.Pattern[str] | None":
    """TERM + phrase ("FTTP stands for"), or phrase + TERM ("Internetdienstanbieter – kurz ISP")."""
    forms = []
    if phrases:
        # (a word boundary after phrases in a spaced script; Japanese runs on: 「IPoE」という言葉も)
        alternatives = "|".join(regex.escape(p) + (r"\b" if p[-1:].isascii() else "") for p in phrases)
        forms.append(r"(" + _TERM + r")[\"”'’」』]?,?\s?(?:" + alternatives + r")")
    if before:
        forms.append(r"\b(?:" + "|".join(regex.escape(p) for p in before) + r")[:,]?\s+[\"“„'‘]?(" + _TERM + r")")
    return compile_pattern("|".join(forms), regex.IGNORECASE) if forms else None


_WORD = compile_pattern(r"[\p{L}\p{N}][\p{L}\p{N}\-_.]*[\p{L}\p{N}]|[\p{L}\p{N}]", regex.V1)
_REPLY_SUBJECT = compile_pattern(r"^\s*(?:re|aw|sv|vs|balas|fw|fwd|wg)\s*:", regex.IGNORECASE)
READERS_WORDS_LIMIT = 200_000  # characters of quoted text read for the reader's words


def _readers_words(doc: "Document") -> set[str]:
    """The reader's own words: a quoted earlier message, or the subject of a reply ("Re: …"). A
    term the customer wrote to us ("webhook", "DNS record") is one they know."""
    words: set[str] = set()
    budget = READERS_WORDS_LIMIT
    for block in doc.blocks:
        if block.kind not in ("quote", "subject") or budget <= 0:
            continue
        text = doc.block_text(block)[:budget]
        if block.kind == "subject" and not _REPLY_SUBJECT.match(text):
            continue
        budget -= len(text)
        found = [fold_term(m.group(0)) for m in _WORD.finditer(text)]
        words.update(found)
        words.update(f"{a} {b}" for a, b in zip(found, found[1:]))
    return words


class _DocumentFacts:
    """What the rarity checks learn about one document, worked out once: the terms it explains,
    the initials of its words, and the words it writes Capitalised (names: "Ning", "Qobuz")."""

    def __init__(self, doc: "Document", phrases: tuple[str, ...], before: tuple[str, ...] = ()) -> None:
        text = doc.text[:2_000_000]
        found = {fold_term(next(g for g in m.groups() if g)) for m in _BRACKETED.finditer(text)}
        pattern = _explains_pattern(phrases, before)
        if pattern is not None:
            found.update(fold_term(next(g for g in m.groups() if g)) for m in pattern.finditer(text))
        found.update(_readers_words(doc))
        for match in _LABEL.finditer(text):
            label = fold_term(match.group(1))
            found.add(label)
            found.update(label.split())  # "WLAN berkedip:": the term is the label's first word
        self.explained = frozenset(found)
        self._text = text
        self._path = doc.path.casefold()
        self._initials: str | None = None
        self._capitalised: frozenset[str] | None = None
        self._spelled: dict[str, bool] = {}
        self._own: frozenset[str] | None = None
        self._title = " ".join(doc.block_text(b) for b in doc.blocks[:40] if b.kind in ("title", "subject"))[:2000]

    def spelled_out(self, acronym: str) -> bool:
        if acronym not in self._spelled:  # each acronym's search runs once per document
            self._spelled[acronym] = self._spells_out(acronym)
        return self._spelled[acronym]

    def _spells_out(self, acronym: str) -> bool:
        """The document spells the acronym out: "General Data Protection Regulation" for GDPR,
        "Fulfillment by Amazon" for FBA (first and last words capitalised)."""
        if self._initials is None:
            # one letter per word, capitals kept: "by" gives b and "Amazon" A
            self._initials = "".join(w[0] for w in _WORD.findall(self._text))
        letters = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
        if len(letters) < 2:
            return False
        middle = "".join(f"[{ch.upper()}{ch.lower()}]" for ch in letters[1:-1])
        if regex.search(regex.escape(letters[0]) + middle + regex.escape(letters[-1]), self._initials):
            return True
        # "software development kits (or SDKs)": spelled out in lower case, just before it
        for match in regex.finditer(r"\((?:or\s+|i\.e\.\s+|e\.g\.\s+)?" + regex.escape(acronym) + r"\)", self._text):
            words = _WORD.findall(self._text[max(0, match.start() - 120) : match.start()])
            if "".join(w[0] for w in words[-len(letters):]).casefold() == letters.casefold():
                return True
        return False

    def is_name(self, word: str) -> bool:
        """A word in capitals that the document also writes as a name (NING and Ning), that
        names the file (IGN_Entertainment__Terms.md) or the document itself (its title or
        subject: "フィットネスAZUMA"), or that the document numbers somewhere ("ATOL 11842": a
        scheme or register the reader can look up)."""
        if self._capitalised is None:
            self._capitalised = frozenset(_CAPITALISED_WORDS.findall(self._text))
        if self._own is None:
            self._own = frozenset(_ACRONYM_IN_TEXT.findall(self._title)) | frozenset(m.group(1) for m in _NUMBERED.finditer(self._text))
        return word[:1] + word[1:].lower() in self._capitalised or word.casefold() in self._path or word in self._own


# The document being linted (one at a time), held weakly: a later document never sees its facts.
_FACTS: "tuple[weakref.ref[Document], _DocumentFacts] | None" = None


def document_facts(doc: "Document", phrases: tuple[str, ...] = (), before: tuple[str, ...] = ()) -> _DocumentFacts:
    global _FACTS
    if _FACTS is None or _FACTS[0]() is not doc:
        _FACTS = (weakref.ref(doc), _DocumentFacts(doc, phrases, before))
    return _FACTS[1]


def explained_terms(doc: "Document", phrases: tuple[str, ...] = (), before: tuple[str, ...] = ()) -> frozenset[str]:
    """Terms the document explains (folded)."""
    return document_facts(doc, phrases, before).explained


def _last_mark(text: str, at: int, reach: int = 200) -> str:
    """The last character before `at` that is not white space ("" if none near): looked up
    backwards, not by copying the text before it (that was quadratic in the block)."""
    i = at - 1
    stop = max(-1, at - 1 - reach)
    while i > stop and text[i].isspace():
        i -= 1
    return text[i] if i > stop else ""


def fold_term(text: str) -> str:
    return text.strip().casefold()


# a glossary or legend entry: a term of up to three words opens a line, then a colon or a dash
# and its explanation ("WLAN: the wireless network", "ONT – the box where the fibre ends")
_LABEL = compile_pattern(r"(?m)^[^\S\n]*[-*•]?[^\S\n]*([^\s:–—]{2,40}(?:[^\S\n]+[^\s:–—]{1,40}){0,2})[^\S\n]*(?::|[^\S\n][–—-])[^\S\n]*\S", regex.V1)
# (a space, not a hyphen: German and Norwegian build their jargon as "OCR-Pipeline", "LMS-Plattform")
# (the noun ends the phrase: a label or list item such as "MSI installer", "the older ESR version,";
# "The BMS keeps your battery cool" has a verb there)
_NEXT_WORD = compile_pattern(r"[^\S\n]((?:\p{L}{3,})|[\p{Katakana}ー]{3,})(?=\s*(?:[.,;:!?)）、。]|\n|$))", regex.V1)
KIND_NOUN_ZIPF = 3.5  # an everyday word: about three times in a million
# a name in capitals in the title: glued to Japanese letters ("フィットネスAZUMA"), or five letters
# and more (an acronym of FTTH's length in a subject line is as likely jargon as a name)
_ACRONYM_IN_TEXT = compile_pattern(r"(?<=[\p{Katakana}\p{Han}\p{Hiragana}ー])\p{Lu}{2,}(?![\p{Lu}\p{Ll}])|(?<![\p{Lu}\p{Ll}])\p{Lu}{2,}(?=[\p{Katakana}\p{Han}\p{Hiragana}])|(?<![\p{L}])\p{Lu}{5,}(?![\p{L}])", regex.V1)
_NUMBERED = compile_pattern(r"(?<![\p{L}])(\p{Lu}{2,})\s+\d{3,}", regex.V1)
_GLUED = compile_pattern(r"^[\p{Lu}\d]{2,}\p{Ll}{3,}$", regex.V1)
_KATAKANA = compile_pattern(r"^[\p{Katakana}ー・]{4,}$")


_TECHNICAL_TOKEN = compile_pattern(r"(?<![\p{L}\d])(?:\p{Lu}{2,}[\p{L}\d]*|\p{Ll}*\p{Lu}?\p{Ll}+\p{Lu}[\p{L}\d]*|[\p{L}]+\d[\p{L}\d]*|\d+\p{L}[\p{L}\d]*)(?![\p{L}\d])")


# A number, perhaps with its unit or "in", just before a token: the token is a unit, a spec or
# a currency ("32 vCPUs", "128 GB vRAM", "$1500 in BNB")
_AFTER_AMOUNT = compile_pattern(r"\d(?:[\d.,]*\d)?(?:\s*[\p{Lu}\p{Ll}]{1,3}\s+|\s+in\s+|\s*)$")

# What each kind of hit is, for the message ("“CPE” is an acronym most customers will not know").
_WHAT = {"acronym": "an acronym", "technical": "a technical code", "foreign": "an English word", "rare": "a rare word", "loanword": "a rare loanword"}
# A token this long is an identifier (a key, a wallet address, a hash), never a term to explain.
IDENTIFIER_LENGTH = 20
MAX_REMEMBERED_WORDS = 200_000  # answers of _why kept per matcher; past it they start again
_UNKNOWN = object()


def _codes(value: Any) -> tuple[str, ...]:
    """`from: en` or `from: [en, de]`: the wordfreq lists a loanword comes from."""
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),) if value else ()


def _mostly_capitals(text: str, min_letters: int = 1) -> bool:
    """Most letters of the text are capitals (over 60 %)."""
    letters = sum(map(str.isalpha, text))
    return letters >= min_letters and sum(map(str.isupper, text)) / letters > 0.6


def _inside(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    """`at` falls in one of the sorted, separate spans."""
    i = bisect_right(starts, at) - 1
    return i >= 0 and at < spans[i][1]


class RarityMatcher:
    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        self._reasons: dict[str, object] = {}
        self.spec = spec
        params = spec.params
        lists = params.get("wordlists")
        if not isinstance(lists, list) or not lists or not all(isinstance(x, str) for x in lists):
            raise _error(spec, "wordlists", "expected a list of wordfreq language codes, e.g. [en]")
        self.lists = tuple(lists)
        self.acronyms = self._number("acronyms")
        self.technical_per_sentence = int(params.get("technical_per_sentence", 1))
        self.mixed = self._number("mixed_case")
        self.katakana = self._number("katakana")
        foreign = params.get("foreign") or {}
        words = params.get("words") or {}
        if not isinstance(foreign, dict) or not isinstance(words, dict):
            raise _error(spec, "foreign", "expected a mapping")
        self.foreign_from = _codes(foreign.get("from"))
        self.foreign_min = float(foreign.get("min", 3.0))
        self.foreign_max = float(foreign.get("max", 2.0))
        nouns = params.get("foreign_nouns") or {}
        if not isinstance(nouns, dict):
            raise _error(spec, "foreign_nouns", "expected a mapping")
        self.noun_from = _codes(nouns.get("from"))
        self.noun_min = float(nouns.get("min", 3.0))
        self.noun_max = float(nouns.get("max", 2.7))
        self.noun_gap = float(nouns.get("gap", 1.0))
        self.noun_endings = tuple(str(e) for e in nouns.get("endings", []) or [])
        self.word_max = float(words["max"]) if "max" in words else None
        self.word_min_length = int(words.get("min_length", 6))
        self.known = {k.casefold() for k in params.get("known", []) or []}
        # words after which a token in capitals is a code to type in: "with code FRIYAY"
        code_words = params.get("code_words") or []
        if not isinstance(code_words, list) or not all(isinstance(w, str) for w in code_words):
            raise _error(spec, "code_words", "expected a list of words")
        self.code_before = (
            compile_pattern(r"(?:" + "|".join(regex.escape(w) for w in sorted(code_words, key=len, reverse=True)) + r")[\s:：]*$", regex.IGNORECASE | regex.V1)
            if code_words else None
        )
        self.explained = bool(params.get("explained", True))
        # Skip sentences mostly of words the lists do not hold (another language, filler text).
        # Off for a language the lists do not cover (Sundanese looked up in Indonesian lists).
        self.skip_unlisted = bool(params.get("skip_unlisted_sentences", True))
        self.cased = profile.spaces and profile.claim_context().names != "none"
        self.nouns_capitalised = profile.claim_context().names == "hyphenated"
        # kinds reported only with another technical term in their sentence; a Capitalised
        # English word in German copy alone is most often a name ("Firefox Flicks", "Beringer
        # Vineyards"), and English jargon comes in clusters ("eSIM-Provisioning per OTA")
        self._needs_company = ("acronym", "technical", "foreign") if self.nouns_capitalised else ("acronym", "technical")
        self.explains = profile.claim_context().explains
        self.explains_before = profile.claim_context().explains_before

    def _number(self, key: str) -> float | None:
        raw = self.spec.params.get(key)
        if raw is None:
            return None
        if not isinstance(raw, (int, float)):
            raise _error(self.spec, key, "expected a number on the Zipf scale (0-8)")
        return float(raw)


    def _brand(self, word: str) -> bool:
        """SafeNest, ParentPay: Capitalised parts that are each an everyday word make a name."""
        stem = word[1:] if word[:1] in ("e", "i", "m") and word[1:2].isupper() else word  # eBooks, iPhone
        parts = _CAPITALISED_PART.findall(stem)
        if stem != word and len(parts) == 1:
            return zipf(parts[0].casefold(), self.lists + ("en",)) >= 3.0
        # (a part of two letters must be a very common word, "Ad" in AdGuard: "Vo" + "Wi" + "Fi" are
        # syllables, not words)
        return len(parts) >= 2 and "".join(parts) == stem and all(zipf(p.casefold(), self.lists + ("en",)) >= (3.0 if len(p) >= 3 else 4.5) for p in parts)

    def _joined(self, word: str) -> bool:
        parts = _WORD_PART.findall(word)
        return len(parts) >= 2 and "".join(parts) == word and all(zipf(p.casefold(), self.lists) >= 3.0 for p in parts)

    def _names_its_kind(self, tokens: Any, text: str, end: int) -> bool:
        """The acronym modifies an everyday noun right after it ("MSI installer", "APT repository",
        "IRL ポッドキャスト"): the reader learns what kind of thing it is, and it reads as a name."""
        found = _NEXT_WORD.match(text, end)
        if not found:
            return False
        noun = found.group(1)
        # (spaCy's stop words of the language: "VLAN on your router" is not a kind of thing)
        is_stop = tokens is not None and tokens.is_stop(noun.casefold())
        return not is_stop and zipf(noun.casefold(), self.lists) >= KIND_NOUN_ZIPF

    def _glued(self, word: str) -> bool:
        """Capitals, then an everyday word, with or without its own capital: "URL" + "Copied",
        "SRE" + "update"."""
        last = max(i for i, ch in enumerate(word) if ch.isupper() or ch.isdigit())
        tails = (word[last:], word[last + 1 :])
        return any(len(t) >= 3 and zipf(t.casefold(), self.lists + ("en",)) >= 3.5 for t in tails)

    def _in_capitals(self, tokens: Any, i: int) -> bool:
        """A neighbouring word is an everyday word in capitals: the line is set in capitals."""
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < len(tokens):
                other = tokens[j].text
                if len(other) >= 3 and other.isupper() and other.isalpha() and zipf(other.casefold(), self.lists) >= 3.0:
                    return True
        return False

    @staticmethod
    def _after_name(text: str, at: int) -> bool:
        """The word before is Capitalised inside a sentence (not "The" opening one)."""
        found = _NAME_BEFORE.search(text[max(0, at - 40) : at])
        if not found:
            return False
        before = _last_mark(text, max(0, at - 40) + found.start())
        return bool(before) and before not in ".!?:;\n•*-–—\"“("

    def _why(self, word: str) -> str | None:
        """Why the word, wherever it stands, may be jargon ("acronym", "technical", "loanword",
        "foreign", "rare"), or None. Asked once per distinct word in a process: a word repeats
        down a page, and the answer depends on the word alone."""
        known = self._reasons.get(word, _UNKNOWN)
        if known is _UNKNOWN:
            if len(self._reasons) >= MAX_REMEMBERED_WORDS:
                self._reasons.clear()
            known = self._reasons[word] = self._reason(word)
        return known  # type: ignore[return-value]

    def _reason(self, word: str) -> str | None:
        folded = word.casefold()
        if folded in self.known or folded.removesuffix("s") in self.known or len(word) < 2 or "_" in word:
            return None
        if _ACRONYM.match(word):
            if len(word) >= 5 and zipf(folded, self.lists) >= 2.5:
                return None  # an ordinary word in capitals (WAIVE), not an acronym
            if self.acronyms is not None and zipf(folded.rstrip("s") if word.endswith("s") and word[:-1].isupper() else folded, self.lists) < self.acronyms:
                return "acronym"
            return None
        if _MODEL_CODE.match(word):
            return None  # an amount or a unit with its number: Rp50, Kr100, No5
        if _MIXED.match(word) and _CAPITALISED_OPENING.match(word):
            return None  # NordVPN, DocuSign, System1: a name
        if _MIXED.match(word) and self._joined(word):
            return None  # "informationBusiness": two words that lost their space
        if _GLUED.match(word) and self._glued(word):
            return None  # "URLCopied", "SREupdate", "NINGTerms": a label and a word whose space the page lost
        if _MIXED.match(word) and not self._brand(word):
            if self.mixed is not None and zipf(folded, self.lists) < self.mixed and zipf(folded, ("en",)) < self.mixed:
                return "technical"
            return None
        if self.katakana is not None and _KATAKANA.match(word):
            return "loanword" if zipf(word, self.lists) < self.katakana else None
        if not _PLAIN_WORD.match(word):
            return None
        if self.cased and word[:1].isupper() and not self.nouns_capitalised:
            return None  # a name (brands, products, places), or an everyday word opening a sentence
        parts = [p for p in folded.split("-") if p]
        if len(parts) == 2 and parts[0] == parts[1]:
            return None  # a doubled word (Indonesian orang-orang, hati-hati), not a loan
        own = zipf(folded, self.lists)
        # a word of the copy's own language with an affix or a prefix is not a loan: Indonesian
        # "se-Indonesia" (nationwide), "non-member" (member is Indonesian too), "pre-sale"
        stem = max(parts, key=len)
        stem_known = len(parts) > 1 and len(stem) >= 4 and all(len(p) <= 3 for p in parts if p != stem) and zipf(stem, self.lists) >= self.foreign_max
        if self.foreign_from and own < self.foreign_max and not stem_known and all(zipf(p, self.foreign_from) >= self.foreign_min for p in parts):
            if not self.nouns_capitalised or word[:1].islower():
                return "foreign"
        if self.noun_from and self.nouns_capitalised and word[:1].isupper() and self._english_part(parts):
            return "foreign"  # "Provisioning", "Claims-Portal", "Edge-Caching" in German copy
        if self.word_max is not None and len(folded) >= self.word_min_length and own < self.word_max:
            if "-" in folded and all(zipf(p, self.lists) >= self.word_max for p in parts):
                return None  # a compound of known words
            return "rare"
        return None

    def _in_english_phrase(self, text: str, at: int, word: str) -> bool:
        """The word before or after is English too: the copy quotes an English name or title."""
        before = _LETTERS_BEFORE.search(text[max(0, at - 40) : at])
        after = _LETTERS_AFTER.match(text[at + len(word) : at + len(word) + 40])
        return any(found is not None and self._commoner_in_english(found.group(1).casefold()) for found in (before, after))

    def _commoner_in_english(self, word: str, rare_here: bool = False) -> bool:
        """Common in English and far commoner there than in the copy's language (and, with
        `rare_here`, rare in the latter)."""
        theirs, ours = zipf(word, self.noun_from), zipf(word, self.lists)
        return theirs >= self.noun_min and theirs - ours >= self.noun_gap and (not rare_here or ours < self.noun_max)

    def _english_part(self, parts: list[str]) -> bool:
        """A part far commoner in English than in the copy's language, and rare in the latter."""
        for part in parts:
            if len(part) < 4:
                continue
            if not self._commoner_in_english(part, rare_here=True):
                continue
            # an inflected form of a word of the language: German "des Passes" (Pass)
            if not any(part.endswith(end) and zipf(part[: -len(end)], self.lists) >= self.noun_max for end in self.noun_endings):
                return True
        return False

    @staticmethod
    def _shouted_sentences(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentences of three words or more written in capitals ("PUNTEN ATUH, DIBERESKEUN
        DEUI!"): every word looks like an acronym there (shouting is the tone rules' business)."""
        return [(a, b) for a, b in sentences if len(text[a:b].split()) >= 3 and _mostly_capitals(text[a:b], min_letters=12)]

    def _foreign_sentences(self, view: BlockView, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentences mostly of words in none of the lists: another language, or filler text
        (lorem ipsum), where every word would look rare."""
        out = []
        for a, b in sentences:
            words = _LOWER_WORD.findall(view.text[a:b])  # whole words, not noun tails
            if len(words) >= 4 and sum(1 for w in words if w not in self.known and zipf(w, self.lists) < 2.5) / len(words) > 0.4:
                out.append((a, b))
        return out

    def find(self, view: BlockView) -> Iterator[Hit]:
        explained = document_facts(view.doc, self.explains, self.explains_before).explained if self.explained else frozenset()
        text = view.text
        if _mostly_capitals(text):
            return  # a line in capitals: every word looks like an acronym
        sentences = view.sentences
        starts = {a for a, _ in sentences}
        # sentences not looked into: another language or filler, and sentences in capitals
        # (sorted and apart, so a token's sentence is found by bisection, not by a scan)
        skipped = sorted((self._foreign_sentences(view, sentences) if self.skip_unlisted else []) + self._shouted_sentences(text, sentences))
        skipped_starts = [a for a, _ in skipped]
        seen: set[str] = set()
        found: list[Hit] = []
        previous_end = -1
        for token in view.tokens:
            word = token.text
            at = token.idx
            word_before_ends, previous_end = previous_end, at + len(word)
            if len(word) >= IDENTIFIER_LENGTH or word in seen:
                continue
            if self._why(word) is None and "-" not in word.strip("-"):
                continue  # (most words: nothing to report whatever their place, so the place is not read)
            # a sentence start, or the first word after a line break, bullet or colon
            gap = text[max(word_before_ends, 0) : at]
            before = _last_mark(text, at)
            sentence_start = at in starts or word_before_ends < 0 or "\n" in gap or before in (":", "•", "-", "–", "—", "*", "“", '"', "(")
            if fold_term(word) in explained or _inside(skipped, skipped_starts, at):
                continue
            if text[at - 1 : at] in ("#", "@", "[", "/", "<", "{", "%", "$", "*") or text[at + len(word) : at + len(word) + 1] in ("]", "/", ">", "}", "%"):
                continue  # hashtags, handles, form fields ([DD/MM/YYYY]) and template tags
            if _ACRONYM.match(word) and not self.nouns_capitalised and (
                (not sentence_start and self._after_name(text, at)) or _CAPITALISED_NEXT.match(text[at + len(word) : at + len(word) + 30])
            ):
                continue  # part of a name: "Oakridge BS", "Moorside Broadband CIC", "IRL Podcast"
            if _REFERENCE_CODE.match(text[at : at + 30]) or _REFERENCE_CODE_BEFORE.search(text[max(0, at - 12) : at]):
                continue  # a reference code: BGO-NB-12345, LM-C-77105
            why = self._why(word)
            if why is None and "-" in word.strip("-"):
                # a compound joined by hyphens ("BNG-Cluster", "PPPoE-Session"): its parts are tried
                for part in _HYPHEN_PARTS.finditer(word):
                    if part.group(0) not in seen and self._why(part.group(0)) in ("acronym", "technical"):
                        word, at = part.group(0), at + part.start()
                        why = self._why(word)
                        break
            if why is None:
                continue
            if why == "foreign" and self.nouns_capitalised and self._in_english_phrase(text, at, word):
                continue  # a name or a title in English: "Code of Conduct", "Tasty Shreds"
            if why in ("acronym", "technical") and _AFTER_AMOUNT.search(text[max(0, at - 24) : at]):
                continue  # a unit or a spec after its number: "32 vCPUs", "128 GB vRAM", "$1500 in BNB"
            if why == "acronym":
                facts = document_facts(view.doc, self.explains, self.explains_before)
                if (self.explained and facts.spelled_out(word)) or facts.is_name(word):
                    continue
                if self.code_before is not None and self.code_before.search(text[max(0, at - 30) : at]):
                    continue  # a code to type in: "with code FRIYAY", "kode promo HEMAT50"
                if _NUMBER_NEXT.match(text[at + len(word) : at + len(word) + 3]) or _NUMBERED_BEFORE.search(text[max(0, at - 12) : at]):
                    continue  # a code with a number: "NV 89117", "HP 4100", a number plate "KX19 HLT"
                if self._in_capitals(view.tokens, token.i):
                    continue  # a word of a line in capitals
                if self._names_its_kind(view.tokens, text, at + len(word)):
                    continue  # "MSI installer", "APT repository": the noun says what it is
            seen.add(word)  # each word once per block
            found.append(Hit(view.start + at, view.start + at + len(word), word, values=(("kind", why), ("what", _WHAT[why]))))
        yield from self._with_company(found, view.start, sentences, text)

    def _technical_tokens(self, sentence: str) -> set[str]:
        """Tokens of a sentence that look technical whatever their frequency: capitals in a row
        ("BNG", "PPPoE"), letters with digits ("AES-256", "n78", "5xx", "VO2max"), camelCase."""
        out = set()
        for m in _TECHNICAL_TOKEN.finditer(sentence):
            word = m.group(0)
            folded = word.casefold()
            if len(word) >= IDENTIFIER_LENGTH or folded in self.known or folded.rstrip("s") in self.known or (word.isalpha() and zipf(folded, self.lists) >= 3.0) or self._brand(word):
                continue
            out.add(word)
        return out

    def _with_company(self, found: list[Hit], offset: int, sentences: list[tuple[int, int]], text: str) -> Iterator[Hit]:
        """Acronyms and codes ("SLA", "ESXi") whose sentence holds at least
        `technical_per_sentence` technical terms (this matcher's hits, and tokens that look
        technical: "AES-256", "n78"), and every other kind of hit. On real pages an acronym or a
        code alone is most often a name (a law, a company, a currency, a product: "muxData") or
        a term of the page's own readers ("MSI" for administrators); copy that loses its
        customer leans on several ("a 99.9 % SLA and free CPE", "a fault in the BNG cluster
        dropped PPPoE sessions")."""
        if self.technical_per_sentence <= 1:
            yield from found
            return
        starts = [a for a, _ in sentences]
        per_sentence: dict[int, set[str]] = {}
        for hit in found:
            key = bisect_right(starts, hit.start - offset)
            if key not in per_sentence:
                a, b = sentences[key - 1] if key else (0, len(text))
                per_sentence[key] = self._technical_tokens(text[a:b])
            per_sentence[key].add(hit.match)
        for hit in found:
            if dict(hit.values)["kind"] not in self._needs_company or len(per_sentence[bisect_right(starts, hit.start - offset)]) >= self.technical_per_sentence:
                yield hit
