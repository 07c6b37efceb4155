"""How common a word is, from wordfreq's lists: shared by the rules (jargon by rarity) and the
claims (is a name a coined brand or ordinary words?). The lists load once per process, on first
use, so runs that never ask don't pay for them."""
from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compiled import WordTable


@lru_cache(maxsize=None)
def _wordlist(lang: str) -> "WordTable":
    from importlib.metadata import version

    from .compiled import cached_words

    # (kept in the user's cache: loading wordfreq's packed list costs a cold process ~0.3 s)
    return cached_words(f"wordfreq-{lang}-{version('wordfreq')}", lambda: _from_wordfreq(lang))


def _from_wordfreq(lang: str) -> dict[str, float]:
    import logging

    from wordfreq import get_frequency_dict

    # wordfreq falls back to the nearest language it has (Sundanese -> Indonesian) and logs a
    # warning each time; the fallback is what we want, the warning only clutters the output
    quiet = logging.getLogger("wordfreq")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return get_frequency_dict(lang, wordlist="best")
    except LookupError:
        return {}
    finally:
        quiet.setLevel(level)


def zipf(word: str, langs: tuple[str, ...]) -> float:
    """The word's Zipf frequency in the most generous of the lists (0 when in none)."""
    best = 0.0
    for lang in langs:
        freq = _wordlist(lang).get(word)
        if freq:
            best = max(best, math.log10(freq) + 9)
    return best
