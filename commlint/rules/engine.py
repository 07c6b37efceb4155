"""Apply compiled rules to one document: a pure function from (document, ruleset) to findings.

Workers in a process pool each hold one Ruleset; matchers and spaCy pipelines are built on
first use in that process and reused for every later document.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable

import regex

from ..compiled import compile_pattern
from ..model import Block, Document, Finding
from ..sentences import first_sentence as first_sentence_span
from .document import RepeatedMatcher, RequireMatcher
from .accepted import AcceptedTerms
from .findings import MAX_SHOWN_MATCH, make_finding
from .context import about_templates, for_specialists, legal_document, named_in_document, not_a_claim
from .lookup import DocIndex, IntervalSet, PieceIndex
from .matchers import BlockView, Hit, MetricMatcher, RegexMatcher, TermsMatcher, TokenPatternMatcher
from .nlp import CHUNK_CHARS, pieces, tokens
from .profiles import FALLBACK, LanguageProfile
from .spec import RuleSpec

DOCUMENT_KINDS = ("require", "repeated")


@dataclass
class Ruleset:
    """Rules after configuration: selected, with severities set, plus language profiles."""

    specs: list[RuleSpec]
    profiles: dict[str, LanguageProfile]
    allow: frozenset[str] = frozenset()
    accepted: AcceptedTerms | None = None  # the team's vocabulary: never flagged
    _matchers: dict[tuple[int, str], Any] = field(default_factory=dict, repr=False)
    _applicable: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)
    _block_rules: dict[tuple[str, str, str], list[tuple[int, RuleSpec]]] = field(default_factory=dict, repr=False)

    def profile(self, lang: str) -> LanguageProfile:
        return self.profiles.get(lang) or replace(FALLBACK, code=lang)

    def block_rules(self, lang: str, channel: str, kind: str) -> list[tuple[int, RuleSpec]]:
        """The per-block rules (not the whole-document ones) for one kind of block."""
        key = (lang, channel, kind)
        if key not in self._block_rules:
            self._block_rules[key] = [
                (i, self.specs[i]) for i in self.applicable(lang, channel)
                if self.specs[i].kind not in DOCUMENT_KINDS and reads_block(self.specs[i], kind)
            ]
        return self._block_rules[key]

    def applicable(self, lang: str, channel: str) -> list[int]:
        key = (lang, channel)
        if key not in self._applicable:
            self._applicable[key] = [i for i, s in enumerate(self.specs) if s.applies_to(lang, channel)]
        return self._applicable[key]

    def matcher(self, index: int, lang: str) -> Any:
        key = (index, lang)
        matcher = self._matchers.get(key)
        if matcher is None:
            matcher = self._matchers[key] = build_matcher(self.specs[index], self.profile(lang))
        return matcher


CONTEXT_REACH = 400  # characters of a sentence, each side of a hit, that the context checks read

# Blocks that are not customer copy (extraction marks them): page furniture, signatures, quoted
# replies, code and data. A rule reads them only when its `blocks` names them; "copy" names the rest.
NOT_COPY = frozenset({"furniture", "signature", "quote", "code", "data"})


def reads_block(spec: RuleSpec, kind: str) -> bool:
    if kind in spec.skip_blocks:
        return False
    if not spec.blocks:
        return kind not in NOT_COPY
    return kind in spec.blocks or ("copy" in spec.blocks and kind not in NOT_COPY)


def copy_text(doc: Document) -> str:
    """doc.text with every character outside customer copy blanked (same length: positions hold)."""
    if not any(block.kind in NOT_COPY for block in doc.blocks):
        return doc.text
    parts: list[str] = []
    at = 0
    for block in doc.blocks:
        if block.kind in NOT_COPY and block.start >= at:
            parts.append(doc.text[at : block.start])
            parts.append("".join("\n" if ch == "\n" else " " for ch in doc.text[block.start : block.end]))
            at = block.end
    parts.append(doc.text[at:])
    return "".join(parts)


def build_matcher(spec: RuleSpec, profile: LanguageProfile) -> Any:
    if spec.kind == "terms":
        return TermsMatcher(spec, profile)
    if spec.kind == "regex":
        return RegexMatcher(spec, profile)
    if spec.kind == "pattern":
        return TokenPatternMatcher(spec, profile)
    if spec.kind == "metric":
        return MetricMatcher(spec, profile)
    if spec.kind == "require":
        return RequireMatcher(spec, profile)
    if spec.kind == "rare":
        from .rarity import RarityMatcher

        return RarityMatcher(spec, profile)
    if spec.kind == "together":
        from .together import TogetherMatcher

        return TogetherMatcher(spec, profile)
    return RepeatedMatcher(spec, profile)


def compile_all(
    ruleset: Ruleset,
    only: "Callable[[RuleSpec], bool] | None" = None,
    patterns_too: "Callable[[RuleSpec], bool] | None" = None,
) -> None:
    """Build each rule once now, so a broken rule is reported before any document is read.

    Only one language per rule is compiled here; per-language matchers are built lazily, so a
    one-draft run in a git hook builds only what its language needs. A token pattern is checked
    against spaCy (imported for it) only where `patterns_too` says so.
    """
    for index, spec in enumerate(ruleset.specs):
        if only is not None and not only(spec):
            continue
        lang = spec.languages[0] if "*" not in spec.languages else "und"
        matcher = ruleset.matcher(index, lang)
        if isinstance(matcher, TokenPatternMatcher) and (patterns_too is None or patterns_too(spec)):
            matcher.validate()  # (imports spaCy: only for the packs that are not checked by the tests)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def _contains_phrase(text: str, phrases: tuple[str, ...], spaced: bool) -> bool:
    folded = _fold(text)
    if not spaced:
        return any(needle in folded for needle in _needles(phrases))
    return bool(_phrase_pattern(phrases).search(folded))


@lru_cache(maxsize=None)
def _needles(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_fold(phrase) for phrase in phrases)


@lru_cache(maxsize=None)
def _phrase_pattern(phrases: tuple[str, ...]) -> "re.Pattern[str]":
    """Any of the phrases as whole words (one search, compiled once per rule)."""
    return re.compile("|".join(r"(?<!\w)" + re.escape(needle) + r"(?!\w)" for needle in _needles(phrases)))


def _excused(spec: RuleSpec, hit: Hit, view: BlockView, piece: PieceIndex) -> bool:
    """The rule's `unless` clause: negation before, hedge after, a qualifier in the sentence,
    or words inside quotation marks (a customer's testimonial, not our promise)."""
    unless = spec.unless
    start, end = hit.start - view.start, hit.end - view.start
    if unless.quoted and piece.in_quotes(start, end):
        return True
    if unless.explained:
        from .rarity import explained_terms, fold_term

        context = view.profile.claim_context()
        if fold_term(hit.match) in explained_terms(view.doc, context.explains, context.explains_before):
            return True
    if not (unless.before or unless.after or unless.sentence or unless.regex or unless.concrete_time or spec.context):
        return False
    s_start, s_end = piece.sentence_at(start)
    if spec.context:
        # the sentence around the hit, at most CONTEXT_REACH characters each side: a "sentence"
        # that never ends (a page of text without a full stop) must not make each hit cost
        # its whole length
        s_start, s_end = max(s_start, start - CONTEXT_REACH), min(s_end, end + CONTEXT_REACH)
        sentence = view.text[s_start:s_end]
        quoted = "quote" in spec.context and piece.in_quotes(start, end)
        context = view.profile.claim_context()
        if "contract" in spec.context and legal_document(view.doc, context):
            return True
        if "specialist" in spec.context and for_specialists(view.doc):
            return True
        if "mention" in spec.context and about_templates(view.doc, context):
            return True
        if "name" in spec.context and named_in_document(view.doc, view.text, start, end):
            return True
        if not_a_claim(spec.context, context, sentence, start - s_start, end - s_start, quoted, view.kind):
            return True
        s_start, s_end = piece.sentence_at(start)
    spaced = view.profile.spaces
    # Answers about the whole sentence are the same for every hit in it: asked once each.
    memo = piece.memo
    if unless.sentence:
        key: tuple[object, ...] = ("sentence", id(spec), s_start)
        if key not in memo:
            memo[key] = _contains_phrase(view.text[s_start:s_end], unless.sentence, spaced)
        if memo[key]:
            return True
    if unless.regex:
        key = ("regex", id(spec), s_start)
        if key not in memo:
            memo[key] = any(compile_pattern(p, regex.V1 | regex.IGNORECASE).search(view.text[s_start:s_end]) for p in unless.regex)
        if memo[key]:
            return True
    if unless.concrete_time:
        key = ("time", unless.concrete_time, s_start)
        if key not in memo:
            if unless.concrete_time == "block":
                # (a time anywhere in the paragraph: "Your card is printed within 5 working days.
                # You'll get a text when it's ready." keeps nobody guessing; the paragraph is
                # searched once, not once per sentence)
                if ("time", "block") not in memo:
                    memo[("time", "block")] = any(p.search(view.text) for p in view.profile.concrete_time_patterns())
                memo[key] = memo[("time", "block")] or _time_nearby(view, piece, s_start, s_end)
            else:
                memo[key] = _time_nearby(view, piece, s_start, s_end, unless.concrete_time == "nearby")
        if memo[key]:
            return True
    if unless.before:
        window_start = piece.words_before(start, s_start, unless.window)
        if window_start is not None and _contains_phrase(view.text[window_start:start], unless.before, spaced):
            return True
    if unless.after:
        window_end = piece.words_after(end, s_end, unless.window)
        if window_end is not None and _contains_phrase(view.text[end:window_end], unless.after, spaced):
            return True
    return False


def _time_nearby(view: BlockView, piece: PieceIndex, s_start: int, s_end: int, next_too: bool = True) -> bool:
    """A concrete time in the hit's sentence, or (next_too) in the next one, which may open the
    next block (a list item after "We'll call you:")."""
    if not next_too:
        return any(p.search(view.text[s_start:s_end]) for p in view.profile.concrete_time_patterns())
    following = piece.sentence_after(s_end)
    if following is not None:
        scope = view.text[s_start : following[1]]
    else:
        scope = view.text[s_start:s_end] + " " + piece.following_text()
    return any(p.search(scope) for p in view.profile.concrete_time_patterns())


def _first_sentence(text: str, start: int, end: int, lang: str | None) -> str:
    span = first_sentence_span(text, start, end, lang)
    return text[span[0] : span[1]] if span else ""


@dataclass
class LintResult:
    findings: list[Finding]
    words: int  # word tokens (spaCy's, so Japanese counts words, not characters)
    notes: list[str] = field(default_factory=list)  # what was left out, in plain words


def lint_document(doc: Document, ruleset: Ruleset) -> list[Finding]:
    return lint(doc, ruleset).findings


# A rule that fires thousands of times in one document (a promise repeated down a 10 MB CSV
# field) is reported for its first MAX_PER_RULE places; the rest are counted in LintResult.notes.
MAX_PER_RULE = 1000


class _Findings:
    """Findings as they are made, with the spans the overlap merge needs."""

    def __init__(self, doc: Document, ruleset: Ruleset) -> None:
        self.doc = doc
        self.allow = ruleset.allow
        self.accepted = ruleset.accepted or None
        self.ruleset = ruleset
        self.index = DocIndex(doc)
        self.findings: list[Finding] = []
        self.spans: list[tuple[int, int]] = []  # per finding: its span, or its sentence (SENTENCE_SCOPED)
        self.problems: list[tuple[str, bool]] = []  # per finding: (category, a measure of a passage)
        self.yields: list[tuple[str, ...]] = []  # per finding: the categories it gives way to
        self.seen: set[tuple[str, int, int]] = set()
        self.terms_seen: set[tuple[str, str]] = set()  # once_per_document: (rule, term) reported
        self.per_rule: dict[str, int] = {}
        self.left_out: dict[str, int] = {}
        self.own: dict[tuple[int, int], str] = {}  # words the team's vocabulary rejects -> its rule

    def emit(self, spec: RuleSpec, hit: Hit, lang: str) -> None:
        if _fold(hit.match.strip()[:MAX_SHOWN_MATCH]) in self.allow:
            return
        if self.accepted is not None and self.accepted.covers(self.doc.text, hit.start, hit.end, lang, self.ruleset.profile(lang).spaces):
            return
        key = (spec.id, hit.start, hit.end)
        if key in self.seen:
            return
        if spec.params.get("once_per_document"):
            # a term is explained, or not, the first time the reader meets it: later uses are
            # the same problem
            term = (spec.id, _fold(hit.match))
            if term in self.terms_seen:
                return
            self.terms_seen.add(term)
        if self.per_rule.get(spec.id, 0) >= MAX_PER_RULE:
            self.left_out[spec.id] = self.left_out.get(spec.id, 0) + 1
            return
        self.seen.add(key)
        self.per_rule[spec.id] = self.per_rule.get(spec.id, 0) + 1
        if spec.category in SENTENCE_SCOPED:
            self.spans.append(self.index.sentence_bounds(hit.start, hit.end))
        else:
            self.spans.append((hit.start, hit.end))
        # a measure of a whole sentence or passage and a word inside it are two problems: a
        # long sentence, and the formal word in it that has a plain replacement
        self.problems.append((spec.category, spec.kind == "metric"))
        self.yields.append(spec.yields_to)
        self.findings.append(make_finding(self.doc, spec, hit, lang, self.index))
        if spec.params.get("replaces_others"):
            self.own[(hit.start, hit.end)] = spec.id

    def replaced(self) -> set[int]:
        """Other rules' findings on the very words the team's vocabulary rejects: one finding,
        with the team's own message."""
        return {n for n, f in enumerate(self.findings) if self.own.get(self.spans[n], f.rule) != f.rule} if self.own else set()

    def notes(self) -> list[str]:
        return [
            f"{rule}: {count:,} more finding{'s' if count != 1 else ''} not reported (at most {MAX_PER_RULE:,} per rule in one document)"
            for rule, count in sorted(self.left_out.items())
        ]


@dataclass
class _RuleState:
    """One rule across the pieces of one block."""

    last_end: int = -1  # hits of one rule do not overlap: a later one starting before this is dropped
    first: Hit | None = None  # once_per_block: the hit reported
    more: int = 0  # once_per_block: the others
    words: int = 0  # readability over several pieces: words so far
    weighted: float = 0.0  # readability: score × words, summed
    scores: list[float] = field(default_factory=list)


def lint(doc: Document, ruleset: Ruleset) -> LintResult:
    """Apply every applicable rule to one document. Pure: same document, same findings.

    Each block is tokenised in pieces the tokenizer can take (nlp.pieces), one piece at a time,
    so memory follows the piece, not the document; rules that need the whole block (once per
    block, readability) or the whole document (duplicates, require) carry their state across.
    """
    out = _Findings(doc, ruleset)
    words = 0
    for block in doc.blocks:
        lang = block.lang or doc.lang
        profile = ruleset.profile(lang)
        rules = ruleset.block_rules(lang, doc.channel, block.kind)
        if block.kind in NOT_COPY and not rules:
            continue  # not copy, and no rule reads it: not even tokenised (a base64 run is no sentence)
        text = doc.block_text(block)
        spans = pieces(text, profile.spacy)
        states: dict[int, _RuleState] = {}  # made for a rule when it has something to carry
        for number, (a, b) in enumerate(spans):
            piece_text = text if len(spans) == 1 else text[a:b]
            doc_tokens = tokens(piece_text, profile.spacy, lang)
            words += doc_tokens.word_count()
            if not rules:
                continue
            view = BlockView(doc, block.start + a, piece_text, block.kind, lang, profile, doc_tokens)
            piece = PieceIndex(piece_text, doc_tokens, _following(doc, out.index, block, spans, number), lambda view=view: view.sentences)
            last = number == len(spans) - 1
            for index, spec in rules:
                matcher = ruleset.matcher(index, lang)
                _apply(matcher, spec, view, piece, states, index, len(spans) > 1, out, lang)
                if last and index in states:
                    _finish_block(matcher, spec, block, doc, states.pop(index), out, lang)
            del view, piece, doc_tokens  # the next piece's tokens replace these

    document_text: str | None = None
    for index in ruleset.applicable(doc.lang, doc.channel):
        spec = ruleset.specs[index]
        if spec.kind in DOCUMENT_KINDS:
            if document_text is None:
                document_text = copy_text(doc)
            matcher = ruleset.matcher(index, doc.lang)
            accept = _claim_filter(doc, spec, ruleset.profile(doc.lang), out.index) if spec.context and spec.kind == "require" else None
            for hit in (matcher.find_document(doc, document_text, 0, accept) if accept else matcher.find_document(doc, document_text, 0)):
                out.emit(spec, hit, doc.lang)
    findings = _one_finding_per_problem(out.findings, out.spans, out.problems, _yielded(out) | out.replaced())
    findings.sort(key=Finding.sort_key)
    return LintResult(findings, words, out.notes())


def _claim_filter(doc: Document, spec: RuleSpec, profile: LanguageProfile, index: DocIndex) -> Callable[[int, int], bool]:
    """For a whole-document rule: does the sentence of a trigger make the claim (context.py)?"""
    context = profile.claim_context()

    def accept(start: int, end: int) -> bool:
        s_start, s_end = index.sentence_bounds(start, end)
        s_start, s_end = max(s_start, start - CONTEXT_REACH), min(s_end, end + CONTEXT_REACH)
        block = index.block_at(start)
        kind = block.kind if block else "paragraph"
        quoted = False
        if "quote" in spec.context:
            from .lookup import quoted_spans

            quoted = any(a < start - s_start and end - s_start < b for a, b in quoted_spans(doc.text[s_start:s_end]))
        return not_a_claim(spec.context, context, doc.text[s_start:s_end], start - s_start, end - s_start, quoted, kind) is None

    return accept


def _apply(matcher: Any, spec: RuleSpec, view: BlockView, piece: PieceIndex, states: dict[int, _RuleState], index: int, several: bool, out: _Findings, lang: str) -> None:
    """One rule on one piece of a block; what it carries to the block's next piece goes in states."""
    if several and isinstance(matcher, MetricMatcher) and matcher.metric == "readability":
        # one score for the whole block: the pieces' scores weighted by their words
        count, score = matcher.readability_parts(view.text)
        if score is not None:
            state = states.setdefault(index, _RuleState())
            state.words += count
            state.weighted += score * count
            state.scores.append(score)
        return
    hits = list(matcher.find(view))
    if not hits:
        return
    if len(hits) > 1:
        hits.sort(key=lambda h: (h.start, h.start - h.end))
    state = states.setdefault(index, _RuleState())
    for hit in hits:
        if hit.start < state.last_end:
            continue  # overlaps a longer hit of the same rule
        if _excused(spec, hit, view, piece):
            continue
        state.last_end = hit.end
        if spec.params.get("once_per_block"):
            if state.first is None:
                state.first = hit
            else:
                state.more += 1
        else:
            out.emit(spec, hit, lang)


def _finish_block(matcher: Any, spec: RuleSpec, block: Block, doc: Document, state: _RuleState, out: _Findings, lang: str) -> None:
    """After the block's last piece: the rules that judge the block as a whole."""
    if state.first is not None:
        # A post written all in capitals is one problem, not fifty findings.
        first = state.first
        if state.more:
            first = replace(first, values=(*first.values, ("more", f" ({state.more} more in this paragraph)")))
        out.emit(spec, first, lang)
    if state.scores:
        score = state.scores[0] if len(state.scores) == 1 else state.weighted / max(1, state.words)
        hit = matcher.readability_hit(block.start, block.end, doc.text[block.start : block.start + 60], state.words, score, doc.channel)
        if hit is not None:
            out.emit(spec, hit, lang)


def _following(doc: Document, index: DocIndex, block: Block, spans: list[tuple[int, int]], number: int) -> Callable[[], str]:
    """The first sentence after piece `number` of the block: in its next piece, or the next block."""

    def first_sentence() -> str:
        if number + 1 < len(spans):
            a, b = spans[number + 1]
            return _first_sentence(doc.text, block.start + a, block.start + b, block.lang or doc.lang)
        following = index.block_after(block.end)
        if following is None:
            return ""
        return _first_sentence(doc.text, following.start, min(following.end, following.start + CHUNK_CHARS), following.lang or doc.lang)

    return first_sentence


def _yielded(out: _Findings) -> set[int]:
    """Findings whose rule `yields_to` a category with a finding in the same sentence (or
    passage): "omnichannel CDP orchestration" makes a sentence hard to read, and the jargon
    finding already says so and names the words. Sorted spans and a running maximum of their
    ends answer each question in O(log n)."""
    wanted = {category for categories in out.yields for category in categories}
    if not wanted:
        return set()
    by_category: dict[str, tuple[list[int], list[int]]] = {}
    for category in wanted:
        spans = sorted(out.spans[n] for n, f in enumerate(out.findings) if f.category == category)
        reach, ends = -1, []
        for _, end in spans:
            reach = max(reach, end)
            ends.append(reach)
        by_category[category] = ([start for start, _ in spans], ends)
    dropped: set[int] = set()
    for number, categories in enumerate(out.yields):
        if not categories:
            continue
        span = out.spans[number]
        start, end = out.index.sentence_bounds(*span)
        start, end = min(start, span[0]), max(end, span[1])
        for category in categories:
            starts, ends = by_category[category]
            before = bisect_left(starts, end)  # spans that start before this one ends
            if before and ends[before - 1] > start:
                dropped.add(number)
                break
    return dropped


# A sentence makes one commitment: its vague "soon" and its untimed "we'll call you" are one
# problem, reported by the rule listed first (the more specific message).
SENTENCE_SCOPED = {"wait-time"}


def _one_finding_per_problem(findings: list[Finding], spans: list[tuple[int, int]], problems: list[tuple[str, bool]], dropped: set[int]) -> list[Finding]:
    """Two rules of one category on overlapping words describe one problem ("we'll get back to
    you soon" is both vague and untimed): keep the finding with the longer match, or the
    first rule's on a tie. For wait-time, the whole sentence is the unit (its span here). A
    measure of a passage (a long sentence) and a word in it (a formal word) are two problems."""
    by_problem: dict[tuple[str, bool], list[int]] = {}
    for number in range(len(findings)):
        if number in dropped:
            continue
        by_problem.setdefault(problems[number], []).append(number)
    kept: list[int] = []
    for (category, _), numbers in by_problem.items():
        if category in SENTENCE_SCOPED:
            order = numbers  # first rule first
        else:
            order = sorted(numbers, key=lambda n: (spans[n][0] - spans[n][1], n))  # longest first
        covered = IntervalSet(x for n in numbers for x in spans[n])
        for number in order:
            start, end = spans[number]
            if not covered.overlaps(start, end):
                covered.add(start, end)
                kept.append(number)
    return [findings[number] for number in sorted(kept)]
