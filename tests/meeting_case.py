"""One young person whose 17½ meeting window contains the registration day while older meetings are overdue: the
workbook the registration tests (CLI and ribbon) start from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from samarbejde_xl import schema
from samarbejde_xl.core.model import Case, Meeting, WorkbookData
from samarbejde_xl.workbook.data_writer import write_workbook

DAY = date(2026, 10, 1)
"""The registration day: the 17½th birthday of the young person below (the last day of that window)."""
CASE = Case(
    sheet="U-0001",
    case_id="U-0001",
    initials="AB",
    birth_date=date(2009, 4, 1),
    variant="udsatte",
    inclusion_date=date(2025, 1, 6),
    coordinator="KK",
)
OTHER = Case(
    sheet="U-0002",
    case_id="U-0002",
    initials="CD",
    birth_date=date(2010, 2, 1),
    variant="psykisk",
    inclusion_date=date(2026, 9, 1),
    coordinator="KK",
)
# The start meeting and the meeting at 16 were never held (both overdue on DAY); U-0002 had its start meeting.
MEETINGS = (Meeting(row=2, case_id="U-0002", date=date(2026, 9, 3), kind="start", young_person_present=True),)


def write_meeting_case(path: Path, choice: dict[str, str] | None = None) -> Path:
    """The workbook at ``path``; ``choice`` fills the case sheet's Registrér møde choice cells (field key -> text)."""
    fields = schema.CASE_FIELDS_BY_KEY
    overrides = {(CASE.sheet, fields[key].cell): value for key, value in (choice or {}).items()}
    data = WorkbookData(
        file=path.name, template_version=schema.TEMPLATE_VERSION, cases=(CASE, OTHER), meetings=MEETINGS
    )
    write_workbook(data, path, cell_overrides=overrides, today=DAY)
    return path
