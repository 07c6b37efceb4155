"""Hostile web servers on loopback: bombs, drips, lies and huge sitemaps must neither eat the
machine nor hang the crawl (issue 9, points 3, 12 and 19).

Each case runs the real CLI as a subprocess in its own session and reads that process tree's
peak resident memory from wait4(), so other tests' children cannot blur the figure.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest

from conftest import commlint_command

MB = 1024 * 1024
RSS_LIMIT_MB = 400  # a crawl of a few pages peaks at 110-130 MB (lint worker included); the bombs took it to 1-2 GB
HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = "<!doctype html><html lang=\"en\"><head><title>{0}</title></head><body><h1>{0}</h1><p>{1}</p></body></html>"


def page(title: str, body: str = "Our network never fails.") -> bytes:
    return PAGE.format(title, body).encode()


def links(*hrefs: str) -> bytes:
    return page("Home", " ".join(f'<a href="{href}">{href}</a>' for href in hrefs))


def gzip_bomb(prefix: bytes, filler: bytes, repeats: int) -> bytes:
    """A gzip member holding prefix + filler * repeats, built without compressing every copy: after
    a full flush deflate forgets its history, so one compressed filler block can simply be repeated."""

    def flushed(data: bytes) -> bytes:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        return deflate.compress(data) + deflate.flush(zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(prefix)
    for _ in range(repeats):
        crc = zlib.crc32(filler, crc)
    size = len(prefix) + len(filler) * repeats
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    body = flushed(prefix) + flushed(filler) * repeats + end
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + body + struct.pack("<II", crc, size & 0xFFFFFFFF)


# 500 MB once decompressed, about 500 KB on the wire: the size that took a run to 1.59 GB
FILLER = b" " * MB
BOMB_REPEATS = 500


class Site:
    """path -> handler(request, hit number); every request is logged with its time."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler, int], None]] = {}
        self.hits: Counter[str] = Counter()
        self.log: list[tuple[float, str]] = []
        self.ended: dict[str, float] = {}  # path -> when the client gave up on a drip
        self.base = ""

    def handler(self):  # type: ignore[no-untyped-def]
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: D401 - quiet test output
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.log.append((time.monotonic(), self.path))
                site.hits[self.path] += 1
                route = site.routes.get(self.path) or (lambda request, hit: send(request, 404, HTML, b"not here"))
                try:
                    route(self, site.hits[self.path])
                except (BrokenPipeError, ConnectionResetError):
                    site.ended[self.path] = time.monotonic()

        return Handler


def send(request: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    request.send_response(status)
    for key, value in headers.items():
        request.send_header(key, value)
    if "Content-Length" not in headers:
        request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    for start in range(0, len(body), MB):
        request.wfile.write(body[start:start + MB])


def fixed(status: int, headers: dict[str, str], body: bytes) -> Callable[[BaseHTTPRequestHandler, int], None]:
    return lambda request, hit: send(request, status, headers, body)


def close_delimited(request: BaseHTTPRequestHandler, body: bytes) -> None:
    """No Content-Length: the body ends when the connection does (HTTP/1.0)."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.end_headers()
    for start in range(0, len(body), MB):
        request.wfile.write(body[start:start + MB])


def drip(request: BaseHTTPRequestHandler, hit: int) -> None:
    """Headers at once, then one byte every 0.3 s for as long as the client listens."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.end_headers()
    request.wfile.write(b"<!doctype html><p>")
    for _ in range(400):
        time.sleep(0.3)
        request.wfile.write(b"a")
        request.wfile.flush()


def silent(request: BaseHTTPRequestHandler, hit: int) -> None:
    """Accept the request and never answer, until the client hangs up."""
    connection: socket.socket = request.connection
    for _ in range(600):
        readable, _, _ = select.select([connection], [], [], 0.1)
        if readable and not connection.recv(1, socket.MSG_PEEK):
            raise ConnectionResetError  # the client closed: note when
    raise ConnectionResetError


@pytest.fixture()
def site():  # type: ignore[no-untyped-def]
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float

    @property
    def report(self) -> dict:
        return json.loads(self.stdout)

    def errors(self, base: str) -> dict[str, str]:
        return {e["path"].removeprefix(base): e["message"] for e in self.report["errors"]}

    def warnings(self, base: str) -> dict[str, str]:
        return {w["path"].removeprefix(base): w["message"] for w in self.report["warnings"]}


# Started by a small Python in between: at exec the kernel records the peak of the memory the
# process leaves, so a CLI forked straight from this (large) test process would report the test
# process's own size as its peak. The go-between is small when it forks the CLI.
_MEASURE = ("import os, subprocess, sys\n"
            "child = subprocess.Popen(sys.argv[2:])\n"
            "_, status, usage = os.wait4(child.pid, 0)\n"
            "open(sys.argv[1], 'w').write(f'{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}')\n")


def run_measured(cwd: Path, *args: str, limit: float = 60.0) -> Run:
    """The CLI as a user runs it; peak RSS of its whole process tree from wait4 (kernel: the child
    and its reaped children), and the process group killed if it outlives `limit`."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    out, err, measured = cwd / "stdout.txt", cwd / "stderr.txt", cwd / "measured.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-c", _MEASURE, str(measured), *commlint_command(), *args],
                                   stdout=stdout, stderr=stderr, cwd=cwd, env=env, start_new_session=True)
        timer = threading.Timer(limit, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any pool worker left behind
    except ProcessLookupError:
        pass
    assert process.returncode != -signal.SIGKILL and measured.exists(), f"commlint still running after {limit} s"
    code, peak_kb = (int(part) for part in measured.read_text().split())
    return Run(code, out.read_text(), err.read_text(), peak_kb / 1024, seconds)


def crawl(site: Site, tmp_path: Path, *extra: str, limit: float = 60.0) -> Run:
    done = run_measured(tmp_path, "check", site.base + "/", "--format", "json", "--delay", "0", "--quiet", "--jobs", "1", *extra, limit=limit)
    print(f"peak RSS {done.peak_mb:.0f} MB, {done.seconds:.1f} s")  # shown with pytest -rP
    assert done.code in (0, 1, 2) and "Traceback" not in done.stderr, done.stderr
    return done


def test_gzip_bomb_robots_txt_is_cut_at_500_kib_and_its_first_rules_obeyed(site: Site, tmp_path: Path) -> None:
    rules = b"User-agent: *\nDisallow: /private\n# padding follows\n#"
    site.routes.update({
        "/robots.txt": fixed(200, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}, gzip_bomb(rules, FILLER, BOMB_REPEATS)),
        "/": fixed(200, HTML, links("/private/secret.html", "/about")),
        "/about": fixed(200, HTML, page("About")),
        "/private/secret.html": fixed(200, HTML, page("Secret")),
    })
    done = crawl(site, tmp_path)
    assert done.peak_mb < RSS_LIMIT_MB, done.peak_mb
    assert "500 KiB" in done.warnings(site.base)["/robots.txt"]  # read in part: a warning, not an error
    assert done.code in (0, 1) and not done.report["errors"]  # exit 2 is for unreadable inputs
    assert {d["path"] for d in done.report["documents"]} == {site.base + "/", site.base + "/about"}
    assert "/private/secret.html" not in site.hits  # the rules before the cut still apply
    assert done.seconds < 30


def test_gzip_bomb_sitemaps_are_cut_at_the_cap_and_their_first_urls_used(site: Site, tmp_path: Path) -> None:
    def sitemap(path: str) -> bytes:
        return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{site.base}{path}</loc></url>").encode()

    site.routes.update({
        "/robots.txt": lambda request, hit: send(request, 200, {"Content-Type": "text/plain"}, (
            f"User-agent: *\nSitemap: {site.base}/index.xml\nSitemap: {site.base}/encoded.xml\n").encode()),
        # a sitemap index naming a .xml.gz file that is itself a bomb (gzip inside the body)
        "/index.xml": lambda request, hit: send(request, 200, {"Content-Type": "application/xml"}, (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{site.base}/pages.xml.gz</loc></sitemap></sitemapindex>").encode()),
        "/pages.xml.gz": lambda request, hit: send(request, 200, {"Content-Type": "application/gzip"},
                                                   gzip_bomb(sitemap("/from-file-gzip"), FILLER, BOMB_REPEATS)),
        # and one compressed on the wire (Content-Encoding)
        "/encoded.xml": lambda request, hit: send(request, 200, {"Content-Type": "application/xml", "Content-Encoding": "gzip"},
                                                  gzip_bomb(sitemap("/from-wire-gzip"), FILLER, BOMB_REPEATS)),
        "/": fixed(200, HTML, page("Home", "Nothing links anywhere.")),
        "/from-file-gzip": fixed(200, HTML, page("File")),
        "/from-wire-gzip": fixed(200, HTML, page("Wire")),
    })
    done = crawl(site, tmp_path)
    assert done.peak_mb < RSS_LIMIT_MB, done.peak_mb
    warnings = done.warnings(site.base)
    assert "larger than 10 MB" in warnings["/pages.xml.gz"] and "larger than 10 MB" in warnings["/encoded.xml"]
    documents = {d["path"].removeprefix(site.base) for d in done.report["documents"]}
    assert {"/", "/from-file-gzip", "/from-wire-gzip"} <= documents
    assert done.seconds < 30


def test_retries_feeds_and_lying_bodies_are_capped(site: Site, tmp_path: Path) -> None:
    html_bomb = gzip_bomb(b"<!doctype html><p>", FILLER, BOMB_REPEATS)
    endless = b"<!doctype html><p>" + b"a" * (30 * MB)
    site.routes.update({
        "/robots.txt": fixed(200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/": fixed(200, HTML, links("/busy-bomb", "/feed.atom", "/lie", "/endless", "/absurd-retry")),
        # a 503 first, and the retry is the bomb
        "/busy-bomb": lambda request, hit: send(request, 503, {"Retry-After": "0"}, b"") if hit == 1
        else send(request, 200, {**HTML, "Content-Encoding": "gzip"}, html_bomb),
        "/feed.atom": fixed(200, {"Content-Type": "application/atom+xml", "Content-Encoding": "gzip"},
                            gzip_bomb(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', FILLER, BOMB_REPEATS)),
        # says 100 bytes, sends 20 MB
        "/lie": lambda request, hit: send(request, 200, {**HTML, "Content-Length": "100"}, page("Lie", "x " * 200) + b"b" * (20 * MB)),
        # no length at all: the body ends when the connection does
        "/endless": lambda request, hit: close_delimited(request, endless),
        # a day's Retry-After: the wait is cut to the request limit (--timeout 2)
        "/absurd-retry": lambda request, hit: send(request, 503, {"Retry-After": "86400"}, b"") if hit == 1
        else send(request, 200, HTML, page("Patient")),
    })
    timeout = 2.0
    done = crawl(site, tmp_path, "--timeout", str(int(timeout)))
    assert done.peak_mb < RSS_LIMIT_MB, done.peak_mb
    errors = done.errors(site.base)
    for path in ("/busy-bomb", "/feed.atom", "/endless"):
        assert "larger than 10 MB" in errors[path], (path, errors)
    assert site.hits["/busy-bomb"] == 2
    documents = {d["path"].removeprefix(site.base) for d in done.report["documents"]}
    assert {"/lie", "/absurd-retry"} <= documents  # the lie is cut to its 100 bytes; the patient page came
    retry = [t for t, path in site.log if path == "/absurd-retry"]
    # the server asked for a day; the crawler waited about the request limit instead (at least
    # most of it, and nowhere near a day)
    waited = retry[1] - retry[0]
    assert 0.75 * timeout <= waited < 10 * timeout, retry
    assert done.seconds < 40


def test_slow_drip_and_a_silent_server_end_at_the_request_deadline(site: Site, tmp_path: Path) -> None:
    site.routes.update({
        "/robots.txt": fixed(200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/": fixed(200, HTML, links("/drip", "/silent", "/about")),
        "/drip": drip,
        "/silent": silent,
        "/about": fixed(200, HTML, page("About")),
    })
    done = crawl(site, tmp_path, "--timeout", "3", limit=40)
    errors = done.errors(site.base)
    assert errors["/drip"] == errors["/silent"] == "timed out (took longer than 3 s)"
    asked = {path: t for t, path in site.log}
    for _ in range(30):  # the server notices the hang-up at its next write, 0.3 s at most
        if {"/drip", "/silent"} <= site.ended.keys():
            break
        time.sleep(0.1)
    for path in ("/drip", "/silent"):  # the client hung up at 3 s, not at the next 3 s gap
        assert 2.9 <= site.ended[path] - asked[path] < 4.5, (path, site.ended[path] - asked[path])
    assert site.base + "/about" in {d["path"] for d in done.report["documents"]}
    assert done.seconds < 25


def test_dripping_robots_txt_times_out_and_the_crawl_goes_on(site: Site, tmp_path: Path) -> None:
    site.routes.update({"/robots.txt": drip, "/": fixed(200, HTML, page("Home"))})
    done = crawl(site, tmp_path, "--timeout", "2", limit=40)
    message = done.errors(site.base)["/robots.txt"]
    assert "took longer than 2 s" in message and "crawling as if allowed" in message
    assert [d["path"] for d in done.report["documents"]] == [site.base + "/"]
    assert done.seconds < 20


def test_huge_sitemap_with_max_pages_gives_a_small_report_with_counts(site: Site, tmp_path: Path) -> None:
    total = 50_000
    urls = "".join(f"<url><loc>{site.base}/p{number}</loc></url>" for number in range(total))
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
    site.routes.update({
        "/robots.txt": fixed(200, {"Content-Type": "text/plain"}, f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n".encode()),
        "/sitemap.xml": fixed(200, {"Content-Type": "application/xml"}, sitemap),
        # 1,500 links off the site: skipped one by one, but only the first 1,000 listed
        "/": fixed(200, HTML, links(*(f"http://elsewhere.invalid/{number}" for number in range(1500)))),
    })
    for number in range(10):
        site.routes[f"/p{number}"] = fixed(200, HTML, page(f"Page {number}"))
    done = crawl(site, tmp_path, "--max-pages", "5", "--html", "report.html")
    crawl_part = done.report["crawl"]
    assert len(crawl_part["fetched"]) == 5
    [left] = crawl_part["not_visited"]
    assert left["reason"] == "beyond --max-pages 5"
    assert left["count"] == total + 1 - 5  # every sitemap URL and the home page, less the five fetched
    assert len(left["sample"]) == 20 and all(url.startswith(site.base + "/p") for url in left["sample"])
    assert len(crawl_part["skipped"]) == 1000 and crawl_part["skipped_count"] == 1500
    # 1,000 listed skips take about 110 KB; the 49,996 leftovers add 2 KB (300,000 gave 32 MB before)
    assert len(done.stdout) < 200_000, len(done.stdout)
    html = (tmp_path / "report.html").read_text()
    assert "49,996" in html and left["sample"][0] in html
    assert sum(1 for path in site.hits if path.startswith("/p")) == 4
    assert done.seconds < 40


def test_a_page_of_25000_links_follows_the_first_10000_and_counts_the_rest(site: Site, tmp_path: Path) -> None:
    body = "".join(f'<a href="/l{number}"></a>' for number in range(25_000))  # no link text: the crawl is timed, not linting
    site.routes.update({
        "/robots.txt": fixed(200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/": fixed(200, HTML, page("Links", body)),
        "/l0": fixed(200, HTML, page("First")),
    })
    done = crawl(site, tmp_path, "--max-pages", "2")
    left = {entry["reason"]: entry["count"] for entry in done.report["crawl"]["not_visited"]}
    assert left == {"links past the first 10,000 of a page": 15_000, "beyond --max-pages 2": 9_999}
    assert done.report["crawl"]["fetched"] == [site.base + "/", site.base + "/l0"]
    assert done.seconds < 30


def test_a_big_sitemap_index_is_read_only_until_enough_urls_are_queued(site: Site, tmp_path: Path) -> None:
    children = 300
    index = "".join(f"<sitemap><loc>{site.base}/s{number}.xml</loc></sitemap>" for number in range(children))

    def child(request: BaseHTTPRequestHandler, hit: int) -> None:
        number = int(request.path[2:-4])
        urls = "".join(f"<url><loc>{site.base}/s{number}/p{page_number}</loc></url>" for page_number in range(200))
        send(request, 200, {"Content-Type": "application/xml"},
             f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode())

    site.routes.update({
        "/robots.txt": fixed(200, {"Content-Type": "text/plain"}, f"User-agent: *\nSitemap: {site.base}/index.xml\n".encode()),
        "/index.xml": fixed(200, {"Content-Type": "application/xml"},
                            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'.encode()),
        "/": fixed(200, HTML, page("Home", "Nothing links anywhere.")),
        **{f"/s{number}.xml": child for number in range(children)},
    })
    done = crawl(site, tmp_path, "--max-pages", "5")
    read = sum(1 for path in site.hits if path.startswith("/s") and path.endswith(".xml"))
    assert read <= 10, read  # 1,000 queued URLs are plenty for 5 pages
    unread = [entry for entry in done.report["crawl"]["not_visited"] if entry["reason"].startswith("sitemap not read")]
    assert sum(entry["count"] for entry in unread) == children - read  # every child sitemap read or counted
    assert done.seconds < 30


def test_text_report_prints_the_count_and_a_few_samples() -> None:
    from commlint.reporters import text
    from commlint.runner import RunResult
    from commlint.sources.crawl import CrawlReport

    report = CrawlReport(fetched=["https://x.test/"])
    for number in range(1000):
        report.leave(f"https://x.test/p{number}", "beyond --max-pages 1")
    result = RunResult(crawl_fetched=report.fetched, crawl_report=report)
    shown = text.render(result)
    assert "1,000 URLs not visited (beyond --max-pages 1)" in shown
    assert "https://x.test/p0" in shown and "https://x.test/p999" not in shown
    assert len(shown) < 2000


class _Raw:
    """Just what read_body uses of an httpx response: headers and the raw chunks."""

    def __init__(self, body: bytes, encoding: str = "") -> None:
        self.headers = {"content-encoding": encoding} if encoding else {}
        self.body = body

    async def aiter_raw(self):  # type: ignore[no-untyped-def]
        for start in range(0, len(self.body), 65536):
            yield self.body[start:start + 65536]


def _read(body: bytes, encoding: str = "", cap: int = MB, sniff_gzip: bool = False) -> tuple[bytes, bool]:
    import asyncio

    from commlint.sources.bounded import read_body

    return asyncio.run(read_body(_Raw(body, encoding), cap, sniff_gzip))


def test_bounded_body_decodes_what_we_ask_for_and_refuses_the_rest() -> None:
    import gzip

    from commlint.sources.bounded import Refused

    text = b"<p>hello</p>" * 1000
    assert _read(gzip.compress(text), "gzip") == (text, False)
    assert _read(zlib.compress(text), "deflate") == (text, False)  # zlib-wrapped, as the RFC says
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    assert _read(raw.compress(text) + raw.flush(), "deflate") == (text, False)  # raw, as some servers send
    assert _read(gzip.compress(gzip.compress(text)), "gzip, gzip") == (text, False)
    assert _read(gzip.compress(text), "", sniff_gzip=True) == (text, False)  # sitemap.xml.gz as a plain body
    packed = gzip.compress(text, mtime=0)  # one fixed header: two calls a second apart differ in their timestamp
    assert _read(packed) == (packed, False)  # not sniffed for pages
    assert _read(text, "identity") == (text, False)
    for encoding, reason in (("br", "unsupported Content-Encoding"), ("gzip, gzip, gzip", "more than two")):
        with pytest.raises(Refused, match=reason):
            _read(text, encoding)
    with pytest.raises(Refused, match="corrupt"):
        _read(b"not gzip at all", "gzip")


def test_bounded_body_stops_a_bomb_at_the_cap_even_inside_one_chunk() -> None:
    from commlint.sources import bounded

    bomb = gzip_bomb(b"<p>", FILLER, 200)  # 200 MB in about 200 KB: one 64 KB chunk holds 64 MB
    body, cut = _read(bomb, "gzip", cap=3 * MB)
    assert cut and len(body) == 3 * MB
    # a gzip file inside gzip on the wire: each step of each stage stays within one piece
    pieces = bounded._through(bounded._decoders("gzip") + [bounded._MaybeGunzip()], __import__("gzip").compress(bomb[:65536]))
    sizes = [len(piece) for _, piece in zip(range(50), pieces)]
    assert sizes and max(sizes) <= bounded.PIECE
