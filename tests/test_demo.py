"""The synthetic data generator (samarbejde_xl/demo/), the demo-data command and the committed examples/."""

from __future__ import annotations

import dataclasses
import io
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.actions import refresh_workbook
from samarbejde_xl.cli import cli
from samarbejde_xl.commands.common import terminal_progress
from samarbejde_xl.core.dates import add_years, age_on
from samarbejde_xl.core.meetings import plan_meetings
from samarbejde_xl.core.model import Case, Meeting, WorkbookData
from samarbejde_xl.core.outcomes import OUTCOME_CATEGORIES, outcome_category, status_history
from samarbejde_xl.core.parse import contains_cpr_like
from samarbejde_xl.core.problems import PROBLEM_TYPES, Problem
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, variant_end_age, variant_start_age
from samarbejde_xl.core.validation import validate_batch, validate_workbook
from samarbejde_xl.core.wording import counted
from samarbejde_xl.demo.generator import (
    EXAMPLES_PARAMETERS,
    MAX_MEETINGS_PER_CASE,
    DemoWorkbook,
    generate_municipality,
)
from samarbejde_xl.demo.mistakes import MAX_PLANTED_PER_WORKBOOK
from samarbejde_xl.workbook.data_writer import write_workbook_bytes
from samarbejde_xl.workbook.reader import read_workbook

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = REPO_ROOT / "examples"
TODAY = date(2026, 10, 1)
PLANTED_CODES = ("date-text", "score-range", "not-in-list", "cpr-like", "required-missing")


@pytest.fixture(scope="module")
def municipality() -> list[DemoWorkbook]:
    """A clean 20 x 25 municipality (pure generation: fast)."""
    return generate_municipality(workbooks=20, cases=25, seed=1, today=TODAY, clean=True)


def _cases(books: list[DemoWorkbook]) -> Iterator[tuple[WorkbookData, Case]]:
    for book in books:
        for case in book.data.cases:
            yield book.data, case


def _meetings(books: list[DemoWorkbook]) -> Iterator[Meeting]:
    for book in books:
        yield from book.data.meetings


def _validation_problems(books: list[DemoWorkbook], today: date) -> list[Problem]:
    problems = [p for book in books for p in validate_workbook(book.data, DEFAULT_SETTINGS, today)]
    return problems + validate_batch([book.data for book in books])


# --------------------------------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_data_and_bytes() -> None:
    first = generate_municipality(workbooks=2, cases=5, seed=7, today=TODAY, clean=False)
    second = generate_municipality(workbooks=2, cases=5, seed=7, today=TODAY, clean=False)
    assert first == second
    assert write_workbook_bytes(first[0].data, cell_overrides=first[0].cell_overrides, today=TODAY) == (
        write_workbook_bytes(second[0].data, cell_overrides=second[0].cell_overrides, today=TODAY)
    )


def test_a_different_seed_gives_different_data() -> None:
    first = generate_municipality(workbooks=2, cases=5, seed=7, today=TODAY, clean=True)
    other = generate_municipality(workbooks=2, cases=5, seed=8, today=TODAY, clean=True)
    assert [book.data for book in first] != [book.data for book in other]


def test_the_generator_does_not_touch_the_global_random_state() -> None:
    import random

    random.seed(123)
    expected = random.random()
    random.seed(123)
    generate_municipality(workbooks=1, cases=3, seed=1, today=TODAY, clean=False)
    assert random.random() == expected


def test_clean_mode_changes_only_the_planted_cells() -> None:
    """Planting works on the clean data: the young people and their meetings are the same otherwise."""
    clean = generate_municipality(workbooks=3, cases=6, seed=5, today=TODAY, clean=True)
    planted = generate_municipality(workbooks=3, cases=6, seed=5, today=TODAY, clean=False)
    for clean_book, planted_book in zip(clean, planted, strict=True):
        assert [case.case_id for case in clean_book.data.cases] == [case.case_id for case in planted_book.data.cases]
        assert len(clean_book.data.meetings) == len(planted_book.data.meetings)
        before = [*clean_book.data.cases, *clean_book.data.meetings]
        after = [*planted_book.data.cases, *planted_book.data.meetings]
        changed = sum(1 for a, b in zip(before, after, strict=True) if a != b)
        assert changed <= len(planted_book.planted)


# --------------------------------------------------------------------------------------------------
# Realism
# --------------------------------------------------------------------------------------------------


def test_file_names_guides_and_ids(municipality: list[DemoWorkbook]) -> None:
    assert [book.file_name for book in municipality] == [f"vejleder-{n:02d}.xlsx" for n in range(1, 21)]
    assert all(book.data.file == book.file_name for book in municipality)
    ids = [case.case_id for _, case in _cases(municipality)]
    assert ids == [f"U-{n:04d}" for n in range(1, 501)]
    guides = [book.data.cases[0].coordinator for book in municipality]
    assert len(set(guides)) == len(guides)
    assert all(re.fullmatch(r"[A-Z]{2,3}", guide) for guide in guides)
    assert {book.data.municipality for book in municipality} == {"Demokommune"}


def test_ages_and_variants_follow_the_model(municipality: list[DemoWorkbook]) -> None:
    ages = Counter(age_on(case.birth_date, TODAY) for _, case in _cases(municipality) if case.birth_date)
    assert min(ages) == 15
    assert max(ages) == 24
    variants = Counter(case.variant for _, case in _cases(municipality))
    assert set(variants) == {"udsatte", "psykisk"}
    for _, case in _cases(municipality):
        assert case.birth_date is not None and case.inclusion_date is not None and case.variant is not None
        start_age = variant_start_age(DEFAULT_SETTINGS, case.variant)
        assert add_years(case.birth_date, start_age) <= case.inclusion_date < TODAY
        assert TODAY < add_years(case.birth_date, variant_end_age(DEFAULT_SETTINGS, case.variant))
        assert case.inclusion_date >= TODAY - timedelta(days=3 * 366)


def test_meetings_fall_inside_the_course(municipality: list[DemoWorkbook]) -> None:
    counts: Counter[int] = Counter()
    for data, case in _cases(municipality):
        meetings = data.meetings_for(case.case_id)
        counts[len(meetings)] += 1
        assert case.inclusion_date is not None
        for meeting in meetings:
            assert meeting.date is not None
            assert case.inclusion_date <= meeting.date <= (case.end_date or TODAY) <= TODAY
        assert len({meeting.date for meeting in meetings}) == len(meetings)
    assert min(counts) == 0
    assert max(counts) == MAX_MEETINGS_PER_CASE
    assert len(counts) >= 10  # a spread, not everyone alike


def test_checklist_rows_are_numbered_in_date_order(municipality: list[DemoWorkbook]) -> None:
    for book in municipality:
        rows = [meeting.row for meeting in book.data.meetings]
        assert rows == list(range(schema.CHECKLIST_FIRST_ROW, schema.CHECKLIST_FIRST_ROW + len(rows)))
        dates = [meeting.date for meeting in book.data.meetings]
        assert dates == sorted(dates)  # type: ignore[type-var]


def test_meeting_kinds_match_the_variants(municipality: list[DemoWorkbook]) -> None:
    kinds: dict[str, Counter[str]] = {"udsatte": Counter(), "psykisk": Counter()}
    for data, case in _cases(municipality):
        assert case.variant is not None
        kinds[case.variant].update(meeting.kind or "" for meeting in data.meetings_for(case.case_id))
    assert set(kinds["udsatte"]) == {"start", "m16", "m17_5", "m18_5", "follow_up", "extra", "end"}
    assert set(kinds["psykisk"]) == {"start", "m17_5", "m18_5", "quarterly", "extra", "end"}


def test_plans_show_every_status(municipality: list[DemoWorkbook]) -> None:
    statuses = Counter(
        planned.status
        for data, case in _cases(municipality)
        for planned in plan_meetings(case, data.meetings_for(case.case_id), DEFAULT_SETTINGS, TODAY).meetings
    )
    assert set(statuses) == set(schema.PLAN_STATUS.codes)
    assert statuses["overdue"] < statuses["held"]  # most meetings are held


def test_every_outcome_category_occurs(municipality: list[DemoWorkbook]) -> None:
    outcomes = Counter(
        outcome_category(status_history(data.meetings_for(case.case_id)), DEFAULT_SETTINGS)
        for data, case in _cases(municipality)
    )
    assert set(outcomes) == {category.code for category in OUTCOME_CATEGORIES}
    assert outcomes.most_common(1)[0][0] == "education"  # as in the model's published results


def test_attendance_varies(municipality: list[DemoWorkbook]) -> None:
    meetings = list(_meetings(municipality))
    assert Counter(meeting.young_person_present for meeting in meetings).keys() == {True, False}
    assert Counter(meeting.adult_present for meeting in meetings).keys() == {True, False, None}
    professions = Counter(code for meeting in meetings for code in meeting.professions_present)
    assert len(professions) >= 10
    assert professions["coordinator"] > 0.9 * len(meetings)


def test_teams_networks_and_consent(municipality: list[DemoWorkbook]) -> None:
    renewed = 0
    for _, case in _cases(municipality):
        professions = {member.profession for member in case.team}
        assert "coordinator" in professions
        if case.variant == "udsatte":
            assert {"uu", "jobcenter"} <= professions
        assert any(person.is_adult for person in case.network)
        assert case.consents
        assert case.birth_date is not None
        renewed += any(
            consent.given_on is not None
            and consent.given_on >= add_years(case.birth_date, 18)
            and case.inclusion_date is not None
            and case.inclusion_date < add_years(case.birth_date, 18)
            for consent in case.consents
        )
    assert renewed > 10


def test_scores_move_both_ways_and_involvement_has_dont_know(municipality: list[DemoWorkbook]) -> None:
    directions: Counter[str] = Counter()
    for data, case in _cases(municipality):
        scored = [meeting.scores for meeting in data.meetings_for(case.case_id) if meeting.scores]
        if len(scored) >= 2:
            change = sum(scored[-1].values()) - sum(scored[0].values())
            directions["up" if change > 0 else "down" if change < 0 else "same"] += 1
    assert directions["up"] > directions["down"] > 0
    answers = Counter(value for meeting in _meetings(municipality) for value in meeting.involvement.values())
    assert set(answers) == {1, 2, 3, 4, 5, None}
    scores = [score for meeting in _meetings(municipality) for score in meeting.scores.values()]
    assert min(scores) >= 1 and max(scores) <= 10


def test_agreements_ended_courses_and_interventions(municipality: list[DemoWorkbook]) -> None:
    statuses = Counter(agreement.status for _, case in _cases(municipality) for agreement in case.agreements)
    assert set(statuses) == set(schema.GOAL_STATUS.codes)
    ended = [case for _, case in _cases(municipality) if case.end_date is not None]
    assert ended and all(case.end_reason in schema.END_REASON.codes for case in ended)
    assert any(case.interventions for _, case in _cases(municipality))


def test_free_text_holds_no_cpr_like_numbers(municipality: list[DemoWorkbook]) -> None:
    texts: list[str] = []
    for _data, case in _cases(municipality):
        texts += [case.notes, case.initials, case.coordinator]
        texts += [consent.parties for consent in case.consents]
        texts += [a.goal + " " + a.action for a in case.agreements]
    for meeting in _meetings(municipality):
        texts += [meeting.tools_used, meeting.own_view, meeting.notes, meeting.recorded_by]
    assert not [text for text in texts if contains_cpr_like(text)]


def test_clean_data_passes_validation(municipality: list[DemoWorkbook]) -> None:
    assert _validation_problems(municipality, TODAY) == []


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10**9),
    today=st.dates(min_value=date(2016, 1, 1), max_value=date(2040, 12, 31)),
)
def test_clean_data_passes_validation_for_any_seed_and_day(seed: int, today: date) -> None:
    books = generate_municipality(workbooks=2, cases=12, seed=seed, today=today, clean=True)
    assert _validation_problems(books, today) == []
    for book in books:
        for case in book.data.cases:
            assert len(book.data.meetings_for(case.case_id)) <= MAX_MEETINGS_PER_CASE


def test_planted_mistakes_are_few_registered_and_in_distinct_cells() -> None:
    books = generate_municipality(workbooks=30, cases=8, seed=3, today=TODAY, clean=False)
    counts = Counter(len(book.planted) for book in books)
    assert set(counts) <= set(range(MAX_PLANTED_PER_WORKBOOK + 1)) and len(counts) > 1
    codes = Counter(mistake.code for book in books for mistake in book.planted)
    assert set(codes) == set(PLANTED_CODES)
    for book in books:
        places = [(mistake.sheet, mistake.cell) for mistake in book.planted]
        assert len(set(places)) == len(places)
        assert all(mistake.code in PROBLEM_TYPES for mistake in book.planted)


def test_planted_mistakes_add_no_validation_problems() -> None:
    books = generate_municipality(workbooks=10, cases=10, seed=4, today=TODAY, clean=False)
    assert sum(len(book.planted) for book in books) > 0
    assert _validation_problems(books, TODAY) == []


# --------------------------------------------------------------------------------------------------
# Files: the demo-data command, round trip, examples/
# --------------------------------------------------------------------------------------------------


def _read_back(
    folder: Path, books: list[DemoWorkbook], today: date = TODAY
) -> list[tuple[DemoWorkbook, WorkbookData, list[Problem]]]:
    out = []
    for book in books:
        result = read_workbook(folder / book.file_name, display_name=book.file_name)
        flagged = {(problem.sheet, problem.cell) for problem in result.problems}
        problems = list(result.problems) + validate_workbook(
            result.data, DEFAULT_SETTINGS, today, flagged_cells=flagged
        )
        out.append((book, result.data, problems))
    return out


def _assert_same_data(expected: WorkbookData, actual: WorkbookData) -> None:
    """Field by field, so a failure names the case or meeting and the field."""
    assert actual.municipality == expected.municipality
    assert actual.settings == expected.settings
    assert actual.template_version == expected.template_version
    assert len(actual.cases) == len(expected.cases)
    for want, got in zip(expected.cases, actual.cases, strict=True):
        for field in dataclasses.fields(Case):
            assert getattr(got, field.name) == getattr(want, field.name), (want.case_id, field.name)
    assert len(actual.meetings) == len(expected.meetings)
    for want_meeting, got_meeting in zip(expected.meetings, actual.meetings, strict=True):
        for field in dataclasses.fields(Meeting):
            assert getattr(got_meeting, field.name) == getattr(want_meeting, field.name), (
                want_meeting.row,
                field.name,
            )


@pytest.mark.slow  # ~25-40 s: 20 workbooks of 25 case sheets written and read back
def test_demo_data_round_trip_20_by_25(tmp_path: Path, municipality: list[DemoWorkbook]) -> None:
    """The acceptance test: what demo-data writes reads back exactly as generated, with zero problems."""
    result = CliRunner().invoke(
        cli,
        ["demo-data", str(tmp_path), "--workbooks", "20", "--cases", "25", "--seed", "1", "--clean"]
        + ["--today", TODAY.isoformat()],
    )
    assert result.exit_code == 0, result.output
    assert "skrev 20 arbejdsbøger" in result.output and "0 indbyggede fejl" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == [book.file_name for book in municipality]
    read = _read_back(tmp_path, municipality)
    for book, data, problems in read:
        _assert_same_data(book.data, data)
        assert problems == [], book.file_name
    assert validate_batch([data for _, data, _ in read]) == []


def test_planted_mistakes_are_exactly_what_reading_reports(tmp_path: Path) -> None:
    arguments = ["--workbooks", "8", "--cases", "6", "--seed", "11", "--today", TODAY.isoformat()]
    result = CliRunner().invoke(cli, ["demo-data", str(tmp_path), *arguments])
    assert result.exit_code == 0, result.output
    books = generate_municipality(workbooks=8, cases=6, seed=11, today=TODAY, clean=False)
    planted_total = sum(len(book.planted) for book in books)
    assert planted_total > 0
    assert counted(planted_total, "indbygget fejl") in result.output
    for book, data, problems in _read_back(tmp_path, books):
        _assert_same_data(book.data, data)
        reported = sorted((problem.sheet, problem.cell, problem.code) for problem in problems)
        assert reported == sorted((mistake.sheet, mistake.cell, mistake.code) for mistake in book.planted)


def test_demo_data_replaces_files_of_the_same_name_only(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("keep me", encoding="utf-8")
    stale = tmp_path / "vejleder-01.xlsx"
    stale.write_bytes(b"old")
    arguments = ["demo-data", str(tmp_path), "--workbooks", "1", "--cases", "2", "--today", TODAY.isoformat()]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert other.read_text(encoding="utf-8") == "keep me"
    assert stale.read_bytes()[:2] == b"PK"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt", "vejleder-01.xlsx"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--workbooks", "0"], "--workbooks"),
        (["--workbooks", "100", "--cases", "200"], "højst 9999"),
        (["--today", "01-10-2026"], "'01-10-2026' er ikke en dato skrevet ÅÅÅÅ-MM-DD; mente du 2026-10-01?"),
        (["--today", "2026-02-31"], "'2026-02-31' er ikke en dato skrevet ÅÅÅÅ-MM-DD, fx 2026-10-01"),
    ],
    ids=["no-workbooks", "too-many-ids", "danish-date", "no-such-day"],
)
def test_demo_data_usage_errors(tmp_path: Path, arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["demo-data", str(tmp_path / "out"), *arguments])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_demo_examples_rewrites_the_committed_examples_byte_identically(tmp_path: Path) -> None:
    """Running the command again changes nothing: the committed files are exactly what it writes."""
    result = CliRunner().invoke(cli, ["demo-examples", str(tmp_path)])
    assert result.exit_code == 0, result.output
    committed = sorted(path.name for path in EXAMPLES.glob("*.xlsx"))
    generated = sorted(path.name for path in tmp_path.glob("*.xlsx"))
    assert committed == generated == [f"vejleder-{n:02d}.xlsx" for n in range(1, EXAMPLES_PARAMETERS.workbooks + 1)]
    for name in generated:
        assert (EXAMPLES / name).read_bytes() == (tmp_path / name).read_bytes(), name


def _cell_values(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's non-empty rows (openpyxl: the fast reader reads only the sheets the tools parse)."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [list(row) for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def test_the_examples_are_shipped_refreshed(tmp_path: Path) -> None:
    """A guide pressing Opdatér mødeplan on an example changes no cell: plans, Oversigt and Fejl are already there."""
    today = EXAMPLES_PARAMETERS.today
    for path in sorted(EXAMPLES.glob("*.xlsx")):
        refreshed = tmp_path / path.name
        refresh_workbook(path, refreshed, today=today, now=datetime(today.year, today.month, today.day))
        before, after = _cell_values(path), _cell_values(refreshed)
        assert before == after, path.name
        overview_rows = before[schema.SHEET_OVERVIEW][schema.OVERVIEW_FIRST_ROW - 1 :]
        assert len(overview_rows) == EXAMPLES_PARAMETERS.cases, path.name


def test_examples_readme_records_the_command_and_every_planted_mistake() -> None:
    parameters = EXAMPLES_PARAMETERS
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "samarbejde-xl demo-examples examples" in readme
    books = generate_municipality(
        workbooks=parameters.workbooks,
        cases=parameters.cases,
        seed=parameters.seed,
        today=parameters.today,
        clean=parameters.clean,
    )
    for book in books:
        for mistake in book.planted:
            assert f"{book.file_name}: {mistake.sheet}!{mistake.cell} [{mistake.code}]" in readme


def test_examples_report_exactly_the_planted_mistakes() -> None:
    parameters = EXAMPLES_PARAMETERS
    books = generate_municipality(
        workbooks=parameters.workbooks,
        cases=parameters.cases,
        seed=parameters.seed,
        today=parameters.today,
        clean=parameters.clean,
    )
    assert {mistake.code for book in books for mistake in book.planted} == set(PLANTED_CODES)
    for book, data, problems in _read_back(EXAMPLES, books, parameters.today):
        _assert_same_data(book.data, data)
        reported = sorted((problem.sheet, problem.cell, problem.code) for problem in problems)
        assert reported == sorted((mistake.sheet, mistake.cell, mistake.code) for mistake in book.planted)


# --------------------------------------------------------------------------------------------------
# Progress on a terminal
# --------------------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_and_bars_follow_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with ExitStack() as stack:
        writing = terminal_progress(stack, "Skriver arbejdsbøger")
        reading = terminal_progress(stack, "Læser arbejdsbøger")
        assert writing is not None and reading is not None
        for done in range(1, 4):
            writing(done, 3)
        closed = terminal.getvalue()  # the first bar finished at its last step, before the second starts
        reading(1, 2)
        reading(2, 2)
    assert "Skriver arbejdsbøger" in closed and "100%" in closed and "Læser" not in closed
    assert "Læser arbejdsbøger" in terminal.getvalue()


def test_no_progress_where_stderr_is_no_terminal(tmp_path: Path) -> None:
    with ExitStack() as stack:
        assert terminal_progress(stack, "Skriver arbejdsbøger") is None  # pytest captures stderr
    arguments = ["demo-data", str(tmp_path), "--workbooks", "2", "--cases", "1", "--today", TODAY.isoformat()]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert "Skriver" not in result.output and "%" not in result.output
