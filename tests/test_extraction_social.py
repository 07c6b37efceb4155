"""Social exports: one Document per post, every character mapped to where it is stored."""
from __future__ import annotations

import pytest

from commlint.extraction.social import (
    extract_social_csv,
    extract_social_json,
    extract_tweets_js,
    looks_like_social_export,
    sniff_delimiter,
)
from commlint.model import Document, ExtractionError


def located(doc: Document, raw: str, needle: str) -> tuple[int, int]:
    """(line, column) of `needle` in the post, checked against the raw file text."""
    index = doc.text.index(needle)
    line, column = doc.positions.line_col(index)
    raw_lines = raw.split("\n")
    assert raw_lines[line - 1][column - 1 :].startswith(needle), (line, column, raw_lines[line - 1])
    return line, column


def by_id(docs: list[Document]) -> dict[str, Document]:
    return {doc.unit.id: doc for doc in docs if doc.unit}


# -- JSON -----------------------------------------------------------------------------------
JSON_POSTS = (
    '[\n'
    '  {"id": "p1", "created_at": "2025-03-01", "text": "Plain post about fibre."},\n'
    '  {"id": 42, "date": "2025-03-02", "author": "nordlys",\n'
    '   "text": "Caf\\u00e9 \\"news\\" \\\\ \\ud83d\\ude00 then guaranteed speed\\tand more"},\n'
    '  {"id": "p3", "text": "First para.\\n\\nSecond para with refund"},\n'
    '  {"id": "p4", "text": "   "},\n'
    '  {"id": "p5", "text": "RT @someone: our promise"}\n'
    ']\n'
)


def test_json_array_positions_survive_escapes_and_surrogate_pairs() -> None:
    docs = extract_social_json(JSON_POSTS.encode(), "posts.json", "social")
    posts = by_id(docs)
    assert list(posts) == ["p1", "42", "p3", "p5"]  # the blank post is skipped, the retweet kept
    doc = posts["42"]
    assert doc.text == 'Café "news" \\ 😀 then guaranteed speed and more'
    assert located(doc, JSON_POSTS, "guaranteed") == (4, 53)
    # escaped characters map to their escape sequence in the file
    line, column = doc.positions.line_col(doc.text.index("é"))
    assert JSON_POSTS.split("\n")[line - 1][column - 1 :].startswith("\\u00e9")
    line, column = doc.positions.line_col(doc.text.index("😀"))
    assert JSON_POSTS.split("\n")[line - 1][column - 1 :].startswith("\\ud83d\\ude00")
    assert doc.meta == {"post_id": "42", "date": "2025-03-02", "author": "nordlys"}
    assert doc.unit is not None and doc.unit.kind == "post" and doc.unit.date == "2025-03-02"


def test_json_newlines_split_blocks() -> None:
    doc = by_id(extract_social_json(JSON_POSTS.encode(), "posts.json", "social"))["p3"]
    assert [doc.block_text(block) for block in doc.blocks] == ["First para.", "Second para with refund"]
    located(doc, JSON_POSTS, "refund")


def test_json_lines_and_fallback_ids() -> None:
    raw = '{"text": "first line post", "lang": "en"}\n\n{"message": "second \\u00fcber post", "user": "ana"}\n'
    for name in ("feed.jsonl", "feed.json"):  # by extension, and recognised by content
        docs = extract_social_json(raw.encode(), name, "social")
        assert [doc.unit.id for doc in docs if doc.unit] == ["#1", "#2"]
        assert located(docs[1], raw, "post") == (3, 31)
        assert docs[0].meta == {"lang": "en"}
        assert docs[1].meta == {"author": "ana"}


def test_nested_objects_are_unwrapped() -> None:
    raw = (
        '{"posts": [\n'
        ' {"tweet": {"id_str": "9", "full_text": "wrapped tweet", "user": {"screen_name": "nf"}}},\n'
        ' {"id": "outer", "data": {"text": "inside data", "timestamp": 1700000000}},\n'
        ' {"caption": {"text": "photo caption"}, "permalink": "https://x.example/p/1"}\n'
        ']}'
    )
    docs = extract_social_json(raw.encode(), "export.json", "social")
    assert [doc.text for doc in docs] == ["wrapped tweet", "inside data", "photo caption"]
    assert docs[0].meta == {"post_id": "9", "author": "nf"}
    assert docs[1].unit is not None and docs[1].unit.id == "outer" and docs[1].unit.date == "1700000000"
    assert docs[2].meta["url"] == "https://x.example/p/1"
    assert located(docs[1], raw, "data") == (3, 43)


def test_broken_json_names_line_and_column() -> None:
    raw = '[\n  {"text": "a"},\n  {"text" "b"}\n]'
    with pytest.raises(ExtractionError, match=r"invalid JSON at line 3, column 11: Expecting ':' delimiter"):
        extract_social_json(raw.encode(), "broken.json", "social")
    with pytest.raises(ExtractionError, match=r"invalid JSON at line 2, column 1"):
        extract_social_json(b'{"text": "ok"}\n{"text": oops}', "broken.jsonl", "social")


def test_json_without_posts_or_text_field_is_explained() -> None:
    with pytest.raises(ExtractionError, match=r"no list of posts found.*found name, version, description"):
        extract_social_json(b'{"name": "app", "version": "1.0", "description": "A tool"}', "package.json", "social")
    with pytest.raises(ExtractionError, match=r"no text field: expected one of .*found id, date, score"):
        extract_social_json(b'[{"id": 1, "date": "x", "score": 3}]', "scores.json", "social")


# -- tweets.js ------------------------------------------------------------------------------
TWEETS_JS = (
    "window.YTD.tweets.part0 = [\n"
    "  {\n"
    '    "tweet" : {\n'
    '      "id_str" : "1899",\n'
    '      "created_at" : "Fri Mar 21 17:30:00 +0000 2025",\n'
    '      "full_text" : "Q&amp;A at 04:00 \\u2013 we guarantee uptime"\n'
    "    }\n"
    "  },\n"
    '  { "tweet" : { "id_str" : "1900", "full_text" : "second tweet" } }\n'
    "];\n"
)


def test_tweets_js() -> None:
    docs = extract_tweets_js(TWEETS_JS.encode(), "data/tweets.js", "social")
    assert [doc.unit.id for doc in docs if doc.unit] == ["1899", "1900"]
    assert docs[0].text == "Q&A at 04:00 – we guarantee uptime"
    assert docs[0].unit is not None and docs[0].unit.date == "Fri Mar 21 17:30:00 +0000 2025"
    assert located(docs[0], TWEETS_JS, "guarantee") == (6, 49)
    assert located(docs[1], TWEETS_JS, "second") == (9, 51)
    with pytest.raises(ExtractionError, match="window.YTD.tweets.part0"):
        extract_tweets_js(b"var x = [];", "tweets.js", "social")


# -- CSV / TSV ------------------------------------------------------------------------------
def test_csv_quoted_multiline_field_and_doubled_quotes() -> None:
    raw = (
        "id,date,text\r\n"
        'a1,2025-01-01,"He said ""fast"",\r\nreally\r\n\r\nthen promised speed"\r\n'
        "a2,2025-01-02,plain row with refund\r\n"
    )
    docs = extract_social_csv(raw.encode(), "posts.csv", "social")
    assert [doc.unit.id for doc in docs if doc.unit] == ["a1", "a2"]
    assert docs[0].text == 'He said "fast", really\n\nthen promised speed'
    assert len(docs[0].blocks) == 2
    assert located(docs[0], raw, "promised") == (5, 6)
    assert located(docs[0], raw, "fast") == (2, 26)
    assert located(docs[1], raw, "refund") == (6, 30)


def test_tsv_and_semicolon_csv_are_sniffed() -> None:
    tsv = "Tweet ID\tContent\tlikes\n7\tslow wifi again, promise?\t3\n8\t\t0\n"
    semi = 'nr;beitrag;message;author\n1;x;"Wir garantieren; immer";db\n'
    assert sniff_delimiter(tsv) == "\t" and sniff_delimiter(semi) == ";"
    for delimiter in (None, "\t"):
        docs = extract_social_csv(tsv.encode(), "t.tsv", "social", delimiter)
        assert [doc.unit.id for doc in docs if doc.unit] == ["7"]  # the empty post is skipped
        assert located(docs[0], tsv, "promise") == (2, 20)
    docs = extract_social_csv(semi.encode(), "s.csv", "social")
    assert docs[0].text == "Wir garantieren; immer" and docs[0].meta["author"] == "db"
    assert located(docs[0], semi, "immer") == (2, 23)


def test_csv_without_text_column_names_the_columns() -> None:
    with pytest.raises(ExtractionError) as error:
        extract_social_csv(b"id,date,score\n1,2025-01-01,3\n", "scores.csv", "social")
    assert str(error.value) == (
        "no text column: expected one of full_text, text, content, message, body, post, tweet, caption, "
        "description; found id, date, score"
    )


def test_csv_errors_and_fallbacks() -> None:
    with pytest.raises(ExtractionError, match=r"unclosed quote .* line 3, column 3"):
        extract_social_csv(b'id,text\n1,fine\n2,"never closed\nmore\n', "x.csv", "social")
    with pytest.raises(ExtractionError, match="binary"):
        extract_social_csv(b"id,text\n\x00\x01\x02", "x.csv", "social")
    raw = "text\nrow without id\n"
    assert [doc.unit.id for doc in extract_social_csv(raw.encode(), "x.csv", "social") if doc.unit] == ["row 1"]


def test_csv_in_legacy_encoding_is_decoded() -> None:
    raw = "id;Nachricht;text\n1;x;Grüße aus Köln, wir garantieren Pünktlichkeit\n"
    docs = extract_social_csv(raw.encode("cp1252"), "de.csv", "social")
    assert docs[0].text == "Grüße aus Köln, wir garantieren Pünktlichkeit"
    assert docs[0].meta["encoding"] != "utf-8"
    assert located(docs[0], raw, "garantieren") == (2, 25)


def test_headerless_tsv_uses_the_wordiest_column() -> None:
    raw = (
        "http://twitter.com/a/statuses/1\tscreams @ deutsche bahn again today\ttrue\tneutral\n"
        "http://twitter.com/b/statuses/2\tZug fällt aus, wie immer\tfalse\tnegative\n"
    )
    docs = extract_social_csv(raw.encode(), "g.tsv", "social", "\t")
    ids = [doc.unit.id for doc in docs if doc.unit]
    assert ids == ["http://twitter.com/a/statuses/1", "http://twitter.com/b/statuses/2"]
    assert located(docs[1], raw, "immer") == (2, 52)


# -- cheap check ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "fmt", "expected"),
    [
        (b'{"name": "app", "version": "1.0.0", "description": "tool", "dependencies": {}}', "social-json", False),
        (b'{\n  // comment\n  "compilerOptions": {}\n}', "social-json", False),
        (b'[{"id": 1, "value": 2}]', "social-json", False),
        (JSON_POSTS.encode(), "social-json", True),
        (b'{"text": "a"}\n{"text": "b"}\n', "social-json", True),
        (b'{"data": [{"message": "hello"}]}', "social-json", True),
        (b"id,date,score\n1,2025-01-01,3\n", "social-csv", False),
        (b"year;value\n2020;1.5\n", "social-csv", False),
        (b"id,text\n1,hello there\n", "social-csv", True),
        (b"http://t.co/1\tthis is a sentence of words\ttrue\n", "social-csv", True),
        (TWEETS_JS.encode(), "tweets-js", True),
        (b"console.log(1)", "tweets-js", False),
        (b"\xff\xfe\x00garbage", "social-json", False),
    ],
)
def test_looks_like_social_export(data: bytes, fmt: str, expected: bool) -> None:
    assert looks_like_social_export(data, fmt) is expected
