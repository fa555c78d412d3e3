"""Outcome categories from the status on education and job (domain.md §3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.core.facts import _life_area_facts, _Shared
from samarbejde_xl.core.model import Meeting
from samarbejde_xl.core.outcomes import (
    OUTCOME_CATEGORIES,
    UNREGISTERED_LABEL,
    StatusRegistration,
    in_education,
    in_job,
    outcome_category,
    outcome_group,
    outcome_label,
    outcome_text,
    status_history,
)
from samarbejde_xl.core.settings import DEFAULT_SETTINGS

PROGRAMME_AS_JOB = DEFAULT_SETTINGS  # the seed's heading: employment-directed programmes count with job
PROGRAMME_NOT_JOB = replace(DEFAULT_SETTINGS, programme_counts_as_job=False)
_YES_NO = {"ja": True, "nej": False, "-": None}


def history(spec: str) -> list[StatusRegistration]:
    """'2024-01-01 none none nej; 2024-04-01 fgu - -' ('-' = not recorded) -> registrations."""
    out = []
    for item in filter(None, (part.strip() for part in spec.split(";"))):
        day, education, job, programme = item.split()
        out.append(
            StatusRegistration(
                date.fromisoformat(day),
                None if education == "-" else education,
                None if job == "-" else job,
                _YES_NO[programme],
            )
        )
    return out


def test_seven_categories_in_the_models_order() -> None:
    assert [(c.code, c.label, c.group) for c in OUTCOME_CATEGORIES] == [
        ("both", "Både i uddannelse og job", "succes"),
        ("education", "I uddannelse", "succes"),
        ("job", "I job", "succes"),
        ("started_stopped_both", "Startet i uddannelse og job, men stoppet igen", "delvis succes"),
        ("started_stopped_education", "Startet i uddannelse, men stoppet", "delvis succes"),
        ("started_stopped_job", "Startet i job, men stoppet", "delvis succes"),
        ("none", "Hverken startet i uddannelse eller job", "ingen succes"),
    ]
    assert outcome_label("job", PROGRAMME_NOT_JOB) == "I job"
    assert outcome_group("started_stopped_job") == "delvis succes"


def test_labels_say_that_programmes_count_as_job_by_default() -> None:
    assert DEFAULT_SETTINGS.programme_counts_as_job is True
    assert [outcome_label(c.code) for c in OUTCOME_CATEGORIES] == [
        "Både i uddannelse og i job eller beskæftigelsesrettet tilbud",
        "I uddannelse",
        "I job eller beskæftigelsesrettet tilbud",
        "Startet i uddannelse og i job eller beskæftigelsesrettet tilbud, men stoppet igen",
        "Startet i uddannelse, men stoppet",
        "Startet i job eller beskæftigelsesrettet tilbud, men stoppet",
        "Hverken startet i uddannelse eller i job eller beskæftigelsesrettet tilbud",
    ]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", UNREGISTERED_LABEL),
        ("2024-01-01 - - -", UNREGISTERED_LABEL),
        ("2024-01-01 none none nej", "Hverken startet i uddannelse eller i job eller beskæftigelsesrettet tilbud"),
        ("2024-01-01 none none ja", "I job eller beskæftigelsesrettet tilbud"),
    ],
    ids=["no-rows", "nothing-recorded", "none", "programme"],
)
def test_outcome_text_tells_unregistered_from_none(spec: str, expected: str) -> None:
    assert outcome_text(history(spec), DEFAULT_SETTINGS) == expected


CASES = [
    ("both", "2024-01-01 none none nej; 2024-06-01 youth_education internship nej", "both", "both"),
    ("education", "2024-01-01 none none nej; 2024-06-01 fgu none nej", "education", "education"),
    ("job", "2024-01-01 none none nej; 2024-06-01 none ordinary nej", "job", "job"),
    (
        "started-stopped-both",
        "2024-01-01 stu none nej; 2024-03-01 none flex nej; 2024-06-01 none none nej",
        "started_stopped_both",
        "started_stopped_both",
    ),
    (
        "started-stopped-education",
        "2024-01-01 fgu none nej; 2024-06-01 none none nej",
        "started_stopped_education",
        "started_stopped_education",
    ),
    (
        "started-stopped-job",
        "2024-01-01 none ordinary nej; 2024-06-01 none none nej",
        "started_stopped_job",
        "started_stopped_job",
    ),
    ("none", "2024-01-01 none none nej; 2024-06-01 none none nej", "none", "none"),
    ("empty-history", "", "none", "none"),
    ("programme-now", "2024-01-01 none none nej; 2024-06-01 none none ja", "none", "job"),
    ("programme-then-stopped", "2024-01-01 none none ja; 2024-06-01 none none nej", "none", "started_stopped_job"),
    ("education-and-programme", "2024-06-01 higher none ja", "education", "both"),
    (
        "education-stopped-programme-started-stopped",
        "2024-01-01 fgu none nej; 2024-03-01 none none ja; 2024-06-01 none none nej",
        "started_stopped_education",
        "started_stopped_both",
    ),
    ("blank-fields-carry-forward", "2024-01-01 fgu none nej; 2024-06-01 - ordinary -", "both", "both"),
    ("stopped-job-still-in-education", "2024-01-01 none flex nej; 2024-06-01 fgu none nej", "education", "education"),
    ("primary-school-counts-as-education", "2024-06-01 primary - -", "education", "education"),
    (
        "unordered-history-uses-latest-date",
        "2024-06-01 none none nej; 2024-01-01 fgu none nej",
        "started_stopped_education",
        "started_stopped_education",
    ),
]


@pytest.mark.parametrize(
    ("spec", "default_expected", "programme_expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_outcome_category(spec: str, default_expected: str, programme_expected: str) -> None:
    assert outcome_category(history(spec), PROGRAMME_NOT_JOB) == default_expected
    assert outcome_category(history(spec), PROGRAMME_AS_JOB) == programme_expected


@pytest.mark.parametrize(
    ("education", "expected"),
    [(None, False), ("none", False), *((code, True) for code in schema.EDUCATION.codes if code != "none")],
    ids=lambda value: str(value),
)
def test_in_education(education: str | None, expected: bool) -> None:
    assert in_education(StatusRegistration(date(2024, 1, 1), education, None, None)) is expected


@pytest.mark.parametrize(
    ("job", "programme", "expected_default", "expected_programme"),
    [
        (None, None, False, False),
        ("none", False, False, False),
        ("none", True, False, True),
        ("ordinary", None, True, True),
        ("flex", False, True, True),
        ("internship", None, True, True),
    ],
    ids=["blank", "none", "programme-only", "ordinary", "flex", "internship"],
)
def test_in_job(job: str | None, programme: bool | None, expected_default: bool, expected_programme: bool) -> None:
    reg = StatusRegistration(date(2024, 1, 1), None, job, programme)
    assert in_job(reg, PROGRAMME_NOT_JOB) is expected_default
    assert in_job(reg, PROGRAMME_AS_JOB) is expected_programme


def test_status_history_keeps_dated_rows_with_a_status_in_date_order() -> None:
    meetings = [
        Meeting(2, "U-0001", date(2024, 6, 1), "quarterly", True, education="fgu"),
        Meeting(3, "U-0001", date(2024, 1, 1), "start", True, job="none", programme=False),
        Meeting(4, "U-0001", date(2024, 3, 1), "extra", True),  # no status recorded
        Meeting(5, "U-0001", None, "extra", True, education="stu"),  # no date
        Meeting(6, "U-0001", date(2024, 2, 1), "extra", False, programme=True),
    ]
    assert status_history(meetings) == [
        StatusRegistration(date(2024, 1, 1), None, "none", False),
        StatusRegistration(date(2024, 2, 1), None, None, True),
        StatusRegistration(date(2024, 6, 1), "fgu", None, None),
    ]
    assert status_history([]) == []


EDUCATION_CODES = st.one_of(st.none(), st.sampled_from(schema.EDUCATION.codes))
JOB_CODES = st.one_of(st.none(), st.sampled_from(schema.JOB.codes))
REGISTRATIONS = st.lists(
    st.builds(
        StatusRegistration,
        st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        EDUCATION_CODES,
        JOB_CODES,
        st.one_of(st.none(), st.booleans()),
    ),
    max_size=8,
    unique_by=lambda reg: reg.date,
)


@settings(max_examples=200, deadline=None)
@given(REGISTRATIONS)
def test_outcome_is_a_known_category_and_success_means_ever_started(regs: list[StatusRegistration]) -> None:
    codes = {category.code for category in OUTCOME_CATEGORIES}
    for current_settings in (DEFAULT_SETTINGS, PROGRAMME_AS_JOB):
        code = outcome_category(regs, current_settings)
        assert code in codes
        ever_education = any(in_education(reg) for reg in regs)
        ever_job = any(in_job(reg, current_settings) for reg in regs)
        assert (code == "none") == (not ever_education and not ever_job)
        assert outcome_category(list(reversed(regs)), current_settings) == code


# --------------------------------------------------------------------------------------------------
# Life-area progress (core/facts.py): first and latest score per area, over the meetings that score it
# --------------------------------------------------------------------------------------------------

_AREAS = schema.LIFE_AREA.codes


def _reference_life_areas(dated: list[Meeting], areas: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """The definition, area by area: its first and latest score (meetings by date and row), when scored on more
    than one date."""
    facts = []
    for area in areas:
        scoring = [meeting for meeting in dated if area in meeting.scores]
        if scoring and scoring[0].date != scoring[-1].date:
            facts.append((area, scoring[0].scores[area], scoring[-1].scores[area]))
    return tuple(facts)


@st.composite
def _scored_meetings(draw: st.DrawFn) -> list[Meeting]:
    """Meetings by (date, row): all areas in order (the common case), the same areas in another order, or any
    areas; some meetings unscored, some on the same date."""
    shape = draw(st.sampled_from(["all", "same-shuffled", "any"]))
    same = draw(st.permutations(_AREAS).map(lambda areas: areas[: len(_AREAS) - 2]))
    meetings = []
    for row in range(2, 2 + draw(st.integers(0, 6))):
        day = date(2025, 1, 1 + draw(st.integers(0, 3)))
        if draw(st.booleans()) and shape != "any":
            keys: list[str] = []
        elif shape == "all":
            keys = list(_AREAS)
        elif shape == "same-shuffled":
            keys = draw(st.permutations(same))
        else:
            keys = draw(st.lists(st.sampled_from(_AREAS), unique=True))
        scores = {key: draw(st.integers(1, 10)) for key in keys}
        meetings.append(Meeting(row, "U-0001", day, "follow_up", True, scores=scores))
    return sorted(meetings, key=lambda meeting: (meeting.date, meeting.row))


@settings(max_examples=300, deadline=None)
@given(_scored_meetings(), st.sampled_from([_AREAS, _AREAS[::-1], _AREAS[2:7]]))
def test_life_area_facts_match_their_definition(dated: list[Meeting], areas: tuple[str, ...]) -> None:
    """Every path of ``_life_area_facts`` (all areas in order, the same areas in any order, mixed areas) gives what
    the definition gives, in the settings' order of areas."""
    assert _life_area_facts(dated, areas, _Shared()) == _reference_life_areas(dated, areas)
