"""What the politicians may see: the summary for directors and politicians, with the suppression audit applied.

:func:`politicians_summary` turns the figures into tables of typed cells; a renderer (``report/politicians.py``)
only lays them out. A cell is a number that may be published (a count, a share 0..1 or an average score), or a
:class:`Mark`: ``SMALL`` (a count from 1 to ``min_count - 1``, primary suppression, shown as "<5"), ``HIDDEN``
(hidden so that a small count cannot be worked out from the totals: complementary suppression, hidden totals,
shares of hidden counts; shown as "x") or ``NONE`` (nothing to show: no denominator).

Only aggregates reach this module's output: no id, name, initials, file or sheet name, no date of a single young
person. Suppression works on counts (:mod:`samarbejde_xl.core.suppression`); a share is published only when its
count and its total are. Shares that split a whole are rounded by the largest remainder method
(:mod:`samarbejde_xl.core.percentages`), so that they add up to 100 % as shown, like the internal report's, when no
count of the whole is hidden; when one is, each share stands on its own (rounding them together would say something
about the hidden counts) and the table says so (:attr:`Table.shares_rounded_apart`). Related tables are suppressed
together: the caseload by variant and by age band count the same young people (shared column totals); the meeting at
18½ is nested in the milestones (one table with row and column totals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from samarbejde_xl.core.figures import CaseloadRow, Figures, LifeAreaRow, MeetingStats, share
from samarbejde_xl.core.percentages import largest_remainder
from samarbejde_xl.core.suppression import (
    SuppressedTable,
    suppress_count,
    suppress_counts,
    suppress_shared_totals,
    suppress_table,
)
from samarbejde_xl.core.survey import SurveyResult


class Mark(Enum):
    """A cell that shows no number."""

    SMALL = "small"  # a count from 1 to min_count - 1
    HIDDEN = "hidden"  # hidden so that no small count can be worked out
    NONE = "none"  # nothing to show (no denominator)


Cell = int | float | Mark
"""A published count, share (0..1) or average, or a :class:`Mark`."""


@dataclass(frozen=True)
class Row:
    labels: tuple[str, ...]  # the text columns (Danish)
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    total: Row | None = None
    shares_rounded_apart: bool = False  # some shares stand beside hidden counts: shown, they may not add up to 100 %


@dataclass(frozen=True)
class PoliticiansSummary:
    """The politicians' summary of one period. Column order is fixed per table (see each field)."""

    min_count: int
    caseload_by_variant: Table  # active, started, ended; total row
    caseload_by_age_band: Table  # the same columns; the same total row (the same young people)
    outcomes: Table  # labels (category, group); count, share of the registered; total row
    meetings: Table  # count, on time / took part, share
    life_areas: Table  # young people (n), first score, latest score, share improved, share worsened
    survey: Table | None  # one count per answer, answers in all, one share per answer; None without a survey

    def cells(self) -> tuple[Cell, ...]:
        """Every cell of every table (privacy checks)."""
        tables = (
            self.caseload_by_variant,
            self.caseload_by_age_band,
            self.outcomes,
            self.meetings,
            self.life_areas,
            *((self.survey,) if self.survey else ()),
        )
        rows = [row for table in tables for row in (*table.rows, *((table.total,) if table.total else ()))]
        return tuple(cell for row in rows for cell in row.cells)


MILESTONES_LABEL = "Milepælsmøder (start, 16, 17½ og 18½ år)"
M18_5_LABEL = "Heraf møde ved 18½ år"
ATTENDANCE_LABEL = "Møder hvor den unge deltog"
TOTAL_LABEL = "I alt"


def politicians_summary(figures: Figures, min_count: int) -> PoliticiansSummary:
    """The summary for directors and politicians: counts below ``min_count`` hidden, with complementary suppression
    so that none can be worked out from what is shown."""
    by_variant, by_band = _caseload(figures.caseload_by_variant, figures.caseload_by_age_band, min_count)
    return PoliticiansSummary(
        min_count=min_count,
        caseload_by_variant=by_variant,
        caseload_by_age_band=by_band,
        outcomes=_outcomes(figures, min_count),
        meetings=_meetings(figures.meetings, min_count),
        life_areas=Table(tuple(_life_area(row, min_count) for row in figures.life_areas)),
        survey=_survey(figures.survey, min_count) if figures.survey is not None else None,
    )


def _shown(value: int | None) -> Cell:
    return Mark.HIDDEN if value is None else value


def _shown_share(count: int | None, total: int | None) -> Cell:
    """A share of a hidden count, or of a hidden total, is hidden ("x", never the small marker: "<5" in a percent
    column would read as "under 5 %"); a share of nothing is none."""
    if count is None or total is None:
        return Mark.HIDDEN
    value = share(count, total)
    return Mark.NONE if value is None else value


def _split_shares(counts: Sequence[int | None], total: int | None) -> tuple[tuple[Cell, ...], bool]:
    """The shares of ``counts`` (the parts of ``total``; ``None`` = hidden) and whether they were rounded apart.

    When every part and the total are published the shares are rounded together (largest remainder, whole percent):
    shown, they add up to 100 %. Else each published share is its count over the total, rounded when shown, and a
    hidden part's share is hidden; the shown shares then need not add up to 100 %."""
    known = [count for count in counts if count is not None]
    if total is not None and len(known) == len(counts) and sum(known) == total:
        return tuple(Mark.NONE if value is None else value for value in largest_remainder(known)), False
    return tuple(_shown_share(count, total) for count in counts), total is not None and total > 0


def _marked_grid(table: SuppressedTable) -> list[list[Cell]]:
    """The extended grid of a suppressed table as published: values, SMALL for primary cells, else HIDDEN."""
    return [
        [Mark.SMALL if table.is_primary(row, col) else _shown(value) for col, value in enumerate(cells)]
        for row, cells in enumerate(table.grid())
    ]


def _suppress_caseload(tables: list[list[list[int]]], min_count: int) -> tuple[SuppressedTable, ...]:
    """The caseload by variant and by age band count the same young people, so their column totals are one number:
    suppressed together. Tables whose totals differ (not expected from ``aggregate``) share nothing: each alone."""
    if len({tuple(map(sum, zip(*rows, strict=True))) for rows in tables}) == 1:
        return suppress_shared_totals(tables, min_count=min_count)
    return tuple(suppress_table(rows, row_totals=False, column_totals=True, min_count=min_count) for rows in tables)


def _caseload(by_variant: Sequence[CaseloadRow], by_band: Sequence[CaseloadRow], min_count: int) -> tuple[Table, Table]:
    groups = (by_variant, by_band)
    suppressed = _suppress_caseload(
        [[[row.active, row.started, row.ended] for row in rows] for rows in groups], min_count
    )
    tables = []
    for rows, table in zip(groups, suppressed, strict=True):
        *inner, totals = _marked_grid(table)
        tables.append(
            Table(
                tuple(Row((row.label,), tuple(cells)) for row, cells in zip(rows, inner, strict=True)),
                Row((TOTAL_LABEL,), tuple(totals)),
            )
        )
    return tables[0], tables[1]


def _outcomes(figures: Figures, min_count: int) -> Table:
    rows = figures.outcomes.rows
    suppressed = suppress_counts([row.count for row in rows], min_count=min_count)
    total = suppressed.row_totals[0]
    *marked, marked_total = _marked_grid(suppressed)[0]
    shares, apart = _split_shares(suppressed.cells[0], total)
    return Table(
        tuple(
            Row((row.label, row.group), (shown, part)) for row, shown, part in zip(rows, marked, shares, strict=True)
        ),
        Row((TOTAL_LABEL, ""), (marked_total, 1.0 if total else Mark.NONE)),
        shares_rounded_apart=apart,
    )


def _meetings(meetings: MeetingStats, min_count: int) -> Table:
    """All milestones and, of those, the meeting at 18½; and the young person's attendance. The milestone rows are
    nested: the milestones other than 18½ (not shown) follow from the two, so the counts are suppressed as one table
    with row and column totals (rows 18½ and the others, columns held in window and not). Such a table marks every
    hidden value HIDDEN (``core.suppression``)."""
    held, due = meetings.milestones_held_in_window, meetings.milestones_due
    held_18, due_18 = meetings.m18_5_held_in_window, meetings.m18_5_due
    table = suppress_table(
        [[held_18, due_18 - held_18], [held - held_18, (due - due_18) - (held - held_18)]], min_count=min_count
    )
    shown_held, shown_due = table.column_totals[0], table.grand_total
    shown_held_18, shown_due_18 = table.cells[0][0], table.row_totals[0]
    attendance = meetings.young_person
    pair = suppress_counts([attendance.present, attendance.meetings - attendance.present], min_count=min_count)
    present, _absent, recorded = _marked_grid(pair)[0]
    return Table(
        (
            Row((MILESTONES_LABEL,), (_shown(shown_due), _shown(shown_held), _shown_share(shown_held, shown_due))),
            Row(
                (M18_5_LABEL,),
                (_shown(shown_due_18), _shown(shown_held_18), _shown_share(shown_held_18, shown_due_18)),
            ),
            Row((ATTENDANCE_LABEL,), (recorded, present, _shown_share(pair.cells[0][0], pair.row_totals[0]))),
        )
    )


def _life_area(row: LifeAreaRow, min_count: int) -> Row:
    """An area's young people (n) and averages are published when n is not small; its improved and worsened shares
    when their counts are safe together with n (n is always shown, so a line safe only with its total hidden shows
    neither share). Improved, unchanged and worsened split n: rounded together when none is hidden (the same
    shares as the internal report's)."""
    if not row.n:
        return Row((row.label,), (0, Mark.NONE, Mark.NONE, Mark.NONE, Mark.NONE))
    if suppress_count(row.n, min_count) is None:
        return Row((row.label,), (Mark.SMALL, Mark.HIDDEN, Mark.HIDDEN, Mark.HIDDEN, Mark.HIDDEN))
    line = suppress_counts([row.improved_count, row.unchanged_count, row.worsened_count], min_count=min_count)
    moves = line.cells[0] if line.row_totals[0] is not None else (None, None, None)
    (improved, _unchanged, worsened), _apart = _split_shares(moves, row.n)
    return Row(
        (row.label,),
        (
            row.n,
            Mark.NONE if row.first_avg is None else row.first_avg,
            Mark.NONE if row.latest_avg is None else row.latest_avg,
            improved,
            worsened,
        ),
    )


def _survey(survey: SurveyResult, min_count: int) -> Table:
    """Per statement: the count of each answer, the answers in all, and each answer's share of them (a row's shares
    split its answers: rounded together when none is hidden)."""
    table = suppress_table(
        [list(row.counts) for row in survey.rows], row_totals=True, column_totals=False, min_count=min_count
    )
    grid = _marked_grid(table)
    rows, any_apart = [], False
    for index, row in enumerate(survey.rows):
        shares, apart = _split_shares(table.cells[index], table.row_totals[index])
        any_apart |= apart
        rows.append(Row((row.label,), (*grid[index], *shares)))
    return Table(tuple(rows), shares_rounded_apart=any_apart)
