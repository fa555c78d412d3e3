"""The meeting plan (domain.md §2): hand-computed plan cases for both variants, plus properties."""

from __future__ import annotations

import dataclasses
import pickle
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbejde_xl.core.dates import add_years
from samarbejde_xl.core.meetings import MeetingPlan, PlannedMeeting, _planned, days_overdue, plan_meetings
from samarbejde_xl.core.model import Case, Meeting
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings, settings_from

CASE_ID = "U-0001"
MILESTONES = {"start", "m16", "m17_5", "m18_5"}
PRESENT = {"ja": True, "nej": False, "-": None}


def make_case(variant: str, birth: str, inclusion: str, end: str = "") -> Case:
    return Case(
        sheet=CASE_ID,
        case_id=CASE_ID,
        birth_date=date.fromisoformat(birth),
        variant=variant,
        inclusion_date=date.fromisoformat(inclusion),
        end_date=date.fromisoformat(end) if end else None,
    )


def make_meetings(spec: str, case_id: str = CASE_ID) -> list[Meeting]:
    """'2024-05-10 m16 ja; 2024-06-01 extra nej' -> Mødetjekliste rows (row numbers from 2)."""
    meetings = []
    for row, item in enumerate(filter(None, (part.strip() for part in spec.split(";"))), start=2):
        day, kind, present = item.split()
        meetings.append(Meeting(row, case_id, date.fromisoformat(day), kind, PRESENT[present]))
    return meetings


@dataclass(frozen=True)
class PlanCase:
    id: str
    variant: str
    birth: str
    inclusion: str
    today: str
    expect: tuple[str, ...]  # "kind due status": the full list of each kind named here, in due order
    meetings: str = ""
    end: str = ""
    overrides: dict[str, object] = field(default_factory=dict)
    absent: tuple[str, ...] = ()  # kinds that must not be in the plan
    ended: bool | None = None


# Person born 10 May 2008: 15th 2023-05-10, 16th 2024-05-10 (window 04-10..06-09), 17½ 2025-11-10 (window
# 09-11..11-10), 18th 2026-05-10, 18½ 2026-11-10 (window 10-11..12-10), 23rd 2031-05-10, 25th 2033-05-10.
B = "2008-05-10"
U_ALL_PLANNED = ("m16 2024-05-10 planned", "m17_5 2025-11-10 planned", "m18_5 2026-11-10 planned")
U_CASES = [
    PlanCase(
        "u-fresh-inclusion",
        "udsatte",
        B,
        "2023-06-01",
        "2023-06-10",
        ("start 2023-06-01 soon", *U_ALL_PLANNED, "follow_up 2023-09-01 planned"),
        absent=("quarterly",),
        ended=False,
    ),
    PlanCase(
        "u-start-held-in-window",
        "udsatte",
        B,
        "2023-06-01",
        "2023-07-15",
        ("start 2023-06-01 held", "follow_up 2023-09-20 planned"),
        meetings="2023-06-20 start ja",
    ),
    PlanCase(
        "u-start-held-late",
        "udsatte",
        B,
        "2023-06-01",
        "2023-07-10",
        ("start 2023-06-01 held_late", "follow_up 2023-10-05 planned"),
        meetings="2023-07-05 start ja",
    ),
    PlanCase(
        "u-start-window-last-day-soon",
        "udsatte",
        B,
        "2023-06-01",
        "2023-07-01",
        ("start 2023-06-01 soon",),
    ),
    PlanCase(
        "u-start-overdue-day-after-window",
        "udsatte",
        B,
        "2023-06-01",
        "2023-07-02",
        ("start 2023-06-01 overdue", "follow_up 2023-09-01 planned"),
    ),
    PlanCase(
        "u-inclusion-before-15th-birthday",
        "udsatte",
        B,
        "2023-01-15",
        "2023-02-01",
        ("start 2023-05-10 planned", "follow_up 2023-08-10 planned"),
    ),
    PlanCase(
        "u-meeting-before-15th-birthday-does-not-count",
        "udsatte",
        B,
        "2023-01-15",
        "2023-03-01",
        ("start 2023-05-10 planned", "follow_up 2023-08-10 planned"),
        meetings="2023-02-01 start ja",
    ),
    PlanCase(
        "u-m16-early-meeting-does-not-count",
        "udsatte",
        B,
        "2023-06-01",
        "2024-04-20",
        (
            "start 2023-06-01 held",
            "m16 2024-05-10 soon",
            "follow_up 2023-09-10 overdue",
            "follow_up 2023-12-10 overdue",
            "follow_up 2024-03-10 held",
            "follow_up 2024-07-01 planned",
        ),
        meetings="2023-06-10 start ja; 2024-04-01 m16 ja",
    ),
    PlanCase(
        "u-m16-window-first-day-held",
        "udsatte",
        B,
        "2023-06-01",
        "2024-05-01",
        ("m16 2024-05-10 held",),
        meetings="2023-06-10 start ja; 2024-04-10 m16 ja",
    ),
    PlanCase(
        "u-m16-window-last-day-held",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-10",
        ("m16 2024-05-10 held",),
        meetings="2023-06-10 start ja; 2024-06-09 m16 ja",
    ),
    PlanCase(
        "u-m16-day-after-window-held-late",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-15",
        (
            "m16 2024-05-10 held_late",
            "follow_up 2023-09-10 overdue",
            "follow_up 2023-12-10 overdue",
            "follow_up 2024-03-10 overdue",
            "follow_up 2024-06-10 held",
            "follow_up 2024-09-10 planned",
        ),
        meetings="2023-06-10 start ja; 2024-06-10 m16 ja",
    ),
    PlanCase(
        "u-m16-overdue-and-follow-up-overdue",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-10",
        (
            "start 2023-06-01 held",
            "m16 2024-05-10 overdue",
            "follow_up 2023-09-10 overdue",
            "follow_up 2023-12-10 overdue",
            "follow_up 2024-03-10 overdue",
            "follow_up 2024-06-10 soon",
        ),
        meetings="2023-06-10 start ja",
    ),
    PlanCase(
        "u-m16-day-before-window-planned",
        "udsatte",
        B,
        "2023-06-01",
        "2024-04-09",
        ("m16 2024-05-10 planned",),
        meetings="2023-06-10 start ja",
    ),
    PlanCase(
        "u-m16-window-open-soon",
        "udsatte",
        B,
        "2023-06-01",
        "2024-04-10",
        ("m16 2024-05-10 soon",),
        meetings="2023-06-10 start ja",
    ),
    PlanCase(
        "u-soon-days-90-boundary-soon",
        "udsatte",
        B,
        "2023-06-01",
        "2024-03-11",
        ("m16 2024-05-10 soon",),
        meetings="2023-06-10 start ja",
        overrides={"soon_days": 90},
    ),
    PlanCase(
        "u-soon-days-90-boundary-planned",
        "udsatte",
        B,
        "2023-06-01",
        "2024-03-10",
        ("m16 2024-05-10 planned",),
        meetings="2023-06-10 start ja",
        overrides={"soon_days": 90},
    ),
    PlanCase(
        "u-follow-up-kind-satisfies-m16",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-20",
        (
            "m16 2024-05-10 held",
            "follow_up 2023-09-10 held_late",
            "follow_up 2023-12-10 overdue",
            "follow_up 2024-03-10 overdue",
            "follow_up 2024-08-10 planned",
        ),
        meetings="2023-06-10 start ja; 2024-05-10 follow_up ja",
    ),
    PlanCase(
        "u-extra-never-consumes-m16",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-10",
        (
            "m16 2024-05-10 overdue",
            "follow_up 2023-09-10 overdue",
            "follow_up 2023-12-10 held",
            "follow_up 2024-04-01 overdue",
            "follow_up 2024-07-01 planned",
        ),
        meetings="2023-06-10 start ja; 2024-01-01 follow_up ja; 2024-05-10 extra ja",
    ),
    PlanCase(
        "u-missed-by-young-person-strict",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-15",
        ("m16 2024-05-10 overdue",),
        meetings="2023-06-10 start ja; 2024-05-10 m16 nej",
    ),
    PlanCase(
        "u-missed-by-young-person-lenient",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-15",
        (
            "m16 2024-05-10 held",
            "follow_up 2023-09-10 held_late",
            "follow_up 2023-12-10 overdue",
            "follow_up 2024-03-10 overdue",
            "follow_up 2024-08-10 planned",
        ),
        meetings="2023-06-10 start ja; 2024-05-10 m16 nej",
        overrides={"attendance_strict": "nej"},
    ),
    PlanCase(
        "u-attendance-blank-strict",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-15",
        ("m16 2024-05-10 overdue",),
        meetings="2023-06-10 start ja; 2024-05-10 m16 -",
    ),
    PlanCase(
        "u-inclusion-inside-m16-window-one-meeting-one-milestone",
        "udsatte",
        B,
        "2024-05-01",
        "2024-05-06",
        ("start 2024-05-01 held", "m16 2024-05-10 soon"),
        meetings="2024-05-05 start ja",
    ),
    PlanCase(
        "u-kind-wins-over-earlier-window",
        "udsatte",
        B,
        "2024-05-01",
        "2024-05-06",
        ("start 2024-05-01 soon", "m16 2024-05-10 held"),
        meetings="2024-05-05 m16 ja",
    ),
    PlanCase(
        "u-inclusion-after-17-5-window",
        "udsatte",
        B,
        "2026-01-15",
        "2026-01-20",
        (
            "start 2026-01-15 soon",
            "m16 2024-05-10 not_applicable",
            "m17_5 2025-11-10 not_applicable",
            "m18_5 2026-11-10 planned",
            "follow_up 2026-04-15 planned",
        ),
    ),
    PlanCase(
        "u-inclusion-after-18",
        "udsatte",
        B,
        "2026-08-01",
        "2026-08-05",
        (
            "start 2026-08-01 soon",
            "m16 2024-05-10 not_applicable",
            "m17_5 2025-11-10 not_applicable",
            "m18_5 2026-11-10 planned",
        ),
    ),
    PlanCase(
        "u-inclusion-after-18-5-window",
        "udsatte",
        B,
        "2027-01-05",
        "2027-01-05",
        ("start 2027-01-05 soon", "m18_5 2026-11-10 not_applicable", "follow_up 2027-04-05 planned"),
    ),
    PlanCase(
        "u-ended-course-recorded-end",
        "udsatte",
        B,
        "2023-06-01",
        "2024-06-01",
        (
            "start 2023-06-01 held",
            "m16 2024-05-10 not_applicable",
            "m17_5 2025-11-10 not_applicable",
            "m18_5 2026-11-10 not_applicable",
            "follow_up 2023-09-10 held",
            "follow_up 2023-12-15 held",
        ),
        meetings="2023-06-10 start ja; 2023-09-15 follow_up ja; 2023-12-15 follow_up ja",
        end="2024-03-01",
        ended=True,
    ),
    PlanCase(
        "u-end-age-23-reached",
        "udsatte",
        B,
        "2023-06-01",
        "2031-05-10",
        (
            "start 2023-06-01 held",
            "m16 2024-05-10 held",
            "m17_5 2025-11-10 held",
            "m18_5 2026-11-10 held",
        ),
        meetings="2023-06-10 start ja; 2024-05-10 m16 ja; 2025-11-01 m17_5 ja; 2026-11-10 m18_5 ja; "
        "2031-03-01 follow_up ja",
        ended=True,
    ),
    PlanCase(
        "u-day-before-23rd-birthday",
        "udsatte",
        B,
        "2023-06-01",
        "2031-05-09",
        ("m18_5 2026-11-10 held",),
        meetings="2026-11-10 m18_5 ja; 2031-03-01 follow_up ja",
        ended=False,
    ),
    PlanCase(
        "u-end-age-setting-20",
        "udsatte",
        B,
        "2023-06-01",
        "2028-05-10",
        ("m18_5 2026-11-10 held",),
        meetings="2026-11-10 m18_5 ja; 2028-02-15 follow_up ja",
        overrides={"udsatte.end_age": 20},
        ended=True,
    ),
    PlanCase(
        "u-follow-up-soon-window-open",
        "udsatte",
        B,
        "2023-06-01",
        "2023-12-01",
        ("follow_up 2023-12-01 soon",),
        meetings="2023-06-10 start ja; 2023-09-01 follow_up ja",
    ),
    PlanCase(
        "u-follow-up-overdue",
        "udsatte",
        B,
        "2023-06-01",
        "2024-01-01",
        (
            "follow_up 2023-12-01 overdue",
            "follow_up 2024-03-01 planned",
        ),
        meetings="2023-06-10 start ja; 2023-09-01 follow_up ja",
    ),
    PlanCase(
        "u-follow-up-months-2",
        "udsatte",
        B,
        "2023-06-01",
        "2023-06-20",
        ("follow_up 2023-08-10 planned",),
        meetings="2023-06-10 start ja",
        overrides={"follow_up_months": 2},
    ),
    PlanCase(
        "u-future-dated-row-not-held",
        "udsatte",
        B,
        "2023-06-01",
        "2023-06-05",
        ("start 2023-06-01 soon", "follow_up 2023-09-01 planned"),
        meetings="2023-06-20 start ja",
    ),
    PlanCase(
        "u-ignores-quarterly-mode",
        "udsatte",
        B,
        "2023-06-01",
        "2023-06-10",
        ("start 2023-06-01 soon",),
        overrides={"quarterly_mode": "ét pr. kvartal"},
        absent=("quarterly",),
    ),
    PlanCase(
        "u-born-31-aug-leap-17-5-on-29-feb",
        "udsatte",
        "2006-08-31",
        "2023-09-01",
        "2023-09-01",
        (
            "m16 2022-08-31 not_applicable",
            "m17_5 2024-02-29 planned",
            "m18_5 2025-02-28 planned",
            "follow_up 2023-12-01 planned",
        ),
    ),
    PlanCase(
        "u-born-31-aug-17-5-window-first-day",
        "udsatte",
        "2006-08-31",
        "2023-09-01",
        "2024-01-05",
        ("m17_5 2024-02-29 held",),
        meetings="2023-09-05 start ja; 2023-12-31 m17_5 ja",
    ),
    PlanCase(
        "u-born-29-feb-15th-on-28-feb",
        "udsatte",
        "2008-02-29",
        "2023-01-10",
        "2023-01-10",
        (
            "start 2023-02-28 planned",
            "m16 2024-02-29 planned",
            "m17_5 2025-08-29 planned",
            "m18_5 2026-08-29 planned",
            "follow_up 2023-05-28 planned",
        ),
    ),
    PlanCase(
        "u-born-29-feb-ends-28-feb",
        "udsatte",
        "2008-02-29",
        "2023-03-01",
        "2031-02-28",
        ("m18_5 2026-08-29 held",),
        meetings="2026-08-29 m18_5 ja; 2030-12-10 follow_up ja",
        ended=True,
    ),
]

P_CASES = [
    PlanCase(
        "p-rolling-chain-without-meetings",
        "psykisk",
        B,
        "2025-01-15",
        "2025-01-20",
        (
            "start 2025-01-15 soon",
            "quarterly 2025-04-15 planned",
            "quarterly 2025-07-15 planned",
            "quarterly 2025-10-15 planned",
            "quarterly 2026-01-15 planned",
            "quarterly 2026-04-15 planned",
            "m17_5 2025-11-10 planned",
            "m18_5 2026-11-10 planned",
        ),
        absent=("m16", "follow_up"),
        ended=False,
    ),
    PlanCase(
        "p-rolling-chain-from-last-held",
        "psykisk",
        B,
        "2025-01-15",
        "2025-05-01",
        (
            "start 2025-01-15 held",
            "quarterly 2025-04-20 held",
            "quarterly 2025-07-25 planned",
            "quarterly 2025-10-25 planned",
            "quarterly 2026-01-25 planned",
            "quarterly 2026-04-25 planned",
        ),
        meetings="2025-01-20 start ja; 2025-04-25 quarterly ja",
    ),
    PlanCase(
        "p-rolling-quarterly-overdue",
        "psykisk",
        B,
        "2025-01-15",
        "2025-06-01",
        (
            "quarterly 2025-04-20 overdue",
            "quarterly 2025-07-20 planned",
            "quarterly 2025-10-20 planned",
            "quarterly 2026-01-20 planned",
            "quarterly 2026-04-20 planned",
        ),
        meetings="2025-01-20 start ja",
    ),
    PlanCase(
        "p-extra-does-not-reset-quarterly",
        "psykisk",
        B,
        "2025-01-15",
        "2025-04-25",
        (
            "start 2025-01-15 held",
            "quarterly 2025-04-20 soon",
            "quarterly 2025-07-20 planned",
            "quarterly 2025-10-20 planned",
            "quarterly 2026-01-20 planned",
            "quarterly 2026-04-20 planned",
        ),
        meetings="2025-01-20 start ja; 2025-04-10 extra ja",
    ),
    PlanCase(
        "p-extra-never-consumes-m17-5",
        "psykisk",
        B,
        "2025-01-15",
        "2025-11-11",
        ("m17_5 2025-11-10 overdue",),
        meetings="2025-01-20 start ja; 2025-10-01 extra ja",
    ),
    PlanCase(
        "p-missed-by-young-person-strict",
        "psykisk",
        B,
        "2025-01-15",
        "2025-04-16",
        (
            "quarterly 2025-04-20 planned",
            "quarterly 2025-07-20 planned",
            "quarterly 2025-10-20 planned",
            "quarterly 2026-01-20 planned",
            "quarterly 2026-04-20 planned",
        ),
        meetings="2025-01-20 start ja; 2025-04-15 quarterly nej",
    ),
    PlanCase(
        "p-missed-by-young-person-lenient",
        "psykisk",
        B,
        "2025-01-15",
        "2025-04-16",
        (
            "quarterly 2025-07-15 planned",
            "quarterly 2025-10-15 planned",
            "quarterly 2026-01-15 planned",
            "quarterly 2026-04-15 planned",
        ),
        meetings="2025-01-20 start ja; 2025-04-15 quarterly nej",
        overrides={"attendance_strict": False},
    ),
    PlanCase(
        "p-calendar-quarters",
        "psykisk",
        B,
        "2025-02-10",
        "2025-08-15",
        (
            "start 2025-02-10 held",
            "quarterly 2025-03-31 held",
            "quarterly 2025-06-30 held",
            "quarterly 2025-09-30 soon",
            "quarterly 2025-12-31 planned",
            "quarterly 2026-03-31 planned",
            "quarterly 2026-05-09 planned",
            "m17_5 2025-11-10 planned",
        ),
        meetings="2025-02-15 start ja; 2025-05-20 quarterly ja",
        overrides={"quarterly_mode": "calendar"},
    ),
    PlanCase(
        "p-calendar-missed-quarter-overdue",
        "psykisk",
        B,
        "2025-02-10",
        "2025-07-05",
        (
            "quarterly 2025-03-31 held",
            "quarterly 2025-06-30 overdue",
            "quarterly 2025-09-30 soon",
            "quarterly 2025-12-31 planned",
            "quarterly 2026-03-31 planned",
            "quarterly 2026-05-09 planned",
        ),
        meetings="2025-02-15 start ja",
        overrides={"quarterly_mode": "ét pr. kvartal"},
    ),
    PlanCase(
        "p-calendar-after-18-no-quarters",
        "psykisk",
        B,
        "2026-07-01",
        "2026-07-01",
        ("start 2026-07-01 soon", "m18_5 2026-11-10 planned"),
        overrides={"quarterly_mode": "calendar"},
        absent=("quarterly",),
    ),
    PlanCase(
        # Found by hypothesis: included on the 18th birthday, the quarter before 18 has no days left in the course.
        "p-calendar-included-on-18th-birthday-no-quarters",
        "psykisk",
        "2000-01-02",
        "2018-01-02",
        "2018-01-02",
        ("start 2018-01-02 soon",),
        overrides={"quarterly_mode": "calendar"},
        absent=("quarterly",),
    ),
    PlanCase(
        "p-inclusion-after-17-5-window",
        "psykisk",
        B,
        "2025-12-01",
        "2025-12-05",
        (
            "start 2025-12-01 soon",
            "quarterly 2026-03-01 planned",
            "m17_5 2025-11-10 not_applicable",
            "m18_5 2026-11-10 planned",
        ),
    ),
    PlanCase(
        "p-inclusion-after-18",
        "psykisk",
        B,
        "2026-07-01",
        "2026-07-01",
        ("start 2026-07-01 soon", "m17_5 2025-11-10 not_applicable", "m18_5 2026-11-10 planned"),
        absent=("quarterly", "follow_up"),
    ),
    PlanCase(
        "p-quarterly-meeting-satisfies-m17-5",
        "psykisk",
        B,
        "2025-01-15",
        "2025-10-20",
        (
            "m17_5 2025-11-10 held",
            "quarterly 2025-04-20 held",
            "quarterly 2025-07-20 held",
            "quarterly 2026-01-15 planned",
            "quarterly 2026-04-15 planned",
        ),
        meetings="2025-01-20 start ja; 2025-04-20 quarterly ja; 2025-07-20 quarterly ja; 2025-10-15 quarterly ja",
    ),
    PlanCase(
        "p-m17-5-held-late",
        "psykisk",
        B,
        "2025-01-15",
        "2025-11-20",
        ("m17_5 2025-11-10 held_late",),
        meetings="2025-01-20 start ja; 2025-11-15 m17_5 ja",
    ),
    PlanCase(
        "p-m18-5-early-meeting-does-not-count",
        "psykisk",
        B,
        "2026-07-01",
        "2026-10-20",
        ("m18_5 2026-11-10 soon",),
        meetings="2026-07-02 start ja; 2026-10-01 m18_5 ja",
    ),
    PlanCase(
        "p-m18-5-day-before-window-planned",
        "psykisk",
        B,
        "2026-07-01",
        "2026-10-10",
        ("m18_5 2026-11-10 planned",),
    ),
    PlanCase("p-m18-5-window-opens-soon", "psykisk", B, "2026-07-01", "2026-10-11", ("m18_5 2026-11-10 soon",)),
    PlanCase("p-m18-5-window-last-day-soon", "psykisk", B, "2026-07-01", "2026-12-10", ("m18_5 2026-11-10 soon",)),
    PlanCase(
        "p-m18-5-day-after-window-overdue",
        "psykisk",
        B,
        "2026-07-01",
        "2026-12-11",
        ("m18_5 2026-11-10 overdue",),
    ),
    PlanCase(
        "p-ended-early-nothing-after-end",
        "psykisk",
        B,
        "2025-01-15",
        "2025-10-01",
        (
            "start 2025-01-15 held",
            "m17_5 2025-11-10 not_applicable",
            "m18_5 2026-11-10 not_applicable",
            "quarterly 2025-04-20 held",
            "quarterly 2025-07-20 held",
        ),
        meetings="2025-01-20 start ja; 2025-04-20 quarterly ja; 2025-07-20 quarterly ja",
        end="2025-09-01",
        ended=True,
    ),
    PlanCase(
        "p-end-age-25-reached",
        "psykisk",
        B,
        "2025-01-15",
        "2033-05-10",
        (
            "start 2025-01-15 held",
            "m17_5 2025-11-10 overdue",
            "m18_5 2026-11-10 held",
            "quarterly 2025-04-20 held_late",
            "quarterly 2025-07-20 overdue",
            "quarterly 2025-10-20 overdue",
            "quarterly 2026-01-20 overdue",
            "quarterly 2026-04-20 overdue",
        ),
        meetings="2025-01-20 start ja; 2026-11-01 m18_5 ja",
        ended=True,
    ),
    PlanCase(
        "p-day-before-25th-birthday",
        "psykisk",
        B,
        "2025-01-15",
        "2033-05-09",
        ("m18_5 2026-11-10 held",),
        meetings="2025-01-20 start ja; 2026-11-01 m18_5 ja",
        ended=False,
    ),
    PlanCase(
        "p-end-age-setting-24",
        "psykisk",
        B,
        "2025-01-15",
        "2032-05-10",
        ("m18_5 2026-11-10 held",),
        meetings="2026-11-01 m18_5 ja",
        overrides={"psykisk.end_age": 24.0},
        ended=True,
    ),
    PlanCase(
        "p-inclusion-at-15-5-waits-for-16th-birthday",
        "psykisk",
        B,
        "2023-11-15",
        "2023-11-15",
        (
            "start 2024-05-10 planned",
            "quarterly 2024-08-10 planned",
            "quarterly 2024-11-10 planned",
            "quarterly 2025-02-10 planned",
            "quarterly 2025-05-10 planned",
            "quarterly 2025-08-10 planned",
            "quarterly 2025-11-10 planned",
            "quarterly 2026-02-10 planned",
        ),
    ),
    PlanCase(
        "p-inclusion-at-15-5-min-age-15",
        "psykisk",
        B,
        "2023-11-15",
        "2023-11-15",
        ("start 2023-11-15 soon",),
        overrides={"psykisk.min_inclusion_age": 15},
    ),
    PlanCase(
        "p-born-31-aug-quarters-stop-before-18",
        "psykisk",
        "2008-08-31",
        "2025-03-01",
        "2025-03-01",
        (
            "quarterly 2025-06-01 planned",
            "quarterly 2025-09-01 planned",
            "quarterly 2025-12-01 planned",
            "quarterly 2026-03-01 planned",
            "quarterly 2026-06-01 planned",
            "m17_5 2026-02-28 planned",
            "m18_5 2027-02-28 planned",
        ),
    ),
    PlanCase(
        "p-born-29-feb-18th-on-28-feb",
        "psykisk",
        "2008-02-29",
        "2025-01-10",
        "2025-01-10",
        (
            "quarterly 2025-04-10 planned",
            "quarterly 2025-07-10 planned",
            "quarterly 2025-10-10 planned",
            "quarterly 2026-01-10 planned",
            "m17_5 2025-08-29 planned",
            "m18_5 2026-08-29 planned",
        ),
    ),
    PlanCase(
        "p-born-29-feb-17-5-window-first-day",
        "psykisk",
        "2008-02-29",
        "2025-01-10",
        "2025-07-01",
        ("m17_5 2025-08-29 held",),
        meetings="2025-01-12 start ja; 2025-06-30 m17_5 ja",
    ),
]

# Missed meetings stay overdue until a meeting holds them (issue 14): in each variant and quarterly mode, a
# young person misses two periods, then meets once (the oldest missed one is held late), then again.
MISSED_CASES = [
    PlanCase(
        "missed-p-rolling-two-quarters-then-one-meeting",
        "psykisk",
        B,
        "2025-01-15",
        "2025-09-10",
        (
            "quarterly 2025-04-20 held_late",
            "quarterly 2025-07-20 overdue",
            "quarterly 2025-12-01 planned",
            "quarterly 2026-03-01 planned",
        ),
        meetings="2025-01-20 start ja; 2025-09-01 quarterly ja",
    ),
    PlanCase(
        "missed-p-rolling-two-quarters-before-the-meeting",
        "psykisk",
        B,
        "2025-01-15",
        "2025-08-31",
        (
            "quarterly 2025-04-20 overdue",
            "quarterly 2025-07-20 overdue",
            "quarterly 2025-10-20 planned",
            "quarterly 2026-01-20 planned",
            "quarterly 2026-04-20 planned",
        ),
        meetings="2025-01-20 start ja",
    ),
    PlanCase(
        "missed-p-rolling-second-meeting-holds-the-other",
        "psykisk",
        B,
        "2025-01-15",
        "2025-09-25",
        (
            "quarterly 2025-04-20 held_late",
            "quarterly 2025-07-20 held_late",
            "quarterly 2025-12-20 planned",
            "quarterly 2026-03-20 planned",
        ),
        meetings="2025-01-20 start ja; 2025-09-01 quarterly ja; 2025-09-20 extra ja; 2025-09-20 quarterly ja",
    ),
    PlanCase(
        "missed-p-calendar-quarter-stays-overdue",
        "psykisk",
        B,
        "2025-01-15",
        "2025-08-10",
        (
            "quarterly 2025-03-31 held",
            "quarterly 2025-06-30 overdue",
            "quarterly 2025-09-30 held",
            "quarterly 2025-12-31 planned",
            "quarterly 2026-03-31 planned",
            "quarterly 2026-05-09 planned",
        ),
        meetings="2025-01-20 start ja; 2025-08-01 quarterly ja",
        overrides={"quarterly_mode": "calendar"},
    ),
    PlanCase(
        "missed-p-calendar-second-meeting-holds-missed-quarter",
        "psykisk",
        B,
        "2025-01-15",
        "2025-08-25",
        (
            "quarterly 2025-03-31 held",
            "quarterly 2025-06-30 held_late",
            "quarterly 2025-09-30 held",
            "quarterly 2025-12-31 planned",
            "quarterly 2026-03-31 planned",
            "quarterly 2026-05-09 planned",
        ),
        meetings="2025-01-20 start ja; 2025-08-01 quarterly ja; 2025-08-20 quarterly ja",
        overrides={"quarterly_mode": "calendar"},
    ),
    PlanCase(
        "missed-u-two-follow-ups",
        "udsatte",
        B,
        "2023-06-01",
        "2024-01-15",
        ("follow_up 2023-09-10 overdue", "follow_up 2023-12-10 overdue", "follow_up 2024-03-10 planned"),
        meetings="2023-06-10 start ja",
    ),
    PlanCase(
        "missed-u-one-meeting-holds-the-oldest",
        "udsatte",
        B,
        "2023-06-01",
        "2024-01-25",
        ("follow_up 2023-09-10 held_late", "follow_up 2023-12-10 overdue", "follow_up 2024-04-20 planned"),
        meetings="2023-06-10 start ja; 2024-01-20 follow_up ja",
    ),
    PlanCase(
        "missed-u-meeting-without-the-young-person-holds-nothing",
        "udsatte",
        B,
        "2023-06-01",
        "2024-01-25",
        ("follow_up 2023-09-10 overdue", "follow_up 2023-12-10 overdue", "follow_up 2024-03-10 planned"),
        meetings="2023-06-10 start ja; 2024-01-20 follow_up nej",
    ),
]

PLAN_CASES = U_CASES + P_CASES + MISSED_CASES


def _plan_for(case: PlanCase) -> MeetingPlan:
    settings = settings_from(case.overrides)
    return plan_meetings(
        make_case(case.variant, case.birth, case.inclusion, case.end),
        make_meetings(case.meetings),
        settings,
        date.fromisoformat(case.today),
    )


def test_enough_plan_cases() -> None:
    assert len(PLAN_CASES) >= 40
    assert len({case.id for case in PLAN_CASES}) == len(PLAN_CASES)


@pytest.mark.parametrize("case", PLAN_CASES, ids=[case.id for case in PLAN_CASES])
def test_plan_case(case: PlanCase) -> None:
    plan = _plan_for(case)
    expected: dict[str, list[str]] = {}
    for item in case.expect:
        kind, due, status = item.split()
        expected.setdefault(kind, []).append(f"{due} {status}")
    for kind, items in expected.items():
        actual = [f"{p.due.isoformat()} {p.status}" for p in plan.meetings if p.kind == kind]
        assert actual == items, kind
    for kind in case.absent:
        assert [p for p in plan.meetings if p.kind == kind] == [], kind
    if case.ended is not None:
        assert plan.ended is case.ended


# ---- details that the table does not show -------------------------------------------------------------------------


def test_windows_and_held_meeting_are_reported() -> None:
    plan = plan_meetings(
        make_case("udsatte", B, "2023-06-01"),
        make_meetings("2023-06-10 start ja; 2024-05-02 m16 ja"),
        DEFAULT_SETTINGS,
        date(2024, 5, 20),
    )
    m16 = next(p for p in plan.meetings if p.kind == "m16")
    assert (m16.window_start, m16.window_end) == (date(2024, 4, 10), date(2024, 6, 9))
    assert m16.held is not None and m16.held.row == 3
    assert m16.label == "Møde ved 16 år"
    assert m16.status_label == "afholdt"
    m17_5 = next(p for p in plan.meetings if p.kind == "m17_5")
    assert (m17_5.window_start, m17_5.window_end) == (date(2025, 9, 11), date(2025, 11, 10))
    assert (plan.course_start, plan.course_end) == (date(2023, 6, 1), date(2031, 5, 10))


def test_window_open_at_inclusion_starts_at_inclusion() -> None:
    plan = plan_meetings(make_case("udsatte", B, "2024-05-01"), [], DEFAULT_SETTINGS, date(2024, 5, 1))
    m16 = next(p for p in plan.meetings if p.kind == "m16")
    assert (m16.window_start, m16.due, m16.window_end) == (date(2024, 5, 1), date(2024, 5, 10), date(2024, 6, 9))


def test_last_rolling_quarter_window_stops_before_18th_birthday() -> None:
    plan = plan_meetings(make_case("psykisk", B, "2025-01-15"), [], DEFAULT_SETTINGS, date(2025, 1, 15))
    last = [p for p in plan.meetings if p.kind == "quarterly"][-1]
    assert (last.due, last.window_end) == (date(2026, 4, 15), date(2026, 5, 9))


def test_calendar_quarter_window_is_the_quarter() -> None:
    settings = settings_from({"quarterly_mode": "calendar"})
    plan = plan_meetings(make_case("psykisk", B, "2025-02-10"), [], settings, date(2025, 2, 10))
    windows = [(p.window_start, p.window_end) for p in plan.meetings if p.kind == "quarterly"][:2]
    assert windows == [(date(2025, 2, 10), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))]
    assert next(p for p in plan.meetings if p.kind == "quarterly").label == "Kvartalsmøde"


def test_meetings_of_other_young_people_are_ignored() -> None:
    case = make_case("udsatte", B, "2023-06-01")
    others = make_meetings("2023-06-10 start ja; 2024-05-10 m16 ja", case_id="U-0002")
    plan = plan_meetings(case, others, DEFAULT_SETTINGS, date(2024, 6, 20))
    assert plan == plan_meetings(case, [], DEFAULT_SETTINGS, date(2024, 6, 20))


@pytest.mark.parametrize(
    ("birth", "variant", "inclusion", "missing"),
    [
        (None, "udsatte", date(2024, 1, 1), ("birth_date",)),
        (date(2008, 5, 10), None, date(2024, 1, 1), ("variant",)),
        (date(2008, 5, 10), "other", date(2024, 1, 1), ("variant",)),
        (date(2008, 5, 10), "psykisk", None, ("inclusion_date",)),
        (date(2008, 5, 10), "psykisk", date(2007, 1, 1), ("inclusion_date",)),
        (None, None, None, ("birth_date", "variant", "inclusion_date")),
    ],
    ids=["no-birth", "no-variant", "unknown-variant", "no-inclusion", "inclusion-before-birth", "nothing"],
)
def test_missing_case_fields_give_empty_plan(
    birth: date | None, variant: str | None, inclusion: date | None, missing: tuple[str, ...]
) -> None:
    case = Case(CASE_ID, CASE_ID, birth_date=birth, variant=variant, inclusion_date=inclusion)
    plan = plan_meetings(case, make_meetings("2024-02-01 start ja"), DEFAULT_SETTINGS, date(2024, 3, 1))
    assert plan.missing == missing
    assert plan.meetings == ()
    assert plan.next_due is None


def test_next_due_is_first_open_meeting_by_window_end() -> None:
    plan = plan_meetings(
        make_case("udsatte", B, "2023-06-01"),
        make_meetings("2023-06-10 start ja"),
        DEFAULT_SETTINGS,
        date(2024, 6, 10),
    )
    assert plan.next_due is not None
    assert (plan.next_due.kind, plan.next_due.due) == ("follow_up", date(2023, 9, 10))
    held_all = plan_meetings(
        make_case("udsatte", B, "2023-06-01", end="2023-07-01"),
        make_meetings("2023-06-10 start ja"),
        DEFAULT_SETTINGS,
        date(2023, 7, 2),
    )
    assert held_all.next_due is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2024, 6, 9), 0), (date(2024, 6, 10), 1), (date(2024, 7, 9), 30)],
    ids=["window-last-day", "one-day-late", "thirty-days-late"],
)
def test_days_overdue(today: date, expected: int) -> None:
    plan = plan_meetings(make_case("udsatte", B, "2023-06-01"), [], DEFAULT_SETTINGS, today)
    m16 = next(p for p in plan.meetings if p.kind == "m16")
    assert days_overdue(m16, today) == expected


def test_days_overdue_is_zero_when_held_or_not_applicable() -> None:
    plan = plan_meetings(
        make_case("udsatte", B, "2026-08-01"), make_meetings("2026-08-02 start ja"), DEFAULT_SETTINGS, date(2027, 8, 1)
    )
    by_kind = {p.kind: p for p in plan.meetings}
    assert days_overdue(by_kind["start"], date(2027, 8, 1)) == 0
    assert days_overdue(by_kind["m16"], date(2027, 8, 1)) == 0
    assert days_overdue(by_kind["m18_5"], date(2027, 8, 1)) > 0


def test_psykisk_milestone_list_is_data() -> None:
    settings = dataclasses.replace(DEFAULT_SETTINGS, psykisk_milestones=("m16", "m17_5", "m18_5"))
    plan = plan_meetings(make_case("psykisk", B, "2024-01-15"), [], settings, date(2024, 1, 15))
    assert [p.kind for p in plan.meetings if p.kind.startswith("m")] == ["m16", "m17_5", "m18_5"]


# ---- properties ---------------------------------------------------------------------------------------------------

KINDS = ("start", "m16", "m17_5", "m18_5", "quarterly", "follow_up", "extra", "end")


# Ages (in months) where the rules change: dates near them find the boundary cases.
KEY_AGES_MONTHS = (15 * 12, 16 * 12, 17 * 12 + 6, 18 * 12, 18 * 12 + 6, 23 * 12, 25 * 12)


@st.composite
def near_key_age(draw: st.DrawFn, birth: date, spread: int) -> date:
    """A date near one of the rule ages, or anywhere from 13 to 26."""
    if draw(st.booleans()):
        return birth + timedelta(days=draw(st.integers(13 * 365, 26 * 365)))
    key = add_years(birth, draw(st.sampled_from(KEY_AGES_MONTHS)) / 12)
    return key + timedelta(days=draw(st.integers(-spread, spread)))


@st.composite
def plan_inputs(draw: st.DrawFn) -> tuple[Case, list[Meeting], Settings, date]:
    birth = draw(st.dates(date(1995, 1, 1), date(2015, 12, 31)))
    variant = draw(st.sampled_from(("udsatte", "psykisk")))
    inclusion = draw(near_key_age(birth, 90))
    end = None
    if draw(st.booleans()):
        end = inclusion + timedelta(days=draw(st.integers(0, 8 * 365)))
    count = draw(st.integers(0, 10))
    meetings = []
    for row in range(2, 2 + count):
        if draw(st.booleans()):
            day = inclusion + timedelta(days=draw(st.integers(-60, 9 * 365)))
        else:
            day = draw(near_key_age(birth, 75))
        kind = draw(st.sampled_from(KINDS))
        meetings.append(Meeting(row, CASE_ID, day, kind, draw(st.sampled_from((True, False, None)))))
    settings = settings_from(
        {
            "quarterly_mode": draw(st.sampled_from(("rolling", "calendar"))),
            "attendance_strict": draw(st.booleans()),
            "soon_days": draw(st.integers(0, 90)),
            "m16.after_days": draw(st.sampled_from((0, 30, 120))),
            "start_window_days": draw(st.sampled_from((0, 30, 200))),
        }
    )
    today = max(inclusion - timedelta(days=30), draw(near_key_age(birth, 120)))
    return make_case_from(birth, variant, inclusion, end), meetings, settings, today


def make_case_from(birth: date, variant: str, inclusion: date, end: date | None) -> Case:
    return Case(CASE_ID, CASE_ID, birth_date=birth, variant=variant, inclusion_date=inclusion, end_date=end)


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def _open(plan: MeetingPlan) -> list[PlannedMeeting]:
    return [p for p in plan.meetings if p.status in ("soon", "overdue", "planned")]


@PROPERTY_SETTINGS
@given(plan_inputs())
def test_nothing_open_is_due_before_inclusion_or_after_end(inputs: tuple[Case, list[Meeting], Settings, date]) -> None:
    case, meetings, settings_, today = inputs
    plan = plan_meetings(case, meetings, settings_, today)
    assert case.inclusion_date is not None and plan.course_start is not None and plan.course_end is not None
    assert plan.course_start >= case.inclusion_date
    for planned in _open(plan):
        assert case.inclusion_date <= planned.window_start <= planned.due <= planned.window_end <= plan.course_end
    for planned in plan.meetings:
        assert planned.window_start <= planned.due <= planned.window_end
    assert [p.due for p in plan.meetings] == sorted(p.due for p in plan.meetings)


@PROPERTY_SETTINGS
@given(plan_inputs())
def test_quarterly_meetings_close_together_before_18(inputs: tuple[Case, list[Meeting], Settings, date]) -> None:
    case, meetings, settings_, today = inputs
    plan = plan_meetings(case, meetings, settings_, today)
    assert case.birth_date is not None
    quarterly = [p for p in plan.meetings if p.kind == "quarterly"]
    if case.variant == "udsatte":
        assert quarterly == []
        return
    limit = 92 + max(settings_.quarterly_window_days, 0)
    held_on = [meeting.date for meeting in meetings if meeting.date is not None and meeting.kind != "extra"]
    for earlier, later in zip(quarterly, quarterly[1:], strict=False):
        # A meeting between two dues moves the clock (rolling mode); without one the dues are a quarter apart.
        if not any(earlier.due < day < later.due for day in held_on):
            assert (later.due - earlier.due).days <= limit
    eighteenth = add_years(case.birth_date, 18)
    for planned in quarterly:
        assert planned.window_end < eighteenth


@PROPERTY_SETTINGS
@given(plan_inputs())
def test_each_milestone_once_and_meetings_used_once(inputs: tuple[Case, list[Meeting], Settings, date]) -> None:
    case, meetings, settings_, today = inputs
    plan = plan_meetings(case, meetings, settings_, today)
    kinds = [p.kind for p in plan.meetings if p.kind in MILESTONES]
    expected = {"start", "m16", "m17_5", "m18_5"} if case.variant == "udsatte" else {"start", "m17_5", "m18_5"}
    assert sorted(kinds) == sorted(expected)
    assert len([p for p in plan.meetings if p.kind == "follow_up" and p.status in ("soon", "planned")]) <= 1
    used = [p.held.row for p in plan.meetings if p.held is not None and p.kind in MILESTONES]
    assert len(used) == len(set(used))
    for planned in plan.meetings:
        if planned.held is not None:
            held_on = planned.held.date
            assert held_on is not None and held_on <= today
            assert planned.held.kind != "extra"
            if settings_.attendance_strict:
                assert planned.held.young_person_present is True
            if planned.status == "held":
                assert planned.window_start <= held_on <= planned.window_end
            else:
                assert planned.status == "held_late" and held_on > planned.window_end
                if planned.kind in MILESTONES:  # a missed quarter or follow-up is caught up by any meeting
                    assert planned.held.kind == planned.kind


@PROPERTY_SETTINGS
@given(plan_inputs(), st.randoms(use_true_random=False))
def test_plan_depends_only_on_inputs(inputs: tuple[Case, list[Meeting], Settings, date], rng: random.Random) -> None:
    case, meetings, settings_, today = inputs
    first = plan_meetings(case, meetings, settings_, today)
    assert plan_meetings(case, meetings, settings_, today) == first
    shuffled = list(meetings)
    rng.shuffle(shuffled)
    assert plan_meetings(case, shuffled, settings_, today) == first
    noise = [dataclasses.replace(meeting, case_id="U-9999") for meeting in meetings]
    assert plan_meetings(case, shuffled + noise, settings_, today) == first


def test_planned_builds_the_same_object_as_the_dataclass() -> None:
    """The plan builds its meetings with ``_planned`` (no per-field ``object.__setattr__``): the same frozen object
    as ``PlannedMeeting(...)``, attribute for attribute and in order, so a field added to the dataclass fails here."""
    held = Meeting(5, "U-0001", date(2025, 3, 3), "m16", True)
    for args in (
        ("m16", date(2025, 3, 1), date(2025, 2, 1), date(2025, 3, 31), "held", held),
        ("follow_up", date(2025, 6, 1), date(2025, 6, 1), date(2025, 7, 1), "overdue"),
    ):
        fast, slow = _planned(*args), PlannedMeeting(*args)
        assert type(fast) is PlannedMeeting
        assert fast == slow
        assert list(vars(fast).items()) == list(vars(slow).items())
        assert pickle.loads(pickle.dumps(fast)) == slow
        assert repr(fast) == repr(slow)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.status = "held"  # type: ignore[misc]
