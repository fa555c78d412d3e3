"""Outcome and meeting figures cut by coordinator/guide, by department (afdeling) and by model variant.

For the leader group's internal report only: managers filter these tables to see where the figures come from.
They are built from the same per-case facts as the report's headline figures, so each cut adds up to them.

*Afdeling* is the unit the young person's coordinator/guide works in: the "Afdeling/rolle" of the team member whose
profession is koordinator/guide on the case sheet (the first such row with a department). That is the unit a
manager answers for; the other team members' departments (jobcenter, UU, psychiatry …) are partners, not the unit
that holds the case. A case without one is counted under :data:`NOT_GIVEN`.

Small cells are shown: a cut by coordinator is meant to show one coordinator's handful of young people, and the
internal report already holds the overdue list with pseudonymous ids. These tables never go to the politicians'
summary (:mod:`samarbejde_xl.core.publication` publishes the headline figures only), so no suppression applies here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from operator import add
from types import MappingProxyType
from typing import TYPE_CHECKING

from samarbejde_xl import schema
from samarbejde_xl.core.identifiers import CPR_PLACEHOLDER, contains_cpr_like
from samarbejde_xl.core.outcomes import GROUP_NONE, GROUP_PARTIAL, GROUP_SUCCESS, OUTCOME_CATEGORIES

if TYPE_CHECKING:  # the facts module imports this one for coordinator_department
    from samarbejde_xl.core.facts import CaseFacts
    from samarbejde_xl.core.model import TeamMember

NOT_GIVEN = "(ikke angivet)"
COORDINATOR = "coordinator"  # PROFESSION code of koordinator/guide

BY_COORDINATOR, BY_DEPARTMENT, BY_VARIANT = "coordinator", "department", "variant"
DIMENSIONS: tuple[tuple[str, str], ...] = (
    (BY_COORDINATOR, "Koordinator/guide"),
    (BY_DEPARTMENT, "Afdeling"),
    (BY_VARIANT, "Modelvariant"),
)
"""The cuts, in the order the report shows them, with their Danish names."""

# read-only: the core keeps no mutable state
_GROUP_OF_CATEGORY = MappingProxyType({category.code: category.group for category in OUTCOME_CATEGORIES})


@dataclass(frozen=True)
class OutcomeCut:
    """Outcome groups of the active young people in one group (one coordinator, one department or one variant)."""

    dimension: str  # BY_COORDINATOR, BY_DEPARTMENT or BY_VARIANT
    group: str  # the coordinator's initials, the department or the variant's label
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


_Tally = tuple[int, int, int, int, int, int, int, int, int, int, int, int]
"""What one young person adds to a group: active, registered, success, partial, none, meetings held, required due,
held in window, held late, overdue, young person present, presence recorded."""


def _tally(case: CaseFacts) -> _Tally:
    overdue = len(case.overdue)  # the overdue list holds cases whose course has not ended, active or not
    if not case.active:
        return (0, 0, 0, 0, 0, 0, 0, 0, 0, overdue, 0, 0)
    group = _GROUP_OF_CATEGORY[case.outcome] if case.outcome is not None else None
    meetings, required = case.meetings, case.milestones
    present = [meeting.young_person_present for meeting in meetings]  # True, False or None (not recorded)
    return (
        1,
        group is not None,
        group == GROUP_SUCCESS,
        group == GROUP_PARTIAL,
        group == GROUP_NONE,
        len(meetings),
        len(required),
        sum(fact.held_in_window for fact in required) if required else 0,
        sum(fact.held_late for fact in required) if required else 0,
        overdue,
        present.count(True),
        len(present) - present.count(None),
    )


def _combination(case: CaseFacts) -> tuple[str, str, str | None, _Tally]:
    """The case's groups as written (coordinator, department, variant) and its tally."""
    return case.coordinator, case.department, case.variant, _tally(case)


def _label(dimension: str, key: str, spelling: str) -> str:
    if dimension == BY_VARIANT:
        return schema.VARIANT.label_of(key) if key else NOT_GIVEN
    return spelling or NOT_GIVEN


def _sort_key(dimension: str, key: str) -> tuple[bool, int, str]:
    """Groups by name, the unnamed last; variants in the schema's order."""
    codes = schema.VARIANT.codes
    order = codes.index(key) if dimension == BY_VARIANT and key in codes else len(codes)
    return key == "", order, key


def breakdowns(cases: Iterable[CaseFacts]) -> Breakdowns:
    """The outcome and meeting cuts of ``cases`` (every case read). Groups with neither an active young person nor
    an overdue meeting are left out. Each young person's tally is counted with its groups as written (in C); the
    few thousand distinct combinations are then added up per group, initials and departments in any letter case
    as one group, named as first seen."""
    totals: dict[tuple[str, str], list[int]] = {}
    spellings: dict[tuple[str, str], str] = {}  # (dimension, key) -> the first-seen spelling
    for (coordinator, department, variant, tally), count in Counter(map(_combination, cases)).items():
        added = [value * count for value in tally]
        for dimension, key, spelling in (
            (BY_COORDINATOR, coordinator.casefold(), coordinator),
            (BY_DEPARTMENT, department.casefold(), department),
            (BY_VARIANT, variant or "", ""),
        ):
            spellings.setdefault((dimension, key), spelling)
            total = totals.get((dimension, key))
            totals[(dimension, key)] = added if total is None else list(map(add, total, added))
    outcomes: list[OutcomeCut] = []
    meetings: list[MeetingCut] = []
    for dimension, _name in DIMENSIONS:
        ordered = sorted((key for kind, key in totals if kind == dimension), key=lambda key: _sort_key(dimension, key))
        for key in ordered:
            active, registered, success, partial, none, held, due, in_window, late, overdue, present, recorded = totals[
                (dimension, key)
            ]
            if not (active or overdue):
                continue
            group = _label(dimension, key, spellings.get((dimension, key), ""))
            outcomes.append(OutcomeCut(dimension, group, active, registered, success, partial, none))
            meetings.append(
                MeetingCut(dimension, group, active, held, due, in_window, late, overdue, present, recorded)
            )
    return Breakdowns(tuple(outcomes), tuple(meetings))
