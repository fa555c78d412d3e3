"""The workbook writer puts every value of ``WorkbookData`` at its schema place, the way the reader reads it back."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from samarbejde_xl import schema
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
from samarbejde_xl.workbook.data_writer import write_workbook, write_workbook_bytes
from samarbejde_xl.workbook.reader import read_workbook

TODAY = date(2026, 3, 15)
FIELDS = schema.CASE_FIELDS_BY_KEY
BLOCKS = schema.CASE_BLOCKS_BY_KEY


def _block_row(key: str, index: int) -> int:
    return BLOCKS[key].first_row + index


def make_case(case_id: str = "U-0001", **changes: object) -> Case:
    case = Case(
        sheet=schema.case_sheet_name(case_id),
        case_id=case_id,
        initials="KL",
        birth_date=date(2008, 8, 31),
        variant="udsatte",
        inclusion_date=date(2024, 1, 10),
        coordinator="AB",
        end_date=date(2026, 2, 1),
        end_reason="moved",
        notes="Vil gerne i gang med FGU.",
        team=(
            TeamMember("AB", "coordinator", "Myndighed", row=_block_row("team", 0)),
            TeamMember("CD", "uu", "UU", row=_block_row("team", 1)),
            TeamMember("EF", "jobcenter", "Jobcenter", row=_block_row("team", 2)),
        ),
        network=(NetworkPerson("GH", "moster", "close", True, True, row=_block_row("network", 0)),),
        consents=(
            Consent(date(2024, 1, 10), "both", "teamet", date(2026, 9, 1), row=_block_row("consent", 0)),
            Consent(date(2026, 9, 1), "young_person", "UU og jobcenter", row=_block_row("consent", 1)),
        ),
        agreements=(
            Agreement(
                "Starte på FGU",
                "education",
                "Besøge FGU",
                "young_person",
                date(2024, 3, 1),
                date(2024, 3, 5),
                "met",
                date(2024, 1, 20),
                row=_block_row("agreements", 0),
            ),
        ),
        interventions=(
            Intervention(
                "Mentor", "Jobcenter", date(2024, 2, 1), None, "jobcenter", row=_block_row("interventions", 0)
            ),
        ),
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def make_meeting(row: int, case_id: str = "U-0001", **changes: object) -> Meeting:
    meeting = Meeting(
        row=row,
        case_id=case_id,
        date=date(2024, 1, 20),
        kind="start",
        young_person_present=True,
        adult_present=False,
        professions_present=frozenset({"coordinator", "uu"}),
        tools_used="netværkskort",
        agreements_made=1,
        agreements_followed_up=0,
        education="fgu",
        job="none",
        programme=False,
        scores={"social": 4, "housing": 7},
        scored_by="together",
        involvement={"heard": 5, "useful": None},
        own_view="Det går bedre.",
        next_meeting=date(2024, 4, 20),
        recorded_by="AB",
        notes="Online møde.",
    )
    return replace(meeting, **changes)  # type: ignore[arg-type]


def make_data(**changes: object) -> WorkbookData:
    data = WorkbookData(
        file="test.xlsx",
        template_version=schema.TEMPLATE_VERSION,
        municipality="Demokommune",
        cases=(make_case(),),
        meetings=(make_meeting(schema.CHECKLIST_FIRST_ROW),),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def load(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def written() -> Workbook:
    """The default data written once and loaded with openpyxl (read-only use)."""
    return load(write_workbook_bytes(make_data()))


def _value(workbook: Workbook, sheet: str, cell: str) -> object:
    value = workbook[sheet][cell].value
    return value.date() if isinstance(value, datetime) else value


CASE_FIELD_EXPECTATIONS = [
    ("case_id", "U-0001"),
    ("initials", "KL"),
    ("birth_date", date(2008, 8, 31)),
    ("variant", "udsatte"),
    ("inclusion_date", date(2024, 1, 10)),
    ("coordinator", "AB"),
    ("end_date", date(2026, 2, 1)),
    ("end_reason", "flyttet"),
    ("notes", "Vil gerne i gang med FGU."),
]


@pytest.mark.parametrize(("key", "expected"), CASE_FIELD_EXPECTATIONS, ids=[key for key, _ in CASE_FIELD_EXPECTATIONS])
def test_case_fields_are_written_at_their_schema_cells(written: Workbook, key: str, expected: object) -> None:
    assert _value(written, "U-0001", FIELDS[key].cell) == expected


BLOCK_EXPECTATIONS = [
    ("team", 1, "profession", "UU-vejleder"),
    ("team", 2, "department", "Jobcenter"),
    ("network", 0, "closeness", "tæt"),
    ("network", 0, "is_adult", schema.YES),
    ("consent", 0, "given_by", "begge"),
    ("consent", 0, "revoked_on", date(2026, 9, 1)),
    ("consent", 1, "given_by", "den unge"),
    ("agreements", 0, "life_area", "Uddannelse"),
    ("agreements", 0, "responsible", "den unge"),
    ("agreements", 0, "status", "nået"),
    ("agreements", 0, "set_at", date(2024, 1, 20)),
    ("interventions", 0, "end", None),
    ("interventions", 0, "responsible", "jobcenterkonsulent"),
]


@pytest.mark.parametrize(
    ("block", "index", "key", "expected"), BLOCK_EXPECTATIONS, ids=[f"{b}-{i}-{k}" for b, i, k, _ in BLOCK_EXPECTATIONS]
)
def test_block_rows_are_written_with_danish_labels(
    written: Workbook, block: str, index: int, key: str, expected: object
) -> None:
    assert _value(written, "U-0001", BLOCKS[block].cell(index, key)) == expected


def _checklist(key: str, row: int = schema.CHECKLIST_FIRST_ROW) -> str:
    return schema.checklist_cell(row, key)


CHECKLIST_EXPECTATIONS = [
    ("case_id", "U-0001"),
    ("date", date(2024, 1, 20)),
    ("kind", "Startmøde"),
    ("young_person_present", schema.YES),
    ("adult_present", schema.NO),
    (schema.PROFESSION_PRESENT_PREFIX + "coordinator", schema.YES),
    (schema.PROFESSION_PRESENT_PREFIX + "uu", schema.YES),
    (schema.PROFESSION_PRESENT_PREFIX + "jobcenter", None),
    ("agreements_made", 1),
    ("agreements_followed_up", 0),
    ("education", "FGU"),
    ("job", "intet job"),
    ("programme", schema.NO),
    (schema.SCORE_PREFIX + "social", 4),
    (schema.SCORE_PREFIX + "housing", 7),
    (schema.SCORE_PREFIX + "economy", None),
    ("scored_by", "sammen"),
    (schema.INVOLVEMENT_PREFIX + "heard", 5),
    (schema.INVOLVEMENT_PREFIX + "useful", schema.DONT_KNOW),
    (schema.INVOLVEMENT_PREFIX + "safe", None),
    ("next_meeting", date(2024, 4, 20)),
    ("recorded_by", "AB"),
]


@pytest.mark.parametrize(("key", "expected"), CHECKLIST_EXPECTATIONS, ids=[key for key, _ in CHECKLIST_EXPECTATIONS])
def test_meetings_are_written_in_their_checklist_columns(written: Workbook, key: str, expected: object) -> None:
    assert _value(written, schema.SHEET_CHECKLIST, _checklist(key)) == expected


def test_date_cells_get_the_danish_date_format(written: Workbook) -> None:
    assert written["U-0001"][FIELDS["birth_date"].cell].number_format == schema.DATE_FORMAT
    assert written[schema.SHEET_CHECKLIST][_checklist("date")].number_format == schema.DATE_FORMAT


def test_municipality_and_setting_overrides_go_to_indstillinger() -> None:
    data = make_data(settings={"soon_days": 14, "attendance_strict": False, "quarterly_mode": "calendar"})
    workbook = load(write_workbook_bytes(data))
    cell = schema.settings_value_cell
    assert _value(workbook, schema.SHEET_SETTINGS, cell("municipality")) == "Demokommune"
    assert _value(workbook, schema.SHEET_SETTINGS, cell("soon_days")) == 14
    assert _value(workbook, schema.SHEET_SETTINGS, cell("attendance_strict")) == schema.NO
    assert _value(workbook, schema.SHEET_SETTINGS, cell("quarterly_mode")) == "ét pr. kvartal"


def test_meetings_without_a_row_are_appended_after_the_last_row() -> None:
    placed = make_meeting(7)
    appended = make_meeting(0, date=date(2024, 5, 1), kind="follow_up")
    workbook = load(write_workbook_bytes(make_data(meetings=(placed, appended))))
    assert _value(workbook, schema.SHEET_CHECKLIST, _checklist("kind", 7)) == "Startmøde"
    assert _value(workbook, schema.SHEET_CHECKLIST, _checklist("kind", 8)) == "Opfølgningsmøde"
    assert _value(workbook, schema.SHEET_CHECKLIST, _checklist("kind", schema.CHECKLIST_FIRST_ROW)) is None


@pytest.mark.parametrize("count", [0, 1, 40], ids=["none", "one", "forty"])
def test_the_checklist_table_covers_every_meeting_row(count: int) -> None:
    meetings = tuple(make_meeting(schema.CHECKLIST_FIRST_ROW + index) for index in range(count))
    workbook = load(write_workbook_bytes(make_data(meetings=meetings)))
    table = workbook[schema.SHEET_CHECKLIST].tables[schema.CHECKLIST_TABLE_NAME]
    last_row = max(schema.CHECKLIST_FIRST_ROW, schema.CHECKLIST_FIRST_ROW + count - 1)
    expected = schema.range_address(schema.CHECKLIST_HEADER_ROW, 1, last_row, schema.CHECKLIST_LAST_COLUMN)
    assert table.ref == expected


def test_cell_overrides_are_applied_last() -> None:
    date_cell = _checklist("date")
    score_cell = _checklist(schema.SCORE_PREFIX + "social")
    overrides = {
        (schema.SHEET_CHECKLIST, date_cell): "1/2/2024",
        (schema.SHEET_CHECKLIST, score_cell): 11,
        ("U-0001", FIELDS["coordinator"].cell): None,
    }
    workbook = load(write_workbook_bytes(make_data(), cell_overrides=overrides))
    assert workbook[schema.SHEET_CHECKLIST][date_cell].value == "1/2/2024"
    assert workbook[schema.SHEET_CHECKLIST][score_cell].value == 11
    assert workbook["U-0001"][FIELDS["coordinator"].cell].value is None


def test_case_sheets_follow_the_fixed_sheets_in_data_order() -> None:
    cases = (make_case("U-0002"), make_case("U-0001"))
    workbook = load(write_workbook_bytes(make_data(cases=cases)))
    assert workbook.sheetnames == [*schema.FIXED_SHEETS, "U-0002", "U-0001"]


def test_the_same_data_gives_the_same_bytes_and_today_stamps_the_properties() -> None:
    first = write_workbook_bytes(make_data(), today=TODAY)
    assert write_workbook_bytes(make_data(), today=TODAY) == first
    properties = load(first).properties
    assert properties.created == datetime(2026, 3, 15)
    assert properties.modified == datetime(2026, 3, 15)
    assert write_workbook_bytes(make_data(), today=date(2026, 3, 16)) != first


def test_written_data_reads_back_unchanged_without_problems(tmp_path: Path) -> None:
    data = make_data(meetings=(make_meeting(2), make_meeting(3, date=date(2024, 5, 1), kind="follow_up")))
    path = tmp_path / "test.xlsx"
    write_workbook(data, path, today=TODAY)
    result = read_workbook(path, display_name="test.xlsx")
    assert result.problems == ()
    assert result.data == data


def test_write_workbook_leaves_no_temporary_files(tmp_path: Path) -> None:
    write_workbook(make_data(), tmp_path / "test.xlsx", today=TODAY)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["test.xlsx"]


def test_rows_outside_their_place_are_refused() -> None:
    team_below_block = TeamMember("AB", "coordinator", row=BLOCKS["team"].last_row + 1)
    with pytest.raises(ValueError, match="team"):
        write_workbook_bytes(make_data(cases=(make_case(team=(team_below_block,)),)))
    with pytest.raises(ValueError, match="above the first"):
        write_workbook_bytes(make_data(meetings=(make_meeting(schema.CHECKLIST_HEADER_ROW),)))


def test_block_items_without_a_row_fill_the_free_rows() -> None:
    team = (
        TeamMember("AB", "coordinator", row=BLOCKS["team"].first_row + 1),
        TeamMember("CD", "uu"),
        TeamMember("EF", "jobcenter"),
    )
    workbook = load(write_workbook_bytes(make_data(cases=(make_case(team=team),))))
    names = [_value(workbook, "U-0001", BLOCKS["team"].cell(index, "name")) for index in range(4)]
    assert names == ["CD", "AB", "EF", None]
