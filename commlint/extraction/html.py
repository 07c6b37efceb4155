"""Reader-visible text of an HTML page, every character mapped back to the page source.

BeautifulSoup and lxml do not keep the source position of text nodes, so the walk uses the
standard library's HTML tokenizer (the one bs4's "html.parser" builder wraps), which reports
where each piece of text and each entity starts. bs4's UnicodeDammit picks the charset.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from ..model import ExtractionError
from .builder import TextBuilder

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
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: BOM, then a declared (HTTP) charset, then <meta>, then detection."""
    from bs4.dammit import UnicodeDammit  # imported here: drafts never need it

    known = [declared] if declared else []
    dammit = UnicodeDammit(data, known_definite_encodings=known, is_html=True)
    if dammit.unicode_markup is None:
        raise ExtractionError("could not determine the character encoding")
    return dammit.unicode_markup, dammit.original_encoding or "utf-8"


def _decode_with_offsets(raw: str, start: int) -> tuple[str, list[int]]:
    """Decode entities in an attribute value; each output char maps to its source offset."""
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _ENTITY.finditer(raw):
        for i in range(pos, match.start()):
            chars.append(raw[i])
            offsets.append(start + i)
        decoded = unescape(match.group(0))
        chars.extend(decoded)
        offsets.extend([start + match.start()] * len(decoded))
        pos = match.end()
    for i in range(pos, len(raw)):
        chars.append(raw[i])
        offsets.append(start + i)
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


class _VisibleTextParser(HTMLParser):
    def __init__(self, html: str, builder: "_OffsetBuilder") -> None:
        super().__init__(convert_charrefs=False)
        self.html = html
        self.builder = builder
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.skip_stack: list[str] = []  # open elements whose content is not shown
        self.lang_stack: list[tuple[str, str]] = []  # (tag, lang)
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.in_head = False

    # -- positions -----------------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    @property
    def _hidden(self) -> bool:
        return bool(self.skip_stack)

    # -- events ---------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and attributes.get("lang"):
            self.meta["lang"] = attributes["lang"]
        if tag == "head":
            self.in_head = True
        if tag == "body":
            self.in_head = False
        if self._hidden:
            if tag not in VOID_TAGS:
                self.skip_stack.append(tag)
            return
        if tag == "title" and "title" not in self.meta:
            self.in_title = True
            self.builder.open_block("title")
            return
        if tag == "meta":
            self._meta_tag(attributes)
            return
        if self.in_head:
            return
        hidden = (
            tag in SKIPPED_TAGS
            or "hidden" in attributes
            or attributes.get("aria-hidden") == "true" and tag not in ("img",)
            or _HIDDEN_STYLE.search(attributes.get("style", "")) is not None
            or (tag == "input" and attributes.get("type", "").lower() == "hidden")
        )
        if hidden:
            if tag not in VOID_TAGS:
                self.skip_stack.append(tag)
            return
        if tag == "img" or (tag == "input" and attributes.get("type", "").lower() == "image"):
            self._attribute_block("alt", "alt")
            return
        if tag == "br":
            self.builder.add(" ", [self._offset()])
            return
        if "lang" in attributes and tag not in VOID_TAGS:
            self.lang_stack.append((tag, attributes["lang"]))
        if tag in BLOCK_TAGS:
            lang = self.lang_stack[-1][1] if self.lang_stack else None
            self.builder.open_block(BLOCK_KINDS.get(tag, "paragraph"), lang)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            # Close up to the matching open element; tolerate unclosed children.
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag == "title" and self.in_title:
            self.in_title = False
            self.meta["title"] = "yes"
            self.builder.close_block()
            return
        if tag == "head":
            self.in_head = False
        if self.lang_stack and self.lang_stack[-1][0] == tag:
            self.lang_stack.pop()
        if tag in BLOCK_TAGS:
            self.builder.close_block()

    def handle_data(self, data: str) -> None:
        if self._hidden or (self.in_head and not self.in_title):
            return
        self.builder.add(data, self._offset())

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};", name)

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};", "#" + name)

    def _entity(self, text: str, name: str) -> None:
        if self._hidden or (self.in_head and not self.in_title):
            return
        start = self._offset()
        # Decode what the source really holds: "&amp" may lack its ";"
        raw = self.html[start : start + len(text)]
        decoded = unescape(raw if raw.startswith("&") else text)
        self.builder.add(decoded, [start] * len(decoded))

    # -- attribute text -------------------------------------------------------------------
    def _meta_tag(self, attributes: dict[str, str]) -> None:
        name = (attributes.get("name") or attributes.get("property") or "").lower()
        if name in ("description", "og:description") and "meta_description" not in self.meta:
            if self._attribute_block("content", "meta"):
                self.meta["meta_description"] = attributes.get("content", "")

    def _attribute_block(self, attribute: str, kind: str) -> bool:
        tag_text = self.get_starttag_text() or ""
        span = _attr_span(tag_text, attribute)
        if not span or not span[1].strip():
            return False
        inner, raw_value = span
        value, offsets = _decode_with_offsets(raw_value, self._offset() + inner)
        self.builder.close_block()
        self.builder.add_block(value, offsets, kind)
        return True


def extract_html(html: str, builder: TextBuilder, base: int = 0) -> dict[str, str]:
    """Append the visible blocks of `html` to `builder`; offsets are `base` + offset in html.

    Returns page metadata: "lang" (the <html lang>), "title", "meta_description".
    Block languages come from `lang` attributes that differ from the page's.
    """
    parser = _VisibleTextParser(html, _OffsetBuilder(builder, base))
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError) as error:  # the tokenizer's own complaints
        raise ExtractionError(f"could not parse HTML: {error}") from error
    builder.close_block()
    return parser.meta


class _OffsetBuilder:
    """Shifts offsets by `base` so the parser can work in page coordinates."""

    def __init__(self, inner: TextBuilder, base: int) -> None:
        self.inner = inner
        self.base = base

    def open_block(self, kind: str = "paragraph", lang: str | None = None) -> None:
        self.inner.open_block(kind, lang)

    def close_block(self) -> None:
        self.inner.close_block()

    def add(self, text: str, offsets: list[int] | range | int) -> None:
        if isinstance(offsets, int):
            offsets = range(self.base + offsets, self.base + offsets + len(text))
        else:
            offsets = [self.base + o for o in offsets]
        self.inner.add(text, offsets)

    def add_block(
        self, text: str, offsets: list[int] | range | int, kind: str, lang: str | None = None
    ) -> None:
        self.open_block(kind, lang)
        self.add(text, offsets)
        self.close_block()

    @property
    def is_empty(self) -> bool:
        return self.inner.is_empty
