"""How long plan_meetings takes for one realistic young person (target: 50 µs per plan).

Run: /work/venv/bin/python benchmarks/plan.py
Prints the median µs per plan for a psykisk and an udsatte case, and the ratio to a baseline measured in the same
run (filtering and sorting the same meetings), so figures from different machines can be compared. Exits 0 always.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial

from samarbejde_xl.core.meetings import plan_meetings
from samarbejde_xl.core.model import Case, Meeting
from samarbejde_xl.core.settings import DEFAULT_SETTINGS

TARGET_US = 50.0
REPEATS = 7
TODAY = date(2026, 3, 15)


def _meetings(case_id: str, spec: list[tuple[date, str]]) -> list[Meeting]:
    return [Meeting(row, case_id, day, kind, True) for row, (day, kind) in enumerate(spec, start=2)]


PSYKISK = Case("U-0001", "U-0001", birth_date=date(2008, 5, 10), variant="psykisk", inclusion_date=date(2024, 6, 3))
PSYKISK_MEETINGS = _meetings(
    "U-0001",
    [
        (date(2024, 6, 10), "start"),
        (date(2024, 9, 12), "quarterly"),
        (date(2024, 12, 5), "quarterly"),
        (date(2025, 1, 20), "extra"),
        (date(2025, 3, 10), "quarterly"),
        (date(2025, 6, 16), "quarterly"),
        (date(2025, 9, 30), "m17_5"),
        (date(2025, 12, 18), "quarterly"),
    ],
)
UDSATTE = replace(PSYKISK, case_id="U-0002", sheet="U-0002", variant="udsatte", inclusion_date=date(2023, 8, 1))
UDSATTE_MEETINGS = _meetings(
    "U-0002",
    [
        (date(2023, 8, 15), "start"),
        (date(2023, 11, 20), "follow_up"),
        (date(2024, 2, 19), "follow_up"),
        (date(2024, 5, 13), "m16"),
        (date(2024, 8, 26), "follow_up"),
        (date(2025, 9, 29), "m17_5"),
        (date(2025, 12, 15), "follow_up"),
    ],
)


def median_us(function: Callable[[], object]) -> float:
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    runs = timer.repeat(repeat=REPEATS, number=number)
    return statistics.median(runs) / number * 1e6


def _filter_and_sort(case: Case, meetings: list[Meeting]) -> list[Meeting]:
    return sorted((meeting for meeting in meetings if meeting.case_id == case.case_id), key=id)


def main() -> int:
    others = _meetings("U-0099", [(date(2025, 1, 1), "start")] * 20)
    for name, case, meetings in (
        ("psykisk, 8 meetings", PSYKISK, PSYKISK_MEETINGS + others),
        ("udsatte, 7 meetings", UDSATTE, UDSATTE_MEETINGS + others),
    ):
        baseline = median_us(partial(_filter_and_sort, case, meetings))
        plan_us = median_us(partial(plan_meetings, case, meetings, DEFAULT_SETTINGS, TODAY))
        verdict = "PASS" if plan_us <= TARGET_US else "MISS"
        print(
            f"plan_meetings ({name}, +20 rows of another case): median {plan_us:.1f} µs per plan "
            f"(target {TARGET_US:.0f} µs: {verdict}); {plan_us / baseline:.1f}x the filter+sort baseline "
            f"({baseline:.1f} µs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
