"""Validation rules beyond a single cell: dates that cannot be, ages outside the variant, duplicate ids, meetings
for unknown cases, missing team members, consent and agreements.

Reading (``core/parse.py``) already reports every cell it cannot understand and leaves that value ``None``;
the rules here skip ``None`` values, so one mistake is reported once. Every rule has a stable code registered
in ``core/problems.py`` (see :data:`RULES`), a severity, a logical place (a field, a block's row and column, a
Mødetjekliste cell: ``schema.Place``; the file's own layout turns it into a cell where it is shown) and a Danish
message that says what to do. The rules see the current layout only.

Choices made where the model is silent:
- a meeting before the inclusion is a warning (preparatory meetings happen), before the birth an error;
- ``udsatte`` inclusion before the 15th birthday is a warning (the course simply starts on the birthday),
  ``psykisk`` inclusion under the minimum inclusion age an error;
- a case reaches its end age on the birthday itself (the course ends that day);
- an agreement is overdue when its deadline is before today, its status is neither "nået" nor "opgivet" and it
  has not been followed up on or after the deadline (a deadline of today is not overdue);
- consent not renewed after 18 is a warning (an earlier consent given by the young person still exists), no
  valid consent at all once meetings are held an error; a consent given on the 18th birthday counts as renewed;
- rules about what must happen next (start meeting, agreements, consent renewal) skip closed cases: cases whose
  end date is on or before today.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from samarbejde_xl import schema
from samarbejde_xl.core.dates import add_years, age_on
from samarbejde_xl.core.errors import SettingsError
from samarbejde_xl.core.model import Agreement, Case, Meeting, WorkbookData, case_id_key
from samarbejde_xl.core.problems import (
    PROBLEM_TYPES,
    VALIDATION_CODES,
    Problem,
    ProblemType,
    Severity,
    make_problem,
)
from samarbejde_xl.core.settings import (
    Settings,
    course_end,
    setting_label,
    settings_from,
    variant_end_age,
    variant_start_age,
)
from samarbejde_xl.schema import Place

RULES: tuple[ProblemType, ...] = tuple(PROBLEM_TYPES[code] for code in VALIDATION_CODES)
"""The validation rules: code, severity, Danish title and message template (registered in core/problems.py)."""

ADULT_AGE = 18
"""New consent is needed from this birthday on."""

CLOSED_AGREEMENT_STATUSES = frozenset({"met", "abandoned"})  # GOAL_STATUS codes: "nået", "opgivet"

_TEAM = schema.CASE_BLOCKS_BY_KEY["team"]
_NETWORK = schema.CASE_BLOCKS_BY_KEY["network"]
_CONSENT = schema.CASE_BLOCKS_BY_KEY["consent"]
_AGREEMENTS = schema.CASE_BLOCKS_BY_KEY["agreements"]
_CASE_ID = schema.field_place("case_id")
# Places the per-case rules name, made once: a place is a frozen value.
_INCLUSION_DATE = schema.field_place("inclusion_date")
_END_DATE = schema.field_place("end_date")
_TEAM_PROFESSION = schema.block_place(_TEAM.key, 0, "profession")
_NETWORK_IS_ADULT = schema.block_place(_NETWORK.key, 0, "is_adult")
_CONSENT_GIVEN_ON = schema.block_place(_CONSENT.key, 0, "given_on")

_COORDINATOR_ROLE = MappingProxyType({"udsatte": "koordinatoren", "psykisk": "guiden"})
_NETWORK_ROLE = MappingProxyType({"udsatte": "den unges voksne", "psykisk": "en netværksperson"})
_AGREEMENT_GOAL_SHOWN = 40


def format_date(value: date) -> str:
    """Dates in messages: dd-mm-åååå."""
    return value.strftime("%d-%m-%Y")


# --------------------------------------------------------------------------------------------------
# Settings from the Indstillinger sheet
# --------------------------------------------------------------------------------------------------


def workbook_settings(data: WorkbookData, base: Settings) -> tuple[Settings, list[Problem]]:
    """The workbook's Indstillinger overrides applied to ``base``.

    A bad value becomes a ``setting-invalid`` problem at its Indstillinger value cell and is left out, so the
    other overrides still apply; when a problem cannot be pinned to one override the base settings are used.
    """
    overrides = dict(data.settings)
    problems: list[Problem] = []
    while True:
        try:
            return settings_from(overrides, base=base, source=data.file), problems
        except SettingsError as error:
            problems.append(
                make_problem(
                    "setting-invalid",
                    file=data.file,
                    sheet=schema.SHEET_SETTINGS,
                    place=schema.setting_place(error.key),
                    template_version=data.template_version,
                    label=getattr(error, "label", "") or setting_label(error.key),
                    reason=getattr(error, "reason", "") or "ugyldig værdi",
                )
            )
            if error.key not in overrides:
                return base, problems
            del overrides[error.key]


# --------------------------------------------------------------------------------------------------
# One workbook
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    file: str
    template_version: int
    settings: Settings
    today: date
    flagged: Collection[tuple[str, Place]]

    def problem(self, code: str, sheet: str, place: Place, case_id: str, **params: object) -> Problem:
        return make_problem(
            code,
            file=self.file,
            sheet=sheet,
            place=place,
            case_id=case_id,
            template_version=self.template_version,
            case=case_id,
            checklist=schema.SHEET_CHECKLIST,
            **params,
        )

    def at_case(self, code: str, case: Case, place: Place, **params: object) -> Problem:
        return self.problem(code, case.sheet, place, case.case_id, **params)


def validate_workbook(
    data: WorkbookData,
    settings: Settings,
    today: date,
    *,
    flagged_cells: Collection[tuple[str, Place]] = frozenset(),
) -> list[Problem]:
    """The rules beyond single cells, for one workbook.

    ``flagged_cells`` are (sheet, place) pairs where reading already reported a problem
    (``flagged_places(read.problems)``); rules about a missing value stay quiet there, so an unreadable
    deadline gives ``date-text`` only, not also ``agreement-no-deadline``.
    """
    context = _Context(data.file, data.template_version, settings, today, flagged_cells)
    problems: list[Problem] = list(_duplicate_ids(data, context))
    by_case: dict[str, list[Meeting]] = {}  # data.meetings_for of every case, in one pass over the rows
    for meeting in data.meetings:
        by_case.setdefault(meeting.case_id, []).append(meeting)
    for case in data.cases:
        problems.extend(_check_case(case, by_case.get(case.case_id, []), context))
    problems.extend(_check_meetings(data, context))
    return problems


def flagged_places(problems: Iterable[Problem]) -> frozenset[tuple[str, Place]]:
    """The (sheet, place) pairs of ``problems`` (the read problems): pass them as ``flagged_cells``."""
    return frozenset((problem.sheet, problem.place) for problem in problems if problem.place != schema.WHOLE_SHEET)


def _duplicate_ids(data: WorkbookData, context: _Context) -> Iterator[Problem]:
    first_sheet: dict[str, str] = {}
    for case in data.cases:
        key = case_id_key(case.case_id)
        if not key:
            continue
        if key in first_sheet:
            yield context.at_case("duplicate-case-id", case, _CASE_ID, other_sheet=first_sheet[key])
        else:
            first_sheet[key] = case.sheet


def _is_closed(case: Case, today: date) -> bool:
    return case.end_date is not None and case.end_date <= today


def _check_case(case: Case, meetings: Sequence[Meeting], context: _Context) -> list[Problem]:
    """The per-case rules. Each returns a list, mostly empty: a generator per rule and case costs more than a check."""
    held = [meeting for meeting in meetings if meeting.date is not None and meeting.date <= context.today]
    problems = [*_case_dates(case, context), *_team(case, context), *_network(case, held, context)]
    problems += _consent(case, held, context)
    if not _is_closed(case, context.today):
        problems += _start_meeting(case, meetings, context)
        problems += _agreements(case, context)
    return problems


def _variant_label(variant: str) -> str:
    return schema.VARIANT.label_of(variant)


def _case_dates(case: Case, context: _Context) -> list[Problem]:
    birth, inclusion, end = case.birth_date, case.inclusion_date, case.end_date
    problems = []
    if inclusion is not None and end is not None and end < inclusion:
        problems.append(
            context.at_case(
                "end-before-inclusion", case, _END_DATE, end=format_date(end), inclusion=format_date(inclusion)
            )
        )
    if birth is None:
        return problems
    if inclusion is not None and inclusion < birth:
        problems.append(
            context.at_case(
                "inclusion-before-birth",
                case,
                _INCLUSION_DATE,
                inclusion=format_date(inclusion),
                birth=format_date(birth),
            )
        )
        return problems
    if case.variant is None:
        return problems
    return problems + _age_span(case, birth, case.variant, context)


def _age_span(case: Case, birth: date, variant: str, context: _Context) -> list[Problem]:
    settings, today = context.settings, context.today
    inclusion, end = case.inclusion_date, case.end_date
    start = add_years(birth, variant_start_age(settings, variant))
    ends = course_end(birth, variant, settings)
    ends_well = today < ends if end is None else end <= ends
    if (inclusion is None or start <= inclusion < ends) and ends_well:
        return []  # the common case: no message to format
    return list(_age_span_problems(case, birth, variant, start, ends, context))


def _age_span_problems(
    case: Case, birth: date, variant: str, start: date, ends: date, context: _Context
) -> Iterator[Problem]:
    """What :func:`_age_span` found about a course's start (``start``) and end (``ends``), with its messages."""
    settings, today = context.settings, context.today
    inclusion, end = case.inclusion_date, case.end_date
    start_age = variant_start_age(settings, variant)
    end_age = variant_end_age(settings, variant)
    common = {"variant": _variant_label(variant), "birth": format_date(birth)}
    inclusion_place = _INCLUSION_DATE
    if inclusion is not None:
        at_inclusion = {**common, "inclusion": format_date(inclusion), "age": age_on(birth, inclusion)}
        if inclusion >= ends:
            yield context.at_case(
                "inclusion-after-end-age",
                case,
                inclusion_place,
                end_age=end_age,
                course_end=format_date(ends),
                **at_inclusion,
            )
        elif inclusion < start and variant == "udsatte":
            yield context.at_case(
                "inclusion-before-start-age",
                case,
                inclusion_place,
                start_age=start_age,
                start=format_date(start),
                **at_inclusion,
            )
        elif inclusion < start:
            yield context.at_case("inclusion-too-young", case, inclusion_place, min_age=start_age, **at_inclusion)
    end_place = _END_DATE
    if end is None and today >= ends:
        yield context.at_case(
            "active-past-end-age",
            case,
            end_place,
            end_age=end_age,
            course_end=format_date(ends),
            reason=schema.END_REASON.label_of("age"),
            **common,
        )
    if end is not None and end > ends:
        yield context.at_case(
            "end-after-end-age",
            case,
            end_place,
            end=format_date(end),
            end_age=end_age,
            course_end=format_date(ends),
            **common,
        )


def _team(case: Case, context: _Context) -> list[Problem]:
    professions = {member.profession for member in case.team}
    place = _TEAM_PROFESSION
    block = _TEAM.title
    problems = []
    if "coordinator" not in professions:
        problems.append(
            context.at_case(
                "team-no-coordinator",
                case,
                place,
                profession=schema.PROFESSION.label_of("coordinator"),
                role=_COORDINATOR_ROLE.get(case.variant or "", "koordinatoren/guiden"),
                block=block,
            )
        )
    if case.variant == "udsatte":
        for code, profession in (("team-no-uu", "uu"), ("team-no-jobcenter", "jobcenter")):
            if profession not in professions:
                label = schema.PROFESSION.label_of(profession)
                problems.append(context.at_case(code, case, place, profession=label, block=block))
    return problems


def _network(case: Case, held: Sequence[Meeting], context: _Context) -> list[Problem]:
    if not held or any([person.is_adult for person in case.network]):  # a list: cheaper than a generator
        return []
    role = _NETWORK_ROLE.get(case.variant or "", "den unges voksne/en netværksperson")
    column = _header(_NETWORK, "is_adult")
    return [context.at_case("no-network-adult", case, _NETWORK_IS_ADULT, role=role, column=column)]


def _free_row_place(block: schema.Block, used_rows: Iterable[int], key: str) -> Place:
    """The first data row of a block not used by an entry (the place to write a new one), else the first row."""
    used = set(used_rows)
    free = next((index for index in range(block.rows) if block.first_row + index not in used), 0)
    return schema.block_place(block.key, free, key)


def _consent(case: Case, held: Sequence[Meeting], context: _Context) -> list[Problem]:
    today = context.today
    valid = [consent for consent in case.consents if consent.in_force_on(today)]
    block = _CONSENT.title
    if held and not valid:
        return [context.at_case("consent-missing", case, _CONSENT_GIVEN_ON, block=block)]
    if case.birth_date is None or _is_closed(case, today):
        return []
    adult_day = add_years(case.birth_date, ADULT_AGE)
    if today < adult_day or any([consent.given_on is not None and consent.given_on >= adult_day for consent in valid]):
        return []
    place = _free_row_place(_CONSENT, (consent.row for consent in case.consents), "given_on")
    return [context.at_case("consent-not-renewed", case, place, birthday=format_date(adult_day), block=block)]


def _course_start(case: Case, inclusion: date, settings: Settings) -> date:
    """The start meeting is due from the inclusion, in ``udsatte`` not before the start-age birthday."""
    if case.variant == "udsatte" and case.birth_date is not None:
        return max(inclusion, add_years(case.birth_date, settings.udsatte_start_age))
    return inclusion


def _start_meeting(case: Case, meetings: Sequence[Meeting], context: _Context) -> list[Problem]:
    if meetings or case.inclusion_date is None or not case.case_id:
        return []
    start = _course_start(case, case.inclusion_date, context.settings)
    days = context.settings.start_window_days
    deadline = start + timedelta(days=days)
    if context.today <= deadline:
        return []
    shown = {"deadline": format_date(deadline), "days": days, "start": format_date(start)}
    return [context.at_case("no-meetings", case, _CASE_ID, **shown)]


def _describe(agreement: Agreement) -> str:
    goal = " ".join(agreement.goal.split())
    if len(goal) > _AGREEMENT_GOAL_SHOWN:
        goal = goal[: _AGREEMENT_GOAL_SHOWN - 1] + "…"
    row = f"række {agreement.row}" if agreement.row else ""
    if goal and row:
        return f"'{goal}' ({row})"
    return f"'{goal}'" if goal else f"i {row}" if row else "uden mål"


def _agreement_place(agreement: Agreement, key: str) -> Place:
    index = agreement.row - _AGREEMENTS.first_row if agreement.row else 0
    return schema.block_place(_AGREEMENTS.key, index, key)


def _header(block: schema.Block, key: str) -> str:
    return block.columns[block.column_of(key) - block.first_col].header


def _agreements(case: Case, context: _Context) -> list[Problem]:
    today = context.today
    problems: list[Problem] = []
    for agreement in case.agreements:
        if agreement.status in CLOSED_AGREEMENT_STATUSES:
            continue
        deadline, followed_up_on = agreement.deadline, agreement.followed_up_on
        no_responsible = agreement.responsible is None
        overdue = (
            deadline is not None
            and deadline < today
            and not (followed_up_on is not None and followed_up_on >= deadline)
        )
        if no_responsible or deadline is None or overdue:  # else nothing to report: no description or place to make
            problems += _agreement_problems(case, agreement, no_responsible, overdue, context)
    return problems


def _left_empty(
    code: str, case: Case, agreement: Agreement, column: str, described: str, context: _Context
) -> Iterator[Problem]:
    """``code`` for the agreement's empty ``column``, unless its cell already has a problem."""
    place = _agreement_place(agreement, column)
    if (case.sheet, place) not in context.flagged:
        yield context.at_case(code, case, place, agreement=described, column=_header(_AGREEMENTS, column))


def _agreement_problems(
    case: Case, agreement: Agreement, no_responsible: bool, overdue: bool, context: _Context
) -> Iterator[Problem]:
    """What :func:`_agreements` found about one open agreement, with its messages."""
    described = _describe(agreement)
    if no_responsible:
        yield from _left_empty("agreement-no-responsible", case, agreement, "responsible", described, context)
    if agreement.deadline is None:
        yield from _left_empty("agreement-no-deadline", case, agreement, "deadline", described, context)
    elif overdue:
        yield context.at_case(
            "agreement-overdue",
            case,
            _agreement_place(agreement, "deadline"),
            agreement=described,
            deadline=format_date(agreement.deadline),
            followed_column=_header(_AGREEMENTS, "followed_up_on"),
            status_column=_header(_AGREEMENTS, "status"),
        )


# --------------------------------------------------------------------------------------------------
# Mødetjekliste rows
# --------------------------------------------------------------------------------------------------


def _check_meetings(data: WorkbookData, context: _Context) -> Iterator[Problem]:
    cases: dict[str, tuple[Case, date, date]] = {}  # id -> (case, earliest and latest date of a good meeting)
    for each in data.cases:
        case_id = each.case_id.strip()
        if case_id not in cases:
            cases[case_id] = (each, *_meeting_span(each, context.today))
    by_key: dict[str, Case] = {}  # for a meeting whose id is spelled otherwise (linking stays exact)
    for meeting in data.meetings:
        case_id = meeting.case_id.strip()
        if not case_id:
            continue  # reported by reading (required-missing)
        found = cases.get(case_id)
        if found is None:
            if not by_key:
                by_key.update((case_id_key(each.case_id), each) for each in reversed(data.cases))
            yield _unknown_case(case_id, by_key.get(case_id_key(case_id)), meeting.row, context)
            continue
        case, earliest, latest = found
        held_on = meeting.date
        if held_on is None or earliest <= held_on <= latest:
            continue  # the common case: no message to format (most rows of a workbook)
        yield from _meeting_dates(meeting, held_on, case, context)


def _unknown_case(case_id: str, same_key: Case | None, row: int, context: _Context) -> Problem:
    """A Mødetjekliste row whose id no case sheet has as written: spelled otherwise than one (``same_key``), or
    unknown. Either way the meeting is not counted: a row links to a case only by the id as written there, the tool
    does not guess which young person a row means."""
    place = schema.checklist_place(row, "case_id")
    if same_key is None:
        return context.problem("meeting-unknown-case", schema.SHEET_CHECKLIST, place, case_id)
    return context.problem(
        "meeting-case-id-spelling",
        schema.SHEET_CHECKLIST,
        place,
        case_id,
        other_sheet=same_key.sheet,
        spelled=same_key.case_id,
    )


def _meeting_span(case: Case, today: date) -> tuple[date, date]:
    """The first and last day a meeting of ``case`` may be held on without a problem from :func:`_meeting_dates`:
    not before the birth or the inclusion, not after today or the end date."""
    earliest = date.min  # the later of the two dates given (a loop: max() of a generator costs more, once a case)
    for day in (case.birth_date, case.inclusion_date):
        if day is not None and day > earliest:
            earliest = day
    end = case.end_date
    return earliest, today if end is None or end > today else end


def _meeting_dates(meeting: Meeting, held_on: date, case: Case, context: _Context) -> Iterator[Problem]:
    """The problems of a meeting held outside :func:`_meeting_span`."""
    sheet, place = schema.SHEET_CHECKLIST, schema.checklist_place(meeting.row, "date")
    shown = {"date": format_date(held_on)}
    if held_on > context.today:
        yield context.problem(
            "meeting-in-future", sheet, place, case.case_id, today=format_date(context.today), **shown
        )
    if case.birth_date is not None and held_on < case.birth_date:
        yield context.problem(
            "meeting-before-birth", sheet, place, case.case_id, birth=format_date(case.birth_date), **shown
        )
    elif case.inclusion_date is not None and held_on < case.inclusion_date:
        yield context.problem(
            "meeting-before-inclusion", sheet, place, case.case_id, inclusion=format_date(case.inclusion_date), **shown
        )
    if case.end_date is not None and held_on > case.end_date:
        yield context.problem("meeting-after-end", sheet, place, case.case_id, end=format_date(case.end_date), **shown)


# --------------------------------------------------------------------------------------------------
# Several workbooks
# --------------------------------------------------------------------------------------------------


def validate_batch(workbooks: Sequence[WorkbookData]) -> list[Problem]:
    """Rules across workbooks: a case id used in more than one workbook (reported in each later workbook).

    Duplicates inside one workbook are ``validate_workbook``'s (``duplicate-case-id``).
    """
    return ids_across_workbooks((data.file, [(case.sheet, case.case_id) for case in data.cases]) for data in workbooks)


def ids_across_workbooks(workbooks: Iterable[tuple[str, Sequence[tuple[str, str]]]]) -> list[Problem]:
    """:func:`validate_batch` on (file, [(sheet, case id), …]) per workbook: all the rule needs, so a caller that
    holds only facts (the consolidation) does not build cases for it."""
    first: dict[str, tuple[int, str, str]] = {}  # id key -> (workbook index, file, sheet)
    problems: list[Problem] = []
    for index, (file, cases) in enumerate(workbooks):
        for sheet, case_id in cases:
            key = case_id_key(case_id)
            if not key:
                continue
            if key not in first:
                first[key] = (index, file, sheet)
                continue
            first_index, other_file, other_sheet = first[key]
            if first_index == index:
                continue
            problems.append(
                make_problem(
                    "duplicate-case-id-across",
                    file=file,
                    sheet=sheet,
                    place=_CASE_ID,  # the same cell in every template version: no version needed
                    case_id=case_id,
                    case=case_id,
                    other_file=other_file,
                    other_sheet=other_sheet,
                )
            )
    return problems


# --------------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------------


def problems_by_case(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by case id, in order; problems about no case (settings, sheets) are left out."""
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.case_id:
            grouped.setdefault(problem.case_id, []).append(problem)
    return grouped


def count_by_severity(problems: Iterable[Problem]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = warnings = 0
    for problem in problems:
        if problem.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings
