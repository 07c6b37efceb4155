"""`--format html` in a real headless browser (system Chromium driven by Playwright).

The report of the fixtures run is opened from disk: no console errors, no request but the
file itself, totals that match the JSON report of the same run, a contradictions table,
highlighted findings, and filters that hide findings and update the visible count.
A full-page screenshot is saved to tests/output/html-report.png for people to look at.
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
def page(report):
    executable = _chromium()
    # scripts/test installs Debian's chromium when it is missing: its absence is a broken setup
    assert executable is not None, "Chromium not found (/usr/bin/chromium); install it with apt-get install chromium"
    from playwright import sync_api  # a test dependency: missing means a broken setup, not a skip
    html, _ = report
    url = html.resolve().as_uri()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
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
        browser.close()


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
