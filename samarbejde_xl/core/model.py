"""Typed case data, as read from a workbook and as the rules see it.

Choice values are stored as their stable codes (see ``schema.Choice``), never as Danish labels.
A value that could not be understood is ``None`` here and a ``Problem`` in the read result.
Row numbers are sheet rows in the current template layout (older files are read through ``core.migrate``).

The person who holds the case together is the *coordinator* everywhere in the code: the model calls the role
"koordinator" in ``udsatte`` and "guide" in ``psykisk``; the schema's field, column and profession code are all
``coordinator``, and users see "Koordinator/guide".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TeamMember:
    name: str
    profession: str | None  # PROFESSION code
    department: str = ""
    row: int = 0  # sheet row, 0 when not from a sheet


@dataclass(frozen=True)
class NetworkPerson:
    name: str
    relation: str = ""
    closeness: str | None = None  # CLOSENESS code
    is_adult: bool | None = None  # den unges voksne / netværksperson
    may_attend: bool | None = None
    row: int = 0


@dataclass(frozen=True)
class Consent:
    given_on: dt.date | None
    given_by: str | None = None  # CONSENT_GIVEN_BY code
    parties: str = ""
    revoked_on: dt.date | None = None
    row: int = 0

    def in_force_on(self, day: dt.date) -> bool:
        """Given by ``day`` and not revoked by then."""
        given, revoked = self.given_on, self.revoked_on
        return given is not None and given <= day and (revoked is None or revoked > day)


@dataclass(frozen=True)
class Agreement:
    goal: str
    life_area: str | None = None  # LIFE_AREA code
    action: str = ""
    responsible: str | None = None  # RESPONSIBLE code
    deadline: dt.date | None = None
    followed_up_on: dt.date | None = None
    status: str | None = None  # GOAL_STATUS code
    set_at: dt.date | None = None
    row: int = 0


@dataclass(frozen=True)
class Intervention:
    kind: str
    department: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    responsible: str | None = None  # PROFESSION code
    row: int = 0


def case_id_key(case_id: str) -> str:
    """A young person's id as the rules compare it: letter case and runs of white space do not make another young
    person ("U-0001", "u-0001 " and "U- 0001" with one or two spaces alike). Every rule that asks "the same id?"
    uses this (duplicates in and across workbooks, copies of a workbook, a new case's id)."""
    return " ".join(case_id.split()).casefold()


@dataclass(frozen=True)
class Case:
    """One young person's case sheet."""

    sheet: str
    case_id: str
    initials: str = ""
    birth_date: dt.date | None = None
    variant: str | None = None  # VARIANT code: "udsatte" | "psykisk"
    inclusion_date: dt.date | None = None
    coordinator: str = ""  # initials of the koordinator (udsatte) / guide (psykisk)
    end_date: dt.date | None = None
    end_reason: str | None = None  # END_REASON code
    notes: str = ""
    team: tuple[TeamMember, ...] = ()
    network: tuple[NetworkPerson, ...] = ()
    consents: tuple[Consent, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    interventions: tuple[Intervention, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """One Mødetjekliste row: a held meeting."""

    row: int  # sheet row
    case_id: str
    date: dt.date | None
    kind: str | None  # MEETING_KIND code
    young_person_present: bool | None = None
    adult_present: bool | None = None
    professions_present: frozenset[str] = frozenset()  # PROFESSION codes
    tools_used: str = ""
    agreements_made: int | None = None
    agreements_followed_up: int | None = None
    education: str | None = None  # EDUCATION code
    job: str | None = None  # JOB code
    programme: bool | None = None
    scores: dict[str, int] = field(default_factory=dict)  # LIFE_AREA code -> 1..10
    scored_by: str | None = None  # SCORED_BY code
    involvement: dict[str, int | None] = field(default_factory=dict)  # item -> 1..5, None = "ved ikke"
    own_view: str = ""
    next_meeting: dt.date | None = None
    recorded_by: str = ""
    notes: str = ""
    not_relevant_reason: str = ""  # set: not a meeting, but a required meeting marked not relevant

    @property
    def marks_not_relevant(self) -> bool:
        return bool(self.not_relevant_reason)  # the parser strips text: blank is ""


@dataclass(frozen=True)
class WorkbookData:
    """Everything entered in one case workbook."""

    file: str  # display name of the file (as given on the command line)
    template_version: int
    municipality: str = ""
    settings: dict[str, object] = field(default_factory=dict)  # Indstillinger overrides: key -> raw value
    cases: tuple[Case, ...] = ()
    meetings: tuple[Meeting, ...] = ()

    def meetings_for(self, case_id: str) -> list[Meeting]:
        return [meeting for meeting in self.meetings if meeting.case_id == case_id]
