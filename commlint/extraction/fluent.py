"""Fluent (.ftl) localisation files: each message and attribute is a block of web copy.

Parsed with Mozilla's fluent.syntax, which gives every element its span in the file. Variables
and term references (`{ $name }`, `{ -brand-name }`) are left out: they are filled in at render
time and are not copy. Select expressions contribute their default variant. HTML tags inside
the strings are dropped; their text is kept.
"""
from __future__ import annotations

import re
from typing import Any

from ..model import Document, ExtractionError
from .builder import TextBuilder

_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)[^<>]*>")
# Tags that sit inside a line of text; any other tag (br, p, li...) separates words.
_INLINE_TAGS = {"a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u"}


def _pattern_pieces(source: str, pattern: Any) -> list[tuple[str, list[int]]]:
    """(text, source offsets) of a pattern's literal text, default variants included."""
    from fluent.syntax import ast

    pieces: list[tuple[str, list[int]]] = []
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            pieces.append((element.value, _align(source, element.span.start, element.span.end, element.value)))
        elif isinstance(element, ast.Placeable):
            expression = element.expression
            if isinstance(expression, ast.SelectExpression):
                default = next((v for v in expression.variants if v.default), None)
                if default is not None:
                    pieces.extend(_pattern_pieces(source, default.value))
            elif isinstance(expression, ast.StringLiteral) and expression.span:
                # { "{" } and the like: literal text written as a placeable.
                value = expression.parse()["value"]
                pieces.append((value, [expression.span.start + 1] * len(value)))
    return pieces


def _align(source: str, start: int, end: int, value: str) -> list[int]:
    """Offsets of `value`'s characters in source[start:end]. The parser strips the common
    indentation of multiline text, so `value` is a subsequence of the raw slice."""
    offsets: list[int] = []
    cursor = start
    for char in value:
        while cursor < end and source[cursor] != char:
            cursor += 1
        offsets.append(min(cursor, max(end - 1, start)))
        cursor += 1
    return offsets


def _without_tags(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    kept_chars: list[str] = []
    kept_offsets: list[int] = []
    last = 0
    for tag in _TAG.finditer(text):
        kept_chars.append(text[last : tag.start()])
        kept_offsets.extend(offsets[last : tag.start()])
        if tag.group(1).lower() not in _INLINE_TAGS:
            kept_chars.append(" ")
            kept_offsets.append(offsets[tag.start()])
        last = tag.end()
    kept_chars.append(text[last:])
    kept_offsets.extend(offsets[last:])
    return "".join(kept_chars), kept_offsets


def extract_fluent(text: str, path: str, channel: str) -> Document:
    from fluent.syntax import FluentParser, ast

    resource = FluentParser(with_spans=True).parse(text)
    builder = TextBuilder(text)
    messages = [entry for entry in resource.body if isinstance(entry, ast.Message)]
    if not messages and any(isinstance(entry, ast.Junk) for entry in resource.body):
        junk = next(entry for entry in resource.body if isinstance(entry, ast.Junk))
        line = text.count("\n", 0, junk.span.start) + 1 if junk.span else 1
        raise ExtractionError(f"not a Fluent file: cannot parse line {line}")
    for message in messages:
        patterns = [message.value] if message.value is not None else []
        patterns += [attribute.value for attribute in message.attributes]
        for pattern in patterns:
            pieces = _pattern_pieces(text, pattern)
            joined = "".join(piece for piece, _ in pieces)
            offsets = [offset for _, piece_offsets in pieces for offset in piece_offsets]
            joined, offsets = _without_tags(joined, offsets)
            builder.add_block(joined, offsets, "message")
    return builder.build(path, channel, meta={"format": "fluent"})
