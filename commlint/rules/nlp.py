"""Tokens per block, and the pieces a long block is tokenised in.

Tokens are spaCy's, made without loading spaCy (commlint.rules.tokenizer); a spaCy pipeline
(tokenizer only, built lazily once per process) is loaded only to read its tokenizer data into
the cache, or for a token pattern that needs spaCy's Matcher (spacy_doc). No trained model is
loaded (none can be fetched at run time); rules match on token text, which is what a tokenizer
alone gives reliably in every language. Sentence boundaries are not spaCy's: they come from
commlint.sentences, the splitter every stage shares, and are set on the Doc so token patterns
can still ask for IS_SENT_START.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import regex

from ..compiled import compile_pattern
from ..sentences import iter_sentence_spans, sentence_spans

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .tokenizer import Tokens

# Where tokens() keeps the splitter's sentences of a Doc (offsets in its text), for BlockView.
SENTENCES = "commlint_sentences"

# spaCy refuses a text over nlp.max_length (1,000,000 characters) and SudachiPy one over 49,149
# bytes, and a spaCy Doc costs memory per token: a longer block is tokenised piece by piece.
CHUNK_CHARS = 100_000
SUDACHI_BYTES = 40_000  # Japanese pieces, in UTF-8 bytes, under SudachiPy's limit with room to spare
# Languages whose tokenizer is a word segmenter rather than spaCy's prefix/suffix rules: their
# words are not space-separated, so a long run without spaces is normal text there.
SEGMENTED = {"ja", "zh", "ko", "th", "vi"}

# spaCy's tokenizer splits prefixes and suffixes one at a time, searching the rest of the token
# each time: a token of n marks ("<<<…", "!!!…", "'s's's…") costs n², and so does any very long
# token. The text spaCy sees has such tokens blanked (same length, so every offset still holds);
# rules that read the raw text (exclamation runs, shouting) still see every character. Ordinary
# copy ("Great!!!", "e.g.", a URL) has fewer marks per token and is tokenised as it is.
MAX_TOKEN = 256  # a longer run without spaces is cut into pieces of at most this many characters
MAX_MARKS = 10  # marks (punctuation, symbols) kept in one run without spaces; later ones blanked
_LONG_RUN = compile_pattern(rf"\S{{{MAX_TOKEN + 1},}}")
# a run without spaces holding more than MAX_MARKS marks; starts only where such a run starts
_MARKED_RUN = compile_pattern(rf"(?<!\S)(?:[\w\p{{M}}]*[^\w\s\p{{M}}]){{{MAX_MARKS + 1},}}")
_MARK = compile_pattern(r"[^\w\s\p{M}]")


def _indonesian() -> "Language":
    """spaCy's Indonesian rules without its 16,000 special cases.

    Those cases (mostly reduplicated words such as "anak-anak") take ~2 s to load, which a
    git hook cannot afford. Keeping letter-hyphen-letter together in the infix rules gives
    the same tokens for reduplication at no start-up cost.
    """
    from spacy.lang.id import Indonesian
    from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS

    class FastIndonesianDefaults(Indonesian.Defaults):  # type: ignore[name-defined,misc]
        tokenizer_exceptions = BASE_EXCEPTIONS
        infixes = [rule for rule in (Indonesian.Defaults.infixes or []) if "-" not in rule and "—" not in rule]

    class FastIndonesian(Indonesian):  # type: ignore[misc]
        Defaults = FastIndonesianDefaults

    return FastIndonesian()


# spaCy's vocabulary keeps every distinct word it has seen, about half a kilobyte each: a
# worker that reads 10 MB of distinct tokens would hold 400 MB. Past this many entries the
# pipeline is built afresh (in tens of milliseconds) and the old vocabulary let go.
VOCAB_LIMIT = 100_000
_PIPELINES: dict[str, "Language"] = {}
_GENERATION: dict[str, int] = {}


def pipeline(spacy_lang: str) -> "Language":
    """The tokenizer pipeline for a spaCy language code ("xx" = multilingual),
    built once per process (and again when its vocabulary outgrows VOCAB_LIMIT)."""
    nlp = _PIPELINES.get(spacy_lang)
    if nlp is None:
        nlp = _PIPELINES[spacy_lang] = _build(spacy_lang)
    return nlp


def generation(spacy_lang: str) -> int:
    """How many times the language's pipeline was built afresh: what was made from an older
    pipeline's vocabulary (a token Matcher) is to be made again."""
    return _GENERATION.get(spacy_lang, 0)


def _build(spacy_lang: str) -> "Language":
    import spacy

    try:
        with warnings.catch_warnings():
            # spaCy's Japanese class calls SudachiPy's deprecated Dictionary.create(); the
            # tokenizer works the same, and the warning would only confuse users.
            warnings.filterwarnings("ignore", message=r"Dictionary\.create\(\) is deprecated", category=DeprecationWarning)
            nlp = _indonesian() if spacy_lang == "id" else spacy.blank(spacy_lang)
    except (ImportError, KeyError, ValueError):
        # A language spaCy has no class for (or whose extra dependency is missing).
        nlp = spacy.blank("xx")
    return nlp


def tokens(text: str, spacy_lang: str, lang: str | None = None) -> "Tokens":
    """`text` tokenised as spaCy's `spacy_lang` tokenizer would (commlint.rules.tokenizer), with
    the sentences of commlint.sentences (for `lang`, else spacy_lang), in time linear in its length.

    The tokens' offsets are those of `text`, but their texts are those of spacy_text(): read the
    words of a hit from `text`, not from the tokens. `text` must be one piece from pieces().
    The sentences, as offsets in `text`, are in tokens.user_data[SENTENCES].
    """
    from .tokenizer import tokenize

    found = tokenize(spacy_text(text, spacy_lang), spacy_lang)
    found.user_data[SENTENCES] = sentence_spans(text, lang=lang or spacy_lang)  # from the text as written
    return found


def spacy_doc(found: "Tokens", text: str, spacy_lang: str) -> "Doc":
    """A spaCy Doc of the same tokens, for a token-pattern rule (spaCy's Matcher): built only
    for a block such a rule could match, so most runs never import spaCy."""
    from spacy.tokens import Doc

    nlp = pipeline(spacy_lang)
    if len(nlp.vocab) > VOCAB_LIMIT:
        del _PIPELINES[spacy_lang]
        _GENERATION[spacy_lang] = generation(spacy_lang) + 1
        nlp = pipeline(spacy_lang)
    words = [token.text for token in found]
    spaces = []
    for number, token in enumerate(found):
        end = token.idx + len(token.text)
        following = found[number + 1].idx if number + 1 < len(found) else len(text)
        spaces.append(following == end + 1 and text[end : end + 1] == " ")
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    _mark_sentence_starts(doc, found.user_data.get(SENTENCES) or [])
    return doc


def _mark_sentence_starts(doc: "Doc", spans: list[tuple[int, int]]) -> None:
    """Set the splitter's sentence starts on the Doc's tokens, so a token pattern's IS_SENT_START
    (and Doc.sents) agree with the sentences every other stage sees. (Arrays, not a Python
    object per token: a piece holds tens of thousands.)"""
    if not len(doc):
        return
    import numpy
    from spacy.attrs import IDX, SENT_START

    token_starts = doc.to_array(IDX)
    # spaCy reads attribute arrays as uint64: -1 ("not a sentence start") wraps around
    flags = numpy.full(len(doc), numpy.iinfo(numpy.uint64).max, dtype=numpy.uint64)
    if spans:
        # the first token at or after each sentence's start (a start inside a token marks the next)
        firsts = numpy.searchsorted(token_starts, numpy.fromiter((a for a, _ in spans), dtype=numpy.int64, count=len(spans)))
        flags[firsts[firsts < len(doc)]] = 1
    flags[0] = 1
    doc.from_array([SENT_START], flags.reshape(-1, 1))


def spacy_text(text: str, spacy_lang: str) -> str:
    """A copy of `text`, of the same length, that spaCy's tokenizer takes in linear time: runs
    without spaces cut into pieces of at most MAX_TOKEN characters with at most MAX_MARKS marks
    each. (Not for word segmenters such as SudachiPy: they are linear on their own, and their
    words are not space-separated.)"""
    if spacy_lang in SEGMENTED:
        return text
    text = _LONG_RUN.sub(_cut_long, text)
    return _MARKED_RUN.sub(_blank_marks, text)


def _cut_long(match: "regex.Match[str]") -> str:
    """A long run without spaces, with a space every MAX_TOKEN characters or a little before:
    after a letter or digit where there is one, so no token ends in a full stop it did not end
    in before."""
    run = match.group()
    out: list[str] = []
    start = 0
    while len(run) - start > MAX_TOKEN:
        cut = start + MAX_TOKEN  # this character becomes the space
        back = cut
        while back > cut - 16 and not (run[back - 1].isalnum() or run[back - 1] == "_"):
            back -= 1
        if back > cut - 16:
            cut = back
        out.append(run[start:cut])
        out.append(" ")
        start = cut + 1
    out.append(run[start:])
    return "".join(out)


def _blank_marks(match: "regex.Match[str]") -> str:
    """Marks after the first MAX_MARKS blanked, but a mark that ends the run kept: "…?ref=1&x=2?"
    still ends its sentence."""
    run = match.group()
    seen = 0

    def keep_first(mark: "regex.Match[str]") -> str:
        nonlocal seen
        seen += 1
        return mark.group() if seen <= MAX_MARKS or mark.end() == len(run) else " "

    return _MARK.sub(keep_first, run)


def pieces(text: str, spacy_lang: str) -> list[tuple[int, int]]:
    """(start, end) spans covering `text` that the pipeline can take one at a time: the whole
    text when it is short, else pieces of at most CHUNK_CHARS characters (SUDACHI_BYTES bytes
    for Japanese) cut after a sentence end, else at a line break, else at a space, else anywhere."""
    byte_limit = SUDACHI_BYTES if spacy_lang == "ja" else None
    if len(text) <= CHUNK_CHARS and (byte_limit is None or len(text) * 4 <= byte_limit or len(text.encode("utf-8")) <= byte_limit):
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        stop = min(len(text), start + CHUNK_CHARS)
        if byte_limit is not None:
            stop = _within_bytes(text, start, stop, byte_limit)
        if stop < len(text):
            stop = _cut_point(text, start, stop, spacy_lang)
        spans.append((start, stop))
        start = stop
    return spans


def _within_bytes(text: str, start: int, stop: int, limit: int) -> int:
    """The largest stop' <= stop with text[start:stop'] at most `limit` bytes in UTF-8."""
    size = len(text[start:stop].encode("utf-8"))
    while size > limit:
        # shrink in proportion (a character is 1 to 4 bytes), then exactly
        stop = start + max(1, (stop - start) * limit // size)
        size = len(text[start:stop].encode("utf-8"))
    return stop


def _cut_point(text: str, start: int, stop: int, lang: str) -> int:
    """Where to end the piece text[start:stop]: after the last sentence end in its second half
    (so a piece holds whole sentences), else after its last line break, else after its last
    space, else at `stop` (a run with none)."""
    half = start + (stop - start) // 2
    last = -1
    previous = None
    for span in iter_sentence_spans(text, half, stop, lang):
        if previous is not None:
            last = previous[1]  # a sentence followed by another ends for sure; the last may go on
        previous = span
    if last > half:
        return last
    line = max(text.rfind("\n", half, stop), text.rfind("\u2029", half, stop))
    if line > half:
        return line + 1
    space = max(text.rfind(" ", half, stop), text.rfind("\t", half, stop), text.rfind("\u3000", half, stop))
    return space + 1 if space > half else stop

