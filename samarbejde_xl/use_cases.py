"""The buttons' use cases on any engine: read → compute in the core (``core.buttons``) → apply (``engine.Engine``).

The ribbon runs them on the open workbook (``addin.book.LiveEngine``), the CLI twins in ``actions`` on a file
(``workbook.file_engine.FileEngine``). This module imports only the core, the schema and the engine interface, so
the handlers also load where no Excel file library is (xlwings Lite's Pyodide).
"""

from __future__ import annotations

import sys
from datetime import date

from samarbejde_xl import __version__, schema
from samarbejde_xl.core import buttons
from samarbejde_xl.core.buttons import WorkbookCheck, check_for_writing, refresh_writes, validation_writes
from samarbejde_xl.core.errors import ActionError, SamarbejdeError
from samarbejde_xl.core.parse import parse_workbook
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.engine import Engine


class NotOnCaseSheet(ActionError):
    """Registrér møde pressed where no case sheet (with an id) is active."""


def refresh(engine: Engine, *, today: date, base_settings: Settings = DEFAULT_SETTINGS) -> WorkbookCheck:
    """Opdatér mødeplan: plans, Oversigt, problem marks and the Fejl list, written as values."""
    check = check_for_writing(engine.read(), today=today, base_settings=base_settings)
    engine.apply(refresh_writes(check, today))
    return check


def mark_problems(engine: Engine, *, today: date, base_settings: Settings = DEFAULT_SETTINGS) -> WorkbookCheck:
    """Validér in a workbook: mark the problem cells and list the problems on Fejl (shown when there are any)."""
    check = check_for_writing(engine.read(), today=today, base_settings=base_settings)
    engine.apply(validation_writes(check))
    if check.problems:
        engine.show(schema.SHEET_PROBLEMS)
    return check


def add_case(
    engine: Engine, *, today: date, case_id: str | None = None, base_settings: Settings = DEFAULT_SETTINGS
) -> buttons.NewCase:
    """Ny sag: a case sheet for the next free id (or ``case_id``), then the workbook refreshed with it."""
    new = buttons.new_case(engine.read(), today=today, case_id=case_id, base_settings=base_settings)
    engine.add_case_sheet(new.case_id)
    engine.apply(new.writes)
    engine.show(new.sheet)
    return new


def record_meeting(
    engine: Engine,
    *,
    today: date,
    case_id: str | None = None,
    kind: str | None = None,
    attended: bool | None = None,
    allow_duplicate: bool = False,
    allow_hint: str = "",
    base_settings: Settings = DEFAULT_SETTINGS,
) -> buttons.Registration:
    """Registrér møde: a Mødetjekliste row for ``case_id`` (default: the case on the active sheet) dated ``today``.
    Kind and attendance as given, else as the coordinator chose on the case sheet, else the prefilled kind."""
    raw = engine.read()
    check = check_for_writing(raw, today=today, base_settings=base_settings)
    if case_id is None:
        active = engine.active_sheet()
        case = next((case for case in check.data.cases if case.sheet == active and case.case_id), None)
        if case is None:
            raise NotOnCaseSheet("Gå til den unges sagsark (med Ung-id udfyldt) og tryk Registrér møde igen.")
        case_id = case.case_id
    registration = buttons.register_meeting(
        check,
        raw,
        case_id=case_id,
        day=today,
        kind=kind,
        attended=attended,
        allow_duplicate=allow_duplicate,
        allow_hint=allow_hint,
    )
    engine.write_cells(registration.writes)
    engine.extend_checklist(registration.row)
    engine.show(schema.SHEET_CHECKLIST, schema.checklist_cell(registration.row, "young_person_present"))
    return registration


def versions() -> list[tuple[str, str]]:
    """The versions Diagnose shows: the tool, Python, xlwings and the template versions it reads."""
    import platform  # only for Diagnose, like importlib.metadata (~50 ms)
    from importlib.metadata import PackageNotFoundError, version

    try:
        xlwings_version = version("xlwings")
    except PackageNotFoundError:
        xlwings_version = "ikke installeret"
    return [
        ("samarbejde-xl", __version__),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("xlwings", xlwings_version),
        ("Skabelonversion (værktøjet)", str(schema.TEMPLATE_VERSION)),
        ("Understøttede skabelonversioner", ", ".join(map(str, schema.SUPPORTED_TEMPLATE_VERSIONS))),
    ]


def workbook_diagnosis(engine: Engine) -> tuple[str, str]:
    """Whether the workbook's template version is supported, or why it cannot be read."""
    try:
        data, _ = parse_workbook(engine.read())
    except SamarbejdeError as error:
        return ("Projektmappen", str(error))
    support = "understøttet" if data.template_version in schema.SUPPORTED_TEMPLATE_VERSIONS else "IKKE understøttet"
    return ("Projektmappens skabelonversion", f"{data.template_version} ({support})")
