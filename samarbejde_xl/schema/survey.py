"""The professionals' survey workbook (Fagpersoners vurdering, seed 001), read by ``consolidate --survey``."""

from __future__ import annotations

from .cells import column_letter
from .layout import Column
from .vocabulary import PROFESSION, Choice, Kind

SURVEY_ANSWER = Choice(
    "survey_answer",
    "Svar",
    (
        ("high", "Meget høj eller høj grad"),
        ("some", "Nogen grad"),
        ("low", "Mindre grad eller slet ikke"),
    ),
)
SURVEY_QUESTION = (
    "I hvilken grad vurderer du, at arbejdet med samarbejdsmodellen overordnet har haft følgende positive effekter?"
)
SURVEY_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("holistic", "De unge får en mere dækkende og helhedsorienteret indsats"),
    ("complement", "Initiativer rettet mod den unge supplerer hinanden i højere grad"),
    ("barriers", "Nedbryde barrierer på tværs af fag- og ansvarsområder"),
    ("partners", "Samarbejdspartnere bidrager konstruktivt til samarbejdet om de unges sager"),
)
SURVEY_STATEMENT_PREFIX = "statement."
SURVEY_TITLE = "Samarbejdsmodellen – fagpersoners vurdering af samarbejdet"
SURVEY_SHEET = "Vurdering"
SURVEY_LISTS_SHEET = "Lister"
SURVEY_TITLE_CELL = "A1"
SURVEY_QUESTION_CELL = "A2"
SURVEY_HELP_CELL = "A3"
SURVEY_HELP = (
    "Én række pr. fagperson. Vælg et svar til hvert udsagn. Skriv ikke navne: svarene samles uden navne i "
    "ledergruppens rapport."
)
SURVEY_HEADER_ROW = 5
SURVEY_FIRST_ROW = 6
SURVEY_TEMPLATE_ROWS = 200
SURVEY_COLUMNS: tuple[Column, ...] = (
    Column("date", "Dato for besvarelsen", Kind.DATE, width=14),
    Column("profession", "Profession", Kind.CHOICE, PROFESSION, width=30),
    *(
        Column(SURVEY_STATEMENT_PREFIX + code, text, Kind.CHOICE, SURVEY_ANSWER, width=30)
        for code, text in SURVEY_STATEMENTS
    ),
)
SURVEY_LISTS: tuple[Choice, ...] = (SURVEY_ANSWER, PROFESSION)


def survey_column(key: str) -> int:
    for index, column in enumerate(SURVEY_COLUMNS, start=1):
        if column.key == key:
            return index
    raise KeyError(f"no survey column {key!r}")


def survey_list_range(choice: Choice) -> str:
    column = column_letter(SURVEY_LISTS.index(choice) + 1)
    return f"'{SURVEY_LISTS_SHEET}'!${column}$2:${column}${len(choice.values) + 1}"
