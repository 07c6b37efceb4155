"""`--format junit`: JUnit XML for GitLab and Jenkins: one test case per document, failing
with its findings; unreadable inputs are errors."""
from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from ..runner import RunResult


def render(result: RunResult, color: bool = False) -> str:
    by_path = defaultdict(list)
    for finding in result.findings:
        by_path[finding.path].append(finding)
    paths = sorted({d.path for d in result.documents} | set(by_path))
    suite = ET.Element("testsuite", name="commlint", tests=str(len(paths) + len(result.errors)),
                       failures=str(sum(1 for p in paths if by_path[p])), errors=str(len(result.errors)),
                       time=f"{result.seconds:.3f}")
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname="commlint", name=path)
        findings = by_path[path]
        if findings:
            text = "\n".join(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}"
                             + (f"\n  suggestion: {f.suggestion}" if f.suggestion else "") for f in findings)
            failure = ET.SubElement(case, "failure", message=f"{len(findings)} problem{'s' if len(findings) != 1 else ''}",
                                    type=findings[0].category)
            failure.text = text
    for error in result.errors:
        case = ET.SubElement(suite, "testcase", classname="commlint", name=error.path)
        ET.SubElement(case, "error", message=error.message, type="input-error").text = error.message
    root = ET.Element("testsuites", name="commlint", tests=suite.get("tests", "0"), failures=suite.get("failures", "0"), errors=suite.get("errors", "0"))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
