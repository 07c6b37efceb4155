"""Stage 4a, across documents: what each claim is about.

A claim's own sentence, table row or label names its subject where it can (extract.py); here
the names the whole run gives complete it: a plan named elsewhere, the same table in another
language, the one product an organisation states a period for.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any, Callable, Generic, Iterable, TypeVar

import regex

from ..compiled import compile_pattern
from .extract import DEFAULT_SUBJECTS, DURATION_FACTS, Claim

NO_SUBJECT = ("name", "phone", "email", "address")  # facts that are their own subject
S = TypeVar("S")
M = TypeVar("M")


def document_key(claim: Claim) -> str:
    return claim.path + ("#" + claim.unit.id if claim.unit else "")


# Each step reads the whole run once for a few figures (gather), and then changes each claim
# with those figures alone (apply). Figures of parts of the run merge into the whole run's, so
# a cluster gathers them batch by batch, merges them, and applies them where the claims are,
# and no process holds every claim. A document's claims are always in one part.


@dataclass(frozen=True)
class Step(Generic[S, M]):
    gather: Callable[[list[Claim]], S]  # a part's figures
    merge: Callable[[list[S]], M]  # the parts' figures, in input order, into what apply reads
    apply: Callable[[list[Claim], M, tuple[str, ...]], list[Claim]]  # + the config's subject names


def resolve(claims: list[Claim], extra: Iterable[str] = ()) -> list[Claim]:
    """Every subject step, in order, over claims that carry their organisation."""
    names = tuple(extra)
    for step in STEPS:
        claims = step.apply(claims, step.merge([step.gather(claims)]), names)
    return claims


def known_subjects(claims: Iterable[Claim]) -> set[str]:
    """Names that plainly are plans ("the Pro plan", "Jahresabo"); a word that only headed a
    table row or stood before a price is not enough to spread. Any organisation's count."""
    return {c.subject for c in claims if c.subject and dict(c.meta).get("subject_from") in ("named", "adjacent")}


def _union(parts: list[set[str]]) -> set[str]:
    return set().union(*parts)


def resolve_subjects(claims: list[Claim], known: set[str], extra: tuple[str, ...]) -> list[Claim]:
    """A claim without an explicit subject takes the nearest capitalised word that names a
    plan or product somewhere in the run ("Pro is now $25" -> Pro, known from "the Pro plan")."""
    # Names that plainly are plans, or that the config lists.
    known = known | {s.casefold() for s in extra}
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

Table = tuple[str | None, tuple[tuple[str | None, tuple], ...]]  # its language; its rows' (subject, value)
Tables = dict[tuple, list[Table]]  # (organisation, fact) -> its tables, in input order
Renames = dict[tuple, str | None]  # (organisation, language, subject) -> the subject in the first language


def _tables(claims: list[Claim]) -> Tables:
    """Each document's table of a fact, as its rows' subjects and values."""
    rows_of: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.org is not None and dict(claim.meta).get("subject_from") == "row":
            rows_of[(claim.org, claim.lang, document_key(claim), claim.fact)].append(claim)
    tables: Tables = defaultdict(list)
    for (org, lang, _, fact), rows in rows_of.items():
        if len(rows) >= MIN_ROWS and len(tables[(org, fact)]) < MAX_TABLES:
            ordered = sorted(rows, key=lambda c: (c.line, c.column))[:MAX_ROWS]
            tables[(org, fact)].append((lang, tuple((c.subject, c.key) for c in ordered)))
    return tables


def _merge_tables(parts: list[Tables]) -> Renames:
    """The run's tables, and from them the renames: two language versions of one table name
    their rows in two languages ("Voksen" and "Adult"). Where an organisation's tables in two
    languages have as many rows and most rows state the same value, row i names one thing in
    both: the second language's names are read as the first's, so the row whose value differs
    is compared."""
    tables: Tables = defaultdict(list)
    for part in parts:
        for key, found in part.items():
            tables[key].extend(found[: MAX_TABLES - len(tables[key])])
    renames: Renames = {}
    for (org, _), versions in tables.items():
        for i, (first_lang, first) in enumerate(versions):
            for other_lang, other in versions[i + 1 :]:
                if other_lang == first_lang:
                    continue
                # rows with equal values in order, and a row or two whose value changed in one
                # language with as many rows on each side
                matcher = SequenceMatcher(None, [value for _, value in first], [value for _, value in other], autojunk=False)
                opcodes = matcher.get_opcodes()
                same = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag == "equal")
                if same < MIN_SAME or same * 2 < min(len(first), len(other)):
                    continue
                for tag, i1, i2, j1, j2 in opcodes:
                    if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1 <= MAX_CHANGED):
                        for (name, _), (translated, _) in zip(first[i1:i2], other[j1:j2]):
                            if name != translated:
                                key = (org, other_lang, translated)
                                # a name read as two different names is no translation
                                renames[key] = name if renames.get(key, name) == name else None
    return renames


def _align_translations(claims: list[Claim], renames: Renames, extra: tuple[str, ...] = ()) -> list[Claim]:
    if not renames:
        return claims
    return [
        replace(claim, subject=target) if claim.subject is not None and (target := renames.get((claim.org, claim.lang, claim.subject))) else claim
        for claim in claims
    ]


MAX_NAMES = 300  # names of plans and products looked for per organisation, the most stated first
Names = dict[str | None, Counter]  # organisation -> how often each plan or product is named


def _names(claims: list[Claim]) -> Names:
    counts: Names = defaultdict(Counter)
    for claim in claims:
        meta = dict(claim.meta)
        if claim.subject and meta.get("subject_from") in ("named", "adjacent", "row", "label") and not meta.get("generic") and (
                len(claim.subject) >= 3 and regex.search(r"\p{L}", claim.subject)):
            counts[claim.org][claim.subject] += 1
    return counts


def _merge_names(parts: list[Names]) -> dict[str | None, tuple[str, ...]]:
    """The names each organisation's claims are searched for: its most stated, longest first."""
    counts: Names = defaultdict(Counter)
    for part in parts:
        for org, found in part.items():
            counts[org].update(found)
    return {org: tuple(sorted((n for n, _ in found.most_common(MAX_NAMES)), key=len, reverse=True)) for org, found in counts.items()}


def _named_in_sentence(claims: list[Claim], names: dict[str | None, tuple[str, ...]], extra: tuple[str, ...] = ()) -> list[Claim]:
    """A claim with no subject whose sentence names a plan or product the organisation names
    elsewhere (a table row "Nordlys Smart 30 GB" and "Mit Nordlys Smart 30 GB (429 NOK pro
    Monat)") is about it, when the sentence names no other."""
    patterns = {
        org: compile_pattern(r"(?<![\w])(?:" + "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in found) + r")(?![\w])",
                             regex.IGNORECASE | regex.V1)
        for org, found in names.items() if found
    }
    # a sentence stating two values of the fact ("449 kr, students 349 kr") says which is whose
    # in ways not read here
    per_sentence = Counter((c.path, c.line, c.excerpt, c.fact) for c in claims)
    resolved = []
    for claim in claims:
        pattern = patterns.get(claim.org)
        if claim.subject is None and pattern is not None and claim.fact not in NO_SUBJECT and (
                per_sentence[(claim.path, claim.line, claim.excerpt, claim.fact)] == 1):
            named = {regex.sub(r"\s+", " ", m.group(0).casefold()) for m in pattern.finditer(claim.excerpt)}
            if len(named) == 1:
                claim = replace(claim, subject=named.pop(), meta=(*claim.meta, ("subject_from", "sentence")))
        resolved.append(claim)
    return resolved


# Two capitalised words in a row: a product's own name ("Planwerk Pro"), which may be another
# product than the one named elsewhere
_PRODUCT_NAME = compile_pattern(r"\p{Lu}[\w-]*\s+\p{Lu}", regex.V1)
Periods = dict[tuple, set[str | None]]  # (organisation, fact) -> the names its periods are stated for


def _periods(claims: list[Claim]) -> Periods:
    names: Periods = defaultdict(set)
    for claim in claims:
        if claim.fact in DURATION_FACTS and claim.subject is not None:
            names[(claim.org, claim.fact)].add(None if dict(claim.meta).get("generic") else claim.subject)
    return names


def _merge_periods(parts: list[Periods]) -> dict[tuple, str | None]:
    """Each (organisation, fact) whose periods name one thing only, with that thing."""
    names: Periods = defaultdict(set)
    for part in parts:
        for key, found in part.items():
            if len(names[key]) < 2:  # two names already tell it is not one thing
                names[key] |= found
    return {key: next(iter(found)) for key, found in names.items() if len(found) == 1 and None not in found}


def _one_thing(claims: list[Claim], only: dict[tuple, str | None], extra: tuple[str, ...] = ()) -> list[Claim]:
    """Where an organisation names one plan or product for a period and nothing else (a
    "Hafenpass" trial, and trials with no name), the periods with no name are about it too,
    unless their sentence names a product of its own."""
    return [
        replace(claim, subject=only[key], meta=(*claim.meta, ("subject_from", "elsewhere")))
        if claim.subject is None and (key := (claim.org, claim.fact)) in only and not _PRODUCT_NAME.search(claim.excerpt) else claim
        for claim in claims
    ]


Labels = dict[tuple, set[str]]  # (organisation, fact, label) -> documents using it (two at most)


def _labels(claims: list[Claim]) -> Labels:
    documents: Labels = defaultdict(set)
    for claim in claims:
        if dict(claim.meta).get("subject_from") == "label":
            documents[(claim.org, claim.fact, claim.subject)].add(document_key(claim))
    return documents


def _merge_labels(parts: list[Labels]) -> Labels:
    documents: Labels = defaultdict(set)
    for part in parts:
        for key, found in part.items():
            if len(documents[key]) < 2:  # a label two documents use is kept: that is all it asks
                documents[key] |= found
    return documents


def _lone_labels(claims: list[Claim], documents: Labels, extra: tuple[str, ...] = ()) -> list[Claim]:
    """A label before a colon ("Bandung Raya: 1–2 hari kerja") names a case when its document
    states the fact for other cases too, or another document uses the label. A lone label over
    a document's only value of the fact ("Frühlingsstart: versandkostenfrei ab 50 €", "Don't
    forget: ...") tells nothing apart, and is more often a campaign or a remark than a thing."""
    values: dict[tuple, set[tuple]] = defaultdict(set)  # a document's values: its claims are all here
    for claim in claims:
        values[(document_key(claim), claim.fact)].add(claim.key)
    return [
        replace(claim, subject=None, meta=tuple(m for m in claim.meta if m[0] != "subject_from"))
        if dict(claim.meta).get("subject_from") == "label" and len(documents.get((claim.org, claim.fact, claim.subject), ())) == 1
        and len(values[(document_key(claim), claim.fact)]) == 1 else claim
        for claim in claims
    ]


STEPS: tuple[Step[Any, Any], ...] = (
    Step(_labels, _merge_labels, _lone_labels),
    Step(known_subjects, _union, resolve_subjects),
    Step(_tables, _merge_tables, _align_translations),
    Step(_names, _merge_names, _named_in_sentence),
    Step(_periods, _merge_periods, _one_thing),
)
