"""commlint.toml / [tool.commlint]: discovery, validation, and the decisions it drives.

Unknown keys are errors: a typo in a config must never silently switch a check off.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import CHANNELS, SEVERITIES
from .vocab import Vocabulary

CONFIG_NAMES = ("commlint.toml", ".commlint.toml")
TOP_KEYS = {"select", "extend-select", "ignore", "severity", "allow", "rule-packs", "languages", "fail-on", "channels", "paths", "jobs", "exclude", "default-country", "subjects", "facts", "terminology", "time-limit", "memory-limit", "organisations", "organisation", "vocab"}
SCOPE_KEYS = {"select", "ignore", "severity"}
PATH_KEYS = SCOPE_KEYS | {"glob", "channel", "lang"}
FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_TIME_LIMIT = 20.0
DEFAULT_MEMORY_LIMIT = 2048
CONFIG_MAX_BYTES = 1024 * 1024
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Scope:
    """select/ignore/severity that apply to part of the run (a channel, a path glob)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PathScope:
    glob: str
    pattern: "re.Pattern[str]"
    scope: Scope
    channel: str | None = None
    lang: str | None = None


@dataclass
class Config:
    file: str | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ()
    # added on top of `select` (ruff's extend-select): the selection stays, these join it
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    allow: tuple[str, ...] = ()
    rule_packs: tuple[Path, ...] = ()
    languages: tuple[str, ...] = ("en", "de", "nb", "ja", "id", "su")
    fail_on: str = "warning"
    jobs: int | None = None
    channels: dict[str, Scope] = field(default_factory=dict)
    paths: tuple[PathScope, ...] = ()
    exclude: tuple["re.Pattern[str]", ...] = ()
    default_country: str | None = None  # for phone numbers written without +country code
    subjects: tuple[str, ...] = ()  # plan and product names whose facts are kept apart
    facts: dict[str, str] = field(default_factory=dict)  # declared source of truth: "refund-window" = "30 days"
    preferred_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # preferred -> deprecated variants
    # who sends what: name -> domains ("acme.com"), accounts ("@acme") and path globs ("clients/acme/**");
    # facts are compared only within one organisation
    organisations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    organisation: str | None = None  # every input is this one organisation (--organisation)
    time_limit: float | None = DEFAULT_TIME_LIMIT  # seconds one document may take; None: no limit
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT  # MB one worker may hold; None: no limit
    vocab: Vocabulary = field(default_factory=Vocabulary)  # the team's accepted and rejected terms

    def excludes(self, path: str) -> bool:
        """True when a file found by walking a folder matches an `exclude` glob. A glob without
        a slash matches the file name anywhere, as in .gitignore."""
        if self.vocab.paths and os.path.realpath(path) in self.vocab.paths:
            return True  # the team's vocabulary files are configuration, not copy
        path = path.replace(os.sep, "/")
        name = path.rsplit("/", 1)[-1]
        return any(pattern.match(path) or pattern.match(name) for pattern in self.exclude)


def glob_to_regex(glob: str) -> "re.Pattern[str]":
    """Path globs: '**' crosses folders, '*' and '?' do not. Matched against the path as given."""
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("(?:^|.*/)" + "".join(out) + "$" if not glob.startswith("/") else "".join(out) + "$")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a list of strings")


def _severity_table(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of rule-or-category = severity")
    for code, severity in value.items():
        if severity not in SEVERITIES:
            raise ConfigError(f"{where}, key '{code}': severity must be one of {', '.join(SEVERITIES)}")
    return tuple(value.items())


def _scope(data: dict[str, Any], where: str, allowed: set[str]) -> Scope:
    unknown = set(data) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown key '{sorted(unknown)[0]}'; allowed: {', '.join(sorted(allowed))}")
    return Scope(
        select=_strings(data.get("select", []), f"{where}, key 'select'"),
        ignore=_strings(data.get("ignore", []), f"{where}, key 'ignore'"),
        severity=_severity_table(data.get("severity", {}), f"{where}, key 'severity'"),
    )


def parse_config(data: dict[str, Any], file: str, root: Path) -> Config:
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ConfigError(f"{file}: unknown key '{sorted(unknown)[0]}'; allowed: {', '.join(sorted(TOP_KEYS))}")
    top = _scope({k: v for k, v in data.items() if k in SCOPE_KEYS}, file, SCOPE_KEYS)
    fail_on = data.get("fail-on", "warning")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{file}, key 'fail-on': expected one of {', '.join(FAIL_ON)}")
    channels: dict[str, Scope] = {}
    raw_channels = data.get("channels", {})
    if not isinstance(raw_channels, dict):
        raise ConfigError(f"{file}, key 'channels': expected tables like [channels.social]")
    for name, table in raw_channels.items():
        if name not in CHANNELS or not isinstance(table, dict):
            raise ConfigError(f"{file}, key 'channels.{name}': channel must be one of {', '.join(CHANNELS)}")
        channels[name] = _scope(table, f"{file}, [channels.{name}]", SCOPE_KEYS)
    paths: list[PathScope] = []
    raw_paths = data.get("paths", [])
    if not isinstance(raw_paths, list):
        raise ConfigError(f"{file}, key 'paths': expected [[paths]] tables")
    for number, table in enumerate(raw_paths, 1):
        where = f"{file}, [[paths]] #{number}"
        if not isinstance(table, dict) or not isinstance(table.get("glob"), str):
            raise ConfigError(f"{where}: needs a 'glob' such as \"emails/**\"")
        channel = table.get("channel")
        if channel is not None and channel not in CHANNELS:
            raise ConfigError(f"{where}, key 'channel': expected one of {', '.join(CHANNELS)}")
        scope = _scope({k: v for k, v in table.items() if k not in ("glob", "channel", "lang")}, where, SCOPE_KEYS)
        unknown_path_keys = set(table) - PATH_KEYS
        if unknown_path_keys:
            raise ConfigError(f"{where}: unknown key '{sorted(unknown_path_keys)[0]}'")
        paths.append(PathScope(table["glob"], glob_to_regex(table["glob"]), scope, channel, table.get("lang")))
    jobs = data.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise ConfigError(f"{file}, key 'jobs': expected a positive whole number")
    packs = tuple((root / p).resolve() for p in _strings(data.get("rule-packs", []), f"{file}, key 'rule-packs'"))
    for pack in packs:
        if not pack.is_dir():
            raise ConfigError(f"{file}, key 'rule-packs': folder not found: {pack}")
    return Config(
        file=file,
        root=root,
        select=top.select,
        extend_select=_strings(data.get("extend-select", []), f"{file}, key 'extend-select'"),
        ignore=top.ignore,
        severity=top.severity,
        allow=_strings(data.get("allow", []), f"{file}, key 'allow'"),
        rule_packs=packs,
        languages=_languages(data.get("languages", list(Config().languages)), file, packs),
        fail_on=fail_on,
        jobs=jobs,
        channels=channels,
        paths=tuple(paths),
        exclude=tuple(glob_to_regex(g) for g in _strings(data.get("exclude", []), f"{file}, key 'exclude'")),
        default_country=_country(data.get("default-country"), file),
        subjects=_strings(data.get("subjects", []), f"{file}, key 'subjects'"),
        facts=_facts(data.get("facts", {}), file),
        preferred_terms=_terminology(data.get("terminology", {}), file),
        organisations=_organisations(data.get("organisations", {}), file),
        organisation=_organisation(data.get("organisation"), file),
        time_limit=_limit(data.get("time-limit", DEFAULT_TIME_LIMIT), f"{file}, key 'time-limit'", "seconds"),
        memory_limit=_limit(data.get("memory-limit", DEFAULT_MEMORY_LIMIT), f"{file}, key 'memory-limit'", "MB"),
        vocab=_vocab(data.get("vocab", {}), file, root, packs, _strings(data.get("allow", []), f"{file}, key 'allow'")),
    )


def _vocab(value: Any, file: str, root: Path, packs: tuple[Path, ...], allow: tuple[str, ...]) -> Vocabulary:
    from .vocab import VocabError, read_vocabulary

    try:
        return read_vocabulary(value, file, root, lambda code: check_language(code, packs), allow)
    except VocabError as error:
        raise ConfigError(str(error)) from error


def known_languages(packs: tuple[Path, ...] = ()) -> frozenset[str]:
    """Codes commlint can work in: a language profile in a rule pack, or a spaCy tokenizer.
    (spaCy's "xx" is its catch-all, not a language a user can name.)"""
    import importlib.util

    from .rules import builtin_pack_folder

    codes = set()
    spec = importlib.util.find_spec("spacy")
    for folder in spec.submodule_search_locations or [] if spec else []:
        lang_folder = Path(folder) / "lang"
        if lang_folder.is_dir():
            codes.update(p.name for p in lang_folder.iterdir() if p.is_dir() and _LANGUAGE_CODE.fullmatch(p.name))
    for pack in (builtin_pack_folder(), *packs):
        if (pack / "languages").is_dir():
            codes.update(p.stem for p in (pack / "languages").glob("*.yaml"))
    codes.discard("xx")
    return frozenset(codes)


def check_language(code: str, packs: tuple[Path, ...] = ()) -> str | None:
    """Why `code` cannot be used as a language, or None."""
    if not _LANGUAGE_CODE.fullmatch(code):
        return f"{code!r} is not a language code such as \"en\" or \"nb\""
    from .extraction import normalise_lang

    if normalise_lang(code) not in known_languages(packs):
        return f"{code!r} is not a language commlint knows (a rule pack's language or one spaCy can tokenise)"
    return None


def _languages(value: Any, file: str, packs: tuple[Path, ...]) -> tuple[str, ...]:
    codes = _strings(value, f"{file}, key 'languages'")
    for code in codes:
        problem = check_language(code, packs)
        if problem:
            raise ConfigError(f"{file}, key 'languages': {problem}")
    if not codes:
        raise ConfigError(f"{file}, key 'languages': name at least one language")
    return tuple(dict.fromkeys(codes))


def _limit(value: Any, where: str, unit: str) -> Any:
    """A positive number, or 0 / false for no limit."""
    if value is False or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != value:
        raise ConfigError(f"{where}: expected a positive number of {unit}, or 0 for no limit")
    return int(value) if unit == "MB" else float(value)


def _country(value: Any, file: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        raise ConfigError(f"{file}, key 'default-country': expected a two-letter country code such as \"NO\"")
    return value.upper()


def _organisations(value: Any, file: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    example = 'Acme = ["acme.com", "@acme", "clients/acme/**"]'
    if not isinstance(value, dict):
        raise ConfigError(f"{file}, [organisations]: expected name = [domains, @accounts, path globs] pairs, e.g. {example}")
    found = []
    for name, patterns in value.items():
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ConfigError(f"{file}, [organisations] {name}: expected a list of domains, @accounts or path globs, e.g. {example}")
        found.append((str(name), tuple(p.strip() for p in patterns)))
    return tuple(found)


def _organisation(value: Any, file: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{file}, key 'organisation': expected a name, e.g. organisation = \"Acme\"")
    return value.strip()


def _facts(value: Any, file: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{file}, [facts]: expected fact = \"value\" pairs, e.g. refund-window = \"30 days\"")
    return dict(value)


def _terminology(value: Any, file: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or set(value) - {"preferred"}:
        raise ConfigError(f"{file}, [terminology]: expected a 'preferred' table: \"Wi-Fi\" = [\"WiFi\", \"wifi\"]")
    preferred = value.get("preferred", {})
    if not isinstance(preferred, dict):
        raise ConfigError(f"{file}, [terminology.preferred]: expected term = [variants]")
    return {k: _strings(v, f"{file}, [terminology.preferred] {k}") for k, v in preferred.items()}


def _read_toml(path: Path) -> dict[str, Any]:
    from .sources import InputReadError, read_file_bytes

    try:
        text = read_file_bytes(str(path), CONFIG_MAX_BYTES).decode("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    except RecursionError as error:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from error
    except InputReadError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error


def load_config(path: str | None = None, start: Path | None = None) -> Config:
    """The named file, or the first commlint.toml / .commlint.toml / pyproject.toml with a
    [tool.commlint] table found from `start` (the working directory) upward."""
    if path:
        file = Path(path)
        data = _read_toml(file)
        if file.name == "pyproject.toml":
            data = data.get("tool", {}).get("commlint", {})
        return parse_config(data, str(file), file.resolve().parent)
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return parse_config(_read_toml(candidate / name), str(candidate / name), candidate)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            if "commlint" in data.get("tool", {}):
                return parse_config(data["tool"]["commlint"], f"{pyproject} [tool.commlint]", candidate)
        if (candidate / ".git").exists():
            break  # don't wander out of the repository
    return Config()


# Rules that moved to another category keep answering to their old id in configs, command
# lines and suppression comments (formal words slow reading; they are not technical jargon).
RENAMED_RULES = {"jargon/plain-words": "readability/plain-words"}


def _matches(code: str, rule_id: str) -> bool:
    """A code names a rule by its id, an id prefix ("overpromise/guar") or its category."""
    code = RENAMED_RULES.get(code, code)
    if rule_id == code:
        return True
    if "/" in code:
        return rule_id.startswith(code)
    return rule_id.startswith(code + "/")


def longest_match(codes: tuple[str, ...], rule_id: str) -> int:
    """Length of the longest code that names the rule (id, id prefix or category); -1 if none."""
    best = -1
    for code in codes:
        if _matches(code, rule_id):
            best = max(best, len(code))
    return best


def is_selected(rule_id: str, select: tuple[str, ...], ignore: tuple[str, ...], extend: tuple[str, ...] = ()) -> bool:
    """flake8's decision: the longest matching code wins; a tie goes to ignore. `extend` (ruff's
    extend-select) adds codes on top of the selection."""
    chosen = longest_match(select, rule_id) if select else 0
    ignored = longest_match(ignore, rule_id)
    return (chosen >= 0 and chosen > ignored) or longest_match(extend, rule_id) > ignored


def severity_for(rule_id: str, default: str, table: tuple[tuple[str, str], ...]) -> str:
    best, severity = -1, default
    for code, value in table:
        if _matches(code, rule_id) and len(code) > best:
            best, severity = len(code), value
    return severity


def relative_to_cwd(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
