"""Planted entry mistakes: typical typing errors written over a demo workbook's clean data.

Each planter picks a cell where its mistake causes exactly one problem (its code at its cell, nothing else),
takes the value out of the typed data (so the data is what reading the file gives back) and returns the raw value
the writer puts in the cell. Pure: no files, no Excel; randomness only from the ``random.Random`` passed in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from samarbejde_xl import schema
from samarbejde_xl.core.model import Case, Meeting

MAX_PLANTED_PER_WORKBOOK = 3


@dataclass(frozen=True)
class PlantedMistake:
    """A deliberate entry mistake: ``value`` is written raw into ``sheet!cell``; reading reports ``code`` there."""

    sheet: str
    cell: str
    value: object  # None = the cell is left empty
    code: str  # the problem code reading/validation must report at (sheet, cell)
    description: str  # Danish: demo-data prints it, examples/README.md lists it


_DANISH_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

_BAD_CHOICES: dict[str, tuple[str, ...]] = {
    "education": ("gymnasiet", "10. kl.", "efterskole"),
    "job": ("fritidsjob", "deltid", "arbejder"),
    "closeness": ("meget tæt", "nær"),
    "life_area": ("Skole", "Venner"),
}

# --------------------------------------------------------------------------------------------------


class DraftWorkbook:
    """A workbook's cases and meetings while mistakes are planted (replacing frozen items)."""

    def __init__(self, cases: list[Case], meetings: list[Meeting]) -> None:
        self.cases = cases
        self.meetings = meetings
        self.used: set[tuple[str, str]] = set()

    def free(self, sheet: str, cell: str) -> bool:
        return (sheet, cell) not in self.used


_Planter = Callable[[random.Random, DraftWorkbook], PlantedMistake | None]


def _date_as_text(rng: random.Random, day: date) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{day.day}/{day.month}/{day.year}"
    if style == 1:
        return f"{day:%d.%m.%Y}"
    return f"{day.day}. {_DANISH_MONTHS[day.month - 1]} {day.year}"


def _plant_date_text_next_meeting(rng: random.Random, book: DraftWorkbook) -> PlantedMistake | None:
    sheet = schema.SHEET_CHECKLIST
    options = [
        index
        for index, meeting in enumerate(book.meetings)
        if meeting.next_meeting is not None and book.free(sheet, schema.checklist_cell(meeting.row, "next_meeting"))
    ]
    if not options:
        return None
    index = rng.choice(options)
    meeting = book.meetings[index]
    assert meeting.next_meeting is not None
    text = _date_as_text(rng, meeting.next_meeting)
    book.meetings[index] = replace(meeting, next_meeting=None)
    cell = schema.checklist_cell(meeting.row, "next_meeting")
    return PlantedMistake(
        sheet, cell, text, "date-text", f"næste mødedato skrevet som tekst {text!r} ({meeting.case_id})"
    )


def _plant_date_text_intervention_end(rng: random.Random, book: DraftWorkbook) -> PlantedMistake | None:
    block = schema.CASE_BLOCKS_BY_KEY["interventions"]
    options = [
        (case_index, item_index)
        for case_index, case in enumerate(book.cases)
        for item_index, item in enumerate(case.interventions)
        if item.end is not None and book.free(case.sheet, block.cell(item_index, "end"))
    ]
    if not options:
        return None
    case_index, item_index = rng.choice(options)
    case = book.cases[case_index]
    item = case.interventions[item_index]
    assert item.end is not None
    text = _date_as_text(rng, item.end)
    items = list(case.interventions)
    items[item_index] = replace(item, end=None)
    book.cases[case_index] = replace(case, interventions=tuple(items))
    return PlantedMistake(
        case.sheet, block.cell(item_index, "end"), text, "date-text", f"indsatsens slutdato skrevet som tekst {text!r}"
    )


def _plant_score(rng: random.Random, book: DraftWorkbook) -> PlantedMistake | None:
    sheet = schema.SHEET_CHECKLIST
    options = [
        (index, area)
        for index, meeting in enumerate(book.meetings)
        for area in meeting.scores
        if book.free(sheet, schema.checklist_cell(meeting.row, schema.SCORE_PREFIX + area))
    ]
    if not options:
        return None
    index, area = rng.choice(options)
    meeting = book.meetings[index]
    value: object = rng.choice((11, 0, "7,5", 12))
    scores = {key: score for key, score in meeting.scores.items() if key != area}
    book.meetings[index] = replace(meeting, scores=scores)
    cell = schema.checklist_cell(meeting.row, schema.SCORE_PREFIX + area)
    return PlantedMistake(sheet, cell, value, "score-range", f"livsområde-score {value!r} ({meeting.case_id})")


def _plant_not_in_list(rng: random.Random, book: DraftWorkbook) -> PlantedMistake | None:
    checklist = schema.SHEET_CHECKLIST
    network = schema.CASE_BLOCKS_BY_KEY["network"]
    options: list[tuple[str, int, int]] = []  # (what, index, item index)
    for index, meeting in enumerate(book.meetings):
        for key in ("education", "job"):
            if getattr(meeting, key) is not None and book.free(checklist, schema.checklist_cell(meeting.row, key)):
                options.append((key, index, 0))
    for case_index, case in enumerate(book.cases):
        for item_index, person in enumerate(case.network):
            if person.closeness is not None and book.free(case.sheet, network.cell(item_index, "closeness")):
                options.append(("closeness", case_index, item_index))
    if not options:
        return None
    what, index, item_index = rng.choice(options)
    value = rng.choice(_BAD_CHOICES[what])
    if what == "closeness":
        case = book.cases[index]
        people = list(case.network)
        people[item_index] = replace(people[item_index], closeness=None)
        book.cases[index] = replace(case, network=tuple(people))
        return PlantedMistake(
            case.sheet,
            network.cell(item_index, "closeness"),
            value,
            "not-in-list",
            f"nærhed {value!r} findes ikke i listen",
        )
    meeting = book.meetings[index]
    if what == "education":
        book.meetings[index] = replace(meeting, education=None)
    else:
        book.meetings[index] = replace(meeting, job=None)
    cell = schema.checklist_cell(meeting.row, what)
    return PlantedMistake(
        checklist,
        cell,
        value,
        "not-in-list",
        f"{schema.CHECKLIST_COLUMNS_BY_KEY[what].header.lower()} {value!r} findes ikke i listen ({meeting.case_id})",
    )


def _plant_cpr(rng: random.Random, book: DraftWorkbook) -> PlantedMistake | None:
    notes_cell = schema.CASE_FIELDS_BY_KEY["notes"].cell
    options = [index for index, case in enumerate(book.cases) if book.free(case.sheet, notes_cell)]
    if not options:
        return None
    index = rng.choice(options)
    case = book.cases[index]
    assert case.birth_date is not None
    # CPR-shaped with an obviously synthetic serial: the date part is the invented birth date.
    number = f"{case.birth_date:%d%m%y}-0000"
    text = f"{case.notes} Mor oplyste CPR {number}.".strip()
    book.cases[index] = replace(case, notes=text)
    return PlantedMistake(case.sheet, notes_cell, text, "cpr-like", f"CPR-lignende nummer {number} i noterne")


def _plant_required_missing(rng: random.Random, book: DraftWorkbook) -> PlantedMistake | None:
    checklist = schema.SHEET_CHECKLIST
    coordinator_cell = schema.CASE_FIELDS_BY_KEY["coordinator"].cell
    options: list[tuple[str, int]] = [
        ("coordinator", index) for index, case in enumerate(book.cases) if book.free(case.sheet, coordinator_cell)
    ]
    options += [
        ("present", index)
        for index, meeting in enumerate(book.meetings)
        if book.free(checklist, schema.checklist_cell(meeting.row, "young_person_present"))
    ]
    if not options:
        return None
    what, index = rng.choice(options)
    if what == "coordinator":
        case = book.cases[index]
        book.cases[index] = replace(case, coordinator="")
        return PlantedMistake(case.sheet, coordinator_cell, None, "required-missing", "koordinator/guide ikke udfyldt")
    meeting = book.meetings[index]
    book.meetings[index] = replace(meeting, young_person_present=None)
    cell = schema.checklist_cell(meeting.row, "young_person_present")
    return PlantedMistake(
        checklist, cell, None, "required-missing", f"'den unge deltog' ikke udfyldt ({meeting.case_id})"
    )


_PLANTERS: tuple[_Planter, ...] = (
    _plant_date_text_next_meeting,
    _plant_date_text_intervention_end,
    _plant_score,
    _plant_not_in_list,
    _plant_cpr,
    _plant_required_missing,
)


def plant(rng: random.Random, book: DraftWorkbook) -> tuple[PlantedMistake, ...]:
    """0 to MAX_PLANTED_PER_WORKBOOK mistakes, each in its own cell; ``book`` loses the values they replace."""
    planted: list[PlantedMistake] = []
    for _ in range(rng.randint(0, MAX_PLANTED_PER_WORKBOOK)):
        mistake = rng.choice(_PLANTERS)(rng, book)
        if mistake is not None:
            book.used.add((mistake.sheet, mistake.cell))
            planted.append(mistake)
    return tuple(planted)
