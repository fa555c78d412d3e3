"""Use cases shared by the CLI and the ribbon: each ribbon button has a twin here that works on a file.

Reading goes through the fast reader; files are changed only by writing a new output (or, in place, after a backup
copy, by an atomic replace). ``today`` is always passed in.
"""

from __future__ import annotations

import io
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from samarbejde_xl import __version__, schema
from samarbejde_xl.core.check import check_data
from samarbejde_xl.core.errors import SamarbejdeError, WorkbookError
from samarbejde_xl.core.meetings import MeetingPlan, plan_meetings
from samarbejde_xl.core.migrate import require_current_layout
from samarbejde_xl.core.model import Case, WorkbookData
from samarbejde_xl.core.problems import Problem
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.sheet_writes import overview_rows, workbook_writes
from samarbejde_xl.core.validation import validate_batch
from samarbejde_xl.fileio import atomic_output, backup_copy
from samarbejde_xl.workbook.discover import find_workbooks
from samarbejde_xl.workbook.reader import ReadResult, read_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook

# openpyxl (and the numpy it brings, ~0.3 s) is imported only by the actions that write a workbook: validate, plan
# and the ribbon's checks start without it (issue 17).


class ActionError(SamarbejdeError):
    """A use case that cannot go ahead (unknown id, output equals input …); the message says what to do."""


@dataclass(frozen=True)
class WorkbookCheck:
    """A workbook read, checked and planned: what validate, plan, refresh and the ribbon all start from."""

    data: WorkbookData
    settings: Settings
    problems: tuple[Problem, ...]
    plans: dict[str, MeetingPlan]  # by case sheet name


def check_read_result(read: ReadResult, *, today: date, base_settings: Settings = DEFAULT_SETTINGS) -> WorkbookCheck:
    settings, problems = check_data(read.data, read.problems, base_settings, today)
    plans = {
        case.sheet: plan_meetings(case, read.data.meetings_for(case.case_id), settings, today)
        for case in read.data.cases
    }
    return WorkbookCheck(read.data, settings, tuple(problems), plans)


def check_workbook(
    path: str | os.PathLike[str],
    *,
    today: date,
    base_settings: Settings = DEFAULT_SETTINGS,
    password: str | None = None,
    detect_formulas: bool = False,
) -> WorkbookCheck:
    read = read_workbook(path, password=password, detect_formulas=detect_formulas)
    return check_read_result(read, today=today, base_settings=base_settings)


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
    plans = [check.plans[case.sheet] for case in check.data.cases]
    if case_id is None:
        return plans
    chosen = [plan for plan in plans if plan.case_id == case_id]
    if not chosen:
        known = ", ".join(plan.case_id for plan in plans) or "none"
        raise ActionError(f"{path}: no young person with id {case_id!r} (ids in this workbook: {known})")
    return chosen


# --------------------------------------------------------------------------------------------------
# Writing actions: refresh, new case, register meeting
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteResult:
    output: Path
    backup: Path | None = None
    problems: tuple[Problem, ...] = ()
    detail: dict[str, object] = field(default_factory=dict)


def _check_output(source: Path, target: Path) -> None:
    if target.exists() and target.resolve() == source.resolve():
        raise ActionError(f"{target}: the output would overwrite the input; use --in-place to change the file itself")


def _load_for_update(path: Path) -> Workbook:
    """openpyxl's full model of ``path``, to write a changed copy. The fast reader has read the file already; what
    openpyxl still refuses (defusedxml forbids entity declarations, which calamine ignores) becomes a
    ``WorkbookError`` for that file. The bytes are read first, so a failed load leaves no open file behind."""
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    data = path.read_bytes()
    try:
        return load_workbook(io.BytesIO(data))
    except Exception as error:  # openpyxl raises assorted errors on unusual packages
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise WorkbookError(
                str(path),
                "it contains an XML document type declaration (DTD) with entities, which Excel never writes; "
                "it is not opened for writing",
                "Open it in Excel and save it again as .xlsx (and check where the file came from)",
                code="unsafe-xml",
            ) from error
        summary = " ".join(str(error).split())[:200] or type(error).__name__
        raise WorkbookError(
            str(path),
            f"the workbook could not be opened for writing ({type(error).__name__}: {summary})",
            "Open it in Excel, save it again as .xlsx and run again",
            code="corrupt",
        ) from error


def _refreshed(source: Path, today: date) -> tuple[WorkbookCheck, Workbook]:
    """``source`` checked and loaded for writing, with the refresh applied in memory."""
    from samarbejde_xl.workbook.apply import apply_writes

    check = check_workbook(source, today=today)
    require_current_layout(check.data)
    workbook = _load_for_update(source)
    apply_writes(workbook, workbook_writes(check.data, check.plans, check.problems, check.settings, today))
    return check, workbook


def _write_target(source: Path, output: Path | None, in_place: bool) -> Path:
    """Where the changed workbook goes; a usage error before anything is read."""
    if in_place == (output is not None):
        raise ActionError("give exactly one of -o OUTPUT or --in-place")
    if in_place:
        return source
    assert output is not None
    _check_output(source, output)
    return output


def _backup_before_writing(source: Path, in_place: bool, now: datetime | None) -> Path | None:
    """The backup of an --in-place write, made only once the change is ready: a refused or failed action leaves
    no backup behind."""
    return backup_copy(source, now or datetime.now()) if in_place else None


def refresh_workbook(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    today: date,
    now: datetime | None = None,
) -> WriteResult:
    """Write the meeting plan, Oversigt, problem marks and the Fejl list (what the ribbon's buttons write)."""
    from samarbejde_xl.workbook.save import save_workbook

    source_path = Path(source)
    target = _write_target(source_path, Path(output) if output else None, in_place)
    check, workbook = _refreshed(source_path, today)
    backup = _backup_before_writing(source_path, in_place, now)
    save_workbook(workbook, target)
    return WriteResult(target, backup, check.problems)


def next_case_id(cases: Sequence[Case]) -> str:
    """The next free pseudonymous id U-NNNN after the highest in ``cases``."""
    numbers = [int(case.case_id[2:]) for case in cases if case.case_id[:2] == "U-" and case.case_id[2:].isdigit()]
    return f"U-{max(numbers, default=0) + 1:04d}"


def new_case(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    today: date,
    case_id: str | None = None,
    now: datetime | None = None,
) -> WriteResult:
    """Add a case sheet (next free id unless given) and refresh Oversigt."""
    from samarbejde_xl.workbook.save import save_workbook
    from samarbejde_xl.workbook.template import add_case_sheet

    source_path = Path(source)
    target = _write_target(source_path, Path(output) if output else None, in_place)
    data = read_workbook(source_path).data
    require_current_layout(data)
    new_id = case_id or next_case_id(data.cases)
    if any(case.case_id == new_id for case in data.cases):
        raise ActionError(f"{source_path}: a case with id {new_id!r} already exists")
    workbook = _load_for_update(source_path)
    try:
        add_case_sheet(workbook, new_id)
    except ValueError as error:
        raise ActionError(f"{source_path}: {error}") from error
    with atomic_output(target) as staged:
        save_workbook(workbook, staged)
        check, refreshed = _refreshed(staged, today)
        save_workbook(refreshed, staged)
        backup = _backup_before_writing(source_path, in_place, now)
    return WriteResult(target, backup, check.problems, {"case_id": new_id, "sheet": schema.case_sheet_name(new_id)})


def register_meeting(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    *,
    in_place: bool = False,
    case_id: str,
    today: date,
    now: datetime | None = None,
) -> WriteResult:
    """Append a Mødetjekliste row for ``case_id``, prefilled with today's date and the meeting that is due."""
    from samarbejde_xl.workbook.apply import append_checklist_row
    from samarbejde_xl.workbook.save import save_workbook

    source_path = Path(source)
    target = _write_target(source_path, Path(output) if output else None, in_place)
    check = check_workbook(source_path, today=today)
    require_current_layout(check.data)
    case = next((c for c in check.data.cases if c.case_id == case_id), None)
    if case is None:
        known = ", ".join(c.case_id for c in check.data.cases) or "none"
        raise ActionError(f"{source_path}: no young person with id {case_id!r} (ids in this workbook: {known})")
    next_due = check.plans[case.sheet].next_due
    kind = next_due.kind if next_due is not None else "extra"
    workbook = _load_for_update(source_path)
    row = append_checklist_row(
        workbook, {"case_id": case_id, "date": today, "kind": schema.MEETING_KIND.label_of(kind)}
    )
    backup = _backup_before_writing(source_path, in_place, now)
    save_workbook(workbook, target)
    return WriteResult(target, backup, (), {"row": row, "kind": kind})


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
    from importlib.metadata import PackageNotFoundError, version

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
        try:
            data = read_workbook(path).data
            lines.append(("Projektmappens skabelonversion", f"{data.template_version} (understøttet)"))
        except WorkbookError as error:
            lines.append(("Projektmappen", str(error)))
    return lines


def guide_text() -> list[str]:
    """What each ribbon button does, as the Vejledning sheet says it."""
    return [f"{button.label}: {button.screentip}" for button in schema.RIBBON_BUTTONS]
