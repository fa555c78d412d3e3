"""Breakdowns of the outcome and meeting figures by coordinator, department and variant (core.breakdowns)."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.consolidation import gather_facts
from samarbejde_xl.core.aggregate import aggregate as aggregate_facts
from samarbejde_xl.core.breakdowns import (
    BY_COORDINATOR,
    BY_DEPARTMENT,
    BY_VARIANT,
    NOT_GIVEN,
    Breakdowns,
    MeetingCut,
    breakdowns,
    coordinator_department,
)
from samarbejde_xl.core.facts import CaseFacts, MeetingFact, MilestoneFact, OverdueFact
from samarbejde_xl.core.figures import Figures
from samarbejde_xl.core.identifiers import CPR_PLACEHOLDER
from samarbejde_xl.core.model import TeamMember
from samarbejde_xl.core.quarter import parse_quarter

ROOT = Path(__file__).resolve().parents[1]

BASE = CaseFacts(
    case_id="U-0000",
    sheet="U-0000",
    coordinator="KA",
    variant="udsatte",
    age_band="15-17",
    has_course=True,
    active=True,
    started=False,
    ended=False,
    outcome=None,
    education=None,
    job=None,
    programme=False,
    consent_valid=True,
    has_adult=False,
    team=frozenset(),
    meetings=(),
    milestones=(),
    overdue=(),
    agreements=(),
    life_areas=(),
    department="Ungeenheden",
)


def _held(present: bool | None) -> MeetingFact:
    return MeetingFact("follow_up", present, None, frozenset(), (), 0, 0)


def _overdue() -> OverdueFact:
    return OverdueFact("follow_up", date(2026, 6, 1), date(2026, 7, 1), 91)


IN_WINDOW, LATE, MISSED = (
    MilestoneFact("m16", True, False),
    MilestoneFact("m16", False, True),
    MilestoneFact("m16", False, False),
)

CASES = [
    BASE._replace(case_id="U-1", outcome="education", meetings=(_held(True), _held(False)), milestones=(IN_WINDOW,)),
    BASE._replace(case_id="U-2", coordinator="ka", outcome="started_stopped_job", milestones=(LATE, MISSED)),
    BASE._replace(
        case_id="U-3", coordinator="MO", variant="psykisk", department="", outcome="none", overdue=(_overdue(),)
    ),
    BASE._replace(case_id="U-4", coordinator="MO", variant="psykisk", meetings=(_held(None),)),  # no registration
    # Course ended before the period: no figure, but an overdue meeting from before still counts for its coordinator.
    BASE._replace(case_id="U-5", coordinator="BS", active=False, department="Jobcenter", overdue=(_overdue(),)),
    BASE._replace(case_id="U-6", coordinator="ZZ", active=False, department="Nowhere"),  # nothing to show: left out
]


@pytest.fixture(scope="module")
def cuts() -> Breakdowns:
    return breakdowns(CASES)


def test_outcomes_by_coordinator_department_and_variant(cuts: Breakdowns) -> None:
    rows = [
        (row.dimension, row.group, row.active, row.registered, row.success, row.partial, row.none, row.unregistered)
        for row in cuts.outcomes
    ]
    assert rows == [
        # Coordinators: initials in any letter case are one coordinator, shown as first seen; sorted by initials.
        (BY_COORDINATOR, "BS", 0, 0, 0, 0, 0, 0),
        (BY_COORDINATOR, "KA", 2, 2, 1, 1, 0, 0),
        (BY_COORDINATOR, "MO", 2, 1, 0, 0, 1, 1),
        # Departments: the unnamed ones last, under "(ikke angivet)".
        (BY_DEPARTMENT, "Jobcenter", 0, 0, 0, 0, 0, 0),
        (BY_DEPARTMENT, "Ungeenheden", 3, 2, 1, 1, 0, 1),
        (BY_DEPARTMENT, NOT_GIVEN, 1, 1, 0, 0, 1, 0),
        # Variants in the schema's order.
        (BY_VARIANT, "udsatte", 2, 2, 1, 1, 0, 0),
        (BY_VARIANT, "psykisk", 2, 1, 0, 0, 1, 1),
    ]


def test_meetings_by_coordinator(cuts: Breakdowns) -> None:
    by_coordinator = {row.group: row for row in cuts.meetings if row.dimension == BY_COORDINATOR}
    assert set(by_coordinator) == {"BS", "KA", "MO"}
    ka = by_coordinator["KA"]
    assert (ka.active, ka.held, ka.due, ka.held_in_window, ka.held_late, ka.not_held, ka.overdue) == (
        2,
        2,
        3,
        1,
        1,
        1,
        0,
    )
    assert ka.compliance == pytest.approx(1 / 3)
    assert (ka.young_person_present, ka.young_person_recorded, ka.young_person_rate) == (1, 2, 0.5)
    mo = by_coordinator["MO"]
    assert (mo.held, mo.due, mo.overdue, mo.compliance, mo.young_person_rate) == (1, 0, 1, None, None)
    assert (by_coordinator["BS"].active, by_coordinator["BS"].overdue) == (0, 1)


def test_variant_rows_follow_the_schema(cuts: Breakdowns) -> None:
    variants = [row.group for row in cuts.outcomes if row.dimension == BY_VARIANT]
    assert variants == [schema.VARIANT.label_of(code) for code in schema.VARIANT.codes]


def test_coordinator_department_is_the_coordinators_unit() -> None:
    team = (
        TeamMember("A", "uu", "UU"),
        TeamMember("B", "coordinator", "  "),  # a coordinator row without department is passed over
        TeamMember("C", "coordinator", " Ungeenheden "),
        TeamMember("D", "coordinator", "Voksenområdet"),
    )
    assert coordinator_department(team) == "Ungeenheden"
    assert coordinator_department((TeamMember("A", "jobcenter", "Jobcenter"),)) == ""
    assert coordinator_department(()) == ""
    # Free text: a CPR-like number typed into it never reaches the report.
    assert coordinator_department((TeamMember("A", "coordinator", "Ungeenheden 010203-1234"),)) == CPR_PLACEHOLDER


@pytest.fixture(scope="module")
def examples_result() -> Figures:
    quarter = parse_quarter("2026Q3")
    today = date(2026, 10, 1)
    gathered = gather_facts([ROOT / "examples"], quarter=quarter, today=today, jobs=1)
    return aggregate_facts(gathered.facts, quarter=quarter, today=today)


@pytest.mark.parametrize("dimension", [BY_COORDINATOR, BY_DEPARTMENT, BY_VARIANT])
def test_every_cut_adds_up_to_the_headline_figures(examples_result: Figures, dimension: str) -> None:
    result = examples_result
    outcomes = [row for row in result.breakdowns.outcomes if row.dimension == dimension]
    meetings = [row for row in result.breakdowns.meetings if row.dimension == dimension]
    assert len(outcomes) > 1
    assert sum(row.active for row in outcomes) == result.counts.active
    assert sum(row.registered for row in outcomes) == result.outcomes.total
    assert sum(row.unregistered for row in outcomes) == result.outcome_unregistered
    for group, attribute in (("succes", "success"), ("delvis succes", "partial"), ("ingen succes", "none")):
        expected = sum(row.count for row in result.outcomes.rows if row.group == group)
        assert sum(getattr(row, attribute) for row in outcomes) == expected
    assert sum(row.held for row in meetings) == result.meetings.held_in_quarter
    assert sum(row.due for row in meetings) == result.meetings.required_due
    assert sum(row.held_in_window for row in meetings) == result.meetings.required_held_in_window
    assert sum(row.held_late for row in meetings) == result.meetings.required_held_late
    assert sum(row.overdue for row in meetings) == len(result.overdue)
    present = sum(row.young_person_present for row in meetings)
    assert (present, sum(row.young_person_recorded for row in meetings)) == (
        result.meetings.young_person.present,
        result.meetings.young_person.meetings,
    )


def test_examples_departments_are_the_coordinators_units(examples_result: Figures) -> None:
    departments = {row.group for row in examples_result.breakdowns.outcomes if row.dimension == BY_DEPARTMENT}
    assert departments == {"Myndighed, Børn og Unge", "Ungeenheden"}


_FACTS = st.builds(
    lambda coordinator, department, variant, active, outcome, overdue, required, held: BASE._replace(
        coordinator=coordinator,
        department=department,
        variant=variant,
        active=active,
        outcome=outcome,
        overdue=(_overdue(),) * overdue,
        milestones=required,
        meetings=held,
    ),
    st.sampled_from(["KA", "ka", "MO", ""]),
    st.sampled_from(["Ungeenheden", "ungeenheden", "Jobcenter", ""]),
    st.sampled_from(["udsatte", "psykisk"]),
    st.booleans(),
    st.sampled_from([None, "education", "started_stopped_job", "none"]),
    st.integers(0, 2),
    st.lists(st.sampled_from([IN_WINDOW, LATE, MISSED]), max_size=3).map(tuple),
    st.lists(st.sampled_from([None, True, False]), max_size=3).map(lambda marks: tuple(map(_held, marks))),
)


@given(st.lists(_FACTS, max_size=25))
def test_each_cut_adds_up_for_any_facts(cases: list[CaseFacts]) -> None:
    cuts = breakdowns(cases)
    active = [case for case in cases if case.active]
    for dimension in (BY_COORDINATOR, BY_DEPARTMENT, BY_VARIANT):
        outcomes = [row for row in cuts.outcomes if row.dimension == dimension]
        meetings = [row for row in cuts.meetings if row.dimension == dimension]
        assert sum(row.active for row in outcomes) == len(active)
        assert sum(row.registered for row in outcomes) == sum(case.outcome is not None for case in active)
        assert sum(row.overdue for row in meetings) == sum(len(case.overdue) for case in cases)
        assert sum(row.due for row in meetings) == sum(len(case.milestones) for case in active)
        assert sum(row.held for row in meetings) == sum(len(case.meetings) for case in active)
        assert all(row.active or row.overdue for row in meetings)
        assert len({row.group for row in outcomes}) == len(outcomes)  # each group once
    shown = {case.coordinator.casefold() for case in cases if case.active or case.overdue}
    assert len([row for row in cuts.outcomes if row.dimension == BY_COORDINATOR]) == len(shown)


def _by_definition(cases: list[CaseFacts]) -> dict[tuple[str, str], MeetingCut]:
    """The meeting cuts worked out group by group and case by case, named after the group's first case."""
    groups: dict[tuple[str, str], tuple[str, list[CaseFacts]]] = {}
    for case in cases:
        variant = schema.VARIANT.label_of(case.variant) if case.variant else NOT_GIVEN
        for dimension, key, name in (
            (BY_COORDINATOR, case.coordinator.casefold(), case.coordinator or NOT_GIVEN),
            (BY_DEPARTMENT, case.department.casefold(), case.department or NOT_GIVEN),
            (BY_VARIANT, case.variant or "", variant),
        ):
            groups.setdefault((dimension, key), (name, []))[1].append(case)
    cuts = {}
    for (dimension, _key), (name, members) in groups.items():
        active = [case for case in members if case.active]
        held = [meeting for case in active for meeting in case.meetings]
        required = [fact for case in active for fact in case.milestones]
        cut = MeetingCut(
            dimension,
            name,
            len(active),
            len(held),
            len(required),
            len([fact for fact in required if fact.held_in_window]),
            len([fact for fact in required if fact.held_late]),
            sum(len(case.overdue) for case in members),
            len([meeting for meeting in held if meeting.young_person_present is True]),
            len([meeting for meeting in held if meeting.young_person_present is not None]),
        )
        if cut.active or cut.overdue:
            cuts[(dimension, name)] = cut
    return cuts


@given(st.lists(_FACTS, max_size=25))
def test_cuts_are_those_of_the_definition(cases: list[CaseFacts]) -> None:
    """Counted per distinct combination, the cuts are those worked out case by case: whole numbers, every group
    in any letter case once, named as its first case writes it."""
    cuts = breakdowns(cases)
    assert {(row.dimension, row.group): row for row in cuts.meetings} == _by_definition(cases)
    assert all(type(value) is int for row in cuts.meetings for value in astuple(row)[2:])
    assert all(type(value) is int for row in cuts.outcomes for value in astuple(row)[2:])
