"""Where the shipped YAML packs live; neutral ground shared by extraction, rules and config."""
from __future__ import annotations

from pathlib import Path


def builtin_pack_folder() -> Path:
    """The shipped packs: inside the wheel as commlint/_packs, or rules/ in a source checkout."""
    packaged = Path(__file__).resolve().parent / "_packs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / "rules"
