"""Quarterly figures for the leader group (domain.md §5): facts + period -> figures.

:func:`aggregate` folds the facts of all workbooks (:mod:`samarbejde_xl.core.facts`, one record per young person)
into :class:`~samarbejde_xl.core.figures.Figures`. Every number is recomputed from entered data; cached formula
values are never read. What only the run knows (when, which version, the trend from the history store, skipped
files) is attached by the application layer (``samarbejde_xl.consolidation``); what may leave the organisation is
decided in :mod:`samarbejde_xl.core.publication`.

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

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from itertools import chain, compress
from operator import attrgetter
from typing import NamedTuple

from samarbejde_xl import schema
from samarbejde_xl.core.breakdowns import breakdowns
from samarbejde_xl.core.facts import (
    AGE_BANDS,
    MILESTONE_KINDS,
    OTHER_AGE_BAND,
    REQUIRED_KINDS,
    AgeBand,
    CaseFacts,
    MeetingFact,
    WorkbookFacts,
)
from samarbejde_xl.core.figures import (
    AgreementStats,
    Attendance,
    CaseloadRow,
    CategoryCount,
    Counts,
    Figures,
    InvolvementRow,
    KeyFigures,
    LifeAreaRow,
    MeetingStats,
    MilestoneCompliance,
    OutcomeRow,
    OutcomeTable,
    OverdueRow,
    ProblemCount,
    WorkbookQuality,
    share,
)
from samarbejde_xl.core.outcomes import GROUP_NONE, GROUP_PARTIAL, GROUP_SUCCESS, OUTCOME_CATEGORIES, outcome_label
from samarbejde_xl.core.quarter import ReportPeriod
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings
from samarbejde_xl.core.validation import CLOSED_AGREEMENT_STATUSES


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
    rules = {facts.programme_counts_as_job for facts in workbooks if facts.unreadable is None} or {True}
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


def _by_required_kind(active: Sequence[CaseFacts]) -> tuple[MilestoneCompliance, ...]:
    """Compliance of every required kind (REQUIRED_KINDS order): due, held in window, held late. The facts are
    counted in C first: there are only a few distinct ones."""
    facts = Counter(chain.from_iterable(case.milestones for case in active))
    due: Counter[str] = Counter()
    in_window: Counter[str] = Counter()
    late: Counter[str] = Counter()
    for (kind, held_in_window, held_late), count in facts.items():
        due[kind] += count
        in_window[kind] += held_in_window * count
        late[kind] += held_late * count
    return tuple(
        MilestoneCompliance(
            kind,
            schema.MEETING_KIND.label_of(kind),
            due[kind],
            in_window[kind],
            late[kind],
            share(in_window[kind], due[kind]),
        )
        for kind in REQUIRED_KINDS
    )


def _attendance(
    active: Sequence[CaseFacts], held: Sequence[MeetingFact]
) -> tuple[Attendance, Attendance, tuple[Attendance, ...]]:
    """The young person, den unges voksne and every profession (PROFESSION order) over the meetings ``held``. The
    answers are counted in C first."""
    answers = Counter(map(attrgetter("young_person_present"), held))
    present, recorded = answers[True], len(held) - answers[None]
    young_person = Attendance("young_person", "Den unge", present, recorded, share(present, recorded))
    adult_answers = Counter(
        map(attrgetter("adult_present"), chain.from_iterable(case.meetings for case in active if case.has_adult))
    )
    adult_present, adult_meetings = adult_answers[True], adult_answers.total()
    adult = Attendance("adult", "Den unges voksne", adult_present, adult_meetings, share(adult_present, adult_meetings))
    # Meetings by (team, professions present): a thousand or so distinct pairs, counted in C.
    pairs = Counter((case.team, meeting.professions_present) for case in active for meeting in case.meetings)
    eligible: Counter[str] = Counter()  # meetings of young people with the profession on their team
    came: Counter[str] = Counter()
    for (team, attended), meetings in pairs.items():
        for code in team:
            eligible[code] += meetings
        for code in team & attended:
            came[code] += meetings
    professions = tuple(
        Attendance(code, label, came[code], eligible[code], share(came[code], eligible[code]))
        for code, label in schema.PROFESSION.values
    )
    return young_person, adult, professions


def _meeting_stats(active: Sequence[CaseFacts], held: Sequence[MeetingFact], overdue_count: int) -> MeetingStats:
    kinds = Counter(meeting.kind for meeting in held if meeting.kind is not None)
    by_kind = tuple(
        CategoryCount(code, label, kinds[code], share(kinds[code], len(held)))
        for code, label in schema.MEETING_KIND.values
    )
    by_required_kind = _by_required_kind(active)
    by_milestone = tuple(row for row in by_required_kind if row.kind in MILESTONE_KINDS)
    m18_5 = next(row for row in by_milestone if row.kind == "m18_5")
    milestones_due = sum(row.due for row in by_milestone)
    milestones_in_window = sum(row.held_in_window for row in by_milestone)
    required_due = sum(row.due for row in by_required_kind)
    required_in_window = sum(row.held_in_window for row in by_required_kind)
    young_person, adult, professions = _attendance(active, held)
    return MeetingStats(
        held_in_quarter=len(held),
        held_by_kind=by_kind,
        milestones_due=milestones_due,
        milestones_held_in_window=milestones_in_window,
        milestones_held_late=sum(row.held_late for row in by_milestone),
        compliance=share(milestones_in_window, milestones_due),
        m18_5_due=m18_5.due,
        m18_5_held_in_window=m18_5.held_in_window,
        m18_5_compliance=m18_5.compliance,
        by_milestone=by_milestone,
        required_due=required_due,
        required_held_in_window=required_in_window,
        required_held_late=sum(row.held_late for row in by_required_kind),
        required_compliance=share(required_in_window, required_due),
        by_required_kind=by_required_kind,
        young_person=young_person,
        adult=adult,
        professions=professions,
        overdue_count=overdue_count,
    )


def _agreement_stats(active: Sequence[CaseFacts], held: Sequence[MeetingFact]) -> AgreementStats:
    """The agreements of ``active`` and those made and followed up at the meetings ``held``. The agreement facts
    are counted in C first: there are only a few distinct ones."""
    facts = Counter(chain.from_iterable(case.agreements for case in active))
    statuses: Counter[str | None] = Counter()
    made = overdue = 0
    for (status, made_in_quarter, is_overdue), count in facts.items():
        statuses[status] += count
        made += made_in_quarter * count
        overdue += is_overdue * count
    current = {fact for fact in facts if fact[0] is not None and fact[0] not in CLOSED_AGREEMENT_STATUSES}
    with_current = [current.isdisjoint(case.agreements) for case in active].count(False)
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
        made_at_meetings=sum(map(attrgetter("agreements_made"), held)),
        followed_up_at_meetings=sum(map(attrgetter("agreements_followed_up"), held)),
    )


def _life_area_rows(active: Sequence[CaseFacts]) -> tuple[LifeAreaRow, ...]:
    # A large municipality has 100,000+ facts but a few hundred distinct ones: count those in C, then add up per
    # area [n, first sum, latest sum, up, same, down].
    totals: dict[str, list[int]] = {code: [0, 0, 0, 0, 0, 0] for code in schema.LIFE_AREA.codes}
    for (area, first, latest), count in Counter(chain.from_iterable(case.life_areas for case in active)).items():
        total = totals[area]
        total[0] += count
        total[1] += first * count
        total[2] += latest * count
        total[3 if latest > first else 5 if latest < first else 4] += count
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
                improved_count=up,
                unchanged_count=same,
                worsened_count=down,
            )
        )
    return tuple(rows)


def _involvement_rows(held: Sequence[MeetingFact]) -> tuple[InvolvementRow, ...]:
    """Per item over the meetings ``held``; the (item, answer) pairs are counted in C first."""
    answers = Counter(chain.from_iterable(meeting.involvement for meeting in held))
    given: Counter[str] = Counter()
    dont_know: Counter[str] = Counter()
    score_sum: Counter[str] = Counter()
    for (item, answer), count in answers.items():
        given[item] += count
        if answer is None:
            dont_know[item] += count
        else:
            score_sum[item] += answer * count
    rows = []
    for item, label in schema.INVOLVEMENT_ITEMS:
        scored = given[item] - dont_know[item]
        counts = (answers[(item, 1)], answers[(item, 2)], answers[(item, 3)], answers[(item, 4)], answers[(item, 5)])
        rows.append(
            InvolvementRow(
                item,
                label,
                counts,
                dont_know[item],
                given[item],
                score_sum[item] / scored if scored else None,
                share(counts[3] + counts[4], scored),
            )
        )
    return tuple(rows)


def key_figures(figures: Figures) -> KeyFigures:
    """The period's headline for the history store."""
    groups = Counter[str]()
    for row in figures.outcomes.rows:
        groups[row.group] += row.count
    total = figures.outcomes.total
    return KeyFigures(
        quarter=figures.quarter.code,
        label=figures.quarter.label,
        workbooks=figures.counts.workbooks_read,
        young_people=figures.counts.young_people,
        active=figures.counts.active,
        started=figures.counts.started,
        ended=figures.counts.ended,
        meetings_held=figures.meetings.held_in_quarter,
        milestone_compliance=figures.meetings.compliance,
        m18_5_compliance=figures.meetings.m18_5_compliance,
        young_person_attendance=figures.meetings.young_person.rate,
        success_share=share(groups[GROUP_SUCCESS], total),
        partial_share=share(groups[GROUP_PARTIAL], total),
        none_share=share(groups[GROUP_NONE], total),
        overdue=len(figures.overdue),
        errors=figures.counts.errors,
        warnings=figures.counts.warnings,
    )


def _overdue_rows(read: Sequence[WorkbookFacts]) -> tuple[OverdueRow, ...]:
    """Most days overdue first, then by file, young person and due date."""
    found = [(facts.file, case, item) for facts in read for case in facts.cases for item in case.overdue]
    labels = {kind: schema.MEETING_KIND.label_of(kind) for kind in {item.kind for _, _, item in found}}
    rows = [
        OverdueRow(case.case_id, file, case.coordinator, kind, labels[kind], due, window_end, days_overdue)
        for file, case, (kind, due, window_end, days_overdue) in found
    ]
    # Two sorts with keys taken in C: the rows come by file, so the first is nearly done already, and the second
    # keeps that order among rows with the same days (a reverse sort is stable too).
    rows.sort(key=attrgetter("file", "case_id", "due"))
    rows.sort(key=attrgetter("days_overdue"), reverse=True)
    return tuple(rows)


def _top_problems(read: Sequence[WorkbookFacts]) -> tuple[ProblemCount, ...]:
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for facts in read:
        for tally in facts.problems:
            totals[(tally.code, tally.title, tally.severity)] += tally.count
    return tuple(
        ProblemCount(code, title, severity, count)
        for (code, title, severity), count in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    )


def _counts(
    workbooks: Sequence[WorkbookFacts], read: Sequence[WorkbookFacts], cases: Sequence[CaseFacts], profiles: _Group
) -> Counts:
    errors = [facts.errors for facts in read]
    spellings = {case.coordinator for case in cases}  # a workbook's cases share one string per coordinator
    return Counts(
        workbooks_found=len(workbooks),
        workbooks_read=len(read),
        workbooks_unreadable=len(workbooks) - len(read),
        coordinators=len({spelling.casefold() for spelling in spellings if spelling}),
        young_people=len(cases),
        active=_total(profiles),
        started=_total(profiles, attrgetter("started")),
        ended=_total(profiles, attrgetter("ended")),
        incomplete=[case.has_course for case in cases].count(False),
        errors=sum(errors),
        warnings=sum(facts.warnings for facts in read),
        workbooks_with_errors=sum(count > 0 for count in errors),
    )


def _data_quality(workbooks: Sequence[WorkbookFacts]) -> tuple[WorkbookQuality, ...]:
    return tuple(
        WorkbookQuality(
            facts.file,
            facts.template_version,
            facts.municipality,
            len(facts.cases),
            facts.errors,
            facts.warnings,
            facts.unreadable,
            facts.unreadable_detail,
        )
        for facts in workbooks
    )


class _Groups(NamedTuple):
    """The active young people's profiles, by variant and by age band (started and ended young people are active)."""

    profiles: _Group
    by_variant: dict[str | None, _Group]
    by_band: dict[str | None, _Group]
    bands: tuple[AgeBand, ...]  # the bands shown

    @classmethod
    def of(cls, active: Iterable[CaseFacts]) -> _Groups:
        profiles = _profiles(active)
        return cls(
            profiles,
            _grouped(profiles, attrgetter("variant")),
            _grouped(profiles, attrgetter("age_band")),
            _bands_present(profiles),
        )

    def caseload(self) -> tuple[tuple[CaseloadRow, ...], tuple[CaseloadRow, ...]]:
        """By variant, by age band."""
        return (
            tuple(_caseload_row(code, label, self.by_variant.get(code, [])) for code, label in schema.VARIANT.values),
            tuple(_caseload_row(band.code, band.label, self.by_band.get(band.code, [])) for band in self.bands),
        )

    def outcomes(self, labels: Settings) -> tuple[OutcomeTable, tuple[OutcomeTable, ...], tuple[OutcomeTable, ...]]:
        """All, by variant, by age band."""
        return (
            _outcome_table("all", "Alle", self.profiles, labels),
            tuple(
                _outcome_table(code, label, self.by_variant.get(code, []), labels)
                for code, label in schema.VARIANT.values
            ),
            tuple(
                _outcome_table(band.code, band.label, self.by_band.get(band.code, []), labels) for band in self.bands
            ),
        )


def aggregate(workbooks: Sequence[WorkbookFacts], *, quarter: ReportPeriod, today: date) -> Figures:
    """Fold the facts of all workbooks (read or not) into the figures of ``quarter`` on ``today``."""
    workbooks = sorted(workbooks, key=lambda facts: facts.file)
    read = [facts for facts in workbooks if facts.unreadable is None]
    cases = list(chain.from_iterable(map(attrgetter("cases"), read)))
    active = list(compress(cases, map(attrgetter("active"), cases)))
    held = list(chain.from_iterable(case.meetings for case in active))  # meetings held in the period
    groups = _Groups.of(active)
    registered = [(profile, count) for profile, count in groups.profiles if profile.outcome is not None]
    overdue = _overdue_rows(read)
    programme_as_job = programme_rule(read)
    caseload_by_variant, caseload_by_age_band = groups.caseload()
    outcomes, outcomes_by_variant, outcomes_by_age_band = groups.outcomes(
        replace(DEFAULT_SETTINGS, programme_counts_as_job=programme_as_job is not False)
    )
    consent_valid = _total(groups.profiles, attrgetter("consent_valid"))
    return Figures(
        quarter=quarter,
        today=today,
        as_of=min(today, quarter.end),
        municipalities=tuple(sorted({facts.municipality for facts in read if facts.municipality})),
        counts=_counts(workbooks, read, cases, groups.profiles),
        caseload_by_variant=caseload_by_variant,
        caseload_by_age_band=caseload_by_age_band,
        outcomes=outcomes,
        outcomes_by_variant=outcomes_by_variant,
        outcomes_by_age_band=outcomes_by_age_band,
        outcome_unregistered=len(active) - _total(registered),
        education_status=_category_counts(schema.EDUCATION, _value_counts(registered, attrgetter("education"))),
        job_status=_category_counts(schema.JOB, _value_counts(registered, attrgetter("job"))),
        programme=_total(registered, attrgetter("programme")),
        consent_valid=consent_valid,
        consent_valid_pct=share(consent_valid, len(active)),
        meetings=_meeting_stats(active, held, len(overdue)),
        overdue=overdue,
        agreements=_agreement_stats(active, held),
        life_areas=_life_area_rows(active),
        involvement=_involvement_rows(held),
        data_quality=_data_quality(workbooks),
        top_problems=_top_problems(read),
        programme_counts_as_job=programme_as_job,
        breakdowns=breakdowns(cases),
    )
