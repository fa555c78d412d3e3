"""Apply ``core.sheet_writes.SheetWrites`` to an openpyxl workbook (the file twin of the ribbon's xlwings writes)."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.core.problems import Severity
from samarbejde_xl.core.raw import CellValue
from samarbejde_xl.core.sheet_writes import MARK_AUTHOR, SheetWrites
from samarbejde_xl.safe_text import set_text
from samarbejde_xl.workbook.template import BOLD_FONT, ENTERED_FILL, HEADER_FILL

MARK_FILLS: dict[Severity, PatternFill] = {
    severity: PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    for severity in Severity
    for colour in (schema.MARK_COLOURS[severity.value],)
}
_MARK_COLOURS = {fill.start_color.rgb for fill in MARK_FILLS.values()}
_COMMENT_SIZE = (120, 320)  # height, width in points: room for two Danish sentences


def _clear_marks(workbook: Workbook) -> None:
    """Remove the tools' earlier marks, so marks that no longer apply disappear."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                comment = cell.comment
                if comment is not None and comment.author == MARK_AUTHOR:
                    cell.comment = None
                    if cell.fill.start_color.rgb in _MARK_COLOURS:
                        cell.fill = ENTERED_FILL


def _problems_sheet(workbook: Workbook) -> Worksheet:
    if schema.SHEET_PROBLEMS in workbook.sheetnames:
        existing: Worksheet = workbook[schema.SHEET_PROBLEMS]
        return existing
    sheet: Worksheet = workbook.create_sheet(schema.SHEET_PROBLEMS)
    for index, column in enumerate(schema.PROBLEMS_COLUMNS, start=1):
        cell = sheet.cell(schema.PROBLEMS_HEADER_ROW, index, column.header)
        cell.font = BOLD_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[schema.column_letter(index)].width = column.width
    sheet.freeze_panes = schema.PROBLEMS_FREEZE_CELL
    return sheet


def _put(cell: Cell | MergedCell, value: CellValue) -> None:
    """Write a computed value; text is stored as text (never a formula) and cleaned of characters xlsx forbids.

    A cell someone merged into another is left alone: it cannot hold a value."""
    if isinstance(cell, MergedCell):
        return
    if isinstance(value, str):
        set_text(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
    else:
        cell.value = value


def _anchor(sheet: Worksheet, address: str) -> Cell:
    """The cell that can hold a comment: a merged range's top-left cell when ``address`` lies inside one."""
    for merged in sheet.merged_cells.ranges:
        if address in merged:
            anchor = sheet.cell(merged.min_row, merged.min_col)
            assert isinstance(anchor, Cell)
            return anchor
    cell = sheet[address]
    assert isinstance(cell, Cell)
    return cell


def require_writable_sheets(workbook: Workbook, file: str) -> None:
    """Refuse (``WorkbookError``) a workbook whose fixed sheets openpyxl cannot find under the template's names:
    saved as Strict Open XML (openpyxl sees no sheets), or a sheet renamed in other letter case (the fast reader,
    like Excel, reads names case-blind; writing needs the exact name)."""
    names = set(workbook.sheetnames)
    for fixed in schema.FIXED_SHEETS:
        if fixed in names:
            continue
        renamed = next((name for name in names if name.casefold() == fixed.casefold()), None)
        if renamed is not None:
            raise WorkbookError(
                file,
                f"arket hedder '{renamed}', men skal hedde '{fixed}' (med de store og små bogstaver)",
                f"Omdøb arket til '{fixed}' i Excel (højreklik på fanen > Omdøb), gem og kør igen",
                code="sheet-name-case",
            )
    if schema.SHEET_SETTINGS not in names:
        raise WorkbookError(
            file,
            "projektmappen kan ikke åbnes til skrivning (den er gemt som 'Strict Open XML-regneark', eller arket "
            f"'{schema.SHEET_SETTINGS}' mangler)",
            "Åbn den i Excel og gem den som 'Excel-projektmappe (*.xlsx)', og kør igen",
            code="strict",
        )


def apply_writes(workbook: Workbook, writes: SheetWrites) -> None:
    _problems_sheet(workbook)
    for write in writes.values:
        _put(workbook[write.sheet][write.cell], write.value)
    for table in writes.tables:
        sheet = workbook[table.sheet]
        last_row = max(sheet.max_row, table.first_row + len(table.rows) - 1)
        for row_index in range(table.first_row, last_row + 1):
            offset = row_index - table.first_row
            values = table.rows[offset] if offset < len(table.rows) else (None,) * table.columns
            for column_index, value in enumerate(values, start=1):
                cell = sheet.cell(row_index, column_index)
                _put(cell, value)
                if isinstance(value, date):
                    cell.number_format = schema.DATE_FORMAT
    _clear_marks(workbook)
    for mark in writes.marks:
        if mark.sheet not in workbook.sheetnames:
            continue
        cell = _anchor(workbook[mark.sheet], mark.cell)
        cell.fill = MARK_FILLS[mark.severity]
        height, width = _COMMENT_SIZE
        text = ILLEGAL_CHARACTERS_RE.sub("", mark.comment)
        cell.comment = Comment(text, MARK_AUTHOR, height=height, width=width)


def resize_checklist_table(sheet: Worksheet, last_row: int) -> None:
    """Make the Excel table (and its filter) cover the header and rows up to ``last_row``."""
    if schema.CHECKLIST_TABLE_NAME not in sheet.tables:
        return
    table = sheet.tables[schema.CHECKLIST_TABLE_NAME]
    last = max(last_row, schema.CHECKLIST_FIRST_ROW)
    ref = schema.range_address(schema.CHECKLIST_HEADER_ROW, 1, last, schema.CHECKLIST_LAST_COLUMN)
    table.ref = ref
    if table.autoFilter is not None:
        table.autoFilter.ref = ref
