"""Which HTML elements hold text that is not customer copy: page furniture, quoted mail, code.

Decided from the element (tag, ARIA role, class and id, what it holds), once per element, and
inherited by everything inside it (see html._Walker). Class and id words come from
rules/copy.yaml.
"""
from __future__ import annotations

from typing import Any

from .copy import furniture_class, knowledge, looks_like_prose

CONTENT_TAGS = frozenset({"article", "main", "section"})  # header/footer/aside in these belong to the text
PAGE_ROLES = frozenset({"banner", "contentinfo", "complementary"})
NEVER_FURNITURE = frozenset({"html", "body", "main", "article"})  # wrappers whose classes say page state
MAX_FURNITURE_SHARE = 0.3  # a "footer" holding a third of the page is the page
MIN_FURNITURE_LIMIT = 3000  # characters any furniture container may hold
INLINE_CODE_CHARS = 80  # a <code> shorter than this inside a sentence stays in the sentence


def text_of(element: Any) -> str:
    """All text inside an element (lxml's etree elements have no text_content method)."""
    return "".join(element.itertext())


class PageSize:
    """The page's text length, measured once, when the first candidate needs it; and a budget
    for measuring candidates, so nested candidates on a hostile page cost linear time."""

    def __init__(self) -> None:
        self.length: int | None = None
        self.budget = 0

    def text(self, element: Any) -> str | None:
        """The element's text, or None once the budget is spent (nothing more is marked)."""
        if self.length is None:
            root = element.getroottree().getroot()
            self.length = len(text_of(root)) if root is not None else 0
            self.budget = 4 * self.length + 100_000
        if self.budget <= 0:
            return None
        found = text_of(element)
        self.budget -= len(found) + 1
        return found

    def allows(self, element: Any) -> bool:
        found = self.text(element)
        limit = max(MIN_FURNITURE_LIMIT, MAX_FURNITURE_SHARE * (self.length or 0))
        return found is not None and len(found) <= limit


def starts_reply(attributes: dict[str, str]) -> bool:
    """Outlook's reply header (id="divRplyFwdMsg"): the quoted message runs from here to the end."""
    return attributes.get("id", "").casefold() in knowledge().reply_after_ids


def element_mark(tag: str, attributes: dict[str, str], element: Any, in_content: bool, size: PageSize) -> str | None:
    """"quote", "furniture" or "code" for an element whose text is not copy, else None."""
    names = f"{attributes.get('class', '')} {attributes.get('id', '')}"
    # A mail program's quote (type="cite", Gmail's class); a web page's <blockquote> keeps
    # its own kind for its own text, and what is nested in it stays as it is.
    cited = tag == "blockquote" and attributes.get("type", "").lower() == "cite"
    if cited or set(names.casefold().split()) & knowledge().quote_classes:
        return "quote"
    role = attributes.get("role", "").lower()
    if tag == "nav" or role in ("navigation", "search"):
        return "furniture"
    page_part = role in PAGE_ROLES or (tag in ("header", "footer", "aside") and not in_content)
    hinted = tag not in NEVER_FURNITURE and furniture_class(names)
    if (page_part or hinted) and size.allows(element) and not _holds_h1(element):
        return "furniture"
    if tag in ("ul", "ol") and _contents_list(element):
        return "furniture"
    if tag in ("pre", "code"):
        text = size.text(element)
        if text is None or (looks_like_prose(text) if tag == "pre" else not _code_block(element, text)):
            return None
        return "code"
    return None


def _holds_h1(element: Any) -> bool:
    """A page header with the page's main heading in it is part of the page, not furniture."""
    return next(element.iter("h1"), None) is not None


def _contents_list(element: Any) -> bool:
    """A list of links to the page's own sections: a table of contents."""
    items = [child for child in element if isinstance(child.tag, str) and child.tag.lower() == "li"]
    if len(items) < 2:
        return False
    for item in items:
        link = item.find("a") if item.find("a") is not None else item.find("*/a")  # near the item, not deep
        if link is None or not str(link.get("href", "")).startswith("#"):
            return False
    return True


def _code_block(element: Any, text: str) -> bool:
    """A <code> of its own (a snippet on its lines), not a word inside a sentence."""
    if "\n" in text.strip() or len(text) > INLINE_CODE_CHARS:
        return True
    parent = element.getparent()
    if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() in ("body", "html"):
        return True
    previous = element.getprevious()
    beside = (parent.text or "", element.tail or "", previous.tail if previous is not None else "")
    return not any(str(piece).strip() for piece in beside)
