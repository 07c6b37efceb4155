"""A JSON reader that remembers where each string value sits in the source text.

`json.loads` throws positions away, but a finding in a post must point at the word in the file
as stored, escapes and all. `parse_json` returns ordinary dicts, lists and numbers; string
values come back as `SpanStr` (a `str` that also knows its span), and `string_offsets` maps
every decoded character of such a string back to the source character it came from.

Errors are `json.JSONDecodeError`, so callers get the familiar message, line and column.
"""
from __future__ import annotations

import re
from json import JSONDecodeError
from json.decoder import scanstring
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS: dict[str, Any] = {
    "null": None,
    "true": True,
    "false": False,
    "NaN": float("nan"),  # json.loads accepts these three, so we do too
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}
# One escape sequence inside a JSON string: \uXXXX or a one-character escape.
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))", re.S)


class SpanStr(str):
    """A decoded JSON string value; `start` is the offset of its opening quote in the source,
    `end` the offset just after its closing quote."""

    start: int
    end: int


class SpanDict(dict):  # type: ignore[type-arg]
    """A JSON object; `start` is the offset of its "{" in the source."""

    start: int


class SpanList(list):  # type: ignore[type-arg]
    """A JSON array; `starts[k]` is the source offset where item k begins."""

    starts: list[int]


def parse_json(text: str, pos: int = 0, allow_trailing: str = "") -> Any:
    """Parse one JSON value starting at `pos` (after optional whitespace) up to the end of
    `text`. Characters in `allow_trailing` may follow the value (e.g. ";" in tweets.js)."""
    value, end = parse_value(text, pos)
    end = _WHITESPACE.match(text, end).end()
    while end < len(text) and text[end] in allow_trailing:
        end = _WHITESPACE.match(text, end + 1).end()
    if end != len(text):
        raise JSONDecodeError("Extra data", text, end)
    return value


def parse_value(text: str, pos: int = 0) -> tuple[Any, int]:
    """One JSON value after optional whitespace at `pos`: (value, offset just after it)."""
    try:
        return _value(text, _WHITESPACE.match(text, pos).end())
    except RecursionError:
        raise JSONDecodeError("nested too deeply", text, pos) from None


def _value(text: str, i: int) -> tuple[Any, int]:
    char = text[i : i + 1]
    if char == '"':
        return _string(text, i)
    if char == "{":
        return _object(text, i)
    if char == "[":
        return _array(text, i)
    number = _NUMBER.match(text, i)
    if number:
        raw = number.group(0)
        if number.group(1) or number.group(2):
            return float(raw), number.end()
        return int(raw), number.end()
    for word, literal in _LITERALS.items():
        if text.startswith(word, i):
            return literal, i + len(word)
    raise JSONDecodeError("Expecting value", text, i)


def _string(text: str, i: int) -> tuple[SpanStr, int]:
    # strict=False: raw tabs and newlines inside strings occur in hand-made exports, and they
    # map one-to-one, so positions stay right.
    decoded, end = scanstring(text, i + 1, False)
    value = SpanStr(decoded)
    value.start, value.end = i, end
    return value, end


def _object(text: str, i: int) -> tuple[dict[str, Any], int]:
    result = SpanDict()
    result.start = i
    i = _WHITESPACE.match(text, i + 1).end()
    if text[i : i + 1] == "}":
        return result, i + 1
    while True:
        if text[i : i + 1] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", text, i)
        key, i = scanstring(text, i + 1, False)
        i = _WHITESPACE.match(text, i).end()
        if text[i : i + 1] != ":":
            raise JSONDecodeError("Expecting ':' delimiter", text, i)
        result[key], i = _value(text, _WHITESPACE.match(text, i + 1).end())
        i = _WHITESPACE.match(text, i).end()
        char = text[i : i + 1]
        if char == "}":
            return result, i + 1
        if char != ",":
            raise JSONDecodeError("Expecting ',' delimiter", text, i)
        i = _WHITESPACE.match(text, i + 1).end()


def _array(text: str, i: int) -> tuple[list[Any], int]:
    result = SpanList()
    result.starts = []
    i = _WHITESPACE.match(text, i + 1).end()
    if text[i : i + 1] == "]":
        return result, i + 1
    while True:
        result.starts.append(i)
        item, i = _value(text, i)
        result.append(item)
        i = _WHITESPACE.match(text, i).end()
        char = text[i : i + 1]
        if char == "]":
            return result, i + 1
        if char != ",":
            raise JSONDecodeError("Expecting ',' delimiter", text, i)
        i = _WHITESPACE.match(text, i + 1).end()


def string_offsets(text: str, value: SpanStr) -> list[int]:
    """Source offset of every character of `value`: a plain character maps to itself, an
    escape to its backslash, and a surrogate pair (two \\u escapes, one character) to the
    first backslash."""
    offsets: list[int] = []
    pos, stop = value.start + 1, value.end - 1
    while pos < stop:
        match = _ESCAPE.search(text, pos, stop)
        plain_end = match.start() if match else stop
        offsets.extend(range(pos, plain_end))
        if not match:
            break
        offsets.append(match.start())
        pos = match.end()
        hex_code = match.group(1)
        if hex_code and 0xD800 <= int(hex_code, 16) <= 0xDBFF:
            # scanstring joins a high surrogate with a following \\u low surrogate.
            low = _ESCAPE.match(text, pos, stop)
            if low and low.group(1) and 0xDC00 <= int(low.group(1), 16) <= 0xDFFF:
                pos = low.end()
    if len(offsets) != len(value):  # cannot happen for text scanstring accepted; stay safe
        offsets = (offsets + [value.start] * len(value))[: len(value)]
    return offsets
