"""The leader-group report workbook: sheets, key figures, native charts, injection safety, the politicians' summary
with small-cell suppression, and the PDF of that summary."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.core.facts import AGE_BANDS, Unreadable
from samarbejde_xl.core.figures import (
    AgreementStats,
    Attendance,
    CaseloadRow,
    CategoryCount,
    ConsolidationResult,
    Counts,
    InvolvementRow,
    KeyFigures,
    LifeAreaRow,
    MeetingStats,
    MilestoneCompliance,
    OutcomeRow,
    OutcomeTable,
    OverdueRow,
    ProblemCount,
    WorkbookQuality,
    share,
)
from samarbejde_xl.core.outcomes import OUTCOME_CATEGORIES, UNREGISTERED_LABEL
from samarbejde_xl.core.quarter import Quarter
from samarbejde_xl.core.suppression import is_small
from samarbejde_xl.report import leader_report
from samarbejde_xl.report import pdf as report_pdf
from samarbejde_xl.report.leader_report import (
    HIDDEN_MARKER,
    data_quality_headline,
    small_marker,
    write_report,
)
from samarbejde_xl.report.politicians import write_politicians_summary
from samarbejde_xl.safe_text import csv_safe_text, is_formula_like, set_text, write_text

INJECTION_FILE = '=HYPERLINK("https://example.org";"klik")'
INJECTION_GUIDE = "+45 12345678"
INJECTION_GUIDE_2 = "@SUM(A1)"
INJECTION_MUNICIPALITY = "-1+1 Kommune"  # typed in a workbook's Kommune cell
INJECTIONS = (INJECTION_FILE, INJECTION_GUIDE, INJECTION_GUIDE_2, INJECTION_MUNICIPALITY)
ID_PATTERN = re.compile(r"U-\d{4}")

# --------------------------------------------------------------------------------------------------
# A hand-built result: small, realistic numbers, some below 5
# --------------------------------------------------------------------------------------------------


def _outcome_table(key: str, label: str, counts: list[int]) -> OutcomeTable:
    total = sum(counts)
    rows = tuple(
        OutcomeRow(category.code, category.label, category.group, count, share(count, total))
        for category, count in zip(OUTCOME_CATEGORIES, counts, strict=True)
    )
    return OutcomeTable(key, label, total, rows)


def _categories(choice: schema.Choice, counts: list[int]) -> tuple[CategoryCount, ...]:
    total = sum(counts)
    return tuple(
        CategoryCount(code, label, count, share(count, total))
        for (code, label), count in zip(choice.values, counts, strict=True)
    )


def _attendance(key: str, label: str, present: int, meetings: int) -> Attendance:
    return Attendance(key, label, present, meetings, share(present, meetings))


def _life_area(code: str, label: str, n: int, first: float, latest: float, moves: tuple[int, int, int]) -> LifeAreaRow:
    if n == 0:
        return LifeAreaRow(code, label, 0, None, None, None, None, None, 0, 0, 0)
    return LifeAreaRow(code, label, n, first, latest, *(share(move, n) for move in moves), *moves)


def _key_figures(quarter: Quarter, active: int, meetings: int, compliance: float, success: float) -> KeyFigures:
    return KeyFigures(
        quarter=quarter.code,
        label=quarter.label,
        workbooks=6,
        young_people=active + 6,
        active=active,
        started=9,
        ended=4,
        meetings_held=meetings,
        milestone_compliance=compliance,
        m18_5_compliance=compliance - 0.1,
        young_person_attendance=0.9,
        success_share=success,
        partial_share=0.15,
        none_share=1 - success - 0.15,
        overdue=7,
        errors=12,
        warnings=40,
    )


def make_result(**changes: Any) -> ConsolidationResult:
    """A ConsolidationResult for tests and for the docs pictures; keyword arguments replace fields."""
    quarter = Quarter(2026, 3)
    outcome_counts = {
        "udsatte": [1, 20, 4, 2, 2, 1, 5],
        "psykisk": [0, 7, 1, 0, 1, 1, 3],
        "15-17": [0, 14, 0, 1, 1, 0, 3],
        "18-20": [1, 10, 3, 1, 1, 1, 3],
        "21-24": [0, 3, 2, 0, 1, 1, 2],
    }
    all_counts = [a + b for a, b in zip(outcome_counts["udsatte"], outcome_counts["psykisk"], strict=True)]
    professions = []
    for index, (code, label) in enumerate(schema.PROFESSION.values):
        meetings = (60, 55, 20, 58, 6, 58, 12, 3, 25, 9, 4, 8, 14, 5, 2)[index]
        present = (60, 41, 11, 39, 3, 47, 8, 2, 19, 4, 2, 6, 6, 3, 1)[index]
        professions.append(_attendance(code, label, present, meetings))
    milestones = (
        MilestoneCompliance("start", "Startmøde", 9, 8, 1, 8 / 9),
        MilestoneCompliance("m16", "Møde ved 16 år", 6, 5, 1, 5 / 6),
        MilestoneCompliance("m17_5", "Møde ved 17½ år", 8, 6, 1, 6 / 8),
        MilestoneCompliance("m18_5", "Møde ved 18½ år", 7, 3, 2, 3 / 7),
    )
    frequency = (
        MilestoneCompliance("quarterly", "Kvartalsmøde", 12, 9, 2, 9 / 12),
        MilestoneCompliance("follow_up", "Opfølgningsmøde", 20, 14, 3, 14 / 20),
    )
    overdue = (
        OverdueRow(
            "U-0007", "mappe-aa.xlsx", "AB", "m18_5", "Møde ved 18½ år", date(2026, 7, 1), date(2026, 7, 31), 67
        ),
        OverdueRow(
            "U-0012",
            INJECTION_FILE,
            INJECTION_GUIDE,
            "follow_up",
            "Opfølgningsmøde",
            date(2026, 8, 2),
            date(2026, 9, 1),
            35,
        ),
        OverdueRow(
            "U-0031",
            "mappe-cd.xlsx",
            INJECTION_GUIDE_2,
            "m17_5",
            "Møde ved 17½ år",
            date(2026, 9, 20),
            date(2026, 9, 20),
            16,
        ),
        OverdueRow(
            "U-0040", "mappe-cd.xlsx", "CD", "quarterly", "Kvartalsmøde", date(2026, 8, 14), date(2026, 9, 13), 23
        ),
    )
    areas = schema.LIFE_AREA.values
    life = (
        _life_area(areas[0][0], areas[0][1], 31, 4.8, 6.1, (18, 9, 4)),
        _life_area(areas[1][0], areas[1][1], 29, 4.1, 4.9, (13, 10, 6)),
        _life_area(areas[2][0], areas[2][1], 3, 3.0, 4.3, (2, 1, 0)),  # n below 5
        _life_area(areas[3][0], areas[3][1], 31, 4.4, 5.6, (17, 8, 6)),
        _life_area(areas[4][0], areas[4][1], 27, 6.9, 7.2, (7, 17, 3)),
        _life_area(areas[5][0], areas[5][1], 30, 5.2, 6.4, (16, 11, 3)),
        _life_area(areas[6][0], areas[6][1], 31, 4.0, 5.9, (21, 7, 3)),
        _life_area(areas[7][0], areas[7][1], 28, 6.0, 6.3, (9, 15, 4)),
        _life_area(areas[8][0], areas[8][1], 30, 5.1, 5.5, (11, 13, 6)),
        _life_area(areas[9][0], areas[9][1], 0, 0, 0, (0, 0, 0)),  # nobody scored twice
    )
    answers = ((1, 2, 9, 20, 18), (2, 4, 12, 17, 12), (1, 3, 8, 21, 15), (0, 2, 10, 19, 17), (0, 1, 5, 14, 28))
    involvement = []
    for (item, label), counts in zip(schema.INVOLVEMENT_ITEMS, answers, strict=True):
        dont_know = 3
        scores = sum(counts)
        mean = sum((value + 1) * count for value, count in enumerate(counts)) / scores
        involvement.append(
            InvolvementRow(
                item, label, counts, dont_know, scores + dont_know, mean, share(counts[3] + counts[4], scores)
            )
        )
    quality = (
        WorkbookQuality(INJECTION_FILE, 1, "Eksempel Kommune", 9, 4, 6),
        WorkbookQuality("mappe-aa.xlsx", 1, "Eksempel Kommune", 10, 0, 3),
        WorkbookQuality("mappe-bb.xlsx", 1, "Eksempel Kommune", 11, 5, 12),
        WorkbookQuality("mappe-cd.xlsx", 1, "Eksempel Kommune", 9, 3, 9),
        WorkbookQuality("mappe-ee.xlsx", 1, "Eksempel Kommune", 10, 0, 6),
        WorkbookQuality("mappe-ff.xlsx", 1, "Eksempel Kommune", 9, 0, 4),
        WorkbookQuality("ødelagt.xlsx", None, INJECTION_MUNICIPALITY, 0, 0, 0, Unreadable.CORRUPT),
    )
    problems = (
        ProblemCount("required-missing", "Påkrævet felt mangler", "fejl", 7),
        ProblemCount("date-text", "Tekst hvor der skal stå en dato", "fejl", 5),
        ProblemCount("number-as-text", "Tal skrevet som tekst", "advarsel", 22),
        ProblemCount("cpr-like", "Muligt CPR-nummer i fritekst", "advarsel", 2),
    )
    meeting_kinds = (9, 6, 8, 7, 21, 18, 6, 0)
    result = ConsolidationResult(
        quarter=quarter,
        today=date(2026, 10, 6),
        as_of=quarter.end,
        generated_at=datetime(2026, 10, 6, 9, 30),
        tool_version="0.1.0",
        municipalities=("Eksempel Kommune",),
        counts=Counts(
            workbooks_found=7,
            workbooks_read=6,
            workbooks_unreadable=1,
            coordinators=6,
            young_people=58,
            active=52,
            started=9,
            ended=4,
            incomplete=2,
            errors=12,
            warnings=40,
            workbooks_with_errors=3,
        ),
        caseload_by_variant=(CaseloadRow("udsatte", "udsatte", 38, 6, 3), CaseloadRow("psykisk", "psykisk", 14, 3, 1)),
        caseload_by_age_band=tuple(
            CaseloadRow(band.code, band.label, *numbers)
            for band, numbers in zip(AGE_BANDS, ((20, 6, 0), (24, 3, 1), (8, 0, 3)), strict=True)
        ),
        outcomes=_outcome_table("all", "Alle", all_counts),
        outcomes_by_variant=(
            _outcome_table("udsatte", "udsatte", outcome_counts["udsatte"]),
            _outcome_table("psykisk", "psykisk", outcome_counts["psykisk"]),
        ),
        outcomes_by_age_band=tuple(
            _outcome_table(band.code, band.label, outcome_counts[band.code]) for band in AGE_BANDS
        ),
        outcome_unregistered=4,
        education_status=_categories(schema.EDUCATION, [12, 3, 9, 2, 17, 1, 4]),
        job_status=_categories(schema.JOB, [36, 6, 3, 3]),
        programme=5,
        consent_valid=47,
        consent_valid_pct=47 / 52,
        meetings=MeetingStats(
            held_in_quarter=sum(meeting_kinds),
            held_by_kind=_categories(schema.MEETING_KIND, list(meeting_kinds)),
            milestones_due=30,
            milestones_held_in_window=22,
            milestones_held_late=5,
            compliance=22 / 30,
            m18_5_due=7,
            m18_5_held_in_window=3,
            m18_5_compliance=3 / 7,
            by_milestone=milestones,
            required_due=62,
            required_held_in_window=45,
            required_held_late=10,
            required_compliance=45 / 62,
            by_required_kind=milestones + frequency,
            young_person=_attendance("young_person", "Den unge", 68, 75),
            adult=_attendance("adult", "Den unges voksne", 29, 51),
            professions=tuple(professions),
            overdue_count=len(overdue),
        ),
        overdue=overdue,
        agreements=AgreementStats(
            total=120,
            made_in_quarter=31,
            not_started=18,
            in_progress=54,
            met=37,
            abandoned=6,
            no_status=5,
            overdue=11,
            young_people_with_current=41,
            young_people_with_current_pct=41 / 52,
            made_at_meetings=29,
            followed_up_at_meetings=47,
        ),
        life_areas=life,
        involvement=tuple(involvement),
        data_quality=quality,
        top_problems=problems,
        trend=(
            _key_figures(Quarter(2026, 1), 44, 61, 0.62, 0.58),
            _key_figures(Quarter(2026, 2), 49, 68, 0.70, 0.63),
            _key_figures(quarter, 52, 75, 22 / 30, 33 / 48),
        ),
        skipped_lock_files=("~$mappe-aa.xlsx",),
    )
    return replace(result, **changes)


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "rapport.xlsx"
    write_report(make_result(), path)
    return path


@pytest.fixture(scope="module")
def workbook(report: Path) -> Any:
    return openpyxl.load_workbook(report)


@pytest.fixture(scope="module")
def summary_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "rapport-politikere.xlsx"
    write_politicians_summary(make_result(), path)
    return path


@pytest.fixture(scope="module")
def summary(summary_path: Path) -> Any:
    """The politicians' summary's one sheet."""
    return openpyxl.load_workbook(summary_path)[schema.REPORT_SHEET_POLITICIANS]


def _cells(sheet: Any) -> list[Any]:
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _find(sheet: Any, text: str) -> Any:
    matches = [cell for cell in _cells(sheet) if cell.value == text]
    assert matches, f"{text!r} not on sheet {sheet.title}"
    return matches[0]


def _right_of(sheet: Any, label: str, steps: int = 1) -> Any:
    cell = _find(sheet, label)
    return sheet.cell(row=cell.row, column=cell.column + steps).value


def _chart_types(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        charts = sorted(name for name in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", name))
        kinds = []
        for name in charts:
            xml = archive.read(name).decode("utf-8")
            kinds.extend(re.findall(r"<c:(barChart|radarChart|lineChart|pieChart|areaChart)>", xml))
        return kinds


def _sheet_texts(sheet: Any) -> list[str]:
    return [str(cell.value) for cell in _cells(sheet)]


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def test_all_sheets_in_order(workbook: Any) -> None:
    assert workbook.sheetnames == list(schema.REPORT_SHEETS)


@pytest.mark.parametrize(
    ("sheet", "label", "expected"),
    [
        (schema.REPORT_SHEET_COVER, "Aktive unge i kvartalet", 52),
        (schema.REPORT_SHEET_COVER, "Projektmapper der ikke kunne læses", 1),
        (schema.REPORT_SHEET_COVER, "Koordinatorer/guides", 6),
        (schema.REPORT_SHEET_MEETINGS, "Møder afholdt i kvartalet", 75),
        (schema.REPORT_SHEET_MEETINGS, "Møde ved 18½ år: med frist i kvartalet", 7),
        (schema.REPORT_SHEET_AGREEMENTS, "Indgået i kvartalet", 31),
    ],
    ids=["active", "unreadable", "guides", "meetings-held", "m18_5-due", "agreements-made"],
)
def test_key_figures_next_to_their_labels(workbook: Any, sheet: str, label: str, expected: int) -> None:
    assert _right_of(workbook[sheet], label) == expected


def test_cover_has_period_headline_version_and_internal_warning(workbook: Any) -> None:
    sheet = workbook[schema.REPORT_SHEET_COVER]
    texts = _sheet_texts(sheet)
    assert schema.REPORT_TITLE in texts
    assert _right_of(sheet, "Periode").startswith("3. kvartal 2026 (01-07-2026")
    assert "1 projektmappe kunne ikke læses; 12 fejl og 40 advarsler i de læste." in texts
    assert _right_of(sheet, "Version") == "samarbejde-xl 0.1.0"
    assert _right_of(sheet, "Dannet") == datetime(2026, 10, 6, 9, 30)
    warning = next(text for text in texts if text.startswith("Kun til intern brug"))
    assert schema.REPORT_SHEET_MEETINGS in warning and "politikere" in warning
    assert "særskilte sammenfatning til politikere" in warning  # no file named: this report was written on its own


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"workbooks_unreadable": 3}, "3 projektmapper kunne ikke læses; 12 fejl og 40 advarsler i de læste."),
        ({"workbooks_unreadable": 0}, "Alle 6 projektmapper kunne læses; 12 fejl og 40 advarsler."),
        (
            {"workbooks_unreadable": 0, "workbooks_read": 1, "errors": 1, "warnings": 1},
            "Projektmappen kunne læses; 1 fejl og 1 advarsel.",
        ),
    ],
    ids=["some-unreadable", "all-read", "singular"],
)
def test_data_quality_headline(counts: dict[str, int], expected: str) -> None:
    result = make_result()
    assert data_quality_headline(replace(result, counts=replace(result.counts, **counts))) == expected


def test_outcomes_in_model_order_with_counts_and_percentages(workbook: Any) -> None:
    sheet = workbook[schema.REPORT_SHEET_OUTCOMES]
    result = make_result()
    first = _find(sheet, OUTCOME_CATEGORIES[0].label)
    for offset, row in enumerate(result.outcomes.rows):
        assert sheet.cell(row=first.row + offset, column=first.column).value == row.label
        assert sheet.cell(row=first.row + offset, column=first.column + 1).value == row.group
        assert sheet.cell(row=first.row + offset, column=first.column + 2).value == row.count
        percent = sheet.cell(row=first.row + offset, column=first.column + 3)
        assert percent.value == pytest.approx(row.pct, abs=0.01)  # rounded to whole percent: within one
        assert percent.number_format == "0%"
    shown = [sheet.cell(row=first.row + offset, column=first.column + 3).value for offset in range(7)]
    assert round(sum(shown) * 100) == 100  # the column adds up to the "I alt 100%" below it
    assert "udsatte: antal" in _sheet_texts(sheet) and "21–24 år: andel" in _sheet_texts(sheet)


def test_overdue_list_sorted_by_days_overdue(workbook: Any) -> None:
    sheet = workbook[schema.REPORT_SHEET_MEETINGS]
    header = _find(sheet, "Dage over fristen pr. 30-09-2026")  # counted to the reporting day
    days = []
    row = header.row + 1
    while sheet.cell(row=row, column=header.column).value is not None:
        days.append(sheet.cell(row=row, column=header.column).value)
        row += 1
    assert days == sorted((row.days_overdue for row in make_result().overdue), reverse=True)
    due = sheet.cell(row=header.row + 1, column=_find(sheet, "Skulle holdes").column)
    assert due.number_format == "dd-mm-yyyy"


def test_native_charts_of_each_kind(report: Path) -> None:
    kinds = _chart_types(report)
    assert kinds.count("radarChart") == 1
    assert kinds.count("lineChart") == 2
    assert kinds.count("barChart") >= 5  # outcomes, attendance, agreements (column), life-area change, involvement
    with zipfile.ZipFile(report) as archive:
        stacked = [
            name
            for name in archive.namelist()
            if name.startswith("xl/charts/") and b'<c:grouping val="percentStacked"/>' in archive.read(name)
        ]
    assert len(stacked) == 2


def test_chart_titles_are_danish(report: Path) -> None:
    with zipfile.ZipFile(report) as archive:
        text = " ".join(
            archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("xl/charts/chart")
        )
    for title in (
        "Fremmøde pr. deltager",
        "Livsområder – gennemsnit første og seneste score",
        "Svarfordeling pr. udsagn",
    ):
        assert title in text


def test_every_sheet_is_frozen_and_prints_fit_to_width(workbook: Any) -> None:
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth in (None, 1), sheet.title  # 1 is the default: not written
        if sheet.title == schema.REPORT_SHEET_COVER:  # one portrait page
            assert (sheet.page_setup.orientation, sheet.page_setup.fitToHeight) == ("portrait", None), sheet.title
        else:
            assert (sheet.page_setup.orientation, sheet.page_setup.fitToHeight) == ("landscape", 0), sheet.title


def test_columns_are_wide_enough_for_their_text(workbook: Any) -> None:
    sheet = workbook[schema.REPORT_SHEET_OUTCOMES]
    label = _find(sheet, "Hverken startet i uddannelse eller job")
    letter = label.column_letter
    assert sheet.column_dimensions[letter].width >= len(label.value)


def test_injection_texts_are_string_cells(report: Path, workbook: Any) -> None:
    found: dict[str, list[str]] = {text: [] for text in INJECTIONS}
    for sheet in workbook.worksheets:
        for cell in _cells(sheet):
            if cell.value in found:
                assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                found[cell.value].append(sheet.title)
    assert all(found.values()), found
    with zipfile.ZipFile(report) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)


def test_same_result_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_report(make_result(), first)
    write_report(make_result(), second)
    assert first.read_bytes() == second.read_bytes()
    changed = tmp_path / "c.xlsx"
    write_report(make_result(generated_at=datetime(2026, 10, 7, 8, 0)), changed)
    assert changed.read_bytes() != first.read_bytes()


def test_a_failed_write_leaves_the_old_report_and_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "rapport.xlsx"
    write_report(make_result(), path)
    before = path.read_bytes()
    broken = make_result(data_quality=None)  # the last sheet's writer fails after the others were written
    with pytest.raises(TypeError):
        write_report(broken, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.xlsx"]


def test_one_quarter_of_history_still_draws_and_explains(tmp_path: Path) -> None:
    result = make_result()
    path = tmp_path / "rapport.xlsx"
    write_report(replace(result, trend=result.trend[-1:]), path)
    assert _chart_types(path).count("lineChart") == 2
    texts = _sheet_texts(openpyxl.load_workbook(path)[schema.REPORT_SHEET_TREND])
    assert any(text.startswith("Historikken har kun dette kvartal") for text in texts)


def test_empty_overdue_list_says_so(tmp_path: Path) -> None:
    path = tmp_path / "rapport.xlsx"
    write_report(make_result(overdue=()), path)
    assert "Ingen forfaldne møder." in _sheet_texts(openpyxl.load_workbook(path)[schema.REPORT_SHEET_MEETINGS])


# --------------------------------------------------------------------------------------------------
# Politicians' summary
# --------------------------------------------------------------------------------------------------


def test_politicians_sheet_identifies_nobody(summary: Any) -> None:
    result = make_result()
    texts = _sheet_texts(summary)
    joined = "\n".join(texts)
    assert not ID_PATTERN.search(joined)
    names = {row.file for row in result.data_quality} | {row.file for row in result.overdue}
    coordinators = {row.coordinator for row in result.overdue}
    assert not [text for text in texts if any(name in text for name in names | coordinators)]


def test_politicians_counts_are_zero_or_at_least_min_count(summary: Any) -> None:
    sheet = summary
    counts = [
        cell.value
        for cell in _cells(sheet)
        if isinstance(cell.value, int | float) and cell.number_format == schema.INTEGER_FORMAT
    ]
    assert counts, "the summary shows counts"
    assert all(value == 0 or value >= 5 for value in counts), counts


def test_politicians_outcomes_show_small_counts_as_less_than_min_count(summary: Any) -> None:
    sheet = summary
    rows = make_result().outcomes.rows  # counts 1, 27, 5, 2, 3, 2, 8 of 48
    small = [row for row in rows if is_small(row.count)]
    assert len(small) == 4
    # The four small counts add up to 48 - 40 = 8: each can still be anything from 1 to 4, so nothing else is hidden.
    assert [_right_of(sheet, row.label, 2) for row in rows] == [
        small_marker(5) if row in small else row.count for row in rows
    ]
    for row in small:  # the share of a hidden count is hidden too
        assert _right_of(sheet, row.label, 3) == HIDDEN_MARKER
    total = _find(sheet, rows[-1].label)
    assert sheet.cell(row=total.row + 1, column=total.column + 2).value == 48


def _politicians_sheet(path: Path, result: ConsolidationResult, min_count: int = 5) -> Any:
    write_politicians_summary(result, path, min_count=min_count)
    return openpyxl.load_workbook(path)[schema.REPORT_SHEET_POLITICIANS]


def test_a_planted_small_count_shows_less_than_five_and_its_complement_x(tmp_path: Path) -> None:
    # 3 alone beside the total 50 could be worked out; the smallest other positive count (8) is hidden with it:
    # "<5" + x = 11 fits every value 1..4 (x = 10..7), and x cannot be 1..4 itself (it would show "<5").
    counts = [3, 30, 9, 0, 0, 0, 8]
    result = make_result(outcomes=_outcome_table("all", "Alle", counts))
    sheet = _politicians_sheet(tmp_path / "politikere.xlsx", result)
    labels = [row.label for row in result.outcomes.rows]
    assert [_right_of(sheet, label, 2) for label in labels] == ["<5", 30, 9, 0, 0, 0, "x"]
    shares = [_right_of(sheet, label, 3) for label in labels]
    assert shares[0] == shares[-1] == "x"
    assert shares[1:-1] == pytest.approx([30 / 50, 9 / 50, 0, 0, 0])


def test_the_issue_example_hides_the_total(tmp_path: Path) -> None:
    # 1 and 5 of 6: "<5", x, 6 would give the 1 away (x is 0 or at least 5). The total is hidden instead.
    counts = [1, 5, 0, 0, 0, 0, 0]
    result = make_result(outcomes=_outcome_table("all", "Alle", counts))
    sheet = _politicians_sheet(tmp_path / "politikere.xlsx", result)
    labels = [row.label for row in result.outcomes.rows]
    assert [_right_of(sheet, label, 2) for label in labels] == ["<5", 5, 0, 0, 0, 0, 0]
    total = _find(sheet, labels[-1])
    assert sheet.cell(row=total.row + 1, column=total.column + 2).value == "x"
    assert [_right_of(sheet, label, 3) for label in labels] == ["x"] * 7  # a share would give the total away


def test_the_legend_explains_both_markers(summary: Any) -> None:
    texts = _sheet_texts(summary)
    legend = next(text for text in texts if text.startswith("<5 = "))
    assert "<5 = mellem 1 og 4 (det præcise tal vises ikke)" in legend
    assert "x = skjult, så små tal ikke kan regnes ud fra totalerne" in legend
    assert "Andele af skjulte tal vises som x" in legend


def test_caseload_tables_share_their_totals(summary: Any) -> None:
    # By variant and by age band count the same young people: a total hidden in one is hidden in the other.
    sheet = summary
    result = make_result()
    shown = {row.label: [_right_of(sheet, row.label, step) for step in (1, 2, 3)] for row in result.caseload_by_variant}
    by_age = {
        row.label: [_right_of(sheet, row.label, step) for step in (1, 2, 3)] for row in result.caseload_by_age_band
    }
    totals = [
        [
            sheet.cell(
                row=_find(sheet, rows[-1].label).row + 1, column=_find(sheet, rows[-1].label).column + step
            ).value
            for step in (1, 2, 3)
        ]
        for rows in (result.caseload_by_variant, result.caseload_by_age_band)
    ]
    assert totals[0] == totals[1] == [52, 9, "x"]  # 4 ended: small, hidden in both tables
    assert shown == {"udsatte": [38, "x", "<5"], "psykisk": [14, "<5", "<5"]}
    assert by_age == {"15–17 år": [20, "x", 0], "18–20 år": [24, "<5", "<5"], "21–24 år": [8, 0, "<5"]}


def test_milestone_rows_mark_every_hidden_value_x(summary: Any) -> None:
    # 18½: 3 of 7 held, nested in all milestones (22 of 30): suppressed as one table with both kinds of totals,
    # where every hidden value is "x" (the small marker there could say too much).
    sheet = summary
    assert [_right_of(sheet, "Heraf møde ved 18½ år", step) for step in (1, 2, 3)] == [7, "x", "x"]
    assert [_right_of(sheet, "Milepælsmøder (start, 16, 17½ og 18½ år)", step) for step in (1, 2)] == [30, 22]


def test_politicians_life_area_with_few_scored_is_hidden(summary: Any) -> None:
    sheet = summary
    few = make_result().life_areas[2]
    assert few.n == 3
    assert [_right_of(sheet, few.label, step) for step in (1, 2, 3, 4, 5)] == ["<5"] + [HIDDEN_MARKER] * 4
    many = make_result().life_areas[0]
    assert _right_of(sheet, many.label, 2) == pytest.approx(many.first_avg)


def test_min_count_is_respected(tmp_path: Path) -> None:
    sheet = _politicians_sheet(tmp_path / "politikere.xlsx", make_result(), 10)
    assert _right_of(sheet, "Hverken startet i uddannelse eller job", 2) == "<10"  # 8 < 10
    assert any(text.startswith("<10 = mellem 1 og 9 ") for text in _sheet_texts(sheet))


def test_min_count_3_on_the_command_line_shows_less_than_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    report = tmp_path / "rapport.xlsx"
    args = ["consolidate", "examples", "-o", str(report), "--quarter", "2026Q3", "--today", "2026-10-01"]
    outcome = CliRunner().invoke(cli, [*args, "--min-count", "3", "--no-history", "--jobs", "1"])
    assert outcome.exit_code == 0, outcome.output
    assert schema.REPORT_SHEET_POLITICIANS not in openpyxl.load_workbook(report, read_only=True).sheetnames
    texts = _sheet_texts(openpyxl.load_workbook(tmp_path / "rapport-politikere.xlsx")[schema.REPORT_SHEET_POLITICIANS])
    assert "<3" in texts and "<5" not in texts
    assert any(text.startswith("<3 = mellem 1 og 2 ") for text in texts)


@pytest.mark.parametrize(
    ("min_count", "start"),
    [(1, "Ingen tal er skjult"), (2, "x = skjult. Tallet 1 vises ikke"), (5, "<5 = mellem 1 og 4 ")],
    ids=["nothing-hidden", "two", "default"],
)
def test_legend_for_each_min_count(tmp_path: Path, min_count: int, start: str) -> None:
    sheet = _politicians_sheet(tmp_path / "politikere.xlsx", make_result(), min_count)
    assert any(text.startswith(start) for text in _sheet_texts(sheet))
    if min_count == 1:
        assert "x" not in _sheet_texts(sheet) and not any(text.startswith("<") for text in _sheet_texts(sheet))
    if min_count == 2:  # "<2" would say the hidden count is 1
        assert "<2" not in _sheet_texts(sheet)


def test_politicians_summary_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "politikere.xlsx"
    write_politicians_summary(make_result(), path)
    summary = openpyxl.load_workbook(path)
    assert summary.sheetnames == [schema.REPORT_SHEET_POLITICIANS]
    assert not ID_PATTERN.search("\n".join(_sheet_texts(summary.worksheets[0])))


# --------------------------------------------------------------------------------------------------
# Formula-injection guard
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "formula_like"),
    [
        ("=1+1", True),
        ("  =1+1", True),
        ("+45 12345678", True),
        ("-1", True),
        ("@SUM(A1)", True),
        ("\tx", True),
        ("\rx", True),
        ("U-0001", False),
        ("mappe.xlsx", False),
        ("", False),
    ],
    ids=["equals", "space-equals", "plus", "minus", "at", "tab", "cr", "id", "file", "empty"],
)
def test_is_formula_like(text: str, formula_like: bool) -> None:
    assert is_formula_like(text) is formula_like
    assert csv_safe_text(text) == ("'" + text if formula_like else text)


def test_set_text_keeps_an_equals_sign_as_text_in_openpyxl(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    set_text(sheet.cell(row=1, column=1), INJECTION_FILE)
    plain = sheet.cell(row=2, column=1)
    plain.value = INJECTION_FILE  # what set_text protects against
    assert plain.data_type == "f"
    path = tmp_path / "x.xlsx"
    book.save(path)
    loaded = openpyxl.load_workbook(path).worksheets[0]
    assert loaded.cell(row=1, column=1).value == INJECTION_FILE
    assert loaded.cell(row=1, column=1).data_type == "s"
    assert loaded.cell(row=2, column=1).data_type == "f"


class _FakeWorksheet:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int, object]] = []

    def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        self.calls.append(("string", row, col, string))
        return 0

    def write_blank(self, row: int, col: int, blank: Any, cell_format: Any = None) -> int:
        self.calls.append(("blank", row, col, cell_format))
        return 0


def test_write_text_always_writes_a_string() -> None:
    sheet = _FakeWorksheet()
    write_text(sheet, 0, 0, "=1+1")
    write_text(sheet, 1, 0, "")
    write_text(sheet, 2, 0, "", "fmt")
    assert sheet.calls == [("string", 0, 0, "=1+1"), ("blank", 2, 0, "fmt")]


_TABLE_COLUMNS = [
    leader_report.Col("Tekst"),
    leader_report.Col("Tal", leader_report.INTEGER),
    leader_report.Col("Dato", leader_report.DATE),
    leader_report.Col("Andel", leader_report.PERCENT),
]
_PLAIN_ROWS: list[list[leader_report.Value]] = [  # every column on its fast path
    ["=HYPERLINK(1)", 1234567, date(2026, 3, 1), 0.5],
    ["U-0001", -9876543, date(1900, 3, 1), 0.25],
    ["x" * 52, 0, date(2099, 12, 31), 1.0],
]
_UNCOMMON_ROWS: list[list[leader_report.Value]] = [  # every column cell by cell
    ["", 2.5, date(1900, 2, 28), None],
    ["to\nlinjer", None, date(1900, 1, 1), leader_report.HIDDEN],
    ["ord " * 20, leader_report.HIDDEN, date(2026, 3, 1), 1],
    [None, 7, date(2026, 3, 1), 0.125],
]


def _table_cells(rows: list[list[leader_report.Value]], *, by_cell: bool) -> tuple[Any, ...]:
    """A table written by ``_Sheet.table`` or cell by cell with ``_Sheet.value`` (the general path): its cells
    (value, number format, wrapping) as openpyxl reads them, and the sheet's measured widths and wrapped cells."""
    target = io.BytesIO()
    workbook = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_formulas": False})
    sheet = leader_report._add_sheet(workbook, leader_report._Formats(workbook), "T")
    if by_cell:
        for row, values in enumerate(rows, start=1):
            for col, (column, value) in enumerate(zip(_TABLE_COLUMNS, values, strict=True)):
                sheet.value(row, col, value, column.kind, sheet.formats.for_kind(column.kind))
    else:
        sheet.row = 1
        sheet._rows(1, _TABLE_COLUMNS, rows)
    workbook.close()
    cells = [
        (cell.coordinate, cell.value, cell.number_format, cell.alignment.wrap_text)
        for line in openpyxl.load_workbook(target)["T"].iter_rows()
        for cell in line
    ]
    return cells, sheet.widths, sheet.wrapped


@pytest.mark.parametrize(
    "rows",
    [
        _PLAIN_ROWS,
        _UNCOMMON_ROWS,
        _PLAIN_ROWS + _UNCOMMON_ROWS,
        *([*_PLAIN_ROWS[:2], [text, 1, date(2026, 1, 1), 0.5]] for text in ("", "tre\nkorte\nlinjer", "ord " * 20)),
    ],
    ids=["plain", "uncommon", "mixed", "empty-text", "two-lines", "too-wide"],
)
def test_table_rows_are_written_as_cell_by_cell(rows: list[list[leader_report.Value]]) -> None:
    """A table's columns of plain text, whole numbers or dates are written at once; the cells, column widths and
    wrapped cells are those of writing every cell with the general path."""
    fast = _table_cells(rows, by_cell=False)
    assert fast == _table_cells(rows, by_cell=True)
    assert fast[0], "control: cells were written"


def test_a_table_row_of_the_wrong_length_is_refused() -> None:
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = leader_report._add_sheet(workbook, leader_report._Formats(workbook), "T")
    with pytest.raises(ValueError, match="a row of 3 values in a table of 4 columns"):
        sheet._rows(1, _TABLE_COLUMNS, [*_PLAIN_ROWS, ["a", 1, date(2026, 1, 1)]])


# --------------------------------------------------------------------------------------------------
# PDF (LibreOffice)
# --------------------------------------------------------------------------------------------------


def test_missing_libreoffice_is_a_clear_error(report: Path, tmp_path: Path) -> None:
    with pytest.raises(report_pdf.LibreOfficeNotFoundError, match=r"apt-get install libreoffice-calc-nogui"):
        report_pdf.render_pdf(report, tmp_path / "x.pdf", soffice="no-such-soffice-binary")
    assert not (tmp_path / "x.pdf").exists()


def test_only_the_chosen_sheet_stays_visible(report: Path) -> None:
    copy = report_pdf.only_sheet_visible(report.read_bytes(), schema.REPORT_SHEET_OUTCOMES)
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8")
    sheets = re.findall(r"<sheet\b[^>]*/>", xml)
    assert len(sheets) == len(schema.REPORT_SHEETS)
    visible = [sheet for sheet in sheets if 'state="hidden"' not in sheet]
    assert len(visible) == 1 and schema.REPORT_SHEET_OUTCOMES in visible[0]
    assert f'activeTab="{schema.REPORT_SHEETS.index(schema.REPORT_SHEET_OUTCOMES)}"' in xml
    with pytest.raises(report_pdf.ReportRenderError, match="arket 'Ingen' findes ikke i projektmappen"):
        report_pdf.only_sheet_visible(report.read_bytes(), "Ingen")


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_holds_only_the_politicians_summary(summary_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "ud" / "politikere.pdf"
    written = report_pdf.render_pdf(summary_path, target)
    assert written == target and target.read_bytes().startswith(b"%PDF")
    text = _pdf_text(target)
    assert "sammenfatning til politikere" in text
    assert "Udfald – uddannelse og job" in text
    assert not ID_PATTERN.search(text)
    assert "(intern liste)" not in text and "Opdelt efter" not in text
    assert [p.name for p in target.parent.iterdir()] == ["politikere.pdf"]


def test_young_people_without_registration_are_counted_in_the_case_sheets_words(workbook: Any) -> None:
    sheet = workbook[schema.REPORT_SHEET_OUTCOMES]
    assert _right_of(sheet, f"{UNREGISTERED_LABEL} (ikke med i tabellen)") == make_result().outcome_unregistered == 4
    assert "Afgang til uddannelse og/eller job- og beskæftigelsesrettede tilbud" in _sheet_texts(sheet)


@pytest.mark.parametrize(
    ("files", "folder", "shown"),
    [
        (["C:/Users/mh/Q3/a.xlsx", "C:/Users/mh/Q3/Nord/b.xlsx"], "C:/Users/mh/Q3", ["a.xlsx", "Nord/b.xlsx"]),
        (["examples/a.xlsx"], "examples", ["a.xlsx"]),
        (["Nord/a.xlsx", "Syd/b.xlsx"], "", ["Nord/a.xlsx", "Syd/b.xlsx"]),  # nothing shared: as given
        (["/data/a.xlsx", "relative/b.xlsx"], "", ["/data/a.xlsx", "relative/b.xlsx"]),
        (["a.xlsx", "b.xlsx"], "", ["a.xlsx", "b.xlsx"]),
        (["/a.xlsx", "/b.xlsx"], "/", ["a.xlsx", "b.xlsx"]),
        (["/q3/a.xlsx", "/q3x/b.xlsx"], "/", ["q3/a.xlsx", "q3x/b.xlsx"]),  # a name's prefix is not its folder
    ],
)
def test_the_report_names_the_common_folder_once_and_each_file_below_it(
    files: list[str], folder: str, shown: list[str]
) -> None:
    from types import SimpleNamespace

    from samarbejde_xl.report.leader_report import _below, workbook_folder

    result = SimpleNamespace(data_quality=[SimpleNamespace(file=file) for file in files])
    assert workbook_folder(result) == folder  # type: ignore[arg-type]
    assert [_below(folder)(file) for file in files] == shown
