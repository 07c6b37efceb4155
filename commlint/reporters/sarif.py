"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Each rule carries its help text; each result a stable fingerprint (partialFingerprints) that
survives line shifts, so code scanning tracks the same finding across commits.
"""
from __future__ import annotations

import json

from .. import __version__
from ..ruledocs import readable
from ..runner import RunResult

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://github.com/commlint/commlint#readme"


def _uri(path: str) -> str:
    return path if "://" in path else path.replace("\\", "/").removeprefix("./")


def render(result: RunResult, color: bool = False) -> str:
    rule_ids = sorted({f.rule for f in result.findings} | set(result.rule_help))
    index = {rule: number for number, rule in enumerate(rule_ids)}
    rules = []
    for rule in rule_ids:
        category, message, why = result.rule_help.get(rule, (rule.split("/")[0], rule, ""))
        short = readable(message)
        page = result.rule_docs.get(rule)
        local = f"Explain it locally: `commlint rule {rule}`" + (f" · [rule page]({page})" if page else "")
        rules.append({
            "id": rule,
            "name": rule.replace("/", "-"),
            "shortDescription": {"text": short[:200]},
            "fullDescription": {"text": (why or short)[:1000]},
            "help": {"text": "\n\n".join(p for p in (short, why, page and f"Read more: {page}") if p),
                     "markdown": "\n\n".join(p for p in (f"**{short}**", why, local) if p)},
            "helpUri": page or INFO_URI,
            "properties": {"category": category, "tags": [category, "customer-communication"]},
        })
    results = []
    for finding in result.findings:
        region = {"startLine": finding.line, "startColumn": finding.column,
                  "endLine": max(finding.end_line, finding.line), "endColumn": max(finding.end_column, finding.column + 1)}
        if finding.excerpt:
            region["snippet"] = {"text": finding.excerpt[:500]}
        entry = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": finding.message + (f"\nSuggestion: {finding.suggestion}" if finding.suggestion else "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(finding.path)}, "region": region}}],
            "partialFingerprints": {"commlintFingerprint/v1": finding.fingerprint()},
            "properties": {"category": finding.category, "channel": finding.channel, "lang": finding.lang},
        }
        if finding.unit:
            entry["properties"]["unit"] = finding.unit.to_json()
        if finding.related:
            entry["relatedLocations"] = [
                {"id": number, "message": {"text": f"states {r.value}" if r.value else r.excerpt[:200] or "related"},
                 "physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}, "region": {"startLine": r.line, "startColumn": max(r.column, 1)}}}
                for number, r in enumerate(finding.related, 1)
            ]
        results.append(entry)
    notifications = [
        {"level": "error", "message": {"text": f"{e.path}: {e.message}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.path)}}}]}
        for e in result.errors
    ] + [
        {"level": "warning", "message": {"text": f"{w.path}: {w.message}"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(w.path)}}}]}
        for w in result.warnings
    ]
    run = {
        "tool": {"driver": {"name": "commlint", "version": __version__, "informationUri": INFO_URI, "rules": rules}},
        "results": results,
        "invocations": [{"executionSuccessful": not result.errors, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
    }
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
