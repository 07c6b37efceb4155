"""Vocabulary files: the team's own accepted and rejected terms, one per line.

[vocab] in the config names the files, for every language or for one ([vocab.de]):

    [vocab]
    accept = ["style/accept.txt"]      # never flagged by any rule
    reject = ["style/reject.txt"]      # flagged as terminology/rejected-term
    reject-message = "Our style guide avoids “{match}”"

A file is UTF-8 text: one word or phrase a line, `#` starts a comment line, blank lines are
skipped; in a reject file "term -> replacement" gives the word to write instead. Rejected terms
become one generated rule of the existing `terms` kind, so they match as every rule's terms do
(whole words, any case, a phrase across line breaks) and `--select`, `--ignore` and `severity`
treat the rule like any other.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .rules.spec import RuleSpec

REJECT_RULE = "terminology/rejected-term"
VOCAB_KEYS = ("accept", "reject", "reject-message")
ALL_LANGUAGES = "*"
MAX_FILE_BYTES = 1024 * 1024  # one vocabulary file
MAX_TERMS = 20_000  # per file: a longer list is most likely not a vocabulary
MAX_TERM_CHARS = 200
DEFAULT_MESSAGE = "“{match}” is on your team's list of terms to avoid"
ARROW = "->"


class VocabError(ValueError):
    """A vocabulary that cannot be used; the message names the config, the file and the line."""


@dataclass(frozen=True)
class VocabTerm:
    term: str  # as in the file, spaces collapsed
    replacement: str | None
    file: str
    line: int

    @property
    def folded(self) -> str:
        return self.term.casefold()

    def where(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file


@dataclass
class Vocabulary:
    """Terms per language code, or ALL_LANGUAGES."""

    accept: dict[str, tuple[VocabTerm, ...]] = field(default_factory=dict)
    reject: dict[str, tuple[VocabTerm, ...]] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # scope -> reject files, for `why`
    paths: frozenset[str] = frozenset()  # every file, resolved: configuration, never linted as copy

    def accepted(self) -> dict[str, tuple[str, ...]]:
        return {scope: tuple(t.term for t in terms) for scope, terms in self.accept.items()}


def read_vocabulary(value: Any, config_file: str, root: Path, check_language: Callable[[str], str | None],
                    allow: tuple[str, ...] = ()) -> Vocabulary:
    """The [vocab] table with every file it names read and checked; `allow` (the config's words
    never flagged) may not hold a rejected term either. Raises VocabError."""
    if not isinstance(value, dict):
        raise VocabError(f"{config_file}, [vocab]: expected a table with accept, reject and reject-message, or [vocab.<language>]")
    vocab = Vocabulary()
    scopes: dict[str, dict[str, Any]] = {ALL_LANGUAGES: {k: v for k, v in value.items() if k in VOCAB_KEYS}}
    for key, table in value.items():
        if key in VOCAB_KEYS:
            continue
        if not isinstance(table, dict):
            raise VocabError(f"{config_file}, [vocab] key '{key}': unknown key; allowed: {', '.join(VOCAB_KEYS)}, or a [vocab.<language>] table")
        problem = check_language(key)
        if problem:
            raise VocabError(f"{config_file}, [vocab.{key}]: {problem}")
        scopes[key] = table
    for scope, table in scopes.items():
        where = f"{config_file}, [vocab]" if scope == ALL_LANGUAGES else f"{config_file}, [vocab.{scope}]"
        unknown = set(table) - set(VOCAB_KEYS)
        if unknown:
            raise VocabError(f"{where}: unknown key '{sorted(unknown)[0]}'; allowed: {', '.join(VOCAB_KEYS)}")
        for kind in ("accept", "reject"):
            files = _paths(table.get(kind, []), f"{where} {kind}")
            vocab.paths |= {os.path.realpath(root / name) for name in files}
            terms = [term for name in files for term in _read_file(root / name, name, f"{where} {kind}", kind == "reject")]
            if terms:
                getattr(vocab, kind)[scope] = _unique(terms, f"{where} {kind}")
                if kind == "reject":
                    vocab.files[scope] = tuple(files)
        if "reject-message" in table:
            vocab.messages[scope] = _message(table["reject-message"], f"{where} reject-message")
    allowed = tuple(VocabTerm(" ".join(word.split()), None, f"{config_file}, key 'allow'", 0) for word in allow)
    _check_both({**vocab.accept, "allow": allowed} if allowed else vocab.accept, vocab.reject, config_file)
    return vocab


def _paths(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabError(f"{where}: expected a list of file paths, relative to the config file")
    return list(value)


def _read_file(path: Path, name: str, where: str, rejects: bool) -> list[VocabTerm]:
    from .sources import InputReadError, read_file_bytes

    try:
        text = read_file_bytes(str(path), MAX_FILE_BYTES).decode("utf-8-sig")
    except InputReadError as error:
        too_big = _size(path) > MAX_FILE_BYTES
        reason = f"more than {MAX_FILE_BYTES // (1024 * 1024)} MB; a vocabulary holds one term a line" if too_big else str(error)
        raise VocabError(f"{where}: cannot read {name}: {reason}") from error
    except UnicodeDecodeError as error:
        raise VocabError(f"{where}: {name} is not UTF-8 text ({error.reason} at byte {error.start})") from error
    terms = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        at = f"{where}: {name}, line {number}"
        term, arrow, replacement = (part.strip() for part in line.partition(ARROW))
        if arrow and not rejects:
            raise VocabError(f"{at}: a replacement (“{ARROW}”) belongs in a reject file; an accept file lists terms only")
        if arrow and not term:
            raise VocabError(f"{at}: nothing before “{ARROW}”; write the term to reject, then “{ARROW}” and what to write instead")
        if arrow and not replacement:
            raise VocabError(f"{at}: nothing after “{ARROW}”; give the word to write instead, or leave out the arrow")
        if len(term) > MAX_TERM_CHARS:
            raise VocabError(f"{at}: a term of more than {MAX_TERM_CHARS} characters")
        terms.append(VocabTerm(" ".join(term.split()), " ".join(replacement.split()) or None, name, number))
        if len(terms) > MAX_TERMS:
            raise VocabError(f"{where}: {name} holds more than {MAX_TERMS:,} terms")
    return terms


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _unique(terms: list[VocabTerm], where: str) -> tuple[VocabTerm, ...]:
    """One entry per term; the same term with two replacements is a mistake to fix."""
    seen: dict[str, VocabTerm] = {}
    for term in terms:
        first = seen.get(term.folded)
        if first is None:
            seen[term.folded] = term
        elif (first.replacement or "").casefold() != (term.replacement or "").casefold():
            raise VocabError(f"{where}: “{term.term}” has two replacements: {first.where()} and {term.where()}")
    return tuple(seen.values())


def _message(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VocabError(f"{where}: expected a sentence, e.g. \"Our style guide avoids “{{match}}”\"")
    try:
        value.format(match="x", plain="y")
    except (KeyError, IndexError, ValueError) as error:
        raise VocabError(f"{where}: only {{match}} (the words found) and {{plain}} (the replacement) can stand in braces ({error})") from error
    return value.strip()


def _check_both(accept: dict[str, tuple[VocabTerm, ...]], reject: dict[str, tuple[VocabTerm, ...]], config_file: str) -> None:
    """A term both accepted and rejected for one language: which one wins would be a guess.
    (Scope "allow" is the config's own list, for every language.)"""
    for accept_scope, accepted in accept.items():
        for reject_scope, rejected in reject.items():
            if not {ALL_LANGUAGES, "allow"} & {accept_scope, reject_scope} and accept_scope != reject_scope:
                continue
            rejected_by_term = {t.folded: t for t in rejected}
            for term in accepted:
                clash = rejected_by_term.get(term.folded)
                if clash is not None:
                    raise VocabError(f"{config_file}, [vocab]: “{term.term}” is both accepted ({term.where()}) and rejected ({clash.where()}); remove it from one of them")


def vocab_rules(vocab: Vocabulary) -> list["RuleSpec"]:
    """The rejected terms of each language as one `terms` rule (terminology/rejected-term)."""
    from .model import CHANNELS
    from .rules.spec import Examples, RuleSpec

    rules = []
    for scope, terms in vocab.reject.items():
        files = ", ".join(vocab.files.get(scope, ()))
        message = vocab.messages.get(scope) or vocab.messages.get(ALL_LANGUAGES) or DEFAULT_MESSAGE
        rules.append(RuleSpec(
            id=REJECT_RULE, category="terminology", kind="terms", severity="warning", message=message,
            languages=(scope,), channels=CHANNELS,
            examples=Examples(flag=(terms[0].term,), pass_=tuple(t.replacement for t in terms[:1] if t.replacement)),
            file=files, suggestion="{plain}",
            why=f"Your team's vocabulary ({files}) rejects this term.",
            # a single replacement is applied by --fix, as every mapped term is; a built-in rule
            # on the same words gives way (one finding, with the team's message)
            params={"terms": {t.term: t.replacement for t in terms}, "fix": True, "replaces_others": True},
        ))
    return rules
