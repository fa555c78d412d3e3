"""The operations a button needs from a workbook, whoever holds it (the xlwings idea: one API, one module per engine).

``workbook.file_engine.FileEngine`` works on a file and writes the result atomically on ``save``;
``addin.book.LiveEngine`` works on the workbook open in Excel through xlwings' Book API (every operation is one
xlwings' remote engine also records, so the same handlers can run in xlwings Lite). The use cases in
``samarbejde_xl.use_cases`` are read → compute in the core (``core.buttons``) → apply through an engine.
This module imports no Excel library.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from samarbejde_xl.core.raw import RawWorkbook
from samarbejde_xl.core.sheet_writes import CellWrite, SheetWrites


class Engine(Protocol):
    def read(self) -> RawWorkbook:
        """Every cell the core needs, read once before any write (a live book does not show a call its own
        writes)."""
        ...

    def active_sheet(self) -> str | None:
        """The sheet the user is on; ``None`` for a file."""
        ...

    def add_case_sheet(self, case_id: str) -> None:
        """An empty case sheet named ``schema.case_sheet_name(case_id)``, laid out like Sagsskabelon."""
        ...

    def apply(self, writes: SheetWrites) -> None:
        """Computed values, tables (rows below them cleared) and marks; marks of an earlier run go first."""
        ...

    def write_cells(self, writes: Sequence[CellWrite]) -> None:
        """Plain values into cells people type in (a new Mødetjekliste row); nothing else changes."""
        ...

    def extend_checklist(self, last_row: int) -> None:
        """Grow the Mødetjekliste's Excel table (dropdowns, filter) down to ``last_row``."""
        ...

    def show(self, sheet: str, cell: str | None = None) -> None:
        """A hint for a user looking at the workbook: activate ``sheet`` (and select ``cell``); a file ignores it."""
        ...

    def save(self) -> None:
        """Make the changes last: a file is written; a live book is left for the user to save."""
        ...
