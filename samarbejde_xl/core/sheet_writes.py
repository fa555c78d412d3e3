"""What the tools write back into a case workbook, worked out without any Excel library.

The refresh command (openpyxl, on a file) and the ribbon handlers (xlwings, in a live Excel) apply the same
``SheetWrites``: computed cells on each case sheet (age, next meeting, life areas, the meeting plan, the scores
over time), the Oversigt rows, one mark per problem cell, and the Fejl list. Nothing here touches a cell people type in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from samarbejde_xl import schema
from samarbejde_xl.core.dates import age_in_years
from samarbejde_xl.core.meetings import MeetingPlan
from samarbejde_xl.core.model import Case, Meeting, WorkbookData
from samarbejde_xl.core.outcomes import outcome_text, status_history
from samarbejde_xl.core.problems import Problem, Severity
from samarbejde_xl.core.raw import CellValue
from samarbejde_xl.core.settings import Settings

MARK_AUTHOR = "samarbejde-xl"
"""Author of the comments the tools add: marks by this author are the tools' own and are replaced on refresh."""


@dataclass(frozen=True)
class CellWrite:
    sheet: str
    cell: str
    value: CellValue  # None clears the cell


@dataclass(frozen=True)
class CellMark:
    """A problem shown on the cell it concerns: a fill by severity and a comment."""

    sheet: str
    cell: str
    severity: Severity
    comment: str


@dataclass(frozen=True)
class TableWrite:
    """Rows written from ``first_row`` down; every row below them (to the sheet's end) is cleared."""

    sheet: str
    first_row: int
    columns: int
    rows: tuple[tuple[CellValue, ...], ...]


@dataclass(frozen=True)
class SheetWrites:
    values: tuple[CellWrite, ...]
    tables: tuple[TableWrite, ...]
    marks: tuple[CellMark, ...]


def _next_meeting_cells(plan: MeetingPlan | None) -> tuple[CellValue, CellValue, CellValue]:
    if plan is None or plan.missing:
        return "Mangler data", None, None
    if plan.ended:
        return "Forløbet er afsluttet", None, None
    next_due = plan.next_due
    if next_due is None:
        return "Ingen planlagte møder", None, None
    overdue = len(plan.overdue)
    status = next_due.status_label if overdue < 2 else f"{next_due.status_label} ({overdue} forfaldne møder)"
    return next_due.label, next_due.window_end, status


def _scored_by_date(meetings: Sequence[Meeting]) -> list[Meeting]:
    return sorted((m for m in meetings if m.date is not None and m.scores), key=lambda m: (m.date, m.row))


def _life_area_rows(meetings: Sequence[Meeting]) -> list[tuple[CellValue, ...]]:
    dated = _scored_by_date(meetings)
    rows: list[tuple[CellValue, ...]] = []
    for code, label in schema.LIFE_AREA.values:
        scored = [(m.date, m.scores[code]) for m in dated if code in m.scores]
        if not scored:
            rows.append((label, None, None, None, None, None))
            continue
        (first_date, first), (latest_date, latest) = scored[0], scored[-1]
        rows.append((label, first, first_date, latest, latest_date, latest - first))
    return rows


def score_history_rows(meetings: Sequence[Meeting]) -> list[tuple[CellValue, ...]]:
    """The latest scored meetings, oldest first (the chart's x axis): the date and each area's score, empty where
    that meeting left the area unscored (the chart shows a gap, not a zero)."""
    latest = _scored_by_date(meetings)[-schema.CASE_SCORE_HISTORY_ROWS :]
    return [(m.date, *(m.scores.get(code) for code in schema.LIFE_AREA.codes)) for m in latest]


def _plan_rows(plan: MeetingPlan | None) -> list[tuple[CellValue, ...]]:
    if plan is None:
        return []
    # A long course has more past follow-ups than the block has rows: open meetings and milestones first, then
    # the latest held follow-up or quarterly meetings, so no missed meeting drops off the sheet.
    room = schema.CASE_BLOCKS_BY_KEY["plan"].rows
    ranked = sorted(
        range(len(plan.meetings)),
        key=lambda index: (
            not plan.meetings[index].is_open,
            plan.meetings[index].kind in ("follow_up", "quarterly"),
            -index,
        ),
    )
    kept = sorted(ranked[:room])
    return [
        (planned.label, planned.due, planned.window_start, planned.window_end, planned.held_on, planned.status_label)
        for planned in (plan.meetings[index] for index in kept)
    ]


def _block_writes(sheet: str, block: schema.Block, rows: Sequence[tuple[CellValue, ...]]) -> Iterable[CellWrite]:
    """Fill a computed block and clear the rest of it (stale rows from an earlier refresh disappear)."""
    for index in range(block.rows):
        values = rows[index] if index < len(rows) else (None,) * len(block.columns)
        for column, value in zip(block.columns, values, strict=True):
            yield CellWrite(sheet, block.cell(index, column.key), value)


def case_writes(
    case: Case, plan: MeetingPlan | None, meetings: Sequence[Meeting], settings: Settings, today: date
) -> list[CellWrite]:
    """Computed cells of one case sheet."""
    fields = schema.CASE_FIELDS_BY_KEY
    kind, due, status = _next_meeting_cells(plan)
    outcome = outcome_text(status_history(meetings), settings)
    age = age_in_years(case.birth_date, today) if case.birth_date else None
    writes = [
        CellWrite(case.sheet, fields["age"].cell, age),
        CellWrite(case.sheet, fields["next_meeting_kind"].cell, kind),
        CellWrite(case.sheet, fields["next_meeting_due"].cell, due),
        CellWrite(case.sheet, fields["next_meeting_status"].cell, status),
        CellWrite(case.sheet, fields["outcome"].cell, outcome),
        CellWrite(case.sheet, fields["refreshed_on"].cell, today),
    ]
    writes.extend(_block_writes(case.sheet, schema.CASE_BLOCKS_BY_KEY["life_areas"], _life_area_rows(meetings)))
    writes.extend(_block_writes(case.sheet, schema.CASE_BLOCKS_BY_KEY["plan"], _plan_rows(plan)))
    writes.extend(_block_writes(case.sheet, schema.CASE_BLOCKS_BY_KEY["score_history"], score_history_rows(meetings)))
    return writes


def overview_rows(
    data: WorkbookData, plans: dict[str, MeetingPlan], problems: Sequence[Problem], today: date
) -> tuple[tuple[CellValue, ...], ...]:
    counts: dict[str, list[int]] = {}
    for problem in problems:
        if problem.case_id:
            pair = counts.setdefault(problem.case_id, [0, 0])
            pair[0 if problem.severity is Severity.ERROR else 1] += 1
    rows = []
    for case in data.cases:
        plan = plans.get(case.sheet)
        kind, due, status = _next_meeting_cells(plan)
        errors, warnings = counts.get(case.case_id, [0, 0])
        values: dict[str, CellValue] = {
            "case_id": case.case_id,
            "initials": case.initials,
            "coordinator": case.coordinator,
            "variant": case.variant,
            "age": age_in_years(case.birth_date, today) if case.birth_date else None,
            "next_meeting_kind": kind,
            "next_meeting_due": due,
            "status": status,
            "errors": errors,
            "warnings": warnings,
        }
        rows.append(tuple(values[column.key] for column in schema.OVERVIEW_COLUMNS))
    return tuple(rows)


def problem_rows(problems: Sequence[Problem]) -> tuple[tuple[CellValue, ...], ...]:
    ordered = sorted(problems, key=_problem_order)
    return tuple((p.severity.value, p.code, p.sheet, p.cell, p.message) for p in ordered)


def _problem_order(problem: Problem) -> tuple[int, str, int, int, str]:
    row, column = schema.parse_cell(problem.cell) if problem.cell else (0, 0)
    return (0 if problem.severity is Severity.ERROR else 1, problem.sheet, row, column, problem.code)


def problem_marks(problems: Sequence[Problem]) -> tuple[CellMark, ...]:
    """One mark per cell; several problems in one cell share it (the worst severity wins)."""
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for problem in sorted(problems, key=_problem_order):
        if problem.cell:
            by_cell.setdefault((problem.sheet, problem.cell), []).append(problem)
    marks = []
    for (sheet, cell), cell_problems in by_cell.items():
        severity = Severity.ERROR if any(p.severity is Severity.ERROR for p in cell_problems) else Severity.WARNING
        comment = "\n".join(f"{p.severity.value.capitalize()}: {p.message}" for p in cell_problems)
        marks.append(CellMark(sheet, cell, severity, comment))
    return tuple(marks)


def workbook_writes(
    data: WorkbookData,
    plans: dict[str, MeetingPlan],
    problems: Sequence[Problem],
    settings: Settings,
    today: date,
) -> SheetWrites:
    """Everything refresh writes: computed case cells, Oversigt, Fejl and the problem marks."""
    values: list[CellWrite] = []
    for case in data.cases:
        values.extend(case_writes(case, plans.get(case.sheet), data.meetings_for(case.case_id), settings, today))
    tables = (
        TableWrite(
            schema.SHEET_OVERVIEW,
            schema.OVERVIEW_FIRST_ROW,
            len(schema.OVERVIEW_COLUMNS),
            overview_rows(data, plans, problems, today),
        ),
        TableWrite(
            schema.SHEET_PROBLEMS, schema.PROBLEMS_FIRST_ROW, len(schema.PROBLEMS_COLUMNS), problem_rows(problems)
        ),
    )
    return SheetWrites(tuple(values), tables, problem_marks(problems))
