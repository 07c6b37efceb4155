"""Plain text (.txt files and text/plain mail bodies): paragraphs, list items, and the lines
that are not copy (quoted replies, signatures, pasted code), every character with its offset.

Each line is labelled first, then lines are grouped into blocks:

- "quote": lines starting with ">"; an attribution ("On … wrote:", "Am … schrieb …:") with the
  quoted lines under it; and everything from a reply separator ("-----Original Message-----"),
  a forwarded header block (From:/Sent:/To:/Subject:) or an attribution followed by unquoted
  text (Outlook quotes without ">") to the end.
- "signature": after a "-- " line, or the short contact lines after a closing ("Best regards,").
- "code": fenced code, shell prompts and commands, config and JSON lines.

A document whose lines never break mid-sentence (a word processor's export: one paragraph per
line, no blank lines) gets one paragraph per line; hard-wrapped prose is joined as before.
"""
from __future__ import annotations

import re

from .builder import LIST_MARKER, TextBuilder
from .copy import (
    BASE64_LINE,
    FENCE,
    attribution_with_details,
    code_commands,
    header_kind,
    is_attribution,
    is_closing,
    is_code_line,
    is_reply_separator,
    signature_like,
)

COPY, BLANK, SKIP, QUOTE, SIGNATURE, CODE, DATA = "copy", "blank", "skip", "quote", "signature", "code", "data"
_LINE = re.compile(r"[^\n]*\n?")
_QUOTE_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)+")
_TERMINAL = tuple(".!?。！？…:;\"”’»)）】」』")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_ADDRESS_REST = re.compile(r"[^\s<>@]+@[^\s<>]+>")
_FIELD_LINE = re.compile(r"^\s*([^\W\d_][\w .\-/]{0,30}?)\s*[:：]\s*\S")
_RULE_LINE = re.compile(r"^\s*[-_=*]{8,}\s*$")
_QUOTE_STARTS = frozenset(">-_=*")  # with a colon anywhere: lines a quote test looks at
_CODE_STARTS = frozenset(" \t$PC")  # indented, a prompt ("$ ", "PS C:\\>", "C:\\>")
_BASE64_CANDIDATE = re.compile(r"^[ \t]*[A-Za-z0-9+/]{40,}={0,2}[ \t]*\r?$", re.M)
MAX_SIGNATURE_LINES = 15  # after "-- "; more is not a signature but a misused separator
_FIELD_LINE = re.compile(r"^\s*([^\W\d_][\w .\-/]{0,30}?)\s*[:：]\s*\S")
_RULE_LINE = re.compile(r"^\s*[-=_─━＝～~*・]{5,}\s*$")
MAX_CLOSING_LINES = 10  # after a closing such as "Best regards,"
HEADER_WINDOW = 6  # lines after "From:" in which Sent/To/Subject must follow


def add_plain_text(text: str, base: int, builder: TextBuilder, mbox: bool = False) -> None:
    """Blocks of `text`; `base` is the offset of text[0] in the builder's source. In an mbox,
    a body line ">From " is an escaped "From ", not a quote."""
    lines = [(m.group(0), m.start()) for m in _LINE.finditer(text) if m.group(0)]
    bare = [line.rstrip("\r\n") for line, _ in lines]
    labels = _labels(text, bare, mbox)
    wrapped = _hard_wrapped(lines, bare, labels)
    current = ""  # kind of the open block
    previous = BLANK  # label of the line before
    terminal = True  # the last copy line ended a sentence
    lead_in = False  # the last copy line was a field or ended in a colon
    for (line, start), text_line, label in zip(lines, bare, labels):
        offset = base + start
        if label in (BLANK, SKIP):
            builder.close_block()
            current, previous = "", label
            continue
        if label != COPY:
            if label == QUOTE:
                prefix = _QUOTE_PREFIX.match(line)
                if prefix and prefix.end():
                    line, offset = line[prefix.end() :], offset + prefix.end()
            if current != label:
                builder.open_block(label)
                current = label
            builder.add(line, offset)
            previous = label
            continue
        if mbox and text_line.startswith(">From "):
            line, offset = line[1:], offset + 1  # mboxrd escape of a body line, not a quote
        marker = LIST_MARKER.match(line)
        field = _field_line(text_line)
        if marker:
            builder.open_block("list-item")  # a list is not one long sentence
            current = "list-item"
            line, offset = line[marker.end() :], offset + marker.end()
        elif not (previous == COPY and current in ("paragraph", "list-item") and (wrapped or _continues_item(current, terminal, text_line))) or (
            field and (terminal or not wrapped or lead_in)
        ):
            # ("Arrival: Saturday 27 December" lines are fields of a form or a booking, one each,
            # never one long sentence; in hard-wrapped prose only where a sentence or a lead-in
            # ended, so "Note: …" in the middle of a wrapped sentence stays in it)
            builder.open_block("paragraph")
            current = "paragraph"
        builder.add(line, offset)  # the line break becomes the space between lines
        previous = COPY
        terminal = text_line.rstrip().endswith(_TERMINAL)
        lead_in = field or text_line.rstrip().endswith((":", "："))
    builder.close_block()


def _field_line(line: str) -> bool:
    """A form field or a booking detail: a label of at most three words, a colon, a value."""
    found = _FIELD_LINE.match(line)
    return bool(found) and len(found.group(1).split()) <= 3 and "://" not in line[: found.end() + 2]


# -- labels ---------------------------------------------------------------------------------
def _labels(text: str, lines: list[str], mbox: bool) -> list[str]:
    """A label per line. The closer tests run only on lines a cheap test picked out (a ">" or
    ":" for quotes, "=" or a command for code), so a 10 MB text of ordinary lines stays fast."""
    labels = [COPY if line.strip() else BLANK for line in lines]
    if "```" in text or "~~~" in text:
        _mark_fences(lines, labels)
    if _BASE64_CANDIDATE.search(text):
        _mark_base64(lines, labels)
    quoting = [i for i, line in enumerate(lines) if ":" in line or "：" in line or line.lstrip()[:1] in _QUOTE_STARTS]
    quote_from = _mark_quotes(lines, labels, mbox, quoting)
    commands = code_commands()
    for index, line in enumerate(lines[:quote_from]):
        if labels[index] == COPY and (line[:1] in _CODE_STARTS or "=" in line or line.lstrip()[:1] in '{}[]"'
                                      or line.split(None, 1)[0] in commands) and is_code_line(line):
            labels[index] = CODE
    _mark_signature(lines, labels, quote_from)
    return labels


def _mark_fences(lines: list[str], labels: list[str]) -> None:
    """``` … ``` and ~~~ … ~~~: code. An unclosed fence is only its own line."""
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening:
            close = next((j for j in range(index + 1, len(lines)) if lines[j].strip().startswith(opening.group(1))), None)
            end = close if close is not None else index
            for j in range(index, end + 1):
                labels[j] = CODE if labels[j] != BLANK else BLANK
            index = end
        index += 1


def _mark_base64(lines: list[str], labels: list[str]) -> None:
    """Two or more lines of base64 in a row (a pasted attachment or key): data, whether the
    text around is wrapped or not. The builder finds data inside a line on its own."""
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and labels[end] == COPY and BASE64_LINE.fullmatch(lines[end]):
            end += 1
        if end - index >= 2:
            if end < len(lines) and labels[end] == COPY and re.fullmatch(r"\s*[A-Za-z0-9+/]{1,40}={0,2}\s*", lines[end]):
                end += 1  # the run's shorter last line
            for j in range(index, end):
                labels[j] = DATA
        index = max(end, index + 1)


def _mark_quotes(lines: list[str], labels: list[str], mbox: bool, candidates: list[int]) -> int:
    """Label quoted lines; return where the quoted tail begins (len(lines) if none)."""
    count = len(lines)
    for index in candidates:
        line = lines[index]
        if labels[index] != COPY:
            continue
        stripped = line.strip()
        if stripped.startswith(">") and not (mbox and line.startswith(">From ")):
            labels[index] = QUOTE
            continue
        if stripped[:1] in "-_=*" and is_reply_separator(stripped) or stripped.endswith((":", "：")) and is_reply_separator(stripped):
            return _quote_tail(labels, index)
        if ":" in stripped[:30] or "：" in stripped[:30]:
            if header_kind(stripped) == "from" and _headers_follow(lines, index):
                before = _previous_line(lines, index)
                start = before if before is not None and _RULE_LINE.match(lines[before]) else index
                return _quote_tail(labels, start)
        first = _attribution_start(lines, labels, index)
        if first is None:
            continue
        following = _next_line(lines, index)
        if following is not None and lines[following].lstrip().startswith(">"):
            for j in range(first, index + 1):
                labels[j] = QUOTE  # the attribution; the ">" lines under it follow as quotes
        elif attribution_with_details(" ".join(lines[first : index + 1])):
            return _quote_tail(labels, first)  # Outlook and top-posting: the rest is quoted
    return count


def _attribution_start(lines: list[str], labels: list[str], index: int) -> int | None:
    """First line of an attribution that ends on line `index`: the line itself, or the one
    before when the mail program wrapped it ("On Mon, …, Anna <" / "anna@example.com> wrote:")."""
    line = lines[index].strip()
    if not line.endswith((":", "：")):
        return None
    before = lines[index - 1].strip() if index and labels[index - 1] == COPY else ""
    # a continuation: the rest of an address ("anna@example.com> wrote:"), or a lower-case start
    continues = before.endswith("<") or line[:1].islower() or _ADDRESS_REST.match(line) is not None
    if before and continues and len(before) < 200 and is_attribution(f"{before} {line}"):
        return index - 1
    return index if is_attribution(line) else None


def _headers_follow(lines: list[str], index: int) -> bool:
    """At least two of Sent/Date/To/Cc/Subject within the next few lines."""
    found = sum(1 for line in lines[index + 1 : index + 1 + HEADER_WINDOW] if header_kind(line) == "other")
    return found >= 2


def _quote_tail(labels: list[str], start: int) -> int:
    for j in range(start, len(labels)):
        if labels[j] != BLANK:
            labels[j] = QUOTE
    return start


def _next_line(lines: list[str], index: int) -> int | None:
    return next((j for j in range(index + 1, len(lines)) if lines[j].strip()), None)


def _previous_line(lines: list[str], index: int) -> int | None:
    return next((j for j in range(index - 1, -1, -1) if lines[j].strip()), None)


def _mark_signature(lines: list[str], labels: list[str], stop: int) -> None:
    """A signature ends the sender's own text (before any quoted tail): after "-- ", or the
    short contact lines after a closing. A "-- " needs the sender's words before it."""
    while stop and labels[stop - 1] in (BLANK, QUOTE):
        stop -= 1  # quoted lines at the end: the sender's text ends before them
    delimiter = next((i for i in range(stop) if lines[i].rstrip() == "--" and labels[i] == COPY), None)
    ruled = False
    if delimiter is None:
        # a rule line ("-----", "＝＝＝＝＝") over the last few lines: a signature when every line
        # under it is a contact line (name, company, address, phone), as Japanese mail sets it
        delimiter = next((i for i in range(stop - 1, max(stop - MAX_SIGNATURE_LINES - 2, -1), -1) if labels[i] == COPY and _RULE_LINE.match(lines[i])), None)
        ruled = True
    if delimiter is not None:
        rest = [j for j in range(delimiter + 1, stop) if labels[j] != BLANK]
        if ruled and not (rest and all(labels[j] == COPY and signature_like(lines[j]) for j in rest)):
            rest = []  # a rule between sections of a newsletter, not a signature
        if not ruled or rest:
            labels[delimiter] = SKIP  # a separator line, never a word or a list item
        if rest and COPY in labels[:delimiter] and len(rest) <= MAX_SIGNATURE_LINES and all(labels[j] in (COPY, CODE) for j in rest):
            for j in rest:
                labels[j] = SIGNATURE
            stop = delimiter
    own = [j for j in range(stop) if labels[j] != BLANK]
    quoted = [position for position, j in enumerate(own) if labels[j] == QUOTE]
    own = own[quoted[-1] + 1 :] if quoted else own  # after an interleaved reply's last quote
    for position in range(len(own) - 2, max(len(own) - MAX_CLOSING_LINES - 2, -1), -1):
        index = own[position]
        if labels[index] == COPY and is_closing(lines[index]):
            rest = own[position + 1 :]
            if (
                all(labels[j] == COPY and signature_like(lines[j]) for j in rest)
                and len(lines[rest[0]].split()) <= 5
                and COPY in labels[:index]
            ):
                for j in rest:
                    labels[j] = SIGNATURE
            return


# -- one paragraph per line, or hard-wrapped ------------------------------------------------
def _continues_item(current: str, terminal: bool, line: str) -> bool:
    """In one-line-per-paragraph text, a line goes on a list item that did not end a sentence,
    unless it starts with a capital (then it is the next paragraph)."""
    return current == "list-item" and not terminal and not line.lstrip()[:1].isupper()


SOFT_BREAKS_SHARE = 4  # hard-wrapped: at least one break in this many between lines of copy is mid-sentence


def _hard_wrapped(lines: list[tuple[str, int]], bare: list[str], labels: list[str]) -> bool:
    """Whether lines of copy break mid-sentence often enough to be hard-wrapped mail: then lines
    are joined into paragraphs. Otherwise each line is a paragraph of its own, as a word
    processor exports it; one soft break there is a salutation ("Liebe Mieterinnen und Mieter,"
    before "im Frühjahr …") or a list's lead-in, not wrapping."""
    pairs = soft = 0
    for index in range(len(bare) - 1):
        if labels[index] == COPY and labels[index + 1] == COPY and not _field_line(bare[index + 1]) and not LIST_MARKER.match(bare[index + 1]):
            pairs += 1  # (a field or a list item opens its own block whatever the wrapping)
            soft += _soft_break(lines[index][0], bare[index], bare[index + 1])
    return soft >= 2 and soft * SOFT_BREAKS_SHARE >= pairs or (soft == 1 and pairs <= 2)


def _soft_break(raw: str, line: str, following: str) -> bool:
    body = line.rstrip()
    nxt = following.lstrip()
    if not body or not nxt or body.endswith(_TERMINAL) or LIST_MARKER.match(following):
        return False
    if nxt[0].islower() or (_CJK.match(body[-1]) and _CJK.match(nxt[0])):
        return True
    return body != line  # a trailing space: format=flowed's soft line break
