"""Per-case and per-workbook facts: what a worker process extracts from one workbook and sends back.

:func:`workbook_facts` turns a read and checked workbook into a small, picklable :class:`WorkbookFacts`: for each
young person (case sheet + Mødetjekliste rows + meeting plan) a :class:`CaseFacts` with no names and no free text,
only the pseudonymous id (for the internal overdue list) and the coordinator's initials; and the workbook's problem
counts. Workers return these instead of cell grids, the facts cache stores them, and
:mod:`samarbejde_xl.core.aggregate` folds them into the figures (its docstring defines what each fact means).

How they travel between processes: the facts are named tuples, and the two records that come by the hundred per
workbook (agreements, life areas) plain tuples, built and (un)pickled in C. Equal records of one workbook are one
object (``_Shared``, made per call: the core keeps no state between calls), so its pickle holds each once.

A file that could not be read is a :class:`WorkbookFacts` with an :class:`Unreadable` reason.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from operator import attrgetter
from typing import NamedTuple

from samarbejde_xl import schema
from samarbejde_xl.core.breakdowns import coordinator_department
from samarbejde_xl.core.dates import add_years, age_on
from samarbejde_xl.core.meetings import PlanRows, plan_rows, row_days_overdue
from samarbejde_xl.core.model import Agreement, Case, Meeting, WorkbookData
from samarbejde_xl.core.outcomes import current_outcome
from samarbejde_xl.core.problems import PROBLEM_TYPES, Problem, Severity
from samarbejde_xl.core.quarter import Period, ReportPeriod
from samarbejde_xl.core.settings import ADULT_AGE, Settings
from samarbejde_xl.core.validation import CLOSED_AGREEMENT_STATUSES

MILESTONE_KINDS: tuple[str, ...] = ("start", "m16", "m17_5", "m18_5")
"""Plan kinds that are milestones (compliance); follow-up and quarterly meetings are frequency rules."""
REQUIRED_KINDS: tuple[str, ...] = (*MILESTONE_KINDS, "quarterly", "follow_up")
"""Every plan kind the model requires: the milestones and the frequency meetings (compliance on Møder)."""

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
    coordinator: str  # koordinator/guide initials (Case.coordinator)
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
    unreadable: Unreadable | None = None  # None when read
    unreadable_detail: str = ""  # English, from the reader
    programme_counts_as_job: bool = True  # the workbook's rule (labels of the outcome categories)
    identities: tuple[tuple[str, str, str], ...] = ()  # per case: (id, birth date, last meeting), ISO; for copies

    @property
    def unreadable_reason(self) -> str:
        """Danish, says what to do; "" when read."""
        return self.unreadable.text if self.unreadable is not None else ""

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
        if not consent.in_force_on(as_of):
            continue
        assert consent.given_on is not None
        if adult_from is not None and as_of >= adult_from and consent.given_on < adult_from:
            continue
        return True
    return False


def _meeting_fact(meeting: Meeting) -> MeetingFact:
    return MeetingFact(  # positional: a named tuple's keyword arguments cost a call of their own
        meeting.kind,
        meeting.young_person_present,
        meeting.adult_present,
        meeting.professions_present,
        tuple(sorted(meeting.involvement.items())),
        meeting.agreements_made or 0,
        meeting.agreements_followed_up or 0,
    )


@dataclass(frozen=True)
class _Shared:
    """One instance of equal records within one workbook's facts: agreement and life-area facts and coordinator initials
    repeat across its young people (a few hundred distinct values at most), and pickle memoises by identity, so the
    pickle a worker sends (and the facts cache stores) holds each once. ``setdefault(record, record)``. Made per
    workbook: the core keeps no state between calls."""

    agreements: dict[AgreementFact, AgreementFact] = field(default_factory=dict)
    life_areas: dict[LifeAreaFact, LifeAreaFact] = field(default_factory=dict)
    coordinators: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)

    def life_area(self, area: str, first: int, latest: int) -> LifeAreaFact:
        fact = (area, first, latest)
        return self.life_areas.setdefault(fact, fact)


def _life_area_facts(dated: Sequence[Meeting], areas: Sequence[str], shared: _Shared) -> tuple[LifeAreaFact, ...]:
    """``dated`` sorted by (date, row). An area counts when its last scoring date is later than its first."""
    scored = [meeting for meeting in dated if meeting.scores]
    if not scored or scored[0].date == scored[-1].date:
        return ()  # scored on one date at most
    first, latest = scored[0].scores, scored[-1].scores
    first_areas = tuple(first)
    if not all([tuple(meeting.scores) == first_areas for meeting in scored]):
        return _mixed_life_area_facts(scored, areas, shared)
    # The common case: every scoring meeting scores the same areas (in the same order), so the first and the last
    # meeting hold every area's first and latest score, on different dates. ``_Shared.life_area`` without a call
    # per area.
    one = shared.life_areas.setdefault
    if first_areas == areas:  # every area, in the settings' order: the scores line up with the areas
        facts = list(zip(areas, first.values(), latest.values(), strict=True))
    else:
        facts = [(area, first[area], latest[area]) for area in areas if area in first]
    return tuple(map(one, facts, facts))


def _mixed_life_area_facts(
    scored: Sequence[Meeting], areas: Sequence[str], shared: _Shared
) -> tuple[LifeAreaFact, ...]:
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
        shared.life_area(area, first[area], latest[area])
        for area in areas
        if area in first and first_date[area] != latest_date[area]
    )


_BY_DATE_AND_ROW = attrgetter("date", "row")


def case_facts(
    case: Case, meetings: Sequence[Meeting], settings: Settings, quarter: ReportPeriod, today: date
) -> CaseFacts:
    """The facts of one young person for ``quarter``. ``meetings``: Mødetjekliste rows (other ids are ignored)."""
    own = [meeting for meeting in meetings if meeting.case_id == case.case_id]
    return _case_facts(case, own, settings, _Period.of(quarter, today), _Shared())


class _Course(NamedTuple):
    """Where a young person's course lies against the period."""

    has_course: bool
    active: bool
    started: bool
    ended: bool
    age: int | None  # on the reference date, or on the last course day when the course ended earlier


_ONE_DAY = timedelta(days=1)


def _course(case: Case, plan: PlanRows, period: _Period) -> _Course:
    start, end, as_of = plan.course_start, plan.course_end, period.as_of
    has_course = start is not None and end is not None and not plan.missing
    active = started = ended = False
    in_cohort = period.inclusion_year is None or (
        case.inclusion_date is not None and case.inclusion_date.year == period.inclusion_year
    )
    if has_course and in_cohort:
        assert start is not None and end is not None
        active = start <= as_of and end >= period.start
        started = period.start <= start <= as_of
        ended = period.start <= end <= as_of
    age: int | None = None
    if case.birth_date is not None:
        reference = as_of if end is None or end > as_of else end - _ONE_DAY
        age = age_on(case.birth_date, reference)
    return _Course(has_course, active, started, ended, age)


def _required_meetings(plan: PlanRows, period: _Period) -> tuple[tuple[MilestoneFact, ...], tuple[OverdueFact, ...]]:
    """The required meetings due in the period, and the meetings overdue on ``today`` (course not ended)."""
    milestones = []
    overdue = []
    start, end, today, as_of = period.start, period.end, period.today, period.as_of
    for kind, due, _, window_end, status, held, _ in plan.rows:
        if (
            kind in _REQUIRED
            and status != "not_applicable"
            and start <= window_end <= end
            and (held is not None or window_end < today)
        ):
            milestones.append(MilestoneFact(kind, status == "held", status == "held_late"))
        # Overdue on the reporting day (the cover's "opgjort pr." date), and days counted to it, not to today.
        if status == "overdue" and not plan.ended and window_end < as_of:
            overdue.append(OverdueFact(kind, due, window_end, row_days_overdue(status, held, window_end, as_of)))
    return tuple(milestones), tuple(overdue)


def _case_facts(case: Case, own: Sequence[Meeting], settings: Settings, period: _Period, shared: _Shared) -> CaseFacts:
    """``case_facts`` for the meetings ``own`` of this case."""
    as_of = period.as_of
    plan = plan_rows(case, own, settings, period.today)
    course = _course(case, plan, period)
    dated = [
        meeting
        for meeting in own
        # not_relevant_reason rather than the marks_not_relevant property: no call per meeting
        if meeting.date is not None and meeting.date <= as_of and not meeting.not_relevant_reason
    ]
    dated.sort(key=_BY_DATE_AND_ROW)
    outcome = current_outcome(dated, settings)
    in_quarter = [meeting for meeting in dated if meeting.date is not None and meeting.date >= period.start]
    milestones, overdue = _required_meetings(plan, period)
    coordinator = case.coordinator.strip()
    department = coordinator_department(case.team)
    return CaseFacts(
        case_id=case.case_id,
        sheet=case.case_id if case.sheet == case.case_id else case.sheet,  # one object: pickled once
        coordinator=shared.coordinators.setdefault(coordinator, coordinator),  # one string per coordinator
        variant=case.variant,
        age_band=age_band(course.age).code,
        has_course=course.has_course,
        active=course.active,
        started=course.started,
        ended=course.ended,
        outcome=outcome.category if outcome else None,
        education=outcome.education if outcome else None,
        job=outcome.job if outcome else None,
        programme=bool(outcome and outcome.programme),
        consent_valid=_consent_valid(case, as_of),
        # Lists, not generators, in any() and frozenset(): cheaper for the few people of a case.
        has_adult=any([person.is_adult is True for person in case.network]),
        team=frozenset([member.profession for member in case.team if member.profession]),
        meetings=tuple([_meeting_fact(meeting) for meeting in in_quarter]),
        milestones=milestones,
        overdue=overdue,
        agreements=_agreement_facts(case.agreements, period, shared),
        life_areas=_life_area_facts(dated, settings.life_areas, shared),
        department=shared.departments.setdefault(department, department),
    )


_REQUIRED = frozenset(REQUIRED_KINDS)


def _agreement_facts(agreements: Iterable[Agreement], period: _Period, shared: _Shared) -> tuple[AgreementFact, ...]:
    start, as_of, one = period.start, period.as_of, shared.agreements.setdefault
    facts = []
    for agreement in agreements:
        status, set_at, deadline = agreement.status, agreement.set_at, agreement.deadline
        made_in_quarter = set_at is not None and start <= set_at <= as_of
        overdue = deadline is not None and deadline < as_of and status not in CLOSED_AGREEMENT_STATUSES
        fact = (status, made_in_quarter, overdue)
        facts.append(one(fact, fact))
    return tuple(facts)


def workbook_facts(
    data: WorkbookData, problems: Iterable[Problem], settings: Settings, quarter: ReportPeriod, today: date
) -> WorkbookFacts:
    """Facts of every case of a read workbook, with its problem counts."""
    by_case: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in data.meetings:
        by_case[meeting.case_id].append(meeting)
    period = _Period.of(quarter, today)
    shared = _Shared()
    return WorkbookFacts(
        file=data.file,
        template_version=data.template_version,
        municipality=data.municipality.strip(),
        cases=tuple(_case_facts(case, by_case.get(case.case_id, []), settings, period, shared) for case in data.cases),
        problems=tally_problems(problems),
        programme_counts_as_job=settings.programme_counts_as_job,
    )


class Unreadable(Enum):
    """Why a file found among the workbooks was not read; each reason carries its Danish text for the report, which
    says what to do. The values are the reader's ``WorkbookError.code`` values (:meth:`of`)."""

    EMPTY = ("empty", "Filen er tom (0 byte). Gendan projektmappen fra en sikkerhedskopi eller en kollegas kopi.")
    NOT_XLSX = ("not-xlsx", "Filen er ikke en Excel-projektmappe (.xlsx). Kontrollér, at det er den rigtige fil.")
    CORRUPT = (
        "corrupt",
        "Projektmappen er beskadiget og kan ikke læses. Åbn den i Excel, lad Excel reparere den og gem den igen, "
        "eller gendan den fra en sikkerhedskopi.",
    )
    FOREIGN = (
        "foreign",
        f"Ikke en samarbejde-xl-projektmappe (arket '{schema.SHEET_SETTINGS}' eller skabelonversionen mangler). "
        "Opret arbejdsbøger fra skabelonen, og kontrollér, at det er den rigtige fil.",
    )
    NEWER_TEMPLATE = (
        "newer-template",
        "Projektmappen er lavet med en nyere skabelonversion, end denne samarbejde-xl kender. "
        "Opdatér samarbejde-xl og kør igen.",
    )
    OLD_TEMPLATE = (
        "old-template",
        "Projektmappen bruger en gammel skabelonversion. Kør 'samarbejde-xl upgrade' på en kopi af filen.",
    )
    XLS = ("xls", "En gammel Excel 97-2003-fil (.xls). Åbn den i Excel og gem den som Excel-projektmappe (.xlsx).")
    ENCRYPTED = ("encrypted", "Projektmappen er beskyttet med adgangskode. Gem en kopi uden adgangskode og kør igen.")
    WRONG_PASSWORD = ("wrong-password", "Forkert adgangskode til projektmappen.")
    ODS = ("ods", "Et OpenDocument-regneark (.ods), ikke en Excel-projektmappe. Gem det som .xlsx og kør igen.")
    TOO_LARGE = (
        "too-large",
        "Projektmappen er for stor til at blive læst. Fjern billeder eller indsatte data fra den.",
    )
    NOT_FOUND = ("not-found", "Filen findes ikke (længere). Kontrollér stien og filnavnet.")
    REPORT = (
        "report",
        "En rapport fra samarbejde-xl, ikke en vejleders projektmappe. Gem rapporterne i en anden mappe.",
    )
    FOLDER = ("folder", "Stien er en mappe, ikke en projektmappe.")
    INTERNAL = ("internal", "Uventet fejl i samarbejde-xl under læsningen. Giv besked til den, der driver værktøjet.")
    TOO_SLOW = (
        "too-slow",
        "Filen kunne ikke læses inden for tidsgrænsen og er sprunget over. Åbn den i Excel, slet tomme rækker og "
        "kolonner langt fra dataene, gem og kør igen.",
    )
    WORKER_DIED = (
        "worker-died",
        "Filen fik læseren til at stoppe (for meget hukommelse eller en beskadiget fil) og er sprunget over. Åbn den "
        "i Excel, gem den igen som .xlsx og kør igen.",
    )
    OTHER = ("other", "Filen kan ikke læses. Kontrollér, at den findes og kan åbnes i Excel.")

    def __init__(self, code: str, text: str) -> None:
        self.code = code
        self.text = text  # Danish

    @classmethod
    def of(cls, code: str) -> Unreadable:
        """The reason for a ``WorkbookError.code``; a code without its own text is :attr:`OTHER`."""
        return next((reason for reason in cls if reason.code == code), cls.OTHER)


def unreadable_facts(file: str, reason: Unreadable, detail: str) -> WorkbookFacts:
    """A workbook that could not be read; ``detail`` is the reader's English message."""
    return WorkbookFacts(file=file, unreadable=reason, unreadable_detail=detail)


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
