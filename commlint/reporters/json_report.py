"""`--format json`: the contract's machine-readable output (version 1)."""
from __future__ import annotations

import json
from collections import Counter

from ..runner import RunResult


def as_dict(result: RunResult) -> dict[str, object]:
    severities = Counter(f.severity for f in result.findings)
    return {
        "version": 1,
        "documents": [d.to_json() for d in result.documents],
        "errors": [e.to_json() for e in result.errors],
        "findings": [f.to_json() for f in result.findings],
        "summary": {
            "documents": len(result.documents),
            "words": sum(d.words for d in result.documents),
            "findings": len(result.findings),
            "errors": len(result.errors),
            "by_severity": dict(sorted(severities.items())),
            "by_category": dict(sorted(Counter(f.category for f in result.findings).items())),
            "seconds": round(result.seconds, 3),
        },
        **({"crawl": {
            "fetched": result.crawl_fetched,
            "skipped": [{"url": url, "reason": reason} for url, reason in result.crawl_skipped],
        }} if result.crawl_fetched or result.crawl_skipped else {}),
    }


def render(result: RunResult, color: bool = False) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
