"""Template versions: reading version-1 workbooks directly, ``samarbejde-xl upgrade`` and the layout moves.

The version-1 workbook is made by cutting the version-2 additions out of a generated workbook (tests/v1_workbook.py),
so where each value must land is known without asking ``core.migrate``.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from v1_workbook import (
    ADDED_CASE_FIELD,
    ADDED_SETTING,
    CHANGE,
    V1,
    downgrade_to_v1,
    v1_to_current,
)

from samarbejde_xl import schema
from samarbejde_xl.actions import check_workbook
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import consolidate
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.core.migrate import SheetMove, migrate_raw, require_current_layout, sheet_moves
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.core.problems import Problem, Severity, make_problem
from samarbejde_xl.core.raw import CellValue, RawSheet, RawWorkbook
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.fileio import OutputRefusedError, sha256_of
from samarbejde_xl.workbook.data_writer import write_workbook
from samarbejde_xl.workbook.reader import ReadResult, read_workbook
from samarbejde_xl.workbook.template import is_case_sheet
from samarbejde_xl.workbook.upgrade import upgrade_workbook

TODAY = date(2026, 10, 1)
SEED = 45  # 26 meetings in five cases
NOW = datetime(2026, 10, 1, 9, 0)
EXTRA_SHEET = "Noter"
STRAY_COLUMN = schema.CASE_LAST_COLUMN + 2  # a note typed right of the tables


def _planted(data: WorkbookData) -> dict[tuple[str, str], object]:
    """Raw values a user might have typed, in current addresses: many of them in cells version 1 had elsewhere."""
    first, second = data.cases[0].sheet, data.cases[1].sheet
    agreements = schema.CASE_BLOCKS_BY_KEY["agreements"]
    interventions = schema.CASE_BLOCKS_BY_KEY["interventions"]
    row = schema.CHECKLIST_FIRST_ROW
    return {
        (first, agreements.cell(0, "deadline")): "i morgen",  # text in a date cell of a moved table
        (first, interventions.cell(1, "start")): "1/2/2026",
        (first, agreements.cell(1, "status")): "færdig",
        (first, schema.cell_address(agreements.first_row, STRAY_COLUMN)): "husk at ringe",
        (second, schema.CASE_FIELDS_BY_KEY["notes"].cell): "Ringer efter 1. maj",  # a moved field
        (second, schema.CASE_FIELDS_BY_KEY["birth_date"].cell): "tolvte marts",  # a field that did not move
        (schema.SHEET_CHECKLIST, schema.checklist_cell(row, "next_meeting")): "snart",  # a moved column
        (schema.SHEET_CHECKLIST, schema.checklist_cell(row + 1, "recorded_by")): 12345,
        (schema.SHEET_CHECKLIST, schema.checklist_cell(row + 1, "notes")): '="a"&"b"',  # a formula stays one
        (schema.SHEET_CHECKLIST, schema.checklist_cell(row + 2, schema.SCORE_PREFIX + "economy")): 11,
        (schema.SHEET_SETTINGS, schema.settings_value_cell("m16.after_days")): "tredive",  # a moved setting
        (schema.SHEET_SETTINGS, schema.settings_value_cell("municipality")): "Demokommune",
    }


@pytest.fixture(scope="module")
def v1_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated version-1 workbook with planted mistakes, a hidden case sheet and a sheet users added."""
    folder = tmp_path_factory.mktemp("v1")
    demo = generate_municipality(workbooks=1, cases=5, seed=SEED, today=TODAY, clean=False)[0]
    current = folder / "current.xlsx"
    write_workbook(demo.data, current, cell_overrides={**demo.cell_overrides, **_planted(demo.data)}, today=TODAY)
    workbook = load_workbook(current)
    workbook[demo.data.cases[2].sheet].sheet_state = "hidden"
    extra = workbook.create_sheet(EXTRA_SHEET)
    extra["A1"] = "Ring til skolen"
    extra["C4"] = 42
    workbook.save(current)
    path = folder / "vejleder-v1.xlsx"
    downgrade_to_v1(current, path)
    return path


@pytest.fixture(scope="module")
def upgraded_path(v1_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("upgraded") / "vejleder-v2.xlsx"
    upgrade_workbook(v1_path, output)
    return output


def _kind(sheet: Worksheet) -> str:
    if sheet.title == schema.SHEET_CHECKLIST:
        return "checklist"
    if sheet.title == schema.SHEET_SETTINGS:
        return "settings"
    return "case" if is_case_sheet(sheet) else "other"


COMPARED_SHEETS = (schema.SHEET_OVERVIEW, EXTRA_SHEET)
"""Other sheets whose values the upgrade copies as they are."""


# --------------------------------------------------------------------------------------------------
# The round trip: every value of the version-1 file is in the upgraded file, at its new place
# --------------------------------------------------------------------------------------------------


def test_the_fixture_is_version_1(v1_path: Path) -> None:
    workbook = load_workbook(v1_path)
    assert workbook[schema.SHEET_SETTINGS][schema.TEMPLATE_VERSION_CELL].value == V1
    headers = [cell.value for cell in workbook[schema.SHEET_CHECKLIST][schema.CHECKLIST_HEADER_ROW]]
    for key in CHANGE.checklist_columns_added:
        assert schema.CHECKLIST_COLUMNS_BY_KEY[key].header not in headers
    labels = [cell.value for cell in workbook[schema.SHEET_CASE_TEMPLATE]["A"]]
    assert schema.CASE_FIELDS_BY_KEY[ADDED_CASE_FIELD].label not in labels
    assert schema.CASE_FIELDS_BY_KEY["notes"].label in labels


def test_upgrade_keeps_every_entered_value(v1_path: Path, upgraded_path: Path) -> None:
    old, new = load_workbook(v1_path), load_workbook(upgraded_path)
    version_cell = schema.parse_cell(schema.TEMPLATE_VERSION_CELL)
    compared: Counter[str] = Counter()
    for sheet in old.worksheets:
        kind = _kind(sheet)
        if sheet.title == schema.SHEET_CASE_TEMPLATE or (kind == "other" and sheet.title not in COMPARED_SHEETS):
            continue
        target = new[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None or (kind == "settings" and (cell.row, cell.column) == version_cell):
                    continue
                new_row, new_column = v1_to_current(kind, cell.row, cell.column)
                moved = target.cell(new_row, new_column)
                assert (moved.value, type(moved.value)) == (cell.value, type(cell.value)), (
                    f"{sheet.title}!{cell.coordinate} -> {moved.coordinate}"
                )
                compared[kind if kind != "other" else sheet.title] += 1
    assert compared["case"] > 500 and compared["checklist"] > 100 and compared["settings"] > 40
    assert compared[EXTRA_SHEET] == 2
    assert new[schema.SHEET_SETTINGS][schema.TEMPLATE_VERSION_CELL].value == schema.TEMPLATE_VERSION


def test_planted_values_are_where_a_current_workbook_has_them(v1_path: Path, upgraded_path: Path) -> None:
    demo = generate_municipality(workbooks=1, cases=5, seed=SEED, today=TODAY, clean=False)[0]
    new = load_workbook(upgraded_path)
    for (sheet, address), value in _planted(demo.data).items():
        assert new[sheet][address].value == value, f"{sheet}!{address}"


def test_upgrade_keeps_sheet_order_names_and_hidden_state(v1_path: Path, upgraded_path: Path) -> None:
    old, new = load_workbook(v1_path), load_workbook(upgraded_path)
    assert new.sheetnames == [name for name in old.sheetnames if name != schema.SHEET_PROBLEMS]
    assert {sheet.title: sheet.sheet_state for sheet in new.worksheets} == {
        sheet.title: sheet.sheet_state for sheet in old.worksheets
    }
    assert "hidden" in {sheet.sheet_state for sheet in new.worksheets if is_case_sheet(sheet)}


def test_upgrade_result_lists_what_it_did(v1_path: Path, tmp_path: Path) -> None:
    result = upgrade_workbook(v1_path, tmp_path / "ud.xlsx")
    assert (result.from_version, result.to_version, result.already_current) == (V1, schema.TEMPLATE_VERSION, False)
    assert len(result.case_sheets) == 5 and result.extra_sheets == (EXTRA_SHEET,)
    assert result.not_copied == ()
    assert result.cells_copied > 500


def test_the_upgraded_file_is_a_current_template_that_grows(upgraded_path: Path, tmp_path: Path) -> None:
    """The involvement columns exist (empty) and the new field can be filled in and read."""
    workbook = load_workbook(upgraded_path)
    sheet = workbook[read_workbook(upgraded_path).data.cases[0].sheet]
    sheet[schema.CASE_FIELDS_BY_KEY[ADDED_CASE_FIELD].cell] = schema.END_REASON.label_of("moved")
    checklist = workbook[schema.SHEET_CHECKLIST]
    involvement = schema.INVOLVEMENT_PREFIX + schema.INVOLVEMENT_ITEMS[0][0]
    checklist[schema.checklist_cell(schema.CHECKLIST_FIRST_ROW, involvement)] = 4
    workbook.save(tmp_path / "filled.xlsx")
    data = read_workbook(tmp_path / "filled.xlsx").data
    assert data.cases[0].end_reason == "moved"
    assert data.meetings[0].involvement == {schema.INVOLVEMENT_ITEMS[0][0]: 4}


# --------------------------------------------------------------------------------------------------
# Reading version 1 directly
# --------------------------------------------------------------------------------------------------


def _same_data(one: ReadResult, other: ReadResult) -> None:
    assert dataclasses.replace(one.data, file="", template_version=0) == dataclasses.replace(
        other.data, file="", template_version=0
    )


def test_reading_v1_directly_gives_the_upgraded_files_data(v1_path: Path, upgraded_path: Path) -> None:
    old, new = read_workbook(v1_path), read_workbook(upgraded_path)
    assert (old.data.template_version, new.data.template_version) == (V1, schema.TEMPLATE_VERSION)
    _same_data(old, new)
    assert len(old.data.cases) == 5 and len(old.data.meetings) > 20


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    return (problem.sheet, problem.code, problem.message)


def test_v1_problems_point_at_the_v1_cells(v1_path: Path, upgraded_path: Path) -> None:
    old_read, new_read = (
        read_workbook(v1_path, detect_formulas=True),
        read_workbook(upgraded_path, detect_formulas=True),
    )
    old, new = sorted(old_read.problems, key=_problem_key), sorted(new_read.problems, key=_problem_key)
    assert Counter(p.code for p in old) == Counter(p.code for p in new)
    assert {"date-text", "score-range", "not-in-list"} <= {p.code for p in old}
    book = load_workbook(v1_path)
    moved = Counter[str]()
    for before, after in zip(old, new, strict=True):
        assert _problem_key(before) == _problem_key(after)
        if not after.cell:
            assert before.cell == ""
            continue
        kind = _kind(book[before.sheet])
        assert v1_to_current(kind, *schema.parse_cell(before.cell)) == schema.parse_cell(after.cell), before
        moved[kind] += before.cell != after.cell
    assert moved["case"] >= 3 and moved["checklist"] >= 1
    # The same logical places in both files: only the layout that turns them into cells differs.
    assert sorted(map(_place, old)) == sorted(map(_place, new))
    assert {p.template_version for p in old} == {V1} and {p.template_version for p in new} == {schema.TEMPLATE_VERSION}


def _place(problem: Problem) -> tuple[str, str, str, str]:
    return (problem.sheet, repr(problem.place), problem.code, problem.message)


def test_consolidate_reads_v1_and_names_each_files_version(v1_path: Path, upgraded_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(v1_path, folder / "gammel.xlsx")
    shutil.copy(upgraded_path, folder / "ny.xlsx")
    run = consolidate([folder], tmp_path / "rapport.xlsx", today=TODAY, jobs=1, now=NOW)
    versions = {Path(row.file).name: row.template_version for row in run.result.data_quality}
    assert versions == {"gammel.xlsx": V1, "ny.xlsx": schema.TEMPLATE_VERSION}
    assert run.exit_code == 0
    # The old file's problems in the report are those validate finds (none doubled by a moved cell); the new file
    # holds the same young people, so it also gets one duplicate-id error per young person.
    counts = {Path(row.file).name: (row.errors, row.warnings) for row in run.result.data_quality}
    check = check_workbook(v1_path, today=TODAY)
    errors = sum(1 for problem in check.problems if problem.severity is Severity.ERROR)
    assert counts["gammel.xlsx"] == (errors, len(check.problems) - errors) != (0, 0)


def test_writing_needs_the_current_layout(v1_path: Path, upgraded_path: Path) -> None:
    require_current_layout(read_workbook(upgraded_path).data)
    with pytest.raises(WorkbookError) as caught:
        require_current_layout(read_workbook(v1_path).data)
    assert caught.value.code == "old-template" and "samarbejde-xl upgrade" in caught.value.hint


# --------------------------------------------------------------------------------------------------
# The moves (pure)
# --------------------------------------------------------------------------------------------------

MOVES = sheet_moves(V1)
OLD = schema.template_layout(V1)


@pytest.mark.parametrize(
    ("move", "kind", "rows", "columns"),
    [
        (MOVES.case_sheet, "case", OLD.case_blocks[-1].last_row + 3, schema.CASE_LAST_COLUMN + 3),
        (MOVES.checklist, "checklist", 4, len(OLD.checklist_columns) + 3),
        (MOVES.settings, "settings", schema.SETTINGS_FIRST_ROW + len(OLD.settings_rows) + 2, schema.SETTINGS_HELP_COL),
    ],
    ids=["case-sheet", "checklist", "settings"],
)
def test_moves_match_the_history(move: SheetMove, kind: str, rows: int, columns: int) -> None:
    for row in range(1, rows + 1):
        for column in range(1, columns + 1):
            assert move.forward(row, column) == v1_to_current(kind, row, column), (row, column)


def _places_in_both_versions() -> list[schema.Place]:
    """A place of every kind that version 1 had, block rows and checklist columns right of the added ones too."""
    return [
        *(schema.field_place(field.key) for field in OLD.case_fields + OLD.case_computed_fields),
        *(
            schema.block_place(b.key, index, c.key)
            for b in OLD.case_blocks
            for index in (0, b.rows - 1)
            for c in b.columns
        ),
        *(
            schema.checklist_place(row, c.key)
            for row in (schema.CHECKLIST_HEADER_ROW, 7)
            for c in OLD.checklist_columns
        ),
        *(schema.setting_place(setting.key) for setting in OLD.settings_rows),
    ]


def test_a_place_names_the_cell_its_value_moves_from_and_to() -> None:
    sheets = {schema.Area.FIELD: "case", schema.Area.BLOCK: "case", schema.Area.CHECKLIST: "checklist"}
    current = schema.template_layout(schema.TEMPLATE_VERSION)
    for place in _places_in_both_versions():
        old_cell, new_cell = OLD.cell_of(place), current.cell_of(place)
        assert old_cell and new_cell, place
        kind = sheets.get(place.area, "settings")
        assert v1_to_current(kind, *schema.parse_cell(old_cell)) == schema.parse_cell(new_cell), place


ADDED_PLACES = [
    ("case", schema.field_place(ADDED_CASE_FIELD)),
    ("checklist", schema.checklist_place(7, CHANGE.checklist_columns_added[0])),
    ("checklist-header", schema.checklist_place(schema.CHECKLIST_HEADER_ROW, "own_view")),
    ("settings", schema.setting_place(ADDED_SETTING)),
    ("computed-block", schema.block_place(CHANGE.case_blocks_added[0], 0, "date")),
]


@pytest.mark.parametrize(("kind", "place"), ADDED_PLACES, ids=[kind for kind, _ in ADDED_PLACES])
def test_places_version_1_lacked_have_no_old_cell(kind: str, place: schema.Place) -> None:
    assert OLD.cell_of(place) == ""
    assert schema.template_layout(schema.TEMPLATE_VERSION).cell_of(place) != ""


def test_a_problem_gets_its_cell_from_its_files_version() -> None:
    notes = schema.CASE_FIELDS_BY_KEY["notes"]
    place = schema.field_place("notes")
    old = make_problem("required-missing", file="f", sheet="U-0001", place=place, template_version=V1, label="x")
    new = make_problem("required-missing", file="f", sheet="U-0001", place=place, label="x")
    assert (old.cell, new.cell) == (schema.cell_address(notes.row - 1, notes.column), notes.cell)
    assert old.place == new.place and str(old) == str(new).replace(notes.cell, old.cell)
    added = make_problem(
        "required-missing", file="f", sheet="U-0001", place=schema.field_place(ADDED_CASE_FIELD), label="x"
    )
    assert dataclasses.replace(added, template_version=V1).cell == "" and added.cell
    assert make_problem("unknown-sheet", file="f", sheet="Andet", template_version=V1).cell == ""


def test_migrate_raw_fills_the_headers_of_added_columns() -> None:
    old_headers: list[CellValue] = [column.header for column in OLD.checklist_columns]
    raw = RawWorkbook("f", {schema.SHEET_CHECKLIST: RawSheet(schema.SHEET_CHECKLIST, [old_headers])})
    moved = migrate_raw(raw, V1).sheets[schema.SHEET_CHECKLIST]
    assert moved.rows[0] == [column.header for column in schema.CHECKLIST_COLUMNS]
    assert migrate_raw(raw, schema.TEMPLATE_VERSION) is raw


# --------------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_upgrades_without_touching_the_input(v1_path: Path, tmp_path: Path) -> None:
    before = sha256_of(v1_path)
    output = tmp_path / "ny.xlsx"
    result = run("upgrade", str(v1_path), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert f"fra skabelonversion {V1} til {schema.TEMPLATE_VERSION}" in result.output
    assert f"arket '{EXTRA_SHEET}'" in result.output
    assert sha256_of(v1_path) == before
    assert read_workbook(output).data.template_version == schema.TEMPLATE_VERSION


def test_cli_in_place_keeps_a_backup(v1_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "vejleder.xlsx"
    shutil.copy(v1_path, path)
    before = sha256_of(path)
    result = run("upgrade", str(path), "--in-place")
    assert result.exit_code == 0, result.output
    backups = list(tmp_path.glob("vejleder.backup-*.xlsx"))
    assert len(backups) == 1 and sha256_of(backups[0]) == before
    assert read_workbook(path).data.template_version == schema.TEMPLATE_VERSION


def test_already_current_workbook_is_copied_unchanged(upgraded_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "kopi.xlsx"
    result = run("upgrade", str(upgraded_path), "-o", str(output))
    assert result.exit_code == 0 and "bruger allerede skabelonversion" in result.output
    assert sha256_of(output) == sha256_of(upgraded_path)
    in_place = tmp_path / "samme.xlsx"
    shutil.copy(upgraded_path, in_place)
    assert run("upgrade", str(in_place), "--in-place").exit_code == 0
    assert sha256_of(in_place) == sha256_of(upgraded_path)
    assert list(tmp_path.glob("*.backup-*")) == []


@pytest.fixture
def newer_path(upgraded_path: Path, tmp_path: Path) -> Path:
    workbook = load_workbook(upgraded_path)
    workbook[schema.SHEET_SETTINGS][schema.TEMPLATE_VERSION_CELL] = schema.TEMPLATE_VERSION + 1
    path = tmp_path / "nyere.xlsx"
    workbook.save(path)
    return path


def test_newer_version_says_update_the_tool(newer_path: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        upgrade_workbook(newer_path, tmp_path / "ud.xlsx")
    assert caught.value.code == "newer-template"
    assert "opdatér" in caught.value.hint.casefold()
    result = run("upgrade", str(newer_path), "-o", str(tmp_path / "ud.xlsx"))
    assert result.exit_code == 2 and "Opdatér samarbejde-xl" in result.output
    assert not (tmp_path / "ud.xlsx").exists()


@pytest.mark.parametrize(
    ("arguments", "exit_code"),
    [(["-o", "{input}"], 2), ([], 2), (["-o", "{other}", "--in-place"], 2)],
    ids=["output-is-input", "no-output", "both"],
)
def test_cli_usage_errors(v1_path: Path, tmp_path: Path, arguments: list[str], exit_code: int) -> None:
    path = tmp_path / "v1.xlsx"
    shutil.copy(v1_path, path)
    before = sha256_of(path)
    filled = [arg.format(input=path, other=tmp_path / "ud.xlsx") for arg in arguments]
    result = run("upgrade", str(path), *filled)
    assert result.exit_code == exit_code, result.output
    assert sha256_of(path) == before
    assert not (tmp_path / "ud.xlsx").exists()


def test_upgrade_library_refuses_to_overwrite_its_input(v1_path: Path) -> None:
    with pytest.raises(OutputRefusedError):
        upgrade_workbook(v1_path, v1_path)
