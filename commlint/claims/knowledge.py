"""Per-language knowledge for the claims stage (rules/claims/<lang>.yaml), compiled once.

Adding a language to the contradiction checker is adding one YAML file: number words, duration
units, billing periods, currencies, day names and the cue words of each fact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import regex
import yaml

from ..compiled import compile_pattern, load_yaml

KNOWLEDGE_KEYS = {
    "source", "license", "language", "numbers", "units", "periods", "currencies", "days", "day_sets",
    "facts", "subjects", "subject_markers", "spaces", "day_range_words", "anchors",
    "day_and_words", "support_mailboxes", "example_domains", "region", "regions", "after_period", "before_period", "prizes", "receipts", "totals", "conditions",
    "clause_words", "compounds", "opening_words", "service_words", "event_words", "not_names",
    "phone_words", "order_words", "desks", "determiners", "threshold_before", "threshold_after", "from_price",
    "around_the_clock", "code_words", "savings", "not_cues", "deadline_before", "deadline_after",
}
UNITS = ("minute", "hour", "day", "business-day", "week", "month", "year")


class KnowledgeError(Exception):
    """A claims knowledge file that cannot be used; names the file and the key."""


def _alternation(words: list[str], spaced: bool, compounds: bool = False) -> str:
    body = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    if not spaced:
        return f"(?:{body})"
    # where nouns compound ("Reifengarantie", "returrett"), a cue may end a longer word
    prefix = r"\w*?" if compounds else ""
    return rf"(?<![\w]){prefix}(?:{body})(?![\w])"


@dataclass
class Knowledge:
    lang: str
    numbers: dict[str, int]
    units: dict[str, str]
    periods: dict[str, list[str]]
    currencies: dict[str, str]
    days: dict[str, int]
    day_sets: dict[str, list[int]]
    facts: dict[str, list[str]]
    subjects: dict[str, str]  # written form -> canonical subject ("Jahresabo" -> "annual")
    subject_markers: list[str]
    spaces: bool = True
    file: str = ""
    day_range_words: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # "of", "after": a cue after one is the start event
    day_and_words: list[str] = field(default_factory=list)  # "Sa und So": two days, one set of hours
    support_mailboxes: list[str] = field(default_factory=list)  # service@, support@: one desk
    example_domains: list[str] = field(default_factory=list)  # name@beispiel.com: an example, no address
    region: str | None = None  # country of national phone numbers in this language
    regions: frozenset[str] = frozenset()  # every country whose readers copy in this language is written for
    after_period: list[str] = field(default_factory=list)  # "8 years old", "a week before": no promised period
    before_period: list[str] = field(default_factory=list)  # "aged 8 years"
    deadline_before: list[str] = field(default_factory=list)  # "up to 3 days before": a deadline ...
    deadline_after: list[str] = field(default_factory=list)  # ... or "3日前まで" in one word
    prizes: list[str] = field(default_factory=list)  # a sentence's amounts are a prize, not a price
    savings: list[str] = field(default_factory=list)  # "save £10", "kr 7 900 spart": money saved, not a price
    not_cues: list[str] = field(default_factory=list)  # "cancellation fee": holds a cue word, cues no fact
    receipts: list[str] = field(default_factory=list)  # order confirmations and invoices ...
    totals: list[str] = field(default_factory=list)  # ... which also carry a total
    conditions: dict[str, list[str]] = field(default_factory=dict)  # promotion, student, per-person ...
    clause_words: list[str] = field(default_factory=list)  # "and", "but": where a clause ends
    compounds: bool = False  # nouns compound, so a cue may end a longer word ("Reifengarantie")
    phone_words: list[str] = field(default_factory=list)  # "call", "Telefon": a bare digit run is a phone number
    order_words: list[str] = field(default_factory=list)  # "order number": ... unless an order is spoken of
    desks: dict[str, list[str]] = field(default_factory=dict)  # sales, press, emergency: another desk's number
    determiners: frozenset[str] = frozenset()  # "the", "unser": no part of a brand before a name
    threshold_before: list[str] = field(default_factory=list)  # "over", "ab": the amount is a threshold
    threshold_after: list[str] = field(default_factory=list)  # "or more", "以上"
    from_price: list[str] = field(default_factory=list)  # "from NOK 499": a starting price, not a price
    around_the_clock: list[str] = field(default_factory=list)  # "around the clock": open every hour of every day
    code_words: list[str] = field(default_factory=list)  # "code", "kode": a discount code follows
    not_names: frozenset[str] = frozenset()  # "price", "the", "biaya": words where a name would stand
    event_words: list[str] = field(default_factory=list)  # "after the form is sent": the start event
    opening_words: list[str] = field(default_factory=list)  # "open", "Öffnungszeiten": a place's hours ...
    service_words: list[str] = field(default_factory=list)  # ... unless a desk is named ("customer service")

    def words_re(self, words: list[str], anchored: str = "") -> "regex.Pattern[str] | None":
        """One pattern for a list of words; anchored "start" or "end" ties it to that end."""
        if not words:
            return None
        body = _alternation(words, self.spaces)
        # (a "start" pattern is used with .match(text, pos), which anchors it at pos; "^" would
        # anchor it at the start of the text)
        return compile_pattern(("\\s*" if anchored == "start" else "") + body + ("\\s*$" if anchored == "end" else ""), regex.IGNORECASE | regex.V1)

    @cached_property
    def after_period_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.after_period, "start")

    @cached_property
    def before_period_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.before_period, "end")

    @cached_property
    def deadline_before_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.deadline_before, "end")

    @cached_property
    def deadline_after_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.deadline_after, "start")

    @cached_property
    def prize_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.prizes)

    @cached_property
    def saving_after_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.savings, "start")

    @cached_property
    def saving_before_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.savings, "end")

    @cached_property
    def receipt_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.receipts)

    @cached_property
    def total_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.totals)

    @cached_property
    def condition_res(self) -> dict[str, "regex.Pattern[str]"]:
        return {name: pattern for name, words in self.conditions.items() if (pattern := self.words_re(words)) is not None}

    @cached_property
    def phone_word_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.phone_words)

    @cached_property
    def order_word_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.order_words)

    @cached_property
    def desk_res(self) -> dict[str, "regex.Pattern[str]"]:
        return {name: pattern for name, words in self.desks.items() if (pattern := self.words_re(words)) is not None}

    @cached_property
    def threshold_before_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.threshold_before, "end")

    @cached_property
    def threshold_after_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.threshold_after, "start")

    @cached_property
    def from_price_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.from_price, "end")

    @cached_property
    def around_the_clock_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.around_the_clock)

    @cached_property
    def code_word_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.code_words)

    @cached_property
    def event_word_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.event_words)

    @cached_property
    def anchor_re(self) -> "regex.Pattern[str] | None":
        if not self.anchors:
            return None
        words = _alternation(self.anchors, self.spaces)
        return compile_pattern(words + r"\s*(?:the|your|der|die|das|dem|den|ihrer|ihres|deg|din|ditt|di|du)?\s*$", regex.IGNORECASE | regex.V1)

    def fold(self, text: str) -> str:
        return text.casefold()

    @cached_property
    def number_pattern(self) -> str:
        words = _alternation(list(self.numbers), self.spaces) if self.numbers else "(?!)"
        # (?<!\d): a number starts where its digits start; trying every digit of "1111…"
        # would make a long run of digits quadratic, and finds nothing the first digit does not
        return rf"(?:(?<!\d)\d+(?:[.,]\d+)?|{words})"

    @cached_property
    def duration_re(self) -> "regex.Pattern[str]":
        units = _alternation(list(self.units), self.spaces)
        return compile_pattern(
            rf"(?P<x24>(?<!\d)(?P<n24>\d+)\s*[x×]\s*24\s*(?:jam|hours?|h))|(?P<num>{self.number_pattern})(?:\s*(?:-|–|to|bis|til|〜|~|sampai)\s*(?P<num2>{self.number_pattern}))?[\s-]*(?P<unit>{units})",
            regex.IGNORECASE | regex.V1,
        )

    @cached_property
    def money_re(self) -> "regex.Pattern[str]":
        marks = sorted(self.currencies, key=len, reverse=True)
        mark = "|".join(regex.escape(m) for m in marks)
        # (at most six groups of thousands: unbounded, "111 111 111 …" made every group start a
        # scan to the end of the run)
        amount = r"\d{1,3}(?:[ .,\u00a0]\d{3}){0,6}(?:[.,]\d{1,2})?(?:,-)?|\d+(?:[.,]\d{1,2})?(?:,-)?"
        return compile_pattern(
            # Latin letters and digits bound an amount; Japanese text may touch it (月額3,980円です).
            # ("IDR 279k", "Rp99rb": a multiplier may follow the amount directly)
            rf"(?<![\dA-Za-z$€£¥.,])(?:(?P<cur1>{mark})\s*(?P<amt1>{amount})|(?P<amt2>{amount})\s*(?P<cur2>{mark}))(?!(?!(?:k|rb|jt)(?![A-Za-z\d]))[A-Za-z\d])",
            regex.IGNORECASE | regex.V1,
        )

    @cached_property
    def period_re(self) -> "regex.Pattern[str]":
        pairs = [(p, name) for name, forms in self.periods.items() for p in forms]
        body = "|".join(regex.escape(p).replace(r"\ ", r"\s*") for p, _ in sorted(pairs, key=lambda x: len(x[0]), reverse=True))
        return compile_pattern(rf"^\s*(?:{body})", regex.IGNORECASE | regex.V1)

    @cached_property
    def period_word_re(self) -> "regex.Pattern[str]":
        forms = sorted((p for forms in self.periods.values() for p in forms), key=len, reverse=True)
        body = "|".join(regex.escape(p).replace(r"\ ", r"\s*") for p in forms) or "(?!)"
        return compile_pattern(rf"(?<!\w)(?:{body})(?!\w)" if self.spaces else f"(?:{body})", regex.IGNORECASE | regex.V1)

    def period_in(self, text: str) -> str | None:
        """The billing period a label names anywhere in it ("Price per month", "Monatspreis")."""
        match = self.period_word_re.search(text)
        return self.period_of(match.group(0)) if match else None

    def period_of(self, text: str) -> str | None:
        match = self.period_re.match(text)
        if not match:
            return None
        found = regex.sub(r"\s+", "", match.group(0).strip().casefold())
        for name, forms in self.periods.items():
            if any(regex.sub(r"\s+", "", f.casefold()) == found for f in forms):
                return name
        return None

    @cached_property
    def cue_res(self) -> dict[str, "regex.Pattern[str]"]:
        # a phrase that holds a cue word but cues nothing ("cancellation fee", "キャンセル料") is
        # matched first and skipped, so no cue is found inside it
        skip = f"{_alternation(self.not_cues, self.spaces)}(*SKIP)(*FAIL)|" if self.not_cues else ""
        return {
            fact: compile_pattern(skip + _alternation(cues, self.spaces, self.compounds), regex.IGNORECASE | regex.V1)
            for fact, cues in self.facts.items() if cues
        }

    @cached_property
    def generic_subjects(self) -> frozenset[str]:
        """The canonical kinds of thing the language names ("battery", "annual", "email")."""
        return frozenset(self.subjects.values())

    @cached_property
    def opening_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.opening_words)

    @cached_property
    def service_re(self) -> "regex.Pattern[str] | None":
        return self.words_re(self.service_words)

    @cached_property
    def clause_re(self) -> "regex.Pattern[str]":
        """Where one clause ends and the next begins: a comma or semicolon, or a word that joins
        clauses ("30-day free returns and a 2-year warranty": each period has its own cue)."""
        words = _alternation(self.clause_words, self.spaces) if self.clause_words else "(?!)"
        return compile_pattern(rf"[,;、，；]|{words}", regex.IGNORECASE | regex.V1)

    @cached_property
    def subject_re(self) -> "regex.Pattern[str] | None":
        if not self.subjects:
            return None
        return compile_pattern(_alternation(list(self.subjects), self.spaces), regex.IGNORECASE | regex.V1)

    @cached_property
    def named_subject_re(self) -> "regex.Pattern[str] | None":
        if not self.subject_markers:
            return None
        markers = _alternation(self.subject_markers, self.spaces)
        if self.spaces:
            # "the Pro plan", "Team-Tarif", and marker first: "Paket Premium"
            return compile_pattern(rf"(?<![\w])(\p{{Lu}}[\w+]*)[\s-]+{markers}|{markers}\s+(\p{{Lu}}[\w+]*)", regex.V1)
        # A name starts where a run of its first kind of letter starts (an earlier start in the
        # run finds the same name); trying every letter of a long run would be quadratic.
        return compile_pattern(rf"((?<![\p{{Lu}}A-Za-z])[\p{{Lu}}A-Za-z][\w+]*|(?<![\p{{Katakana}}ー])[\p{{Katakana}}ー]+)\s*{markers}", regex.V1)

    @cached_property
    def _number_words(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for word, value in self.numbers.items():
            found.setdefault(word.casefold(), value)  # the first listed wins, as in a scan
        return found

    @cached_property
    def _unit_words(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for word, unit in self.units.items():
            found.setdefault(regex.sub(r"\s+", " ", word.casefold()), unit)
        return found

    def number(self, text: str) -> float | None:
        text = text.strip().casefold()
        if regex.fullmatch(r"\d+(?:[.,]\d+)?", text):
            return float(text.replace(",", "."))
        value = self._number_words.get(text)
        return float(value) if value is not None else None

    def unit(self, text: str) -> str | None:
        return self._unit_words.get(regex.sub(r"\s+", " ", text.casefold()))

    def currency(self, mark: str) -> str:
        for key, code in self.currencies.items():
            if key.casefold() == mark.casefold():
                return code
        return mark.upper()


def _check(data: Any, file: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("language"), str):
        raise KnowledgeError(f"{file}, key 'language': a claims file names its language")
    unknown = set(data) - KNOWLEDGE_KEYS
    if unknown:
        raise KnowledgeError(f"{file}, key '{sorted(unknown)[0]}': unknown key; allowed: {', '.join(sorted(KNOWLEDGE_KEYS))}")
    for word, unit in (data.get("units") or {}).items():
        if unit not in UNITS:
            raise KnowledgeError(f"{file}, key 'units.{word}': expected one of {', '.join(UNITS)}")
    for name in ("numbers", "units", "periods", "currencies", "days", "day_sets", "facts", "conditions", "desks"):
        if not isinstance(data.get(name, {}), dict):
            raise KnowledgeError(f"{file}, key '{name}': expected a mapping")
    # YAML reads a bare off / on / no / yes as a boolean: every word list must hold text
    lists = [(name, words) for name, words in data.items() if isinstance(words, list)]
    lists += [(f"{name}.{key}", words) for name in ("facts", "conditions", "desks")
              for key, words in (data.get(name) or {}).items() if isinstance(words, list)]
    for name, words in lists:
        bad = [w for w in words if isinstance(w, bool) or w is None]
        if bad:
            raise KnowledgeError(f"{file}, key '{name}': {bad[0]!r} is not text; quote it (\"off\")")
    return data


def _subjects(raw: Any, file: str) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        return {str(s): str(s).casefold() for s in raw}
    if isinstance(raw, dict):
        return {str(k): str(v) for k, v in raw.items()}
    raise KnowledgeError(f"{file}, key 'subjects': expected a list or a mapping word: canonical subject")


def load_knowledge(folders: list[Path]) -> dict[str, Knowledge]:
    """Every rules/claims/*.yaml under the given pack folders; later folders override."""
    found: dict[str, Knowledge] = {}
    for folder in folders:
        for path in sorted((folder / "claims").glob("*.y*ml")):
            file = str(path)
            try:
                raw = load_yaml(path)
            except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
                raise KnowledgeError(f"{file}: cannot read: {error}") from error
            data = _check(raw, file)
            found[data["language"]] = Knowledge(
                lang=data["language"],
                numbers={str(k): int(v) for k, v in (data.get("numbers") or {}).items()},
                units={str(k): str(v) for k, v in (data.get("units") or {}).items()},
                periods={str(k): [str(f) for f in v] for k, v in (data.get("periods") or {}).items()},
                currencies={str(k): str(v) for k, v in (data.get("currencies") or {}).items()},
                days={str(k): int(v) for k, v in (data.get("days") or {}).items()},
                day_sets={str(k): [int(d) for d in v] for k, v in (data.get("day_sets") or {}).items()},
                facts={str(k): [str(c) for c in (v or [])] for k, v in (data.get("facts") or {}).items()},
                subjects=_subjects(data.get("subjects"), file),
                subject_markers=[str(s) for s in data.get("subject_markers") or []],
                spaces=bool(data.get("spaces", True)),
                file=file,
                day_range_words=[str(s) for s in data.get("day_range_words") or []],
                anchors=[str(s) for s in data.get("anchors") or []],
                day_and_words=[str(s) for s in data.get("day_and_words") or []],
                support_mailboxes=[str(s).casefold() for s in data.get("support_mailboxes") or []],
                example_domains=[str(s).casefold() for s in data.get("example_domains") or []],
                region=str(data["region"]).upper() if data.get("region") else None,
                regions=frozenset(str(r).upper() for r in [*(data.get("regions") or []), *([data["region"]] if data.get("region") else [])]),
                after_period=[str(s) for s in data.get("after_period") or []],
                before_period=[str(s) for s in data.get("before_period") or []],
                deadline_before=[str(s) for s in data.get("deadline_before") or []],
                deadline_after=[str(s) for s in data.get("deadline_after") or []],
                prizes=[str(s) for s in data.get("prizes") or []],
                savings=[str(s) for s in data.get("savings") or []],
                not_cues=[str(s) for s in data.get("not_cues") or []],
                receipts=[str(s) for s in data.get("receipts") or []],
                totals=[str(s) for s in data.get("totals") or []],
                conditions={str(k): [str(w) for w in (v or [])] for k, v in (data.get("conditions") or {}).items()},
                clause_words=[str(s) for s in data.get("clause_words") or []],
                compounds=bool(data.get("compounds", False)),
                opening_words=[str(s) for s in data.get("opening_words") or []],
                event_words=[str(s) for s in data.get("event_words") or []],
                not_names=frozenset(str(s).casefold() for s in data.get("not_names") or []),
                phone_words=[str(s) for s in data.get("phone_words") or []],
                order_words=[str(s) for s in data.get("order_words") or []],
                desks={str(k): [str(w) for w in (v or [])] for k, v in (data.get("desks") or {}).items()},
                determiners=frozenset(str(s).casefold() for s in data.get("determiners") or []),
                threshold_before=[str(s) for s in data.get("threshold_before") or []],
                threshold_after=[str(s) for s in data.get("threshold_after") or []],
                from_price=[str(s) for s in data.get("from_price") or []],
                around_the_clock=[str(s) for s in data.get("around_the_clock") or []],
                code_words=[str(s) for s in data.get("code_words") or []],
                service_words=[str(s) for s in data.get("service_words") or []],
            )
    return found
