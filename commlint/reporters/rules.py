"""`commlint rules` and `commlint rule ID`: the rules as a table, and one rule explained.

Each rule id has one variant per language pack, each with its own message and examples; with a
language chosen, that language's variant speaks, otherwise the English one.
"""
from __future__ import annotations

import textwrap

import click

from ..claims import CLAIM_RULES
from ..extraction.copy import language_name
from ..ruledocs import (
    ALL_LANGUAGES, CLAIM_HOW, CLAIM_WHY, by_id, claim_severity, languages_of, neutral_variant,
    pack_file, readable, rule_doc_url, variant_for,
)
from ..rules.spec import RuleSpec
from .table import render_table

HEADER = ("RULE", "SEVERITY", "LANGUAGES", "DESCRIPTION")
WRAP = 92  # explanations are prose: wrapped to read on a terminal


def _paragraph(text: str, indent: str = "  ") -> str:
    return textwrap.fill(" ".join(text.split()), WRAP, initial_indent=indent, subsequent_indent=indent)


def languages_label(codes: tuple[str, ...]) -> str:
    return "all" if ALL_LANGUAGES in codes else " ".join(codes)


def variant_label(spec: RuleSpec) -> str:
    """“English (en)”, “every language”, or a list of names for a shared variant."""
    if ALL_LANGUAGES in spec.languages:
        return "Every language"
    return ", ".join(f"{language_name(code)} ({code})" for code in spec.languages)


def render_rule_list(specs: list[RuleSpec], lang: str | None, category: str | None) -> str:
    """One line per rule id under a header; descriptions are the chosen language's variant."""
    rows = [HEADER]
    count = 0
    for rule_id, group in by_id(specs).items():
        if category and group[0].category != category:
            continue
        spec = variant_for(group, lang) if lang else neutral_variant(group)
        if spec is None:
            continue
        rows.append((rule_id, spec.severity, languages_label(languages_of(group)), readable(spec.message)))
        count += 1
    for rule_id, description in sorted(CLAIM_RULES.items()):
        if category and not rule_id.startswith(category + "/"):
            continue
        rows.append((rule_id, claim_severity(rule_id), "all", description + " (compares documents)"))
        count += 1
    lines = render_table(rows)
    if lang and not any(lang in s.languages for s in specs):
        lines.append(f"\nNo rule pack for {language_name(lang)} ({lang}): only the rules for every language run.")
    lines.append(f"\n{count} rules. Explain one with: commlint rule ID" + (f" --lang {lang}" if lang else " [--lang CODE]"))
    return "\n".join(lines) + "\n"


def render_rule(rule_id: str, group: list[RuleSpec], lang: str | None) -> str:
    """One rule: what it flags and why, then each language's message, suggestion and examples
    (only `lang`'s with a language chosen)."""
    variants = [variant_for(group, lang)] if lang else group
    main = variants[0] if lang else neutral_variant(group)
    assert main is not None
    bold = lambda text: click.style(text, bold=True)  # noqa: E731
    lines = [bold(rule_id) + f"  ({main.category}, {main.severity})"]
    url = rule_doc_url(rule_id)
    if url:
        lines.append(f"Documentation: {url}")
    lines += ["", bold("What it flags"), "  " + readable(main.message)]
    if main.why:
        lines += ["", bold("Why it matters"), _paragraph(main.why)]
    for spec in variants:
        assert spec is not None
        lines += ["", bold(variant_label(spec)) + f"   channels: {', '.join(spec.channels)}   kind: {spec.kind}   ({pack_file(spec)})"]
        if spec.message != main.message:
            lines.append("  Message:     " + readable(spec.message))
        if spec.suggestion:
            lines.append("  Use instead: " + readable(spec.suggestion))
        if spec.why and spec.why != main.why:
            lines.append("  Why:" + _paragraph(spec.why, " " * 15)[6:])
        lines.append("  Flagged:")
        lines += [f"    ✗ {example}" for example in spec.examples.flag]
        lines.append("  Fine:")
        lines += [f"    ✓ {example}" for example in spec.examples.pass_]
    if not lang and len(group) > 1:
        lines += ["", "One language only: commlint rule " + rule_id + " --lang CODE"]
    return "\n".join(lines) + "\n"


def render_claim_rule(rule_id: str) -> str:
    bold = lambda text: click.style(text, bold=True)  # noqa: E731
    lines = [bold(rule_id) + f"  ({rule_id.split('/')[0]}, {claim_severity(rule_id)}; compares documents, in every language)"]
    url = rule_doc_url(rule_id)
    if url:
        lines.append(f"Documentation: {url}")
    lines += ["", bold("What it flags"), "  " + CLAIM_RULES[rule_id]]
    lines += ["", bold("Why it matters"), _paragraph(CLAIM_WHY[rule_id.split("/")[0]])]
    lines += ["", bold("How"), _paragraph(CLAIM_HOW)]
    return "\n".join(lines) + "\n"
