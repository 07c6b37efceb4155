"""Reading values as written into normalised, comparable forms.

"24 hours" = "1 day" = "24 Stunden" = "1x24 jam"; "kr 499,-" = "499 NOK"; "$29/mo" = "USD 29
monthly"; "Mon–Fri 9–17" = "平日9:00〜17:00". Business days and calendar days stay apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from ..compiled import compile_pattern
from .knowledge import Knowledge

HOURS_PER = {"minute": 1 / 60, "hour": 1, "day": 24, "week": 24 * 7}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Value:
    key: tuple[Any, ...]  # what compares: equal keys are the same fact value
    display: str  # the normalised value in words, for messages
    start: int  # span in the sentence
    end: int


def duration_key(amount: float, unit: str) -> tuple[str, float]:
    if unit in HOURS_PER:
        return ("hours", round(amount * HOURS_PER[unit], 3))
    if unit == "year":
        return ("months", amount * 12)
    if unit == "month":
        return ("months", amount)
    return ("business-days", amount)


def describe_duration(key: tuple[Any, ...]) -> str:
    kind, low = key[0], key[1]
    high = key[2] if len(key) > 2 else None

    def one(amount: float) -> str:
        if kind == "hours":
            if amount < 1:
                minutes = round(amount * 60)
                return f"{minutes} minute{'s' if minutes != 1 else ''}"
            if amount >= 24 and amount % 24 == 0:
                days = amount / 24
                return f"{days:g} day{'s' if days != 1 else ''}"
            return f"{amount:g} hour{'s' if amount != 1 else ''}"
        if kind == "months":
            return f"{amount:g} month{'s' if amount != 1 else ''}"
        return f"{amount:g} business day{'s' if amount != 1 else ''}"

    if high is not None:
        return f"{one(low).split()[0]}–{one(high)}"
    return one(low)


_HALF = compile_pattern(r"(?:half|halben?|halv|setengah|satengah|半)\s*$", regex.IGNORECASE | regex.V1)
# "for 14 years", "seit 14 Jahren", "2025年から": time that has passed, or a date, not a promise
_SINCE = compile_pattern(r"(?:\bsince|\bseit|\bsiden|\bsejak|\bfor over|\bfor more than|\bover|\bmore than)\s*$|月\s*$", regex.IGNORECASE | regex.V1)


def durations(sentence: str, knowledge: Knowledge) -> list[Value]:
    found = []
    for match in knowledge.duration_re.finditer(sentence):
        before = sentence[max(0, match.start() - 14) : match.start()]
        if _HALF.search(before) or _SINCE.search(before):
            continue  # "half a day", "seit 14 Jahren", "3月12日": not a period that is promised
        if match.group("num") and regex.fullmatch(r"\d{4}", match.group("num")):
            continue  # "2025年", "1998 years"? a year, not a duration
        if match.group("x24"):
            key: tuple[Any, ...] = duration_key(float(match.group("n24")) * 24, "hour")
        else:
            amount = knowledge.number(match.group("num"))
            unit = knowledge.unit(match.group("unit"))
            if amount is None or unit is None:
                continue
            key = duration_key(amount, unit)
            if match.group("num2"):
                high = knowledge.number(match.group("num2"))
                if high is not None and high > amount:
                    key = (*key, duration_key(high, unit)[1])
        found.append(Value(key, describe_duration(key), match.start(), match.end()))
    return found


def parse_amount(text: str) -> float:
    """'1.299' and '1 299' are thousands, '29.90' and '29,90' decimals, '499,-' whole kroner."""
    text = text.replace("\u00a0", " ").removesuffix(",-").strip()
    groups = regex.split(r"[ .,]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and len(groups[-1]) == 3:
        return float("".join(groups))
    if len(groups) > 1:
        return float("".join(groups[:-1]) + "." + groups[-1])
    return float(text)




_MULTIPLIERS = {"k": 1e3, "rb": 1e3, "ribu": 1e3, "rebu": 1e3, "rébu": 1e3, "jt": 1e6, "juta": 1e6, "mio": 1e6,
                "million": 1e6, "millionen": 1e6, "mill": 1e6, "tsd": 1e3, "tusen": 1e3, "万": 1e4}
_MULTIPLIER = compile_pattern(r"\s*(k|rb|ribu|rebu|rébu|jt|juta|mio\.?|millionen|million|mill\.?|tsd\.?|tusen|万)(?![\w])", regex.IGNORECASE | regex.V1)


def _period_before(text: str, knowledge: Knowledge) -> str | None:
    """A period written before the amount: 月額1,980円, monatlich 9 €."""
    tail = text[-8:]
    for name, forms in knowledge.periods.items():
        for form in forms:
            if form and tail.rstrip().casefold().endswith(form.casefold()):
                return name
    return None


def billed(amount: Value, period: str) -> Value:
    """An amount billed once, per month or per year: the period joins its key and its words."""
    suffix = {"month": " per month", "year": " per year"}.get(period, "")
    return Value((*amount.key[:3], period), amount.display + suffix, amount.start, amount.end)


def prices(sentence: str, knowledge: Knowledge) -> list[Value]:
    found = []
    for match in knowledge.money_re.finditer(sentence):
        mark = match.group("cur1") or match.group("cur2")
        amount_text = match.group("amt1") or match.group("amt2")
        try:
            amount = parse_amount(amount_text)
        except ValueError:
            continue
        multiplier = _MULTIPLIER.match(sentence, match.end())
        after = match.end()
        if multiplier:  # "Rp100 rébu", "Rp99rb", "2 juta", "5 Mio."
            amount *= _MULTIPLIERS[multiplier.group(1).casefold().rstrip(".")]
            after = multiplier.end()
        currency = knowledge.currency(mark)
        # (_period_before reads the last 8 characters before the amount: pass only those)
        period = knowledge.period_of(sentence[after:]) or _period_before(sentence[max(0, match.start() - 8) : match.start()], knowledge) or "once"
        shown = f"{int(amount):,}" if float(amount).is_integer() else f"{amount:,.2f}"
        found.append(billed(Value(("money", currency, round(amount, 2), "once"), f"{currency} {shown}", match.start(), match.end()), period))
    return found


def percents(sentence: str) -> list[Value]:
    found = [
        Value(("percent", float(m.group(1).replace(",", "."))), f"{m.group(1)} %", m.start(), m.end())
        for m in regex.finditer(r"(?<!\d)(\d+(?:[.,]\d+)?)\s?(?:%|％|prozent\b|prosent\b|persen\b|persén\b|percent\b|per cent\b|パーセント)", sentence, regex.IGNORECASE)
    ]
    # 2割引 = 20 % off; 半額 = half price
    found += [Value(("percent", float(m.group(1)) * 10), f"{int(m.group(1)) * 10} %", m.start(), m.end())
              for m in regex.finditer(r"(\d)割(?:引|オフ)", sentence)]
    found += [Value(("percent", 50.0), "50 %", m.start(), m.end()) for m in regex.finditer(r"半額|half price|halber preis|halv pris", sentence, regex.IGNORECASE)]
    return found


_TIME = r"(?P<{h}>\d{{1,2}})(?:\s*[:.時]\s*(?P<{m}>\d{{2}}))?\s*(?P<{ap}>a\.?m\.?|p\.?m\.?)?(?:\s*(?:uhr|h\b|時|分|wib|wita|wit))?"
_DASH = r"\s*(?:-|–|—|to|bis|til|〜|~|～|から|sampai|s/d|s\.d\.|nepi ka|dugi ka|hingga)\s*(?:tabuh|pukul|kl\.?)?\s*"
_CLOCK = compile_pattern(r"\d[:.]\d{2}|\d\s*[ap]\.?m\b|\d\s*(?:uhr|時|h\b)", regex.IGNORECASE | regex.V1)  # a time of day, not a count
_OPEN_ALL = compile_pattern(r"\b24\s*/\s*7\b")  # the same in every language; words are each language's around_the_clock


def _minutes(hour: str, minute: str | None, meridiem: str | None) -> int:
    value = int(hour) % 24
    if meridiem and meridiem.lower().startswith("p") and value < 12:
        value += 12
    if meridiem and meridiem.lower().startswith("a") and value == 12:
        value = 0
    return value * 60 + int(minute or 0)


def opening_hours(sentence: str, knowledge: Knowledge) -> list[Value]:
    """'Mon–Fri 9–17', 'Monday to Friday, 9am–5pm', 'Mo.–Fr. von 8 bis 18 Uhr', 'man–fre kl. 08.00–16.00',
    '平日9時〜17時', 'Senin–Jumat pukul 08.00–17.00 WIB', and '24/7'."""
    found = []
    match = _OPEN_ALL.search(sentence) or (knowledge.around_the_clock_re.search(sentence) if knowledge.around_the_clock_re is not None else None)
    if match and knowledge.facts.get("support-hours"):
        found.append(Value(("hours-open", tuple(range(7)), 0, 1440), "every day, around the clock", match.start(), match.end()))
    if not knowledge.days and not knowledge.day_sets:
        return found
    for match in _hours_pattern(knowledge).finditer(sentence):
        days = _day_set(match.group("d1"), match.group("d2"), knowledge) if match.group("d1") else (
            # days after need hours that read as times ("9 a.m. to 5 p.m. on weekdays"): "1–2
            # hari kerja" is a number of working days
            _day_set(match.group("e1"), match.group("e2"), knowledge) if match.group("e1") and _CLOCK.search(match.group(0)) else ())
        if match.group("d0") and days:
            days = tuple(sorted(set(days) | set(_lookup_day(match.group("d0"), knowledge) or ())))
        # "9–11am": the end's am belongs to the start too; "9am–5pm" has its own
        end_meridiem = match.group("a2") or ""
        start = _minutes(match.group("h1"), match.group("m1"), match.group("a1") or (end_meridiem if end_meridiem.lower().startswith("a") else None))
        end = _minutes(match.group("h2"), match.group("m2"), match.group("a2"))
        if int(match.group("h2")) == 24:
            end = 1440
        if not days or end <= start:
            continue
        key = ("hours-open", days, start, end)
        found.append(Value(key, f"{_describe_days(days)} {start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}", match.start(), match.end()))
    return found


_HOURS: dict[int, tuple[Knowledge, "regex.Pattern[str]"]] = {}


def _hours_pattern(knowledge: Knowledge) -> "regex.Pattern[str]":
    """The language's opening-hours expression, built once per language, not per sentence."""
    cached = _HOURS.get(id(knowledge))
    if cached is not None and cached[0] is knowledge:
        return cached[1]
    names = sorted(list(knowledge.days) + list(knowledge.day_sets), key=len, reverse=True)
    day = "|".join(regex.escape(n) for n in names)
    bound = r"(?<![\w])" if knowledge.spaces else ""
    end_bound = r"\.?(?![\w])" if knowledge.spaces else ""
    lead = r"(?:from|von|fra|kl\.?|klokken|pukul|jam|tabuh|ti tabuh|ti|between|zwischen|mellom|dari)?"
    # "Sa und So 9–18", "Sat & Sun 10–16": a day before the day (or range) the hours follow
    joined = "|".join(regex.escape(w) for w in knowledge.day_and_words) or "(?!)"
    # ... or the days after the hours ("9 a.m. to 5 p.m. on weekdays", "9:00〜18:00（土日祝を除く）"),
    # looked at but not taken: a day that opens the next hours ("…, Sa 10–14") is theirs
    after = (rf"(?=[\s,(（]*(?:\p{{L}}{{1,6}}\s+)?{bound}(?P<e1>{day}){end_bound}"
             rf"(?:{_DASH}{bound}(?P<e2>{day}){end_bound})?(?![\s,:]*\d))?")
    pattern = compile_pattern(
        rf"(?:(?:{bound}(?P<d0>{day}){end_bound}\s*(?:{joined})\s*)?"
        rf"{bound}(?P<d1>{day}){end_bound}(?:{_DASH}{bound}(?P<d2>{day}){end_bound})?[\s,:]*(?:{lead}\s*)?)?"
        + r"(?<!\d)(?<!\d[:.])"  # not the middle of "10:30" or of a longer number
        + _TIME.format(h="h1", m="m1", ap="a1") + _DASH + _TIME.format(h="h2", m="m2", ap="a2") + after,
        regex.IGNORECASE | regex.V1,
    )
    _HOURS[id(knowledge)] = (knowledge, pattern)
    return pattern


def _lookup_day(name: str, knowledge: Knowledge) -> tuple[int, ...] | None:
    folded = name.casefold()
    for key, value in knowledge.day_sets.items():
        if key.casefold() == folded:
            return tuple(value)
    for key, number in knowledge.days.items():
        if key.casefold() == folded:
            return (number,)
    return None


def _day_set(first: str, last: str | None, knowledge: Knowledge) -> tuple[int, ...]:
    start = _lookup_day(first, knowledge)
    if start is None:
        return ()
    if last is None:
        return start
    end = _lookup_day(last, knowledge)
    if end is None or len(start) != 1 or len(end) != 1:
        return ()
    a, b = start[0], end[0]
    return tuple(range(a, b + 1)) if a <= b else tuple(list(range(a, 7)) + list(range(0, b + 1)))


def _describe_days(days: tuple[int, ...]) -> str:
    if len(days) > 1 and list(days) == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}–{DAY_NAMES[days[-1]]}"
    return ",".join(DAY_NAMES[d] for d in days)


# What libphonenumber accepts between the digit groups of a number (its VALID_PUNCTUATION, at
# most four in a row). A sentence without seven digits joined so holds no number we keep (a
# national number of seven digits or more): the matcher, which parses every candidate
# ("12, 0155" in an address) at some cost, is not asked.
_PHONE_LIKE = compile_pattern("\\d(?:[-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \u00a0\u00ad\u200b\u2060\u3000()\uff08\uff09\uff3b\uff3d.\\[\\]/~\u2053\u223c\uff5e]{0,4}\\d){6}")


PHONE_TRIES = 32


def phones(sentence: str, region: str | None) -> list[Value]:
    if not _PHONE_LIKE.search(sentence):
        return []
    import phonenumbers

    found = []
    try:
        # max_tries: a sentence with more candidates that are no number than this is a list of
        # digits, not contact details (each candidate costs a full parse)
        matcher = phonenumbers.PhoneNumberMatcher(sentence, region or "ZZ", leniency=phonenumbers.Leniency.VALID, max_tries=PHONE_TRIES)
        for match in matcher:
            if len(str(match.number.national_number)) < 7:
                continue  # a short code or part of a foreign number, not a support line
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            pretty = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            found.append(Value(("phone", e164), pretty, match.start, match.end))
    except Exception:  # noqa: BLE001 - a library hiccup on odd text must not stop the run
        return found
    return found


_EMAIL = compile_pattern(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")


_GLUED_WORD = compile_pattern(r"\.\p{Lu}\p{Ll}+$", regex.V1)


def emails(sentence: str) -> list[Value]:
    found = []
    for m in _EMAIL.finditer(sentence):
        # "…@service.alibaba.com.Also in …": the next sentence's first word, glued on by a
        # missing space, is no part of the address
        address = _GLUED_WORD.sub("", m.group(0).rstrip("."))
        found.append(Value(("email", address.casefold()), address, m.start(), m.start() + len(address)))
    return found


# A street address with a house number and a postcode: "Storgata 12, 0155 Oslo", "Hauptstraße 5,
# 10115 Berlin", "12 Quay Street, Bristol BS1 4DJ", "Jl. Sudirman No. 5, Jakarta 10220", "〒100-0005".
_STREET_WORDS = r"(?:gate|gata|gaten|veien|vei|vegen|plass|plassen|allé|stra(?:ß|ss)e|str\.|weg|platz|gasse|allee|ring|street|st\.|road|rd\.|avenue|ave\.?|lane|way|square)"
# The street is read backwards from the house number (a look-behind tried only where a run of
# digits starts): read forwards from every capital letter, a long run of letters made the
# search quadratic. A street the earlier match already took is not read twice.
_ADDRESS = compile_pattern(
    rf"(?<!\d)(?=\d)(?<=(?P<street>\p{{Lu}}[\p{{L}}.\-]*{_STREET_WORDS}|(?:\p{{Lu}}[\p{{L}}.\-]+\s)+(?:Street|Road|Avenue|Lane|Way|Square|St\.|Rd\.)|\p{{Lu}}[\p{{L}}\-]+)\s+)(?P<number>\d+[a-zA-Z]?)"
    rf"(?:,\s*|\s+)(?P<postcode>\d{{4,5}})\s+(?P<city>\p{{Lu}}[\p{{L}}\-]+)"
    rf"|(?P<jl>(?:Jl\.|Jalan)\s+[\p{{L}} .]{{1,80}}?)\s+(?:No\.?\s*)?(?P<jnum>\d+[a-zA-Z]?)[^.\n]{{0,40}}?(?P<jpost>\d{{5}})"
    rf"|〒\s?(?P<jp>\d{{3}}-?\d{{4}})",
    regex.V1,
)


def addresses(sentence: str) -> list[Value]:
    found = []
    taken = 0  # where the last address ended
    for match in _ADDRESS.finditer(sentence):
        start = match.start("street") if match.group("street") is not None else match.start()
        if start < taken:
            continue
        taken = match.end()
        if match.group("jp"):
            key: tuple[Any, ...] = ("address", "jp", match.group("jp").replace("-", ""))
        elif match.group("jl"):
            street = regex.sub(r"^(?:jl\.|jalan)\s+", "", match.group("jl").casefold()).strip()
            key = ("address", street, match.group("jnum").casefold(), match.group("jpost"))
        else:
            street = regex.sub(r"str\.$", "straße", match.group("street").casefold().replace("strasse", "straße"))
            key = ("address", street, match.group("number").casefold(), match.group("postcode"))
        found.append(Value(key, " ".join(sentence[start : match.end()].split()), start, match.end()))
    return found
