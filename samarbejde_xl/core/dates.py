"""Date arithmetic exactly as Excel does it (EDATE, DATEDIF)."""

from __future__ import annotations

import calendar
from datetime import date

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def edate(start: date, months: int) -> date:
    """Excel's EDATE: add whole months, clamping to the month's last day (31 Aug + 6 m -> 28/29 Feb)."""
    month_count = start.year * 12 + start.month - 1 + months  # the target month, counted from January of year 0
    day = start.day
    # Only days above 28 can overflow the target month; a table is faster than calendar.monthrange (hot path).
    if day > 28:
        year, month_index = divmod(month_count, 12)  # month_index: 0 = January
        last = 29 if month_index == 1 and calendar.isleap(year) else _DAYS_IN_MONTH[month_index]
        return date(year, month_index + 1, min(day, last))
    return date(month_count // 12, month_count % 12 + 1, day)  # // and %: cheaper than divmod's call and tuple


def add_years(start: date, years: float) -> date:
    """'age X' / 'age X½' from a birth date: EDATE with 12·X months (X may be fractional: 17.5, 17.25)."""
    if isinstance(years, int):  # whole years (the common case): the same day, but 29 Feb -> 28 Feb in a common year
        year = start.year + years
        if start.day == 29 and start.month == 2 and not calendar.isleap(year):
            return date(year, 2, 28)
        return date(year, start.month, start.day)
    months = round(years * 12)
    if abs(months - years * 12) > 1e-9:
        raise ValueError(f"age {years} is not a whole number of months")
    return edate(start, months)


def age_on(birth: date, on: date) -> int:
    """Completed years in the EDATE reading the meeting plan and the consent rules use: age X is reached on
    EDATE(birth; 12·X), so a 29 Feb birthday counts on 28 Feb in a common year (DATEDIF would say 1 Mar)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day) and edate(birth, 12 * years) > on:
        years -= 1
    return years


def age_in_years(birth: date, on: date) -> float:
    """Completed months / 12, one decimal: what the sheets show as 'Alder'."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if on.day < birth.day and edate(birth, months) > on:
        months -= 1
    return round(months / 12, 1)
