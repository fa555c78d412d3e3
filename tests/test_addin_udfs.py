"""The worksheet functions as plain Python (xlwings' decorators are no-ops off Windows)."""

from __future__ import annotations

import datetime as dt
import inspect
import typing
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from xlwings.conversion import accessors

from samarbejde_xl import schema
from samarbejde_xl.addin import udfs
from samarbejde_xl.addin.values import UNEXPECTED_ERROR
from samarbejde_xl.core.dates import age_on
from samarbejde_xl.core.meetings import plan_meetings
from samarbejde_xl.core.model import Case, Meeting
from samarbejde_xl.core.settings import DEFAULT_SETTINGS

JOB = "job eller beskæftigelsesrettet tilbud"  # the default labels (programmes count as job)

UDFS = [getattr(udfs, name) for name in dir(udfs) if name.startswith("SAM_")]
BIRTH = dt.datetime(2009, 8, 31)  # Excel hands date cells over as datetimes
INCLUSION = dt.datetime(2024, 9, 1)
TODAY = dt.date(2025, 1, 1)


def _serial(day: dt.date) -> float:
    return float((day - dt.date(1899, 12, 30)).days)


def test_udf_names_are_ascii_and_prefixed() -> None:
    assert {function.__name__ for function in UDFS} == {
        "SAM_NAESTE_MOEDE",
        "SAM_MOEDEPLAN",
        "SAM_ALDER",
        "SAM_TJEK",
        "SAM_UDFALD",
    }


@pytest.mark.parametrize("function", UDFS, ids=lambda function: function.__name__)
def test_type_hints_are_plain_value_converters(function: Any) -> None:
    """xlwings turns hints into converters: only ones it registers for plain values may appear."""
    hints = typing.get_type_hints(function)
    assert set(hints) == {*inspect.signature(function).parameters, "return"}
    assert all(hint in accessors and hint is Any for hint in hints.values())


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (dt.datetime(2008, 2, 29), dt.date(2026, 2, 27), 17),
        (dt.datetime(2008, 2, 29), dt.date(2026, 2, 28), 18),  # EDATE: the 18th birthday of a leap-day child
        (dt.datetime(2008, 2, 29), dt.date(2026, 3, 1), 18),
        (_serial(dt.date(2007, 6, 1)), _serial(dt.date(2025, 6, 1)), 18),
        (dt.date(2010, 1, 1), dt.datetime(2025, 12, 31), 15),
    ],
    ids=["leap-day-before", "leap-day-birthday", "leap-day-after", "serial-numbers", "date-and-datetime"],
)
def test_age(birth: object, on: object, expected: int) -> None:
    assert udfs.SAM_ALDER(birth, on) == expected


@given(st.dates(dt.date(1990, 1, 1), dt.date(2020, 12, 31)), st.dates(dt.date(2021, 1, 1), dt.date(2040, 12, 31)))
def test_age_agrees_with_the_core(birth: dt.date, on: dt.date) -> None:
    assert udfs.SAM_ALDER(birth, on) == age_on(birth, on)


def test_age_defaults_to_today() -> None:
    assert udfs.SAM_ALDER(dt.date(2000, 1, 1)) == age_on(dt.date(2000, 1, 1), dt.date.today())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((None,), "Fejl: Fødselsdato mangler."),
        (("1/2/2008", TODAY), "Fejl: Fødselsdato er tekst, ikke en dato. Mente du 01-02-2008?"),
        ((99999999.0, TODAY), "Fejl: Fødselsdato er ikke en gyldig dato."),
        ((dt.date(2030, 1, 1), TODAY), "Fejl: Fødselsdatoen ligger efter datoen."),
        ((True, TODAY), "Fejl: Fødselsdato er ikke en dato."),
    ],
    ids=["missing", "text", "huge-number", "born-later", "boolean"],
)
def test_age_bad_input_is_short_danish_text(args: tuple[object, ...], message: str) -> None:
    result = udfs.SAM_ALDER(*args)
    assert isinstance(result, str) and result.startswith(message)
    assert "Traceback" not in result


def _meetings() -> list[list[object]]:
    return [
        ["U-0001", dt.datetime(2024, 9, 10), "Startmøde", "ja"],
        ["U-0002", dt.datetime(2024, 9, 11), "Startmøde", "ja"],  # someone else
        ["U-0001", None, None, None],  # an empty table row
    ]


def _core_plan(meetings: list[Meeting], end: dt.date | None = None) -> Any:
    case = Case("", "U-0001", birth_date=BIRTH.date(), variant="udsatte", inclusion_date=INCLUSION.date(), end_date=end)
    return plan_meetings(case, meetings, DEFAULT_SETTINGS, TODAY)


def test_next_meeting_is_the_core_plans_next_due() -> None:
    held = [Meeting(1, "U-0001", dt.date(2024, 9, 10), "start", True)]
    expected = _core_plan(held).next_due.window_end
    assert udfs.SAM_NAESTE_MOEDE(BIRTH, "udsatte", INCLUSION, "U-0001", _meetings(), None, TODAY) == expected
    without = _core_plan([]).next_due.window_end
    assert udfs.SAM_NAESTE_MOEDE(BIRTH, "udsatte", INCLUSION, beregningsdato=TODAY) == without
    assert expected != without


def test_meeting_plan_spills_kind_due_and_status() -> None:
    held = [Meeting(1, "U-0001", dt.date(2024, 9, 10), "start", True)]
    expected = [[p.label, p.due, p.status_label] for p in _core_plan(held).meetings]
    result = udfs.SAM_MOEDEPLAN(BIRTH, "Udsatte", INCLUSION, "U-0001", _meetings(), None, TODAY)
    assert result == expected
    assert result[0] == ["Startmøde", INCLUSION.date(), "afholdt"]


def test_end_date_is_passed_to_the_core() -> None:
    end = dt.date(2024, 9, 2)
    expected = [[p.label, p.due, p.status_label] for p in _core_plan([], end).meetings]
    result = udfs.SAM_MOEDEPLAN(BIRTH, "udsatte", INCLUSION, slutdato=end, beregningsdato=TODAY)
    assert result == expected
    assert result != udfs.SAM_MOEDEPLAN(BIRTH, "udsatte", INCLUSION, beregningsdato=TODAY)


def test_settings_range_changes_the_plan() -> None:
    label = schema.SETTINGS_ROWS_BY_KEY["follow_up_months"].label
    rows = [["Indstilling", "Værdi"], [label, 1.0]]
    follow_up = schema.MEETING_KIND.label_of("follow_up")

    def first_follow_up(plan: list[list[object]]) -> object:
        return next(row[1] for row in plan if row[0] == follow_up)

    monthly = udfs.SAM_MOEDEPLAN(BIRTH, "udsatte", INCLUSION, beregningsdato=TODAY, indstillinger=rows)
    assert first_follow_up(monthly) == dt.date(2024, 10, 1)
    default = udfs.SAM_MOEDEPLAN(BIRTH, "udsatte", INCLUSION, beregningsdato=TODAY)
    assert first_follow_up(default) == dt.date(2024, 12, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((None, "udsatte", INCLUSION), "Fejl: Fødselsdato mangler."),
        ((BIRTH, "begge", INCLUSION), "Fejl: 'begge' i Modelvariant findes ikke på listen (udsatte, psykisk)."),
        ((BIRTH, "udsatte", "i går"), "Fejl: Inklusionsdato er tekst, ikke en dato."),
        (
            (BIRTH, "udsatte", INCLUSION, "U-0001", [["U-0001", TODAY, "Fødselsdag", "ja"]]),
            "Fejl: 'Fødselsdag' i Mødetype (række 1 i møderne) findes ikke på listen",
        ),
        (
            (BIRTH, "udsatte", INCLUSION, None, None, None, TODAY, [["soon_days", "mange"]]),
            "Fejl: indstillingen",
        ),
    ],
    ids=["no-birth", "bad-variant", "text-inclusion", "bad-meeting-kind", "bad-setting"],
)
@pytest.mark.parametrize("function", [udfs.SAM_NAESTE_MOEDE, udfs.SAM_MOEDEPLAN], ids=["next", "plan"])
def test_plan_functions_bad_input(function: Any, args: tuple[object, ...], message: str) -> None:
    result = function(*args)
    assert isinstance(result, str) and result.startswith(message), result


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("Fødselsdato", dt.datetime(2009, 1, 1), "OK"),
        ("fødselsdato", "1/2/2009", "'1/2/2009' i Fødselsdato er tekst, ikke en dato. Mente du 01-02-2009?"),
        ("Mødetype", "Startmøde", "OK"),
        ("kind", "Fødselsdag", "'Fødselsdag' i Mødetype findes ikke på listen."),
        ("Ung-id", None, "Ung-id mangler. Udfyld feltet."),
        ("Bemærkninger", None, "OK"),
        ("Score: Bolig", 11.0, "'11' i Score: Bolig skal være et helt tal fra 1 til 10."),
        ("Den unge deltog", True, "OK"),
    ],
    ids=["date-ok", "date-text", "choice-ok", "choice-by-key", "required-missing", "optional-empty", "score", "bool"],
)
def test_check_field(field: str, value: object, expected: str) -> None:
    assert udfs.SAM_TJEK(field, value).startswith(expected)


@pytest.mark.parametrize(
    ("field", "message"),
    [("Skostørrelse", "Fejl: Kender ikke feltet 'Skostørrelse'."), (None, "Fejl: Feltnavn mangler.")],
    ids=["unknown", "missing"],
)
def test_check_field_bad_field(field: object, message: str) -> None:
    assert udfs.SAM_TJEK(field, "x").startswith(message)


@pytest.mark.parametrize(
    ("educations", "jobs", "programmes", "expected"),
    [
        (["FGU", "FGU"], ["intet job", "ordinært job"], None, f"Både i uddannelse og i {JOB}"),
        (["FGU", "ingen"], [None, "praktik"], None, f"I {JOB}"),
        (["STU", "ingen"], ["ordinært job", "intet job"], None, f"Startet i uddannelse og i {JOB}, men stoppet igen"),
        (["ingen", "ingen"], ["intet job", "intet job"], ["nej", "nej"], f"Hverken startet i uddannelse eller i {JOB}"),
        (["ingen", "ingen"], ["intet job", "intet job"], ["ja", "nej"], f"Startet i {JOB}, men stoppet"),
        ([None, None], [None, None], None, "Uden registrering af uddannelse eller job"),
    ],
    ids=["both", "job", "stopped-both", "none", "programme-is-job", "nothing-recorded"],
)
def test_outcome(educations: list[object], jobs: list[object], programmes: list[object] | None, expected: str) -> None:
    dates = [dt.datetime(2024, 1, 1), dt.datetime(2025, 1, 1)]
    assert udfs.SAM_UDFALD(dates, educations, jobs, programmes) == expected


def test_outcome_programme_counts_as_job_by_setting() -> None:
    label = schema.SETTINGS_ROWS_BY_KEY["programme_counts_as_job"].label
    assert udfs.SAM_UDFALD([TODAY], ["ingen"], ["intet job"], ["ja"]) == f"I {JOB}"
    result = udfs.SAM_UDFALD([TODAY], ["ingen"], ["intet job"], ["ja"], [[label, "nej"]])
    assert result == "Hverken startet i uddannelse eller job"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ([TODAY, TODAY], ["FGU"], ["intet job"]),
            "Fejl: Datoer, uddannelse, job og forløb skal have lige mange rækker.",
        ),
        (([TODAY], ["Universitet"], ["intet job"]), "Fejl: 'Universitet' i Uddannelse i række 1 findes ikke på listen"),
        ((["2024"], ["FGU"], ["intet job"]), "Fejl: Dato i række 1 er tekst, ikke en dato."),
    ],
    ids=["lengths", "bad-education", "text-date"],
)
def test_outcome_bad_input(args: tuple[object, ...], message: str) -> None:
    assert udfs.SAM_UDFALD(*args).startswith(message)


def test_unexpected_failure_is_short_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(udfs, "plan_meetings", broken)
    assert udfs.SAM_MOEDEPLAN(BIRTH, "udsatte", INCLUSION) == UNEXPECTED_ERROR
