"""Positions of findings in emails and social exports, end to end through the CLI's JSON.

Each case names the exact line and column in the stored file (see the contract: decoded MIME
parts count lines from the raw line where the part's body begins).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, findings_of

FIXTURES = REPO / "fixtures"


def _raw_line(path: Path, line: int, encoding: str = "utf-8") -> str:
    return path.read_bytes().decode(encoding).split("\n")[line - 1]


def _at(findings: list[dict], rule: str) -> list[tuple[int, int, int, int]]:
    return [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings if f["rule"] == rule]


def test_quoted_printable_html_part_of_a_multipart_email(run_cli) -> None:
    findings = findings_of(run_cli("check", str(FIXTURES / "email/welcome.eml"), "--format", "json"))["findings"]
    # The text/html body begins at raw line 40; the merge tag is on decoded line 13 of it.
    assert _at(findings, "placeholder/merge-tag") == [(53, 7, 53, 21)]
    # (the finding points at the vague time word itself, "shortly")
    assert _at(findings, "wait-time/vague-response") == [(58, 33, 58, 40)]
    # The text/plain alternative says the same, so each problem is reported once, and the
    # hidden preheader ("guaranteed to be ready instantly") is not linted at all.
    assert not [f for f in findings if f["category"] == "overpromise"]


def test_8bit_email_columns_match_the_raw_file(run_cli) -> None:
    path = FIXTURES / "email/refund-reply.eml"
    findings = findings_of(run_cli("check", str(path), "--format", "json"))["findings"]
    line, column, _, end = _at(findings, "tone/defensive")[1]
    assert _raw_line(path, line)[column - 1 : end - 1] == "you failed to"


def test_mbox_findings_name_the_message(run_cli) -> None:
    path = FIXTURES / "email/support.mbox"
    findings = findings_of(run_cli("check", str(path), "--format", "json"))["findings"]
    merge = [f for f in findings if f["rule"] == "placeholder/merge-tag"][0]
    assert (merge["line"], merge["column"]) == (12, 6)
    assert _raw_line(path, 12)[5:20] == "[Customer Name]"
    assert merge["unit"] == {"kind": "message", "id": "<reply-7702.20250317@nordlysfiber.example>", "date": "Mon, 17 Mar 2025 13:20:04 +0100"}


def test_iso_2022_jp_email_with_a_japanese_rule(run_cli, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "ja.yaml").write_text(
        "languages: [ja]\nrules:\n  - id: wait-time/callback-test\n    kind: terms\n    severity: warning\n"
        "    message: '「{match}」'\n    terms: [折り返し]\n"
        "    examples:\n      flag: [折り返しご連絡いたします。]\n      pass: [2営業日以内にご連絡いたします。]\n",
        encoding="utf-8",
    )
    (tmp_path / "commlint.toml").write_text('rule-packs = ["pack"]\nselect = ["wait-time/callback-test"]\n')
    shutil.copy(FIXTURES / "email/ja-order.eml", tmp_path / "ja-order.eml")
    findings = findings_of(run_cli("check", "ja-order.eml", "--format", "json"))["findings"]
    assert [(f["lang"], f["channel"]) for f in findings] == [("ja", "email")]
    line, column, _, end = _at(findings, "wait-time/callback-test")[0]
    # 7bit ISO-2022-JP: decoded lines are raw lines, and the column counts decoded characters.
    assert line == 21
    decoded = (tmp_path / "ja-order.eml").read_bytes().decode("iso-2022-jp").split("\n")[line - 1]
    assert decoded[column - 1 : end - 1] == "折り返し"


def test_social_json_csv_and_x_archive_point_at_the_post(run_cli) -> None:
    report = findings_of(run_cli("check", str(FIXTURES / "social"), "--format", "json"))
    by_rule = {(Path(f["path"]).name, f["rule"]): f for f in report["findings"]}
    cases = [
        ("posts.json", "tone/exclamation-run", "nf-2025-0302", 10, "!!!"),
        ("posts.json", "overpromise/absolute", "nf-2025-0308", 40, "instantly"),
        ("posts.csv", "wait-time/vague-response", "nf-en-105", 6, "shortly"),
        ("tweets.js", "overpromise/never-fails", "1899387654321098765", 16, "never fails"),
    ]
    for name, rule, post_id, line, text in cases:
        finding = by_rule[(name, rule)]
        assert finding["unit"]["kind"] == "post" and finding["unit"]["id"] == post_id
        assert finding["line"] == line
        raw = _raw_line(FIXTURES / "social" / name, line)
        assert raw[finding["column"] - 1 : finding["end_column"] - 1] == text
    # Every post is its own document, with its unit, in the documents list.
    posts = [d for d in report["documents"] if d["path"].endswith("posts.json")]
    assert len(posts) == 8 and all(d["unit"]["kind"] == "post" for d in posts)
