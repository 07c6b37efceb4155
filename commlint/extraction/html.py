"""Reader-visible text of an HTML page, every character mapped back to the page source.

lxml (libxml2's HTML parser: an HTML5 tokenizer, linear on any input) builds the tree. lxml
keeps no source position for text, so positions come from a walk over the source with one
cursor that only moves forward (see `_Aligner`): each start tag is found from the cursor, and
each text run is aligned with the source that follows it, entities decoded and CR LF read as
LF. Where the two cannot be aligned, the text maps to the nearest known offset. Every scan
either moves the cursor or is charged to a budget proportional to the page size, so the walk
is linear however broken the page is. The charset is decided in `decoding.decode_html`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from html import unescape
from typing import Any

from .builder import TextBuilder
from .decoding import decode_html as decode_html  # re-exported: callers and tests import it here
from .html_copy import CONTENT_TAGS, PageSize, element_mark, starts_reply

# Content a reader never sees.
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "canvas", "select"})
# Tags whose text forms its own block (a sentence never runs across them).
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "tr", "table",
        "caption", "figcaption", "blockquote", "pre", "address", "ul", "ol", "dl", "fieldset",
        "legend", "button", "label", "option", "details", "summary", "hr", "body", "title",
    }
)
BLOCK_KINDS = {
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "li": "list-item", "dt": "list-item", "dd": "list-item", "td": "cell",
    "th": "header-cell", "caption": "caption", "title": "title", "blockquote": "quote", "button": "control",
    "label": "control", "option": "control", "legend": "heading", "summary": "heading",
}
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# The only elements libxml2 creates without a start tag in the source.
IMPLIED_TAGS = frozenset({"html", "head", "body"})
MAX_DEPTH_NOTE = "elements are nested deeper than the HTML parser allows (2,048 levels); the text after that point was not read"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
# The rest of a start or end tag, up to its ">", read as the HTML5 tokenizer reads it: a quote
# opens a value only after "=", and an unclosed quoted value runs to the end of the page.
# Possessive, so a tag that never ends fails in one pass instead of backtracking.
_TAG_REST = re.compile(r"""(?:[^>"'=]++|=\s*+(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\s>]*+)|["'])*+>""")
_SPACE = re.compile(r"\s*")
_MARKUP = re.compile(r"<[A-Za-z!?/]")  # in text, "<" followed by these always begins markup
# How text is stored in the source: with entities and tags, entities only, or verbatim.
DATA, RCDATA, ATTRIBUTE, RAW = "data", "rcdata", "attribute", "raw"
TEXT_MODES = {"title": RCDATA, "textarea": RCDATA, **{tag: RAW for tag in ("script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext")}}
RESYNC_WINDOW = 1024  # how far ahead a character the source seems to lack is looked for

Segment = tuple[str, "int | list[int]"]  # text and its first source offset, or one offset per char


@lru_cache(maxsize=256)
def _start_tag(name: str) -> re.Pattern[str]:
    return re.compile("<" + re.escape(name) + r"(?=[\s/>]|\Z)", re.I)


@lru_cache(maxsize=4096)
def _entity_text(raw: str) -> str:
    return unescape(raw)


def _probe(run: str, i: int) -> str:
    """A few characters of `run` from `i` to look for in the source: letters and digits only
    (after the first), as anything else may be written there as an entity."""
    end = i + 1
    while end < len(run) and end - i < 8 and run[end].isalnum():
        end += 1
    return run[i:end]


def _common_prefix(a: str, i: int, b: str, j: int, limit: int) -> int:
    """Length of the common prefix of a[i:i+limit] and b[j:j+limit]: slices are compared in
    C, galloping forward, then halving inside the first unequal stretch (O(n log n) at worst)."""
    low, step = 0, 64
    while low < limit:
        high = min(limit, low + step)
        if a[i + low : i + high] == b[j + low : j + high]:
            low, step = high, step * 2
            continue
        while high - low > 1:
            middle = (low + high) // 2
            if a[i + low : i + middle] == b[j + low : j + middle]:
                low = middle
            else:
                high = middle
        return low
    return limit


class _Aligner:
    """One forward-only cursor over the page source."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.pos = 0
        # Characters that may be scanned without the cursor moving past them.
        self.budget = 4 * len(html) + 100_000
        self._seen: dict[re.Pattern[str], tuple[int, int]] = {}

    # -- markup ---------------------------------------------------------------------------
    def tag_end(self, start: int) -> int:
        """Offset just after the tag that starts at `start` (the end of the page if it never ends)."""
        match = _TAG_REST.match(self.html, start + 1)
        return match.end() if match else len(self.html)

    def markup_end(self, start: int) -> int | None:
        """End of the tag, comment or declaration at `start` (a "<"), or None for a plain "<"."""
        html = self.html
        following = html[start + 1 : start + 2]
        if html.startswith("<!--", start):
            close = html.find("-->", start + 2)  # "<!-->" is a whole (empty) comment
            return len(html) if close == -1 else close + 3
        after_slash = html[start + 2 : start + 3]
        if following in ("!", "?") or (following == "/" and not (after_slash.isascii() and after_slash.isalpha())):
            close = html.find(">", start + 1)  # bogus comment: <!DOCTYPE>, <![CDATA[...]>, <?...>
            return len(html) if close == -1 else close + 1
        if following == "/" or (following.isascii() and following.isalpha()):
            return self.tag_end(start)
        return None

    def find_start_tag(self, name: str) -> tuple[int, int] | None:
        """(start, end) of the element's start tag after the cursor; the cursor moves past it.

        Only whitespace and markup the tree does not show (end tags, comments, tags the parser
        dropped) may come first. Text first means the parser made the element up without a tag
        (html, head and body; older libxml2 also makes up p), so nothing is found and the
        cursor stays; for html, head and body so does another element's start tag."""
        html = self.html
        if self.budget <= 0:
            return None
        pattern = _start_tag(name)
        implied = name in IMPLIED_TAGS
        at = self.pos
        while True:
            at = _SPACE.match(html, at).end()
            if at >= len(html) or html[at] != "<":
                break
            if pattern.match(html, at):
                self.pos = self.tag_end(at)
                return at, self.pos
            following = html[at + 1 : at + 2]
            if implied and following.isascii() and following.isalpha():
                break  # another element's start tag: this one was implied
            end = self.markup_end(at)
            if end is None:
                break  # a "<" that is text
            at = end
        self.budget -= at - self.pos  # scanned, but the cursor stays: paid from the budget
        return None

    # -- text -----------------------------------------------------------------------------
    def _next(self, pattern: re.Pattern[str], j: int, limit: int, forward: bool) -> int:
        """Where `pattern` next matches, at most j + limit. On the main cursor (`forward`) the
        answer is kept, so the source is searched once, not once per text run."""
        if not forward:
            match = pattern.search(self.html, j, j + limit)
            return match.start() if match else j + limit
        low, high = self._seen.get(pattern, (0, -1))  # no match in html[low:high]
        if not low <= j <= high:
            match = pattern.search(self.html, j)
            low, high = j, match.start() if match else len(self.html)
            self._seen[pattern] = (low, high)
        return min(high, j + limit)

    def text(self, run: str, mode: str = DATA) -> list[Segment]:
        """Source positions of `run`, a text node lxml read from the source after the cursor."""
        segments, self.pos = self.align(run, self.pos, mode, forward=True)
        return segments

    def align(self, run: str, j: int, mode: str, forward: bool = False) -> tuple[list[Segment], int]:
        """Align `run` with the source from offset `j`: (segments, offset after the run).

        `mode` says what the source may hold there: DATA has entities and markup, RCDATA
        (title, textarea) and ATTRIBUTE entities only, RAW (script, style) neither."""
        html, size = self.html, len(self.html)
        entities, markup = mode != RAW, mode == DATA
        segments: list[Segment] = []
        i, n = 0, len(run)

        def emit(piece: str, offset: int) -> None:
            if segments and isinstance(segments[-1][1], int):
                last_text, last_offset = segments[-1]
                if last_offset + len(last_text) == offset:  # type: ignore[operator]
                    segments[-1] = (last_text + piece, last_offset)
                    return
            segments.append((piece, offset))

        while i < n:
            if self.budget <= 0 or j >= size:
                break
            # Verbatim text, up to the next entity or tag: "&amp;" must not match a literal "&".
            limit = min(n - i, size - j)
            stop = j + limit
            if entities:
                stop = self._next(_ENTITY, j, limit, forward)
            if markup:
                stop = min(stop, self._next(_MARKUP, j, limit, forward))
            same = _common_prefix(run, i, html, j, stop - j)
            if same:
                emit(run[i : i + same], j)
                i, j = i + same, j + same
                if i == n or j >= size:
                    break
            char, source = run[i], html[j]
            if source == "&" and entities:
                entity = _ENTITY.match(html, j)
                decoded = _entity_text(entity.group(0)) if entity else ""
                if decoded and run.startswith(decoded, i):
                    if decoded == entity.group(0):  # type: ignore[union-attr]
                        emit(decoded, j)  # not a known entity: kept as written
                    else:
                        segments.append((decoded, [j] * len(decoded)))
                    i, j = i + len(decoded), entity.end()  # type: ignore[union-attr]
                    continue
            elif source == "\r" and char == "\n":  # the parser reads CR LF and CR as LF
                emit("\n", j)
                i, j = i + 1, j + (2 if html.startswith("\n", j + 1) else 1)
                continue
            elif source == "<" and markup:
                end = self.markup_end(j)
                if end is not None:  # a tag or comment the parser dropped or closed here
                    j = end
                    continue
            if char == source:  # an "&" that is not an entity, a "<" that is not a tag
                emit(char, j)
                i, j = i + 1, j + 1
                continue
            if char == "\ufffd":  # NUL, a control character or a bad reference, replaced
                emit(char, j)
                i, j = i + 1, j + 1
                continue
            if source in "\r\x00":
                j += 1  # dropped by the parser
                continue
            if source.isspace():
                j = _SPACE.match(html, j).end()  # whitespace the parser dropped (page start, head)
                continue
            found = html.find(_probe(run, i), j, min(size, j + RESYNC_WINDOW))
            if found > j:
                j = found  # source characters the parser left out
                continue
            # A character with no place in the source: it takes the nearest known offset.
            self.budget -= min(size, j + RESYNC_WINDOW) - j
            segments.append((char, [j]))
            i += 1
        if i < n:  # alignment gave up: the rest takes the nearest known offset
            at = min(j, max(size - 1, 0))
            segments.append((run[i:], [at] * (n - i)))
        return segments, j


def _decode_with_offsets(raw: str, start: int) -> tuple[str, list[int]]:
    """Decode entities in an attribute value; each output char maps to its source offset."""
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _ENTITY.finditer(raw):
        chars.append(raw[pos : match.start()])
        offsets.extend(range(start + pos, start + match.start()))
        decoded = _entity_text(match.group(0))
        chars.append(decoded)
        offsets.extend([start + match.start()] * len(decoded))
        pos = match.end()
    chars.append(raw[pos:])
    offsets.extend(range(start + pos, start + len(raw)))
    return "".join(chars), offsets


def _attr_span(tag_text: str, name: str) -> tuple[int, str] | None:
    """Offset (within the tag text) and raw value of attribute `name`."""
    match = re.search(
        r"""\s%s\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""" % re.escape(name), tag_text, re.I
    )
    if not match:
        return None
    for group in (1, 2, 3):
        if match.group(group) is not None:
            return match.start(group), match.group(group)
    return None


def _parse(html: str, notes: list[str] | None) -> list[Any]:
    """Top-level nodes of the page: the <html> element and anything libxml2 put beside it
    (comments, and a second <html> holding what followed </html>)."""
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True)
    try:
        # Bytes with the encoding given: a str with an <?xml encoding?> declaration is refused.
        root = etree.fromstring(html.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        root = None
    if any("Excessive depth" in entry.message for entry in parser.error_log) and notes is not None:
        notes.append(MAX_DEPTH_NOTE)
    if root is None:
        return []
    return [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]


class _State:
    """What an open element means for the text inside it."""

    __slots__ = ("hidden", "head", "lang", "block", "title", "mark", "content", "kind")

    def __init__(self, hidden: bool, head: bool, lang: str | None, block: bool, title: bool) -> None:
        self.hidden = hidden
        self.head = head
        self.lang = lang
        self.block = block
        self.title = title
        self.mark: str | None = None  # "furniture", "quote" or "code": the kind of every block inside
        self.content = False  # inside <article>, <main> or <section>
        self.kind = "paragraph"  # block kind of loose text here (the enclosing block's)


class _Walker:
    def __init__(self, html: str, builder: _OffsetBuilder) -> None:
        self.aligner = _Aligner(html)
        self.html = html
        self.builder = builder
        self.meta: dict[str, str] = {}
        self.size = PageSize()
        self.reply_quoted = False  # past Outlook's reply header: the rest is the quoted message

    def walk(self, nodes: list[Any]) -> None:
        """Document order without recursion: the tree may be 2,048 levels deep."""
        top = _State(False, False, None, False, False)
        stack: list[tuple[Any, _State, Iterator[Any]]] = []
        for node in nodes:
            state = self._start(node, top)
            stack.append((node, state, iter(node)))
            while stack:
                element, state, children = stack[-1]
                child = next(children, None)
                if child is not None:
                    stack.append((child, self._start(child, state), iter(child)))
                    continue
                stack.pop()
                parent = stack[-1][1] if stack else top
                self._end(element, state, parent)
                self._text(element.tail, parent)

    def _text(self, text: str | None, state: _State, mode: str = DATA) -> None:
        if not text:
            return
        segments = self.aligner.text(text, mode)  # always: the cursor must pass hidden text too
        if state.hidden or (state.head and not state.title):
            return
        for piece, offsets in segments:
            self.builder.add(piece, offsets)

    def _start(self, element: Any, parent: _State) -> _State:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            return parent
        tag = element.tag.lower()
        attributes = {str(k).lower(): str(v) for k, v in element.attrib.items()}
        span = self.aligner.find_start_tag(tag)
        state = self._open(tag, attributes, span, parent, element)
        self._text(element.text, state, TEXT_MODES.get(tag, DATA))
        return state

    def _open_block(self, kind: str, lang: str | None, mark: str | None) -> None:
        self.builder.open_block("quote" if self.reply_quoted else mark or kind, lang)

    def _open(self, tag: str, attributes: dict[str, str], span: tuple[int, int] | None, parent: _State, element: Any) -> _State:
        if tag == "html" and attributes.get("lang") and "lang" not in self.meta:
            self.meta["lang"] = attributes["lang"]
        head = (parent.head or tag == "head") and tag != "body"
        lang = attributes["lang"] if "lang" in attributes and tag not in VOID_TAGS else parent.lang
        state = _State(parent.hidden, head, lang, False, False)
        state.mark, state.content, state.kind = parent.mark, parent.content, parent.kind
        if parent.hidden:
            return state
        if tag == "title" and "title" not in self.meta:
            self.builder.open_block("title")
            state.title = True
            return state
        if tag == "meta":
            self._meta_tag(attributes, span)
            return state
        if tag == "link" and "canonical" in attributes.get("rel", "").casefold().split() and attributes.get("href"):
            self.meta.setdefault("canonical", attributes["href"].strip())  # the page's own URL: who publishes it
            return state
        if head:
            return state
        hidden = (
            tag in SKIPPED_TAGS
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true" and tag not in ("img",)
            or _HIDDEN_STYLE.search(attributes.get("style", "")) is not None
            or (tag == "input" and attributes.get("type", "").lower() == "hidden")
        )
        if hidden:
            state.hidden = True
            return state
        if tag == "img" or (tag == "input" and attributes.get("type", "").lower() == "image"):
            if self._attribute_block("alt", state.mark or "alt", attributes, span):
                self._open_block(parent.kind, parent.lang, parent.mark)  # the text around goes on
            return state
        if tag == "br":
            self.builder.add(" ", [span[0] if span else self._nearest()])
            return state
        state.content = parent.content or tag in CONTENT_TAGS
        if starts_reply(attributes):
            self.reply_quoted = True
        marked = None if parent.mark else element_mark(tag, attributes, element, parent.content, self.size)
        state.mark = parent.mark or marked
        if tag in BLOCK_TAGS or marked:
            # an element marked as not copy is a block of its own even where its tag is inline
            state.kind = state.mark or BLOCK_KINDS.get(tag, "paragraph")
            self._open_block(state.kind, lang, None)
            state.block = True
        return state

    def _end(self, element: Any, state: _State, parent: _State) -> None:
        if state.title:
            self.meta["title"] = "yes"
            self.builder.close_block()
        elif state.block:
            self.builder.close_block()
            self._open_block(parent.kind, parent.lang, None)  # text after it is its parent's again

    def _nearest(self) -> int:
        return min(self.aligner.pos, max(len(self.html) - 1, 0))

    # -- attribute text -------------------------------------------------------------------
    def _meta_tag(self, attributes: dict[str, str], span: tuple[int, int] | None) -> None:
        name = (attributes.get("name") or attributes.get("property") or "").lower()
        if name == "og:url" and attributes.get("content", "").strip():
            self.meta.setdefault("canonical", attributes["content"].strip())
        if name in ("description", "og:description") and "meta_description" not in self.meta:
            if self._attribute_block("content", "meta", attributes, span):
                self.meta["meta_description"] = attributes.get("content", "")

    def _attribute_block(self, attribute: str, kind: str, attributes: dict[str, str], span: tuple[int, int] | None) -> bool:
        value = attributes.get(attribute, "")
        if not value.strip():
            return False
        found = _attr_span(self.html[span[0] : span[1]], attribute) if span else None
        if found:
            # The parser's value, aligned with the attribute as written (entities, line ends).
            segments, _ = self.aligner.align(value, span[0] + found[0], ATTRIBUTE)  # type: ignore[index]
        else:
            segments = [(value, [span[0] if span else self._nearest()] * len(value))]
        self.builder.close_block()
        self.builder.open_block("quote" if self.reply_quoted and kind != "meta" else kind)
        for piece, offsets in segments:
            self.builder.add(piece, offsets)
        self.builder.close_block()
        return True


def extract_html(html: str, builder: TextBuilder, base: int = 0, notes: list[str] | None = None) -> dict[str, str]:
    """Append the visible blocks of `html` to `builder`; offsets are `base` + offset in html.

    Returns page metadata: "lang" (the <html lang>), "title", "meta_description", "canonical"
    (the page's URL from <link rel="canonical"> or og:url).
    Block languages come from `lang` attributes that differ from the page's.
    """
    walker = _Walker(html, _OffsetBuilder(builder, base))
    walker.walk(_parse(html, notes))
    builder.close_block()
    return walker.meta


class _OffsetBuilder:
    """Shifts offsets by `base` so the walker can work in page coordinates."""

    def __init__(self, inner: TextBuilder, base: int) -> None:
        self.inner = inner
        self.base = base

    def open_block(self, kind: str = "paragraph", lang: str | None = None) -> None:
        self.inner.open_block(kind, lang)

    def close_block(self) -> None:
        self.inner.close_block()

    def add(self, text: str, offsets: Sequence[int] | int) -> None:
        if isinstance(offsets, int):
            self.inner.add(text, self.base + offsets)
        else:
            self.inner.add(text, [self.base + o for o in offsets])

    @property
    def is_empty(self) -> bool:
        return self.inner.is_empty
