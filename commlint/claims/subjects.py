"""Stage 4a, across documents: what each claim is about.

A claim's own sentence, table row or label names its subject where it can (extract.py); here
the names the whole run gives complete it: a plan named elsewhere, the same table in another
language, the one product an organisation states a period for.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Iterable

import regex

from ..compiled import compile_pattern
from .extract import DEFAULT_SUBJECTS, DURATION_FACTS, Claim

NO_SUBJECT = ("name", "phone", "email", "address")  # facts that are their own subject


def document_key(claim: Claim) -> str:
    return claim.path + ("#" + claim.unit.id if claim.unit else "")


def resolve(claims: list[Claim], extra: Iterable[str] = (), known: set[str] | None = None) -> list[Claim]:
    """Every subject step, in order. `known`: the run's named subjects, when `claims` are only
    some of the run's (one organisation's, on a cluster)."""
    return _one_thing(_named_in_sentence(_align_translations(resolve_subjects(_lone_labels(claims), extra, known))))


def known_subjects(claims: Iterable[Claim]) -> set[str]:
    """Names that plainly are plans ("the Pro plan", "Jahresabo"); a word that only headed a
    table row or stood before a price is not enough to spread. Any organisation's count."""
    return {c.subject for c in claims if c.subject and dict(c.meta).get("subject_from") in ("named", "adjacent")}


def resolve_subjects(claims: list[Claim], extra: Iterable[str] = (), known: set[str] | None = None) -> list[Claim]:
    """A claim without an explicit subject takes the nearest capitalised word that names a
    plan or product somewhere in the run ("Pro is now $25" -> Pro, known from "the Pro plan")."""
    # Names that plainly are plans, or that the config lists.
    known = (known_subjects(claims) if known is None else known) | {s.casefold() for s in extra}
    resolved = []
    for claim in claims:
        if claim.subject is None and claim.fact not in NO_SUBJECT:
            index = next((i for i, c in enumerate(claim.candidates) if c in known and c != DEFAULT_SUBJECTS.get(claim.fact)), None)
            if index is not None:
                # a name in the claim's own sentence is as sure as a named subject; one from its
                # row label or heading is a guess
                own = int(dict(claim.meta).get("own_candidates", "0"))
                claim = replace(claim, subject=claim.candidates[index],
                                meta=(*claim.meta, ("subject_from", "sentence" if index < own else "elsewhere")))
        resolved.append(claim)
    return resolved


MIN_ROWS = 3  # rows of a table before two language versions of it are matched row by row
MIN_SAME = 2  # rows stating the same value in both versions
MAX_CHANGED = 2  # rows in a row whose value differs between the versions, still matched
MAX_ROWS = 80  # rows per document matched
MAX_TABLES = 240  # tables of one fact per organisation matched with each other


def _align_translations(claims: list[Claim]) -> list[Claim]:
    """Two language versions of one table name their rows in two languages ("Voksen" and
    "Adult"). Where an organisation's tables in two languages have as many rows and most rows
    state the same value, row i names one thing in both: the second language's names are
    read as the first's, so the row whose value differs is compared."""
    tables: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.org is not None and dict(claim.meta).get("subject_from") == "row":
            tables[(claim.org, claim.lang, document_key(claim), claim.fact)].append(claim)
    by_org: dict[tuple, list[list[Claim]]] = defaultdict(list)
    for (org, lang, _, fact), rows in tables.items():
        if len(rows) >= MIN_ROWS and len(by_org[(org, fact)]) < MAX_TABLES:
            by_org[(org, fact)].append(sorted(rows, key=lambda c: (c.line, c.column))[:MAX_ROWS])
    renames: dict[tuple, str | None] = {}  # (org, lang, subject) -> subject in the first language

    def pair(a: Claim, b: Claim) -> None:
        if a.subject != b.subject:
            key = (org, b.lang, b.subject)
            # a name read as two different names is no translation
            renames[key] = a.subject if renames.get(key, a.subject) == a.subject else None

    for (org, fact), versions in by_org.items():
        for i, first in enumerate(versions):
            for other in versions[i + 1 :]:
                if other[0].lang == first[0].lang:
                    continue
                # rows with equal values in order, and a row or two whose value changed in one
                # language with as many rows on each side
                matcher = SequenceMatcher(None, [c.key for c in first], [c.key for c in other], autojunk=False)
                opcodes = matcher.get_opcodes()
                same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
                if same < MIN_SAME or same * 2 < min(len(first), len(other)):
                    continue
                for tag, i1, i2, j1, j2 in opcodes:
                    if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1 <= MAX_CHANGED):
                        for a, b in zip(first[i1:i2], other[j1:j2]):
                            pair(a, b)
    if not renames:
        return claims
    return [
        replace(claim, subject=target) if claim.subject is not None and (target := renames.get((claim.org, claim.lang, claim.subject))) else claim
        for claim in claims
    ]


MAX_NAMES = 300  # names of plans and products looked for per organisation, the most stated first


def _named_in_sentence(claims: list[Claim]) -> list[Claim]:
    """A claim with no subject whose sentence names a plan or product the organisation names
    elsewhere (a table row "Nordlys Smart 30 GB" and "Mit Nordlys Smart 30 GB (429 NOK pro
    Monat)") is about it, when the sentence names no other."""
    counts: dict[str | None, Counter] = defaultdict(Counter)
    for claim in claims:
        meta = dict(claim.meta)
        if claim.subject and meta.get("subject_from") in ("named", "adjacent", "row", "label") and not meta.get("generic") and (
                len(claim.subject) >= 3 and regex.search(r"\p{L}", claim.subject)):
            counts[claim.org][claim.subject] += 1
    patterns = {
        org: compile_pattern(r"(?<![\w])(?:" + "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in sorted(
            (n for n, _ in found.most_common(MAX_NAMES)), key=len, reverse=True)) + r")(?![\w])", regex.IGNORECASE | regex.V1)
        for org, found in counts.items()
    }
    # a sentence stating two values of the fact ("449 kr, students 349 kr") says which is whose
    # in ways not read here
    per_sentence = Counter((c.path, c.line, c.excerpt, c.fact) for c in claims)
    resolved = []
    for claim in claims:
        pattern = patterns.get(claim.org)
        if claim.subject is None and pattern is not None and claim.fact not in NO_SUBJECT and (
                per_sentence[(claim.path, claim.line, claim.excerpt, claim.fact)] == 1):
            names = {regex.sub(r"\s+", " ", m.group(0).casefold()) for m in pattern.finditer(claim.excerpt)}
            if len(names) == 1:
                claim = replace(claim, subject=names.pop(), meta=(*claim.meta, ("subject_from", "sentence")))
        resolved.append(claim)
    return resolved


# Two capitalised words in a row: a product's own name ("Planwerk Pro"), which may be another
# product than the one named elsewhere
_PRODUCT_NAME = compile_pattern(r"\p{Lu}[\w-]*\s+\p{Lu}", regex.V1)


def _one_thing(claims: list[Claim]) -> list[Claim]:
    """Where an organisation names one plan or product for a period and nothing else (a
    "Hafenpass" trial, and trials with no name), the periods with no name are about it too,
    unless their sentence names a product of its own."""
    names: dict[tuple, set[str | None]] = defaultdict(set)
    for claim in claims:
        if claim.fact in DURATION_FACTS and claim.subject is not None:
            names[(claim.org, claim.fact)].add(None if dict(claim.meta).get("generic") else claim.subject)
    only = {key: next(iter(found)) for key, found in names.items() if len(found) == 1 and None not in found}
    return [
        replace(claim, subject=only[key], meta=(*claim.meta, ("subject_from", "elsewhere")))
        if claim.subject is None and (key := (claim.org, claim.fact)) in only and not _PRODUCT_NAME.search(claim.excerpt) else claim
        for claim in claims
    ]


def _lone_labels(claims: list[Claim]) -> list[Claim]:
    """A label before a colon ("Bandung Raya: 1–2 hari kerja") names a case when its document
    states the fact for other cases too, or another document uses the label. A lone label over
    a document's only value of the fact ("Frühlingsstart: versandkostenfrei ab 50 €", "Don't
    forget: ...") tells nothing apart, and is more often a campaign or a remark than a thing."""
    documents: dict[tuple, set[str]] = defaultdict(set)
    values: dict[tuple, set[tuple]] = defaultdict(set)
    for claim in claims:
        values[(document_key(claim), claim.fact)].add(claim.key)
        if dict(claim.meta).get("subject_from") == "label":
            documents[(claim.org, claim.fact, claim.subject)].add(document_key(claim))
    return [
        replace(claim, subject=None, meta=tuple(m for m in claim.meta if m[0] != "subject_from"))
        if dict(claim.meta).get("subject_from") == "label" and len(documents[(claim.org, claim.fact, claim.subject)]) == 1
        and len(values[(document_key(claim), claim.fact)]) == 1 else claim
        for claim in claims
    ]
