"""Plain text and Markdown: paragraphs with positions; Markdown markup stripped in place."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .builder import TextBuilder
from .copy import looks_like_prose
from .html import extract_html
from .plain import add_plain_text

if TYPE_CHECKING:
    from markdown_it.token import Token

_LONE_CR = re.compile(r"\r(?!\n)")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n.*?^\1[ \t]*$\r?\n?", re.S | re.M)
# Inline markup to drop; the text between stays with its own offsets.
# Every repetition is bounded, so a line of "[[[[…" or "<a<a<a…" is scanned once, not once per
# opening character (unbounded look-aheads made those quadratic).
_INLINE_DROP = re.compile(
    r"""
    !?\[(?=[^\]\n]{0,1000}\]\()        # opening of [text]( or ![alt](
  | \]\([^)\s]{0,2000}(?:\s+"[^"\n]{0,1000}")?\)  # ](url "title")
  | <(?:https?://|mailto:)[^>\s]{1,2000}>  # autolink
  | </?[A-Za-z][^<>\n]{0,1000}>          # inline HTML tag
  | (?<!\w)[*_]{1,3}(?=\S)        # opening emphasis
  | (?<=\S)[*_]{1,3}(?!\w)        # closing emphasis
  | ~~ | `+
    """,
    re.X,
)
# A run of link brackets longer than any real Markdown: markdown-it tries a link label at each
# one. All but the first few become spaces (same length, so positions hold).
_BRACKET_RUN = re.compile(r"[\[\]]{16,}")
_LINE_PREFIX = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)*(?:#{1,6}[ \t]+|[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+)?")


def extract_plain_text(text: str, builder: TextBuilder) -> None:
    """Paragraphs separated by blank lines (or one per line, as word processors export); a line
    that starts with a list marker is an item of its own (a list is not one long sentence);
    quoted replies, signatures and code get their own kinds (see plain.py)."""
    add_plain_text(text, 0, builder)


def front_matter_end(text: str) -> int:
    match = _FRONT_MATTER.match(text)
    return match.end() if match else 0


def _line_offsets(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _heading_tail(body: str) -> int:
    """Where a closing "  ###" of an ATX heading starts (len(body) if none). String methods, not
    a regex search: `[ \t]+#+[ \t]*$` tried at every blank of a long run of blanks is quadratic."""
    stripped = body.rstrip(" \t")
    hashes = stripped.rstrip("#")
    if len(hashes) == len(stripped) or not hashes or hashes[-1] not in " \t":
        return len(body)
    return len(hashes.rstrip(" \t"))


def _add_markdown_line(line: str, offset: int, builder: TextBuilder, first: bool) -> None:
    prefix = _LINE_PREFIX.match(line)
    start = prefix.end() if (prefix and first) else len(line) - len(line.lstrip(" \t>"))
    body = line[start:]
    body = body[: _heading_tail(body)]
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


def _html_source(text: str, starts: list[int], begin: int, end: int, content: str) -> str:
    """An HTML block (file lines begin..end) as stored, so its positions are exact; or
    markdown-it's copy when the two differ (in a list or quote it loses its indent or "> ")."""
    stored = text[starts[begin] : starts[end] if end < len(starts) else len(text)]
    return stored if stored.replace("\r\n", "\n") == content else content


def extract_markdown(text: str, builder: TextBuilder, notes: list[str] | None = None) -> None:
    """Block structure from markdown-it (line maps); inline markup removed in place.

    markdown-it counts a lone CR as a line end; the line table must too, so lone CRs are read
    as LF here (same length: offsets into `text` stay right)."""
    from markdown_it import MarkdownIt  # only Markdown inputs pay for the import

    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    text = _BRACKET_RUN.sub(lambda run: run.group(0)[:8] + " " * (len(run.group(0)) - 8), text)
    skip = front_matter_end(text)
    body = text[skip:]
    starts = _line_offsets(text)
    first_line = text.count("\n", 0, skip)
    lines = text.split("\n")
    parser = MarkdownIt("commonmark").enable("table")
    kinds = {"heading_open": "heading", "paragraph_open": "paragraph"}
    list_depth = 0
    tokens = parser.parse(body)
    contents = _contents_lists(tokens)
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        if token.type in ("fence", "code_block") and token.map:
            _add_code(token, lines, starts, first_line, builder)
            continue
        if token.type == "html_block" and token.map:
            begin, end = first_line + token.map[0], first_line + token.map[1]
            extract_html(_html_source(text, starts, begin, end, token.content), builder, starts[begin], notes)
            continue
        if token.type == "tr_open" and token.map:
            number = first_line + token.map[0]
            _add_table_row(lines[number].rstrip("\r"), starts[number], builder)
            continue
        if token.type not in kinds or not token.map:
            continue
        kind = "list-item" if (list_depth and kinds[token.type] == "paragraph") else kinds[token.type]
        if any(low <= index < high for low, high in contents):
            kind = "furniture"  # a table of contents: links to the page's own sections
        begin, end = first_line + token.map[0], first_line + token.map[1]
        builder.open_block(kind)
        for number in range(begin, end):
            line = lines[number].rstrip("\r")
            if token.type == "heading_open" and re.match(r"^[ \t]*(=+|-+)[ \t]*$", line) and number > begin:
                continue  # setext underline
            _add_markdown_line(line, starts[number], builder, number == begin or kind == "list-item")
        builder.close_block()


_ANCHOR_ONLY = re.compile(r"^\s*\[[^\]\n]{1,300}\]\(#[^)\s]*\)\s*$")
_CODE_INDENT = re.compile(r"[ \t]*(?:>[ \t]?)*")


def _contents_lists(tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges of lists whose every item is only a link to an anchor on the same page."""
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            end = next((j for j in range(index + 1, len(tokens)) if tokens[j].type == close and tokens[j].level == token.level), len(tokens))
            items = [t.content for t in tokens[index:end] if t.type == "inline"]
            if len(items) >= 2 and all(_ANCHOR_ONLY.match(item) for item in items):
                found.append((index, end))
                index = end
        index += 1
    return found


def _add_code(token: Token, lines: list[str], starts: list[int], first_line: int, builder: TextBuilder) -> None:
    """Fenced code, and indented code unless it reads as prose (documents converted to Markdown
    often indent whole paragraphs by accident): a block of kind "code", kept with its positions."""
    begin, end = first_line + token.map[0], first_line + token.map[1]  # type: ignore[index]
    fenced = token.type == "fence"
    if not fenced and looks_like_prose(token.content):
        builder.open_block("paragraph")
        for number in range(begin, end):
            _add_markdown_line(lines[number].rstrip("\r"), starts[number], builder, False)
        builder.close_block()
        return
    builder.open_block("code")
    for number in range(begin + 1 if fenced else begin, end):
        line = lines[number].rstrip("\r")
        if fenced and number == end - 1 and line.strip().startswith(token.markup):
            break  # the closing fence
        indent = _CODE_INDENT.match(line)
        start = indent.end() if indent else 0
        builder.add(line[start:], starts[number] + start)
        builder.add(" ", [starts[number] + len(line)])
    builder.close_block()
