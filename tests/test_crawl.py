"""Crawling a real HTTP server on loopback: politeness, discovery, failures and decoding."""
from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import findings_of

PAGE = "<!doctype html><html lang=\"{lang}\"><head><title>{title}</title>{head}</head><body><h1>{title}</h1>{body}</body></html>"


def page(title: str, body: str, head: str = "", lang: str = "en") -> bytes:
    return PAGE.format(title=title, body=body, head=head, lang=lang).encode("utf-8")


class Site:
    """Routes: path -> (status, headers, body) or a callable; every request is logged with its time."""

    def __init__(self) -> None:
        self.log: list[tuple[float, str]] = []
        self.routes: dict[str, object] = {}
        self.hits: dict[str, int] = {}

    def handler(self):  # type: ignore[no-untyped-def]
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: D401 - keep the test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.log.append((time.monotonic(), self.path))
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                route = site.routes.get(self.path)
                if callable(route):
                    route = route(self, site.hits[self.path])
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"not here")
                status, headers, body = route
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


@pytest.fixture()
def site():  # type: ignore[no-untyped-def]
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def _build(site: Site) -> None:
    base = site.base
    html = {"Content-Type": "text/html; charset=utf-8"}
    links = "".join(f'<a href="{href}">{href}</a> ' for href in (
        "/about", "/private/secret.html", "http://other.invalid/page", "/redirect1", "/loop1", "/missing", "/error",
        "/slow", "/busy", "/big", "/bomb", "/sjis.html", "/en/prices.html", "/doc.pdf", "/feed.atom",
    ))
    site.routes.update({
        "/robots.txt": (200, {"Content-Type": "text/plain"},
                        f"User-agent: *\nDisallow: /private\nCrawl-delay: 0.2\nSitemap: {base}/sitemap_index.xml\n".encode()),
        "/sitemap_index.xml": (200, {"Content-Type": "application/xml"}, (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>").encode()),
        "/sitemap-pages.xml.gz": (200, {"Content-Type": "application/gzip"}, gzip.compress((
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/from-sitemap.html</loc></url></urlset>").encode())),
        "/": (200, html, page("Home", f"<p>Welcome. {links}</p>")),
        "/about": (200, html, page("About", "<p>Our network never fails.</p>")),
        "/from-sitemap.html": (200, html, page("Only in the sitemap", "<p>This page is linked from nowhere.</p>")),
        "/private/secret.html": (200, html, page("Secret", "<p>Must not be fetched.</p>")),
        "/redirect1": (301, {"Location": "/redirect2"}, b""),
        "/redirect2": (302, {"Location": "/final.html"}, b""),
        "/final.html": (200, html, page("Final", "<p>You made it through two redirects.</p>")),
        "/loop1": (302, {"Location": "/loop2"}, b""),
        "/loop2": (302, {"Location": "/loop1"}, b""),
        "/error": (500, html, b"boom"),
        "/slow": lambda handler, hit: (time.sleep(2.5), (200, html, page("Slow", "<p>Too late.</p>")))[1],
        "/busy": lambda handler, hit: (429, {"Retry-After": "1"}, b"") if hit == 1 else (200, html, page("Busy", "<p>Served on the second try.</p>")),
        "/big": (200, {**html, "Content-Length": str(50 * 1024 * 1024)}, b""),
        "/bomb": (200, {**html, "Content-Encoding": "gzip"}, gzip.compress(b"<p>" + b"A" * (40 * 1024 * 1024))),
        "/sjis.html": (200, {"Content-Type": "text/html; charset=Shift_JIS"},
                       page("サポート", "<p>回線は必ず契約どおりの速度が出ます。</p>", lang="ja").decode("utf-8").encode("shift_jis")),
        "/en/prices.html": (200, html, page("Refunds", "<p>Cancel within 30 days of installation for a full refund.</p>",
                                            head='<link rel="alternate" hreflang="nb" href="/nb/priser.html">')),
        "/nb/priser.html": (200, html, page("Angrerett", "<p>Du kan si opp innen 14 dager etter installasjonen og få pengene tilbake.</p>",
                                            head='<link rel="alternate" hreflang="en" href="/en/prices.html">', lang="nb")),
        "/doc.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
        "/feed.atom": (200, {"Content-Type": "application/atom+xml"}, (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Status</title>'
            '<entry><id>tag:status,1</id><updated>2025-03-01T10:00:00Z</updated><title>Outage in Bergen</title>'
            "<summary>We are aware of an outage in Bergen. We apologise for the trouble.</summary></entry>"
            '<entry><id>tag:status,2</id><updated>2025-03-02T10:00:00Z</updated><title>Resolved</title>'
            "<summary>The outage is over. Next update at 15:00 if anything changes.</summary></entry></feed>").encode()),
    })


@pytest.fixture()
def crawled(site, run_cli):  # type: ignore[no-untyped-def]
    _build(site)
    done = run_cli("check", site.base + "/", "--format", "json", "--delay", "0", "--timeout", "1", "--quiet", "--jobs", "2")
    return site, done, findings_of(done)


def test_politeness_robots_and_scope(crawled) -> None:
    site, done, report = crawled
    paths = [path for _, path in site.log]
    assert paths[0] == "/robots.txt"  # asked first, before any page
    assert "/private/secret.html" not in paths  # Disallow
    assert "/doc.pdf" not in paths  # not a page
    skipped = {item["url"].removeprefix(site.base): item["reason"] for item in report["crawl"]["skipped"]}
    assert skipped["/private/secret.html"] == "disallowed by robots.txt"
    assert "http://other.invalid/page" in {item["url"] for item in report["crawl"]["skipped"]}
    # Crawl-delay 0.2 s: requests for pages never come closer than that (a little timer slack allowed)
    page_times = [t for t, path in site.log if path not in ("/robots.txt",)]
    gaps = [b - a for a, b in zip(page_times, page_times[1:])]
    assert min(gaps) >= 0.15, gaps
    assert max(site.hits.values()) <= 2  # nothing fetched twice, except the retried /busy


def test_discovery_redirects_sitemaps_hreflang_and_feeds(crawled) -> None:
    site, done, report = crawled
    documents = {d["path"].removeprefix(site.base) for d in report["documents"]}
    assert {"/", "/about", "/from-sitemap.html", "/final.html", "/busy", "/sjis.html", "/en/prices.html", "/nb/priser.html"} <= documents
    assert "/sitemap-pages.xml.gz" in [p for _, p in site.log]  # the gzip sitemap named in the index
    posts = [d for d in report["documents"] if d.get("unit", {}).get("kind") == "post"]
    assert {p["unit"]["id"] for p in posts} == {"tag:status,1", "tag:status,2"}
    outage = [f for f in report["findings"] if f["rule"] == "wait-time/no-next-update"]
    assert [f["unit"]["id"] for f in outage] == ["tag:status,1"]
    # the two language versions state different refund windows
    [contradiction] = [f for f in report["findings"] if f["rule"] == "contradiction/refund-window"]
    involved = {contradiction["path"], *(r["path"] for r in contradiction["related"])}
    assert involved == {site.base + "/en/prices.html", site.base + "/nb/priser.html"}


def test_failures_are_reported_and_the_crawl_goes_on(crawled) -> None:
    site, done, report = crawled
    assert done.returncode == 2 and "Traceback" not in done.stderr
    errors = {e["path"].removeprefix(site.base): e["message"] for e in report["errors"]}
    assert errors["/missing"] == "HTTP 404 Not Found"
    assert errors["/error"] == "HTTP 500 Internal Server Error"
    assert "redirect" in errors["/loop1"]
    assert errors["/slow"] == "timed out (took longer than 1 s)"
    assert "50 MB" in errors["/big"]
    assert "after decompression" in errors["/bomb"]
    busy = [t for t, path in site.log if path == "/busy"]
    assert len(busy) == 2 and busy[1] - busy[0] >= 0.9  # Retry-After: 1 honoured


def test_findings_point_at_the_url_and_line_and_shift_jis_decodes(crawled) -> None:
    site, done, report = crawled
    about = [f for f in report["findings"] if f["path"] == site.base + "/about"]
    assert about and about[0]["line"] == 1 and about[0]["rule"] == "overpromise/never-fails"
    sjis = [f for f in report["findings"] if f["path"] == site.base + "/sjis.html"]
    assert sjis and "必ず" in sjis[0]["excerpt"] and sjis[0]["lang"] == "ja"


def test_saved_crawl_lints_offline_with_the_same_urls(site, run_cli, tmp_path: Path) -> None:
    _build(site)
    args = ["--format", "json", "--delay", "0", "--timeout", "1", "--quiet", "--include", r"/(about|en/|nb/)?", "--max-pages", "4"]
    live = findings_of(run_cli("check", site.base + "/", *args, "--save", "snapshot"))
    assert json.loads((tmp_path / "snapshot" / "manifest.json").read_text())["pages"]
    offline = findings_of(run_cli("check", "snapshot", "--format", "json"))
    key = lambda f: (f["path"], f["line"], f["column"], f["rule"])  # noqa: E731
    assert sorted(map(key, offline["findings"])) == sorted(map(key, live["findings"]))
    assert all(f["path"].startswith(site.base) for f in offline["findings"])
