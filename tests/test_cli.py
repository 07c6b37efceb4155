"""The command line as users and CI meet it: exit codes, options, config, errors, output."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from conftest import REPO, findings_of

SCHEMA = json.loads((REPO / "tests" / "contract.schema.json").read_text())
CLEAN = "Thanks for your order. Most parcels arrive in 3 to 5 business days.\n"
FLAGGED = "We guarantee delivery tomorrow. We'll get back to you soon.\n"


def rules_of(completed) -> list[str]:
    return [f["rule"] for f in findings_of(completed)["findings"]]


def test_clean_draft_exits_0(run_cli) -> None:
    done = run_cli("check", "-", "--lang", "en", stdin=CLEAN)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No problems found in 1 document" in done.stdout


def test_flagged_draft_exits_1_with_readable_report(run_cli) -> None:
    done = run_cli("check", "-", stdin=FLAGGED)
    assert done.returncode == 1
    out = done.stdout
    assert "-:1:4: warning overpromise/guarantee" in out
    assert "  1 | We guarantee delivery tomorrow." in out
    assert "    |    ^^^^^^^^^" in out  # the marker sits under "guarantee"
    assert "suggestion:" in out
    assert re.search(r"Found 2 problems \(2 warnings\) in 1 of 1 document\.", out)
    assert "\x1b[" not in out  # no colours when not on a terminal


def test_fail_on_levels(run_cli) -> None:
    assert run_cli("check", "-", "--fail-on", "error", stdin=FLAGGED).returncode == 0
    assert run_cli("check", "-", "--fail-on", "never", stdin=FLAGGED).returncode == 0
    assert run_cli("check", "-", "--fail-on", "info", stdin=FLAGGED).returncode == 1


def test_select_and_ignore_by_category_prefix_and_id(run_cli) -> None:
    assert rules_of(run_cli("check", "-", "--format", "json", "--select", "overpromise", stdin=FLAGGED)) == ["overpromise/guarantee"]
    assert rules_of(run_cli("check", "-", "--format", "json", "--ignore", "overpromise/guar", stdin=FLAGGED)) == ["wait-time/vague-response"]
    assert rules_of(run_cli("check", "-", "--format", "json", "--select", "wait-time,overpromise", "--ignore", "wait-time/vague-response", stdin=FLAGGED)) == ["overpromise/guarantee", "wait-time/no-time-given"]
    # With both wait-time rules on, "get back to you soon" is one problem, reported once.
    assert rules_of(run_cli("check", "-", "--format", "json", "--select", "wait-time", stdin=FLAGGED)) == ["wait-time/vague-response"]


def test_extend_select_adds_rules_on_top_of_the_selection(run_cli, tmp_path: Path) -> None:
    # ruff's extend-select: the selection stays and these join it; the longest code wins
    assert rules_of(run_cli("check", "-", "--format", "json", "--select", "overpromise", "--extend-select", "wait-time/vague-response", stdin=FLAGGED)) == ["overpromise/guarantee", "wait-time/vague-response"]
    assert rules_of(run_cli("check", "-", "--format", "json", "--extend-select", "wait-time/vague-response", "--ignore", "wait-time", stdin=FLAGGED)) == ["overpromise/guarantee", "wait-time/vague-response"]
    assert run_cli("check", "-", "--extend-select", "wait-time/vauge", stdin=FLAGGED).returncode == 2
    # claim rules (contradictions, terminology) follow the same selection
    from commlint.config import Config
    from commlint.runner import RunOptions, claim_rules_selected

    chosen = claim_rules_selected(RunOptions(["-"], Config(select=("overpromise",), extend_select=("contradiction",))))
    assert chosen and all(rule.startswith("contradiction/") for rule in chosen)
    (tmp_path / "commlint.toml").write_text('select = ["overpromise"]\nextend-select = ["wait-time/vague-response"]\n')
    (tmp_path / "draft.txt").write_text(FLAGGED)
    assert rules_of(run_cli("check", str(tmp_path / "draft.txt"), "--format", "json", "--config", str(tmp_path / "commlint.toml"))) == ["overpromise/guarantee", "wait-time/vague-response"]


def test_a_moved_rule_answers_to_its_old_id() -> None:
    # jargon/plain-words became readability/plain-words; configs and comments keep working
    from commlint.config import Config
    from commlint.runner import build_ruleset, load_rules, unknown_codes

    config = Config()
    loaded = load_rules(config)
    assert unknown_codes(loaded[0], ("jargon/plain-words",)) == []
    kept = {spec.id for spec in build_ruleset(config, None, ("jargon/plain-words",), loaded).specs}
    assert "readability/plain-words" not in kept and "readability/long-sentence" in kept


def test_unknown_rule_code_is_a_usage_error(run_cli) -> None:
    done = run_cli("check", "-", "--select", "overpromis", stdin=FLAGGED)
    assert done.returncode == 2
    assert "no rule, prefix or category matches: overpromis" in done.stderr


def test_unreadable_input_exits_2_and_the_rest_is_linted(run_cli, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(FLAGGED)
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00")
    done = run_cli("check", "good.txt", "missing.html", "binary.txt", "--format", "json")
    assert done.returncode == 2
    data = findings_of(done)
    errors = {e["path"]: e["message"] for e in data["errors"]}
    assert errors["missing.html"] == "no such file or folder"
    assert "binary" in errors["binary.txt"]
    assert {f["path"] for f in data["findings"]} == {"good.txt"}
    assert "Traceback" not in done.stderr


def test_unsupported_file_named_explicitly_is_an_error_but_skipped_in_folders(run_cli, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "site" / "page.txt").write_text(CLEAN)
    assert run_cli("check", "site", "--lang", "en").returncode == 0
    done = run_cli("check", "site/logo.png")
    assert done.returncode == 2 and "unsupported file type" in done.stdout


def test_json_output_validates_against_the_contract(run_cli) -> None:
    done = run_cli("check", str(REPO / "fixtures"), "--format", "json")
    data = findings_of(done)
    jsonschema.validate(data, SCHEMA)
    assert data["findings"], "the fixtures are meant to contain real problems"
    assert {d["channel"] for d in data["documents"]} >= {"web", "email", "social"}


def test_output_file_is_written_instead_of_stdout(run_cli, tmp_path: Path) -> None:
    done = run_cli("check", "-", "--format", "json", "--output", "report.json", stdin=FLAGGED)
    assert done.returncode == 1 and done.stdout == ""
    assert len(json.loads((tmp_path / "report.json").read_text())["findings"]) == 2
    assert not list(tmp_path.glob(".commlint-*"))  # no temporary file left behind


def test_parallel_and_serial_runs_agree(run_cli) -> None:
    serial = findings_of(run_cli("check", str(REPO / "fixtures"), "--format", "json", "--jobs", "1"))
    parallel = findings_of(run_cli("check", str(REPO / "fixtures"), "--format", "json", "--jobs", "2"))
    assert serial["findings"] == parallel["findings"]
    assert serial["documents"] == parallel["documents"]


def test_config_file_selects_overrides_and_allows(run_cli, tmp_path: Path) -> None:
    (tmp_path / "commlint.toml").write_text(
        'ignore = ["wait-time"]\nallow = ["utilize"]\n[severity]\n"overpromise" = "error"\n'
    )
    text = FLAGGED + "Please utilize the form.\n"
    data = findings_of(run_cli("check", "-", "--format", "json", stdin=text))
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [("overpromise/guarantee", "error")]


def test_config_is_found_in_pyproject_from_a_subfolder(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n[tool.commlint]\nselect = ["wait-time"]\n')
    (tmp_path / "copy").mkdir()
    data = findings_of(run_cli("check", "-", "--format", "json", stdin=FLAGGED, cwd=tmp_path / "copy"))
    assert [f["rule"] for f in data["findings"]] == ["wait-time/vague-response"]


def test_exclude_prunes_folder_walks_but_not_named_files(run_cli, tmp_path: Path) -> None:
    (tmp_path / "commlint.toml").write_text('exclude = ["drafts/**", "NOTES.md"]\n')
    for name in ("site/index.md", "site/NOTES.md", "drafts/old.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(FLAGGED)
    walked = findings_of(run_cli("check", ".", "--format", "json"))
    assert sorted({f["path"] for f in walked["findings"]}) == ["site/index.md"]
    named = findings_of(run_cli("check", "drafts/old.md", "--format", "json"))
    assert {f["path"] for f in named["findings"]} == {"drafts/old.md"}


def test_per_path_and_per_channel_settings(run_cli, tmp_path: Path) -> None:
    (tmp_path / "commlint.toml").write_text(
        '[[paths]]\nglob = "legal/**"\nignore = ["overpromise"]\n'
        '[channels.email]\nseverity = { "wait-time" = "error" }\n'
    )
    (tmp_path / "legal").mkdir()
    (tmp_path / "legal" / "terms.md").write_text(FLAGGED)
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "reply.md").write_text(FLAGGED)
    data = findings_of(run_cli("check", ".", "--format", "json", "--lang", "en"))
    got = sorted((f["path"], f["rule"], f["severity"], f["channel"]) for f in data["findings"])
    assert got == [
        ("emails/reply.md", "overpromise/guarantee", "warning", "email"),
        ("emails/reply.md", "wait-time/vague-response", "error", "email"),
        ("legal/terms.md", "wait-time/vague-response", "warning", "web"),
    ]


def test_unknown_config_key_is_an_error_naming_it(run_cli, tmp_path: Path) -> None:
    (tmp_path / "commlint.toml").write_text('ignnore = ["jargon"]\n')
    done = run_cli("check", "-", stdin=CLEAN)
    assert done.returncode == 2
    assert "commlint.toml: unknown key 'ignnore'" in done.stderr


def test_users_own_rule_pack_is_loaded(run_cli, tmp_path: Path) -> None:
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "house-rules" / "brand.yaml").write_text(
        "rules:\n"
        "  - id: terminology/brand-name\n"
        "    kind: terms\n"
        "    languages: ['*']\n"
        "    message: Write the brand as Nordlys Fiber\n"
        "    terms: [NordlysFiber, Nordlys-Fiber]\n"
        "    examples: {flag: ['Try NordlysFiber'], pass: ['Try Nordlys Fiber']}\n"
    )
    (tmp_path / "commlint.toml").write_text('rule-packs = ["house-rules"]\n')
    data = findings_of(run_cli("check", "-", "--format", "json", stdin="Switch to NordlysFiber today.\n"))
    assert [f["rule"] for f in data["findings"]] == ["terminology/brand-name"]


def test_malformed_rule_pack_names_file_rule_and_key(run_cli, tmp_path: Path) -> None:
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "house-rules" / "bad.yaml").write_text(
        "rules:\n  - id: tone/rude\n    kind: terms\n    languages: [en]\n    message: Rude\n    termz: [idiot]\n"
        "    examples: {flag: [x], pass: [y]}\n"
    )
    (tmp_path / "commlint.toml").write_text('rule-packs = ["house-rules"]\n')
    done = run_cli("check", "-", stdin=CLEAN)
    assert done.returncode == 2
    assert "bad.yaml, rule 'tone/rude', key 'termz': unknown key" in done.stderr


def test_rule_without_examples_is_rejected(run_cli, tmp_path: Path) -> None:
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "house-rules" / "bare.yaml").write_text(
        "rules:\n  - id: tone/rude\n    kind: terms\n    languages: [en]\n    message: Rude\n    terms: [idiot]\n"
    )
    (tmp_path / "commlint.toml").write_text('rule-packs = ["house-rules"]\n')
    done = run_cli("rules")
    assert done.returncode == 2
    assert "rule 'tone/rude', key 'examples'" in done.stderr


def test_rules_and_rule_commands(run_cli) -> None:
    listing = run_cli("rules", "--category", "overpromise")
    assert listing.returncode == 0
    assert "overpromise/guarantee" in listing.stdout and "jargon/" not in listing.stdout
    explained = run_cli("rule", "overpromise/guarantee")
    assert explained.returncode == 0
    for heading in ("What it flags", "Why it matters", "Flagged:", "Fine:", "We guarantee delivery the next day."):
        assert heading in explained.stdout
    missing = run_cli("rule", "overpromise/nope")
    assert missing.returncode == 2 and "Did you mean" in missing.stderr


def test_no_paths_is_a_usage_error(run_cli) -> None:
    done = run_cli("check")
    assert done.returncode == 2 and "name at least one file" in done.stderr


def test_broken_user_rule_stops_even_a_one_draft_run(run_cli, tmp_path: Path) -> None:
    # One draft compiles only its language's built-in rules, but the user's own are always checked.
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "x.yaml").write_text(
        "languages: [de]\nrules:\n  - id: tone/bad\n    kind: regex\n    severity: warning\n    message: x\n"
        "    patterns: ['(unclosed']\n    examples: {flag: [a], pass: [b]}\n"
    )
    (tmp_path / "commlint.toml").write_text('rule-packs = ["pack"]\n')
    done = run_cli("check", "-", "--lang", "en", stdin="Hello there.\n")
    assert done.returncode == 2
    assert "x.yaml, rule 'tone/bad', key 'patterns'" in done.stderr
