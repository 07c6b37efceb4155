"""commlint's tokenizer gives spaCy's tokens without loading spaCy: checked against spaCy itself.

(On every block of ../shared/corpora, 1.27 million tokens in six languages, the two agree on every
token; these tests keep that true for the fixtures, tricky copy and random text.)
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from commlint.config import Config
from commlint.extraction import ExtractOptions, extract
from commlint.rules.nlp import pieces, pipeline, spacy_doc, spacy_text, tokens
from commlint.rules.tokenizer import tokenizer_for
from commlint.sources import discover, read_source

REPO = Path(__file__).resolve().parents[1]
SPACY_LANGS = {"en": "en", "de": "de", "nb": "nb", "ja": "ja", "id": "id", "su": "xx"}

TRICKY = [
    "We don't guarantee e-mail delivery (it's state-of-the-art!!!) at 3.5% or $9.99/month, e.g. 24/7... "
    "see https://x.com/a?b=1. Call +47 22 33 44 55 or mail me@x.no! U.S.A. 10:30am “quoted” 'single' "
    "[a] {b} <c> #tag @user 50%-off 1,000.50 2x24 jam",
    "Die E-Mail-Adresse z.B. bzw. Lieferung in 2-3 Tagen, d.h. sofort! Sie's 100€ 5km Str. 12 (ca. 3 Std.)",
    "  leading spaces,\ttabs\t\tand\n\nnew lines \u00a0 and a no-break space  ",
    "Kl. 08.00–16.00 hverdager, f.eks. 3-5 dager. Ring oss på 22 22 22 22!",
    "Kami akan menghubungi Anda dalam 2x24 jam. Anak-anak, dll. Rp 50.000,-",
    "ご注文ありがとうございます。 3営業日以内に発送します！ 詳しくは https://example.jp/faq へ。",
    "Hapunten, urang bakal ngabales dina 1x24 jam :) :-( <3 ...",
    "(\"Don't\"), 'n' stuff: I'm, you're, we've, they'll, can't, won't; o'clock, rock'n'roll.",
    "",
    " ",
    "\n",
]


def _spacy_tokens(text: str, spacy_lang: str) -> list[tuple[str, int]]:
    return [(token.text, token.idx) for token in pipeline(spacy_lang)(text)]


@pytest.mark.parametrize("lang", sorted(SPACY_LANGS))
def test_tricky_copy_is_tokenised_as_spacy_does(lang: str) -> None:
    spacy_lang = SPACY_LANGS[lang]
    for text in TRICKY:
        assert tokenizer_for(spacy_lang)(text) == _spacy_tokens(text, spacy_lang), text


@pytest.mark.parametrize("lang", sorted(SPACY_LANGS))
def test_random_text_is_tokenised_as_spacy_does(lang: str) -> None:
    spacy_lang = SPACY_LANGS[lang]
    rnd = random.Random(12)
    parts = ["a", "B", "é", "ß", "ø", "-", "–", ".", ",", "'", "’", '"', "“", "(", ")", "[", "!", "?", ":", "/",
             "%", "$", "€", "1", "23", "http://", "www.", ".com", "@", "#", " ", " ", "  ", "\n", "\t",
             "don't", "e.g.", "z.B.", "Dr.", "ca.", "dll.", "km", "'s", "n't", "😀", "ー", "カタカナ", "日本", "です。"]
    for _ in range(400 if spacy_lang != "ja" else 150):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30)))
        assert tokenizer_for(spacy_lang)(text) == _spacy_tokens(text, spacy_lang), repr(text)


def test_every_fixture_block_is_tokenised_as_spacy_does() -> None:
    refs, _, _ = discover([str(REPO / "fixtures")])
    checked = 0
    for ref in refs:
        for doc in extract(read_source(ref, None), ExtractOptions(None, "auto", tuple(Config().languages)), []):
            for block in doc.blocks:
                spacy_lang = SPACY_LANGS.get(block.lang or doc.lang, "xx")
                text = doc.block_text(block)
                for a, b in pieces(text, spacy_lang):
                    piece = spacy_text(text[a:b], spacy_lang)
                    assert tokenizer_for(spacy_lang)(piece) == _spacy_tokens(piece, spacy_lang), (ref.path, piece[:80])
                    checked += 1
    assert checked > 500


def test_the_spacy_doc_for_token_patterns_has_the_same_tokens_and_sentences() -> None:
    text = "Dr. Smith called.  Calm down, please.\nThanks "
    found = tokens(text, "en")
    doc = spacy_doc(found, text, "en")
    assert doc.text == text
    assert [(t.text, t.idx) for t in doc] == [(t.text, t.idx) for t in found]
    assert [t.text for t in doc if t.is_sent_start] == ["Dr.", "Calm", "Thanks"]


def test_word_count_and_stop_words_agree_with_spacy() -> None:
    text = "Hello, world! We're here - and there... 42 times."
    found = tokens(text, "en")
    doc = pipeline("en")(text)
    assert found.word_count() == sum(1 for t in doc if not (t.is_punct or t.is_space))
    for word in ("the", "The", "router", "down"):
        assert found.is_stop(word.casefold()) == pipeline("en").vocab[word.casefold()].is_stop


def _spacy_matches(patterns: list, text: str) -> list[tuple[int, int]]:
    from spacy.matcher import Matcher

    found = tokens(text, "en")
    doc = spacy_doc(found, text, "en")
    matcher = Matcher(pipeline("en").vocab)
    matcher.add("rule", patterns)
    return _longest([(doc[s:e].start_char, doc[s:e].end_char) for _, s, e in matcher(doc)])


def _own_matches(patterns: list, text: str) -> list[tuple[int, int]]:
    from commlint.rules.sequences import compile_patterns, find_sequences
    from commlint.rules.nlp import SENTENCES

    found = tokens(text, "en")
    compiled = compile_patterns(patterns)
    assert compiled is not None
    sentence_starts = [a for a, _ in found.user_data[SENTENCES]]
    return _longest([(found[a].idx, found[b - 1].idx + len(found[b - 1].text)) for a, b in find_sequences(compiled, found, sentence_starts)])


def test_token_patterns_match_as_spacys_matcher_does() -> None:
    """The packs' token patterns and random ones, on random copy: commlint's own matcher finds
    what spaCy's Matcher finds."""
    import yaml

    from commlint.packs import builtin_pack_folder

    pack = yaml.safe_load((builtin_pack_folder() / "en" / "tone.yaml").read_text(encoding="utf-8"))
    shipped = [rule["patterns"] for rule in pack["rules"] if rule.get("kind") == "pattern"]
    assert shipped
    words = ["as", "we", "i", "already", "explained", "have", "'ve", "now", "told", "you", "twice", "per", "my",
             "last", "email", "calm", "down", "please", "need", "to", "it", "'s", "not", "our", "fault", "obviously",
             "As", "Calm", "We", "the", ".", ",", "!", "\n", "router"]
    rnd = random.Random(7)
    random_patterns = []
    for _ in range(30):
        pattern = []
        for _ in range(rnd.randint(1, 4)):
            token: dict = {"LOWER": rnd.choice(words[:20])} if rnd.random() < 0.6 else {"LOWER": {"IN": rnd.sample(words[:20], 3)}}
            if rnd.random() < 0.15:
                token = {"ORTH": rnd.choice(["As", "Calm", "We"])}
            if rnd.random() < 0.1:
                token["IS_SENT_START"] = rnd.random() < 0.5
            op = rnd.choice([None, None, None, "?", "*", "+", "!"])
            if op:
                token["OP"] = op
            pattern.append(token)
        random_patterns.append([pattern])
    for _ in range(300):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))).replace(" 've", "'ve").replace(" 's", "'s")
        for patterns in [*shipped, *random_patterns]:
            assert _own_matches(patterns, text) == _spacy_matches(patterns, text), (patterns, text)


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    from commlint.rules.matchers import _longest as keep

    return keep(spans)
