"""The meeting plan: which meetings are due for a young person, and whether they were held in time (domain.md §2).

Decisions where domain.md is silent (all documented in the module so the lead can move them into settings):

- Counting meetings: a Mødetjekliste row counts when it has a date not after ``today`` (the checklist holds held
  meetings; a future date is not held yet), its kind is not "extra", and, with ``attendance_strict``, the young person
  took part (``young_person_present is True``). Lenient mode ignores attendance.
  A row whose kind could not be read (``kind is None``) still counts as a meeting; validation reports the kind.
- Any counting meeting (quarterly, follow-up, another milestone's kind, ...) inside a milestone's window satisfies
  it, because the model counts meetings with the young person. A meeting satisfies at most one milestone: first every
  meeting whose kind names a milestone takes that milestone if it lies in the window (earliest first), then the
  remaining milestones, in window order, take the earliest unused meeting in their window. A meeting named after a
  milestone but held after its window makes it ``held_late`` when nothing was held in the window.
- Rolling follow-up (udsatte) and rolling quarterly meetings (psykisk) run from the latest counting meeting (or the
  course start when none); a milestone meeting also resets that clock. A meeting in a slot's window (due … +window)
  holds it; a meeting before the due date only moves the clock. A slot whose window closed with no meeting stays in
  the plan as overdue (the model's "fire gange om året" is a requirement on every quarter), the next one falls due
  a period after the missed due date, and a later meeting that holds no slot of its own (held before the next
  slot falls due) holds the oldest missed slot as ``held_late``. Calendar quarters likewise: a quarter without a
  meeting stays overdue, and a second meeting in a later quarter holds the oldest missed quarter late. Calendar
  quarters may share a meeting with a milestone (frequency rule, not a milestone). Only the next open follow-up
  is planned (udsatte); quarterly meetings are planned to the 18th birthday (psykisk).
- A Mødetjekliste row with a reason in "Ikke afholdt – ikke relevant, fordi" is no meeting: it marks a required
  meeting of its kind as ``not_applicable`` ("ikke relevant") unless a meeting holds it — a milestone whatever the
  row's date, a follow-up or quarterly meeting when the date lies in its window (the plan's "Forfalder" date
  does). A marked follow-up or quarterly meeting is settled like a held one, so the next falls due a period later.
- Windows are clipped to the course: a window open at the course start starts (and is due) no earlier than the
  course start; a window running past the course end ends at the end. A milestone due after the end, or whose
  window closed before the course start, is ``not_applicable``. Rolling and quarterly meetings after the end (or,
  for quarterly, from the 18th birthday) are not planned at all.
- ``psykisk`` courses start at the inclusion, but not before the minimum inclusion age (mirrors udsatte's 15th
  birthday); validation reports an inclusion below that age. No follow-up after 18 in ``psykisk``: only m18_5.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from types import MappingProxyType
from typing import NamedTuple

from samarbejde_xl import schema
from samarbejde_xl.core.dates import edate
from samarbejde_xl.core.model import Case, Meeting
from samarbejde_xl.core.settings import ADULT_AGE, PlanRules, Settings

KIND_ORDER: Mapping[str, int] = MappingProxyType({code: index for index, code in enumerate(schema.MEETING_KIND.codes)})
_OPEN_STATUSES = frozenset({"soon", "overdue", "planned"})

PlanRow = tuple[str, date, date, date, str, "Meeting | None", int]
"""A planned meeting as the plan is worked out: the fields of :class:`PlannedMeeting` (kind, due, window start,
window end, status, held) and the kind's place in :data:`KIND_ORDER`. Plain tuples: a PlannedMeeting costs more to
build than the rest of a row's work, and the facts of every young person need the rows only."""

_PLAN_ORDER = itemgetter(1, 6, 3)
"""A plan's order: by due date, then kind, then window end."""


@dataclass(frozen=True)
class PlannedMeeting:
    kind: str  # MEETING_KIND code
    due: date
    window_start: date
    window_end: date
    status: str  # PLAN_STATUS code
    held: Meeting | None = None  # the Mødetjekliste meeting that satisfied it

    @property
    def label(self) -> str:
        return schema.MEETING_KIND.label_of(self.kind)

    @property
    def status_label(self) -> str:
        return schema.PLAN_STATUS.label_of(self.status)

    @property
    def held_on(self) -> date | None:
        return self.held.date if self.held is not None else None

    @property
    def is_open(self) -> bool:
        """Still to be held: soon, overdue or planned."""
        return self.status in _OPEN_STATUSES


def _planned(
    kind: str, due: date, window_start: date, window_end: date, status: str, held: Meeting | None = None
) -> PlannedMeeting:
    """``PlannedMeeting(kind, due, …)``, the same object, at the cost of an ordinary one: a frozen dataclass's
    ``__init__`` sets each field by its own ``object.__setattr__`` call, and a plan holds several meetings per young
    person. The attribute dict is set whole, in field order, as ``__init__`` leaves it (test_meetings checks it)."""
    planned = object.__new__(PlannedMeeting)
    attributes = {
        "kind": kind,
        "due": due,
        "window_start": window_start,
        "window_end": window_end,
        "status": status,
        "held": held,
    }
    object.__setattr__(planned, "__dict__", attributes)
    return planned


@dataclass(frozen=True)
class MeetingPlan:
    case_id: str
    meetings: tuple[PlannedMeeting, ...]  # sorted by due date
    course_start: date | None
    course_end: date | None
    ended: bool  # the course is over on `today`
    missing: tuple[str, ...] = ()  # case field keys needed but missing or invalid; then meetings == ()

    @property
    def next_due(self) -> PlannedMeeting | None:
        """The first meeting still to be held (soon, overdue or planned), by window end."""
        best: PlannedMeeting | None = None
        for planned in self.meetings:
            if planned.is_open and (best is None or planned.window_end < best.window_end):
                best = planned
        return best

    @property
    def overdue(self) -> tuple[PlannedMeeting, ...]:
        return tuple(planned for planned in self.meetings if planned.status == "overdue")

    @property
    def open_meetings(self) -> tuple[PlannedMeeting, ...]:
        """Every required meeting still to be held (missed ones included), by window end: the most overdue first."""
        return tuple(sorted((p for p in self.meetings if p.is_open), key=lambda p: (p.window_end, p.due)))

    def meeting_for(self, day: date) -> PlannedMeeting | None:
        """The open meeting a meeting held on ``day`` is for: the one whose window holds ``day`` (the earliest
        window end first), else the most overdue one; None when nothing is open (an extra meeting)."""
        open_meetings = self.open_meetings
        in_window = [p for p in open_meetings if p.window_start <= day <= p.window_end]
        if in_window:
            return in_window[0]
        overdue = [p for p in open_meetings if p.status == "overdue"]
        return overdue[0] if overdue else None


def days_overdue(planned: PlannedMeeting, today: date) -> int:
    """Days since the window closed for a meeting still not held; 0 when held, not applicable or not yet due."""
    return row_days_overdue(planned.status, planned.held, planned.window_end, today)


def row_days_overdue(status: str, held: Meeting | None, window_end: date, today: date) -> int:
    """:func:`days_overdue` of a :data:`PlanRow`'s status, held meeting and window end."""
    if held is not None or status == "not_applicable":
        return 0
    return max(0, (today - window_end).days)


@dataclass(slots=True)
class _Slot:
    """A milestone while the plan is being worked out."""

    kind: str
    due: date
    window_start: date
    window_end: date
    applicable: bool
    rank: int  # the kind's place in KIND_ORDER
    held: Meeting | None = None
    late: bool = False


def _counting_meetings(case_id: str, meetings: Sequence[Meeting], settings: Settings, today: date) -> list[Meeting]:
    strict = settings.attendance_strict
    counting = [
        meeting
        for meeting in meetings
        if meeting.case_id == case_id
        and meeting.date is not None
        and meeting.date <= today
        and meeting.kind != "extra"
        and not meeting.not_relevant_reason  # a mark, not a meeting
        and (not strict or meeting.young_person_present is True)
    ]
    if len(counting) > 1:
        counting.sort(key=_meeting_key)
    return counting


def _marks(case_id: str, meetings: Sequence[Meeting]) -> list[tuple[str, date]]:
    """(kind, date) of the rows that mark a required meeting not relevant."""
    return [
        (meeting.kind, meeting.date)
        for meeting in meetings
        if meeting.not_relevant_reason and meeting.case_id == case_id and meeting.kind and meeting.date
    ]


def _marked(marks: Sequence[tuple[str, date]], kind: str, window_start: date, window_end: date) -> bool:
    return any(marked == kind and window_start <= day <= window_end for marked, day in marks)


def _meeting_key(meeting: Meeting) -> tuple[date, int, int]:
    assert meeting.date is not None
    return meeting.date, KIND_ORDER.get(meeting.kind or "", 99), meeting.row


def _status(window_start: date, window_end: date, today: date, settings: Settings) -> str:
    if window_end < today:
        return "overdue"
    if window_start <= today or (window_end - today).days <= settings.soon_days:
        return "soon"
    return "planned"


def _milestone_slots(birth: date, rules: PlanRules, start: date, end: date) -> list[_Slot]:
    """The start meeting and the variant's milestones, their windows clipped to the course, earliest window first."""
    windows = [("start", start, start, start + rules.start_window)]  # (kind, due, window start, window end)
    for kind, age_months, before, after in rules.milestones:
        due = edate(birth, age_months)
        windows.append((kind, due, due - before, due + after))
    ordered = []  # (window start, window end, kind's rank, kind, due, applicable): sorted as plain tuples, no key
    for kind, due, window_start, window_end in windows:
        if window_end < start or due > end:  # closed before the course starts, or due after it ends
            ordered.append((window_start, window_end, KIND_ORDER[kind], kind, due, False))
        else:  # clipped to the course (comparisons, not max/min: this runs for every young person's milestones)
            clipped_start = window_start if window_start > start else start
            clipped_end = window_end if window_end < end else end
            ordered.append((clipped_start, clipped_end, KIND_ORDER[kind], kind, due if due > start else start, True))
    ordered.sort()  # by window, then kind: the kinds differ, so no two tuples tie on their first three items
    return [
        _Slot(kind, due, window_start, window_end, applicable, rank)
        for window_start, window_end, rank, kind, due, applicable in ordered
    ]


def _assign_milestones(slots: list[_Slot], counting: list[Meeting]) -> set[int]:
    """Give each milestone the meeting that satisfies it; return the ids of the meetings used."""
    used: set[int] = set()
    by_kind = {slot.kind: slot for slot in slots}
    for meeting in counting:  # 1. meetings named after a milestone, in its window
        slot = by_kind.get(meeting.kind or "")
        day = meeting.date
        assert day is not None
        if slot is not None and slot.held is None and slot.applicable and slot.window_start <= day <= slot.window_end:
            slot.held = meeting
            used.add(id(meeting))
    for slot in slots:  # 2. any other counting meeting in the window, earliest window first
        if slot.held is None and slot.applicable:  # (no meeting is in the window of a slot not applicable)
            for meeting in counting:
                day = meeting.date
                assert day is not None
                if slot.window_start <= day <= slot.window_end and id(meeting) not in used:
                    slot.held = meeting
                    used.add(id(meeting))
                    break
    for slot in slots:  # 3. named after the milestone but after its window
        if slot.held is None:
            for meeting in counting:
                assert meeting.date is not None
                if meeting.kind == slot.kind and meeting.date > slot.window_end and id(meeting) not in used:
                    slot.held = meeting
                    slot.late = True
                    used.add(id(meeting))
                    break
    return used


def _milestone_rows(
    slots: Sequence[_Slot], marked_kinds: Collection[str], today: date, settings: Settings
) -> list[PlanRow]:
    rows: list[PlanRow] = []
    for slot in slots:
        if slot.held is not None:
            status = "held_late" if slot.late else "held"
        elif not slot.applicable or slot.kind in marked_kinds:
            status = "not_applicable"
        else:
            status = _status(slot.window_start, slot.window_end, today, settings)
        rows.append((slot.kind, slot.due, slot.window_start, slot.window_end, status, slot.held, slot.rank))
    return rows


def _held_late(row: PlanRow, meeting: Meeting) -> PlanRow:
    """A missed meeting's row, caught up by ``meeting``."""
    kind, due, window_start, window_end, _, _, rank = row
    return kind, due, window_start, window_end, "held_late", meeting, rank


def _rolling(
    kind: str,
    start: date,
    meetings: Sequence[Meeting],
    months: int,
    window_days: int,
    until: date,
    today: date,
    settings: Settings,
    marks: Sequence[tuple[str, date]],
    *,
    chain: bool,
) -> list[PlanRow]:
    """Meetings every ``months`` after the latest counting meeting (``start`` before any), due up to ``until``.

    ``meetings``: counting meetings after ``start`` in the course, by date. Missed slots stay (see the module
    docstring); after the last meeting only the next open slot unless ``chain``.
    """
    window = timedelta(days=window_days)
    rank = KIND_ORDER[kind]

    def slot(anchor: date) -> tuple[date, date]:
        """The due date and window end of the slot after ``anchor`` (a comparison, not min: it runs per slot)."""
        due = edate(anchor, months)
        window_end = due + window
        return due, window_end if window_end < until else until

    rows: list[PlanRow] = []
    missed: deque[int] = deque()  # indexes of missed slots not yet held late, oldest first
    anchor = start
    for meeting in meetings:
        day = meeting.date
        assert day is not None
        due, window_end = slot(anchor)
        while due <= until and window_end < day:  # its window closed before this meeting: missed
            if marks and _marked(marks, kind, due, window_end):
                rows.append((kind, due, due, window_end, "not_applicable", None, rank))
            else:
                missed.append(len(rows))
                rows.append((kind, due, due, window_end, "overdue", None, rank))
            due, window_end = slot(due)
        if due <= until and due <= day:  # in the window
            rows.append((kind, due, due, window_end, "held", meeting, rank))
        elif missed:  # before the next slot falls due: catches up the oldest missed one
            index = missed.popleft()
            rows[index] = _held_late(rows[index], meeting)
        anchor = day
    due, window_end = slot(anchor)
    while due <= until:
        if marks and _marked(marks, kind, due, window_end):
            rows.append((kind, due, due, window_end, "not_applicable", None, rank))
        else:
            status = _status(due, window_end, today, settings)
            rows.append((kind, due, due, window_end, status, None, rank))
            if status != "overdue" and not chain:
                break
        due, window_end = slot(due)
    return rows


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _calendar_quarters(
    start: date,
    last_day: date,
    counting: list[Meeting],
    today: date,
    settings: Settings,
    marks: Sequence[tuple[str, date]],
) -> list[PlanRow]:
    """One quarterly meeting per calendar quarter from the course start's quarter to ``last_day``'s."""
    rows: list[PlanRow] = []
    missed: deque[int] = deque()
    rank = KIND_ORDER["quarterly"]
    quarter = _quarter_start(start)
    remaining = [meeting for meeting in counting if meeting.date is not None and meeting.date >= start]
    while quarter <= last_day:
        window_start = max(quarter, start)
        window_end = min(edate(quarter, 3) - timedelta(days=1), last_day)
        if window_start > window_end:  # the course starts after the last day (e.g. included on the 18th birthday)
            break
        inside = [meeting for meeting in remaining if meeting.date is not None and meeting.date <= window_end]
        remaining = remaining[len(inside) :]
        if inside:
            rows.append(("quarterly", window_end, window_start, window_end, "held", inside[0], rank))
        elif _marked(marks, "quarterly", window_start, window_end):
            rows.append(("quarterly", window_end, window_start, window_end, "not_applicable", None, rank))
        else:
            status = _status(window_start, window_end, today, settings)
            if status == "overdue":
                missed.append(len(rows))
            rows.append(("quarterly", window_end, window_start, window_end, status, None, rank))
        for extra in inside[1:]:  # a second meeting in a quarter holds the oldest missed quarter late
            if missed:
                index = missed.popleft()
                rows[index] = _held_late(rows[index], extra)
        quarter = edate(quarter, 3)
    for meeting in remaining:  # after the last quarter (the 18th birthday): still catches up missed quarters
        if not missed:
            break
        index = missed.popleft()
        rows[index] = _held_late(rows[index], meeting)
    return rows


def _missing_fields(case: Case) -> tuple[str, ...]:
    missing: list[str] = []
    if case.birth_date is None:
        missing.append("birth_date")
    if case.variant not in schema.VARIANT.codes:
        missing.append("variant")
    if case.inclusion_date is None or (case.birth_date is not None and case.inclusion_date < case.birth_date):
        missing.append("inclusion_date")
    return tuple(missing)


class PlanRows(NamedTuple):
    """A meeting plan with its meetings as :data:`PlanRow` tuples (see :class:`MeetingPlan` for the fields)."""

    course_start: date | None
    course_end: date | None
    ended: bool
    missing: tuple[str, ...]
    rows: list[PlanRow]  # in the plan's order


def plan_meetings(case: Case, meetings: Sequence[Meeting], settings: Settings, today: date) -> MeetingPlan:
    """The meeting plan of one young person on ``today``. ``meetings``: Mødetjekliste rows (other ids ignored)."""
    plan = plan_rows(case, meetings, settings, today)
    planned = tuple(
        [_planned(kind, due, start, end, status, held) for kind, due, start, end, status, held, _ in plan.rows]
    )
    return MeetingPlan(case.case_id, planned, plan.course_start, plan.course_end, plan.ended, plan.missing)


def plan_rows(case: Case, meetings: Sequence[Meeting], settings: Settings, today: date) -> PlanRows:
    """:func:`plan_meetings` without a :class:`PlannedMeeting` per meeting: what the facts of a young person need."""
    missing = _missing_fields(case)
    if missing:
        ended = case.end_date is not None and case.end_date <= today
        return PlanRows(None, case.end_date, ended, missing, [])
    birth, variant, inclusion = case.birth_date, case.variant, case.inclusion_date
    assert birth is not None and variant is not None and inclusion is not None

    rules = settings.plan_rules(variant)
    start = max(inclusion, edate(birth, rules.start_months))
    end = edate(birth, rules.end_months)
    if case.end_date is not None and case.end_date < end:
        end = max(case.end_date, start)

    counting = _counting_meetings(case.case_id, meetings, settings, today)
    slots = _milestone_slots(birth, rules, start, end)
    _assign_milestones(slots, counting)
    marks = _marks(case.case_id, meetings)
    marked_kinds = {kind for kind, _ in marks}
    rows = _milestone_rows(slots, marked_kinds, today, settings)

    later = [meeting for meeting in counting if meeting.date is not None and start < meeting.date <= end]
    if variant == "udsatte":
        rows += _rolling(
            "follow_up",
            start,
            later,
            settings.follow_up_months,
            settings.follow_up_window_days,
            end,
            today,
            settings,
            marks,
            chain=False,
        )
    else:
        last_quarter_day = min(edate(birth, 12 * ADULT_AGE) - timedelta(days=1), end)
        if settings.quarterly_mode == "calendar":
            in_course = [meeting for meeting in counting if meeting.date is not None and meeting.date <= end]
            rows += _calendar_quarters(start, last_quarter_day, in_course, today, settings, marks)
        else:
            rows += _rolling(
                "quarterly",
                start,
                later,
                settings.quarterly_months,
                settings.quarterly_window_days,
                last_quarter_day,
                today,
                settings,
                marks,
                chain=True,
            )
    rows.sort(key=_PLAN_ORDER)
    return PlanRows(start, end, today >= end, (), rows)
