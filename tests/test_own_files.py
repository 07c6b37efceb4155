"""commlint's own output is never checked as copy: a report written into the folder it describes,
a baseline kept beside the site, a crawl manifest. Each is left out quietly (listed in the JSON
report), and said once when named on the command line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from commlint.cli import main
from commlint.reporters import FORMATS

PAGE = "<html><body><h1>Support</h1><p>We guarantee a reply soon. Please utilize the form.</p></body></html>\n"
DRAFT = "Our team will contact you shortly.\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "contact.html").write_text(PAGE)
    (tmp_path / "draft.txt").write_text(DRAFT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args, "--jobs", "1", "--no-color"])
    return code, capsys.readouterr().out


def without_timing(report: str) -> str:
    return "\n".join(line for line in report.splitlines() if not line.startswith("Checked in "))


# Each report as a user writes it into the folder it checks (JUnit XML is no input format: it is
# only checked for its mark).
WRITTEN = {
    "report.html": ("--html", "report.html"),
    "report.json": ("--format", "json", "-o", "report.json"),
    "report.sarif.json": ("--format", "sarif", "-o", "report.sarif.json"),
    "report.txt": ("-o", "report.txt"),
    "concise.txt": ("--format", "concise", "-o", "concise.txt"),
    "annotations.txt": ("--format", "github", "-o", "annotations.txt"),
    "junit.xml": ("--format", "junit", "-o", "junit.xml"),
}


def test_reports_left_in_the_folder_change_nothing_on_the_next_run(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = check(capsys, ".")
    assert before[0] == 1 and "Found 4 problems" in before[1]
    for args in WRITTEN.values():
        check(capsys, ".", *args)
    assert sorted(path.name for path in site.iterdir() if path.is_file()) == sorted([*WRITTEN, "draft.txt"])
    assert set(FORMATS) == {"text", "concise", "json", "sarif", "github", "junit", "html"}, "a new format needs a mark and a line in WRITTEN"
    after = check(capsys, ".")
    assert after[0] == 1
    assert without_timing(after[1]) == without_timing(before[1])  # no finding in a report, no line about them
    code = main(["check", ".", "--format", "json", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and [d["path"] for d in report["documents"]] == ["draft.txt", "web/contact.html"]
    assert report["skipped"] == [{"path": name, "reason": "a commlint report"} for name in sorted(WRITTEN) if name != "junit.xml"]
    from commlint.extraction.generated import REPORT, commlint_file

    for name in WRITTEN:  # every format carries a mark commlint knows
        assert commlint_file(name, (site / name).read_bytes()) == REPORT, name


def test_a_baseline_in_the_folder_is_never_read_as_input(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, ".", "--baseline", ".commlint-baseline.json", "--update-baseline")[0] == 0
    capsys.readouterr()
    # under any name: known by its content
    (site / "ci").mkdir()
    (site / "ci" / "known-findings.json").write_bytes((site / ".commlint-baseline.json").read_bytes())
    code, out = check(capsys, ".", "--baseline", ".commlint-baseline.json")
    assert code == 0, out
    # the baseline files are never named (only the findings they hide are counted)
    assert "Skipped" not in out and ".commlint-baseline.json" not in out and "known-findings" not in out
    assert "No problems found in 2 documents." in out
    code = main(["check", ".", "--format", "json", "--jobs", "1"])
    report = json.loads(capsys.readouterr().out)
    assert [d["path"] for d in report["documents"]] == ["draft.txt", "web/contact.html"]
    assert report["skipped"] == [{"path": ".commlint-baseline.json", "reason": "a commlint baseline"},
                                 {"path": "ci/known-findings.json", "reason": "a commlint baseline"}]


def test_a_report_named_on_the_command_line_is_said_once_and_not_checked(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    check(capsys, ".", "--html", "report.html")
    code, out = check(capsys, "report.html", "draft.txt")
    assert code == 1
    assert out.count("report.html") == 1
    assert "report.html is a commlint report; not checked." in out
    assert "Found 1 problem (1 warning) in 1 of 1 document." in out


def test_files_that_are_no_social_export_are_counted_in_good_grammar(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "package.json").write_text('{"name": "site", "version": "1.0.0"}\n')
    assert "Skipped 1 file that is not a social-media export: package.json\n" in check(capsys, ".")[1]
    (site / "table.csv").write_text("id,amount\n1,20\n")
    assert "Skipped 2 files that are not social-media exports: package.json, table.csv\n" in check(capsys, ".")[1]
    check(capsys, ".", "--html", "report.html")
    assert "Skipped 2 files that are not social-media exports." in (site / "report.html").read_text()


def test_reports_from_before_the_mark_and_in_utf16_are_still_known(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from commlint.extraction.generated import BASELINE, GENERATOR, REPORT, commlint_file

    check(capsys, ".", "--html", "report.html", "-o", "report.txt")
    html = (site / "report.html").read_text()
    old_html = html.replace(f'<meta name="generator" content="{GENERATOR}">', "")
    assert old_html != html
    assert commlint_file("old.html", old_html.encode()) == REPORT
    text = (site / "report.txt").read_text()
    assert commlint_file("report.txt", b"\xff\xfe" + text.encode("utf-16-le")) == REPORT  # Windows PowerShell's `>`
    assert commlint_file("baseline.json", b'{\n "version": 1,\n "fingerprints": {}\n}\n') == BASELINE
    from commlint.reporters.facts import render_facts

    for facts_format in ("text", "json"):  # `commlint facts -o facts.txt` is no draft either
        assert commlint_file("facts.txt", render_facts([], [], facts_format).encode()) == REPORT
    # copy that merely talks about commlint is copy
    assert commlint_file("post.txt", b"We checked this page with commlint 0.1.0 before publishing.\n") is None
    assert commlint_file("page.html", b"<html><head><title>commlint report</title></head></html>") is None
