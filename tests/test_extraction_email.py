"""E-mail extraction: MIME structure, charsets, transfer encodings and positions."""
from __future__ import annotations

from email.header import Header
from email.message import EmailMessage

import pytest

from commlint.extraction.email import extract_eml, extract_mbox
from commlint.model import Document, ExtractionError, SourceMap


# -- helpers --------------------------------------------------------------------------------
def one(data: bytes) -> Document:
    documents = extract_eml(data, "message.eml", "email")
    assert len(documents) == 1
    return documents[0]


def position(doc: Document, word: str) -> tuple[int, int]:
    index = doc.text.index(word)
    return doc.positions.line_col(index)


def raw_lines(data: bytes, codec: str = "utf-8") -> list[str]:
    return data.decode(codec).split("\n")


def points_at(data: bytes, doc: Document, word: str, codec: str = "utf-8") -> bool:
    """The (line, col) of `word` points at `word` in the stored file."""
    line, col = position(doc, word)
    return raw_lines(data, codec)[line - 1][col - 1 :].startswith(word)


def body_line(data: bytes, blank_number: int = 1) -> int:
    """1-based file line after the `blank_number`-th blank line (where a body begins)."""
    seen = 0
    for index, line in enumerate(data.split(b"\n")):
        if not line.strip(b"\r"):
            seen += 1
            if seen == blank_number:
                return index + 2
    raise AssertionError("no blank line")


def kinds(doc: Document) -> list[str]:
    return [block.kind for block in doc.blocks]


def block_texts(doc: Document, kind: str) -> list[str]:
    return [doc.block_text(block) for block in doc.blocks if block.kind == kind]


# -- structure ------------------------------------------------------------------------------
def test_alternative_prefers_html_and_maps_html_positions() -> None:
    message = EmailMessage()
    message["From"] = "Support <help@example.com>"
    message["Subject"] = "Your ticket"
    message["Message-ID"] = "<t1@example.com>"
    message.set_content("Plain version only here.\n")
    message.add_alternative(
        '<html lang="en-GB"><body>\n<p>We have <b>received</b> your request.</p>\n'
        "<p>Expect an answer soon.</p>\n</body></html>\n",
        subtype="html",
    )
    data = message.as_bytes()
    doc = one(data)
    assert "Plain version" not in doc.text
    assert "We have received your request." in doc.text
    assert kinds(doc)[0] == "subject"
    assert doc.meta["html_lang"] == "en-GB"
    assert doc.meta["message_id"] == "<t1@example.com>"
    assert points_at(data, doc, "received")
    assert points_at(data, doc, "Expect")


def test_alternative_prefers_html_even_when_listed_first() -> None:
    data = (
        b"From: help@example.com\n"
        b"Subject: Order\n"
        b"Content-Type: multipart/alternative; boundary=\"b1\"\n"
        b"\n"
        b"--b1\n"
        b"Content-Type: text/html; charset=utf-8\n"
        b"\n"
        b"<p>HTML wording.</p>\n"
        b"--b1\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"\n"
        b"Plain wording.\n"
        b"--b1--\n"
    )
    doc = one(data)
    assert "HTML wording." in doc.text
    assert "Plain wording" not in doc.text
    assert position(doc, "wording") == (8, 9)


def test_alternative_with_only_plain_uses_plain() -> None:
    message = EmailMessage()
    message["Subject"] = "Hello"
    message.make_alternative()
    plain = EmailMessage()
    plain.set_content("Only the plain text exists.\n")
    message.attach(plain)
    doc = one(message.as_bytes())
    assert "Only the plain text exists." in doc.text


def test_nested_multipart_related_and_attachments_skipped() -> None:
    message = EmailMessage()
    message["From"] = "help@example.com"
    message["Subject"] = "Invoice"
    message.set_content("Plain alternative text.\n")
    message.add_alternative("<p>Your invoice is attached.</p>", subtype="html")
    message.get_payload()[1].add_related(b"\x89PNG\r\n\x1a\n", "image", "png", cid="<logo>")
    message.add_attachment(b"Secret attachment words.\n", maintype="text", subtype="plain", filename="notes.txt")
    message.add_attachment(b"%PDF-1.4 binary", maintype="application", subtype="pdf", filename="a.pdf")
    doc = one(message.as_bytes())
    assert "Your invoice is attached." in doc.text
    assert "Secret" not in doc.text
    assert "Plain alternative" not in doc.text
    assert "PDF" not in doc.text


# -- positions ------------------------------------------------------------------------------
PLAIN_8BIT = (
    "From: Jürgen Support <help@example.de>\r\n"
    "To: kunde@example.org\r\n"
    "Subject: Ihre Bestellung\r\n"
    "Date: Mon, 01 Jan 2024 10:00:00 +0100\r\n"
    "Message-ID: <p1@example.de>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Hallo Jürgen,\r\n"
    "\r\n"
    "für Ihre Größe senden wir die Rechnung\r\n"
    "heute noch.\r\n"
).encode("utf-8")


def test_plain_8bit_utf8_positions_are_exact() -> None:
    doc = one(PLAIN_8BIT)
    for word in ("Jürgen", "Rechnung", "heute", "Bestellung"):
        assert points_at(PLAIN_8BIT, doc, word), word
    # columns count characters: "für Ihre Größe senden wir die " is 30 characters
    assert position(doc, "Rechnung") == (12, 31)
    # every visible character maps onto itself in the stored file
    lines = raw_lines(PLAIN_8BIT)
    for index, char in enumerate(doc.text):
        if not char.isspace():
            line, col = doc.positions.line_col(index)
            assert lines[line - 1][col - 1] == char
    assert doc.meta["subject"] == "Ihre Bestellung"
    # the subject follows a header with a non-ASCII "ü": bytes and characters differ there
    assert block_texts(doc, "subject") == ["Ihre Bestellung"]
    # a verbatim body lives in the file's own lines, so no text offset is needed
    assert doc.positions.source_line(12) == "für Ihre Größe senden wir die Rechnung"
    assert doc.meta["date"] == "Mon, 01 Jan 2024 10:00:00 +0100"
    assert doc.unit is None


def test_quoted_printable_uses_body_line_plus_decoded_line() -> None:
    data = (
        b"From: help@example.com\r\n"
        b"Subject: Your order\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b"\r\n"
        b"Gr=C3=BC=C3=9Fe, thank you for writing to us about your recent order and the =\r\n"
        b"delivery.\r\n"
        b"\r\n"
        b"We will refund the caf=C3=A9 voucher today.\r\n"
    )
    doc = one(data)
    assert "Grüße, thank you" in doc.text
    assert "café voucher" in doc.text
    first = body_line(data)
    assert first == 7
    decoded = "Grüße, thank you for writing to us about your recent order and the delivery."
    # "delivery" sits on decoded line 0 (the soft break joined it), so on the body's first line
    assert position(doc, "delivery") == (first, decoded.index("delivery") + 1)
    # decoded line 2, though it is stored on file line 10 with a different column
    assert position(doc, "voucher") == (first + 2, "We will refund the café ".__len__() + 1)
    line, _ = position(doc, "voucher")
    assert doc.positions.source_line(line, doc.text.index("voucher")) == "We will refund the café voucher today."
    # the subject still points into the raw headers
    assert points_at(data, doc, "order")


def test_base64_body() -> None:
    message = EmailMessage()
    message["From"] = "help@example.com"
    message["Subject"] = "Refund"
    message.set_content("Dear customer,\n\nyour refund of 20 € is on its way.\n", cte="base64")
    data = message.as_bytes()
    assert b"refund" not in data.split(b"\n\n", 1)[1]  # really stored encoded
    doc = one(data)
    assert "your refund of 20 € is on its way." in doc.text
    first = body_line(data)
    assert position(doc, "Dear") == (first, 1)
    assert position(doc, "refund") == (first + 2, 6)


def test_iso_2022_jp_body_and_encoded_subject() -> None:
    subject = Header("ご連絡", "iso-2022-jp").encode()
    body = "お問い合わせありがとうございます。\n\n担当者より折り返しご連絡いたします。\n".encode("iso-2022-jp")
    data = (
        b"From: support@example.jp\n"
        b"Subject: " + subject.encode("ascii") + b"\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=ISO-2022-JP\n"
        b"Content-Transfer-Encoding: 7bit\n"
        b"\n" + body
    )
    doc = one(data)
    assert "折り返しご連絡いたします" in doc.text
    assert doc.meta["subject"] == "ご連絡"
    first = body_line(data)
    # decoded line 2, column in the decoded line (the stored line has escape sequences)
    assert position(doc, "折り返しご連絡いたします") == (first + 2, len("担当者より") + 1)
    # an encoded-word subject maps every character to the start of the header value
    subject_block = doc.blocks[0]
    assert subject_block.kind == "subject"
    assert doc.block_text(subject_block) == "ご連絡"
    starts = {doc.positions.line_col(i) for i in range(subject_block.start, subject_block.end)}
    assert starts == {(2, len("Subject: ") + 1)}


@pytest.mark.parametrize("charset", ["Shift_JIS", "EUC-JP"])
def test_japanese_8bit_bodies_map_exactly(charset: str) -> None:
    codec = {"Shift_JIS": "cp932", "EUC-JP": "euc_jp"}[charset]
    text = "件名の通り、\n返金手続きは完了しました。今後ともよろしくお願いいたします。\n"
    if charset == "Shift_JIS":
        text += "①ご確認ください。\n"  # a Windows (cp932) extension, common in real Shift_JIS mail
    data = (
        "From: support@example.jp\n"
        "Subject: Refund\n"
        f"Content-Type: text/plain; charset={charset}\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
    ).encode("ascii") + text.encode(codec)
    doc = one(data)
    assert "返金手続きは完了しました。" in doc.text
    assert points_at(data, doc, "完了しました", codec)
    assert position(doc, "完了しました") == (body_line(data) + 1, len("返金手続きは") + 1)
    assert doc.positions.source_line(body_line(data) + 1).startswith("返金手続きは完了しました")
    if charset == "Shift_JIS":
        # ① decodes (a cp932 extension) and, starting the line, marks a list item
        assert doc.positions.source_line(body_line(data) + 2).startswith("①ご確認ください。")
        item = doc.blocks[-1]
        assert item.kind == "list-item" and doc.block_text(item) == "ご確認ください。"


def test_windows_1252_curly_quotes() -> None:
    data = (
        b"From: help@example.com\n"
        b"Subject: Sorry\n"
        b"Content-Type: text/plain; charset=windows-1252\n"
        b"Content-Transfer-Encoding: 8bit\n"
        b"\n"
        b"We\x92re sorry \x93for the delay\x94 \x96 it\x92s fixed.\n"
    )
    doc = one(data)
    assert "We\u2019re sorry \u201cfor the delay\u201d \u2013 it\u2019s fixed." in doc.text
    assert points_at(data, doc, "delay", "cp1252")
    assert position(doc, "delay") == (6, 22)


def test_latin1_label_with_c1_bytes_reads_as_windows_1252() -> None:
    data = b"Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n\nIt\x92s caf\xe9 time.\n"
    assert "It\u2019s café time." in one(data).text


def test_unknown_and_wrong_charsets_do_not_crash() -> None:
    unknown = b"Subject: x\nContent-Type: text/plain; charset=x-klingon\n\nGr\xc3\xbc\xc3\x9fe from us.\n"
    assert "Grüße from us." in one(unknown).text
    wrong = b"Subject: x\nContent-Type: text/plain; charset=utf-8\n\nMerci, cr\xe8me br\xfbl\xe9e is back.\n"
    doc = one(wrong)
    assert "Merci, cr" in doc.text and "is back." in doc.text
    undeclared = b"Subject: x\nContent-Type: text/plain\n\nNa\xc3\xafve but fine.\n"
    assert "Naïve but fine." in one(undeclared).text


# -- blocks ---------------------------------------------------------------------------------
def test_paragraphs_quotes_and_signature() -> None:
    data = (
        b"From: help@example.com\n"
        b"Subject: Re: Broken kettle\n"
        b"Content-Type: text/plain; charset=utf-8\n"
        b"\n"
        b"Thanks for your message.\n"
        b"We will send a new kettle.\n"
        b"\n"
        b"On Monday, you wrote:\n"
        b"> This is a terrible product.\n"
        b"> I want my money back.\n"
        b"\n"
        b"-- \n"
        b"Anna from Support\n"
        b"Call us any time\n"
    )
    doc = one(data)
    # The customer's quoted words stay in the text (positions hold) in a block rules skip.
    assert kinds(doc) == ["subject", "paragraph", "paragraph", "quote", "signature"]
    assert block_texts(doc, "quote") == ["On Monday, you wrote: This is a terrible product. I want my money back."]
    # One sentence per line, nothing wrapped mid-sentence: each line is a paragraph.
    assert block_texts(doc, "paragraph") == ["Thanks for your message.", "We will send a new kettle."]
    assert block_texts(doc, "signature") == ["Anna from Support Call us any time"]
    assert block_texts(doc, "subject") == ["Re: Broken kettle"]


def test_folded_subject_maps_to_raw_lines() -> None:
    data = b"From: a@example.com\nSubject: Your parcel\n is delayed\n\nBody.\n"
    doc = one(data)
    assert block_texts(doc, "subject") == ["Your parcel is delayed"]
    assert position(doc, "Your") == (2, 10)
    assert position(doc, "delayed") == (3, 5)


# -- mbox -----------------------------------------------------------------------------------
MBOX = (
    b"From help@example.com Mon Jan  1 10:00:00 2024\n"
    b"From: help@example.com\n"
    b"Subject: First\n"
    b"Message-ID: <m1@example.com>\n"
    b"Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
    b"\n"
    b"First message body.\n"
    b"\n"
    b"From help@example.com Tue Jan  2 10:00:00 2024\n"
    b"From: help@example.com\n"
    b"Subject: Second\n"
    b"Message-ID: <m2@example.com>\n"
    b"\n"
    b"Second body.\n"
    b">From the start we said so.\n"
    b"\n"
    b"From help@example.com Wed Jan  3 10:00:00 2024\n"
    b"From: help@example.com\n"
    b"Subject: Third\n"
    b"Message-ID: <m3@example.com>\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: 8bit\n"
    b"\n"
    b"Third body with caf\xc3\xa9 and a promise.\n"
)


def test_mbox_three_messages_are_units() -> None:
    documents = extract_mbox(MBOX, "support.mbox", "email")
    assert [doc.unit.id for doc in documents if doc.unit] == [
        "<m1@example.com>",
        "<m2@example.com>",
        "<m3@example.com>",
    ]
    assert all(doc.unit is not None and doc.unit.kind == "message" for doc in documents)
    assert documents[0].unit is not None and documents[0].unit.date == "Mon, 01 Jan 2024 10:00:00 +0000"
    assert documents[1].unit is not None and documents[1].unit.date is None
    assert [doc.meta["subject"] for doc in documents] == ["First", "Second", "Third"]
    assert "Second" not in documents[2].text and "First" not in documents[1].text
    # positions are file lines, not message lines
    assert position(documents[2], "promise") == (24, len("Third body with café and a ") + 1)
    assert points_at(MBOX, documents[2], "promise")
    assert points_at(MBOX, documents[0], "First message")
    # an mboxrd-escaped body line is text, not a quote; it maps past the escaping ">"
    assert "From the start we said so." in documents[1].text
    assert points_at(MBOX, documents[1], "From the start")


def test_mbox_message_without_id_is_numbered() -> None:
    data = (
        b"From a@example.com Mon Jan  1 10:00:00 2024\nSubject: One\nMessage-ID: <x@y>\n\nHi.\n\n"
        b"From a@example.com Mon Jan  1 11:00:00 2024\nSubject: Two\n\nHello.\n"
    )
    documents = extract_mbox(data, "a.mbox", "email")
    assert [doc.unit.id for doc in documents if doc.unit] == ["<x@y>", "#2"]


def test_eml_with_mbox_separator_line() -> None:
    data = b"From a@example.com Mon Jan  1 10:00:00 2024\nSubject: Kept\n\nBody here.\n"
    doc = one(data)
    assert doc.meta["subject"] == "Kept"
    assert position(doc, "Body") == (4, 1)


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\n  \n",
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"Just a note without headers.\nSecond line.\n",
        b"Note: this looks like a header but is not mail\n\nBody\n",
    ],
)
def test_garbage_is_an_extraction_error(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="not a MIME message"):
        extract_eml(data, "junk.eml", "email")


@pytest.mark.parametrize("data", [b"", b"Subject: not an mbox\n\nBody\n", bytes(range(256))])
def test_not_an_mbox(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="not an mbox file"):
        extract_mbox(data, "junk.mbox", "email")


# -- the SourceMap regions this module relies on ----------------------------------------------
def test_source_map_regions() -> None:
    source = "a\nbc\n" + "\n" + "XY\nZ"
    positions = SourceMap(source, [0, 3, 6, 7, 9], line_base=4, regions=((6, 10),))
    assert [positions.line_col(i) for i in range(5)] == [(5, 1), (6, 2), (11, 1), (11, 2), (12, 1)]
    assert positions.source_line(6) == "bc"
    assert positions.source_line(12, 4) == "Z"
    assert positions.source_line(12) == ""  # not a line of the first region
