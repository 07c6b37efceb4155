"""What is customer copy and what is not: the knowledge in rules/copy.yaml, compiled once per
process, and the language-neutral tests built on it.

Extraction gives text that is not copy its own block kind (NOT_COPY) and keeps it in
Document.text, so positions stay right and rules can skip it. The words live in YAML, one key
per language; all languages are matched at once, since a block's language is decided later.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from ..compiled import compile_pattern, load_yaml
from ..packs import builtin_pack_folder

NOT_COPY = frozenset({"furniture", "signature", "quote", "code", "data"})

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_EDGES = " \t\r\n,.;:!?-–—…*_|>•·。、！？：；"
# Data: a run of 100+ printable ASCII characters without a space (a URL, a token, base64), a
# data: URI, or several lines of base64. Every kind has a 40-character token, so candidates are
# found first by one scan in C, and only those are looked at closely.
_RUN = re.compile(r"\S{40,}")
_LONG_ASCII = re.compile(r"[\x21-\x7e]{100,}")
_DATA_URI = re.compile(r"(?<![\w.-])data:[a-z]+/[\w.+-]+(?:;[\w.=-]+)*;base64,[A-Za-z0-9+/=]+", re.I)
_BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_BASE64_TAIL = re.compile(r"\s+[A-Za-z0-9+/]{1,39}={0,2}(?!\S)")
BASE64_LINE = re.compile(r"[ \t]*[A-Za-z0-9+/]{40,}={0,2}[ \t]*\r?\n?")
_BREADCRUMB_SEPARATOR = re.compile(r"\s(?:>|›|»|/|\\|→|>>)\s")
_WORD = re.compile(r"[^\W\d_]+")
_CONTACT = re.compile(r"@|https?://|www\.|\+?\d[\d ()./-]{6,}\d")


@dataclass(frozen=True)
class CopyKnowledge:
    names: dict[str, str]
    closings: frozenset[str]
    attributions: tuple[re.Pattern[str], ...]
    separators: frozenset[str]
    header_from: frozenset[str]
    header_other: frozenset[str]
    share: re.Pattern[str]
    networks: re.Pattern[str]
    toc_titles: frozenset[str]
    related_titles: frozenset[str]
    rights: re.Pattern[str]
    copyright_line: re.Pattern[str]
    cookie: re.Pattern[str]
    consent: re.Pattern[str]
    boilerplate: re.Pattern[str]
    furniture_class_words: frozenset[str]
    quote_classes: frozenset[str]
    reply_after_ids: frozenset[str]
    code_commands: frozenset[str]
    nynorsk: tuple[frozenset[str], tuple[str, ...]]  # words, endings
    bokmal: tuple[frozenset[str], tuple[str, ...]]


def normalise(text: str) -> str:
    """Case-folded, whitespace collapsed, punctuation at either end dropped."""
    return " ".join(text.casefold().split()).strip(_EDGES)


def _phrases(items: Iterable[str]) -> re.Pattern[str]:
    """One pattern for all phrases; a phrase in Latin letters matches whole words only."""
    parts = []
    for phrase in sorted({normalise(str(p)) for p in items if str(p).strip()}, key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        before = "" if _CJK.match(phrase) else r"(?<!\w)"
        after = "" if _CJK.search(phrase[-1]) else r"(?!\w)"
        parts.append(before + body + after)
    return compile_pattern("|".join(parts) or r"(?!)", re.I)  # type: ignore[return-value]  # (kept compiled in the cache)


def _list(entry: Any, key: str) -> list[str]:
    value = entry.get(key, []) if isinstance(entry, dict) else []
    return [str(v) for v in value] if isinstance(value, list) else []


@lru_cache(maxsize=1)
def knowledge() -> CopyKnowledge:
    """rules/copy.yaml, read on first use and kept for the process."""
    path = builtin_pack_folder() / "copy.yaml"
    try:
        data = load_yaml(path) or {}
    except (OSError, yaml.YAMLError):
        data = {}  # a broken install: extraction still works, it only marks less
    shared = data.get("any", {}) if isinstance(data.get("any"), dict) else {}
    languages = {code: entry for code, entry in data.items() if isinstance(entry, dict) and code != "any"}

    def every(key: str) -> list[str]:
        return [item for entry in languages.values() for item in _list(entry, key)]

    def headers(which: str) -> frozenset[str]:
        found = []
        for entry in languages.values():
            found += _list(entry.get("forward_headers", {}), which)
        return frozenset(normalise(h) for h in found)

    def distinguishing(code: str, key: str) -> tuple[frozenset[str], tuple[str, ...]]:
        entry = languages.get(code, {}).get(key, {})
        return frozenset(w.casefold() for w in _list(entry, "words")), tuple(_list(entry, "endings"))

    attributions = []
    for pattern in every("reply_attributions"):
        try:
            attributions.append(re.compile(pattern, re.I))
        except re.error:
            continue
    return CopyKnowledge(
        names={code: str(entry.get("name", code)) for code, entry in languages.items()},
        closings=frozenset(normalise(c) for c in every("closings")),
        attributions=tuple(attributions),
        separators=frozenset(normalise(s) for s in every("reply_separators")),
        header_from=headers("from"),
        header_other=headers("other"),
        share=_phrases(every("share_words")),
        networks=_phrases(_list(shared, "social_networks")),
        toc_titles=frozenset(normalise(t) for t in every("toc_titles")),
        related_titles=frozenset(normalise(t) for t in every("related_titles")),
        rights=_phrases(every("copyright")),
        copyright_line=re.compile(
            r"(?:%s)\s*(?:©\s*)?\d{4}" % "|".join(re.escape(m) for m in _list(shared, "copyright_marks") or ["©"]), re.I
        ),
        cookie=_phrases(every("cookie")),
        consent=_phrases(every("consent")),
        boilerplate=_phrases(every("boilerplate")),
        furniture_class_words=frozenset(w.casefold() for w in _list(shared, "furniture_class_words")),
        quote_classes=frozenset(c.casefold() for c in _list(shared, "quote_classes")),
        reply_after_ids=frozenset(c.casefold() for c in _list(shared, "reply_after_ids")),
        code_commands=frozenset(_list(shared, "code_commands")),
        nynorsk=distinguishing("nn", "not_nb"),
        bokmal=distinguishing("nb", "not_nn"),
    )


def language_name(code: str) -> str:
    return knowledge().names.get(code, code)


# -- data -----------------------------------------------------------------------------------
def _alphanumeric(token: str) -> bool:
    """A URL, a key or base64 is mostly letters and digits; "!!!!…" or "=====" is not data but
    punctuation that tone rules read (judged on the token's start: it may be megabytes long)."""
    sample = token[:2000]
    return len(_NOT_ALNUM.sub("", sample)) >= 0.3 * len(sample)


def data_spans(text: str) -> list[tuple[int, int]]:
    """Stretches of `text` that are data, not words: merged, in order."""
    spans: list[tuple[int, int]] = []
    base64: list[tuple[int, int]] = []
    for run in _RUN.finditer(text):
        start, token = run.start(), run.group()
        if len(token) >= 100:
            spans.extend((start + m.start(), start + m.end()) for m in _LONG_ASCII.finditer(token) if _alphanumeric(m.group()))
        spans.extend((start + m.start(), start + m.end()) for m in _DATA_URI.finditer(token))
        if _BASE64_TOKEN.fullmatch(token):
            base64.append(run.span())
    # base64 lines: two or more such tokens with only whitespace between, and a short last one
    index = 0
    while index < len(base64):
        end = index
        while end + 1 < len(base64) and not text[base64[end][1] : base64[end + 1][0]].strip():
            end += 1
        if end > index:
            tail = _BASE64_TAIL.match(text, base64[end][1])
            spans.append((base64[index][0], tail.end() if tail else base64[end][1]))
        index = end + 1
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():  # only a space between: one stretch
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# -- mail structure -------------------------------------------------------------------------
_HEADER_NAME = re.compile(r"^\s*\*{0,2}([^\W\d_][\w .-]{0,24}?)\*{0,2}\s*[:：]")


def is_closing(line: str) -> bool:
    """"Best regards," or "Mit freundlichen Grüßen" or "Thanks, Anna" on a line of its own."""
    text = normalise(line)
    if not text or len(text) > 60:
        return False
    closings = knowledge().closings
    if text in closings:
        return True
    head, comma, tail = text.partition(",")
    return bool(comma) and head.strip() in closings and len(tail.split()) <= 4


def is_attribution(line: str) -> bool:
    """"On Mon, 3 Jun 2024, Anna wrote:" and its kin in other languages."""
    text = " ".join(line.split())
    if not text or len(text) > 400:
        return False
    return any(pattern.search(text) for pattern in knowledge().attributions)


# What a mail program's attribution carries and a sentence that ends in "wrote:" seldom does:
# an address, a time, a year or a numeric date.
_ATTRIBUTION_DETAIL = re.compile(r"@|\d{1,2}[:.]\d{2}\b|\b\d{4}\b")


def attribution_with_details(text: str) -> bool:
    return _ATTRIBUTION_DETAIL.search(text) is not None


def is_reply_separator(line: str) -> bool:
    """"-----Original Message-----", "---------- Forwarded message ---------" and the like."""
    text = normalise(line.strip().strip("-_=*<> \t"))
    return bool(text) and text in knowledge().separators


def header_kind(line: str) -> str | None:
    """"from" for "From: …" ("Von:", "Fra:"...), "other" for Sent/To/Subject..., else None."""
    match = _HEADER_NAME.match(line)
    if not match:
        return None
    name = normalise(match.group(1))
    found = knowledge()
    return "from" if name in found.header_from else "other" if name in found.header_other else None


def forwarded_header_text(text: str) -> bool:
    """A block that is a forwarded header: "From: … Sent: … To: … Subject: …" on one line."""
    if header_kind(text) != "from":
        return False
    names = re.findall(r"(?:^|\s)\*{0,2}([^\W\d_][\w-]{0,20})\*{0,2}\s*[:：]", text[:1000])
    return sum(1 for name in names if normalise(name) in knowledge().header_other) >= 2


def signature_like(line: str) -> bool:
    """A line of a signature: a name, a title, a company, a phone, an address; not a sentence."""
    text = line.strip()
    words = text.split()
    if len(words) > 15:
        return False  # a sentence, even one that names an address
    if _CONTACT.search(text):
        return True
    if len(words) > 8 or text.endswith(("!", "?")):
        return False
    lower = [w for w in _WORD.findall(text)[1:] if w[0].islower()]
    return not (text.endswith(".") and len(words) >= 3 and lower)


# -- code -----------------------------------------------------------------------------------
_PROMPT = re.compile(r"^\s*(?:\$|PS [A-Z]:\\[^>]*>|[A-Z]:\\[^>]*>)\s*\S")
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*\S+\s*$")
_JSONISH = re.compile(r'^\s*(?:[{}\[\]],?|"[\w.-]+"\s*:\s*.+?,?)\s*$')
_CODE_PUNCTUATION = re.compile(r"[;{}]|\)\s*$|=>|->|::")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def code_commands() -> frozenset[str]:
    return knowledge().code_commands


def is_code_line(line: str) -> bool:
    """A shell command, a config or JSON line pasted into a mail or a text file."""
    if _PROMPT.match(line) or _ASSIGNMENT.match(line) or _JSONISH.match(line):
        return True
    words = line.split()
    if words and words[0] in knowledge().code_commands and len(words) > 1:
        return bool(re.search(r"(?:^|\s)(?:-{1,2}\w|[\w.~]*[/=:][\w./=:-]*)", line))
    indented = line.startswith(("    ", "\t"))
    return indented and bool(_CODE_PUNCTUATION.search(line))


def looks_like_prose(text: str) -> bool:
    """Sentences in a code container (an indented Markdown paragraph, a <pre> mail): copy."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    prose = 0
    for line in lines:
        letters = sum(len(w) for w in _WORD.findall(line))
        if len(_WORD.findall(line)) >= 5 and letters + line.count(" ") >= 0.85 * len(line.strip()):
            prose += 1
    return prose >= max(1, len(lines) / 2)


# -- page furniture by its words --------------------------------------------------------------
def is_heading_of(text: str, titles: frozenset[str]) -> bool:
    return len(text) <= 60 and normalise(text) in titles


def is_share_row(text: str) -> bool:
    """"Share: Facebook Twitter LinkedIn", "Teilen", "シェアする": share words and network names only."""
    if len(text) > 160:
        return False
    found = knowledge()
    folded = text.casefold()
    if not (found.networks.search(folded) or found.share.search(folded)):
        return False
    rest = found.share.sub(" ", found.networks.sub(" ", folded))
    return not _WORD.search(rest)


def is_copyright(text: str) -> bool:
    if len(text) > 250:
        return False
    found = knowledge()
    if found.copyright_line.match(text.lstrip()) or (len(text) <= 120 and re.search(r"©\s*(?:\d{4}|[^\W\d_])", text)):
        return True  # "© 2024 Acme", "Copyright 2024", "Acme © Nordlys AS"; not a "©" in a sentence
    return bool(found.rights.search(text))


def is_cookie_notice(text: str) -> bool:
    found = knowledge()
    return len(text) <= 500 and bool(found.cookie.search(text)) and bool(found.consent.search(text))


def is_boilerplate(text: str, limit: int = 300) -> bool:
    """"Unsubscribe", "View this email in your browser", "Skip to content" in a short block."""
    return len(text) <= limit and bool(knowledge().boilerplate.search(text))


def is_breadcrumb(text: str) -> bool:
    """"Home > Shop > Kettles": short parts joined by arrows or slashes."""
    parts = _BREADCRUMB_SEPARATOR.split(text)
    return len(parts) >= 3 and len(text) <= 150 and all(0 < len(p.split()) <= 4 for p in parts)


def furniture_class(value: str) -> bool:
    """A class or id naming furniture ("site-footer", "share-buttons", "breadcrumbs"); state
    classes on wrappers ("has-sidebar", "nav-open") do not count."""
    words = knowledge().furniture_class_words
    for token in value.casefold().split():
        if token.startswith(("has-", "with-", "no-", "is-", "show-", "hide-", "js-")) or token.endswith(("-open", "-active")):
            continue
        if token in words or any(part in words for part in re.split(r"[-_]", token)):
            return True
    return False
