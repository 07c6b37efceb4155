"""Stage 1 for live sites: crawl politely and hand each page's bytes on as it arrives.

httpx does the HTTP; robots.txt is read with the standard library's parser (crawl-delay
included); sitemaps are parsed with defusedxml (no entity expansion). Pages stream in with a
size cap on the decoded bytes, so a gzip bomb stops at the cap. Every failure is reported with
its URL and reason, and the crawl goes on.
"""
from __future__ import annotations

import asyncio
import zlib
import re
import sys
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..model import InputError
from . import SourceData, SourceRef

DEFAULT_AGENT = "commlint/0.1 (+https://github.com/commlint/commlint; customer-communication linter)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/feed+json", "application/xml", "text/xml")
SKIP_EXTENSIONS = (".pdf", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".mp4", ".mp3", ".css", ".js", ".ico", ".woff", ".woff2")


@dataclass
class CrawlOptions:
    max_pages: int = 500
    max_depth: int = 10
    include: tuple[str, ...] = ()  # regexes a URL must match (any)
    exclude: tuple[str, ...] = ()  # regexes that rule a URL out
    user_agent: str = DEFAULT_AGENT
    per_host: int = 2  # connections per host
    delay: float = 0.5  # seconds between requests to one host (robots crawl-delay wins if longer)
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    retries: int = 2
    max_retry_after: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024  # per page, after decompression
    extra_starts: tuple[str, ...] = ()
    follow_hreflang: bool = True
    progress: bool = False
    save_dir: str | None = None  # keep each fetched page here, with manifest.json


@dataclass
class CrawlReport:
    fetched: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason): off-host, robots, type
    errors: list[InputError] = field(default_factory=list)


def normalise_url(url: str) -> str:
    """One spelling per page: no fragment, lower-case host, no default port, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


class _Links:
    """Links, hreflang alternates, the canonical URL and feed links of a page (lxml, fast and lenient)."""

    def __init__(self, html: str, base: str) -> None:
        from lxml import html as lxml_html

        self.links: list[str] = []
        self.alternates: list[str] = []
        self.canonical: str | None = None
        try:
            tree = lxml_html.fromstring(html)
        except Exception:  # noqa: BLE001 - an unparsable page simply has no links
            return
        base_href = tree.xpath("//base/@href")
        base = urljoin(base, base_href[0]) if base_href else base
        for href in tree.xpath("//a/@href | //area/@href"):
            self.links.append(urljoin(base, href))
        for link in tree.xpath("//link[@href]"):
            rel = (link.get("rel") or "").lower().split()
            href = urljoin(base, link.get("href"))
            if "canonical" in rel:
                self.canonical = href
            elif "alternate" in rel and link.get("hreflang"):
                self.alternates.append(href)
            elif "alternate" in rel and (link.get("type") or "") in ("application/atom+xml", "application/rss+xml"):
                self.links.append(href)


def _sitemap_urls(data: bytes, limit: int) -> tuple[list[str], list[str]]:
    """(page URLs, nested sitemap URLs) of a sitemap or sitemap index, gzip or not."""
    from defusedxml import ElementTree

    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, limit)
    root = ElementTree.fromstring(data, forbid_dtd=True)
    tag = root.tag.rsplit("}", 1)[-1]
    locs = [el.text.strip() for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "loc" and el.text]
    return ([], locs) if tag == "sitemapindex" else (locs, [])


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress at most limit + 1 bytes, so a gzip bomb posing as a sitemap stops at the cap."""
    stream = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = stream.decompress(data, limit + 1)
    if len(out) > limit:
        raise ValueError(f"sitemap is larger than {limit // (1024 * 1024)} MB when decompressed")
    return out


class Crawler:
    def __init__(self, starts: list[str], options: CrawlOptions, on_page: Callable[[SourceData], None]) -> None:
        self.options = options
        self.on_page = on_page
        self.report = CrawlReport()
        self.starts = [normalise_url(u) for u in [*starts, *options.extra_starts]]
        self.hosts = {urlsplit(u).netloc for u in self.starts}
        self.seen: set[str] = set()
        self.queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.next_slot: dict[str, float] = {}
        self.locks: dict[str, asyncio.Lock] = {}
        self.slots: dict[str, asyncio.Semaphore] = {}
        self.pages = 0
        self.started = time.monotonic()
        self.include = [re.compile(p) for p in options.include]
        self.saved: dict[str, dict[str, str | None]] = {}
        self.crawl_delays: dict[str, float] = {}
        self.fetched_set: set[str] = set()  # final URLs already handed on
        self.exclude = [re.compile(p) for p in options.exclude]

    # -- scope ---------------------------------------------------------------------------
    def _in_scope(self, url: str) -> str | None:
        """None when the URL may be fetched, else the reason it is skipped."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "not http"
        if parts.netloc not in self.hosts:
            return "off the start host"
        if self.include and not any(p.search(url) for p in self.include):
            return "not matched by --include"
        if any(p.search(url) for p in self.exclude):
            return "matched by --exclude"
        if parts.path.lower().endswith(SKIP_EXTENSIONS):
            return "not a page (by its extension)"
        return None

    def _enqueue(self, url: str, depth: int) -> None:
        url = normalise_url(url)
        if url in self.seen or depth > self.options.max_depth:
            return
        self.seen.add(url)
        reason = self._in_scope(url)
        if reason:
            self.report.skipped.append((url, reason))
            return
        self.queue.put_nowait((url, depth))

    # -- politeness ----------------------------------------------------------------------
    async def _robots(self, client, host_url: str) -> urllib.robotparser.RobotFileParser:
        host = urlsplit(host_url).netloc
        if host not in self.robots:
            parser = urllib.robotparser.RobotFileParser()
            robots_url = urlunsplit((urlsplit(host_url).scheme, host, "/robots.txt", "", ""))
            self.robots[host] = parser
            try:
                response = await self._request(client, robots_url, polite=False)
                if response is not None and response.status_code == 200:
                    parser.parse(response.text.splitlines())
                    self.crawl_delays[host] = _crawl_delay(response.text, self.options.user_agent)
                    # robots.txt counts as the first request: the next one waits its turn
                    self.next_slot[host] = time.monotonic() + max(self.options.delay, self.crawl_delays[host])
                    for line in response.text.splitlines():
                        if line.lower().startswith("sitemap:"):
                            await self._sitemap(client, line.split(":", 1)[1].strip(), 0)
                else:
                    parser.parse([])  # no robots.txt: everything allowed
            except Exception as error:  # noqa: BLE001 - robots.txt trouble is reported, not fatal
                self.report.errors.append(InputError(robots_url, f"robots.txt unreadable ({error}); crawling as if allowed"))
                parser.parse([])
        return self.robots[host]

    async def _wait_turn(self, host: str) -> None:
        delay = max(self.options.delay, self.crawl_delays.get(host, 0.0))
        lock = self.locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            wait = self.next_slot.get(host, now) - now
            self.next_slot[host] = max(now, self.next_slot.get(host, now)) + delay
        if wait > 0:
            await asyncio.sleep(wait)

    async def _request(self, client, url: str, polite: bool = True):
        """GET with retries on 429/503 (honouring Retry-After) and on timeouts."""
        import httpx

        host = urlsplit(url).netloc
        for attempt in range(self.options.retries + 1):
            if polite:
                await self._wait_turn(host)
            try:
                response = await client.get(url)
            except httpx.TimeoutException:
                if attempt == self.options.retries:
                    raise
                continue
            if response.status_code in (429, 503) and attempt < self.options.retries:
                retry_after = _retry_after(response.headers.get("retry-after"), 2.0 ** attempt)
                await asyncio.sleep(min(retry_after, self.options.max_retry_after))
                continue
            return response
        return None

    # -- fetching ------------------------------------------------------------------------
    async def _sitemap(self, client, url: str, level: int) -> None:
        if level > 3 or self._in_scope(url) not in (None, "not a page (by its extension)"):
            return
        try:
            response = await self._request(client, url)
            if response is None or response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code if response is not None else 'no response'}")
            pages, nested = _sitemap_urls(response.content, self.options.max_bytes)
        except Exception as error:  # noqa: BLE001
            self.report.errors.append(InputError(url, f"sitemap not readable: {error}"))
            return
        for page in pages:
            self._enqueue(page, 1)
        for child in nested:
            await self._sitemap(client, child, level + 1)

    async def _fetch_page(self, client, url: str, depth: int) -> None:
        import httpx

        host = urlsplit(url).netloc
        robots = await self._robots(client, url)
        if not robots.can_fetch(self.options.user_agent, url):
            self.report.skipped.append((url, "disallowed by robots.txt"))
            return
        slot = self.slots.setdefault(host, asyncio.Semaphore(self.options.per_host))
        async with slot:
            await self._wait_turn(host)
            try:
                data, content_type, final_url, charset = await self._download(client, url)
            except httpx.TooManyRedirects:
                self.report.errors.append(InputError(url, f"redirect loop or more than {self.options.max_redirects} redirects"))
                return
            except httpx.TimeoutException:
                self.report.errors.append(InputError(url, "timed out"))
                return
            except httpx.HTTPError as error:
                self.report.errors.append(InputError(url, f"could not fetch: {type(error).__name__}: {error}"))
                return
            except _Refused as refused:
                if refused.is_error:
                    self.report.errors.append(InputError(url, str(refused)))
                else:
                    self.report.skipped.append((url, str(refused)))
                return
        final = normalise_url(final_url)
        if final != url:
            if final in self.fetched_set or self._in_scope(final):
                self.report.skipped.append((url, f"redirects to {final}"))
                return
            self.seen.add(final)
        self.fetched_set.add(final)
        self.report.fetched.append(final)
        self.pages += 1
        fmt = "feed" if content_type.startswith(FEED_TYPES) or b"<feed" in data[:500] or b"<rss" in data[:500] else "html"
        if fmt == "html":
            text = data.decode(charset or "utf-8", errors="replace")
            links = _Links(text, final_url)  # relative links resolve against the URL as served
            if links.canonical and normalise_url(links.canonical) != final and not self._in_scope(normalise_url(links.canonical)):
                self._enqueue(links.canonical, depth)
                self.report.skipped.append((final, f"canonical is {normalise_url(links.canonical)}"))
                return
            for link in links.links:
                self._enqueue(link, depth + 1)
            if self.options.follow_hreflang:
                for alternate in links.alternates:
                    self._enqueue(alternate, depth)
        channel = "social" if fmt == "feed" else None  # feed entries are posts
        if self.options.save_dir:
            self._save(final, fmt, charset, data)
        self.on_page(SourceData(SourceRef(final, fmt, None, True, channel, charset), data))
        self._progress()

    async def _download(self, client, url: str) -> tuple[bytes, str, str, str | None]:
        """GET one page, following redirects ourselves so each hop waits its turn and loops
        are caught; the body streams in under the size cap."""
        current, visited = url, {normalise_url(url)}
        for _hop in range(self.options.max_redirects + 1):
            async with client.stream("GET", current) as response:
                if response.is_redirect and response.headers.get("location"):
                    target = urljoin(current, response.headers["location"])
                    if normalise_url(target) in visited:
                        raise _Refused(f"redirect loop ({current} -> {target})", True)
                    visited.add(normalise_url(target))
                    if self._in_scope(normalise_url(target)) == "off the start host":
                        raise _Refused(f"redirects off the site to {target}", False)
                    current = target
                    await self._wait_turn(urlsplit(current).netloc)
                    continue
                if response.status_code in (429, 503):
                    await response.aclose()
                    wait = _retry_after(response.headers.get("retry-after"), 1.0)
                    await asyncio.sleep(min(max(wait, self.options.delay), self.options.max_retry_after))
                    retried = await self._request(client, current)
                    if retried is None or retried.status_code >= 400:
                        raise _Refused(f"HTTP {retried.status_code if retried is not None else response.status_code} after retries", True)
                    return await self._finish(retried.content, retried, current)
                return await self._read(response)
        raise _Refused(f"more than {self.options.max_redirects} redirects", True)

    async def _read(self, response) -> tuple[bytes, str, str, str | None]:  # type: ignore[no-untyped-def]
        if response.status_code >= 400:
            raise _Refused(f"HTTP {response.status_code} {response.reason_phrase}", True)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(HTML_TYPES + FEED_TYPES):
            raise _Refused(f"not a page ({content_type})", False)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
            raise _Refused(f"page is {int(declared) // (1024 * 1024)} MB; the limit is {self.options.max_bytes // (1024 * 1024)} MB", True)
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():  # decoded: a gzip bomb stops at the cap
            size += len(chunk)
            if size > self.options.max_bytes:
                raise _Refused(f"page is larger than {self.options.max_bytes // (1024 * 1024)} MB (after decompression); skipped", True)
            chunks.append(chunk)
        return b"".join(chunks), content_type, str(response.url), response.charset_encoding

    async def _finish(self, data: bytes, response, url: str) -> tuple[bytes, str, str, str | None]:
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if len(data) > self.options.max_bytes:
            raise _Refused("page too large", True)
        return data, content_type, str(response.url), response.charset_encoding

    def _save(self, url: str, fmt: str, charset: str | None, data: bytes) -> None:
        """Write the page under DIR/<host>/ and record it in DIR/manifest.json (atomically)."""
        import hashlib
        import json
        import os

        folder = os.path.join(self.options.save_dir or ".", urlsplit(url).netloc.replace(":", "_"))
        os.makedirs(folder, exist_ok=True)
        name = hashlib.sha1(url.encode()).hexdigest()[:16] + (".xml" if fmt == "feed" else ".html")
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)
        self.saved[os.path.relpath(os.path.join(folder, name), self.options.save_dir or ".")] = {
            "url": url, "format": fmt, "charset": charset, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        manifest = os.path.join(self.options.save_dir or ".", "manifest.json")
        temporary = manifest + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "pages": self.saved}, handle, indent=1, ensure_ascii=False)
        os.replace(temporary, manifest)

    def _progress(self) -> None:
        if self.options.progress:
            rate = self.pages / max(time.monotonic() - self.started, 1e-6)
            sys.stderr.write(f"\r  crawled {self.pages} · queued {self.queue.qsize()} · failed {len(self.report.errors)} · {rate:.1f} pages/s ")
            sys.stderr.flush()

    async def run(self) -> CrawlReport:
        import httpx

        timeout = httpx.Timeout(self.options.read_timeout, connect=self.options.connect_timeout)
        limits = httpx.Limits(max_connections=self.options.per_host * max(1, len(self.hosts)) + 2)
        headers = {"User-Agent": self.options.user_agent}
        async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers, follow_redirects=False) as client:
            for start in self.starts:
                self._enqueue(start, 0)
            for start in self.starts:
                await self._robots(client, start)
                base = urlunsplit((urlsplit(start).scheme, urlsplit(start).netloc, "/sitemap.xml", "", ""))
                if not self.robots[urlsplit(start).netloc].site_maps():
                    await self._sitemap_quiet(client, base)
            workers = [asyncio.create_task(self._worker(client)) for _ in range(self.options.per_host * len(self.hosts))]
            await self.queue.join()
            for worker in workers:
                worker.cancel()
        if self.options.progress:
            sys.stderr.write("\n")
        return self.report

    async def _sitemap_quiet(self, client, url: str) -> None:
        """/sitemap.xml when robots.txt names none: its absence is not an error."""
        try:
            response = await self._request(client, url)
            if response is not None and response.status_code == 200:
                pages, nested = _sitemap_urls(response.content, self.options.max_bytes)
                for page in pages:
                    self._enqueue(page, 1)
                for child in nested:
                    await self._sitemap(client, child, 1)
        except Exception as error:  # noqa: BLE001
            self.report.errors.append(InputError(url, f"sitemap not readable: {error}"))

    async def _worker(self, client) -> None:
        while True:
            url, depth = await self.queue.get()
            try:
                if self.pages < self.options.max_pages:
                    await self._fetch_page(client, url, depth)
                else:
                    self.report.skipped.append((url, f"beyond --max-pages {self.options.max_pages}"))
            except Exception as error:  # noqa: BLE001 - one bad page must not stop the crawl
                self.report.errors.append(InputError(url, f"could not crawl: {type(error).__name__}: {error}"))
            finally:
                self.queue.task_done()


class _Refused(Exception):
    def __init__(self, reason: str, is_error: bool) -> None:
        super().__init__(reason)
        self.is_error = is_error


def _crawl_delay(robots_txt: str, agent: str) -> float:
    """Crawl-delay for our agent's group, else the * group. The standard library's parser
    drops fractional delays ("Crawl-delay: 0.5"), which are common."""
    groups: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in robots_txt.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        else:
            in_rules = True
            if key == "crawl-delay":
                try:
                    for name in agents:
                        groups[name] = float(value)
                except ValueError:
                    pass
    product = agent.split("/", 1)[0].lower()
    return min(groups.get(product, groups.get("*", 0.0)), 60.0)


def _retry_after(value: str | None, fallback: float) -> float:
    if not value:
        return fallback
    if value.strip().isdigit():
        return float(value.strip())
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return fallback


def crawl(starts: list[str], options: CrawlOptions, on_page: Callable[[SourceData], None]) -> CrawlReport:
    return asyncio.run(Crawler(starts, options, on_page).run())
