"""Date arithmetic with Excel's EDATE / DATEDIF semantics (domain.md §2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbejde_xl.core.dates import add_years, age_in_years, age_on, edate

PROPERTIES = settings(max_examples=200, deadline=None)

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def reference_edate(start: date, months: int) -> date:
    """EDATE the slow way: step month by month, then clamp the day to the target month's length."""
    year, month = start.year, start.month
    step = 1 if months >= 0 else -1
    for _ in range(abs(months)):
        month += step
        if month == 13:
            year, month = year + 1, 1
        elif month == 0:
            year, month = year - 1, 12
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    length = 29 if month == 2 and leap else DAYS_IN_MONTH[month - 1]
    return date(year, month, min(start.day, length))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2008, 8, 31), 6, date(2009, 2, 28)),
        (date(2007, 8, 31), 6, date(2008, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 4, 30)),
        (date(2024, 5, 31), -3, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2000, 2, 29), 1200, date(2100, 2, 28)),
        (date(2024, 6, 10), 0, date(2024, 6, 10)),
    ],
    ids=[
        "31-aug-plus-6-common",
        "31-aug-plus-6-leap",
        "31-jan-plus-1-leap",
        "31-jan-plus-1-common",
        "31-mar-plus-1",
        "31-may-minus-3-leap",
        "across-year-end",
        "back-across-year-end",
        "29-feb-plus-1-year",
        "29-feb-plus-4-years",
        "2100-is-not-leap",
        "zero-months",
    ],
)
def test_edate(start: date, months: int, expected: date) -> None:
    assert edate(start, months) == expected


@PROPERTIES
@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-600, 600))
def test_edate_matches_reference(start: date, months: int) -> None:
    assert edate(start, months) == reference_edate(start, months)


@pytest.mark.parametrize(
    ("birth", "years", "expected"),
    [
        (date(2008, 8, 31), 17.5, date(2026, 2, 28)),
        (date(2006, 8, 31), 17.5, date(2024, 2, 29)),
        (date(2008, 2, 29), 15, date(2023, 2, 28)),
        (date(2008, 2, 29), 16, date(2024, 2, 29)),
        (date(2008, 5, 10), 18.5, date(2026, 11, 10)),
        (date(2008, 5, 10), 17.25, date(2025, 8, 10)),
        (date(2008, 5, 10), 23, date(2031, 5, 10)),
    ],
    ids=["31-aug-17-5-common", "31-aug-17-5-leap", "29-feb-15", "29-feb-16-leap", "18-5", "17-25", "23"],
)
def test_add_years(birth: date, years: float, expected: date) -> None:
    assert add_years(birth, years) == expected


@PROPERTIES
@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(0, 60))
def test_add_whole_years_is_edate(birth: date, years: int) -> None:
    """Whole years take a shortcut (same month and day, 29 Feb clamped): it must be EDATE with 12·years months."""
    assert add_years(birth, years) == reference_edate(birth, 12 * years)
    assert add_years(birth, float(years)) == add_years(birth, years)  # 17.0 goes the general way


@pytest.mark.parametrize("birth", [date(2008, 2, 29), date(2000, 2, 29), date(2008, 2, 28), date(2008, 3, 1)])
@pytest.mark.parametrize("years", [1, 4, 92, 100])
def test_add_whole_years_around_29_february(birth: date, years: int) -> None:
    assert add_years(birth, years) == reference_edate(birth, 12 * years)


def test_add_years_rejects_part_months() -> None:
    with pytest.raises(ValueError, match="whole number of months"):
        add_years(date(2008, 5, 10), 17.3)


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2008, 5, 10), date(2026, 5, 9), 17),
        (date(2008, 5, 10), date(2026, 5, 10), 18),
        (date(2008, 2, 27), date(2026, 2, 27), 18),
        (date(2008, 2, 29), date(2026, 2, 27), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 18),  # EDATE, as the plan and consent rules: not DATEDIF's 17
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2008, 12, 31), date(2009, 1, 1), 0),
    ],
    ids=[
        "day-before-18",
        "18th-birthday",
        "27-feb-birthday",
        "29-feb-on-27-feb",
        "29-feb-on-28-feb",
        "29-feb-on-1-mar",
        "29-feb-leap-year",
        "new-year",
    ],
)
def test_age_on(birth: date, on: date, expected: int) -> None:
    assert age_on(birth, on) == expected


@PROPERTIES
@given(st.dates(date(1950, 1, 1), date(2030, 12, 31)), st.integers(0, 60))
def test_age_on_changes_on_the_birthday(birth: date, years: int) -> None:
    if (birth.month, birth.day) == (2, 29):
        return  # DATEDIF counts a 29 Feb birthday on 1 Mar in common years: covered by the table above
    birthday = add_years(birth, years)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2008, 5, 10), date(2026, 5, 10), 18.0),
        (date(2008, 5, 10), date(2026, 11, 10), 18.5),
        (date(2008, 5, 10), date(2026, 11, 9), 18.4),
        (date(2008, 8, 31), date(2026, 2, 28), 17.5),
    ],
    ids=["18", "18-5", "day-before-18-5", "31-aug-on-28-feb"],
)
def test_age_in_years(birth: date, on: date, expected: float) -> None:
    assert age_in_years(birth, on) == expected


@given(st.dates(date(1990, 1, 1), date(2015, 12, 31)), st.integers(1, 30))
def test_age_is_reached_on_the_plans_birthday(birth: date, years: int) -> None:
    """One age reading everywhere: the report's age bands, validation and the plan's EDATE birthdays agree."""
    birthday = add_years(birth, years)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1
