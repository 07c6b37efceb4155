"""Labels that name what a value is about: a table row's name cell, a label before a colon,
and the table being read (its header row and the current row's cells)."""
from __future__ import annotations

import re
from itertools import islice

import regex

from ..compiled import compile_pattern
from .knowledge import Knowledge

_WORD_RUN = re.compile(r"\S+")  # what str.split() splits into

_PLAN_SIZE = compile_pattern(r"(?i)\b\d+\s*(?:GB|MB|TB|Mbps|Mbit/s|Gbps|Gbit/s|kW|kWh)\b")
# A physical size in a name tells a variant ("Lunde spisebord 180 × 90 cm", "bag up to 20 kg"),
# but a cell that is only a measurement ("9,9 kg") is a property of the row, not its name
_MEASURE = compile_pattern(r"(?i)\b\d+(?:[.,]\d+)?(?:\s*[×x]\s*\d+(?:[.,]\d+)?)*\s*(?:cm|mm|m|kg|g|l|ml|Wh|W|inch|zoll|tommer)\b")


MAX_ROW_WORDS = 4  # words of a cell that names its row ...
MAX_NAME_CELL_WORDS = 8  # ... or of the first cell under a header row, which names it by its place


def row_label(cell: str, knowledge: Knowledge, name_cell: bool = False) -> str | None:
    """A row's name cell as a subject: a label of at most four words with no digits of a value
    in it ("Battery", "Pro", "Nastar Wisman (500 g)"), canonical where the language knows it.
    The first cell under a header row (`name_cell`) names its row by its place, so it may be
    longer ("Annual check-up incl. two X-rays"), carry a model number ("iPhone 13") and open
    with a word where no name stands ("Paket Makan Bersama"), but not hold an amount."""
    label = regex.sub(r"\s*\([^)]*\)\s*$", "", cell.strip())
    model_numbers = name_cell and knowledge.money_re.search(label) is None  # "unter 79 €" is an amount
    # ("Smart 30 GB" and "50 Mbps" name plans by their size; other digits are a value's)
    if not label or len(_MEASURE.sub("", label).split()) > (MAX_NAME_CELL_WORDS if name_cell else MAX_ROW_WORDS) or (
            not _no_value_digits(label, model_numbers)) or not regex.search(r"\p{L}", _MEASURE.sub("", label)):
        return None
    named = name_like(label, knowledge) or (name_cell and any(name_like(w, knowledge) and w[:1].isupper() for w in label.split()[1:]))
    return canonical_subject(label, knowledge) if named else None


# "Fassungen: 2 Jahre Garantie", "Checked bag up to 20 kg: ¥2,300", "レンズ：6か月間保証": a label
# before a colon at the start of a sentence names what the rest of it is about
_LABEL = compile_pattern(r"^\s*(?:[-–•*·]\s*)?([^\s:：][^:：\n]{0,60}?)\s*[:：]", regex.V1)
MAX_LABEL_WORDS = 6
# facts whose label names a channel or a desk, which the subject rules for those facts read
_NOT_LABELLED = ("phone", "email", "address", "support-hours", "response-time", "callback-time")


def colon_label(sentence: str, start: int, fact: str, knowledge: Knowledge) -> str | None:
    """The label a value stands under, when it names a thing: not a word of the fact itself
    ("Garantie:"), a condition ("Kampanje:"), or a word where no name stands ("Preis:", "Note:")."""
    match = _LABEL.match(sentence)
    if match is None or match.end() > start or fact in _NOT_LABELLED:
        return None
    label = match.group(1).strip()
    words = len(label.split()) if knowledge.spaces else (1 if len(label) <= 15 else MAX_LABEL_WORDS + 1)
    cue = knowledge.cue_res.get(fact)
    if words > MAX_LABEL_WORDS or not _no_value_digits(label) or not regex.search(r"\p{L}", label) or (
            cue is not None and cue.search(label)) or any(p.search(label) for p in knowledge.condition_res.values()):
        return None
    return canonical_subject(label, knowledge) if name_like(label, knowledge) else None


def _no_value_digits(label: str, model_numbers: bool = False) -> bool:
    """No digits but those of a size that names a variant ("Smart 30 GB", "180 × 90 cm") or a
    one-digit model number ("Urban 7"); a row's own name cell may carry a longer one ("iPhone 13",
    "Galaxy S21")."""
    digits = r"(?<![\p{L}\s])\d{2,}|\d{3,}" if model_numbers else r"\d{2,}"
    return not regex.search(digits + r"|@|://|\w\.\w", _MEASURE.sub("", _PLAN_SIZE.sub("", label)), regex.V1)


def canonical_subject(text: str, knowledge: Knowledge) -> str:
    folded = regex.sub(r"\s+", " ", text.casefold())
    for word, canonical in knowledge.subjects.items():
        if regex.sub(r"\s+", " ", word.casefold()) == folded:
            return canonical
    return folded


def is_short(text: str, knowledge: Knowledge | None) -> bool:
    """A label-sized block: six words, or 15 characters where words have no spaces."""
    if knowledge is not None and not knowledge.spaces:
        return len(text.strip()) <= 15
    # the first seven words decide it (str.split() would list every word of a 10 MB block)
    return sum(1 for _ in islice(_WORD_RUN.finditer(text), 7)) <= 6


MAX_CONTEXT_CELLS = 12
MAX_CELL = 200


class Table:
    """Follows the header row and the cells of the current row, as blocks come in order."""

    def __init__(self) -> None:
        self.headers: list[str] = []
        self.cells: list[str] = []
        self.in_header = False
        self.row_cells: list[str] = []
        self.name_cell = ""  # the first cell of a row under a header row: the row's name by its place

    def add(self, kind: str, text: str) -> str:
        if kind == "header-cell":
            if not self.in_header:
                self.headers, self.cells = [], []
            self.in_header = True
            self.headers.append(text)
            return ""
        self.in_header = False
        width = len(self.headers) or 4
        if len(self.cells) >= width:
            self.cells = []
        self.cells.append(text)
        column = len(self.cells) - 1
        header = self.headers[column] if column < len(self.headers) else ""
        # The cells before the value, nearest first: the nearest one that is a label names what
        # the row is about ("Battery" | "2 years"; "Pro" | "1 Gbit/s" | "$29/month"). Under a
        # header row the first cell is the row's name ("Elbtal Gravel GX" | "SRAM Apex" | "9,9 kg"
        # | "1.899 €"); without one the row's edge is unknown, so the nearest label.
        nearest = self.cells[-2::-1]
        if self.headers and len(self.cells) > 1:
            nearest = [self.cells[0], *self.cells[-2:0:-1]]
        self.row_cells = [cell[:MAX_CELL] for cell in nearest[:MAX_CONTEXT_CELLS]]
        self.name_cell = self.cells[0][:MAX_CELL] if self.headers and len(self.cells) > 1 else ""
        # The row's first cells (its name) and the ones just before, each label-sized: a table
        # thousands of cells wide must not make every cell's context the whole row.
        before = self.cells[:-1]
        if len(before) > MAX_CONTEXT_CELLS:
            before = before[:2] + before[-(MAX_CONTEXT_CELLS - 2) :]
        return " | ".join(cell[:MAX_CELL] for cell in ([*before, header] if header else before))

    def close_if(self, kind: str) -> None:
        if kind not in ("caption",):
            self.headers, self.cells, self.in_header, self.row_cells, self.name_cell = [], [], False, [], ""


# Words that name no plan though they stand where a name would ("Price: $29", "Biaya : Rp6.500"):
# each language's `not_names` in rules/claims/<lang>.yaml


def name_like(word: str, knowledge: Knowledge) -> bool:
    """A plan or product name, not a function word or a currency code ("USD 10")."""
    folded = word.casefold().split()[0]
    return len(folded) > 1 and folded not in knowledge.not_names and not any(folded == c.casefold() for c in knowledge.currencies)
