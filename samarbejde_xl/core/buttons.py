"""What each ribbon button and its CLI twin write, computed without any Excel library.

Every button is read → compute here → apply through an engine (``samarbejde_xl.engine``): the rules a button
follows (the next free id, a duplicate id, which meeting a new Mødetjekliste row is for, a duplicate registration)
live here once, whether the workbook is a file or open in Excel.

Which meeting a registration is for (issue 14; the coordinator can always choose another kind):

1. the open meeting (snart, forfalden, planlagt) whose window contains the meeting date — the earliest window end
   when several do;
2. else the most overdue open meeting (the earliest window end before the meeting date);
3. else the next regular meeting (quarterly or follow-up) still to come: a meeting held a little early still moves
   the rolling clock on, as it is a meeting with the young person;
4. else an extra meeting: a milestone is never prefilled before its window opens.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from samarbejde_xl import schema
from samarbejde_xl.core.check import check_data
from samarbejde_xl.core.errors import ActionError
from samarbejde_xl.core.meetings import KIND_ORDER, MeetingPlan, PlannedMeeting, plan_meetings
from samarbejde_xl.core.migrate import require_current_layout
from samarbejde_xl.core.model import Case, WorkbookData, case_id_key
from samarbejde_xl.core.parse import parse_workbook
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.raw import CellValue, RawSheet, RawWorkbook, used_rows
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.sheet_writes import CellWrite, SheetWrites, TableWrite, problem_marks, problem_rows
from samarbejde_xl.core.sheet_writes import workbook_writes as refresh_writes_of

REGULAR_KINDS = frozenset({"quarterly", "follow_up"})
"""The meetings the plan repeats (not milestones, not extra)."""


@dataclass(frozen=True)
class WorkbookCheck:
    """A workbook read, checked and planned: what validate, plan, refresh and the ribbon all start from."""

    data: WorkbookData
    settings: Settings
    problems: tuple[Problem, ...]
    plans: dict[str, MeetingPlan]  # by case sheet name

    def case(self, case_id: str) -> Case:
        """The case with ``case_id`` (as written, else as :func:`case_id_key` compares ids: "u-0001" finds
        "U-0001"); ActionError naming the ids there are when none has it."""
        found = next((case for case in self.data.cases if case.case_id == case_id), None) or next(
            (case for case in self.data.cases if case_id_key(case.case_id) == case_id_key(case_id)), None
        )
        if found is None:
            known = ", ".join(case.case_id for case in self.data.cases) or "none"
            raise ActionError(f"{self.data.file}: ingen ung har id'et {case_id!r} (id'er i projektmappen: {known})")
        return found


def check_parsed(
    data: WorkbookData, read_problems: Sequence[Problem], *, today: date, base_settings: Settings = DEFAULT_SETTINGS
) -> WorkbookCheck:
    settings, problems = check_data(data, read_problems, base_settings, today)
    plans = {case.sheet: plan_meetings(case, data.meetings_for(case.case_id), settings, today) for case in data.cases}
    return WorkbookCheck(data, settings, tuple(problems), plans)


def check_for_writing(raw: RawWorkbook, *, today: date, base_settings: Settings = DEFAULT_SETTINGS) -> WorkbookCheck:
    """``raw`` parsed and checked; a workbook of an older template is refused, as every button writes into it."""
    data, problems = parse_workbook(raw)
    require_current_layout(data)
    return check_parsed(data, problems, today=today, base_settings=base_settings)


# --------------------------------------------------------------------------------------------------
# Opdatér mødeplan, Oversigt, Validér
# --------------------------------------------------------------------------------------------------


def refresh_writes(check: WorkbookCheck, today: date) -> SheetWrites:
    """Everything Opdatér mødeplan (refresh) writes: computed case cells, Oversigt, Fejl and the marks."""
    return refresh_writes_of(check.data, check.plans, check.problems, check.settings, today)


def validation_writes(check: WorkbookCheck) -> SheetWrites:
    """What Validér writes: the Fejl list and the marks, nothing else."""
    problems = TableWrite(
        schema.SHEET_PROBLEMS, schema.PROBLEMS_FIRST_ROW, len(schema.PROBLEMS_COLUMNS), problem_rows(check.problems)
    )
    return SheetWrites((), (problems,), problem_marks(check.problems))


# --------------------------------------------------------------------------------------------------
# Ny sag
# --------------------------------------------------------------------------------------------------


def next_case_id(cases: Sequence[Case]) -> str:
    """The next free pseudonymous id U-NNNN after the highest in ``cases``."""
    numbers = [int(case.case_id[2:]) for case in cases if case.case_id[:2] == "U-" and case.case_id[2:].isdigit()]
    return f"U-{max(numbers, default=0) + 1:04d}"


@dataclass(frozen=True)
class NewCase:
    case_id: str
    sheet: str
    writes: SheetWrites  # the id and a refresh of the whole workbook with the new case in it
    check: WorkbookCheck  # of the workbook with the new case


def _empty_case_sheet(name: str, case_id: str) -> RawSheet:
    """What a fresh copy of Sagsskabelon holds for the parser: its title and the id (the rest is empty)."""
    cells: dict[tuple[int, int], CellValue] = {
        schema.parse_cell(schema.CASE_TITLE_CELL): schema.CASE_SHEET_TITLE,
        schema.parse_cell(schema.CASE_FIELDS_BY_KEY["case_id"].cell): case_id,
    }
    last_row = max(row for row, _ in cells)
    last_column = max(column for _, column in cells)
    rows: list[list[CellValue]] = [[None] * last_column for _ in range(last_row)]
    for (row, column), value in cells.items():
        rows[row - 1][column - 1] = value
    return RawSheet(name, rows)


def new_case(
    raw: RawWorkbook, *, today: date, case_id: str | None = None, base_settings: Settings = DEFAULT_SETTINGS
) -> NewCase:
    """The new case sheet's id and name and what the workbook then needs written (the ids must stay unique)."""
    data, _ = parse_workbook(raw)
    require_current_layout(data)
    new_id = (case_id or next_case_id(data.cases)).strip()
    taken = next((case.case_id for case in data.cases if case_id_key(case.case_id) == case_id_key(new_id)), None)
    if taken is not None:
        spelled = "" if taken == new_id else f" (skrevet {taken!r}; store og små bogstaver og mellemrum tæller ikke)"
        raise ActionError(
            f"{raw.file}: der findes allerede en sag med id'et {new_id!r}{spelled}. Vælg et andet id med --id"
        )
    name = schema.case_sheet_name(new_id)
    if name.casefold() in {sheet.casefold() for sheet in raw.sheets}:  # Excel compares names case-insensitively
        raise ActionError(f"{raw.file}: projektmappen har allerede et ark, der hedder {name!r}. Vælg et andet Ung-id")
    grown = RawWorkbook(raw.file, {**raw.sheets, name: _empty_case_sheet(name, new_id)})
    check = check_for_writing(grown, today=today, base_settings=base_settings)
    writes = refresh_writes(check, today)
    id_cell = CellWrite(name, schema.CASE_FIELDS_BY_KEY["case_id"].cell, new_id)
    return NewCase(new_id, name, dataclasses.replace(writes, values=(id_cell, *writes.values)), check)


# --------------------------------------------------------------------------------------------------
# Registrér møde
# --------------------------------------------------------------------------------------------------


def prefilled_kind(plan: MeetingPlan, day: date) -> str:
    """The MEETING_KIND code a registration on ``day`` is for (the rule in the module docstring)."""

    def order(planned: PlannedMeeting) -> tuple[date, int]:
        return planned.window_end, KIND_ORDER.get(planned.kind, len(KIND_ORDER))

    open_meetings = [planned for planned in plan.meetings if planned.is_open]
    covering = [planned for planned in open_meetings if planned.window_start <= day <= planned.window_end]
    if covering:
        return min(covering, key=order).kind
    overdue = [planned for planned in open_meetings if planned.window_end < day]
    if overdue:
        return min(overdue, key=order).kind
    regular = [planned for planned in open_meetings if planned.kind in REGULAR_KINDS and planned.window_start > day]
    if regular:
        return min(regular, key=order).kind
    return "extra"


@dataclass(frozen=True)
class Registration:
    case_id: str
    row: int  # the Mødetjekliste row written
    kind: str  # MEETING_KIND code
    attended: bool | None  # None: "Den unge deltog" left for the coordinator
    writes: tuple[CellWrite, ...]


def next_checklist_row(raw: RawWorkbook) -> int:
    """The first Mødetjekliste row below every row holding anything."""
    return schema.CHECKLIST_FIRST_ROW + used_rows(raw, schema.SHEET_CHECKLIST, schema.CHECKLIST_FIRST_ROW)


def register_meeting(
    check: WorkbookCheck,
    raw: RawWorkbook,
    *,
    case_id: str,
    day: date,
    kind: str | None = None,
    attended: bool | None = None,
    allow_duplicate: bool = False,
    allow_hint: str = "",
) -> Registration:
    """The Mødetjekliste row for a meeting with ``case_id`` on ``day``: kind as given or prefilled, attendance as
    given. A second registration of the same young person on the same day is refused unless ``allow_duplicate``;
    ``allow_hint`` tells how to ask for it where the registration came from (a CLI option, a cell)."""
    case = check.case(case_id)
    if not allow_duplicate:
        earlier = [m for m in check.data.meetings if m.case_id == case.case_id and m.date == day]
        if earlier:
            raise ActionError(
                f"{check.data.file}: {case.case_id} har allerede et møde den {day:%d-%m-%Y} i "
                f"{schema.SHEET_CHECKLIST} (række {earlier[0].row}). Ret den række i stedet{allow_hint}."
            )
    chosen_kind, chosen_attended, clear = _coordinator_choice(raw, case.sheet)
    if kind is None:
        kind = chosen_kind if chosen_kind is not None else prefilled_kind(check.plans[case.sheet], day)
    if attended is None:
        attended = chosen_attended
    values: dict[str, CellValue] = {
        "case_id": case.case_id,
        "date": day,
        "kind": schema.MEETING_KIND.label_of(kind),
    }
    if attended is not None:
        values["young_person_present"] = schema.YES if attended else schema.NO
    row = next_checklist_row(raw)
    writes = [CellWrite(schema.SHEET_CHECKLIST, schema.checklist_cell(row, key), v) for key, v in values.items()]
    writes.extend(CellWrite(case.sheet, cell, None) for cell in clear)
    return Registration(case.case_id, row, kind, attended, tuple(writes))


def _coordinator_choice(raw: RawWorkbook, sheet_name: str) -> tuple[str | None, bool | None, list[str]]:
    """Kind and attendance the coordinator picked on the case sheet (``schema.CASE_REGISTRATION_FIELDS``), and the
    cells holding a choice (emptied once the row is written). Anything but a listed value is refused by name."""
    sheet = raw.sheets[sheet_name]
    fields = schema.CASE_FIELDS_BY_KEY
    picked: dict[str, str] = {}
    clear: list[str] = []
    for key, choice in (("register_kind", schema.MEETING_KIND), ("register_attended", schema.YES_NO)):
        field = fields[key]
        value = sheet.value(field.row, field.column)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        code = choice.code_of(value) if isinstance(value, str) else None
        if code is None:
            options = ", ".join(choice.labels)
            raise ActionError(
                f"{raw.file}: arket {sheet_name}, celle {field.cell} ({field.label}): {value!r} er ikke en af "
                f"værdierne på listen. Vælg en af {options}, eller tøm cellen, og prøv igen."
            )
        picked[key] = code
        clear.append(field.cell)
    attended = picked.get("register_attended")
    return picked.get("register_kind"), None if attended is None else attended == "yes", clear
