"""`--format json`: the contract's machine-readable output (version 1)."""
from __future__ import annotations

import json
from collections import Counter

from .. import __version__
from ..model import Finding
from ..runner import RunResult


def as_dict(result: RunResult) -> dict[str, object]:
    severities = Counter(f.severity for f in result.findings)
    return {
        "version": 1,
        "generator": {"name": "commlint", "version": __version__},  # so a later run does not check this report
        "documents": [d.to_json() for d in result.documents],
        "errors": [e.to_json() for e in result.errors],
        "warnings": [w.to_json() for w in result.warnings],
        # files left out whole: commlint's own reports and baselines, JSON/CSV that are no social export
        "skipped": [{"path": own.path, "reason": own.kind} for own in result.own_files]
        + [{"path": path, "reason": "not a social-media export"} for path in result.skipped],
        "findings": [_finding(f, result.rule_docs.get(f.rule)) for f in result.findings],
        "summary": {
            "documents": len(result.documents),
            "words": sum(d.words for d in result.documents),
            "findings": len(result.findings),
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "by_severity": dict(sorted(severities.items())),
            "by_category": dict(sorted(Counter(f.category for f in result.findings).items())),
            "by_rule": dict(sorted(Counter(f.rule for f in result.findings).items())),  # what --statistics lists
            # findings left out on purpose: on lines not changed since --changed-since, or in the --baseline
            "hidden": {"unchanged_lines": result.unchanged_hidden, "baseline": result.baseline_hidden},
            # documents per language without rules: only language-neutral rules ran on them
            "unsupported_languages": dict(result.unsupported_languages),
            # senders whose facts were compared apart, and documents whose sender is unknown
            "organisations": result.organisations,
            "unattributed": result.unattributed,
            "seconds": round(result.seconds, 3),
        },
        **({"crawl": _crawl(result)} if result.crawl_fetched or result.crawl_skipped or result.crawl_report else {}),
    }


def _finding(finding: Finding, page: str | None) -> dict[str, object]:
    """A finding as the contract has it, with `help_uri` where its rule has a page."""
    data = finding.to_json()
    if page:
        data["help_uri"] = page
    return data


def _crawl(result: RunResult) -> dict[str, object]:
    """fetched and skipped as before (skipped lists at most the first 1,000 per-URL skips;
    skipped_count counts them all); URLs left when a limit was reached are only counted, with a
    sample, so a 300,000-URL sitemap crawled with --max-pages 5 gives a small report."""
    report = result.crawl_report
    return {
        "fetched": result.crawl_fetched,
        "skipped": [{"url": url, "reason": reason} for url, reason in result.crawl_skipped],
        "skipped_count": report.skipped_count if report else len(result.crawl_skipped),
        "not_visited": [left.to_json() for left in report.not_visited.values()] if report else [],
    }


def render(result: RunResult, color: bool = False) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
