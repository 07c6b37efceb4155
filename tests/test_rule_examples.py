"""Every rule's own examples: each `flag` example must raise that rule, each `pass` must not."""
from __future__ import annotations

from dataclasses import replace

import pytest

from commlint.config import Config
from commlint.rules.engine import Ruleset
from commlint.runner import lint_text, load_rules

SPECS, PROFILES = load_rules(Config())


def _cases() -> list[object]:
    cases = []
    for spec in SPECS:
        for verdict, examples in (("flag", spec.examples.flag), ("pass", spec.examples.pass_)):
            for number, text in enumerate(examples, 1):
                langs = "-".join(spec.languages) if "*" not in spec.languages else "any"
                cases.append(pytest.param(spec, verdict, text, id=f"{spec.id}[{langs}]-{verdict}-{number}"))
    return cases


@pytest.mark.parametrize(("spec", "verdict", "text"), _cases())
def test_rule_example(spec, verdict, text) -> None:
    channel = "draft" if "draft" in spec.channels else spec.channels[0]
    ruleset = Ruleset([replace(spec)], PROFILES)
    if "*" in spec.languages:
        lang, candidates = "auto", None
    elif len(spec.languages) == 1:
        lang, candidates = spec.languages[0], None
    else:
        lang, candidates = "auto", spec.languages
    findings = lint_text(text, ruleset, lang=lang, channel=channel, candidates=candidates)
    hits = [f for f in findings if f.rule == spec.id]
    if verdict == "flag":
        assert hits, f"{spec.id} ({spec.file}) should flag: {text!r}"
    else:
        assert not hits, f"{spec.id} ({spec.file}) should not flag {text!r}, but flagged {[h.excerpt for h in hits]}"


def test_every_rule_has_examples() -> None:
    assert SPECS
    for spec in SPECS:
        assert spec.examples.flag and spec.examples.pass_, spec.id


def test_every_pack_credits_its_source_and_licence() -> None:
    import yaml

    from commlint.rules import builtin_pack_folder

    packs = [p for p in builtin_pack_folder().rglob("*.yaml") if p.parent.name not in ("languages", "claims")]
    assert len(packs) >= 25
    for pack in packs:
        data = yaml.safe_load(pack.read_text(encoding="utf-8"))
        assert data.get("source") and data.get("license"), f"{pack} must say where its words come from"
