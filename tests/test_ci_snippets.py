"""The README's "Use in CI" snippets and action.yml: validated with the official schemas that
check-jsonschema ships (GitHub workflows and actions, GitLab CI), and their commlint commands run."""
from __future__ import annotations

import json
import os
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


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=CI", "-c", "user.email=ci@example.com", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _run_action_step(step: dict, inputs: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A `run:` step of action.yml as the runner runs it: inputs filled in, its env set, bash."""
    def fill(text: str) -> str:
        return re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: inputs[m.group(1)], text)

    env = {**os.environ, **{name: fill(value) for name, value in step.get("env", {}).items()},
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}  # this commlint
    return subprocess.run(["bash", "-e", "-c", fill(step["run"])], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_github_workflow_and_action(tmp_path: Path) -> None:
    workflow = tmp_path / "commlint.yml"
    workflow.write_text(_block("# .github/workflows/commlint.yml"))
    _validate("vendor.github-workflows", workflow)
    _validate("vendor.github-actions", REPO / "action.yml")
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = yaml.safe_load(workflow.read_text())["jobs"]["commlint"]["steps"]
    assert steps[2]["with"]["sarif_file"] == action["inputs"]["sarif"]["default"]
    # On pull requests only the lines the pull request changed are reported.
    assert action["inputs"]["changed-since"]["default"] == "${{ github.event.pull_request.base.sha }}"
    # One run of commlint writes both the annotations and the SARIF report.
    [check] = [step for step in action["runs"]["steps"] if "commlint check" in step.get("run", "")]
    assert "--format github" in check["run"] and "--sarif" in check["run"]

    # A checkout of the fixtures; the "pull request" adds an overpromise to one draft.
    site = tmp_path / "site"
    shutil.copytree(REPO / "fixtures", site / "fixtures")
    _git(site, "init", "-q")
    _git(site, "add", ".")
    _git(site, "commit", "-q", "-m", "base")
    base = _git(site, "rev-parse", "HEAD")
    draft = site / "fixtures" / "pr-draft.txt"
    draft.write_text("Thanks for your order.\n\nWe guarantee delivery tomorrow.\n", encoding="utf-8")
    _git(site, "add", ".")
    _git(site, "commit", "-q", "-m", "pull request")

    inputs = {"paths": "fixtures/", "args": "--time-limit 0", "sarif": "commlint.sarif", "changed-since": ""}
    push = _run_action_step(check, inputs, site)  # a push: every finding
    assert push.returncode == 1, push.stderr
    every = [line for line in push.stdout.splitlines() if line.startswith("::")]
    results = json.loads((site / "commlint.sarif").read_text())["runs"][0]["results"]
    assert len(every) > 10 and len(results) == len([line for line in every if ",line=" in line])

    pull = _run_action_step(check, {**inputs, "changed-since": base}, site)
    assert pull.returncode == 1, pull.stderr
    assert [line.split("::")[1] for line in pull.stdout.splitlines() if line.startswith("::")] == [
        "warning file=fixtures/pr-draft.txt,line=3,col=4,endLine=3,endColumn=13,title=overpromise/guarantee"]
    results = json.loads((site / "commlint.sarif").read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["overpromise/guarantee"]


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
