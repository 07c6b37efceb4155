"""CI formats, baselines, inline suppressions and --fix, through the CLI."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, findings_of

DRAFT = "We guarantee delivery tomorrow.\n\nPlease utilize the form below.\n"


@pytest.fixture(scope="session")
def sarif_schema(tmp_path_factory) -> dict:
    """The official SARIF 2.1.0 schema, as Microsoft publishes it in @microsoft/jest-sarif on npm."""
    npm = shutil.which("npm")
    # the machine has Node.js and npm; without them the schema check would silently vanish
    assert npm is not None, "npm is needed to fetch the official SARIF schema"
    folder = tmp_path_factory.mktemp("sarif")
    subprocess.run([npm, "pack", "@microsoft/jest-sarif@1.0.0-beta.0", "--silent"], cwd=folder, check=True,
                   capture_output=True, timeout=180)
    [archive] = folder.glob("*.tgz")
    with tarfile.open(archive) as tar:
        member = tar.extractfile("package/lib/schemas/sarif-2.1.0-rtm.5.json")
        assert member is not None
        return json.load(member)


def test_sarif_validates_against_the_official_schema(run_cli, sarif_schema) -> None:
    done = run_cli("check", str(REPO / "fixtures"), "--format", "sarif")
    sarif = json.loads(done.stdout)
    jsonschema.validate(sarif, sarif_schema)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "overpromise/guarantee" in rules and rules["overpromise/guarantee"]["help"]["text"]
    results = run["results"]
    assert results and all(r["partialFingerprints"]["commlintFingerprint/v1"] for r in results)
    contradiction = next(r for r in results if r["ruleId"] == "contradiction/refund-window")
    assert contradiction["relatedLocations"]


def test_fingerprints_survive_line_shifts_and_edits_elsewhere(run_cli, tmp_path: Path) -> None:
    (tmp_path / "draft.txt").write_text(DRAFT)
    before = {r["partialFingerprints"]["commlintFingerprint/v1"] for r in json.loads(run_cli("check", "draft.txt", "--format", "sarif").stdout)["runs"][0]["results"]}
    (tmp_path / "draft.txt").write_text("A new opening paragraph.\n\n" + DRAFT.replace("form below", "form on this page"))
    after = {r["partialFingerprints"]["commlintFingerprint/v1"] for r in json.loads(run_cli("check", "draft.txt", "--format", "sarif").stdout)["runs"][0]["results"]}
    assert len(before) == 2 and len(before & after) == 1  # the untouched sentence keeps its fingerprint


def test_github_annotations_and_junit(run_cli, tmp_path: Path) -> None:
    (tmp_path / "draft.txt").write_text(DRAFT)
    github = run_cli("check", "draft.txt", "--format", "github").stdout.splitlines()
    assert github[0].startswith("::warning file=draft.txt,line=1,col=4,endLine=1,endColumn=13,title=overpromise/guarantee::")
    assert github[1].startswith("::notice file=draft.txt,line=3,")
    junit = ET.fromstring(run_cli("check", "draft.txt", "missing.txt", "--format", "junit").stdout)
    suite = junit.find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("errors") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and "overpromise/guarantee" in (failure.text or "")


def test_baseline_hides_recorded_findings_and_fails_only_on_new_ones(run_cli, tmp_path: Path) -> None:
    (tmp_path / "draft.txt").write_text(DRAFT)
    recorded = run_cli("check", "draft.txt", "--baseline", "baseline.json", "--update-baseline")
    assert recorded.returncode == 0 and "Recorded 2 findings" in recorded.stdout
    assert run_cli("check", "draft.txt", "--baseline", "baseline.json").returncode == 0
    # lines shift and another sentence changes: the recorded findings stay hidden
    (tmp_path / "draft.txt").write_text("Intro.\n\n" + DRAFT + "\nThanks for reading.\n")
    assert run_cli("check", "draft.txt", "--baseline", "baseline.json").returncode == 0
    (tmp_path / "draft.txt").write_text(DRAFT + "\nOur network never fails.\n")
    new = findings_of(run_cli("check", "draft.txt", "--baseline", "baseline.json", "--format", "json"))
    assert [f["rule"] for f in new["findings"]] == ["overpromise/never-fails"]
    assert new["summary"]["hidden"] == {"unchanged_lines": 0, "baseline": 2}
    shown = run_cli("check", "draft.txt", "--baseline", "baseline.json")
    assert "2 findings recorded in the baseline not shown (--baseline)" in shown.stdout


def test_inline_suppressions_and_unused_ones(run_cli, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><body>\n<!-- commlint-disable overpromise -->\n<p>We guarantee delivery.</p>\n<!-- commlint-enable -->\n"
        "<!-- commlint-disable-next-line jargon/plain-words -->\n<p>Please utilize the form.</p>\n"
        "<p>Our network never fails.</p>\n<!-- commlint-disable-next-line tone -->\n<p>Thanks for your order.</p>\n</body></html>\n"
    )
    (tmp_path / "notes.md").write_text("<!-- commlint-disable-next-line overpromise/guarantee -->\nWe guarantee it.\n")
    done = run_cli("check", "page.html", "notes.md", "--format", "json")
    assert [(f["path"], f["line"], f["rule"]) for f in findings_of(done)["findings"]] == [("page.html", 7, "overpromise/never-fails")]
    assert "page.html:8: unused suppression commlint-disable-next-line tone" in done.stderr


def test_fix_and_diff_keep_encoding_bom_and_line_endings(run_cli, tmp_path: Path) -> None:
    original = "\ufeffPlease utilize the form.\r\nUtilize it prior to your visit. We guarantee it.\r\n".encode("utf-8")
    (tmp_path / "draft.txt").write_bytes(original)
    diff = run_cli("check", "draft.txt", "--diff")
    assert "-Please utilize the form." in diff.stdout and "+Please use the form." in diff.stdout
    assert (tmp_path / "draft.txt").read_bytes() == original  # --diff changes nothing
    fixed = run_cli("check", "draft.txt", "--fix", "--format", "json")
    assert (tmp_path / "draft.txt").read_bytes() == "\ufeffPlease use the form.\r\nUse it before your visit. We guarantee it.\r\n".encode("utf-8")
    report = json.loads(fixed.stdout[fixed.stdout.index("{"):])
    assert [f["rule"] for f in report["findings"]] == ["overpromise/guarantee"]  # not fixable: reported
    assert not list(tmp_path.glob(".commlint-fix-*"))


def test_fix_leaves_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    from commlint.fixes import apply_fixes
    from commlint.model import Finding

    path = tmp_path / "draft.txt"
    path.write_text("Please utilize the form.\n")
    finding = Finding("readability/plain-words", "readability", "info", str(path), 1, 8, 1, 15, "draft", "en", "m", "e", fix=("utilize", "use"))
    report = apply_fixes([finding], write=True, digests={str(path): "0" * 40})
    assert "changed since it was checked; not fixed" in report.text
    assert path.read_text() == "Please utilize the form.\n"


def test_sarif_file_is_written_in_the_same_run_as_github_annotations(run_cli, sarif_schema, tmp_path: Path) -> None:
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    done = run_cli("check", "fixtures", "--format", "github", "--sarif", "reports/commlint.sarif", "--time-limit", "0",
                   cwd=tmp_path)  # (no time limit: a busy machine must not make it flaky)
    assert done.returncode == 1, done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert annotations and "SARIF report: reports/commlint.sarif" in done.stderr
    sarif = json.loads((tmp_path / "reports" / "commlint.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, sarif_schema)
    results = sarif["runs"][0]["results"]
    # one run, one set of findings: an annotation for every SARIF result, and the other way round
    located = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in results}
    annotated = {(m.group(1), int(m.group(2)), m.group(3)) for line in annotations
                 if (m := re.match(r"::\w+ file=([^,]+),line=(\d+),.*title=([^:]+)::", line))}
    assert located == annotated and len(results) >= 5


def test_a_baseline_that_is_a_fifo_or_not_json_is_refused_at_once(tmp_path: Path) -> None:
    # Every read is bounded: a FIFO named as the baseline must not block the run.
    from commlint.baseline import BaselineError, read_baseline

    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    with pytest.raises(BaselineError, match="not a commlint baseline .*FIFO"):
        read_baseline(str(fifo))
    (tmp_path / "text.json").write_bytes(b"\xff\xfe not json")
    with pytest.raises(BaselineError, match="not a commlint baseline"):
        read_baseline(str(tmp_path / "text.json"))
    assert read_baseline(str(tmp_path / "missing.json")) == Counter()
