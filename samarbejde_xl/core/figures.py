"""The figures of one period: the result types the aggregation returns and the report writers render.

:class:`Figures` is what :mod:`samarbejde_xl.core.aggregate` computes from the facts (its docstring defines every
figure); :class:`ConsolidationResult` adds what only the run knows (when, which version, the trend from the history,
skipped files), attached by the application layer. Counts are kept beside their shares: what leaves the
organisation is suppressed on counts (:mod:`samarbejde_xl.core.publication`), never rebuilt from rounded shares.
Percentages are floats 0..1, or ``None`` when the denominator is 0 (:func:`share`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from samarbejde_xl.core.breakdowns import Breakdowns
from samarbejde_xl.core.facts import Unreadable
from samarbejde_xl.core.quarter import ReportPeriod

if TYPE_CHECKING:  # core.survey uses share() from here
    from samarbejde_xl.core.survey import SurveyResult


def share(part: int | None, whole: int | None) -> float | None:
    """``part / whole``; ``None`` when the whole is 0, or when either is hidden (``None``: a share of a hidden count
    is hidden)."""
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


@dataclass(frozen=True)
class Counts:
    """Forside headline counts."""

    workbooks_found: int  # .xlsx/.xlsm files found, lock files not included
    workbooks_read: int
    workbooks_unreadable: int
    coordinators: int  # distinct koordinator/guide initials (case-insensitive) on the cases read
    young_people: int  # case sheets read
    active: int
    started: int
    ended: int
    incomplete: int  # cases without birth date / variant / inclusion date: no course, not in figures
    errors: int  # problems of severity "fejl" in the workbooks read
    warnings: int
    workbooks_with_errors: int


@dataclass(frozen=True)
class CaseloadRow:
    """Active / started / ended young people in one group (a variant or an age band)."""

    key: str  # variant code or age band code
    label: str
    active: int
    started: int
    ended: int


@dataclass(frozen=True)
class OutcomeRow:
    code: str  # core.outcomes OUTCOME_CATEGORIES code
    label: str  # Danish
    group: str  # "succes" | "delvis succes" | "ingen succes"
    count: int
    pct: float | None  # of the table's total


@dataclass(frozen=True)
class OutcomeTable:
    """The seven categories (always all seven, in OUTCOME_CATEGORIES order) for one group of young people."""

    key: str  # "all", a variant code or an age band code
    label: str
    total: int  # young people with at least one status registration
    rows: tuple[OutcomeRow, ...]


@dataclass(frozen=True)
class CategoryCount:
    """A value of a dropdown list and how many have it (e.g. current education status)."""

    code: str
    label: str
    count: int
    pct: float | None


@dataclass(frozen=True)
class MilestoneCompliance:
    kind: str  # MEETING_KIND code: start, m16, m17_5, m18_5
    label: str  # Danish
    due: int
    held_in_window: int
    held_late: int
    compliance: float | None  # held_in_window / due


@dataclass(frozen=True)
class Attendance:
    key: str  # "young_person", "adult" or a PROFESSION code
    label: str  # Danish
    present: int
    meetings: int  # denominator (see module docstring)
    rate: float | None


@dataclass(frozen=True)
class MeetingStats:
    held_in_quarter: int
    held_by_kind: tuple[CategoryCount, ...]  # MEETING_KIND codes, all kinds
    milestones_due: int
    milestones_held_in_window: int
    milestones_held_late: int
    compliance: float | None
    m18_5_due: int
    m18_5_held_in_window: int
    m18_5_compliance: float | None
    by_milestone: tuple[MilestoneCompliance, ...]
    required_due: int  # milestones and frequency meetings (follow-up, quarterly) due in the quarter
    required_held_in_window: int
    required_held_late: int
    required_compliance: float | None
    by_required_kind: tuple[MilestoneCompliance, ...]  # REQUIRED_KINDS order
    young_person: Attendance
    adult: Attendance
    professions: tuple[Attendance, ...]  # every PROFESSION code, in list order (meetings may be 0)
    overdue_count: int


class OverdueRow(NamedTuple):
    """Internal list for the leaders who must act. Pseudonymous id only. A named tuple, built in C: a large
    municipality has tens of thousands of rows, and a frozen dataclass sets each field in Python."""

    case_id: str
    file: str  # workbook file name
    coordinator: str  # koordinator/guide initials
    kind: str  # MEETING_KIND code
    kind_label: str  # Danish
    due: date
    window_end: date
    days_overdue: int


@dataclass(frozen=True)
class AgreementStats:
    total: int  # agreements of active young people
    made_in_quarter: int
    not_started: int
    in_progress: int
    met: int
    abandoned: int
    no_status: int
    overdue: int
    young_people_with_current: int  # active young people with an agreement "ikke startet" or "i gang"
    young_people_with_current_pct: float | None  # of active
    made_at_meetings: int  # sum of "Aftaler indgået" on meetings held in the quarter
    followed_up_at_meetings: int  # sum of "Aftaler fulgt op"


@dataclass(frozen=True)
class LifeAreaRow:
    code: str  # LIFE_AREA code
    label: str
    n: int  # young people scored on at least two dates
    first_avg: float | None
    latest_avg: float | None
    improved: float | None  # shares of n
    unchanged: float | None
    worsened: float | None
    improved_count: int  # young people behind the shares (publication suppresses counts, not shares)
    unchanged_count: int
    worsened_count: int


@dataclass(frozen=True)
class InvolvementRow:
    item: str  # schema.INVOLVEMENT_ITEMS code
    label: str  # Danish statement
    counts: tuple[int, int, int, int, int]  # answers 1, 2, 3, 4, 5
    dont_know: int
    answered: int  # sum of counts + dont_know
    mean: float | None  # of the 1..5 answers
    share_4_or_5: float | None  # of the 1..5 answers


@dataclass(frozen=True)
class WorkbookQuality:
    file: str
    template_version: int | None  # None when unreadable
    municipality: str
    young_people: int
    errors: int
    warnings: int
    unreadable: Unreadable | None = None  # None when read
    unreadable_detail: str = ""  # the reader's English message (CLI, logs)

    @property
    def unreadable_reason(self) -> str:
        """Danish, says what to do (for the report); "" when read."""
        return self.unreadable.text if self.unreadable is not None else ""


@dataclass(frozen=True)
class ProblemCount:
    code: str
    title: str  # Danish
    severity: str  # "fejl" | "advarsel"
    count: int


@dataclass(frozen=True)
class KeyFigures:
    """One quarter's headline, stored in the history store (aggregates only) and shown on Udvikling."""

    quarter: str  # "2026Q3"
    label: str  # "3. kvartal 2026"
    workbooks: int
    young_people: int
    active: int
    started: int
    ended: int
    meetings_held: int
    milestone_compliance: float | None
    m18_5_compliance: float | None
    young_person_attendance: float | None
    success_share: float | None  # outcome group "succes" of registered
    partial_share: float | None
    none_share: float | None
    overdue: int
    errors: int
    warnings: int


@dataclass(frozen=True)
class CopyNote:
    """One young person (same id and birth date) in several workbooks: counted once, from ``used``."""

    case_id: str
    used: str  # the file whose copy is counted
    others: tuple[str, ...]  # files whose copy is not counted
    reason: str  # Danish: why ``used`` was chosen


@dataclass(frozen=True)
class Figures:
    """What :func:`~samarbejde_xl.core.aggregate.aggregate` computes from the facts of one period."""

    quarter: ReportPeriod  # .code "2026Q3", .label "3. kvartal 2026", .start, .end (or another period)
    today: date
    as_of: date  # min(today, quarter end)
    municipalities: tuple[str, ...]  # distinct non-empty Kommune values, sorted
    counts: Counts
    caseload_by_variant: tuple[CaseloadRow, ...]  # udsatte, psykisk
    caseload_by_age_band: tuple[CaseloadRow, ...]  # AGE_BANDS (+ other when nonzero)
    outcomes: OutcomeTable
    outcomes_by_variant: tuple[OutcomeTable, ...]
    outcomes_by_age_band: tuple[OutcomeTable, ...]
    outcome_unregistered: int  # active young people without any status registration
    education_status: tuple[CategoryCount, ...]  # current EDUCATION code of registered young people
    job_status: tuple[CategoryCount, ...]  # current JOB code
    programme: int  # registered young people currently in an employment-oriented programme
    consent_valid: int
    consent_valid_pct: float | None  # of active
    meetings: MeetingStats
    overdue: tuple[OverdueRow, ...]  # most days overdue first
    agreements: AgreementStats
    life_areas: tuple[LifeAreaRow, ...]  # LIFE_AREA order
    involvement: tuple[InvolvementRow, ...]  # INVOLVEMENT_ITEMS order
    data_quality: tuple[WorkbookQuality, ...]  # every workbook found, file name order
    top_problems: tuple[ProblemCount, ...]  # most frequent first
    programme_counts_as_job: bool | None = True  # in every workbook read / in none / None: in some only
    survey: SurveyResult | None = None  # Fagpersoners vurdering, when survey files were given
    breakdowns: Breakdowns = Breakdowns()  # outcome and meeting figures by coordinator, department, variant (internal)


@dataclass(frozen=True, kw_only=True)
class ConsolidationResult(Figures):
    """The figures with what the run adds (``samarbejde_xl.consolidation``): when and by which version they were made,
    the trend from the history store, and what was skipped. The one object the report writers consume."""

    generated_at: datetime
    tool_version: str
    trend: tuple[KeyFigures, ...] = ()  # history, oldest first, including this quarter
    skipped_lock_files: tuple[str, ...] = ()
    skipped_reports: tuple[str, ...] = ()  # earlier samarbejde-xl reports found among the workbooks
    copies: tuple[CopyNote, ...] = ()  # young people found in several workbooks, counted once
    skipped_files: tuple[tuple[str, str], ...] = ()  # (file or folder, Danish reason): not read
    settings_source: str = ""  # "" = defaults / each workbook's Indstillinger; else the --settings file
    politicians_file: str = ""  # the politicians' summary written with this report (name, or path elsewhere)

    @classmethod
    def of(cls, figures: Figures, *, generated_at: datetime, tool_version: str, **run: Any) -> ConsolidationResult:
        """``figures`` with the run's metadata (the keyword fields above)."""
        computed = {field.name: getattr(figures, field.name) for field in fields(Figures)}
        return cls(**computed, generated_at=generated_at, tool_version=tool_version, **run)
