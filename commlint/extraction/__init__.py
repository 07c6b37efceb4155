"""Stage 2, extraction: turn an input's bytes into Documents that keep source positions,
and decide each document's (and mixed-language block's) language."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, ExtractionError
from ..sources import SourceData
from .builder import TextBuilder
from .copy import NOT_COPY
from .decoding import decode_text as decode_text  # part of this package's interface

_LONE_CR = re.compile(r"\r(?!\n)")

# Formats whose blocks may hold page furniture or mail signatures; a social post or a Fluent
# string is copy as a whole.
_PROSE_FORMATS = frozenset({"html", "markdown", "text", "eml", "mbox", "feed", "docx"})
LANGUAGE_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "ind": "id", "in": "id", "sun": "su", "jpn": "ja", "deu": "de", "ger": "de", "eng": "en"}


@dataclass(frozen=True)
class ExtractOptions:
    channel: str | None = None  # --channel: overrides detection
    lang: str = "auto"  # --lang
    languages: tuple[str, ...] = ("en", "de", "nb", "ja", "id", "su")  # candidates for detection


def normalise_lang(tag: str) -> str:
    """'de-DE' -> 'de', 'nb-NO' -> 'nb', 'no' -> 'nb'."""
    base = tag.strip().replace("_", "-").split("-")[0].lower()
    return LANGUAGE_ALIASES.get(base, base)


def _lone_cr_to_lf(text: str) -> str:
    """A file with old Mac line ends (CR only): each CR becomes LF. Same length, so every
    offset stays right, and lines are numbered as an editor and --fix number them."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def _extract_raw(source: SourceData, channel: str, notes: list[str] | None) -> list[Document]:
    ref, data = source.ref, source.data
    if ref.format == "html":
        from .html import decode_html, extract_html

        html, _ = decode_html(data, ref.charset, notes)
        builder = TextBuilder(html)
        meta = extract_html(html, builder, notes=notes)
        return [builder.build(ref.path, channel, meta=meta)]
    if ref.format in ("text", "markdown"):
        from .text import extract_markdown, extract_plain_text

        text = _lone_cr_to_lf(decode_text(data, notes))
        builder = TextBuilder(text)
        if ref.format == "markdown":
            extract_markdown(text, builder, notes)
        else:
            extract_plain_text(text, builder)
        return [builder.build(ref.path, channel)]
    if ref.format == "docx":
        from .word import extract_docx

        return [extract_docx(data, ref.path, channel, notes)]
    if ref.format == "feed":
        from .feed import extract_feed

        return extract_feed(data, ref.path, channel)
    if ref.format == "fluent":
        from .fluent import extract_fluent

        return [extract_fluent(decode_text(data, notes), ref.path, channel)]
    if ref.format == "eml":
        from .email import extract_eml

        return extract_eml(data, ref.path, channel, notes)
    if ref.format == "mbox":
        from .email import extract_mbox

        return extract_mbox(data, ref.path, channel, notes)
    if ref.format == "social-json":
        from .social import extract_social_json

        return extract_social_json(data, ref.path, channel, notes)
    if ref.format == "social-csv":
        from .social import extract_social_csv

        return extract_social_csv(data, ref.path, channel, "\t" if ref.path.lower().endswith(".tsv") else None, notes)
    if ref.format == "tweets-js":
        from .social import extract_tweets_js

        return extract_tweets_js(data, ref.path, channel, notes)
    raise ExtractionError(f"unsupported format {ref.format}")


def is_skippable(source: SourceData) -> bool:
    """A JSON/CSV found while walking a folder that is not a social export (package.json...)."""
    if source.ref.explicit or source.ref.format not in ("social-json", "social-csv"):
        return False
    from .social import looks_like_social_export

    return not looks_like_social_export(source.data, source.ref.format)


def assign_languages(doc: Document, options: ExtractOptions, notes: list[str] | None = None) -> None:
    if options.lang != "auto":
        doc.lang = normalise_lang(options.lang)
        for block in doc.blocks:
            block.lang = None
        return
    from .language import blocks_in_budget, detect_blocks, detect_language

    hint = normalise_lang(doc.meta.get("lang", "") or doc.meta.get("html_lang", "")) or None
    # The language of the copy: a quoted reply, a footer or base64 must not decide it.
    detected = detect_language(copy_text(doc), options.languages, default="und")
    if detected == "und":
        detected = detect_language(doc.text, options.languages, default=hint or "und")
    doc.lang = detected if detected != "und" else (hint or "und")
    # Blocks marked with their own lang="" keep it; others are detected where long enough,
    # within a budget: a huge document keeps its own language for the blocks after it. Blocks
    # that are not copy are not judged.
    judged = blocks_in_budget([0 if b.kind in NOT_COPY else b.end - b.start for b in doc.blocks])
    texts = ["" if b.kind in NOT_COPY else doc.block_text(b) for b in doc.blocks[:judged]]
    guesses = detect_blocks(texts, doc.lang, options.languages)
    guesses += [None] * (len(doc.blocks) - judged)
    for block, guess in zip(doc.blocks, guesses):
        marked = normalise_lang(block.lang) if block.lang else None
        block.lang = marked if marked and marked != doc.lang else (guess if guess != doc.lang else None)
    if judged < len(doc.blocks) and notes is not None:
        where = f" ({doc.unit.kind} {doc.unit.id})" if doc.unit else ""
        notes.append(
            f"the document{where} is long: the language of each paragraph was checked for the first "
            f"{judged:,} of {len(doc.blocks):,} only; the rest are taken to be in its main language ({doc.lang})"
        )


def copy_text(doc: Document) -> str:
    """The document's customer copy: its blocks other than furniture, quotes, signatures, code
    and data (the whole text when every block is copy)."""
    if not any(block.kind in NOT_COPY for block in doc.blocks):
        return doc.text
    return "\n\n".join(doc.block_text(block) for block in doc.blocks if block.kind not in NOT_COPY)


def extract(source: SourceData, options: ExtractOptions, notes: list[str] | None = None) -> list[Document]:
    """Documents of one input. Raises ExtractionError with a plain reason.

    `notes` collects what was left out of an input that was otherwise read (a post with no
    text, a charset declaration that did not fit), each as one plain sentence; the runner
    reports them as warnings naming the input."""
    channel = options.channel or source.ref.channel or "web"
    try:
        documents = _extract_raw(source, channel, notes)
    except ExtractionError:
        raise
    except (ValueError, LookupError, UnicodeError, RecursionError) as error:
        raise ExtractionError(f"could not read the content: {error}") from error
    if source.ref.format in _PROSE_FORMATS:
        from .furniture import mark_not_copy

        for doc in documents:
            mark_not_copy(doc, mail=source.ref.format in ("eml", "mbox"))
    for doc in documents:
        assign_languages(doc, options, notes)
    return documents
