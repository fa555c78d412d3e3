"""How the case workbook reads on screen and on paper: print setup, wrapped text that fits its row, every setting
explained, and (with LibreOffice) the printed Mødetjekliste of an example."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.workbook.template import build_template_workbook

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROW_HEIGHT = 15.0
LINE_HEIGHT = 15.0
DATA_VALIDATION_PROMPT_MAX = 255  # Excel refuses a longer input message


@pytest.fixture(scope="module")
def template() -> Workbook:
    return build_template_workbook()


def _lines(text: str, chars_per_line: int) -> int:
    """Lines a greedy word wrap needs at ``chars_per_line`` (an estimate independent of the builder's)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > chars_per_line:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
    return lines


def _width(sheet: Worksheet, column: str) -> float:
    dimension = sheet.column_dimensions.get(column)
    return float(dimension.width) if dimension is not None and dimension.width else 8.43


def test_wrapped_text_fits_its_row_on_every_sheet(template: Workbook) -> None:
    """No wrapped cell needs more lines than its row is high (else its text runs into the row below on paper)."""
    crowded = []
    for sheet in template.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text or cell.column_letter is None:
                    continue
                height = sheet.row_dimensions[cell.row].height or DEFAULT_ROW_HEIGHT
                needed = _lines(cell.value, max(1, int(_width(sheet, cell.column_letter) * 1.15))) * LINE_HEIGHT
                if needed > height:
                    crowded.append((sheet.title, cell.coordinate, needed, height))
    assert crowded == []


def test_case_sheet_rows_with_free_text_have_room_for_two_lines(template: Workbook) -> None:
    sheet = template[schema.SHEET_CASE_TEMPLATE]
    for block in schema.CASE_BLOCKS:
        if any(column.kind is schema.Kind.FREE_TEXT for column in block.columns):
            for row in range(block.first_row, block.last_row + 1):
                assert sheet.row_dimensions[row].height == schema.BLOCK_TEXT_ROW_HEIGHT >= 2 * LINE_HEIGHT, row


def test_every_setting_is_explained_in_danish(template: Workbook) -> None:
    sheet = template[schema.SHEET_SETTINGS]
    assert sheet.cell(schema.SETTINGS_HEADER_ROW, schema.SETTINGS_HELP_COL).value == "Forklaring"
    for setting in schema.SETTINGS_ROWS:
        text = sheet.cell(schema.settings_row(setting.key), schema.SETTINGS_HELP_COL).value
        assert isinstance(text, str) and text == setting.help, setting.key
        assert len(text.split()) >= 4 and text.rstrip().endswith((".", ")")), setting.key  # a sentence
        assert len(text) <= DATA_VALIDATION_PROMPT_MAX, setting.key  # also the cell's input message


def test_every_sheet_prints_landscape_a4_fitted_to_width(template: Workbook) -> None:
    for sheet in template.worksheets:
        if sheet.sheet_state != "visible":
            continue
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToHeight == 0, sheet.title
        expected = schema.CHECKLIST_PRINT_PAGES_WIDE if sheet.title == schema.SHEET_CHECKLIST else 1
        assert sheet.page_setup.fitToWidth == expected, sheet.title


def test_the_checklist_repeats_the_id_the_date_and_the_header_on_every_page(template: Workbook) -> None:
    sheet = template[schema.SHEET_CHECKLIST]
    columns = [schema.checklist_column(key) for key in schema.CHECKLIST_PRINT_TITLE_KEYS]
    assert columns == [schema.checklist_column("case_id"), schema.checklist_column("date")] == [1, 2]
    assert sheet.print_title_cols == "$A:$B"
    row = schema.CHECKLIST_HEADER_ROW
    assert sheet.print_title_rows == f"${row}:${row}"
    assert sheet.page_setup.pageOrder == "overThenDown"


def test_an_example_keeps_the_print_setup(tmp_path: Path) -> None:
    """The shipped examples are written from the template: the same setup reaches the files people open."""
    workbook = load_workbook(ROOT / "examples" / "vejleder-01.xlsx")
    sheet = workbook[schema.SHEET_CHECKLIST]
    assert sheet.print_title_cols == "$A:$B"
    assert sheet.page_setup.fitToWidth == schema.CHECKLIST_PRINT_PAGES_WIDE


# --------------------------------------------------------------------------------------------------
# On paper (LibreOffice)
# --------------------------------------------------------------------------------------------------


def _render_pages() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_pages", ROOT / "docs" / "render_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # LibreOffice: ~3-10 s
def test_the_printed_checklist_of_an_example_is_three_pages_wide_with_id_and_date_on_each(tmp_path: Path) -> None:
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install -y libreoffice-calc-nogui poppler-utils)")
    example = ROOT / "examples" / "vejleder-01.xlsx"
    pdf = _render_pages().to_pdf(example, "checklist", tmp_path, sheets=[schema.SHEET_CHECKLIST])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == schema.CHECKLIST_PRINT_PAGES_WIDE  # 30-odd meetings: one band of rows, three pages across
    id_header = schema.CHECKLIST_COLUMNS_BY_KEY["case_id"].header
    date_header = schema.CHECKLIST_COLUMNS_BY_KEY["date"].header
    for page in pages:
        assert id_header in page and date_header in page
        assert "U-0001" in page and "28-06-2024" in page  # the first meeting of U-0001, on every page
    last = schema.CHECKLIST_COLUMNS[-1].header.split()[0]
    assert last in pages[-1]  # nothing cut off at the right
