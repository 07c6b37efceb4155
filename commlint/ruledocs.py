"""What every surface says about a rule: its documentation link, the variant of a language,
and its message with the placeholders shown in words.

The rule pages themselves (docs/rules/) are written by scripts/rule_docs.py from
commlint/reporters/rule_pages.py; the link to them is built here, and only here, from the
`Documentation` URL in pyproject.toml's [project.urls].
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from .packs import builtin_pack_folder
from .rules.spec import RuleSpec

DOCS_LABEL = "Documentation"  # the [project.urls] entry that points at docs/rules/
ENGLISH = "en"
ALL_LANGUAGES = "*"

# A message's placeholders as a reader of a rule list should see them: ‹…› is "filled in
# from the copy"; an optional tail such as " (3 more in this paragraph)" is left out.
PLACEHOLDER_WORDS = {
    "match": "‹phrase›",
    "what": "‹a rare word or acronym›",
    "value": "‹N›",
    "limit": "‹limit›",
    "unit": "‹words›",
    "formula": "‹score›",
    "plain": "‹plain word›",
    "plain_hint": "",
    "more": "",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Rules that compare documents are code, not YAML; their severity is the comparison's.
CLAIM_HOW = (
    "Every document's facts are read (`commlint facts` shows them), normalised so that equal "
    "values in other words or languages compare equal, grouped by fact and plan or product, "
    "and each fact stated two ways is reported once, at the odd one out, with every other place."
)
CLAIM_WHY = {
    "contradiction": (
        "What the web site, e-mails, social posts and staff say must match. A customer who reads "
        "one figure on the web site and another in an e-mail cannot tell which one holds, and "
        "advertising must not mislead. The same value in other words or another language "
        "(“24 hours”, “1 day”, „24 Stunden“) is no contradiction."
    ),
    "terminology": (
        "One name, written one way everywhere, is how customers recognise the company and its "
        "products; two spellings look careless and make searching harder."
    ),
}


def claim_severity(rule_id: str) -> str:
    return "warning" if rule_id.startswith("terminology/") else "error"


@lru_cache(maxsize=1)
def docs_base_url() -> str | None:
    """The `Documentation` URL of the installed package; from a source checkout whose
    metadata predates it, pyproject.toml itself. None: no link is shown."""
    from importlib import metadata

    try:
        for entry in metadata.metadata("commlint").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip() == DOCS_LABEL and url.strip():
                return url.strip().rstrip("/")
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        import tomllib

        with pyproject.open("rb") as handle:
            project = tomllib.load(handle).get("project", {})
    except (OSError, ValueError):
        return None
    url = project.get("urls", {}).get(DOCS_LABEL) if project.get("name") == "commlint" else None
    return url.rstrip("/") if isinstance(url, str) and url else None


def rule_doc_path(rule_id: str) -> str:
    """The page of a rule under docs/rules/: `<category>/<slug>.md`."""
    category, _, slug = rule_id.partition("/")
    return f"{category}/{slug}.md"


def rule_doc_url(rule_id: str) -> str | None:
    base = docs_base_url()
    return f"{base}/{rule_doc_path(rule_id)}" if base else None


def builtin(spec: RuleSpec) -> bool:
    """A rule of the shipped packs (it has a page); a team's own packs have none. (Pack files
    are named from the folder they were found in, so a prefix test is enough.)"""
    return spec.file.startswith(str(builtin_pack_folder()) + os.sep)


def documented_ids(specs: list[RuleSpec]) -> set[str]:
    from .claims import CLAIM_RULES

    return {spec.id for spec in specs if builtin(spec)} | set(CLAIM_RULES)


class DocLinks(Mapping[str, str]):
    """Rule id -> documentation URL, for every rule that has a page. Worked out on first use:
    finding the installed package's URL costs tens of milliseconds, which a draft checked
    in a git hook, whose text report shows no link, should not pay."""

    def __init__(self, specs: list[RuleSpec]) -> None:
        self._specs: list[RuleSpec] | None = specs
        self._links: dict[str, str] = {}

    def _made(self) -> dict[str, str]:
        if self._specs is not None:
            self._links = {rule: url for rule in documented_ids(self._specs) if (url := rule_doc_url(rule))}
            self._specs = None
        return self._links

    def __getitem__(self, rule: str) -> str:
        return self._made()[rule]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def doc_links(specs: list[RuleSpec]) -> Mapping[str, str]:
    return DocLinks(specs)


def by_id(specs: list[RuleSpec]) -> dict[str, list[RuleSpec]]:
    """Each rule id with its variants (one per language pack), in a stable order."""
    groups: dict[str, list[RuleSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.id, []).append(spec)
    return {rule: sorted(group, key=_variant_order) for rule, group in sorted(groups.items())}


def _variant_order(spec: RuleSpec) -> tuple[int, tuple[str, ...]]:
    return (0 if ALL_LANGUAGES in spec.languages else 1, spec.languages)


def variant_for(group: list[RuleSpec], lang: str) -> RuleSpec | None:
    """The variant that runs on copy in `lang`: the language's own, else the one for every language."""
    own = [spec for spec in group if lang in spec.languages]
    return (own or [spec for spec in group if ALL_LANGUAGES in spec.languages] or [None])[0]


def neutral_variant(group: list[RuleSpec]) -> RuleSpec:
    """The variant that describes the rule with no language chosen: English (the language
    every message is written in), else the one for every language, else the first."""
    return variant_for(group, ENGLISH) or group[0]


def neutral_variants(specs: list[RuleSpec]) -> dict[str, RuleSpec]:
    """Each rule id with the variant that describes it when no language is chosen."""
    return {rule: neutral_variant(group) for rule, group in by_id(specs).items()}


def languages_of(group: list[RuleSpec]) -> tuple[str, ...]:
    codes = {lang for spec in group for lang in spec.languages}
    return (ALL_LANGUAGES,) if ALL_LANGUAGES in codes else tuple(sorted(codes))


def readable(template: str) -> str:
    """A message or suggestion with its placeholders in words: “{match}” -> “‹phrase›”."""
    return _PLACEHOLDER.sub(lambda m: PLACEHOLDER_WORDS.get(m[1], f"‹{m[1]}›"), template)


def pack_file(spec: RuleSpec) -> str:
    """Where a rule is written, as a contributor finds it: rules/<lang>/<category>.yaml."""
    path = Path(spec.file).resolve()
    if builtin(spec):
        return "rules/" + path.relative_to(builtin_pack_folder()).as_posix()
    return spec.file
