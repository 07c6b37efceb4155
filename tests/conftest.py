from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def commlint_command() -> list[str]:
    """The installed console script when there is one (proves the wheel works), else -m."""
    script = shutil.which("commlint")
    return [script] if script else [sys.executable, "-m", "commlint"]


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run commlint as a user would, in a clean working directory."""

    def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        return subprocess.run(
            [*commlint_command(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env=env,
            timeout=300,
        )

    return run


def findings_of(completed: subprocess.CompletedProcess[str]) -> dict:
    return json.loads(completed.stdout)
