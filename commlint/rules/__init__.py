"""Stage 3, rules: YAML rule packs compiled into matchers, applied to one document at a time."""
from __future__ import annotations

from pathlib import Path


def builtin_pack_folder() -> Path:
    """The shipped packs: inside the wheel as commlint/_packs, or rules/ in a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_packs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"
