"""The buttons' rules computed without Excel (core/buttons.py): the next id, a duplicate id, which meeting a
registration is for, the coordinator's choice, a duplicate registration."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from meeting_case import CASE, DAY, write_meeting_case

from samarbejde_xl import schema
from samarbejde_xl.core import buttons
from samarbejde_xl.core.errors import ActionError
from samarbejde_xl.core.meetings import MeetingPlan, PlannedMeeting
from samarbejde_xl.core.sheet_writes import CellWrite
from samarbejde_xl.workbook.reader import read_raw_workbook

D = date(2026, 5, 1)


def _planned(kind: str, start_days: int, end_days: int, status: str = "planned") -> PlannedMeeting:
    return PlannedMeeting(kind, D + timedelta(start_days), D + timedelta(start_days), D + timedelta(end_days), status)


def _plan(*meetings: PlannedMeeting) -> MeetingPlan:
    return MeetingPlan("U-0001", meetings, date(2025, 1, 1), date(2030, 1, 1), ended=False)


def test_the_window_containing_the_day_wins_over_an_overdue_meeting() -> None:
    plan = _plan(_planned("start", -400, -370, "overdue"), _planned("m17_5", -60, 0, "soon"))
    assert buttons.prefilled_kind(plan, D) == "m17_5"


def test_of_several_windows_the_one_ending_first_wins() -> None:
    plan = _plan(_planned("follow_up", -10, 20, "soon"), _planned("m18_5", -30, 30, "soon"))
    assert buttons.prefilled_kind(plan, D) == "follow_up"


def test_without_a_window_the_most_overdue_meeting_is_prefilled() -> None:
    plan = _plan(
        _planned("m16", -300, -240, "overdue"),
        _planned("start", -400, -370, "overdue"),
        _planned("m18_5", 100, 160),
    )
    assert buttons.prefilled_kind(plan, D) == "start"


def test_held_and_not_applicable_meetings_are_never_prefilled() -> None:
    plan = _plan(_planned("m16", -20, 20, "held"), _planned("start", -400, -370, "not_applicable"))
    assert buttons.prefilled_kind(plan, D) == "extra"


def test_an_early_meeting_is_the_next_regular_one_but_never_a_milestone_before_its_window() -> None:
    assert buttons.prefilled_kind(_plan(_planned("follow_up", 10, 40), _planned("m18_5", 5, 60)), D) == "follow_up"
    assert buttons.prefilled_kind(_plan(_planned("m18_5", 5, 60)), D) == "extra"


def test_next_case_id_follows_the_highest_number() -> None:
    from samarbejde_xl.core.model import Case

    cases = [Case("a", "U-0007"), Case("b", "X-9"), Case("c", "U-0002")]
    assert buttons.next_case_id(cases) == "U-0008"
    assert buttons.next_case_id([]) == "U-0001"


@pytest.fixture
def meeting_case(tmp_path: Path) -> Path:
    return write_meeting_case(tmp_path / "sag.xlsx")


def test_new_case_refuses_a_duplicate_id_and_writes_the_id_first(meeting_case: Path) -> None:
    raw = read_raw_workbook(meeting_case)
    with pytest.raises(ActionError, match="findes allerede"):
        buttons.new_case(raw, today=DAY, case_id=CASE.case_id)
    new = buttons.new_case(raw, today=DAY)
    assert (new.case_id, new.sheet) == ("U-0003", "U-0003")
    assert new.writes.values[0] == CellWrite("U-0003", schema.CASE_FIELDS_BY_KEY["case_id"].cell, "U-0003")
    # The new case is part of the refresh: on Oversigt, and its empty required fields are marked.
    assert [row[0] for row in new.writes.tables[0].rows] == ["U-0001", "U-0002", "U-0003"]
    assert any(mark.sheet == "U-0003" for mark in new.writes.marks)


def test_new_case_refuses_an_id_that_differs_only_in_letter_case_or_spaces(meeting_case: Path) -> None:
    raw = read_raw_workbook(meeting_case)
    spelled = " " + CASE.case_id.lower()
    with pytest.raises(ActionError, match="findes allerede") as refused:
        buttons.new_case(raw, today=DAY, case_id=spelled)
    assert f"skrevet {CASE.case_id!r}" in str(refused.value)


def test_a_meeting_registered_for_the_id_in_another_letter_case_gets_the_sheet_s_spelling(
    meeting_case: Path,
) -> None:
    raw = read_raw_workbook(meeting_case)
    check = buttons.check_for_writing(raw, today=DAY)
    registration = buttons.register_meeting(check, raw, case_id=CASE.case_id.lower(), day=DAY)
    written = {write.cell: write.value for write in registration.writes}
    assert written[schema.checklist_cell(registration.row, "case_id")] == CASE.case_id
    with pytest.raises(ActionError, match="ingen ung har id'et 'U-9999'"):
        buttons.register_meeting(check, raw, case_id="U-9999", day=DAY)


def _register(path: Path, **options: object) -> buttons.Registration:
    raw = read_raw_workbook(path)
    check = buttons.check_for_writing(raw, today=DAY)
    return buttons.register_meeting(check, raw, case_id=CASE.case_id, day=DAY, **options)  # type: ignore[arg-type]


def test_registration_prefills_by_window_and_sets_attendance(meeting_case: Path) -> None:
    registration = _register(meeting_case, attended=True)
    assert (registration.kind, registration.attended, registration.row) == ("m17_5", True, 3)
    written = {write.cell: write.value for write in registration.writes}
    assert written == {
        schema.checklist_cell(3, "case_id"): CASE.case_id,
        schema.checklist_cell(3, "date"): DAY,
        schema.checklist_cell(3, "kind"): schema.MEETING_KIND.label_of("m17_5"),
        schema.checklist_cell(3, "young_person_present"): schema.YES,
    }


def test_the_coordinators_choice_on_the_case_sheet_is_used_and_emptied(tmp_path: Path) -> None:
    path = write_meeting_case(tmp_path / "valgt.xlsx", {"register_kind": "Ekstra møde", "register_attended": "nej"})
    registration = _register(path)
    assert (registration.kind, registration.attended) == ("extra", False)
    fields = schema.CASE_FIELDS_BY_KEY
    emptied = {(w.sheet, w.cell) for w in registration.writes if w.value is None}
    assert emptied == {(CASE.sheet, fields["register_kind"].cell), (CASE.sheet, fields["register_attended"].cell)}
    # An explicit kind (the CLI's --kind) wins over the cell.
    assert _register(path, kind="m16").kind == "m16"


def test_a_choice_not_on_the_list_is_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    path = write_meeting_case(tmp_path / "forkert.xlsx", {"register_kind": "Kaffemøde"})
    cell = schema.CASE_FIELDS_BY_KEY["register_kind"].cell
    with pytest.raises(ActionError, match=f"arket {CASE.sheet}, celle {cell}.*'Kaffemøde' er ikke en af"):
        _register(path)


def test_a_second_registration_on_the_same_day_is_refused_unless_allowed(meeting_case: Path) -> None:
    from samarbejde_xl import actions

    registered = meeting_case.with_name("registreret.xlsx")
    actions.register_meeting(meeting_case, registered, case_id=CASE.case_id, today=DAY)
    with pytest.raises(ActionError, match=f"{CASE.case_id} har allerede et møde den 01-10-2026.*række 3"):
        _register(registered)
    assert _register(registered, allow_duplicate=True).row == 4
