"""E-mail messages (.eml) and mailboxes (mbox): subject and body text with file positions.

The standard library parses the MIME structure but keeps no positions, so each text part's
body is found again in the raw bytes (it follows the blank line that ends the part's headers).

* A body stored as its own text (7bit/8bit in a stateless ASCII-compatible charset) maps each
  character to its true line and column in the file.
* A body whose stored form is not its text (base64, quoted-printable, ISO-2022-JP) maps to the
  file line where the body begins plus the line inside the decoded text. Such text is appended
  to the document's source as a separate SourceMap region with its own line base.
"""
from __future__ import annotations

import base64
import binascii
import re
from bisect import bisect_right
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from typing import Any

from charset_normalizer import from_bytes

from ..model import Document, ExtractionError, SourceMap, Unit
from .builder import TextBuilder
from .decoding import codec_name, is_wide, sniff_utf16, utf8_despite
from .html import extract_html
from .plain import add_plain_text

# A message is only taken as one if it has at least one header real mail carries.
_KNOWN_HEADERS = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type",
        "received", "return-path", "reply-to", "sender", "delivered-to", "in-reply-to",
        "references", "content-transfer-encoding",
    }
)
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
_SUBJECT = re.compile(rb"^subject[ \t]*:[ \t]*", re.I | re.M)
# mbox separators: "From sender Mon Jan  1 ..." (asctime after the sender) ...
_FROM_STRICT = re.compile(rb"^From \S+[ \t]+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b[^\n]*(?:\n|\Z)", re.M)
# ... or, for mailboxes written without dates, any "From " line after a blank line.
_FROM_LOOSE = re.compile(rb"^From [^\n]*(?:\n|\Z)", re.M)
# Encodings where a stored byte stretch is not the text stretch (escape states, wide units).
_NOT_POSITIONAL = ("utf-16", "utf-32", "utf_16", "utf_32", "iso2022", "utf-7", "hz")
# Declared charsets that real mail stretches with vendor extensions; tried before detection.
_SUPERSETS = {
    "iso8859-1": ("cp1252",),
    "ascii": ("utf-8",),
    "shift_jis": ("cp932",),
    "euc_jp": ("euc_jis_2004",),
    "iso2022_jp": ("iso2022_jp_ext", "iso2022_jp_2"),
    "gb2312": ("gbk", "gb18030"),
}


# The email package parses a header value in time quadratic in its length (100 KB of broken
# encoded words took 19 s). Longer values are cut before it sees them; the Subject, the one
# header shown as text, is decoded here instead, linearly, up to MAX_SUBJECT characters.
PARSE_LIMIT = 4096
MAX_SUBJECT = 65536
MAX_PROBLEM_NOTES = 20  # unreadable messages of a mailbox told one by one
SPARE_FACTOR, SPARE_MARGIN = 2, 20  # a plain alternative with more words than this is read too
# An RFC 2047 encoded word; bounded and possessive, so broken ones fail fast.
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,40})\?([bBqQ])\?([^?\s]*+)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def decode_words(value: str) -> str:
    """Unfold a header value and decode its RFC 2047 encoded words, in one linear pass.
    Whitespace between two encoded words is dropped, as the RFC says."""
    value = _FOLD.sub("", value)
    pieces: list[str] = []
    position = 0
    previous_encoded = False
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if not (previous_encoded and not between.strip()):
            pieces.append(between)
        decoded = _decode_word(*match.groups())
        previous_encoded = decoded is not None
        pieces.append(match.group(0) if decoded is None else decoded)
        position = match.end()
    pieces.append(value[position:])
    text = "".join(pieces)
    # 8-bit bytes in a raw header come through the parser as surrogate escapes
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _decode_word(charset: str, encoding: str, payload: str) -> str | None:
    codec = codec_name(charset.split("*")[0])  # "utf-8*en": RFC 2231 language suffix
    if codec is None:
        return None
    try:
        if encoding in "bB":
            data = base64.b64decode(payload + "=" * (-len(payload) % 4))
        else:
            data = _QP_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), payload.replace("_", " ").encode("ascii", "surrogateescape"))
        return data.decode(codec, errors="replace")
    except (binascii.Error, ValueError, LookupError):
        return None


class _BoundedPolicy(EmailPolicy):
    """policy.default, except that no header value longer than PARSE_LIMIT reaches the
    email package's quadratic header parser."""

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        if not hasattr(value, "name") and len(value) > PARSE_LIMIT:
            if name.lower() == "subject":
                return decode_words(value[:MAX_SUBJECT])
            value = value[:PARSE_LIMIT]
        return super().header_fetch_parse(name, value)


_POLICY = _BoundedPolicy()


@dataclass
class _Part:
    """One text part chosen for the document."""

    message: Message
    html: bool
    spare: bool = False  # the plain form of an alternative whose HTML form was chosen
    text: str = ""
    start: int = -1  # body offset in the raw message bytes, -1 when it could not be found
    end: int = -1
    codec: str = "utf-8"
    verbatim: bool = False  # the stored bytes are the text: positions are true file positions
    base: int = 0  # offset of text[0] in the document's source


# -- public API -----------------------------------------------------------------------------
def extract_eml(data: bytes, path: str, channel: str, notes: list[str] | None = None) -> list[Document]:
    """One Document for a single stored message. `notes` gets a sentence for each thing read
    differently from how the message labels it (a charset that does not fit, a cut header)."""
    try:
        start = _skip_preamble(data)
        if start < len(data) and data.startswith(b"From ", start):
            # an .eml saved from a mailbox may keep its "From " separator line
            newline = data.find(b"\n", start)
            start = len(data) if newline == -1 else newline + 1
        first_line = data.count(b"\n", 0, start)
        return [_message_document(data[start:], first_line, path, channel, None, mbox=False, notes=notes)]
    except ExtractionError:
        raise
    except Exception as error:  # the parser and codecs fail in many ways; report, never crash
        raise ExtractionError(f"could not read the message: {error}") from error


def extract_mbox(data: bytes, path: str, channel: str, notes: list[str] | None = None) -> list[Document]:
    """One Document per message, each with Unit(kind="message")."""
    try:
        documents: list[Document] = []
        problems: list[str] = []
        spans = _split_mbox(data)
        line = 0
        previous = 0
        for number, (start, end) in enumerate(spans, 1):
            line += data.count(b"\n", previous, start)  # lines before the message, counted once
            previous = start
            try:
                documents.append(
                    _message_document(data[start:end], line, path, channel, number, mbox=True, notes=notes)
                )
            except ExtractionError as error:
                problems.append(f"message #{number}: {error}")
        if not documents:
            raise ExtractionError("not an mbox file: " + ("; ".join(problems[:5]) or "no messages"))
        if notes is not None and problems:  # the others were read: say which were not, and why
            notes.extend(f"{problem}; skipped" for problem in problems[:MAX_PROBLEM_NOTES])
            if len(problems) > MAX_PROBLEM_NOTES:
                notes.append(f"and {len(problems) - MAX_PROBLEM_NOTES} more messages skipped")
        return documents
    except ExtractionError:
        raise
    except Exception as error:
        raise ExtractionError(f"could not read the mailbox: {error}") from error


# -- one message ----------------------------------------------------------------------------
def _message_document(
    raw: bytes, first_line: int, path: str, channel: str, number: int | None, mbox: bool,
    notes: list[str] | None = None,
) -> Document:
    """`raw` is the message alone; `first_line` is how many file lines come before it."""
    header_end = _check_headers(raw)
    message = BytesParser(policy=_POLICY).parsebytes(raw)
    if not any(key.lower() in _KNOWN_HEADERS for key in message.keys()):
        raise ExtractionError("not a MIME message: no headers such as From, Subject or Date")
    said: list[str] = []  # notes about this message, prefixed with its number in a mailbox

    parts = [_Part(part, html, spare) for part, html, spare in _text_parts(message)]
    _decode_parts(raw, parts, said)
    region0 = _RawText(raw, [(p.start, p.end, p.codec) for p in parts if p.verbatim])

    # The source: the stored message as text, then one region per non-verbatim body.
    pieces = [region0.text]
    length = len(region0.text)
    regions: list[tuple[int, int]] = []
    for part in parts:
        if part.verbatim:
            part.base = region0.char(part.start)
            continue
        where = part.start if part.start >= 0 else min(header_end + 1, len(raw))
        pieces.append("\n")  # a region must begin a line
        part.base = length + 1
        length += 1 + len(part.text)
        pieces.append(part.text)
        regions.append((part.base, first_line + raw.count(b"\n", 0, where)))
    source = "".join(pieces)

    meta = {
        "subject": _header(message, "subject"),
        "from": _header(message, "from"),
        "message_id": _header(message, "message-id"),
        "date": _header(message, "date"),
    }
    builder = TextBuilder(source, first_line)
    _add_subject(raw, header_end, region0, meta["subject"], builder, said)
    html_words = 0
    for part in parts:
        if part.spare:
            continue
        if part.html:
            before = builder.length
            page = extract_html(part.text, builder, part.base, said)
            html_words += len(builder.text_since(before).split())
            if page.get("lang") and "html_lang" not in meta:
                meta["html_lang"] = page["lang"]
        else:
            add_plain_text(part.text, part.base, builder, mbox)
    for part in parts:
        # A plain form that says much more than the HTML one (an HTML of images, or two forms
        # that differ) holds copy no reader of the HTML sees checked: it is read too.
        plain_words = len(part.text.split())
        if part.spare and plain_words > SPARE_FACTOR * html_words + SPARE_MARGIN:
            add_plain_text(part.text, part.base, builder, mbox)
            said.append(
                f"the text/plain form has {plain_words:,} words and the text/html form {html_words:,}; "
                "both were read, as they differ"
            )

    unit = None
    if number is not None:
        unit = Unit("message", meta["message_id"] or f"#{number}", meta["date"] or None)
    document = builder.build(path, channel, unit, meta)
    document.positions = SourceMap(source, document.positions.offsets, first_line, tuple(regions))
    if notes is not None:
        notes.extend(f"message #{number}: {note}" if number is not None else note for note in said)
    return document


def _check_headers(raw: bytes) -> int:
    """Reject what is not a message; return the offset where the header block ends."""
    if not raw.strip():
        raise ExtractionError("not a MIME message: the file is empty")
    ends = [i + 1 for i in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if i != -1]
    header_end = min(ends) if ends else len(raw)
    if b"\x00" in raw[:header_end]:
        raise ExtractionError("not a MIME message: the headers hold binary data")
    if not _HEADER_LINE.match(raw):
        raise ExtractionError("not a MIME message: it does not start with a header line")
    return header_end


def _text_parts(part: Message) -> list[tuple[Message, bool, bool]]:
    """The text parts a reader sees, in order, each with whether it is HTML and whether it is
    the spare plain form of an alternative whose HTML form was chosen."""
    if part.get_content_disposition() == "attachment":
        return []
    if part.get_content_maintype() == "message":
        return []  # a forwarded or bounced message: not the sender's own words
    if part.is_multipart():
        children = [_text_parts(child) for child in part.get_payload()]
        if part.get_content_subtype() == "alternative":
            # Both forms say the same; HTML is what most readers are shown.
            with_html = [found for found in children if any(html for _, html, _ in found)]
            chosen = with_html or [found for found in children if found]
            if not chosen:
                return []
            best = chosen[-1]  # the last one is the sender's preferred form
            plain = [found for found in children if found and found is not best and not any(h for _, h, _ in found)]
            spare = [(m, h, True) for m, h, _ in plain[-1]] if with_html and plain else []
            return sorted(spare + best, key=lambda found: _order(part, found[0]))  # MIME order: bodies are found in turn
        return [found for child in children for found in child]
    content_type = part.get_content_type()
    if content_type in ("text/plain", "text/html"):
        return [(part, content_type == "text/html", False)]
    return []


def _order(root: Message, wanted: Message) -> int:
    return next((index for index, part in enumerate(root.walk()) if part is wanted), 0)


def _decode_parts(raw: bytes, parts: list[_Part], notes: list[str]) -> None:
    """Find each body in the raw bytes, decode it, and drop parts without text."""
    cursor = 0
    kept: list[_Part] = []
    for part in parts:
        encoding = str(part.message.get("content-transfer-encoding", "") or "").strip().lower()
        stored_as_is = encoding in ("", "7bit", "8bit", "binary")
        body = part.message.get_payload(decode=True)
        if not isinstance(body, bytes) or not body:
            continue
        stored = body if stored_as_is else _stored_form(part.message)
        if stored:
            part.start = _locate(raw, stored, cursor)
            if part.start >= 0:
                part.end = part.start + len(stored)
                cursor = part.end
        label = part.message.get_content_charset()
        part.text, part.codec, problem = _decode(body, label)
        if problem:
            notes.append(f"the {part.message.get_content_type()} part {problem}")
        part.verbatim = stored_as_is and part.start >= 0 and _positional(part.codec)
        if part.text.strip():
            kept.append(part)
    parts[:] = kept


def _stored_form(part: Message) -> bytes:
    """The body as stored (base64 or quoted-printable lines), to find it in the file."""
    payload = part.get_payload(decode=False)
    if not isinstance(payload, str):
        return b""
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:  # 8-bit bytes in an encoded body come back re-decoded
        return b""


def _locate(raw: bytes, body: bytes, cursor: int) -> int:
    """Offset of `body` right after a blank line, at or after `cursor`; -1 if absent."""
    best = -1
    for blank in (b"\n\n", b"\n\r\n"):
        found = raw.find(blank + body, max(cursor - 1, 0))
        if found != -1 and (best == -1 or found + len(blank) < best):
            best = found + len(blank)
    return best


# -- charsets -------------------------------------------------------------------------------
def _codec(label: str | None) -> str | None:
    return codec_name(label)


def _positional(codec: str) -> bool:
    return not codec.startswith(_NOT_POSITIONAL)


def _decode(data: bytes, declared: str | None) -> tuple[str, str, str]:
    """(text, codec that produced it, what went wrong or ""): the declared charset, its
    supersets, then detection. A label that does not fit the bytes is ignored, and said so."""
    codec = _codec(declared) or "utf-8"
    problem = ""
    if declared and _codec(declared) is None:
        problem = f"is labelled charset {declared}, which is not a known encoding"
    if is_wide(codec) and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and sniff_utf16(data) is None:
        # UTF-16 text without a BOM has NULs in ASCII letters; these bytes have none.
        problem = f"is labelled charset {declared}, but its bytes are not {declared}"
        codec = "utf-8"
    elif declared and utf8_despite(data, codec):
        problem = f"is labelled charset {declared}, but its bytes are UTF-8"
        codec = "utf-8"
    tries = [codec, *_SUPERSETS.get(codec, ())]
    if codec == "iso8859-1" and not re.search(rb"[\x80-\x9f]", data):
        tries = [codec]  # no C1 bytes, so true Latin-1
    elif codec == "iso8859-1":
        tries = ["cp1252", codec]  # C1 bytes in "Latin-1" mail are Windows-1252 quotes and dashes
    for name in tries:
        try:
            return data.decode(name), name, _read_as(problem, name)
        except (UnicodeDecodeError, LookupError):
            pass
    if declared and not problem:
        problem = f"is labelled charset {declared}, but its bytes are not valid {declared}"
    guess = from_bytes(data).best()
    detected = _codec(guess.encoding) if guess is not None else None
    if detected:
        try:
            return data.decode(detected), detected, _read_as(problem, detected)
        except (UnicodeDecodeError, LookupError):
            pass
    problem = (problem + "; " if problem else "") + f"some bytes are not valid {codec} and were replaced with \ufffd"
    return data.decode(codec, errors="replace"), codec, problem


def _read_as(problem: str, codec: str) -> str:
    return f"{problem}; it was read as {codec}" if problem else ""


class _RawText:
    """The stored message as text: verbatim bodies in their own charset, everything else as
    UTF-8 (Latin-1 where that fails), with a byte offset to character offset conversion."""

    def __init__(self, raw: bytes, verbatim: list[tuple[int, int, str]]) -> None:
        self._raw = raw
        self._spans: list[tuple[int, int, str]] = []  # (byte start, char start, codec)
        pieces: list[str] = []
        chars = 0
        position = 0
        for start, end, codec in sorted(verbatim) + [(len(raw), len(raw), "utf-8")]:
            stretches = [(position, start, _gap_codec(raw[position:start])), (start, end, codec)]
            for low, high, name in stretches:
                if high > low:
                    piece = raw[low:high].decode(name, errors="replace")
                    self._spans.append((low, chars, name))
                    pieces.append(piece)
                    chars += len(piece)
            position = max(position, end)
        self.text = "".join(pieces)

    def char(self, byte_offset: int) -> int:
        index = bisect_right([span[0] for span in self._spans], byte_offset) - 1
        if index < 0:
            return 0
        low, chars, codec = self._spans[index]
        return chars + len(self._raw[low:byte_offset].decode(codec, errors="replace"))


def _gap_codec(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"  # total: every byte is one character


# -- text -----------------------------------------------------------------------------------
def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        return "" if value is None else str(value).strip()
    except Exception:  # a header the policy cannot parse: fall back to its stored text
        for key, raw in message.raw_items():
            if key.lower() == name:
                return str(raw).strip()
        return ""


def _add_subject(
    raw: bytes, header_end: int, region0: _RawText, subject: str, builder: TextBuilder, notes: list[str]
) -> None:
    """The Subject as its own block, mapped to the header line in the file."""
    match = _SUBJECT.search(raw, 0, header_end)
    if not match or not subject:
        return
    end = match.end()
    while True:  # the value runs on over folded continuation lines
        newline = raw.find(b"\n", end, header_end)
        if newline == -1:
            end = header_end
            break
        if newline + 1 < header_end and raw[newline + 1 : newline + 2] in (b" ", b"\t"):
            end = newline + 1
            continue
        end = newline
        break
    if end - match.end() > MAX_SUBJECT:
        notes.append(f"the Subject header is {end - match.end():,} bytes long; only its first {MAX_SUBJECT:,} were read")
        end = match.end() + MAX_SUBJECT
        subject = subject[:MAX_SUBJECT]
    start = region0.char(match.end())
    value = region0.text[start : region0.char(end)]
    if "=?" in value:
        # RFC 2047 encoded words: the decoded text has no place of its own in the file
        builder.add_block(subject, [start] * len(subject), "subject")
        return
    kept = [(char, start + i) for i, char in enumerate(value) if char not in "\r\n"]
    builder.add_block("".join(c for c, _ in kept), [o for _, o in kept], "subject")


# -- mbox -----------------------------------------------------------------------------------
def _skip_preamble(data: bytes) -> int:
    """Skip a UTF-8 byte order mark and leading blank lines."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        match = re.match(rb"[ \t]*\r?\n", data[start:])
        if not match:
            return start
        start += match.end()


def _split_mbox(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each message, without its "From " separator line."""
    lead = _skip_preamble(data)
    if not data.strip():
        raise ExtractionError("not an mbox file: the file is empty")
    if not data.startswith(b"From ", lead):
        raise ExtractionError('not an mbox file: it does not start with a "From " line')
    separators = [m for m in _FROM_STRICT.finditer(data, lead)]
    if not separators or separators[0].start() != lead:
        separators = [
            m
            for m in _FROM_LOOSE.finditer(data, lead)
            if m.start() == lead or data[max(m.start() - 3, 0) : m.start()].endswith((b"\n\n", b"\n\r\n"))
        ]
    spans: list[tuple[int, int]] = []
    for index, separator in enumerate(separators):
        end = separators[index + 1].start() if index + 1 < len(separators) else len(data)
        spans.append((separator.end(), end))
    return spans
