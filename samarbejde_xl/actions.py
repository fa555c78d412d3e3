"""Use cases shared by the ribbon and the CLI: every button is read → compute in the core → apply through an engine.

The ribbon (``addin.ribbon``) runs a use case on the open workbook (``addin.book.LiveEngine``); its CLI twin here
runs the same use case on a file (``workbook.file_engine.FileEngine``), written to a new output or, in place, after
a backup copy, by an atomic replace. The rules live in ``core.buttons``; this module imports no Excel library.
``today`` is always passed in.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from samarbejde_xl import __version__, schema
from samarbejde_xl.core import buttons
from samarbejde_xl.core.buttons import (
    WorkbookCheck,
    check_for_writing,
    check_parsed,
    refresh_writes,
    validation_writes,
)
from samarbejde_xl.core.errors import ActionError, SamarbejdeError, WorkbookError
from samarbejde_xl.core.meetings import MeetingPlan
from samarbejde_xl.core.parse import parse_workbook
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.sheet_writes import overview_rows
from samarbejde_xl.core.validation import validate_batch
from samarbejde_xl.engine import Engine
from samarbejde_xl.fileio import write_target
from samarbejde_xl.workbook.discover import find_workbooks
from samarbejde_xl.workbook.file_engine import FileEngine
from samarbejde_xl.workbook.reader import read_workbook


def check_workbook(
    path: str | os.PathLike[str],
    *,
    today: date,
    base_settings: Settings = DEFAULT_SETTINGS,
    password: str | None = None,
    detect_formulas: bool = False,
) -> WorkbookCheck:
    read = read_workbook(path, password=password, detect_formulas=detect_formulas)
    return check_parsed(read.data, read.problems, today=today, base_settings=base_settings)


# --------------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    path: Path
    check: WorkbookCheck | None = None
    error: WorkbookError | None = None


@dataclass(frozen=True)
class ValidationRun:
    files: tuple[FileCheck, ...]
    lock_files: tuple[Path, ...] = ()
    batch_problems: tuple[Problem, ...] = ()  # across workbooks (duplicate ids)
    missing: tuple[Path, ...] = ()

    @property
    def problems(self) -> list[Problem]:
        found = [p for f in self.files if f.check for p in f.check.problems]
        return [*found, *self.batch_problems]

    @property
    def unreadable(self) -> list[FileCheck]:
        return [f for f in self.files if f.error is not None]


def validate_paths(
    paths: Sequence[str], *, today: date, base_settings: Settings = DEFAULT_SETTINGS, password: str | None = None
) -> ValidationRun:
    discovery = find_workbooks(tuple(paths))
    files = []
    for path in discovery.workbooks:
        try:
            files.append(
                # Validér also looks for formulas typed into entered cells (formula-in-data).
                FileCheck(
                    path,
                    check_workbook(
                        path, today=today, base_settings=base_settings, password=password, detect_formulas=True
                    ),
                )
            )
        except WorkbookError as error:
            files.append(FileCheck(path, error=error))
    batch = validate_batch([f.check.data for f in files if f.check is not None])
    return ValidationRun(tuple(files), discovery.lock_files, tuple(batch), discovery.missing)


# --------------------------------------------------------------------------------------------------
# plan
# --------------------------------------------------------------------------------------------------


def plan_workbook(
    path: str | os.PathLike[str],
    *,
    today: date,
    case_id: str | None = None,
    password: str | None = None,
    base_settings: Settings = DEFAULT_SETTINGS,
) -> list[MeetingPlan]:
    check = check_workbook(path, today=today, password=password, base_settings=base_settings)
    if case_id is None:
        return [check.plans[case.sheet] for case in check.data.cases]
    return [check.plans[check.case(case_id).sheet]]


# --------------------------------------------------------------------------------------------------
# The buttons: read → compute in the core → apply through an engine (a file or the open workbook)
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# The buttons' CLI twins: the same use case on a file engine, saved to -o OUTPUT or --in-place
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteResult:
    output: Path
    backup: Path | None = None
    problems: tuple[Problem, ...] = ()
    detail: dict[str, object] = field(default_factory=dict)


def _file_engine(
    source: str | os.PathLike[str], output: str | os.PathLike[str] | None, in_place: bool, now: datetime | None
) -> FileEngine:
    """The engine of a writing command; a wrong -o / --in-place choice is refused before anything is read."""
    source_path = Path(source)
    target = write_target(source_path, Path(output) if output is not None else None, in_place)
    return FileEngine(source_path, target, now=now)


def refresh_workbook(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    today: date,
    now: datetime | None = None,
) -> WriteResult:
    """Write the meeting plan, Oversigt, problem marks and the Fejl list (what the ribbon's buttons write)."""
    engine = _file_engine(source, output, in_place, now)
    check = refresh(engine, today=today)
    engine.save()
    return WriteResult(engine.target or engine.source, engine.backup, check.problems)


def new_case(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    today: date,
    case_id: str | None = None,
    now: datetime | None = None,
) -> WriteResult:
    """Add a case sheet (next free id unless given) and refresh the workbook."""
    engine = _file_engine(source, output, in_place, now)
    new = add_case(engine, today=today, case_id=case_id)
    engine.save()
    detail: dict[str, object] = {"case_id": new.case_id, "sheet": new.sheet}
    return WriteResult(engine.target or engine.source, engine.backup, new.check.problems, detail)


def register_meeting(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    case_id: str,
    today: date,
    kind: str | None = None,
    attended: bool | None = None,
    allow_duplicate: bool = False,
    now: datetime | None = None,
) -> WriteResult:
    """Append a Mødetjekliste row for ``case_id`` dated ``today`` (kind prefilled unless given)."""
    engine = _file_engine(source, output, in_place, now)
    registration = record_meeting(
        engine,
        today=today,
        case_id=case_id,
        kind=kind,
        attended=attended,
        allow_duplicate=allow_duplicate,
        allow_hint=", eller registrér igen med --allow-duplicate, hvis der virkelig var to møder samme dag",
    )
    engine.save()
    detail: dict[str, object] = {
        "row": registration.row,
        "kind": registration.kind,
        "attended": registration.attended,
    }
    return WriteResult(engine.target or engine.source, engine.backup, (), detail)


# --------------------------------------------------------------------------------------------------
# overview, diagnose, help
# --------------------------------------------------------------------------------------------------


def overview(path: str | os.PathLike[str], *, today: date, password: str | None = None) -> list[dict[str, object]]:
    check = check_workbook(path, today=today, password=password)
    rows = overview_rows(check.data, check.plans, check.problems, today)
    keys = [column.key for column in schema.OVERVIEW_COLUMNS]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def diagnose(path: str | os.PathLike[str] | None = None) -> list[tuple[str, str]]:
    """Versions and whether a workbook's template version is supported (the ribbon's Diagnose)."""
    try:
        xlwings_version = version("xlwings")
    except PackageNotFoundError:
        xlwings_version = "ikke installeret"
    lines = [
        ("samarbejde-xl", __version__),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("xlwings", xlwings_version),
        ("Skabelonversion (værktøjet)", str(schema.TEMPLATE_VERSION)),
        ("Understøttede skabelonversioner", ", ".join(map(str, schema.SUPPORTED_TEMPLATE_VERSIONS))),
    ]
    if path is not None:
        lines.append(workbook_diagnosis(FileEngine(Path(path))))
    return lines


def workbook_diagnosis(engine: Engine) -> tuple[str, str]:
    """Whether the workbook's template version is supported, or why it cannot be read."""
    try:
        data, _ = parse_workbook(engine.read())
    except SamarbejdeError as error:
        return ("Projektmappen", str(error))
    support = "understøttet" if data.template_version in schema.SUPPORTED_TEMPLATE_VERSIONS else "IKKE understøttet"
    return ("Projektmappens skabelonversion", f"{data.template_version} ({support})")


def guide_text() -> list[str]:
    """What each ribbon button does, as the Vejledning sheet says it."""
    return [f"{button.label}: {button.screentip}" for button in schema.RIBBON_BUTTONS]
