from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# One compile cache for the whole session (inherited by every CLI run it starts): the first run
# fills it, the rest load from it, and nothing is read from or left in the user's own cache.
if "COMMLINT_CACHE_DIR" not in os.environ:
    import atexit
    import tempfile

    _CACHE = tempfile.mkdtemp(prefix="commlint-test-cache-")
    os.environ["COMMLINT_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)


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


def rule_page_url(rule_id: str) -> str:
    """Where a rule's page is published: pyproject's [project.urls] Documentation + the page's
    path under docs/rules/ (what every link to a rule must be)."""
    import tomllib

    base = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Documentation"]
    return f"{base.rstrip('/')}/{rule_id}.md"
