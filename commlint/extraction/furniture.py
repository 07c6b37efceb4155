"""A pass over a document's blocks, after its format's reader: blocks that are not customer copy
by what they say (a copyright line, a row of share buttons, a cookie notice, "Related articles"
and the links under it) become "furniture"; in mail, a reply's quoted tail becomes "quote" and
the contact lines after a closing become "signature". Kinds change; text and positions do not.

The format readers mark what structure shows (<nav>, "> " lines, "-- "); this pass catches what
only the words show, so it also covers HTML mail, where everything is a table cell.
"""
from __future__ import annotations

from ..model import Block, Document
from .copy import (
    NOT_COPY,
    attribution_with_details,
    forwarded_header_text,
    is_attribution,
    is_boilerplate,
    is_breadcrumb,
    is_closing,
    is_cookie_notice,
    is_copyright,
    is_heading_of,
    is_reply_separator,
    is_share_row,
    knowledge,
    signature_like,
)

SHORT = 500  # longer blocks are never furniture by their words
HEADINGS = frozenset({"heading", "title", "subject"})
FIXED = frozenset({"title", "subject", "meta"})  # kinds this pass never changes
SECTION_LIMIT = 30  # blocks under a "Related articles" heading at most
SECTION_BLOCK = 300  # a longer block under such a heading is text again
# Boilerplate ("Unsubscribe", "Skip to content") counts only near either end of a document, and
# on the web only as a short line: a privacy policy explains unsubscribing in its sentences.
EDGE_SHARE, EDGE_MIN, EDGE_MAX = 0.15, 5, 25
BOILERPLATE_CHARS = {True: 300, False: 80}  # mail footers say more
MAX_SIGNATURE_BLOCKS = 8


def mark_not_copy(doc: Document, mail: bool) -> None:
    """Give blocks that are not copy by their words their kind; `mail` adds the quoted tail of
    a reply and the signature after the closing."""
    blocks = doc.blocks
    if not blocks:
        return
    texts = [doc.text[b.start : b.end] if b.end - b.start <= SHORT else "" for b in blocks]
    candidates = [b.kind not in NOT_COPY and b.kind not in FIXED for b in blocks]
    tail = _quoted_tail(blocks, texts, candidates) if mail else len(blocks)
    for index in range(tail, len(blocks)):
        if candidates[index]:
            blocks[index].kind = "quote"
    edge = min(EDGE_MAX, max(EDGE_MIN, int(len(blocks) * EDGE_SHARE)))
    index = 0
    while index < tail:
        text = texts[index]
        if not candidates[index] or not text:
            index += 1
            continue
        if _section_heading(blocks[index], text):
            index = _mark_section(blocks, texts, candidates, index, tail)
            continue
        if _furniture(text, index, edge, len(blocks), mail) or _share_row(texts, index):
            blocks[index].kind = "furniture"
        index += 1
    if mail:
        _mark_signature(blocks, texts, candidates, tail)


def _furniture(text: str, index: int, edge: int, count: int, mail: bool) -> bool:
    at_edge = index < edge or index >= count - edge
    if is_copyright(text) or is_breadcrumb(text) or is_cookie_notice(text):
        return True
    return at_edge and is_boilerplate(text, BOILERPLATE_CHARS[mail])


def _share_row(texts: list[str], index: int) -> bool:
    """A share row of two words or more, or a lone share word beside another ("Share" "Tweet")."""
    if not is_share_row(texts[index]):
        return False
    if len(texts[index].split()) >= 2:
        return True
    neighbours = (texts[index - 1] if index else "", texts[index + 1] if index + 1 < len(texts) else "")
    return any(n and is_share_row(n) for n in neighbours)


def _section_heading(block: Block, text: str) -> bool:
    if block.kind not in ("heading", "paragraph"):
        return False
    found = knowledge()
    return is_heading_of(text, found.toc_titles) or is_heading_of(text, found.related_titles)


def _mark_section(blocks: list[Block], texts: list[str], candidates: list[bool], start: int, stop: int) -> int:
    """ "Contents" or "Related articles" and the links under it, up to the next heading."""
    blocks[start].kind = "furniture"
    index = start + 1
    while index < min(stop, start + 1 + SECTION_LIMIT):
        block = blocks[index]
        if block.kind in HEADINGS or not texts[index] or len(texts[index]) > SECTION_BLOCK:
            break
        if candidates[index]:
            block.kind = "furniture"
        index += 1
    return index


def _quoted_tail(blocks: list[Block], texts: list[str], candidates: list[bool]) -> int:
    """Index of the first block of a reply's quoted message in HTML mail (len(blocks) if none):
    an attribution with a date or address, "-----Original Message-----", or a From:/Sent: block."""
    for index, (block, text) in enumerate(zip(blocks, texts)):
        if not candidates[index] or not text:
            continue
        if is_reply_separator(text) or forwarded_header_text(text):
            return index
        stripped = text.strip()
        if stripped.endswith((":", "：")) and is_attribution(stripped) and attribution_with_details(stripped):
            return index
    return len(blocks)


def _mark_signature(blocks: list[Block], texts: list[str], candidates: list[bool], stop: int) -> None:
    """The short contact blocks after the sender's closing, when the closing is a block of its own."""
    own = [i for i in range(stop) if candidates[i] and blocks[i].kind not in NOT_COPY]
    for position in range(len(own) - 2, max(len(own) - MAX_SIGNATURE_BLOCKS - 2, -1), -1):
        index = own[position]
        if texts[index] and is_closing(texts[index]):
            rest = own[position + 1 :]
            if position and all(texts[j] and signature_like(texts[j]) for j in rest) and len(texts[rest[0]].split()) <= 5:
                for j in rest:
                    blocks[j].kind = "signature"
            return
