"""Layout history: how older template versions' layouts differ from the current one, and the layout of each.

Read by ``core.migrate`` and the upgrade. The current layout is :mod:`samarbejde_xl.schema.layout`; every entry of
:data:`LAYOUT_CHANGES` is relative to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, cached_property

from .cells import cell_address
from .layout import (
    CASE_BLOCKS,
    CASE_COMPUTED_FIELDS,
    CASE_FIELDS,
    CASE_FIELDS_FIRST_ROW,
    CHECKLIST_COLUMNS,
    CHECKLIST_COLUMNS_BY_KEY,
    SETTINGS_FIRST_ROW,
    SETTINGS_VALUE_COL,
    TEMPLATE_VERSION,
    TEMPLATE_VERSION_CELL,
    Block,
    Column,
    Field,
)
from .places import Area, Place
from .vocabulary import INVOLVEMENT_ITEMS, INVOLVEMENT_PREFIX, SETTINGS_ROWS, SETTINGS_ROWS_BY_KEY, SettingRow

SUPPORTED_TEMPLATE_VERSIONS: tuple[int, ...] = (1, 2, 3)
"""Versions the reader reads directly (older layouts are mapped onto the current one by ``core.migrate``)."""


@dataclass(frozen=True)
class LayoutChange:
    """What an older template version lacked compared with the current layout (keys of the current schema).

    Case fields are stacked one per row from :data:`CASE_FIELDS_FIRST_ROW`, the case-sheet blocks below them with
    one blank row between, the Mødetjekliste columns left to right and the settings rows from
    :data:`SETTINGS_FIRST_ROW`: so everything below a missing field or setting sat higher, and every Mødetjekliste
    column right of a missing column sat further left. Nothing else differed. When the layout changes again, add
    the new differences to every older version's entry (each entry is relative to the current layout).
    """

    version: int
    description: str
    case_fields_added: tuple[str, ...] = ()
    checklist_columns_added: tuple[str, ...] = ()
    settings_added: tuple[str, ...] = ()
    case_blocks_added: tuple[str, ...] = ()  # computed blocks: the tables below one sat higher by its rows


LAYOUT_CHANGES: dict[int, LayoutChange] = {
    1: LayoutChange(
        1,
        "Version 1 (the pilot municipalities' workbooks) had no field 'Slutårsag' on the case sheet (the notes and "
        "every table below sat one row higher), no involvement columns ('Jeg blev hørt' …) and no 'Den unges egen "
        "vurdering' in the meeting checklist (added with the local involvement instrument; the columns after them "
        "sat six columns further left), and no setting 'Standard-modelvariant' (the settings below sat one row "
        "higher), nor what version 2 lacked.",
        case_fields_added=("end_reason",),
        checklist_columns_added=(
            *(INVOLVEMENT_PREFIX + code for code, _ in INVOLVEMENT_ITEMS),
            "own_view",
            "not_relevant_reason",
        ),
        settings_added=("default_variant",),
        case_blocks_added=("score_history",),
    ),
    2: LayoutChange(
        2,
        "Version 2 had no last column 'Ikke afholdt – ikke relevant, fordi' in the meeting checklist (added so that "
        "a missed required meeting can be marked not relevant with a reason), no life-area chart on the case "
        "sheets (no cell moved for it; an upgraded workbook gets it on every case sheet), and no block 'Livsområder "
        "over tid' with its line chart below the meeting plan (anything typed below the plan moves below the block).",
        checklist_columns_added=("not_relevant_reason",),
        case_blocks_added=("score_history",),
    ),
}


@dataclass(frozen=True)
class Layout:
    """Where everything sits in one template version (the current version is the schema above)."""

    version: int
    case_fields: tuple[Field, ...]
    case_computed_fields: tuple[Field, ...]
    case_blocks: tuple[Block, ...]
    checklist_columns: tuple[Column, ...]
    settings_rows: tuple[SettingRow, ...]

    def settings_row(self, key: str) -> int:
        for offset, row in enumerate(self.settings_rows):
            if row.key == key:
                return SETTINGS_FIRST_ROW + offset
        raise KeyError(f"template version {self.version}: no setting {key!r}")

    def checklist_column(self, key: str) -> int:
        for index, column in enumerate(self.checklist_columns, start=1):
            if column.key == key:
                return index
        raise KeyError(f"template version {self.version}: no checklist column {key!r}")

    def cell_of(self, place: Place) -> str:
        """The cell ``place`` names in this version; "" for a whole sheet or a place this version did not have
        (e.g. an empty 'Slutårsag' in a version without that field)."""
        area, key = place.area, place.key
        if area is Area.FIELD:
            field = self._fields.get(key)
            return field.cell if field is not None else ""
        if area is Area.BLOCK:
            block = self._blocks.get(place.block)
            if block is None or key not in {column.key for column in block.columns}:
                return ""
            return block.cell(place.row, key)
        if area is Area.CHECKLIST:
            column = self._checklist_columns.get(key)
            return cell_address(place.row, column) if column is not None else ""
        if area is Area.SETTING:
            row = self._settings_rows.get(key)
            return cell_address(row, SETTINGS_VALUE_COL) if row is not None else ""
        return key if area is Area.CELL else ""

    @cached_property
    def _fields(self) -> dict[str, Field]:
        return {field.key: field for field in self.case_fields + self.case_computed_fields}

    @cached_property
    def _blocks(self) -> dict[str, Block]:
        return {block.key: block for block in self.case_blocks}

    @cached_property
    def _checklist_columns(self) -> dict[str, int]:
        return {column.key: index for index, column in enumerate(self.checklist_columns, start=1)}

    @cached_property
    def _settings_rows(self) -> dict[str, int]:
        return {setting.key: SETTINGS_FIRST_ROW + offset for offset, setting in enumerate(self.settings_rows)}


def _restack(blocks: tuple[Block, ...], first_title_row: int) -> tuple[Block, ...]:
    """The same blocks laid out from ``first_title_row`` like :func:`_stack_blocks` does."""
    out = []
    row = first_title_row
    for block in blocks:
        moved = replace(block, title_row=row)
        out.append(moved)
        row = moved.last_row + 2
    return tuple(out)


@cache
def template_layout(version: int) -> Layout:
    """The layout of ``version`` (one of :data:`SUPPORTED_TEMPLATE_VERSIONS`)."""
    if version == TEMPLATE_VERSION:
        return Layout(version, CASE_FIELDS, CASE_COMPUTED_FIELDS, CASE_BLOCKS, CHECKLIST_COLUMNS, SETTINGS_ROWS)
    change = LAYOUT_CHANGES[version]
    kept = [field for field in CASE_FIELDS if field.key not in change.case_fields_added]
    fields = tuple(
        replace(field, cell=cell_address(CASE_FIELDS_FIRST_ROW + offset, field.column))
        for offset, field in enumerate(kept)
    )
    return Layout(
        version,
        fields,
        CASE_COMPUTED_FIELDS,
        _restack(
            tuple(block for block in CASE_BLOCKS if block.key not in change.case_blocks_added),
            CASE_FIELDS_FIRST_ROW + len(fields) + 1,
        ),
        tuple(column for column in CHECKLIST_COLUMNS if column.key not in change.checklist_columns_added),
        tuple(row for row in SETTINGS_ROWS if row.key not in change.settings_added),
    )


def _check_layout_changes() -> None:
    """The reader finds the version and the case-sheet title at the same cells in every version."""
    if tuple(sorted((*LAYOUT_CHANGES, TEMPLATE_VERSION))) != SUPPORTED_TEMPLATE_VERSIONS:
        raise RuntimeError("SUPPORTED_TEMPLATE_VERSIONS must be the current version and those in LAYOUT_CHANGES")
    for version, change in LAYOUT_CHANGES.items():
        unknown = (
            set(change.case_fields_added) - {field.key for field in CASE_FIELDS if field.entered}
            | set(change.checklist_columns_added) - set(CHECKLIST_COLUMNS_BY_KEY)
            | set(change.settings_added) - set(SETTINGS_ROWS_BY_KEY)
            | set(change.case_blocks_added) - {block.key for block in CASE_BLOCKS if not block.entered}
        )
        if unknown or version >= TEMPLATE_VERSION:
            raise RuntimeError(f"LAYOUT_CHANGES[{version}]: unknown keys {sorted(unknown)} or not an older version")
        old = template_layout(version)
        if cell_address(old.settings_row("template_version"), SETTINGS_VALUE_COL) != TEMPLATE_VERSION_CELL:
            raise RuntimeError(f"template version {version}: the version cell must not move")
        if old.case_blocks[0].title_row <= CASE_FIELDS_FIRST_ROW or old.case_fields[0].row != CASE_FIELDS_FIRST_ROW:
            raise RuntimeError(f"template version {version}: the case fields must start where they do now")


_check_layout_changes()
