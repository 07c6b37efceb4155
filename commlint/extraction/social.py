"""Social-media exports: JSON, JSON Lines, CSV/TSV and the X (Twitter) archive's tweets.js.

Each post becomes its own Document (Unit kind "post"). Every character of a post's text maps
to the line and column where it is stored in the file, so JSON escapes (\\n, \\", \\u00e9,
surrogate pairs) and CSV quoting ("" inside quotes, line breaks inside quoted fields) are
followed character by character rather than re-serialised.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from json import JSONDecodeError
from typing import Any, TypeVar

from ..model import Document, ExtractionError, Unit
from .builder import TextBuilder, paragraph_spans
from .decoding import looks_binary, unicode_first
from .json_positions import SpanList, SpanStr, parse_json, parse_value, string_offsets
from .skipped import Skipped, kind_of

# Field names, matched ignoring case, spaces, "_" and "-" (so "fullText" and "Tweet ID" match).
# full_text comes before text: API tweets carry both, and "text" may be truncated.
TEXT_FIELDS: tuple[str, ...] = (
    "full_text", "text", "content", "message", "body", "post", "tweet", "caption", "description",
)
ID_FIELDS: tuple[str, ...] = ("id_str", "id", "post_id", "tweet_id", "uuid", "url")
DATE_FIELDS: tuple[str, ...] = ("created_at", "date", "timestamp", "published", "time")
AUTHOR_FIELDS: tuple[str, ...] = ("author", "screen_name", "user", "username", "user_name", "handle")
URL_FIELDS: tuple[str, ...] = ("url", "permalink", "link")
LANG_FIELDS: tuple[str, ...] = ("lang", "language")
# Keys of a top-level object that hold the list of posts.
LIST_KEYS: tuple[str, ...] = (
    "posts", "data", "items", "tweets", "statuses", "results", "entries", "messages", "records", "feed",
)
# Keys whose object (or list of objects) wraps a post, as in {"data": {"text": ...}}.
WRAPPER_KEYS: tuple[str, ...] = ("data", "node", "status", "item", "record", "attributes", "fields", "payload")
DELIMITERS: tuple[str, ...] = (",", "\t", ";")
_MAX_DEPTH = 4

_TWEETS_JS_START = re.compile(r"\s*window\.YTD\.[\w.]+\s*=\s*")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#39);")
_ENTITY_CHARS = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "#39": "'"}
_SPACES = re.compile(r"\s*")
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
_URL_VALUE = re.compile(r"\s*https?://\S+\s*")
_NUMBER_LIKE = re.compile(r"[-+]?[\d.,:/ ]+")
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_NOT_LANGUAGES = {"und", "zxx", "mul", "mis"}  # X also uses q* codes (qme, qht) for "no language"

Offsets = Sequence[int]
F = TypeVar("F", bound=Callable[..., list[Document]])


def _plain_errors(func: F) -> F:
    """Callers expect ExtractionError only; turn anything unexpected into one."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> list[Document]:
        try:
            return func(*args, **kwargs)
        except ExtractionError:
            raise
        except RecursionError:
            raise ExtractionError("the data is nested too deeply to read") from None
        except Exception as error:  # a linter run must go on with the other files
            raise ExtractionError(f"could not read the export: {error}") from error

    return wrapper  # type: ignore[return-value]


# -- public API -----------------------------------------------------------------------------
@_plain_errors
def extract_social_json(data: bytes, path: str, channel: str, notes: list[str] | None = None) -> list[Document]:
    """Posts of a JSON array, an object holding a list of posts, or JSON Lines. `notes` gets
    the reason for each post left out."""
    text, encoding = _decode(data, notes)
    if not text.strip():
        raise ExtractionError("no posts found: the file is empty")
    if path.lower().endswith((".jsonl", ".ndjson")):
        items = _json_lines(text)
    else:
        try:
            value = parse_json(text)
        except JSONDecodeError as error:
            if not _is_json_lines(text, error):
                raise _json_error(error) from None
            items = _json_lines(text)
        else:
            found = _records(value)
            if found is None:
                keys = ", ".join(list(value)[:12]) if isinstance(value, dict) else type(value).__name__
                raise ExtractionError(
                    "no list of posts found: expected a JSON array of posts, or an object with the list "
                    f"under {', '.join(LIST_KEYS[:4])}; found {keys or 'an empty object'}"
                )
            items = found
    return _json_documents(items, text, path, channel, encoding, entities=False, notes=notes)


@_plain_errors
def extract_tweets_js(data: bytes, path: str, channel: str, notes: list[str] | None = None) -> list[Document]:
    """Tweets of an X archive data/tweets.js ("window.YTD.tweets.part0 = [...]")."""
    text, encoding = _decode(data, notes)
    start = _TWEETS_JS_START.match(text)
    if not start:
        raise ExtractionError("not an X archive tweets.js file: expected 'window.YTD.tweets.part0 = [' at the start")
    try:
        value = parse_json(text, start.end(), allow_trailing=";")
    except JSONDecodeError as error:
        raise _json_error(error) from None
    if not isinstance(value, list):
        raise ExtractionError(f"tweets.js: expected a list after '=', found {type(value).__name__}")
    # The archive stores text HTML-escaped (&amp;); readers see the characters.
    return _json_documents(value, text, path, channel, encoding, entities=True, notes=notes)


@_plain_errors
def extract_social_csv(
    data: bytes, path: str, channel: str, delimiter: str | None = None, notes: list[str] | None = None
) -> list[Document]:
    """Posts of a CSV/TSV export: one row per post, the text in a column found by its header.

    A file without a header row (a first row of data, with URLs or sentences) is read too; the
    text column is then the one with the most words, and a column of URLs gives the post ids.
    """
    text, encoding = _decode(data, notes)
    delim = delimiter or sniff_delimiter(text)
    rows = list(_csv_rows(text, delim))
    if not rows:
        raise ExtractionError("no posts found: the file is empty")
    first = [_field_text(text, *span)[0].strip() for span in rows[0]]
    text_column = _text_column(first)
    if text_column is not None:
        names, body = first, rows[1:]
    elif _looks_like_header(first):
        found = ", ".join(name or "(blank)" for name in first)
        raise ExtractionError(f"no text column: expected one of {', '.join(TEXT_FIELDS)}; found {found}")
    else:
        sample = [[_field_text(text, *span)[0] for span in row] for row in rows[:200]]
        text_column, names = _guess_columns(sample)
        if text_column is None:
            raise ExtractionError(
                "no header row and no column that holds post text: the first row is data "
                f"({', '.join(cell[:30] for cell in first[:6])})"
            )
        body = rows
    if not body:
        raise ExtractionError("no posts found: the file has a header row and no rows after it")
    docs: list[Document] = []
    skipped = Skipped(text, "row")
    for number, row in enumerate(body, 1):
        if text_column >= len(row):
            skipped.add(number, row[0][0], f"it has no cell in the text column ({names[text_column]})")
            continue
        fields = {
            name: _field_text(text, *row[index])[0]
            for index, name in enumerate(names)
            if index < len(row) and index != text_column
        }
        value, offsets = _field_text(text, *row[text_column])
        doc = _post_document(text, value, offsets, [fields], f"row {number}", path, channel, encoding)
        if doc:
            docs.append(doc)
        else:
            skipped.add(number, row[0][0], "its text is empty")
    _share_line_starts(docs)
    return skipped.finish(docs, notes)


def looks_like_social_export(data: bytes, fmt: str) -> bool:
    """Cheap check for files met while walking folders: is this a list of posts with text?

    package.json, tsconfig.json (comments: not JSON), or a CSV of numbers give False. Never raises.
    """
    try:
        if fmt == "tweets-js":
            return _TWEETS_JS_START.match(data[:200].decode("utf-8-sig", "replace")) is not None
        if fmt == "social-csv":
            return _csv_has_text(data[:65536].decode("utf-8-sig", "replace"))
        if fmt == "social-json":
            return _json_has_posts(data.decode("utf-8-sig", "replace"))
    except Exception:  # a guess must not stop the walk; the file is then skipped
        return False
    return False


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the first line (outside quotes) uses most."""
    line = re.sub(r'"[^"]*"', "", text.lstrip("\r\n").split("\n", 1)[0])
    counts = [(line.count(delim), -rank) for rank, delim in enumerate(DELIMITERS)]
    best = max(counts)
    return DELIMITERS[-best[1]] if best[0] else ","


# -- decoding -------------------------------------------------------------------------------
def _decode(data: bytes, notes: list[str] | None = None) -> tuple[str, str]:
    """Text and the encoding read: a BOM or UTF-16's NUL pattern, UTF-8, then detection. A
    BOM is dropped from the text (positions count from the first character after it)."""
    known = unicode_first(data, notes)
    if known:
        return known
    if looks_binary(data):
        raise ExtractionError("looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        bad = error.start
    from charset_normalizer import from_bytes  # only non-UTF-8 files pay for the import

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError(f"not valid UTF-8 (byte {bad} cannot be decoded) and no other text encoding fits")
    return str(best).removeprefix("\ufeff"), best.encoding


# -- JSON -----------------------------------------------------------------------------------
def _json_error(error: JSONDecodeError) -> ExtractionError:
    return ExtractionError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}")


def _is_json_lines(text: str, error: JSONDecodeError) -> bool:
    """A file that holds one object, then another on a later line, is JSON Lines."""
    if error.msg != "Extra data":
        return False
    before = text[: error.pos].rstrip()
    return before.endswith("}") and "\n" in text[len(before) : error.pos] and text[error.pos] == "{"


def _json_lines(text: str) -> list[Any]:
    """Values one after another (one per line in JSON Lines; pretty-printed ones work too)."""
    items = SpanList()
    items.starts = []
    pos = _SPACES.match(text).end()
    while pos < len(text):
        items.starts.append(pos)
        try:
            value, pos = parse_value(text, pos)
        except JSONDecodeError as error:
            raise _json_error(error) from None
        items.append(value)
        pos = _SPACES.match(text, pos).end()
    return items


def _records(value: Any) -> list[Any] | None:
    """The list of post objects in a parsed JSON file, or None."""
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        return None
    keys = _keymap(value)
    for name in LIST_KEYS:
        key = keys.get(_norm(name))
        if key is not None and isinstance(value[key], list):
            return value[key]
    found = _find_text(value)
    # A lone object is one post, but not when "description" is its only text: that is what
    # package.json and many configuration files look like.
    if found and _norm(found[1]) != "description":
        return [value]
    for item in value.values():
        if isinstance(item, list) and any(isinstance(x, dict) and _find_text(x) for x in item[:20]):
            return item
    return None


def _json_documents(
    items: list[Any], text: str, path: str, channel: str, encoding: str, entities: bool,
    notes: list[str] | None = None,
) -> list[Document]:
    if not items:
        raise ExtractionError("no posts found: the list of posts is empty")
    docs: list[Document] = []
    objects = [item for item in items if isinstance(item, dict)]
    if not objects:
        found = type(items[0]).__name__
        raise ExtractionError(f"no posts found: expected JSON objects in the list, found {found} values")
    any_text = False
    skipped = Skipped(text, "post")
    starts = items.starts if isinstance(items, SpanList) else None
    for number, item in enumerate(items, 1):
        offset = starts[number - 1] if starts else getattr(item, "start", None)
        found = _find_text(item) if isinstance(item, dict) else None
        if found is None:
            skipped.add(number, offset, _skip_reason(item))
            continue
        chain, _, value = found
        any_text = True
        if not isinstance(value, SpanStr):  # parse_json always gives SpanStr; be safe
            skipped.add(number, offset, "its text could not be found in the file")
            continue
        value_offsets: Offsets = string_offsets(text, value)
        shown: str = value
        if entities:
            shown, value_offsets = _unescape_entities(shown, value_offsets)
        doc = _post_document(text, shown, value_offsets, chain, f"#{number}", path, channel, encoding)
        if doc:
            docs.append(doc)
        else:
            skipped.add(number, value.start, "its text is empty")
    if not any_text and not any(_skip_reason(o).startswith("its text") for o in objects):
        found_keys = ", ".join(list(objects[0])[:12]) or "no keys"
        raise ExtractionError(f"no text field: expected one of {', '.join(TEXT_FIELDS)}; found {found_keys}")
    _share_line_starts(docs)
    return skipped.finish(docs, notes)


def _skip_reason(item: Any, depth: int = 0) -> str:
    """Why a JSON item gave no post text. A number as the text is not linted as "42": it is
    data (an id, a count) that landed in a text field, and no rule has words to check in it."""
    if not isinstance(item, dict):
        return f"it is {kind_of(item)}, not an object holding a post"
    keys = _keymap(item)
    for name in TEXT_FIELDS:
        key = keys.get(_norm(name))
        if key is not None:
            kind = kind_of(item[key])
            return f"its text ({key}) is {kind}, not words" if kind != "null" else f"its text ({key}) is null"
    if depth < _MAX_DEPTH:
        for name in WRAPPER_KEYS:
            key = keys.get(_norm(name))
            if key is not None and isinstance(item[key], dict):
                return _skip_reason(item[key], depth + 1)
    return f"it has no text field (one of {', '.join(TEXT_FIELDS[:4])} ...)"


def _json_has_posts(text: str) -> bool:
    try:
        value = json.loads(text, strict=False)
    except JSONDecodeError as error:
        if not _is_json_lines(text, error):
            return False
        lines = [line for line in text.splitlines()[:50] if line.strip()]
        value = [json.loads(line, strict=False) for line in lines]
    records = _records(value)
    return bool(records) and any(isinstance(x, dict) and _find_text(x) for x in records[:50])


def _unescape_entities(value: str, offsets: Offsets) -> tuple[str, Offsets]:
    """Replace &amp; &lt; &gt; &quot; &apos; &#39; by their character, mapped to the '&'."""
    if "&" not in value:
        return value, offsets
    chars: list[str] = []
    mapped: list[int] = []
    pos = 0
    for match in _ENTITY.finditer(value):
        chars.append(value[pos : match.start()])
        mapped.extend(offsets[pos : match.start()])
        chars.append(_ENTITY_CHARS[match.group(1)])
        mapped.append(offsets[match.start()])
        pos = match.end()
    chars.append(value[pos:])
    mapped.extend(offsets[pos:])
    return "".join(chars), mapped


# -- fields of a post -----------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)  # the same few keys come back in every post
def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def _keymap(obj: dict[str, Any]) -> dict[str, str]:
    """Normalised key -> key as stored; the first spelling wins."""
    keys: dict[str, str] = {}
    for key in obj:
        if isinstance(key, str):
            keys.setdefault(_norm(key), key)
    return keys


def _find_text(
    obj: dict[str, Any], chain: tuple[dict[str, Any], ...] = (), depth: int = 0
) -> tuple[tuple[dict[str, Any], ...], str, str] | None:
    """(objects from the outermost to the one holding the text, text key, text value).

    A non-empty text is preferred; a post whose only text is empty still counts as found
    (it is then skipped, not reported as a file without a text field).
    """
    chain = (*chain, obj)
    keys = _keymap(obj)
    empty: tuple[tuple[dict[str, Any], ...], str, str] | None = None
    nested: list[Any] = [obj[keys[_norm(n)]] for n in TEXT_FIELDS if _norm(n) in keys]
    for name in TEXT_FIELDS:
        key = keys.get(_norm(name))
        if key is not None and isinstance(obj[key], str):
            if obj[key].strip():
                return chain, key, obj[key]
            empty = empty or (chain, key, obj[key])
    if depth >= _MAX_DEPTH:
        return empty
    # {"tweet": {...}}, {"caption": {"text": ...}}, then wrappers like {"data": {...}}
    nested += [obj[keys[_norm(n)]] for n in WRAPPER_KEYS if _norm(n) in keys]
    for value in nested:
        candidates = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
        for candidate in candidates[:20]:
            if not isinstance(candidate, dict):
                continue
            found = _find_text(candidate, chain, depth + 1)
            if found and found[2].strip():
                return found
            empty = empty or found
    return empty


def _field(chain: Sequence[dict[str, Any]], names: tuple[str, ...]) -> Any:
    """First non-empty value among `names`, in the innermost object first."""
    for obj in reversed(chain):
        keys = _keymap(obj)
        for name in names:
            key = keys.get(_norm(name))
            if key is not None and obj[key] not in (None, "", [], {}):
                return obj[key]
    return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, str)):
        return str(value).strip() or None
    return None


def _post_meta(chain: Sequence[dict[str, Any]]) -> dict[str, str]:
    author = _field(chain, AUTHOR_FIELDS)
    if isinstance(author, dict):  # {"user": {"screen_name": ...}}
        author = _field([author], ("screen_name", "username", "handle", "name"))
    lang = _scalar(_field(chain, LANG_FIELDS))
    values = {
        "post_id": _scalar(_field(chain, ID_FIELDS)),
        "date": _scalar(_field(chain, DATE_FIELDS)),
        "author": _scalar(author),
        "url": _scalar(_field(chain, URL_FIELDS)),
    }
    if lang and _LANG_TAG.fullmatch(lang) and lang.lower() not in _NOT_LANGUAGES and lang[0] not in "qQ":
        values["lang"] = lang  # a hint only: language detection still decides
    return {key: value for key, value in values.items() if value}


def _post_document(
    source: str, value: str, offsets: Offsets, chain: Sequence[dict[str, Any]],
    fallback_id: str, path: str, channel: str, encoding: str,
) -> Document | None:
    """One post's Document, or None when its text is empty."""
    builder = TextBuilder(source)
    for start, end in paragraph_spans(value):  # blank lines split a post into blocks
        builder.add_block(value[start:end], offsets[start:end], "paragraph")
    if builder.is_empty:
        return None
    meta = _post_meta(chain)
    if encoding != "utf-8":
        meta["encoding"] = encoding
    unit = Unit("post", meta.get("post_id") or fallback_id, meta.get("date"))
    return builder.build(path, channel, unit=unit, meta=meta)


def _share_line_starts(docs: list[Document]) -> None:
    """All posts of a file share one source; index its line starts once, not once per post."""
    if len(docs) > 1:
        starts = docs[0].positions._starts()
        for doc in docs[1:]:
            doc.positions._line_starts = starts


# -- CSV ------------------------------------------------------------------------------------
def _line_col(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _csv_rows(text: str, delim: str) -> Iterator[list[tuple[int, int]]]:
    """Rows as lists of raw field spans (start, end) in `text`; blank lines are skipped.

    Follows the usual CSV rules: a field that starts with a quote runs to the matching quote,
    "" inside it is one quote and line breaks inside it belong to the field; characters after
    the closing quote up to the delimiter are kept, as the csv module does.
    """
    plain = re.compile(f"[^{re.escape(delim)}\r\n]*")
    pos, size = 0, len(text)
    while pos < size:
        row: list[tuple[int, int]] = []
        while True:
            start = pos
            if text.startswith('"', pos):
                quoted = _QUOTED.match(text, pos)
                if not quoted:
                    line, col = _line_col(text, pos)
                    raise ExtractionError(f"unclosed quote in the field that starts at line {line}, column {col}")
                pos = quoted.end()
            pos = plain.match(text, pos).end()
            row.append((start, pos))
            if pos < size and text[pos] == delim:
                pos += 1
                continue
            break
        pos += 2 if text.startswith("\r\n", pos) else 1
        if len(row) > 1 or row[0][0] != row[0][1]:
            yield row


def _field_text(text: str, start: int, end: int) -> tuple[str, Offsets]:
    """A field's value and the source offset of each of its characters."""
    if not text.startswith('"', start) or start >= end:
        return text[start:end], range(start, end)
    quoted = _QUOTED.match(text, start)
    close = quoted.end() - 1 if quoted else end
    chars: list[str] = []
    offsets: list[int] = []
    pos = start + 1
    while (pair := text.find('""', pos, close)) != -1:
        chars.append(text[pos : pair + 1])  # keep the first quote of the pair
        offsets.extend(range(pos, pair + 1))
        pos = pair + 2
    chars.append(text[pos:close])
    offsets.extend(range(pos, close))
    if quoted:  # text after the closing quote, kept like the csv module does
        chars.append(text[close + 1 : end])
        offsets.extend(range(close + 1, end))
    return "".join(chars), offsets


def _text_column(header: list[str]) -> int | None:
    names = [_norm(name) for name in header]
    for wanted in TEXT_FIELDS:
        if _norm(wanted) in names:
            return names.index(_norm(wanted))
    for index, name in enumerate(names):  # "Tweet Text", "comment_text"
        if name.endswith("text"):
            return index
    return None


def _looks_like_header(cells: list[str]) -> bool:
    """Short labels, not URLs, numbers or sentences."""
    return any(cells) and all(
        len(cell) <= 60 and "://" not in cell and not _NUMBER_LIKE.fullmatch(cell) and len(cell.split()) <= 5
        for cell in cells
        if cell
    )


def _guess_columns(rows: list[list[str]]) -> tuple[int | None, list[str]]:
    """For a file without a header: the text column (most words, at least 3 on average) and
    column names, "url" for a column of URLs so that it gives the post ids."""
    width = max(len(row) for row in rows)
    names: list[str] = []
    best, best_words = None, 3.0
    for column in range(width):
        values = [row[column] for row in rows if column < len(row)]
        is_url = sum(1 for value in values if _URL_VALUE.fullmatch(value)) * 2 > len(values)
        names.append("url" if is_url and "url" not in names else f"column {column + 1}")
        words = sum(len(value.split()) for value in values) / max(len(values), 1)
        if not is_url and words >= best_words:
            best, best_words = column, words
    return best, names


def _csv_has_text(head: str) -> bool:
    rows: list[list[str]] = []
    try:
        for row in _csv_rows(head, sniff_delimiter(head)):
            rows.append([_field_text(head, *span)[0].strip() for span in row])
            if len(rows) >= 50:
                break
    except ExtractionError:  # the 64 KiB cut can leave a quote open
        pass
    if not rows:
        return False
    if _text_column(rows[0]) is not None:
        return True
    return not _looks_like_header(rows[0]) and _guess_columns(rows)[0] is not None
