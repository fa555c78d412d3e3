"""Ribbon handlers: one per button of ``schema.RIBBON_BUTTONS``, all reached through ``on_ribbon_action``.

The add-in's only ribbon VBA (``OnRibbonAction`` in macros/Samarbejde.bas) runs
``RunPython "import samarbejde_xl.addin.ribbon as ribbon; ribbon.on_ribbon_action('<control id>')"``.
A new button therefore needs ribbon XML (the schema) and a handler here, never new VBA. Each handler does what its
CLI twin (``RibbonButton.cli_command``) does to a file, on the open workbook: read its cells, compute with the core,
then write (``addin.book``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from samarbejde_xl import __version__, schema
from samarbejde_xl.actions import WorkbookCheck, check_read_result, diagnose, next_case_id
from samarbejde_xl.addin import book as live
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.migrate import require_current_layout
from samarbejde_xl.core.model import Case
from samarbejde_xl.core.parse import parse_workbook
from samarbejde_xl.core.problems import Severity
from samarbejde_xl.core.raw import CellValue, RawWorkbook
from samarbejde_xl.core.sheet_writes import CellWrite, TableWrite, overview_rows, workbook_writes
from samarbejde_xl.workbook.reader import ReadResult

Handler = Callable[[Any, dt.date], str]
"""(open book, today) -> the Danish message shown to the user."""

TITLE = "Samarbejdsmodellen"


def _check(book: Any, today: dt.date) -> tuple[RawWorkbook, WorkbookCheck]:
    """Read the open book; every handler that calls this writes afterwards, so older layouts are refused."""
    raw = live.raw_workbook(book)
    data, problems = parse_workbook(raw)
    require_current_layout(data)
    return raw, check_read_result(ReadResult(data, tuple(problems)), today=today)


def _counts(check: WorkbookCheck) -> str:
    errors = sum(1 for problem in check.problems if problem.severity is Severity.ERROR)
    return f"{errors} fejl og {len(check.problems) - errors} advarsler"


def new_case(book: Any, today: dt.date) -> str:
    """Ny sag (CLI: new-case): copy Sagsskabelon to a sheet for the next free id and list it on Oversigt."""
    raw, check = _check(book, today)
    case_id = next_case_id(check.data.cases)
    name = schema.case_sheet_name(case_id)
    last = book.sheets[len(book.sheets) - 1]
    book.sheets[schema.SHEET_CASE_TEMPLATE].copy(after=last, name=name)
    sheet = book.sheets[name]
    sheet[schema.CASE_FIELDS_BY_KEY["case_id"].cell].value = case_id
    data = check.data
    cases = (*data.cases, Case(sheet=name, case_id=case_id))
    rows = overview_rows(dataclasses.replace(data, cases=cases), check.plans, check.problems, today)
    overview = TableWrite(schema.SHEET_OVERVIEW, schema.OVERVIEW_FIRST_ROW, len(schema.OVERVIEW_COLUMNS), rows)
    live.write_table(book, overview, live.used_rows(raw, schema.SHEET_OVERVIEW, schema.OVERVIEW_FIRST_ROW))
    sheet.activate()
    return f"Sagsarket {name} er oprettet. Udfyld de hvide felter."


def register_meeting(book: Any, today: dt.date) -> str:
    """Registrér møde (CLI: register-meeting): a prefilled Mødetjekliste row for the active case sheet."""
    raw, check = _check(book, today)
    active = book.sheets.active.name
    case = next((case for case in check.data.cases if case.sheet == active), None)
    if case is None or not case.case_id:
        return "Gå til den unges sagsark (med Ung-id udfyldt) og tryk Registrér møde igen."
    next_due = check.plans[case.sheet].next_due
    kind = next_due.kind if next_due is not None else "extra"
    row = schema.CHECKLIST_FIRST_ROW + live.used_rows(raw, schema.SHEET_CHECKLIST, schema.CHECKLIST_FIRST_ROW)
    sheet = book.sheets[schema.SHEET_CHECKLIST]
    values: dict[str, CellValue] = {"case_id": case.case_id, "date": today, "kind": schema.MEETING_KIND.label_of(kind)}
    live.write_values(
        book, [CellWrite(sheet.name, schema.checklist_cell(row, key), value) for key, value in values.items()]
    )
    live.extend_checklist_table(book, row)
    sheet.activate()
    sheet[schema.checklist_cell(row, "young_person_present")].select()
    return f"Række {row} i {schema.SHEET_CHECKLIST} er klar til mødet med {case.case_id}. Udfyld resten af rækken."


def validate(book: Any, today: dt.date) -> str:
    """Validér (CLI: validate): mark problem cells and list the problems on Fejl."""
    raw, check = _check(book, today)
    writes = workbook_writes(check.data, check.plans, check.problems, check.settings, today)
    live.apply_sheet_writes(book, raw, writes, values=False)
    if check.problems:
        book.sheets[schema.SHEET_PROBLEMS].activate()
    return f"Validér fandt {_counts(check)}."


def refresh_plan(book: Any, today: dt.date) -> str:
    """Opdatér mødeplan (CLI: refresh): write plans, Oversigt, marks and Fejl as values."""
    raw, check = _check(book, today)
    live.apply_sheet_writes(book, raw, workbook_writes(check.data, check.plans, check.problems, check.settings, today))
    return f"Mødeplanen er opdateret for {len(check.data.cases)} unge ({_counts(check)})."


def overview(book: Any, today: dt.date) -> str:
    """Oversigt (CLI: overview): refresh, then jump to Oversigt."""
    message = refresh_plan(book, today)
    book.sheets[schema.SHEET_OVERVIEW].activate()
    return message


def _addin_version(book: Any) -> str:
    try:
        addin = book.app.books[schema.ADDIN_FILE]
        return str(addin.sheets[schema.ADDIN_CONFIG_SHEET].range((1, 2)).value)
    except Exception:  # noqa: BLE001 - not loaded, or an engine without other books
        return "ikke fundet"


def diagnose_book(book: Any, today: dt.date) -> str:
    """Diagnose (CLI: diagnose): versions, the add-in, and whether this workbook's template is supported."""
    lines = [f"{name}: {value}" for name, value in diagnose()]
    lines.append(f"Tilføjelsesprogram ({schema.ADDIN_FILE}): {_addin_version(book)} (pakken: {__version__})")
    try:
        data, _ = parse_workbook(live.raw_workbook(book))
        supported = data.template_version in schema.SUPPORTED_TEMPLATE_VERSIONS
        support = "understøttet" if supported else "IKKE understøttet"
        lines.append(f"Projektmappens skabelonversion: {data.template_version} ({support})")
    except SamarbejdeError as error:
        lines.append(f"Projektmappen: {error}")
    return "\n".join(lines)


def show_help(book: Any, today: dt.date) -> str:
    """Hjælp (CLI: help): open Vejledning."""
    book.sheets[schema.SHEET_GUIDE].activate()
    return ""


HANDLERS: dict[str, Handler] = {
    "NewCase": new_case,
    "RegisterMeeting": register_meeting,
    "Validate": validate,
    "RefreshPlan": refresh_plan,
    "Overview": overview,
    "Diagnose": diagnose_book,
    "Help": show_help,
}


def on_ribbon_action(control_id: str, book: Any = None, today: dt.date | None = None) -> str:
    """The dispatcher RunPython calls with the button's id; shows the handler's message in Excel."""
    if book is None:
        import xlwings as xw  # only for the calling book: the handlers get it passed in (remote engine, tests)

        book = xw.Book.caller()
    handler = HANDLERS.get(control_id)
    try:
        message = handler(book, today or dt.date.today()) if handler else f"Ukendt knap: {control_id}"
    except SamarbejdeError as error:
        message = f"Det lykkedes ikke: {error}"
    if message:
        book.app.alert(message, title=TITLE)
    return message
