"""RSS and Atom feeds (a blog, a Mastodon account, a status page): each entry is a post.

Parsed with feedparser, the maintained feed parser. An entry's text keeps its position in the
feed file where it can be found there verbatim (titles and plain summaries); HTML content is
read as HTML on its own, so a finding points at the entry.
"""
from __future__ import annotations

import html as html_module

from ..model import Document, ExtractionError, Unit
from .builder import TextBuilder

WINDOW = 65536  # how far past the previous entry an entry's text is looked for


def extract_feed(data: bytes, path: str, channel: str) -> list[Document]:
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise ExtractionError(f"not a readable RSS or Atom feed: {parsed.get('bozo_exception', 'unknown problem')}")
    source = data.decode(parsed.get("encoding") or "utf-8", errors="replace")
    documents = []
    cursor = 0  # entries come in file order: each is looked for after the previous one
    for number, entry in enumerate(parsed.entries, 1):
        entry_id = entry.get("id") or entry.get("link") or f"entry-{number}"
        date = entry.get("published") or entry.get("updated") or ""
        builder = TextBuilder(source)
        for kind, raw in (("title", entry.get("title", "")), ("paragraph", _body(entry))):
            text = _plain(raw)
            if not text:
                continue
            # Searched in a window ahead of the cursor, so a feed of many entries is not
            # scanned once per entry.
            end = min(len(source), cursor + WINDOW + 8 * len(raw))
            at = source.find(raw[:80], cursor, end) if raw else -1
            if at < 0:
                at = source.find(html_module.escape(text[:60]), cursor, end)
            if at >= 0:
                cursor = at
            builder.add_block(text, [cursor] * len(text) if at < 0 else _offsets(text, at), kind)
        if builder.is_empty:
            continue
        doc = builder.build(path, channel, unit=Unit("post", str(entry_id), str(date)), meta={"link": entry.get("link", "")})
        documents.append(doc)
    if not documents:
        raise ExtractionError("the feed has no entries with text")
    return documents


def _body(entry) -> str:  # type: ignore[no-untyped-def]
    if entry.get("content"):
        return entry["content"][0].get("value", "")
    return entry.get("summary", "")


def _plain(raw: str) -> str:
    if "<" in raw:
        from bs4 import BeautifulSoup

        return " ".join(BeautifulSoup(raw, "lxml").get_text(" ").split())
    return " ".join(html_module.unescape(raw).split())


def _offsets(text: str, at: int) -> range:
    return range(at, at + len(text))
