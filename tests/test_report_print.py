"""The internal report's breakdown tables and print layout: filterable Excel tables, shares that add up, the overdue
list on its own page with its header repeated, no table cut from its heading, long labels wrapped."""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_report_writer import make_result

from samarbejde_xl import schema
from samarbejde_xl.core.aggregate import outcome_labels
from samarbejde_xl.core.breakdowns import BY_COORDINATOR, BY_DEPARTMENT, BY_VARIANT, Breakdowns, MeetingCut, OutcomeCut
from samarbejde_xl.core.figures import ConsolidationResult, OverdueRow
from samarbejde_xl.report import leader_report
from samarbejde_xl.report import pdf as report_pdf
from samarbejde_xl.report.leader_report import write_report
from samarbejde_xl.report.politicians import write_politicians_summary

GUIDE_INJECTION = "=1+1"  # initials are typed by guides: written as text, never as a formula
DEPARTMENT_NAME = "Ungeafdeling Nord"
OUTCOME_CUTS = (
    OutcomeCut(BY_COORDINATOR, "KA", 9, 8, 5, 1, 2),
    OutcomeCut(BY_COORDINATOR, GUIDE_INJECTION, 3, 3, 1, 1, 1),  # thirds: 33/33/33 % would show 99 %
    OutcomeCut(BY_DEPARTMENT, DEPARTMENT_NAME, 12, 11, 6, 2, 3),
    OutcomeCut(BY_VARIANT, "udsatte", 12, 11, 6, 2, 3),
)
MEETING_CUTS = (
    MeetingCut(BY_COORDINATOR, "KA", 9, 12, 10, 7, 1, 4, 8, 11),
    MeetingCut(BY_COORDINATOR, GUIDE_INJECTION, 3, 2, 3, 1, 0, 2, 1, 2),
    MeetingCut(BY_DEPARTMENT, DEPARTMENT_NAME, 12, 14, 13, 8, 1, 6, 9, 13),
    MeetingCut(BY_VARIANT, "udsatte", 12, 14, 13, 8, 1, 6, 9, 13),
)


def _long_overdue(count: int) -> tuple[OverdueRow, ...]:
    """``count`` overdue meetings: a list that runs over several printed pages."""
    end = date(2026, 9, 30)
    return tuple(
        OverdueRow(f"U-{index:04d}", "mappe-aa.xlsx", "KA", "follow_up", "Opfølgningsmøde", end, end, index + 1)
        for index in range(count)
    )


def _result(overdue: int = 120) -> ConsolidationResult:
    result = make_result(breakdowns=Breakdowns(OUTCOME_CUTS, MEETING_CUTS))
    labels = outcome_labels(True)  # the long labels that name employment-directed programmes
    outcomes = replace(
        result.outcomes, rows=tuple(replace(row, label=labels[row.code]) for row in result.outcomes.rows)
    )
    result = replace(result, outcomes=outcomes)
    rows = _long_overdue(overdue)
    return replace(result, overdue=rows, meetings=replace(result.meetings, overdue_count=len(rows)))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print") / "rapport.xlsx"
    write_report(_result(), path)
    return path


@pytest.fixture(scope="module")
def workbook(report: Path) -> Any:
    return openpyxl.load_workbook(report)


def _table_rows(sheet: Any, name: str) -> list[list[Any]]:
    table = sheet.tables[name]
    return [[cell.value for cell in row] for row in sheet[table.ref]]


@pytest.mark.parametrize(
    ("sheet_name", "table_name", "cuts"),
    [
        (schema.REPORT_SHEET_OUTCOMES, "UdfaldOpdelt", OUTCOME_CUTS),
        (schema.REPORT_SHEET_MEETINGS, "MoederOpdelt", MEETING_CUTS),
    ],
    ids=["outcomes", "meetings"],
)
def test_breakdowns_are_excel_tables_managers_can_filter(
    workbook: Any, sheet_name: str, table_name: str, cuts: tuple[Any, ...]
) -> None:
    sheet = workbook[sheet_name]
    table = sheet.tables[table_name]
    assert table.autoFilter is not None
    header, *rows = _table_rows(sheet, table_name)
    assert header[:2] == ["Opdelt efter", "Gruppe"]
    assert [row[:2] for row in rows] == [[dict(leader_report.DIMENSIONS)[cut.dimension], cut.group] for cut in cuts]
    assert rows[1][1] == GUIDE_INJECTION and sheet.cell(row=sheet[table.ref][2][1].row, column=2).data_type == "s"


def test_breakdown_shares_add_up_per_row(workbook: Any) -> None:
    header, *rows = _table_rows(workbook[schema.REPORT_SHEET_OUTCOMES], "UdfaldOpdelt")
    first = header.index("Succes (andel)")
    for row in rows:
        assert round(100 * sum(row[first : first + 3])) == 100, row
    assert [round(100 * share) for share in rows[1][first : first + 3]] == [34, 33, 33]


def test_meeting_breakdown_shows_compliance_and_the_reporting_day(workbook: Any) -> None:
    header, *rows = _table_rows(workbook[schema.REPORT_SHEET_MEETINGS], "MoederOpdelt")
    assert "Forfaldne møder pr. 30-09-2026" in header
    ka = dict(zip(header, rows[0], strict=True))
    assert ka["Ikke afholdt"] == 10 - 7 - 1
    assert ka["Overholdelse"] == pytest.approx(7 / 10)
    assert ka["Den unge deltog"] == pytest.approx(8 / 11)


def _all_text(book_or_sheet: Any) -> str:
    sheets = getattr(book_or_sheet, "worksheets", [book_or_sheet])
    return " ".join(str(cell.value) for sheet in sheets for row in sheet.iter_rows() for cell in row)


def test_breakdowns_never_reach_the_politicians(workbook: Any, tmp_path: Path) -> None:
    summary = tmp_path / "politikere.xlsx"
    write_politicians_summary(_result(), summary)
    assert schema.REPORT_SHEET_POLITICIANS not in workbook.sheetnames  # a file of its own
    for text in (_all_text(openpyxl.load_workbook(summary)),):
        assert DEPARTMENT_NAME not in text and "Opdelt efter" not in text and GUIDE_INJECTION not in text
    assert DEPARTMENT_NAME in _all_text(workbook)  # the internal report does hold it


def test_overdue_list_starts_a_page_and_repeats_its_header(workbook: Any) -> None:
    sheet = workbook[schema.REPORT_SHEET_MEETINGS]
    header = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "Ung-id")
    assert sheet.print_title_rows == f"${header.row}:${header.row}"
    heading = next(
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == "Forfaldne møder pr. 30-09-2026 (intern liste)"
    )
    breaks = [brk.id for brk in sheet.row_breaks.brk]  # a break "at id" starts a page with row id + 1
    assert heading.row - 1 in breaks


def test_the_list_of_workbooks_ends_its_sheet_and_repeats_its_header(workbook: Any) -> None:
    """A thousand workbooks fill many printed pages: the list is the last block of Datakvalitet, its header row on
    every page."""
    sheet = workbook[schema.REPORT_SHEET_DATA_QUALITY]
    header = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "Skabelonversion")
    assert sheet.print_title_rows == f"${header.row}:${header.row}"
    assert header.row + len(make_result().data_quality) == sheet.max_row


def test_a_sheet_holds_one_long_list(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path)
    sheet.long_list([leader_report.Col("Id")], [["U-0001"]])
    with pytest.raises(ValueError, match="already ends with a long list"):
        sheet.long_list([leader_report.Col("Id")], [["U-0002"]])


def test_every_sheet_fits_the_page_width(workbook: Any) -> None:
    for sheet in workbook.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth in (None, 1), sheet.title  # 1 page wide (1 is the default)
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4


def test_long_labels_wrap_in_a_row_tall_enough(tmp_path: Path) -> None:
    """The longest outcome label is wider than a column may grow: it wraps instead of running into the next one,
    on the internal sheets and on the politicians' summary alike."""
    path = tmp_path / "politikere.xlsx"
    write_politicians_summary(_result(), path)
    for sheet in (openpyxl.load_workbook(path).worksheets[0], openpyxl.load_workbook(_write(tmp_path))["Udfald"]):
        long = [
            cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and len(cell.value) > 70
        ]
        labels = [cell for cell in long if cell.border.left.style]  # table cells, not notes
        assert labels, sheet.title
        for cell in labels:
            assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
            width = sheet.column_dimensions[cell.column_letter].width
            lines = math.ceil(len(cell.value) * 0.95 / width)
            assert sheet.row_dimensions[cell.row].height >= 13 * lines, (sheet.title, cell.coordinate)


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.xlsx"
    write_report(_result(), path)
    return path


def _sheet(tmp_path: Path) -> leader_report._Sheet:
    workbook, formats = leader_report._open_workbook(tmp_path / "x.xlsx", make_result(), "t")
    return leader_report._add_sheet(workbook, formats, "Ark")


def _rows_per_page() -> int:
    """Default-height rows that fit on a page of a narrow sheet (printed at 100 %)."""
    return int(leader_report.PAGE_HEIGHT_POINTS // leader_report.DEFAULT_ROW_POINTS)


def test_a_table_is_never_left_as_a_heading_at_the_foot_of_a_page(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path)
    per_page = _rows_per_page()
    sheet.row = per_page - 3  # three rows left on the first page
    sheet.heading("Lang tabel")
    sheet.table([leader_report.Col("Id")], [[f"U-{index:04d}"] for index in range(2 * per_page)])
    breaks = sheet.page_breaks()
    assert breaks and breaks[0] == per_page - 3  # the heading moves to the next page with its table


def test_a_table_that_fits_on_a_page_is_not_cut(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path)
    per_page = _rows_per_page()
    sheet.row = per_page - 8
    sheet.heading("Kort tabel")
    sheet.table([leader_report.Col("Id")], [[f"U-{index:04d}"] for index in range(10)])
    assert sheet.page_breaks()[0] == per_page - 8
    # Every later page starts where the estimate says: explicit breaks, none left to the printer.
    sheet.row += 3 * per_page
    breaks = sheet.page_breaks()
    assert all(later - earlier <= per_page for earlier, later in zip(breaks, breaks[1:], strict=False))


def test_new_page_starts_a_page(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path)
    sheet.note("Kort tekst")
    sheet.new_page()
    first = sheet.row
    sheet.heading("Ny side")
    assert sheet.page_breaks() == [first]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_printed_overdue_list_repeats_its_header_on_every_page(report: Path, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = report_pdf.render_pdf(report, tmp_path / "moeder.pdf", sheet=schema.REPORT_SHEET_MEETINGS)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = pages.stdout.split("\f")
    listed = [page for page in text if "U-0" in page]
    assert len(listed) >= 2  # the list runs over several pages
    for page in listed:
        assert "Ung-id" in page and "Dage over fristen" in page
    before = [page for page in text[: text.index(listed[0])] if page.strip()]
    assert before and all("Ung-id" not in page for page in before)  # not repeated above the list
    ids = [line.split()[0] for page in listed for line in page.splitlines() if line.strip().startswith("U-0")]
    assert ids == [f"U-{index:04d}" for index in range(119, -1, -1)]  # nothing lost at a page break
