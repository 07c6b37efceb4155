"""Word documents (.docx), opened with python-docx: the body's headings, paragraphs, list items,
tables (nested ones too) and text boxes, in reading order.

Left out: comments (a separate part of the file, never read), tracked deletions and moved-away
text, hidden text, field codes, headers, footers and footnotes.

A Word file has no lines. Each paragraph read (empty ones too) becomes one line of the
document's source, so a finding's line is the paragraph's number and its column the character
in that paragraph; the text report shows the paragraph as the finding's line.

A .docx is a ZIP archive. The unpacked sizes it declares are checked before python-docx unpacks
anything (zipfile never inflates a part past its declared size), so a small file that would
unpack to gigabytes (a zip bomb) is refused.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..model import Document, ExtractionError
from ..sources import MAX_BYTES
from .builder import TextBuilder

if TYPE_CHECKING:
    from lxml.etree import _Element

MAX_PART_BYTES = MAX_BYTES  # one XML part unpacked (word/document.xml holds the text)
MAX_UNPACKED_BYTES = 4 * MAX_BYTES  # every part unpacked, pictures included
MAX_PARTS = 10_000
MAX_NESTING = 16  # tables inside table cells, text boxes inside text boxes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, R, T = (f"{_W}{name}" for name in ("p", "tbl", "tr", "tc", "r", "t"))
TXBX = f"{_W}txbxContent"
# Elements that only wrap other content (content controls, custom XML, inserted text): read through.
_WRAPPERS = frozenset(f"{_W}{name}" for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"))
# Subtrees with nothing a reader sees: tracked deletions, moved-away text, properties, field codes.
_UNSEEN = frozenset(f"{_W}{name}" for name in ("del", "moveFrom", "pPr", "rPr", "instrText", "delInstrText", "sdtPr", "sdtEndPr", "tblPr", "trPr", "tcPr"))
_SPACES = frozenset(f"{_W}{name}" for name in ("tab", "ptab", "br", "cr"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .doc, or a password-protected .docx
_ON = ("", "1", "true", "on")  # how an OOXML on/off property reads when it is on (no value: on)


def extract_docx(data: bytes, path: str, channel: str, notes: list[str] | None = None) -> Document:
    """The document's text, one source line per paragraph. Raises ExtractionError with a plain
    reason for a file that is damaged, not really a .docx, or unpacks too large."""
    word = _open(data)
    body = word.element.body
    reader = _Reader(_style_kinds(word.styles.element))
    if body is not None:
        reader.read(body, 0)
    if reader.too_deep and notes is not None:
        notes.append(f"tables or text boxes nested more than {MAX_NESTING} deep were left out ({reader.too_deep})")
    source = "\n".join(reader.lines)
    starts = [0]
    for line in reader.lines:
        starts.append(starts[-1] + len(line) + 1)
    builder = TextBuilder(source)
    for kind, numbers in reader.blocks:
        builder.open_block(kind)
        for number in numbers:
            # the line and its line break: two paragraphs of one cell read as two, not one word
            builder.add(source[starts[number] : starts[number + 1]], starts[number])
        builder.close_block()
    languages = word.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    return builder.build(path, channel, meta={"lang": str(languages[0])} if languages else None)


def _open(data: bytes) -> Any:
    """The python-docx Document, after checking what the archive says it unpacks to."""
    if data.startswith(_OLE_MAGIC):
        raise ExtractionError(
            "this is not a .docx inside: it is password-protected, or an old Word .doc renamed; "
            "remove the password, or open it in Word and save it as .docx"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
        raise ExtractionError(f"not a Word document: the file is damaged or not really a .docx ({error})") from None
    with archive:
        _check_sizes(archive.infolist())
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.exceptions import OpcError
    from docx.package import Package  # only .docx inputs pay for the import
    from lxml.etree import LxmlError

    try:
        main = Package.open(io.BytesIO(data)).main_document_part
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, LxmlError, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        # a part missing or damaged, an unknown or encrypted compression: one meaning for the user
        reason = str(error) or type(error).__name__
        raise ExtractionError(f"not a Word document: the file is damaged or not really a .docx ({reason})") from None
    if main.content_type != CONTENT_TYPE.WML_DOCUMENT_MAIN:  # a .docm, a template, a workbook renamed
        raise ExtractionError(f"not a Word document (.docx): its content is {main.content_type}; open it in Word and save it as .docx")
    return main.document


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that would unpack too large, before anything is unpacked."""
    if len(members) > MAX_PARTS:
        raise ExtractionError(f"the file holds {len(members):,} parts; commlint reads Word documents of up to {MAX_PARTS:,}")
    megabytes = 1024 * 1024
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")) and member.file_size > MAX_PART_BYTES:
            raise ExtractionError(
                f"its part {member.filename[:200]} unpacks to {member.file_size // megabytes:,} MB; commlint reads Word "
                f"documents whose parts unpack to at most {MAX_PART_BYTES // megabytes} MB (a zip bomb?)"
            )
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise ExtractionError(
            f"it unpacks to {total // megabytes:,} MB; commlint reads Word documents that unpack to at most "
            f"{MAX_UNPACKED_BYTES // megabytes} MB (a zip bomb?)"
        )


def _is_on(element: _Element | None) -> bool:
    return element is not None and element.get(f"{_W}val", "").lower() in _ON


def _style_kinds(styles: _Element) -> dict[str, str]:
    """Paragraph style id -> block kind, for the styles that are not plain paragraphs:
    headings (by name or outline level, or based on a heading style), the title, list styles."""
    found: dict[str, tuple[str, str | None]] = {}  # id -> (own kind, the style it is based on)
    for style in styles.iterchildren(f"{_W}style"):
        if style.get(f"{_W}type") != "paragraph" or not style.get(f"{_W}styleId"):
            continue
        name_el, based_el = style.find(f"{_W}name"), style.find(f"{_W}basedOn")
        name = (name_el.get(f"{_W}val", "") if name_el is not None else "").casefold()
        if name == "title":
            kind = "title"
        elif name.startswith("heading") or name == "subtitle" or _is_heading_level(style.find(f"{_W}pPr")):
            kind = "heading"
        elif name.startswith("list"):
            kind = "list-item"
        else:
            kind = ""
        found[style.get(f"{_W}styleId", "")] = (kind, based_el.get(f"{_W}val") if based_el is not None else None)
    kinds = {}
    for style_id in found:
        current: str | None = style_id
        for _ in range(MAX_NESTING):  # a style based on a heading style is a heading (loops bounded)
            if current not in found:
                break
            kind, current = found[current]
            if kind:
                kinds[style_id] = kind
                break
    return kinds


def _inside(container: _Element, wanted: tuple[str, ...]) -> Iterator[_Element]:
    """The `wanted` children of `container` in order, also those wrapped in content controls,
    custom XML or tracked insertions (bounded depth)."""
    stack = [iter(container)]
    while stack:
        for child in stack[-1]:
            if child.tag in wanted:
                yield child
            elif child.tag in _WRAPPERS and len(stack) < MAX_NESTING:
                stack.append(iter(child))
                break
        else:
            stack.pop()


def _paragraph_text(paragraph: _Element) -> tuple[str, list[_Element]]:
    """What a reader sees of one paragraph, on one line, and the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[_Element] = []
    stack = [iter(paragraph)]
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == T:
                parts.append((child.text or "").replace("\r", " ").replace("\n", " "))
            elif tag in _SPACES:
                parts.append(" ")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag in _UNSEEN or not isinstance(tag, str):
                continue
            elif tag == TXBX:
                boxes.append(child)  # read after this paragraph, as paragraphs of their own
            elif tag == R and _is_on(child.find(f"{_W}rPr/{_W}vanish")):
                continue  # hidden text
            elif tag == f"{_MC}AlternateContent":
                # the same drawing twice (new and old form): read one of them
                choice = child.find(f"{_MC}Choice")
                chosen = choice if choice is not None else child.find(f"{_MC}Fallback")
                if chosen is not None and len(stack) < 4 * MAX_NESTING:
                    stack.append(iter(chosen))
                    break
            elif len(child) and len(stack) < 4 * MAX_NESTING:
                stack.append(iter(child))
                break
        else:
            stack.pop()
    return "".join(parts), boxes


class _Reader:
    """Collects the paragraphs as lines and groups them into blocks, in reading order:
    body paragraphs top to bottom; a table row by row, each cell's own paragraphs then the
    tables inside it; a text box after the paragraph that holds it."""

    def __init__(self, style_kinds: dict[str, str]) -> None:
        self.style_kinds = style_kinds
        self.lines: list[str] = []
        self.blocks: list[tuple[str, list[int]]] = []
        self.too_deep = 0

    def _line(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines) - 1

    def read(self, container: _Element, depth: int) -> None:
        """The paragraphs and tables of the body, a text box or a cell, in order."""
        for element in _inside(container, (P, TBL)):
            if element.tag == P:
                text, boxes = _paragraph_text(element)
                self.blocks.append((self._kind(element), [self._line(text)]))
                self._later(boxes, depth)
            else:
                self._table(element, depth)

    def _later(self, elements: list[_Element], depth: int) -> None:
        for element in elements:
            if depth + 1 > MAX_NESTING:
                self.too_deep += 1
            elif element.tag == TBL:
                self._table(element, depth + 1)
            else:
                self.read(element, depth + 1)

    def _kind(self, paragraph: _Element) -> str:
        properties = paragraph.find(f"{_W}pPr")
        if properties is None:
            return "paragraph"
        style = properties.find(f"{_W}pStyle")
        kind = self.style_kinds.get(style.get(f"{_W}val", "")) if style is not None else None
        if kind:
            return kind
        if _is_heading_level(properties):
            return "heading"
        numbering = properties.find(f"{_W}numPr/{_W}numId")
        if numbering is not None and numbering.get(f"{_W}val", "0") != "0":
            return "list-item"
        return "paragraph"

    def _table(self, table: _Element, depth: int) -> None:
        """One block per cell ("header-cell" in a header row), as HTML tables are read."""
        first_row_header = _first_row_is_header(table)
        for number, row in enumerate(_inside(table, (TR,))):
            row_properties = row.find(f"{_W}trPr")
            if row_properties is not None and row_properties.find(f"{_W}del") is not None:
                continue  # a row deleted with track changes on
            header = (number == 0 and first_row_header) or (
                row_properties is not None and _is_on(row_properties.find(f"{_W}tblHeader"))
            )
            for cell in _inside(row, (TC,)):
                lines: list[int] = []
                later: list[_Element] = []
                for element in _inside(cell, (P, TBL)):
                    if element.tag == P:
                        text, boxes = _paragraph_text(element)
                        lines.append(self._line(text))
                        later.extend(boxes)
                    else:
                        later.append(element)
                self.blocks.append(("header-cell" if header else "cell", lines))
                self._later(later, depth)


def _first_row_is_header(table: _Element) -> bool:
    """Word's "Header Row" table option (on in the tables Word inserts)."""
    look = table.find(f"{_W}tblPr/{_W}tblLook")
    if look is None:
        return False
    if look.get(f"{_W}firstRow") is not None:
        return look.get(f"{_W}firstRow", "").lower() in _ON
    try:  # older files: a bit mask
        return int(look.get(f"{_W}val", "0") or "0", 16) & 0x20 != 0
    except ValueError:
        return False


def _is_heading_level(properties: _Element | None) -> bool:
    """An outline level 1-9 (stored 0-8) makes a paragraph a heading; 9 is body text."""
    level = properties.find(f"{_W}outlineLvl") if properties is not None else None
    return level is not None and level.get(f"{_W}val", "9").isdigit() and int(level.get(f"{_W}val", "9")) < 9
