"""Cell addresses: the only code that spells them (A1 notation, 1-based rows and columns)."""

from __future__ import annotations

import re

_CELL_RE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def column_letter(index: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    if index < 1:
        raise ValueError(f"column index must be >= 1, got {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letter: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    index = 0
    for char in letter.upper():
        if not "A" <= char <= "Z":
            raise ValueError(f"not a column letter: {letter!r}")
        index = index * 26 + ord(char) - 64
    return index


def cell_address(row: int, column: int) -> str:
    """1-based row and column -> 'B5'."""
    return f"{column_letter(column)}{row}"


def parse_cell(address: str) -> tuple[int, int]:
    """'B5' -> (5, 2), 1-based row and column."""
    match = _CELL_RE.match(address.upper())
    if not match:
        raise ValueError(f"not a cell address: {address!r}")
    return int(match.group(2)), column_index(match.group(1))


def range_address(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    return f"{cell_address(first_row, first_col)}:{cell_address(last_row, last_col)}"
