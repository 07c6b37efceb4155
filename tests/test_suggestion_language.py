"""Suggestions come in the copy's language, in every pack (issue 13).

Each rule's own flag examples are linted as copy in each language the rule covers (a rule for
every language, "*", in each of the six), and the suggestion of the finding, as the reader sees
it, must be in that language by commlint's own language identification. The quoted examples in
a suggestion are left out first: a suggestion that says "Say how long it takes, e.g. “biasana
dina sababaraha menit”" is English with a Sundanese example, and is what this test catches.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from commlint.config import Config
from commlint.extraction.language import SUPPORTED, detect_language
from commlint.rules.engine import Ruleset
from commlint.runner import lint_text, load_rules

SPECS, PROFILES = load_rules(Config())

# Quoted examples (“…”, „…“, «…», 「…」, "…"), which are copy to paste, not the instruction.
_QUOTED = re.compile(r"“[^”]*”|„[^“]*“|«[^»]*»|「[^」]*」|\"[^\"]*\"")
MIN_LETTERS = 12  # fewer letters than this (a word or two) can't be told apart reliably
MIN_CJK = 6

# Instructions too short for language identification to judge, each checked by hand. An entry
# that has become long enough to judge, or that no rule gives any longer, fails the test.
TOO_SHORT = {
    ("readability/plain-words", "en"): "Write",
    ("readability/plain-words", "id"): "Tulis",
    ("readability/plain-words", "nb"): "Skriv heller",
}


def instruction(suggestion: str) -> str:
    return " ".join(_QUOTED.sub(" ", suggestion).split())


def _long_enough(text: str) -> bool:
    cjk = sum("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
    return cjk >= MIN_CJK if cjk else sum(ch.isalpha() for ch in text) >= MIN_LETTERS


def _suggestions(lang: str) -> dict[str, str]:
    """rule id -> the suggestion of its first finding on its flag examples, linted as `lang` copy."""
    found: dict[str, str] = {}
    for spec in SPECS:
        if not ("*" in spec.languages or lang in spec.languages) or spec.id in found:
            continue
        channel = "draft" if "draft" in spec.channels else spec.channels[0]
        ruleset = Ruleset([replace(spec)], PROFILES)
        for text in spec.examples.flag:
            hits = [f for f in lint_text(text, ruleset, lang=lang, channel=channel) if f.rule == spec.id and f.suggestion]
            if hits:
                found[spec.id] = hits[0].suggestion or ""
                break
    return found


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_suggestion_is_in_the_copys_language(lang: str) -> None:
    suggestions = _suggestions(lang)
    with_suggestion = {s.id for s in SPECS if ("*" in s.languages or lang in s.languages) and (s.suggestion or s.suggestions)}
    assert set(suggestions) == with_suggestion, f"rules whose examples gave no finding in {lang}: {with_suggestion - set(suggestions)}"
    wrong, unjudged = [], []
    for rule, suggestion in sorted(suggestions.items()):
        words = instruction(suggestion)
        if not _long_enough(words):
            unjudged.append((rule, lang))
            if TOO_SHORT.get((rule, lang)) != words:
                wrong.append(f"{rule}: {words!r} is too short to judge; check it by hand and list it in TOO_SHORT")
            continue
        judged = detect_language(words)
        if judged != lang:
            wrong.append(f"{rule}: {suggestion!r} reads as {judged}")
    assert not wrong, f"suggestions for {lang} copy not in {lang}:\n" + "\n".join(wrong)
    stale = [key for key in TOO_SHORT if key[1] == lang and key not in unjudged]
    assert not stale, f"no longer too short to judge, or gone: {stale}"


def test_the_german_merge_tag_suggestion_offers_a_german_greeting() -> None:
    spec = next(s for s in SPECS if s.id == "placeholder/merge-tag")
    [finding] = [f for f in lint_text("Hallo {{vorname}}, Ihre Bestellung ist unterwegs.", Ruleset([spec], PROFILES), lang="de")
                 if f.rule == spec.id]
    assert "Guten Tag," in (finding.suggestion or "") and "Hi there" not in (finding.suggestion or "")


def test_a_plain_word_hint_is_written_in_the_copys_language() -> None:
    spec = next(s for s in SPECS if s.id == "jargon/corporate" and "de" in s.languages)
    [finding] = [f for f in lint_text("Wir nutzen Synergieeffekte beim Ausbau.", Ruleset([spec], PROFILES), lang="de")
                 if f.rule == spec.id]
    assert finding.suggestion is not None and ", z. B. „" in finding.suggestion and "e.g." not in finding.suggestion
