"""Validation rules on model objects: boundaries and edge cases (real-file tests: test_validation_files.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.core.model import Agreement, Case, Consent, Meeting, NetworkPerson, TeamMember, WorkbookData
from samarbejde_xl.core.problems import PROBLEM_TYPES, VALIDATION_CODES, Problem, Severity
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, settings_from
from samarbejde_xl.core.validation import (  # the rules' internals, for their shortcuts' tests
    RULES,
    _agreements,
    _Context,
    _meeting_dates,
    _meeting_span,
    count_by_severity,
    flagged_places,
    format_date,
    problems_by_case,
    validate_batch,
    validate_workbook,
    workbook_settings,
)

TODAY = date(2025, 6, 15)
BIRTH = date(2008, 3, 10)  # 15 on 10-03-2023, 18 on 10-03-2026, 23 on 10-03-2031
INCLUSION = date(2024, 1, 15)
FIRST_MEETING = date(2024, 1, 25)
AGREEMENTS = schema.CASE_BLOCKS_BY_KEY["agreements"]
CONSENT = schema.CASE_BLOCKS_BY_KEY["consent"]
FIELDS = schema.CASE_FIELDS_BY_KEY


def make_case(**changes: object) -> Case:
    """A complete, valid udsatte case; ``changes`` replace fields."""
    case = Case(
        sheet="U-0001",
        case_id="U-0001",
        initials="AB",
        birth_date=BIRTH,
        variant="udsatte",
        inclusion_date=INCLUSION,
        coordinator="KO",
        team=(
            TeamMember("KO", "coordinator"),
            TeamMember("UV", "uu"),
            TeamMember("JC", "jobcenter"),
        ),
        network=(NetworkPerson("Moster", "moster", "close", True, True),),
        consents=(Consent(INCLUSION, "both", row=CONSENT.first_row),),
        agreements=(
            Agreement(
                "Starte på FGU",
                "education",
                "Søge optagelse",
                "uu",
                date(2035, 1, 1),
                status="in_progress",
                row=AGREEMENTS.first_row,
            ),
        ),
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def make_meeting(held_on: date | None = FIRST_MEETING, case_id: str = "U-0001", row: int = 2) -> Meeting:
    return Meeting(row=row, case_id=case_id, date=held_on, kind="start", young_person_present=True)


def make_workbook(
    *cases: Case,
    meetings: tuple[Meeting, ...] | None = None,
    file: str = "guide.xlsx",
    overrides: dict[str, object] | None = None,
) -> WorkbookData:
    return WorkbookData(
        file=file,
        template_version=schema.TEMPLATE_VERSION,
        settings=dict(overrides or {}),
        cases=cases or (make_case(),),
        meetings=(make_meeting(),) if meetings is None else meetings,
    )


def codes(data: WorkbookData, today: date = TODAY, **settings_raw: object) -> list[str]:
    rules = settings_from(settings_raw) if settings_raw else DEFAULT_SETTINGS
    return [problem.code for problem in validate_workbook(data, rules, today)]


def only(data: WorkbookData, code: str, today: date = TODAY) -> Problem:
    problems = validate_workbook(data, DEFAULT_SETTINGS, today)
    assert [problem.code for problem in problems] == [code]
    return problems[0]


def test_complete_case_has_no_problems() -> None:
    assert codes(make_workbook()) == []


# --------------------------------------------------------------------------------------------------
# Boundaries
# --------------------------------------------------------------------------------------------------


def _agreement(**changes: object) -> Case:
    base = make_case().agreements[0]
    return make_case(agreements=(replace(base, **changes),))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"deadline": TODAY}, []),
        ({"deadline": TODAY - timedelta(days=1)}, ["agreement-overdue"]),
        ({"deadline": TODAY - timedelta(days=9), "followed_up_on": TODAY - timedelta(days=9)}, []),
        ({"deadline": TODAY - timedelta(days=9), "followed_up_on": TODAY - timedelta(days=10)}, ["agreement-overdue"]),
        ({"deadline": TODAY - timedelta(days=9), "status": "met"}, []),
        ({"deadline": TODAY - timedelta(days=9), "status": "abandoned"}, []),
        ({"deadline": TODAY - timedelta(days=9), "status": None}, ["agreement-overdue"]),
        ({"deadline": None}, ["agreement-no-deadline"]),
        ({"deadline": None, "status": "met"}, []),
        ({"responsible": None}, ["agreement-no-responsible"]),
        ({"responsible": "young_person"}, []),
    ],
    ids=[
        "deadline-today",
        "deadline-yesterday",
        "followed-up-on-deadline",
        "followed-up-before-deadline",
        "met",
        "abandoned",
        "no-status",
        "no-deadline",
        "no-deadline-but-met",
        "no-responsible",
        "young-person-responsible",
    ],
)
def test_agreement_rules(changes: dict[str, object], expected: list[str]) -> None:
    assert codes(make_workbook(_agreement(**changes))) == expected


def test_agreement_place_and_message() -> None:
    deadline = TODAY - timedelta(days=1)
    problem = only(make_workbook(_agreement(deadline=deadline)), "agreement-overdue")
    assert (problem.sheet, problem.cell, problem.case_id) == ("U-0001", AGREEMENTS.cell(0, "deadline"), "U-0001")
    assert problem.severity is Severity.WARNING
    assert f"Fristen {format_date(deadline)}" in problem.message
    assert "'Starte på FGU'" in problem.message


def test_agreements_of_a_closed_case_are_not_checked() -> None:
    closed = replace(_agreement(deadline=TODAY - timedelta(days=9)), end_date=TODAY, end_reason="goals_met")
    assert codes(make_workbook(closed)) == []


def test_a_cell_flagged_by_reading_is_not_reported_again() -> None:
    data = make_workbook(_agreement(deadline=None))
    place = schema.block_place(AGREEMENTS.key, 0, "deadline")
    read_problem = Problem("date-text", Severity.ERROR, "guide.xlsx", "U-0001", place, "tekst", "U-0001")
    whole_sheet = Problem("unknown-sheet", Severity.WARNING, "guide.xlsx", "Noter", schema.WHOLE_SHEET, "ukendt")
    flagged = flagged_places([read_problem, whole_sheet])
    assert flagged == {("U-0001", place)}
    assert read_problem.cell == AGREEMENTS.cell(0, "deadline")
    assert validate_workbook(data, DEFAULT_SETTINGS, TODAY, flagged_cells=flagged) == []
    assert codes(data) == ["agreement-no-deadline"]


ADULT_DAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("today", "consents", "expected"),
    [
        (ADULT_DAY - timedelta(days=1), (Consent(INCLUSION, "both"),), []),
        (ADULT_DAY, (Consent(INCLUSION, "both"),), ["consent-not-renewed"]),
        (ADULT_DAY, (Consent(INCLUSION, "both"), Consent(ADULT_DAY, "young_person")), []),
        (
            ADULT_DAY + timedelta(days=5),
            (Consent(INCLUSION, "both"), Consent(ADULT_DAY - timedelta(days=1), "young_person")),
            ["consent-not-renewed"],
        ),
        (
            ADULT_DAY + timedelta(days=5),
            (Consent(INCLUSION, "both"), Consent(ADULT_DAY, "young_person", revoked_on=ADULT_DAY + timedelta(days=1))),
            ["consent-not-renewed"],
        ),
        (TODAY, (Consent(INCLUSION, "both", revoked_on=TODAY),), ["consent-missing"]),
        (TODAY, (Consent(INCLUSION, "both", revoked_on=TODAY + timedelta(days=1)),), []),
        (TODAY, (Consent(None, "both"),), ["consent-missing"]),
        (TODAY, (Consent(TODAY + timedelta(days=1), "both"),), ["consent-missing"]),
        (TODAY, (), ["consent-missing"]),
    ],
    ids=[
        "day-before-18",
        "18-today-not-renewed",
        "renewed-on-the-birthday",
        "renewed-the-day-before",
        "renewal-revoked",
        "revoked-today",
        "revoked-tomorrow",
        "no-date",
        "dated-in-the-future",
        "no-consent",
    ],
)
def test_consent_rules(today: date, consents: tuple[Consent, ...], expected: list[str]) -> None:
    assert codes(make_workbook(make_case(consents=consents)), today) == expected


def test_consent_missing_needs_a_held_meeting() -> None:
    case = make_case(consents=(), inclusion_date=TODAY - timedelta(days=5))
    assert codes(make_workbook(case, meetings=())) == []
    assert codes(make_workbook(case, meetings=(make_meeting(TODAY),))) == ["consent-missing"]


def test_consent_not_renewed_points_at_the_first_free_consent_row() -> None:
    problem = only(make_workbook(), "consent-not-renewed", ADULT_DAY)
    assert problem.cell == CONSENT.cell(1, "given_on")
    assert f"fyldte 18 år den {format_date(ADULT_DAY)}" in problem.message


def test_consent_renewal_is_not_asked_for_a_case_closed_before_18() -> None:
    closed = make_case(end_date=ADULT_DAY - timedelta(days=1), end_reason="moved")
    assert codes(make_workbook(closed), ADULT_DAY + timedelta(days=1)) == []


END_DAY = date(2031, 3, 10)  # 23rd birthday


@pytest.mark.parametrize(
    ("today", "end_date", "expected"),
    [
        (END_DAY - timedelta(days=1), None, []),
        (END_DAY, None, ["active-past-end-age"]),
        (END_DAY, END_DAY, []),
        (END_DAY + timedelta(days=3), END_DAY + timedelta(days=1), ["end-after-end-age"]),
    ],
    ids=["day-before-end-age", "end-age-today", "ended-on-the-birthday", "ended-after-the-birthday"],
)
def test_end_age(today: date, end_date: date | None, expected: list[str]) -> None:
    # a valid renewed consent and a recent meeting keep the other rules quiet
    case = make_case(end_date=end_date, consents=(Consent(ADULT_DAY, "young_person"),))
    data = make_workbook(case, meetings=(make_meeting(), make_meeting(min(today, END_DAY), row=3)))
    assert codes(data, today) == expected


def test_end_age_of_a_leap_day_birth_is_the_28th_of_february() -> None:
    case = make_case(
        birth_date=date(2008, 2, 29), inclusion_date=date(2024, 1, 15), consents=(Consent(date(2026, 3, 1), "both"),)
    )
    assert codes(make_workbook(case), date(2031, 2, 27)) == []
    problem = only(make_workbook(case), "active-past-end-age", date(2031, 2, 28))
    assert "fyldte 23 år den 28-02-2031" in problem.message
    assert problem.cell == FIELDS["end_date"].cell


@pytest.mark.parametrize(
    ("variant", "inclusion", "settings_raw", "expected"),
    [
        ("udsatte", date(2023, 3, 10), {}, []),
        ("udsatte", date(2023, 3, 9), {}, ["inclusion-before-start-age"]),
        ("psykisk", date(2024, 3, 10), {}, []),
        ("psykisk", date(2024, 3, 9), {}, ["inclusion-too-young"]),
        ("psykisk", date(2023, 3, 10), {"psykisk.min_inclusion_age": 15}, []),
        ("udsatte", date(2031, 3, 9), {}, ["active-past-end-age"]),
        ("udsatte", date(2031, 3, 10), {}, ["inclusion-after-end-age", "active-past-end-age"]),
        ("psykisk", date(2031, 3, 10), {}, []),
        ("udsatte", date(2007, 1, 1), {}, ["inclusion-before-birth"]),
    ],
    ids=[
        "udsatte-on-15th-birthday",
        "udsatte-day-before-15",
        "psykisk-on-16th-birthday",
        "psykisk-day-before-16",
        "psykisk-15-allowed-by-setting",
        "udsatte-day-before-23",
        "udsatte-on-23rd-birthday",
        "psykisk-at-23",
        "before-birth",
    ],
)
def test_inclusion_age(variant: str, inclusion: date, settings_raw: dict[str, object], expected: list[str]) -> None:
    case = make_case(variant=variant, inclusion_date=inclusion, consents=(Consent(inclusion, "both"),))
    meeting = make_meeting(max(inclusion, FIRST_MEETING))
    today = max(TODAY, inclusion + timedelta(days=1))
    data = make_workbook(case, meetings=(meeting,))
    found = codes(data, today, **settings_raw)
    if variant == "psykisk":  # psykisk has no UU/jobcenter rule, so the udsatte team is fine
        assert "team-no-uu" not in found
    assert [code for code in found if code != "consent-not-renewed"] == expected


def test_udsatte_start_meeting_window_counts_from_the_15th_birthday() -> None:
    early = make_case(inclusion_date=date(2022, 6, 1))
    deadline = date(2023, 3, 10) + timedelta(days=DEFAULT_SETTINGS.start_window_days)
    assert codes(make_workbook(early, meetings=()), deadline) == ["inclusion-before-start-age"]
    found = codes(make_workbook(early, meetings=()), deadline + timedelta(days=1))
    assert found == ["inclusion-before-start-age", "no-meetings"]


@pytest.mark.parametrize(
    ("days_after_inclusion", "expected"), [(30, []), (31, ["no-meetings"])], ids=["last-day", "day-after"]
)
def test_start_window(days_after_inclusion: int, expected: list[str]) -> None:
    data = make_workbook(make_case(), meetings=())
    assert codes(data, INCLUSION + timedelta(days=days_after_inclusion)) == expected


def test_a_checklist_row_without_a_date_still_counts_as_a_meeting_for_the_start_rule() -> None:
    data = make_workbook(make_case(consents=()), meetings=(make_meeting(None),))
    assert codes(data) == []


@pytest.mark.parametrize(
    ("held_on", "expected"),
    [
        (TODAY, []),
        (TODAY + timedelta(days=1), ["meeting-in-future"]),
        (BIRTH, ["meeting-before-birth"]),
        (INCLUSION, []),
        (INCLUSION - timedelta(days=1), ["meeting-before-inclusion"]),
    ],
    ids=["today", "tomorrow", "on-birth-date", "on-inclusion", "day-before-inclusion"],
)
def test_meeting_dates(held_on: date, expected: list[str]) -> None:
    data = make_workbook(meetings=(make_meeting(), make_meeting(held_on, row=3)))
    found = codes(data)
    if held_on == BIRTH:  # a meeting on the birth date is before the inclusion
        assert found == ["meeting-before-inclusion"]
    else:
        assert found == expected


def test_meeting_before_birth_names_both_dates_and_the_row() -> None:
    data = make_workbook(meetings=(make_meeting(), make_meeting(date(2007, 1, 2), row=7)))
    problem = only(data, "meeting-before-birth")
    assert (problem.sheet, problem.cell) == (schema.SHEET_CHECKLIST, schema.checklist_cell(7, "date"))
    assert problem.message.startswith("Mødet den 02-01-2007 ligger før fødselsdatoen 10-03-2008")


def test_meeting_after_end() -> None:
    case = make_case(end_date=date(2025, 1, 31), end_reason="moved")
    data = make_workbook(case, meetings=(make_meeting(), make_meeting(date(2025, 2, 1), row=3)))
    assert codes(data) == ["meeting-after-end"]


def test_meeting_for_an_unknown_case_points_at_its_id_cell() -> None:
    data = make_workbook(meetings=(make_meeting(), make_meeting(case_id="U-0009", row=5)))
    problem = only(data, "meeting-unknown-case")
    assert (problem.sheet, problem.cell, problem.case_id) == (
        schema.SHEET_CHECKLIST,
        schema.checklist_cell(5, "case_id"),
        "U-0009",
    )


@pytest.mark.parametrize("spelled", ["u-0001", "U -0001", "U-0001\u00a0x"])
def test_meeting_ids_are_matched_exactly_and_a_spelling_of_a_known_id_is_named(spelled: str) -> None:
    data = make_workbook(meetings=(make_meeting(), make_meeting(case_id=spelled, row=3)))
    if spelled == "u-0001":
        problem = only(data, "meeting-case-id-spelling")
        assert problem.cell == schema.checklist_cell(3, "case_id")
        assert problem.message == (
            "Ung-id 'u-0001' i Mødetjekliste er stavet anderledes end 'U-0001' på arket 'U-0001', så mødet tæller "
            "ikke med. Skriv id'et præcis som på sagsarket."
        )
    else:
        assert codes(data) == ["meeting-unknown-case"]


def test_a_meeting_without_id_is_left_to_reading() -> None:
    assert codes(make_workbook(meetings=(make_meeting(), make_meeting(case_id="", row=3)))) == []


# --------------------------------------------------------------------------------------------------
# Team and network
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "professions", "expected"),
    [
        ("udsatte", ("coordinator", "uu", "jobcenter"), []),
        ("udsatte", ("uu", "jobcenter"), ["team-no-coordinator"]),
        ("udsatte", ("coordinator", "jobcenter"), ["team-no-uu"]),
        ("udsatte", ("coordinator", "uu"), ["team-no-jobcenter"]),
        ("udsatte", (), ["team-no-coordinator", "team-no-uu", "team-no-jobcenter"]),
        ("psykisk", ("coordinator",), []),
        ("psykisk", (None,), ["team-no-coordinator"]),
    ],
    ids=["udsatte-full", "no-coordinator", "no-uu", "no-jobcenter", "empty", "psykisk-guide-only", "psykisk-unknown"],
)
def test_team(variant: str, professions: tuple[str | None, ...], expected: list[str]) -> None:
    team = tuple(TeamMember(f"P{index}", profession) for index, profession in enumerate(professions))
    case = make_case(variant=variant, team=team, inclusion_date=date(2024, 3, 10))
    data = make_workbook(case, meetings=(make_meeting(date(2024, 3, 20)),))
    assert codes(data) == expected


def test_team_messages_use_the_variants_word() -> None:
    udsatte = only(
        make_workbook(make_case(team=(TeamMember("UV", "uu"), TeamMember("JC", "jobcenter")))), "team-no-coordinator"
    )
    psykisk_case = make_case(variant="psykisk", team=(), inclusion_date=date(2024, 3, 10))
    psykisk = only(make_workbook(psykisk_case, meetings=(make_meeting(date(2024, 3, 20)),)), "team-no-coordinator")
    assert "Tilføj koordinatoren" in udsatte.message
    assert "Tilføj guiden" in psykisk.message
    assert udsatte.severity is Severity.ERROR
    assert udsatte.cell == schema.CASE_BLOCKS_BY_KEY["team"].cell(0, "profession")


@pytest.mark.parametrize(
    ("network", "meetings", "expected"),
    [
        ((NetworkPerson("Moster", is_adult=True),), (make_meeting(TODAY),), []),
        ((NetworkPerson("Moster", is_adult=False),), (make_meeting(TODAY),), ["no-network-adult"]),
        ((NetworkPerson("Moster", is_adult=None),), (make_meeting(TODAY),), ["no-network-adult"]),
        ((), (make_meeting(TODAY),), ["no-network-adult"]),
        ((), (), []),
        ((), (make_meeting(TODAY + timedelta(days=1)),), ["meeting-in-future"]),
    ],
    ids=["adult", "not-adult", "unanswered", "empty", "no-meeting-yet", "only-a-future-meeting"],
)
def test_network_adult(network: tuple[NetworkPerson, ...], meetings: tuple[Meeting, ...], expected: list[str]) -> None:
    inclusion = TODAY - timedelta(days=5)  # no start-meeting warning
    case = make_case(network=network, inclusion_date=inclusion, consents=(Consent(inclusion, "both"),))
    assert codes(make_workbook(case, meetings=meetings)) == expected


@pytest.mark.parametrize(("variant", "role"), [("udsatte", "den unges voksne"), ("psykisk", "en netværksperson")])
def test_network_message_names_the_variants_role(variant: str, role: str) -> None:
    case = make_case(variant=variant, network=(), inclusion_date=date(2024, 3, 10))
    problem = only(make_workbook(case, meetings=(make_meeting(date(2024, 3, 20)),)), "no-network-adult")
    assert f"markeret som {role}." in problem.message
    assert problem.cell == schema.CASE_BLOCKS_BY_KEY["network"].cell(0, "is_adult")


# --------------------------------------------------------------------------------------------------
# Case dates
# --------------------------------------------------------------------------------------------------


def test_end_before_inclusion() -> None:
    case = make_case(end_date=INCLUSION - timedelta(days=1), end_reason="moved")
    problem = only(make_workbook(case, meetings=()), "end-before-inclusion")
    assert problem.cell == FIELDS["end_date"].cell
    assert problem.message == (
        "Slutdatoen 14-01-2024 ligger før inklusionsdatoen 15-01-2024. Ret slutdatoen eller inklusionsdatoen."
    )


def test_missing_dates_and_variant_are_left_to_reading() -> None:
    case = make_case(birth_date=None, variant=None, inclusion_date=None)
    assert codes(make_workbook(case, meetings=())) == []


# --------------------------------------------------------------------------------------------------
# Duplicate ids
# --------------------------------------------------------------------------------------------------


def test_duplicate_id_in_one_workbook_is_reported_on_the_second_sheet() -> None:
    second = make_case(sheet="U-0002", case_id=" u-0001")
    problems = [p for p in validate_workbook(make_workbook(make_case(), second), DEFAULT_SETTINGS, TODAY)]
    duplicate = [p for p in problems if p.code == "duplicate-case-id"]
    assert len(duplicate) == 1
    assert (duplicate[0].sheet, duplicate[0].cell) == ("U-0002", FIELDS["case_id"].cell)
    assert "arket 'U-0001'" in duplicate[0].message


@pytest.mark.parametrize("spelled", ["U-0001", " u-0001", "U-0001\t", "u-0001"])
def test_an_id_differing_only_in_letter_case_or_outer_space_is_the_same_id(spelled: str) -> None:
    second = make_case(sheet="U-0002", case_id=spelled)
    assert codes(make_workbook(make_case(), second, meetings=())).count("duplicate-case-id") == 1


def test_ids_differing_in_inner_white_space_are_one_id_in_and_across_workbooks() -> None:
    inside = make_workbook(make_case(case_id="U 0001"), make_case(sheet="U-0002", case_id="u  0001"), meetings=())
    assert codes(inside).count("duplicate-case-id") == 1
    across = validate_batch(
        [
            make_workbook(make_case(case_id="U 0001"), file="a.xlsx"),
            make_workbook(make_case(case_id="U\u00a00001"), file="b.xlsx"),
        ]
    )
    assert [(p.code, p.file) for p in across] == [("duplicate-case-id-across", "b.xlsx")]


def test_ids_that_differ_in_a_character_are_not_duplicates() -> None:
    found = codes(make_workbook(make_case(case_id="U-0001"), make_case(sheet="U-0002", case_id="U-00 01"), meetings=()))
    assert "duplicate-case-id" not in found


def test_blank_ids_are_not_duplicates() -> None:
    found = codes(make_workbook(make_case(case_id=""), make_case(sheet="Sag", case_id=""), meetings=()))
    assert "duplicate-case-id" not in found


def test_validate_batch_reports_each_later_workbook() -> None:
    first = make_workbook(file="a.xlsx")
    second = make_workbook(file="b.xlsx")
    third = make_workbook(make_case(case_id="U-0001"), make_case(sheet="U-0002", case_id="U-0002"), file="c.xlsx")
    problems = validate_batch([first, second, third])
    assert [(p.code, p.file, p.case_id) for p in problems] == [
        ("duplicate-case-id-across", "b.xlsx", "U-0001"),
        ("duplicate-case-id-across", "c.xlsx", "U-0001"),
    ]
    assert "findes også i a.xlsx (arket 'U-0001';" in problems[0].message


def test_validate_batch_leaves_duplicates_inside_one_workbook_alone() -> None:
    data = make_workbook(make_case(), make_case(sheet="U-0002"))
    assert validate_batch([data]) == []


# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------


def test_workbook_settings_applies_good_overrides_and_reports_bad_ones() -> None:
    data = make_workbook(overrides={"soon_days": 14, "start_window_days": "mange", "attendance_strict": "måske"})
    rules, problems = workbook_settings(data, DEFAULT_SETTINGS)
    assert rules.soon_days == 14
    assert rules.start_window_days == DEFAULT_SETTINGS.start_window_days
    assert [(p.code, p.sheet, p.cell) for p in problems] == [
        ("setting-invalid", schema.SHEET_SETTINGS, schema.settings_value_cell("start_window_days")),
        ("setting-invalid", schema.SHEET_SETTINGS, schema.settings_value_cell("attendance_strict")),
    ]
    assert problems[0].message.startswith("Startmøde: dage efter inklusion: skal være et helt tal fra 0 til 365")


def test_workbook_settings_inconsistent_ages() -> None:
    data = make_workbook(overrides={"udsatte.start_age": 20, "udsatte.end_age": 18})
    rules, problems = workbook_settings(data, DEFAULT_SETTINGS)
    assert [p.cell for p in problems] == [schema.settings_value_cell("udsatte.end_age")]
    assert (rules.udsatte_start_age, rules.udsatte_end_age) == (20, DEFAULT_SETTINGS.udsatte_end_age)


def test_workbook_settings_without_overrides_is_the_base() -> None:
    base = settings_from({"soon_days": 10})
    assert workbook_settings(make_workbook(), base) == (base, [])


# --------------------------------------------------------------------------------------------------
# Summaries and the rule table
# --------------------------------------------------------------------------------------------------


def test_problems_by_case_and_count_by_severity() -> None:
    data = make_workbook(
        make_case(team=()),
        make_case(sheet="U-0002", case_id="U-0002", agreements=()),
        meetings=(make_meeting(), make_meeting(case_id="U-0002", row=3), make_meeting(case_id="U-0003", row=4)),
    )
    problems = validate_workbook(data, DEFAULT_SETTINGS, TODAY)
    grouped = problems_by_case(problems)
    assert {key: [p.code for p in value] for key, value in grouped.items()} == {
        "U-0001": ["team-no-coordinator", "team-no-uu", "team-no-jobcenter"],
        "U-0003": ["meeting-unknown-case"],
    }
    assert count_by_severity(problems) == (2, 2)
    assert count_by_severity([]) == (0, 0)
    settings_problem = workbook_settings(make_workbook(overrides={"soon_days": "x"}), DEFAULT_SETTINGS)[1]
    assert problems_by_case(settings_problem) == {}


def test_rules_table_is_the_registered_validation_codes() -> None:
    assert [rule.code for rule in RULES] == list(VALIDATION_CODES)
    assert len(set(VALIDATION_CODES)) == len(VALIDATION_CODES)
    for rule in RULES:
        assert PROBLEM_TYPES[rule.code] is rule
        assert rule.title and rule.template.rstrip().endswith(".")


# --------------------------------------------------------------------------------------------------
# Property: any dates give well-placed problems, never an exception
# --------------------------------------------------------------------------------------------------

_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
_KNOWN_SHEETS = {schema.SHEET_CHECKLIST, "U-0001"}


@settings(max_examples=150, deadline=None)
@given(
    birth=st.one_of(st.none(), _dates),
    inclusion=st.one_of(st.none(), _dates),
    end=st.one_of(st.none(), _dates),
    held=st.lists(st.one_of(st.none(), _dates), max_size=4),
    variant=st.sampled_from(["udsatte", "psykisk", None]),
    today=_dates,
)
def test_any_dates_give_placed_known_problems(
    birth: date | None,
    inclusion: date | None,
    end: date | None,
    held: list[date | None],
    variant: str | None,
    today: date,
) -> None:
    case = make_case(birth_date=birth, inclusion_date=inclusion, end_date=end, variant=variant)
    meetings = tuple(make_meeting(day, row=2 + index) for index, day in enumerate(held))
    problems = validate_workbook(make_workbook(case, meetings=meetings), DEFAULT_SETTINGS, today)
    for problem in problems:
        assert problem.code in VALIDATION_CODES
        assert problem.sheet in _KNOWN_SHEETS and problem.cell
        schema.parse_cell(problem.cell)
        assert problem.severity is PROBLEM_TYPES[problem.code].severity
    future = [m for m in meetings if m.date is not None and m.date > today]
    assert sum(p.code == "meeting-in-future" for p in problems) == len(future)


# --------------------------------------------------------------------------------------------------
# The rules' shortcuts for the common case give what their general paths give
# --------------------------------------------------------------------------------------------------

_AROUND_TODAY = [TODAY + timedelta(days=days) for days in (-1, 0, 1)]  # the boundaries, not left to chance
_DAYS = st.one_of(st.none(), st.sampled_from(_AROUND_TODAY), st.dates(date(2005, 1, 1), date(2027, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(_DAYS, _DAYS, _DAYS, st.data())
def test_meeting_span_is_where_meeting_dates_report_nothing(
    birth: date | None, inclusion: date | None, end: date | None, data: st.DataObject
) -> None:
    """``_check_meetings`` skips a meeting inside ``_meeting_span`` without asking ``_meeting_dates``: exactly
    there ``_meeting_dates`` has nothing to report (meeting dates on and next to every boundary included)."""
    boundaries = [day for day in (birth, inclusion, end, TODAY) if day is not None]
    near = st.sampled_from(boundaries).flatmap(lambda day: st.sampled_from([day + timedelta(d) for d in (-1, 0, 1)]))
    held_on = data.draw(st.one_of(near, st.dates(date(2004, 1, 1), date(2028, 12, 31))))
    case = make_case(birth_date=birth, inclusion_date=inclusion, end_date=end)
    context = _Context("f.xlsx", schema.TEMPLATE_VERSION, DEFAULT_SETTINGS, TODAY, frozenset())
    earliest, latest = _meeting_span(case, TODAY)
    reported = list(_meeting_dates(Meeting(5, case.case_id, held_on, "follow_up", True), held_on, case, context))
    assert (earliest <= held_on <= latest) == (not reported)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([None, "in_progress", "met", "abandoned"]),
    st.sampled_from([None, "uu"]),
    _DAYS,
    _DAYS,
    st.booleans(),
)
def test_agreements_report_exactly_what_the_rules_say(
    status: str | None, responsible: str | None, deadline: date | None, followed_up: date | None, flagged: bool
) -> None:
    """``_agreements`` (which describes only the agreements it reports on) gives, for an open agreement, a missing
    responsible or deadline unless that cell already has a problem, and an overdue deadline not followed up on."""
    agreement = Agreement("Mål", "education", "", responsible, deadline, followed_up, status, row=AGREEMENTS.first_row)
    case = make_case(agreements=(agreement,))
    places = {schema.block_place("agreements", 0, key) for key in ("responsible", "deadline")} if flagged else set()
    context = _Context("f.xlsx", schema.TEMPLATE_VERSION, DEFAULT_SETTINGS, TODAY, {(case.sheet, p) for p in places})
    expected = []
    if status not in ("met", "abandoned"):
        if responsible is None and not flagged:
            expected.append("agreement-no-responsible")
        if deadline is None and not flagged:
            expected.append("agreement-no-deadline")
        if deadline is not None and deadline < TODAY and not (followed_up is not None and followed_up >= deadline):
            expected.append("agreement-overdue")
    assert [problem.code for problem in _agreements(case, context)] == expected
