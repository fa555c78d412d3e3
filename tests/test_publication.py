"""The politicians' summary as data (core/publication.py): what may be published, decided before anything is written;
and, through the files consolidate writes, that the politicians' workbook holds nothing of the internal overdue list."""

from __future__ import annotations

import re
import zipfile
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_writer import _life_area, _outcome_table, make_result

from samarbejde_xl import schema
from samarbejde_xl.consolidation import consolidate
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.publication import Mark, PoliticiansSummary, Table, politicians_summary
from samarbejde_xl.core.quarter import parse_quarter
from samarbejde_xl.fileio import is_report_workbook

ROOT = Path(__file__).resolve().parents[1]


def _walk(value: Any) -> list[Any]:
    """Every leaf of a summary (strings, numbers, marks)."""
    if is_dataclass(value) and not isinstance(value, type):
        return [leaf for field in fields(value) for leaf in _walk(getattr(value, field.name))]
    if isinstance(value, tuple):
        return [leaf for item in value for leaf in _walk(item)]
    return [value]


def _counts(table: Table, columns: range) -> list[int | Mark]:
    """The cells of ``columns`` (count columns) in every row, the total row included."""
    rows = [*table.rows, *((table.total,) if table.total else ())]
    return [row.cells[column] for row in rows for column in columns]  # type: ignore[misc]


def _count_cells(summary: PoliticiansSummary) -> list[int | Mark | float]:
    cells: list[Any] = []
    for table in (summary.caseload_by_variant, summary.caseload_by_age_band):
        cells += _counts(table, range(3))
    cells += _counts(summary.outcomes, range(1))
    cells += _counts(summary.meetings, range(2))
    cells += _counts(summary.life_areas, range(1))
    if summary.survey is not None:
        cells += _counts(summary.survey, range(4))
    return cells


@pytest.fixture(scope="module")
def summary() -> PoliticiansSummary:
    return politicians_summary(make_result(), 5)


def test_every_published_count_is_zero_or_at_least_min_count(summary: PoliticiansSummary) -> None:
    counts = _count_cells(summary)
    numbers = [cell for cell in counts if not isinstance(cell, Mark)]
    assert numbers and all(isinstance(cell, int) for cell in numbers)
    assert all(cell == 0 or cell >= 5 for cell in numbers), numbers  # type: ignore[operator]
    assert Mark.SMALL in counts and Mark.HIDDEN in counts  # control: the hand-built figures have small counts


def test_the_summary_holds_no_id_file_guide_or_date(summary: PoliticiansSummary) -> None:
    result = make_result()
    leaves = _walk(summary)
    texts = [leaf for leaf in leaves if isinstance(leaf, str)]
    assert not [leaf for leaf in leaves if isinstance(leaf, date | datetime)]
    secrets = {row.case_id for row in result.overdue} | {row.file for row in result.overdue}
    secrets |= {row.coordinator for row in result.overdue} | {row.file for row in result.data_quality}
    assert not [text for text in texts if any(secret in text for secret in secrets)]
    assert not re.search(r"U-\d{4}", " ".join(texts))


def test_small_counts_are_marked_and_their_shares_hidden(summary: PoliticiansSummary) -> None:
    # outcome counts 1, 27, 5, 2, 3, 2, 8 of 48: the four small ones add up to 8, each can still be 1..4.
    rows = summary.outcomes.rows
    assert [row.cells[0] for row in rows] == [Mark.SMALL, 27, 5, Mark.SMALL, Mark.SMALL, Mark.SMALL, 8]
    assert [row.cells[1] for row in rows if row.cells[0] is Mark.SMALL] == [Mark.HIDDEN] * 4
    assert rows[1].cells[1] == pytest.approx(27 / 48)
    assert summary.outcomes.total is not None and summary.outcomes.total.cells == (48, 1.0)


def test_life_areas_are_suppressed_on_their_counts_not_on_rounded_shares() -> None:
    # 7 scored: 2 improved, 3 unchanged, 2 worsened. Each count is small, so no share is published; a share rounded
    # back from a float (2/7 * 7 = 1.9999…) plays no part.
    area, label = schema.LIFE_AREA.values[0]
    result = make_result(life_areas=(_life_area(area, label, 7, 4.0, 5.0, (2, 3, 2)),))
    row = politicians_summary(result, 5).life_areas.rows[0]
    assert row.cells == (7, 4.0, 5.0, Mark.HIDDEN, Mark.HIDDEN)
    shown = politicians_summary(result, 2).life_areas.rows[0]
    # Nothing hidden: improved, unchanged and worsened are rounded together (29 + 43 + 28 = 100 %), as in the report.
    assert shown.cells == (7, 4.0, 5.0, pytest.approx(0.29), pytest.approx(0.28))


def _percents(cells: list[Any]) -> list[int]:
    """Shares as the sheet shows them: whole percent."""
    return [round(cell * 100) for cell in cells]


def test_outcome_shares_add_up_to_100_when_no_count_is_hidden() -> None:
    # 6, 6 and 7 of 19: each rounded on its own 32 + 32 + 37 = 101 % next to "I alt 100 %".
    counts = [6, 6, 7, 0, 0, 0, 0]
    assert sum(round(count / 19 * 100) for count in counts) == 101  # control: naive rounding does not add up
    table = politicians_summary(make_result(outcomes=_outcome_table("all", "Alle", counts)), 5).outcomes
    assert [row.cells[0] for row in table.rows] == counts
    shares = [row.cells[1] for row in table.rows]
    assert not [cell for cell in shares if isinstance(cell, Mark)]
    assert sum(_percents(shares)) == 100
    assert _percents(shares) == [32, 31, 37, 0, 0, 0, 0]  # the largest remainders (7's, then the first 6's) round up
    assert table.total is not None and table.total.cells == (19, 1.0)
    assert not table.shares_rounded_apart


def test_outcome_shares_beside_hidden_counts_stay_hidden_and_are_flagged() -> None:
    table = politicians_summary(make_result(outcomes=_outcome_table("all", "Alle", [6, 6, 7, 2, 3, 0, 0])), 5).outcomes
    shares = [row.cells[1] for row in table.rows]
    assert shares[3:5] == [Mark.HIDDEN, Mark.HIDDEN]
    assert shares[:3] == [pytest.approx(6 / 24), pytest.approx(6 / 24), pytest.approx(7 / 24)]  # each on its own
    assert table.shares_rounded_apart  # the sheet says the shown shares need not add up to 100 %


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=7, max_size=7), st.integers(1, 6))
def test_published_outcome_shares_add_up_to_100_unless_a_count_is_hidden(counts: list[int], min_count: int) -> None:
    table = politicians_summary(make_result(outcomes=_outcome_table("all", "Alle", counts)), min_count).outcomes
    shares = [row.cells[1] for row in table.rows]
    if any(isinstance(row.cells[0], Mark) for row in table.rows) or not sum(counts):
        assert table.shares_rounded_apart == (sum(counts) > 0 and not isinstance(table.total.cells[0], Mark))  # type: ignore[union-attr]
    else:
        assert sum(_percents(shares)) == 100
        assert not table.shares_rounded_apart


def test_nobody_scored_shows_zero_and_nothing_else() -> None:
    area, label = schema.LIFE_AREA.values[0]
    result = make_result(life_areas=(_life_area(area, label, 0, 0, 0, (0, 0, 0)),))
    assert politicians_summary(result, 5).life_areas.rows[0].cells == (0, *(Mark.NONE,) * 4)


def test_min_count_one_publishes_every_count(summary: PoliticiansSummary) -> None:
    result = make_result()
    everything = politicians_summary(result, 1)
    assert Mark.SMALL not in everything.cells() and Mark.HIDDEN not in everything.cells()
    assert [row.cells[0] for row in everything.outcomes.rows] == [row.count for row in result.outcomes.rows]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=7, max_size=7), st.integers(3, 6))
def test_no_small_outcome_count_can_be_worked_out(counts: list[int], min_count: int) -> None:
    # From 3: with min_count 2 core.suppression lets a lone 1 stand beside its total ("<2" says 1 anyway).
    result = make_result(outcomes=_outcome_table("all", "Alle", counts))
    table = politicians_summary(result, min_count).outcomes
    shown = [row.cells[0] for row in table.rows]
    for count, cell in zip(counts, shown, strict=True):
        assert cell == count or isinstance(cell, Mark)  # nothing published is wrong
        assert not (0 < count < min_count and not isinstance(cell, Mark))  # a small count is never published
    assert table.total is not None
    total, total_share = table.total.cells
    hidden = [cell for cell in shown if isinstance(cell, Mark)]
    if not isinstance(total, Mark):
        assert total == sum(counts)
        assert len(hidden) != 1  # one hidden cell beside a published total would follow from it
    for row in table.rows:  # a share only beside a published count and total
        count_cell, share_cell = row.cells
        assert isinstance(share_cell, Mark) or not (isinstance(count_cell, Mark) or isinstance(total, Mark))
    assert isinstance(total_share, Mark) == (isinstance(total, Mark) or total == 0)


# --------------------------------------------------------------------------------------------------
# Through the written files
# --------------------------------------------------------------------------------------------------


def _texts(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_the_politicians_workbook_holds_nothing_of_the_overdue_list(tmp_path: Path) -> None:
    report = tmp_path / "ud" / "rapport.xlsx"
    run = consolidate(
        [ROOT / "examples"], report, today=date(2026, 10, 1), quarter=parse_quarter("2026Q3"), history=None, jobs=1
    )
    assert run.politicians == tmp_path / "ud" / "rapport-politikere.xlsx"
    assert run.result.overdue, "control: the examples have overdue meetings"
    text = _texts(run.politicians)
    words = set(re.findall(r"[\w-]+", text))
    sheets = {case.sheet for facts in run.facts for case in facts.cases}
    held = {row.case_id for row in run.result.overdue} | sheets | {row.coordinator for row in run.result.overdue}
    assert held and not held & words, held & words
    period = {run.result.quarter.start, run.result.quarter.end, run.result.as_of}  # the subtitle's, no one's own
    days = {day for row in run.result.overdue for day in (row.due, row.window_end)} - period
    assert days
    written = {form for day in days for form in (day.isoformat(), day.strftime("%d-%m-%Y"))}
    assert not [form for form in written if form in text]
    assert "<c:" in text or "sammenfatning til politikere" in text  # control: the search sees the summary
    internal = _texts(report)
    assert any(case_id in internal for case_id in held)  # control: the internal report does hold the list
    with zipfile.ZipFile(report) as package:
        assert schema.REPORT_SHEET_POLITICIANS not in package.read("xl/workbook.xml").decode("utf-8")
    assert "rapport-politikere.xlsx" in internal  # the report says where the summary is


def test_an_earlier_report_and_summary_among_the_workbooks_are_skipped(tmp_path: Path) -> None:
    report = tmp_path / "rapport.xlsx"
    first = consolidate(
        [ROOT / "examples"], report, today=date(2026, 10, 1), quarter=parse_quarter("2026Q3"), history=None, jobs=1
    )
    assert first.politicians is not None
    assert is_report_workbook(report) and is_report_workbook(first.politicians)
    folder = tmp_path / "inddata"
    folder.mkdir()
    for source in sorted((ROOT / "examples").glob("*.xlsx")):
        (folder / source.name).write_bytes(source.read_bytes())
    for earlier in (report, first.politicians):
        (folder / earlier.name).write_bytes(earlier.read_bytes())
    again = consolidate(
        [folder], tmp_path / "ny.xlsx", today=date(2026, 10, 1), quarter=parse_quarter("2026Q3"), history=None, jobs=1
    )
    assert sorted(Path(name).name for name in again.result.skipped_reports) == sorted(
        ["rapport.xlsx", "rapport-politikere.xlsx"]
    )
    assert again.exit_code == 0
    assert replace(again.result.counts) == first.result.counts


def test_the_summary_is_never_written_over_the_report_or_an_input(tmp_path: Path) -> None:
    report = tmp_path / "rapport.xlsx"
    workbook = sorted((ROOT / "examples").glob("*.xlsx"))[0]
    before = workbook.read_bytes()
    for politicians, message in ((report, "samme fil som rapporten"), (workbook, "inputfilen")):
        with pytest.raises(SamarbejdeError, match=message):
            consolidate([ROOT / "examples"], report, today=date(2026, 10, 1), jobs=1, politicians=politicians)
    assert not report.exists() and workbook.read_bytes() == before
