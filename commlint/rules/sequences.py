"""Token patterns (`kind: pattern`) matched on commlint's own tokens, without spaCy.

The packs' token patterns use a small part of spaCy's Matcher language: a token's text (LOWER,
ORTH, TEXT) as one word or a list (IN, NOT_IN), IS_SENT_START, and the operators ?, *, + and !.
Those are matched here, with spaCy's meaning, so a run never imports spaCy for them;
tests/test_tokenizer.py compares the two. A pattern that uses anything else returns None from
compile_patterns, and the rule goes to spaCy's Matcher as before.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Callable

from .tokenizer import Tokens

_TEXT_KEYS = {"LOWER": True, "ORTH": False, "TEXT": False}  # key -> compared in lower case
_OPERATORS = {None, "?", "*", "+", "!"}


@dataclass(frozen=True)
class _TokenSpec:
    test: Callable[[str, bool], bool]  # (token text, is a sentence start) -> matches
    minimum: int  # how many tokens it takes at least...
    maximum: int | None  # ...and at most (None: any number)


def compile_patterns(patterns: list[Any]) -> list[list[_TokenSpec]] | None:
    """The patterns as token specs, or None when one of them needs spaCy's Matcher."""
    out = []
    for pattern in patterns:
        specs = []
        for token in pattern:
            spec = _token_spec(token)
            if spec is None:
                return None
            specs.append(spec)
        out.append(specs)
    return out


def _token_spec(token: Any) -> _TokenSpec | None:
    if not isinstance(token, dict):
        return None
    operator = token.get("OP")
    if operator not in _OPERATORS or not set(token) <= {*_TEXT_KEYS, "IS_SENT_START", "OP"}:
        return None
    tests: list[Callable[[str, bool], bool]] = []
    for key, lower in _TEXT_KEYS.items():
        if key not in token:
            continue
        value = token[key]
        if isinstance(value, str):
            tests.append(_equals(value, lower))
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            (kind, words), = value.items()
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                return None
            tests.append(_member(frozenset(words), lower, kind == "NOT_IN"))
        else:
            return None
    if "IS_SENT_START" in token:
        wanted = token["IS_SENT_START"]
        if not isinstance(wanted, bool):
            return None
        tests.append(lambda text, start, wanted=wanted: start == wanted)

    def test(text: str, start: bool) -> bool:
        return all(check(text, start) for check in tests)

    if operator == "!":
        return _TokenSpec(lambda text, start: not test(text, start), 1, 1)
    low, high = {None: (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}[operator]
    return _TokenSpec(test, low, high)


def _equals(word: str, lower: bool) -> Callable[[str, bool], bool]:
    return (lambda text, _: text.lower() == word) if lower else (lambda text, _: text == word)


def _member(words: frozenset[str], lower: bool, negated: bool) -> Callable[[str, bool], bool]:
    if lower:
        return lambda text, _: (text.lower() in words) != negated
    return lambda text, _: (text in words) != negated


def find_sequences(compiled: list[list[_TokenSpec]], tokens: Tokens, sentence_starts: list[int]) -> list[tuple[int, int]]:
    """(first token, end token) of every match, the longest one per first token (what the
    caller keeps of overlapping matches)."""
    texts = [token.text for token in tokens]
    starts = set(_first_tokens(tokens, sentence_starts))
    found: dict[int, int] = {}
    for specs in compiled:
        # a match opens with one of the specs up to the first that cannot be skipped: tokens
        # none of them takes are not tried as openings
        required = next((n for n, spec in enumerate(specs) if spec.minimum >= 1), len(specs) - 1)
        opening = specs[: required + 1]
        for first in range(len(texts)):
            if not any(spec.test(texts[first], first in starts) for spec in opening):
                continue
            end = _longest_end(specs, 0, first, texts, starts, {})
            if end is not None and end > first and end > found.get(first, -1):
                found[first] = end
    return sorted(found.items())


def _longest_end(specs: list[_TokenSpec], at: int, i: int, texts: list[str], starts: set[int], memo: dict[tuple[int, int], int | None]) -> int | None:
    """The furthest token index where specs[at:] can end when matched from token i."""
    if at == len(specs):
        return i
    key = (at, i)
    if key in memo:
        return memo[key]
    spec = specs[at]
    best: int | None = None
    taken = 0
    j = i
    while True:
        if taken >= spec.minimum:
            end = _longest_end(specs, at + 1, j, texts, starts, memo)
            if end is not None and (best is None or end > best):
                best = end
        if (spec.maximum is not None and taken >= spec.maximum) or j >= len(texts) or not spec.test(texts[j], j in starts):
            break
        taken += 1
        j += 1
    memo[key] = best
    return best


def _first_tokens(tokens: Tokens, sentence_starts: list[int]) -> list[int]:
    """Indices of the tokens that open a sentence: the first token at or after each sentence's
    start, and the first token (as the spaCy Doc built for token patterns has them)."""
    offsets = [token.idx for token in tokens]
    out = [0] if offsets else []
    for start in sentence_starts:
        index = bisect_left(offsets, start)
        if index < len(offsets):
            out.append(index)
    return out
