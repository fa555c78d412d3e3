"""Calendar quarters: the period of a leader-group report ("2026Q3" = 1 July – 30 September 2026)."""

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
        raise ValueError(f"not a quarter: {text!r}; write it like 2026Q3")
    return Quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(day: date) -> Quarter:
    """The quarter containing ``day``."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_complete_quarter(today: date) -> Quarter:
    """The latest quarter that ended before ``today``: what a quarterly report covers by default."""
    return quarter_of(today).previous()
