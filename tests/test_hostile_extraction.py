"""Hostile and huge input at the extraction stage (issue 9): linear time, positions kept,
binary data refused, honest charsets, and a note for everything left out.

Every case runs in-process through `extract()`, with small sizes; a time limit is asserted
only where time is the point (each is several times what it takes on a slow machine).
"""
from __future__ import annotations

import random
import time

import pytest

from commlint.extraction import ExtractOptions, extract
from commlint.extraction.builder import TextBuilder
from commlint.extraction.decoding import decode_text, looks_binary, sniff_utf16
from commlint.extraction.email import decode_words
from commlint.extraction.html import extract_html
from commlint.extraction.language import MAX_TEXT, _sample, detect_language
from commlint.model import Document, ExtractionError, OffsetRuns, SourceMap
from commlint.sources import SourceData, SourceRef, channel_of, format_of

OPTIONS = ExtractOptions(lang="en")  # language detection is not what these cases test


def read(name: str, data: bytes, options: ExtractOptions = OPTIONS, charset: str | None = None) -> tuple[list[Document], list[str]]:
    fmt = format_of(name)
    assert fmt is not None
    ref = SourceRef(name, fmt, None, True, channel_of(name, fmt), charset)
    notes: list[str] = []
    return extract(SourceData(ref, data), options, notes), notes


def timed(name: str, data: bytes, limit: float, **kwargs: object) -> tuple[list[Document], list[str]]:
    started = time.perf_counter()
    result = read(name, data, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    assert elapsed < limit, f"{name}: {elapsed:.2f} s for {len(data):,} bytes"
    return result


def at(doc: Document, source: str, word: str, occurrence: int = 0) -> str:
    """The source text from where the document maps `word` to."""
    index = -1
    for _ in range(occurrence + 1):
        index = doc.text.index(word, index + 1)
    line, column = doc.positions.line_col(index)
    return source.split("\n")[line - 1][column - 1 :]


# -- HTML: linear on any markup (lxml instead of html.parser) ---------------------------------
@pytest.mark.parametrize(
    "html",
    [
        "<p " * 10_000,  # 30 KB: 26 s with html.parser
        "<" * 200_000,
        "&" * 200_000,
        "<p>Before.</p><!--" + "x " * 100_000,  # unclosed comment
        "<p>Before.</p><!" + "x" * 200_000,  # unclosed declaration
        "<p>Before.</p><![CDATA[" + "x " * 100_000,
        "<p>Before.</p><p title=\"" + "x" * 200_000,  # unclosed attribute value
        "<b>" * 50_000 + "deep",
        "a</x>" * 40_000,  # stray end tags dropped inside text
        "<p>" + "a\r\n" * 60_000,
    ],
    ids=["p-space", "lt", "amp", "comment", "bang", "cdata", "quote", "nested", "stray-end", "crlf"],
)
def test_hostile_markup_extracts_in_linear_time(html: str) -> None:
    docs, _ = timed("page.html", html.encode(), 2.0)
    doc = docs[0]
    if html.startswith("<p>Before."):
        assert doc.text == "Before." and at(doc, html, "Before").startswith("Before.</p>")
    if html[0] in "<&" and len(set(html)) == 1:
        # one text run as long as the page, each character at its own offset
        assert doc.text == html and doc.positions.line_col(len(html) - 1) == (1, len(html))


def test_huge_alt_attribute_is_linear_and_keeps_positions() -> None:
    html = '<p>x</p><img alt="' + "word " * 100_000 + 'last &amp; final">'
    docs, _ = timed("page.html", html.encode(), 2.0)
    alt = docs[0].text.split("\n\n")[1]
    assert alt.endswith("last & final")
    assert at(docs[0], html, "final").startswith('final">')
    assert at(docs[0], html, "&").startswith("&amp; final")


PAGE = (
    "<!DOCTYPE html>\r\n<html lang=\"en\"><head>\r\n<title>Help &amp; support</title>\r\n"
    '<meta name="description" content="Answers &#8217;round the clock">\r\n'
    "<script>if (a<b) { document.write('<p>not text</p>'); }</script></head>\r\n"
    "<body>\r\n  <!-- a <p>comment</p> -->\r\n"
    '  <p class="a>b" title=\'x\'>We <b>guarantee</b>&nbsp;a reply</span> within 24&nbsp;hours.</p>\r\n'
    "  <div hidden><p>hidden words</p></div>\r\n"
    "  <ul><li>First &lt;item&gt;<li>Second item</ul>\r\n"
    '  <img alt="Our &amp; team" src="t.jpg"><p lang="de">Wir melden uns.</p>\r\n'
    "  <textarea>raw &amp; <b>typed</b></textarea>\r\n"
    "</body></html>\r\nAfter the end."
)


def test_positions_survive_entities_crlf_comments_scripts_and_dropped_tags() -> None:
    docs, _ = read("page.html", PAGE.encode())
    doc = docs[0]
    blocks = [(b.kind, doc.block_text(b)) for b in doc.blocks]
    assert ("title", "Help & support") in blocks
    assert ("meta", "Answers ’round the clock") in blocks
    assert ("paragraph", "We guarantee a reply within 24 hours.") in blocks
    assert ("list-item", "First <item>") in blocks and ("list-item", "Second item") in blocks
    assert ("alt", "Our & team") in blocks
    assert "not text" not in doc.text and "comment" not in doc.text and "hidden" not in doc.text
    assert "After the end." in doc.text  # libxml2 keeps what follows </html> in a second tree
    assert at(doc, PAGE, "support").startswith("support</title>")
    assert at(doc, PAGE, "’").startswith("&#8217;round")
    assert at(doc, PAGE, "guarantee").startswith("guarantee</b>")
    assert at(doc, PAGE, "within").startswith("within 24")  # after a stray </span>
    assert at(doc, PAGE, "hours").startswith("hours.</p>")
    assert at(doc, PAGE, "<item>").startswith("&lt;item&gt;")
    assert at(doc, PAGE, "team").startswith('team" src')
    assert at(doc, PAGE, "Wir").startswith("Wir melden")
    assert at(doc, PAGE, "typed").startswith("typed</b></textarea>")  # raw text, not markup
    assert at(doc, PAGE, "After").startswith("After the end.")
    assert doc.meta["lang"] == "en"


def test_random_tag_soup_maps_every_character_to_a_matching_source_character() -> None:
    pieces = ["<p>", "</p>", "<b>", "</i>", "<br>", "&amp;", "&copy", "&#8217;", "x<y", "5 > 3", "\r\n",
              "<!-- c -->", "<img alt='A &amp; B'>", "word", "Grüße", " ", "\t", "<td>", "<script>a<b</script>"]
    rng = random.Random(9)
    for _ in range(200):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        builder = TextBuilder(html)
        extract_html(html, builder)
        doc = builder.build("p.html", "web")
        previous = -1
        for block in doc.blocks:
            for index in range(block.start, block.end):
                char, offset = doc.text[index], doc.positions.source_offset(index)
                stored = html[offset]
                assert char == stored or stored == "&" or (char == " " and (stored.isspace() or stored == "<")), (html, index)
                assert offset >= previous, (html, index)  # text keeps the source order
                previous = offset


def test_nesting_deeper_than_the_parser_allows_is_noted() -> None:
    docs, notes = read("deep.html", ("<p>Top.</p>" + "<div>" * 3000 + "lost").encode())
    assert docs[0].text == "Top."
    assert any("nested deeper" in note for note in notes)


def test_markdown_html_block_with_crlf_keeps_exact_positions() -> None:
    text = "# Title\r\n\r\n<div>\r\nWe &amp; you\r\n<p>guarantee it</p>\r\n</div>\r\n"
    docs, _ = read("page.md", text.encode())
    assert at(docs[0], text, "guarantee").startswith("guarantee it</p>")


# -- binary content ---------------------------------------------------------------------------
def test_random_bytes_named_html_are_refused_quickly() -> None:
    rng = random.Random(1)
    data = bytes(rng.getrandbits(8) for _ in range(200_000))
    started = time.perf_counter()
    with pytest.raises(ExtractionError, match="looks like a binary file, not HTML"):
        read("junk.html", data)
    assert time.perf_counter() - started < 1.0


def test_binary_check_is_shared_and_spares_text() -> None:
    assert looks_binary(b"GIF89a\x01\x00\x01\x00\x80\x00\x00")
    assert looks_binary(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    assert not looks_binary("Grüße, 日本語\tand\r\n\x0cform feeds\x1b$B".encode("utf-8"))
    assert not looks_binary("Grüße".encode("cp1252"))
    with pytest.raises(ExtractionError, match="binary file, not text"):
        decode_text(b"\x00\x01\x02\x03 binary")


# -- UTF-16, BOMs and lying charsets ------------------------------------------------------------
TEXT = "We guarantee a reply.\nWithin one hour, always.\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_bom_is_read_not_called_binary(codec: str) -> None:
    assert sniff_utf16(TEXT.encode(codec)) == (codec, TEXT)
    docs, _ = read("draft.txt", TEXT.encode(codec))
    assert at(docs[0], TEXT, "always").startswith("always.")


@pytest.mark.parametrize("name", ["draft.txt", "page.md", "page.html", "posts.csv"])
@pytest.mark.parametrize("bom", ["utf-8", "utf-16"])
def test_a_bom_is_not_text_and_columns_start_after_it(name: str, bom: str) -> None:
    text = "text\nWe guarantee a reply.\n" if name.endswith(".csv") else "We guarantee a reply.\n"
    data = text.encode("utf-8-sig") if bom == "utf-8" else text.encode("utf-16")  # utf-16 writes a BOM
    docs, _ = read(name, data)
    doc = docs[0]
    assert "\ufeff" not in doc.text and doc.text.startswith("We")
    line = 2 if name.endswith(".csv") else 1
    assert doc.positions.line_col(doc.text.index("guarantee")) == (line, 4)


def test_html_meta_claiming_utf16_on_utf8_bytes_is_ignored_with_a_note() -> None:
    page = '<html><head><meta charset="utf-16"></head><body><p>Wir garantieren Grüße.</p></body></html>'
    for charset in (None, "utf-16"):  # the <meta>, and the same lie in an HTTP header
        docs, notes = read("page.html", page.encode("utf-8"), charset=charset)
        assert docs[0].text == "Wir garantieren Grüße."
        assert notes and all("utf-16" in note and "ignored" in note for note in notes)


def test_html_declared_charset_that_does_not_fit_is_noted() -> None:
    page = '<meta charset="shift_jis"><p>Grüße aus Köln.</p>'
    docs, notes = read("page.html", page.encode("utf-8"))
    assert docs[0].text == "Grüße aus Köln." and "shift_jis" in notes[0]
    latin = '<meta charset="iso-8859-1"><p>Grüße “quoted”</p>'.encode("cp1252")
    docs, notes = read("page.html", latin)
    assert docs[0].text == "Grüße “quoted”" and notes == []  # a true declaration says nothing


MAIL = "From: a@example.com\nSubject: Hallo\nMIME-Version: 1.0\nContent-Type: text/plain; charset={}\n\n"


def test_mail_part_labelled_utf16_on_utf8_bytes_is_read_as_utf8_with_a_note() -> None:
    data = MAIL.format("utf-16").encode() + "Wir garantieren eine Antwort. Grüße!\n".encode("utf-8")
    docs, notes = read("mail.eml", data)
    assert "Wir garantieren eine Antwort. Grüße!" in docs[0].text
    assert docs[0].positions.line_col(docs[0].text.index("garantieren")) == (6, 5)
    assert any("utf-16" in note for note in notes)
    real = MAIL.format("utf-16").encode() + "Wir garantieren.".encode("utf-16")
    docs, notes = read("mail.eml", real)
    assert "Wir garantieren." in docs[0].text and notes == []


# -- mail headers -------------------------------------------------------------------------------
def test_broken_rfc2047_subject_is_linear_and_cut_with_a_note() -> None:
    data = b"From: a@example.com\nSubject: " + b"=?utf-8?q?abc" * 8_000 + b"\n\nWe guarantee it.\n"
    docs, notes = timed("mail.eml", data, 2.0)
    assert "We guarantee it." in docs[0].text
    assert any("Subject header is 104,000 bytes long" in note for note in notes)


def test_huge_plain_header_is_not_quadratic() -> None:
    data = b"From: a@example.com\nSubject: " + b"word " * 200_000 + b"\nX-Long: " + b"x" * 500_000 + b"\n\nBody.\n"
    docs, notes = timed("mail.eml", data, 3.0)
    assert docs[0].text.endswith("Body.") and any("Subject header" in note for note in notes)


def test_huge_content_type_header_does_not_hang() -> None:
    data = b"From: a@example.com\nContent-Type: text/plain; " + b"x=y; " * 100_000 + b"\n\nBody text.\n"
    docs, _ = timed("mail.eml", data, 3.0)
    assert docs[0].text == "Body text."


def test_encoded_words_are_decoded_and_broken_ones_kept() -> None:
    assert decode_words("=?utf-8?q?Gr=C3=BC=C3=9Fe?= =?utf-8?b?IGF1cw==?=\r\n Köln") == "Grüße aus Köln"
    assert decode_words("=?utf-8?q?abc=?x?q?") == "=?utf-8?q?abc=?x?q?"
    assert decode_words("=?no-such-charset?q?abc?=") == "=?no-such-charset?q?abc?="


def test_an_unreadable_message_in_a_mailbox_is_noted() -> None:
    data = (
        b"From a Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: Hi\n\nWe guarantee it.\n\n"
        b"From b Mon Jan  1 00:00:00 2024\n\x00\x01junk: \x00\n\nx\n"
    )
    docs, notes = read("inbox.mbox", data)
    assert len(docs) == 1
    assert notes == ["message #2: not a MIME message: the headers hold binary data; skipped"]


def test_a_feed_of_many_entries_is_not_searched_once_per_entry() -> None:
    items = "".join(
        f"<item><title>Post {n}</title><description>We guarantee {n} things. {'filler ' * 140}</description></item>"
        for n in range(2_000)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    ref = SourceRef("feed.xml", "feed", None, True, "social")
    started = time.perf_counter()
    docs = extract(SourceData(ref, feed.encode()), OPTIONS)
    assert time.perf_counter() - started < 4.0  # 6 s when each entry was looked for from the start
    assert len(docs) == 2_000
    last = docs[-1]
    assert feed[last.positions.source_offset(last.text.index("We guarantee 1999")) :].startswith("We guarantee 1999")


# -- social exports: a reason for every post left out --------------------------------------------
def test_each_skipped_post_is_noted_with_its_reason() -> None:
    data = (
        '[\n{"id": 1, "text": 42},\n{"id": 2, "text": null},\n{"id": 3, "text": ["a"]},\n'
        '{"id": 4, "text": {"x": 1}},\n{"id": 5, "text": "We guarantee it."},\n7,\n{"id": 6, "text": " "},\n{"id": 8}\n]'
    ).encode()
    docs, notes = read("posts.json", data)
    assert [doc.text for doc in docs] == ["We guarantee it."]
    assert notes == [
        "post 1 (line 2): its text (text) is a number, not words; skipped",
        "post 2 (line 3): its text (text) is null; skipped",
        "post 3 (line 4): its text (text) is a list, not words; skipped",
        "post 4 (line 5): its text (text) is an object, not words; skipped",
        "post 6 (line 7): it is a number, not an object holding a post; skipped",
        "post 7 (line 8): its text is empty; skipped",
        "post 8 (line 9): it has no text field (one of full_text, text, content, message ...); skipped",
    ]


def test_skipped_post_notes_are_capped() -> None:
    lines = [f'{{"id": {n}, "text": ""}}' for n in range(50)] + ['{"id": 99, "text": "We promise."}']
    docs, notes = read("posts.jsonl", "\n".join(lines).encode())
    assert len(docs) == 1 and len(notes) == 21
    assert notes[0] == "post 1 (line 1): its text is empty; skipped"
    assert notes[-1] == "and 30 more posts skipped: 30 because its text is empty"


def test_csv_rows_without_text_are_noted() -> None:
    docs, notes = read("posts.csv", b"id,text\n1,We guarantee it.\n2\n3,\n")
    assert len(docs) == 1
    assert notes == ["row 2 (line 3): it has no cell in the text column (text); skipped", "row 3 (line 4): its text is empty; skipped"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("posts.json", b"", "no posts found: the file is empty"),
        ("posts.json", b"  \n", "no posts found: the file is empty"),
        ("posts.json", b"[]", "no posts found: the list of posts is empty"),
        ("posts.json", b'{"posts": []}', "no posts found: the list of posts is empty"),
        ("posts.csv", b"", "no posts found: the file is empty"),
        ("posts.csv", b"id,text\n", "no posts found: the file has a header row"),
        ("posts.json", b'[{"text": 42}, {"text": 7}]', "all 2 posts were skipped"),
    ],
)
def test_an_export_with_no_posts_is_an_error(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        read(name, data)


# -- line ends ----------------------------------------------------------------------------------
CR_ONLY = "# Delivery\r\rWe guarantee a reply\rwithin one hour.\r\r- first item\r- second item\r"


def test_markdown_with_cr_only_line_ends() -> None:
    docs, _ = read("faq.md", CR_ONLY.encode())
    doc = docs[0]
    assert [(b.kind, doc.block_text(b)) for b in doc.blocks] == [
        ("heading", "Delivery"),
        ("paragraph", "We guarantee a reply within one hour."),
        ("list-item", "first item"),
        ("list-item", "second item"),
    ]
    lines = CR_ONLY.split("\r")
    line, column = doc.positions.line_col(doc.text.index("within"))
    assert (line, column) == (4, 1) and doc.positions.source_line(line) == lines[3]
    assert doc.positions.line_col(doc.text.index("second")) == (7, 3)


def test_plain_text_with_cr_only_line_ends_splits_paragraphs() -> None:
    docs, _ = read("draft.txt", CR_ONLY.encode())
    assert [docs[0].block_text(b) for b in docs[0].blocks][1] == "We guarantee a reply within one hour."


# -- memory: positions as runs --------------------------------------------------------------------
def test_positions_of_a_long_text_are_a_few_runs_not_one_int_per_character() -> None:
    paragraph = "We will get back to you within two days, and we guarantee it.\n\n"
    text = paragraph * 20_000  # 1.3 MB
    # what this test holds is the memory of the position map (a few runs); the time limit only
    # guards against a hang, with room for a slow machine (5.4 s on one, 2-3 s on an idle one)
    docs, _ = timed("draft.txt", text.encode(), 15.0)
    positions = docs[0].positions
    assert isinstance(positions.offsets, OffsetRuns)
    # one run per paragraph and two for the blank line after it (both map to one offset)
    assert len(positions.offsets.text_starts) == 3 * 20_000 - 2
    last = docs[0].text.rindex("guarantee")
    assert positions.line_col(last) == (2 * 20_000 - 1, 49)
    assert positions.source_line(3) == paragraph.strip()


def test_source_map_from_a_list_behaves_as_before() -> None:
    positions = SourceMap("ab\ncd\nef", [0, 1, 1, 3, 4, 7])
    assert [positions.line_col(i) for i in range(6)] == [(1, 1), (1, 2), (1, 2), (2, 1), (2, 2), (3, 2)]
    assert positions.source_offset(99) == 7 and positions.source_offset(-5) == 0
    assert list(positions.offsets) == [0, 1, 1, 3, 4, 7] and positions.offsets[-1] == 7
    assert SourceMap("", []).line_col(0) == (1, 1)


# -- language detection is bounded ----------------------------------------------------------------
def test_language_of_a_huge_document_is_sampled() -> None:
    english = "We will get back to you within two days and we promise to help. " * 2_000
    german = "Wir melden uns innerhalb von zwei Tagen und helfen Ihnen gern weiter. " * 8_000
    sample = _sample(english + german)
    assert len(sample) <= MAX_TEXT + 2 and "Wir melden" in sample and "We will" in sample
    started = time.perf_counter()
    assert detect_language(english + german, ("en", "de")) == "de"  # the start alone says en
    assert time.perf_counter() - started < 2.0


def test_block_languages_are_judged_within_a_budget_and_the_cut_is_noted() -> None:
    text = "\n\n".join(f"Wir melden uns innerhalb von zwei Tagen, Nummer {n}, versprochen." for n in range(6_000))
    docs, notes = timed("draft.txt", text.encode(), 15.0, options=ExtractOptions(languages=("en", "de")))
    assert docs[0].lang == "de"
    assert any("checked for the first" in note and "of 6,000 only" in note for note in notes)


@pytest.mark.parametrize(
    "markdown",
    [
        "[" * 200_000 + "](",  # every "[" once looked ahead to the end of the line
        "# Title" + " " * 200_000 + "x\n",  # a closing-hashes search tried at every blank
        "<a" * 100_000,  # an inline tag that never closes
        "Text ](x \"" * 20_000,  # a link title that never closes
    ],
    ids=["brackets", "blanks", "open-tags", "open-titles"],
)
def test_hostile_markdown_extracts_in_linear_time(markdown: str) -> None:
    timed("a.md", markdown.encode(), 3.0)


def test_markdown_headings_keep_their_words_without_the_closing_hashes() -> None:
    (doc,), _ = read("a.md", b"# Prices ##\n\n# C#\n\n## #\n")
    assert [doc.block_text(b).strip() for b in doc.blocks] == ["Prices", "C#", "#"]


def _child_peak_mb(code: str) -> float:
    """Peak resident memory of `code` run in a fresh interpreter. Read from VmHWM inside the
    child: a high-water mark that starts afresh at exec, unlike wait4's ru_maxrss, which counts
    the pages a child forked from this (large) test process held before its exec."""
    import subprocess
    import sys

    probe = "\nprint(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
    done = subprocess.run([sys.executable, "-c", code + probe], capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1]) / 1024


_EXTRACT = ("from commlint.extraction import extract, ExtractOptions\n"
            "from commlint.sources import SourceData, SourceRef\n"
            "extract(SourceData(SourceRef({name!r}, {fmt!r}, None, True, None), {data}), ExtractOptions(lang='en'), [])\n")


def test_one_huge_paragraph_is_read_in_memory_linear_in_its_size() -> None:
    """A 10 MB paragraph once took 1.2 GB: the paragraph pattern kept a backtrack entry per
    character. Now its text and a few runs of offsets are all that is held."""
    peak = _child_peak_mb(_EXTRACT.format(name="a.txt", fmt="text", data="b'a' * 5_000_000"))
    assert peak < 100, f"peak {peak:.0f} MB for a 5 MB paragraph"


def test_one_huge_post_stays_under_the_memory_target() -> None:
    # A JSON string still maps each character's offset on its own (about 50 bytes a character).
    peak = _child_peak_mb(_EXTRACT.format(name="p.json", fmt="social-json", data="b'[{\"text\": \"' + b'a' * 5_000_000 + b'\"}]'"))
    assert peak < 400, f"peak {peak:.0f} MB for a 5 MB post"
