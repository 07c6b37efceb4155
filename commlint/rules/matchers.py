"""The kinds of matcher a YAML rule can use. Each finds hits in one block (or one document).

A hit is a character span in Document.text plus the words to show in the message.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator

import regex

from ..compiled import compile_pattern, multi_folds
from ..sentences import END_MARKS, iter_sentence_spans, sentence_spans
from .profiles import LanguageProfile
from .spec import RuleFileError, RuleSpec

if TYPE_CHECKING:
    from ..model import Document
    from .tokenizer import Tokens


@dataclass(frozen=True)
class Hit:
    start: int  # offsets in Document.text
    end: int
    match: str
    suggestion: str | None = None
    values: tuple[tuple[str, str], ...] = ()  # extra message fields, e.g. ("value", "47")
    related: tuple[tuple[int, int], ...] = ()  # other spans taking part (duplicates)


@dataclass
class BlockView:
    """One block as the matchers see it: its text, tokens, sentences and language."""

    doc: "Document"
    start: int  # offset of the block in doc.text
    text: str
    kind: str
    lang: str
    profile: LanguageProfile
    tokens: "Tokens"
    _sentences: list[tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the sentences in `text` (commlint.sentences), worked out once
        per view: nlp.tokens() has already split the text it tokenised."""
        if self._sentences is None:
            from .nlp import SENTENCES

            known = self.tokens.user_data.get(SENTENCES) if self.tokens is not None else None
            self._sentences = known if known is not None else sentence_spans(self.text, lang=self.lang)
        return self._sentences


def _error(spec: RuleSpec, key: str, problem: str) -> RuleFileError:
    return RuleFileError(f"{spec.file}, rule '{spec.id}', key '{key}': {problem}")


def _compile_regex(spec: RuleSpec, key: str, pattern: str, flags: int, simple: str | None = None) -> "regex.Pattern[str]":
    try:
        return compile_pattern(pattern, flags, simple)
    except regex.error as error:
        raise _error(spec, key, f"invalid regular expression {pattern!r}: {error}") from error


def _term_table(spec: RuleSpec) -> dict[str, str | None]:
    """terms: a list of strings, or a mapping term -> its plain-language replacement."""
    raw = spec.params.get("terms")
    if isinstance(raw, list) and all(isinstance(t, str) for t in raw):
        return {t: None for t in raw}
    if isinstance(raw, dict) and all(isinstance(k, str) and isinstance(v, (str, type(None))) for k, v in raw.items()):
        return dict(raw)
    raise _error(spec, "terms", "expected a list of terms or a mapping term: suggestion")


class TermsMatcher:
    """Words and phrases, case-insensitive, whole words (or characters where no spaces).

    `*` in a term matches any letters; `inflect: true` also accepts the language's endings.
    """

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        self.spec = spec
        table = _term_table(spec)
        flags = regex.V1 | (0 if spec.params.get("case_sensitive") else regex.IGNORECASE)
        inflect = bool(spec.params.get("inflect")) and profile.suffixes
        endings = "(?:" + "|".join(map(regex.escape, sorted(profile.suffixes, key=len, reverse=True))) + ")?" if inflect else ""
        alternatives: list[str] = []
        self.suggestions: dict[str, str | None] = {}
        for term in sorted(table, key=len, reverse=True):
            parts = [regex.escape(part).replace(r"\*", r"\w*") for part in term.split()]
            body = r"[\s\-]+".join(parts) if profile.spaces else "".join(parts)
            alternatives.append(body + endings)
            if inflect and body.endswith("e"):
                # a final -e gives way to the ending: synergize -> synergizing, garantiere -> garantiert
                alternatives.append(body[:-1] + endings.removesuffix("?"))
            self.suggestions[_fold(term.replace("*", ""))] = table[term]
        # A term can start only with one of the terms' first letters: checked first, it spares the
        # long alternation (and its look-behind) at most positions of the text.
        ignore_case = bool(flags & regex.IGNORECASE)
        if profile.spaces:
            body = r"(?<![\w\-])(?:" + "|".join(alternatives) + r")(?![\w\-])"
        else:
            body = "(?:" + "|".join(alternatives) + ")"
        # (the letters that fold to several are needed only with full case folding)
        simple = _first_letters(table, ignore_case, full_case=False) + body
        self.pattern = _compile_regex(spec, "terms", _first_letters(table, ignore_case) + body, flags, simple)
        self.plain_terms = [(_fold(t.replace("*", "")), t) for t in table]
        self.token_aligned = not profile.spaces
        self.plain_hint = profile.plain_hint

    def suggestion_for(self, matched: str) -> str | None:
        folded = _fold(matched)
        if folded in self.suggestions:
            return self.suggestions[folded]
        for key, term in self.plain_terms:  # an inflected form: longest term that starts it
            if key and folded.startswith(key[: max(3, len(key) - 2)]):
                return self.suggestions.get(key)
        return None

    def find(self, view: BlockView) -> Iterator[Hit]:
        starts: set[int] = set()
        ends: set[int] = set()
        if self.token_aligned:
            # Without spaces a term must still be whole tokens: 必ず, not the start of 必ずしも.
            starts = {t.idx for t in view.tokens}
            ends = {t.idx + len(t.text) for t in view.tokens}
        for match in self.pattern.finditer(view.text):
            if self.token_aligned and (match.start() not in starts or match.end() not in ends):
                continue
            plain = self.suggestion_for(match.group(0)) or ""
            hint = self.plain_hint.replace("{plain}", plain) if plain else ""
            yield Hit(view.start + match.start(), view.start + match.end(), match.group(0), values=(("plain", plain), ("plain_hint", hint)))


def _first_letters(terms: Iterable[str], ignore_case: bool, full_case: bool = True) -> str:
    """A look-ahead for the characters a term can start with ("" when any term can start with
    anything). Without case, a letter that folds to several ("ß" to "ss", "ﬁ" to "fi") is
    added where a term starts with the first of them, as the full case folding matches it."""
    firsts = {term[:1] for term in terms}
    if not firsts or "" in firsts or "*" in firsts:
        return ""
    if ignore_case and full_case:
        folded = {c.casefold()[:1] for c in firsts}
        firsts |= {c for c, fold in multi_folds() if fold in folded}
    return "(?=[" + "".join(regex.escape(c) for c in sorted(firsts)) + "])"


class RegexMatcher:
    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        patterns = spec.params.get("patterns")
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
            raise _error(spec, "patterns", "expected a list of regular expressions")
        flags = regex.V1 | (0 if spec.params.get("case_sensitive") else regex.IGNORECASE)
        self.patterns = [_compile_regex(spec, "patterns", p, flags) for p in patterns]

    def find(self, view: BlockView) -> Iterator[Hit]:
        for pattern in self.patterns:
            for match in pattern.finditer(view.text):
                if match.end() > match.start():
                    yield Hit(view.start + match.start(), view.start + match.end(), match.group(0))


class TokenPatternMatcher:
    """spaCy Matcher patterns, written in YAML as lists of token dicts.

    spaCy is imported, and its Matcher built, only for a block the patterns could match (see
    could_match): a run whose copy holds none of their words never loads spaCy."""

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        patterns = spec.params.get("patterns")
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, list) for p in patterns):
            raise _error(spec, "patterns", "expected a list of token patterns (each a list of token mappings)")
        self.spec = spec
        self.patterns = patterns
        self.spacy_lang = profile.spacy
        self.needs = _needs(patterns)
        from .sequences import compile_patterns

        self.sequences = compile_patterns(patterns)  # None: only spaCy's Matcher can read them
        self._matcher: Any = None
        self._generation = -1  # of the pipeline whose vocabulary the Matcher holds (see nlp.generation)

    def validate(self) -> None:
        """Build the patterns against a bare vocabulary: a broken one is reported at once."""
        from spacy.matcher import Matcher
        from spacy.vocab import Vocab

        self._add(Matcher(Vocab()))

    def _add(self, matcher: Any) -> Any:
        try:
            matcher.add(self.spec.id, self.patterns)
        except (ValueError, KeyError, TypeError) as error:
            raise _error(self.spec, "patterns", f"not a valid spaCy token pattern: {error}") from error
        return matcher

    def could_match(self, text: str) -> bool:
        """False when no pattern can match: each has a required token none of whose words is in
        the text. (Most blocks hold none of the words a defensive phrase needs.)"""
        return any(all(need.search(text) for need in needs) for needs in self.needs) if self.needs is not None else True

    def find(self, view: BlockView) -> Iterator[Hit]:
        if not self.could_match(view.text):
            return
        if self.sequences is not None:
            from .sequences import find_sequences

            found = view.tokens
            spans = [
                (found[first].idx, found[end - 1].idx + len(found[end - 1].text))
                for first, end in find_sequences(self.sequences, found, [a for a, _ in view.sentences])
            ]
        else:
            spans = self._spacy_spans(view)
        for start_char, end_char in _longest(spans):
            # the words as written: the tokens' own text has long runs of marks blanked
            yield Hit(view.start + start_char, view.start + end_char, view.text[start_char:end_char])

    def _spacy_spans(self, view: BlockView) -> list[tuple[int, int]]:
        from spacy.matcher import Matcher

        from .nlp import generation, pipeline, spacy_doc

        doc = spacy_doc(view.tokens, view.text, self.spacy_lang)  # (may renew the pipeline)
        if self._matcher is None or self._generation != generation(self.spacy_lang):
            self._matcher = self._add(Matcher(pipeline(self.spacy_lang).vocab))
            self._generation = generation(self.spacy_lang)
        return [(doc[s:e].start_char, doc[s:e].end_char) for _, s, e in self._matcher(doc)]


def _needs(patterns: list[Any]) -> "list[list[re.Pattern[str]]] | None":
    """Per pattern, one search per token it cannot do without, for the words that token may be
    (anywhere in the text: a token "n't" sits inside "don't"). None when some pattern requires
    no word at all (it could match any text)."""
    out = []
    for pattern in patterns:
        needs = _required_words(pattern)
        if not needs:
            return None
        out.append([
            re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), 0 if not lower else re.IGNORECASE)
            for lower, words in needs
        ])
    return out


def _required_words(pattern: list[Any]) -> list[tuple[bool, tuple[str, ...]]]:
    """For each token a pattern cannot do without, the words it may be: (lower case?, words).
    Tokens that are optional, negated or not tied to words ask nothing."""
    needs = []
    for token in pattern:
        if not isinstance(token, dict) or token.get("OP") in ("?", "*", "!"):
            continue
        for key, lower in (("LOWER", True), ("ORTH", False), ("TEXT", False)):
            value = token.get(key)
            if isinstance(value, str) and value:
                needs.append((lower, (value,)))
            elif isinstance(value, dict) and set(value) == {"IN"} and value["IN"] and all(isinstance(w, str) and w for w in value["IN"]):
                needs.append((lower, tuple(value["IN"])))
    return needs


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of overlapping (start, end) spans, the first-starting and then longest."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], span[0] - span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def words_in(span_text: str, tokens: list[Any] | None = None) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", span_text))


class MetricMatcher:
    """sentence-length: sentences over a per-channel limit; readability: blocks under a score."""

    def __init__(self, spec: RuleSpec, profile: LanguageProfile) -> None:
        self.spec = spec
        self.metric = spec.params.get("metric")
        if self.metric not in ("sentence-length", "readability"):
            raise _error(spec, "metric", "expected 'sentence-length' or 'readability'")
        self.profile = profile
        self.limits_max = self._per_channel("max")
        self.limits_min = self._per_channel("min")
        self.min_words = int(spec.params.get("min_words", 30))
        # readability: the block's sentences must also be long on average (words per sentence)
        self.mean_sentence = float(spec.params.get("min_mean_sentence", 0))

    def _per_channel(self, key: str) -> dict[str, float]:
        raw = self.spec.params.get(key)
        if raw is None:
            return {}
        if isinstance(raw, (int, float)):
            return {c: float(raw) for c in self.spec.channels}
        if isinstance(raw, dict) and all(isinstance(v, (int, float)) for v in raw.values()):
            return {str(k): float(v) for k, v in raw.items()}
        raise _error(self.spec, key, "expected a number or a mapping channel: number")

    def find(self, view: BlockView) -> Iterator[Hit]:
        channel = view.doc.channel
        if self.metric == "sentence-length":
            limit = self.limits_max.get(channel)
            if limit is None:
                return
            for start_char, end_char in view.sentences:
                written = view.text[start_char:end_char]  # not the Doc's blanked copy
                text = written.strip()
                if self.profile.sentence_length == "characters":
                    # a link is not read character by character (and no longer ends a sentence)
                    size = len(re.sub(r"\s", "", _LINK.sub("", text)))
                    unit = "characters"
                else:
                    size = words_in(text)
                    unit = "words"
                if size > limit:
                    yield Hit(
                        view.start + start_char,
                        view.start + start_char + len(written.rstrip()),
                        text[:60],
                        values=(("value", str(size)), ("limit", f"{limit:g}"), ("unit", unit)),
                    )
        else:
            yield from self._readability(view, channel)

    def _readability(self, view: BlockView, channel: str) -> Iterator[Hit]:
        words = words_in(view.text)
        if self.profile.readability == "none" or words < self.min_words:
            return
        if self.mean_sentence and words / max(1, len(view.sentences)) < self.mean_sentence:
            # Short sentences full of long words (names, compounds, technical terms) score badly
            # but read easily enough; the words themselves are jargon's business.
            return
        score = readability_score(view.text, self.profile)
        hit = self.readability_hit(view.start, view.start + len(view.text), view.text[:60], words, score, channel)
        if hit is not None:
            yield hit

    def readability_parts(self, text: str) -> tuple[int, float | None]:
        """(words, score) of one piece of a block too long to score at once; the engine weights
        the pieces' scores by their words."""
        words = words_in(text)
        if self.profile.readability == "none" or not words:
            return words, None
        return words, readability_score(text, self.profile)

    def readability_hit(self, start: int, end: int, head: str, words: int, score: float, channel: str) -> Hit | None:
        if words < self.min_words:
            return None
        too_low = channel in self.limits_min and score < self.limits_min[channel]
        too_high = channel in self.limits_max and score > self.limits_max[channel]
        if not (too_low or too_high):
            return None
        limit = self.limits_min[channel] if too_low else self.limits_max[channel]
        return Hit(
            start,
            end,
            head,
            # one decimal when rounding would make the score look equal to the limit
            values=(("value", f"{score:.0f}" if round(score) != limit else f"{score:.1f}"), ("limit", f"{limit:g}"), ("formula", _FORMULA_NAMES.get(self.profile.readability, self.profile.readability))),
        )


_HAS_WORD = re.compile(r"\w")
# (an address is tried only where a run of its characters starts, and is bounded: tried from
# every character of a long run of letters, as in Japanese text, it was quadratic)
_LINK = re.compile(r"https?://\S+|www\.\S+|(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_FORMULA_NAMES = {"flesch": "Flesch reading ease", "lix": "LIX", "sentence-characters": "characters per sentence"}


# Not the copy's own words: addresses, codes with digits, ACRONYMS and camelCase terms. Their
# length says nothing about how the sentence reads (jargon rules judge them), so formulas that
# count long words or syllables leave them out.
_NOT_ORDINARY = compile_pattern(r"(?<!\S)[^\s@]{1,64}@\S{1,255}|https?://\S+|www\.\S+|\b[\p{L}\-]*\d[\p{L}\d\-]*\b|\b\p{Lu}{2,}[\p{L}\d\-]*|\b\p{Ll}+\p{Lu}[\p{L}\d]*")
# In languages that capitalise only names, a Capitalised word inside a sentence is a name.
_NAME_INSIDE = compile_pattern(r"(?<=[\p{Ll},;] )\p{Lu}\p{Ll}+(?:[ \-]\p{Lu}\p{Ll}+)*")


def ordinary_words(text: str, profile: LanguageProfile) -> str:
    text = _NOT_ORDINARY.sub("", text)
    if profile.spaces and profile.claim_context().names == "cased":
        text = _NAME_INSIDE.sub("", text)
    return text


def readability_score(text: str, profile: LanguageProfile) -> float:
    import textstat  # imported on first use: most runs never need it

    if profile.readability in ("flesch", "lix"):
        text = ordinary_words(text, profile)

    if profile.readability == "flesch" and profile.code == "en":
        return _english_flesch(text)
    if profile.readability == "flesch":
        textstat.set_lang(profile.code)
        return float(textstat.flesch_reading_ease(text))
    if profile.readability == "sentence-characters":
        # characters per sentence, its end marks not counted
        sizes = [len(text[a:b].rstrip(END_MARKS).strip()) for a, b in iter_sentence_spans(text, lang=profile.code)]
        return sum(sizes) / max(1, len(sizes))
    textstat.set_lang("en")  # LIX counts letters and words only; no language data needed
    return float(textstat.lix(text))


def _english_flesch(text: str) -> float:
    """Flesch reading ease with Pyphen's English hyphenation for syllables.

    textstat's English path counts syllables with NLTK's CMU dictionary, which it downloads
    at run time; commlint must work offline, so English uses Pyphen as textstat does for
    every other language.
    """
    words = re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)*", text)
    sentences = max(1, sum(1 for a, b in iter_sentence_spans(text, lang="en") if _HAS_WORD.search(text, a, b)))
    if not words:
        return 100.0
    syllables = sum(_english_syllables(w.lower()) for w in words)
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))


@lru_cache(maxsize=100_000)
def _english_syllables(word: str) -> int:
    """Syllables of a lower-case English word, by Pyphen's hyphenation (asked once per word)."""
    import pyphen

    return len(pyphen.Pyphen(lang="en_US").positions(word)) + 1
