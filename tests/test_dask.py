"""`commlint check --executor dask`: the same report as a local run, on a real LocalCluster of two
worker processes; contradictions across workers; a worker killed mid-run; an unreachable
scheduler; storage URLs; and a local run that never imports Dask."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
import cloudpickle  # noqa: E402  (comes with distributed)
import fsspec  # noqa: E402

from commlint.cli import main  # noqa: E402
from commlint.sources import discover  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# ../shared/corpora beside the checkout (a worktree may stand one folder deeper)
CORPORA = next((folder / "shared" / "corpora" for folder in REPO.parents if (folder / "shared" / "corpora").is_dir()), REPO.parent / "shared" / "corpora")
TIMING = ("seconds",)

# the test's worker plugin travels to the workers by value (tests/ is not importable there)
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        with distributed.Client(local) as client:
            yield local, client


def _report(path: Path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))
    for name in TIMING:
        report["summary"].pop(name, None)
    return report


def _check(tmp_path: Path, name: str, *args: str) -> tuple[int, dict]:
    out = tmp_path / f"{name}.json"
    code = main(["check", *args, "--format", "json", "-o", str(out), "-q"])
    return code, _report(out)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The fixtures, a slice of the shared corpora (e-mails of many senders, web pages, terms),
    and one input that cannot be read."""
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(REPO / "fixtures", folder / "fixtures")
    # The corpora live beside the checkout on the team's machines, not in a clone made elsewhere
    # (CI clones into a temporary folder): there the fixtures alone are compared.
    if CORPORA.is_dir():
        for corpus, pattern, count in (("phishing_pot_eml", "*/*.eml", 16), ("trafilatura_eval_html", "*/*.html", 8),
                                       ("opentermsarchive_contrib_terms_md", "**/*.md", 6)):
            for source in sorted((CORPORA / corpus).glob(pattern))[:count]:
                target = folder / "corpora" / corpus / source.relative_to(CORPORA / corpus)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    return folder


def test_dask_report_equals_local_report(cluster, inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local, _ = cluster
    # small batches: the subject steps' figures are merged from many of them (see test_claims_parts)
    monkeypatch.setattr("commlint.distributed.MAX_BATCH", 4)
    code_local, report_local = _check(tmp_path, "local", str(inputs), "--jobs", "2")
    code_dask, report_dask = _check(tmp_path, "dask", str(inputs), "--executor", "dask", "--scheduler", local.scheduler_address)
    assert report_local["summary"]["documents"] > (60 if CORPORA.is_dir() else 30)
    assert any(f["rule"].startswith("contradiction/") for f in report_local["findings"])
    assert [e["path"] for e in report_local["errors"]] == [str(inputs / "broken.docx")]  # failed on a worker: reported alike
    assert report_dask == report_local
    assert code_dask == code_local == 2


def test_contradictions_across_workers(cluster, tmp_path: Path) -> None:
    """Contradictions between documents that two different workers linted."""
    local, client = cluster
    folder = REPO / "fixtures" / "web"
    refs, _, _ = discover([str(folder)])
    index = {ref.path: number for number, ref in enumerate(refs)}
    client.get_task_stream()  # start recording
    with distributed.get_task_stream(client) as stream:
        code, report = _check(tmp_path, "dask", str(folder), "--executor", "dask", "--scheduler", local.scheduler_address)
    assert code == 1
    worker_of: dict[int, str] = {}
    for task in stream.data:
        if task["key"].startswith("commlint-lint-"):
            first, last = map(int, task["key"].split("-")[2:4])
            worker_of.update({number: task["worker"] for number in range(first, last + 1)})
    assert len(set(worker_of.values())) == 2, "both workers linted"
    across = [
        finding for finding in report["findings"] if finding["rule"].startswith("contradiction/")
        and len({worker_of[index[path]] for path in {finding["path"], *(r["path"] for r in finding.get("related", []))}}) == 2
    ]
    assert across, "a contradiction between documents linted on different workers"


class KillOnce(distributed.WorkerPlugin):
    """Kills the worker process that starts the first lint task (once: a flag file says so)."""

    name = "commlint-test-kill-once"

    def __init__(self, flag: str) -> None:
        self.flag = flag

    def transition(self, key, start, finish, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if finish == "executing" and str(key).startswith("commlint-lint-") and not os.path.exists(self.flag):
            Path(self.flag).write_text(str(key))
            os._exit(1)


def test_killed_worker_is_retried_and_result_identical(cluster, inputs: Path, tmp_path: Path) -> None:
    local, client = cluster
    target = str(inputs / "fixtures")
    _, expected = _check(tmp_path, "local", target, "--jobs", "2")
    flag = tmp_path / "killed"
    client.register_plugin(KillOnce(str(flag)))
    try:
        code, report = _check(tmp_path, "dask", target, "--executor", "dask", "--scheduler", local.scheduler_address)
    finally:
        client.unregister_worker_plugin(KillOnce.name)
    assert flag.read_text().startswith("commlint-lint-"), "a worker was killed in the middle of the run"
    assert report == expected
    assert code == 1
    client.wait_for_workers(2, timeout=30)  # the nanny restarted it


def test_unreachable_scheduler_is_a_usage_error(capsys) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    started = time.monotonic()
    code = main(["check", str(REPO / "fixtures" / "web"), "--executor", "dask", "--scheduler", address])
    assert code == 2
    assert time.monotonic() - started < 15
    err = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert "Traceback" not in err


def test_storage_urls(cluster, tmp_path: Path) -> None:
    """memory:// lives in the client's process only, so its bytes are read there and shipped to
    the worker processes; file:// is read on the workers."""
    local, _ = cluster
    memory = fsspec.filesystem("memory")
    for source in sorted((REPO / "fixtures" / "web").rglob("*.html")):
        memory.pipe(f"/commlint-test/{source.relative_to(REPO / 'fixtures' / 'web')}", source.read_bytes())
    try:
        for url in ("memory:///commlint-test", f"file://{REPO / 'fixtures' / 'web'}"):
            code_local, expected = _check(tmp_path, "local", url, "--jobs", "2")
            code, report = _check(tmp_path, "dask", url, "--executor", "dask", "--scheduler", local.scheduler_address)
            assert expected["summary"]["documents"] >= 8
            assert any(f["rule"].startswith("contradiction/") for f in expected["findings"])
            assert all(f["path"].startswith(url.partition("://")[0] + "://") for f in expected["findings"])
            assert report == expected and code == code_local
        code, report = _check(tmp_path, "missing", "memory:///nothing-here/*.eml", "memory:///no-such.html")
        assert [e["path"] for e in report["errors"]] == ["memory:///no-such.html"] and code == 2
    finally:
        memory.rm("/commlint-test", recursive=True)


def test_local_cluster_started_when_no_scheduler(tmp_path: Path, capsys) -> None:
    code, report = _check(tmp_path, "dask", str(REPO / "fixtures" / "email"), "--executor", "dask", "--jobs", "1")
    _, expected = _check(tmp_path, "local", str(REPO / "fixtures" / "email"), "--jobs", "1")
    assert report == expected and code in (0, 1)


def test_dashboard_url_printed(cluster, capsys) -> None:
    local, _ = cluster
    main(["check", str(REPO / "fixtures" / "email"), "--executor", "dask", "--scheduler", local.scheduler_address, "--format", "json", "-o", os.devnull])
    err = capsys.readouterr().err
    assert "Running on Dask (2 workers). Dask dashboard: http://" in err


def test_scheduler_needs_dask_executor(capsys) -> None:
    assert main(["check", str(REPO / "fixtures" / "email"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err


_HIDE_DASK = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.partition('.')[0] in ('dask', 'distributed'):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Hide())
"""


def test_without_the_extra_dask_executor_is_a_usage_error() -> None:
    code = _HIDE_DASK + "from commlint.cli import main\nsys.exit(main(['check', sys.argv[1], '--executor', 'dask']))"
    done = subprocess.run([sys.executable, "-c", code, str(REPO / "fixtures" / "email")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "pip install 'commlint[dask]'" in done.stderr and "Traceback" not in done.stderr


def test_local_run_does_not_import_dask() -> None:
    code = ("import sys\nfrom commlint.cli import main\ncode = main(['check', sys.argv[1], '--format', 'json', '-o', sys.argv[2]])\n"
            "print(sorted(m for m in sys.modules if m.partition('.')[0] in ('dask', 'distributed', 'fsspec')))\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, str(REPO / "fixtures"), os.devnull], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "[]"


from test_hostile import SLOW_PACK  # noqa: E402  (the same backtracking rule as the local test)


def test_an_input_over_the_time_limit_is_stopped_on_a_worker_too(cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The per-input limits hold on a cluster as on one machine: the hanging input is reported
    # with the reason, the worker goes on with the others, and the run ends.
    local, _ = cluster
    (tmp_path / "packs" / "en").mkdir(parents=True)
    (tmp_path / "packs" / "en" / "slow.yaml").write_text(SLOW_PACK)
    (tmp_path / "commlint.toml").write_text('rule-packs = ["packs"]\ntime-limit = 3\n')
    (tmp_path / "slow.txt").write_text("a" * 60 + "!\n")
    (tmp_path / "ok.txt").write_text("We guarantee delivery tomorrow.\n")
    monkeypatch.chdir(tmp_path)
    main(["check", "ok.txt", "--time-limit", "0", "-q"])  # an empty cache's compiling is no document's time
    started = time.monotonic()
    code, report = _check(tmp_path, "limited", "slow.txt", "ok.txt", "--executor", "dask", "--scheduler", local.scheduler_address)
    assert time.monotonic() - started < 60
    assert code == 2
    assert [(e["path"], "took longer than 3 s" in e["message"]) for e in report["errors"]] == [("slow.txt", True)], report["errors"]
    assert [f["path"] for f in report["findings"]] == ["ok.txt"]
