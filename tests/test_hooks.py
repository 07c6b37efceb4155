"""commlint as a git pre-commit hook, against real git and the real pre-commit framework.

- the native hook (`commlint install-hook`): commits in a temporary repository are blocked or let
  through, and what is linted is the staged content, not the working tree;
- the pre-commit framework: `.pre-commit-hooks.yaml` validates, and a project whose
  .pre-commit-config.yaml points at a clone of this repository gets commlint installed by
  pre-commit and blocked commits (the slow test: pre-commit builds a virtualenv with commlint).
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from commlint.sources import format_of

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

OVERPROMISE = "We guarantee delivery tomorrow. Our network never fails.\n"
CLEAN = "Thanks for your order. It ships within two business days, and we reply to email within one business day.\n"


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config (a global core.hooksPath or commit signing would change
    what is tested), and no git variables inherited from a hook that runs these tests."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    completed = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    if check and completed.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}")
    return completed


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    git(path, "config", "user.name", "Test Writer")
    git(path, "config", "user.email", "writer@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


def write(repo: Path, relative: str, text: str) -> None:
    target = repo / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def has_commits(repo: Path) -> bool:
    return git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


@pytest.fixture
def hooked(repo: Path, run_cli) -> Path:  # type: ignore[no-untyped-def]
    installed = run_cli("install-hook", cwd=repo)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return repo


# -- install-hook ---------------------------------------------------------------------------


def test_install_hook_writes_an_executable_hook_that_runs_this_python(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    done = run_cli("install-hook", cwd=repo)
    assert done.returncode == 0, done.stderr
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert "Installed the commlint pre-commit hook in .git/hooks/pre-commit" in done.stdout
    assert hook.stat().st_mode & stat.S_IXUSR
    script = hook.read_text(encoding="utf-8")
    assert script.startswith("#!/bin/sh\n")
    assert "-m commlint hook-run" in script
    python = re.search(r"^PYTHON=(.+)$", script, re.M).group(1).strip("'")  # type: ignore[union-attr]
    assert os.access(python, os.X_OK)
    # The Python in the hook is one that has commlint: the environment it was installed from.
    assert subprocess.run([python, "-c", "import commlint"], capture_output=True).returncode == 0
    assert not list(hook.parent.glob(".commlint-*.tmp"))  # written atomically, nothing left over
    again = run_cli("install-hook", cwd=repo)  # its own hook is simply replaced
    assert again.returncode == 0, again.stderr


def test_install_hook_refuses_a_foreign_hook_unless_forced_and_uninstall_restores_it(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho team hook\n", encoding="utf-8")
    refused = run_cli("install-hook", cwd=repo)
    assert refused.returncode == 1
    assert "already exists and was not installed by commlint" in refused.stderr and "--force" in refused.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho team hook\n"

    assert run_cli("install-hook", "--uninstall", cwd=repo).returncode == 1  # not ours: left alone
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho team hook\n"

    forced = run_cli("install-hook", "--force", cwd=repo)
    assert forced.returncode == 0, forced.stderr
    assert "-m commlint hook-run" in hook.read_text(encoding="utf-8")
    backup = hook.with_name("pre-commit.before-commlint")
    assert backup.read_text(encoding="utf-8") == "#!/bin/sh\necho team hook\n"
    assert "pre-commit.before-commlint" in forced.stdout

    removed = run_cli("install-hook", "--uninstall", cwd=repo)
    assert removed.returncode == 0, removed.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho team hook\n"
    assert not backup.exists()


def test_install_hook_points_at_the_pre_commit_framework_when_it_owns_the_hook(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n", encoding="utf-8")
    refused = run_cli("install-hook", cwd=repo)
    assert refused.returncode == 1
    assert ".pre-commit-config.yaml" in refused.stderr


def test_uninstall_without_a_hook_and_install_outside_git(tmp_path: Path, repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    nothing = run_cli("install-hook", "--uninstall", cwd=repo)
    assert nothing.returncode == 0 and "nothing to remove" in nothing.stdout
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    refused = run_cli("install-hook", cwd=outside)
    assert refused.returncode == 2
    assert "not inside a git working tree" in refused.stderr


def test_install_hook_honours_core_hooks_path_and_works_from_a_subfolder(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    git(repo, "config", "core.hooksPath", ".githooks")
    (repo / "site").mkdir()
    done = run_cli("install-hook", cwd=repo / "site")
    assert done.returncode == 0, done.stderr
    assert (repo / ".githooks" / "pre-commit").is_file()
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
    write(repo, "site/launch.md", "# Launch\n\n" + OVERPROMISE)
    git(repo, "add", "site/launch.md")
    blocked = git(repo, "commit", "-m", "launch copy", check=False)
    assert blocked.returncode == 1
    assert "site/launch.md:3:4: warning overpromise/guarantee" in blocked.stderr
    assert not has_commits(repo)


# -- the native hook at commit time ---------------------------------------------------------


def test_commit_with_overpromise_is_blocked_with_a_readable_report(hooked: Path) -> None:
    write(hooked, "drafts/launch.txt", OVERPROMISE)
    write(hooked, "emails/welcome.txt", "Hello,\n\nOur network never fails.\n")
    git(hooked, "add", ".")
    blocked = git(hooked, "commit", "-m", "launch copy", check=False)
    assert blocked.returncode == 1
    output = blocked.stdout + blocked.stderr  # git sends a hook's output to stderr
    # The repository path, the rule, the channel told by the folder, the source line and a hint.
    assert "drafts/launch.txt:1:4: warning overpromise/guarantee  [en, draft]" in output
    assert "drafts/launch.txt:1:45: warning overpromise/never-fails  [en, draft]" in output
    assert "emails/welcome.txt:3:13: warning overpromise/never-fails  [en, email]" in output
    assert "1 | We guarantee delivery tomorrow. Our network never fails." in output
    assert "Found 3 problems (3 warnings) in 2 of 2 documents." in output
    assert "commlint blocked the commit" in output and "--no-verify" in output
    assert "commlint-staged-" not in output and str(Path(os.sep, "tmp")) not in output  # no scratch paths
    assert not has_commits(hooked)
    # --no-verify is git's own way past the hook.
    assert git(hooked, "commit", "-q", "--no-verify", "-m", "anyway", check=False).returncode == 0


def test_clean_draft_and_files_commlint_does_not_read_commit_fine(hooked: Path) -> None:
    write(hooked, "drafts/order.txt", CLEAN)
    write(hooked, "package.json", '{"name": "site", "version": "1.0.0", "scripts": {"build": "make"}}\n')
    write(hooked, "data/prices.csv", "plan,price\nbasic,10\npro,29\n")
    write(hooked, "build.py", "print('Our network never fails.')\n")
    git(hooked, "add", ".")
    done = git(hooked, "commit", "-m", "order copy", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No problems found in 1 document." in done.stderr
    assert has_commits(hooked)
    # A commit with nothing commlint reads says nothing at all.
    write(hooked, "build.py", "print('changed')\n")
    quiet = git(hooked, "commit", "-am", "script only", check=False)
    assert quiet.returncode == 0 and "commlint" not in quiet.stderr


def test_the_staged_content_is_linted_not_the_working_tree(hooked: Path) -> None:
    # Staged copy overpromises, working copy is clean: blocked, and the report quotes the staged line.
    write(hooked, "drafts/faq.txt", OVERPROMISE)
    git(hooked, "add", "drafts/faq.txt")
    write(hooked, "drafts/faq.txt", CLEAN)
    blocked = git(hooked, "commit", "-m", "faq", check=False)
    assert blocked.returncode == 1
    assert "drafts/faq.txt:1:4: warning overpromise/guarantee" in blocked.stderr
    assert "1 | We guarantee delivery tomorrow." in blocked.stderr
    assert not has_commits(hooked)

    # Staged copy clean, working copy overpromises: the commit goes through, with the clean text.
    git(hooked, "add", "drafts/faq.txt")
    write(hooked, "drafts/faq.txt", OVERPROMISE)
    done = git(hooked, "commit", "-m", "faq", check=False)
    assert done.returncode == 0, done.stderr
    assert "overpromise" not in done.stderr
    assert git(hooked, "show", "HEAD:drafts/faq.txt").stdout == CLEAN

    # `git commit -a` stages the working copy into a temporary index: the hook sees that one.
    blocked_all = git(hooked, "commit", "-a", "-m", "faq again", check=False)
    assert blocked_all.returncode == 1
    assert "drafts/faq.txt:1:4: warning overpromise/guarantee" in blocked_all.stderr


def test_the_repository_config_applies_to_the_staged_files(hooked: Path) -> None:
    write(hooked, "commlint.toml", 'exclude = ["archive/**"]\n')
    write(hooked, "archive/2019.txt", OVERPROMISE)
    git(hooked, "add", ".")
    done = git(hooked, "commit", "-m", "old copy, excluded by the config", check=False)
    assert done.returncode == 0, done.stderr
    assert "archive/2019.txt" not in done.stderr


def test_fail_on_from_a_pyproject_config_decides_whether_the_commit_is_blocked(hooked: Path) -> None:
    write(hooked, "pyproject.toml", '[project]\nname = "site"\n\n[tool.commlint]\nfail-on = "error"\n')
    write(hooked, "drafts/launch.txt", OVERPROMISE)
    git(hooked, "add", ".")
    done = git(hooked, "commit", "-m", "warnings only", check=False)
    assert done.returncode == 0, done.stderr
    assert "drafts/launch.txt:1:4: warning overpromise/guarantee" in done.stderr  # shown, not blocking


def test_hook_run_exit_codes(hooked: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    write(hooked, "drafts/launch.txt", OVERPROMISE)
    git(hooked, "add", ".")
    staged = run_cli("hook-run", cwd=hooked)
    assert staged.returncode == 1
    assert staged.stdout.startswith("drafts/launch.txt:1:4: warning overpromise/guarantee")
    assert run_cli("hook-run", "--fail-on", "error", cwd=hooked).returncode == 0
    # With file names (how the pre-commit framework calls it): those files, as they are on disk.
    write(hooked, "package.json", '{"name": "site"}\n')
    assert run_cli("hook-run", "package.json", cwd=hooked).returncode == 0
    named = run_cli("hook-run", "drafts/launch.txt", "package.json", cwd=hooked)
    assert named.returncode == 1
    assert "drafts/launch.txt:1:45: warning overpromise/never-fails" in named.stdout
    assert "Skipped 1 file that is not a social-media export: package.json" in named.stdout
    missing = run_cli("hook-run", "drafts/gone.txt", cwd=hooked)
    assert missing.returncode == 2
    assert "drafts/gone.txt: no such file or folder" in missing.stdout


# -- the pre-commit framework ---------------------------------------------------------------


def test_pre_commit_manifest_validates_and_covers_what_commlint_reads() -> None:
    manifest = REPO / ".pre-commit-hooks.yaml"
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["commlint"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["entry"].startswith("commlint ")
    assert "pass_filenames" not in hook
    files = re.compile(hook["files"])
    names = ["site/index.html", "a.HTM", "p.xhtml", "s.shtml", "faq.md", "n.markdown", "d.mdx", "draft.txt",
             "notes.text", "emails/w.eml", "archive.mbox", "posts.json", "p.jsonl", "p.ndjson", "posts.csv",
             "p.tsv", "locales/en/main.ftl", "data/tweets.js", "tweet.js", "app.js", "build.py", "README",
             "tweets/app.js", "style.css", "x.json.bak"]
    for name in names:
        assert bool(files.search(name)) == (format_of(name) is not None), name


@pytest.fixture(scope="session")
def framework_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this repository with the current working tree committed on top, as a team's
    `repo:` would be (the lead's commits come later; this snapshot tests what is here now)."""
    # CI runs on a fresh clone, so the checkout is always there
    assert (REPO / ".git").exists(), "the pre-commit test installs commlint from this repository's git checkout"
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    source = tmp_path_factory.mktemp("framework") / "commlint"

    def run(*args: str, cwd: Path | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
        return done.stdout.strip()

    run("clone", "-q", str(REPO), str(source))
    # Stage the working tree of this checkout (tracked changes and new files, .gitignore honoured).
    run("--work-tree", str(REPO), "add", "-A", cwd=source)
    run("-c", "user.name=commlint tests", "-c", "user.email=tests@example.com", "commit", "-q",
        "--allow-empty", "--no-verify", "-m", "working tree snapshot for the pre-commit test", cwd=source)
    return source, run("rev-parse", "HEAD", cwd=source)


def test_pre_commit_framework_installs_commlint_from_a_clone_and_blocks_overpromise(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, framework_source: tuple[Path, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The slow one: pre-commit builds a virtualenv and pip-installs commlint from the clone."""
    source, rev = framework_source
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path_factory.getbasetemp() / "pre-commit-home"))
    project = make_repo(tmp_path / "project")
    write(project, ".pre-commit-config.yaml",
          f"repos:\n  - repo: {source.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: commlint\n")
    git(project, "add", ".pre-commit-config.yaml")

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=project, capture_output=True,
                              text=True, timeout=900)

    write(project, "draft.txt", OVERPROMISE)
    ran = pre_commit("run", "--files", "draft.txt")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert re.search(r"commlint \(customer communication\)\.+Failed", ran.stdout)
    assert "draft.txt:1:4: warning overpromise/guarantee  [en, draft]" in ran.stdout
    assert "draft.txt:1:45: warning overpromise/never-fails" in ran.stdout

    # As a team uses it: `pre-commit install`, then commits.
    installed = pre_commit("install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(project, "add", "draft.txt")
    blocked = git(project, "commit", "-m", "launch copy", check=False)
    assert blocked.returncode == 1
    assert "draft.txt:1:4: warning overpromise/guarantee" in blocked.stdout + blocked.stderr
    assert not has_commits(project)

    write(project, "draft.txt", CLEAN)
    write(project, "package.json", '{"name": "site", "version": "1.0.0"}\n')  # not a social export: skipped
    git(project, "add", ".")
    done = git(project, "commit", "-m", "clean copy", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"commlint \(customer communication\)\.+Passed", done.stdout + done.stderr)
    assert has_commits(project)


# -- the hook compares with the copy already committed --------------------------------------

RETURNS_PAGE = ('<html lang="en"><body><h1>Returns</h1>\n'
                "<p>You can return any item within 30 days of delivery for a full refund.</p></body></html>\n")


def returns_email(days: int, greeting: str = "Hello") -> str:
    return f"{greeting},\n\nYou can return any item within {days} days of delivery for a full refund.\n"


def test_a_commit_that_contradicts_committed_copy_is_blocked_and_a_consistent_one_passes(hooked: Path) -> None:
    write(hooked, "web/returns.html", RETURNS_PAGE)
    git(hooked, "add", ".")
    first = git(hooked, "commit", "-m", "returns page", check=False)
    assert first.returncode == 0, first.stderr

    # Only the e-mail is staged; the page it contradicts is already committed.
    write(hooked, "emails/returns.txt", returns_email(14))
    git(hooked, "add", "emails/returns.txt")
    blocked = git(hooked, "commit", "-m", "returns e-mail", check=False)
    assert blocked.returncode == 1, blocked.stderr
    assert "emails/returns.txt:3:32: error contradiction/return-window  [en, email]" in blocked.stderr
    assert "see also web/returns.html:2:35 (30 days)" in blocked.stderr
    assert "commlint blocked the commit" in blocked.stderr
    assert git(hooked, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    write(hooked, "emails/returns.txt", returns_email(30))
    git(hooked, "add", "emails/returns.txt")
    consistent = git(hooked, "commit", "-m", "returns e-mail", check=False)
    assert consistent.returncode == 0, consistent.stderr
    assert "No problems found in 1 document." in consistent.stderr
    assert git(hooked, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_a_contradiction_reported_at_a_committed_file_is_shown_when_a_staged_file_takes_part(hooked: Path) -> None:
    write(hooked, "web/returns.html", RETURNS_PAGE)
    write(hooked, "emails/first.txt", returns_email(14))
    git(hooked, "add", ".")
    git(hooked, "commit", "-q", "--no-verify", "-m", "already contradicting, committed past the hook")

    # A clean file that states no return window: the committed contradiction is not its business.
    write(hooked, "drafts/order.txt", CLEAN)
    git(hooked, "add", "drafts/order.txt")
    unrelated = git(hooked, "commit", "-m", "order copy", check=False)
    assert unrelated.returncode == 0, unrelated.stderr
    assert "contradiction" not in unrelated.stderr

    # A second e-mail that says 14 days too: the page is now the odd one out, and the finding is
    # reported there, with every place, the staged one included.
    write(hooked, "emails/second.txt", returns_email(14, "Hi"))
    git(hooked, "add", "emails/second.txt")
    blocked = git(hooked, "commit", "-m", "second e-mail", check=False)
    assert blocked.returncode == 1, blocked.stderr
    assert "web/returns.html:2:35: error contradiction/return-window  [en, web]" in blocked.stderr
    assert "see also emails/first.txt:3:32 (14 days)" in blocked.stderr
    assert "see also emails/second.txt:3:32 (14 days)" in blocked.stderr


def test_the_hook_reads_only_blobs_it_has_not_seen(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from commlint.cli import main

    # (the test session shares one cache folder: a word of this test's own keeps its blobs new)
    token = tmp_path.name.replace("_", "-")
    for name in ("web/returns.html", "web/shipping.md", "emails/welcome.txt"):
        write(repo, name, f"# {token}\n\nYou can return any item within 30 days of delivery.\n")
    write(repo, "build.py", "print('not copy')\n")  # not a format commlint reads: never read
    git(repo, "add", ".")
    git(repo, "commit", "-q", "--no-verify", "-m", "copy")
    monkeypatch.chdir(repo)

    def hook_run() -> str:
        write(repo, "drafts/note.txt", f"{token}: we reply within one business day.\n")
        git(repo, "add", "drafts/note.txt")
        assert main(["hook-run", "--verbose"]) == 0
        return capsys.readouterr().err

    assert "Compared with the facts of 3 other tracked files (3 read from git, 0 from the cache)." in hook_run()
    from commlint.compiled import cache_folder

    assert os.path.isfile(os.path.join(str(cache_folder()), "claims"))  # kept in the user's cache folder
    assert "Compared with the facts of 3 other tracked files (0 read from git, 3 from the cache)." in hook_run()
    # One committed file changes: only its new blob is read.
    write(repo, "web/shipping.md", f"# {token}\n\nReturns are free within 30 days.\n")
    git(repo, "commit", "-q", "--no-verify", "-m", "shipping", "web/shipping.md")  # the note stays staged
    assert "Compared with the facts of 3 other tracked files (1 read from git, 2 from the cache)." in hook_run()
    # The staged file's own claims were kept under its blob: once committed, it is not read again.
    git(repo, "commit", "-q", "--no-verify", "-m", "note")
    write(repo, "drafts/other.txt", "We reply within one business day.\n")
    git(repo, "add", "drafts/other.txt")
    assert main(["hook-run", "--verbose"]) == 0
    assert "Compared with the facts of 4 other tracked files (0 read from git, 4 from the cache)." in capsys.readouterr().err


def test_pre_commit_framework_blocks_a_commit_that_contradicts_committed_copy(
        tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, framework_source: tuple[Path, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same through the real pre-commit tool: it passes only the staged file's name, and the
    hook still compares it with the copy committed before."""
    source, rev = framework_source
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path_factory.getbasetemp() / "pre-commit-home"))
    project = make_repo(tmp_path / "project")
    write(project, ".pre-commit-config.yaml",
          f"repos:\n  - repo: {source.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: commlint\n")
    # pre-commit's fresh environment may hold another `regex` build, so its first run compiles every
    # pattern anew: on a busy machine that passes the 20 s a document may take
    write(project, "commlint.toml", "time-limit = 0\n")
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, capture_output=True,
                               text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    write(project, "web/returns.html", RETURNS_PAGE)
    git(project, "add", ".")
    first = git(project, "commit", "-m", "returns page", check=False)
    assert first.returncode == 0, first.stdout + first.stderr

    write(project, "emails/returns.txt", returns_email(14))
    git(project, "add", "emails/returns.txt")
    blocked = git(project, "commit", "-m", "returns e-mail", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert re.search(r"commlint \(customer communication\)\.+Failed", output)
    assert "emails/returns.txt:3:32: error contradiction/return-window  [en, email]" in output
    assert "see also web/returns.html:2:35 (30 days)" in output

    write(project, "emails/returns.txt", returns_email(30))
    git(project, "add", "emails/returns.txt")
    consistent = git(project, "commit", "-m", "returns e-mail", check=False)
    assert consistent.returncode == 0, consistent.stdout + consistent.stderr
    assert re.search(r"commlint \(customer communication\)\.+Passed", consistent.stdout + consistent.stderr)
    assert git(project, "rev-list", "--count", "HEAD").stdout.strip() == "2"
