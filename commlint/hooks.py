"""Git hooks: `commlint install-hook` (a native pre-commit hook). Filled in by the hooks work."""
from __future__ import annotations

import click


@click.command("install-hook")
def install_hook() -> None:
    """Install a git pre-commit hook that lints the staged files."""
    raise click.UsageError("not available yet")
