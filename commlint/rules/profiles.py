"""Language profiles (rules/languages/*.yaml): what the engine needs to know of a language.

Adding a language is adding one profile and its rule packs; no Python changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..compiled import compile_pattern, load_yaml
if TYPE_CHECKING:
    import regex

    from .context import LanguageContext


from .context import validate as validate_context
from .spec import RuleFileError

PROFILE_KEYS = {"code", "name", "spacy", "spaces", "suffixes", "readability", "sentence_length", "concrete_time", "context", "plain_hint"}
FORMULAS = ("flesch", "lix", "sentence-characters", "none")


@dataclass(frozen=True)
class LanguageProfile:
    code: str
    name: str
    spacy: str = "xx"  # spaCy language class; "xx" is spaCy's multilingual fallback
    spaces: bool = True  # False: words are not space-separated (Japanese), match on characters
    suffixes: tuple[str, ...] = ()  # endings tried when a terms rule says `inflect: true`
    readability: str = "lix"
    sentence_length: str = "words"  # or "characters"
    # Regular expressions for a concrete time or deadline in this language ("within 24 hours",
    # "2営業日以内", "dalam 1x24 jam", "at 15:00"). Rules use them through `concrete_time`.
    concrete_time: tuple[str, ...] = ()
    # Closed classes that decide whether a sentence makes a claim (rules/context.py)
    context: tuple[tuple[str, Any], ...] = ()
    # how a suggestion names the plain word a term maps to ({plain_hint} in a rule's suggestion),
    # in the language the suggestion is written in
    plain_hint: str = ", e.g. “{plain}”"

    def claim_context(self) -> "LanguageContext":
        from .context import language_context

        return language_context(self.context, self.spaces)

    def concrete_time_patterns(self) -> list["regex.Pattern[str]"]:
        return _compiled(self.concrete_time)


@lru_cache(maxsize=None)
def _compiled(patterns: tuple[str, ...]) -> list["regex.Pattern[str]"]:
    import regex

    return [compile_pattern(p, regex.V1 | regex.IGNORECASE) for p in patterns]


FALLBACK = LanguageProfile(code="und", name="Unknown language")


def _checked_patterns(raw: object, file: str) -> tuple[str, ...]:
    import regex

    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise RuleFileError(f"{file}, key 'concrete_time': expected a list of regular expressions")
    for pattern in raw:
        try:
            compile_pattern(pattern, regex.V1 | regex.IGNORECASE)
        except regex.error as error:
            raise RuleFileError(f"{file}, key 'concrete_time': invalid regular expression {pattern!r}: {error}") from error
    return tuple(raw)


def _plain_hint(raw: object, file: str) -> str:
    if not isinstance(raw, str) or "{plain}" not in raw:
        raise RuleFileError(f"{file}, key 'plain_hint': expected text holding {{plain}}, e.g. \", z. B. „{{plain}}“\"")
    return raw


def load_profiles(folders: list[Path]) -> dict[str, LanguageProfile]:
    profiles: dict[str, LanguageProfile] = {}
    for folder in folders:
        for path in sorted((folder / "languages").glob("*.y*ml")):
            file = str(path)
            try:
                data = load_yaml(path)
            except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
                raise RuleFileError(f"{file}: cannot read language profile: {error}") from error
            if not isinstance(data, dict) or not isinstance(data.get("code"), str):
                raise RuleFileError(f"{file}, key 'code': a language profile needs a 'code'")
            unknown = set(data) - PROFILE_KEYS
            if unknown:
                raise RuleFileError(f"{file}, key '{sorted(unknown)[0]}': unknown key; allowed: {', '.join(sorted(PROFILE_KEYS))}")
            formula = data.get("readability", "lix")
            if formula not in FORMULAS:
                raise RuleFileError(f"{file}, key 'readability': expected one of {', '.join(FORMULAS)}")
            if data.get("sentence_length", "words") not in ("words", "characters"):
                raise RuleFileError(f"{file}, key 'sentence_length': expected 'words' or 'characters'")
            profiles[data["code"]] = LanguageProfile(
                code=data["code"],
                name=str(data.get("name", data["code"])),
                spacy=str(data.get("spacy", "xx")),
                spaces=bool(data.get("spaces", True)),
                suffixes=tuple(str(s) for s in data.get("suffixes", []) or []),
                readability=formula,
                sentence_length=data.get("sentence_length", "words"),
                concrete_time=_checked_patterns(data.get("concrete_time", []), file),
                context=validate_context(data.get("context"), file),
                plain_hint=_plain_hint(data.get("plain_hint", FALLBACK.plain_hint), file),
            )
    return profiles
