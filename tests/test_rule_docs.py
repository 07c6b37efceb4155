"""Help on the rules: `commlint rules` as a table, `commlint rule ID --lang`, the generated rule
pages in docs/rules/ and the links to them from every finding (SARIF, JSON, `rule`).

Commands run in-process through commlint.cli.main(argv); the page generator runs as the script
a maintainer runs.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, rule_page_url

from commlint.cli import main
from commlint.claims import CLAIM_RULES
from commlint.packs import builtin_pack_folder
from commlint.rules.spec import load_packs

DOCS = REPO / "docs" / "rules"
PACK_LANGUAGES = "de, en, id, ja, nb, su"
DRAFT = "We guarantee a reply within one hour.\n\nOur team will get back to you soon.\n"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _rule_ids() -> set[str]:
    return {spec.id for spec in load_packs([builtin_pack_folder()])} | set(CLAIM_RULES)


# -- commlint rules ---------------------------------------------------------------------------
def _table(out: str) -> tuple[str, list[str]]:
    lines = out.splitlines()
    end = lines.index("")
    return lines[0], lines[1:end]


def test_rules_is_a_table_with_a_header_and_aligned_columns(capsys) -> None:
    code, out, _ = _run(capsys, "rules")
    assert code == 0
    header, rows = _table(out)
    assert header.split() == ["RULE", "SEVERITY", "LANGUAGES", "DESCRIPTION"]
    starts = [header.index(name) for name in ("SEVERITY", "LANGUAGES", "DESCRIPTION")]
    assert {row.split()[0] for row in rows} == _rule_ids()  # every rule, claim rules too, once
    for row in rows:
        for start in starts:  # each column begins where its heading does, after a gap
            assert row[start - 2:start] == "  " and row[start] != " ", row
        assert row.split()[1] in ("info", "warning", "error")


def test_rules_show_placeholders_in_words(capsys) -> None:
    _, out, _ = _run(capsys, "rules")
    assert "“…”" not in out and "… …" not in out and "{" not in out
    assert "jargon/corporate" in out and "“‹phrase›” is corporate jargon" in out
    assert "Hard to read: ‹score› ‹N› (aim for at least ‹limit›)" in out


def _description(out: str, rule_id: str) -> str:
    header, rows = _table(out)
    [row] = [row for row in rows if row.split()[0] == rule_id]
    return row[header.index("DESCRIPTION"):]


def test_rules_describe_each_language_in_its_own_words(capsys) -> None:
    neutral = _description(_run(capsys, "rules")[1], "readability/plain-words")
    german = _description(_run(capsys, "rules", "--lang", "de")[1], "readability/plain-words")
    english = _description(_run(capsys, "rules", "--lang", "en")[1], "readability/plain-words")
    assert "German" in german
    assert "German" not in neutral and neutral == english  # no language chosen: the English pack
    japanese = _description(_run(capsys, "rules", "--lang", "ja")[1], "readability/long-sentence")
    assert "characters" in japanese and "‹words›" not in japanese


def test_rules_for_one_language_leave_the_others_out(capsys) -> None:
    code, out, _ = _run(capsys, "rules", "--lang", "id")
    _, rows = _table(out)
    ids = {row.split()[0] for row in rows}
    assert code == 0 and "jargon/letter-office" in ids and "overpromise/never-fails" not in ids
    assert "tone/shouting" in ids  # a rule for every language is listed for each


def test_rules_with_an_unknown_language_is_a_usage_error(capsys) -> None:
    code, out, err = _run(capsys, "rules", "--lang", "xx")
    assert code == 2 and out == ""
    assert "'xx' is not a language" in err and PACK_LANGUAGES in err


def test_rules_columns_align_with_wide_characters() -> None:
    from commlint.reporters.table import display_width, render_table

    lines = render_table([("NAME", "NOTE"), ("返金", "x"), ("refund", "y")])
    assert lines == ["NAME    NOTE", "返金    x", "refund  y"]  # 返金 takes four columns on a terminal
    assert {display_width(line[:-1]) for line in lines[1:]} == {8}


# -- commlint rule ID --lang ------------------------------------------------------------------
def test_rule_with_a_language_shows_only_that_variant(capsys) -> None:
    code, out, _ = _run(capsys, "rule", "overpromise/guarantee", "--lang", "de")
    assert code == 0
    assert "German (de)" in out and "English (en)" not in out
    assert "Wir garantieren Ihnen die Zustellung noch vor Heiligabend." in out
    assert "We guarantee delivery the next day." not in out
    assert f"Documentation: {rule_page_url('overpromise/guarantee')}" in out


def test_rule_with_a_language_it_lacks_or_an_unknown_one_is_a_usage_error(capsys) -> None:
    code, _, err = _run(capsys, "rule", "overpromise/never-fails", "--lang", "de")
    assert code == 2 and "no variant for 'de'; it has: en" in err
    code, _, err = _run(capsys, "rule", "overpromise/guarantee", "--lang", "xx")
    assert code == 2 and PACK_LANGUAGES in err


def test_rule_without_a_language_shows_every_variant_in_its_own_words(capsys) -> None:
    code, out, _ = _run(capsys, "rule", "readability/plain-words")
    assert code == 0 and "“‹phrase›” is a formal word where a plain one reads easier" in out.split("German (de)")[0]
    assert "stiff official German" in out.split("German (de)")[1].split("English (en)")[0]
    code, out, _ = _run(capsys, "rule", "contradiction/price")
    assert code == 0 and f"Documentation: {rule_page_url('contradiction/price')}" in out


# -- the rule pages ---------------------------------------------------------------------------
def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))}


def test_committed_rule_pages_are_up_to_date(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "rule_docs.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    fresh, committed = _tree(tmp_path), _tree(DOCS)
    stale = sorted(path for path in fresh.keys() | committed.keys() if fresh.get(path) != committed.get(path))
    assert not stale, f"docs/rules is out of date ({', '.join(stale[:5])}): run python scripts/rule_docs.py and commit"


def test_every_rule_has_a_page_listed_in_the_index() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for rule_id in _rule_ids():
        page = DOCS / f"{rule_id}.md"
        assert page.is_file(), rule_id
        text = page.read_text(encoding="utf-8")
        assert text.splitlines()[1] == f"# {rule_id}" and "## Why it matters" in text
        assert f"]({rule_id}.md)" in index
    assert "Not flagged:" in (DOCS / "overpromise" / "guarantee.md").read_text(encoding="utf-8")
    assert "Geld zurück" in (DOCS / "contradiction" / "refund-window.md").read_text(encoding="utf-8")  # cue words


def test_rule_page_links_are_built_from_pyprojects_documentation_url() -> None:
    from commlint.ruledocs import rule_doc_url

    url = rule_page_url("overpromise/guarantee")
    assert url.startswith("https://") and url.endswith("/docs/rules/overpromise/guarantee.md")
    assert rule_doc_url("overpromise/guarantee") == url


# -- links from findings ----------------------------------------------------------------------
@pytest.fixture
def draft(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    return tmp_path / "draft.txt"


def test_sarif_gives_every_rule_its_page(capsys, draft: Path) -> None:
    code, out, _ = _run(capsys, "check", str(draft), "--format", "sarif", "--jobs", "1")
    assert code == 1
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} == _rule_ids()
    for rule in rules:
        assert rule["helpUri"] == rule_page_url(rule["id"]), rule["id"]
        assert rule_page_url(rule["id"]) in rule["help"]["markdown"]
        assert "{" not in rule["shortDescription"]["text"]


def test_json_findings_carry_their_rules_page(capsys, draft: Path) -> None:
    code, out, _ = _run(capsys, "check", str(draft), "--format", "json", "--jobs", "1")
    findings = json.loads(out)["findings"]
    assert code == 1 and findings
    assert [f["help_uri"] for f in findings] == [rule_page_url(f["rule"]) for f in findings]


def test_a_teams_own_rule_has_no_link(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "rules.yaml").write_text(
        "languages: [en]\nrules:\n  - id: tone/house-word\n    kind: terms\n    message: “{match}” is not our word\n"
        "    terms: [folks]\n    examples: {flag: [Hi folks.], pass: [Hi everyone.]}\n", encoding="utf-8")
    (tmp_path / "commlint.toml").write_text('rule-packs = ["house"]\n', encoding="utf-8")
    (tmp_path / "draft.txt").write_text("Hi folks, thanks for waiting.\n", encoding="utf-8")
    code, out, _ = _run(capsys, "check", "draft.txt", "--format", "json", "--jobs", "1", "--lang", "en")
    [finding] = [f for f in json.loads(out)["findings"] if f["rule"] == "tone/house-word"]
    assert "help_uri" not in finding  # no page was written for it: no dead link
