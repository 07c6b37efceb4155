"""The README's "Use in CI" snippets and action.yml: validated with the official schemas that
check-jsonschema ships (GitHub workflows and actions, GitLab CI), and their commlint commands run."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Use in CI", 1)[1].split("\n## ", 1)[0]
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", SECTION, re.S)


def _block(first_line: str) -> str:
    return next(body for lang, body in BLOCKS if body.startswith(first_line))


def _validate(schema: str, path: Path) -> None:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    done = subprocess.run([tool, "--builtin-schema", schema, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _commlint(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split(command)
    assert args[0] == "commlint"
    return subprocess.run([sys.executable, "-m", "commlint", *args[1:]], cwd=cwd, capture_output=True, text=True, check=False)


def test_github_workflow_and_action(tmp_path: Path) -> None:
    workflow = tmp_path / "commlint.yml"
    workflow.write_text(_block("# .github/workflows/commlint.yml"))
    _validate("vendor.github-workflows", workflow)
    _validate("vendor.github-actions", REPO / "action.yml")
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = yaml.safe_load(workflow.read_text())["jobs"]["commlint"]["steps"]
    assert steps[2]["with"]["sarif_file"] == action["inputs"]["sarif"]["default"]
    # the action's commands, with its inputs filled in, run on the fixtures
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    inputs = {"paths": "fixtures/", "args": "", "sarif": "commlint.sarif"}
    for step in action["runs"]["steps"]:
        command = step.get("run", "")
        if command.startswith("commlint"):
            command = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], command)
            done = _commlint(command, tmp_path)
            assert done.returncode in (0, 1), done.stderr
    assert (tmp_path / "commlint.sarif").stat().st_size > 1000


def test_gitlab_ci(tmp_path: Path) -> None:
    config = tmp_path / ".gitlab-ci.yml"
    config.write_text(_block("# .gitlab-ci.yml"))
    _validate("vendor.gitlab-ci", config)
    job = yaml.safe_load(config.read_text())["commlint"]
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    done = _commlint(job["script"][1], tmp_path)
    assert done.returncode == 1 and (tmp_path / job["artifacts"]["reports"]["junit"]).read_text().startswith("<?xml")


def test_pre_commit_config_and_baseline_commands(tmp_path: Path) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(_block("# .pre-commit-config.yaml"))
    # pre-commit is a test dependency (pyproject [test]): run it from this Python
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(config)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.copytree(REPO / "fixtures" / "web", tmp_path / "site")
    record, check = [line for line in _block("commlint check site/ --baseline").splitlines() if line.startswith("commlint")]
    assert _commlint(record, tmp_path).returncode == 0
    assert _commlint(check, tmp_path).returncode == 0  # nothing new since the baseline
