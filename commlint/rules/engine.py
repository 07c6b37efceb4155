"""Apply compiled rules to one document: a pure function from (document, ruleset) to findings.

Workers in a process pool each hold one Ruleset; matchers and spaCy pipelines are built on
first use in that process and reused for every later document.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

import regex

from ..model import Document, Finding, Related
from .document import RepeatedMatcher, RequireMatcher
from .matchers import BlockView, Hit, MetricMatcher, RegexMatcher, TermsMatcher, TokenPatternMatcher
from .nlp import pipeline
from .profiles import FALLBACK, LanguageProfile
from .spec import RuleSpec

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|„[^“”]*[“”]|«[^»]*»|»[^«]*«|「[^」]*」|『[^』]*』")
DOCUMENT_KINDS = ("require", "repeated")


@dataclass
class Ruleset:
    """Rules after configuration: selected, with severities set, plus language profiles."""

    specs: list[RuleSpec]
    profiles: dict[str, LanguageProfile]
    allow: frozenset[str] = frozenset()
    _matchers: dict[tuple[int, str], Any] = field(default_factory=dict, repr=False)
    _applicable: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)

    def profile(self, lang: str) -> LanguageProfile:
        return self.profiles.get(lang) or replace(FALLBACK, code=lang)

    def applicable(self, lang: str, channel: str) -> list[int]:
        key = (lang, channel)
        if key not in self._applicable:
            self._applicable[key] = [i for i, s in enumerate(self.specs) if s.applies_to(lang, channel)]
        return self._applicable[key]

    def matcher(self, index: int, lang: str) -> Any:
        key = (index, lang)
        if key not in self._matchers:
            self._matchers[key] = build_matcher(self.specs[index], self.profile(lang))
        return self._matchers[key]


def build_matcher(spec: RuleSpec, profile: LanguageProfile) -> Any:
    if spec.kind == "terms":
        return TermsMatcher(spec, profile)
    if spec.kind == "regex":
        return RegexMatcher(spec, profile)
    if spec.kind == "pattern":
        return TokenPatternMatcher(spec, profile, pipeline(profile.spacy))
    if spec.kind == "metric":
        return MetricMatcher(spec, profile)
    if spec.kind == "require":
        return RequireMatcher(spec, profile)
    return RepeatedMatcher(spec, profile)


def compile_all(ruleset: Ruleset, only: "Callable[[RuleSpec], bool] | None" = None) -> None:
    """Build each rule once now, so a broken rule is reported before any document is read.

    Only one language per rule is compiled here (a token pattern against the multilingual
    vocabulary); per-language matchers are built lazily, so a one-draft run in a git hook
    loads only the pipeline it needs.
    """
    for index, spec in enumerate(ruleset.specs):
        if only is not None and not only(spec):
            continue
        lang = spec.languages[0] if "*" not in spec.languages else "und"
        profile = ruleset.profile(lang)
        if spec.kind == "pattern":
            TokenPatternMatcher(spec, profile, None)  # validated against a bare vocabulary
        else:
            ruleset.matcher(index, lang)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def _contains_phrase(text: str, phrases: tuple[str, ...], spaced: bool) -> bool:
    folded = _fold(text)
    for phrase in phrases:
        needle = _fold(phrase)
        if not spaced:
            if needle in folded:
                return True
        elif re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", folded):
            return True
    return False


def _excused(spec: RuleSpec, hit: Hit, view: BlockView, sentences: list[tuple[int, int]]) -> bool:
    """The rule's `unless` clause: negation before, hedge after, a qualifier in the sentence,
    or words inside quotation marks (a customer's testimonial, not our promise)."""
    unless = spec.unless
    start, end = hit.start - view.start, hit.end - view.start
    if unless.quoted and any(m.start() < start and end < m.end() for m in _QUOTED.finditer(view.text)):
        return True
    if not (unless.before or unless.after or unless.sentence or unless.regex or unless.concrete_time):
        return False
    s_start, s_end = next(((a, b) for a, b in sentences if a <= start < b), (0, len(view.text)))
    spaced = view.profile.spaces
    if unless.sentence and _contains_phrase(view.text[s_start:s_end], unless.sentence, spaced):
        return True
    if unless.regex and any(regex.search(p, view.text[s_start:s_end], regex.V1 | regex.IGNORECASE) for p in unless.regex):
        return True
    if unless.concrete_time and _time_nearby(view, s_start, s_end, sentences):
        return True
    tokens = [t for t in view.tokens if s_start <= t.idx < s_end and not t.is_space]
    before = [t for t in tokens if t.idx + len(t.text) <= start]
    after = [t for t in tokens if t.idx >= end]
    if unless.before and before:
        window_start = before[-min(unless.window, len(before))].idx
        if _contains_phrase(view.text[window_start:start], unless.before, spaced):
            return True
    if unless.after and after:
        last = after[min(unless.window, len(after)) - 1]
        if _contains_phrase(view.text[end : last.idx + len(last.text)], unless.after, spaced):
            return True
    return False


def _time_nearby(view: BlockView, s_start: int, s_end: int, sentences: list[tuple[int, int]]) -> bool:
    """A concrete time in the hit's sentence or the next one, which may open the next block
    (a list item after "We'll call you:")."""
    following = [(a, b) for a, b in sentences if a >= s_end]
    if following:
        scope = view.text[s_start : following[0][1]]
    else:
        scope = view.text[s_start:s_end] + " " + _first_sentence_of_next_block(view)
    return any(p.search(scope) for p in view.profile.concrete_time_patterns())


def _first_sentence_of_next_block(view: BlockView) -> str:
    block_end = view.start + len(view.text)
    following = next((b for b in view.doc.blocks if b.start >= block_end), None)
    if following is None:
        return ""
    text = view.doc.block_text(following)
    ends = [i for i in (text.find(ch) for ch in ".!?。！？") if i != -1]
    return text[: min(ends) + 1] if ends else text


def _render(template: str, hit: Hit) -> str:
    values = {"match": hit.match.strip(), "plain": "", "plain_hint": "", "more": "", **dict(hit.values)}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def _sentence_around(doc: Document, start: int, end: int) -> str:
    """The sentence holding the hit, from the extracted text, for the report's excerpt."""
    s, e = _sentence_bounds(doc, start, end)
    text = doc.text[s:e].strip()
    if len(text) <= 240:
        return text
    block = next((b for b in doc.blocks if b.start <= start < b.end), None)
    lo, hi = (block.start, block.end) if block else (0, len(doc.text))
    return doc.text[max(lo, start - 100) : min(hi, end + 100)].strip()


def make_finding(doc: Document, spec: RuleSpec, hit: Hit, lang: str) -> Finding:
    line, column = doc.positions.line_col(hit.start)
    end_line, last_column = doc.positions.line_col(max(hit.start, hit.end - 1))
    related = tuple(
        Related(doc.path, *doc.positions.line_col(a), excerpt=doc.text[a:b][:120]) for a, b in hit.related
    )
    suggestion = hit.suggestion or spec.suggestion
    return Finding(
        rule=spec.id,
        category=spec.category,
        severity=spec.severity,
        path=doc.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=last_column + 1,
        channel=doc.channel,
        lang=lang,
        message=_render(spec.message, hit),
        excerpt=_sentence_around(doc, hit.start, hit.end),
        suggestion=_render(suggestion, hit) if suggestion else None,
        unit=doc.unit,
        related=related,
        source_line=doc.positions.source_line(line, hit.start),
        fix=_safe_fix(spec, hit),
    )


def _safe_fix(spec: RuleSpec, hit: Hit) -> tuple[str, str] | None:
    """A rule marked `fix: true` whose term maps to one plain word or phrase can be fixed."""
    if not spec.params.get("fix"):
        return None
    plain = dict(hit.values).get("plain", "")
    if not plain or any(mark in plain for mark in ("/", ",", ";", "(", "…")):
        return None
    if hit.match[:1].isupper():
        plain = plain[:1].upper() + plain[1:]
    return hit.match, plain


@dataclass
class LintResult:
    findings: list[Finding]
    words: int  # word tokens (spaCy's, so Japanese counts words, not characters)


def lint_document(doc: Document, ruleset: Ruleset) -> list[Finding]:
    return lint(doc, ruleset).findings


def lint(doc: Document, ruleset: Ruleset) -> LintResult:
    """Apply every applicable rule to one document. Pure: same document, same findings."""
    findings: list[Finding] = []
    spans: list[tuple[int, int, int]] = []  # (start, end, index in findings)
    words = 0
    seen: set[tuple[str, int, int]] = set()

    def emit(spec: RuleSpec, hit: Hit, lang: str) -> None:
        if _fold(hit.match.strip()) in ruleset.allow:
            return
        key = (spec.id, hit.start, hit.end)
        if key not in seen:
            seen.add(key)
            spans.append((hit.start, hit.end, len(findings)))
            findings.append(make_finding(doc, spec, hit, lang))

    for block in doc.blocks:
        lang = block.lang or doc.lang
        indexes = [i for i in ruleset.applicable(lang, doc.channel) if ruleset.specs[i].kind not in DOCUMENT_KINDS]
        profile = ruleset.profile(lang)
        text = doc.block_text(block)
        tokens = pipeline(profile.spacy)(text)
        words += sum(1 for token in tokens if not (token.is_punct or token.is_space))
        if not indexes:
            continue
        view = BlockView(doc, block.start, text, block.kind, lang, profile, tokens)
        sentences = [(s.start_char, s.end_char) for s in view.tokens.sents]
        for index in indexes:
            spec = ruleset.specs[index]
            if spec.blocks and block.kind not in spec.blocks:
                continue
            hits = sorted(ruleset.matcher(index, lang).find(view), key=lambda h: (h.start, h.start - h.end))
            last_end = -1
            kept_hits = []
            for hit in hits:
                if hit.start < last_end:
                    continue  # overlaps a longer hit of the same rule
                if not _excused(spec, hit, view, sentences):
                    kept_hits.append(hit)
                    last_end = hit.end
            if kept_hits and spec.params.get("once_per_block"):
                # A post written all in capitals is one problem, not fifty findings.
                extra = len(kept_hits) - 1
                first = kept_hits[0]
                if extra:
                    first = replace(first, values=(*first.values, ("more", f" ({extra} more in this paragraph)")))
                kept_hits = [first]
            for hit in kept_hits:
                emit(spec, hit, lang)

    for index in ruleset.applicable(doc.lang, doc.channel):
        spec = ruleset.specs[index]
        if spec.kind in DOCUMENT_KINDS:
            for hit in ruleset.matcher(index, doc.lang).find_document(doc, doc.text, 0):
                emit(spec, hit, doc.lang)
    findings = _one_finding_per_problem(doc, findings, spans)
    findings.sort(key=Finding.sort_key)
    return LintResult(findings, words)


# A sentence makes one commitment: its vague "soon" and its untimed "we'll call you" are one
# problem, reported by the rule listed first (the more specific message).
SENTENCE_SCOPED = {"wait-time"}


def _one_finding_per_problem(doc: Document, findings: list[Finding], spans: list[tuple[int, int, int]]) -> list[Finding]:
    """Two rules of one category on overlapping words describe one problem ("we'll get back to
    you soon" is both vague and untimed): keep the finding with the longer match, or the
    first rule's on a tie. For wait-time, the whole sentence is the unit."""
    scoped: list[tuple[int, int, int, int]] = []  # (start, end, index, sort rank)
    for start, end, index in spans:
        if findings[index].category in SENTENCE_SCOPED:
            s_start, s_end = _sentence_bounds(doc, start, end)
            scoped.append((s_start, s_end, index, index))
        else:
            scoped.append((start, end, index, start - end))
    kept: list[tuple[int, int, int, int]] = []
    for start, end, index, _ in sorted(scoped, key=lambda s: (s[3], s[2])):
        category = findings[index].category
        if any(findings[k].category == category and start < e and s < end for s, e, k, _ in kept):
            continue
        kept.append((start, end, index, 0))
    return [findings[index] for _, _, index, _ in sorted(kept, key=lambda s: s[2])]


def _sentence_bounds(doc: Document, start: int, end: int) -> tuple[int, int]:
    block = next((b for b in doc.blocks if b.start <= start < b.end), None)
    lo, hi = (block.start, block.end) if block else (0, len(doc.text))
    left = max(doc.text.rfind(ch, lo, start) for ch in ".!?。！？")
    rights = [i for i in (doc.text.find(ch, end, hi) for ch in ".!?。！？") if i != -1]
    return (lo if left < lo else left + 1), (min(rights) + 1 if rights else hi)
