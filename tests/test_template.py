"""The case workbook template: built from the schema, reproducible, guarded by validations and protection."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.addin.book import CASE_SHEET_EXTENT
from samarbejde_xl.cli import cli
from samarbejde_xl.core.settings import DEFAULTS
from samarbejde_xl.schema import Kind
from samarbejde_xl.workbook.canonical import canonical_dump, dump_json
from samarbejde_xl.workbook.save import ZIP_TIMESTAMP, save_workbook, workbook_bytes
from samarbejde_xl.workbook.template import (
    BUILD_TIMESTAMP,
    VERSION_PROPERTY,
    add_case_sheet,
    build_template_workbook,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
COMMITTED_TEMPLATE = REPO_ROOT / "workbook_templates" / "samarbejde.xlsx"


@pytest.fixture(scope="module")
def loaded(template_path: Path) -> Workbook:
    """The saved template read back: what Excel would open."""
    return load_workbook(template_path)


def _diff(expected: str, actual: str, limit: int = 120) -> str:
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), "committed", "fresh build", n=2))
    more = f"\n... {len(lines) - limit} more diff lines" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


# --------------------------------------------------------------------------------------------------
# Reproducibility
# --------------------------------------------------------------------------------------------------


def test_committed_template_equals_a_fresh_build() -> None:
    assert COMMITTED_TEMPLATE.exists(), "run `samarbejde-xl template build` and commit the result"
    committed = dump_json(canonical_dump(COMMITTED_TEMPLATE, include_times=True))
    fresh = dump_json(canonical_dump(workbook_bytes(build_template_workbook()), include_times=True))
    assert committed == fresh, (
        "workbook_templates/samarbejde.xlsx is out of date; run `samarbejde-xl template build`.\n"
        + _diff(committed, fresh)
    )


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    save_workbook(build_template_workbook(), first)
    save_workbook(build_template_workbook(), second)
    assert first.read_bytes() == second.read_bytes()


def test_zip_entries_carry_the_fixed_timestamp(template_path: Path) -> None:
    with zipfile.ZipFile(template_path) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {ZIP_TIMESTAMP}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_save_keeps_the_fixed_modified_time(loaded: Workbook) -> None:
    assert loaded.properties.created == BUILD_TIMESTAMP
    assert loaded.properties.modified == BUILD_TIMESTAMP


# --------------------------------------------------------------------------------------------------
# Sheets, lists and validations
# --------------------------------------------------------------------------------------------------


def test_fixed_sheets_in_schema_order(loaded: Workbook) -> None:
    assert loaded.sheetnames == list(schema.FIXED_SHEETS)
    states = {sheet.title: sheet.sheet_state for sheet in loaded.worksheets}
    assert states.pop(schema.SHEET_LISTS) == "hidden"
    assert set(states.values()) == {"visible"}


@pytest.mark.parametrize("choice", schema.LISTS, ids=[choice.name for choice in schema.LISTS])
def test_lister_holds_each_list(loaded: Workbook, choice: schema.Choice) -> None:
    sheet = loaded[schema.SHEET_LISTS]
    column = schema.list_column(choice)
    assert sheet.cell(1, column).value == choice.title
    values = [sheet.cell(row, column).value for row in range(2, len(choice.values) + 3)]
    assert [str(value) for value in values[:-1]] == list(choice.labels)
    assert values[-1] is None


def _all_validations(workbook: Workbook) -> Iterator[tuple[Worksheet, DataValidation]]:
    for sheet in workbook.worksheets:
        for validation in sheet.data_validations.dataValidation:
            yield sheet, validation


def test_every_dropdown_points_at_a_whole_lister_range(loaded: Workbook) -> None:
    ranges = {schema.list_range(choice): choice for choice in schema.LISTS}
    dropdowns = [(sheet, dv) for sheet, dv in _all_validations(loaded) if dv.type == "list"]
    assert dropdowns
    for sheet, validation in dropdowns:
        assert validation.formula1 in ranges, f"{sheet.title} {validation.sqref}: {validation.formula1}"
        choice = ranges[validation.formula1]
        _, cells = validation.formula1.split("!")
        first, last = (schema.parse_cell(part.replace("$", "")) for part in cells.split(":"))
        assert last[0] - first[0] + 1 == len(choice.values)
        assert validation.showDropDown in (None, False)  # True would hide the arrow


def _validation_at(sheet: Worksheet, address: str) -> DataValidation | None:
    found = [dv for dv in sheet.data_validations.dataValidation if address in dv.sqref]
    assert len(found) <= 1, f"{sheet.title}!{address} has {len(found)} validations"
    return found[0] if found else None


def _entered_places() -> list[tuple[str, str, Kind, schema.Choice | None]]:
    """(sheet, address, kind, choice) of every entered cell, first and last row of each column."""
    places: list[tuple[str, str, Kind, schema.Choice | None]] = []
    for field in schema.CASE_FIELDS:
        places.append((schema.SHEET_CASE_TEMPLATE, field.cell, field.kind, field.choice))
    for block in schema.CASE_BLOCKS:
        if not block.entered:
            continue
        for column in block.columns:
            for index in (0, block.rows - 1):
                places.append((schema.SHEET_CASE_TEMPLATE, block.cell(index, column.key), column.kind, column.choice))
    last_row = schema.CHECKLIST_FIRST_ROW + schema.CHECKLIST_TEMPLATE_ROWS - 1
    for column in schema.CHECKLIST_COLUMNS:
        for row in (schema.CHECKLIST_FIRST_ROW, last_row):
            places.append((schema.SHEET_CHECKLIST, schema.checklist_cell(row, column.key), column.kind, column.choice))
    for setting in schema.SETTINGS_ROWS:
        if setting.key != "template_version":
            places.append(
                (schema.SHEET_SETTINGS, schema.settings_value_cell(setting.key), setting.kind, setting.choice)
            )
    return places


ENTERED_PLACES = _entered_places()

# What each kind must be guarded by: (type, operator, formula1, formula2); None = no check needed.
EXPECTED_RULE: dict[Kind, tuple[str, str | None, str | None, str | None] | None] = {
    Kind.DATE: ("date", "between", "1", "73415"),  # 01-01-1900 .. 31-12-2100 as Excel serials
    Kind.SCORE: ("whole", "between", "1", "10"),
    Kind.INTEGER: ("whole", "greaterThanOrEqual", "0", None),
    Kind.TEXT: None,
    Kind.FREE_TEXT: None,
}


@pytest.mark.parametrize(
    ("sheet_name", "address", "kind", "choice"), ENTERED_PLACES, ids=[f"{s}!{a}" for s, a, _, _ in ENTERED_PLACES]
)
def test_entered_cell_has_the_validation_of_its_kind(
    loaded: Workbook, sheet_name: str, address: str, kind: Kind, choice: schema.Choice | None
) -> None:
    validation = _validation_at(loaded[sheet_name], address)
    if kind in (Kind.CHOICE, Kind.YES_NO, Kind.INVOLVEMENT):
        assert choice is not None
        assert validation is not None
        assert (validation.type, validation.formula1) == ("list", schema.list_range(choice))
    else:
        expected = EXPECTED_RULE[kind]
        actual_type = validation.type if validation is not None else None
        if expected is None:
            assert actual_type is None  # free text: at most an input message
        else:
            assert validation is not None
            assert (validation.type, validation.operator, validation.formula1, validation.formula2) == expected
    if validation is not None and validation.type is not None:
        assert validation.showErrorMessage
        assert validation.error, "Danish error text expected"


@pytest.mark.parametrize(
    "field", [f for f in schema.CASE_FIELDS if f.help], ids=[f.key for f in schema.CASE_FIELDS if f.help]
)
def test_case_field_help_is_the_input_message(loaded: Workbook, field: schema.Field) -> None:
    validation = _validation_at(loaded[schema.SHEET_CASE_TEMPLATE], field.cell)
    assert validation is not None
    assert validation.showInputMessage
    assert validation.prompt == field.help


def test_date_cells_show_the_danish_date_format(loaded: Workbook) -> None:
    case = loaded[schema.SHEET_CASE_TEMPLATE]
    checklist = loaded[schema.SHEET_CHECKLIST]
    dates = [case[field.cell] for field in schema.CASE_FIELDS + schema.CASE_COMPUTED_FIELDS if field.kind is Kind.DATE]
    dates += [
        case[block.cell(0, column.key)]
        for block in schema.CASE_BLOCKS
        for column in block.columns
        if column.kind is Kind.DATE
    ]
    dates += [
        checklist[schema.checklist_cell(schema.CHECKLIST_FIRST_ROW, column.key)]
        for column in schema.CHECKLIST_COLUMNS
        if column.kind is Kind.DATE
    ]
    assert len(dates) > 10
    assert {cell.number_format for cell in dates} == {schema.DATE_FORMAT}


# --------------------------------------------------------------------------------------------------
# Protection
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet_name", "protected"),
    [(name, name != schema.SHEET_CHECKLIST) for name in schema.FIXED_SHEETS],
    ids=list(schema.FIXED_SHEETS),
)
def test_sheet_protection_without_password(loaded: Workbook, sheet_name: str, protected: bool) -> None:
    protection = loaded[sheet_name].protection
    assert bool(protection.sheet) is protected
    assert not protection.password


def _case_cells() -> list[tuple[str, bool]]:
    """(address, entered) for every value cell of the case sheet."""
    cells = [(field.cell, field.entered) for field in schema.CASE_FIELDS + schema.CASE_COMPUTED_FIELDS]
    for block in schema.CASE_BLOCKS:
        for column in block.columns:
            for index in range(block.rows):
                cells.append((block.cell(index, column.key), block.entered and column.entered))
    return cells


def test_case_sheet_locks_computed_and_unlocks_entered_cells(loaded: Workbook) -> None:
    sheet = loaded[schema.SHEET_CASE_TEMPLATE]
    cells = _case_cells()
    assert {entered for _, entered in cells} == {True, False}
    wrong = [address for address, entered in cells if sheet[address].protection.locked is entered]
    assert not wrong, f"wrong lock state: {wrong[:10]}"
    labels = [field.label_cell for field in schema.CASE_FIELDS] + [schema.CASE_TITLE_CELL]
    assert all(sheet[address].protection.locked for address in labels)


def test_computed_cells_are_grey_and_entered_cells_white(loaded: Workbook) -> None:
    sheet = loaded[schema.SHEET_CASE_TEMPLATE]
    fills = {
        entered: {str(sheet[address].fill.fgColor.rgb) for address, e in _case_cells() if e is entered}
        for entered in (True, False)
    }
    assert len(fills[True]) == 1 and len(fills[False]) == 1
    assert fills[True] != fills[False]


def test_settings_values_unlocked_except_template_version(loaded: Workbook) -> None:
    sheet = loaded[schema.SHEET_SETTINGS]
    locked = {
        setting.key
        for setting in schema.SETTINGS_ROWS
        if sheet[schema.settings_value_cell(setting.key)].protection.locked
    }
    assert locked == {"template_version"}


# --------------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------------


def test_checklist_is_an_excel_table_with_the_schema_headers(loaded: Workbook) -> None:
    sheet = loaded[schema.SHEET_CHECKLIST]
    assert list(sheet.tables) == [schema.CHECKLIST_TABLE_NAME]
    table = sheet.tables[schema.CHECKLIST_TABLE_NAME]
    headers = [column.header for column in schema.CHECKLIST_COLUMNS]
    assert [column.name for column in table.tableColumns] == headers
    assert len(set(headers)) == len(headers), "Excel needs unique table headers"
    assert [sheet.cell(schema.CHECKLIST_HEADER_ROW, index).value for index in range(1, len(headers) + 1)] == headers
    first, last = table.ref.split(":")
    assert schema.parse_cell(first) == (schema.CHECKLIST_HEADER_ROW, 1)
    assert schema.parse_cell(last)[0] >= schema.CHECKLIST_FIRST_ROW
    assert schema.parse_cell(last)[1] == schema.CHECKLIST_LAST_COLUMN
    assert sheet.freeze_panes == schema.CHECKLIST_FREEZE_CELL


def test_template_version_in_settings_and_properties(loaded: Workbook) -> None:
    version = schema.TEMPLATE_VERSION
    assert loaded[schema.SHEET_SETTINGS][schema.TEMPLATE_VERSION_CELL].value == version
    assert f"v{version}" in (loaded.properties.keywords or "")
    assert loaded.properties.title == schema.WORKBOOK_TITLE
    custom: Any = getattr(loaded, "custom_doc_props")  # noqa: B009 - missing from types-openpyxl
    assert {prop.name: prop.value for prop in custom}[VERSION_PROPERTY] == version


@pytest.mark.parametrize("key", sorted(DEFAULTS), ids=sorted(DEFAULTS))
def test_settings_show_each_default_in_danish(loaded: Workbook, key: str) -> None:
    setting = schema.SETTINGS_ROWS_BY_KEY[key]
    shown = loaded[schema.SHEET_SETTINGS].cell(schema.settings_row(key), schema.SETTINGS_DEFAULT_COL).value
    default = DEFAULTS[key]
    if isinstance(default, bool):
        assert schema.YES_NO.code_of(str(shown)) == ("yes" if default else "no")
    elif setting.choice is not None:
        assert setting.choice.code_of(str(shown)) == default
    else:
        assert shown == default


def test_guide_explains_every_ribbon_button(loaded: Workbook) -> None:
    (column,) = loaded[schema.SHEET_GUIDE].iter_cols(min_col=1, max_col=1, values_only=True)
    text = "\n".join(str(value) for value in column if value)
    for button in schema.RIBBON_BUTTONS:
        assert f"{button.label}: {button.screentip}" in text
    for phrase in ("dd-mm-åååå", "CPR", "diagnoser", schema.SHEET_CHECKLIST):
        assert phrase in text


@pytest.mark.parametrize(
    ("sheet_name", "ref"),
    [
        (schema.SHEET_CASE_TEMPLATE, schema.CASE_FIELDS_BY_KEY["next_meeting_status"].cell),
        (
            schema.SHEET_CASE_TEMPLATE,
            schema.CASE_BLOCKS_BY_KEY["plan"].cell(0, "status").split(":")[0],
        ),
    ],
    ids=["next-meeting-status", "plan-status"],
)
def test_status_cells_turn_red_and_amber(loaded: Workbook, sheet_name: str, ref: str) -> None:
    rules = [
        rule
        for formatting in loaded[sheet_name].conditional_formatting
        if ref in formatting.sqref
        for rule in formatting.rules
    ]
    formulas = {rule.formula[0] for rule in rules}
    assert formulas == {f'"{schema.PLAN_STATUS.label_of("overdue")}"', f'"{schema.PLAN_STATUS.label_of("soon")}"'}


def test_overview_status_column_is_formatted(loaded: Workbook) -> None:
    sheet = loaded[schema.SHEET_OVERVIEW]
    status = schema.cell_address(schema.OVERVIEW_FIRST_ROW, schema.overview_column("status"))
    assert any(status in formatting.sqref for formatting in sheet.conditional_formatting)
    headers = [sheet.cell(schema.OVERVIEW_HEADER_ROW, i).value for i in range(1, len(schema.OVERVIEW_COLUMNS) + 1)]
    assert headers == [column.header for column in schema.OVERVIEW_COLUMNS]
    assert sheet.freeze_panes == schema.OVERVIEW_FREEZE_CELL


# --------------------------------------------------------------------------------------------------
# add_case_sheet
# --------------------------------------------------------------------------------------------------


def _sheet_dump(workbook: Workbook, title: str) -> dict[str, Any]:
    dump = canonical_dump(workbook_bytes(workbook))
    (sheet,) = [sheet for sheet in dump["sheets"] if sheet["title"] == title]
    return dict(sheet)


def test_new_case_sheet_is_formatted_like_the_template(template_workbook: Workbook) -> None:
    sheet = add_case_sheet(template_workbook, "U-0007")
    assert sheet.title == schema.case_sheet_name("U-0007")
    case_id_cell = schema.CASE_FIELDS_BY_KEY["case_id"].cell
    assert sheet[case_id_cell].value == "U-0007"

    template = _sheet_dump(template_workbook, schema.SHEET_CASE_TEMPLATE)
    new = _sheet_dump(template_workbook, sheet.title)
    assert new["cells"].pop(case_id_cell)["value"] == "U-0007"
    template["cells"][case_id_cell].pop("value", None)
    new["cells"][case_id_cell] = template["cells"][case_id_cell]
    assert {**new, "title": None} == {**template, "title": None}
    assert new["data_validations"], "validations must be copied too"


def test_case_sheets_go_after_the_last_case_sheet(template_workbook: Workbook) -> None:
    template_workbook.create_sheet("Noter")  # a user's own sheet at the end stays last
    add_case_sheet(template_workbook, "U-0001")
    add_case_sheet(template_workbook, "U-0002")
    fixed = list(schema.FIXED_SHEETS)
    assert template_workbook.sheetnames == [*fixed, "U-0001", "U-0002", "Noter"]


@pytest.mark.parametrize("duplicate", ["U-0001", "u-0001", " U-0001 "], ids=["same", "other-case", "spaces"])
def test_add_case_sheet_refuses_an_existing_name(template_workbook: Workbook, duplicate: str) -> None:
    add_case_sheet(template_workbook, "U-0001")
    with pytest.raises(ValueError, match="already has a sheet"):
        add_case_sheet(template_workbook, duplicate)


def test_add_case_sheet_refuses_a_fixed_sheet_name(template_workbook: Workbook) -> None:
    with pytest.raises(ValueError, match="already has a sheet"):
        add_case_sheet(template_workbook, schema.SHEET_SETTINGS)


# --------------------------------------------------------------------------------------------------
# CLI and LibreOffice
# --------------------------------------------------------------------------------------------------


def test_template_build_command_writes_the_template(tmp_path: Path) -> None:
    target = tmp_path / "out" / "skabelon.xlsx"
    result = CliRunner().invoke(cli, ["template", "build", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{target}\n"
    assert target.read_bytes() == workbook_bytes(build_template_workbook())
    assert [path.name for path in target.parent.iterdir()] == [target.name], "no temp files left behind"


def test_template_build_command_reports_an_unwritable_target(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(cli, ["template", "build", "-o", str(blocker / "skabelon.xlsx")])
    assert result.exit_code == 1
    assert "kan ikke skrive" in result.output


@pytest.mark.libreoffice
def test_libreoffice_renders_the_template(template_path: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not on PATH")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(template_path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / (template_path.stem + ".pdf")
    assert pdf.exists()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 20_000


def _chart_refs(sheet: Any) -> list[list[str]]:
    """Per chart on ``sheet`` (the radar chart, then the line chart): each series' title, values and categories."""
    charts = getattr(sheet, "_charts", [])  # private in openpyxl
    assert len(charts) == 2, sheet.title
    return [
        [
            ref
            for series in chart.series
            for ref in (series.tx.strRef.f, series.val.numRef.f, (series.cat.strRef or series.cat.numRef).f)
        ]
        for chart in charts
    ]


def test_case_sheets_carry_the_life_area_chart_over_the_computed_block() -> None:
    """Issue 14: the chart lives in the template and reads the block refresh fills, so no writer draws it."""
    block = schema.CASE_BLOCKS_BY_KEY["life_areas"]
    first, latest, labels = (
        schema.column_letter(block.column_of(key)) for key in ("first_score", "latest_score", "life_area")
    )
    sheet_name = f"'{schema.SHEET_CASE_TEMPLATE}'!"
    workbook = build_template_workbook()
    expected = []
    for column in (first, latest):  # each series: its title (the header), its scores, the area names
        expected += [
            f"{sheet_name}{column}{block.header_row}",
            f"{sheet_name}${column}${block.first_row}:${column}${block.last_row}",
            f"{sheet_name}${labels}${block.first_row}:${labels}${block.last_row}",
        ]
    assert _chart_refs(workbook[schema.SHEET_CASE_TEMPLATE])[0] == expected
    sheet = add_case_sheet(workbook, "U-0042")
    assert all(ref.startswith("'U-0042'!") for refs in _chart_refs(sheet) for ref in refs)
    charts: list[Any] = sheet._charts  # type: ignore[attr-defined]  # private in openpyxl
    anchor = charts[0].anchor
    assert anchor == schema.CASE_LIFE_AREA_CHART_CELL
    assert schema.parse_cell(anchor)[1] > schema.CASE_LAST_COLUMN  # beside every table: covers no entered cell


def test_case_sheets_carry_a_line_chart_over_the_scores_over_time() -> None:
    """Issue 14 point 8: one line per life area (title from the header), the meeting dates as categories."""
    block = schema.CASE_BLOCKS_BY_KEY["score_history"]
    assert not block.entered and block.rows == schema.CASE_SCORE_HISTORY_ROWS
    assert [column.header for column in block.columns] == ["Mødedato", *(label for _, label in schema.LIFE_AREA.values)]
    sheet_name = f"'{schema.SHEET_CASE_TEMPLATE}'!"
    dates = schema.column_letter(block.column_of("date"))
    expected = []
    for code in schema.LIFE_AREA.codes:
        column = schema.column_letter(block.column_of(code))
        expected += [
            f"{sheet_name}{column}{block.header_row}",
            f"{sheet_name}${column}${block.first_row}:${column}${block.last_row}",
            f"{sheet_name}${dates}${block.first_row}:${dates}${block.last_row}",
        ]
    workbook = build_template_workbook()
    template_sheet = workbook[schema.SHEET_CASE_TEMPLATE]
    assert _chart_refs(template_sheet)[1] == expected
    [_, line] = template_sheet._charts  # type: ignore[attr-defined]  # private in openpyxl
    assert line.tagname == "lineChart"
    assert (line.y_axis.scaling.min, line.y_axis.scaling.max) == (0, 10)
    assert line.display_blanks == "gap"  # an unscored area is a gap, not a zero
    assert line.anchor == schema.CASE_SCORE_HISTORY_CHART_CELL
    row, column = schema.parse_cell(line.anchor)
    assert row == block.title_row and column > schema.CASE_LAST_COLUMN
    # The ribbon's new case copies this range of the template sheet: the block must be inside it.
    last_row, last_column = schema.parse_cell(CASE_SHEET_EXTENT.split(":")[1])
    assert block.last_row <= last_row and block.last_col <= last_column
    sheet = add_case_sheet(workbook, "U-0042")
    assert all(ref.startswith("'U-0042'!") for ref in _chart_refs(sheet)[1])


def test_refresh_fills_the_block_the_chart_reads_and_keeps_the_chart(tmp_path: Path) -> None:
    target = tmp_path / "opdateret.xlsx"
    example = REPO_ROOT / "examples" / "vejleder-01.xlsx"
    result = CliRunner().invoke(cli, ["refresh", str(example), "-o", str(target), "--today", "2026-10-01"])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(target)
    case_sheets = [sheet for sheet in workbook.worksheets if sheet.title.startswith("U-")]
    assert case_sheets and all([len(refs) for refs in _chart_refs(sheet)] == [6, 30] for sheet in case_sheets)
    block = schema.CASE_BLOCKS_BY_KEY["life_areas"]
    scores = [
        sheet.cell(row, block.column_of("latest_score")).value
        for sheet in case_sheets
        for row in range(block.first_row, block.last_row + 1)
    ]
    assert any(isinstance(score, int) and 1 <= score <= 10 for score in scores)
