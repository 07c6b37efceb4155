"""Plain text and Markdown: paragraphs with positions; Markdown markup stripped in place."""
from __future__ import annotations

import re

from .builder import LIST_MARKER, TextBuilder
from .html import extract_html

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*$\r?\n?", re.S | re.M)
# Inline markup to drop; the text between stays with its own offsets.
_INLINE_DROP = re.compile(
    r"""
    !?\[(?=[^\]]*\]\()            # opening of [text]( or ![alt](
  | \]\([^)\s]*(?:\s+"[^"]*")?\)  # ](url "title")
  | <(?:https?://|mailto:)[^>]+>  # autolink
  | </?[A-Za-z][^>]*>             # inline HTML tag
  | (?<!\w)[*_]{1,3}(?=\S)        # opening emphasis
  | (?<=\S)[*_]{1,3}(?!\w)        # closing emphasis
  | ~~ | `+
    """,
    re.X,
)
_LINE_PREFIX = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*(?:#{1,6}[ \t]+|[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+)?")
_HEADING_TAIL = re.compile(r"[ \t]+#+[ \t]*$")


def extract_plain_text(text: str, builder: TextBuilder) -> None:
    """Paragraphs separated by blank lines; a line that starts with a list marker is an item
    of its own (a list is not one long sentence). Every character keeps its offset."""
    for match in re.finditer(r"\S(?:.|\n(?![ \t]*\r?\n))*", text):
        builder.open_block("paragraph")
        offset = match.start()
        for line in match.group(0).splitlines(keepends=True):
            marker = LIST_MARKER.match(line)
            if marker:
                builder.open_block("list-item")
                builder.add(line[marker.end() :], offset + marker.end())
            else:
                builder.add(line, offset)
            offset += len(line)
        builder.close_block()


def front_matter_end(text: str) -> int:
    match = _FRONT_MATTER.match(text)
    return match.end() if match else 0


def _line_offsets(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _add_markdown_line(line: str, offset: int, builder: TextBuilder, first: bool) -> None:
    prefix = _LINE_PREFIX.match(line)
    start = prefix.end() if (prefix and first) else len(line) - len(line.lstrip(" \t>"))
    body = line[start:]
    tail = _HEADING_TAIL.search(body)
    if tail:
        body = body[: tail.start()]
    cursor = 0
    for match in _INLINE_DROP.finditer(body):
        builder.add(body[cursor : match.start()], offset + start + cursor)
        cursor = match.end()
    builder.add(body[cursor:], offset + start + cursor)
    builder.add(" ", [offset + len(line)])


def _add_table_row(line: str, offset: int, builder: TextBuilder) -> None:
    for match in re.finditer(r"[^|]+", line):
        if match.group(0).strip():
            builder.open_block("cell")
            _add_markdown_line(match.group(0), offset + match.start(), builder, False)
            builder.close_block()


def extract_markdown(text: str, builder: TextBuilder) -> None:
    """Block structure from markdown-it (line maps); inline markup removed in place."""
    from markdown_it import MarkdownIt  # only Markdown inputs pay for the import

    skip = front_matter_end(text)
    body = text[skip:]
    starts = _line_offsets(text)
    first_line = text.count("\n", 0, skip)
    lines = text.split("\n")
    parser = MarkdownIt("commonmark").enable("table")
    kinds = {"heading_open": "heading", "paragraph_open": "paragraph"}
    list_depth = 0
    for token in parser.parse(body):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        if token.type == "html_block" and token.map:
            line = first_line + token.map[0]
            extract_html(token.content, builder, starts[line])
            continue
        if token.type == "tr_open" and token.map:
            number = first_line + token.map[0]
            _add_table_row(lines[number].rstrip("\r"), starts[number], builder)
            continue
        if token.type not in kinds or not token.map:
            continue
        kind = "list-item" if (list_depth and kinds[token.type] == "paragraph") else kinds[token.type]
        begin, end = first_line + token.map[0], first_line + token.map[1]
        builder.open_block(kind)
        for number in range(begin, end):
            line = lines[number].rstrip("\r")
            if token.type == "heading_open" and re.match(r"^[ \t]*(=+|-+)[ \t]*$", line) and number > begin:
                continue  # setext underline
            _add_markdown_line(line, starts[number], builder, number == begin or kind == "list-item")
        builder.close_block()
