"""Rule packs: read YAML, check every key, and describe each rule as a RuleSpec value.

A malformed pack raises RuleFileError naming the file, the rule and the key, so a content
writer can fix it without reading Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..compiled import load_yaml
from ..model import CATEGORIES, CHANNELS, SEVERITIES

KINDS = ("terms", "pattern", "regex", "metric", "require", "repeated", "rare", "together")
COMMON_KEYS = {
    "id", "category", "kind", "severity", "message", "suggestion", "why", "languages",
    "channels", "examples", "unless", "blocks", "skip_blocks", "options", "context", "yields_to",
}
KIND_KEYS: dict[str, set[str]] = {
    "terms": {"terms", "inflect", "case_sensitive", "fix", "once_per_document"},
    "pattern": {"patterns"},
    "regex": {"patterns", "case_sensitive", "once_per_block"},
    "metric": {"metric", "max", "min", "min_words", "min_mean_sentence"},
    "require": {"when", "require", "when_path"},
    "repeated": {"min_chars", "min_words", "min_sentences", "long_sentence_words", "template_repeats", "near"},
    "together": {"groups", "reach", "case_sensitive"},
    "rare": {"wordlists", "acronyms", "mixed_case", "katakana", "foreign", "words", "known", "explained", "skip_unlisted_sentences", "code_words", "once_per_document", "technical_per_sentence", "foreign_nouns"},
}
UNLESS_KEYS = {"before", "after", "sentence", "window", "quoted", "regex", "concrete_time", "explained"}
METRICS = ("sentence-length", "readability")


class RuleFileError(Exception):
    """A rule pack that cannot be used; the message names file, rule and key."""


@dataclass(frozen=True)
class Examples:
    flag: tuple[str, ...]
    pass_: tuple[str, ...]


@dataclass(frozen=True)
class Unless:
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    sentence: tuple[str, ...] = ()
    window: int = 3
    quoted: bool = False
    regex: tuple[str, ...] = ()  # regular expressions searched in the hit's sentence
    # the language's concrete-time patterns: "nearby" = in this sentence or the next (a promise
    # explained in the next sentence); "sentence" = in the same sentence (a vague time word)
    concrete_time: str | None = None
    explained: bool = False  # the document explains the term: "(FTTP)", "FTTP stands for …"


@dataclass
class RuleSpec:
    id: str
    category: str
    kind: str
    severity: str
    message: str
    languages: tuple[str, ...]  # ("*",) = every language
    channels: tuple[str, ...]
    examples: Examples
    file: str
    suggestion: str | None = None
    why: str = ""
    unless: Unless = field(default_factory=Unless)
    context: tuple[str, ...] = ()  # checks that the sentence really makes the claim (context.py)
    blocks: tuple[str, ...] = ()  # block kinds to look at; empty = all customer copy
    skip_blocks: tuple[str, ...] = ()  # block kinds not to look at
    # categories whose finding in the same sentence makes this one redundant: a sentence hard to
    # read because of its jargon is one problem, reported as jargon
    yields_to: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)  # the kind's own keys
    # a rule of several languages may give its suggestion in each: (language, text) pairs; the
    # others get `suggestion`
    suggestions: tuple[tuple[str, str], ...] = ()

    def applies_to(self, lang: str, channel: str) -> bool:
        return ("*" in self.languages or lang in self.languages) and channel in self.channels

    def suggestion_for(self, lang: str) -> str | None:
        """The suggestion in the copy's language, where the rule gives one."""
        for code, text in self.suggestions:
            if code == lang:
                return text
        return self.suggestion

    @property
    def slug(self) -> str:
        return self.id.split("/", 1)[1]


def _fail(file: str, rule: str | None, key: str | None, problem: str) -> RuleFileError:
    where = file + (f", rule '{rule}'" if rule else "") + (f", key '{key}'" if key else "")
    return RuleFileError(f"{where}: {problem}")


def _strings(value: Any, file: str, rule: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise _fail(file, rule, key, "expected a string or a list of strings")


def _examples(raw: Any, file: str, rule: str) -> Examples:
    if not isinstance(raw, dict) or set(raw) - {"flag", "pass"}:
        raise _fail(file, rule, "examples", "expected a mapping with 'flag' and 'pass' lists")
    flag = _strings(raw.get("flag", []), file, rule, "examples.flag")
    passing = _strings(raw.get("pass", []), file, rule, "examples.pass")
    if not flag or not passing:
        raise _fail(file, rule, "examples", "every rule needs at least one 'flag' and one 'pass' example")
    return Examples(flag, passing)


def _unless(raw: Any, file: str, rule: str) -> Unless:
    if raw is None:
        return Unless()
    if not isinstance(raw, dict):
        raise _fail(file, rule, "unless", "expected a mapping")
    unknown = set(raw) - UNLESS_KEYS
    if unknown:
        raise _fail(file, rule, "unless." + sorted(unknown)[0], f"unknown key; allowed: {', '.join(sorted(UNLESS_KEYS))}")
    window = raw.get("window", 3)
    if not isinstance(window, int) or window < 1:
        raise _fail(file, rule, "unless.window", "expected a positive whole number")
    return Unless(
        before=_strings(raw.get("before", []), file, rule, "unless.before"),
        after=_strings(raw.get("after", []), file, rule, "unless.after"),
        sentence=_strings(raw.get("sentence", []), file, rule, "unless.sentence"),
        window=window,
        quoted=bool(raw.get("quoted", False)),
        regex=_strings(raw.get("regex", []), file, rule, "unless.regex"),
        concrete_time=_concrete_time(raw.get("concrete_time"), file, rule),
        explained=bool(raw.get("explained", False)),
    )


def _concrete_time(raw: Any, file: str, rule: str) -> str | None:
    if raw in (None, False):
        return None
    if raw is True or raw == "nearby":
        return "nearby"
    if raw in ("sentence", "block"):
        return raw
    raise _fail(file, rule, "unless.concrete_time", "expected true, 'nearby', 'sentence' or 'block'")


def _context(raw: Any, file: str, rule: str) -> tuple[str, ...]:
    from .context import CHECKS

    if raw is None:
        return ()
    # "claim" is the usual set for a claim: every check but those about promises to act
    # (sequence), about tokens (mention), the sender's voice and the whole document (contract,
    # specialist), with the reader's duty read as own-duty (a promise in its own clause after the
    # reader's step still counts); it may open a list of further checks: [claim, contract]
    claim = tuple("own-duty" if c == "duty" else c for c in CHECKS if c not in ("voice", "own-duty", "sequence", "mention", "contract", "specialist"))
    checks = _strings([raw] if raw == "claim" else raw, file, rule, "context")
    out: list[str] = []
    for check in checks:
        if check == "claim":
            out.extend(claim)
        elif check in CHECKS:
            out.append(check)
        else:
            raise _fail(file, rule, "context", f"unknown check '{check}'; use 'claim' or some of {', '.join(CHECKS)}")
    return tuple(dict.fromkeys(out))


def parse_rule(raw: Any, file: str, pack_languages: tuple[str, ...] | None) -> RuleSpec:
    if not isinstance(raw, dict):
        raise _fail(file, None, None, "each entry under 'rules' must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or "/" not in rule_id:
        raise _fail(file, str(rule_id) if rule_id else None, "id", "expected '<category>/<slug>'")
    category = rule_id.split("/", 1)[0]
    if category not in CATEGORIES:
        raise _fail(file, rule_id, "id", f"unknown category '{category}'; use one of {', '.join(CATEGORIES)}")
    if raw.get("category", category) != category:
        raise _fail(file, rule_id, "category", f"'{raw['category']}' does not match the id's category '{category}'")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(file, rule_id, "kind", f"expected one of {', '.join(KINDS)}")
    unknown = set(raw) - COMMON_KEYS - KIND_KEYS[kind]
    if unknown:
        allowed = ", ".join(sorted(COMMON_KEYS | KIND_KEYS[kind]))
        raise _fail(file, rule_id, sorted(unknown)[0], f"unknown key for a '{kind}' rule; allowed: {allowed}")
    severity = raw.get("severity", "warning")
    if severity not in SEVERITIES:
        raise _fail(file, rule_id, "severity", f"expected one of {', '.join(SEVERITIES)}")
    message = raw.get("message")
    if not isinstance(message, str) or not message.strip():
        raise _fail(file, rule_id, "message", "every rule needs a message")
    languages = _strings(raw["languages"], file, rule_id, "languages") if "languages" in raw else pack_languages
    if not languages:
        raise _fail(file, rule_id, "languages", "say which languages the rule applies to (or '*')")
    channels = _strings(raw.get("channels", list(CHANNELS)), file, rule_id, "channels")
    for channel in channels:
        if channel not in CHANNELS:
            raise _fail(file, rule_id, "channels", f"unknown channel '{channel}'; use {', '.join(CHANNELS)}")
    if "examples" not in raw:
        raise _fail(file, rule_id, "examples", "every rule needs examples: {flag: [...], pass: [...]}")
    suggestion, suggestions = _suggestion(raw.get("suggestion"), file, rule_id)
    params = {key: raw[key] for key in KIND_KEYS[kind] if key in raw}
    if isinstance(raw.get("options"), dict):
        params.update(raw["options"])
    return RuleSpec(
        id=rule_id,
        category=category,
        kind=kind,
        severity=severity,
        message=message.strip(),
        languages=languages,
        channels=channels,
        examples=_examples(raw["examples"], file, rule_id),
        file=file,
        suggestion=suggestion,
        why=str(raw.get("why", "")).strip(),
        unless=_unless(raw.get("unless"), file, rule_id),
        context=_context(raw.get("context"), file, rule_id),
        blocks=_strings(raw.get("blocks", []), file, rule_id, "blocks"),
        skip_blocks=_strings(raw.get("skip_blocks", []), file, rule_id, "skip_blocks"),
        yields_to=_categories(raw.get("yields_to", []), file, rule_id, "yields_to"),
        params=params,
        suggestions=suggestions,
    )


def _suggestion(raw: Any, file: str, rule: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """A string, or one per language: {"*": "Check the template", de: "Prüfen Sie die Vorlage"}.
    Returns the default ("*", else English, else the first) and the per-language ones."""
    if raw is None or isinstance(raw, str):
        return raw, ()
    if not isinstance(raw, dict) or not raw or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()):
        raise _fail(file, rule, "suggestion", "expected a string, or a mapping of language code (or \"*\") to a string")
    default = raw.get("*", raw.get("en", next(iter(raw.values()))))
    return default, tuple((code, text) for code, text in raw.items() if code != "*")


def _categories(value: Any, file: str, rule: str, key: str) -> tuple[str, ...]:
    names = _strings(value, file, rule, key)
    for name in names:
        if name not in CATEGORIES:
            raise _fail(file, rule, key, f"unknown category '{name}'; use {', '.join(CATEGORIES)}")
    return names


def load_pack(path: Path) -> list[RuleSpec]:
    """Every rule in one YAML file."""
    file = str(path)
    try:
        data = load_yaml(path)
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(file, None, None, f"cannot read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise _fail(file, None, None, f"invalid YAML{where}: {getattr(error, 'problem', error)}") from error
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise _fail(file, None, "rules", "a rule pack is a mapping with a 'rules' list")
    unknown = set(data) - {"rules", "languages", "source", "license", "description"}
    if unknown:
        raise _fail(file, None, sorted(unknown)[0], "unknown top-level key; allowed: rules, languages, source, license, description")
    pack_languages = _strings(data["languages"], file, "", "languages") if "languages" in data else None
    return [parse_rule(raw, file, pack_languages) for raw in data["rules"]]


def load_packs(folders: list[Path]) -> list[RuleSpec]:
    """All packs under `folders` (recursively, *.yaml/*.yml), in a stable order.

    The same id may appear in several packs for different languages; the same id twice for
    one language is an error, since select/ignore/severity could not tell them apart.
    """
    specs: list[RuleSpec] = []
    seen: dict[tuple[str, str], str] = {}
    for folder in folders:
        files = sorted(
            p for p in folder.rglob("*")
            if p.suffix in (".yaml", ".yml") and p.parent.name not in ("languages", "claims")
            and p.relative_to(folder).as_posix() not in ("copy.yaml", "sentences.yaml")  # extraction's copy knowledge, the splitter's words: not rules
        )
        for path in files:
            for spec in load_pack(path):
                for lang in spec.languages:
                    key = (spec.id, lang)
                    if key in seen:
                        raise _fail(spec.file, spec.id, "id", f"already defined for language '{lang}' in {seen[key]}")
                    seen[key] = spec.file
                specs.append(spec)
    return specs
