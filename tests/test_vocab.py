"""Vocabulary files (issue 13): the team's own accepted and rejected terms, one per line,
named under [vocab] in the config, for every language or for one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from commlint.cli import main

REJECT = """# Words our style guide avoids (one per line; "term -> what to write instead")
synergy -> working together

circle back
utilise -> use
"""
COPY = "Our synergy team will circle\nback soon. Utilise the app to pay.\n"


def _check(monkeypatch, capsys, folder: Path, *argv: str) -> tuple[int, dict | str, str]:
    """commlint check, in-process, run in `folder` (the config is found from there)."""
    monkeypatch.chdir(folder)
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if "json" in argv else out), err


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def test_rejected_terms_are_findings_with_the_teams_message(monkeypatch, capsys, tmp_path: Path) -> None:
    _write(tmp_path, {
        "style/reject.txt": REJECT,
        "commlint.toml": '[vocab]\nreject = ["style/reject.txt"]\nreject-message = "Our style guide avoids “{match}”"\n',
        "copy.txt": COPY,
    })
    code, report, _ = _check(monkeypatch, capsys, tmp_path, ".", "--format", "json", "--select", "terminology,jargon,readability")
    found = [(f["rule"], f["line"], f["message"], f["suggestion"]) for f in report["findings"]]
    # one finding per rejected term, with the team's message: the built-in jargon and plain-word
    # rules that flag the same words give way; the phrase is found across the line break; the
    # vocabulary file itself is configuration, not copy
    assert code == 1 and found == [
        ("terminology/rejected-term", 1, "Our style guide avoids “synergy”", "working together"),
        ("terminology/rejected-term", 1, "Our style guide avoids “circle back”", None),
        ("terminology/rejected-term", 2, "Our style guide avoids “Utilise”", "use"),
    ]
    assert {d["path"] for d in report["documents"]} == {"copy.txt"}


def test_a_single_replacement_is_applied_by_fix_and_the_rule_is_configured_like_any_other(monkeypatch, capsys, tmp_path: Path) -> None:
    _write(tmp_path, {"style/reject.txt": REJECT, "copy.txt": COPY,
                      "commlint.toml": '[vocab]\nreject = ["style/reject.txt"]\n[severity]\n"terminology/rejected-term" = "error"\n'})
    code, report, _ = _check(monkeypatch, capsys, tmp_path, "copy.txt", "--format", "json")
    assert {f["severity"] for f in report["findings"] if f["rule"] == "terminology/rejected-term"} == {"error"}
    code, report, _ = _check(monkeypatch, capsys, tmp_path, "copy.txt", "--format", "json", "--ignore", "terminology/rejected-term")
    assert not [f for f in report["findings"] if f["rule"] == "terminology/rejected-term"]
    _check(monkeypatch, capsys, tmp_path, "copy.txt", "--fix", "--select", "terminology")
    assert (tmp_path / "copy.txt").read_text(encoding="utf-8") == "Our working together team will circle\nback soon. Use the app to pay.\n"


def test_accepted_terms_are_never_jargon_a_rare_word_or_a_terminology_finding(monkeypatch, capsys, tmp_path: Path) -> None:
    _write(tmp_path, {
        "a.txt": "We leverage our platform. The BMS balances every cell and the MPPT handles the panels.\n"
                 "Nordlys Fiber is fast, Nordlys Fiber is cheap.\n",
        "b.txt": "Thanks for choosing NordlysFiber today.\n",
        "style/accept.txt": "# our product words\nleverage\nBMS\nMPPT\nNordlysFiber\n",
        "commlint.toml": 'select = ["jargon", "terminology"]\n',
    })
    code, before, _ = _check(monkeypatch, capsys, tmp_path, "a.txt", "b.txt", "--format", "json")
    flagged = [(f["path"], f["rule"], f["end_column"] - f["column"]) for f in before["findings"]]
    assert code == 1 and flagged == [
        ("a.txt", "jargon/corporate", 8), ("a.txt", "jargon/rare-term", 3), ("a.txt", "jargon/rare-term", 4),
        ("b.txt", "terminology/spelling", 12),
    ]
    with (tmp_path / "commlint.toml").open("a", encoding="utf-8") as config:
        config.write('[vocab]\naccept = ["style/accept.txt"]\n')
    code, after, _ = _check(monkeypatch, capsys, tmp_path, "a.txt", "b.txt", "--format", "json")
    assert (code, after["findings"]) == (0, [])


def test_vocabulary_per_language(monkeypatch, capsys, tmp_path: Path) -> None:
    _write(tmp_path, {
        "style/reject-de.txt": "Kunde -> Kundin oder Kunde\n",
        "style/accept-de.txt": "Synergieeffekte\n",
        "commlint.toml": ('select = ["jargon", "terminology"]\n[vocab.de]\nreject = ["style/reject-de.txt"]\n'
                          'accept = ["style/accept-de.txt"]\nreject-message = "„{match}“: bitte geschlechtergerecht schreiben"\n'),
        "de.txt": "Unsere Synergieeffekte sind groß, und jeder Kunde profitiert davon.\n",
        "en.txt": "Our partner Kunde & Co answers every question, and we leverage synergies.\n",
    })
    code, report, _ = _check(monkeypatch, capsys, tmp_path, "de.txt", "en.txt", "--format", "json")
    found = [(f["path"], f["rule"], f["message"]) for f in report["findings"]]
    # German copy: the rejected word with the German message, the accepted one left alone;
    # English copy: neither German list applies
    assert [f for f in found if f[0] == "de.txt"] == [("de.txt", "terminology/rejected-term", "„Kunde“: bitte geschlechtergerecht schreiben")]
    assert [f[1] for f in found if f[0] == "en.txt"] == ["jargon/corporate", "jargon/corporate"]


@pytest.mark.parametrize(("files", "config", "expected"), [
    ({}, '[vocab]\nreject = ["style/missing.txt"]\n', "[vocab] reject: cannot read style/missing.txt: No such file or directory"),
    ({"style/r.txt": b"caf\xe9\n"}, '[vocab]\nreject = ["style/r.txt"]\n', "[vocab] reject: style/r.txt is not UTF-8 text (invalid continuation byte at byte 3)"),
    ({"style/r.txt": "fine\n -> use\n"}, '[vocab]\nreject = ["style/r.txt"]\n', "[vocab] reject: style/r.txt, line 2: nothing before “->”"),
    ({"style/r.txt": "utilise ->\n"}, '[vocab]\nreject = ["style/r.txt"]\n', "[vocab] reject: style/r.txt, line 1: nothing after “->”"),
    ({"style/a.txt": "# ok\nutilise -> use\n"}, '[vocab]\naccept = ["style/a.txt"]\n', "[vocab] accept: style/a.txt, line 2: a replacement (“->”) belongs in a reject file"),
    ({"style/a.txt": "Synergy\n", "style/r.txt": "# no\n\nsynergy -> teamwork\n"}, '[vocab]\naccept = ["style/a.txt"]\n[vocab.de]\nreject = ["style/r.txt"]\n',
     "[vocab]: “Synergy” is both accepted (style/a.txt, line 1) and rejected (style/r.txt, line 3)"),
    ({"style/r.txt": "x\n" * 600_000}, '[vocab]\nreject = ["style/r.txt"]\n', "[vocab] reject: cannot read style/r.txt: more than 1 MB; a vocabulary holds one term a line"),
    ({"style/r.txt": "a -> b\nA -> c\n"}, '[vocab]\nreject = ["style/r.txt"]\n', "[vocab] reject: “A” has two replacements: style/r.txt, line 1 and style/r.txt, line 2"),
    ({"style/r.txt": "FTTH -> fibre to the home\n"}, 'allow = ["FTTH"]\n[vocab]\nreject = ["style/r.txt"]\n',
     "commlint.toml, key 'allow') and rejected (style/r.txt, line 1)"),
    ({}, '[vocab]\nrejects = ["r.txt"]\n', "[vocab] key 'rejects': unknown key"),
    ({}, '[vocab.xx-nope-]\nreject = []\n', "[vocab.xx-nope-]: 'xx-nope-' is not a language code"),
    ({"style/r.txt": "a\n"}, '[vocab]\nreject = ["style/r.txt"]\nreject-message = "Avoid {word}"\n', "[vocab] reject-message: only {match}"),
])
def test_a_bad_vocabulary_is_a_configuration_error_naming_file_and_line(monkeypatch, capsys, tmp_path: Path, files, config, expected) -> None:
    _write(tmp_path, {**files, "commlint.toml": config, "copy.txt": "Hello.\n"})
    code, out, err = _check(monkeypatch, capsys, tmp_path, "copy.txt")
    assert code == 2 and out == ""
    assert "commlint.toml" in err and expected in err and "Traceback" not in err


def test_the_readme_adds_a_term_with_vocabulary_files_and_its_example_works(monkeypatch, capsys, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    advice = readme.split("**Add a term for your team.**", 1)[1].split("\n\n", 1)[0]
    assert "vocabulary files" in advice and "never touches them" in advice  # not a file inside site-packages
    section = readme.split("### Vocabulary files", 1)[1].split("\n## ", 1)[0]
    config = section.split("```toml\n", 1)[1].split("```", 1)[0]
    reject = section.split("```text\n", 1)[1].split("```", 1)[0]
    _write(tmp_path, {"commlint.toml": config, "style/reject.txt": reject, "style/accept.txt": "", "style/accept-de.txt": "",
                      "style/reject-de.txt": "", "copy.txt": "Let's circle back next week.\n"})
    code, report, _ = _check(monkeypatch, capsys, tmp_path, ".", "--format", "json")
    assert [(f["rule"], f["message"]) for f in report["findings"]] == [("terminology/rejected-term", "Our style guide avoids “circle back”")]
