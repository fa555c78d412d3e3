"""Ribbon handlers: one per button of ``schema.RIBBON_BUTTONS``, all reached through ``on_ribbon_action``.

The add-in's only ribbon VBA (``OnRibbonAction`` in macros/Samarbejde.bas) runs
``RunPython "import samarbejde_xl.addin.ribbon as ribbon; ribbon.on_ribbon_action('<control id>')"``.
A new button therefore needs ribbon XML (the schema) and a handler here, never new VBA. Each handler does what its
CLI twin (``RibbonButton.cli_command``) does to a file, on the open workbook: read its cells, compute with the core,
then write (``addin.book``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from samarbejde_xl import __version__, schema, use_cases
from samarbejde_xl.addin.book import LiveEngine
from samarbejde_xl.core.buttons import WorkbookCheck
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.problems import Severity
from samarbejde_xl.core.wording import counted

Handler = Callable[[Any, dt.date], str]
"""(open book, today) -> the Danish message shown to the user."""
FolderHandler = Callable[[Any, dt.date, Path], str]
"""(open book, today, the folder the user chose in VBA's folder picker) -> the Danish message."""

TITLE = "Samarbejdsmodellen"


def _counts(check: WorkbookCheck) -> str:
    errors = sum(1 for problem in check.problems if problem.severity is Severity.ERROR)
    return f"{counted(errors, 'fejl')} og {counted(len(check.problems) - errors, 'advarsel')}"


def new_case(book: Any, today: dt.date) -> str:
    """Ny sag (CLI: new-case): a case sheet from Sagsskabelon for the next free id, then the workbook refreshed."""
    new = use_cases.add_case(LiveEngine(book), today=today)
    return f"Sagsarket {new.sheet} er oprettet. Udfyld de hvide felter."


def register_meeting(book: Any, today: dt.date) -> str:
    """Registrér møde (CLI: register-meeting): a prefilled Mødetjekliste row for the active case sheet."""
    try:
        registration = use_cases.record_meeting(
            LiveEngine(book),
            today=today,
            allow_hint=(", eller skriv det andet møde direkte i en ny række, hvis der virkelig var to møder samme dag"),
        )
    except use_cases.NotOnCaseSheet as error:
        return str(error)
    kind = schema.MEETING_KIND.label_of(registration.kind)
    if registration.attended is None:
        present = schema.CHECKLIST_COLUMNS_BY_KEY["young_person_present"].header
        attendance = f"Udfyld '{present}': mødet tæller først, når der står {schema.YES}."
    else:
        attendance = f"Den unge deltog: {schema.YES if registration.attended else schema.NO}."
    return (
        f"Række {registration.row} i {schema.SHEET_CHECKLIST} er klar til mødet med {registration.case_id} "
        f"({kind}). {attendance} Udfyld resten af rækken."
    )


def validate(book: Any, today: dt.date) -> str:
    """Validér (CLI: validate): mark problem cells and list the problems on Fejl."""
    check = use_cases.mark_problems(LiveEngine(book), today=today)
    return f"Validér fandt {_counts(check)}."


def refresh_plan(book: Any, today: dt.date) -> str:
    """Opdatér mødeplan (CLI: refresh): write plans, Oversigt, marks and Fejl as values."""
    check = use_cases.refresh(LiveEngine(book), today=today)
    return f"Mødeplanen er opdateret for {counted(len(check.data.cases), 'ung')} ({_counts(check)})."


def overview(book: Any, today: dt.date) -> str:
    """Oversigt (CLI: overview): refresh, then jump to Oversigt."""
    message = refresh_plan(book, today)
    LiveEngine(book).show(schema.SHEET_OVERVIEW)
    return message


def _addin_version(book: Any) -> str:
    try:
        addin = book.app.books[schema.ADDIN_FILE]
        return str(addin.sheets[schema.ADDIN_CONFIG_SHEET].range((1, 2)).value)
    except Exception:  # noqa: BLE001 - not loaded, or an engine without other books
        return "ikke fundet"


def diagnose_book(book: Any, today: dt.date) -> str:
    """Diagnose (CLI: diagnose): versions, the add-in, and whether this workbook's template is supported."""
    lines = [f"{name}: {value}" for name, value in use_cases.versions()]
    lines.append(f"Tilføjelsesprogram ({schema.ADDIN_FILE}): {_addin_version(book)} (pakken: {__version__})")
    name, value = use_cases.workbook_diagnosis(LiveEngine(book))
    lines.append(f"{name}: {value}")
    return "\n".join(lines)


def show_help(book: Any, today: dt.date) -> str:
    """Hjælp (CLI: help): open Vejledning."""
    book.sheets[schema.SHEET_GUIDE].activate()
    return ""


def quarterly_report(book: Any, today: dt.date, folder: Path) -> str:
    """Kvartalsrapport (CLI: consolidate MAPPE -o "MAPPE/Kvartalsrapport <kvartal>.xlsx"): the leader-group report
    of the chosen folder, with the history beside it, and the messages the CLI prints."""
    from samarbejde_xl import consolidation  # the report's modules: only for this button
    from samarbejde_xl.report.facts_cache import default_cache_path

    report = consolidation.quarterly_report_path(folder, today)
    history = report.parent / consolidation.HISTORY_FILE_NAME
    run = consolidation.consolidate([folder], report, today=today, history=history, cache=default_cache_path())
    return "\n".join([*run.notes(), run.summary()])


HANDLERS: dict[str, Handler] = {
    "NewCase": new_case,
    "RegisterMeeting": register_meeting,
    "Validate": validate,
    "RefreshPlan": refresh_plan,
    "Overview": overview,
    "Diagnose": diagnose_book,
    "Help": show_help,
}
FOLDER_HANDLERS: dict[str, FolderHandler] = {"QuarterlyReport": quarterly_report}
"""The buttons whose VBA asks for a folder first (macros/Samarbejde.bas) and hands it over as ``folder_hex``."""


def folder_from_hex(folder_hex: str) -> Path:
    """The folder VBA sends as hex UTF-16 code units, so that cmd.exe's quoting (&, ^, %, quotes) and the code page
    cannot change a path such as C:\\Børn & unge."""
    return Path(bytes.fromhex(folder_hex).decode("utf-16-be"))


def on_ribbon_action(control_id: str, book: Any = None, today: dt.date | None = None, folder_hex: str = "") -> str:
    """The dispatcher RunPython calls with the button's id (and the chosen folder, for FOLDER_HANDLERS); shows the
    handler's message in Excel."""
    if book is None:
        import xlwings as xw  # only to find the calling book: the handlers get it passed in (remote engine, tests)

        book = xw.Book.caller()
    day = today or dt.date.today()
    try:
        if control_id in FOLDER_HANDLERS and not folder_hex:
            message = "Vælg mappen med vejledernes arbejdsbøger, og prøv igen."
        elif control_id in FOLDER_HANDLERS:
            message = FOLDER_HANDLERS[control_id](book, day, folder_from_hex(folder_hex))
        elif control_id in HANDLERS:
            message = HANDLERS[control_id](book, day)
        else:
            message = f"Ukendt knap: {control_id}"
    except SamarbejdeError as error:
        message = f"Det lykkedes ikke: {error}"
    if message:
        book.app.alert(message, title=TITLE)
    return message
