"""A rule's hit as a Finding: where it is (line, column, excerpt, source line), what it says
(the rule's message and suggestion with the hit's words), and the safe fix it offers."""
from __future__ import annotations

from ..model import Document, Finding, Related
from .lookup import DocIndex
from .matchers import Hit
from .spec import RuleSpec

def _render(template: str, hit: Hit) -> str:
    match = hit.match.strip()
    if len(match) > MAX_SHOWN_MATCH:
        match = match[:MAX_SHOWN_MATCH] + "…"  # a run of 50,000 "!" is named by its start
    values = {"match": match, "plain": "", "plain_hint": "", "more": "", **dict(hit.values)}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


MAX_SHOWN_MATCH = 200


def make_finding(doc: Document, spec: RuleSpec, hit: Hit, lang: str, index: DocIndex | None = None) -> Finding:
    index = index or DocIndex(doc)
    line, column = doc.positions.line_col(hit.start)
    end_line, last_column = doc.positions.line_col(max(hit.start, hit.end - 1))
    related = tuple(
        Related(doc.path, *doc.positions.line_col(a), excerpt=doc.text[a : min(b, a + 120)]) for a, b in hit.related
    )
    suggestion = hit.suggestion or spec.suggestion_for(lang)
    # the stored line's start identifies it: the offset of the hit less its column
    line_start = doc.positions.source_offset(hit.start) - column + 1
    excerpt, excerpt_start = index.excerpt_at(hit.start, hit.end)
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
        excerpt=excerpt,
        suggestion=(_render(suggestion, hit) or None) if suggestion else None,
        unit=doc.unit,
        related=related,
        source_line=index.source_line(line, hit.start, line_start),
        fix=_safe_fix(spec, hit),
        excerpt_span=_span_in(excerpt, hit.start - excerpt_start, hit.end - excerpt_start),
    )


def _span_in(excerpt: str, start: int, end: int) -> tuple[int, int] | None:
    """The hit's place in its excerpt, cut to the excerpt; None when they do not overlap."""
    start, end = max(start, 0), min(end, len(excerpt))
    return (start, end) if start < end else None


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
