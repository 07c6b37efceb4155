"""Does a sentence really make the claim its marker word suggests?

A rule finds a marker ("always", "guaranteed", "soon", "必ず"); the checks here decide whether the
sentence around it is the sender's own unqualified claim or promise. Each check is named in the
rule's `context:` list and reads its language's closed classes from rules/languages/<lang>.yaml
(`context:` there). Nothing here knows a word of any language.

- negation: a negator earlier in the marker's clause ("we cannot guarantee every …"), or, in
  languages that negate after the verb, later in it ("保証できません"). The clause, not a word window,
  is the negation's scope: "never late, but we can't refund postage" keeps its claim.
- hedge: a hedge anywhere in the sentence ("usually", "we aim to", "in most cases").
- question: the sentence asks.
- quote: the marker is inside quotation marks, or the sentence reports someone else's words.
- condition: the marker's clause is a condition ("if it is ever late …").
- conditional: a condition opens the sentence ("If your home cannot be locked, you can …").
- past: the clause tells what happened ("the parcel arrived immediately").
- duty: the sentence states the reader's duty ("you must always keep your PIN secret").
- own-duty: as duty, but a promise in a clause of its own after the reader's step still counts
  ("Send us a message, and we'll be in touch soon").
- name: the marker is part of a name ("the Unlimited plan", "A-to-z Guarantee").
- voice: the sentence speaks for the sender (we, our) or to the reader (you, your).
- legal: the sentence is in a contract's register ("hereby", "pursuant to", "arbitration").
- contract: the whole document is (terms, a privacy policy): checked by the engine, which holds
  the document (legal_document).
- specialist: the whole document is written for specialists: it carries code or configuration
  (a reply to a developer, API documentation), so its technical terms are the reader's own words.
  Checked by the engine (for_specialists).
- sequence: the act is a step ordered against another ("first", "before"), not a wait.
- mention: a template token is talked about, or is a field for the reader to fill in; and any
  token of a document that explains templates ("merge tag", "flettefelt", "Platzhalter": the
  `templates` class), checked by the engine (about_templates).
"""
from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..compiled import compile_pattern

# (compiled once here: these run for every token of every block)
_NUMBER_NEXT = compile_pattern(r"\s*\d[\d.,]*(?!\s*[%％])(?:\s|$)")
_WORD_BEFORE = compile_pattern(r"([\p{L}\-]+)\s+$")
_WORDS = compile_pattern(r"[\p{L}][\p{L}\-']*")
_CAPITALISED_NEXT = compile_pattern(r"[ \t]+\p{Lu}\p{Ll}+")
_CAPITALISED_BEFORE = compile_pattern(r"(?:\p{Lu}[\p{L}\-]*[\s\-]+)$")
_CAPITAL_NEXT = compile_pattern(r"[\s\-]+\p{Lu}")


CHECKS = ("negation", "hedge", "question", "quote", "condition", "conditional", "past", "duty", "own-duty", "name", "voice", "legal", "contract", "specialist", "sequence", "mention")
CONTEXT_KEYS = {
    "clause_breaks", "negation", "negation_after", "hedges", "conditions", "reported", "past",
    "duty", "voice", "names", "question_words", "question_endings", "conditions_after",
    "explains", "explains_before", "legal", "sequence", "mentions", "templates", "opening_names",
    "kinds",
}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


@dataclass(frozen=True)
class LanguageContext:
    """One language's closed classes for the checks, compiled once."""

    spaces: bool
    clause_breaks: "regex.Pattern[str] | None"
    negation: "regex.Pattern[str] | None"
    negation_after: "regex.Pattern[str] | None"
    hedges: "regex.Pattern[str] | None"
    conditions: "regex.Pattern[str] | None"
    reported: "regex.Pattern[str] | None"
    past: "regex.Pattern[str] | None"
    duty: "regex.Pattern[str] | None"
    voice: "regex.Pattern[str] | None"
    question_words: "regex.Pattern[str] | None"
    names: str  # "cased": a Capitalised marker inside a sentence is a name; "hyphenated"; "none"
    explains: tuple[str, ...] = ()  # "stands for", "means": a term explained after it (rarity.py)
    explains_before: tuple[str, ...] = ()  # "short", "kurz": the term follows its explanation
    question_endings: "regex.Pattern[str] | None" = None  # ja 〜ますか。: a question without "?"
    conditions_after: "regex.Pattern[str] | None" = None  # ja 〜場合、〜たら: the condition follows
    legal: "regex.Pattern[str] | None" = None  # "hereby", "pursuant to": a contract's register
    sequence: "regex.Pattern[str] | None" = None  # "first", "before": a step of a procedure
    mentions: "regex.Pattern[str] | None" = None  # "merge field", "fill in": a token talked about
    templates: "regex.Pattern[str] | None" = None  # "merge tag", "Platzhalter": a document about templates
    opening_names: bool = False  # a sentence that opens "Marker Capitalised …" opens a name ("Alltid Søndag åpner")
    kinds: "regex.Pattern[str] | None" = None  # "Tarif", "plan", "paket": a Capitalised marker after one names it


def _words(items: tuple[str, ...], spaces: bool) -> "regex.Pattern[str] | None":
    """Whole words or phrases (characters where the language has no spaces), folded."""
    if not items:
        return None
    alternatives = []
    for item in sorted(items, key=len, reverse=True):
        body = regex.escape(fold(item)).replace(r"\ ", r"\s+")
        if spaces:  # whole words: bounded where the item itself begins or ends with a letter
            body = (r"(?<![\w'])" if item[:1].isalnum() else "") + body + (r"(?!\w)" if item[-1:].isalnum() else "")
        alternatives.append(body)
    return compile_pattern("|".join(alternatives), regex.V1)


def _endings(items: tuple[str, ...]) -> "regex.Pattern[str] | None":
    """Words that end a sentence (its closing marks and quotes aside)."""
    if not items:
        return None
    body = "|".join(regex.escape(fold(item)) for item in sorted(items, key=len, reverse=True))
    return compile_pattern(r"(?:" + body + r")[\s.。!！?？」』”\"')）]*$", regex.V1)


def _pattern(source: str | None) -> "regex.Pattern[str] | None":
    return compile_pattern(source, regex.V1 | regex.IGNORECASE | regex.MULTILINE) if source else None


def _list(raw: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in raw) if isinstance(raw, (list, tuple)) else ()


@lru_cache(maxsize=None)
def language_context(items: tuple[tuple[str, Any], ...], spaces: bool) -> LanguageContext:
    """Compiled once per language: `items` is the profile's `context` mapping as a tuple."""
    raw = dict(items)
    return LanguageContext(
        spaces=spaces,
        clause_breaks=_pattern(raw.get("clause_breaks")),
        negation=_words(_list(raw.get("negation")), spaces),
        negation_after=_words(_list(raw.get("negation_after")), spaces),
        hedges=_words(_list(raw.get("hedges")), spaces),
        conditions=_words(_list(raw.get("conditions")), spaces),
        reported=_words(_list(raw.get("reported")), spaces),
        past=_pattern(raw.get("past")),
        duty=_pattern(raw.get("duty")),
        voice=_pattern(raw.get("voice")),
        question_words=_words(_list(raw.get("question_words")), spaces),
        names=str(raw.get("names", "none")),
        opening_names=bool(raw.get("opening_names", False)),
        kinds=_words(_list(raw.get("kinds")), spaces),
        explains=_list(raw.get("explains")),
        explains_before=_list(raw.get("explains_before")),
        question_endings=_endings(_list(raw.get("question_endings"))),
        conditions_after=_words(_list(raw.get("conditions_after")), spaces),
        legal=_words(_list(raw.get("legal")), spaces),
        sequence=_words(_list(raw.get("sequence")), spaces),
        mentions=_words(_list(raw.get("mentions")), spaces),
        templates=_words(_list(raw.get("templates")), spaces),
    )


def validate(raw: Any, file: str) -> tuple[tuple[str, Any], ...]:
    """The `context:` mapping of a language profile, checked and frozen (hashable)."""
    from .spec import RuleFileError

    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise RuleFileError(f"{file}, key 'context': expected a mapping")
    unknown = set(raw) - CONTEXT_KEYS
    if unknown:
        raise RuleFileError(f"{file}, key 'context.{sorted(unknown)[0]}': unknown key; allowed: {', '.join(sorted(CONTEXT_KEYS))}")
    for key, value in raw.items():
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            bad = next(item for item in value if not isinstance(item, str))
            raise RuleFileError(f"{file}, key 'context.{key}': {bad!r} is not a word; quote it (YAML reads no, yes, on and off as true/false)")
    for key in ("clause_breaks", "past", "duty", "voice"):
        if key in raw:
            try:
                _pattern(str(raw[key]))
            except regex.error as error:
                raise RuleFileError(f"{file}, key 'context.{key}': invalid regular expression: {error}") from error
    return tuple(sorted((k, tuple(str(x) for x in v) if isinstance(v, list) else str(v)) for k, v in raw.items()))


def clause_bounds(context: LanguageContext, sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of sentence[start:end]: between the nearest clause breaks around it."""
    if context.clause_breaks is None:
        return 0, len(sentence)
    left, right = 0, len(sentence)
    for match in context.clause_breaks.finditer(sentence):
        if match.end() <= start:
            left = match.end() if match.group(0).strip() in ",;:()–—-" or not match.group(0)[:1].isalpha() else match.start()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right


LIST_ITEM_WORDS = 3  # a clause this short before the marker is an item of a list ("endorse, support, or guarantee")


def _list_head(context: LanguageContext, sentence: str, clause_start: int, start: int) -> int:
    """Where the list that the marker's clause ends begins: "we do not endorse, support, or
    guarantee" negates all three verbs, though the commas split them into clauses. A list has at
    least two short items before its head ("…, det garanterer vi" is a clause of its own)."""
    head, item_end, items = clause_start, start, 0
    for _ in range(8):  # a list of at most eight items
        if head == 0 or len(sentence[head:item_end].split()) > LIST_ITEM_WORDS:
            break
        items += 1
        item_end = head - 1
        head, _ = clause_bounds(context, sentence, item_end, item_end)
    return head if items >= 2 else clause_start


LEGAL_DOCUMENT_MARKERS = 4  # distinct words of the legal class that make a whole document a contract
DOCUMENT_READ = 200_000  # characters of a document read for a question about all of it
# One answer per question about a whole document, for the document asked last: the engine asks
# sentence after sentence of the same document.
_DOCUMENT_ANSWERS: "dict[str, tuple[weakref.ref[Any], object, bool]]" = {}


def _document_answer(question: str, doc: Any, key: object, work: "Any") -> bool:
    kept = _DOCUMENT_ANSWERS.get(question)
    if kept is not None and kept[0]() is doc and kept[1] is key:
        return kept[2]
    answer = bool(work())
    _DOCUMENT_ANSWERS[question] = (weakref.ref(doc), key, answer)
    return answer


_CAPITALISED_WORD = r"\p{Lu}[\p{L}\-'’]*"
# what may stand just before a word that opens a sentence, a line, a list item or a quotation
_OPENS_HERE = compile_pattern(r"(?:^|[.!?:;|\n•*#\-–—\"“(])\s*$")


def named_in_document(doc: Any, text: str, start: int, end: int) -> bool:
    """The marker is a word of a Capitalised name the document uses more than once: a programme,
    a plan or a product ("Best Price Guarantee" in the title and the heading, "Deposito Pasti
    Tumbuh", "Paket Bébas Unlimited"), which a claim would not repeat as a title."""
    if not text[start:end][:1].isupper():
        return False
    left = regex.search(r"(?:" + _CAPITALISED_WORD + r"[ \t])+$", text[max(0, start - 80) : start])
    right = regex.match(r"(?:[ \t]" + _CAPITALISED_WORD + r")+", text[end : end + 80])
    if not (left or right):
        return False
    head = left.group(0) if left else ""
    opening = max(0, start - 80) + (left.start() if left else 0)
    if _OPENS_HERE.search(text[max(0, opening - 3) : opening]):
        head = head.split(" ", 1)[1] if " " in head.strip() else ""  # "We" opening a sentence is no part of a name
    phrase = (head + text[start:end] + (right.group(0) if right else "")).strip()
    if " " not in phrase or len(phrase) > 120:
        return False
    # used more than once, and at least once inside a sentence ("our Best Price Guarantee"): a
    # slogan repeated as a title and a heading ("Guaranteed Delivery!") is still a claim. Each
    # phrase is looked up once per document, so many hits do not each read the whole text.
    global _NAMES_SEEN
    if _NAMES_SEEN is None or _NAMES_SEEN[0]() is not doc:
        _NAMES_SEEN = (weakref.ref(doc), {})
    answers = _NAMES_SEEN[1]
    if phrase not in answers:
        answers[phrase] = _used_as_name(doc.text[:DOCUMENT_READ], phrase)
    return answers[phrase]


# phrase -> used as a name, for the document asked last (like _DOCUMENT_ANSWERS)
_NAMES_SEEN: "tuple[weakref.ref[Any], dict[str, bool]] | None" = None


def _used_as_name(body: str, phrase: str) -> bool:
    count, inside = 0, False
    found = body.find(phrase)
    while found >= 0 and count < 50:
        count += 1
        inside = inside or not _OPENS_HERE.search(body[max(0, found - 3) : found])
        found = body.find(phrase, found + len(phrase))
    return count >= 2 and inside


def legal_document(doc: Any, context: LanguageContext) -> bool:
    """The whole document is a contract: terms of service, a privacy policy. Its notices in
    capitals and its guarantees are set by law in every sentence, not only in those that name
    the law."""
    if context.legal is None:
        return False
    legal = context.legal

    def count() -> bool:
        found: set[str] = set()
        for match in legal.finditer(fold(doc.text[:DOCUMENT_READ])):
            found.add(match.group(0))
            if len(found) >= LEGAL_DOCUMENT_MARKERS:
                return True
        return False

    return _document_answer("legal", doc, context, count)


def about_templates(doc: Any, context: LanguageContext) -> bool:
    """The document explains templates (support for a customer who builds newsletters, a help
    article on merge tags): the tokens in it are examples, not fields left unfilled."""
    if context.templates is None:
        return False
    templates = context.templates
    return _document_answer("templates", doc, context, lambda: templates.search(fold(doc.text[:DOCUMENT_READ])) is not None)


def for_specialists(doc: Any) -> bool:
    """The document carries code or configuration (a block the extractor marked as code): it is
    written for developers or administrators, who know the terms of their trade."""
    return _document_answer("specialist", doc, None, lambda: any(block.kind == "code" for block in doc.blocks))


def _has(pattern: "regex.Pattern[str] | None", text: str) -> bool:
    """A closed class (word list, compiled case-folded) in the text."""
    return bool(pattern is not None and pattern.search(fold(text)))


def _matches(pattern: "regex.Pattern[str] | None", text: str) -> bool:
    """A language's regular expression (past, duty, voice): matched without case, but on the
    text as written, so a pattern may insist on case with (?-i:…) ("Sie" is the reader, "sie"
    is they)."""
    return bool(pattern is not None and pattern.search(unicodedata.normalize("NFKC", text).replace("’", "'")))


def _is_name(context: LanguageContext, sentence: str, start: int, end: int, block_kind: str) -> bool:
    marker = sentence[start:end]
    if marker[:1].isupper() and _NUMBER_NEXT.match(sentence[end:]):
        return True  # a plan or a model: "Paket Unlimited 50", "Infinity 2" (not "Guaranteed 100%")
    if context.kinds is not None and marker[:1].isupper():
        # the word just before says what it names: "im Tarif Unbegrenzt M", "Paket Unlimited Imah"
        last = _WORD_BEFORE.search(sentence[:start])
        if last and context.kinds.fullmatch(fold(last.group(1))):
            return True
    if context.names == "none" or block_kind in ("heading", "title"):
        return False
    first = marker.lstrip("\"'“‘„«(")[:1]
    if not first.isupper():
        return False
    letters = [ch for ch in marker if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters) and " " not in marker.strip():
        return False  # the marker itself in capitals ("ASAP", "GUARANTEED"): stressed, not a name
    before = sentence[:start].rstrip()
    words = [w for w in _WORDS.findall(sentence) if len(w) > 1]
    capitalised = sum(1 for w in words if w[:1].isupper())
    if not before or before[-1] in ".!?:;。！？\n•-–—*#" or before.endswith(("“", '"', "‘", "'", "„", "«", "(")):
        # a sentence, quotation or list item opens with it; with a Capitalised word right after
        # it, in a sentence that is not Title Case, it opens a name: "Alltid Søndag åpner …"
        return (context.names == "cased" and context.opening_names and " " not in marker.strip()
                and bool(_CAPITALISED_NEXT.match(sentence[end:]))
                and bool(words) and capitalised / len(words) <= 0.6)
    if words and capitalised / len(words) > 0.6:
        return False  # Title Case Copy, not a name
    if context.names == "cased":
        return True
    # "hyphenated": capitalised nouns are normal; a name shows as a Capitalised neighbour joined to it
    neighbour = _CAPITALISED_BEFORE.search(sentence[:start]) or _CAPITAL_NEXT.match(sentence[end:])
    return bool(neighbour) and ("-" in sentence[max(0, start - 2) : end + 2] or marker[1:2].isupper())


def not_a_claim(
    checks: tuple[str, ...], context: LanguageContext, sentence: str, start: int, end: int, quoted: bool, block_kind: str = "paragraph"
) -> str | None:
    """The first check that says sentence[start:end] is not the sender's claim, or None."""
    clause_start, clause_end = clause_bounds(context, sentence, start, end)
    before = sentence[clause_start:start]
    after = sentence[end:clause_end]
    for check in checks:
        if check == "negation":
            if _has(context.negation, before) or _has(context.negation_after, after):
                return check
            head = _list_head(context, sentence, clause_start, start)
            if head < clause_start and _has(context.negation, sentence[head:clause_start]):
                return check
        elif check == "hedge":
            if _has(context.hedges, sentence[:start]) or _has(context.hedges, sentence[end:]):
                return check
        elif check == "question":
            tail = sentence.rstrip()
            asks = tail.endswith(("?", "？")) or "?" in sentence[end:] or "？" in sentence[end:]
            if asks or (context.question_words is not None and context.question_words.match(fold(sentence.lstrip()))) or _has(context.question_endings, tail[-40:]):
                return check
        elif check == "quote":
            if quoted or _has(context.reported, sentence):
                return check
        elif check == "condition":
            # the marker's own clause is a condition: "if the customer fails to respond promptly"
            if _has(context.conditions, before) or _has(context.conditions_after, after) or (context.conditions is not None and context.conditions.match(fold(sentence[clause_start:].lstrip()))):
                return check
        elif check == "conditional":
            # a condition opens the sentence, so all of it holds only then: "If your home cannot be
            # locked, you can arrange emergency repairs". (A promise to act stays a promise: "if
            # you call, we'll get back to you soon" still gives no time, so wait-time rules leave
            # this check out.)
            if context.conditions is not None and context.conditions.match(fold(sentence.lstrip(" \t\n\"“(-•*"))):
                return check
        elif check == "past":
            if _matches(context.past, sentence[clause_start:clause_end]):
                return check
        elif check == "duty":
            if _matches(context.duty, sentence):
                return check
        elif check == "own-duty":
            if context.duty is not None:
                raw = unicodedata.normalize("NFKC", sentence).replace("’", "'")
                duties = [m for m in context.duty.finditer(raw)]
                # "Send us a message, and we'll be in touch soon": the reader's step comes first,
                # the sender's promise has a clause of its own
                # (and the marker's own clause is no step of the reader's either: "Tips: send
                # always a test to yourself")
                clause = sentence[clause_start:clause_end]
                # a clause that opens with the marker, or one word before it ("…, and never write
                # it down"), has no subject of its own: it goes on with the reader's step
                own_subject = len(sentence[clause_start:start].split()) > 1
                promise_apart = duties and all(m.end() <= clause_start for m in duties) and own_subject and _matches(context.voice, clause) and not _matches(context.duty, clause.lstrip(" ,;:–—-"))
                if duties and not promise_apart:
                    return check
        elif check == "name":
            if _is_name(context, sentence, start, end, block_kind):
                return check
        elif check == "legal":
            # a contract's own register ("hereby", "pursuant to", "limitation of liability"): its
            # guarantees and disclaimers are terms the law sets, not marketing claims
            if _has(context.legal, sentence):
                return check
        elif check == "sequence":
            # a step ordered against another ("the doctor will examine you first", "the courier
            # checks the parcel before accepting it") describes a procedure; it keeps nobody waiting
            if _has(context.sequence, sentence):
                return check
        elif check == "mention":
            # the token is talked about or handed to the reader to fill in: "the template uses the
            # merge field *|FNAME|*", "write your answer in the format [NAME]_[CITY]"
            if _has(context.mentions, sentence[:start] + " " + sentence[end:]):  # not the token's own words
                return check
        elif check == "voice":
            if context.voice is not None and not _matches(context.voice, sentence):
                return check
    return None
