"""Test fixture: a workbook of template version 1 (the pilot municipalities' layout).

Built the way the layout history says it was, independently of ``core.migrate``: a current workbook with the
later versions' additions cut out by openpyxl (whole rows and columns deleted, as if they had never been inserted).
The position helpers below say where a version-1 cell sits in the current layout, again without ``core.migrate``.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.workbook.save import save_workbook
from samarbejde_xl.workbook.template import is_case_sheet

V1 = 1
CHANGE = schema.LAYOUT_CHANGES[V1]
(ADDED_CASE_FIELD,) = CHANGE.case_fields_added
(ADDED_SETTING,) = CHANGE.settings_added
CASE_ROW_CUT = schema.CASE_FIELDS_BY_KEY[ADDED_CASE_FIELD].row
"""The current row that version 1 did not have on a case sheet."""
(ADDED_CASE_BLOCK,) = CHANGE.case_blocks_added
_ADDED_BLOCK = schema.CASE_BLOCKS_BY_KEY[ADDED_CASE_BLOCK]
CASE_BLOCK_ROWS_CUT = (_ADDED_BLOCK.title_row - 1, _ADDED_BLOCK.last_row)
"""The current rows (the blank row above it, its title, header and data rows) of the block version 1 lacked."""
assert _ADDED_BLOCK is schema.CASE_BLOCKS[-1], "the cut below assumes the added block is the last table"
SETTINGS_ROW_CUT = schema.settings_row(ADDED_SETTING)
CHECKLIST_COLUMNS_CUT = sorted(schema.checklist_column(key) for key in CHANGE.checklist_columns_added)
CHECKLIST_CUT_WIDTH = len(CHECKLIST_COLUMNS_CUT)
CHECKLIST_COLUMNS_KEPT = [
    column for column in range(1, schema.CHECKLIST_LAST_COLUMN + 1) if column not in CHECKLIST_COLUMNS_CUT
]
"""Current columns of the version-1 columns, in order."""


def _cut_checklist_columns(sheet: Worksheet) -> None:
    for column in reversed(CHECKLIST_COLUMNS_CUT):  # right to left, so the next cut has not moved
        sheet.delete_cols(column, 1)
    table = sheet.tables[schema.CHECKLIST_TABLE_NAME]
    first_row, last_row = schema.CHECKLIST_HEADER_ROW, schema.parse_cell(table.ref.split(":")[1])[0]
    ref = schema.range_address(first_row, 1, last_row, schema.CHECKLIST_LAST_COLUMN - CHECKLIST_CUT_WIDTH)
    table.ref = ref
    table.tableColumns = []  # openpyxl names them from the header cells when it saves
    if table.autoFilter is not None:
        table.autoFilter.ref = ref


def downgrade_to_v1(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Write ``source`` (a current workbook) as a version-1 workbook at ``target``."""
    workbook = load_workbook(source)
    for sheet in workbook.worksheets:
        if is_case_sheet(sheet):  # the case sheets and the case-sheet template
            first, last = CASE_BLOCK_ROWS_CUT
            sheet.delete_rows(first, last - first + 1)  # lowest first, so the next cut has not moved
            sheet.delete_rows(CASE_ROW_CUT)
    _cut_checklist_columns(workbook[schema.SHEET_CHECKLIST])
    settings = workbook[schema.SHEET_SETTINGS]
    settings.delete_rows(SETTINGS_ROW_CUT)
    settings[schema.TEMPLATE_VERSION_CELL] = V1
    save_workbook(workbook, Path(target))


def v1_to_current(sheet_kind: str, row: int, column: int) -> tuple[int, int]:
    """Where a version-1 cell of a case sheet / the checklist / the settings sits in the current layout."""
    if sheet_kind == "case":
        row = row + 1 if row >= CASE_ROW_CUT else row
        first, last = CASE_BLOCK_ROWS_CUT
        return (row + last - first + 1 if row >= first else row), column
    if sheet_kind == "checklist":
        if column <= len(CHECKLIST_COLUMNS_KEPT):
            return row, CHECKLIST_COLUMNS_KEPT[column - 1]
        return row, column + CHECKLIST_CUT_WIDTH
    if sheet_kind == "settings":
        return (row + 1 if row >= SETTINGS_ROW_CUT else row), column
    return row, column
