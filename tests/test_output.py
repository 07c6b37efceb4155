"""Output for people who scan (issue 13): --format concise, --statistics, the progress bar on a
terminal, -q, and findings in file order. In-process through `main(argv)`, except the progress
bar, which only a real terminal (a pseudo-terminal here) shows."""
from __future__ import annotations

import json
import mailbox
import os
import pty
import re
import subprocess
import threading
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

import pytest

from commlint.cli import main
from conftest import commlint_command

# two findings of one rule, one info finding, and rules that sort before and after by id
DRAFT = (
    "We guarantee delivery tomorrow!!! Our team will get back to you soon.\n\n"
    "We guarantee a refund. Please leverage the portal to ask for it.\n"
)
ONLY_INFO = "Thanks for your order, we really appreciate it and hope you enjoy the new router!!!\n"
CONCISE_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning|info) (?P<rule>[a-z-]+/[a-z-]+) (?P<message>.+)$")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    return "draft.txt"


def json_findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    code, out, _ = check(capsys, *args, "--format", "json")
    assert code in (0, 1), out
    return json.loads(out)["findings"]


# -- --format concise ------------------------------------------------------------------------

def test_concise_gives_one_line_per_finding_then_the_summary(draft: str, capsys) -> None:
    findings = json_findings(capsys, draft)
    assert len(findings) >= 5
    code, out, err = check(capsys, draft, "--format", "concise")
    assert code == 1 and err == ""
    lines = out.splitlines()
    expected = [f"{f['path']}:{f['line']}:{f['column']}: {f['severity']} {f['rule']} {f['message']}" for f in findings]
    assert lines[: len(expected)] == expected  # the same findings as JSON, in the same order
    assert all(CONCISE_LINE.match(line) for line in expected)
    assert lines[len(expected)] == ""
    assert lines[len(expected) + 1].startswith(f"Found {len(findings)} problems (")
    assert not any("suggestion:" in line or " | " in line for line in lines)  # no excerpt, no advice


def test_concise_stays_one_line_per_finding_with_newlines_in_path_and_message(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    pack = tmp_path / "house"
    pack.mkdir()
    (pack / "words.yaml").write_text(
        'description: House words.\nsource: Written for this test (CC0).\nlicense: CC0-1.0\nlanguages: [en]\nrules:\n'
        '  - id: jargon/house-word\n    kind: regex\n    severity: warning\n'
        '    message: "“{match}” is a banned word.\\nSay\\rwhat you mean.\\u2028Really."\n'
        "    patterns: ['\\bsynergy\\b']\n"
        '    examples:\n      flag: ["We love synergy in our team."]\n      pass: ["We love our team."]\n',
        encoding="utf-8",
    )
    config = tmp_path / "commlint.toml"
    config.write_text('rule-packs = ["house"]\n', encoding="utf-8")
    odd = "odd\nname\r.txt"
    (tmp_path / odd).write_text("We love synergy in our team.\n", encoding="utf-8")
    code, out, _ = check(capsys, odd, "--format", "concise", "--config", str(config), "--select", "jargon/house-word")
    assert code == 1
    lines = out.splitlines()  # splits at \n, \r and \u2028 alike
    assert lines[0] == "odd\\nname\\r.txt:1:9: warning jargon/house-word “synergy” is a banned word.\\nSay\\rwhat you mean.\\u2028Really."
    assert lines[1] == "" and lines[2].startswith("Found 1 problem (1 warning)")


def test_concise_is_coloured_only_when_asked_or_on_a_terminal(draft: str, capsys) -> None:
    _, plain, _ = check(capsys, draft, "--format", "concise")
    _, coloured, _ = check(capsys, draft, "--format", "concise", "--color")
    assert "\x1b[" not in plain  # captured output is no terminal
    assert "\x1b[" in coloured
    untimed = lambda report: re.sub(r"Checked in [\d.]+ s", "", report)  # noqa: E731
    assert untimed(re.sub(r"\x1b\[[0-9;]*m", "", coloured)) == untimed(plain)  # the same words


# -- --statistics ----------------------------------------------------------------------------

def test_statistics_count_each_rule_most_first_after_text_and_concise(draft: str, capsys) -> None:
    findings = json_findings(capsys, draft)
    counts = Counter(f["rule"] for f in findings)
    severity = {f["rule"]: f["severity"] for f in findings}
    expected = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    assert expected[0][1] >= 2 and expected != sorted(counts.items())  # the order is by count, not by id
    for output_format in ("text", "concise"):
        code, out, _ = check(capsys, draft, "--format", output_format, "--statistics")
        assert code == 1
        report, table = out.split("\nFindings per rule:\n")
        assert "Checked in" in report  # the table follows the whole report
        rows = table.splitlines()
        assert [(r.split()[1], int(r.split()[0])) for r in rows] == expected
        assert [r.split()[2] for r in rows] == [severity[rule] for rule, _ in expected]
        # aligned: every column starts at the same place in every row
        for column in (1, 2, 3):
            assert len({re.match(r"\s*" + r"\S+\s+" * column, r).end() for r in rows}) == 1
        guarantee = next(r for r in rows if "overpromise/guarantee" in r)
        assert "promises an outcome" in guarantee and "{" not in guarantee


def test_statistics_counts_are_in_the_json_summary(draft: str, capsys) -> None:
    code, out, _ = check(capsys, draft, "--format", "json")
    report = json.loads(out)
    assert report["summary"]["by_rule"] == dict(Counter(f["rule"] for f in report["findings"]))


@pytest.mark.parametrize("output_format", ["json", "sarif", "github", "junit", "html"])
def test_statistics_with_a_machine_format_is_a_usage_error(draft: str, capsys, output_format: str) -> None:
    code, out, err = check(capsys, draft, "--format", output_format, "--statistics")
    assert code == 2 and out == ""
    assert "--statistics" in err and "text and concise" in err


# -- -q --------------------------------------------------------------------------------------

def test_quiet_hides_info_findings_from_people_not_from_tools_or_the_exit_code(draft: str, capsys) -> None:
    findings = json_findings(capsys, draft, "-q")  # machine formats stay complete
    info = [f for f in findings if f["severity"] == "info"]
    assert len(info) == 1 and len(findings) > 1
    for output_format in ("text", "concise"):
        loud = check(capsys, draft, "--format", output_format, "--fail-on", "info")
        quiet = check(capsys, draft, "--format", output_format, "--fail-on", "info", "-q")
        assert loud[0] == quiet[0] == 1
        assert info[0]["rule"] in loud[1] and info[0]["rule"] not in quiet[1]
        assert f"Found {len(findings) - 1} problems" in quiet[1]
        assert "; 1 info finding not shown (-q)." in quiet[1]
    _, out, _ = check(capsys, draft, "--format", "concise", "-q", "--statistics")
    assert info[0]["rule"] not in out  # the counts are those of the findings shown


def test_quiet_with_only_info_findings_keeps_the_exit_code(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "thanks.txt").write_text(ONLY_INFO, encoding="utf-8")
    assert [f["severity"] for f in json_findings(capsys, "thanks.txt")] == ["info"]
    code, out, _ = check(capsys, "thanks.txt", "-q", "--fail-on", "info")
    assert code == 1
    assert "No errors or warnings in 1 document; 1 info finding not shown (-q)." in out
    assert check(capsys, "thanks.txt", "-q")[0] == 0


# -- file order ------------------------------------------------------------------------------

def _message(message_id: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "help@shop.example"
    message["To"] = "anna@example.org"
    message["Subject"] = "Your order"
    message["Message-ID"] = message_id
    message.set_content(body)
    return message


def test_findings_of_an_mbox_come_in_file_order(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    box = mailbox.mbox(tmp_path / "replies.mbox")
    # Message-IDs in the reverse of file order: sorting by message would turn the report round
    for message_id in ("<zz-first@shop.example>", "<mm-second@shop.example>", "<aa-third@shop.example>"):
        box.add(_message(message_id, "Hello Anna,\n\nWe guarantee delivery tomorrow. Our team will get back to you soon.\n\nBest, Kim\n"))
    box.flush()
    box.close()
    findings = json_findings(capsys, "replies.mbox")
    units = [f["unit"]["id"] for f in findings]
    assert set(units) == {"<zz-first@shop.example>", "<mm-second@shop.example>", "<aa-third@shop.example>"}
    assert units == sorted(units, reverse=True)  # first message first
    lines = (tmp_path / "replies.mbox").read_text(encoding="utf-8").splitlines()
    assert all("guarantee" in lines[f["line"] - 1] or "soon" in lines[f["line"] - 1] for f in findings)  # file lines
    positions = [(f["line"], f["column"]) for f in findings]
    assert positions == sorted(positions)
    _, text, _ = check(capsys, "replies.mbox")
    assert [tuple(map(int, m)) for m in re.findall(r"^replies\.mbox:(\d+):(\d+)", text, re.M)] == positions
    _, concise, _ = check(capsys, "replies.mbox", "--format", "concise")
    assert [tuple(map(int, m)) for m in re.findall(r"^replies\.mbox:(\d+):(\d+):", concise, re.M)] == positions


def test_findings_of_a_social_export_come_in_file_order(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    posts = [
        {"id": "post-9", "text": "Our new plan is guaranteed to work in every room."},
        {"id": "post-10", "text": "Thanks for waiting, Bergen. We will get back to you soon about the new area."},
        {"id": "post-1", "text": "Fibre never fails, even in a storm."},
    ]
    (tmp_path / "posts.json").write_text(json.dumps(posts, indent=2), encoding="utf-8")
    findings = json_findings(capsys, "posts.json")
    order = [f["unit"]["id"] for f in findings]
    assert order == sorted(set(order), key=["post-9", "post-10", "post-1"].index) and len(set(order)) == 3
    positions = [(f["line"], f["column"]) for f in findings]
    assert positions == sorted(positions)
    for output_format, pattern in (("github", r"line=(\d+),col=(\d+)"), ("concise", r"^posts\.json:(\d+):(\d+):")):
        _, out, _ = check(capsys, "posts.json", "--format", output_format)
        assert [tuple(map(int, m)) for m in re.findall(pattern, out, re.M)] == positions


# -- the progress bar ------------------------------------------------------------------------

def _drafts(folder: Path, count: int) -> None:
    for number in range(count):
        (folder / f"draft{number}.txt").write_text("Thanks for your order. Most parcels arrive in 3 to 5 business days.\n", encoding="utf-8")


def _run_with_terminal_stderr(args: list[str], cwd: Path) -> tuple[bytes, str, int]:
    """Run the real CLI with stderr on a pseudo-terminal (stdout a pipe): what the terminal
    showed, what stdout got, and the exit code."""
    master, slave = pty.openpty()
    process = subprocess.Popen([*commlint_command(), *args], cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    shown: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every process holding the terminal has ended
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    stdout, _ = process.communicate(timeout=300)
    reader.join(30)
    os.close(master)
    return b"".join(shown), stdout.decode("utf-8"), process.returncode


def test_progress_bar_shows_on_a_terminal_and_is_erased(tmp_path: Path) -> None:
    _drafts(tmp_path, 8)
    terminal, stdout, code = _run_with_terminal_stderr(["check", ".", "--format", "json"], tmp_path)
    assert code == 0
    assert json.loads(stdout)["summary"]["documents"] == 8  # the report is untouched
    text = terminal.decode("utf-8")
    frames = [frame for frame in text.split("\r") if frame.strip()]
    assert frames and all(re.match(r"Checking \[[#.]{24}\]  \d/8 files  [\d.]+/[\d.]+ kB  \d+ s *$", f) for f in frames)
    assert "\n" not in text  # one line, redrawn in place
    assert text.endswith("\r") and text.rsplit("\r", 2)[1].strip() == ""  # erased at the end


def test_no_progress_bar_with_quiet_or_without_a_terminal(tmp_path: Path) -> None:
    _drafts(tmp_path, 8)
    terminal, stdout, code = _run_with_terminal_stderr(["check", ".", "-q"], tmp_path)
    assert code == 0 and terminal == b""
    assert "No problems found in 8 documents." in stdout
    piped = subprocess.run([*commlint_command(), "check", "."], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""


def test_the_facts_table_aligns_japanese_values_by_terminal_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from commlint.reporters.table import display_width

    (tmp_path / "a.txt").write_text("返品は30日以内に受け付けます。お問い合わせには24時間以内に返信します。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Returns are accepted within 14 days. We reply within 24 hours.\n", encoding="utf-8")
    assert main(["facts", str(tmp_path), "--organisation", "X", "--jobs", "1"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "a.txt" in line or "b.txt" in line]
    assert len(rows) == 4
    # the "where" column starts at the same terminal column on every row, Japanese or not
    starts = {display_width(row[: row.index(str(tmp_path))]) for row in rows}
    assert len(starts) == 1, rows
