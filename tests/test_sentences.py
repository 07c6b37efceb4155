"""The one sentence splitter (commlint/sentences.py) that rules, excerpts, claims and language
detection share. Cases were written for these tests, in the languages commlint supports."""
from __future__ import annotations

import pytest
import yaml

from commlint.model import Block, Document
from commlint.rules import builtin_pack_folder
from commlint.rules.lookup import DocIndex
from commlint.rules.nlp import spacy_doc, tokens
from commlint.sentences import ends_like_sentence, first_sentence, iter_sentence_spans, sentence_spans


def split(text: str, lang: str | None = None) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, lang=lang)]


CASES = [
    # English: end marks, decimals, abbreviations, initials, URLs, e-mail addresses
    ("en", "We will call you. Thanks for waiting! Any questions?", ["We will call you.", "Thanks for waiting!", "Any questions?"]),
    ("en", "Prices rose 3.5 percent this year. Fees stay at 4.90 a month.", ["Prices rose 3.5 percent this year.", "Fees stay at 4.90 a month."]),
    ("en", "Dr. Smith will call you, e.g. on Monday. Mr. and Mrs. Lee agreed.", ["Dr. Smith will call you, e.g. on Monday.", "Mr. and Mrs. Lee agreed."]),
    ("en", "Kind regards, J. K. Rowling and the team.", ["Kind regards, J. K. Rowling and the team."]),
    ("en", "Read https://shop.example.com/help?topic=refunds.html first. Then reply.", ["Read https://shop.example.com/help?topic=refunds.html first.", "Then reply."]),
    ("en", "Write to support@shop.example.co.uk. We answer within a day.", ["Write to support@shop.example.co.uk.", "We answer within a day."]),
    ("en", "Call ext. 204 or see No. 5 on the list. We close at 5 p.m. on Fridays.", ["Call ext. 204 or see No. 5 on the list.", "We close at 5 p.m. on Fridays."]),
    ("en", "Bring your receipt, ID, etc. We will do the rest.", ["Bring your receipt, ID, etc.", "We will do the rest."]),
    ("en", "Wait… what happened? It was... fine.", ["Wait… what happened?", "It was... fine."]),
    # quotes and brackets after the end mark stay with their sentence
    ("en", '"Can I help?" she asked. "Yes." Then he left.', ['"Can I help?" she asked.', '"Yes."', "Then he left."]),
    ("en", "Prices include VAT (see below.) Delivery is free.", ["Prices include VAT (see below.)", "Delivery is free."]),
    # German: ordinals before a month or a lower-case word, abbreviations
    ("de", "Wir melden uns am 3. Oktober. Das Angebot gilt bis zum 30. Juni.", ["Wir melden uns am 3. Oktober.", "Das Angebot gilt bis zum 30. Juni."]),
    ("de", "Am 1. des Monats buchen wir ab. Zum 2. Mal danken wir Ihnen.", ["Am 1. des Monats buchen wir ab.", "Zum 2. Mal danken wir Ihnen."]),
    ("de", "Das gilt z.B. für Kunden, z. B. Firmen, bzw. Vereine. Die Preise sind inkl. MwSt. und ca. 30 € günstiger.",
     ["Das gilt z.B. für Kunden, z. B. Firmen, bzw. Vereine.", "Die Preise sind inkl. MwSt. und ca. 30 € günstiger."]),
    ("de", "Öffnungszeiten: Mo. bis Fr. von 8 bis 18 Uhr. Sa. 10 bis 14 Uhr.", ["Öffnungszeiten: Mo. bis Fr. von 8 bis 18 Uhr.", "Sa. 10 bis 14 Uhr."]),
    ("de", "Wir sind Mo.–Fr. von 8 bis 18 Uhr für Sie da, Kunden-Nr. 5 bitte bereithalten.", ["Wir sind Mo.–Fr. von 8 bis 18 Uhr für Sie da, Kunden-Nr. 5 bitte bereithalten."]),
    ("de", "Wir haben 12 Filialen seit 2015. Die nächste öffnet bald.", ["Wir haben 12 Filialen seit 2015.", "Die nächste öffnet bald."]),
    ("de", "Sie erreichen uns unter Tel. +49 30 1234567. Hr. Müller hilft gern.", ["Sie erreichen uns unter Tel. +49 30 1234567.", "Hr. Müller hilft gern."]),
    # Norwegian Bokmål: lower-case months, kl., an ordinal that does end a sentence
    ("nb", "Vi leverer den 17. mai mellom kl. 17 og 21. Sjåføren ringer før levering.",
     ["Vi leverer den 17. mai mellom kl. 17 og 21.", "Sjåføren ringer før levering."]),
    ("nb", "Feiringen er 17. Mai. Butikken er stengt.", ["Feiringen er 17. Mai.", "Butikken er stengt."]),
    ("nb", "Du får svar innen tre dager, f.eks. på e-post, dvs. raskt. Ta kontakt osv. Vi hjelper deg.",
     ["Du får svar innen tre dager, f.eks. på e-post, dvs. raskt.", "Ta kontakt osv.", "Vi hjelper deg."]),
    # Indonesian: street and price abbreviations, dll. at the end of a sentence
    ("id", "Kunjungi kami di Jl. Sudirman No. 5, Jakarta. Harga mulai Rp. 50.000 dll. Terima kasih.",
     ["Kunjungi kami di Jl. Sudirman No. 5, Jakarta.", "Harga mulai Rp. 50.000 dll.", "Terima kasih."]),
    ("id", "Pesanan dikirim tgl. 5 Maret pkl. 10.00 WIB. Mohon ditunggu.", ["Pesanan dikirim tgl. 5 Maret pkl. 10.00 WIB.", "Mohon ditunggu."]),
    # Japanese: no space after 。！？, closing brackets stay, a full-width decimal does not end one
    ("ja", "ご注文ありがとうございます。商品は明日届きます！よろしくお願いします。", ["ご注文ありがとうございます。", "商品は明日届きます！", "よろしくお願いします。"]),
    ("ja", "「ありがとう。」とお客様が言いました。価格は３．５万円です。", ["「ありがとう。」", "とお客様が言いました。", "価格は３．５万円です。"]),
    # line breaks: headings, salutations and list items end; hard-wrapped prose does not
    ("en", "Our prices\nPro costs $29 a month.\n\nContact us\n- Phone: 22 33 44 55\n- E-mail: help@shop.example",
     ["Our prices", "Pro costs $29 a month.", "Contact us", "- Phone: 22 33 44 55", "- E-mail: help@shop.example"]),
    ("en", "Hi Anna,\nthanks for your message.", ["Hi Anna,", "thanks for your message."]),
    ("en", "Steps:\n1. Open the app.\n2. Tap Save", ["Steps:", "1. Open the app.", "2. Tap Save"]),
    ("en", "We will contact you within three working days about the refund that\nyou asked for last week, and we will also send you a written\nconfirmation by post.",
     ["We will contact you within three working days about the refund that\nyou asked for last week, and we will also send you a written\nconfirmation by post."]),
    ("de", "Wir werden Ihre Anfrage so schnell wie möglich bearbeiten und Ihnen die\nBestellung per Post zusenden, sobald sie bei uns eingegangen ist.",
     ["Wir werden Ihre Anfrage so schnell wie möglich bearbeiten und Ihnen die\nBestellung per Post zusenden, sobald sie bei uns eingegangen ist."]),
    ("nb", "> Vi har mottatt bestillingen din og sender den så snart varene er\n> på lager igjen.",
     ["> Vi har mottatt bestillingen din og sender den så snart varene er\n> på lager igjen."]),
    ("en", "Thanks for your order\n\nIt ships tomorrow", ["Thanks for your order", "It ships tomorrow"]),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[f"{lang}-{i}" for i, (lang, _, _) in enumerate(CASES)])
def test_sentences(lang: str, text: str, expected: list[str]) -> None:
    assert split(text, lang) == expected


def test_spans_are_trimmed_ordered_and_in_the_region() -> None:
    text = "  Intro line\n\nWe ship today.   Thanks!  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Intro line", "We ship today.", "Thanks!"]
    assert all(a < b for a, b in spans) and all(p[1] <= q[0] for p, q in zip(spans, spans[1:]))
    # a region is read as a whole text: nothing outside it is looked at
    start = text.index("We")
    assert sentence_spans(text, start, start + 8) == [(start, start + 7)]  # "We ship "
    assert sentence_spans(text, start, len(text)) == spans[1:]
    assert sentence_spans("") == [] and sentence_spans(" \n\n ") == []


def test_first_sentence_and_iteration_agree() -> None:
    text = "Dr. Hansen ringer deg. Ha en fin dag."
    assert list(iter_sentence_spans(text, lang="nb")) == sentence_spans(text, lang="nb")
    assert first_sentence(text, lang="nb") == (0, 22)
    assert first_sentence("   ") is None


def test_unknown_language_uses_every_list() -> None:
    # language detection splits before it knows the language: all abbreviations apply
    assert split("Wir liefern z.B. am 3. Oktober. Danke.") == ["Wir liefern z.B. am 3. Oktober.", "Danke."]
    assert split("Hubungi Jl. Sudirman No. 5. Terima kasih.") == ["Hubungi Jl. Sudirman No. 5.", "Terima kasih."]


def test_paragraph_ends_like_a_sentence() -> None:
    assert ends_like_sentence("We ship today.")
    assert ends_like_sentence("Er sagte „Danke.“ 🙂 ")
    assert ends_like_sentence("ご注文ありがとうございます。」")
    assert not ends_like_sentence("Our prices")
    assert not ends_like_sentence("")


def test_sentence_starts_are_set_on_the_tokens() -> None:
    """Token patterns may ask for IS_SENT_START: the Doc carries the splitter's sentences."""
    text = "Dr. Smith called. Calm down, please.\nThanks"
    doc = spacy_doc(tokens(text, "en"), text, "en")
    assert [s.text.strip() for s in doc.sents] == ["Dr. Smith called.", "Calm down, please.", "Thanks"]
    assert [t.text for t in doc if t.is_sent_start] == ["Dr.", "Calm", "Thanks"]


def test_excerpts_are_the_splitters_sentences() -> None:
    text = "Wir melden uns am 3. Oktober bei Ihnen. Danke."
    doc = Document("x", "email", text, [Block(0, len(text))], None, lang="de")  # type: ignore[arg-type]
    index = DocIndex(doc)
    at = text.index("melden")
    assert index.excerpt(at, at + 6) == "Wir melden uns am 3. Oktober bei Ihnen."
    assert index.sentence_bounds(text.index("Danke"), len(text)) == (text.index("Danke"), len(text))


def test_every_word_list_entry_is_a_string() -> None:
    """YAML reads a bare no, yes, on or off as a boolean: such entries must be quoted."""
    data = yaml.safe_load((builtin_pack_folder() / "sentences.yaml").read_text(encoding="utf-8"))
    assert data.get("source") and data.get("license")
    for code, entry in data.items():
        if isinstance(entry, dict):
            for key, words in entry.items():
                assert all(isinstance(w, str) for w in words), f"{code}.{key}: {[w for w in words if not isinstance(w, str)]}"


def test_five_megabytes_are_split_in_one_pass() -> None:
    """Linear time, offsets only: 5 MB of mixed copy, and 5 MB runs of marks, line breaks and
    abbreviations that a backtracking pattern would take quadratic time on."""
    unit = ("Wir melden uns am 3. Oktober, z.B. per E-Mail an hilfe@shop.de. Preis: 3.5 €!\n"
            "Our prices\nDr. Smith ships in 2 days… really? ご注文ありがとうございます。\n\n")
    text = unit * (5_000_000 // len(unit))
    count = sum(1 for _ in iter_sentence_spans(text, lang="de"))
    assert count == 5 * (5_000_000 // len(unit))  # "2 days… really?" is one sentence
    for hostile in (". " * 2_500_000, "." * 5_000_000, "\n" * 5_000_000, "a." * 2_500_000, "!" * 5_000_000 + "x"):
        spans = list(iter_sentence_spans(hostile))
        assert all(0 <= a < b <= len(hostile) for a, b in spans)
