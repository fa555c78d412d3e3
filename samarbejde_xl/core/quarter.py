"""Report periods: calendar quarters ("2026Q3" = 1 July – 30 September 2026) by default, and half-years, years,
any dates and the cohort view (:class:`Period`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter; ``number`` is 1..4."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number must be 1-4, got {self.number}")
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"quarter year out of range: {self.year}")

    @property
    def code(self) -> str:
        """'2026Q3': the form used on the command line and as the history key."""
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """Danish, for the report: '3. kvartal 2026'."""
        return f"{self.number}. kvartal {self.year}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return self.code


def parse_quarter(text: str) -> Quarter:
    """'2026Q3' (also '2026-Q3', '2026q3') -> Quarter. Raises ValueError with the accepted form."""
    match = _QUARTER_RE.match(text)
    if not match:
        raise ValueError(f"{text!r} er ikke et kvartal; skriv det som 2026Q3")
    return Quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(day: date) -> Quarter:
    """The quarter containing ``day``."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_complete_quarter(today: date) -> Quarter:
    """The latest quarter that ended before ``today``: what a quarterly report covers by default."""
    return quarter_of(today).previous()


# --------------------------------------------------------------------------------------------------
# Other report periods (issue 14): half-years, years, any dates, and the cohort view
# --------------------------------------------------------------------------------------------------

MODEL_START = date(2000, 1, 1)
"""The cohort view's first day: before any municipality ran the model, so every course is in it."""

_HALF_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Hh]\s*([12])\s*$")
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")
_COHORT_WORDS = frozenset({"kohorte", "cohort"})


@dataclass(frozen=True)
class Period:
    """A report period that is not one calendar quarter.

    A *cohort* (``cohort=True``) runs from :data:`MODEL_START` to the report date: every young person whose course
    started by then is in it, whether the course has ended or not, with the status at the latest registration
    (at the end, for those who ended). ``cohort_year`` keeps only those included in that year.
    """

    start: date
    end: date
    code: str  # "2026H1", "2026", "2026-01-01--2026-05-31", "kohorte", "kohorte-2025"
    label: str  # Danish, for the report
    cohort: bool = False
    cohort_year: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


ReportPeriod = Quarter | Period
"""What a report covers: one quarter (the default; stored in the history) or another period."""


def _dmy(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def half_year(year: int, half: int) -> Period:
    first, last = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    return Period(first, last, f"{year}H{half}", f"{half}. halvår {year}")


def whole_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), f"året {year}")


def between(start: date, end: date) -> Period:
    """The days from ``start`` to ``end``, both included (``--from`` / ``--to``)."""
    return Period(start, end, f"{start.isoformat()}--{end.isoformat()}", f"{_dmy(start)} – {_dmy(end)}")


def cohort(today: date, inclusion_year: int | None = None) -> Period:
    """All young people since the start of the model (or those included in ``inclusion_year``), on ``today``."""
    if inclusion_year is None:
        return Period(MODEL_START, today, "kohorte", "alle unge siden modellens start", cohort=True)
    return Period(
        MODEL_START,
        today,
        f"kohorte-{inclusion_year}",
        f"unge inkluderet i {inclusion_year}",
        cohort=True,
        cohort_year=inclusion_year,
    )


def parse_period(text: str, today: date) -> ReportPeriod:
    """'2026Q3', '2026H1', '2026', 'kohorte' or 'kohorte:2025' -> the period. Raises ValueError with the forms."""
    if _QUARTER_RE.match(text):
        return parse_quarter(text)
    if match := _HALF_RE.match(text):
        return half_year(int(match.group(1)), int(match.group(2)))
    if match := _YEAR_RE.match(text):
        return whole_year(int(match.group(1)))
    word, _, year = text.strip().casefold().partition(":")
    if word in _COHORT_WORDS:
        if not year:
            return cohort(today)
        if _YEAR_RE.match(year):
            return cohort(today, int(year))
    raise ValueError(
        f"{text!r} er ikke en periode; skriv et kvartal (2026Q3), et halvår (2026H1), et år (2026) eller en kohorte "
        "(kohorte, eller kohorte:2025 for de unge, der kom ind i 2025)"
    )
