"""A canonical JSON dump of an xlsx file: what golden tests compare instead of zip bytes.

The dump holds what a user sees or relies on (cells, formats, validations, protection, tables, conditional
formatting, print setup, document properties) in a deterministic order. It works on any workbook openpyxl can load.
Times that change on every save (``created``, ``modified``, ``lastPrinted``) are left out unless asked for.
"""

from __future__ import annotations

import io
import json
import os
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles.colors import Color
from openpyxl.styles.fills import PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_TIME_PROPERTIES = ("created", "modified", "lastPrinted")
_TEXT_PROPERTIES = (
    "title",
    "subject",
    "creator",
    "keywords",
    "description",
    "category",
    "contentStatus",
    "identifier",
    "language",
    "lastModifiedBy",
    "revision",
    "version",
)
_GENERAL = "General"

Dump = dict[str, Any]


def _load(source: str | os.PathLike[str] | bytes) -> Workbook:
    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else os.fspath(source)
    return load_workbook(handle, read_only=False, data_only=False, rich_text=False)


def _json_value(value: object) -> Any:
    """A cell value as JSON: numbers and text as they are, everything else tagged with its type."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"timedelta": value.total_seconds()}
    return {type(value).__name__: str(value)}


def _colour(color: Color | None) -> str | None:
    if color is None:
        return None
    if color.type == "rgb":
        return str(color.rgb)
    if color.type == "theme":
        return f"theme:{color.theme}:{color.tint}"
    if color.type == "indexed":
        return f"indexed:{color.indexed}"
    return None


def _fill(fill: Any) -> str | None:
    """The visible colour of a pattern fill (cells hand out style proxies, so no isinstance check)."""
    fill_type = getattr(fill, "fill_type", None)
    if fill_type is None:
        return None
    # Cell fills carry the colour in fgColor; differential (conditional) fills in bgColor.
    colour = _colour(getattr(fill, "fgColor", None))
    return colour if fill_type == "solid" else f"{fill_type}:{colour}"


def _has_border(border: Any) -> bool:
    return any(getattr(getattr(border, side, None), "style", None) for side in ("left", "right", "top", "bottom"))


def _properties(workbook: Workbook, include_times: bool) -> Dump:
    props = workbook.properties
    out: Dump = {}
    for name in _TEXT_PROPERTIES:
        value = getattr(props, name, None)
        if value is not None:
            out[name] = value
    if include_times:
        for name in _TIME_PROPERTIES:
            value = getattr(props, name, None)
            if value is not None:
                out[name] = _json_value(value)
    custom = getattr(workbook, "custom_doc_props", None)  # not in types-openpyxl
    if custom is not None and len(custom):
        out["custom"] = {prop.name: _json_value(prop.value) for prop in custom}
    return out


def _protection(sheet: Worksheet) -> Dump:
    protection = sheet.protection
    out: Dump = {"sheet": bool(protection.sheet), "password": bool(protection.password)}
    if protection.sheet:
        out["allowed"] = sorted(
            name
            for name in (
                "formatCells",
                "formatColumns",
                "formatRows",
                "insertColumns",
                "insertRows",
                "insertHyperlinks",
                "deleteColumns",
                "deleteRows",
                "sort",
                "autoFilter",
                "pivotTables",
            )
            if getattr(protection, name) is False  # False in the file = allowed while protected
        )
    return out


def _print_setup(sheet: Worksheet) -> Dump:
    setup = sheet.page_setup
    page_props = sheet.sheet_properties.pageSetUpPr
    return {
        "orientation": setup.orientation,
        "paper_size": setup.paperSize,
        "fit_to_page": bool(page_props.fitToPage) if page_props is not None else False,
        "fit_to_width": setup.fitToWidth,
        "fit_to_height": setup.fitToHeight,
        "title_rows": sheet.print_title_rows,
        "title_cols": sheet.print_title_cols,
        "area": sheet.print_area,
    }


def _column_widths(sheet: Worksheet) -> Dump:
    out: Dump = {}
    for key, dimension in sorted(sheet.column_dimensions.items()):
        if dimension.customWidth or dimension.width != 13:
            out[key] = dimension.width
        if dimension.hidden:
            out[f"{key}.hidden"] = True
    return out


def _row_heights(sheet: Worksheet) -> Dump:
    return {
        str(row): dimension.height
        for row, dimension in sorted(sheet.row_dimensions.items())
        if dimension.height is not None
    }


def _tables(sheet: Worksheet) -> list[Dump]:
    out = []
    for table in sheet.tables.values():
        style = table.tableStyleInfo
        out.append(
            {
                "name": table.displayName,
                "ref": table.ref,
                "columns": [column.name for column in table.tableColumns],
                "style": style.name if style is not None else None,
                "row_stripes": bool(style.showRowStripes) if style is not None else None,
                "header_rows": table.headerRowCount,
                "totals_rows": table.totalsRowCount,
            }
        )
    return sorted(out, key=lambda table: str(table["name"]))


def _validations(sheet: Worksheet) -> list[Dump]:
    out = []
    for validation in sheet.data_validations.dataValidation:
        out.append(
            {
                "type": validation.type,
                "operator": validation.operator,
                "formula1": validation.formula1,
                "formula2": validation.formula2,
                "sqref": sorted(str(ref) for ref in validation.sqref.ranges),
                "allow_blank": bool(validation.allow_blank),
                "hide_dropdown": bool(validation.showDropDown),  # Excel's showDropDown=1 hides the arrow
                "show_error": bool(validation.showErrorMessage),
                "error_title": validation.errorTitle,
                "error": validation.error,
                "show_prompt": bool(validation.showInputMessage),
                "prompt_title": validation.promptTitle,
                "prompt": validation.prompt,
            }
        )
    return sorted(out, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))


def _conditional_formats(sheet: Worksheet) -> list[Dump]:
    out = []
    for formatting in sheet.conditional_formatting:
        for rule in formatting.rules:
            dxf = rule.dxf
            fill = None
            font_colour = None
            if dxf is not None:
                if isinstance(dxf.fill, PatternFill):
                    fill = _colour(dxf.fill.bgColor) or _colour(dxf.fill.fgColor)
                if dxf.font is not None:
                    font_colour = _colour(dxf.font.color)
            out.append(
                {
                    "range": str(formatting.sqref),
                    "type": rule.type,
                    "operator": rule.operator,
                    "formula": list(rule.formula),
                    "stop": bool(rule.stopIfTrue),
                    "fill": fill,
                    "font_colour": font_colour,
                }
            )
    return sorted(out, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))


def _cell(cell: Cell, protected: bool) -> Dump | None:
    """A cell with a value or a non-default look; None for plain empty cells."""
    out: Dump = {}
    if cell.value is not None:
        out["value"] = _json_value(cell.value)
        if cell.data_type == "f":
            out["formula"] = True
    if cell.number_format != _GENERAL:
        out["format"] = cell.number_format
    if cell.font is not None and cell.font.bold:
        out["bold"] = True
    fill = _fill(cell.fill)
    if fill is not None:
        out["fill"] = fill
    if _has_border(cell.border):
        out["border"] = True
    if cell.alignment is not None and cell.alignment.wrap_text:
        out["wrap"] = True
    if protected and cell.protection is not None and not cell.protection.locked:
        out["unlocked"] = True
    if not out:
        return None
    if protected and "unlocked" not in out:
        out["locked"] = True
    return out


def _cells(sheet: Worksheet) -> Dump:
    protected = bool(sheet.protection.sheet)
    out: Dump = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            dumped = _cell(cell, protected)
            if dumped is not None:
                out[cell.coordinate] = dumped
    return out


def _charts(sheet: Worksheet) -> list[Dump]:
    out = []
    charts: list[Any] = getattr(sheet, "_charts", [])  # private in openpyxl, missing from types-openpyxl
    for chart in charts:
        anchor = getattr(chart.anchor, "_from", None)
        out.append(
            {
                "type": type(chart).__name__,
                "anchor": [anchor.row, anchor.col] if anchor is not None else None,
                "series": len(chart.series),
            }
        )
    return out


def _sheet(sheet: Worksheet) -> Dump:
    return {
        "title": sheet.title,
        "state": sheet.sheet_state,
        "freeze_panes": sheet.freeze_panes,
        "gridlines": bool(sheet.sheet_view.showGridLines),
        "protection": _protection(sheet),
        "print": _print_setup(sheet),
        "column_widths": _column_widths(sheet),
        "row_heights": _row_heights(sheet),
        "merged": sorted(str(merged) for merged in sheet.merged_cells.ranges),
        "tables": _tables(sheet),
        "data_validations": _validations(sheet),
        "conditional_formatting": _conditional_formats(sheet),
        "charts": _charts(sheet),
        "images": len(getattr(sheet, "_images", [])),
        "cells": _cells(sheet),
    }


def canonical_dump(source: str | os.PathLike[str] | bytes, include_times: bool = False) -> Dump:
    """Deterministic, JSON-serialisable description of the workbook at ``source`` (a path or xlsx bytes)."""
    workbook = _load(source)
    return {
        "properties": _properties(workbook, include_times),
        "defined_names": sorted(workbook.defined_names.keys()),
        "sheets": [_sheet(sheet) for sheet in workbook.worksheets],
        "chartsheets": [
            {"title": sheet.title, "charts": len(getattr(sheet, "_charts", []))} for sheet in workbook.chartsheets
        ],
    }


def dump_json(dump: Dump) -> str:
    """The dump as stable text: sorted keys, one-space indent, UTF-8 characters kept."""
    return json.dumps(dump, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
