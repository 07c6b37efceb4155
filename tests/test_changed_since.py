"""`commlint check --changed-since REF` in real git repositories: only findings on lines changed
since REF, plus contradictions with a place on a changed line; usage errors exit 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from commlint.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

PAGE = ('<html lang="en"><body><h1>Returns</h1>\n'
        "<p>You can return any item within 30 days of delivery for a full refund.</p></body></html>\n")


def email(days: int, greeting: str = "Hello") -> str:
    return f"{greeting},\n\nYou can return any item within {days} days of delivery for a full refund.\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    git(path, "config", "user.name", "Test Writer")
    git(path, "config", "user.email", "writer@example.com")
    git(path, "config", "commit.gpgsign", "false")
    monkeypatch.chdir(path)
    return path


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def write(repo: Path, relative: str, text: str) -> None:
    (repo / relative).parent.mkdir(parents=True, exist_ok=True)
    (repo / relative).write_text(text, encoding="utf-8")


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", ".")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def findings(capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[str, int, str]]:
    main(["check", ".", "--format", "json", *args])
    report = json.loads(capsys.readouterr().out)
    return [(f["path"], f["line"], f["rule"]) for f in report["findings"]]


def test_only_findings_on_changed_lines_and_in_new_files_are_kept(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "drafts/launch.txt", "We guarantee delivery tomorrow.\n\nThanks for your order.\n")
    commit_all(repo, "launch")
    base = git(repo, "rev-parse", "HEAD").strip()
    write(repo, "drafts/launch.txt", "We guarantee delivery tomorrow.\n\nThanks for your order. Our network never fails.\n")
    write(repo, "drafts/new.txt", "We guarantee a reply.\n")  # untracked: every line is new
    everything = findings(capsys)
    assert ("drafts/launch.txt", 1, "overpromise/guarantee") in everything
    changed = findings(capsys, "--changed-since", base)
    assert changed == [("drafts/launch.txt", 3, "overpromise/never-fails"), ("drafts/new.txt", 1, "overpromise/guarantee")]
    # Committed since: the same lines still count as changed since the base, and none since HEAD.
    commit_all(repo, "more")
    assert findings(capsys, "--changed-since", base) == changed
    assert findings(capsys, "--changed-since", "HEAD") == []
    # The report says what it left out, so a short report is not read as the whole
    main(["check", ".", "--changed-since", "HEAD", "--no-color"])
    assert "3 findings on lines not changed since HEAD not shown (--changed-since)" in capsys.readouterr().out
    main(["check", ".", "--changed-since", "HEAD", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["summary"]["hidden"] == {"unchanged_lines": 3, "baseline": 0}


def test_contradictions_are_kept_when_one_of_their_places_is_on_a_changed_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "web/returns.html", PAGE)
    write(repo, "emails/first.txt", email(14))
    write(repo, "emails/second.txt", email(14, "Hi"))
    commit_all(repo, "returns copy, contradicting already")
    contradiction = ("web/returns.html", 2, "contradiction/return-window")
    assert findings(capsys) == [contradiction]
    # A changed line elsewhere in a file taking part: not this contradiction's business.
    write(repo, "emails/second.txt", email(14, "Hi") + "\nKind regards,\nThe shop\n")
    assert findings(capsys, "--changed-since", "HEAD") == []
    # The e-mail's 14 days line is edited: the contradiction, reported at the unchanged page, is kept.
    write(repo, "emails/second.txt", "Hi,\n\nYou can return any item within 14 days of delivery, for a full refund.\n")
    assert findings(capsys, "--changed-since", "HEAD") == [contradiction]


def test_changed_since_outside_git_or_with_an_unknown_revision_is_a_usage_error(
        tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "draft.txt", "Thanks for your order.\n")
    commit_all(repo, "draft")
    assert main(["check", "draft.txt", "--changed-since", "no-such-branch"]) == 2
    assert "--changed-since no-such-branch: git knows no commit by this name" in capsys.readouterr().err
    assert main(["check", "draft.txt", "--changed-since", "--help"]) == 2
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "draft.txt").write_text("Thanks for your order.\n", encoding="utf-8")
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["check", "draft.txt", "--changed-since", "main"]) == 2
    assert f"--changed-since main: needs a git repository, and {outside} is not inside one" in capsys.readouterr().err
