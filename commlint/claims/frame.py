"""Is a number the fact at all, and under which conditions does it hold?

"8 years old", "a week before renewal", a prize, an order's line items and "24-hour roadside
assistance" next to a warranty are numbers, not facts a company states; "£9 for the first 3
months" is a price under a condition. Language words come from rules/claims/<lang>.yaml.
"""
from __future__ import annotations

from typing import Any

import regex

from ..model import Document
from .knowledge import Knowledge
from .values import Value

# What a period can plausibly be for each fact, in hours (a business day counts as 24, a month
# as 30 days): "24-hour roadside assistance" next to a warranty is no warranty of 24 hours, and
# "3 years" next to "reply" is no response time.
_PLAUSIBLE_HOURS = {
    "warranty-length": (24 * 28, None), "trial-length": (1, 24 * 366 * 2), "refund-window": (24, None),
    "return-window": (24, None), "response-time": (None, 24 * 31), "callback-time": (None, 24 * 14),
    "delivery-time": (None, 24 * 31 * 6), "processing-time": (None, 24 * 31 * 6), "refund-payout": (None, 24 * 31 * 6),
}


def _hours(key: tuple[Any, ...]) -> float:
    kind, amount = key[0], key[1]
    return amount if kind == "hours" else amount * 24 * 30 if kind == "months" else amount * 24


def plausible(fact: str, key: tuple[Any, ...]) -> bool:
    low, high = _PLAUSIBLE_HOURS.get(fact, (None, None))
    hours = _hours(key)
    return (low is None or hours >= low) and (high is None or hours <= high)


def not_a_period(text: str, value: Value, knowledge: Knowledge) -> bool:
    """An age, a time ago or a time before an event: "8 years old", "a week before renewal"."""
    after, before = knowledge.after_period_re, knowledge.before_period_re
    return bool(after is not None and after.match(text, value.end, value.end + 40)) or bool(
        before is not None and before.search(text, max(0, value.start - 30), value.start))


def deadline_before_event(text: str, value: Value, knowledge: Knowledge) -> bool:
    """A last moment counted back from an event: "cancel free of charge up to 3 days before
    pick-up", "ご出発の3日前まで". It is a window under its own condition, never the same fact as
    a window counted from the purchase."""
    after, before, one_word = knowledge.after_period_re, knowledge.deadline_before_re, knowledge.deadline_after_re
    if one_word is not None and one_word.match(text, value.end, value.end + 20):
        return True
    return bool(before is not None and after is not None and after.match(text, value.end, value.end + 40)
                and before.search(text, max(0, value.start - 30), value.start))


def is_receipt(doc: Document, knowledge: Knowledge | None) -> bool:
    """An order confirmation, a receipt or an invoice: a word of each of its two lists. (Its
    amounts are what one customer paid, not prices the company states.)"""
    if knowledge is None or knowledge.receipt_re is None or knowledge.total_re is None:
        return False
    head = doc.text[:DOCUMENT_READ]
    return knowledge.receipt_re.search(head) is not None and knowledge.total_re.search(head) is not None


DOCUMENT_READ = 200_000  # characters of a document read to tell whether it is a receipt
# Facts whose value depends on an offer's conditions ("first 3 months 99 kr", "students 15 %");
# a period's "first 30 days" is the period itself.
CONDITIONAL_FACTS = ("price", "discount", "free-shipping-threshold")


def conditions_of(text: str, value: Value, values: list[tuple[str, Value]], index: int, knowledge: Knowledge | None) -> tuple[str, ...]:
    """The conditions a value holds under: words between it and the value before it, or right
    after it up to a comma ("first 3 months 99 kr, then 299 kr": the 99 is a promotion)."""
    if knowledge is None or not knowledge.condition_res:
        return ()
    start = values[index - 1][1].end if index > 0 and values[index - 1][1].end <= value.start else 0
    stop = values[index + 1][1].start if index + 1 < len(values) and values[index + 1][1].start >= value.end else len(text)
    comma = regex.search(r"[,;]", text[value.end : stop])
    # before the value, only its own clause when another value precedes it: "£9 for the first 3
    # months, then £19" - the 19 is no promotion; but "For students, the plan is £12" - it is
    before = text[start : value.start]
    if index > 0:
        before = before[max(before.rfind(","), before.rfind(";")) + 1 :]
    span = before + " " + text[value.end : value.end + comma.start() if comma else stop]
    return tuple(sorted(name for name, pattern in knowledge.condition_res.items() if pattern.search(span)))


def question_conditions(question: str, knowledge: Knowledge | None) -> tuple[str, ...]:
    """The conditions a question just before a value asks about ("Are you a student?")."""
    if knowledge is None:
        return ()
    return tuple(sorted(name for name, pattern in knowledge.condition_res.items() if pattern.search(question)))


# example.com, example.net, example.org: reserved for examples (RFC 2606), in every language.
# (A whole fictional site under the .example TLD is a sender like any other: the fixtures are one.)
_EXAMPLE_DOMAINS = frozenset({"example"})


def example_address(address: str, knowledge: Knowledge | None) -> bool:
    """A made-up address shown as an example ("name@example.com", "deinname@beispiel.com")."""
    labels = address.rpartition("@")[2].split(".")
    if len(labels) < 2:
        return False
    return labels[-2] in _EXAMPLE_DOMAINS or (knowledge is not None and labels[-2] in knowledge.example_domains)
