"""Hostile input, end to end through the real CLI: special files, links, read-only files,
snapshots that point outside, configs that recurse, inputs that hang or eat memory.

Every case asserts what a CI job depends on: an exit code of 0, 1 or 2, no traceback, a reason
for each input that failed, a wall time under a budget, and for writes, the target and its links
intact. Sizes are small; the large sizes are measured by benchmarks/hostile.py.
(Extraction, rules and crawler cases live in test_hostile_extraction.py, test_hostile_rules.py
and test_hostile_crawl.py.)
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import commlint_command

GUARANTEE = "We guarantee delivery tomorrow.\n"
PLAIN = "Please utilize the form.\n"  # readability/plain-words has a one-word fix: utilize -> use


def run(*args: str, cwd: Path, budget: float = 30.0, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it; fails the test if it overruns the budget or crashes."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    started = time.monotonic()
    done = subprocess.run([*commlint_command(), *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=budget + 30)
    elapsed = time.monotonic() - started
    assert elapsed < budget, f"took {elapsed:.1f} s (budget {budget} s)"
    assert done.returncode in (0, 1, 2), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def errors_of(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return {e["path"]: e["message"] for e in json.loads(done.stdout)["errors"]}


# -- writes: --output, --html, --fix ---------------------------------------------------------

def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUARANTEE)
    (tmp_path / "real").mkdir()
    (tmp_path / "report.json").symlink_to("real/target.json")
    run("check", "a.txt", "--format", "json", "--output", "report.json", "--html", "page.html", cwd=tmp_path)
    assert (tmp_path / "report.json").is_symlink()
    assert json.loads((tmp_path / "real" / "target.json").read_text())["findings"]
    (tmp_path / "shown.html").symlink_to("real/page.html")
    run("check", "a.txt", "--html", "shown.html", cwd=tmp_path)
    assert (tmp_path / "shown.html").is_symlink() and "<html" in (tmp_path / "real" / "page.html").read_text()


def test_output_to_a_device_writes_through_and_never_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUARANTEE)
    if os.geteuid() == 0:
        os.mknod(tmp_path / "n", 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the issue's `mknod n c 1 3`
    else:
        (tmp_path / "n").symlink_to("/dev/null")
    done = run("check", "a.txt", "--output", "n", cwd=tmp_path)
    assert done.returncode == 1
    assert stat.S_ISCHR(os.stat(tmp_path / "n").st_mode)


def test_output_to_dev_full_fails_cleanly_and_the_report_is_not_lost(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUARANTEE)
    done = run("check", "a.txt", "--output", "/dev/full", cwd=tmp_path)
    assert done.returncode == 2
    assert "/dev/full" in done.stderr and "No space left" in done.stderr
    assert "overpromise/guarantee" in done.stdout  # printed instead
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_output_to_a_fifo_with_and_without_a_reader(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUARANTEE)
    os.mkfifo(tmp_path / "pipe")
    done = run("check", "a.txt", "--output", "pipe", cwd=tmp_path, budget=20)
    assert done.returncode == 2 and "FIFO that nobody is reading" in done.stderr
    received: list[bytes] = []

    def reader() -> None:  # blocks in open until commlint opens the FIFO for writing
        with open(tmp_path / "pipe", "rb") as fifo:
            received.append(fifo.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    time.sleep(0.2)
    done = run("check", "a.txt", "--format", "json", "--output", "pipe", cwd=tmp_path, budget=20)
    thread.join(30)
    assert done.returncode == 1
    assert json.loads(received[0])["findings"]
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe").st_mode)


def test_output_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUARANTEE)
    done = run("check", "a.txt", "--format", "json", "--output", "reports/deep/x.json", cwd=tmp_path)
    assert done.returncode == 1
    assert json.loads((tmp_path / "reports" / "deep" / "x.json").read_text())["findings"]


def test_fix_writes_through_a_symlink_and_keeps_hard_links(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text(PLAIN)
    (tmp_path / "link.txt").symlink_to("real.txt")
    (tmp_path / "one.txt").write_text(PLAIN)
    os.link(tmp_path / "one.txt", tmp_path / "two.txt")
    run("check", "link.txt", "one.txt", "--fix", "--lang", "en", cwd=tmp_path)
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "Please use the form.\n"
    assert (tmp_path / "two.txt").read_text() == "Please use the form.\n"
    assert os.stat(tmp_path / "one.txt").st_ino == os.stat(tmp_path / "two.txt").st_ino
    assert os.stat(tmp_path / "one.txt").st_nlink == 2
    assert not list(tmp_path.glob(".commlint-*"))  # no temporary or backup file left behind


def test_fix_refuses_a_read_only_file_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "locked.txt"
    target.write_text(PLAIN)
    target.chmod(0o444)
    done = run("check", "locked.txt", "--fix", "--lang", "en", "--fail-on", "info", cwd=tmp_path)
    assert "locked.txt: is read-only; not changed" in done.stdout + done.stderr
    assert target.read_text() == PLAIN
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert done.returncode == 1 and "readability/plain-words" in done.stdout  # still reported


# -- reads: special files, links to devices, snapshots ---------------------------------------

def test_a_fifo_or_a_device_is_refused_without_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "z.txt").symlink_to("/dev/zero")
    (tmp_path / "ok.txt").write_text(GUARANTEE)
    done = run("check", "pipe.md", "z.txt", "ok.txt", "--format", "json", cwd=tmp_path, budget=20)
    assert done.returncode == 2
    errors = errors_of(done)
    assert "FIFO" in errors["pipe.md"] and "device" in errors["z.txt"]
    assert [f["path"] for f in json.loads(done.stdout)["findings"]] == ["ok.txt"]


def test_special_files_in_a_folder_walk_are_skipped_with_a_reason(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    os.mkfifo(site / "pipe.md")
    (site / "z.txt").symlink_to("/dev/zero")
    (site / "ok.txt").write_text(GUARANTEE)
    done = run("check", "site", "--format", "json", cwd=tmp_path, budget=20)
    assert done.returncode == 1  # skipped with a warning: the walk itself succeeded
    warnings = {w["path"]: w["message"] for w in json.loads(done.stdout)["warnings"]}
    assert "FIFO" in warnings[os.path.join("site", "pipe.md")]
    assert "device" in warnings[os.path.join("site", "z.txt")]
    text = run("check", "site", cwd=tmp_path, budget=20)
    assert "pipe.md" in text.stdout and "not a regular file" in text.stdout


def test_a_snapshot_cannot_read_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.html").write_text("<p>We guarantee SECRET-OUTSIDE.</p>")
    snapshot = tmp_path / "snap"
    (snapshot / "example.com").mkdir(parents=True)
    (snapshot / "example.com" / "index.html").write_text("<p>We guarantee it.</p>")
    (snapshot / "example.com" / "out.html").symlink_to(tmp_path / "secret.html")
    pages = {
        "example.com/index.html": {"url": "https://example.com/", "format": "html"},
        "../secret.html": {"url": "https://example.com/a", "format": "html"},
        "/etc/hostname": {"url": "https://example.com/b", "format": "html"},
        "example.com/out.html": {"url": "https://example.com/c", "format": "html"},
    }
    (snapshot / "manifest.json").write_text(json.dumps({"pages": pages}))
    done = run("check", "snap", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2
    errors = errors_of(done)
    for url in ("https://example.com/a", "https://example.com/b", "https://example.com/c"):
        assert "outside the snapshot folder" in errors[url]
    assert "SECRET-OUTSIDE" not in done.stdout
    assert [f["path"] for f in json.loads(done.stdout)["findings"]] == ["https://example.com/"]


def test_stdin_is_read_under_the_cap() -> None:
    import io

    from commlint.sources import InputReadError, _read_capped

    assert _read_capped(io.BytesIO(b"x" * 10), 10) == b"x" * 10
    with pytest.raises(InputReadError, match="more than"):
        _read_capped(io.BytesIO(b"x" * 11), 10)


# -- config ----------------------------------------------------------------------------------

def test_deeply_nested_toml_is_a_clean_config_error(tmp_path: Path) -> None:
    (tmp_path / "commlint.toml").write_text("a = " + "[" * 5000 + "1" + "]" * 5000 + "\n")
    (tmp_path / "a.txt").write_text(GUARANTEE)
    done = run("check", "a.txt", cwd=tmp_path)
    assert done.returncode == 2 and "nested too deeply" in done.stderr


def test_language_codes_in_config_and_on_the_command_line_are_checked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GUARANTEE)
    (tmp_path / "bad.toml").write_text('languages = ["xx", ""]\n')
    done = run("check", "a.txt", "--config", "bad.toml", cwd=tmp_path)
    assert done.returncode == 2 and "'xx' is not a language commlint knows" in done.stderr
    (tmp_path / "empty.toml").write_text('languages = ["en", ""]\n')
    done = run("check", "a.txt", "--config", "empty.toml", cwd=tmp_path)
    assert done.returncode == 2 and "'' is not a language code" in done.stderr
    done = run("check", "a.txt", "--lang", "qq", cwd=tmp_path)
    assert done.returncode == 2 and "'qq' is not a language commlint knows" in done.stderr


# -- time and memory budget per input --------------------------------------------------------

SLOW_PACK = """\
description: A user's rule whose regular expression backtracks without end on some input.
source: test
license: CC0-1.0
languages: [en]
rules:
  - id: jargon/slow
    kind: regex
    severity: warning
    message: "slow {match}"
    patterns: ['(a|aa)+[.]']
    examples:
      flag: ["aa."]
      pass: ["hello"]
"""


def test_an_input_over_the_time_limit_is_stopped_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "packs" / "en").mkdir(parents=True)
    (tmp_path / "packs" / "en" / "slow.yaml").write_text(SLOW_PACK)
    (tmp_path / "commlint.toml").write_text('rule-packs = ["packs"]\ntime-limit = 2\n')
    (tmp_path / "slow.txt").write_text("a" * 60 + "!\n")
    (tmp_path / "ok.txt").write_text(GUARANTEE)
    (tmp_path / "ok2.txt").write_text(GUARANTEE)
    # With an empty cache, a worker's first English document compiles the English rules, which
    # may itself take 2 s on this machine; the limit is tested on a warm cache, as users run.
    run("check", "ok.txt", "--time-limit", "0", cwd=tmp_path)
    done = run("check", "slow.txt", "ok.txt", "ok2.txt", "--format", "json", cwd=tmp_path, budget=25)
    assert done.returncode == 2
    assert "took longer than 2 s" in errors_of(done)["slow.txt"]
    assert {f["path"] for f in json.loads(done.stdout)["findings"]} == {"ok.txt", "ok2.txt"}
    # --time-limit overrides the config; one job still stops the slow input
    done = run("check", "slow.txt", "ok.txt", "--time-limit", "1", "--jobs", "1", "--format", "json", cwd=tmp_path, budget=25)
    assert "took longer than 1 s" in errors_of(done)["slow.txt"]


def _steps(count: int) -> str:
    from commlint.pool import progress

    for _ in range(count):
        time.sleep(0.3)
        progress()  # what the runner calls after each document of an input
    return "done"


def test_the_time_limit_counts_from_the_last_finished_document_not_from_the_start() -> None:
    # A social export of thousands of posts is many documents: it may take longer than the limit
    # as a whole, as long as each document finishes within it. A task that makes no progress is
    # still stopped.
    from commlint.pool import Limits, SupervisedPool, TaskFailure

    with SupervisedPool(_steps, 2, Limits(seconds=1.0)) as pool:
        results = dict(pool.run(iter([("export", 10), ("one-slow-step", 0)])))
    assert results["export"] == "done"  # 3 s in all, 0.3 s per document
    assert results["one-slow-step"] == "done"
    with SupervisedPool(time.sleep, 1, Limits(seconds=1.0)) as pool:
        (key, result), = list(pool.run(iter([("stuck", 3.0)])))
    assert isinstance(result, TaskFailure) and "took longer than 1 s" in result.reason


def _slow_first_run(count: int) -> str:
    import uuid

    import commlint.runner  # noqa: F401 - wires cache building to the pool's clock, as in a run
    from commlint.compiled import cached_table

    for _ in range(count):  # each a table missing from the cache, slow to build
        cached_table(f"test-slow-{uuid.uuid4().hex}", lambda: time.sleep(0.3) or {"built": True})
    return "done"


def test_filling_an_empty_cache_is_not_counted_against_the_time_limit() -> None:
    # On a first run a worker compiles the rules as the first document needs them; on a busy
    # machine that alone once passed the limit and failed a good input.
    from commlint.pool import Limits, SupervisedPool

    with SupervisedPool(_slow_first_run, 1, Limits(seconds=1.0)) as pool:
        (key, result), = list(pool.run(iter([("first-document", 8)])))
    assert result == "done"


def test_a_worker_over_the_memory_limit_is_stopped_with_a_reason(tmp_path: Path) -> None:
    # Any worker with spaCy loaded holds more than 30 MB, so every input passes this limit.
    (tmp_path / "commlint.toml").write_text("memory-limit = 30\n")
    (tmp_path / "a.txt").write_text(GUARANTEE * 200)
    done = run("check", "a.txt", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2
    assert "needed more than 30 MB of memory" in errors_of(done)["a.txt"]


# -- reports stay readable -------------------------------------------------------------------

def test_a_newline_in_a_file_name_does_not_break_the_text_report(tmp_path: Path) -> None:
    (tmp_path / "bad\nname.txt").write_text(GUARANTEE)
    done = run("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert first.startswith("bad\\nname.txt:1:4: warning overpromise/guarantee"), first


def test_a_staged_file_over_the_cap_blocks_the_hook_without_being_read(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: cheap to make, 51 MB to read
    (tmp_path / "ok.txt").write_text(GUARANTEE)
    git("add", "huge.txt", "ok.txt")
    done = run("hook-run", cwd=tmp_path, budget=40)
    assert done.returncode == 2
    assert "huge.txt: staged file is 51 MB" in done.stderr
    assert "ok.txt:1:4: warning overpromise/guarantee" in done.stdout
