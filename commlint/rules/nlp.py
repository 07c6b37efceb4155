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
    return nlp
