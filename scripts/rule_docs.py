#!/usr/bin/env python3
"""Write the rule documentation, docs/rules/, from the shipped rule packs.

    python scripts/rule_docs.py             # docs/rules/ of this checkout
    python scripts/rule_docs.py OUT_DIR     # elsewhere (tests/test_rule_docs.py compares the two)

Run it after changing a rule pack and commit the pages. A page whose rule is gone is removed
(only pages this script wrote: they start with its marker line).
"""
from __future__ import annotations

import sys
from pathlib import Path

from commlint.claims import load_knowledge
from commlint.packs import builtin_pack_folder
from commlint.reporters.rule_pages import GENERATED, render_pages
from commlint.rules.spec import load_packs
from commlint.safewrite import WriteError, write_file

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "rules"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    packs = [builtin_pack_folder()]
    pages = render_pages(load_packs(packs), load_knowledge(packs))
    changed = 0
    try:
        for relative, text in pages.items():
            target = out / relative
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                write_file(target, text)
                changed += 1
    except WriteError as error:
        print(f"rule_docs: {error}", file=sys.stderr)
        return 2
    stale = [p for p in out.rglob("*.md") if p.relative_to(out).as_posix() not in pages
             and p.read_text(encoding="utf-8").startswith(GENERATED)]
    for page in stale:
        page.unlink()
    print(f"{len(pages)} pages in {out}: {changed} written, {len(stale)} removed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
