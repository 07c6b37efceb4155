"""Bytes to text for every format, with cheap checks first.

* A byte order mark of any UTF encoding decides the encoding and is dropped from the text (so
  columns count from the first real character).
* UTF-16 without a BOM is recognised by its pattern of NUL bytes (every other byte is NUL in
  ASCII-range text).
* Binary data (NUL bytes, or many control bytes, in a sample) is rejected with a reason before
  any parser or detector sees it.
* A declared charset (HTTP header, <meta>, MIME label) is used only if it fits the bytes; one
  that does not, or a UTF-16 label on ASCII-compatible bytes, is ignored and a note says so.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from ..model import ExtractionError

SAMPLE = 8192  # bytes looked at by the binary and UTF-16 checks, at the start and in the middle
PRESCAN = 4096  # bytes searched for a <meta charset> (browsers look at the first 1024)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control bytes that no text file holds; tab, LF, FF, CR and ESC (ISO-2022-JP) are fine.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_XML_DECLARATION = re.compile(rb"""\A\s*<\?xml\b[^>]{0,200}?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})""", re.I)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.I)
# WHATWG: these labels mean windows-1252; its five undefined bytes are read as Latin-1.
_WINDOWS_1252 = ("ascii", "latin-1", "iso8859-1", "cp1252")


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when `data` starts with a byte order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _samples(data: bytes) -> list[bytes]:
    if len(data) <= 3 * SAMPLE:
        return [data[:SAMPLE]]
    middle = (len(data) // 2) & ~1
    return [data[:SAMPLE], data[middle : middle + SAMPLE]]


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch not in "\t\n\r\x0c" and unicodedata.category(ch) == "Cc")
    return controls / len(text)


def sniff_utf16(data: bytes) -> tuple[str, str] | None:
    """(codec, text) for UTF-16 without a BOM: NULs on one side of each byte pair only, the
    whole decodes, and the result is text rather than control characters."""
    sample = data[: SAMPLE & ~1]
    if len(sample) < 4 or len(data) % 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 2 and odd >= 4 * even:
        codec = "utf-16-le"
    elif even >= 2 and even >= 4 * odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if _control_ratio(text[:SAMPLE]) > 0.01:
        return None
    return codec, text


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 5% control bytes, in a sample (start and middle). Text in any
    ASCII-compatible encoding has neither; callers check for UTF-16/32 first."""
    for sample in _samples(data):
        if b"\x00" in sample:
            return True
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls > max(2, len(sample) // 20):
            return True
    return False


def _decode_unicode(data: bytes, codec: str, notes: list[str] | None) -> str:
    """A UTF encoding known from a BOM; broken sequences are replaced and noted."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        if notes is not None:
            notes.append(f"byte {error.start} and others are not valid {codec.upper()}; they were replaced with \ufffd")
        return data.decode(codec, errors="replace")


def unicode_first(data: bytes, notes: list[str] | None) -> tuple[str, str] | None:
    """Text and codec when a BOM or the UTF-16 pattern says which UTF encoding this is."""
    bom = bom_encoding(data)
    if bom:
        codec, length = bom
        return _decode_unicode(data[length:], codec, notes), codec
    sniffed = sniff_utf16(data)
    return (sniffed[1], sniffed[0]) if sniffed else None


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # only files that are not UTF-8 pay for the import

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best).removeprefix("\ufeff"), best.encoding  # a BOM it kept is not text


def decode_text(data: bytes, notes: list[str] | None = None) -> str:
    """Plain text, Markdown and Fluent files: BOM, UTF-16, UTF-8, then detection."""
    return decode_text_with_codec(data, notes)[0]


def decode_text_with_codec(data: bytes, notes: list[str] | None = None) -> tuple[str, str]:
    """decode_text, and the codec it used (for --fix, which writes the file back the same way)."""
    known = unicode_first(data, notes)
    if known:
        return known
    if looks_binary(data):
        raise ExtractionError("looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is None:
        raise ExtractionError("not valid UTF-8 and no other text encoding fits")
    return detected


def codec_name(label: str | None) -> str | None:
    """Python's name for a charset label, or None when it is unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None


def is_wide(codec: str) -> bool:
    """UTF-16 and UTF-32: encodings where ASCII text is not stored as ASCII bytes."""
    return codec.replace("_", "-").startswith(("utf-16", "utf-32"))


def utf8_despite(data: bytes, codec: str) -> bool:
    """True when bytes declared as the single- or multi-byte `codec` are really UTF-8: they
    hold non-ASCII bytes and all of them form valid UTF-8 sequences, which text written in a
    legacy charset (Latin-1 "ü" = FC, Shift_JIS lead bytes 81-9F) practically never does."""
    if codec in ("utf-8", "ascii") or is_wide(codec) or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def declared_in_html(data: bytes) -> str | None:
    """The charset an <?xml?> declaration or a <meta> tag names near the start of the page."""
    head = data[:PRESCAN]
    match = _XML_DECLARATION.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def decode_html(data: bytes, declared: str | None = None, notes: list[str] | None = None) -> tuple[str, str]:
    """Decode page bytes: BOM, then the declared (HTTP) charset, then <meta>, then UTF-8,
    then detection. A declaration that does not fit the bytes is ignored with a note."""
    if not data:
        return "", "utf-8"
    known = unicode_first(data, notes)
    if known:
        return known
    if looks_binary(data):
        raise ExtractionError("looks like a binary file, not HTML")
    problems: list[str] = []
    for label, who in ((declared, "the server declares"), (declared_in_html(data), "the page declares")):
        if not label:
            continue
        codec = codec_name(label)
        if codec is None:
            problems.append(f"{who} charset {label!r}, which is not a known encoding")
            continue
        if is_wide(codec):
            # No BOM and no NUL pattern: the bytes are ASCII-compatible, so this cannot be
            # true; the HTML standard has browsers read such a page as UTF-8.
            problems.append(f"{who} charset {label}, but its bytes are not {label}")
            continue
        if utf8_despite(data, codec):
            problems.append(f"{who} charset {label}, but its bytes are UTF-8")
            continue
        text = _decode_as(data, codec)
        if text is not None:
            _note_problems(problems, codec, notes)
            return text, codec
        problems.append(f"{who} charset {label}, but its bytes are not valid {label}")
    try:
        text, codec = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        detected = _detect(data)
        if detected is None:
            text, codec = data.decode("cp1252", errors="replace"), "cp1252"
            problems.append("some bytes fit no known encoding and were replaced with \ufffd")
        else:
            text, codec = detected
    _note_problems(problems, codec, notes)
    return text, codec


def _decode_as(data: bytes, codec: str) -> str | None:
    names = ("cp1252", "latin-1") if codec in _WINDOWS_1252 else (codec,)
    for name in names:
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            pass
    return None


def _note_problems(problems: list[str], codec: str, notes: list[str] | None) -> None:
    if notes is None:
        return
    for problem in problems:
        notes.append(problem if problem.startswith("some bytes") else f"{problem}; the declaration was ignored and the page read as {codec}")
