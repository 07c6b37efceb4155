"""A seventh language is a matter of adding YAML: a profile and a rule pack, no Python."""
from __future__ import annotations

from pathlib import Path

from conftest import findings_of

PROFILE = """code: sv
name: Swedish
spacy: sv
spaces: true
suffixes: [e, en, et, er, na, ade, at, t]
readability: lix
sentence_length: words
concrete_time:
  - '\\binom\\s+\\d+\\s*(?:timmar|timme|dagar|arbetsdagar)\\b'
"""

PACK = """description: Swedish test pack.
source: Written for this test (CC0).
license: CC0-1.0
languages: [sv]
rules:
  - id: overpromise/guarantee
    kind: terms
    inflect: true
    severity: warning
    message: "“{match}” promises an outcome you may not always control"
    terms: [garanterad, garanterat]
    unless:
      before: [inte]
    examples:
      flag: ["Leveransen är garanterad i morgon."]
      pass: ["Vi kan inte garantera leveransen."]
  - id: wait-time/no-time-given
    kind: regex
    severity: warning
    message: "“{match}”: a promise to act with no time attached"
    patterns: ['\\bvi återkommer\\b']
    unless:
      concrete_time: true
    examples:
      flag: ["Tack för ditt meddelande, vi återkommer."]
      pass: ["Tack för ditt meddelande, vi återkommer inom 2 arbetsdagar."]
"""


def test_swedish_from_yaml_only(run_cli, tmp_path: Path) -> None:
    pack = tmp_path / "house-rules"
    (pack / "languages").mkdir(parents=True)
    (pack / "sv").mkdir()
    (pack / "languages" / "sv.yaml").write_text(PROFILE, encoding="utf-8")
    (pack / "sv" / "promises.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "commlint.toml").write_text(
        'rule-packs = ["house-rules"]\nlanguages = ["en", "de", "sv"]\n', encoding="utf-8"
    )
    copy = (
        "Tack för ditt meddelande, vi återkommer. "
        "Din nya router är garanterad att fungera i alla rum i hela huset. "
        "Vi har läst din fråga om fakturan och vi återkommer inom 2 arbetsdagar."
    )
    report = findings_of(run_cli("check", "-", "--format", "json", stdin=copy))
    assert report["documents"][0]["lang"] == "sv"
    found = [(f["rule"], f["lang"], f["excerpt"][:30]) for f in report["findings"]]
    assert ("overpromise/guarantee", "sv", "Din nya router är garanterad a") in found
    no_time = [f for f in report["findings"] if f["rule"] == "wait-time/no-time-given"]
    assert [f["column"] for f in no_time] == [copy.index("vi återkommer.") + 1]
