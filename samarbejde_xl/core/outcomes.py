"""Outcome categories: the model's seven groups from the status on education and job (domain.md §3).

"Started" = any registration in education (job) during the course; "succes" = still in it at the latest
registration. An employment-directed programme counts as job by default (the seed's heading "Afgang til uddannelse
og/eller job- og beskæftigelsesrettede tilbud"; setting ``programme_counts_as_job``), and the labels then say so.
A young person with no registration at all has no category: "uden registrering" on the case sheet and in the
report alike. Decision where domain.md is silent: a blank education/job/programme cell at a registration means "not
recorded this time", so the current state of each field is its latest recorded value (carried forward).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from samarbejde_xl.core.model import Meeting
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings

GROUP_SUCCESS = "succes"
GROUP_PARTIAL = "delvis succes"
GROUP_NONE = "ingen succes"
OUTCOME_GROUPS: tuple[str, ...] = (GROUP_SUCCESS, GROUP_PARTIAL, GROUP_NONE)


@dataclass(frozen=True)
class OutcomeCategory:
    code: str
    label: str  # Danish
    group: str  # "succes" | "delvis succes" | "ingen succes"


OUTCOME_CATEGORIES: tuple[OutcomeCategory, ...] = (
    OutcomeCategory("both", "Både i uddannelse og job", GROUP_SUCCESS),
    OutcomeCategory("education", "I uddannelse", GROUP_SUCCESS),
    OutcomeCategory("job", "I job", GROUP_SUCCESS),
    OutcomeCategory("started_stopped_both", "Startet i uddannelse og job, men stoppet igen", GROUP_PARTIAL),
    OutcomeCategory("started_stopped_education", "Startet i uddannelse, men stoppet", GROUP_PARTIAL),
    OutcomeCategory("started_stopped_job", "Startet i job, men stoppet", GROUP_PARTIAL),
    OutcomeCategory("none", "Hverken startet i uddannelse eller job", GROUP_NONE),
)
OUTCOME_BY_CODE: Mapping[str, OutcomeCategory] = {category.code: category for category in OUTCOME_CATEGORIES}
OUTCOME_BY_CODE = MappingProxyType(OUTCOME_BY_CODE)  # read-only: the core keeps no mutable state


_JOB = "job"
_JOB_OR_PROGRAMME = "job eller beskæftigelsesrettet tilbud"
_LABELS_WITH_PROGRAMME: Mapping[str, str] = {
    "both": f"Både i uddannelse og i {_JOB_OR_PROGRAMME}",
    "job": f"I {_JOB_OR_PROGRAMME}",
    "started_stopped_both": f"Startet i uddannelse og i {_JOB_OR_PROGRAMME}, men stoppet igen",
    "started_stopped_job": f"Startet i {_JOB_OR_PROGRAMME}, men stoppet",
    "none": f"Hverken startet i uddannelse eller i {_JOB_OR_PROGRAMME}",
}
_LABELS_WITH_PROGRAMME = MappingProxyType(_LABELS_WITH_PROGRAMME)  # read-only: the core keeps no mutable state

UNREGISTERED_LABEL = "Uden registrering af uddannelse eller job"
"""What the case sheet and the report say of a young person with no status registration (no category)."""


def outcome_label(code: str, settings: Settings = DEFAULT_SETTINGS) -> str:
    """The category's Danish label; "job" reads "job eller beskæftigelsesrettet tilbud" when programmes count."""
    if settings.programme_counts_as_job:
        return _LABELS_WITH_PROGRAMME.get(code, OUTCOME_BY_CODE[code].label)
    return OUTCOME_BY_CODE[code].label


def outcome_text(history: Sequence[StatusRegistration], settings: Settings) -> str:
    """The case sheet's "Udfald indtil nu": the category's label, or :data:`UNREGISTERED_LABEL`."""
    if not any(reg.education is not None or reg.job is not None or reg.programme is not None for reg in history):
        return UNREGISTERED_LABEL
    return outcome_label(outcome_category(history, settings), settings)


def outcome_group(code: str) -> str:
    return OUTCOME_BY_CODE[code].group


@dataclass(frozen=True)
class StatusRegistration:
    date: date
    education: str | None  # EDUCATION code, None = not recorded
    job: str | None  # JOB code, None = not recorded
    programme: bool | None  # employment-oriented programme, None = not recorded


def status_history(meetings: Sequence[Meeting]) -> list[StatusRegistration]:
    """Dated meetings that record any status, oldest first (ties keep sheet-row order)."""
    rows = [
        meeting
        for meeting in meetings
        if meeting.date is not None
        and (meeting.education is not None or meeting.job is not None or meeting.programme is not None)
    ]
    rows.sort(key=lambda meeting: (meeting.date, meeting.row))
    return [
        StatusRegistration(meeting.date, meeting.education, meeting.job, meeting.programme)
        for meeting in rows
        if meeting.date is not None
    ]


def in_education(reg: StatusRegistration) -> bool:
    return _is_education(reg.education)


def in_job(reg: StatusRegistration, settings: Settings) -> bool:
    return _is_job(reg.job, reg.programme, settings)


def _is_education(education: str | None) -> bool:
    return education is not None and education != "none"


def _is_job(job: str | None, programme: bool | None, settings: Settings) -> bool:
    if job is not None and job != "none":
        return True
    return settings.programme_counts_as_job and programme is True


def current_status(history: Sequence[StatusRegistration]) -> StatusRegistration | None:
    """The latest registration with blank fields filled from earlier ones; None for an empty history."""
    if not history:
        return None
    ordered = sorted(history, key=lambda reg: reg.date)
    education: str | None = None
    job: str | None = None
    programme: bool | None = None
    for reg in ordered:
        education = reg.education if reg.education is not None else education
        job = reg.job if reg.job is not None else job
        programme = reg.programme if reg.programme is not None else programme
    return StatusRegistration(ordered[-1].date, education, job, programme)


def outcome_category(history: Sequence[StatusRegistration], settings: Settings) -> str:
    """The outcome category code of a status history (see ``OUTCOME_CATEGORIES``)."""
    current = current_status(history)
    if current is None:
        return "none"
    return _category(
        in_education(current),
        in_job(current, settings),
        any(in_education(reg) for reg in history),
        any(in_job(reg, settings) for reg in history),
    )


class CurrentOutcome(NamedTuple):
    """A young person's outcome category and the fields of their current status (see :func:`current_outcome`)."""

    category: str  # OUTCOME_CATEGORIES code
    education: str | None
    job: str | None
    programme: bool | None


def current_outcome(meetings: Sequence[Meeting], settings: Settings) -> CurrentOutcome | None:
    """``outcome_category`` and ``current_status`` (its education, job and programme) of the status history of
    ``meetings`` sorted by (date, row); None when no meeting records a status.

    One pass over the meetings, without building the history or a registration: consolidation does this for every
    young person.
    """
    recorded = False
    education: str | None = None
    job: str | None = None
    programme: bool | None = None
    started_education = started_job = False
    for meeting in meetings:
        its_education, its_job, its_programme = meeting.education, meeting.job, meeting.programme
        if meeting.date is None or (its_education is None and its_job is None and its_programme is None):
            continue
        recorded = True
        if its_education is not None:
            education = its_education
            started_education = started_education or _is_education(its_education)
        if its_job is not None:
            job = its_job
        if its_programme is not None:
            programme = its_programme
        started_job = started_job or _is_job(its_job, its_programme, settings)
    if not recorded:
        return None
    now_education, now_job = _is_education(education), _is_job(job, programme, settings)
    return CurrentOutcome(_category(now_education, now_job, started_education, started_job), education, job, programme)


def _category(now_education: bool, now_job: bool, started_education: bool, started_job: bool) -> str:
    if now_education and now_job:
        return "both"
    if now_education:
        return "education"
    if now_job:
        return "job"
    if started_education and started_job:
        return "started_stopped_both"
    if started_education:
        return "started_stopped_education"
    if started_job:
        return "started_stopped_job"
    return "none"
