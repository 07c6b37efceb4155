"""Fluent (.ftl) web copy: messages and attributes become blocks; placeables and tags are not copy."""
from __future__ import annotations

import pytest

from commlint.extraction.fluent import extract_fluent
from commlint.model import ExtractionError

FTL = """### Resource comment
# Comment about the heading
hero-title = Help us improve your { -brand-name-mozilla } experience
hero-body =
    Your download is <a href="{ $url }">ready</a>.
    We guarantee it never fails.
    .title = Download now
plural = { $count ->
    [one] One new message
   *[other] { $count } new messages
  }
"""


def _block_texts(doc) -> list[str]:
    return [doc.block_text(b) for b in doc.blocks]


def test_messages_attributes_and_default_variants() -> None:
    doc = extract_fluent(FTL, "page.ftl", "web")
    assert _block_texts(doc) == [
        "Help us improve your experience",
        "Your download is ready. We guarantee it never fails.",
        "Download now",
        "new messages",
    ]


@pytest.mark.parametrize("word", ["experience", "ready", "guarantee", "never fails", "Download now", "messages"])
def test_every_word_maps_back_to_the_file(word: str) -> None:
    doc = extract_fluent(FTL, "page.ftl", "web")
    start = doc.text.index(word)
    line, column = doc.positions.line_col(start)
    assert FTL.split("\n")[line - 1][column - 1 :].startswith(word)


def test_unparseable_file_is_an_error_with_a_line() -> None:
    with pytest.raises(ExtractionError, match="line 1"):
        extract_fluent("<<< not fluent >>>\n", "bad.ftl", "web")
