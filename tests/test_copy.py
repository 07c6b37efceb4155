"""What is customer copy: furniture, signatures, quoted replies, code and data get block kinds of
their own, stay in Document.text with true positions, and rules can skip them. Also: one
paragraph per line in word-processor text, Nynorsk labelled nn, and languages without rules
reported instead of passing in silence."""
from __future__ import annotations

import base64
import json
from email.message import EmailMessage
from pathlib import Path

from commlint.extraction import ExtractOptions, extract
from commlint.extraction.builder import TextBuilder
from commlint.extraction.language import detect_language
from commlint.extraction.text import extract_markdown, extract_plain_text
from commlint.model import Document
from commlint.sources import SourceData, SourceRef


# -- helpers --------------------------------------------------------------------------------
def read(name: str, data: bytes, fmt: str, channel: str = "web", notes: list[str] | None = None) -> Document:
    """Through extract(), as the runner does: format reader, then the pass over blocks."""
    ref = SourceRef(path=name, format=fmt, channel=channel, location=None, explicit=True)
    documents = extract(SourceData(ref, data), ExtractOptions(lang="en"), notes)
    assert len(documents) == 1
    return documents[0]


def blocks(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind, doc.block_text(b)) for b in doc.blocks]


def texts(doc: Document, kind: str) -> list[str]:
    return [doc.block_text(b) for b in doc.blocks if b.kind == kind]


def at(doc: Document, source: str, words: str) -> str:
    """The stored text at the line and column the document gives for `words`."""
    line, column = doc.positions.line_col(doc.text.index(words))
    return source.split("\n")[line - 1][column - 1 :]


def mail(body: str, subject: str = "Re: Your parcel") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Anna Berg <help@example.com>"
    message["To"] = "kari@example.com"
    message["Subject"] = subject
    message.set_content(body)
    return message


# -- e-mail: quotes and signatures ------------------------------------------------------------
REPLY = """Hi Kari,

Thanks for waiting. Your parcel left our warehouse this morning
and should reach you on Friday; the tracking number is in the
attached receipt.

Best regards,
Anna Berg
Customer Care, Example AS
+47 22 33 44 55

On Mon, 3 Jun 2024 at 09:12, Kari Nordmann <kari@example.com> wrote:
> Where is my parcel? I ordered it two weeks ago.
> This is terrible service.
"""


def test_reply_quote_and_signature_keep_their_text_and_positions() -> None:
    data = bytes(mail(REPLY))
    doc = read("reply.eml", data, "eml", "email")
    assert blocks(doc) == [
        ("subject", "Re: Your parcel"),
        ("paragraph", "Hi Kari,"),
        ("paragraph", "Thanks for waiting. Your parcel left our warehouse this morning and should reach you "
                      "on Friday; the tracking number is in the attached receipt."),
        ("paragraph", "Best regards,"),  # the closing is the sender's words
        ("signature", "Anna Berg Customer Care, Example AS +47 22 33 44 55"),
        ("quote", "On Mon, 3 Jun 2024 at 09:12, Kari Nordmann <kari@example.com> wrote: Where is my parcel? "
                  "I ordered it two weeks ago. This is terrible service."),
    ]
    source = data.decode()
    assert at(doc, source, "Anna Berg Customer") == "Anna Berg"
    assert at(doc, source, "Where is my parcel").startswith("Where is my parcel?")  # after "> "
    assert at(doc, source, "terrible").startswith("terrible service.")


def test_interleaved_reply_keeps_the_answers_as_copy() -> None:
    body = (
        "On 3 Jun 2024, Kari <kari@example.com> wrote:\n"
        "> Can I change the delivery address?\n"
        "\n"
        "Yes, you can change it until the parcel is packed.\n"
        "\n"
        "> And the date?\n"
        "\n"
        "The date is fixed once it ships.\n"
    )
    doc = read("inline.eml", bytes(mail(body)), "eml", "email")
    assert blocks(doc)[1:] == [
        ("quote", "On 3 Jun 2024, Kari <kari@example.com> wrote: Can I change the delivery address?"),
        ("paragraph", "Yes, you can change it until the parcel is packed."),
        ("quote", "And the date?"),
        ("paragraph", "The date is fixed once it ships."),
    ]


def test_attribution_wrapped_by_the_mail_program_is_quoted_whole() -> None:
    body = (
        "Thanks, it is fixed.\n"
        "\n"
        "On Mon, 3 Jun 2024 at 09:12, Kari Nordmann <\n"
        "kari@example.com> wrote:\n"
        "> It is broken again.\n"
    )
    data = bytes(mail(body))
    doc = read("wrapped.eml", data, "eml", "email")
    assert texts(doc, "paragraph") == ["Thanks, it is fixed."]
    assert texts(doc, "quote") == ["On Mon, 3 Jun 2024 at 09:12, Kari Nordmann < kari@example.com> wrote: It is broken again."]
    assert at(doc, data.decode(), "On Mon").startswith("On Mon, 3 Jun")


def test_outlook_original_message_and_forwarded_headers_quote_the_rest() -> None:
    body = (
        "We have refunded the full amount.\n"
        "\n"
        "Kind regards\n"
        "Ola\n"
        "\n"
        "-----Original Message-----\n"
        "From: Kari <kari@example.com>\n"
        "Sent: Monday, June 3, 2024 9:12 AM\n"
        "To: help@example.com\n"
        "Subject: Refund\n"
        "\n"
        "I want my money back now.\n"
    )
    doc = read("outlook.eml", bytes(mail(body, "RE: Refund")), "eml", "email")
    assert [kind for kind, _ in blocks(doc)] == ["subject", "paragraph", "paragraph", "signature", "quote", "quote"]
    assert texts(doc, "quote")[1] == "I want my money back now."
    german = (
        "vielen Dank für Ihre Nachricht. Ihre Bestellung wird morgen versendet.\n"
        "\n"
        "Mit freundlichen Grüßen\n"
        "Jonas Weber\n"
        "Kundenservice\n"
        "\n"
        "Von: Petra Schmidt <petra@example.de>\n"
        "Gesendet: Montag, 3. Juni 2024 09:12\n"
        "An: hilfe@example.de\n"
        "Betreff: Lieferung\n"
        "\n"
        "Wo bleibt meine Bestellung? Das ist eine Frechheit.\n"
    )
    doc = read("weiter.eml", bytes(mail(german, "AW: Lieferung")), "eml", "email")
    assert texts(doc, "signature") == ["Jonas Weber Kundenservice"]
    assert texts(doc, "quote")[-1] == "Wo bleibt meine Bestellung? Das ist eine Frechheit."
    assert texts(doc, "paragraph") == ["vielen Dank für Ihre Nachricht. Ihre Bestellung wird morgen versendet.", "Mit freundlichen Grüßen"]


def test_top_posted_reply_in_other_languages_quotes_everything_after_the_attribution() -> None:
    cases = {
        "Am 03.06.2024 um 09:12 schrieb Petra Schmidt <petra@example.de>:": "Wo bleibt meine Bestellung?",
        "tir. 4. jun. 2024 kl. 10:00 skrev Ola Nordmann <ola@example.no>:": "Hvor er pakken min?",
        "Pada tanggal Sen, 3 Jun 2024 pukul 09.12 Budi <budi@example.co.id> menulis:": "Di mana paket saya?",
    }
    for attribution, quoted in cases.items():
        doc = read("top.eml", bytes(mail(f"Danke, erledigt.\n\n{attribution}\n{quoted}\n")), "eml", "email")
        assert texts(doc, "paragraph") == ["Danke, erledigt."], attribution
        assert texts(doc, "quote") == [f"{attribution} {quoted}"], attribution


def test_signature_delimiter_needs_words_before_it_and_a_short_rest() -> None:
    doc = read("sig.eml", bytes(mail("Your order ships today.\n\n-- \nAnna Berg\nExample AS\n")), "eml", "email")
    assert texts(doc, "signature") == ["Anna Berg Example AS"]
    assert "--" not in doc.text
    # A "--" before the whole message is a separator, not the start of a signature.
    doc = read("early.eml", bytes(mail("--\nHello,\nYour order ships today.\nRegards,\nNatalia\n")), "eml", "email")
    assert texts(doc, "paragraph") == ["Hello,", "Your order ships today.", "Regards,"]
    assert texts(doc, "signature") == ["Natalia"]


def test_a_closing_followed_by_sentences_is_not_a_signature() -> None:
    body = "Thanks!\nYour order ships on Monday.\nTrack it in the app.\n"
    doc = read("thanks.eml", bytes(mail(body)), "eml", "email")
    assert texts(doc, "signature") == []
    assert texts(doc, "paragraph") == ["Thanks!", "Your order ships on Monday.", "Track it in the app."]


def test_html_mail_gmail_quote_and_signature_after_the_closing() -> None:
    message = mail("Plain version.\n")
    message.add_alternative(
        '<html><body><div dir="ltr"><p>Hi Kari,</p><p>We sent a new kettle today.</p>'
        "<p>Best regards,</p><p>Anna Berg</p><p>Customer Care</p></div>\n"
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, 3 Jun 2024 at 09:12, Kari '
        "&lt;kari@example.com&gt; wrote:</div>\n"
        '<blockquote class="gmail_quote"><div>My kettle broke after two days. Useless!</div></blockquote></div>'
        "</body></html>",
        subtype="html",
    )
    doc = read("gmail.eml", bytes(message), "eml", "email")
    assert texts(doc, "paragraph") == ["Hi Kari,", "We sent a new kettle today.", "Best regards,"]
    assert texts(doc, "signature") == ["Anna Berg", "Customer Care"]
    assert texts(doc, "quote") == ["On Mon, 3 Jun 2024 at 09:12, Kari <kari@example.com> wrote:", "My kettle broke after two days. Useless!"]
    assert "Plain version" not in doc.text  # the two forms agree: the HTML one is read


def test_html_mail_outlook_reply_header_quotes_the_rest() -> None:
    message = mail("x\n")
    message.add_alternative(
        "<html><body><p>The refund is on its way.</p><hr>"
        '<div id="divRplyFwdMsg"><b>From:</b> Kari<br><b>Sent:</b> Monday<br><b>To:</b> Help<br>'
        "<b>Subject:</b> Refund</div><div><p>Refund me now or I sue.</p></div></body></html>",
        subtype="html",
    )
    doc = read("outlook-html.eml", bytes(message), "eml", "email")
    assert texts(doc, "paragraph") == ["The refund is on its way."]
    assert texts(doc, "quote")[-1] == "Refund me now or I sue."


# -- e-mail: code, data, and the plain form read whole ----------------------------------------------
def test_shell_and_config_lines_in_mail_are_code() -> None:
    body = (
        "Please run these commands and restart the router:\n"
        "\n"
        "$ sudo systemctl restart networking\n"
        "ping -c 3 example.com\n"
        "\n"
        "Then set this in the config file:\n"
        "\n"
        "DNS=1.1.1.1\n"
        "\n"
        "```\n"
        "server {\n"
        "  listen 80;\n"
        "}\n"
        "```\n"
    )
    data = bytes(mail(body, "Fix"))
    doc = read("fix.eml", data, "eml", "email")
    assert texts(doc, "code") == ["$ sudo systemctl restart networking ping -c 3 example.com", "DNS=1.1.1.1", "``` server { listen 80; } ```"]
    assert texts(doc, "paragraph") == ["Please run these commands and restart the router:", "Then set this in the config file:"]
    assert at(doc, data.decode(), "DNS").startswith("DNS=1.1.1.1")


def test_base64_lines_long_tokens_and_data_uris_are_data_never_a_sentence() -> None:
    blob = base64.encodebytes(bytes(range(256)) * 3).decode()
    body = f"Here is the key you asked for.\n\n{blob}\nThanks.\n"
    data = bytes(mail(body, "Key"))
    doc = read("key.eml", data, "eml", "email")
    assert texts(doc, "paragraph") == ["Here is the key you asked for.", "Thanks."]
    assert texts(doc, "data") == [" ".join(blob.split())]
    assert at(doc, data.decode(), "AAECAwQF").startswith(blob.split("\n")[0])
    # A long token inside a sentence: the words around stay copy, each with its position.
    url = "https://track.example.com/c/" + "x7Yq" * 30
    text = f"Click {url} to confirm.\nA picture: data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\n"
    doc = read("draft.txt", text.encode(), "text", "draft")
    assert blocks(doc) == [
        ("paragraph", "Click"),
        ("data", url),
        ("paragraph", "to confirm."),
        ("paragraph", "A picture:"),
        ("data", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"),
    ]
    assert at(doc, text, "to confirm").startswith("to confirm.")
    assert at(doc, text, url).startswith(url)


def test_plain_form_that_says_much_more_than_the_html_form_is_read_too() -> None:
    message = mail("Welcome to our spring news: every kettle is on sale this month. " * 12 + "\n\nFree shipping all month.\n", "News")
    message.add_alternative('<html><body><img src="sale.png" alt="Spring sale"></body></html>', subtype="html")
    notes: list[str] = []
    doc = read("news.eml", bytes(message), "eml", "email", notes)
    assert texts(doc, "alt") == ["Spring sale"]
    assert texts(doc, "paragraph")[-1] == "Free shipping all month."
    assert len(doc.text.split()) > 130
    assert any("text/plain form has" in note and "both were read" in note for note in notes)


# -- web pages ------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html><html lang="en"><head><title>Kettle care</title></head>
<body class="has-sidebar">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><a href="/">Example Home</a><nav><ul><li><a href="/shop">Shop</a></li><li><a href="/help">Help</a></li></ul></nav></header>
<div class="cookie-banner"><p>We use cookies to improve the site.</p><button>Accept all</button></div>
<main id="main">
<p>Home &gt; Help &gt; Kettles</p>
<article>
<header><h1>How to descale your kettle</h1><p>Updated 3 June 2024</p></header>
<ul><li><a href="#why">Why descale</a></li><li><a href="#how">How to do it</a></li></ul>
<h2 id="why">Why descale</h2>
<p>Limescale makes the kettle slower. Run <code>descale --now</code> on the smart model.</p>
<pre>kettle.descale(
  mode="deep"
)</pre>
<blockquote><p>Best kettle I ever had.</p></blockquote>
<div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">LinkedIn</a></div>
<h2>Related articles</h2>
<ul><li><a href="/a">Choosing a kettle</a></li><li><a href="/b">Water filters explained</a></li></ul>
</article>
</main>
<aside><h3>Newsletter</h3><p>Get tips every month.</p></aside>
<footer><p>Example AS, Oslo</p><p>© 2024 Example AS. All rights reserved.</p></footer>
</body></html>"""


def test_web_page_furniture_code_and_copy() -> None:
    doc = read("care.html", PAGE.encode(), "html")
    kinds = dict((text, kind) for kind, text in blocks(doc))
    for furniture in ("Skip to content", "Example Home", "Shop", "We use cookies to improve the site.", "Accept all",
                      "Home > Help > Kettles", "How to do it", "Facebook Twitter LinkedIn", "Related articles",
                      "Choosing a kettle", "Newsletter", "Get tips every month.", "Example AS, Oslo",
                      "© 2024 Example AS. All rights reserved."):
        assert kinds[furniture] == "furniture", furniture
    # The article's own header (with the page's h1) and an inline <code> stay copy.
    assert kinds["How to descale your kettle"] == "heading"
    assert kinds["Updated 3 June 2024"] == "paragraph"
    assert kinds["Limescale makes the kettle slower. Run descale --now on the smart model."] == "paragraph"
    assert kinds['kettle.descale( mode="deep" )'] == "code"
    assert texts(doc, "heading") == ["How to descale your kettle", "Why descale"]  # the contents list is not
    # A page's <blockquote> is often a callout: what it nests keeps its kind, as before; a mail
    # program's quote (type="cite", Gmail's class) marks everything in it.
    assert kinds["Best kettle I ever had."] == "paragraph"
    # Text after a nested block goes back to its parent's kind; positions point into the page.
    assert at(doc, PAGE, "Facebook Twitter").startswith("Facebook</a>")
    assert at(doc, PAGE, "kettle.descale").startswith("kettle.descale(")
    assert at(doc, PAGE, "© 2024").startswith("© 2024 Example AS")


def test_markdown_code_blocks_and_contents_list() -> None:
    text = (
        "# Setup\n\n"
        "- [Install](#install)\n"
        "- [Configure](#configure)\n\n"
        "Install the app first.\n\n"
        "```bash\npip install example\n```\n\n"
        "    def handler(event):\n        return event;\n\n"
        "Then:\n\n"
        "    This paragraph was indented by accident when the page was converted, and it is prose.\n"
    )
    builder = TextBuilder(text)
    extract_markdown(text, builder)
    doc = builder.build("setup.md", "web")
    assert blocks(doc) == [
        ("heading", "Setup"),
        ("furniture", "Install"),
        ("furniture", "Configure"),
        ("paragraph", "Install the app first."),
        ("code", "pip install example"),
        ("code", "def handler(event): return event;"),
        ("paragraph", "Then:"),
        ("paragraph", "This paragraph was indented by accident when the page was converted, and it is prose."),
    ]
    assert at(doc, text, "pip install").startswith("pip install example")
    assert at(doc, text, "return event").startswith("return event;")


# -- plain text: one paragraph per line, or hard-wrapped --------------------------------------
def plain(text: str) -> Document:
    builder = TextBuilder(text)
    extract_plain_text(text, builder)
    return builder.build("draft.txt", "draft")


def test_word_processor_lines_are_paragraphs_and_wrapped_prose_is_joined() -> None:
    exported = (
        "Dear customer,\n"
        "Thank you for your order. It ships within two business days.\n"
        "If anything is missing, reply to this message and we will send it at once.\n"
        "Our plans\n"
        "- Basic\n"
        "- Pro with support\n"
        "Kind regards,\n"
        "Example Support\n"
    )
    doc = plain(exported)
    assert blocks(doc) == [
        ("paragraph", "Dear customer,"),
        ("paragraph", "Thank you for your order. It ships within two business days."),
        ("paragraph", "If anything is missing, reply to this message and we will send it at once."),
        ("paragraph", "Our plans"),
        ("list-item", "Basic"),
        ("list-item", "Pro with support"),
        ("paragraph", "Kind regards,"),
        ("signature", "Example Support"),
    ]
    assert at(doc, exported, "If anything").startswith("If anything is missing")
    wrapped = (
        "Thank you for your order. It ships within two business days, and\n"
        "you will get a tracking link as soon as the carrier has it.\n"
        "Returns are free for thirty days.\n"
        "\n"
        "Kind regards,\n"
        "Example Support\n"
    )
    doc = plain(wrapped)
    assert texts(doc, "paragraph") == [
        "Thank you for your order. It ships within two business days, and you will get a tracking link "
        "as soon as the carrier has it. Returns are free for thirty days.",
        "Kind regards,",
    ]
    assert texts(doc, "signature") == ["Example Support"]


# -- languages ------------------------------------------------------------------------------
NYNORSK = (
    "Takk for meldinga di. Vi har fått bestillinga di, og ho vert send i morgon. Dersom du har "
    "spørsmål, kan du berre svare på denne e-posten, så hjelper vi deg så fort vi kan. Eg vil "
    "òg minne om at du kan endre leveringsadressa heilt fram til pakken er send."
)
BOKMAL = (
    "Takk for meldingen din. Vi har mottatt bestillingen din, og den blir sendt i morgen. Hvis du "
    "har spørsmål, kan du bare svare på denne e-posten, så hjelper vi deg så fort vi kan."
)


def test_nynorsk_is_nn_and_bokmal_stays_nb() -> None:
    assert detect_language(NYNORSK, ("en", "de", "nb", "ja", "id", "su")) == "nn"
    assert detect_language(BOKMAL, ("en", "de", "nb", "ja", "id", "su")) == "nb"
    assert detect_language(NYNORSK, ("en", "de", "nb", "nn")) == "nn"


def test_language_is_decided_by_the_copy_not_the_quoted_reply() -> None:
    body = (
        "Vielen Dank für Ihre Nachricht. Wir haben die Rücksendung erhalten und erstatten den Betrag.\n"
        "\n"
        "On Mon, 3 Jun 2024 at 09:12, Kari <kari@example.com> wrote:\n"
        + "> I sent the parcel back two weeks ago and nobody has answered my emails since then.\n" * 6
    )
    ref = SourceRef(path="mixed.eml", format="eml", channel="email", location=None, explicit=True)
    doc = extract(SourceData(ref, bytes(mail(body))), ExtractOptions())[0]
    assert doc.lang == "de"


def test_languages_without_rules_are_reported_not_passed_in_silence(run_cli, tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text(
        "Bonjour, merci pour votre message. Nous avons bien reçu votre commande et elle sera expédiée demain.\n",
        encoding="utf-8",
    )
    (tmp_path / "nn.txt").write_text(NYNORSK + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Thank you for your order. It ships on Monday.\n", encoding="utf-8")
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    langs = {Path(d["path"]).name: d["lang"] for d in report["documents"]}
    assert langs == {"en.txt": "en", "fr.txt": "fr", "nn.txt": "nn"}
    assert report["summary"]["unsupported_languages"] == {"fr": 1, "nn": 1}
    messages = {Path(w["path"]).name: w["message"] for w in report["warnings"]}
    assert messages["fr.txt"] == "written in French (fr): commlint has no rules for this language, so only language-neutral rules ran"
    assert "Norwegian Nynorsk (nn)" in messages["nn.txt"]
    assert "en.txt" not in messages
    text = run_cli("check", str(tmp_path)).stdout
    assert "1 document in French (fr): only language-neutral rules ran" in text
    assert "1 document in Norwegian Nynorsk (nn): only language-neutral rules ran" in text
