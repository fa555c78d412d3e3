"""Older template versions mapped onto the current layout. Pure: positions come from ``schema.template_layout``.

The parser reads every supported version through one code path: :func:`migrate_raw` moves an older workbook's
cell grids to the current positions first. ``samarbejde-xl upgrade`` uses the same moves (:func:`sheet_moves`) to
copy an older workbook into the current template. Problems need no move: they name logical places
(``schema.Place``) that the file's own layout turns into cells where they are shown.

Three kinds of sheet move (everything else is the same in every version):
- case sheets: entered and computed fields cell by cell, every other cell with its row (a block's rows, the blank
  rows between blocks and notes typed beside a table move with the table);
- Mødetjekliste: whole columns (rows never move); columns right of the table keep their distance to it;
- Indstillinger: whole rows.

``WorkbookData`` (rows of table items included) is always in current-layout coordinates, so validation rules
see one layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from .. import schema
from .errors import WorkbookError
from .model import WorkbookData
from .raw import CellValue, RawSheet, RawWorkbook

Position = tuple[int, int]  # 1-based (row, column)


@dataclass(frozen=True, eq=False)
class SheetMove:
    """How the cells of one kind of sheet moved from an older layout to the current one.

    ``rows`` / ``columns`` map every old row / column of the layout (identity included; empty: nothing moves);
    rows and columns past them shift by ``rows_beyond`` / ``columns_beyond``. ``cells`` are single cells that
    move on their own.
    """

    rows: dict[int, int]
    columns: dict[int, int]
    cells: dict[Position, Position]
    rows_beyond: int = 0
    columns_beyond: int = 0

    def forward(self, row: int, column: int) -> Position:
        """Current position of the old cell (row, column)."""
        moved = self.cells.get((row, column))
        if moved is not None:
            return moved
        return _shift(self.rows, self._last_row, self.rows_beyond, row), _shift(
            self.columns, self._last_column, self.columns_beyond, column
        )

    @cached_property
    def _last_row(self) -> int:
        return max(self.rows, default=0)

    @cached_property
    def _last_column(self) -> int:
        return max(self.columns, default=0)


def _shift(lines: dict[int, int], last: int, beyond: int, line: int) -> int:
    moved = lines.get(line)
    if moved is not None:
        return moved
    return line + beyond if lines and line > last else line


@dataclass(frozen=True)
class SheetMoves:
    version: int
    case_sheet: SheetMove
    checklist: SheetMove
    settings: SheetMove


def _case_sheet_move(old: schema.Layout, new: schema.Layout) -> SheetMove:
    new_fields = {field.key: field for field in new.case_fields + new.case_computed_fields}
    cells: dict[Position, Position] = {}
    for field in old.case_fields + old.case_computed_fields:
        target = new_fields[field.key]
        cells[(field.row, field.column)] = (target.row, target.column)
        cells[(field.row, field.column - 1)] = (target.row, target.column - 1)
    # Field cells are listed even when they stay: an entered and a computed field share a row but may move apart.
    # Rows: a field row moves with its entered field, a block's rows with the block, blank rows with the row above.
    anchors: dict[int, int] = {row: row for row in range(1, schema.CASE_FIELDS_FIRST_ROW)}
    entered = {field.key: field.row for field in new.case_fields}
    anchors.update({field.row: entered[field.key] for field in old.case_fields})
    new_blocks = {block.key: block for block in new.case_blocks}
    for block in old.case_blocks:
        shift = new_blocks[block.key].title_row - block.title_row
        anchors.update({row: row + shift for row in range(block.title_row, block.last_row + 1)})
    last_row = old.case_blocks[-1].last_row
    rows: dict[int, int] = {}
    previous = 0
    for row in range(1, last_row + 1):
        previous = anchors.get(row, previous + 1)
        rows[row] = previous
    columns = {column: column for column in range(1, schema.CASE_LAST_COLUMN + 1)}
    return SheetMove(rows, columns, cells, new.case_blocks[-1].last_row - last_row, 0)


def _checklist_move(old: schema.Layout, new: schema.Layout) -> SheetMove:
    columns = {index: new.checklist_column(column.key) for index, column in enumerate(old.checklist_columns, start=1)}
    return SheetMove({}, columns, {}, 0, len(new.checklist_columns) - len(old.checklist_columns))


def _settings_move(old: schema.Layout, new: schema.Layout) -> SheetMove:
    rows = {row: row for row in range(1, schema.SETTINGS_FIRST_ROW)}
    rows.update({old.settings_row(setting.key): new.settings_row(setting.key) for setting in old.settings_rows})
    return SheetMove(rows, {}, {}, len(new.settings_rows) - len(old.settings_rows), 0)


def sheet_moves(version: int) -> SheetMoves:
    """The moves from template ``version`` to the current layout (identity for the current version)."""
    moves = _SHEET_MOVES.get(version)
    return moves if moves is not None else _sheet_moves(version)


def _sheet_moves(version: int) -> SheetMoves:
    old, new = schema.template_layout(version), schema.template_layout(schema.TEMPLATE_VERSION)
    return SheetMoves(version, _case_sheet_move(old, new), _checklist_move(old, new), _settings_move(old, new))


_SHEET_MOVES: Mapping[int, SheetMoves] = MappingProxyType(
    {version: _sheet_moves(version) for version in schema.SUPPORTED_TEMPLATE_VERSIONS}
)
"""Worked out once, when the module is imported (about 3 ms): every workbook of an older version needs them."""


def _layouts() -> list[schema.Layout]:
    return [schema.template_layout(version) for version in schema.SUPPORTED_TEMPLATE_VERSIONS]


def max_case_sheet_rows() -> int:
    """The last case-sheet row holding entered values, in the supported version that has it lowest."""
    return max(block.last_row for layout in _layouts() for block in layout.case_blocks if block.entered)


def max_settings_rows() -> int:
    """The last Indstillinger row, in the supported version that has it lowest."""
    return max(schema.SETTINGS_FIRST_ROW + len(layout.settings_rows) - 1 for layout in _layouts())


# --------------------------------------------------------------------------------------------------
# Cell grids
# --------------------------------------------------------------------------------------------------

_TITLE = schema.parse_cell(schema.CASE_TITLE_CELL)


def is_case_sheet(sheet: RawSheet) -> bool:
    """The case-sheet title sits at the same cell in every version."""
    title = sheet.value(*_TITLE)
    return isinstance(title, str) and title.strip() == schema.CASE_SHEET_TITLE


_NOT_CASE_SHEETS = frozenset({*schema.FIXED_SHEETS, schema.SHEET_PROBLEMS})


def _moved_sheet(sheet: RawSheet, move: SheetMove) -> RawSheet:
    grid: dict[Position, CellValue] = {}
    for row_index, cells in enumerate(sheet.rows, start=1):
        for column_index, value in enumerate(cells, start=1):
            if value is not None and value != "":
                grid[move.forward(row_index, column_index)] = value
    return RawSheet(sheet.name, _rows_of(grid), sheet.visible, *_moved_marks(sheet, move))


def _moved_marks(sheet: RawSheet, move: SheetMove) -> tuple[dict[Position, str], dict[Position, str]]:
    """The sheet's known formulas and error values at their new positions."""
    return (
        {move.forward(row, column): formula for (row, column), formula in sheet.formulas.items()},
        {move.forward(row, column): error for (row, column), error in sheet.errors.items()},
    )


def _rows_of(grid: dict[Position, CellValue]) -> list[list[CellValue]]:
    height = max((row for row, _ in grid), default=0)
    width = max((column for _, column in grid), default=0)
    rows: list[list[CellValue]] = [[""] * width for _ in range(height)]  # "" like the reader's empty cells
    for (row, column), value in grid.items():
        rows[row - 1][column - 1] = value
    return rows


def _moved_checklist(sheet: RawSheet, move: SheetMove) -> RawSheet:
    """Columns only: a row-by-row copy (the checklist may have thousands of rows)."""
    width = max((len(cells) for cells in sheet.rows), default=0)
    targets = [move.forward(1, column)[1] - 1 for column in range(1, width + 1)]
    new_width = max(schema.CHECKLIST_LAST_COLUMN, *(target + 1 for target in targets)) if targets else 0
    rows: list[list[CellValue]] = []
    for cells in sheet.rows:
        moved: list[CellValue] = [""] * new_width
        for target, value in zip(targets, cells, strict=False):
            moved[target] = value
        rows.append(moved)
    header = schema.CHECKLIST_HEADER_ROW
    if len(rows) >= header:
        kept = {move.forward(header, column)[1] for column in move.columns}
        for index, column in enumerate(schema.CHECKLIST_COLUMNS, start=1):
            if index not in kept:  # a column the old version did not have: present, with its header, and empty
                rows[header - 1][index - 1] = column.header
    return RawSheet(sheet.name, rows, sheet.visible, *_moved_marks(sheet, move))


def migrate_raw(raw: RawWorkbook, version: int) -> RawWorkbook:
    """``raw`` (a workbook of template ``version``) with every cell at its current-layout position."""
    if version == schema.TEMPLATE_VERSION:
        return raw
    moves = sheet_moves(version)
    sheets: dict[str, RawSheet] = {}
    for name, sheet in raw.sheets.items():
        if name == schema.SHEET_CHECKLIST:
            sheets[name] = _moved_checklist(sheet, moves.checklist)
        elif name == schema.SHEET_SETTINGS:
            sheets[name] = _moved_sheet(sheet, moves.settings)
        elif name not in _NOT_CASE_SHEETS and is_case_sheet(sheet):
            sheets[name] = _moved_sheet(sheet, moves.case_sheet)
        else:
            sheets[name] = sheet
    return RawWorkbook(raw.file, sheets)


def require_current_layout(data: WorkbookData) -> None:
    """Raise ``WorkbookError`` (code ``old-template``) when ``data`` came from an older template version.

    Reading older versions is fine; writing into them (plans, marks, new sheets, meeting rows) is not, because the
    writers put things at current-layout positions.
    """
    if data.template_version == schema.TEMPLATE_VERSION:
        return
    raise WorkbookError(
        data.file,
        f"projektmappen bruger den ældre skabelonversion {data.template_version}; den kan læses, "
        f"men ændringer kræver skabelonversion {schema.TEMPLATE_VERSION}",
        "Kør samarbejde-xl upgrade ARBEJDSBOG -o NY.xlsx, og arbejd videre i den nye fil",
        code="old-template",
    )
