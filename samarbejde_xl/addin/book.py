"""A live workbook (xlwings Book) <-> the core: read its cells into a RawWorkbook, apply SheetWrites to it.

The ribbon handlers work on the open book, the CLI twins on a file; both compute the same ``SheetWrites``
(``core.sheet_writes``). Handlers read everything first, compute, then write: xlwings' remote engine (used by the
tests) does not show a call its own writes, and Excel is faster that way too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from samarbejde_xl import schema
from samarbejde_xl.addin.values import excel_cell_value
from samarbejde_xl.core.problems import Severity
from samarbejde_xl.core.raw import CellValue, RawSheet, RawWorkbook, used_rows
from samarbejde_xl.core.sheet_writes import CellMark, CellWrite, SheetWrites, TableWrite

MARK_COLOURS: dict[Severity, str] = {severity: "#" + schema.MARK_COLOURS[severity.value] for severity in Severity}
"""Problem fills, as workbook/apply.py uses on files."""
UNMARKED_COLOUR = "#" + schema.ENTERED_COLOUR
"""The template's fill of entered cells: what a cell gets back when its mark goes."""

_VISIBILITY = {True: "visible", False: "hidden"}


_COM_ERROR_BASE = -2146828288
"""Excel's error values reach Python through COM as this + the XlCVError number (0x800A0000 as a signed int)."""
_XL_ERRORS = {
    2000: "#NULL!",
    2007: "#DIV/0!",
    2015: "#VALUE!",
    2023: "#REF!",
    2029: "#NAME?",
    2036: "#NUM!",
    2042: "#N/A",
    2043: "#GETTING_DATA",
    2045: "#SPILL!",
    2046: "#CONNECT!",
    2047: "#BLOCKED!",
    2048: "#UNKNOWN!",
    2049: "#FIELD!",
    2050: "#CALC!",
}
EXCEL_ERROR_VALUES = frozenset({*_XL_ERRORS.values(), "#BUSY!", "#PYTHON!", "#EXTERNAL!", "#DATA!"})
"""What a cell shows for an error; xlwings' ``err_to_str`` gives the classic ones as this text on every engine."""


def _cell_value(value: Any) -> CellValue:
    if type(value) is int and value - _COM_ERROR_BASE in _XL_ERRORS:  # a newer error xlwings leaves as a number
        return _XL_ERRORS[value - _COM_ERROR_BASE]
    if value is None or isinstance(value, str | int | float | bool | dt.date | dt.time):
        return value
    return str(value)


def sheet_values(sheet: Any) -> tuple[list[list[CellValue]], dict[tuple[int, int], str]]:
    """All values from A1 to the last used cell, positions kept (row 1 is element 0), and the error values
    (``#REF!`` …) by 1-based position: in the grid such a cell is "", as the file reader gives it."""
    last = sheet.used_range.last_cell
    values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True).value
    grid = [[_cell_value(value) for value in row] for row in values]
    errors: dict[tuple[int, int], str] = {}
    for row_number, row in enumerate(grid, start=1):
        for column_number, value in enumerate(row, start=1):
            if type(value) is str and value in EXCEL_ERROR_VALUES:
                errors[(row_number, column_number)] = value
                row[column_number - 1] = ""
    return grid, errors


def raw_workbook(book: Any) -> RawWorkbook:
    """The open book's cells as the file reader hands them to the parser (error values found, like Validér's
    file read does)."""
    sheets = {}
    for sheet in book.sheets:
        grid, errors = sheet_values(sheet)
        sheets[sheet.name] = RawSheet(sheet.name, grid, _VISIBILITY[bool(sheet.visible)], errors=errors)
    return RawWorkbook(book.name, sheets)


Block = tuple[int, int, list[list[CellValue]]]
"""(first row, first column, rows of values): one rectangle written with a single call."""


def blocks(cells: dict[tuple[int, int], CellValue]) -> list[Block]:
    """Group single-cell writes into rectangles: each Excel call costs far more than its size (COM round trips),
    so a refresh writes a case sheet's plan in one call instead of 180."""
    runs: list[Block] = []  # one row each
    for row, column in sorted(cells):
        if runs and runs[-1][0] == row and runs[-1][1] + len(runs[-1][2][0]) == column:
            runs[-1][2][0].append(cells[(row, column)])
        else:
            runs.append((row, column, [[cells[(row, column)]]]))
    merged: list[Block] = []
    for row, column, (values,) in runs:
        if merged:
            last_row, last_column, rows = merged[-1]
            if last_column == column and len(rows[0]) == len(values) and last_row + len(rows) == row:
                rows.append(values)
                continue
        merged.append((row, column, [values]))
    return merged


def _write_blocks(sheet: Any, cells: dict[tuple[int, int], CellValue]) -> None:
    for row, column, rows in blocks(cells):
        sheet.range((row, column)).value = [[excel_cell_value(value) for value in values] for values in rows]
        # Date format on each vertical run of dates only (a block may mix dates, numbers and text in a column).
        for offset in range(len(rows[0])):
            dated = {index for index, values in enumerate(rows) if isinstance(values[offset], dt.date)}
            for start in sorted(index for index in dated if index - 1 not in dated):
                end = start
                while end + 1 in dated:
                    end += 1
                first, last = (row + start, column + offset), (row + end, column + offset)
                sheet.range(first, last).number_format = schema.DATE_FORMAT


def write_values(book: Any, writes: Iterable[CellWrite]) -> None:
    by_sheet: dict[str, dict[tuple[int, int], CellValue]] = {}
    for write in writes:
        by_sheet.setdefault(write.sheet, {})[schema.parse_cell(write.cell)] = write.value
    for sheet, cells in by_sheet.items():
        _write_blocks(book.sheets[sheet], cells)


def write_table(book: Any, table: TableWrite, previous_rows: int) -> None:
    """Write ``table.rows`` and clear the rows an earlier write left below them (``previous_rows`` in use)."""
    sheet = book.sheets[table.sheet]
    stale_last = table.first_row + max(previous_rows, len(table.rows)) - 1
    if stale_last >= table.first_row:
        sheet.range((table.first_row, 1), (stale_last, table.columns)).clear_contents()
    cells = {
        (table.first_row + offset, column): value
        for offset, row in enumerate(table.rows)
        for column, value in enumerate(row, start=1)
    }
    _write_blocks(sheet, cells)


def extend_checklist_table(book: Any, last_row: int) -> None:
    """Grow the Mødetjekliste's Excel table down to ``last_row``. Excel extends a table when a user types below
    it, not reliably when code writes there, and a row outside the table has no dropdowns or filter."""
    sheet = book.sheets[schema.SHEET_CHECKLIST]
    if schema.CHECKLIST_TABLE_NAME not in [table.name for table in sheet.tables]:
        return  # a user removed the table; the rows are read all the same
    table = sheet.tables[schema.CHECKLIST_TABLE_NAME]
    current = table.range
    if current is not None and current.last_cell.row >= last_row:
        return
    table.resize(sheet.range((schema.CHECKLIST_HEADER_ROW, 1), (last_row, schema.CHECKLIST_LAST_COLUMN)))


def previous_marks(raw: RawWorkbook) -> list[tuple[str, str]]:
    """(sheet, cell) of the marks the last Validér/refresh made: the rows of the Fejl list."""
    found = raw.sheets.get(schema.SHEET_PROBLEMS)
    if found is None:
        return []
    sheet_col = 1 + next(i for i, c in enumerate(schema.PROBLEMS_COLUMNS) if c.key == "sheet")
    cell_col = 1 + next(i for i, c in enumerate(schema.PROBLEMS_COLUMNS) if c.key == "cell")
    marks = []
    for row in range(schema.PROBLEMS_FIRST_ROW, len(found.rows) + 1):
        sheet, cell = found.value(row, sheet_col), found.value(row, cell_col)
        if isinstance(sheet, str) and isinstance(cell, str) and sheet in raw.sheets and cell:
            marks.append((sheet, cell))
    return marks


def clear_marks(book: Any, marks: Iterable[tuple[str, str]], *, notes: bool = True) -> None:
    """Give the cells the last run marked (found on the Fejl list, so no note is needed) their fill back, and
    delete their notes when the engine has notes."""
    for sheet, cell in dict.fromkeys(marks):
        target = book.sheets[sheet][cell]
        if notes:
            note = target.note
            if note is not None:
                note.delete()
        target.color = UNMARKED_COLOUR


def write_marks(book: Any, marks: Iterable[CellMark], *, notes: bool = True) -> None:
    """Fill each problem cell with its severity's colour; the message goes into a note when the engine has notes
    (it is on the Fejl list either way)."""
    names = {sheet.name for sheet in book.sheets}
    for mark in marks:
        if mark.sheet in names:
            target = book.sheets[mark.sheet][mark.cell]
            target.color = MARK_COLOURS[mark.severity]
            if notes:
                target.add_note(mark.comment)


def ensure_problems_sheet(book: Any) -> None:
    """Add the Fejl sheet with its header row when the workbook has none yet."""
    if schema.SHEET_PROBLEMS in {sheet.name for sheet in book.sheets}:
        return
    sheet = book.sheets.add(schema.SHEET_PROBLEMS, after=book.sheets[len(book.sheets) - 1])
    for index, column in enumerate(schema.PROBLEMS_COLUMNS, start=1):
        sheet[schema.cell_address(schema.PROBLEMS_HEADER_ROW, index)].value = column.header


CASE_SHEET_EXTENT = schema.range_address(
    1,
    1,
    max(
        max(block.last_row for block in schema.CASE_BLOCKS),
        max(field.row for field in schema.CASE_FIELDS_BY_KEY.values()),
    ),
    schema.CASE_LAST_COLUMN,
)
"""Every cell the case-sheet template lays out (labels, entry cells, the blocks' empty rows): what a Lite case sheet
copies."""


def frozen_range(first_scrolling_cell: str) -> str:
    """Office.js freezes the rows and columns of a range; a file's freeze pane names the first cell that
    scrolls. "A4" (rows 1-3 stay) -> "1:3"; "B1" -> "A:A"; "C4" -> "A1:B3"."""
    row, column = schema.parse_cell(first_scrolling_cell)
    if column == 1:
        return f"1:{row - 1}"
    if row == 1:
        return f"A:{schema.column_letter(column - 1)}"
    return schema.range_address(1, 1, row - 1, column - 1)


def officejs_client(book: Any) -> bool:
    """Whether ``book`` came from xlwings' Office.js client (xlwings Lite): a book on xlwings' remote engine,
    whose changes that client replays by action name (``lite.officejs.SUPPORTED_ACTIONS``). The classic add-in's
    book is on the COM engine."""
    return bool(book.app.engine.name == "remote")


class LiveEngine:
    """The ``samarbejde_xl.engine.Engine`` operations on the workbook open in Excel (an xlwings Book).

    One code path for both editions, with one capability: ``sheet_copies_and_notes``. The classic add-in (COM)
    copies Sagsskabelon as a sheet (protection, column widths and print setup come along) and puts each problem's
    message in a note on the marked cell. xlwings' Office.js client has no action for sheet copies or notes, so
    in xlwings Lite a new case sheet is an added sheet with Sagsskabelon's cells copied in (values, formats,
    dropdowns), and a problem is marked by its fill with the message on the Fejl sheet only. Earlier marks are
    found on the Fejl list in both editions, so clearing them needs no notes."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.sheet_copies_and_notes = not officejs_client(book)
        self._raw: RawWorkbook | None = None

    def read(self) -> RawWorkbook:
        self._raw = raw_workbook(self.book)
        return self._raw

    def _read_before(self) -> RawWorkbook:
        return self._raw if self._raw is not None else self.read()

    def active_sheet(self) -> str | None:
        return str(self.book.sheets.active.name)

    def add_case_sheet(self, case_id: str) -> None:
        """A new sheet after the last one, laid out like Sagsskabelon: a sheet copy (layout, dropdowns,
        protection, widths) where the engine has one, else an added sheet with Sagsskabelon's cells copied in and
        the same frozen title rows."""
        last = self.book.sheets[len(self.book.sheets) - 1]
        name = schema.case_sheet_name(case_id)
        template = self.book.sheets[schema.SHEET_CASE_TEMPLATE]
        if self.sheet_copies_and_notes:
            template.copy(after=last, name=name)
            return
        sheet = self.book.sheets.add(name, after=last)
        # The client replays this as Range.copyFrom with its default type, All: Excel's copy and paste (values,
        # formats, data validation, conditional formats). Protection and print setup are the sheet's, column
        # widths a separate copy type (Office.js beta only): the new sheet has none of them.
        template.range(CASE_SHEET_EXTENT).copy(sheet.range(schema.CASE_TITLE_CELL))
        sheet.freeze_panes.freeze_at(frozen_range(schema.CASE_FREEZE_CELL))

    def apply(self, writes: SheetWrites) -> None:
        raw = self._read_before()  # stale rows and earlier marks are found in the cells read before any write
        notes = self.sheet_copies_and_notes
        clear_marks(self.book, previous_marks(raw), notes=notes)
        ensure_problems_sheet(self.book)
        write_values(self.book, writes.values)
        for table in writes.tables:
            write_table(self.book, table, used_rows(raw, table.sheet, table.first_row))
        write_marks(self.book, writes.marks, notes=notes)

    def write_cells(self, writes: Sequence[CellWrite]) -> None:
        write_values(self.book, writes)

    def extend_checklist(self, last_row: int) -> None:
        extend_checklist_table(self.book, last_row)

    def show(self, sheet: str, cell: str | None = None) -> None:
        target = self.book.sheets[sheet]
        target.activate()
        if cell is not None:
            target[cell].select()

    def save(self) -> None:
        """Excel keeps the changes in the open workbook; the user saves it."""
