"""HTML and Markdown extraction: only what a reader sees, every character traced to the source."""
from __future__ import annotations

from commlint.extraction.builder import TextBuilder
from commlint.extraction.html import decode_html, extract_html
from commlint.extraction.text import extract_markdown, extract_plain_text

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>Contact &amp; support</title>
  <meta name="description" content="Help that&#8217;s guaranteed">
  <style>.x { content: "guaranteed"; }</style>
  <script>var promise = "guaranteed";</script>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/help">Help</a></li></ul></nav>
  <h1>Talk   to us</h1>
  <p>We <strong>guarantee</strong> a reply<br>within 24&nbsp;hours.</p>
  <div hidden><p>hidden guaranteed text</p></div>
  <p style="display: none">also hidden</p>
  <noscript>enable scripts</noscript>
  <template><p>template text</p></template>
  <img src="team.jpg" alt="Our team &amp; office">
  <table><tr><th>Day</th><td>Mon&ndash;Fri</td></tr></table>
  <p lang="de">Wir melden uns in Kürze.</p>
</body>
</html>
"""


def extract(html: str):
    builder = TextBuilder(html)
    meta = extract_html(html, builder)
    return builder.build("page.html", "web", meta=meta), meta


def locate(doc, source: str, word: str) -> str:
    """The source text at the line/column the document maps `word` to."""
    index = doc.text.index(word)
    line, column = doc.positions.line_col(index)
    return source.split("\n")[line - 1][column - 1 :]


def test_only_visible_text_is_kept() -> None:
    doc, meta = extract(PAGE)
    blocks = [(b.kind, doc.block_text(b)) for b in doc.blocks]
    assert ("title", "Contact & support") in blocks
    assert ("meta", "Help that’s guaranteed") in blocks
    assert ("heading", "Talk to us") in blocks
    assert ("paragraph", "We guarantee a reply within 24 hours.") in blocks
    assert ("alt", "Our team & office") in blocks
    assert ("cell", "Mon–Fri") in blocks
    assert ("furniture", "Home") in blocks  # <nav>: kept in the text, marked as page furniture
    for hidden in ("hidden guaranteed", "also hidden", "enable scripts", "template text", "var promise", "content:"):
        assert hidden not in doc.text
    assert meta["lang"] == "en"


def test_every_word_maps_to_its_source_position() -> None:
    doc, _ = extract(PAGE)
    assert locate(doc, PAGE, "guarantee a").startswith("guarantee</strong>")
    assert locate(doc, PAGE, "hours").startswith("hours.</p>")
    assert locate(doc, PAGE, "24").startswith("24&nbsp;")
    assert locate(doc, PAGE, "office").startswith("office\">")
    assert locate(doc, PAGE, "Fri").startswith("Fri</td>")
    assert locate(doc, PAGE, "’s").startswith("&#8217;s")  # an entity maps to where it starts
    assert locate(doc, PAGE, "Kürze").startswith("Kürze.")


def test_block_language_from_lang_attribute() -> None:
    doc, _ = extract(PAGE)
    german = next(b for b in doc.blocks if doc.block_text(b).startswith("Wir"))
    assert german.lang == "de"


def test_charset_from_meta_and_bom() -> None:
    latin = '<html><head><meta charset="iso-8859-1"></head><body><p>Grüße</p></body></html>'.encode("iso-8859-1")
    assert "Grüße" in decode_html(latin)[0]
    sjis = '<html><head><meta charset="shift_jis"></head><body><p>必ずお届けします</p></body></html>'.encode("shift_jis")
    assert "必ずお届けします" in decode_html(sjis)[0]
    bom = "\ufeff<p>Straße</p>".encode("utf-8")
    assert "Straße" in decode_html(bom)[0]


def test_unclosed_and_broken_markup_does_not_crash() -> None:
    doc, _ = extract("<p>First <b>bold<p>Second<div><span>third</div></p></ul>&bogus; end")
    assert "First bold" in doc.text and "Second" in doc.text and "third" in doc.text and "&bogus; end" in doc.text


MARKDOWN = """---
title: We guarantee everything
tags: [x]
---
# Delivery *times*

Most orders **arrive** in [3-5 days](https://example.com "Shipping").
A second line with `code` in it.

- First _item_ here
- [ ] Second item

```
guaranteed in code
```

> Quoted words stay text

| Plan | Price |
|------|-------|
| Pro  | 29 kr |
"""


def test_markdown_strips_markup_and_keeps_positions() -> None:
    builder = TextBuilder(MARKDOWN)
    extract_markdown(MARKDOWN, builder)
    doc = builder.build("faq.md", "web")
    blocks = [(b.kind, doc.block_text(b)) for b in doc.blocks]
    assert ("heading", "Delivery times") in blocks
    assert ("paragraph", "Most orders arrive in 3-5 days. A second line with code in it.") in blocks
    assert ("list-item", "First item here") in blocks
    assert ("list-item", "Second item") in blocks
    assert ("cell", "29 kr") in blocks
    assert ("code", "guaranteed in code") in blocks  # kept, in a block of its own that rules skip
    assert "We guarantee" not in doc.text  # front matter is skipped
    assert locate(doc, MARKDOWN, "arrive").startswith("arrive**")
    assert locate(doc, MARKDOWN, "3-5 days").startswith("3-5 days](")
    assert locate(doc, MARKDOWN, "item here").startswith("item_ here")
    assert locate(doc, MARKDOWN, "Quoted").startswith("Quoted words")
    assert locate(doc, MARKDOWN, "29 kr").startswith("29 kr |")


def test_plain_text_paragraphs() -> None:
    text = "First paragraph\ncontinues here.\n\n\r\nSecond one.\n"
    builder = TextBuilder(text)
    extract_plain_text(text, builder)
    doc = builder.build("draft.txt", "draft")
    assert [doc.block_text(b) for b in doc.blocks] == ["First paragraph continues here.", "Second one."]
    assert locate(doc, text, "Second").startswith("Second one.")


def test_plain_text_list_lines_are_items_not_one_sentence() -> None:
    text = "Please bring:\n- your passport\n・運転免許証\n2) the booking code\n●●様 stays text\n"
    builder = TextBuilder(text)
    extract_plain_text(text, builder)
    doc = builder.build("draft.txt", "draft")
    assert [(b.kind, doc.block_text(b)) for b in doc.blocks] == [
        ("paragraph", "Please bring:"),
        ("list-item", "your passport"),
        ("list-item", "運転免許証"),
        ("list-item", "the booking code ●●様 stays text"),
    ]
    assert locate(doc, text, "booking").startswith("booking code")
