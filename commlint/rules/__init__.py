"""Stage 3, rules: YAML rule packs compiled into matchers, applied to one document at a time."""
from __future__ import annotations

from ..packs import builtin_pack_folder as builtin_pack_folder  # kept here: callers import it from rules

__all__ = ["builtin_pack_folder"]
