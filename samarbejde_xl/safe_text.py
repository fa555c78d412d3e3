"""Formula-injection guard shared by every writer.

Text from a case workbook (file names, initials, problem messages) may start with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return. A spreadsheet program can turn such text into a formula (``=HYPERLINK(...)``, ``@SUM(A1)``),
so every writer stores text as a string cell, never as a formula:

- XlsxWriter: always :func:`write_text` (``worksheet.write_string``). ``worksheet.write`` would turn ``"=..."``
  into a formula, and the report workbooks are also opened with ``strings_to_formulas`` off as a second guard.
- openpyxl: assign with :func:`set_text`. openpyxl stores a ``str`` as a formula when it starts with ``=``;
  :func:`set_text` assigns the value and then forces the cell's data type to ``"s"`` (string), so the text is saved
  as a string cell exactly as typed (no apostrophe is added: in Excel a leading apostrophe is a style, not text).
- Plain text outputs that a spreadsheet may open (CSV): :func:`csv_safe_text` prefixes an apostrophe.

This module imports no Excel library: the cell and worksheet types are protocols.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet program read a cell as a formula (OWASP CSV injection list)."""


def is_formula_like(text: str) -> bool:
    """True when ``text`` (after leading spaces) starts like a formula, or starts with a tab or CR."""
    if text.startswith(("\t", "\r")):
        return True
    return text.lstrip(" \n").startswith(FORMULA_TRIGGERS)


def csv_safe_text(text: str) -> str:
    """Text for a CSV cell: formula-like text gets a leading apostrophe so it is shown, not evaluated."""
    return "'" + text if is_formula_like(text) else text


class XlsxWorksheet(Protocol):
    """The part of ``xlsxwriter.worksheet.Worksheet`` the writers use for text."""

    def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int: ...

    def write_blank(self, row: int, col: int, blank: Any, cell_format: Any = None) -> int: ...


def write_text(worksheet: XlsxWorksheet, row: int, col: int, text: str, cell_format: Any = None) -> None:
    """Write ``text`` as a string cell (0-based row and column, XlsxWriter style), whatever it starts with."""
    if text == "":
        if cell_format is not None:
            worksheet.write_blank(row, col, None, cell_format)
        return
    worksheet.write_string(row, col, text, cell_format)


class OpenpyxlCell(Protocol):
    """The part of ``openpyxl.cell.Cell`` :func:`set_text` needs."""

    value: Any
    data_type: str


STRING_DATA_TYPE = "s"


def set_text(cell: OpenpyxlCell, text: str) -> None:
    """Assign ``text`` to an openpyxl cell as a string cell, even when it starts with ``=``."""
    cell.value = text
    cell.data_type = STRING_DATA_TYPE


def safe_cell_text(value: object) -> str:
    """The text to store for ``value`` in a text cell (``None`` -> ``""``). Pair it with :func:`set_text`."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 control characters (terminal escapes) and the bidirectional overrides that reorder what is shown."""


def display_text(text: str) -> str:
    """Text safe to print or store: bytes of a file name that are not UTF-8 (surrogate escapes) become U+FFFD,
    control characters and bidirectional overrides become '?'. Tabs and newlines stay."""
    if any("\udc80" <= char <= "\udcff" for char in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    return _UNPRINTABLE.sub("?", text)


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)
