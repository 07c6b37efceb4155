"""`commlint init`: a commented config that fits the folder, never over an existing one."""
from __future__ import annotations

import os
import re
from email.message import EmailMessage
from pathlib import Path

import pytest

from commlint.cli import main
from commlint.config import load_config, parse_config
from commlint.safewrite import WriteError, write_file
from commlint.starter import Survey, render_config

ENGLISH_PAGE = """<html lang="en"><body><h1>Returns</h1>
<p>You can return any item within 30 days. We will refund you as soon as we have checked it.</p>
<p>Our support team answers every message within two working days.</p></body></html>"""
GERMAN_MAIL_BODY = ("Hallo Anna,\n\nvielen Dank für Ihre Bestellung. Sie können jeden Artikel innerhalb von "
                    "30 Tagen zurückgeben. Wir melden uns, sobald das Paket bei uns angekommen ist.\n\n"
                    "Viele Grüße\nIhr Team\n")
NORWEGIAN_DRAFT = ("Takk for at du handler hos oss. Du kan returnere varen innen 30 dager, "
                   "og vi betaler tilbake pengene så snart vi har mottatt den.\n")


def _folder(root: Path) -> Path:
    (root / "site").mkdir()
    (root / "site" / "returns.html").write_text(ENGLISH_PAGE, encoding="utf-8")
    (root / "emails").mkdir()
    mail = EmailMessage()
    mail["From"] = "Shop <hei@shop.example>"
    mail["To"] = "anna@example.org"
    mail["Subject"] = "Ihre Bestellung"
    mail.set_content(GERMAN_MAIL_BODY)
    (root / "emails" / "order.eml").write_bytes(bytes(mail))
    (root / "draft.txt").write_text(NORWEGIAN_DRAFT, encoding="utf-8")
    return root


def test_init_writes_a_config_set_to_the_channels_and_languages_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(_folder(tmp_path))
    assert main(["init", "--jobs", "1"]) == 0
    said = capsys.readouterr().out
    assert "Wrote commlint.toml" in said and "3 files" in said and "commlint check ." in said
    text = (tmp_path / "commlint.toml").read_text(encoding="utf-8")
    # The header says what was found, in words a content team reads
    assert re.search(r"#   documents: .*1 web page.*", text) and "1 e-mail" in text and "1 draft" in text
    assert "English (en) 1" in text and "German (de) 1" in text and "Norwegian Bokmål (nb) 1" in text
    # The active lines are the ones found; the channels found get their own (commented) sections
    config = load_config()
    assert config.file and config.file.endswith("commlint.toml")
    assert set(config.languages) == {"en", "de", "nb"}
    for channel in ("web", "email", "draft"):
        assert f"# [channels.{channel}]" in text
    assert "[channels.social]" not in text
    # ...and `check` runs with it
    assert main(["check", ".", "--select", "overpromise", "--format", "json", "-o", "out.json", "--jobs", "1"]) in (0, 1)


def test_every_commented_example_in_the_written_config_is_valid_config(tmp_path: Path) -> None:
    found = Survey(files=4, sampled=4)
    found.channels.update({"web": 2, "email": 1, "social": 1})
    found.languages.update({"en": 3, "de": 1})
    text = render_config(found, "shop")
    assert parse_config(_toml(text), "written", tmp_path).languages == ("en", "de")
    # Uncomment every example line (those that look like TOML) and the result must still load
    uncommented = "\n".join(
        line[2:] if re.match(r"# (\[|[\"\w-]+ = )", line) and not line.startswith("# commlint") else line
        for line in text.splitlines()
    )
    config = parse_config(_toml(uncommented), "uncommented", tmp_path)
    assert config.facts["refund-window"] == "30 days" and config.severity == (("overpromise", "error"),)
    assert config.paths and config.paths[0].channel == "email" and config.excludes("archive/old.html")


def _toml(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


def test_init_never_overwrites_a_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(_folder(tmp_path))
    (tmp_path / "commlint.toml").write_text('fail-on = "error"\n')
    assert main(["init"]) == 2
    assert "commlint.toml already holds a commlint config; not overwritten" in capsys.readouterr().err
    assert (tmp_path / "commlint.toml").read_text() == 'fail-on = "error"\n'
    # a [tool.commlint] table in pyproject.toml is a config too
    (tmp_path / "commlint.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.commlint]\nignore = ["tone"]\n')
    assert main(["init"]) == 2
    assert not (tmp_path / "commlint.toml").exists()
    # --stdout shows the config and writes nothing
    assert main(["init", "--stdout", "--jobs", "1"]) == 0
    assert 'fail-on = "warning"' in capsys.readouterr().out and not (tmp_path / "commlint.toml").exists()


def test_init_refuses_a_link_in_the_way_even_a_dangling_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(NORWEGIAN_DRAFT, encoding="utf-8")
    os.symlink(tmp_path / "elsewhere" / "victim.toml", tmp_path / "commlint.toml")
    assert main(["init", "--jobs", "1"]) == 2
    assert "not overwritten" in capsys.readouterr().err
    assert os.path.islink(tmp_path / "commlint.toml") and not (tmp_path / "elsewhere").exists()


def test_a_new_only_write_never_replaces_what_is_there(tmp_path: Path) -> None:
    target = tmp_path / "new.toml"
    write_file(target, "a = 1\n", new_only=True)
    assert target.read_text() == "a = 1\n"
    with pytest.raises(WriteError, match="already exists; not overwritten"):
        write_file(target, "a = 2\n", new_only=True)
    assert target.read_text() == "a = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.toml"]  # no temporary file left behind


def test_the_readme_options_table_names_every_option_of_check() -> None:
    # The table is where users look; an option missing from it does not exist for them.
    from commlint.cli import cli

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("### Options of `commlint check`")
    table = readme[start:readme.index("\n### ", start + 1)]
    missing = [
        name
        for param in cli.commands["check"].params
        for name in param.opts + param.secondary_opts
        if name.startswith("-") and f"`{name}" not in table and f"`{name} " not in table
    ]
    assert not missing, f"not in the README's options table: {missing}"


def test_check_help_shows_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    shown = capsys.readouterr().out
    assert "Examples:" in shown and "commlint check ." in shown
    assert "Exit codes:" in shown and "0  no finding" in shown and "1  findings" in shown and "2  a usage" in shown
