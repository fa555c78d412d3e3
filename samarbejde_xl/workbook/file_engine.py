"""The file engine: the ``samarbejde_xl.engine.Engine`` operations on a workbook file.

Cells are read with the fast reader; the first write loads openpyxl's full model of the file, and ``save`` writes
the changed workbook to the target atomically (after a backup copy when the target is the file itself). Nothing
is written to the source before ``save``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from defusedxml import DefusedXmlException
from openpyxl import Workbook, load_workbook

from samarbejde_xl import schema
from samarbejde_xl.core.errors import ActionError, WorkbookError
from samarbejde_xl.core.raw import RawWorkbook
from samarbejde_xl.core.sheet_writes import CellWrite, SheetWrites
from samarbejde_xl.fileio import backup_copy
from samarbejde_xl.workbook.apply import apply_writes, resize_checklist_table, write_cells
from samarbejde_xl.workbook.reader import read_raw_workbook
from samarbejde_xl.workbook.save import save_workbook
from samarbejde_xl.workbook.template import add_case_sheet


def load_for_update(path: Path) -> Workbook:
    """openpyxl's full model of ``path``, to write a changed copy. The fast reader has read the file already; what
    openpyxl still refuses (defusedxml forbids entity declarations, which calamine ignores) becomes a
    ``WorkbookError`` for that file. The bytes are read first, so a failed load leaves no open file behind."""
    data = path.read_bytes()
    try:
        return load_workbook(io.BytesIO(data))
    except Exception as error:  # openpyxl raises assorted errors on unusual packages
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise WorkbookError(
                str(path),
                "it contains an XML document type declaration (DTD) with entities, which Excel never writes; "
                "it is not opened for writing",
                "Open it in Excel and save it again as .xlsx (and check where the file came from)",
                code="unsafe-xml",
            ) from error
        summary = " ".join(str(error).split())[:200] or type(error).__name__
        raise WorkbookError(
            str(path),
            f"the workbook could not be opened for writing ({type(error).__name__}: {summary})",
            "Open it in Excel, save it again as .xlsx and run again",
            code="corrupt",
        ) from error


class FileEngine:
    """``source`` read and changed in memory; ``save`` writes ``target`` (which may be ``source`` itself)."""

    def __init__(
        self,
        source: Path,
        target: Path | None = None,
        *,
        password: str | None = None,
        detect_formulas: bool = False,
        now: datetime | None = None,
    ) -> None:
        self.source, self.target = source, target
        self._password, self._detect_formulas, self._now = password, detect_formulas, now
        self._workbook: Workbook | None = None
        self.backup: Path | None = None  # the copy an in-place save made first

    def read(self) -> RawWorkbook:
        return read_raw_workbook(self.source, password=self._password, detect_formulas=self._detect_formulas)

    def _book(self) -> Workbook:
        if self._workbook is None:
            self._workbook = load_for_update(self.source)
        return self._workbook

    def active_sheet(self) -> str | None:
        return None

    def add_case_sheet(self, case_id: str) -> None:
        try:
            add_case_sheet(self._book(), case_id)
        except ValueError as error:
            raise ActionError(f"{self.source}: {error}") from error

    def apply(self, writes: SheetWrites) -> None:
        apply_writes(self._book(), writes)

    def write_cells(self, writes: Sequence[CellWrite]) -> None:
        write_cells(self._book(), writes)

    def extend_checklist(self, last_row: int) -> None:
        sheet = self._book()[schema.SHEET_CHECKLIST]
        if schema.CHECKLIST_TABLE_NAME not in sheet.tables:
            return  # a user removed the table; the rows are read all the same
        current_last = schema.parse_cell(sheet.tables[schema.CHECKLIST_TABLE_NAME].ref.split(":")[-1])[0]
        if current_last < last_row:
            resize_checklist_table(sheet, last_row)

    def show(self, sheet: str, cell: str | None = None) -> None:
        """Nothing to show in a file."""

    def save(self) -> None:
        """Write the changed workbook to ``target``; the backup of an in-place write is made only now, when the
        change is ready, so a refused or failed action leaves none behind."""
        if self.target is None or self._workbook is None:
            raise ActionError(f"{self.source}: nothing to save")
        if self.target == self.source:
            self.backup = backup_copy(self.source, self._now or datetime.now())
        save_workbook(self._workbook, self.target)
