"""Random HTML, MIME, CSV, JSON and text through every extractor, the rule engine and the claims
reader: no exception may escape but ExtractionError (a clean "could not read" reason), and the
time must stay linear: the same input repeated to about 20 KB still takes well under a second
or two, where a quadratic step would take minutes.

CI runs a fixed, derandomised set of examples (about a minute). To hunt for new failures:
    pytest tests/test_fuzz.py --hypothesis-profile=hunt
"""
from __future__ import annotations

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commlint.claims import extract_claims, load_knowledge
from commlint.config import Config
from commlint.extraction import ExtractOptions, extract
from commlint.model import ExtractionError
from commlint.rules import builtin_pack_folder
from commlint.rules.engine import compile_all, lint
from commlint.runner import build_ruleset
from commlint.sources import SourceData, SourceRef

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("hunt", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("ci")

RULESET = build_ruleset(Config())
compile_all(RULESET)
KNOWLEDGE = load_knowledge([builtin_pack_folder()])
REPEATED_BYTES = 20_000
BUDGET_SECONDS = 3.0  # for ~20 KB; linear code takes a small fraction of this

# Pieces that have broken parsers before: markup openers left open, entities, runs of
# punctuation, merge tags, e-mail and RFC 2047 fragments, claims, CJK, control characters.
PIECES = [
    "<", ">", "&", ";", "#", "!", "[", "]", "(", ")", "*", "_", "`", "-", "=", '"', "'", " ", "\n", "\r",
    "\t", "a", "@", "{", "}", "/", ":", ".", ",", "|", "\x00", "\x0c", "\u200b", "\ufeff",
    "<p>", "</p>", "<p ", "<div lang='de'>", "</div>", "<!--", "-->", "<!", "<![CDATA[", "]]>", "<script>",
    "<img alt=\"", "&amp;", "&#", "&#x", "&nbsp", "{{first_name}}", "*|FNAME|*", "[Customer Name]",
    "We guarantee it", "We'll get back to you soon", "within 24 hours", "30 days", "14 Tage", "Mon–Fri 9–17",
    "Storgata 12, 0155 Oslo", "+47 22 33 44 55", "help@example.com", "$29/mo", "kr 499,-", "必ず", "。",
    "お問い合わせ", "=?utf-8?q?", "?=", "=?iso-2022-jp?b?", "Subject: ", "Content-Type: text/html; charset=utf-16",
    "--b\n", "# ", "- ", "1. ", "> ", "```", "    ", "key = value", "{ $name }",
]
fragments = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def _read(data: bytes, name: str, fmt: str) -> None:
    """One input through extraction, rules and claims; only ExtractionError may come out."""
    source = SourceData(SourceRef(name, fmt, None, True, None), data)
    notes: list[str] = []
    try:
        documents = extract(source, ExtractOptions(), notes)
    except ExtractionError as error:
        assert str(error), "an ExtractionError must say why"
        return
    assert all(isinstance(note, str) and note for note in notes)
    for document in documents:
        lint(document, RULESET)
        extract_claims(document, KNOWLEDGE, None)


def _check(data: bytes, name: str, fmt: str) -> None:
    _read(data, name, fmt)
    if not data:
        return
    repeated = data * (REPEATED_BYTES // len(data) + 1)
    started = time.perf_counter()
    _read(repeated[:REPEATED_BYTES], name, fmt)
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_SECONDS, f"{len(repeated[:REPEATED_BYTES])} bytes took {elapsed:.1f} s"


@given(fragments)
def test_html(text: str) -> None:
    _check(text.encode("utf-8", "surrogatepass"), "page.html", "html")


@given(fragments, st.sampled_from(["text", "markdown", "fluent"]))
def test_text_markdown_fluent(text: str, fmt: str) -> None:
    _check(text.encode("utf-8"), {"text": "a.txt", "markdown": "a.md", "fluent": "a.ftl"}[fmt], fmt)


@given(st.binary(max_size=400), st.sampled_from(["html", "text", "eml", "social-json", "social-csv"]))
def test_random_bytes(data: bytes, fmt: str) -> None:
    name = {"html": "a.html", "text": "a.txt", "eml": "a.eml", "social-json": "a.json", "social-csv": "a.csv"}[fmt]
    _check(data, name, fmt)


headers = st.lists(st.tuples(st.sampled_from(["Subject", "From", "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "X-Any"]), fragments), max_size=6)


@given(headers, fragments)
def test_mime(header_list: list[tuple[str, str]], body: str) -> None:
    head = "".join(f"{name}: {value}\r\n" for name, value in header_list)
    _check((head + "\r\n" + body).encode("utf-8"), "a.eml", "eml")


@given(st.lists(st.lists(fragments, max_size=4), max_size=8), st.sampled_from([",", "\t", ";"]))
def test_csv(rows: list[list[str]], delimiter: str) -> None:
    text = "id" + delimiter + "text\n" + "".join(delimiter.join(row) + "\n" for row in rows)
    _check(text.encode("utf-8"), "posts.tsv" if delimiter == "\t" else "posts.csv", "social-csv")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | fragments,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["text", "full_text", "message", "id", "created_at", "x"]), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_json(value: object) -> None:
    _check(json.dumps(value).encode("utf-8"), "posts.json", "social-json")
