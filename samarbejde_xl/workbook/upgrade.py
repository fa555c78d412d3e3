"""``samarbejde-xl upgrade``: copy a workbook of an older template version into the current template.

The differences between versions are declared in ``schema.LAYOUT_CHANGES``; ``core.migrate.sheet_moves`` turns
them into where each old cell goes. The upgrade builds a fresh workbook from the current template, adds the case
sheets in the same order (same names, same hidden state) and copies every value cell by cell, raw, exactly as it
is in the old file: text in a date cell stays text, a formula stays a formula, a number keeps its number format.
Nothing goes through the typed model, so nothing a user typed is lost or "corrected" on the way.

What is copied:
- case sheets: entered and computed cells at their new places; anything typed beside the tables moves with its
  row (if the new template has text at that place, the value is listed as not copied);
- Mødetjekliste: every row, each column to its new place (columns right of the table keep their distance to it);
- Indstillinger: the values (the template version becomes the current one); Oversigt: its values;
- other sheets a user added: their values and number formats (not their formatting, charts or pictures).
What is not copied: the help, list and case-template sheets (the new template brings its own), the Fejl sheet and
the problem marks (their places are old: run refresh on the new file), cell formatting other than number formats.
Formulas are copied as they are; a reference to a moved cell is not rewritten.

An already current workbook is copied byte for byte (so ``-o`` always gives a file); ``--in-place`` then does
nothing. A newer version than this samarbejde-xl knows stops with the reader's "update samarbejde-xl" error.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.migrate import SheetMove, sheet_moves
from samarbejde_xl.fileio import OutputIsInputError, atomic_output, backup_copy, write_target
from samarbejde_xl.workbook.apply import resize_checklist_table
from samarbejde_xl.workbook.reader import read_workbook
from samarbejde_xl.workbook.save import save_workbook
from samarbejde_xl.workbook.template import add_case_sheet, build_template_workbook, is_case_sheet

_REBUILT_SHEETS = frozenset({schema.SHEET_GUIDE, schema.SHEET_CASE_TEMPLATE, schema.SHEET_LISTS, schema.SHEET_PROBLEMS})
"""Sheets the new template brings (or refresh writes) afresh: their old content is not copied."""
_IDENTITY = SheetMove({}, {}, {})


class UpgradeError(SamarbejdeError):
    """The upgrade cannot go ahead (the output is the input …); the message says what to do."""


@dataclass(frozen=True)
class UpgradeResult:
    source: Path
    output: Path | None  # None: nothing written (an already current workbook upgraded in place)
    from_version: int
    to_version: int
    cells_copied: int = 0
    case_sheets: tuple[str, ...] = ()
    extra_sheets: tuple[str, ...] = ()  # sheets users added: values copied, formatting not
    not_copied: tuple[str, ...] = ()  # "sheet!cell: why", for values that had no place in the new template
    backup: Path | None = None

    @property
    def already_current(self) -> bool:
        return self.from_version == self.to_version


@dataclass
class _Copier:
    copied: int = 0
    not_copied: list[str] = field(default_factory=list)

    def sheet(self, source: Worksheet, target: Worksheet, move: SheetMove, skip: frozenset[tuple[int, int]]) -> int:
        """Copy every value of ``source`` to its moved place in ``target``; return the last target row used."""
        last_row = 0
        for row in source.iter_rows():
            for cell in row:
                if cell.value is None or cell.value == "" or not isinstance(cell, Cell):
                    continue
                old = (cell.row, cell.column)
                if old in skip:
                    continue
                new_row, new_column = move.forward(*old)
                into = target.cell(new_row, new_column)
                if into.value is not None:
                    if into.value != cell.value:
                        self.not_copied.append(
                            f"{source.title}!{cell.coordinate}: {cell.value!r} not copied, the new template has "
                            f"{into.value!r} at {into.coordinate}"
                        )
                    continue
                into.value = cell.value
                if isinstance(cell.value, int | float | date | datetime | time) and not isinstance(cell.value, bool):
                    into.number_format = cell.number_format
                if cell.comment is not None:
                    into.comment = Comment(cell.comment.text, cell.comment.author or "")
                self.copied += 1
                last_row = max(last_row, new_row)
        return last_row


def _is_case_sheet(sheet: Worksheet) -> bool:
    return sheet.title not in schema.FIXED_SHEETS and sheet.title != schema.SHEET_PROBLEMS and is_case_sheet(sheet)


def upgraded_workbook(source: Workbook, version: int) -> tuple[Workbook, UpgradeResult]:
    """The current template holding every value of ``source`` (a workbook of template ``version``)."""
    moves = sheet_moves(version)
    target = build_template_workbook()
    copier = _Copier()
    version_cell = frozenset({schema.parse_cell(schema.TEMPLATE_VERSION_CELL)})
    if schema.SHEET_SETTINGS in source.sheetnames:
        copier.sheet(source[schema.SHEET_SETTINGS], target[schema.SHEET_SETTINGS], moves.settings, version_cell)
    if schema.SHEET_OVERVIEW in source.sheetnames:
        copier.sheet(source[schema.SHEET_OVERVIEW], target[schema.SHEET_OVERVIEW], _IDENTITY, frozenset())
    if schema.SHEET_CHECKLIST in source.sheetnames:
        checklist = target[schema.SHEET_CHECKLIST]
        last_row = copier.sheet(source[schema.SHEET_CHECKLIST], checklist, moves.checklist, frozenset())
        resize_checklist_table(checklist, last_row)
    case_id_cell = schema.CASE_FIELDS_BY_KEY["case_id"].cell
    case_sheets, extra_sheets = [], []
    for sheet in source.worksheets:
        if sheet.title in schema.FIXED_SHEETS or sheet.title in _REBUILT_SHEETS:
            continue
        if _is_case_sheet(sheet):
            new_sheet = add_case_sheet(target, sheet.title)
            new_sheet.title = sheet.title  # add_case_sheet tidies the name (spaces); keep it exactly
            new_sheet[case_id_cell].value = None  # the old id cell is copied raw, like every other cell
            copier.sheet(sheet, new_sheet, moves.case_sheet, frozenset())
            case_sheets.append(sheet.title)
        else:
            new_sheet = target.create_sheet(sheet.title)
            copier.sheet(sheet, new_sheet, _IDENTITY, frozenset())
            extra_sheets.append(sheet.title)
        new_sheet.sheet_state = sheet.sheet_state
    _keep_order(target, [*schema.FIXED_SHEETS, *(s.title for s in source.worksheets if s.title in target)])
    result = UpgradeResult(
        source=Path(),
        output=None,
        from_version=version,
        to_version=schema.TEMPLATE_VERSION,
        cells_copied=copier.copied,
        case_sheets=tuple(case_sheets),
        extra_sheets=tuple(extra_sheets),
        not_copied=tuple(copier.not_copied),
    )
    return target, result


def _keep_order(workbook: Workbook, names: list[str]) -> None:
    """The template's sheets first, then case and added sheets in their old order."""
    order = list(dict.fromkeys(name for name in names if name in workbook.sheetnames))
    for index, name in enumerate(order):
        sheet = workbook[name]
        workbook.move_sheet(sheet, index - workbook.index(sheet))


def upgrade_workbook(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    now: datetime | None = None,
) -> UpgradeResult:
    """Upgrade ``source`` to the current template into ``output`` (or in place, after a backup copy).

    Raises ``WorkbookError`` when ``source`` cannot be read (code ``newer-template`` for a workbook made with a
    newer samarbejde-xl) and ``UpgradeError`` when the output would overwrite the input.
    """
    source_path = Path(source)
    try:
        target_path = write_target(source_path, Path(output) if output is not None else None, in_place)
    except OutputIsInputError as error:
        raise UpgradeError(str(error)) from error
    version = read_workbook(source_path).data.template_version  # raises for newer, foreign and broken files
    if version == schema.TEMPLATE_VERSION:
        if in_place:
            return UpgradeResult(source_path, None, version, version)
        with atomic_output(target_path) as staged:
            shutil.copyfile(source_path, staged)
        return UpgradeResult(source_path, target_path, version, version)
    upgraded, result = upgraded_workbook(load_workbook(source_path), version)
    backup = backup_copy(source_path, now or datetime.now()) if in_place else None
    save_workbook(upgraded, target_path)
    return replace(result, source=source_path, output=target_path, backup=backup)
