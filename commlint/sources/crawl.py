"""Stage 1 for live sites: crawl politely and hand each page's bytes on as it arrives.

httpx does the HTTP; robots.txt is read with the standard library's parser (crawl-delay
included); sitemaps are parsed with defusedxml (no entity expansion), streamed. Every request,
whatever it is for (robots.txt, sitemap, page, feed, a retry after 429/503, a redirect hop), goes
through one bounded fetch: a total deadline per request, and a body cap counted on the bytes
after decompression, which we decompress ourselves a piece at a time so a gzip bomb stops at the
cap. Every failure is reported with its URL and reason, and the crawl goes on.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
import time
import urllib.robotparser
from collections import deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

from ..model import InputError, InputWarning
from ..safewrite import WriteError
from . import SourceData, SourceRef
from .bounded import Refused as _Refused, read_body as _read_body
from .webparse import LINKS_PER_PAGE, SAMPLE, Links as _Links, join as _join, sitemap_locs as _sitemap_locs

DEFAULT_AGENT = "commlint/0.1 (+https://github.com/commlint/commlint; customer-communication linter)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/feed+json", "application/xml", "text/xml")
SKIP_EXTENSIONS = (".pdf", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".mp4", ".mp3", ".css", ".js", ".ico", ".woff", ".woff2")
# RFC 9309 lets a crawler stop parsing robots.txt after at least 500 KiB, and Google stops there:
# we read no further and obey the rules in the first 500 KiB (the cut line is dropped).
ROBOTS_MAX_BYTES = 500 * 1024
SKIPPED_LISTED = 1000  # per-URL skips listed in the report; the rest are counted
QUEUE_MIN = 1000  # URLs that may wait in the queue: max(QUEUE_MIN, QUEUE_FACTOR * --max-pages)
QUEUE_FACTOR = 4
LINKS_REASON = f"links past the first {LINKS_PER_PAGE:,} of a page"
SEEN_MAX = 1_000_000  # URLs remembered (as 64-bit hashes, about 70 bytes each); more are counted, not followed
URL_MAX = 8192  # characters; a longer URL is skipped


@dataclass
class CrawlOptions:
    max_pages: int = 500  # page requests, failures included
    max_depth: int = 10
    include: tuple[str, ...] = ()  # regexes a URL must match (any)
    exclude: tuple[str, ...] = ()  # regexes that rule a URL out
    user_agent: str = DEFAULT_AGENT
    per_host: int = 2  # connections per host
    delay: float = 0.5  # seconds between requests to one host (robots crawl-delay wins if longer)
    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # --timeout: the whole request (connect, headers, body), not a gap between reads
    retries: int = 2
    max_retry_after: float = 30.0  # and never longer than read_timeout
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024  # per response, after decompression
    max_sitemaps: int = 50  # sitemap files read per crawl
    extra_starts: tuple[str, ...] = ()
    follow_hreflang: bool = True
    progress: bool = False
    save_dir: str | None = None  # keep each fetched page here, with manifest.json


@dataclass
class NotVisited:
    """URLs left alone when a limit was reached: counted, with the first few kept as a sample."""

    reason: str
    count: int = 0
    sample: list[str] = field(default_factory=list)

    def add(self, url: str) -> None:
        self.count += 1
        if len(self.sample) < SAMPLE:
            self.sample.append(url)

    def to_json(self) -> dict[str, object]:
        return {"reason": self.reason, "count": self.count, "sample": self.sample}


@dataclass
class CrawlReport:
    fetched: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason): off-host, robots, type; the first SKIPPED_LISTED
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)  # read only in part: robots.txt or a sitemap past its cap
    skipped_count: int = 0  # every per-URL skip, listed or not
    not_visited: dict[str, NotVisited] = field(default_factory=dict)  # by reason: left when a limit was reached

    def skip(self, url: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < SKIPPED_LISTED:
            self.skipped.append((url, reason))

    def leave(self, url: str, reason: str) -> None:
        self.not_visited.setdefault(reason, NotVisited(reason)).add(url)


def normalise_url(url: str) -> str:
    """One spelling per page: no fragment, lower-case host, no default port, no trailing slash.
    Raises ValueError for a URL that cannot be parsed (a bad port, a broken IPv6 host)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count // 1024} KiB"


@dataclass
class _Response:
    url: str
    status: int
    reason: str
    content_type: str = ""
    charset: str | None = None
    body: bytes = b""
    cut: bool = False  # the body went on past the cap and was cut there
    location: str | None = None  # a redirect's target
    retry_after: str | None = None
    attempts: int = 1


class Crawler:
    def __init__(self, starts: list[str], options: CrawlOptions, on_page: Callable[[SourceData], None]) -> None:
        self.options = options
        self.on_page = on_page
        self.report = CrawlReport()
        self.starts = [normalise_url(u) for u in [*starts, *options.extra_starts]]
        self.hosts = {urlsplit(u).netloc for u in self.starts}
        self.seen: set[int] = set()  # hash() of each normalised URL met: small whatever the URLs' length
        self.queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self.queue_budget = max(QUEUE_MIN, QUEUE_FACTOR * options.max_pages)
        self.limit_reason = f"beyond --max-pages {options.max_pages}"
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.next_slot: dict[str, float] = {}
        self.locks: dict[str, asyncio.Lock] = {}
        self.slots: dict[str, asyncio.Semaphore] = {}
        self.pages = 0  # handed on
        self.attempts = 0  # page requests begun, failures included: what --max-pages counts
        self.sitemaps_read = 0
        self.sitemaps_seen: set[str] = set()
        self.started = time.monotonic()
        self.include = [re.compile(p) for p in options.include]
        self.saved: dict[str, dict[str, str | None]] = {}
        self.manifest_written = 0.0
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
        if len(url) > URL_MAX:
            self.report.skip(url[:200] + "…", f"URL longer than {URL_MAX:,} characters")
            return
        try:
            url = normalise_url(url)
        except ValueError:
            self.report.skip(url[:200], "not a valid URL")
            return
        key = hash(url)
        if key in self.seen or depth > self.options.max_depth:
            return
        reason = self._in_scope(url)
        if len(self.seen) >= SEEN_MAX:  # memory stays bounded on a hostile site; counts may then repeat a URL
            if reason:
                self.report.skip(url, reason)
            else:
                self.report.leave(url, f"found after {SEEN_MAX:,} URLs (not tracked)")
            return
        self.seen.add(key)
        if reason:
            self.report.skip(url, reason)
        elif self.queue.qsize() >= self.queue_budget or self.attempts >= self.options.max_pages:
            self.report.leave(url, self.limit_reason)  # counted, not kept: a 300,000-URL sitemap costs only the seen-set
        else:
            self.queue.put_nowait((url, depth))

    # -- politeness ----------------------------------------------------------------------
    async def _robots(self, client, host_url: str) -> urllib.robotparser.RobotFileParser:  # type: ignore[no-untyped-def]
        host = urlsplit(host_url).netloc
        if host in self.robots:
            return self.robots[host]
        parser = urllib.robotparser.RobotFileParser()
        self.robots[host] = parser
        robots_url = urlunsplit((urlsplit(host_url).scheme, host, "/robots.txt", "", ""))
        cap = min(ROBOTS_MAX_BYTES, self.options.max_bytes)
        rules = ""
        try:
            response = await self._fetch(client, robots_url, cap=cap, cut_ok=True, polite=False)
            if response.status == 200:
                rules = response.body.decode("utf-8", errors="replace")
                if response.cut:
                    rules = rules.rsplit("\n", 1)[0]  # the last line may be cut in half
                    self.report.warnings.append(InputWarning(robots_url, (
                        f"robots.txt is larger than {_size(cap)} after decompression; only the rules in its first "
                        f"{_size(cap)} are obeyed (the limit RFC 9309 allows, as Google does)")))
        except Exception as error:  # noqa: BLE001 - robots.txt trouble is reported, not fatal
            if not isinstance(error, _Refused) or error.is_error:
                self.report.errors.append(InputError(robots_url, f"robots.txt unreadable ({_reason(error)}); crawling as if allowed"))
        parser.parse(rules.splitlines())  # empty: no robots.txt, everything allowed
        self.crawl_delays[host] = _crawl_delay(rules, self.options.user_agent)
        # robots.txt counts as the first request: the next one waits its turn
        self.next_slot[host] = time.monotonic() + max(self.options.delay, self.crawl_delays[host])
        return parser

    async def _wait_turn(self, host: str) -> None:
        delay = max(self.options.delay, self.crawl_delays.get(host, 0.0))
        lock = self.locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = time.monotonic()
            wait = self.next_slot.get(host, now) - now
            self.next_slot[host] = max(now, self.next_slot.get(host, now)) + delay
        if wait > 0:
            await asyncio.sleep(wait)

    # -- the one way anything is fetched -------------------------------------------------
    async def _fetch(self, client, url: str, *, cap: int, cut_ok: bool = False, polite: bool = True,  # type: ignore[no-untyped-def]
                     pages_only: bool = False, sniff_gzip: bool = False) -> _Response:
        """GET url, following redirects ourselves (each hop waits its turn; loops and hops off the
        site are refused) and retrying 429/503. Each request has a total deadline and a body cap;
        a body past the cap is refused, or cut there when cut_ok."""
        current, visited = url, {normalise_url(url)}
        for _hop in range(self.options.max_redirects + 1):
            response = await self._attempts(client, current, cap, cut_ok, polite, pages_only, sniff_gzip)
            if response.location is None:
                return response
            target = _join(current, response.location)
            normal = _normalised(target)
            if target is None or normal is None:
                raise _Refused(f"redirects to something that is no URL ({response.location[:200]!r})", True)
            if normal in visited:
                raise _Refused(f"redirect loop ({current} -> {target})", True)
            visited.add(normal)
            if self._in_scope(normal) == "off the start host":
                raise _Refused(f"redirects off the site to {target}", False)
            current, polite = target, True
        raise _Refused(f"more than {self.options.max_redirects} redirects", True)

    async def _attempts(self, client, url: str, cap: int, cut_ok: bool, polite: bool,  # type: ignore[no-untyped-def]
                        pages_only: bool, sniff_gzip: bool) -> _Response:
        import httpx

        limit = self.options.read_timeout
        for attempt in range(self.options.retries + 1):
            if polite or attempt:
                await self._wait_turn(urlsplit(url).netloc)
            try:
                # the deadline covers connecting, the headers and every byte of the body: a server
                # dripping one byte a second, or never answering, ends here
                async with asyncio.timeout(limit):
                    async with client.stream("GET", url) as streamed:
                        response = await self._receive(streamed, cap, cut_ok, pages_only, sniff_gzip)
            except httpx.ConnectTimeout:
                if attempt < self.options.retries:
                    continue
                raise _Refused(f"timed out (no connection within {min(limit, self.options.connect_timeout):g} s)", True) from None
            except (TimeoutError, httpx.TimeoutException):
                raise _Refused(f"timed out (took longer than {limit:g} s)", True) from None
            response.attempts = attempt + 1
            if response.status in (429, 503) and attempt < self.options.retries:
                wait = _retry_after(response.retry_after, 2.0 ** attempt)
                # Retry-After is honoured up to 30 s, and never longer than a request may take
                await asyncio.sleep(min(max(wait, self.options.delay), self.options.max_retry_after, limit))
                continue
            return response
        raise AssertionError("unreachable: the last attempt returns")

    async def _receive(self, streamed, cap: int, cut_ok: bool, pages_only: bool, sniff_gzip: bool) -> _Response:  # type: ignore[no-untyped-def]
        content_type = streamed.headers.get("content-type", "").split(";")[0].strip().lower()
        response = _Response(str(streamed.url), streamed.status_code, streamed.reason_phrase, content_type,
                             streamed.charset_encoding, retry_after=streamed.headers.get("retry-after"))
        if streamed.is_redirect and streamed.headers.get("location"):
            response.location = streamed.headers["location"]
        if response.location or not 200 <= response.status < 300:
            return response  # no body wanted
        if pages_only and content_type and not content_type.startswith(HTML_TYPES + FEED_TYPES):
            raise _Refused(f"not a page ({content_type})", False)
        declared = streamed.headers.get("content-length", "")
        if not cut_ok and declared.isdigit() and int(declared) > cap:
            raise _Refused(f"page is {int(declared) // (1024 * 1024)} MB; the limit is {_size(cap)}", True)
        response.body, response.cut = await _read_body(streamed, cap, sniff_gzip)
        if response.cut and not cut_ok:
            raise _Refused(f"page is larger than {_size(cap)} (after decompression); skipped", True)
        return response

    # -- sitemaps ------------------------------------------------------------------------
    async def _sitemaps(self, client, first: list[tuple[str, bool]]) -> None:  # type: ignore[no-untyped-def]
        """Read sitemaps breadth-first (quiet: /sitemap.xml guessed, its absence no error), and
        stop once enough URLs wait in the queue: a 50,000-file index is not read for 5 pages."""
        todo: deque[tuple[str, int, bool]] = deque()
        for url, quiet in first:
            if url not in self.sitemaps_seen:
                self.sitemaps_seen.add(url)
                todo.append((url, 0, quiet))
        while todo:
            url, level, quiet = todo.popleft()
            if self.queue.qsize() >= self.queue_budget:
                self.report.leave(url, f"sitemap not read: enough URLs queued for --max-pages {self.options.max_pages}")
                continue
            if self.sitemaps_read >= self.options.max_sitemaps:
                self.report.leave(url, f"sitemap not read: more than {self.options.max_sitemaps} sitemaps")
                continue
            self.sitemaps_read += 1
            for child in await self._sitemap(client, url, quiet):
                if level + 1 > 3:
                    self.report.leave(child, "sitemap not read: nested more than 3 sitemap indexes deep")
                elif self.sitemaps_read + len(todo) >= self.options.max_sitemaps:
                    self.report.leave(child, f"sitemap not read: more than {self.options.max_sitemaps} sitemaps")
                elif child not in self.sitemaps_seen:
                    self.sitemaps_seen.add(child)
                    todo.append((child, level + 1, False))

    async def _sitemap(self, client, url: str, quiet: bool) -> list[str]:  # type: ignore[no-untyped-def]
        """Enqueue a sitemap's pages; return the nested sitemaps of an index."""
        if self._in_scope(url) not in (None, "not a page (by its extension)"):
            return []
        try:
            response = await self._fetch(client, url, cap=self.options.max_bytes, cut_ok=True, sniff_gzip=True)
        except Exception as error:  # noqa: BLE001 - one bad sitemap must not stop the crawl
            self.report.errors.append(InputError(url, f"sitemap not readable: {_reason(error)}"))
            return []
        if response.status != 200:
            if not quiet:
                self.report.errors.append(InputError(url, f"sitemap not readable: HTTP {response.status} {response.reason}".rstrip()))
            return []
        if response.cut:
            self.report.warnings.append(InputWarning(url, (
                f"sitemap is larger than {_size(self.options.max_bytes)} after decompression; "
                f"only the URLs in its first {_size(self.options.max_bytes)} were used")))
        children: list[str] = []
        try:
            for nested, loc in _sitemap_locs(response.body):
                if nested:
                    children.append(loc)
                else:
                    self._enqueue(loc, 1)
        except Exception as error:  # noqa: BLE001 - defusedxml's refusals and XML errors alike
            if not response.cut:  # a cut body ends mid-element: already reported
                self.report.errors.append(InputError(url, f"sitemap not readable: {error}"))
        return children

    # -- pages ---------------------------------------------------------------------------
    async def _fetch_page(self, client, url: str, depth: int) -> None:  # type: ignore[no-untyped-def]
        import httpx

        host = urlsplit(url).netloc
        robots = await self._robots(client, url)
        if not robots.can_fetch(self.options.user_agent, url):
            self.report.skip(url, "disallowed by robots.txt")
            return
        if self.attempts >= self.options.max_pages:
            self.report.leave(url, self.limit_reason)
            return
        self.attempts += 1  # no await since the check: workers cannot overshoot the limit
        slot = self.slots.setdefault(host, asyncio.Semaphore(self.options.per_host))
        async with slot:
            try:
                response = await self._fetch(client, url, cap=self.options.max_bytes, pages_only=True)
                if response.status >= 300:
                    retried = f" (still, after {response.attempts - 1} retries)" if response.attempts > 1 else ""
                    raise _Refused(f"HTTP {response.status} {response.reason}".rstrip() + retried, True)
            except _Refused as refused:
                if refused.is_error:
                    self.report.errors.append(InputError(url, str(refused)))
                else:
                    self.report.skip(url, str(refused))
                return
            except httpx.HTTPError as error:
                self.report.errors.append(InputError(url, f"could not fetch: {_reason(error)}"))
                return
        data, content_type, final_url, charset = response.body, response.content_type, response.url, response.charset
        final = normalise_url(final_url)
        if final != url:
            if final in self.fetched_set or self._in_scope(final):
                self.report.skip(url, f"redirects to {final}")
                return
            self.seen.add(hash(final))
        self.fetched_set.add(final)
        self.report.fetched.append(final)
        self.pages += 1
        fmt = "feed" if content_type.startswith(FEED_TYPES) or b"<feed" in data[:500] or b"<rss" in data[:500] else "html"
        if fmt == "html":
            try:
                text = data.decode(charset or "utf-8", errors="replace")
            except LookupError:  # a charset Python does not know: the extraction stage detects it properly
                text = data.decode("utf-8", errors="replace")
            links = _Links(text, final_url)  # relative links resolve against the URL as served
            canonical = _normalised(links.canonical)
            if canonical and canonical != final and not self._in_scope(canonical):
                self._enqueue(canonical, depth)
                self.report.skip(final, f"canonical is {canonical}")
                return
            for link in links.links:
                self._enqueue(link, depth + 1)
            if links.more:
                left = self.report.not_visited.setdefault(LINKS_REASON, NotVisited(LINKS_REASON))
                left.count += links.more  # counted as found, not deduplicated
                left.sample.extend(links.first_more[: SAMPLE - len(left.sample)])
            if self.options.follow_hreflang:
                for alternate in links.alternates:
                    self._enqueue(alternate, depth)
        channel = "social" if fmt == "feed" else None  # feed entries are posts
        if self.options.save_dir:
            try:
                self._save(final, fmt, charset, data)
            except WriteError as error:
                self.report.errors.append(InputError(final, f"could not save the page: {error}"))
        # in a thread: when the linting queue is full, waiting must not stall other requests' deadlines
        await asyncio.to_thread(self.on_page, SourceData(SourceRef(final, fmt, None, True, channel, charset), data))
        self._progress()

    def _save(self, url: str, fmt: str, charset: str | None, data: bytes) -> None:
        """Write the page under DIR/<host>/ and record it for DIR/manifest.json. The manifest is
        rewritten at most once a second (and at the end), so saving stays linear in pages."""
        import hashlib

        from ..safewrite import write_file

        folder = os.path.join(self.options.save_dir or ".", urlsplit(url).netloc.replace(":", "_"))
        name = hashlib.sha1(url.encode()).hexdigest()[:16] + (".xml" if fmt == "feed" else ".html")
        write_file(os.path.join(folder, name), data)
        self.saved[os.path.relpath(os.path.join(folder, name), self.options.save_dir or ".")] = {
            "url": url, "format": fmt, "charset": charset, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        if time.monotonic() - self.manifest_written >= 1.0:
            self._write_manifest()

    def _write_manifest(self) -> None:
        import json

        from ..safewrite import write_file

        if self.options.save_dir:
            manifest = os.path.join(self.options.save_dir, "manifest.json")
            write_file(manifest, json.dumps({"version": 1, "pages": self.saved}, indent=1, ensure_ascii=False))
            self.manifest_written = time.monotonic()

    def _progress(self) -> None:
        if self.options.progress:
            rate = self.pages / max(time.monotonic() - self.started, 1e-6)
            sys.stderr.write(f"\r  crawled {self.pages} · queued {self.queue.qsize()} · failed {len(self.report.errors)} · {rate:.1f} pages/s ")
            sys.stderr.flush()

    async def run(self) -> CrawlReport:
        import httpx

        # httpx times only the connection; asyncio's deadline in _attempts bounds the whole request
        timeout = httpx.Timeout(None, connect=min(self.options.connect_timeout, self.options.read_timeout))
        limits = httpx.Limits(max_connections=self.options.per_host * max(1, len(self.hosts)) + 2)
        # only the codings we decompress ourselves, under the cap
        headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"}
        async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers, follow_redirects=False) as client:
            for start in self.starts:
                self._enqueue(start, 0)
            sitemaps: list[tuple[str, bool]] = []
            for start in self.starts:
                parts = urlsplit(start)
                named = (await self._robots(client, start)).site_maps() or []
                guessed = urlunsplit((parts.scheme, parts.netloc, "/sitemap.xml", "", ""))
                sitemaps += [(url, False) for url in named] if named else [(guessed, True)]
            await self._sitemaps(client, sitemaps)
            workers = [asyncio.create_task(self._worker(client)) for _ in range(self.options.per_host * len(self.hosts))]
            await self.queue.join()
            for worker in workers:
                worker.cancel()
        try:
            self._write_manifest()
        except WriteError as error:
            self.report.errors.append(InputError(self.starts[0], f"could not save the snapshot manifest: {error}"))
        if self.options.progress:
            sys.stderr.write("\n")
        return self.report

    async def _worker(self, client) -> None:  # type: ignore[no-untyped-def]
        while True:
            url, depth = await self.queue.get()
            try:
                if self.attempts < self.options.max_pages:
                    await self._fetch_page(client, url, depth)
                else:
                    self.report.leave(url, self.limit_reason)
            except Exception as error:  # noqa: BLE001 - one bad page must not stop the crawl
                self.report.errors.append(InputError(url, f"could not crawl: {type(error).__name__}: {error}"))
            finally:
                self.queue.task_done()


def _normalised(url: str | None) -> str | None:
    try:
        return normalise_url(url) if url else None
    except ValueError:
        return None


def _reason(error: Exception) -> str:
    return str(error) if isinstance(error, _Refused) else f"{type(error).__name__}: {error}"


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
