"""Outcome and meeting figures cut by coordinator/guide, by department (afdeling) and by model variant.

For the leader group's internal report only: managers filter these tables to see where the figures come from.
They are built from the same per-case facts as the report's headline figures, so each cut adds up to them.

*Afdeling* is the unit the young person's coordinator/guide works in: the "Afdeling/rolle" of the team member whose
profession is koordinator/guide on the case sheet (the first such row with a department). That is the unit a
manager answers for; the other team members' departments (jobcenter, UU, psychiatry …) are partners, not the unit
that holds the case. A case without one is counted under :data:`NOT_GIVEN`.

Small cells are shown: a cut by guide is meant to show one guide's handful of young people, and the internal report
already holds the overdue list with pseudonymous ids. These tables never go to the politicians' summary (the
summary is written from the headline figures only), so no suppression applies here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from samarbejde_xl import schema
from samarbejde_xl.core.identifiers import CPR_PLACEHOLDER, contains_cpr_like
from samarbejde_xl.core.outcomes import GROUP_NONE, GROUP_PARTIAL, GROUP_SUCCESS, OUTCOME_CATEGORIES

if TYPE_CHECKING:  # the facts module imports this one for coordinator_department
    from samarbejde_xl.core.aggregate import CaseFacts
    from samarbejde_xl.core.model import TeamMember

NOT_GIVEN = "(ikke angivet)"
COORDINATOR = "coordinator"  # PROFESSION code of koordinator/guide

GUIDE, DEPARTMENT, VARIANT = "guide", "department", "variant"
DIMENSIONS: tuple[tuple[str, str], ...] = (
    (GUIDE, "Koordinator/guide"),
    (DEPARTMENT, "Afdeling"),
    (VARIANT, "Modelvariant"),
)
"""The cuts, in the order the report shows them, with their Danish names."""

_GROUP_OF_CATEGORY = {category.code: category.group for category in OUTCOME_CATEGORIES}


@dataclass(frozen=True)
class OutcomeCut:
    """Outcome groups of the active young people in one group (one guide, one department or one variant)."""

    dimension: str  # GUIDE, DEPARTMENT or VARIANT
    group: str  # the guide's initials, the department or the variant's label
    active: int
    registered: int  # with at least one status registration (the outcome table's total)
    success: int
    partial: int
    none: int

    @property
    def unregistered(self) -> int:
        return self.active - self.registered


@dataclass(frozen=True)
class MeetingCut:
    """Required meetings with their deadline in the period, and overdue meetings on the reporting day, of one
    group."""

    dimension: str
    group: str
    active: int
    held: int  # meetings held in the period
    due: int  # required meetings whose window closed in the period (as in the headline compliance)
    held_in_window: int
    held_late: int
    overdue: int  # on the reporting day (the internal overdue list's rows of this group)
    young_person_present: int
    young_person_recorded: int

    @property
    def not_held(self) -> int:
        return self.due - self.held_in_window - self.held_late

    @property
    def compliance(self) -> float | None:
        return self.held_in_window / self.due if self.due else None

    @property
    def young_person_rate(self) -> float | None:
        return self.young_person_present / self.young_person_recorded if self.young_person_recorded else None


@dataclass(frozen=True)
class Breakdowns:
    outcomes: tuple[OutcomeCut, ...] = ()  # DIMENSIONS order, then by group
    meetings: tuple[MeetingCut, ...] = ()


def coordinator_department(team: Iterable[TeamMember]) -> str:
    """The department of the case's coordinator/guide (see the module docstring), "" when none is given. It is free
    text: a CPR-like number typed into it is replaced, so the report never repeats it."""
    for member in team:
        if member.profession == COORDINATOR and member.department.strip():
            department = member.department.strip()
            return CPR_PLACEHOLDER if contains_cpr_like(department) else department
    return ""


def _groups_of(dimension: str) -> Callable[[CaseFacts], tuple[str, str]]:
    """(sort key, shown label) of a case's group in ``dimension``; guides' initials are one group in any case."""
    if dimension == GUIDE:
        return lambda case: (case.guide.casefold(), case.guide or NOT_GIVEN)
    if dimension == DEPARTMENT:
        return lambda case: (case.department.casefold(), case.department or NOT_GIVEN)
    order = {code: f"{index:02d}" for index, code in enumerate(schema.VARIANT.codes)}
    return lambda case: (
        order.get(case.variant or "", "99"),
        schema.VARIANT.label_of(case.variant) if case.variant else NOT_GIVEN,
    )


def _grouped(cases: Sequence[CaseFacts], dimension: str) -> list[tuple[str, list[CaseFacts]]]:
    """Cases by group, sorted by group; a group is shown with its first-seen spelling."""
    key_of = _groups_of(dimension)
    groups: dict[str, list[CaseFacts]] = defaultdict(list)
    labels: dict[str, str] = {}
    for case in cases:
        key, label = key_of(case)
        groups[key].append(case)
        labels.setdefault(key, label)
    return [(labels[key], groups[key]) for key in sorted(groups, key=lambda key: (key == "", key))]


def _outcome_cut(dimension: str, group: str, cases: Sequence[CaseFacts]) -> OutcomeCut:
    active = [case for case in cases if case.active]
    groups = [_GROUP_OF_CATEGORY[case.outcome] for case in active if case.outcome is not None]
    return OutcomeCut(
        dimension,
        group,
        len(active),
        len(groups),
        groups.count(GROUP_SUCCESS),
        groups.count(GROUP_PARTIAL),
        groups.count(GROUP_NONE),
    )


def _meeting_cut(dimension: str, group: str, cases: Sequence[CaseFacts]) -> MeetingCut:
    active = [case for case in cases if case.active]
    held = [meeting for case in active for meeting in case.meetings]
    required = [fact for case in active for fact in case.milestones]
    recorded = [meeting for meeting in held if meeting.young_person_present is not None]
    return MeetingCut(
        dimension,
        group,
        len(active),
        len(held),
        len(required),
        sum(fact.held_in_window for fact in required),
        sum(fact.held_late for fact in required),
        sum(len(case.overdue) for case in cases),
        sum(meeting.young_person_present is True for meeting in recorded),
        len(recorded),
    )


def breakdowns(cases: Iterable[CaseFacts]) -> Breakdowns:
    """The outcome and meeting cuts of ``cases`` (every case read). Groups with neither an active young person nor
    an overdue meeting are left out."""
    cases = list(cases)
    outcomes: list[OutcomeCut] = []
    meetings: list[MeetingCut] = []
    for dimension, _name in DIMENSIONS:
        for group, members in _grouped(cases, dimension):
            meeting = _meeting_cut(dimension, group, members)
            if meeting.active or meeting.overdue:
                outcomes.append(_outcome_cut(dimension, group, members))
                meetings.append(meeting)
    return Breakdowns(tuple(outcomes), tuple(meetings))
