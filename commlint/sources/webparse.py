"""What a crawl reads out of pages and sitemaps, without building trees: links (lxml parser
target) and sitemap URLs (defusedxml, streamed). Both are linear and flat in memory."""
from __future__ import annotations

import io
from typing import Iterator
from urllib.parse import urljoin

SAMPLE = 20  # URLs kept per "not visited" reason; the rest are only counted
LINKS_PER_PAGE = 10_000  # links followed per page; more are counted as not visited
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9"


def join(base: str, href: str) -> str | None:
    """urljoin, or None for an href that is no URL at all (a broken IPv6 host raises)."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


class Links:
    """Links, hreflang alternates, the canonical URL and feed links of a page, read as lxml parses
    it (a parser target: no tree is built). A page's first LINKS_PER_PAGE links are followed and
    the rest only counted, so a 10 MB page of links costs neither minutes nor memory."""

    def __init__(self, html: str, base: str) -> None:
        from lxml import etree

        self.links: list[str] = []
        self.alternates: list[str] = []
        self.canonical: str | None = None
        self.more = 0  # links past LINKS_PER_PAGE, not followed
        self.first_more: list[str] = []
        self._base: str | None = None
        self._canonical: str | None = None
        self._hrefs: list[str] = []
        self._alternates: list[str] = []
        parser = etree.HTMLParser(target=self)
        try:
            parser.feed(html)
            parser.close()
        except Exception:  # noqa: BLE001 - an unparsable page simply has no more links
            pass
        base = (join(base, self._base) or base) if self._base else base  # <base> applies to every link
        self.links = [url for url in (join(base, href) for href in self._hrefs) if url]
        self.alternates = [url for url in (join(base, href) for href in self._alternates) if url]
        self.canonical = join(base, self._canonical) if self._canonical else None
        self.first_more = [url for url in (join(base, href) for href in self.first_more) if url]

    def start(self, tag: str, attrib: dict[str, str]) -> None:  # lxml's parser target interface
        href = attrib.get("href")
        if not href:
            return
        rel = (attrib.get("rel") or "").lower().split()
        if tag == "base":
            self._base = self._base or href
        elif tag in ("a", "area") or (tag == "link" and "alternate" in rel and not attrib.get("hreflang")
                                      and (attrib.get("type") or "") in ("application/atom+xml", "application/rss+xml")):
            if len(self._hrefs) < LINKS_PER_PAGE:
                self._hrefs.append(href)
            else:
                self.more += 1
                if len(self.first_more) < SAMPLE:
                    self.first_more.append(href)
        elif tag == "link" and "canonical" in rel:
            self._canonical = href
        elif tag == "link" and "alternate" in rel and attrib.get("hreflang") and len(self._alternates) < LINKS_PER_PAGE:
            self._alternates.append(href)

    def close(self) -> None:
        return None


def sitemap_locs(data: bytes) -> Iterator[tuple[bool, str]]:
    """(is a nested sitemap, URL) for each <loc> of a sitemap or sitemap index, streamed: finished
    entries are dropped at once, so memory stays flat however many URLs there are. A parse error
    (a body cut at the cap, junk after the URLs) ends the stream after the URLs read before it."""
    from defusedxml.ElementTree import iterparse

    root, loc = None, None
    for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
        if event == "start":
            root = element if root is None else root
            continue
        space, _, name = element.tag.rpartition("}")
        if name == "loc" and loc is None and space in ("", SITEMAP_NS):  # not an image:loc or video:loc
            loc = (element.text or "").strip()
        elif name in ("url", "sitemap"):
            if loc:
                yield name == "sitemap", loc
            loc = None
            if root is not None:
                root.clear()  # the entries read so far are done with
