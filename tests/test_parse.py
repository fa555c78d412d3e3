"""core.parse: cell grids -> typed data and problems. Grids are built by hand through the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbejde_xl import schema
from samarbejde_xl.core import identifiers, parse
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.core.parse import (
    DATE_HINT_GENERIC,
    TEXT_MAX_LENGTH,
    contains_cpr_like,
    date_from_serial,
    guess_date,
    parse_workbook,
)
from samarbejde_xl.core.problems import PROBLEM_TYPES, Problem, Severity
from samarbejde_xl.core.raw import RawSheet, RawWorkbook

FILE = "sager.xlsx"
CASE_ID = "U-0001"
FIELDS = schema.CASE_FIELDS_BY_KEY
BLOCKS = schema.CASE_BLOCKS_BY_KEY


def put(sheet: RawSheet, address: str, value: Any) -> None:
    row, col = schema.parse_cell(address)
    while len(sheet.rows) < row:
        sheet.rows.append([])
    cells = sheet.rows[row - 1]
    while len(cells) < col:
        cells.append("")
    cells[col - 1] = value


class Book:
    """A RawWorkbook under construction: fixed sheets as the template has them, cases and meetings by key."""

    def __init__(self) -> None:
        self.sheets: dict[str, RawSheet] = {}
        settings = self.sheet(schema.SHEET_SETTINGS)
        put(settings, schema.TEMPLATE_VERSION_CELL, float(schema.TEMPLATE_VERSION))
        checklist = self.sheet(schema.SHEET_CHECKLIST)
        for index, column in enumerate(schema.CHECKLIST_COLUMNS, start=1):
            put(checklist, schema.cell_address(schema.CHECKLIST_HEADER_ROW, index), column.header)
        self.next_meeting_row = schema.CHECKLIST_FIRST_ROW

    def sheet(self, name: str, visible: str = "visible") -> RawSheet:
        sheet = self.sheets.setdefault(name, RawSheet(name, [], visible))
        sheet.visible = visible
        return sheet

    def case(
        self, case_id: str = CASE_ID, *, sheet: str | None = None, visible: str = "visible", **values: Any
    ) -> RawSheet:
        """A case sheet with the required fields filled in (override or blank them with keyword arguments)."""
        raw = self.sheet(sheet or case_id, visible)
        put(raw, schema.CASE_TITLE_CELL, schema.CASE_SHEET_TITLE)
        filled: dict[str, Any] = {
            "case_id": case_id,
            "birth_date": dt.date(2008, 3, 1),
            "variant": "udsatte",
            "inclusion_date": dt.date(2023, 4, 1),
            "coordinator": "KL",
            **values,
        }
        for key, value in filled.items():
            put(raw, FIELDS[key].cell, value)
        return raw

    def block_row(self, sheet: RawSheet, block: str, index: int, **values: Any) -> int:
        for key, value in values.items():
            put(sheet, BLOCKS[block].cell(index, key), value)
        return BLOCKS[block].first_row + index

    def meeting(self, row: int | None = None, /, **values: Any) -> int:
        """A Mødetjekliste row; required columns are filled unless given (None leaves a cell empty)."""
        row = row or self.next_meeting_row
        self.next_meeting_row = row + 1
        filled: dict[str, Any] = {
            "case_id": CASE_ID,
            "date": dt.date(2024, 2, 1),
            "kind": "Startmøde",
            "young_person_present": "ja",
            **values,
        }
        for key, value in filled.items():
            if value is not None:
                put(self.sheets[schema.SHEET_CHECKLIST], schema.checklist_cell(row, key), value)
        return row

    def raw(self) -> RawWorkbook:
        return RawWorkbook(FILE, dict(self.sheets))


@pytest.fixture
def book() -> Book:
    return Book()


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def only(problems: list[Problem], code: str) -> Problem:
    found = [problem for problem in problems if problem.code == code]
    assert len(found) == 1, problems
    return found[0]


# --------------------------------------------------------------------------------------------------
# A clean workbook
# --------------------------------------------------------------------------------------------------


def test_clean_workbook_reads_typed_values_and_no_problems(book: Book) -> None:
    sheet = book.case(initials="AB", notes="Går i 9. klasse", end_reason="mål nået", end_date=dt.datetime(2025, 1, 2))
    team_row = book.block_row(sheet, "team", 0, name="Fagperson 1", profession="UU-vejleder", department="UU")
    book.block_row(sheet, "network", 2, name="Moster", closeness="tæt", is_adult="ja", may_attend="nej")
    book.block_row(sheet, "consent", 0, given_on=dt.date(2023, 4, 1), given_by="den unge", parties="UU")
    book.block_row(sheet, "agreements", 1, goal="Starte på FGU", life_area="Uddannelse", responsible="den unge")
    book.block_row(sheet, "interventions", 0, kind="mentor", start=dt.date(2023, 5, 1), responsible="andet")
    meeting_row = book.meeting(
        adult_present="nej",
        **{
            schema.PROFESSION_PRESENT_PREFIX + "uu": "ja",
            schema.PROFESSION_PRESENT_PREFIX + "jobcenter": "nej",
            schema.SCORE_PREFIX + "social": 7.0,
            schema.SCORE_PREFIX + "housing": 10.0,
            schema.INVOLVEMENT_PREFIX + "heard": 4.0,
            schema.INVOLVEMENT_PREFIX + "useful": "ved ikke",
        },
        agreements_made=2.0,
        education="FGU",
        job="intet job",
        programme="ja",
        scored_by="sammen",
        next_meeting=dt.date(2024, 5, 1),
        recorded_by="KL",
    )
    put(book.sheets[schema.SHEET_SETTINGS], schema.settings_value_cell("municipality"), "Eksempel Kommune")
    put(book.sheets[schema.SHEET_SETTINGS], schema.settings_value_cell("soon_days"), 14.0)

    data, problems = parse_workbook(book.raw())

    assert problems == []
    assert data.file == FILE
    assert data.template_version == schema.TEMPLATE_VERSION
    assert data.municipality == "Eksempel Kommune"
    assert data.settings == {"soon_days": 14.0}
    (case,) = data.cases
    assert (case.sheet, case.case_id, case.initials, case.coordinator) == (CASE_ID, CASE_ID, "AB", "KL")
    assert (case.birth_date, case.inclusion_date, case.end_date) == (
        dt.date(2008, 3, 1),
        dt.date(2023, 4, 1),
        dt.date(2025, 1, 2),
    )
    assert (case.variant, case.end_reason, case.notes) == ("udsatte", "goals_met", "Går i 9. klasse")
    (member,) = case.team
    assert (member.name, member.profession, member.department, member.row) == ("Fagperson 1", "uu", "UU", team_row)
    (person,) = case.network
    assert (person.closeness, person.is_adult, person.may_attend, person.row) == (
        "close",
        True,
        False,
        BLOCKS["network"].first_row + 2,
    )
    assert case.consents[0].given_by == "young_person"
    assert (case.agreements[0].life_area, case.agreements[0].responsible) == ("education", "young_person")
    assert case.interventions[0].start == dt.date(2023, 5, 1)
    (meeting,) = data.meetings
    assert meeting.row == meeting_row
    assert (meeting.case_id, meeting.date, meeting.kind) == (CASE_ID, dt.date(2024, 2, 1), "start")
    assert (meeting.young_person_present, meeting.adult_present, meeting.programme) == (True, False, True)
    assert meeting.professions_present == frozenset({"uu"})
    assert meeting.scores == {"social": 7, "housing": 10}
    assert meeting.involvement == {"heard": 4, "useful": None}
    assert (meeting.agreements_made, meeting.education, meeting.job, meeting.scored_by) == (
        2,
        "fgu",
        "none",
        "together",
    )
    assert (meeting.next_meeting, meeting.recorded_by) == (dt.date(2024, 5, 1), "KL")


def test_every_problem_code_used_is_registered_with_a_danish_message(book: Book) -> None:
    sheet = book.case(birth_date="1/2/2008", variant="andet", notes="150205-1234")
    book.block_row(sheet, "team", 0, profession="bager")
    book.meeting(**{schema.SCORE_PREFIX + "social": "syv", schema.INVOLVEMENT_PREFIX + "heard": 9.0})
    book.sheet("Noter")
    _data, problems = parse_workbook(book.raw())
    assert len(problems) >= 6
    for problem in problems:
        assert problem.code in PROBLEM_TYPES
        assert problem.file == FILE
        assert problem.sheet
        assert "{" not in problem.message and problem.message


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------

MEANT = "Mente du 01-02-2024? Skriv datoen igen som dd-mm-åååå, så Excel gemmer den som en dato."


@pytest.mark.parametrize(
    "text",
    [
        "1/2/2024",
        "01.02.2024",
        "1-2-2024",
        "01-02-2024",
        "2024-02-01",
        "1. feb 2024",
        "1. februar 2024",
        " 1 Feb. 2024 ",
    ],
    ids=["slash", "dots", "dashes", "dd-mm-yyyy-as-text", "iso", "short-month", "long-month", "spaces-case"],
)
def test_date_typed_as_text_is_an_error_with_the_meant_date_in_the_hint(book: Book, text: str) -> None:
    book.case(inclusion_date=text)
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "date-text")
    assert data.cases[0].inclusion_date is None
    assert problem.severity is Severity.ERROR
    assert (problem.sheet, problem.cell, problem.case_id) == (CASE_ID, FIELDS["inclusion_date"].cell, CASE_ID)
    assert problem.message == f"'{text.strip()}' i Inklusionsdato er tekst, ikke en dato. {MEANT}"


@pytest.mark.parametrize(
    "text",
    ["i går", "31/2/2024", "1. fjerde 2024", "2024"],
    ids=["words", "no-such-day", "unknown-month", "year-only"],
)
def test_date_text_without_a_recognisable_date_gets_the_generic_hint(book: Book, text: str) -> None:
    book.case(birth_date=text)
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "date-text")
    assert data.cases[0].birth_date is None
    assert problem.message.endswith(DATE_HINT_GENERIC)
    assert "Mente du" not in problem.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (45323.0, dt.date(2024, 2, 1)),
        (45323.75, dt.date(2024, 2, 1)),
        (1.0, dt.date(1900, 1, 1)),
        (59.0, dt.date(1900, 2, 28)),
        (61.0, dt.date(1900, 3, 1)),
        (73050.0, dt.date(2099, 12, 31)),
        (45323, dt.date(2024, 2, 1)),
        (dt.datetime(2024, 2, 1, 13, 5), dt.date(2024, 2, 1)),
    ],
    ids=["serial", "serial-with-time", "first", "before-leap-bug", "after-leap-bug", "last", "int", "datetime"],
)
def test_numbers_in_date_cells_are_excel_serials(book: Book, value: Any, expected: dt.date) -> None:
    book.case(inclusion_date=value)
    data, problems = parse_workbook(book.raw())
    assert problems == []
    assert data.cases[0].inclusion_date == expected


@pytest.mark.parametrize(
    "value",
    [0.0, -3.0, 60.0, 73051.0, 1022024.0, True, dt.time(12, 0), dt.date(4698, 2, 27), dt.date(1850, 1, 1)],
    ids=["zero", "negative", "excel-29-feb-1900", "after-2099", "ddmmyyyy-typed", "bool", "time", "date-late", "early"],
)
def test_impossible_date_values_are_date_invalid(book: Book, value: Any) -> None:
    book.case(inclusion_date=value)
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "date-invalid")
    assert data.cases[0].inclusion_date is None
    assert problem.cell == FIELDS["inclusion_date"].cell
    assert "Inklusionsdato" in problem.message


@pytest.mark.parametrize("value", [dt.date(4698, 2, 27), dt.date(1850, 1, 1)], ids=["date-late", "early"])
def test_an_impossible_date_in_a_table_is_date_invalid_as_in_a_case_field(book: Book, value: Any) -> None:
    """A typo in a date-formatted cell (01022008 shows as 27-02-4698) in the Mødetjekliste or a case sheet's table
    is refused as in a case field, whether its column's other cells are fine or not."""
    sheet = book.case()
    book.block_row(sheet, "agreements", 0, goal="Starte på FGU", responsible="den unge", deadline=dt.date(2024, 6, 1))
    agreement_row = book.block_row(sheet, "agreements", 1, goal="Få job", responsible="den unge", deadline=value)
    book.meeting()
    meeting_row = book.meeting(date=value)
    data, problems = parse_workbook(book.raw())
    invalid = [problem for problem in problems if problem.code == "date-invalid"]
    assert {problem.cell for problem in invalid} == {
        schema.checklist_cell(meeting_row, "date"),
        BLOCKS["agreements"].cell(agreement_row - BLOCKS["agreements"].first_row, "deadline"),
    }
    assert [agreement.deadline for agreement in data.cases[0].agreements] == [dt.date(2024, 6, 1), None]
    assert [meeting.date for meeting in data.meetings] == [dt.date(2024, 2, 1), None]


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 31)))
def test_serial_conversion_matches_excel_for_dates_after_the_leap_bug(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    assert date_from_serial(float(serial)) == day


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_common_spelling_guesses_the_same_date(day: dt.date) -> None:
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december"]  # fmt: skip
    spellings = [
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day.day}-{day.month}-{day.year}",
        f"{day.year}-{day:%m-%d}",
        f"{day.day}. {months[day.month - 1]} {day.year}",
        f"{day.day}. {months[day.month - 1][:3]} {day.year}",
    ]
    assert {spelling: guess_date(spelling) for spelling in spellings} == dict.fromkeys(spellings, day)


# --------------------------------------------------------------------------------------------------
# Scores, counts, involvement
# --------------------------------------------------------------------------------------------------

SOCIAL = schema.SCORE_PREFIX + "social"


@pytest.mark.parametrize(
    "value",
    [0.0, 11.0, 7.5, "7,5", "syv", -1.0, True],
    ids=["zero", "eleven", "fraction", "comma-text", "word", "negative", "bool"],
)
def test_scores_outside_1_to_10_are_errors_and_left_out(book: Book, value: Any) -> None:
    row = book.meeting(**{SOCIAL: value, schema.SCORE_PREFIX + "housing": 5.0})
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "score-range")
    assert data.meetings[0].scores == {"housing": 5}
    assert (problem.sheet, problem.cell, problem.case_id) == (
        schema.SHEET_CHECKLIST,
        schema.checklist_cell(row, SOCIAL),
        CASE_ID,
    )
    assert "Score: Socialt liv" in problem.message
    assert problem.severity is Severity.ERROR


def test_score_typed_as_text_is_used_with_a_warning(book: Book) -> None:
    book.meeting(**{SOCIAL: " 7 "})
    data, problems = parse_workbook(book.raw())
    assert data.meetings[0].scores == {"social": 7}
    assert codes(problems) == ["number-as-text"]
    assert problems[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("value", "expected", "problem_codes"),
    [
        (3.0, 3, []),
        (0.0, 0, []),
        ("2", 2, ["number-as-text"]),
        (-1.0, None, ["number-invalid"]),
        (2.5, None, ["number-invalid"]),
        ("to", None, ["number-invalid"]),
    ],
    ids=["number", "zero", "text", "negative", "fraction", "word"],
)
def test_counts_are_whole_numbers_from_zero(
    book: Book, value: Any, expected: int | None, problem_codes: list[str]
) -> None:
    book.meeting(agreements_made=value)
    data, problems = parse_workbook(book.raw())
    assert data.meetings[0].agreements_made == expected
    assert codes(problems) == problem_codes


HEARD = schema.INVOLVEMENT_PREFIX + "heard"


@pytest.mark.parametrize(
    ("value", "answers", "problem_codes"),
    [
        (1.0, {"heard": 1}, []),
        ("5", {"heard": 5}, []),
        ("Ved ikke", {"heard": None}, []),
        (6.0, {}, ["involvement-range"]),
        (0.0, {}, ["involvement-range"]),
        ("nogle gange", {}, ["involvement-range"]),
    ],
    ids=["one", "dropdown-text", "dont-know", "six", "zero", "words"],
)
def test_involvement_answers(book: Book, value: Any, answers: dict[str, int | None], problem_codes: list[str]) -> None:
    book.meeting(**{HEARD: value})
    data, problems = parse_workbook(book.raw())
    assert data.meetings[0].involvement == answers
    assert codes(problems) == problem_codes


# --------------------------------------------------------------------------------------------------
# Lists and yes/no
# --------------------------------------------------------------------------------------------------


def test_value_not_in_list_is_an_error_naming_the_allowed_values(book: Book) -> None:
    row = book.meeting(kind="Møde")
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "not-in-list")
    assert data.meetings[0].kind is None
    assert problem.cell == schema.checklist_cell(row, "kind")
    assert problem.message == (
        f"'Møde' i Mødetype findes ikke på listen. Vælg en af: {', '.join(schema.MEETING_KIND.labels)}."
    )


def test_list_values_ignore_case_and_surrounding_spaces(book: Book) -> None:
    book.case(variant=" PSYKISK ")
    book.meeting(kind="  startmøde", education="fgu")
    data, problems = parse_workbook(book.raw())
    assert problems == []
    assert data.cases[0].variant == "psykisk"
    assert (data.meetings[0].kind, data.meetings[0].education) == ("start", "fgu")


@pytest.mark.parametrize(
    ("value", "expected", "problem_codes"),
    [("ja", True, []), ("NEJ", False, []), (True, True, []), (False, False, []), ("måske", None, ["not-in-list"])],
    ids=["ja", "nej-upper", "true-cell", "false-cell", "other"],
)
def test_yes_no(book: Book, value: Any, expected: bool | None, problem_codes: list[str]) -> None:
    book.meeting(adult_present=value)
    data, problems = parse_workbook(book.raw())
    assert data.meetings[0].adult_present is expected
    assert codes(problems) == problem_codes


def test_profession_columns_with_an_unknown_answer_still_count_the_yes_answers(book: Book) -> None:
    prefix = schema.PROFESSION_PRESENT_PREFIX
    book.meeting(**{prefix + "uu": "Ja", prefix + "jobcenter": "x", prefix + "icm": "ja"})
    data, problems = parse_workbook(book.raw())
    assert data.meetings[0].professions_present == frozenset({"uu", "icm"})
    assert codes(problems) == ["not-in-list"]


# --------------------------------------------------------------------------------------------------
# Text: CPR-like numbers, length, numbers in text cells
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Ring til mor, cpr 150205-1234", "1502051234", "150205 1234", "født 290200-4321", 1502051234.0],
    ids=["dash", "no-dash", "space", "29-feb-2000", "number-cell"],
)
def test_cpr_like_numbers_in_text_are_warned(book: Book, text: Any) -> None:
    book.case(notes=text)
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "cpr-like")
    assert problem.severity is Severity.WARNING
    assert problem.cell == FIELDS["notes"].cell
    assert "Bemærkninger" in problem.message
    assert data.cases[0].notes  # the text is still read: the warning asks the user to delete it


@pytest.mark.parametrize(
    "text",
    ["9912345678", "tlf 4512345678", "mødt 15-02-2005", "150205", "15022005", "310299-1234", "12345678901"],
    ids=["no-date-part", "phone", "date-with-dashes", "six-digits", "ddmmyyyy", "no-31-feb", "eleven-digits"],
)
def test_numbers_that_are_not_cpr_like_are_not_warned(book: Book, text: str) -> None:
    book.case(notes=text)
    _data, problems = parse_workbook(book.raw())
    assert problems == []
    assert not contains_cpr_like(text)


def test_cpr_in_checklist_free_text_names_the_row_and_case(book: Book) -> None:
    row = book.meeting(own_view="min cpr er 010203-1234")
    _data, problems = parse_workbook(book.raw())
    problem = only(problems, "cpr-like")
    assert (problem.sheet, problem.cell, problem.case_id) == (
        schema.SHEET_CHECKLIST,
        schema.checklist_cell(row, "own_view"),
        CASE_ID,
    )


def test_very_long_text_is_warned(book: Book) -> None:
    book.case(notes="x" * (TEXT_MAX_LENGTH + 1))
    _data, problems = parse_workbook(book.raw())
    problem = only(problems, "text-too-long")
    assert str(TEXT_MAX_LENGTH + 1) in problem.message


def test_numbers_in_text_cells_read_as_excel_shows_them(book: Book) -> None:
    sheet = book.case(initials=7.0, coordinator=12.5)
    book.block_row(sheet, "team", 0, name=1001.0)
    data, problems = parse_workbook(book.raw())
    assert problems == []
    assert (data.cases[0].initials, data.cases[0].coordinator, data.cases[0].team[0].name) == ("7", "12.5", "1001")


# --------------------------------------------------------------------------------------------------
# Required fields, empty rows
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [f.key for f in schema.CASE_FIELDS if f.required], ids=str)
def test_missing_required_case_field(book: Book, key: str) -> None:
    book.case(**{key: "   "})
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "required-missing")
    assert problem.cell == FIELDS[key].cell
    assert problem.message == f"{FIELDS[key].label} mangler. Udfyld feltet."
    assert len(data.cases) == 1


@pytest.mark.parametrize("key", ["case_id", "date"], ids=str)
def test_checklist_row_without_case_id_or_date(book: Book, key: str) -> None:
    row = book.meeting(**{key: None})
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "required-missing")
    assert problem.cell == schema.checklist_cell(row, key)
    assert len(data.meetings) == 1


def test_blank_checklist_rows_are_skipped_and_rows_keep_their_numbers(book: Book) -> None:
    first = book.meeting()
    book.meeting(first + 5, recorded_by="MJ")
    put(book.sheets[schema.SHEET_CHECKLIST], schema.checklist_cell(first + 2, "notes"), "   ")
    data, problems = parse_workbook(book.raw())
    assert problems == []
    assert [meeting.row for meeting in data.meetings] == [first, first + 5]


def test_block_rows_are_read_only_when_something_is_entered(book: Book) -> None:
    sheet = book.case()
    book.block_row(sheet, "agreements", 0, goal="  ")  # spaces only: empty
    second = book.block_row(sheet, "agreements", 3, deadline=dt.date(2024, 9, 1))
    data, problems = parse_workbook(book.raw())
    assert problems == []
    (agreement,) = data.cases[0].agreements
    assert (agreement.goal, agreement.deadline, agreement.row) == ("", dt.date(2024, 9, 1), second)


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------


def test_changed_checklist_header_is_reported_and_rows_still_read(book: Book) -> None:
    column = schema.checklist_column("job")
    put(book.sheets[schema.SHEET_CHECKLIST], schema.cell_address(schema.CHECKLIST_HEADER_ROW, column), "Arbejde")
    book.meeting()
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "checklist-header")
    assert problem.cell == schema.cell_address(schema.CHECKLIST_HEADER_ROW, column)
    assert "'Job'" in problem.message and "'Arbejde'" in problem.message
    assert len(data.meetings) == 1


@pytest.mark.parametrize("key", ["case_id", "date"], ids=str)
def test_checklist_without_its_id_or_date_column_is_not_read(book: Book, key: str) -> None:
    column = schema.checklist_column(key)
    put(book.sheets[schema.SHEET_CHECKLIST], schema.cell_address(schema.CHECKLIST_HEADER_ROW, column), "")
    book.meeting()
    data, problems = parse_workbook(book.raw())
    assert codes(problems) == ["checklist-header", "checklist-not-read"]
    assert data.meetings == ()
    assert schema.CHECKLIST_COLUMNS_BY_KEY[key].header in problems[1].message


def test_missing_checklist_sheet(book: Book) -> None:
    book.case()
    del book.sheets[schema.SHEET_CHECKLIST]
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "missing-sheet")
    assert problem.sheet == schema.SHEET_CHECKLIST
    assert f"'{schema.SHEET_CHECKLIST}'" in problem.message
    assert data.meetings == ()
    assert len(data.cases) == 1


def test_unknown_sheet_is_warned_and_known_sheets_are_not(book: Book) -> None:
    book.case()
    put(book.sheet("Mine noter"), "A1", "noget andet")
    book.sheet(schema.SHEET_PROBLEMS)
    book.case("U-9999", sheet=schema.SHEET_CASE_TEMPLATE)  # the template has the case title but is never a case
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "unknown-sheet")
    assert (problem.sheet, problem.cell) == ("Mine noter", "")
    assert "'Mine noter'" in problem.message
    assert [case.case_id for case in data.cases] == [CASE_ID]


@pytest.mark.parametrize("visible", ["hidden", "veryhidden"], ids=str)
def test_hidden_case_sheet_is_read_with_a_warning(book: Book, visible: str) -> None:
    book.case(visible=visible)
    data, problems = parse_workbook(book.raw())
    problem = only(problems, "hidden-case-sheet")
    assert (problem.sheet, problem.case_id, problem.severity) == (CASE_ID, CASE_ID, Severity.WARNING)
    assert len(data.cases) == 1


def test_formula_in_an_entered_cell_is_warned(book: Book) -> None:
    sheet = book.case()
    sheet.formulas[schema.parse_cell(FIELDS["coordinator"].cell)] = "=B5"
    sheet.formulas[schema.parse_cell(schema.CASE_COMPUTED_FIELDS[0].cell)] = "=TODAY()"  # computed: fine
    row = book.meeting()
    book.sheets[schema.SHEET_CHECKLIST].formulas[(row, schema.checklist_column("agreements_made"))] = "=1+1"
    _data, problems = parse_workbook(book.raw())
    assert [(p.code, p.sheet, p.cell, p.case_id) for p in problems] == [
        ("formula-in-data", CASE_ID, FIELDS["coordinator"].cell, CASE_ID),
        ("formula-in-data", schema.SHEET_CHECKLIST, schema.checklist_cell(row, "agreements_made"), CASE_ID),
    ]


def test_error_value_in_an_entered_cell_is_reported_instead_of_required_missing(book: Book) -> None:
    sheet = book.case(birth_date="")  # calamine reads a cell showing #REF! as ""
    team = BLOCKS["team"]
    positions = {
        "birth_date": schema.parse_cell(FIELDS["birth_date"].cell),  # required
        "notes": schema.parse_cell(FIELDS["notes"].cell),  # optional
        "team_name": schema.parse_cell(team.cell(0, "name")),  # a block row holding nothing but the error
        "computed": schema.parse_cell(schema.CASE_COMPUTED_FIELDS[0].cell),  # not entered: not ours to report
    }
    sheet.errors.update(
        {
            positions["birth_date"]: "#REF!",
            positions["notes"]: "#N/A",
            positions["team_name"]: "#NAME?",
            positions["computed"]: "#VALUE!",
        }
    )
    row = book.meeting(young_person_present=None)  # required column left empty ...
    checklist = book.sheets[schema.SHEET_CHECKLIST]
    checklist.errors[(row, schema.checklist_column("young_person_present"))] = "#DIV/0!"  # ... because it shows this
    checklist.errors[(schema.CHECKLIST_HEADER_ROW - 1, 1)] = "#N/A"  # above the table: not a data cell
    data, problems = parse_workbook(book.raw())
    assert [(p.code, p.severity, p.sheet, p.cell, p.case_id) for p in problems] == [
        ("error-value", Severity.ERROR, CASE_ID, FIELDS["birth_date"].cell, CASE_ID),
        ("error-value", Severity.ERROR, CASE_ID, FIELDS["notes"].cell, CASE_ID),
        ("error-value", Severity.ERROR, CASE_ID, team.cell(0, "name"), CASE_ID),
        (
            "error-value",
            Severity.ERROR,
            schema.SHEET_CHECKLIST,
            schema.checklist_cell(row, "young_person_present"),
            CASE_ID,
        ),
    ]
    assert problems[0].message == (
        f"{FIELDS['birth_date'].label} viser fejlværdien #REF! i stedet for en værdi. Skriv værdien direkte i cellen "
        "(uden formel), eller slet cellens indhold, hvis feltet skal stå tomt."
    )
    assert (
        "#NAME?" in problems[2].message
        and next(c.header for c in team.columns if c.key == "name") in problems[2].message
    )
    assert problems[3].message.startswith(
        f"{schema.CHECKLIST_COLUMNS_BY_KEY['young_person_present'].header} viser fejlværdien #DIV/0! "
    )
    case = data.cases[0]
    assert (case.birth_date, case.notes, case.team) == (None, "", ())  # the values are not guessed
    assert [meeting.young_person_present for meeting in data.meetings] == [None]


def test_a_formula_showing_an_error_value_is_reported_once_as_the_error(book: Book) -> None:
    sheet = book.case(coordinator="")
    coordinator = schema.parse_cell(FIELDS["coordinator"].cell)
    sheet.formulas[coordinator] = "=VLOOKUP(B4,X:Y,2,0)"
    sheet.errors[coordinator] = "#N/A"
    sheet.formulas[schema.parse_cell(FIELDS["initials"].cell)] = '=UPPER("ab")'  # a formula without an error
    _data, problems = parse_workbook(book.raw())
    assert [(p.code, p.cell) for p in problems] == [
        ("formula-in-data", FIELDS["initials"].cell),
        ("error-value", FIELDS["coordinator"].cell),
    ]


def test_without_known_error_values_an_error_cell_is_just_empty(book: Book) -> None:
    book.case(birth_date="")  # what the reader hands over without detect_formulas
    _data, problems = parse_workbook(book.raw())
    assert [(p.code, p.cell) for p in problems] == [("required-missing", FIELDS["birth_date"].cell)]


def test_error_values_in_a_version_1_workbook_point_at_the_version_1_cells() -> None:
    """Older layouts are moved to the current one before parsing: the error positions move with the cells."""
    old = schema.template_layout(1)
    old_fields = {field.key: field for field in old.case_fields}
    settings = RawSheet(schema.SHEET_SETTINGS, [])
    put(settings, schema.TEMPLATE_VERSION_CELL, 1.0)
    case = RawSheet(CASE_ID, [])
    put(case, schema.CASE_TITLE_CELL, schema.CASE_SHEET_TITLE)
    values = {
        "case_id": CASE_ID,
        "birth_date": dt.date(2008, 3, 1),
        "variant": "udsatte",
        "inclusion_date": dt.date(2023, 4, 1),
        "coordinator": "KL",
    }
    for key, value in values.items():
        put(case, old_fields[key].cell, value)
    notes = old_fields["notes"].cell  # a field that moved down one row in version 2
    case.errors[schema.parse_cell(notes)] = "#REF!"
    checklist = RawSheet(schema.SHEET_CHECKLIST, [])
    for index, column in enumerate(old.checklist_columns, start=1):
        put(checklist, schema.cell_address(schema.CHECKLIST_HEADER_ROW, index), column.header)
    row = schema.CHECKLIST_FIRST_ROW
    for key, value in (("case_id", CASE_ID), ("date", dt.date(2024, 2, 1)), ("kind", "Startmøde")):
        put(checklist, schema.cell_address(row, old.checklist_column(key)), value)
    old_recorded_by = old.checklist_column("recorded_by")  # a column that moved right in version 2
    assert old_recorded_by != schema.checklist_column("recorded_by")
    checklist.errors[(row, old.checklist_column("young_person_present"))] = "#N/A"
    checklist.errors[(row, old_recorded_by)] = "#VALUE!"
    raw = RawWorkbook(FILE, {sheet.name: sheet for sheet in (settings, case, checklist)})
    _data, problems = parse_workbook(raw)
    assert [(p.code, p.sheet, p.cell) for p in problems] == [
        ("error-value", CASE_ID, notes),
        ("error-value", schema.SHEET_CHECKLIST, schema.cell_address(row, old.checklist_column("young_person_present"))),
        ("error-value", schema.SHEET_CHECKLIST, schema.cell_address(row, old_recorded_by)),
    ]
    assert FIELDS["notes"].label in problems[0].message
    assert schema.CHECKLIST_COLUMNS_BY_KEY["recorded_by"].header in problems[2].message


def test_settings_values_are_passed_on_uninterpreted(book: Book) -> None:
    settings = book.sheets[schema.SHEET_SETTINGS]
    put(settings, schema.settings_value_cell("attendance_strict"), " nej ")
    put(settings, schema.settings_value_cell("m16.before_days"), "tredive")
    data, problems = parse_workbook(book.raw())
    assert problems == []
    assert data.settings == {"attendance_strict": "nej", "m16.before_days": "tredive"}
    assert data.municipality == ""


# --------------------------------------------------------------------------------------------------
# Not our workbook / template versions
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "code"),
    [
        ("", "foreign"),
        ("abc", "foreign"),
        (0.0, "old-template"),  # issue 6: 0 is older than every supported version (H9)
        (1.5, "foreign"),
        (float(schema.TEMPLATE_VERSION + 1), "newer-template"),
        (str(schema.TEMPLATE_VERSION + 1), "newer-template"),
    ],
    ids=["empty", "text", "zero", "fraction", "newer", "newer-as-text"],
)
def test_template_version_problems_stop_the_read(book: Book, version: Any, code: str) -> None:
    put(book.sheets[schema.SHEET_SETTINGS], schema.TEMPLATE_VERSION_CELL, version)
    with pytest.raises(WorkbookError) as caught:
        parse_workbook(book.raw())
    assert caught.value.code == code
    assert caught.value.file == FILE
    assert str(caught.value).startswith(f"{FILE}: ")


def test_newer_template_says_to_update(book: Book) -> None:
    put(book.sheets[schema.SHEET_SETTINGS], schema.TEMPLATE_VERSION_CELL, float(schema.TEMPLATE_VERSION + 1))
    with pytest.raises(WorkbookError, match="pip install -U samarbejde-xl"):
        parse_workbook(book.raw())


def test_missing_settings_sheet_is_not_our_workbook(book: Book) -> None:
    del book.sheets[schema.SHEET_SETTINGS]
    with pytest.raises(WorkbookError) as caught:
        parse_workbook(book.raw())
    assert caught.value.code == "foreign"
    assert schema.SHEET_SETTINGS in caught.value.reason


@pytest.fixture
def newer_tool(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Pretend this samarbejde-xl is at template version 3 and no longer reads version 1."""
    monkeypatch.setattr(schema, "TEMPLATE_VERSION", 3)
    monkeypatch.setattr(schema, "SUPPORTED_TEMPLATE_VERSIONS", (2, 3))
    yield 1


def test_old_template_version_says_to_upgrade(book: Book, newer_tool: int) -> None:
    put(book.sheets[schema.SHEET_SETTINGS], schema.TEMPLATE_VERSION_CELL, float(newer_tool))
    with pytest.raises(WorkbookError) as caught:
        parse_workbook(book.raw())
    assert caught.value.code == "old-template"
    assert "samarbejde-xl upgrade" in caught.value.hint


# --------------------------------------------------------------------------------------------------
# The column fast paths (white box): they must give what converting cell by cell gives
# --------------------------------------------------------------------------------------------------

_TABLE_SPECS = (*parse._CHECKLIST_SPECS, *(spec for block in parse._BLOCK_SPECS for spec in block.columns))

_TRICKY_CELLS: list[Any] = [
    *("", None, " ", "\t", "ja", "Ja", " ja ", "JA", "nej", schema.DONT_KNOW, " Ved ikke ", "x", "U-0001"),
    *(True, False, 0, 1, 7, -3),
    *(float(number) for number in range(-1, 12)),
    *(0.5, 3.5, -0.0, 150.0, 45000.0),
    *("1", "5", " 7 ", "11", "٣"),
    *(dt.date(2024, 2, 1), dt.date(1850, 1, 1), dt.date(2150, 1, 1), dt.datetime(2024, 2, 1, 9, 30), dt.time(9, 30)),
    *("01-02-2024", "Ring 150205-1234", "150205", "tlf 4512345678", "x" * (TEXT_MAX_LENGTH + 1), "Møde ½ time – 12"),
]


def _cells_for(spec: Any) -> st.SearchStrategy[list[Any]]:
    labels = [text for text in spec.lookup] + [f" {text} " for text in spec.lookup]
    return st.lists(st.sampled_from(_TRICKY_CELLS + labels), min_size=1, max_size=12)


@pytest.mark.parametrize("spec", _TABLE_SPECS, ids=lambda spec: str(spec.key))
@settings(max_examples=30)  # a small pool of cells, and some 70 columns
@given(data=st.data())
def test_table_column_fast_path_gives_the_cell_by_cell_values_and_problems(spec: Any, data: st.DataObject) -> None:
    cells = data.draw(_cells_for(spec))
    slow_problems: list[Problem] = []
    slow_sink = parse._Sink(FILE, "ark", slow_problems)
    slow = [parse._convert_cell(spec, cell, slow_sink, row) for row, cell in enumerate(cells, start=2)]

    fast_problems: list[Problem] = []
    fast_sink = parse._Sink(FILE, "ark", fast_problems)
    typed_columns, left_columns = parse._typed_columns([spec], [tuple(cells)])
    left, left_rows = parse._left_cells(typed_columns, left_columns)
    for index in left_rows:
        parse._resolve_row([spec], left, index, (cells[index],), fast_sink, index + 2)
    fast = list(typed_columns[0])
    assert repr(fast) == repr(slow)  # repr: True and 1, 1.0 and 1 differ
    assert fast_problems == slow_problems


_AREA_CELLS = st.sampled_from(["", "", "", None, " ", "x", 0.0, False, dt.date(2024, 1, 1)])


@given(
    areas=st.lists(
        st.lists(st.lists(_AREA_CELLS, min_size=0, max_size=6), max_size=5),
        max_size=4,
    ),
    first_col=st.integers(1, 3),
    width=st.integers(1, 4),
)
def test_entered_rows_are_the_rows_with_a_cell_entered_in_the_columns(
    areas: list[list[list[Any]]], first_col: int, width: int
) -> None:
    last_col = first_col + width - 1
    numbers, columns, bounds = parse._entered_rows(areas, 10, first_col, last_col)
    expected_numbers, expected_cells, expected_counts = [], [], []
    for area in areas:
        entered = [
            (row, part + [""] * (width - len(part)))
            for row, part in enumerate((whole[first_col - 1 : last_col] for whole in area), start=10)
            if any(cell != "" and cell is not None for cell in part)
        ]
        expected_numbers += [row for row, _ in entered]
        expected_cells += [part for _, part in entered]
        expected_counts.append(len(entered))
    expected_columns = list(zip(*expected_cells, strict=True))
    assert (numbers, columns, bounds) == (
        expected_numbers,
        expected_columns,
        list(accumulate(expected_counts, initial=0)),
    )


def test_six_digits_test_agrees_with_the_pattern_for_every_latin_1_character() -> None:
    for code in range(256):
        text = chr(code) * 6
        assert identifiers.has_six_digits(text) == (identifiers._SIX_DIGITS.search(text) is not None), code


@given(st.text())
def test_six_digits_test_agrees_with_the_pattern(text: str) -> None:
    assert identifiers.has_six_digits(text) == (identifiers._SIX_DIGITS.search(text) is not None)


@pytest.mark.parametrize(
    ("value", "scores", "problem_codes"),
    [
        (True, {}, ["score-range"]),
        (1, {"social": 1}, []),
        (11.0, {}, ["score-range"]),
        (" ", {}, []),
        ("7", {"social": 7}, ["number-as-text"]),
    ],
    ids=["true-cell", "int", "out-of-range", "spaces", "number-as-text"],
)
def test_an_odd_cell_in_a_score_column_is_read_as_any_other(
    book: Book, value: Any, scores: dict[str, int], problem_codes: list[str]
) -> None:
    score = schema.SCORE_PREFIX + "social"
    book.meeting(**{score: 7.0})  # the rest of the column takes the fast path
    odd = book.meeting(**{score: value})
    data, problems = parse_workbook(book.raw())
    assert [meeting.scores for meeting in data.meetings] == [{"social": 7}, scores]
    assert (
        codes([problem for problem in problems if problem.cell == schema.checklist_cell(odd, score)]) == problem_codes
    )


_BLOCK_CELLS = [(block.key, key) for block in parse._BLOCK_SPECS for key in (spec.key for spec in block.columns)]
_FIELD_KEYS = [spec.key for spec in parse._CASE_FIELD_SPECS if spec.key != "case_id"]
_GOOD_CELLS = ["", "", "Anne", "UU-vejleder", "ja", "tæt", "den unge", "Uddannelse", dt.date(2024, 3, 1), 3.0]


@settings(max_examples=60)
@given(data=st.data())
def test_case_sheets_read_together_give_what_each_read_alone_gives(data: st.DataObject) -> None:
    """The case sheets' fields and blocks are converted for all sheets at once, with fast paths for the sheets
    without odd cells: the values and problems must be those of reading each sheet in a workbook of its own."""
    cell = st.sampled_from(_GOOD_CELLS + _TRICKY_CELLS)
    sheets = data.draw(
        st.lists(
            st.tuples(
                st.dictionaries(st.sampled_from(_FIELD_KEYS), cell, max_size=3),
                st.lists(st.tuples(st.sampled_from(_BLOCK_CELLS), st.integers(0, 3), cell), max_size=8),
            ),
            min_size=1,
            max_size=4,
        )
    )

    def fill(book: Book, number: int, fields: dict[str, Any], cells: list[tuple[tuple[str, str], int, Any]]) -> None:
        sheet = book.case(f"U-{number}", **fields)
        for (block, key), index, value in cells:
            book.block_row(sheet, block, index, **{key: value})

    together = Book()
    for number, (fields, cells) in enumerate(sheets):
        fill(together, number, fields, cells)
    data_together, problems_together = parse_workbook(together.raw())
    cases, problems = [], []
    for number, (fields, cells) in enumerate(sheets):
        alone = Book()
        fill(alone, number, fields, cells)
        data_alone, problems_alone = parse_workbook(alone.raw())
        cases += data_alone.cases
        problems += problems_alone
    assert data_together.cases == tuple(cases)
    assert problems_together == problems


def test_odd_checklist_cells_are_converted_row_by_row(book: Book) -> None:
    """Cells the column fast path leaves to their converters give their problems row by row, in column order."""
    score, heard = schema.SCORE_PREFIX + "social", schema.INVOLVEMENT_PREFIX + "heard"
    book.meeting(**{score: 7.0})
    first = book.meeting(date="1/2/2024", **{score: "8", heard: 9.0})
    book.meeting()
    second = book.meeting(case_id="U-0002", agreements_made=-1.0, **{heard: "ved ikke"}, notes="Ring 150205-1234")
    data, problems = parse_workbook(book.raw())
    assert [(p.code, p.cell, p.case_id) for p in problems] == [
        ("date-text", schema.checklist_cell(first, "date"), CASE_ID),
        ("number-as-text", schema.checklist_cell(first, score), CASE_ID),
        ("involvement-range", schema.checklist_cell(first, heard), CASE_ID),
        ("number-invalid", schema.checklist_cell(second, "agreements_made"), "U-0002"),
        ("cpr-like", schema.checklist_cell(second, "notes"), "U-0002"),
    ]
    assert [(m.date, m.scores, m.involvement, m.agreements_made) for m in data.meetings] == [
        (dt.date(2024, 2, 1), {"social": 7}, {}, None),
        (None, {"social": 8}, {}, None),
        (dt.date(2024, 2, 1), {}, {}, None),
        (dt.date(2024, 2, 1), {}, {"heard": None}, None),
    ]


_SHEET_ROWS = st.lists(
    st.lists(st.sampled_from(["", "x", None, 1.0]), min_size=2, max_size=4), min_size=12, max_size=14
)


@given(sheets=st.lists(st.one_of(_SHEET_ROWS, st.lists(st.lists(st.just("x"), max_size=4), max_size=14)), max_size=3))
def test_case_field_cells_are_the_cells_at_the_fields_positions(sheets: list[list[list[Any]]]) -> None:
    expected = [tuple(parse._cell(rows, spec.row, spec.col) for rows in sheets) for spec in parse._CASE_FIELD_SPECS]
    if not sheets:
        expected = []
    assert parse._field_columns(sheets) == expected


@given(st.lists(st.lists(st.sampled_from(["", " ", "\t", "U-1", " U-1 ", 7.0, None, False]), min_size=3, max_size=3)))
def test_meant_rows_are_those_with_more_than_spaces(cells: list[list[Any]]) -> None:
    meant = [
        any(cell is not None and cell != "" and not (isinstance(cell, str) and cell.isspace()) for cell in row)
        for row in cells
    ]
    assert parse._meant(list(zip(*cells, strict=True))) == (None if all(meant) else meant)
