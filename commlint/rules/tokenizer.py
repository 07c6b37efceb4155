"""Words with their offsets, as spaCy's tokenizer gives them, without loading spaCy.

`import spacy` and building a blank pipeline cost a cold process about a second, which a git hook
on a one-line draft cannot afford; the rules need only each token's text and offset. spaCy's
tokenizer is a small algorithm (split on whitespace, peel prefixes and suffixes, split infixes,
special cases) driven by language data: regular expressions and a table of exceptions. That data
is read from spaCy once, kept in the user's cache (commlint.compiled), and applied here by the
same algorithm, so the tokens are spaCy's own; tests/test_tokenizer.py compares the two on real
copy. spaCy stays the source of the language data, and is imported only to fill the cache.

Japanese has no such rules: its words come from SudachiPy, as spaCy's Japanese class gets them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator, NamedTuple

from ..compiled import cached_table, compile_pattern

# A chunk (text between whitespace) is tokenised once per process; past this many distinct
# chunks the memo starts again, so memory stays bounded on text of endless distinct tokens.
CHUNK_MEMO_LIMIT = 200_000


class Token(NamedTuple):
    """One token: its text, its offset in the tokenised text, and its index."""

    text: str
    idx: int
    i: int

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    @property
    def is_punct(self) -> bool:
        return _is_punct(self.text)


@lru_cache(maxsize=65_536)
def _is_punct(text: str) -> bool:
    # (spaCy's definition: every character is punctuation)
    return all(unicodedata.category(ch).startswith("P") for ch in text)


@dataclass
class Tokens:
    """The tokens of one text, in order, with the language's stop words (rarity asks)."""

    tokens: list[Token]
    stop_words: frozenset[str]
    user_data: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.tokens)

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __getitem__(self, index: int) -> Token:
        return self.tokens[index]

    def is_stop(self, word: str) -> bool:
        return word.lower() in self.stop_words

    def word_count(self) -> int:
        """Tokens that are neither punctuation nor space."""
        return sum(1 for token in self.tokens if not (token.is_space or token.is_punct))


class AffixTokenizer:
    """spaCy's rule-based tokenizer (spacy/tokenizer.pyx), applied to its exported data."""

    def __init__(self, data: dict[str, Any]) -> None:
        def compiled(name: str) -> Any:
            # (spaCy's patterns are written for `re`; the `regex` module reads them the same way,
            # tests/test_tokenizer.py checks it, and its compiled form is kept in the cache)
            source = data.get(name)
            return compile_pattern(source, data.get(name + "_flags", 0) & ~re.UNICODE) if source is not None else None

        self.prefix = compiled("prefix")
        self.suffix = compiled("suffix")
        self.infix = compiled("infix")
        self.token_match = compiled("token_match")
        self.url_match = compiled("url_match")
        self.specials: dict[str, tuple[str, ...]] = {key: tuple(value) for key, value in data["specials"].items()}
        self.stop_words = frozenset(data.get("stop_words", ()))
        self._memo: dict[str, tuple[str, ...]] = {}
        # special cases that affixes could split: re-joined after a chunk is split (spaCy's
        # "special matcher"), keyed by the first piece of their affix-only split
        self._rejoin: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for string in sorted(self.specials):
            if self._find_prefix(string) or self._find_suffix(string) or (self.infix and self.infix.search(string)) or " " in string:
                pieces = self._split(string, with_specials=False)
                if pieces:
                    self._rejoin.setdefault(pieces[0], []).append((pieces, string))

    def _find_prefix(self, string: str) -> int:
        found = self.prefix.search(string) if self.prefix else None
        return found.end() - found.start() if found else 0

    def _find_suffix(self, string: str) -> int:
        found = self.suffix.search(string) if self.suffix else None
        return found.end() - found.start() if found else 0

    def __call__(self, text: str) -> list[tuple[str, int]]:
        """(token text, offset) for every token of `text`."""
        out: list[tuple[str, int]] = []
        append = out.append
        memo = self._memo
        previous_end = 0
        for found in _WORDS.finditer(text):
            start = found.start()
            if start > previous_end:
                # whitespace: after a word it gives up its first space to that word (spaCy's
                # trailing whitespace); what is left, if anything, is a token of its own
                at = previous_end + 1 if previous_end and text[previous_end] == " " else previous_end
                if at < start:
                    self._append(text[at:start], at, append)
            chunk = found.group()
            pieces = memo.get(chunk) or self.chunk(chunk)
            if len(pieces) == 1:
                append((chunk, start))
            else:
                for piece in pieces:
                    append((piece, start))
                    start += len(piece)
            previous_end = found.end()
        if previous_end < len(text):
            at = previous_end + 1 if previous_end and text[previous_end] == " " else previous_end
            if at < len(text):
                self._append(text[at:], at, append)
        return out

    def _append(self, chunk: str, start: int, append: Callable[[tuple[str, int]], None]) -> None:
        for piece in self.chunk(chunk):
            append((piece, start))
            start += len(piece)

    def chunk(self, chunk: str) -> tuple[str, ...]:
        pieces = self._memo.get(chunk)
        if pieces is None:
            pieces = self._special_or_split(chunk)
            if len(self._memo) >= CHUNK_MEMO_LIMIT:
                self._memo.clear()
            self._memo[chunk] = pieces
        return pieces

    def _special_or_split(self, chunk: str) -> tuple[str, ...]:
        special = self.specials.get(chunk)
        if special is not None:
            return special
        return self._rejoin_specials(self._split(chunk, with_specials=True))

    def _split(self, string: str, with_specials: bool) -> tuple[str, ...]:
        """spaCy's _split_affixes and _attach_tokens for one chunk."""
        specials = self.specials if with_specials else {}
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = -1
        while string and len(string) != last_size:
            if self.token_match and self.token_match.match(string):
                break
            if string in specials:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        middle: tuple[str, ...] = ()
        if string:
            if string in specials:
                middle = specials[string]
            elif (self.token_match and self.token_match.match(string)) or (self.url_match and self.url_match.match(string)):
                middle = (string,)
            else:
                middle = self._infixes(string)
        return (*prefixes, *middle, *reversed(suffixes))

    def _infixes(self, string: str) -> tuple[str, ...]:
        if self.infix is None:
            return (string,)
        out: list[str] = []
        start = 0
        for match in self.infix.finditer(string):
            infix_start, infix_end = match.start(), match.end()
            if infix_start == 0:
                continue
            if infix_start != start:
                out.append(string[start:infix_start])
            if infix_start != infix_end:
                out.append(string[infix_start:infix_end])
            start = infix_end
        if string[start:]:
            out.append(string[start:])
        return tuple(out) if out else (string,)

    def _rejoin_specials(self, pieces: tuple[str, ...]) -> tuple[str, ...]:
        """Special cases whose pieces the affix rules split apart are put back (longest first,
        then earliest; spaCy's _filter_special_spans)."""
        if not self._rejoin or not any(piece in self._rejoin for piece in pieces):
            return pieces
        spans: list[tuple[int, int, str]] = []
        for i, piece in enumerate(pieces):
            for pattern, string in self._rejoin.get(piece, ()):
                if pieces[i : i + len(pattern)] == pattern:
                    spans.append((i, i + len(pattern), string))
        if not spans:
            return pieces
        spans.sort(key=lambda span: (-(span[1] - span[0]), span[0]))
        seen: set[int] = set()
        kept: dict[int, tuple[int, str]] = {}
        for start, end, string in spans:
            if start not in seen and end - 1 not in seen:
                kept[start] = (end, string)
            seen.update(range(start, end))
        out: list[str] = []
        i = 0
        while i < len(pieces):
            if i in kept:
                end, string = kept[i]
                out.extend(self.specials[string])
                i = end
            else:
                out.append(pieces[i])
                i += 1
        return tuple(out)


_WORDS = re.compile(r"\S+")  # (the whitespace between is read from the gaps)


def spacy_data(spacy_lang: str) -> dict[str, Any]:
    """The tokenizer data of spaCy's blank pipeline for `spacy_lang`, from the cache, or read
    from spaCy (once per spaCy version) when the cache has none."""
    from importlib.metadata import version

    return cached_table(f"tokenizer-{spacy_lang}-{version('spacy')}", lambda: _read_from_spacy(spacy_lang))


def _read_from_spacy(spacy_lang: str) -> dict[str, Any]:
    from .nlp import pipeline  # spaCy itself: only to fill the cache

    nlp = pipeline(spacy_lang)
    stop_words = sorted(getattr(nlp.Defaults, "stop_words", ()) or ())
    if spacy_lang == "ja":
        return {"specials": {}, "stop_words": stop_words}  # (its words come from SudachiPy)
    tokenizer = nlp.tokenizer
    data: dict[str, Any] = {
        "specials": {string: [token["ORTH"] if "ORTH" in token else token[65] for token in substrings] for string, substrings in tokenizer.rules.items()},
        "stop_words": stop_words,
    }
    for name, attribute in (("prefix", "prefix_search"), ("suffix", "suffix_search"), ("infix", "infix_finditer"), ("token_match", "token_match"), ("url_match", "url_match")):
        function = getattr(tokenizer, attribute)
        if function is None:
            continue
        pattern = getattr(function, "__self__", None)
        if not isinstance(pattern, re.Pattern):
            raise RuntimeError(f"spaCy's {spacy_lang} tokenizer: {attribute} is not a regular expression")
        data[name], data[name + "_flags"] = pattern.pattern, int(pattern.flags)
    if not getattr(tokenizer, "faster_heuristics", True):
        raise RuntimeError(f"spaCy's {spacy_lang} tokenizer: special cases without faster_heuristics are not supported")
    return data


@lru_cache(maxsize=None)
def affix_tokenizer(spacy_lang: str) -> AffixTokenizer:
    return AffixTokenizer(spacy_data(spacy_lang))


class SudachiTokenizer:
    """Japanese words from SudachiPy (split mode A, as spaCy's Japanese class), spaced the way
    spaCy lays them out: a single space after a word belongs to that word; other whitespace is a
    token of its own."""

    def __init__(self) -> None:
        import warnings

        from sudachipy import Dictionary, SplitMode

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._tokenizer = Dictionary().create(mode=SplitMode.A)
        self.stop_words = frozenset(spacy_data("ja")["stop_words"])

    def __call__(self, text: str) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        if not text:
            return out
        morphemes = [(m.surface(), m.begin()) for m in self._tokenizer.tokenize(text) if m.surface()]
        at = 0
        for number, (surface, begin) in enumerate(morphemes):
            if surface.isspace():
                continue
            if begin > at:
                out.append((text[at:begin], at))  # the whitespace before this word
            out.append((surface, begin))
            at = begin + len(surface)
            following = morphemes[number + 1][0] if number + 1 < len(morphemes) else None
            if following == " ":
                at += 1
        if at < len(text):
            out.append((text[at:], at))
        if out and all(piece.isspace() for piece, _ in out):
            return [(text, 0)]
        return out


@lru_cache(maxsize=None)
def tokenizer_for(spacy_lang: str) -> "Callable[[str], list[tuple[str, int]]]":
    if spacy_lang == "ja":
        return SudachiTokenizer()
    return affix_tokenizer(spacy_lang)


def tokenize(text: str, spacy_lang: str) -> Tokens:
    split = tokenizer_for(spacy_lang)
    stop_words = split.stop_words  # type: ignore[attr-defined]
    return Tokens([Token(piece, at, i) for i, (piece, at) in enumerate(split(text))], stop_words)
