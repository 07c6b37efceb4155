"""Crawl a generated local site and report pages per second and peak memory, linting included.

Usage: python benchmarks/crawl.py [--pages 2000] [--connections 4]

Serves N generated pages from a threaded HTTP server on loopback (each page links to the next
few and states a few facts), then runs `commlint check URL --delay 0` as a separate process and
reads its peak resident memory (and its workers') from getrusage. Runs at N/4 and N pages so
growth with the number of pages is visible.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = ("Our fibre reaches most homes in the valley. Installation usually takes half a day. "
         "You can cancel within 30 days of installation and get everything back. We reply within 24 hours on weekdays. ")


def make_handler(pages: int):  # type: ignore[no-untyped-def]
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
            elif self.path == "/" or self.path.startswith("/p/"):
                number = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/p/") else 0
                links = "".join(f'<li><a href="/p/{n}">Page {n}</a></li>' for n in range(number + 1, min(pages, number + 6)))
                extra = "We guarantee the fastest speeds. " if number % 50 == 0 else ""
                body = (f"<!doctype html><html lang='en'><head><title>Page {number}</title></head><body>"
                        f"<h1>Page {number}</h1><p>{WORDS * 3}{extra}</p><ul>{links}</ul></body></html>").encode()
                kind = "text/html; charset=utf-8"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def crawl_once(pages: int, connections: int) -> tuple[float, int, int, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pages))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    command = [shutil.which("commlint") or sys.executable, *([] if shutil.which("commlint") else ["-m", "commlint"]),
               "check", url, "--format", "json", "--delay", "0", "--connections", str(connections),
               "--max-pages", str(pages), "--max-depth", str(pages), "--quiet", "--fail-on", "never"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    server.shutdown()
    server.server_close()
    report = json.loads(done.stdout)
    return elapsed, len(report["documents"]), len(report["findings"]), max(peak_kb, before)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    print(f"{'pages':>6} {'seconds':>8} {'pages/s':>8} {'findings':>9} {'peak RSS MB':>12}")
    for pages in (args.pages // 4, args.pages):
        elapsed, documents, findings, peak_kb = crawl_once(pages, args.connections)
        print(f"{documents:>6} {elapsed:>8.1f} {documents / elapsed:>8.1f} {findings:>9} {peak_kb / 1024:>12.0f}")
    print("(peak RSS: the largest single commlint process, main or worker, from getrusage)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
