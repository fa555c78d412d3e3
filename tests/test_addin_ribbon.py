"""Ribbon handlers through xlwings' own Book API (remote engine, on Linux), checked on a real workbook file.

The remote engine records a handler's writes as actions (``book.json()``); ``_apply_actions`` replays them on a
copy of the workbook file with openpyxl, and the result is read back like any workbook. That part of xlwings is
PolyForm Noncommercial: these tests need ``XLWINGS_LICENSE_KEY=noncommercial`` in the environment and skip without.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import click
import pytest
import python_calamine
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from samarbejde_xl import actions, schema
from samarbejde_xl.addin.build import MACROS_DIR, RIBBON_FILE
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import politicians_path_for
from samarbejde_xl.core.buttons import prefilled_kind
from samarbejde_xl.workbook.reader import read_workbook

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "vejleder-01.xlsx"
TODAY = dt.date(2025, 6, 1)
_EPOCH = dt.datetime(1899, 12, 30)
_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"


def test_every_ribbon_action_has_one_handler_and_a_cli_twin() -> None:
    from samarbejde_xl.addin import ribbon

    root = ElementTree.parse(MACROS_DIR / RIBBON_FILE).getroot()
    buttons = {button.get("id"): button.get("onAction") for button in root.iter(f"{_NS}button")}
    assert set(buttons.values()) == {schema.RIBBON_CALLBACK}
    assert (
        f"Public Sub {schema.RIBBON_CALLBACK}(control As IRibbonControl)" in (MACROS_DIR / "Samarbejde.bas").read_text()
    )
    every_button = (*schema.RIBBON_BUTTONS, *schema.MANAGER_BUTTONS)
    assert not set(ribbon.HANDLERS) & set(ribbon.FOLDER_HANDLERS)
    assert set(buttons) == {*ribbon.HANDLERS, *ribbon.FOLDER_HANDLERS} == {b.control_id for b in every_button}
    vba = (MACROS_DIR / "Samarbejde.bas").read_text()
    for control_id in ribbon.FOLDER_HANDLERS:  # the VBA asks for the folder before it calls Python
        assert f'If control.ID = "{control_id}" Then' in vba, control_id
    twins = {button.cli_command for button in every_button}
    known = set(cli.list_commands(click.Context(cli)))  # the commands' modules are imported lazily
    assert twins <= known, sorted(twins - known)


# --------------------------------------------------------------------------------------------------
# The remote engine
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xw() -> Any:
    if os.environ.get("XLWINGS_LICENSE_KEY") != "noncommercial":
        pytest.skip("set XLWINGS_LICENSE_KEY=noncommercial to run the remote-engine tests")
    import xlwings

    return xlwings


def _serial(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (value - _EPOCH).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - _EPOCH.date()).days)
    return value


def _payload(path: Path, active: str, version: str) -> dict[str, Any]:
    """What an Office.js client would send for this file (dates as serial numbers, the cells with notes)."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    styled = load_workbook(path)
    tables = {sheet.title: sheet.tables for sheet in styled.worksheets}
    notes = {
        sheet.title: [{"address": cell.coordinate} for cell in sheet._cells.values() if cell.comment is not None]
        for sheet in styled.worksheets
    }
    sheets = []
    for meta in workbook.sheets_metadata:
        rows = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        width = max((len(row) for row in rows), default=1)
        values = [[_serial(value) for value in row] + [""] * (width - len(row)) for row in rows] or [[""]]
        visibility = "Visible" if meta.visible == python_calamine.SheetVisibleEnum.Visible else "Hidden"
        sheets.append(
            {
                "name": meta.name,
                "values": values,
                "pictures": [],
                "tables": [{"name": name, "range_address": ref} for name, ref in tables[meta.name].items()],
                "notes": notes[meta.name],
                "visibility": visibility,
            }
        )
    names = [sheet["name"] for sheet in sheets]
    return {
        "client": "Office.js",
        "version": version,
        "book": {"name": path.name, "active_sheet_index": names.index(active), "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00:00)?$")


def _apply_actions(path: Path, recorded: list[dict[str, Any]]) -> None:
    """Replay the remote engine's actions on the file (the subset the handlers use)."""
    workbook = load_workbook(path)
    for action in recorded:
        func, args = action["func"], action["args"]
        sheet = workbook.worksheets[action["sheet_position"]] if action["sheet_position"] is not None else None
        row, col = (action["start_row"] or 0) + 1, (action["start_column"] or 0) + 1
        if func == "setValues":
            for r, values in enumerate(action["values"]):
                for c, value in enumerate(values):
                    if isinstance(value, str) and _ISO_DATE.match(value):
                        value = dt.date.fromisoformat(value[:10])
                    elif isinstance(value, str) and value.startswith("'"):
                        value = value[1:]  # Excel's text prefix: the cell holds the text without it
                    sheet.cell(row + r, col + c).value = None if value == "" else value
        elif func == "rangeClearContents":
            for r in range(action["row_count"]):
                for c in range(action["column_count"]):
                    sheet.cell(row + r, col + c).value = None
        elif func == "setNumberFormat":
            for r in range(action["row_count"] or 1):
                for c in range(action["column_count"] or 1):
                    sheet.cell(row + r, col + c).number_format = args[0]
        elif func == "setRangeColor":
            sheet.cell(row, col).fill = PatternFill("solid", start_color=args[0].lstrip("#"))
        elif func == "addNote":
            sheet[args[0].replace("$", "")].comment = Comment(args[1], "samarbejde-xl")
        elif func == "deleteNote":
            sheet.cell(row, col).comment = None
        elif func == "addSheet":
            workbook.create_sheet(args[1], args[0])
        elif func == "copySheet":
            copied = workbook.copy_worksheet(sheet)
            copied.title = args[2]
            workbook.move_sheet(copied, args[1] + 1 - workbook.index(copied))
        elif func == "copyRange":  # Range.copyFrom(source), type all: values and formats; same origin here
            target = workbook.worksheets[args[0]]
            assert schema.parse_cell(args[1].replace("$", "")) == (row, col), "replayed for a same-place copy only"
            for r in range(row, row + action["row_count"]):
                for c in range(col, col + action["column_count"]):
                    source, copied = sheet.cell(r, c), target.cell(r, c)
                    copied.value, copied._style = source.value, copy.copy(source._style)
        elif func == "setSheetName":
            sheet.title = args[0]
        elif func == "resizeTable":
            table = list(sheet.tables.values())[args[0]]
            table.ref = table.autoFilter.ref = args[1].replace("$", "")
        elif func in {"activateSheet", "rangeSelect", "alert", "freezePaneAtRange"}:
            continue
        else:
            raise AssertionError(f"action {func} not replayed by this test")
    workbook.save(path)


EDITIONS = ["lite", "classic"]
"""The remote engine's book is what xlwings Lite hands a script (Office.js capabilities: no sheet copies, no notes);
"classic" tells the live engine it is the COM add-in's book, whose sheet copies and notes the remote engine records
as well."""


@pytest.fixture(params=EDITIONS)
def edition(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    from samarbejde_xl.addin import book

    if request.param == "classic":
        monkeypatch.setattr(book, "officejs_client", lambda _: False)
    return str(request.param)


def _marks(path: Path) -> dict[tuple[str, str], str]:
    """(sheet, cell) -> fill colour of each cell filled with a problem colour."""
    colours = set(schema.MARK_COLOURS.values())
    return {
        (sheet.title, cell.coordinate): cell.fill.start_color.rgb[-6:]
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fill_type == "solid" and str(cell.fill.start_color.rgb)[-6:] in colours
    }


@pytest.fixture
def run(xw: Any, tmp_path: Path) -> Any:
    runs = itertools.count(1)

    def run(
        control_id: str, active: str = schema.SHEET_GUIDE, source: Path = EXAMPLE, today: dt.date = TODAY
    ) -> tuple[str, Counter[str], Path, list[dict[str, Any]]]:
        from samarbejde_xl.addin.ribbon import on_ribbon_action

        work = tmp_path / f"{control_id}-{next(runs)}.xlsx"
        shutil.copyfile(source, work)
        book = xw.Book(json=copy.deepcopy(_payload(work, active, xw.__version__)))
        message = on_ribbon_action(control_id, book, today)
        recorded = book.json()["actions"]
        _apply_actions(work, recorded)
        return message, Counter(action["func"] for action in recorded), work, recorded

    return run


def _cells(path: Path, sheet: str) -> list[list[object]]:
    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.mark.remote_engine
def test_refresh_plan_writes_what_the_cli_refresh_writes(run: Any, tmp_path: Path) -> None:
    message, funcs, work, _ = run("RefreshPlan")
    cli_output = tmp_path / "cli.xlsx"
    actions.refresh_workbook(EXAMPLE, cli_output, today=TODAY)
    check = actions.check_workbook(EXAMPLE, today=TODAY)
    assert message.startswith(f"Mødeplanen er opdateret for {len(check.data.cases)} unge")
    assert funcs["alert"] == 1
    for sheet in (schema.SHEET_OVERVIEW, *(case.sheet for case in check.data.cases)):
        assert _cells(work, sheet) == _cells(cli_output, sheet), sheet


@pytest.mark.remote_engine
def test_validate_marks_and_lists_the_same_problems_as_the_cli(run: Any, edition: str) -> None:
    message, funcs, work, _ = run("Validate")
    check = actions.check_workbook(EXAMPLE, today=TODAY)
    errors = sum(1 for problem in check.problems if problem.severity.value == "fejl")
    assert message == f"Validér fandt {errors} fejl og {len(check.problems) - errors} advarsler."
    marked = {(p.sheet, p.cell) for p in check.problems if p.cell}
    earlier = _cells(EXAMPLE, schema.SHEET_PROBLEMS)[schema.PROBLEMS_FIRST_ROW - 1 :]  # the shipped example is
    # refreshed: the marks its Fejl list names are cleared first
    assert funcs["setRangeColor"] == len(earlier) + len(marked) and set(_marks(work)) == marked
    assert funcs["addNote"] == (len(marked) if edition == "classic" else 0)
    listed = _cells(work, schema.SHEET_PROBLEMS)[schema.PROBLEMS_FIRST_ROW - 1 :]
    assert len(listed) == len(check.problems)
    wb = load_workbook(work)
    sheet, cell = sorted(marked)[0]
    assert (wb[sheet][cell].comment is not None) == (edition == "classic")


@pytest.mark.remote_engine
def test_validate_again_clears_the_marks_of_fixed_cells_without_notes(run: Any, edition: str) -> None:
    """Earlier marks are found on the Fejl list, not by their notes: a cell whose problem is gone loses its fill
    (and, classic, its note). A later day makes the Mødetjekliste's future meetings correct."""
    later = dt.date(2026, 9, 1)
    _, _, once, _ = run("Validate")
    _, funcs, twice, _ = run("Validate", source=once, today=later)
    now = {(p.sheet, p.cell) for p in actions.check_workbook(once, today=later).problems if p.cell}
    assert set(_marks(once)) - now, "the later day fixes no marked cell"
    assert set(_marks(twice)) == now
    assert funcs["deleteNote"] == (len(_marks(once)) if edition == "classic" else 0)
    assert set(_notes(twice)) == (now if edition == "classic" else set(_notes(EXAMPLE)))  # lite leaves notes be


@pytest.mark.remote_engine
def test_new_case_adds_the_next_id_from_the_template_and_lists_it(run: Any, edition: str, tmp_path: Path) -> None:
    before = read_workbook(EXAMPLE).data
    message, funcs, work, recorded = run("NewCase")
    after = read_workbook(work).data
    new_ids = {case.case_id for case in after.cases} - {case.case_id for case in before.cases}
    assert new_ids == {"U-0009"} and "U-0009" in message
    overview_ids = [row[0] for row in _cells(work, schema.SHEET_OVERVIEW)[schema.OVERVIEW_FIRST_ROW - 1 :]]
    assert overview_ids == [case.case_id for case in after.cases]
    if edition == "classic":
        assert funcs["copySheet"] == 1
        return
    added = [action["args"][1] for action in recorded if action["func"] == "addSheet"]
    assert "U-0009" in added and funcs["copyRange"] == funcs["freezePaneAtRange"] == 1 and "copySheet" not in funcs
    # The copied cells are every cell the template lays out: each has the CLI's new sheet's fill and format.
    output = tmp_path / "cli.xlsx"
    actions.new_case(EXAMPLE, output, today=TODAY)
    ribbon, file = load_workbook(work)["U-0009"], load_workbook(output)["U-0009"]

    def looks(cell: Any) -> tuple[object, ...]:
        return (cell.value, cell.fill.fill_type, cell.fill.start_color.rgb, cell.number_format, cell.font.b)

    assert [[looks(ribbon[cell.coordinate]) for cell in row] for row in file.iter_rows()] == [
        [looks(cell) for cell in row] for row in file.iter_rows()
    ]


@pytest.mark.remote_engine
def test_register_meeting_appends_a_prefilled_row_for_the_active_case(run: Any) -> None:
    before = read_workbook(EXAMPLE).data
    case = before.cases[0]
    message, _, work, _ = run("RegisterMeeting", active=case.sheet)
    after = read_workbook(work).data
    added = [meeting for meeting in after.meetings if meeting not in before.meetings]
    assert [(m.case_id, m.date) for m in added] == [(case.case_id, TODAY)]
    plan = actions.check_workbook(EXAMPLE, today=TODAY).plans[case.sheet]
    assert added[0].kind == prefilled_kind(plan, TODAY)
    assert case.case_id in message
    # The new row is inside the Excel table (its dropdowns and filter), not just below it.
    table = load_workbook(work)[schema.SHEET_CHECKLIST].tables[schema.CHECKLIST_TABLE_NAME]
    last_row = max(meeting.row for meeting in after.meetings)
    assert added[0].row == last_row
    assert table.ref == schema.range_address(schema.CHECKLIST_HEADER_ROW, 1, last_row, schema.CHECKLIST_LAST_COLUMN)


@pytest.mark.remote_engine
def test_register_meeting_outside_a_case_sheet_asks_for_one(run: Any) -> None:
    message, funcs, _, _ = run("RegisterMeeting", active=schema.SHEET_OVERVIEW)
    assert "sagsark" in message
    assert set(funcs) == {"alert"}


@pytest.mark.remote_engine
@pytest.mark.parametrize(
    ("control_id", "sheet"),
    [("Overview", schema.SHEET_OVERVIEW), ("Help", schema.SHEET_GUIDE)],
    ids=["overview", "help"],
)
def test_buttons_that_jump_to_a_sheet(run: Any, control_id: str, sheet: str) -> None:
    _, _, work, recorded = run(control_id)
    names = load_workbook(work, read_only=True).sheetnames
    last_activation = [a for a in recorded if a["func"] == "activateSheet"][-1]
    assert names[last_activation["args"][0]] == sheet


@pytest.mark.remote_engine
def test_diagnose_reports_versions_python_and_template_support(run: Any) -> None:
    message, funcs, _, _ = run("Diagnose")
    assert "xlwings: 0.37.8" in message
    assert f"Projektmappens skabelonversion: {schema.TEMPLATE_VERSION} (understøttet)" in message
    assert "Python:" in message and set(funcs) == {"alert"}


@pytest.mark.remote_engine
def test_unknown_button_says_so(xw: Any) -> None:
    from samarbejde_xl.addin.ribbon import on_ribbon_action

    book = xw.Book(json=_payload(EXAMPLE, schema.SHEET_GUIDE, xw.__version__))
    assert on_ribbon_action("Nope", book, TODAY) == "Ukendt knap: Nope"


@pytest.mark.remote_engine
@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#SPILL!"])
def test_an_error_value_in_the_open_workbook_is_reported_as_one(xw: Any, tmp_path: Path, error: str) -> None:
    """Excel sends a cell's error value as its text (Office.js) or an error number (COM); either way it is
    an ``error-value`` problem on that cell, not a missing or badly typed date."""
    from samarbejde_xl.addin import book as live
    from samarbejde_xl.core.parse import parse_workbook

    work = tmp_path / "fejl.xlsx"
    shutil.copyfile(EXAMPLE, work)
    case = read_workbook(EXAMPLE).data.cases[0]
    cell = schema.CASE_FIELDS_BY_KEY["birth_date"].cell
    row, column = schema.parse_cell(cell)
    payload = _payload(work, case.sheet, xw.__version__)
    next(sheet for sheet in payload["sheets"] if sheet["name"] == case.sheet)["values"][row - 1][column - 1] = error
    raw = live.raw_workbook(xw.Book(json=payload))
    assert raw.sheets[case.sheet].errors == {(row, column): error}
    assert raw.sheets[case.sheet].rows[row - 1][column - 1] == ""
    _, problems = parse_workbook(raw)
    assert [(p.code, p.cell) for p in problems if p.sheet == case.sheet and p.cell == cell] == [("error-value", cell)]


def test_newer_error_values_arrive_from_com_as_numbers() -> None:
    from samarbejde_xl.addin.book import _cell_value

    assert [_cell_value(number) for number in (-2146826243, -2146826265, -2146826238, 7)] == [
        "#SPILL!",
        "#REF!",
        "#CALC!",
        7,
    ]


# --------------------------------------------------------------------------------------------------
# Each button and its CLI twin: the same cells on the same workbook (remote engine vs file engine)
# --------------------------------------------------------------------------------------------------


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--today", TODAY.isoformat()], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output  # validate exits 1 when it finds problems
    return result.stdout


def _workbook_cells(path: Path) -> dict[str, list[list[object]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _notes(path: Path) -> dict[tuple[str, str], str]:
    return {
        (sheet.title, cell.coordinate): cell.comment.text
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    }


_FIRST_CASE = read_workbook(EXAMPLE).data.cases[0]


@pytest.mark.remote_engine
@pytest.mark.parametrize(
    ("control_id", "active", "twin"),
    [
        ("RefreshPlan", schema.SHEET_GUIDE, ["refresh"]),
        ("NewCase", schema.SHEET_GUIDE, ["new-case"]),
        ("RegisterMeeting", _FIRST_CASE.sheet, ["register-meeting", "--id", _FIRST_CASE.case_id]),
    ],
    ids=["refresh", "new-case", "register-meeting"],
)
def test_a_writing_button_and_its_cli_twin_write_the_same_cells(
    run: Any, edition: str, tmp_path: Path, control_id: str, active: str, twin: list[str]
) -> None:
    """The same cells and the same marks (fills); the same notes in the classic add-in, none in Lite, where the
    messages are on the Fejl sheet only (its cells are compared too)."""
    _, _, work, _ = run(control_id, active)
    output = tmp_path / "cli.xlsx"
    _cli(twin[0], str(EXAMPLE), "-o", str(output), *twin[1:])
    ribbon, file = _workbook_cells(work), _workbook_cells(output)
    assert sorted(ribbon) == sorted(file)
    for sheet in file:
        assert ribbon[sheet] == file[sheet], sheet
    assert _marks(work) == _marks(output)
    assert _notes(work) == (_notes(output) if edition == "classic" else _notes(EXAMPLE))
    assert _workbook_cells(work) != _workbook_cells(EXAMPLE)  # the button changed something


@pytest.mark.remote_engine
def test_validate_marks_and_lists_what_the_cli_validate_reports(run: Any, edition: str) -> None:
    message, _, work, _ = run("Validate")
    reported = json.loads(_cli("validate", str(EXAMPLE), "--json"))["problems"]
    listed = _workbook_cells(work)[schema.SHEET_PROBLEMS][schema.PROBLEMS_FIRST_ROW - 1 :]
    keys = ("severity", "code", "sheet", "cell", "message")
    assert sorted(tuple(row[: len(keys)]) for row in listed) == sorted(tuple(p[k] for k in keys) for p in reported)
    marked = {(p["sheet"], p["cell"]) for p in reported if p["cell"]}
    assert set(_marks(work)) == marked
    assert set(_notes(work)) == (marked if edition == "classic" else set(_notes(EXAMPLE)))
    assert f"Validér fandt {sum(p['severity'] == 'fejl' for p in reported)} fejl" in message


@pytest.mark.remote_engine
def test_overview_shows_on_the_sheet_what_the_cli_overview_prints(run: Any) -> None:
    _, _, work, _ = run("Overview")
    printed = json.loads(_cli("overview", str(EXAMPLE), "--json"))
    rows = _workbook_cells(work)[schema.SHEET_OVERVIEW][schema.OVERVIEW_FIRST_ROW - 1 :]
    as_text = [[value.isoformat() if isinstance(value, dt.date) else value for value in row] for row in rows]
    keys = [column.key for column in schema.OVERVIEW_COLUMNS]
    expected = [[row[key] for key in keys] for row in printed]
    assert [[None if v == "" else v for v in row] + [None] * (len(keys) - len(row)) for row in as_text] == expected


@pytest.mark.remote_engine
def test_diagnose_and_help_say_what_their_cli_twins_print(run: Any) -> None:
    message, _, _, _ = run("Diagnose")
    for line in CliRunner().invoke(cli, ["diagnose", str(EXAMPLE)]).stdout.splitlines():
        assert line in message.splitlines(), line
    _, _, work, recorded = run("Help")
    guide = {str(value) for row in _workbook_cells(work)[schema.SHEET_GUIDE] for value in row}
    for line in CliRunner().invoke(cli, ["help"]).stdout.splitlines():
        assert f"• {line}" in guide, line
    assert [a["func"] for a in recorded] == ["activateSheet"]


# --------------------------------------------------------------------------------------------------
# Registrér møde in Excel: the prefill, the coordinator's choice, a duplicate (issue 14)
# --------------------------------------------------------------------------------------------------


@pytest.mark.remote_engine
def test_register_meeting_prefills_the_meeting_whose_window_contains_the_day(run: Any, tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    message, _, work, _ = run("RegisterMeeting", CASE.sheet, write_meeting_case(tmp_path / "sag.xlsx"), DAY)
    added = read_workbook(work).data.meetings[-1]
    assert (added.case_id, added.date, added.kind, added.young_person_present) == (CASE.case_id, DAY, "m17_5", None)
    assert (
        "(Møde ved 17½ år)" in message and "Udfyld 'Den unge deltog': mødet tæller først, når der står ja." in message
    )


@pytest.mark.remote_engine
def test_register_meeting_uses_the_kind_and_attendance_chosen_on_the_case_sheet(run: Any, tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    choice = {"register_kind": "Opfølgningsmøde", "register_attended": "ja"}
    source = write_meeting_case(tmp_path / "valgt.xlsx", choice)
    message, _, work, _ = run("RegisterMeeting", CASE.sheet, source, DAY)
    added = read_workbook(work).data.meetings[-1]
    assert (added.kind, added.young_person_present) == ("follow_up", True)
    assert "Den unge deltog: ja." in message
    sheet = load_workbook(work)[CASE.sheet]
    assert [sheet[schema.CASE_FIELDS_BY_KEY[key].cell].value for key in choice] == [None, None]


@pytest.mark.remote_engine
def test_register_meeting_twice_on_one_day_is_refused(run: Any, tmp_path: Path) -> None:
    from meeting_case import CASE, DAY, write_meeting_case

    _, _, once, _ = run("RegisterMeeting", CASE.sheet, write_meeting_case(tmp_path / "sag.xlsx"), DAY)
    message, funcs, twice, _ = run("RegisterMeeting", CASE.sheet, once, DAY)
    assert (
        message.startswith("Det lykkedes ikke: ") and f"{CASE.case_id} har allerede et møde den 01-10-2026" in message
    )
    assert "skriv det andet møde direkte i en ny række" in message
    assert set(funcs) == {"alert"}
    assert len(read_workbook(twice).data.meetings) == len(read_workbook(once).data.meetings)


# --------------------------------------------------------------------------------------------------
# Kvartalsrapport: the managers' button on a folder (issue 15 point 6)
# --------------------------------------------------------------------------------------------------

REPORT_DAY = dt.date(2026, 10, 15)


def _vba_hex(text: str) -> str:
    """What HexText in macros/Samarbejde.bas sends: each UTF-16 code unit as four hex digits."""
    units = text.encode("utf-16-be")
    return "".join(f"{units[i]:02X}{units[i + 1]:02X}" for i in range(0, len(units), 2))


def test_the_folder_arrives_as_vba_chose_it() -> None:
    from samarbejde_xl.addin.ribbon import folder_from_hex

    for folder in ('C:\\Børn & unge\\50% "ny" ^mappe', "\\\\server\\Ældre'sager\\🙂"):
        assert folder_from_hex(_vba_hex(folder)) == Path(folder)


@pytest.fixture
def managers_folder(tmp_path: Path) -> Path:
    """The guides' workbooks in a folder whose name cmd.exe would mangle if it were passed as text."""
    folder = tmp_path / "Børn & unge 50%"
    folder.mkdir()
    for workbook in sorted(EXAMPLE.parent.glob("*.xlsx")):
        shutil.copyfile(workbook, folder / workbook.name)
    return folder


@pytest.mark.remote_engine
def test_quarterly_report_writes_the_report_consolidate_writes(xw: Any, managers_folder: Path, tmp_path: Path) -> None:
    from samarbejde_xl.addin.ribbon import on_ribbon_action
    from samarbejde_xl.consolidation import HISTORY_FILE_NAME, quarterly_report_path

    twin = tmp_path / "cli" / "rapport.xlsx"  # first: the button's report would be in the folder it reads
    result = CliRunner().invoke(
        cli, ["consolidate", str(managers_folder), "-o", str(twin), "--today", REPORT_DAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    book = xw.Book(json=_payload(EXAMPLE, schema.SHEET_GUIDE, xw.__version__))
    message = on_ribbon_action("QuarterlyReport", book, REPORT_DAY, folder_hex=_vba_hex(str(managers_folder)))
    report = quarterly_report_path(managers_folder, REPORT_DAY)
    assert report.parent == managers_folder and report.name == "Kvartalsrapport 2026Q3.xlsx" and report.exists()
    assert (managers_folder / HISTORY_FILE_NAME).exists()
    assert [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"] == [message]

    cli_output = (result.stderr + result.stdout).strip()
    summaries = (politicians_path_for(twin), politicians_path_for(report))
    assert summaries[1].exists()  # the politicians' summary beside the button's report, as beside the CLI's
    assert message == cli_output.replace(str(summaries[0]), str(summaries[1])).replace(str(twin), str(report))
    assert message.splitlines()[-1].startswith("Læste 6 arbejdsbøger")
    assert f"Se arket {schema.REPORT_SHEET_DATA_QUALITY}" in message
    ribbon_cells, cli_cells = _workbook_cells(report), _workbook_cells(twin)
    assert sorted(ribbon_cells) == sorted(cli_cells)
    for sheet in cli_cells:
        assert _without_run_details(ribbon_cells[sheet], report) == _without_run_details(cli_cells[sheet], twin), sheet
    ribbon_summary, cli_summary = _workbook_cells(summaries[1]), _workbook_cells(summaries[0])
    assert ribbon_summary == cli_summary and ribbon_summary  # the politicians' workbook: no path, no id


def _without_run_details(rows: list[list[object]], report: Path) -> list[list[object]]:
    """The cells, less what differs between two runs by design: the report's own path and when it was made."""

    def same(value: object) -> object:
        if isinstance(value, dt.datetime) and value.time() != dt.time():
            return "<dannet>"
        if not isinstance(value, str):
            return value
        return value.replace(str(report), "<rapport>").replace(politicians_path_for(report).name, "<politikere>")

    return [[same(value) for value in row] for row in rows]


@pytest.mark.remote_engine
def test_quarterly_report_says_what_went_wrong_in_danish(xw: Any, tmp_path: Path) -> None:
    from samarbejde_xl.addin.ribbon import on_ribbon_action

    book = xw.Book(json=_payload(EXAMPLE, schema.SHEET_GUIDE, xw.__version__))
    empty = tmp_path / "tom mappe"
    empty.mkdir()
    message = on_ribbon_action("QuarterlyReport", book, REPORT_DAY, folder_hex=_vba_hex(str(empty)))
    assert message == f"Det lykkedes ikke: ingen arbejdsbøger (.xlsx/.xlsm) i {empty}. Kontrollér mappen"
    assert on_ribbon_action("QuarterlyReport", book, REPORT_DAY) == (
        "Vælg mappen med vejledernes arbejdsbøger, og prøv igen."
    )
