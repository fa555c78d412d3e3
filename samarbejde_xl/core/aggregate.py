"""Quarterly figures for the leader group (domain.md §5): per-case facts, then aggregation into one result.

Two steps, both pure:

1. :func:`case_facts` turns one young person (case sheet + Mødetjekliste rows + meeting plan) into a small,
   picklable :class:`CaseFacts`: no names, no free text; only the pseudonymous id (for the internal overdue list)
   and the guide's initials. Worker processes return these instead of cell grids.
2. :func:`aggregate` folds the facts of all workbooks into a :class:`ConsolidationResult`, the one object the
   report writer consumes. Every number is recomputed from entered data; cached formula values are never read.

Definitions (the report's footnotes):

- The period is a quarter by default; a half-year, a year, any dates or a *cohort* (``core.quarter.Period``) are
  measured the same way. A cohort runs from the start of the model to ``today``, so every young person whose course
  has started is active in it, ended or not, with the status at their latest registration; a cohort by inclusion
  year keeps only those included that year (the others count as young people, in no figure).
- *Reference date* ``as_of`` = the earlier of ``today`` and the quarter's last day. Meetings dated after ``as_of``
  are not part of the quarter's figures. Meeting plans are computed on ``today`` (the overdue list is about now).
- A young person is *active in the quarter* when the course (``MeetingPlan.course_start`` up to, not including,
  ``course_end``) overlaps the quarter up to ``as_of``. *Started* = course start in the quarter (up to ``as_of``);
  *ended* = course end in the quarter (up to ``as_of``). A case without a valid birth date, variant or inclusion
  date has no course: it is counted as a young person and as *incomplete*, but in no figure below.
- *Age band* = age on the reference date, or on the last course day when the course ended earlier:
  15–17, 18–20, 21–24 (:data:`AGE_BANDS`); any other or unknown age goes to band ``other`` ("Anden alder").
- *Outcome* (Udfald): active young people with at least one status registration (education / job / programme on
  a Mødetjekliste row dated up to ``as_of``) are sorted into the seven categories of ``core.outcomes``; active
  young people without any registration are counted separately (``outcome_unregistered``), not as "none".
- *Meetings held in the quarter* = Mødetjekliste rows of a known case dated in the quarter up to ``as_of``; a row
  that marks a required meeting not relevant (a reason in "Ikke afholdt – ikke relevant, fordi") is no meeting.
- *Milestones* = start meeting and the age-bound meetings (16, 17½, 18½; per variant). A milestone is *due in
  the quarter* when it applies, its window ends in the quarter, and it has either been held by ``today`` or its
  window has closed (``window_end < today``); a window still open on ``today`` with nothing held is not yet due.
  *Held in window* = plan status "held" ("held_late" is held, but not within the window). Compliance = held in
  window / due. The 18½-year meeting is also reported on its own.
- *Required meetings* = the milestones and the frequency meetings (udsatte's follow-up, psykisk's quarterly
  meetings), due in the quarter like a milestone; a missed one stays overdue in the plan until a later meeting
  holds it (late), so every missed meeting counts once in the quarter its window closed and in the overdue list.
- *Attendance* over meetings held in the quarter: the young person = rows with "ja" / rows with ja or nej;
  den unges voksne = rows with "ja" / rows of young people who have a network person marked as den unges voksne;
  a profession = rows where it was present / rows of young people whose team includes that profession.
- *Overdue list* = planned meetings (milestones, follow-up, quarterly) with status "forfalden" on ``today`` of
  young people whose course has not ended, whose window closed before ``as_of`` (overdue on the reporting day);
  days overdue counted from the window's end to ``as_of``.
- *Agreements* of active young people (case sheet Mål og aftaler rows with a goal, an action or a status): made
  in the quarter = "aftalt på møde" dated in the quarter up to ``as_of``; overdue = deadline before ``as_of`` and
  status neither "nået" nor "opgivet"; status counts over all their agreements.
- *Life areas*: for each active young person and area, the first and the latest score on Mødetjekliste rows dated
  up to ``as_of`` (earliest / latest date; same date: sheet row order). Only young people scored on at least two
  different dates count (``n``); shares improved / unchanged / worsened are over ``n``. Higher is better.
- *Involvement*: the answers on meetings held in the quarter, per item: count of 1..5 and "ved ikke"; blanks
  are not answers.
- *Valid consent* on ``as_of``: a consent given on or before it and not revoked by it; from the 18th birthday it
  must have been given on or after that birthday.
- Percentages are floats 0..1, or ``None`` when the denominator is 0.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple

from samarbejde_xl import schema
from samarbejde_xl.core.breakdowns import Breakdowns, breakdowns, coordinator_department
from samarbejde_xl.core.dates import add_years, age_on
from samarbejde_xl.core.meetings import days_overdue, plan_meetings
from samarbejde_xl.core.model import Agreement, Case, Meeting, WorkbookData
from samarbejde_xl.core.outcomes import (
    GROUP_NONE,
    GROUP_PARTIAL,
    GROUP_SUCCESS,
    OUTCOME_CATEGORIES,
    current_outcome,
    outcome_label,
)
from samarbejde_xl.core.problems import PROBLEM_TYPES, Problem, Severity
from samarbejde_xl.core.quarter import Period, ReportPeriod
from samarbejde_xl.core.settings import ADULT_AGE, DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.survey import SurveyResult

# --------------------------------------------------------------------------------------------------
# The result the report writer consumes (contract with report/writer.py)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeBand:
    code: str
    label: str  # Danish
    low: int  # inclusive age
    high: int  # inclusive age


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("15-17", "15–17 år", 15, 17),
    AgeBand("18-20", "18–20 år", 18, 20),
    AgeBand("21-24", "21–24 år", 21, 24),
)
OTHER_AGE_BAND = AgeBand("other", "Anden alder", 0, 0)
"""Young people whose age is outside 15–24 or unknown; listed only when it has anyone."""


@dataclass(frozen=True)
class Counts:
    """Forside headline counts."""

    workbooks_found: int  # .xlsx/.xlsm files found, lock files not included
    workbooks_read: int
    workbooks_unreadable: int
    lock_files_skipped: int
    guides: int  # distinct coordinator/guide initials (case-insensitive) on the cases read
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


@dataclass(frozen=True)
class OverdueRow:
    """Internal list for the leaders who must act. Pseudonymous id only."""

    case_id: str
    file: str  # workbook file name
    guide: str  # coordinator/guide initials
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
    unreadable_reason: str  # "" when read; else Danish, says what to do (for the report)
    unreadable_code: str = ""  # WorkbookError code: empty, not-xlsx, corrupt, foreign, newer-template, ...
    unreadable_detail: str = ""  # the reader's English message (CLI, logs)


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
class ConsolidationResult:
    quarter: ReportPeriod  # .code "2026Q3", .label "3. kvartal 2026", .start, .end (or another period)
    today: date
    as_of: date  # min(today, quarter end)
    generated_at: datetime
    tool_version: str
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
    trend: tuple[KeyFigures, ...]  # history, oldest first, including this quarter
    skipped_lock_files: tuple[str, ...] = ()
    skipped_reports: tuple[str, ...] = ()  # earlier samarbejde-xl reports found among the workbooks
    copies: tuple[CopyNote, ...] = ()  # young people found in several workbooks, counted once
    skipped_files: tuple[tuple[str, str], ...] = ()  # (file or folder, Danish reason): not read
    settings_source: str = ""  # "" = defaults / each workbook's Indstillinger; else the --settings file
    programme_counts_as_job: bool | None = True  # in every workbook read / in none / None: in some only
    survey: SurveyResult | None = None  # Fagpersoners vurdering, when survey files were given
    breakdowns: Breakdowns = Breakdowns()  # outcome and meeting figures by guide, department, variant (internal)


# --------------------------------------------------------------------------------------------------
# Per-case facts (computed in worker processes; small and picklable)
# --------------------------------------------------------------------------------------------------

MILESTONE_KINDS: tuple[str, ...] = ("start", "m16", "m17_5", "m18_5")
"""Plan kinds that are milestones (compliance); follow-up and quarterly meetings are frequency rules."""
REQUIRED_KINDS: tuple[str, ...] = (*MILESTONE_KINDS, "quarterly", "follow_up")
"""Every plan kind the model requires: the milestones and the frequency meetings (compliance on Møder)."""

# The facts are named tuples, and the two records that come by the hundred per workbook (agreements, life areas)
# plain tuples: a worker builds them for every young person and pickles them back, and the main process unpickles
# them all. Tuples are built and (un)pickled in C; dataclasses cost a Python call per object and field.

AgreementFact = tuple[str | None, bool, bool]
"""(status: GOAL_STATUS code, made in the quarter, overdue) of one agreement."""

LifeAreaFact = tuple[str, int, int]
"""(area: LIFE_AREA code, first score, latest score) of one area, for a young person scored on at least two dates."""


class MeetingFact(NamedTuple):
    """A Mødetjekliste row held in the quarter, without names or free text."""

    kind: str | None
    young_person_present: bool | None
    adult_present: bool | None
    professions_present: frozenset[str]
    involvement: tuple[tuple[str, int | None], ...]  # (item, 1..5 or None = "ved ikke"); blanks left out
    agreements_made: int
    agreements_followed_up: int


class MilestoneFact(NamedTuple):
    """A required meeting (milestone, follow-up or quarterly) due in the quarter."""

    kind: str
    held_in_window: bool
    held_late: bool


class OverdueFact(NamedTuple):
    kind: str
    due: date
    window_end: date
    days_overdue: int


class CaseFacts(NamedTuple):
    case_id: str  # pseudonymous; used only for the internal overdue list and cross-workbook id checks
    sheet: str  # the case sheet's name (the id, made safe for Excel)
    guide: str  # coordinator/guide initials
    variant: str | None
    age_band: str  # AgeBand code
    has_course: bool  # False: birth date, variant or inclusion date missing
    active: bool
    started: bool
    ended: bool
    outcome: str | None  # OUTCOME_CATEGORIES code; None = no status registration
    education: str | None  # current EDUCATION code
    job: str | None  # current JOB code
    programme: bool
    consent_valid: bool
    has_adult: bool  # a network person is marked as den unges voksne
    team: frozenset[str]  # PROFESSION codes on the team
    meetings: tuple[MeetingFact, ...]  # held in the quarter
    milestones: tuple[MilestoneFact, ...]  # required meetings due in the quarter
    overdue: tuple[OverdueFact, ...]  # on the reporting day (as_of), course not ended
    agreements: tuple[AgreementFact, ...]
    life_areas: tuple[LifeAreaFact, ...]
    department: str = ""  # the coordinator/guide's department (core.breakdowns); "" when not given


@dataclass(frozen=True)
class ProblemTally:
    code: str
    title: str
    severity: str
    count: int


@dataclass(frozen=True)
class WorkbookFacts:
    """What a worker returns for one file: facts of its young people and its problem counts."""

    file: str
    template_version: int | None = None
    municipality: str = ""
    cases: tuple[CaseFacts, ...] = ()
    problems: tuple[ProblemTally, ...] = ()
    unreadable_reason: str = ""  # Danish (see unreadable_reason_da); "" when read
    unreadable_code: str = ""
    unreadable_detail: str = ""  # English, from the reader
    programme_counts_as_job: bool = True  # the workbook's rule (labels of the outcome categories)
    identities: tuple[tuple[str, str, str], ...] = ()  # per case: (id, birth date, last meeting), ISO; for copies

    @property
    def errors(self) -> int:
        return sum(tally.count for tally in self.problems if tally.severity == Severity.ERROR.value)

    @property
    def warnings(self) -> int:
        return sum(tally.count for tally in self.problems if tally.severity == Severity.WARNING.value)


def tally_problems(problems: Iterable[Problem]) -> tuple[ProblemTally, ...]:
    """Problems counted by code (sorted by code); titles from the registry."""
    counter: Counter[tuple[str, str]] = Counter((problem.code, problem.severity.value) for problem in problems)
    tallies = []
    for (code, severity), count in sorted(counter.items()):
        kind = PROBLEM_TYPES.get(code)
        tallies.append(ProblemTally(code, kind.title if kind else code, severity, count))
    return tuple(tallies)


def age_band(age: int | None) -> AgeBand:
    for band in AGE_BANDS:
        if age is not None and band.low <= age <= band.high:
            return band
    return OTHER_AGE_BAND


@dataclass(frozen=True)
class _Period:
    """The dates every case is measured against; worked out once per workbook, not per case."""

    start: date  # the quarter's first day
    end: date  # its last day
    as_of: date  # the reference date: the earlier of today and the quarter's end
    today: date
    inclusion_year: int | None = None  # a cohort by inclusion year: only young people included that year

    @classmethod
    def of(cls, quarter: ReportPeriod, today: date) -> _Period:
        year = quarter.cohort_year if isinstance(quarter, Period) else None
        return cls(quarter.start, quarter.end, min(today, quarter.end), today, year)


def _consent_valid(case: Case, as_of: date) -> bool:
    adult_from = add_years(case.birth_date, ADULT_AGE) if case.birth_date is not None else None
    for consent in case.consents:
        if consent.given_on is None or consent.given_on > as_of:
            continue
        if consent.revoked_on is not None and consent.revoked_on <= as_of:
            continue
        if adult_from is not None and as_of >= adult_from and consent.given_on < adult_from:
            continue
        return True
    return False


def _meeting_fact(meeting: Meeting) -> MeetingFact:
    return MeetingFact(
        kind=meeting.kind,
        young_person_present=meeting.young_person_present,
        adult_present=meeting.adult_present,
        professions_present=meeting.professions_present,
        involvement=tuple(sorted(meeting.involvement.items())),
        agreements_made=meeting.agreements_made or 0,
        agreements_followed_up=meeting.agreements_followed_up or 0,
    )


# One instance of equal records: agreement and life-area facts repeat across young people (a few hundred distinct
# values at most), so a worker's pickle holds each once and refers back to it. ``setdefault(record, record)``.
_SHARED_AGREEMENTS: dict[AgreementFact, AgreementFact] = {}
_SHARED_LIFE_AREAS: dict[LifeAreaFact, LifeAreaFact] = {}


def _life_area_fact(area: str, first: int, latest: int) -> LifeAreaFact:
    fact = (area, first, latest)
    return _SHARED_LIFE_AREAS.setdefault(fact, fact)


def _life_area_facts(dated: Sequence[Meeting], areas: Sequence[str]) -> tuple[LifeAreaFact, ...]:
    """``dated`` sorted by (date, row). An area counts when its last scoring date is later than its first."""
    scored = [meeting for meeting in dated if meeting.scores]
    if not scored or scored[0].date == scored[-1].date:
        return ()  # scored on one date at most
    first, latest = scored[0].scores, scored[-1].scores
    if all(meeting.scores.keys() == first.keys() for meeting in scored):
        # The common case: every scoring meeting scores the same areas, so the first and the last meeting hold
        # every area's first and latest score, on different dates.
        return tuple(_life_area_fact(area, first[area], latest[area]) for area in areas if area in first)
    return _mixed_life_area_facts(scored, areas)


def _mixed_life_area_facts(scored: Sequence[Meeting], areas: Sequence[str]) -> tuple[LifeAreaFact, ...]:
    """Meetings that score different areas. Whole score dicts are merged (``dict.update`` runs in C): going forward
    the last merge of an area wins, going backward the first."""
    first: dict[str, int] = {}
    first_date: dict[str, date | None] = {}
    for meeting in reversed(scored):
        first.update(meeting.scores)
        first_date.update(dict.fromkeys(meeting.scores, meeting.date))
    latest: dict[str, int] = {}
    latest_date: dict[str, date | None] = {}
    for meeting in scored:
        latest.update(meeting.scores)
        latest_date.update(dict.fromkeys(meeting.scores, meeting.date))
    return tuple(
        _life_area_fact(area, first[area], latest[area])
        for area in areas
        if area in first and first_date[area] != latest_date[area]
    )


def case_facts(
    case: Case, meetings: Sequence[Meeting], settings: Settings, quarter: ReportPeriod, today: date
) -> CaseFacts:
    """The facts of one young person for ``quarter``. ``meetings``: Mødetjekliste rows (other ids are ignored)."""
    own = [meeting for meeting in meetings if meeting.case_id == case.case_id]
    return _case_facts(case, own, settings, _Period.of(quarter, today))


def _case_facts(case: Case, own: Sequence[Meeting], settings: Settings, period: _Period) -> CaseFacts:
    """``case_facts`` for the meetings ``own`` of this case."""
    quarter_start, quarter_end, as_of, today = period.start, period.end, period.as_of, period.today
    plan = plan_meetings(case, own, settings, today)
    start, end = plan.course_start, plan.course_end
    has_course = start is not None and end is not None and not plan.missing
    active = started = ended = False
    in_cohort = period.inclusion_year is None or (
        case.inclusion_date is not None and case.inclusion_date.year == period.inclusion_year
    )
    if has_course and in_cohort:
        assert start is not None and end is not None
        active = start <= as_of and end >= quarter_start
        started = quarter_start <= start <= as_of
        ended = quarter_start <= end <= as_of
    age: int | None = None
    if case.birth_date is not None:
        reference = as_of if end is None or end > as_of else end - timedelta(days=1)
        age = age_on(case.birth_date, reference)

    dated = sorted(
        (
            meeting
            for meeting in own
            if meeting.date is not None and meeting.date <= as_of and not meeting.marks_not_relevant
        ),
        key=lambda meeting: (meeting.date, meeting.row),
    )
    outcome = current_outcome(dated, settings)
    current, category = outcome if outcome is not None else (None, None)

    in_quarter = [meeting for meeting in dated if meeting.date is not None and meeting.date >= quarter_start]
    milestones = []
    overdue = []
    for planned in plan.meetings:
        if (
            planned.kind in _REQUIRED
            and planned.status != "not_applicable"
            and quarter_start <= planned.window_end <= quarter_end
            and (planned.held is not None or planned.window_end < today)
        ):
            milestones.append(MilestoneFact(planned.kind, planned.status == "held", planned.status == "held_late"))
        # Overdue on the reporting day (the cover's "opgjort pr." date), and days counted to it, not to today.
        if planned.status == "overdue" and not plan.ended and planned.window_end < as_of:
            overdue.append(OverdueFact(planned.kind, planned.due, planned.window_end, days_overdue(planned, as_of)))

    agreements = tuple(_agreement_fact(agreement, quarter_start, as_of) for agreement in case.agreements)
    return CaseFacts(
        case_id=case.case_id,
        sheet=case.case_id if case.sheet == case.case_id else case.sheet,  # one object: pickled once
        guide=sys.intern(case.coordinator.strip()),  # a guide's cases share the string in the pickle
        variant=case.variant,
        age_band=age_band(age).code,
        has_course=has_course,
        active=active,
        started=started,
        ended=ended,
        outcome=category,
        education=current.education if current else None,
        job=current.job if current else None,
        programme=bool(current and current.programme),
        consent_valid=_consent_valid(case, as_of),
        has_adult=any(person.is_adult is True for person in case.network),
        team=frozenset(member.profession for member in case.team if member.profession),
        meetings=tuple(_meeting_fact(meeting) for meeting in in_quarter),
        milestones=tuple(milestones),
        overdue=tuple(overdue),
        agreements=agreements,
        life_areas=_life_area_facts(dated, settings.life_areas),
        department=sys.intern(coordinator_department(case.team)),
    )


_REQUIRED = frozenset(REQUIRED_KINDS)


def _agreement_fact(agreement: Agreement, quarter_start: date, as_of: date) -> AgreementFact:
    status, set_at, deadline = agreement.status, agreement.set_at, agreement.deadline
    made_in_quarter = set_at is not None and quarter_start <= set_at <= as_of
    overdue = deadline is not None and deadline < as_of and status not in _CLOSED_GOALS
    fact = (status, made_in_quarter, overdue)
    return _SHARED_AGREEMENTS.setdefault(fact, fact)


_CLOSED_GOALS = ("met", "abandoned")


def workbook_facts(
    data: WorkbookData, problems: Iterable[Problem], settings: Settings, quarter: ReportPeriod, today: date
) -> WorkbookFacts:
    """Facts of every case of a read workbook, with its problem counts."""
    by_case: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in data.meetings:
        by_case[meeting.case_id].append(meeting)
    period = _Period.of(quarter, today)
    return WorkbookFacts(
        file=data.file,
        template_version=data.template_version,
        municipality=data.municipality.strip(),
        cases=tuple(_case_facts(case, by_case.get(case.case_id, []), settings, period) for case in data.cases),
        problems=tally_problems(problems),
        programme_counts_as_job=settings.programme_counts_as_job,
    )


UNREADABLE_REASONS_DA: dict[str, str] = {
    "empty": "Filen er tom (0 byte). Gendan projektmappen fra en sikkerhedskopi eller en kollegas kopi.",
    "not-xlsx": "Filen er ikke en Excel-projektmappe (.xlsx). Kontrollér, at det er den rigtige fil.",
    "corrupt": "Projektmappen er beskadiget og kan ikke læses. Åbn den i Excel, lad Excel reparere den og gem den "
    "igen, eller gendan den fra en sikkerhedskopi.",
    "foreign": f"Ikke en samarbejde-xl-projektmappe (arket '{schema.SHEET_SETTINGS}' eller skabelonversionen "
    "mangler). Opret arbejdsbøger fra skabelonen, og kontrollér, at det er den rigtige fil.",
    "newer-template": "Projektmappen er lavet med en nyere skabelonversion, end denne samarbejde-xl kender. "
    "Opdatér samarbejde-xl og kør igen.",
    "old-template": "Projektmappen bruger en gammel skabelonversion. Kør 'samarbejde-xl upgrade' på en kopi af filen.",
    "xls": "En gammel Excel 97-2003-fil (.xls). Åbn den i Excel og gem den som Excel-projektmappe (.xlsx).",
    "encrypted": "Projektmappen er beskyttet med adgangskode. Gem en kopi uden adgangskode og kør igen.",
    "wrong-password": "Forkert adgangskode til projektmappen.",
    "ods": "Et OpenDocument-regneark (.ods), ikke en Excel-projektmappe. Gem det som .xlsx og kør igen.",
    "too-large": "Projektmappen er for stor til at blive læst. Fjern billeder eller indsatte data fra den.",
    "not-found": "Filen findes ikke (længere). Kontrollér stien og filnavnet.",
    "report": "En rapport fra samarbejde-xl, ikke en vejleders projektmappe. Gem rapporterne i en anden mappe.",
    "folder": "Stien er en mappe, ikke en projektmappe.",
    "internal": "Uventet fejl i samarbejde-xl under læsningen. Giv besked til den, der driver værktøjet.",
}
"""Danish reasons for the report, by ``WorkbookError.code``; other codes fall back to a general text."""


def unreadable_reason_da(code: str) -> str:
    return UNREADABLE_REASONS_DA.get(code, "Filen kan ikke læses. Kontrollér, at den findes og kan åbnes i Excel.")


def unreadable_facts(file: str, code: str, detail: str) -> WorkbookFacts:
    """A workbook that could not be read: ``code`` is the ``WorkbookError`` code, ``detail`` its English message."""
    return WorkbookFacts(
        file=file, unreadable_reason=unreadable_reason_da(code), unreadable_code=code, unreadable_detail=detail
    )


def with_problems(facts: WorkbookFacts, problems: Iterable[Problem]) -> WorkbookFacts:
    """``facts`` with more problems counted in (e.g. the cross-workbook checks run after all files are read)."""
    added = tally_problems(problems)
    if not added:
        return facts
    totals: Counter[ProblemTally] = Counter()
    for tally in (*facts.problems, *added):
        totals[replace(tally, count=0)] += tally.count
    merged = sorted((replace(key, count=count) for key, count in totals.items()), key=lambda t: (t.code, t.severity))
    return replace(facts, problems=tuple(merged))


# --------------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when whole is 0."""
    return part / whole if whole else None


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


class _Profile(NamedTuple):
    """What the caseload, outcome and status figures need of an active young person."""

    variant: str | None
    age_band: str
    started: bool
    ended: bool
    outcome: str | None
    education: str | None
    job: str | None
    programme: bool
    consent_valid: bool


_Group = list[tuple[_Profile, int]]
"""Distinct profiles and how many active young people have each."""

_PROFILE_OF = attrgetter(*_Profile._fields)


def _profiles(active: Iterable[CaseFacts]) -> _Group:
    """Active young people counted by profile, in one pass in C. The caseload, outcome and status tables then fold
    a few hundred distinct profiles instead of filtering and summing tens of thousands of cases for every figure."""
    return [(_Profile._make(values), count) for values, count in Counter(map(_PROFILE_OF, active)).items()]


def _grouped(profiles: _Group, key: Callable[[_Profile], str | None]) -> dict[str | None, _Group]:
    groups: dict[str | None, _Group] = defaultdict(list)
    for profile, count in profiles:
        groups[key(profile)].append((profile, count))
    return groups


def _total(group: _Group, has: Callable[[_Profile], object] | None = None) -> int:
    """Young people in ``group`` (with ``has``: whose profile has it)."""
    return sum(count for profile, count in group if has is None or has(profile))


def _value_counts(group: _Group, value: Callable[[_Profile], str | None]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for profile, count in group:
        code = value(profile)
        if code is not None:
            counts[code] += count
    return counts


def _outcome_table(key: str, label: str, group: _Group, settings: Settings = DEFAULT_SETTINGS) -> OutcomeTable:
    counts = _value_counts(group, attrgetter("outcome"))
    registered = counts.total()
    rows = tuple(
        OutcomeRow(
            category.code,
            outcome_label(category.code, settings),
            category.group,
            counts[category.code],
            share(counts[category.code], registered),
        )
        for category in OUTCOME_CATEGORIES
    )
    return OutcomeTable(key, label, registered, rows)


def programme_rule(workbooks: Iterable[WorkbookFacts]) -> bool | None:
    """Whether an employment-directed programme counts as job in every workbook read (True, also for none read),
    in none (False), or in some only (None)."""
    rules = {facts.programme_counts_as_job for facts in workbooks if not facts.unreadable_reason} or {True}
    return rules.pop() if len(rules) == 1 else None


def outcome_labels(rule: bool | None) -> dict[str, str]:
    """The outcome categories' labels for a report under ``rule`` (mixed rules: the default's, which name
    programmes; the report says which workbooks differ)."""
    settings = replace(DEFAULT_SETTINGS, programme_counts_as_job=rule is not False)
    return {category.code: outcome_label(category.code, settings) for category in OUTCOME_CATEGORIES}


def _caseload_row(key: str, label: str, group: _Group) -> CaseloadRow:
    return CaseloadRow(
        key, label, _total(group), _total(group, attrgetter("started")), _total(group, attrgetter("ended"))
    )


def _bands_present(profiles: _Group) -> tuple[AgeBand, ...]:
    if any(profile.age_band == OTHER_AGE_BAND.code for profile, _ in profiles):
        return (*AGE_BANDS, OTHER_AGE_BAND)
    return AGE_BANDS


def _category_counts(choice: schema.Choice, counts: Counter[str]) -> tuple[CategoryCount, ...]:
    known = counts.total()
    return tuple(CategoryCount(code, label, counts[code], share(counts[code], known)) for code, label in choice.values)


def _meeting_stats(active: Sequence[CaseFacts]) -> MeetingStats:
    held = [meeting for case in active for meeting in case.meetings]
    kinds = Counter(meeting.kind for meeting in held if meeting.kind is not None)
    by_kind = tuple(
        CategoryCount(code, label, kinds[code], share(kinds[code], len(held)))
        for code, label in schema.MEETING_KIND.values
    )
    required = [fact for case in active for fact in case.milestones]
    milestones = [fact for fact in required if fact.kind in MILESTONE_KINDS]
    by_required_kind = []
    for kind in REQUIRED_KINDS:
        of_kind = [fact for fact in required if fact.kind == kind]
        in_window = sum(fact.held_in_window for fact in of_kind)
        by_required_kind.append(
            MilestoneCompliance(
                kind,
                schema.MEETING_KIND.label_of(kind),
                len(of_kind),
                in_window,
                sum(fact.held_late for fact in of_kind),
                share(in_window, len(of_kind)),
            )
        )
    by_milestone = [row for row in by_required_kind if row.kind in MILESTONE_KINDS]
    m18_5 = next(row for row in by_milestone if row.kind == "m18_5")
    in_window_total = sum(milestone.held_in_window for milestone in milestones)
    required_in_window = sum(fact.held_in_window for fact in required)

    recorded = [meeting for meeting in held if meeting.young_person_present is not None]
    present = sum(meeting.young_person_present is True for meeting in recorded)
    young_person = Attendance("young_person", "Den unge", present, len(recorded), share(present, len(recorded)))
    adult_meetings = [meeting for case in active if case.has_adult for meeting in case.meetings]
    adult_present = sum(meeting.adult_present is True for meeting in adult_meetings)
    adult = Attendance(
        "adult", "Den unges voksne", adult_present, len(adult_meetings), share(adult_present, len(adult_meetings))
    )
    eligible: Counter[str] = Counter()  # meetings of young people with the profession on their team
    came: Counter[str] = Counter()
    for case in active:
        if case.meetings:
            for code in case.team:
                eligible[code] += len(case.meetings)
            for meeting in case.meetings:
                came.update(meeting.professions_present & case.team)
    professions = [
        Attendance(code, label, came[code], eligible[code], share(came[code], eligible[code]))
        for code, label in schema.PROFESSION.values
    ]
    return MeetingStats(
        held_in_quarter=len(held),
        held_by_kind=by_kind,
        milestones_due=len(milestones),
        milestones_held_in_window=in_window_total,
        milestones_held_late=sum(milestone.held_late for milestone in milestones),
        compliance=share(in_window_total, len(milestones)),
        m18_5_due=m18_5.due,
        m18_5_held_in_window=m18_5.held_in_window,
        m18_5_compliance=m18_5.compliance,
        by_milestone=tuple(by_milestone),
        required_due=len(required),
        required_held_in_window=required_in_window,
        required_held_late=sum(fact.held_late for fact in required),
        required_compliance=share(required_in_window, len(required)),
        by_required_kind=tuple(by_required_kind),
        young_person=young_person,
        adult=adult,
        professions=tuple(professions),
        overdue_count=0,  # filled in by aggregate()
    )


def _agreement_stats(active: Sequence[CaseFacts]) -> AgreementStats:
    statuses: Counter[str | None] = Counter()
    made = overdue = with_current = made_at_meetings = followed_up = 0
    for case in active:
        current = False
        for status, made_in_quarter, is_overdue in case.agreements:
            statuses[status] += 1
            made += made_in_quarter
            overdue += is_overdue
            current = current or status in ("not_started", "in_progress")
        with_current += current
        for meeting in case.meetings:
            made_at_meetings += meeting.agreements_made
            followed_up += meeting.agreements_followed_up
    return AgreementStats(
        total=sum(statuses.values()),
        made_in_quarter=made,
        not_started=statuses["not_started"],
        in_progress=statuses["in_progress"],
        met=statuses["met"],
        abandoned=statuses["abandoned"],
        no_status=statuses[None],
        overdue=overdue,
        young_people_with_current=with_current,
        young_people_with_current_pct=share(with_current, len(active)),
        made_at_meetings=made_at_meetings,
        followed_up_at_meetings=followed_up,
    )


def _life_area_rows(active: Sequence[CaseFacts]) -> tuple[LifeAreaRow, ...]:
    # One pass over all facts (a large municipality has 100,000+): per area [n, first sum, latest sum, up, same, down].
    totals: dict[str, list[int]] = {code: [0, 0, 0, 0, 0, 0] for code in schema.LIFE_AREA.codes}
    for case in active:
        for area, first, latest in case.life_areas:
            total = totals[area]
            total[0] += 1
            total[1] += first
            total[2] += latest
            total[3 if latest > first else 5 if latest < first else 4] += 1
    rows = []
    for code, label in schema.LIFE_AREA.values:
        n, first, latest, up, same, down = totals[code]
        rows.append(
            LifeAreaRow(
                code,
                label,
                n,
                share(first, n),
                share(latest, n),
                share(up, n),
                share(same, n),
                share(down, n),
            )
        )
    return tuple(rows)


def _involvement_rows(active: Sequence[CaseFacts]) -> tuple[InvolvementRow, ...]:
    answers: dict[str, list[int | None]] = defaultdict(list)
    for case in active:
        for meeting in case.meetings:
            for item, answer in meeting.involvement:
                answers[item].append(answer)
    rows = []
    for item, label in schema.INVOLVEMENT_ITEMS:
        given = answers.get(item, [])
        scores = [answer for answer in given if answer is not None]
        counts = (
            scores.count(1),
            scores.count(2),
            scores.count(3),
            scores.count(4),
            scores.count(5),
        )
        rows.append(
            InvolvementRow(
                item,
                label,
                counts,
                len(given) - len(scores),
                len(given),
                _mean(scores),
                share(counts[3] + counts[4], len(scores)),
            )
        )
    return tuple(rows)


def key_figures(result: ConsolidationResult) -> KeyFigures:
    """This quarter's headline for the history store."""
    groups = Counter[str]()
    for row in result.outcomes.rows:
        groups[row.group] += row.count
    total = result.outcomes.total
    return KeyFigures(
        quarter=result.quarter.code,
        label=result.quarter.label,
        workbooks=result.counts.workbooks_read,
        young_people=result.counts.young_people,
        active=result.counts.active,
        started=result.counts.started,
        ended=result.counts.ended,
        meetings_held=result.meetings.held_in_quarter,
        milestone_compliance=result.meetings.compliance,
        m18_5_compliance=result.meetings.m18_5_compliance,
        young_person_attendance=result.meetings.young_person.rate,
        success_share=share(groups[GROUP_SUCCESS], total),
        partial_share=share(groups[GROUP_PARTIAL], total),
        none_share=share(groups[GROUP_NONE], total),
        overdue=len(result.overdue),
        errors=result.counts.errors,
        warnings=result.counts.warnings,
    )


def aggregate(
    workbooks: Sequence[WorkbookFacts],
    *,
    quarter: ReportPeriod,
    today: date,
    generated_at: datetime,
    tool_version: str,
    history: Sequence[KeyFigures] = (),
    lock_files: Sequence[str] = (),
    skipped_reports: Sequence[str] = (),
    settings_source: str = "",
) -> ConsolidationResult:
    """Fold the facts of all workbooks into the report's figures. ``history``: earlier quarters' key figures
    (this quarter's entry, if any, is replaced by the new one in ``result.trend``)."""
    workbooks = sorted(workbooks, key=lambda facts: facts.file)
    read = [facts for facts in workbooks if not facts.unreadable_reason]
    cases = [case for facts in read for case in facts.cases]
    active = [case for case in cases if case.active]

    overdue_rows = sorted(
        (
            OverdueRow(
                case.case_id,
                facts.file,
                case.guide,
                item.kind,
                schema.MEETING_KIND.label_of(item.kind),
                item.due,
                item.window_end,
                item.days_overdue,
            )
            for facts in read
            for case in facts.cases
            for item in case.overdue
        ),
        key=lambda row: (-row.days_overdue, row.file, row.case_id, row.due),
    )

    problem_totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for facts in read:
        for tally in facts.problems:
            problem_totals[(tally.code, tally.title, tally.severity)] += tally.count
    top_problems = tuple(
        ProblemCount(code, title, severity, count)
        for (code, title, severity), count in sorted(problem_totals.items(), key=lambda item: (-item[1], item[0]))
    )

    variants = [(code, label) for code, label in schema.VARIANT.values]
    profiles = _profiles(active)
    registered = [(profile, count) for profile, count in profiles if profile.outcome is not None]
    bands = _bands_present(profiles)
    by_variant = _grouped(profiles, attrgetter("variant"))  # started and ended young people are active too
    by_band = _grouped(profiles, attrgetter("age_band"))
    meetings = _meeting_stats(active)
    meetings = replace(meetings, overdue_count=len(overdue_rows))

    counts = Counts(
        workbooks_found=len(workbooks),
        workbooks_read=len(read),
        workbooks_unreadable=len(workbooks) - len(read),
        lock_files_skipped=len(lock_files),
        guides=len({case.guide.casefold() for case in cases if case.guide}),
        young_people=len(cases),
        active=len(active),
        started=_total(profiles, attrgetter("started")),
        ended=_total(profiles, attrgetter("ended")),
        incomplete=sum(not case.has_course for case in cases),
        errors=sum(facts.errors for facts in read),
        warnings=sum(facts.warnings for facts in read),
        workbooks_with_errors=sum(facts.errors > 0 for facts in read),
    )
    consent_valid = _total(profiles, attrgetter("consent_valid"))
    programme_as_job = programme_rule(read)
    labels = replace(DEFAULT_SETTINGS, programme_counts_as_job=programme_as_job is not False)
    result = ConsolidationResult(
        quarter=quarter,
        today=today,
        as_of=min(today, quarter.end),
        generated_at=generated_at,
        tool_version=tool_version,
        municipalities=tuple(sorted({facts.municipality for facts in read if facts.municipality})),
        counts=counts,
        caseload_by_variant=tuple(_caseload_row(code, label, by_variant.get(code, [])) for code, label in variants),
        caseload_by_age_band=tuple(_caseload_row(band.code, band.label, by_band.get(band.code, [])) for band in bands),
        outcomes=_outcome_table("all", "Alle", profiles, labels),
        outcomes_by_variant=tuple(
            _outcome_table(code, label, by_variant.get(code, []), labels) for code, label in variants
        ),
        outcomes_by_age_band=tuple(
            _outcome_table(band.code, band.label, by_band.get(band.code, []), labels) for band in bands
        ),
        outcome_unregistered=len(active) - _total(registered),
        education_status=_category_counts(schema.EDUCATION, _value_counts(registered, attrgetter("education"))),
        job_status=_category_counts(schema.JOB, _value_counts(registered, attrgetter("job"))),
        programme=_total(registered, attrgetter("programme")),
        consent_valid=consent_valid,
        consent_valid_pct=share(consent_valid, len(active)),
        meetings=meetings,
        overdue=tuple(overdue_rows),
        agreements=_agreement_stats(active),
        life_areas=_life_area_rows(active),
        involvement=_involvement_rows(active),
        data_quality=tuple(
            WorkbookQuality(
                facts.file,
                facts.template_version,
                facts.municipality,
                len(facts.cases),
                facts.errors,
                facts.warnings,
                facts.unreadable_reason,
                facts.unreadable_code,
                facts.unreadable_detail,
            )
            for facts in workbooks
        ),
        top_problems=top_problems,
        trend=(),
        skipped_lock_files=tuple(lock_files),
        skipped_reports=tuple(skipped_reports),
        settings_source=settings_source,
        programme_counts_as_job=programme_as_job,
        breakdowns=breakdowns(cases),
    )
    current = key_figures(result)
    trend = sorted(
        [figures for figures in history if figures.quarter != current.quarter] + [current],
        key=lambda figures: figures.quarter,
    )
    return replace(result, trend=tuple(trend))
