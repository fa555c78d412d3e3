"""The file engine: the ``samarbejde_xl.engine.Engine`` operations on a workbook file.

Cells are read with the fast reader; the first write reads the file's package into the lossless writer
(``workbook.package``), which patches only the parts and cells the tools own, and ``save`` writes the changed
workbook to the target atomically (after a backup copy when the target is the file itself). Nothing is written to
the source before ``save``. An encrypted workbook is changed in memory and saved encrypted with the same password.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from samarbejde_xl import schema
from samarbejde_xl.core.errors import ActionError
from samarbejde_xl.core.raw import RawWorkbook
from samarbejde_xl.core.sheet_writes import CellWrite, SheetWrites
from samarbejde_xl.fileio import backup_copy
from samarbejde_xl.workbook.package import PackageEditor, SheetNameError, open_package, save_package
from samarbejde_xl.workbook.reader import read_raw_workbook


def check_suffix(editor: PackageEditor, source: Path, target: Path) -> None:
    """Excel opens a workbook only when its extension matches its kind: a macro workbook must stay .xlsm. (In
    place, the name stays the file's own.)"""
    if target == source:
        return
    macro_suffix = target.suffix.lower() in (".xlsm", ".xltm")
    if editor.macro_enabled and not macro_suffix:
        raise ActionError(
            f"{target}: projektmappen har makroer (.xlsm), og Excel ville afvise den under dette navn; "
            "giv et output-navn, der ender på .xlsm"
        )
    if macro_suffix and not editor.macro_enabled:
        raise ActionError(f"{target}: projektmappen har ingen makroer; giv et output-navn, der ender på .xlsx")


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
        self._editor: PackageEditor | None = None
        self.backup: Path | None = None  # the copy an in-place save made first

    def read(self) -> RawWorkbook:
        return read_raw_workbook(self.source, password=self._password, detect_formulas=self._detect_formulas)

    def _package(self) -> PackageEditor:
        if self._editor is None:
            self._editor = open_package(self.source, password=self._password)
            if self.target is not None:
                check_suffix(self._editor, self.source, self.target)
        return self._editor

    def active_sheet(self) -> str | None:
        return None

    def add_case_sheet(self, case_id: str) -> None:
        editor = self._package()
        try:
            sheet = editor.add_case_sheet(schema.case_sheet_name(case_id))
        except SheetNameError as error:
            raise ActionError(f"{self.source}: {error}") from error
        editor.write(sheet, schema.CASE_FIELDS_BY_KEY["case_id"].cell, case_id.strip())

    def apply(self, writes: SheetWrites) -> None:
        self._package().apply(writes)

    def write_cells(self, writes: Sequence[CellWrite]) -> None:
        editor = self._package()
        for write in writes:  # a date gets the date format when its cell has none, as a typed date would
            editor.write(write.sheet, write.cell, write.value)

    def extend_checklist(self, last_row: int) -> None:
        self._package().extend_checklist(last_row)

    def show(self, sheet: str, cell: str | None = None) -> None:
        """Nothing to show in a file."""

    def save(self) -> None:
        """Write the changed workbook to ``target``; the backup of an in-place write is made only now, when the
        change is ready, so a refused or failed action leaves none behind."""
        if self.target is None or self._editor is None:
            raise ActionError(f"{self.source}: nothing to save")
        data = self._editor.to_bytes()  # a package the writer cannot finish fails before any backup or write
        if self.target == self.source:
            self.backup = backup_copy(self.source, self._now or datetime.now())
        save_package(data, self.target)
