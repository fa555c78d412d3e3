"""Issue 14 point 8: each young person's life-area scores over time, on the case sheet (block ``score_history``)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from samarbejde_xl import actions, schema
from samarbejde_xl.core.model import Case, Meeting
from samarbejde_xl.core.settings import DEFAULTS
from samarbejde_xl.core.sheet_writes import case_writes, score_history_rows
from samarbejde_xl.workbook.package import PackageEditor

REPO_ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 10, 1)
CASE_ID = "U-0001"
BLOCK = schema.CASE_BLOCKS_BY_KEY["score_history"]
CODES = schema.LIFE_AREA.codes


def _scored(row: int, day: date | None, scores: dict[str, int]) -> Meeting:
    return Meeting(row, CASE_ID, day, "follow_up", True, scores=scores)


def test_rows_are_the_scored_meetings_oldest_first_with_gaps_for_unscored_areas() -> None:
    meetings = [
        _scored(5, date(2026, 6, 1), {"social": 6, "housing": 8}),
        _scored(2, date(2025, 12, 1), {"social": 3, "economy": 4}),
        _scored(3, date(2026, 3, 2), {}),  # held but not scored: no point on the chart
        _scored(4, None, {"social": 9}),  # no date: nowhere on the x axis
        _scored(6, date(2026, 6, 1), {"social": 7}),  # same day, later row: after row 5
    ]
    empty = (None,) * (len(CODES) - 2)
    assert score_history_rows(meetings) == [
        (date(2025, 12, 1), 3, 4, *empty),
        (date(2026, 6, 1), 6, *(None,) * (len(CODES) - 2), 8),
        (date(2026, 6, 1), 7, None, *empty),
    ]
    assert CODES[:2] == ("social", "economy") and CODES[-1] == "housing"  # the order the rows above assume


def test_only_the_latest_meetings_fit_and_they_stay_in_date_order() -> None:
    rows = schema.CASE_SCORE_HISTORY_ROWS
    days = [date(2023 + (n * 3) // 12, (n * 3) % 12 + 1, 10) for n in range(rows + 2)]  # quarterly from 2023-01
    meetings = [_scored(2 + n, day, dict.fromkeys(CODES, 1 + n % 10)) for n, day in enumerate(days)]
    history = score_history_rows(list(reversed(meetings)))
    assert len(history) == rows
    assert [row[0] for row in history] == days[2:]  # the two oldest drop off
    assert history[0] == (date(2023, 7, 10), *(3,) * len(CODES))
    assert history[-1] == (date(2026, 4, 10), *(4,) * len(CODES))


def _block_cells(meetings: list[Meeting]) -> dict[str, object]:
    case = Case(CASE_ID, CASE_ID)
    writes = case_writes(case, None, meetings, DEFAULTS, TODAY)
    block_cells = {BLOCK.cell(index, column.key) for index in range(BLOCK.rows) for column in BLOCK.columns}
    cells = {write.cell: write.value for write in writes if write.cell in block_cells}
    assert set(cells) == block_cells  # every cell of the block is written, filled or cleared
    return cells


def test_refresh_clears_the_rows_of_meetings_that_went_away() -> None:
    three = [
        _scored(2, date(2026, 1, 5), {"social": 2}),
        _scored(3, date(2026, 4, 6), {"social": 4}),
        _scored(4, date(2026, 7, 6), {"social": 5}),
    ]
    cells = _block_cells(three)
    assert [cells[BLOCK.cell(i, "social")] for i in range(4)] == [2, 4, 5, None]
    cells = _block_cells(three[:1])  # two rows deleted from Mødetjekliste since the last refresh
    assert cells[BLOCK.cell(0, "date")] == date(2026, 1, 5) and cells[BLOCK.cell(0, "social")] == 2
    assert all(
        value is None for cell, value in cells.items() if cell not in {BLOCK.cell(0, "date"), BLOCK.cell(0, "social")}
    )
    assert all(value is None for value in _block_cells([]).values())


def test_refresh_writes_the_scores_over_time_onto_the_new_case_sheet(tmp_path: Path) -> None:
    workbook = tmp_path / "vejleder.xlsx"
    shutil.copy(REPO_ROOT / "workbook_templates" / "samarbejde.xlsx", workbook)
    result = actions.new_case(workbook, in_place=True, today=TODAY, now=datetime(2026, 10, 1, 9))
    sheet, case_id = str(result.detail["sheet"]), str(result.detail["case_id"])
    editor = PackageEditor(workbook.read_bytes())
    for day, base in ((date(2026, 3, 2), 5), (date(2026, 1, 5), 2)):  # entered out of date order
        row: dict[str, Any] = {
            "case_id": case_id,
            "date": day,
            "kind": dict(schema.MEETING_KIND.values)["follow_up"],
            "young_person_present": schema.YES,
        }
        row.update({schema.SCORE_PREFIX + code: base + i % 3 for i, code in enumerate(CODES)})
        editor.append_checklist_row(row)
    workbook.write_bytes(editor.to_bytes())
    output = tmp_path / "opdateret.xlsx"
    actions.refresh_workbook(workbook, output, today=TODAY, now=datetime(2026, 10, 1, 10))
    case_sheet = load_workbook(output)[sheet]

    def values(index: int) -> list[object]:
        row = [case_sheet.cell(BLOCK.first_row + index, column).value for column in range(1, BLOCK.last_col + 1)]
        return [v.date() if isinstance(v, datetime) else v for v in row]

    assert values(0) == [date(2026, 1, 5), 2, 3, 4, 2, 3, 4, 2, 3, 4, 2]
    assert values(1) == [date(2026, 3, 2), 5, 6, 7, 5, 6, 7, 5, 6, 7, 5]
    assert values(2) == [None] * (len(CODES) + 1)
    assert case_sheet.cell(BLOCK.title_row, 1).value == BLOCK.title
