"""Cell grids as the file adapters hand them to the core parser: no Excel library types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

CellValue = str | int | float | bool | date | datetime | time | None
"""What a cell holds after reading. Empty cells are ``""`` or ``None``."""


@dataclass
class RawSheet:
    name: str
    rows: list[list[CellValue]]  # row 1 is rows[0]; positions are never shifted
    visible: str = "visible"  # "visible" | "hidden" | "veryhidden"
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based -> "=…", when known
    # (row, col) 1-based -> Excel error value ("#REF!") of cells that show one, when known: the cell itself is "".
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    def value(self, row: int, column: int) -> CellValue:
        """1-based row and column; ``None`` outside the used area."""
        if row < 1 or column < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        if column > len(cells):
            return None
        return cells[column - 1]


@dataclass
class RawWorkbook:
    file: str  # display name for messages
    sheets: dict[str, RawSheet]  # in workbook order


def used_rows(raw: RawWorkbook, sheet: str, first_row: int) -> int:
    """How many rows from ``first_row`` down hold anything (0 when the sheet is missing)."""
    found = raw.sheets.get(sheet)
    if found is None:
        return 0
    filled = [index for index, row in enumerate(found.rows, start=1) if any(v not in (None, "") for v in row)]
    return max(0, max(filled, default=0) - first_row + 1)
