"""Logical places in a case workbook: where a problem is, in the model's terms and in no template version's cells.

A :class:`Place` names a case-sheet field, a cell of a case-sheet block (block, data row, column), a Mødetjekliste
cell (sheet row, column: rows never move between versions), an Indstillinger value, or a named cell that sits at
the same address in every version. The layout of a file's own template version turns it into a cell
(``schema.template_layout(version).cell_of(place)``), once, where the problem is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    """What kind of place a :class:`Place` names."""

    SHEET = "sheet"  # the whole sheet (or file): no cell
    FIELD = "field"  # a case-sheet field: key
    BLOCK = "block"  # a case-sheet table cell: block, row (0-based data row), key (column)
    CHECKLIST = "checklist"  # a Mødetjekliste cell: row (sheet row), key (column)
    SETTING = "setting"  # an Indstillinger value: key
    CELL = "cell"  # a named cell at the same address in every version: key (the address)


@dataclass(frozen=True, slots=True)
class Place:
    area: Area = Area.SHEET
    key: str = ""
    block: str = ""
    row: int = 0


WHOLE_SHEET = Place()


def field_place(key: str) -> Place:
    return Place(Area.FIELD, key)


def block_place(block: str, index: int, column: str) -> Place:
    """Data row ``index`` (0-based) of case-sheet block ``block``, in its column ``column``."""
    return Place(Area.BLOCK, column, block, index)


def checklist_place(row: int, column: str) -> Place:
    """Mødetjekliste sheet row ``row`` in column ``column`` (the header row included)."""
    return Place(Area.CHECKLIST, column, row=row)


def setting_place(key: str) -> Place:
    return Place(Area.SETTING, key)


def named_cell(address: str) -> Place:
    """A cell that sits at ``address`` in every template version (e.g. a sheet's title cell)."""
    return Place(Area.CELL, address)
