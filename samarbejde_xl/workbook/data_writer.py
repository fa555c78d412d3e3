"""Write typed case data (``WorkbookData``) into a new case workbook built from the template.

The inverse of the reader: every field goes to its place in :mod:`samarbejde_xl.schema`, choice codes become their
Danish labels, booleans "ja"/"nej", dates real dates. Used by the demo (``samarbejde_xl.demo``) and by tests that need a
workbook with given content. ``cell_overrides`` are written last, raw, so a test or the demo generator can put exactly
what a user might have typed into a cell (text in a date cell, 11 in a score cell, an empty required field).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.core.model import Case, Meeting, WorkbookData
from samarbejde_xl.schema import Choice, Kind
from samarbejde_xl.workbook.apply import resize_checklist_table
from samarbejde_xl.workbook.save import save_workbook, workbook_bytes
from samarbejde_xl.workbook.template import add_case_sheet, build_template_workbook

CellOverrides = Mapping[tuple[str, str], object]
"""(sheet name, cell address) -> raw cell value; ``None`` empties the cell."""

# Entered case-sheet block -> Case attribute holding its rows (model fields follow the schema's column keys).
BLOCK_ATTRIBUTES: dict[str, str] = {
    "team": "team",
    "network": "network",
    "consent": "consents",
    "agreements": "agreements",
    "interventions": "interventions",
}


def cell_value(value: object, kind: Kind, choice: Choice | None) -> object:
    """A typed model value as it is written into a cell of ``kind`` (``None``: leave the cell empty)."""
    if value is None or value == "":
        return None
    if kind is Kind.YES_NO:
        return schema.YES if value else schema.NO
    if kind is Kind.CHOICE and choice is not None and isinstance(value, str):
        return choice.label_of(value)
    if kind is Kind.DATE and isinstance(value, datetime):
        return value.date()
    return value


def _put(sheet: Worksheet, address: str, value: object, kind: Kind) -> None:
    cell = sheet[address]
    cell.value = value
    if kind is Kind.DATE and isinstance(value, date):
        cell.number_format = schema.DATE_FORMAT


def _write_settings(workbook: Workbook, data: WorkbookData) -> None:
    sheet = workbook[schema.SHEET_SETTINGS]
    if data.municipality:
        sheet[schema.settings_value_cell("municipality")] = data.municipality
    for key, raw in data.settings.items():
        row = schema.SETTINGS_ROWS_BY_KEY[key]
        value: object = raw
        if isinstance(raw, bool):
            value = schema.YES if raw else schema.NO
        elif row.choice is not None and isinstance(raw, str) and raw in row.choice.codes:
            value = row.choice.label_of(raw)
        _put(sheet, schema.settings_value_cell(key), value, row.kind)


def _block_indexes(block: schema.Block, items: Sequence[object]) -> list[int]:
    """0-based data row of each item: its recorded sheet row when it has one, else the next free row."""
    taken = {getattr(item, "row", 0) - block.first_row for item in items if getattr(item, "row", 0) > 0}
    indexes = []
    free = (index for index in range(block.rows) if index not in taken)
    for item in items:
        row = getattr(item, "row", 0)
        index = row - block.first_row if row > 0 else next(free)
        if not 0 <= index < block.rows:
            raise ValueError(f"{block.key}: row {row} is outside the block (rows {block.first_row}-{block.last_row})")
        indexes.append(index)
    return indexes


def _write_case(workbook: Workbook, case: Case) -> None:
    sheet = add_case_sheet(workbook, case.sheet or case.case_id)
    for field in schema.CASE_FIELDS:
        if field.entered:
            _put(sheet, field.cell, cell_value(getattr(case, field.key), field.kind, field.choice), field.kind)
    for block in schema.CASE_BLOCKS:
        if not block.entered:
            continue
        items: Sequence[object] = getattr(case, BLOCK_ATTRIBUTES[block.key])
        for index, item in zip(_block_indexes(block, items), items, strict=True):
            for column in block.columns:
                value = cell_value(getattr(item, column.key), column.kind, column.choice)
                _put(sheet, block.cell(index, column.key), value, column.kind)


def meeting_values(meeting: Meeting) -> dict[str, object]:
    """Mødetjekliste column key -> cell value for one meeting (empty cells left out)."""
    values: dict[str, object] = {}
    for column in schema.CHECKLIST_COLUMNS:
        key = column.key
        value: object
        if key.startswith(schema.PROFESSION_PRESENT_PREFIX):
            value = schema.YES if key[len(schema.PROFESSION_PRESENT_PREFIX) :] in meeting.professions_present else None
        elif key.startswith(schema.SCORE_PREFIX):
            value = meeting.scores.get(key[len(schema.SCORE_PREFIX) :])
        elif key.startswith(schema.INVOLVEMENT_PREFIX):
            item = key[len(schema.INVOLVEMENT_PREFIX) :]
            if item not in meeting.involvement:
                continue
            answer = meeting.involvement[item]
            value = schema.DONT_KNOW if answer is None else answer
        else:
            value = cell_value(getattr(meeting, key), column.kind, column.choice)
        if value is not None:
            values[key] = value
    return values


def _write_meetings(workbook: Workbook, meetings: Sequence[Meeting]) -> None:
    sheet = workbook[schema.SHEET_CHECKLIST]
    next_row = max((meeting.row for meeting in meetings), default=0) + 1
    next_row = max(next_row, schema.CHECKLIST_FIRST_ROW)
    last_row = schema.CHECKLIST_FIRST_ROW
    for meeting in meetings:
        row = meeting.row
        if row <= 0:
            row, next_row = next_row, next_row + 1
        elif row < schema.CHECKLIST_FIRST_ROW:
            raise ValueError(f"meeting row {row} is above the first {schema.SHEET_CHECKLIST} data row")
        for key, value in meeting_values(meeting).items():
            _put(sheet, schema.checklist_cell(row, key), value, schema.CHECKLIST_COLUMNS_BY_KEY[key].kind)
        last_row = max(last_row, row)
    resize_checklist_table(sheet, last_row)


def _apply_overrides(workbook: Workbook, overrides: CellOverrides) -> None:
    for (sheet_name, address), value in overrides.items():
        workbook[sheet_name][address].value = value


def build_workbook(
    data: WorkbookData, *, cell_overrides: CellOverrides | None = None, today: date | None = None
) -> Workbook:
    """The template with ``data`` written in; ``today`` (if given) stamps the document's created/modified dates."""
    workbook = build_template_workbook()
    _write_settings(workbook, data)
    for case in data.cases:
        _write_case(workbook, case)
    _write_meetings(workbook, data.meetings)
    _apply_overrides(workbook, cell_overrides or {})
    if today is not None:
        stamp = datetime(today.year, today.month, today.day)
        workbook.properties.created = stamp
        workbook.properties.modified = stamp
    return workbook


def write_workbook_bytes(
    data: WorkbookData, *, cell_overrides: CellOverrides | None = None, today: date | None = None
) -> bytes:
    """The xlsx bytes of :func:`build_workbook` (the same arguments always give the same bytes)."""
    return workbook_bytes(build_workbook(data, cell_overrides=cell_overrides, today=today))


def write_workbook(
    data: WorkbookData,
    path: str | os.PathLike[str],
    *,
    cell_overrides: CellOverrides | None = None,
    today: date | None = None,
) -> None:
    """Write ``data`` as a new case workbook at ``path`` (reproducible bytes, atomic replace)."""
    save_workbook(build_workbook(data, cell_overrides=cell_overrides, today=today), path)
