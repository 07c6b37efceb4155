"""`--format html` in a real headless browser (system Chromium driven by Playwright).

The report of the fixtures run is opened from disk: no console errors, no request but the
file itself, totals that match the JSON report of the same run, a contradictions table,
highlighted findings, and filters that hide findings and update the visible count.
A full-page screenshot is saved to tests/output/html-report.png for people to look at.

A second report, of a web page, an HTML e-mail and a social export written here, shows that each
finding quotes the sentence as its reader sees it (no tags, entities decoded, the post's text
rather than its JSON) with the flagged words marked and the rule linked to its page; and the
fixtures report is read again at phone width (400 px): nothing cut off, no sideways scrolling.
"""
from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO

SCREENSHOT = REPO / "tests" / "output" / "html-report.png"


def _chromium() -> str | None:
    for candidate in (os.environ.get("COMMLINT_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict]:
    """The fixtures run as an HTML file, and the JSON report of the same run."""
    import subprocess

    from conftest import commlint_command

    folder = tmp_path_factory.mktemp("html-report")
    html = folder / "report.html"
    common = [*commlint_command(), "check", str(REPO / "fixtures")]
    for args in (["--format", "html", "--output", str(html)], ["--format", "json", "--output", str(folder / "report.json")]):
        done = subprocess.run([*common, *args], capture_output=True, text=True, cwd=folder, timeout=300)
        assert done.returncode in (0, 1), done.stderr
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert data["findings"], "the fixtures are expected to have findings"
    return html, data


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (Playwright's sync API allows one at a time)."""
    executable = _chromium()
    # scripts/test installs Debian's chromium when it is missing: its absence is a broken setup
    assert executable is not None, "Chromium not found (/usr/bin/chromium); install it with apt-get install chromium"
    from playwright import sync_api  # a test dependency: missing means a broken setup, not a skip
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(report, browser):
    html, _ = report
    url = html.resolve().as_uri()
    tab = browser.new_page(viewport={"width": 1366, "height": 900})
    tab.console_messages_seen = []  # type: ignore[attr-defined]
    tab.requests_seen = []  # type: ignore[attr-defined]
    tab.failed_requests = []  # type: ignore[attr-defined]
    tab.page_errors = []  # type: ignore[attr-defined]
    tab.on("console", lambda message: tab.console_messages_seen.append((message.type, message.text)))
    tab.on("request", lambda request: tab.requests_seen.append(request.url))
    tab.on("requestfailed", lambda request: tab.failed_requests.append(request.url))
    tab.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    tab.goto(url, wait_until="load")
    tab.report_url = url  # type: ignore[attr-defined]
    yield tab
    tab.close()


def _visible(page, selector: str) -> int:
    return page.locator(selector).evaluate_all("els => els.filter(e => e.offsetParent !== null).length")


def _reset(page) -> None:
    page.click("#filter-reset")


def test_page_is_self_contained_and_quiet(page, report):
    html, _ = report
    source = html.read_text(encoding="utf-8")
    for needle in ("http://", "https://", "<link", "@import", "src="):
        assert needle not in source.split("<main>")[0], f"{needle} in the report's head"
    assert page.page_errors == []
    assert [m for m in page.console_messages_seen if m[0] in ("error", "warning")] == []
    assert page.failed_requests == []
    assert page.requests_seen == [page.report_url]


def test_totals_match_the_json_report(page, report):
    _, data = report
    summary = data["summary"]
    assert page.inner_text("#total-documents b").replace(",", "") == str(summary["documents"])
    assert page.inner_text("#total-words b").replace(",", "") == str(summary["words"])
    assert page.inner_text("#total-findings b").replace(",", "") == str(summary["findings"])
    for severity in ("error", "warning", "info"):
        assert page.inner_text(f"#total-{severity} b") == str(summary["by_severity"].get(severity, 0))
    assert page.locator(".finding").count() == summary["findings"]
    assert page.inner_text("#visible-count") == str(summary["findings"])
    by_category = page.inner_text("#summary-category")
    for category, count in summary["by_category"].items():
        assert category in by_category
    channels = Counter(f["channel"] for f in data["findings"])
    for channel, count in channels.items():
        row = page.locator("#summary-channel .bar", has_text=channel).first
        assert row.locator(".n").inner_text() == str(count)
    assert "Summary" in page.inner_text("body") and page.locator("#summary-language .bar").count() == len({f["lang"] for f in data["findings"]})


def test_contradictions_table(page, report):
    _, data = report
    contradictions = [f for f in data["findings"] if f["category"] == "contradiction"]
    assert contradictions, "the fixtures state some facts differently"
    rows = page.locator("#contradictions tr.contradiction-row")
    assert rows.count() >= 2 * len(contradictions)  # every contradiction has at least two values
    facts = {f["message"].split(":")[0] for f in contradictions}
    table = page.inner_text("#contradictions")
    for fact in facts:
        assert fact in table
    assert page.locator("#contradictions .flag").count() == len(contradictions)
    for related in contradictions[0]["related"][:3]:
        assert related["value"] in table


def test_findings_are_highlighted(page, report):
    _, data = report
    _reset(page)
    assert _visible(page, ".finding") == len(data["findings"])
    marks = page.locator(".finding mark")
    assert marks.count() >= len(data["findings"]) // 2
    first = next(f for f in data["findings"] if f["category"] != "contradiction" and f["line"] == f["end_line"])
    finding = page.locator(f'.doc[data-path="{first["path"]}"] .finding[data-rule="{first["rule"]}"]').first
    assert finding.locator("mark").count() == 1
    assert finding.locator(".msg").inner_text() == first["message"]
    if first["suggestion"]:
        assert first["suggestion"] in finding.locator(".fix").inner_text()
    for attribute in ("data-category", "data-channel", "data-severity"):
        assert page.locator(f".finding[{attribute}]").count() == len(data["findings"])


@pytest.mark.parametrize("group, key", [("category", "category"), ("severity", "severity"), ("channel", "channel")])
def test_filters_hide_findings_and_update_the_count(page, report, group, key):
    _, data = report
    _reset(page)
    counts = Counter(f[key] for f in data["findings"])
    name, count = counts.most_common(1)[0]
    box = page.locator(f"#filter-{group}-{name}")
    box.click()
    assert not box.is_checked()
    assert _visible(page, f'.finding[data-{group}="{name}"]') == 0
    remaining = len(data["findings"]) - count
    assert page.inner_text("#visible-count") == str(remaining)
    assert _visible(page, ".finding") == remaining
    box.click()
    assert page.inner_text("#visible-count") == str(len(data["findings"]))
    assert _visible(page, f'.finding[data-{group}="{name}"]') == count


def test_all_filters_off_shows_the_empty_message(page, report):
    _reset(page)
    for box in page.locator('input[data-filter="severity"]').all():
        box.uncheck()
    assert page.inner_text("#visible-count") == "0"
    assert page.locator("#no-match").is_visible()
    assert _visible(page, ".doc") == 0
    _reset(page)
    assert not page.locator("#no-match").is_visible()


def test_screenshot(page):
    _reset(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000


# -- what the reader sees, links, phone width ------------------------------------------------
READER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Acme refunds</title></head>
<body><main>
<h1>Refunds</h1>
<p>Changed your mind? You can cancel within <strong>30 days</strong> and get a full refund.</p>
<p>We <b>guarantee</b> the fastest&nbsp;connection in town &ndash; ask your neighbours.</p>
</main></body></html>
"""
READER_MAIL = """From: Acme Support <support@acme.example>
To: kari@example.net
Subject: Your refund
Date: Mon, 10 Mar 2025 09:12:00 +0100
Message-ID: <reply-1@acme.example>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 7bit

<html><body><p>Hello Kari,</p>
<p>Thanks for writing to us. You can cancel within <b>14 days</b> and get a full refund.</p>
<p>We&#8217;ll get back to you <em>soon</em> about the router.</p>
</body></html>
"""
READER_POSTS = """[
  {"id": "p-1", "created_at": "2025-03-03T09:30:00+01:00", "text": "Our network never fails, whatever the weather."}
]
"""
# file -> rule -> (the sentence as read, the words that must be marked, the line in the file)
READER_TEXT = {
    "page.html": {
        "overpromise/guarantee": ("We guarantee the fastest connection in town – ask your neighbours.", "guarantee", 6),
    },
    "reply.eml": {
        "wait-time/vague-response": ("We’ll get back to you soon about the router.", "soon", 12),
        "contradiction/refund-window": ("You can cancel within 14 days and get a full refund.", "14 days", 11),
    },
    "posts.json": {
        "overpromise/never-fails": ("Our network never fails, whatever the weather.", "never fails", 2),
    },
}


def _open(browser, html: Path, width: int):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(html.resolve().as_uri(), wait_until="load")
    return tab


@pytest.fixture(scope="module")
def reader_page(tmp_path_factory, browser):
    """The report of one web page, one HTML e-mail and one social export, in Chromium."""
    from commlint.cli import main

    folder = tmp_path_factory.mktemp("reader")
    inputs = folder / "inputs"
    inputs.mkdir()
    for name, text in (("page.html", READER_PAGE), ("reply.eml", READER_MAIL), ("posts.json", READER_POSTS)):
        (inputs / name).write_text(text, encoding="utf-8")
    html = folder / "report.html"
    assert main(["check", str(inputs), "--organisation", "Acme", "--format", "html", "--output", str(html), "--jobs", "1", "-q"]) == 1
    tab = _open(browser, html, 1366)
    yield tab
    tab.close()


@pytest.mark.parametrize("name, rule", [(name, rule) for name, rules in READER_TEXT.items() for rule in rules])
def test_excerpts_show_the_readers_text_with_the_flagged_words_marked(reader_page, name, rule):
    sentence, flagged, line = READER_TEXT[name][rule]
    finding = reader_page.locator(f'.doc[data-path$="/{name}"] .finding[data-rule="{rule}"]')
    assert finding.count() == 1
    shown = finding.locator(".ctx").inner_text()
    assert " ".join(shown.split()) == " ".join(sentence.split())  # the whole sentence, as read
    for source_only in ("<", ">", "&#", "&nbsp;", "&ndash;", '"text"', "{"):
        assert source_only not in shown
    assert finding.locator(".ctx mark").all_inner_texts() == [flagged]
    # where it is in the file stays at hand, in small print
    assert f"source: {name}:{line}:" in finding.locator(".loc").inner_text()


def test_every_rule_id_links_to_its_page(reader_page):
    from conftest import rule_page_url

    rules = reader_page.locator(".finding").evaluate_all("els => els.map(e => e.dataset.rule)")
    links = reader_page.locator(".finding .loc a.rule").evaluate_all("els => els.map(a => [a.textContent, a.href])")
    assert rules and links == [[rule, rule_page_url(rule)] for rule in rules]
    table_links = reader_page.locator("#contradictions a.rule").all_inner_texts()
    assert table_links == ["contradiction/refund-window"]
    for rule in rules:
        assert (REPO / "docs" / "rules" / (rule + ".md")).is_file()  # the page the link names is there


def test_the_report_fits_a_phone(report, browser):
    """At 400 px nothing needs sideways scrolling, and every value of the contradictions table
    and every finding sits inside the screen."""
    html, data = report
    tab = _open(browser, html, 400)
    try:
        assert tab.evaluate("document.documentElement.scrollWidth") <= 400
        values = tab.locator("#contradictions td.value")
        assert values.count() >= 2 * len([f for f in data["findings"] if f["category"] == "contradiction"])
        for box in tab.locator("#contradictions td.value, #contradictions .places li, .finding").evaluate_all(
                "els => els.filter(e => e.offsetParent !== null).map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; })"):
            left, right, width = box
            assert left >= 0 and right <= 400 and width > 0, box
        for value in values.all():
            assert value.is_visible() and value.inner_text().strip()
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOT.with_name("html-report-phone.png")), full_page=False)
    finally:
        tab.close()
