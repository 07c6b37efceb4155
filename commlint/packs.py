"""Where the shipped YAML packs live; neutral ground shared by extraction, rules and config."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)  # asked once per rule when rules are sorted into shipped and a team's own
def builtin_pack_folder() -> Path:
    """The shipped packs: inside the wheel as commlint/_packs, or rules/ in a source checkout."""
    packaged = Path(__file__).resolve().parent / "_packs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / "rules"
