"""A missed meeting never disappears (issue 14): the plan, Oversigt, the case sheet's plan and the report's overdue
list show each missed meeting as "forfalden" until a meeting holds it, in each variant and quarterly mode.

A young person born 10-05-2008 is included on 15-01-2025 (psykisk) or 01-06-2023 (udsatte) and has a start
meeting; then two periods pass without a meeting, then a meeting is held, then another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from samarbejde_xl import schema
from samarbejde_xl.core.aggregate import aggregate
from samarbejde_xl.core.facts import workbook_facts
from samarbejde_xl.core.meetings import plan_meetings
from samarbejde_xl.core.model import Case, Meeting, WorkbookData
from samarbejde_xl.core.quarter import quarter_of
from samarbejde_xl.core.settings import Settings, settings_from
from samarbejde_xl.core.sheet_writes import case_writes, overview_rows

CASE_ID = "U-0001"


@dataclass(frozen=True)
class Missed:
    id: str
    variant: str
    inclusion: date
    start_meeting: date
    overrides: dict[str, object]
    before: date  # a day after both periods were missed
    missed: tuple[date, ...]  # due dates of the two missed meetings (hand-computed)
    first_meeting: date  # holds the first missed meeting late
    second_meeting: date  # holds the second
    current: tuple[date, ...] = ()  # meetings before them that hold their own (calendar) quarter


CASES = [
    # Rolling quarters from the start meeting 20-01: due 20-04 (window to 20-05) and 20-07 (to 19-08) are missed.
    Missed(
        "psykisk-rolling",
        "psykisk",
        date(2025, 1, 15),
        date(2025, 1, 20),
        {},
        date(2025, 8, 31),
        (date(2025, 4, 20), date(2025, 7, 20)),
        date(2025, 9, 1),
        date(2025, 9, 20),
    ),
    # Calendar quarters: Q2 (window 01-04 … 30-06) and Q3 (01-07 … 30-09) have no meeting; the first meeting in
    # Q4 (01-10) holds Q4 itself, the next ones hold Q2 and Q3 late.
    Missed(
        "psykisk-calendar",
        "psykisk",
        date(2025, 1, 15),
        date(2025, 1, 20),
        {"quarterly_mode": "calendar"},
        date(2025, 10, 5),
        (date(2025, 6, 30), date(2025, 9, 30)),
        date(2025, 10, 10),
        date(2025, 10, 20),
        current=(date(2025, 10, 1),),
    ),
    # Follow-ups every 3 months after the start meeting 10-06-2023: due 10-09 and 10-12-2023 are missed.
    Missed(
        "udsatte-follow-up",
        "udsatte",
        date(2023, 6, 1),
        date(2023, 6, 10),
        {},
        date(2024, 1, 15),
        (date(2023, 9, 10), date(2023, 12, 10)),
        date(2024, 1, 20),
        date(2024, 2, 1),
    ),
]


def _case(spec: Missed) -> Case:
    return Case(
        CASE_ID,
        CASE_ID,
        birth_date=date(2008, 5, 10),
        variant=spec.variant,
        inclusion_date=spec.inclusion,
        coordinator="KA",
    )


def _meetings(spec: Missed, *days: date) -> list[Meeting]:
    kind = "quarterly" if spec.variant == "psykisk" else "follow_up"
    held = [Meeting(2, CASE_ID, spec.start_meeting, "start", True)]
    held += [Meeting(3 + index, CASE_ID, day, kind, True) for index, day in enumerate((*spec.current, *days))]
    return held


def _missed_dues(spec: Missed, meetings: list[Meeting], settings: Settings, today: date) -> dict[date, str]:
    plan = plan_meetings(_case(spec), meetings, settings, today)
    return {p.due: p.status for p in plan.meetings if p.due in spec.missed}


def _report_overdue(spec: Missed, meetings: list[Meeting], settings: Settings, today: date) -> list[date]:
    data = WorkbookData("guide.xlsx", schema.TEMPLATE_VERSION, cases=(_case(spec),), meetings=tuple(meetings))
    quarter = quarter_of(today)  # a quarter not yet ended: its reporting day is today, so the list is today's
    facts = workbook_facts(data, (), settings, quarter, today)
    result = aggregate([facts], quarter=quarter, today=today)
    assert result.meetings.overdue_count == len(result.overdue)
    return sorted(row.due for row in result.overdue if row.due in spec.missed)


def _oversigt_status(spec: Missed, meetings: list[Meeting], settings: Settings, today: date) -> str:
    case = _case(spec)
    data = WorkbookData("guide.xlsx", schema.TEMPLATE_VERSION, cases=(case,), meetings=tuple(meetings))
    plan = plan_meetings(case, meetings, settings, today)
    (row,) = overview_rows(data, {case.sheet: plan}, (), today)
    status = row[schema.overview_column("status") - 1]
    assert isinstance(status, str)
    return status


def _case_sheet_statuses(spec: Missed, meetings: list[Meeting], settings: Settings, today: date) -> dict[date, str]:
    case = _case(spec)
    plan = plan_meetings(case, meetings, settings, today)
    block = schema.CASE_BLOCKS_BY_KEY["plan"]
    cells = {write.cell: write.value for write in case_writes(case, plan, meetings, settings, today)}
    statuses = {}
    for index in range(block.rows):
        due = cells[block.cell(index, "due")]
        if isinstance(due, date) and due in spec.missed:
            status = cells[block.cell(index, "status")]
            assert isinstance(status, str)
            statuses[due] = status
    return statuses


@pytest.mark.parametrize("spec", CASES, ids=[spec.id for spec in CASES])
def test_missed_meetings_stay_overdue_until_held(spec: Missed) -> None:
    settings = settings_from(spec.overrides)
    first, second = spec.missed
    # Both periods missed: plan, case sheet, Oversigt and report show both.
    nothing = _meetings(spec)
    assert _missed_dues(spec, nothing, settings, spec.before) == {first: "overdue", second: "overdue"}
    assert _case_sheet_statuses(spec, nothing, settings, spec.before) == {first: "forfalden", second: "forfalden"}
    assert _oversigt_status(spec, nothing, settings, spec.before) == "forfalden (2 forfaldne møder)"
    assert _report_overdue(spec, nothing, settings, spec.before) == [first, second]

    # One meeting later: the first missed one is held late, the second still shows everywhere.
    today = spec.second_meeting - (spec.second_meeting - spec.first_meeting) // 2
    once = _meetings(spec, spec.first_meeting)
    assert _missed_dues(spec, once, settings, today) == {first: "held_late", second: "overdue"}
    assert _case_sheet_statuses(spec, once, settings, today) == {first: "afholdt for sent", second: "forfalden"}
    assert _oversigt_status(spec, once, settings, today) == "forfalden"
    assert _report_overdue(spec, once, settings, today) == [second]

    # A second meeting holds the other one: nothing missed is left.
    twice = _meetings(spec, spec.first_meeting, spec.second_meeting)
    assert _missed_dues(spec, twice, settings, spec.second_meeting) == {first: "held_late", second: "held_late"}
    assert _report_overdue(spec, twice, settings, spec.second_meeting) == []


def test_a_long_course_keeps_every_missed_meeting_on_the_case_sheet() -> None:
    """40+ planned meetings (udsatte from 15 to 23 with one meeting a year) exceed the plan block's rows: open
    meetings and milestones come first, so every missed follow-up still shows."""
    spec = CASES[2]
    settings = settings_from({})
    # Held on every due date for four years (16 held follow-ups), then nothing for three years (12 missed).
    days = [date(2023 + (8 + 3 * index) // 12, (8 + 3 * index) % 12 + 1, 10) for index in range(16)]
    meetings = [Meeting(2 + index, CASE_ID, day, "follow_up", True) for index, day in enumerate(days)]
    today = date(2030, 9, 1)
    plan = plan_meetings(_case(spec), meetings, settings, today)
    open_count = sum(p.is_open for p in plan.meetings)
    block = schema.CASE_BLOCKS_BY_KEY["plan"]
    assert len(plan.meetings) > block.rows and open_count < block.rows
    cells = {write.cell: write.value for write in case_writes(_case(spec), plan, meetings, settings, today)}
    shown = [cells[block.cell(index, "status")] for index in range(block.rows)]
    assert shown.count("forfalden") == len(plan.overdue) > 0


def _mark(spec: Missed, kind: str, day: date, row: int = 90) -> Meeting:
    """A Mødetjekliste row that marks a required meeting not relevant (the young person did not take part)."""
    return Meeting(row, CASE_ID, day, kind, False, not_relevant_reason="Indlagt hele perioden")


@pytest.mark.parametrize("spec", CASES, ids=[spec.id for spec in CASES])
def test_a_missed_meeting_marked_not_relevant_leaves_the_overdue_list(spec: Missed) -> None:
    settings = settings_from(spec.overrides)
    first, second = spec.missed
    kind = "quarterly" if spec.variant == "psykisk" else "follow_up"
    marked = [*_meetings(spec), _mark(spec, kind, first)]  # dated on the plan's due date ("Forfalder")
    assert _missed_dues(spec, marked, settings, spec.before) == {first: "not_applicable", second: "overdue"}
    assert _case_sheet_statuses(spec, marked, settings, spec.before) == {first: "ikke relevant", second: "forfalden"}
    assert _oversigt_status(spec, marked, settings, spec.before) == "forfalden"
    assert _report_overdue(spec, marked, settings, spec.before) == [second]
    # The next meeting holds the other missed one, not the marked one.
    today = spec.second_meeting - (spec.second_meeting - spec.first_meeting) // 2
    once = [*_meetings(spec, spec.first_meeting), _mark(spec, kind, first)]
    assert _missed_dues(spec, once, settings, today) == {first: "not_applicable", second: "held_late"}
    # A mark of another kind, or outside the meeting's window, changes nothing.
    for other in (_mark(spec, "extra", first), _mark(spec, kind, first - timedelta(days=100))):
        dues = _missed_dues(spec, [*_meetings(spec), other], settings, spec.before)
        assert dues == {first: "overdue", second: "overdue"}


def test_a_milestone_marked_not_relevant_whatever_the_date() -> None:
    spec = CASES[2]  # udsatte: the meeting at 16 (due 10-05-2024) is overdue on 15-07-2024
    settings = settings_from({})
    case = _case(spec)
    plain = plan_meetings(case, _meetings(spec), settings, date(2024, 7, 15))
    assert next(p.status for p in plain.meetings if p.kind == "m16") == "overdue"
    marked = [*_meetings(spec), _mark(spec, "m16", date(2024, 7, 1))]
    plan = plan_meetings(case, marked, settings, date(2024, 7, 15))
    assert next(p.status for p in plan.meetings if p.kind == "m16") == "not_applicable"
    # The mark is no meeting: it moves no follow-up clock and counts in no figure of meetings held.
    assert [p for p in plan.meetings if p.kind == "follow_up"] == [p for p in plain.meetings if p.kind == "follow_up"]
    data = WorkbookData("guide.xlsx", schema.TEMPLATE_VERSION, cases=(case,), meetings=tuple(marked))
    facts = workbook_facts(data, (), settings, quarter_of(date(2024, 7, 1)), date(2024, 7, 15))
    assert facts.cases[0].meetings == ()


def test_the_meeting_a_registration_is_for() -> None:
    """For Registrér møde (issue 14 point 2): the kind whose window holds the date, else the most overdue one."""
    spec = CASES[2]  # udsatte; follow-ups due 10-09 and 10-12-2023 missed; the next is due 10-03-2024
    plan = plan_meetings(_case(spec), _meetings(spec), settings_from({}), date(2024, 1, 15))
    assert [(p.kind, p.due) for p in plan.open_meetings][:3] == [
        ("follow_up", date(2023, 9, 10)),
        ("follow_up", date(2023, 12, 10)),
        ("follow_up", date(2024, 3, 10)),
    ]
    in_window = plan.meeting_for(date(2024, 3, 20))
    assert in_window is not None and (in_window.kind, in_window.due) == ("follow_up", date(2024, 3, 10))
    most_overdue = plan.meeting_for(date(2024, 1, 15))
    assert most_overdue is not None and most_overdue.due == date(2023, 9, 10)
    # On the 17½ birthday (10-11-2025) its window (11-09 … 10-11-2025) holds the date; no follow-up window does
    # (10-09 … 10-10 and 10-12-2025 … 09-01-2026), and the overdue meeting at 16 is older: the 17½ meeting it is.
    later = plan_meetings(_case(spec), _meetings(spec), settings_from({}), date(2025, 11, 10))
    birthday = later.meeting_for(date(2025, 11, 10))
    assert birthday is not None and birthday.kind == "m17_5"
