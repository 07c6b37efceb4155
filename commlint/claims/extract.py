"""Stage 4a, per document: the typed facts a document states, each with its exact location.

Runs in the parallel per-document step, right after the rules; the comparison across
documents (compare.py) runs once all documents are done.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from ..model import Document, Unit
from .knowledge import Knowledge
from .values import FROM_PRICE, Value, addresses, durations, emails, opening_hours, percents, phones, prices

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
_ABBREVIATIONS = {"kl", "ca", "bzw", "inkl", "zzgl", "evt", "tel", "nr", "no", "mr", "mrs", "ms", "dr", "st", "vs",
                  "etc", "approx", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "man", "tir", "ons", "tor",
                  "fre", "lør", "søn", "mo", "di", "mi", "do", "fr", "sa", "so", "tgl", "jl", "pkl"}
_SENTENCE_END = regex.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[。！？])|\n+", regex.V1)
_CAPITALISED = regex.compile(r"(?<![\w#@./])(\p{Lu}[\p{L}\d+]*)(?![\w@]|\.\w)", regex.V1)
_BRAND = regex.compile(
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
        return data


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets: split after . ! ? followed by a space, after 。！？ and at
    line breaks; "support@shop.io." and "4,90 €" stay whole."""
    spans, start = [], 0
    for cut in _SENTENCE_END.finditer(text):
        before = regex.search(r"(\w+)\.$", text[start : cut.start()])
        if before and (before.group(1).casefold() in _ABBREVIATIONS or len(before.group(1)) <= 2) and not text[cut.end() : cut.end() + 1].isupper():
            continue  # "Mo.–Fr. von 8 bis 18 Uhr", "kl. 08.00": an abbreviation, not a sentence end
        if text[start : cut.start()].strip():
            spans.append((start, text[start : cut.start()]))
        start = cut.end()
    if text[start:].strip():
        spans.append((start, text[start:]))
    return spans


def _nearest_fact(sentence: str, context: str, start: int, end: int, knowledge: Knowledge, facts: tuple[str, ...]) -> str | None:
    """The fact whose cue word is nearest the value in the sentence; the context (a table
    row's header cell, the heading above a list) counts only when the sentence has no cue."""
    best: tuple[tuple[int, int], str] | None = None
    for fact in facts:
        pattern = knowledge.cue_res.get(fact)
        if pattern is None:
            continue
        for cue in pattern.finditer(sentence):
            if knowledge.anchor_re is not None and knowledge.anchor_re.search(sentence[max(0, cue.start() - 25) : cue.start()]):
                continue  # "within 30 days of installation": the event the period counts from
            distance = start - cue.end() if cue.end() <= start else (cue.start() - end if cue.start() >= end else 0)
            # nearest cue wins; at equal distance the longer, more specific one
            rank = (distance, -(cue.end() - cue.start()))
            if best is None or rank < best[0]:
                best = (rank, fact)
    if best is None and context:
        for fact in facts:
            pattern = knowledge.cue_res.get(fact)
            if pattern is not None and pattern.search(context):
                return fact
    return best[1] if best else None


def _subject(sentence: str, context: str, start: int, knowledge: Knowledge) -> str | None:
    """The plan or product a value is about: the subject mention nearest before it in the
    sentence (else after it, else in the context)."""
    for text, at in ((sentence, start), (context, len(context))):
        mentions: list[tuple[int, str]] = []
        if knowledge.subject_re is not None:
            mentions += [(m.start(), canonical_subject(m.group(0), knowledge)) for m in knowledge.subject_re.finditer(text)]
        if knowledge.named_subject_re is not None:
            mentions += [
                (m.start(), (m.group(1) or m.group(2)).casefold()) for m in knowledge.named_subject_re.finditer(text)
                if (m.group(1) or m.group(2)) and _name_like(m.group(1) or m.group(2), knowledge)
                and not _brand_tail(text[: m.start()])  # "Nordlys Fiber plans": the brand, not a plan
            ]
        before = [m for m in mentions if m[0] < at]
        if before:
            return max(before)[1]
        # "$29 for Pro", not the next clause ("within one day, and our phone line is open")
        soon_after = [m for m in mentions if at <= m[0] <= at + 25 and not regex.search(r"[,;]|\band\b|\bund\b|\bog\b|\bdan\b", text[at : m[0]])]
        if soon_after:
            return min(soon_after)[1]
    return None


_ORDER_WORD = regex.compile(r"(?i)nummer|number|\bno\.|\bnr\.?|order|bestell|ordre|pesanan|invoice|rechnung|faktura|注文番号|tracking|sendung")
_PHONE_CUE = regex.compile(r"(?i)phone|call|ring|tel\b|tel\.|telefon|hotline|電話|telepon|nelepon|whatsapp|wa\b")
# A phone number or address for another desk is another fact ("sales" vs customer service).
_ROLE_SUBJECTS = {
    "sales": regex.compile(r"(?i)\b(?:sales|salg|vertrieb|verkauf|penjualan|pamasaran)\b|営業|販売"),
    "press": regex.compile(r"(?i)\b(?:press|presse|media|pers)\b|報道"),
    "emergency": regex.compile(r"(?i)\b(?:emergency|fault|outage|notfall|störung|feil|gangguan)\b|緊急|故障"),
}
_DETERMINERS = {"the", "our", "your", "a", "an", "der", "die", "das", "unser", "unsere", "ihr", "ihre", "den", "dem",
                "vår", "vårt", "din", "ditt", "paket", "the new", "new", "neue", "nye"}


def _brand_tail(before: str) -> bool:
    """True when the text before a name ends in another capitalised word of the same name."""
    match = regex.search(r"(\p{Lu}[\p{L}]*)\s+$", before, regex.V1)
    return bool(match) and match.group(1).casefold() not in _DETERMINERS


def _row_name(context: str) -> str | None:
    """The name cell of a table row ("Pro" in Pro | 1 Gbit/s | $29/month)."""
    for cell in reversed(context.split(" | ")):
        if regex.fullmatch(r"\p{Lu}[\p{L}+]*(?: \p{Lu}[\p{L}+]*)?", cell.strip(), regex.V1):
            return cell.strip().casefold()
    return None


def canonical_subject(text: str, knowledge: Knowledge) -> str:
    folded = regex.sub(r"\s+", " ", text.casefold())
    for word, canonical in knowledge.subjects.items():
        if regex.sub(r"\s+", " ", word.casefold()) == folded:
            return canonical
    return folded


def _candidates(sentence: str, start: int) -> tuple[str, ...]:
    """Capitalised words, nearest the value first (those before it preferred)."""
    found = [(m.group(1), m.start()) for m in _CAPITALISED.finditer(sentence)]
    before = sorted((w for w in found if w[1] < start), key=lambda w: start - w[1])
    after = sorted((w for w in found if w[1] >= start), key=lambda w: w[1])
    return tuple(w.casefold() for w, _ in before + after)


def _short(text: str, knowledge: Knowledge | None) -> bool:
    """A label-sized block: six words, or 15 characters where words have no spaces."""
    if knowledge is not None and not knowledge.spaces:
        return len(text.strip()) <= 15
    return len(text.split()) <= 6


class _Table:
    """Follows the header row and the cells of the current row, as blocks come in order."""

    def __init__(self) -> None:
        self.headers: list[str] = []
        self.cells: list[str] = []
        self.in_header = False

    def add(self, kind: str, text: str) -> str:
        if kind == "header-cell":
            if not self.in_header:
                self.headers, self.cells = [], []
            self.in_header = True
            self.headers.append(text)
            return ""
        self.in_header = False
        width = len(self.headers) or 4
        if len(self.cells) >= width:
            self.cells = []
        self.cells.append(text)
        column = len(self.cells) - 1
        header = self.headers[column] if column < len(self.headers) else ""
        return " | ".join([*self.cells[:-1], header] if header else self.cells[:-1])

    def close_if(self, kind: str) -> None:
        if kind not in ("caption",):
            self.headers, self.cells, self.in_header = [], [], False


def extract_claims(doc: Document, knowledge: dict[str, Knowledge], region: str | None = None) -> list[Claim]:
    claims: list[Claim] = []
    previous = ""
    table = _Table()
    for block in doc.blocks:
        lang = block.lang or doc.lang
        known = knowledge.get(lang)
        text = doc.block_text(block)
        if block.kind in ("header-cell", "cell"):
            # A cell takes its cue from its column header and its subject from its row
            # ("Price" over "$29/month" in the row that starts with "Pro").
            context = table.add(block.kind, text)
        else:
            table.close_if(block.kind)
            # a short value line under a short label ("Phone" / "+47 22 33 44 55")
            context = previous if (_short(text, known) and _short(previous, known)) else ""
        for offset, sentence in _sentences(text):
            for fact, value in _values(sentence, context, known, region):
                claims.append(_claim(doc, block.start + offset, sentence, context, fact, value, lang, known))
        for match in _BRAND.finditer(text):
            name = match.group(0)
            at = block.start + match.start()
            line, column = doc.positions.line_col(at)
            claims.append(Claim("name", ("name", regex.sub(r"[\s-]", "", name.casefold())), name, name, None, (),
                                doc.path, line, column, text[max(0, match.start() - 40) : match.end() + 40].strip(),
                                doc.channel, lang, doc.unit))
        previous = text
    return claims


_THRESHOLD_MARK = regex.compile(r"(?i)(?:over|above|from|of|ab|über|fra|over|minimal|min\.|sahenteuna|minimum|mindestens)\s*$")
_THRESHOLD_AFTER = regex.compile(r"(?i)\s*(?:or more|oder mehr|eller mer|以上|ke atas|atawa leuwih)")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９：．，％～－", "0123456789:.,%~-")


def _values(sentence: str, context: str, knowledge: Knowledge | None, region: str | None) -> list[tuple[str, Value]]:
    found: list[tuple[str, Value]] = []
    sentence = sentence.translate(_FULL_WIDTH)  # same length: offsets still hold
    # Phone numbers and e-mail addresses read the same in every language.
    for value in phones(sentence, region):
        raw = sentence[value.start : value.end]
        if regex.search(r"\bfax\b", sentence, regex.IGNORECASE):
            continue
        # "Sendungsnummer: 22334456" is not a phone number; a bare digit run needs a phone word
        cue = _PHONE_CUE.search(sentence[max(0, value.start - 30) : value.start])
        if not raw.startswith("+") and not cue and (not regex.search(r"[\s()./-]", raw) or _ORDER_WORD.search(sentence)):
            continue
        found.append(("phone", value))
    for value in emails(sentence):
        found.append(("email", value))
    for value in addresses(sentence):
        found.append(("address", value))
    if knowledge is None:
        return found
    for value in durations(sentence, knowledge):
        fact = _nearest_fact(sentence, context, value.start, value.end, knowledge, DURATION_FACTS)
        if fact:
            found.append((fact, value))
    amounts = prices(sentence, knowledge)
    thresholds = [
        value for value in amounts
        if _nearest_fact(sentence[max(0, value.start - 45) : value.end + 45], "", min(45, value.start),
                         min(45, value.start) + value.end - value.start, knowledge, ("free-shipping-threshold",))
    ]
    marked = [v for v in thresholds if _THRESHOLD_MARK.search(sentence[max(0, v.start - 12) : v.start]) or _THRESHOLD_AFTER.match(sentence[v.end :])]
    if marked:
        thresholds = marked  # "over NOK 999", "ab 40 €", "5,000円以上", "€50 or more"
    if len(thresholds) > 1:
        # one cue, several amounts: the threshold is the one nearest the cue ("… NOK 1,499, and
        # shipping is free on orders over NOK 999")
        cue = knowledge.cue_res.get("free-shipping-threshold")
        spots = [m.start() for m in cue.finditer(sentence)] if cue else []
        thresholds = [min(thresholds, key=lambda v: min((abs(v.start - c) for c in spots), default=0))]
    for value in amounts:
        if value in thresholds:
            found.append(("free-shipping-threshold", value))
        elif not FROM_PRICE.search(sentence[max(0, value.start - 14) : value.start]):
            found.append(("price", value))  # "from NOK 499" is a starting price, which differs by model
    for value in percents(sentence):
        if _nearest_fact(sentence, "", value.start, value.end, knowledge, ("discount",)):
            found.append(("discount", value))
    for value in opening_hours(sentence, knowledge):
        found.append(("support-hours", value))
    return found


def _claim(doc: Document, at: int, sentence: str, context: str, fact: str, value: Value, lang: str, knowledge: Knowledge | None) -> Claim:
    line, column = doc.positions.line_col(at + value.start)
    # A phone number or address is its own subject; "chat" or "Pro" next to it says nothing.
    if fact in ("phone", "email", "address"):
        subject = next((role for role, pattern in _ROLE_SUBJECTS.items() if pattern.search(sentence)), None)
    else:
        subject = None if knowledge is None else _subject(sentence, context, value.start, knowledge)
    origin = "named" if subject else ""
    if fact == "price" and knowledge is not None:
        # "Basic is $19", "Pro: $29": a name right before a price is what it costs.
        named = regex.search(r"(\p{Lu}[\w+]*(?:\s+\d+\w*)?)\s*(?:is|costs?|kostet|koster|:|–|-|for|at|=)?\s*(?:now\s+|just\s+|only\s+|nur\s+|kun\s+)*$", sentence[: value.start], regex.V1)
        if named and _name_like(named.group(1), knowledge):
            subject, origin = named.group(1).casefold(), "adjacent"
        elif subject is None and context:
            row_name = _row_name(context)
            if row_name and _name_like(row_name, knowledge):
                subject, origin = row_name, "row"
    return Claim(
        fact=fact, key=value.key, display=value.display, written=sentence[value.start : value.end],
        subject=subject, candidates=_candidates(sentence, value.start) + _candidates(context, len(context)),
        path=doc.path, line=line, column=column, excerpt=sentence.strip()[:200], channel=doc.channel,
        lang=lang, unit=doc.unit, meta=(("subject_from", origin),) if origin else (),
    )


_NOT_NAMES = {"the", "now", "only", "just", "you", "your", "we", "our", "to", "of", "for", "at", "in", "on", "a", "an",
              "price", "prices", "total", "from", "over", "under", "up", "per", "and", "or", "if", "it", "this", "that",
              "sie", "ihr", "ihre", "der", "die", "das", "den", "dem", "ab", "nur", "jetzt", "wir", "mit", "für", "preis",
              "du", "dere", "vi", "din", "med", "kun", "nå", "pris", "fra", "kami", "anda", "harga", "dengan", "hanya",
              "mulai", "paket", "abdi", "anjeun", "mung", "ngan", "harga", "pakét"}


def _name_like(word: str, knowledge: Knowledge) -> bool:
    """A plan or product name, not a function word or a currency code ("USD 10")."""
    folded = word.casefold().split()[0]
    return len(folded) > 1 and folded not in _NOT_NAMES and not any(folded == c.casefold() for c in knowledge.currencies)


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
