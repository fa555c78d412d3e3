"""Report periods beyond quarters and the cohort view (issue 14): the seed's "de første 71 unge" figure.

The seed's figure: 71 young people, 1 % both, 62 % education, 10 % job, 3 / 4 / 4 % started but stopped, 15 % neither.
Rounded shares of 71 give those with 1, 44, 7, 2, 3, 3 and 11 young people (1.4, 62.0, 9.9, 2.8, 4.2, 4.2, 15.5 %).
Twenty of them ended in January 2025; the cohort view on 01-10-2026 still counts all 71 with their status at the end,
while the quarterly report for 2026Q3 counts only the 51 still in a course.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from samarbejde_xl.cli import cli
from samarbejde_xl.core.aggregate import aggregate
from samarbejde_xl.core.facts import workbook_facts
from samarbejde_xl.core.figures import Figures
from samarbejde_xl.core.model import Case, Meeting, WorkbookData
from samarbejde_xl.core.quarter import (
    MODEL_START,
    Period,
    Quarter,
    between,
    cohort,
    half_year,
    parse_period,
    whole_year,
)
from samarbejde_xl.core.settings import DEFAULT_SETTINGS

TODAY = date(2026, 10, 1)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# (category, how many, registrations: (education, job) at 01-03-2024 and, if any, at 01-09-2024)
SEED_71: tuple[tuple[str, int, tuple[tuple[str, str], ...]], ...] = (
    ("both", 1, (("youth_education", "ordinary"),)),
    ("education", 44, (("fgu", "none"),)),
    ("job", 7, (("none", "ordinary"),)),
    ("started_stopped_both", 2, (("fgu", "ordinary"), ("none", "none"))),
    ("started_stopped_education", 3, (("fgu", "none"), ("none", "none"))),
    ("started_stopped_job", 3, (("none", "ordinary"), ("none", "none"))),
    ("none", 11, (("none", "none"),)),
)
SEED_PERCENT = {
    "both": 1,
    "education": 62,
    "job": 10,
    "started_stopped_both": 3,
    "started_stopped_education": 4,
    "started_stopped_job": 4,
    "none": 15,
}
REGISTRATION_DATES = (date(2024, 3, 1), date(2024, 9, 1))
ENDED = 20  # every third young person, 20 of the 71, ended on 15-01-2025


def _seed_workbook() -> WorkbookData:
    cases: list[Case] = []
    meetings: list[Meeting] = []
    rows = itertools.count(2)
    number = itertools.count(1)
    for _category, count, registrations in SEED_71:
        for _ in range(count):
            index = next(number)
            case_id = f"U-{index:04d}"
            ended = index % 3 == 0 and index <= 3 * ENDED
            cases.append(
                Case(
                    case_id,
                    case_id,
                    birth_date=date(2007, 1, 1),
                    variant="udsatte",
                    inclusion_date=date(2023, 6, 1) if index <= 40 else date(2024, 2, 1),
                    coordinator="KA",
                    end_date=date(2025, 1, 15) if ended else None,
                    end_reason="goals_met" if ended else None,
                )
            )
            for day, (education, job) in zip(REGISTRATION_DATES, registrations, strict=False):
                meetings.append(Meeting(next(rows), case_id, day, "follow_up", True, education=education, job=job))
    return WorkbookData("seed.xlsx", 3, "Demokommune", {}, tuple(cases), tuple(meetings))


def _result(period: Quarter | Period) -> Figures:
    facts = workbook_facts(_seed_workbook(), (), DEFAULT_SETTINGS, period, TODAY)
    return aggregate([facts], quarter=period, today=TODAY)


def test_the_cohort_view_reproduces_the_seeds_first_71_after_some_ended() -> None:
    result = _result(cohort(TODAY))
    assert (result.counts.active, result.outcomes.total, result.outcome_unregistered) == (71, 71, 0)
    counts = {row.code: row.count for row in result.outcomes.rows}
    assert counts == {code: count for code, count, _ in SEED_71}
    assert {row.code: round(100 * (row.pct or 0)) for row in result.outcomes.rows} == SEED_PERCENT
    assert sum(row.ended for row in result.caseload_by_variant) == ENDED


def test_the_quarterly_report_counts_only_those_still_in_a_course() -> None:
    result = _result(Quarter(2026, 3))
    assert (result.counts.active, result.outcomes.total) == (71 - ENDED, 71 - ENDED)


def test_a_cohort_by_inclusion_year() -> None:
    included_2023 = _result(cohort(TODAY, 2023))  # U-0001 … U-0040: 1 both, 39 education
    assert included_2023.counts.active == 40
    assert {row.code: row.count for row in included_2023.outcomes.rows if row.count} == {"both": 1, "education": 39}
    assert _result(cohort(TODAY, 2024)).counts.active == 31
    assert _result(cohort(TODAY, 2022)).counts.active == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026Q3", Quarter(2026, 3)),
        ("2026H1", Period(date(2026, 1, 1), date(2026, 6, 30), "2026H1", "1. halvår 2026")),
        (" 2026-h2 ", half_year(2026, 2)),
        ("2026", Period(date(2026, 1, 1), date(2026, 12, 31), "2026", "året 2026")),
        ("kohorte", Period(MODEL_START, TODAY, "kohorte", "alle unge siden modellens start", cohort=True)),
        ("Kohorte:2025", cohort(TODAY, 2025)),
    ],
    ids=["quarter", "first-half", "second-half", "year", "cohort", "cohort-by-year"],
)
def test_parse_period(text: str, expected: Quarter | Period) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize("text", ["2026H3", "26", "2026Q5", "kohorte:25", "halvår", ""])
def test_parse_period_refuses_and_names_the_forms(text: str) -> None:
    with pytest.raises(ValueError, match="2026H1"):
        parse_period(text, TODAY)


def test_between_and_whole_year() -> None:
    period = between(date(2026, 1, 15), date(2026, 5, 31))
    assert (period.code, period.label) == ("2026-01-15--2026-05-31", "15-01-2026 – 31-05-2026")
    assert period.contains(date(2026, 1, 15)) and not period.contains(date(2026, 6, 1))
    assert whole_year(2025).end == date(2025, 12, 31)
    with pytest.raises(ValueError):
        between(date(2026, 2, 1), date(2026, 1, 31))


# ---- the command -------------------------------------------------------------------------------------------------


@pytest.fixture()
def runner() -> Iterator[CliRunner]:
    yield CliRunner()


def _consolidate(runner: CliRunner, tmp_path: Path, *options: str) -> tuple[int, str, Path]:
    report = tmp_path / "rapport.xlsx"
    result = runner.invoke(
        cli,
        ["consolidate", str(EXAMPLES), "-o", str(report), "--today", "2026-10-01", "-j", "1", *options],
    )
    return result.exit_code, result.output, report


@pytest.mark.parametrize(
    ("options", "period_cell"),
    [
        (("--period", "2026H1"), "1. halvår 2026 (01-01-2026 – 30-06-2026)"),
        (("--from", "2026-02-01", "--to", "2026-05-31"), "01-02-2026 – 31-05-2026"),
        (("--period", "kohorte"), "kohorte: alle unge siden modellens start"),
    ],
    ids=["half-year", "from-to", "cohort"],
)
def test_consolidate_other_periods(
    runner: CliRunner, tmp_path: Path, options: tuple[str, ...], period_cell: str
) -> None:

    code, output, report = _consolidate(runner, tmp_path, *options)
    assert code == 0, output
    cover = openpyxl.load_workbook(report).worksheets[0]
    labels = {row[0].value: row[1].value for row in cover.iter_rows(max_col=2) if row[0].value}
    assert labels["Periode"] == period_cell
    assert "Aktive unge i perioden" in labels
    assert not (tmp_path / "samarbejde-historik.sqlite").exists()  # only quarters go into the history


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--period", "2026H3"), "skriv et kvartal (2026Q3), et halvår (2026H1)"),
        (("--period", "2026H1", "--quarter", "2026Q1"), "angiv kun én af --quarter, --period"),
        (("--from", "2026-02-01"), "angiv både --from og --to"),
        (("--from", "2026-05-01", "--to", "2026-04-30"), "ligger før --from"),
    ],
    ids=["bad-period", "two-periods", "from-without-to", "to-before-from"],
)
def test_consolidate_refuses_unclear_periods(
    runner: CliRunner, tmp_path: Path, options: tuple[str, ...], message: str
) -> None:
    code, output, report = _consolidate(runner, tmp_path, *options)
    assert code == 2 and message in output and not report.exists()
