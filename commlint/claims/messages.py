"""The words of a contradiction: what the fact is, what this place says, and what the others say.

Read from the finding's place: "Refund window (shop.example, no plan or product named): 14 days
here, but 30 days in web/refunds.html (and 2 more places)". The part before the colon says why the
places state one fact (reporters show it as the fact); every place taking part is also in the
finding's related locations, with its value.
"""
from __future__ import annotations

from .extract import FACT_LABELS, Claim

# On a tie the web site is named first: it is what most teams keep current.
CHANNEL_ORDER = {"web": 0, "email": 1, "social": 2, "draft": 3}
_NEED_NO_SUBJECT = ("phone", "email", "address")  # facts that are never about a plan or product


def head(claim: Claim) -> str:
    """The fact and why the places state the same one: what it is about, under which conditions,
    and whose ("Price of pro, students only (acme.co.uk)")."""
    label = FACT_LABELS.get(claim.fact, claim.fact)
    about = f" of {claim.subject}" if claim.subject else ""
    conditions = f", {' and '.join(claim.conditions)} only" if claim.conditions else ""
    why = [claim.org] if claim.org else []
    if not claim.subject and claim.fact not in _NEED_NO_SUBJECT:
        why.append("no plan or product named")
    return label[:1].upper() + label[1:] + about + conditions + (f" ({', '.join(why)})" if why else "")


def reading_order(claim: Claim) -> tuple:
    return (CHANNEL_ORDER.get(claim.channel, 4), claim.path, claim.line, claim.column)


def where(claim: Claim, here: Claim) -> str:
    """Where `claim` stands, for the reader of a finding at `here`: its file (and post or
    message), or its line when it is in the same document."""
    if claim.path == here.path and claim.unit == here.unit:
        return f"line {claim.line} of this document"
    return claim.path + (f" ({claim.unit.kind} {claim.unit.id})" if claim.unit else "")


def places(claims: list[Claim], here: Claim, preposition: bool = True) -> str:
    """The first place in reading order, and how many more say the same."""
    first = min(claims, key=reading_order)
    more = len(claims) - 1
    named = where(first, here)
    if not more:
        return (("on " if named.startswith("line ") else "in ") + named) if preposition else named
    counted = f"{more} more place{'s' if more > 1 else ''}"
    if preposition:
        return ("on " if named.startswith("line ") else "in ") + f"{named} (and {counted})"
    return f"{named} and {counted}"


def conflict(odd: Claim, odd_group: list[Claim], main: list[Claim], also: list[list[Claim]]) -> str:
    """`odd` states the value of `odd_group`; the most stated value is `main`'s; `also` are the
    other values held against it."""
    elsewhere = [c for c in odd_group if c is not odd]
    same_here = f" and {places(elsewhere, odd)}" if elsewhere else ""
    others = "".join(f", and {group[0].display} {places(group, odd)}" for group in also)
    return f"{head(odd)}: {odd.display} here{same_here}, but {main[0].display} {places(main, odd)}{others}"


def table_and_text(odd: Claim, table: Claim) -> str:
    """A page whose table gives one value and whose own text another."""
    return f"{head(odd)}: {odd.display} in this sentence, but {table.display} in the table on line {table.line} of the same page"


def against_declared(odd: Claim, display: str, agree: list[Claim], disagree: list[Claim]) -> str:
    """`odd` differs from the value declared in the configuration's [facts]; `agree` are the
    places that state the declared value, `disagree` the other places that do not."""
    notes = []
    if agree:
        notes.append(f"{places(agree, odd, False)} {'agree' if len(agree) > 1 else 'agrees'}")
    for value, group in _by_value(disagree):
        notes.append(f"{places(group, odd, False)} {'say' if len(group) > 1 else 'says'} {value}")
    detail = f" ({'; '.join(notes)})" if notes else ""
    return f"{head(odd)}: {odd.display} here, but the declared fact is {display}{detail}"


def _by_value(claims: list[Claim]) -> list[tuple[str, list[Claim]]]:
    groups: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=reading_order):
        groups.setdefault(claim.display, []).append(claim)
    return list(groups.items())
