"""`commlint facts`: the claims table, so a user can see what commlint understood."""
from __future__ import annotations

import json
from typing import Sequence

from .. import __version__
from ..claims import Claim
from ..model import InputError
from .table import display_width, render_table


def render_facts(claims: Sequence[Claim], errors: Sequence[InputError], output_format: str) -> str:
    ordered = sorted(claims, key=lambda c: (c.org or "", c.fact, c.subject or "", c.conditions, c.display, c.path, c.line))
    if output_format == "json":
        data = {"version": 1, "generator": {"name": "commlint", "version": __version__},  # not checked as copy later
                "facts": [c.to_json() for c in ordered], "errors": [e.to_json() for e in errors]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    # organisation, subject and conditions: what decides which statements are compared
    rows = [("organisation", "fact", "subject", "conditions", "value", "as written", "where")]
    for claim in ordered:
        where = f"{claim.path}:{claim.line}:{claim.column}" + (f" ({claim.unit.kind} {claim.unit.id})" if claim.unit else "")
        org = claim.org if claim.org else ("–" if claim.org == "" else "unknown")
        rows.append((org, claim.label, claim.subject or "–", ", ".join(claim.conditions) or "–", claim.display, claim.written, where))
    lines = render_table(rows)  # aligned by terminal columns: a Japanese value takes two per character
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 5)
    for error in errors:
        lines.append(f"{error.path}: error: {error.message}")
    lines.append(f"\n{len(claims)} facts in {len({c.path for c in claims})} files.")
    return "\n".join(lines) + "\n"
