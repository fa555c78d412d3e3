"""Writes to a live workbook are batched into rectangles (the text prefix: tests/test_addin_writes.py)."""

from __future__ import annotations

import datetime as dt

from samarbejde_xl import schema
from samarbejde_xl.addin.book import CASE_SHEET_EXTENT, blocks, frozen_range, write_values
from samarbejde_xl.core.sheet_writes import CellWrite


def test_a_rectangle_becomes_one_block() -> None:
    cells = {(row, column): f"{row}:{column}" for row in range(5, 8) for column in range(2, 5)}
    assert blocks(cells) == [(5, 2, [[f"{r}:{c}" for c in range(2, 5)] for r in range(5, 8)])]


def test_ragged_cells_split_into_rows_and_gaps() -> None:
    cells = {(1, 1): "a", (1, 2): "b", (2, 1): "c", (2, 2): "d", (3, 1): "e", (3, 3): "f"}
    assert blocks(cells) == [(1, 1, [["a", "b"], ["c", "d"]]), (3, 1, [["e"]]), (3, 3, [["f"]])]


class FakeRange:
    def __init__(self, log: list[tuple[str, object, object]], first: object, last: object) -> None:
        self.log, self.first, self.last = log, first, last

    @property
    def value(self) -> object:
        raise AssertionError("not read")

    @value.setter
    def value(self, value: object) -> None:
        self.log.append(("value", self.first, value))

    @property
    def number_format(self) -> str:
        raise AssertionError("not read")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self.log.append(("format", (self.first, self.last), value))


class FakeSheet:
    def __init__(self) -> None:
        self.log: list[tuple[str, object, object]] = []

    def range(self, first: object, last: object = None) -> FakeRange:
        return FakeRange(self.log, first, last)


class FakeBook:
    def __init__(self) -> None:
        self.sheets = {"U-0001": FakeSheet()}


def test_the_plan_block_of_a_case_sheet_is_one_call_with_dates_formatted() -> None:
    plan = schema.CASE_BLOCKS_BY_KEY["plan"]
    writes = [
        CellWrite(
            "U-0001", plan.cell(index, column.key), dt.date(2026, 1, 1) if column.kind is schema.Kind.DATE else "x"
        )
        for index in range(plan.rows)
        for column in plan.columns
    ]
    book = FakeBook()
    write_values(book, writes)
    log = book.sheets["U-0001"].log
    assert [entry[0] for entry in log].count("value") == 1
    date_columns = sum(1 for column in plan.columns if column.kind is schema.Kind.DATE)
    assert [entry[0] for entry in log].count("format") == date_columns


def test_office_js_freezes_the_rows_and_columns_before_the_first_scrolling_cell() -> None:
    assert [frozen_range(cell) for cell in ("A4", "B1", "C4")] == ["1:3", "A:A", "A1:B3"]


def test_a_lite_case_sheet_copies_every_cell_the_template_lays_out() -> None:
    """Sagsskabelon's labels, entry cells and blocks (their empty rows too) lie inside the copied range."""
    first, last = CASE_SHEET_EXTENT.split(":")
    assert schema.parse_cell(first) == (1, 1)
    last_row, last_column = schema.parse_cell(last)
    cells = [field.cell for field in schema.CASE_FIELDS_BY_KEY.values()]
    cells += [field.label_cell for field in schema.CASE_FIELDS_BY_KEY.values()]
    cells += [
        schema.cell_address(block.last_row, block.first_col + offset)
        for block in schema.CASE_BLOCKS
        for offset in range(len(block.columns))
    ]
    assert max(schema.parse_cell(cell)[0] for cell in cells) == last_row
    assert max(schema.parse_cell(cell)[1] for cell in cells) <= last_column
