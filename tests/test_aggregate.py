"""Headline figures of the leader report, checked against values computed by hand for six young people.

The municipality below (quarter 2026Q3, run on 15 October 2026, default settings):

- A (udsatte, born 15-01-2008, guide KA): included 10-01-2025; the 18½ meeting held 20-07-2026 in its window;
  an extra meeting 01-09-2026 without the young person. Education: none -> FGU -> none (started, stopped).
- B (psykisk, born 20-02-2008, guide LB): included 01-09-2025; only a follow-up 05-07-2026, so the 18½ meeting
  (window 21-07 … 19-09-2026) is overdue by 26 days. Status: STU -> ordinary job.
- C (udsatte, born 05-05-2010, guide KA): included 01-08-2026 (started in the quarter); the start meeting held
  late on 10-09-2026 (window ended 31-08). No status registered, no consent.
- D (udsatte, born 01-06-2003, guide MC): reached 23 on 01-06-2026, before the quarter: not active.
- E (psykisk, born 10-01-2002, guide "lb"): ended 15-08-2026 (goals met). Status: none -> higher education + flexjob.
- F: no birth date: counted as a young person, in no figure.
"""

from __future__ import annotations

import itertools
from dataclasses import astuple, replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.consolidation import with_trend
from samarbejde_xl.core.aggregate import _overdue_rows, aggregate, key_figures
from samarbejde_xl.core.facts import (
    AGE_BANDS,
    CaseFacts,
    MeetingFact,
    MilestoneFact,
    OverdueFact,
    Unreadable,
    WorkbookFacts,
    age_band,
    case_facts,
    unreadable_facts,
    with_problems,
    workbook_facts,
)
from samarbejde_xl.core.figures import Figures, KeyFigures
from samarbejde_xl.core.model import Agreement, Case, Consent, Meeting, NetworkPerson, TeamMember, WorkbookData
from samarbejde_xl.core.outcomes import (
    UNREGISTERED_LABEL,
    current_outcome,
    current_status,
    outcome_category,
    status_history,
)
from samarbejde_xl.core.problems import Problem, make_problem
from samarbejde_xl.core.quarter import Quarter, parse_quarter, quarter_of
from samarbejde_xl.core.settings import DEFAULT_SETTINGS
from samarbejde_xl.core.sheet_writes import case_writes

Q3 = Quarter(2026, 3)
TODAY = date(2026, 10, 15)
_rows = itertools.count(2)


def meeting(case_id: str, day: date, kind: str, *, present: bool = True, **fields: object) -> Meeting:
    return Meeting(row=next(_rows), case_id=case_id, date=day, kind=kind, young_person_present=present, **fields)  # type: ignore[arg-type]


def team(*professions: str) -> tuple[TeamMember, ...]:
    return tuple(TeamMember(f"P{index}", profession) for index, profession in enumerate(professions))


ADULT = (NetworkPerson("XY", "moster", is_adult=True),)

CASE_A = Case(
    "U-0001",
    "U-0001",
    birth_date=date(2008, 1, 15),
    variant="udsatte",
    inclusion_date=date(2025, 1, 10),
    coordinator="KA",
    team=team("coordinator", "uu", "jobcenter"),
    network=ADULT,
    consents=(Consent(date(2025, 1, 10), "young_person"), Consent(date(2026, 1, 20), "young_person")),
    agreements=(
        Agreement("Mål 1", status="in_progress", set_at=date(2026, 7, 20), deadline=date(2026, 9, 1)),
        Agreement("Mål 2", status="met", set_at=date(2025, 6, 20), deadline=date(2025, 12, 1)),
    ),
)
MEETINGS_A = (
    meeting("U-0001", date(2025, 1, 20), "start", education="none", job="none", scores={"social": 3, "economy": 4}),
    meeting("U-0001", date(2025, 6, 20), "m17_5", education="fgu"),
    meeting(
        "U-0001",
        date(2026, 7, 20),
        "m18_5",
        adult_present=True,
        professions_present=frozenset({"coordinator", "uu"}),
        education="none",
        job="none",
        scores={"social": 5, "economy": 4},
        involvement={"heard": 4, "useful": None},
    ),
    meeting(
        "U-0001",
        date(2026, 9, 1),
        "extra",
        present=False,
        adult_present=False,
        professions_present=frozenset({"coordinator", "jobcenter"}),
        agreements_made=2,
    ),
)

CASE_B = Case(
    "U-0002",
    "U-0002",
    birth_date=date(2008, 2, 20),
    variant="psykisk",
    inclusion_date=date(2025, 9, 1),
    coordinator="LB",
    team=team("coordinator", "adult_psychiatry", "uu"),
    consents=(Consent(date(2026, 3, 1), "young_person"),),
    agreements=(Agreement("Mål 3", status="not_started", set_at=date(2026, 7, 5), deadline=date(2026, 12, 1)),),
)
MEETINGS_B = (
    meeting("U-0002", date(2025, 9, 10), "start", education="stu", job="none", scores={"wellbeing": 6}),
    meeting(
        "U-0002",
        date(2026, 7, 5),
        "follow_up",
        professions_present=frozenset({"coordinator", "adult_psychiatry"}),
        education="none",
        job="ordinary",
        scores={"wellbeing": 4, "social": 7},
        involvement={"heard": 2, "useful": 5, "safe": 3},
    ),
)

CASE_C = Case(
    "U-0003",
    "U-0003",
    birth_date=date(2010, 5, 5),
    variant="udsatte",
    inclusion_date=date(2026, 8, 1),
    coordinator="KA",
    team=team("coordinator", "uu", "jobcenter"),
    network=ADULT,
)
MEETINGS_C = (
    meeting(
        "U-0003",
        date(2026, 9, 10),
        "start",
        adult_present=False,
        professions_present=frozenset({"coordinator"}),
        involvement={"heard": 5, "decided_goals": 4},
    ),
)

CASE_D = Case(
    "U-0004",
    "U-0004",
    birth_date=date(2003, 6, 1),
    variant="udsatte",
    inclusion_date=date(2020, 1, 1),
    coordinator="MC",
    team=team("coordinator", "uu"),
    agreements=(Agreement("Mål 4", status="in_progress", set_at=date(2026, 7, 10)),),
)
MEETINGS_D = (meeting("U-0004", date(2026, 7, 10), "extra", education="fgu", scores={"social": 1}),)

CASE_E = Case(
    "U-0005",
    "U-0005",
    birth_date=date(2002, 1, 10),
    variant="psykisk",
    inclusion_date=date(2024, 1, 1),
    coordinator="lb",
    end_date=date(2026, 8, 15),
    end_reason="goals_met",
    team=team("coordinator", "jobcenter"),
    network=ADULT,
    consents=(Consent(date(2024, 1, 1), "young_person"),),
    agreements=(
        Agreement("Mål 5", status="met", set_at=date(2024, 1, 5)),
        Agreement("Mål 6", status="abandoned", set_at=date(2026, 8, 10), deadline=date(2026, 8, 1)),
    ),
)
MEETINGS_E = (
    meeting("U-0005", date(2024, 1, 5), "start", education="none", job="none", scores={"social": 6, "housing": 2}),
    meeting(
        "U-0005",
        date(2026, 8, 10),
        "end",
        adult_present=True,
        professions_present=frozenset({"coordinator", "jobcenter"}),
        education="higher",
        job="flex",
        scores={"social": 8, "housing": 2},
        involvement={"heard": 4, "safe": None},
        agreements_followed_up=1,
    ),
)

CASE_F = Case("U-0006", "U-0006", variant="udsatte", inclusion_date=date(2026, 1, 1), coordinator="NN")


def _problems(file: str, codes: list[str]) -> list[Problem]:
    return [
        make_problem(
            code,
            file=file,
            sheet="U-0001",
            place=schema.field_place("birth_date"),
            label="Fødselsdato",
            value="x",
            hint="",
        )
        for code in codes
    ]


def _facts() -> list[WorkbookFacts]:
    book_1 = WorkbookData(
        "guide-1.xlsx", 1, "Demokommune", {}, (CASE_A, CASE_B, CASE_C), MEETINGS_A + MEETINGS_B + MEETINGS_C
    )
    book_2 = WorkbookData("guide-2.xlsx", 1, "Demokommune", {}, (CASE_D, CASE_E, CASE_F), MEETINGS_D + MEETINGS_E)
    return [
        workbook_facts(book_2, _problems("guide-2.xlsx", ["date-text"]), DEFAULT_SETTINGS, Q3, TODAY),
        unreadable_facts("broken.xlsx", Unreadable.EMPTY, "the file is empty (0 bytes). Restore the workbook"),
        workbook_facts(
            book_1, _problems("guide-1.xlsx", ["date-text", "date-text", "cpr-like"]), DEFAULT_SETTINGS, Q3, TODAY
        ),
    ]


def _key(quarter: str, active: int) -> KeyFigures:
    return KeyFigures(quarter, quarter, 1, active, active, 0, 0, 0, None, None, None, None, None, None, 0, 0, 0)


@pytest.fixture(scope="module")
def result() -> Figures:
    return aggregate(_facts(), quarter=Q3, today=TODAY)


def test_counts(result: Figures) -> None:
    counts = result.counts
    assert (counts.workbooks_found, counts.workbooks_read, counts.workbooks_unreadable) == (3, 2, 1)
    assert (counts.young_people, counts.active, counts.started, counts.ended, counts.incomplete) == (6, 4, 1, 1, 1)
    assert counts.coordinators == 4  # KA, LB (= lb), MC, NN
    assert (counts.errors, counts.warnings, counts.workbooks_with_errors) == (3, 1, 2)
    assert result.municipalities == ("Demokommune",)
    assert result.as_of == date(2026, 9, 30)


def test_caseload_by_variant_and_age_band(result: Figures) -> None:
    assert [(r.key, r.active, r.started, r.ended) for r in result.caseload_by_variant] == [
        ("udsatte", 2, 1, 0),
        ("psykisk", 2, 0, 1),
    ]
    assert [(r.key, r.active, r.started, r.ended) for r in result.caseload_by_age_band] == [
        ("15-17", 1, 1, 0),
        ("18-20", 2, 0, 0),
        ("21-24", 1, 0, 1),
    ]


def _outcomes(table: object) -> dict[str, tuple[int, float | None]]:
    return {row.code: (row.count, row.pct) for row in table.rows if row.count}  # type: ignore[attr-defined]


def test_outcome_percentages(result: Figures) -> None:
    assert result.outcomes.total == 3
    assert len(result.outcomes.rows) == 7
    assert _outcomes(result.outcomes) == {
        "both": (1, pytest.approx(1 / 3)),
        "job": (1, pytest.approx(1 / 3)),
        "started_stopped_education": (1, pytest.approx(1 / 3)),
    }
    assert result.outcome_unregistered == 1  # C
    # C's case sheet says the same: no category, "uden registrering".
    (outcome,) = [
        write.value
        for write in case_writes(CASE_C, None, MEETINGS_C, DEFAULT_SETTINGS, TODAY)
        if write.cell == schema.CASE_FIELDS_BY_KEY["outcome"].cell
    ]
    assert outcome == UNREGISTERED_LABEL
    by_variant = {table.key: (table.total, _outcomes(table)) for table in result.outcomes_by_variant}
    assert by_variant == {
        "udsatte": (1, {"started_stopped_education": (1, 1.0)}),
        "psykisk": (2, {"both": (1, 0.5), "job": (1, 0.5)}),
    }
    by_band = {table.key: (table.total, _outcomes(table)) for table in result.outcomes_by_age_band}
    assert by_band == {
        "15-17": (0, {}),
        "18-20": (2, {"started_stopped_education": (1, 0.5), "job": (1, 0.5)}),
        "21-24": (1, {"both": (1, 1.0)}),
    }
    assert all(row.pct is None for row in result.outcomes_by_age_band[0].rows)
    current = {row.code: row.count for row in result.education_status if row.count}
    assert current == {"none": 2, "higher": 1}
    assert {row.code: row.count for row in result.job_status if row.count} == {"none": 1, "ordinary": 1, "flex": 1}


def test_meeting_compliance(result: Figures) -> None:
    meetings = result.meetings
    assert meetings.held_in_quarter == 5  # A twice, B, C, E; D's meeting is after its course
    assert {row.code: row.count for row in meetings.held_by_kind if row.count} == {
        "start": 1,
        "m18_5": 1,
        "follow_up": 1,
        "extra": 1,
        "end": 1,
    }
    assert (meetings.milestones_due, meetings.milestones_held_in_window, meetings.milestones_held_late) == (3, 1, 1)
    assert meetings.compliance == pytest.approx(1 / 3)
    assert (meetings.m18_5_due, meetings.m18_5_held_in_window, meetings.m18_5_compliance) == (2, 1, 0.5)
    start = next(row for row in meetings.by_milestone if row.kind == "start")
    assert (start.due, start.held_in_window, start.held_late, start.compliance) == (1, 0, 1, 0.0)


def test_attendance(result: Figures) -> None:
    meetings = result.meetings
    assert (meetings.young_person.present, meetings.young_person.meetings, meetings.young_person.rate) == (4, 5, 0.8)
    assert (meetings.adult.present, meetings.adult.meetings, meetings.adult.rate) == (2, 4, 0.5)
    professions = {row.key: (row.present, row.meetings) for row in meetings.professions if row.meetings}
    assert professions == {"coordinator": (5, 5), "uu": (1, 4), "jobcenter": (2, 4), "adult_psychiatry": (1, 1)}
    assert all(row.rate is None for row in meetings.professions if not row.meetings)


def test_overdue_list(result: Figures) -> None:
    assert [
        (row.case_id, row.file, row.coordinator, row.kind, row.kind_label, row.due, row.window_end, row.days_overdue)
        for row in result.overdue
    ] == [
        # A's follow-ups: start meeting 20-01-2025; nothing in the window 20-04 … 20-05-2025, so the follow-up due
        # 20-04 is missed and held late by the 17½ meeting on 20-06-2025 (before the next one falls due on 20-07);
        # from 20-06-2025 the follow-ups due 20-09, 20-12-2025 and 20-03-2026 pass without a meeting (overdue
        # 345, 254 and 164 days on the reporting day 30-09-2026, not counted to today 15-10-2026); the one due
        # 20-06-2026 is held by the 18½ meeting on 20-07-2026 (its window's last day), and the next, due
        # 20-10-2026, is "snart".
        ("U-0001", "guide-1.xlsx", "KA", "follow_up", "Opfølgningsmøde", date(2025, 9, 20), date(2025, 10, 20), 345),
        ("U-0001", "guide-1.xlsx", "KA", "follow_up", "Opfølgningsmøde", date(2025, 12, 20), date(2026, 1, 19), 254),
        ("U-0001", "guide-1.xlsx", "KA", "follow_up", "Opfølgningsmøde", date(2026, 3, 20), date(2026, 4, 19), 164),
        ("U-0002", "guide-1.xlsx", "LB", "m18_5", "Møde ved 18½ år", date(2026, 8, 20), date(2026, 9, 19), 11),
    ]
    assert result.meetings.overdue_count == 4


def _overdue_of_case_a(quarter: Quarter, today: date) -> set[tuple[date, int]]:
    """(due date, days overdue) of U-0001's overdue meetings in a report for ``quarter`` run on ``today``."""
    book = WorkbookData("guide-1.xlsx", 1, "Demokommune", {}, (CASE_A,), MEETINGS_A)
    facts = [workbook_facts(book, [], DEFAULT_SETTINGS, quarter, today)]
    result = aggregate(facts, quarter=quarter, today=today)
    return {(row.due, row.days_overdue) for row in result.overdue}


def test_overdue_list_is_as_of_the_reporting_day() -> None:
    """Run long after the quarter: a meeting overdue today whose window closed after the quarter's end is not on
    the quarter's list (it was not overdue on the cover's "opgjort pr." date), and days stop at that date."""
    late = date(2026, 12, 1)  # U-0001's follow-up due 20-10-2026 (window to 19-11) is overdue by now
    later = _overdue_of_case_a(Q3, late)
    assert later == _overdue_of_case_a(Q3, TODAY)
    assert date(2026, 10, 20) not in {due for due, _days in later}
    assert (date(2026, 10, 20), 12) in _overdue_of_case_a(Quarter(2026, 4), late)  # the next quarter's list


def test_required_meetings_compliance(result: Figures) -> None:
    # Due in Q3 2026: the three milestones above and A's follow-up due 20-06-2026 (window to 20-07, held on
    # 20-07). B's quarterly meeting due 10-12-2025 (missed, held late by the meeting on 05-07-2026) closed in Q1.
    meetings = result.meetings
    by_kind = {row.kind: (row.due, row.held_in_window, row.held_late) for row in meetings.by_required_kind}
    assert by_kind == {
        "start": (1, 0, 1),
        "m16": (0, 0, 0),
        "m17_5": (0, 0, 0),
        "m18_5": (2, 1, 0),
        "quarterly": (0, 0, 0),
        "follow_up": (1, 1, 0),
    }
    assert (meetings.required_due, meetings.required_held_in_window, meetings.required_held_late) == (4, 2, 1)
    assert meetings.required_compliance == 0.5


def test_agreements_and_consent(result: Figures) -> None:
    agreements = result.agreements
    assert (agreements.total, agreements.made_in_quarter, agreements.overdue) == (5, 3, 1)
    statuses = (agreements.not_started, agreements.in_progress, agreements.met, agreements.abandoned)
    assert statuses == (1, 1, 2, 1)
    assert (agreements.young_people_with_current, agreements.young_people_with_current_pct) == (2, 0.5)
    assert (agreements.made_at_meetings, agreements.followed_up_at_meetings) == (2, 1)
    assert (result.consent_valid, result.consent_valid_pct) == (3, 0.75)  # all but C


def test_life_area_averages(result: Figures) -> None:
    rows = {row.code: row for row in result.life_areas}
    social = rows["social"]  # A 3 -> 5, E 6 -> 8; B scored once, D not active
    assert (social.n, social.first_avg, social.latest_avg) == (2, 4.5, 6.5)
    assert (social.improved, social.unchanged, social.worsened) == (1.0, 0.0, 0.0)
    assert (rows["economy"].n, rows["economy"].first_avg, rows["economy"].unchanged) == (1, 4.0, 1.0)
    assert (rows["wellbeing"].n, rows["wellbeing"].latest_avg, rows["wellbeing"].worsened) == (1, 4.0, 1.0)
    assert (rows["housing"].n, rows["housing"].unchanged) == (1, 1.0)
    assert rows["work"].n == 0 and rows["work"].first_avg is None and rows["work"].improved is None


def test_involvement_distribution(result: Figures) -> None:
    rows = {row.item: row for row in result.involvement}
    heard = rows["heard"]  # A 4, B 2, C 5, E 4
    assert (heard.counts, heard.dont_know, heard.answered, heard.mean, heard.share_4_or_5) == (
        (0, 1, 0, 2, 1),
        0,
        4,
        3.75,
        0.75,
    )
    assert (rows["useful"].counts, rows["useful"].dont_know, rows["useful"].mean) == ((0, 0, 0, 0, 1), 1, 5.0)
    assert (rows["safe"].counts, rows["safe"].dont_know, rows["safe"].share_4_or_5) == ((0, 0, 1, 0, 0), 1, 0.0)
    assert (rows["knows_who"].answered, rows["knows_who"].mean) == (0, None)


def test_data_quality_and_top_problems(result: Figures) -> None:
    assert [
        (row.file, row.young_people, row.errors, row.warnings, row.unreadable_reason) for row in result.data_quality
    ] == [
        (
            "broken.xlsx",
            0,
            0,
            0,
            "Filen er tom (0 byte). Gendan projektmappen fra en sikkerhedskopi eller en kollegas kopi.",
        ),
        ("guide-1.xlsx", 3, 2, 1, ""),
        ("guide-2.xlsx", 3, 1, 0, ""),
    ]
    assert [(row.code, row.count) for row in result.top_problems] == [("date-text", 3), ("cpr-like", 1)]
    assert result.top_problems[0].title == "Tekst hvor der skal stå en dato"


def test_trend_replaces_this_quarter_and_keeps_earlier_ones(result: Figures) -> None:
    trend = with_trend([_key("2026Q3", 99), _key("2026Q2", 7)], key_figures(result))
    assert [(row.quarter, row.active) for row in trend] == [("2026Q2", 7), ("2026Q3", 4)]
    current = trend[-1]
    assert (current.success_share, current.partial_share, current.none_share) == (
        pytest.approx(2 / 3),
        pytest.approx(1 / 3),
        0.0,
    )
    assert (current.milestone_compliance, current.young_person_attendance, current.overdue) == (
        pytest.approx(1 / 3),
        0.8,
        4,  # A's three missed follow-ups and B's 18½ meeting
    )


def test_facts_hold_no_names_or_free_text() -> None:
    case = Case(
        "U-0009",
        "U-0009",
        initials="ZZ",
        birth_date=date(2008, 1, 15),
        variant="udsatte",
        inclusion_date=date(2026, 7, 1),
        coordinator="KA",
        notes="secret note",
        team=(TeamMember("Secret Name", "uu"),),
        agreements=(Agreement("secret goal", action="secret action"),),
    )
    facts = case_facts(
        case,
        (meeting("U-0009", date(2026, 7, 2), "start", notes="secret", own_view="secret"),),
        DEFAULT_SETTINGS,
        Q3,
        TODAY,
    )
    assert "secret" not in repr(facts).casefold()
    assert "ZZ" not in repr(facts)


def test_with_problems_adds_counts_by_code() -> None:
    facts = _facts()[0]
    merged = with_problems(facts, _problems("guide-2.xlsx", ["date-text", "cpr-like"]))
    assert [(tally.code, tally.count) for tally in merged.problems] == [("cpr-like", 1), ("date-text", 2)]
    assert (merged.errors, merged.warnings) == (2, 1)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "other"),
        (14, "other"),
        (15, "15-17"),
        (17, "15-17"),
        (18, "18-20"),
        (20, "18-20"),
        (21, "21-24"),
        (24, "21-24"),
        (25, "other"),
    ],
    ids=lambda value: str(value),
)
def test_age_bands(age: int | None, band: str) -> None:
    assert age_band(age).code == band
    assert [b.code for b in AGE_BANDS] == ["15-17", "18-20", "21-24"]


@pytest.mark.parametrize(
    ("text", "quarter", "start", "end"),
    [
        ("2026Q3", Quarter(2026, 3), date(2026, 7, 1), date(2026, 9, 30)),
        ("2026q1", Quarter(2026, 1), date(2026, 1, 1), date(2026, 3, 31)),
        (" 2024-Q4 ", Quarter(2024, 4), date(2024, 10, 1), date(2024, 12, 31)),
        ("2024Q2", Quarter(2024, 2), date(2024, 4, 1), date(2024, 6, 30)),
    ],
    ids=["q3", "lower-case", "dash", "q2"],
)
def test_parse_quarter(text: str, quarter: Quarter, start: date, end: date) -> None:
    parsed = parse_quarter(text)
    assert parsed == quarter
    assert (parsed.start, parsed.end) == (start, end)
    assert quarter_of(start) == parsed and quarter_of(end) == parsed


@pytest.mark.parametrize("text", ["2026Q5", "2026Q0", "Q3 2026", "2026", "26Q3", ""], ids=str)
def test_parse_quarter_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="2026Q3"):
        parse_quarter(text)


def test_quarter_neighbours_and_labels() -> None:
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2026, 3).label == "3. kvartal 2026"
    assert Quarter(2026, 3).code == str(Quarter(2026, 3)) == "2026Q3"


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 10, 1), "2026Q3"), (date(2026, 11, 23), "2026Q3"), (date(2026, 1, 15), "2025Q4")],
    ids=["first-day-of-quarter", "mid-quarter", "across-new-year"],
)
def test_the_default_period_is_the_last_quarter_that_ended(today: date, expected: str) -> None:
    from samarbejde_xl.core.quarter import last_complete_quarter

    assert last_complete_quarter(today) == parse_quarter(expected)


# --------------------------------------------------------------------------------------------------
# The folded figures against their definitions, case by case, for any facts
# --------------------------------------------------------------------------------------------------

_PROFESSIONS = st.frozensets(st.sampled_from(["coordinator", "jobcenter", "uu", "icm"]), max_size=3)
_MEETING = st.builds(
    MeetingFact,
    st.sampled_from([None, "follow_up", "m16"]),
    st.sampled_from([None, True, False]),
    st.sampled_from([None, True, False]),
    _PROFESSIONS,
    st.lists(
        st.tuples(
            st.sampled_from([code for code, _ in schema.INVOLVEMENT_ITEMS[:2]]), st.sampled_from([None, 1, 4, 5])
        ),
        max_size=3,
    ).map(tuple),
    st.integers(0, 2),
    st.integers(0, 2),
)
_ACTIVE = CaseFacts(
    "U-1", "U-1", "KA", "udsatte", "15-17", True, True, False, False, None, None, None, False, True, False,
    frozenset(), (), (), (), (), (),
)  # fmt: skip
_MILESTONES = st.lists(st.builds(MilestoneFact, st.sampled_from(["m16", "follow_up"]), st.booleans(), st.booleans()))
_STATUS = st.sampled_from([None, "not_started", "in_progress", "met", "abandoned"])
_AGREEMENTS = st.lists(st.tuples(_STATUS, st.booleans(), st.booleans()), max_size=3)
_LIFE_AREAS = st.lists(st.tuples(st.sampled_from(["housing", "family"]), st.integers(1, 10), st.integers(1, 10)))


def _active_case(has_adult: bool, team: frozenset[str], meetings: list[MeetingFact], *facts: list[Any]) -> CaseFacts:
    milestones, agreements, life_areas = map(tuple, facts)
    return _ACTIVE._replace(
        has_adult=has_adult,
        team=team,
        meetings=tuple(meetings),
        milestones=milestones,
        agreements=agreements,
        life_areas=life_areas,
    )


_ACTIVE_CASE = st.builds(
    _active_case,
    st.booleans(),
    _PROFESSIONS,
    st.lists(_MEETING, max_size=3),
    _MILESTONES.map(lambda facts: facts[:3]),
    _AGREEMENTS,
    _LIFE_AREAS.map(lambda facts: facts[:2]),
)


@given(st.lists(_ACTIVE_CASE, max_size=12))
def test_folded_figures_are_those_of_the_definitions(cases: list[CaseFacts]) -> None:
    figures = aggregate([WorkbookFacts("a.xlsx", cases=tuple(cases))], quarter=Q3, today=TODAY)
    held = [meeting for case in cases for meeting in case.meetings]
    stats = figures.meetings
    recorded = [meeting for meeting in held if meeting.young_person_present is not None]
    assert (stats.young_person.present, stats.young_person.meetings) == (
        len([meeting for meeting in recorded if meeting.young_person_present]),
        len(recorded),
    )
    adult = [meeting for case in cases if case.has_adult for meeting in case.meetings]
    assert (stats.adult.present, stats.adult.meetings) == (
        len([m for m in adult if m.adult_present is True]),
        len(adult),
    )
    for row in stats.professions:
        with_it = [(case, meeting) for case in cases if row.key in case.team for meeting in case.meetings]
        assert (row.present, row.meetings) == (
            len([1 for _, m in with_it if row.key in m.professions_present]),
            len(with_it),
        )
    for required in stats.by_required_kind:
        facts = [fact for case in cases for fact in case.milestones if fact.kind == required.kind]
        assert (required.due, required.held_in_window, required.held_late) == (
            len(facts),
            len([f for f in facts if f.held_in_window]),
            len([f for f in facts if f.held_late]),
        )
    agreements = [fact for case in cases for fact in case.agreements]
    current = [
        case for case in cases if any(status in ("not_started", "in_progress") for status, _, _ in case.agreements)
    ]
    assert (figures.agreements.total, figures.agreements.made_in_quarter, figures.agreements.overdue) == (
        len(agreements),
        len([a for a in agreements if a[1]]),
        len([a for a in agreements if a[2]]),
    )
    assert (figures.agreements.no_status, figures.agreements.young_people_with_current) == (
        len([a for a in agreements if a[0] is None]),
        len(current),
    )
    assert figures.agreements.made_at_meetings == sum(meeting.agreements_made for meeting in held)
    for area in figures.life_areas:
        scores = [(first, latest) for case in cases for code, first, latest in case.life_areas if code == area.code]
        assert (area.n, area.improved_count, area.worsened_count) == (
            len(scores),
            len([1 for first, latest in scores if latest > first]),
            len([1 for first, latest in scores if latest < first]),
        )
        assert area.first_avg == (sum(f for f, _ in scores) / len(scores) if scores else None)
    for item in figures.involvement:
        answers = [answer for meeting in held for code, answer in meeting.involvement if code == item.item]
        given = [answer for answer in answers if answer is not None]
        assert (item.counts, item.dont_know, item.answered) == (
            tuple(given.count(score) for score in range(1, 6)),
            len(answers) - len(given),
            len(answers),
        )
        assert item.mean == (sum(given) / len(given) if given else None)
    assert all(type(value) is int for value in astuple(figures.agreements) if not isinstance(value, float | None))


_OVERDUE_ITEMS = st.lists(
    st.tuples(
        st.sampled_from(["b.xlsx", "a.xlsx"]),
        st.sampled_from(["U-2", "U-1"]),
        st.sampled_from(["follow_up", "m16"]),
        st.sampled_from([date(2026, 5, 1), date(2026, 4, 1)]),
        st.integers(0, 3),
    ),
    max_size=12,
)


@given(_OVERDUE_ITEMS)
def test_overdue_rows_are_in_the_order_of_their_definition(items: list[tuple[str, str, str, date, int]]) -> None:
    """Most days first, then file, young person and due date; rows equal in all four keep the facts' order (the
    two stable sorts give what one sort by the whole key gives, ties included)."""
    read = [
        WorkbookFacts(
            file,
            cases=tuple(
                _ACTIVE._replace(case_id=case_id, overdue=(OverdueFact(kind, due, due, days),))
                for item_file, case_id, kind, due, days in items
                if item_file == file
            ),
        )
        for file in ("a.xlsx", "b.xlsx")
    ]
    found = _overdue_rows(read)
    unsorted = [(facts.file, case.case_id, item) for facts in read for case in facts.cases for item in case.overdue]
    expected = sorted(unsorted, key=lambda row: (-row[2].days_overdue, row[0], row[1], row[2].due))
    assert [(row.file, row.case_id, row.kind, row.due, row.days_overdue) for row in found] == [
        (file, case_id, item.kind, item.due, item.days_overdue) for file, case_id, item in expected
    ]


# --------------------------------------------------------------------------------------------------
# The facts' one-pass outcome against the outcome rules
# --------------------------------------------------------------------------------------------------

_STATUS_MEETING = st.builds(
    Meeting,
    st.integers(2, 40),
    st.just("U-1"),
    st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2024, 1, 10))),  # few days: ties on the date
    st.just("follow_up"),
    education=st.sampled_from([None, "none", "fgu", "youth_education"]),
    job=st.sampled_from([None, "none", "ordinary", "flex"]),
    programme=st.sampled_from([None, True, False]),
)


@given(st.lists(_STATUS_MEETING, max_size=8), st.booleans())
def test_current_outcome_is_the_status_history_s_category_and_current_status(
    meetings: list[Meeting], programme_counts_as_job: bool
) -> None:
    settings = replace(DEFAULT_SETTINGS, programme_counts_as_job=programme_counts_as_job)
    dated = sorted((m for m in meetings if m.date is not None), key=lambda m: (m.date, m.row))
    outcome = current_outcome([*dated, *(m for m in meetings if m.date is None)], settings)
    history = status_history(meetings)
    if not history:
        assert outcome is None
        return
    current = current_status(history)
    assert current is not None and outcome is not None
    assert outcome == (outcome_category(history, settings), current.education, current.job, current.programme)
