"""spaCy pipelines per language: built lazily, once per process, tokenizer + sentencizer only.

No trained model is loaded (none can be fetched at run time); rules match on token text,
which is what a tokenizer alone gives reliably in every language.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

SENTENCE_END = [".", "!", "?", "。", "！", "？", "…", "‼", "⁉", "︒", "﹒", "．"]


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


@lru_cache(maxsize=None)
def pipeline(spacy_lang: str) -> "Language":
    """The tokenizer+sentencizer pipeline for a spaCy language code ("xx" = multilingual)."""
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
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_END})
    if spacy_lang in _ORDINAL_DOT_LANGUAGES:
        _register_ordinal_split()
        nlp.add_pipe("commlint_ordinal_split", after="sentencizer")
    return nlp


# Tokenizers that keep "21." together as an ordinal ("21. mai"), so "… mellom kl. 17 og 21.
# Sjåføren ringer …" stays one sentence. Where nouns are lower case, a capital after such a
# token starts a sentence. (Not German: "am 21. Mai" has a capital noun after the ordinal.)
_ORDINAL_DOT_LANGUAGES = {"nb", "nn", "da", "sv"}


def _register_ordinal_split() -> None:
    from spacy.language import Language

    if "commlint_ordinal_split" in Language.factories:
        return

    @Language.component("commlint_ordinal_split")
    def ordinal_split(doc):  # type: ignore[no-untyped-def]
        for token in doc[:-1]:
            following = doc[token.i + 1]
            if token.text.endswith(".") and token.text[:-1].isdigit() and following.text[:1].isupper():
                following.is_sent_start = True
        return doc
