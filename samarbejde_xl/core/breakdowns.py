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

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, compress
from operator import add, attrgetter
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
"""What a group's young people add up to: active, registered, success, partial, none, meetings held, required due,
held in window, held late, overdue, young person present, presence recorded."""

_OWNER = attrgetter("coordinator", "department", "variant")
_ACTIVE, _OUTCOME, _MEETINGS, _MILESTONES, _OVERDUE = map(
    attrgetter, ("active", "outcome", "meetings", "milestones", "overdue")
)


def _tally(cases: list[CaseFacts]) -> _Tally:
    """The tally of ``cases``, counted a field at a time over all of them (in C), not case by case."""
    active = list(compress(cases, map(_ACTIVE, cases)))
    groups = Counter[str | None]()
    for outcome, count in Counter(map(_OUTCOME, active)).items():
        groups[_GROUP_OF_CATEGORY[outcome] if outcome is not None else None] += count
    required = list(chain.from_iterable(map(_MILESTONES, active)))
    # True, False or None (not recorded) per meeting held
    present = list(map(attrgetter("young_person_present"), chain.from_iterable(map(_MEETINGS, active))))
    return (
        len(active),
        len(active) - groups[None],
        groups[GROUP_SUCCESS],
        groups[GROUP_PARTIAL],
        groups[GROUP_NONE],
        len(present),
        len(required),
        sum(map(attrgetter("held_in_window"), required)),
        sum(map(attrgetter("held_late"), required)),
        sum(map(len, map(_OVERDUE, cases))),  # the overdue list holds cases whose course has not ended, active or not
        present.count(True),
        len(present) - present.count(None),
    )


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
    an overdue meeting are left out. The young people are put together by their groups as written (a few hundred
    combinations), each combination is tallied a field at a time, and the tallies are then added up per group,
    initials and departments in any letter case as one group, named as first seen."""
    owned: defaultdict[tuple[str, str, str | None], list[CaseFacts]] = defaultdict(list)
    for case in cases:
        owned[_OWNER(case)].append(case)
    totals: dict[tuple[str, str], list[int]] = {}
    spellings: dict[tuple[str, str], str] = {}  # (dimension, key) -> the first-seen spelling
    for (coordinator, department, variant), members in owned.items():
        tally = list(_tally(members))
        for dimension, key, spelling in (
            (BY_COORDINATOR, coordinator.casefold(), coordinator),
            (BY_DEPARTMENT, department.casefold(), department),
            (BY_VARIANT, variant or "", ""),
        ):
            spellings.setdefault((dimension, key), spelling)
            total = totals.get((dimension, key))
            totals[(dimension, key)] = tally if total is None else list(map(add, total, tally))
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
