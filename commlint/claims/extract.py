"""Stage 4a, per document: the typed facts a document states, each with its exact location.

Runs in the parallel per-document step, right after the rules; the comparison across
documents (compare.py) runs once all documents are done.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

import regex

from ..compiled import compile_pattern
from ..model import Document, Unit
from ..sentences import iter_sentence_spans
from .cues import Sentence, nearest_fact
from .frame import CONDITIONAL_FACTS, conditions_of, deadline_before_event, example_address, is_receipt, not_a_period, plausible, question_conditions
from .knowledge import Knowledge
from .labels import MAX_CELL, Table, canonical_subject, colon_label, is_short, name_like, row_label
from .senders import country_of, sender_of
from .values import Value, addresses, billed, durations, emails, opening_hours, percents, phones, prices

DURATION_FACTS = (
    "refund-window", "return-window", "refund-payout", "response-time", "delivery-time",
    "trial-length", "warranty-length", "callback-time", "processing-time",
)
FACT_LABELS = {
    "refund-window": "refund window", "return-window": "return window", "refund-payout": "refund payout time",
    "response-time": "support response time", "delivery-time": "delivery time", "trial-length": "free-trial length",
    "warranty-length": "warranty length", "callback-time": "call-back time", "processing-time": "processing time", "price": "price",
    "discount": "discount", "free-shipping-threshold": "free-shipping threshold", "support-hours": "support hours",
    "phone": "support phone", "email": "support e-mail address", "address": "postal address", "name": "name",
}
_CAPITALISED = compile_pattern(r"(?<![\w#@./])(\p{Lu}[\p{L}\d+]*)(?![\w@]|\.\w)", regex.V1)
_BRAND = compile_pattern(
    r"(?<![\w#@./-])(?:\p{Lu}\p{Ll}+\p{Lu}[\p{L}]*|\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+)+)(?![\w@-]|\.[a-z])", regex.V1
)


@dataclass(frozen=True)
class Claim:
    """One fact as one document states it."""

    fact: str
    key: tuple[Any, ...]
    display: str  # normalised, in words ("30 days")
    written: str  # as it stands in the text
    subject: str | None  # explicit subject ("pro", "annual"), or None
    candidates: tuple[str, ...]  # capitalised words around it, to resolve a subject later
    path: str
    line: int
    column: int
    excerpt: str
    channel: str
    lang: str
    unit: Unit | None = None
    meta: tuple[tuple[str, str], ...] = field(default=())
    sender: str | None = None  # the document's host, e-mail domain or "@account" (senders.py)
    org: str | None = None  # set by compare(): the organisation the claim is compared within
    conditions: tuple[str, ...] = ()  # promotion, student, per-person ...: what the value holds under
    source_line: str = ""  # the stored line, so a finding shows it as every rule's finding does

    @property
    def label(self) -> str:
        return FACT_LABELS.get(self.fact, self.fact)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "fact": self.fact, "subject": self.subject, "value": self.display, "written": self.written,
            "path": self.path, "line": self.line, "column": self.column, "channel": self.channel,
            "lang": self.lang, "excerpt": self.excerpt,
        }
        if self.unit:
            data["unit"] = self.unit.to_json()
        if self.org is not None:
            data["organisation"] = self.org or None
        if self.conditions:
            data["conditions"] = list(self.conditions)
        if self.subject and (origin := dict(self.meta).get("subject_from")):
            data["subject_from"] = origin  # how sure the subject is: named in the sentence, a row, a heading
        return data


# A sentence is read for facts as a whole; a longer run without a sentence end (a list pasted as
# one line, a hostile file) is read in pieces of this many characters, cut at spaces, so the
# work per value stays bounded.
MAX_SENTENCE = 500


def _sentences(text: str, lang: str | None = None) -> Iterator[tuple[int, str]]:
    """Sentences with their offsets, as commlint.sentences splits them ("support@shop.io." and
    "kl. 08.00" stay whole), each in bounded pieces. (One at a time: a 10 MB block holds
    hundreds of thousands.)"""
    for start, end in iter_sentence_spans(text, lang=lang):
        yield from _bounded(start, text[start:end])


def _bounded(offset: int, sentence: str) -> list[tuple[int, str]]:
    """The sentence, or pieces of at most MAX_SENTENCE characters cut after a space."""
    if len(sentence) <= MAX_SENTENCE:
        return [(offset, sentence)]
    pieces, at = [], 0
    while len(sentence) - at > MAX_SENTENCE:
        cut = sentence.rfind(" ", at + MAX_SENTENCE // 2, at + MAX_SENTENCE)
        cut = cut + 1 if cut != -1 else at + MAX_SENTENCE
        if sentence[at:cut].strip():
            pieces.append((offset + at, sentence[at:cut]))
        at = cut
    if sentence[at:].strip():
        pieces.append((offset + at, sentence[at:]))
    return pieces


class _Reader:
    """Caches for the sentence and context being read: what they say is asked once for all their
    values. Only the latest few texts are kept (MAX_CACHED), so memory does not grow with the
    document."""

    MAX_CACHED = 64

    def _room(self, cache: dict[Any, Any]) -> None:
        if len(cache) >= self.MAX_CACHED:
            cache.clear()

    def __init__(self) -> None:
        self._mentions: dict[tuple[int, str], tuple[list[int], list[tuple[int, str]]]] = {}
        self._capitals: dict[str, tuple[list[int], list[tuple[str, int]]]] = {}
        self._context_facts: dict[tuple[int, str, tuple[str, ...]], str | None] = {}

    def context_fact(self, context: str, facts: tuple[str, ...], knowledge: Knowledge | None = None) -> str | None:
        key = (id(knowledge), context, facts)
        if key not in self._context_facts:
            self._room(self._context_facts)
            found = None
            for fact in facts:
                pattern = knowledge.cue_res.get(fact) if knowledge is not None else None
                if pattern is not None and pattern.search(context):
                    found = fact
                    break
            self._context_facts[key] = found
        return self._context_facts[key]

    def mentions(self, text: str, knowledge: Knowledge) -> tuple[list[int], list[tuple[int, str]]]:
        """Subject mentions in `text`, sorted, with their positions for bisection."""
        key = (id(knowledge), text)
        if key not in self._mentions:
            self._room(self._mentions)
            found: list[tuple[int, str]] = []
            if knowledge.subject_re is not None:
                found += [(m.start(), canonical_subject(m.group(0), knowledge)) for m in knowledge.subject_re.finditer(text)]
            if knowledge.named_subject_re is not None:
                found += [
                    (m.start(), (m.group(1) or m.group(2)).casefold()) for m in knowledge.named_subject_re.finditer(text)
                    if (m.group(1) or m.group(2)) and name_like(m.group(1) or m.group(2), knowledge)
                    and not _brand_tail(text, m.start(), knowledge)  # "Nordlys Fiber plans": the brand, not a plan
                ]
            found.sort()
            self._mentions[key] = ([pos for pos, _ in found], found)
        return self._mentions[key]

    def candidates(self, text: str, start: int) -> tuple[str, ...]:
        """Capitalised words, nearest the value first (those before it preferred)."""
        if text not in self._capitals:
            self._room(self._capitals)
            found = [(m.group(1), m.start()) for m in _CAPITALISED.finditer(text)]
            self._capitals[text] = ([at for _, at in found], found)
        positions, found = self._capitals[text]
        i = bisect_left(positions, start)
        before = found[max(0, i - MAX_CANDIDATES) : i][::-1]
        after = found[i : i + MAX_CANDIDATES]
        return tuple(w.casefold() for w, _ in (before + after)[:MAX_CANDIDATES])


SUBJECT_AFTER = 60  # characters after a value, in its clause, where its subject may follow ("15 % when you pay for a whole year")


def _subject(sentence: str, context: str, start: int, knowledge: Knowledge, reader: _Reader) -> str | None:
    """The plan or product a value is about: the subject mention nearest before it in the
    sentence (else after it, else in the context)."""
    for text, at in ((sentence, start), (context, len(context))):
        positions, mentions = reader.mentions(text, knowledge)
        i = bisect_left(positions, at)
        if i > 0:
            return mentions[i - 1][1]  # the latest mention before the value
        # "$29 for Pro", not the next clause ("within one day, and our phone line is open")
        soon_after = []
        while i < len(mentions) and mentions[i][0] <= at + SUBJECT_AFTER:
            if not knowledge.clause_re.search(text, at, mentions[i][0]):
                soon_after.append(mentions[i])
            i += 1
        if soon_after:
            return min(soon_after)[1]
    return None


ROLE_WINDOW = 40  # characters before a phone number or address where its desk is named ("Sales: +47 …")
_BRAND_TAIL = compile_pattern(r"(?r)(\p{Lu}[\p{L}]*)\s+$", regex.V1)


def _brand_tail(text: str, end: int, knowledge: Knowledge) -> bool:
    """True when text[:end] ends in another capitalised word of the same name. (Searched from
    the end: a forward search would try every position of the text before the name.)"""
    match = _BRAND_TAIL.search(text, 0, end)
    return bool(match) and match.group(1).casefold() not in knowledge.determiners


MAX_CANDIDATES = 16  # capitalised words kept per claim, nearest first


# A fact stated thousands of times in one document (a hostile or generated file) is kept for
# its first MAX_PER_FACT places: comparison needs one, reports name at most a hundred.
MAX_PER_FACT = 1000
MAX_SOURCE_LINE = 2000  # a longer stored line (a minified page) is not kept: the finding shows its excerpt


def source_line(doc: Document, line: int, at: int) -> str:
    """The stored line of a claim at `at` in doc.text ("" for a very long one)."""
    return doc.positions.source_line(line, at, MAX_SOURCE_LINE)


# Block kinds extraction marks as not the sender's words; furniture and signatures are kept: a
# footer's phone number or opening hours are the sender's facts.
NOT_THE_SENDERS = frozenset({"quote", "code", "data"})


def extract_claims(doc: Document, knowledge: dict[str, Knowledge], region: str | None = None) -> list[Claim]:
    claims: list[Claim] = []
    per_fact: dict[str, int] = {}
    reader = _Reader()
    previous = heading = list_label = previous_kind = ""
    table = Table()
    sender = sender_of(doc)
    # national phone numbers: the country of the sender's domain, else the configured one, else
    # the language's ("22 33 44 55" on fjordnett.no, or in Norwegian copy, is +47)
    domain_country = country_of(sender)
    country = domain_country or region
    receipt = is_receipt(doc, knowledge.get(doc.lang))
    for block in doc.blocks:
        if block.kind in NOT_THE_SENDERS:
            continue  # a customer's quoted words, code and data state no fact of the sender's
        lang = block.lang or doc.lang
        known = knowledge.get(lang)
        text = doc.block_text(block)
        if block.kind == "heading":
            heading = text[:MAX_CELL]
        if block.kind in ("header-cell", "cell"):
            # A cell takes its cue from its column header and its subject from its row
            # ("Price" over "$29/month" in the row that starts with "Pro").
            context = table.add(block.kind, text)
        else:
            table.close_if(block.kind)
            # a short value line under a short label ("Phone" / "+47 22 33 44 55"); every short
            # item of a list under the label its list follows ("Delivery times" / "Java: 2–4 days")
            if block.kind == "list-item" and previous_kind != "list-item":
                list_label = previous if is_short(previous, known) else ""
            label = list_label if block.kind == "list-item" else previous
            context = label if (is_short(text, known) and is_short(label, known)) else ""
        earlier = ""  # the sentence before, in this block
        for offset, raw in _sentences(text, lang):
            sentence = Sentence(raw, known)
            values, deadlines = _values(sentence, context, known, _phone_region(domain_country, country, known), reader, receipt)
            for index, (fact, value) in enumerate(values):
                if per_fact.get(fact, 0) < MAX_PER_FACT:
                    per_fact[fact] = per_fact.get(fact, 0) + 1
                    claim = _claim(doc, block.start + offset, sentence, context, fact, value, lang, known, reader, heading,
                                   table.row_cells if block.kind == "cell" else (), table.name_cell if block.kind == "cell" else "")
                    conditions = conditions_of(sentence.text, value, values, index, known) if fact in CONDITIONAL_FACTS else ()
                    if id(value) in deadlines:
                        conditions = (DEADLINE,)
                    if fact in CONDITIONAL_FACTS and not conditions and index == 0 and earlier.rstrip().endswith(("?", "？")):
                        # "Got a student card? Get Hemat for Rp169.000": the question sets the condition
                        conditions = question_conditions(earlier, known)
                    if fact == "response-time" and claim.subject is None and known is not None and earlier and (
                            _subject(raw, "", len(raw), known, reader) is None):  # (its own "e-mails" say which)
                        # "Send us a WhatsApp message. We reply within 15 minutes": the channel
                        # named just before is the one that replies
                        channel = _subject(earlier, "", len(earlier), known, reader)
                        if channel in REPLY_CHANNELS:
                            claim = replace(claim, subject=channel, meta=(*claim.meta, ("subject_from", "elsewhere")))
                    claims.append(replace(claim, sender=sender, conditions=conditions, meta=claim.meta + _line(fact, values)))
            earlier = raw
        for match in _BRAND.finditer(text):
            if per_fact.get("name", 0) >= MAX_PER_FACT:
                break
            per_fact["name"] = per_fact.get("name", 0) + 1
            name = match.group(0)
            at = block.start + match.start()
            line, column = doc.positions.line_col(at)
            claims.append(Claim("name", ("name", regex.sub(r"[\s-]", "", name.casefold())), name, name, None, (),
                                doc.path, line, column, text[max(0, match.start() - 40) : match.end() + 40].strip(),
                                doc.channel, lang, doc.unit, sender=sender, source_line=source_line(doc, line, at)))
        previous, previous_kind = text, block.kind
    return claims




DEADLINE = "before the start"  # the condition of a window counted back from an event

def _phone_region(domain_country: str | None, country: str | None, known: Knowledge | None) -> tuple[str | None, ...]:
    """Where a national number in this copy is dialled, first guess first: the sender's country,
    unless the copy is in a language not written there (a Japanese e-mail of an Indonesian
    agency's Tokyo desk: "03-5555-0182" is Tokyo); then the sender's country after all (the
    Jakarta line "021-2953-8170" in the same agency's Japanese copy is no Japanese number)."""
    if known is not None and known.region and domain_country and known.regions and domain_country not in known.regions:
        return (known.region, domain_country)
    return (country or (known.region if known else None),)


def _phones(text: str, regions: tuple[str | None, ...]) -> list[Value]:
    """Numbers read in the first region that knows them as valid."""
    found = phones(text, regions[0])
    for region in regions[1:]:
        taken = [(v.start, v.end) for v in found]
        found += [v for v in phones(text, region) if not any(v.start < end and start < v.end for start, end in taken)]
    return sorted(found, key=lambda v: v.start)


THRESHOLD_REACH = 45  # characters around an amount where a free-shipping cue makes it the threshold


def _threshold_marked(text: str, value: Value, knowledge: Knowledge) -> bool:
    """"over NOK 999", "ab 40 €", "€50 or more": a word that makes an amount a threshold."""
    after, before = knowledge.threshold_after_re, knowledge.threshold_before_re
    return bool(after is not None and after.match(text, value.end)) or bool(
        before is not None and before.search(text[max(0, value.start - 14) : value.start]))


def _near_threshold_cue(text: str, value: Value, reach: int, knowledge: Knowledge) -> bool:
    start = min(reach, value.start)
    window = text[max(0, value.start - reach) : value.end + reach]
    return nearest_fact(window, "", start, start + value.end - value.start, knowledge, ("free-shipping-threshold",)) is not None


def _values(sentence: Sentence, context: str, knowledge: Knowledge | None, regions: tuple[str | None, ...], reader: _Reader,
            receipt: bool = False) -> tuple[list[tuple[str, Value]], set[int]]:
    """The sentence's values with the fact each states, and (by id) the periods that are a
    deadline counted back from an event."""
    found: list[tuple[str, Value]] = []
    deadlines: set[int] = set()
    text = sentence.text
    # Phone numbers and e-mail addresses read the same in every language.
    for value in _phones(text, regions):
        raw = text[value.start : value.end]
        if sentence.flag("fax", _FAX):
            continue
        # "Sendungsnummer: 22334456" is not a phone number; a bare digit run needs a phone word
        cue = knowledge is not None and knowledge.phone_word_re is not None and knowledge.phone_word_re.search(text, max(0, value.start - 30), value.start)
        ordered = knowledge is not None and knowledge.order_word_re is not None and sentence.flag("order", knowledge.order_word_re)
        if not raw.startswith("+") and not cue and (not regex.search(r"[\s()./-]", raw) or ordered):
            continue
        found.append(("phone", value))
    for value in emails(text):
        if not example_address(value.key[1], knowledge):
            found.append(("email", value))
    for value in addresses(text):
        found.append(("address", value))
    if knowledge is None:
        return found, deadlines
    for value in durations(text, knowledge):
        deadline = deadline_before_event(text, value, knowledge)
        if not_a_period(text, value, knowledge) and not deadline:
            continue
        fact = sentence.nearest_fact(value.start, value.end, DURATION_FACTS, context, reader)
        if deadline and fact != "refund-window":
            continue  # a last day to book early or to ask is no promised period
        if fact and plausible(fact, value.key):
            found.append((fact, value))
            if deadline:
                deadlines.add(id(value))
    # a prize is won, not bought, and a trade-in offer ("Wir zahlen bis zu" over a column) is
    # paid to the customer; a receipt's amounts are what one order cost
    received = knowledge.prize_re is not None and (sentence.flag("prize", knowledge.prize_re) or bool(context and knowledge.prize_re.search(context)))
    amounts = [] if received else prices(text, knowledge)
    amounts = [value for value in amounts if not _saved(text, value, knowledge)]
    if context and amounts and (period := knowledge.period_in(context)):
        # a bare amount under a column headed "per month" is a monthly price
        amounts = [billed(v, period) if v.key[3] == "once" else v for v in amounts]
    # a free-shipping cue near the amount; farther off when a threshold word marks it ("Gratis
    # ongkir ka sakuliah Indonésia kanggo balanja minimal Rp300.000")
    thresholds = [value for value in amounts if _near_threshold_cue(text, value, THRESHOLD_REACH, knowledge) or (
        _threshold_marked(text, value, knowledge) and _near_threshold_cue(text, value, 2 * THRESHOLD_REACH, knowledge))]
    # "€50 or more", "5,000円以上" say it most plainly; "over NOK 999", "ab 40 €" next ("a flat
    # rate of ¥660, and free on orders of ¥5,000 or more": the 5,000)
    after_re = knowledge.threshold_after_re
    after = [v for v in thresholds if after_re is not None and after_re.match(text, v.end)]
    plain = after or [v for v in thresholds if _threshold_marked(text, v, knowledge)]
    if plain:
        thresholds = plain
    if len(thresholds) > 1:
        # one cue, several amounts: the threshold is the one nearest the cue ("… NOK 1,499, and
        # shipping is free on orders over NOK 999")
        cue = knowledge.cue_res.get("free-shipping-threshold")
        spots = [m.start() for m in cue.finditer(text)] if cue else []
        thresholds = [min(thresholds, key=lambda v: min((abs(v.start - c) for c in spots), default=0))]
    for value in amounts:
        if value in thresholds:
            found.append(("free-shipping-threshold", value))
        elif not receipt and not (knowledge.from_price_re is not None and knowledge.from_price_re.search(text[max(0, value.start - 14) : value.start])):
            found.append(("price", value))  # "from NOK 499" is a starting price, which differs by model
    for value in [] if receipt else percents(text):
        if sentence.nearest_fact(value.start, value.end, ("discount",), "", reader):
            found.append(("discount", value))
    for value in opening_hours(text, knowledge):
        # "around the clock" is said of monitoring, emergency lines and gym doors too: it is
        # support hours only where the sentence (or its label) speaks of opening or support
        if value.key[2:] == (0, 1440) and not sentence.nearest_fact(value.start, value.end, ("support-hours",), context, reader):
            continue
        found.append(("support-hours", value))
    return found, deadlines


_FAX = compile_pattern(r"\bfax\b", regex.IGNORECASE)
# What a fact is about when no case is named: a reply time is the e-mail's (chat and phone are
# named apart), a call-back is by phone, support hours are the phone line's (a shop's or the
# chat's are named apart). Naming it tells no case apart.
REPLY_CHANNELS = ("chat", "phone", "social")  # channels other than e-mail whose reply times differ from e-mail's
DEFAULT_SUBJECTS = {"response-time": "email", "callback-time": "phone", "support-hours": "phone"}
# Subjects that are a channel or a place (rules/claims: chat, shop, phone line), which name how
# or where a customer is served, not what a price or a discount is for
CHANNELS = frozenset({"chat", "phone", "email", "social", "sales", "premises"})
MONEY_FACTS = ("price", "discount", "free-shipping-threshold")
BILLING_SUBJECTS = frozenset({"annual", "monthly"})  # rules/claims subjects that name a billing period

_NAMED_BEFORE = compile_pattern(r"((?:\d+\s*)?\p{Lu}[\w+]*(?:\s+\d+\w*)?)\s*(?:is|costs?|kostet|koster|:|–|-|for|at|=)?\s*(?:now\s+|just\s+|only\s+|nur\s+|kun\s+)*$", regex.V1)


def _claim(doc: Document, at: int, sentence: Sentence, context: str, fact: str, value: Value, lang: str, knowledge: Knowledge | None, reader: _Reader, heading: str = "", row: "list[str] | tuple[str, ...]" = (), name_cell: str = "") -> Claim:
    raw = sentence.raw
    line, column = doc.positions.line_col(at + value.start)
    # A phone number or address is its own subject; "chat" or "Pro" next to it says nothing.
    if fact in ("phone", "email", "address"):
        # the desk named just before the number ("Sales: +47 …", "Presse-Hotline 030 …"), not
        # anywhere in the sentence: "write to service@ or presse@" names two desks
        before = raw[max(0, value.start - ROLE_WINDOW) : value.start]
        subject = None if knowledge is None else next((desk for desk, pattern in knowledge.desk_res.items() if pattern.search(before)), None)
    else:
        subject = None if knowledge is None else _subject(raw, context, value.start, knowledge, reader)
    origin = "named" if subject else ""
    if subject is not None and DEFAULT_SUBJECTS.get(fact) == subject:
        subject, origin = None, ""  # a call-back is by phone: "phone" tells no case apart
    if fact == "support-hours" and subject == "email":
        subject, origin = None, ""  # an inbox keeps no hours: "E-post: …, Åpningstider: …" are the line's
    if subject in CHANNELS and fact in MONEY_FACTS:
        subject, origin = None, ""  # "everyone else can grab a bag in the shop for £30": no product
    if fact == "price" and knowledge is not None:
        # "Basic is $19", "Pro: $29": a name right before a price is what it costs.
        named = _named_before(raw, value.start)
        if named and name_like(named.group(1), knowledge):
            subject, origin = named.group(1).casefold(), "adjacent"
    if fact == "support-hours" and subject is None and knowledge is not None and _premises(raw, context, heading, knowledge):
        subject, origin = "premises", "sentence"
    if subject is None and knowledge is not None and (label := colon_label(raw, value.start, fact, knowledge)):
        subject, origin = label, "label"
    if row and knowledge is not None and fact not in ("phone", "email", "address") and origin != "adjacent":
        # a table row's name cell: "Battery | 2 years", "Pro | $29/month"
        cells = ([(name_cell, True)] if name_cell else []) + [(cell, False) for cell in row]
        name, cell = next(((label, cell) for cell, by_place in cells if (label := row_label(cell, knowledge, by_place))), (None, ""))
        if name and DEFAULT_SUBJECTS.get(fact) != name:
            if subject is None:
                subject, origin = name, "row"
            elif origin == "named" and _subject(raw, "", value.start, knowledge, reader) is None and (
                    _subject(cell, "", len(cell), knowledge, reader) != subject or subject in name):
                # the name came from the column header, or is part of the row's name: the row
                # names the thing ("Paket Makan Bersama", not "Makan"), and a column's part or
                # case narrows it ("Bike X" under "Battery"); "annual" over a yearly price says
                # only what the price's period says. (A part named in the row's own name, "Ganti
                # layar", stays that part, which reads the same in every language.)
                if subject in name or (subject in BILLING_SUBJECTS and fact == "price" and value.key[3] != "once"):
                    subject, origin = name, "row"
                else:
                    subject, origin = f"{name} · {subject}", "row"
    if fact == "discount" and (code := _discount_code(raw, knowledge)):
        subject, origin = code.casefold(), "named"
    own = reader.candidates(raw, value.start)  # the sentence's own names, before its label's and heading's
    # a kind of thing ("battery", "annual"), not the name of one plan or product
    generic = subject is not None and knowledge is not None and subject in knowledge.generic_subjects
    if fact == "email" and knowledge is not None and value.key[1].partition("@")[0] in knowledge.support_mailboxes:
        origin = "support-mailbox"  # service@ and support@ of one domain are one desk's address
    return Claim(
        fact=fact, key=value.key, display=value.display, written=raw[value.start : value.end],
        # the heading above names the plan or product a section is about ("Fiber 500" over its
        # price list); its words come last, after those of the sentence and its row or label
        subject=subject, candidates=own + reader.candidates(context, len(context)) + reader.candidates(heading, len(heading)),
        path=doc.path, line=line, column=column, excerpt=raw.strip()[:200], channel=doc.channel,
        source_line=source_line(doc, line, at + value.start),
        lang=lang, unit=doc.unit, meta=((("subject_from", origin),) if origin else ()) + ((("generic", "1"),) if generic else ()) + (("own_candidates", str(len(own))),),
    )


def _line(fact: str, values: list[tuple[str, Value]]) -> tuple[tuple[str, str], ...]:
    """The phone line whose hours these are, when the sentence gives one number: the station's
    line and the head office's keep their own hours."""
    lines = {value.key for found, value in values if found == "phone"} if fact == "support-hours" else set()
    return (("line", str(next(iter(lines)))),) if len(lines) == 1 else ()


SAVING_REACH = 24  # characters before an amount searched for "save"


def _saved(text: str, value: Value, knowledge: Knowledge) -> bool:
    """An amount of money saved ("save £10", "€10 off", "kr 7 900 spart"), which is no price."""
    after, before = knowledge.saving_after_re, knowledge.saving_before_re
    return bool(after is not None and after.match(text, value.end)) or bool(
        before is not None and before.search(text, max(0, value.start - SAVING_REACH), value.start))


def _discount_code(sentence: str, knowledge: Knowledge | None) -> str | None:
    """The code a discount is for, which names its offer in every language: capitals with digits
    ("WILLKOMMEN10"), or capitals right after a code word ("kode KENALAN")."""
    if (code := _CODE.search(sentence)) is not None:
        return code.group(0)
    for word in knowledge.code_word_re.finditer(sentence) if knowledge is not None and knowledge.code_word_re is not None else ():
        if (after := _CAPITAL_CODE.match(sentence, word.end())) is not None:
            return after.group(1)
    return None


_CAPITAL_CODE = compile_pattern(r"[\s:\"'“„«*<>/a-z]{0,20}?(\p{Lu}{4,}\d{0,3})(?![\w-])", regex.V1)


def _premises(sentence: str, context: str, heading: str, knowledge: Knowledge) -> bool:
    """Hours said with an opening word ("we're open", "Öffnungszeiten") and no service desk
    named anywhere around them are a place's opening hours, not the phone line's."""
    if knowledge.opening_re is None or knowledge.service_re is None:
        return False
    around = (sentence, context, heading)
    return any(knowledge.opening_re.search(t) for t in around) and not any(knowledge.service_re.search(t) for t in around)


_CODE = compile_pattern(r"(?<![\w-])\p{Lu}{3,}\d{1,3}(?![\w-])", regex.V1)


def _named_before(text: str, end: int) -> "regex.Match[str] | None":
    """A name with its verb just before a price ("Basic is", "Pro:"). Searched in the last 80
    characters; the whole prefix only when a word runs across that edge."""
    window = max(0, end - 80)
    match = _NAMED_BEFORE.search(text, window, end)
    if match is not None and match.start() == window and window > 0 and (text[window - 1].isalnum() or text[window - 1] in "_+"):
        match = _NAMED_BEFORE.search(text, 0, end)
    return match


def read_declared(fact: str, text: str, knowledge: dict[str, Knowledge], region: str | None) -> Value | None:
    """A value from the configuration's `facts` table ("30 days", "$29/month", "+47 22 33 44 55")."""
    for known in [knowledge[k] for k in ("en", *sorted(knowledge)) if k in knowledge]:
        if fact in DURATION_FACTS:
            found = durations(text, known)
        elif fact in ("price", "free-shipping-threshold"):
            found = prices(text, known)
        elif fact == "discount":
            found = percents(text)
        elif fact == "support-hours":
            found = opening_hours(text, known)
        elif fact == "phone":
            found = phones(text, region)
        elif fact == "email":
            found = emails(text)
        else:
            return None
        if found:
            return found[0]
    return None
