"""Synthetic case data for demos, tests and the committed examples (pure: no files, no Excel).

:func:`generate_municipality` invents a municipality ("Demokommune") of guides, one workbook each, with young people
whose courses look like real ones: both variants, meetings held, skipped and late (so plans show "forfalden"),
attendance that varies, status on education and job that changes, life-area scores that move, agreements met and missed,
consent renewed at 18, a few ended courses. Everything is invented: initials and ids like "U-0001", no names, no CPR
numbers.

The generated data is *clean*: validation (``core/validation.py``) reports nothing for it. Unless ``clean`` is set, 0-3
typical entry mistakes are planted per workbook by ``demo/mistakes.py`` (a date typed as text, a score of 11, a value
not in the dropdown list, a CPR-like number in a note, a required field left empty). Each is chosen at a cell where it
causes exactly one problem: its code at its cell, nothing else. ``DemoWorkbook.data`` is what reading the written file
gives back (the planted cells read as ``None`` or as the planted text), and the writer writes the planted raw values
over it (``DemoWorkbook.cell_overrides``).

Randomness comes only from ``random.Random`` instances seeded from the ``seed`` argument: the same arguments give the
same output.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType

from samarbejde_xl import schema
from samarbejde_xl.core.dates import add_years, age_on, edate
from samarbejde_xl.core.model import (
    Agreement,
    Case,
    Consent,
    Intervention,
    Meeting,
    NetworkPerson,
    TeamMember,
    WorkbookData,
)
from samarbejde_xl.core.settings import ADULT_AGE, DEFAULT_SETTINGS, Settings, variant_end_age, variant_start_age
from samarbejde_xl.demo.mistakes import DraftWorkbook, PlantedMistake, plant

MUNICIPALITY = "Demokommune"
FILE_NAME_PATTERN = "vejleder-{index:02d}.xlsx"
CASE_ID_PATTERN = "U-{number:04d}"
CASE_ID_LIMIT = 9999  # ids keep four digits

MAX_MEETINGS_PER_CASE = 12
YEARS_BACK = 3  # inclusions happen within this many years before today


@dataclass(frozen=True)
class DemoParameters:
    workbooks: int
    cases: int
    seed: int
    today: date
    clean: bool


EXAMPLES_PARAMETERS = DemoParameters(workbooks=6, cases=8, seed=27, today=date(2026, 10, 1), clean=False)
"""The data of ``examples/``, which ``samarbejde-xl demo-examples`` writes and refreshes."""


@dataclass
class DemoWorkbook:
    file_name: str  # "vejleder-01.xlsx"
    data: WorkbookData  # the truth as it reads back from the written file (data.file == file_name)
    planted: tuple[PlantedMistake, ...] = ()

    @property
    def cell_overrides(self) -> dict[tuple[str, str], object]:
        """(sheet, cell) -> raw value, for the writer to apply after writing ``data``."""
        return {(mistake.sheet, mistake.cell): mistake.value for mistake in self.planted}


# --------------------------------------------------------------------------------------------------
# Vocabulary (generic Danish; no names)
# --------------------------------------------------------------------------------------------------

_INITIAL_LETTERS = "ABCDEFGHIJKLMNOPRSTUVY"

_CASE_NOTES = (
    "Vil gerne i gang med FGU.",
    "Bor hos mor, ønsker egen bolig.",
    "Har svært ved at komme op om morgenen.",
    "Interesseret i at arbejde med dyr.",
    "Ønsker en praktikplads inden for lager og logistik.",
    "Har haft meget fravær i 9. klasse.",
    "Vil gerne tage kørekort.",
    "Er glad for sin kontaktperson.",
    "Trives bedst med korte møder.",
    "Går til fodbold to gange om ugen.",
)
_OWN_VIEWS = (
    "Det går bedre end sidst.",
    "Jeg vil gerne have en praktikplads.",
    "Jeg er træt af mange møder.",
    "Jeg synes, vi lavede gode aftaler.",
    "Det er svært at komme afsted om morgenen.",
    "Jeg glæder mig til at starte på skolen.",
    "Jeg vil gerne have mere hjælp til økonomien.",
    "Jeg har det bedre nu.",
)
_MEETING_NOTES = (
    "Mødet blev holdt hjemme hos den unge.",
    "Kort møde, aftalt nyt møde snart.",
    "Den unge havde en ven med.",
    "Mødet blev flyttet en gang.",
    "God stemning på mødet.",
    "Online møde.",
)
_TOOLS = (
    "netværkskort",
    "netværksoverblik",
    "indsatsoverblik",
    "mål- og aftaleskema",
    "dialogskema",
    "samtykkeerklæring",
)
_GOALS: Mapping[str, tuple[tuple[str, str], ...]] = {  # life area -> (goal, action)
    "education": (
        ("Starte på FGU", "Besøge FGU sammen med UU-vejlederen"),
        ("Møde i skole hver dag", "Aftale vækning og fast morgenrutine"),
        ("Vælge ungdomsuddannelse", "Deltage i brobygning"),
    ),
    "work": (
        ("Finde et fritidsjob", "Skrive tre ansøgninger"),
        ("Komme i praktik", "Jobcentret finder en praktikplads"),
    ),
    "economy": (
        ("Lave et budget", "Gennemgå udgifter sammen med kontaktpersonen"),
        ("Søge boligstøtte", "Udfylde ansøgningen på borger.dk"),
    ),
    "housing": (("Finde egen bolig", "Skrive sig op til en ungdomsbolig"),),
    "wellbeing": (
        ("Få det bedre psykisk", "Starte samtaleforløb"),
        ("Sove bedre", "Føre søvndagbog i fire uger"),
    ),
    "social": (("Møde andre unge", "Prøve en fritidsaktivitet"),),
    "physical": (("Komme i bedre form", "Gå en tur tre gange om ugen"),),
    "substances": (("Ryge mindre hash", "Tale med misbrugskonsulenten"),),
    "practical": (("Klare indkøb og tøjvask selv", "Øve med bostøtten en gang om ugen"),),
    "family": (("Bedre kontakt til far", "Aftale et fælles møde"),),
}
_GOALS = MappingProxyType(_GOALS)  # read-only: the core keeps no mutable state
_INTERVENTIONS = (
    ("Kontaktperson", "Børn og Unge", "contact_person"),
    ("Mentor", "Jobcenter", "jobcenter"),
    ("Bostøtte", "Socialpsykiatri", "icm"),
    ("Misbrugsbehandling", "Rusmiddelcenter", "substance_abuse"),
    ("Brobygning til FGU", "UU", "uu"),
    ("Praktikforløb", "Jobcenter", "jobcenter"),
    ("Efterværn", "Børn og Unge", "caseworker_youth"),
    ("Samtaleforløb", "Børne- og ungdomspsykiatri", "child_psychiatry"),
    ("Ambulant forløb", "Voksenpsykiatri", "adult_psychiatry"),
)
_DEPARTMENTS: Mapping[str, str] = {
    "caseworker_youth": "Børn og Unge",
    "caseworker_adult": "Voksenområdet",
    "jobcenter": "Jobcenter, Ungeindsats",
    "rehab_team": "Jobcenter",
    "uu": "UU",
    "child_psychiatry": "Børne- og ungdomspsykiatrien",
    "adult_psychiatry": "Voksenpsykiatrien",
    "contact_person": "Børn og Unge",
    "substance_abuse": "Rusmiddelcenter",
    "treatment_institution": "Behandlingssted",
    "placement": "Opholdssted",
    "education_institution": "FGU",
    "icm": "Socialpsykiatri",
    "other": "Fritidsklub",
}
_DEPARTMENTS = MappingProxyType(_DEPARTMENTS)  # read-only: the core keeps no mutable state
_EXTRA_TEAM: Mapping[str, tuple[str, ...]] = {
    "udsatte": (
        "caseworker_adult",
        "contact_person",
        "placement",
        "substance_abuse",
        "education_institution",
        "icm",
        "rehab_team",
        "other",
    ),
    "psykisk": (
        "child_psychiatry",
        "adult_psychiatry",
        "caseworker_youth",
        "caseworker_adult",
        "uu",
        "jobcenter",
        "contact_person",
        "icm",
        "education_institution",
    ),
}
_EXTRA_TEAM = MappingProxyType(_EXTRA_TEAM)  # read-only: the core keeps no mutable state
_ADULT_RELATIONS = ("mor", "far", "moster", "farmor", "tidligere plejemor", "storesøster", "træner", "nabo")
_OTHER_RELATIONS = ("ven", "kæreste", "lillebror", "onkel", "klassekammerat", "kusine")
_CONSENT_PARTIES = (
    "teamet",
    "UU og jobcenter",
    "alle i teamet",
    "skole, UU og sagsbehandler",
    "psykiatrien og sagsbehandler",
)

# Outcome trajectories and their weights (close to the model's published shares, every group present).
_TRAJECTORIES: tuple[tuple[str, int], ...] = (
    ("both", 6),
    ("education", 40),
    ("job", 12),
    ("started_stopped_both", 7),
    ("started_stopped_education", 10),
    ("started_stopped_job", 10),
    ("none", 15),
)


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def _initials(rng: random.Random, letters: int = 2) -> str:
    return "".join(rng.choice(_INITIAL_LETTERS) for _ in range(letters))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    """A uniformly chosen day in [first, last]; ``first`` when the range is empty."""
    span = (last - first).days
    return first + timedelta(days=rng.randint(0, span)) if span > 0 else first


def _chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def _block_row(block_key: str, index: int) -> int:
    return schema.CASE_BLOCKS_BY_KEY[block_key].first_row + index


# --------------------------------------------------------------------------------------------------
# One young person
# --------------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """A meeting before attendance and content are decided."""

    on: date
    kind: str


@dataclass
class _LifeAreas:
    """A young person's life-area levels (1-10) as they move from one scored meeting to the next."""

    improving: bool
    levels: dict[str, int]
    scored: bool = False

    def next_scores(self, rng: random.Random) -> dict[str, int]:
        if self.scored:
            for area in self.levels:
                step = rng.choice((0, 0, 1, 1, 2, -1) if self.improving else (0, -1, -1, 1, -2, 0))
                self.levels[area] = min(10, max(1, self.levels[area] + step))
        self.scored = True
        return dict(self.levels)


@dataclass
class _Person:
    case: Case
    meetings: list[Meeting] = field(default_factory=list)


class _CaseGenerator:
    def __init__(self, rng: random.Random, today: date, settings: Settings, guide: str) -> None:
        self.rng = rng
        self.today = today
        self.settings = settings
        self.guide = guide

    # -- the case sheet header ------------------------------------------------------------------

    def birth_and_inclusion(self, variant: str) -> tuple[date, date]:
        rng, today = self.rng, self.today
        start_age = variant_start_age(self.settings, variant)
        oldest = variant_end_age(self.settings, variant) - 1
        while True:
            age = rng.randint(max(15, start_age), min(24, oldest))
            youngest_birth = edate(today, -12 * age)  # turned `age` today
            birth = _day_between(rng, edate(today, -12 * (age + 1)) + timedelta(days=1), youngest_birth)
            earliest = max(add_years(birth, start_age), edate(today, -12 * YEARS_BACK))
            latest = today - timedelta(days=2)
            if earliest > latest:
                continue
            if _chance(rng, 0.12):  # recently included: the start meeting may still be ahead
                earliest = max(earliest, today - timedelta(days=45))
            inclusion = _day_between(rng, earliest, latest)
            assert age_on(birth, today) == age
            return birth, inclusion

    def end(self, birth: date, inclusion: date) -> tuple[date | None, str | None]:
        rng, today = self.rng, self.today
        if (today - inclusion).days < 240 or not _chance(rng, 0.12):
            return None, None
        end = _day_between(rng, inclusion + timedelta(days=150), today - timedelta(days=7))
        return end, rng.choice(("goals_met", "goals_met", "declined", "moved", "other"))

    # -- meetings -------------------------------------------------------------------------------

    def plan_dates(self, birth: date, variant: str, inclusion: date, end: date | None) -> list[_Plan]:
        rng, today, settings = self.rng, self.today, self.settings
        last_day = min(today, end) if end is not None else today
        if end is None and (today - inclusion).days > 200 and _chance(rng, 0.15):
            last_day = today - timedelta(days=rng.randint(130, 300))  # meetings stopped: overdue now
        fixed: list[_Plan] = []
        start_day = inclusion + timedelta(days=rng.randint(0, settings.start_window_days - 2))
        if _chance(rng, 0.08):
            start_day = inclusion + timedelta(days=rng.randint(settings.start_window_days + 1, 50))
        if start_day <= last_day:
            fixed.append(_Plan(start_day, "start"))
        for milestone in settings.milestones(variant):
            due = milestone.due(birth)
            window_start = max(due - timedelta(days=milestone.before_days), inclusion)
            window_end = due + timedelta(days=milestone.after_days)
            if window_end < inclusion or window_start > last_day or (end is not None and due > end):
                continue
            if not _chance(rng, 0.85):
                continue  # skipped: overdue (or soon) in the plan
            if _chance(rng, 0.08):
                held = window_end + timedelta(days=rng.randint(7, 45))
            else:
                held = _day_between(rng, window_start, min(window_end, last_day))
            if inclusion <= held <= last_day:
                fixed.append(_Plan(held, milestone.kind))
        fixed.sort(key=lambda plan: plan.on)

        plans = list(fixed)
        adult_day = add_years(birth, ADULT_AGE)
        cursor = fixed[0].on if fixed else inclusion
        while True:
            months = 3 if not _chance(rng, 0.1) else rng.randint(5, 8)
            if variant == "psykisk" and cursor >= adult_day:
                months = rng.randint(4, 6)
            upcoming = edate(cursor, months) + timedelta(days=rng.randint(-25, 20))
            later_fixed = [plan.on for plan in fixed if cursor < plan.on <= upcoming]
            if later_fixed:
                cursor = later_fixed[0]
                continue
            if upcoming > last_day:
                break
            if variant == "udsatte":
                kind = "follow_up"
            else:
                kind = "quarterly" if upcoming < adult_day else "extra"
            plans.append(_Plan(upcoming, kind))
            if _chance(rng, 0.1):
                extra = upcoming + timedelta(days=rng.randint(10, 40))
                if extra <= last_day:
                    plans.append(_Plan(extra, "extra"))
            cursor = upcoming
        if end is not None and _chance(rng, 0.7):
            plans = [plan for plan in plans if plan.on < end]
            plans.append(_Plan(end, "end"))
        if not plans and (today - inclusion).days > settings.start_window_days:
            plans.append(_Plan(_day_between(rng, inclusion, min(inclusion + timedelta(days=28), last_day)), "start"))
        return self._thin(plans)

    def _thin(self, plans: list[_Plan]) -> list[_Plan]:
        """At most one meeting a day and :data:`MAX_MEETINGS_PER_CASE`, dropping routine meetings first."""
        plans.sort(key=lambda plan: plan.on)
        unique: list[_Plan] = []
        for plan in plans:
            if unique and unique[-1].on == plan.on:
                continue
            unique.append(plan)
        routine = ("follow_up", "quarterly", "extra")
        while len(unique) > MAX_MEETINGS_PER_CASE:
            candidates = [index for index, plan in enumerate(unique) if index > 0 and plan.kind in routine]
            if not candidates:
                candidates = list(range(1, len(unique) - 1))
            del unique[self.rng.choice(candidates)]
        return unique

    # -- the sheet blocks -----------------------------------------------------------------------

    def team(self, variant: str, age_at_inclusion: int) -> tuple[TeamMember, ...]:
        rng = self.rng
        department = "Myndighed, Børn og Unge" if variant == "udsatte" else "Ungeenheden"
        codes = ["coordinator"]
        if variant == "udsatte":
            codes += ["uu", "jobcenter"]
        pool = [code for code in _EXTRA_TEAM[variant] if code not in codes]
        if age_at_inclusion >= ADULT_AGE:
            pool = [code for code in pool if code not in ("caseworker_youth", "child_psychiatry", "placement")]
        codes += rng.sample(pool, rng.randint(1, 4))
        members = []
        for index, code in enumerate(codes):
            name = self.guide if code == "coordinator" else _initials(rng, rng.choice((2, 2, 3)))
            members.append(
                TeamMember(
                    name=name,
                    profession=code,
                    department=department if code == "coordinator" else _DEPARTMENTS[code],
                    row=_block_row("team", index),
                )
            )
        return tuple(members)

    def network(self) -> tuple[NetworkPerson, ...]:
        rng = self.rng
        adults = 2 if _chance(rng, 0.2) else 1
        others = rng.randint(0, 3)
        relations = rng.sample(_ADULT_RELATIONS, adults) + rng.sample(_OTHER_RELATIONS, others)
        people = []
        for index, relation in enumerate(relations):
            is_adult = index < adults
            people.append(
                NetworkPerson(
                    name=_initials(rng),
                    relation=relation,
                    closeness=rng.choice(("close", "close", "medium"))
                    if is_adult
                    else rng.choice(schema.CLOSENESS.codes),
                    is_adult=is_adult,
                    may_attend=True if is_adult else _chance(rng, 0.4),
                    row=_block_row("network", index),
                )
            )
        return tuple(people)

    def consents(self, birth: date, inclusion: date, end: date | None) -> tuple[Consent, ...]:
        rng, today = self.rng, self.today
        adult_day = add_years(birth, ADULT_AGE)
        minor = inclusion < adult_day
        first_by = rng.choice(("custody_holder", "both")) if minor else "young_person"
        consents = [Consent(inclusion, first_by, rng.choice(_CONSENT_PARTIES), row=_block_row("consent", 0))]
        closed = end is not None and end <= today
        if minor and adult_day <= today and not closed:
            renewed = _day_between(rng, adult_day, min(adult_day + timedelta(days=40), today))
            if _chance(rng, 0.4):
                consents[0] = replace(consents[0], revoked_on=renewed)
            consents.append(
                Consent(renewed, "young_person", rng.choice(_CONSENT_PARTIES), row=_block_row("consent", 1))
            )
        return tuple(consents)

    def interventions(self, variant: str, birth: date, inclusion: date) -> tuple[Intervention, ...]:
        rng, today = self.rng, self.today
        pool = [item for item in _INTERVENTIONS if variant == "psykisk" or "psykiatri" not in item[1]]
        if add_years(birth, ADULT_AGE) <= inclusion:
            pool = [item for item in pool if item[2] not in ("caseworker_youth", "child_psychiatry")]
        chosen = rng.sample(pool, rng.randint(0, 3))
        items = []
        for index, (kind, department, responsible) in enumerate(chosen):
            start = _day_between(rng, inclusion - timedelta(days=200), today - timedelta(days=10))
            finish: date | None = None
            if _chance(rng, 0.4):
                finish = start + timedelta(days=rng.randint(60, 400))
                if finish > today:
                    finish = None
            items.append(
                Intervention(kind, department, start, finish, responsible, row=_block_row("interventions", index))
            )
        return tuple(items)

    def agreements(
        self, case_meetings: Sequence[_Plan], present: Sequence[bool], team: Sequence[TeamMember], end: date | None
    ) -> tuple[Agreement, ...]:
        rng, today = self.rng, self.today
        responsible_pool = ["young_person", "young_person"] + [
            member.profession for member in team if member.profession is not None
        ]
        block = schema.CASE_BLOCKS_BY_KEY["agreements"]
        limit = min(block.rows, 8)
        items: list[Agreement] = []
        for plan, was_present in zip(case_meetings, present, strict=True):
            if not was_present or plan.kind in ("extra", "end") or not _chance(rng, 0.5):
                continue
            for _ in range(rng.randint(1, 2)):
                if len(items) >= limit:
                    break
                area = rng.choice(sorted(_GOALS))
                goal, action = rng.choice(_GOALS[area])
                deadline = plan.on + timedelta(days=rng.randint(30, 120))
                if end is not None:
                    deadline = min(deadline, end)
                followed_up: date | None = None
                if deadline <= today:
                    later = [other.on for other in case_meetings if deadline <= other.on <= today]
                    followed_up = later[0] if later else min(deadline + timedelta(days=rng.randint(0, 14)), today)
                    status = rng.choices(("met", "in_progress", "abandoned", "not_started"), (55, 20, 15, 10))[0]
                else:
                    status = rng.choice(("not_started", "in_progress", "in_progress"))
                items.append(
                    Agreement(
                        goal=goal,
                        life_area=area,
                        action=action,
                        responsible=rng.choice(responsible_pool),
                        deadline=deadline,
                        followed_up_on=followed_up,
                        status=status,
                        set_at=plan.on,
                        row=_block_row("agreements", len(items)),
                    )
                )
        return tuple(items)

    # -- Mødetjekliste rows -----------------------------------------------------------------------

    def statuses(self, count: int, birth: date, dates: Sequence[date]) -> list[tuple[str, str, bool]]:
        """(education, job, programme) codes for ``count`` registrations following an outcome trajectory."""
        rng = self.rng
        if count == 0:
            return []
        trajectory = rng.choices([name for name, _ in _TRAJECTORIES], [weight for _, weight in _TRAJECTORIES])[0]
        if count == 1 and trajectory.startswith("started_stopped"):
            trajectory = trajectory.replace("started_stopped_", "")
        education_span: tuple[int, int] | None = None  # registrations [first, stop)
        job_span: tuple[int, int] | None = None

        def span(stops: bool) -> tuple[int, int]:
            if stops:
                first = rng.randint(0, count - 2)
                return first, rng.randint(first + 1, count - 1)
            return rng.randint(0, count - 1), count

        if trajectory in ("both", "education"):
            education_span = span(False)
        if trajectory in ("both", "job"):
            job_span = span(False)
        if trajectory in ("started_stopped_both", "started_stopped_education"):
            education_span = span(True)
        if trajectory in ("started_stopped_both", "started_stopped_job"):
            job_span = span(True)

        education_code = rng.choice(("fgu", "fgu", "stu", "youth_education", "youth_education", "other"))
        job_code = rng.choice(("ordinary", "flex", "internship"))
        programme_from = rng.randint(0, count) if _chance(rng, 0.3) else count
        out = []
        for index in range(count):
            education = "none"
            if education_span is not None and education_span[0] <= index < education_span[1]:
                education = education_code
                if education_code == "youth_education" and age_on(birth, dates[index]) < 16:
                    education = "primary"
                elif education_code == "youth_education" and age_on(birth, dates[index]) >= 21:
                    education = "higher"
            job = "none"
            if job_span is not None and job_span[0] <= index < job_span[1]:
                job = job_code
            out.append((education, job, index >= programme_from and job == "none"))
        return out

    def _professions(self, case: Case, team_codes: Sequence[str]) -> frozenset[str]:
        """Who of the team came: nearly always the coordinator, in ``udsatte`` mostly UU and the jobcenter."""
        rng = self.rng
        professions = {code for code in team_codes if code == "coordinator" and _chance(rng, 0.95)}
        for code in team_codes:
            if code in ("uu", "jobcenter") and case.variant == "udsatte":
                if _chance(rng, 0.85):
                    professions.add(code)
            elif code != "coordinator" and _chance(rng, 0.4):
                professions.add(code)
        return frozenset(professions)

    def _next_meeting(self, plan: _Plan) -> date | None:
        rng = self.rng
        if plan.kind == "end" or not _chance(rng, 0.75):
            return None
        return edate(plan.on, rng.choice((1, 2, 3, 3, 3))) + timedelta(days=rng.randint(-7, 7))

    def meetings(self, case: Case, plans: Sequence[_Plan], present: Sequence[bool]) -> list[Meeting]:
        rng = self.rng
        assert case.birth_date is not None
        team_codes = [member.profession for member in case.team if member.profession is not None]
        has_attending_adult = any(person.is_adult and person.may_attend for person in case.network)
        registered = [index for index, plan in enumerate(plans) if plan.kind != "extra" or _chance(rng, 0.3)]
        registered_on = [plans[index].on for index in registered]
        statuses = dict(zip(registered, self.statuses(len(registered), case.birth_date, registered_on), strict=True))
        areas = _LifeAreas(improving=_chance(rng, 0.75), levels={a: rng.randint(2, 7) for a in schema.LIFE_AREA.codes})
        meetings = []
        for index, (plan, was_present) in enumerate(zip(plans, present, strict=True)):
            professions = self._professions(case, team_codes)
            adult_present = rng.choices((True, False, None), (55, 35, 10))[0] if has_attending_adult else False
            scores: dict[str, int] = {}
            scored_by: str | None = None
            if was_present and _chance(rng, 0.9 if index == 0 else 0.7):
                scores, scored_by = areas.next_scores(rng), rng.choice(schema.SCORED_BY.codes)
            involvement: dict[str, int | None] = {}
            if was_present and _chance(rng, 0.7):
                for item, _label in schema.INVOLVEMENT_ITEMS:
                    involvement[item] = rng.choices((1, 2, 3, 4, 5, None), (3, 5, 15, 35, 35, 7))[0]
            education, job, programme = statuses.get(index, (None, None, None))
            next_meeting = self._next_meeting(plan)
            tools = rng.sample(_TOOLS, rng.choice((0, 1, 1, 2, 3)))
            meetings.append(
                Meeting(
                    row=0,
                    case_id=case.case_id,
                    date=plan.on,
                    kind=plan.kind,
                    young_person_present=was_present,
                    adult_present=adult_present,
                    professions_present=professions,
                    tools_used=", ".join(tools),
                    agreements_made=sum(1 for agreement in case.agreements if agreement.set_at == plan.on),
                    agreements_followed_up=sum(1 for a in case.agreements if a.followed_up_on == plan.on),
                    education=education,
                    job=job,
                    programme=programme,
                    scores=scores,
                    scored_by=scored_by,
                    involvement=involvement,
                    own_view=rng.choice(_OWN_VIEWS) if was_present and _chance(rng, 0.4) else "",
                    next_meeting=next_meeting,
                    recorded_by=self.guide,
                    notes=rng.choice(_MEETING_NOTES) if _chance(rng, 0.15) else "",
                )
            )
        return meetings

    # -- everything -------------------------------------------------------------------------------

    def person(self, case_id: str) -> _Person:
        rng = self.rng
        variant = "udsatte" if _chance(rng, 0.55) else "psykisk"
        birth, inclusion = self.birth_and_inclusion(variant)
        end, end_reason = self.end(birth, inclusion)
        plans = self.plan_dates(birth, variant, inclusion, end)
        present_chance = {"start": 0.92, "m16": 0.9, "m17_5": 0.9, "m18_5": 0.9, "end": 0.85, "extra": 0.7}
        present = [_chance(rng, present_chance.get(plan.kind, 0.8)) for plan in plans]
        team = self.team(variant, age_on(birth, inclusion))
        case = Case(
            sheet=schema.case_sheet_name(case_id),
            case_id=case_id,
            initials=_initials(rng),
            birth_date=birth,
            variant=variant,
            inclusion_date=inclusion,
            coordinator=self.guide,
            end_date=end,
            end_reason=end_reason,
            notes=rng.choice(_CASE_NOTES) if _chance(rng, 0.6) else "",
            team=team,
            network=self.network(),
            consents=self.consents(birth, inclusion, end),
            agreements=self.agreements(plans, present, team, end),
            interventions=self.interventions(variant, birth, inclusion),
        )
        return _Person(case, self.meetings(case, plans, present))


# --------------------------------------------------------------------------------------------------
# The municipality
# --------------------------------------------------------------------------------------------------


def _guides(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    guides: list[str] = []
    while len(guides) < count:
        letters = 2 if count <= 100 else 3
        candidate = _initials(rng, letters)
        if candidate not in seen:
            seen.add(candidate)
            guides.append(candidate)
    return guides


def generate_municipality(
    *, workbooks: int, cases: int, seed: int, today: date, clean: bool, settings: Settings = DEFAULT_SETTINGS
) -> list[DemoWorkbook]:
    """``workbooks`` guide workbooks with ``cases`` young people each; ids are unique across all of them."""
    if workbooks < 1 or cases < 0 or workbooks * cases > CASE_ID_LIMIT:
        raise ValueError(f"need 1 or more workbooks, 0 or more cases and at most {CASE_ID_LIMIT} cases in all")
    guides = _guides(random.Random(f"samarbejde-xl demo {seed} guides"), workbooks)
    out: list[DemoWorkbook] = []
    for index, guide in enumerate(guides):
        rng = random.Random(f"samarbejde-xl demo {seed} workbook {index}")
        generator = _CaseGenerator(rng, today, settings, guide)
        people = [generator.person(CASE_ID_PATTERN.format(number=index * cases + n + 1)) for n in range(cases)]
        meetings = sorted((m for person in people for m in person.meetings), key=lambda m: (m.date, m.case_id))
        numbered = [replace(m, row=schema.CHECKLIST_FIRST_ROW + i) for i, m in enumerate(meetings)]
        book = DraftWorkbook([person.case for person in people], numbered)
        planted = () if clean else plant(random.Random(f"samarbejde-xl demo {seed} mistakes {index}"), book)
        file_name = FILE_NAME_PATTERN.format(index=index + 1)
        data = WorkbookData(
            file=file_name,
            template_version=schema.TEMPLATE_VERSION,
            municipality=MUNICIPALITY,
            settings={},
            cases=tuple(book.cases),
            meetings=tuple(book.meetings),
        )
        out.append(DemoWorkbook(file_name, data, planted))
    return out
