"""The actions xlwings' Office.js client can carry out: the ribbon handlers may emit no others.

A handler writes through xlwings' remote Book API, which records each change as an action (``book.json()``) that
the Office.js client in Excel replays by name. An action the client lacks fails in Excel only, at the moment a
guide presses the button, so the contract test checks every handler against this list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SOURCE = (
    "xlwings/xlwings-server, commit 88620030ee48643d4eff789728cc3aecf302be38 (2026-08-19, tag 1.12.0 + 4), "
    "xlwings_server/static/js/custom-scripts/index.js, the `funcs` map that runActions() dispatches through "
    "(file last changed in 9bdfc039, 2026-06-14); that server pins xlwings>=0.36.17. It is the newest public "
    "Office.js client source: xlwings' own repository ships only the Office Scripts and Google Apps Script "
    "clients (xlwings/js), and the official Lite add-in's 0.37.x client is not published. The pinned "
    "xlwings==0.37.8 Python side can record more actions (addNote, deleteNote, copySheet, setFormula, ...) than "
    "this client registers, so this list is the conservative contract."
)
"""Where ``SUPPORTED_ACTIONS`` was taken from."""

SUPPORTED_ACTIONS: frozenset[str] = frozenset(
    {
        "activateSheet",
        "addHyperlink",
        "addPicture",
        "addSheet",
        "addTable",
        "alert",
        "copyFromRange",
        "copyRange",
        "deletePicture",
        "freezePaneAtRange",
        "freezePaneUnfreeze",
        "nameDelete",
        "namesAdd",
        "rangeAdjustIndent",
        "rangeClear",
        "rangeClearContents",
        "rangeClearFormats",
        "rangeDelete",
        "rangeGroup",
        "rangeInsert",
        "rangeSelect",
        "rangeUngroup",
        "resizeTable",
        "runMacro",
        "setAutofit",
        "setFontProperty",
        "setNumberFormat",
        "setPictureHeight",
        "setPictureName",
        "setPictureWidth",
        "setRangeColor",
        "setRangeName",
        "setSheetName",
        "setTableName",
        "setTableStyle",
        "setValues",
        "sheetClear",
        "sheetClearContents",
        "sheetClearFormats",
        "sheetDelete",
        "showAutofilterTable",
        "showHeadersTable",
        "showTotalsTable",
        "updatePicture",
    }
)
"""The 44 action names the Office.js client registers (``SOURCE``)."""


def unsupported_actions(recorded: Iterable[Mapping[str, Any]]) -> list[str]:
    """The names, in first-use order, of recorded actions the Office.js client does not implement."""
    return list(dict.fromkeys(str(action["func"]) for action in recorded if action["func"] not in SUPPORTED_ACTIONS))
