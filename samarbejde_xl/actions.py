"""The commands on case workbooks: validate, plan, overview, and the CLI twins of the ribbon buttons.

Each twin runs its button's use case (``use_cases``: read → compute in the core → apply) on a file engine
(``workbook.file_engine.FileEngine``) and saves to a new output or, in place, after a backup copy, by an atomic
replace; the ribbon runs the same use case on the open workbook. This module imports no Excel library.
``today`` is always passed in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from samarbejde_xl import schema, use_cases
from samarbejde_xl.core.buttons import (
    WorkbookCheck,
    check_parsed,
)
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.core.meetings import MeetingPlan
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.sheet_writes import overview_rows
from samarbejde_xl.core.validation import validate_batch
from samarbejde_xl.fileio import locked_when_in_place, write_target
from samarbejde_xl.workbook.discover import find_workbooks
from samarbejde_xl.workbook.reader import read_workbook

if TYPE_CHECKING:
    from samarbejde_xl.workbook.file_engine import FileEngine

# The file engine (lxml, msoffcrypto: ~0.25 s) is imported only by the commands that write or inspect a file with
# it, so validate, plan and overview start without it (issue 17).


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
    skipped: tuple[tuple[Path, str], ...] = ()  # hidden files, backups, special files, link loops (Danish reason)
    unreadable_folders: tuple[tuple[Path, str], ...] = ()

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
    return ValidationRun(
        tuple(files),
        discovery.lock_files,
        tuple(batch),
        discovery.missing,
        discovery.skipped,
        discovery.unreadable_folders,
    )


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
# The buttons' CLI twins: the same use case on a file engine, saved to -o OUTPUT or --in-place
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteResult:
    output: Path
    backup: Path | None = None
    problems: tuple[Problem, ...] = ()
    detail: dict[str, object] = field(default_factory=dict)


def _file_engine(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None,
    in_place: bool,
    now: datetime | None,
    password: str | None,
) -> FileEngine:
    """The engine of a writing command; a wrong -o / --in-place choice is refused before anything is read."""
    from samarbejde_xl.workbook.file_engine import FileEngine

    source_path = Path(source)
    target = write_target(source_path, Path(output) if output is not None else None, in_place)
    return FileEngine(source_path, target, now=now, password=password)


@locked_when_in_place
def refresh_workbook(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    today: date,
    now: datetime | None = None,
    password: str | None = None,
) -> WriteResult:
    """Write the meeting plan, Oversigt, problem marks and the Fejl list (what the ribbon's buttons write)."""
    engine = _file_engine(source, output, in_place, now, password)
    check = use_cases.refresh(engine, today=today)
    engine.save()
    return WriteResult(engine.target or engine.source, engine.backup, check.problems)


@locked_when_in_place
def new_case(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    today: date,
    case_id: str | None = None,
    now: datetime | None = None,
    password: str | None = None,
) -> WriteResult:
    """Add a case sheet (next free id unless given) and refresh the workbook."""
    engine = _file_engine(source, output, in_place, now, password)
    new = use_cases.add_case(engine, today=today, case_id=case_id)
    engine.save()
    detail: dict[str, object] = {"case_id": new.case_id, "sheet": new.sheet}
    return WriteResult(engine.target or engine.source, engine.backup, new.check.problems, detail)


@locked_when_in_place
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
    password: str | None = None,
) -> WriteResult:
    """Append a Mødetjekliste row for ``case_id`` dated ``today`` (kind prefilled unless given)."""
    engine = _file_engine(source, output, in_place, now, password)
    registration = use_cases.record_meeting(
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
        "case_id": registration.case_id,  # as its case sheet spells it
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
    lines = use_cases.versions()
    if path is not None:
        from samarbejde_xl.workbook.file_engine import FileEngine

        lines.append(use_cases.workbook_diagnosis(FileEngine(Path(path))))
    return lines


def guide_text() -> list[str]:
    """What each ribbon button does, as the Vejledning sheet says it."""
    return [f"{button.label}: {button.screentip}" for button in schema.RIBBON_BUTTONS]
