"""Stage 4b, across documents: group the claims, and report each fact stated differently.

Claims are grouped by (fact, subject) in one pass, so the work is linear in the number of
claims; only the values inside one group are compared.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import regex

from ..compiled import compile_pattern
from ..model import Finding, Related
from . import messages
from .extract import FACT_LABELS, Claim
from .senders import Organisations, attribute
from .subjects import NO_SUBJECT, document_key, resolve

if TYPE_CHECKING:
    from ..rules.accepted import AcceptedTerms

# One rule per fact type, so `--ignore contradiction/phone` works like any other rule.
CLAIM_RULES = {
    **{f"contradiction/{fact}": f"The {label} stated differently in two places, or unlike the declared `facts`"
       for fact, label in FACT_LABELS.items() if fact != "name"},
    "terminology/spelling": "A brand or product name spelled two ways across documents",
    "terminology/preferred": "A deprecated term where the configuration names a preferred one",
}


@dataclass
class ClaimSettings:
    declared: dict[tuple[str, str | None], tuple[tuple, str]] = field(default_factory=dict)  # (fact, subject) -> (key, display)
    subjects: tuple[str, ...] = ()  # extra plan/product names from the config
    preferred: dict[str, str] = field(default_factory=dict)  # deprecated spelling (folded) -> preferred
    accepted: "AcceptedTerms | None" = None  # the team's accepted terms: no terminology finding
    severity: str = "error"
    organisations: Organisations = field(default_factory=Organisations)
    # filled in by compare(): documents whose organisation could not be told, so compared with none
    unattributed: list[str] = field(default_factory=list)
    organisation_count: int = 0




def _group_key(claim: Claim) -> tuple:
    # Only the same organisation's statements of one fact about one thing, under the same
    # conditions, are compared. A price differs from a price in another currency or period
    # only as a conversion would.
    if claim.fact in ("price", "free-shipping-threshold"):
        return (claim.org, claim.fact, claim.subject, claim.conditions, claim.key[1], claim.key[3])
    return (claim.org, claim.fact, claim.subject, claim.conditions)


def attribute_claims(claims: list[Claim], organisations: Organisations) -> tuple[list[Claim], list[str], int]:
    """Each claim with its organisation; the documents no organisation could be told for; and
    how many organisations the run holds."""
    orgs, unattributed, count = attribute_documents(document_senders(claims, organisations))
    return [replace(claim, org=orgs[document_key(claim)]) for claim in claims], unattributed, count


def document_senders(claims: list[Claim], organisations: Organisations) -> dict[str, tuple[str, str | None, bool]]:
    """Per document (its key): its file, its sender's organisation, and whether it is anonymous.
    One small record per document: a cluster gathers these, not the claims, to attribute them."""
    senders: dict[str, tuple[str, str | None]] = {}
    for claim in claims:  # one sender per document
        senders.setdefault(document_key(claim), (claim.path, organisations.of(claim.path, claim.sender)))
    # one post of a social export with no account named: whose words it is cannot be told
    anonymous = frozenset(document_key(c) for c in claims if c.channel == "social" and c.unit is not None and not c.sender)
    return {key: (path, org, key in anonymous) for key, (path, org) in senders.items()}


def attribute_documents(senders: dict[str, tuple[str, str | None, bool]]) -> tuple[dict[str, str | None], list[str], int]:
    """Each document's organisation, the files left unattributed, and how many organisations."""
    anonymous = frozenset(key for key, (_, _, alone) in senders.items() if alone)
    orgs, unattributed = attribute({key: org for key, (_, org, _) in senders.items()}, {key: path for key, (path, _, _) in senders.items()}, anonymous)
    count = len({org for org in orgs.values() if org})
    return orgs, sorted({senders[k][0] for k in unattributed}), count


# A price with no plan or product named, or a discount with no offer or condition, is compared
# with nothing: a page of several products, an order's line items or a newsletter of several
# offers names several amounts, and two of them are rarely one fact.
NEEDS_SUBJECT = ("price", "discount")


DAYS_PER_MONTH = 30
BUSINESS_DAYS_PER_WEEK = 5


def _duration_days(key: tuple) -> tuple[str, float] | None:
    """("calendar", days) or ("business", days) for a duration key, else None."""
    if not key or key[0] not in ("hours", "months", "business-days"):
        return None
    amount = float(key[1])
    if key[0] == "hours":
        return ("calendar", amount / 24)
    if key[0] == "months":
        return ("calendar", amount * DAYS_PER_MONTH)
    return ("business", amount)


def _same_duration(a: tuple, b: tuple) -> bool | None:
    """True when two periods written in other units are the same ("1 month" and "30 days", "2
    weeks" and "14 days"), False when they plainly differ, None when they can't be told apart
    ("10 working days" may be "14 days")."""
    x, y = _duration_days(a), _duration_days(b)
    if x is None or y is None:
        return None
    if len(a) > 2 or len(b) > 2:  # a range ("2–4 working days") is compared as written
        return a == b if x[0] == y[0] else None
    if x[0] == y[0]:
        return abs(x[1] - y[1]) <= (2 if x[0] == "calendar" and max(x[1], y[1]) >= 28 else 0)
    business, calendar = (x[1], y[1]) if x[0] == "business" else (y[1], x[1])
    # "10 working days" and "14 days" may well be one period (two weekends between); "1 working
    # day" and "48 hours" are not
    if business >= BUSINESS_DAYS_PER_WEEK:
        return None if abs(calendar - business / BUSINESS_DAYS_PER_WEEK * 7) <= 2 else False
    return None if calendar == business else False


def _comparable(fact: str, a: tuple, b: tuple, same_language: bool = True) -> bool:
    """Phones and e-mail addresses differ legitimately (sales vs support, hjelp@ for Norway and
    hilfe@ for Germany); two that look like the same one with a slip are a contradiction."""
    if _duration_days(a) is not None and _duration_days(b) is not None:
        return _same_duration(a, b) is False
    if fact == "support-hours":
        return bool(set(a[1]) & set(b[1]))  # Saturday hours and weekday hours are two facts
    if fact == "address":
        # offices in several towns are fine; the same street with another number or postcode,
        # or the same postcode with another street number, is a slip
        return len(a) == len(b) == 4 and (a[1] == b[1] or a[3] == b[3])
    if fact == "phone":
        x, y = a[1], b[1]
        return len(x) == len(y) and sum(p != q for p, q in zip(x, y)) <= 2
    if fact == "email":
        # An organisation publishes many addresses (legal@, appeals@, info@): two of them are a
        # contradiction only when one looks like the other with a slip: the same mailbox on
        # another domain (support@shop.io, support@shop.de) or a mailbox one letter off on the
        # same domain (kundeservice@, kundesevice@).
        (local_a, _, domain_a), (local_b, _, domain_b) = a[1].partition("@"), b[1].partition("@")
        if any(role in local for local in (local_a, local_b) for role in _OTHER_ROLES):
            return False  # press@, jobs@, billing@: another desk, not another support address
        if local_a == local_b:
            return True
        return domain_a == domain_b and same_language and _distance(local_a, local_b) <= 1 < min(len(local_a), len(local_b))
    return True


_OTHER_ROLES = ("sales", "press", "presse", "media", "jobs", "career", "karriere", "privacy", "datenschutz",
                "personvern", "dpo", "billing", "invoice", "faktura", "rechnung", "noreply", "no-reply",
                "abuse", "security", "investor", "partner", "marketing", "newsletter")


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


MAX_RELATED = 100  # a fact repeated on thousands of pages: the first hundred places are named


def _finding(rule: str, odd: Claim, message: str, others: list[Claim], severity: str, suggestion: str) -> Finding:
    related = tuple(Related(c.path, c.line, c.column, c.excerpt[:120], value=c.display) for c in others[:MAX_RELATED])
    return Finding(
        rule=rule, category=rule.split("/")[0], severity=severity, path=odd.path, line=odd.line, column=odd.column,
        end_line=odd.line, end_column=odd.column + len(odd.written), channel=odd.channel, lang=odd.lang,
        message=message, excerpt=odd.excerpt, suggestion=suggestion, unit=odd.unit, related=related,
        source_line=odd.source_line, value=odd.display if rule.startswith("contradiction/") else None,
    )


def understand(claims: list[Claim], settings: ClaimSettings) -> list[Claim]:
    """Each claim with its organisation and its subject as the comparison reads them: what
    `commlint facts` shows is exactly what is compared."""
    claims, settings.unattributed, settings.organisation_count = attribute_claims(claims, settings.organisations)
    return resolve(claims, settings.subjects)


def compare(claims: list[Claim], settings: ClaimSettings | None = None) -> list[Finding]:
    settings = settings or ClaimSettings()
    claims = understand(claims, settings)
    return compare_resolved(claims, settings, spread_of(claims))


def place(item: Claim | Finding) -> tuple:
    """Where a claim stands, or a finding about it: a finding's words are the claim's there."""
    return (item.path, item.unit, item.line, item.column)


def comparison_part(claim: Claim) -> tuple:
    """What a claim is compared within: its organisation's statements of one fact about one
    thing (a name: one name). Claims of different parts are never compared with each other, so
    a cluster compares the parts apart."""
    return (claim.org, claim.fact, claim.key if claim.fact == "name" else claim.subject)


def spread_of(claims: list[Claim]) -> Counter:
    """How many documents give each number or address, under any desk: one several give is a
    line of its own. Documents are counted where their claims are, so parts add up."""
    documents: dict[tuple, set[str]] = defaultdict(set)
    for claim in claims:
        if claim.fact in ("phone", "email") and claim.org is not None:
            documents[(claim.org, claim.key)].add(document_key(claim))
    return Counter({key: len(found) for key, found in documents.items()})


def merge_spread(parts: list[Counter]) -> Counter:
    total: Counter = Counter()
    for part in parts:
        total.update(part)
    return total


def compare_resolved(claims: list[Claim], settings: ClaimSettings, spread: Counter) -> list[Finding]:
    """The findings among claims whose organisation and subject are told: the whole run's, or
    some parts of it (comparison_part) with the whole run's spread."""
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    names: list[Claim] = []
    for claim in claims:
        if claim.org is None:
            continue  # whose it is cannot be told: compared with nothing
        if claim.fact == "name":
            names.append(claim)
        elif claim.fact in NEEDS_SUBJECT and claim.subject is None and (claim.fact, None) not in settings.declared and not (
                claim.fact == "discount" and claim.conditions):
            continue
        else:
            groups[_group_key(claim)].append(claim)
    findings: list[Finding] = []
    for key, members in groups.items():
        declared = settings.declared.get((key[1], key[2])) if not key[3] else None
        for part in _day_clusters(members) if key[1] == "support-hours" else [members]:
            if declared is not None:
                # the declared value is the reference: a place that differs from it is reported
                # once, against it, and not again against the other places
                judged = _against_declared(part, declared, settings)
                findings.extend(judged.findings)
                part = judged.rest
            if part:
                findings.extend(_conflicts(part, settings, spread))
    findings.extend(_spelling(names, settings))
    return findings


def _day_clusters(members: list[Claim]) -> list[list[Claim]]:
    """Opening hours whose days overlap are one fact (Mon–Fri vs Mon–Sat); weekday hours and
    Saturday hours are two. Clusters the few distinct day sets, so it stays linear in claims."""
    # "around the clock" is compared only with itself: most often another line (emergencies, a
    # gym's doors), and it must not join weekday and Saturday hours into one fact
    always = [claim for claim in members if tuple(claim.key[2:]) == (0, 1440)]
    by_days: dict[frozenset[int], list[Claim]] = defaultdict(list)
    for claim in members:
        if tuple(claim.key[2:]) != (0, 1440):
            by_days[frozenset(claim.key[1])].append(claim)
    clusters: list[tuple[set[int], list[frozenset[int]]]] = []
    for days in by_days:
        touching = [c for c in clusters if c[0] & days]
        merged_days, merged = set(days), [days]
        for cluster in touching:
            merged_days |= cluster[0]
            merged.extend(cluster[1])
            clusters.remove(cluster)
        clusters.append((merged_days, merged))
    return [[claim for days in day_sets for claim in by_days[days]] for _, day_sets in clusters] + ([always] if always else [])


def _conflicts(members: list[Claim], settings: ClaimSettings, spread: Counter) -> list[Finding]:
    # A document that itself states two values of the fact (three plans in a table, the shop's
    # hours and the phone line's, mainland and island delivery) has cases that were not told
    # apart: its values are compared with nothing, as which of them another document means
    # would be a guess.
    per_document: dict[str, set[tuple]] = defaultdict(set)
    for claim in members:
        per_document[document_key(claim)].add(claim.key)
    inside = _table_against_text(members, per_document, settings)
    if members[0].fact not in ("phone", "email", "address"):  # a page lists several desks' numbers
        members = [c for c in members if len(keys := per_document[document_key(c)]) == 1 or _all_same(keys)]
    by_value: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in members:
        by_value[claim.key].append(claim)
    if len(by_value) < 2:
        return inside
    fact = members[0].fact
    # Most often stated value first: the odd ones out are reported against it.
    # On a tie the web site is taken as the reference: it is what most teams keep current.
    ranked = sorted(by_value.values(), key=lambda g: (-len(g), min(messages.CHANNEL_ORDER.get(c.channel, 4) for c in g), g[0].path, g[0].line))
    # Each value is held against the most stated value it can be compared with: the shop's
    # landline with a slip is held against the landline, not against the WhatsApp number that
    # more pages give.
    pairs = []
    for index, group in enumerate(ranked[1:], 1):
        if fact in ("phone", "email") and spread.get((group[0].org, group[0].key), 1) > 1:
            continue  # a number or address several documents give is a line of its own, not a slip
        langs = {c.lang for c in group}
        reference = next((h for h in ranked[:index] if (_comparable(fact, h[0].key, group[0].key, bool(langs & {c.lang for c in h}))
                          or _one_desk(h[0], group[0])) and not _other_lines(h, group)), None)
        if reference is not None:
            pairs.append((reference, group))
    if not pairs:
        return []
    main = pairs[0][0]
    odd_groups = [group for reference, group in pairs if reference is main]
    odd = odd_groups[0][0]
    others = [c for c in members if c is not odd]
    message = messages.conflict(odd, odd_groups[0], main, odd_groups[1:])
    suggestion = f"Make every place say the same {FACT_LABELS.get(fact, fact)}, or name the plan or case each one is about"
    # Only a conflict whose subject stands in both sentences (or that names none on either side)
    # is an error; a subject taken from a heading or a table row elsewhere may be wrong: info.
    severity = settings.severity if _sure(main[0]) and _sure(odd) else "info"
    return inside + [_finding(f"contradiction/{fact}", odd, message, others, severity, suggestion)]


_TEXT_ORIGINS = ("named", "adjacent", "label", "sentence")  # a subject the sentence itself names


def _table_against_text(members: list[Claim], per_document: dict[str, set[tuple]], settings: ClaimSettings) -> list[Finding]:
    """A page whose table gives a plan one value and whose own text, in a sentence naming the
    plan, another ("Intensivkurs | 420 €", and in the FAQ "Der Intensivkurs kostet 440 €"). Two
    values in one table row (with and without VAT) or in one sentence are cases, not a conflict."""
    if members[0].subject is None or members[0].fact in NO_SUBJECT:
        return []
    by_document: dict[str, list[Claim]] = defaultdict(list)
    for claim in members:
        if len(per_document[document_key(claim)]) == 2:
            by_document[document_key(claim)].append(claim)
    findings = []
    for found in by_document.values():
        rows = [c for c in found if dict(c.meta).get("subject_from") == "row"]
        text = [c for c in found if dict(c.meta).get("subject_from") in _TEXT_ORIGINS and c.excerpt not in {r.excerpt for r in rows}]
        if len(rows) + len(text) != len(found) or len({c.key for c in rows}) != 1 or len({c.key for c in text}) != 1:
            continue
        table, odd = rows[0], text[0]
        if table.key == odd.key or not _comparable(odd.fact, table.key, odd.key):
            continue
        message = messages.table_and_text(odd, table)
        suggestion = "Make the table and the text say the same, or name the case each one is about"
        others = [c for c in members if c is not odd]
        findings.append(_finding(f"contradiction/{odd.fact}", odd, message, others, settings.severity, suggestion))
    return findings


def _one_desk(a: Claim, b: Claim) -> bool:
    """Two customer-service mailboxes of one domain (service@, support@): one address said two
    ways, where legal@ and appeals@ are other desks."""
    return a.fact == "email" and all(dict(c.meta).get("subject_from") == "support-mailbox" for c in (a, b)) and (
        a.key[1].partition("@")[2] == b.key[1].partition("@")[2])


def _other_lines(a: list[Claim], b: list[Claim]) -> bool:
    """Hours given with one phone number each, and no number in common: two desks' hours."""
    lines_a = {line for c in a if (line := dict(c.meta).get("line"))}
    lines_b = {line for c in b if (line := dict(c.meta).get("line"))}
    # (a one-digit slip in the number is the same line written wrong)
    return bool(lines_a and lines_b) and all(_distance(x, y) > 1 for x in lines_a for y in lines_b)


def _all_same(keys: set[tuple]) -> bool:
    """Values that are one period in other units ("2 weeks", "14 days")."""
    first, *rest = keys
    return all(_same_duration(first, other) is True for other in rest)


def _sure(claim: Claim) -> bool:
    return claim.subject is None or dict(claim.meta).get("subject_from") in ("named", "adjacent", "row", "label", "sentence")


@dataclass
class _Judged:
    findings: list[Finding]
    rest: list[Claim]  # neither agrees nor plainly differs ("10 working days" against "14 days")


def _against_declared(members: list[Claim], declared: tuple[tuple, str], settings: ClaimSettings) -> _Judged:
    """One finding per document that states a value other than the declared one, naming the
    places that agree with the declaration and those that do not."""
    key, display = declared
    agree = [c for c in members if c.key == key or _same_duration(key, c.key) is True]
    agreeing = {id(c) for c in agree}
    disagree = [c for c in members if id(c) not in agreeing and _comparable(c.fact, key, c.key)]
    by_document: dict[str, list[Claim]] = defaultdict(list)
    for claim in disagree:
        by_document[document_key(claim)].append(claim)
    findings = []
    for found in by_document.values():
        odd = found[0]
        others = [c for c in disagree if c is not odd]
        message = messages.against_declared(odd, display, agree, others)
        related = sorted(agree + others, key=messages.reading_order)
        findings.append(_finding(f"contradiction/{odd.fact}", odd, message, related, settings.severity,
                                 f"Change it to {display}, or update `facts` in the configuration"))
    judged = {id(c) for c in agree + disagree}
    return _Judged(findings, [c for c in members if id(c) not in judged])


COMMON_ZIPF = 3.0  # about once per million words: a word every reader knows
_NAME_PARTS = compile_pattern(r"\p{Lu}\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{Ll}+", regex.V1)


_CAMEL = compile_pattern(r"\p{Ll}\p{Lu}", regex.V1)


def _coined(name: str, lang: str | None) -> bool:
    """A brand's own spelling: written solid with a capital inside ("NordlysFiber"), or with a
    word no dictionary holds ("Epassi Service"). "Third Party" / "Third-Party" and
    "Support-Team" / "Supportteam" are ordinary words whose spacing follows grammar (a compound
    before a noun takes a hyphen), not a house spelling to keep."""
    from ..wordfreqs import zipf

    if _CAMEL.search(name):
        return True
    langs = tuple(dict.fromkeys(x for x in (lang, "en") if x))
    return any(zipf(part.casefold(), langs) < COMMON_ZIPF for part in _NAME_PARTS.findall(name))


def _spelling(names: list[Claim], settings: ClaimSettings) -> list[Finding]:
    """The same name spelled with different spaces, hyphens or capitals ("Nordlys Fiber" /
    "NordlysFiber"), and deprecated terms the configuration replaces."""
    findings: list[Finding] = []
    # Spelling is compared within one language: "Ad Blocker" in English is "Ad-Blocker" in
    # German, where a compound takes a hyphen, and neither is a slip.
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    accepted = settings.accepted.whole if settings.accepted is not None else (lambda written, lang: False)
    for claim in names:
        by_key[(claim.org, claim.key, claim.lang)].append(claim)
        preferred = settings.preferred.get(claim.written.casefold())
        if preferred and not accepted(claim.written, claim.lang):
            findings.append(_finding("terminology/preferred", claim, f"“{claim.written}”: write “{preferred}”", [],
                                     "warning", f"Use the preferred term “{preferred}”"))
    for members in by_key.values():
        spellings = Counter(c.written for c in members)
        if len(spellings) < 2 or not any(_coined(written, members[0].lang) for written in spellings):
            continue
        main, count = spellings.most_common(1)[0]
        if count < 2:
            continue  # no clear house spelling to hold the others to
        for spelling, _ in spellings.most_common()[1:]:
            odd = next(c for c in members if c.written == spelling)
            if accepted(spelling, odd.lang):
                continue  # the team's own accepted spelling
            others = [c for c in members if c.written == main]
            findings.append(_finding("terminology/spelling", odd, f"“{spelling}” is written “{main}” in {count} other places",
                                     others[:10], "warning", f"Write “{main}” everywhere"))
    return findings
