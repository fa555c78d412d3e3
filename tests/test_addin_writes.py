"""The ribbon's writes keep text as text and dates as dates in a Danish Excel.

There is no Excel here. xlwings' remote engine records what the ribbon's write path hands Excel (``setValues``:
what COM's Range.Value and Office.js ``values`` receive, dates as ISO text); ``danish_excel_entry`` then does what
Excel does with such a value: it parses a string as if typed, in the PC's locale (Danish: decimal comma,
day-month dates), unless it carries the text prefix (a leading apostrophe). The model errs towards converting, so a
write path that leaves a convertible string bare fails here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest

from samarbejde_xl.addin import book as live
from samarbejde_xl.addin.values import excel_cell_value
from samarbejde_xl.core.sheet_writes import CellWrite

SHEET = "U-0001"
TODAY = dt.date(2026, 12, 3)


class Formula(str):
    """A cell Excel turned into a formula."""


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?(e[+-]?\d+)?%?$", re.IGNORECASE)
_DAY_MONTH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})([-/.](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})( \d{2}:\d{2}:\d{2})?$")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_NAMED_MONTH = re.compile(rf"^(\d{{1,2}})[-. ]+({'|'.join(_MONTH_NAMES)})\w*([-. ]+(\d{{2}}|\d{{4}}))?$", re.I)


def danish_excel_entry(value: Any, today: dt.date = TODAY) -> Any:
    """The cell a Danish Excel makes of ``value`` written through Range.Value / ``values`` (General format)."""
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]  # the text prefix: stored as typed, shown without the apostrophe
    text = value.strip()
    if text.startswith(("=", "+", "-", "@")) and len(text) > 1 and not _NUMBER.match(text):
        return Formula(text)
    if text.upper() in {"SAND", "FALSK", "TRUE", "FALSE"}:
        return text.upper() in {"SAND", "TRUE"}
    if _NUMBER.match(text):
        number = text.rstrip("%").replace(".", "").replace(",", ".")
        return float(number) / (100 if text.endswith("%") else 1)
    for pattern in (_ISO, _DAY_MONTH, _NAMED_MONTH):
        match = pattern.match(text)
        if match is None:
            continue
        try:
            if pattern is _ISO:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            month = int(match[2]) if pattern is _DAY_MONTH else _MONTH_NAMES.index(match[2][:3].lower()) + 1
            year = today.year if match[4] is None else int(match[4]) + (2000 if len(match[4]) == 2 else 0)
            return dt.date(year, month, int(match[1]))
        except ValueError:
            return text  # not a real date: Excel keeps the text
    return value


def test_the_model_converts_what_excel_converts() -> None:
    """Without the prefix, a Danish Excel turns these into numbers, dates and formulas (so the test below can fail)."""
    assert danish_excel_entry("00123") == 123
    assert danish_excel_entry("1,5") == 1.5
    assert danish_excel_entry("1-2") == dt.date(TODAY.year, 2, 1)
    assert danish_excel_entry("3-12-2026") == dt.date(2026, 12, 3)
    assert danish_excel_entry("2026-12-03") == dt.date(2026, 12, 3)
    assert danish_excel_entry("1. maj") == dt.date(TODAY.year, 5, 1)
    assert isinstance(danish_excel_entry("=1+1"), Formula)
    assert danish_excel_entry("SAND") is True
    assert danish_excel_entry("AB") == "AB"


@pytest.fixture
def xw() -> Any:
    if os.environ.get("XLWINGS_LICENSE_KEY") != "noncommercial":
        pytest.skip("set XLWINGS_LICENSE_KEY=noncommercial to run the remote-engine tests")
    import xlwings

    return xlwings


def _book(xw: Any, rows: int, columns: int) -> Any:
    payload = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": "sag.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [
            {
                "name": SHEET,
                "values": [[""] * columns for _ in range(rows)],
                "pictures": [],
                "tables": [],
                "notes": [],
                "visibility": "Visible",
            }
        ],
    }
    return xw.Book(json=payload)


def _cells_after(recorded: list[dict[str, Any]]) -> dict[tuple[int, int], Any]:
    """Apply the recorded value writes cell by cell, through the Danish Excel model."""
    cells: dict[tuple[int, int], Any] = {}
    for action in recorded:
        if action["func"] != "setValues":
            continue
        for r, row in enumerate(action["values"]):
            for c, value in enumerate(row):
                cells[(action["start_row"] + r + 1, action["start_column"] + c + 1)] = danish_excel_entry(value)
    return cells


TEXTS = ["00123", "1-2", "=1+1", "1,5", "SAND", "U-0001", "AB", "+45 12345678", "'citat", "3. maj", "2026-12-03"]


@pytest.mark.remote_engine
def test_text_stays_text_and_dates_stay_dates_through_the_ribbons_write_path(xw: Any) -> None:
    meeting = dt.date(2026, 2, 1)
    writes = [CellWrite(SHEET, f"B{row}", text) for row, text in enumerate(TEXTS, start=2)]
    writes += [
        CellWrite(SHEET, "C2", meeting),
        CellWrite(SHEET, "C3", dt.datetime(2026, 2, 1, 0, 0)),
        CellWrite(SHEET, "C4", 7),
    ]
    book = _book(xw, 20, 5)
    live.write_values(book, writes)
    recorded = book.json()["actions"]
    cells = _cells_after(recorded)
    assert [cells[(row, 2)] for row in range(2, 2 + len(TEXTS))] == TEXTS
    assert not any(isinstance(cells[(row, 2)], Formula) for row in range(2, 2 + len(TEXTS)))
    assert cells[(2, 3)] == cells[(3, 3)] == meeting and cells[(4, 3)] == 7
    # Date cells also get the date format (so a Danish Excel shows 01-02-2026, not a serial number).
    formats = [a for a in recorded if a["func"] == "setNumberFormat"]
    assert [(a["start_row"] + 1, a["start_column"] + 1, a["row_count"]) for a in formats] == [(2, 3, 2)]


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        ("00123", "'00123"),
        ("1-2", "'1-2"),
        ("=1+1", "'=1+1"),
        ("", None),
        (None, None),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 1)),
        (dt.datetime(2026, 2, 1, 9, 30), dt.datetime(2026, 2, 1, 9, 30)),
        (3.5, 3.5),
        (True, True),
    ],
)
def test_what_com_receives(value: object, sent: object) -> None:
    """Through COM the same values go to Range.Value: text with its prefix, dates as dates (xlwings sends VT_DATE)."""
    assert excel_cell_value(value) == sent
    assert type(excel_cell_value(value)) is type(sent)


def test_no_locale_dependent_formula_property_anywhere_in_the_addin() -> None:
    """A formula set through FormulaLocal means one thing in a Danish Excel and another in an English one; the
    add-in writes values only, and a formula, if ever, through Range.Formula (xlwings' ``formula``)."""
    root = Path(__file__).resolve().parents[1]
    sources = [*(root / "samarbejde_xl" / "addin").glob("*.py"), *(root / "macros").glob("*.bas")]
    sources = [path for path in sources if path.name != "xlwings.bas"]  # xlwings' own module, checked elsewhere
    local = re.compile(r"formula_?(r1c1)?_?local", re.IGNORECASE)
    assert sources and [path.name for path in sources if local.search(path.read_text(encoding="utf-8"))] == []
