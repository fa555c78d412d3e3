"""Contract: every action a ribbon handler records is one xlwings' Office.js client implements.

Each handler runs over xlwings' remote engine (``xw.Book(json=...)``, the Book API xlwings Lite hands a script)
on a generated workbook; ``book.json()["actions"]`` is what the Office.js client would replay in Excel. The
client's list and its source are in ``samarbejde_xl.lite.officejs``. A book from that client gets the live
engine's Office.js capabilities (``addin.book.LiveEngine``): no sheet copies, no notes.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_addin_ribbon import _payload

from samarbejde_xl import actions, schema
from samarbejde_xl.demo.municipality import write_demo_municipality
from samarbejde_xl.lite.officejs import SOURCE, SUPPORTED_ACTIONS, unsupported_actions

TODAY = dt.date(2026, 10, 1)

pytestmark = pytest.mark.remote_engine


@pytest.fixture(scope="module")
def xw() -> Any:
    if os.environ.get("XLWINGS_LICENSE_KEY") != "noncommercial":
        pytest.skip("set XLWINGS_LICENSE_KEY=noncommercial to run the remote-engine tests")
    import xlwings

    return xlwings


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated workbook (with planted mistakes), and the same after the CLI's refresh marked its problems."""
    folder = tmp_path_factory.mktemp("contract")
    (demo,) = write_demo_municipality(folder, workbooks=1, cases=4, seed=16, today=TODAY, clean=False)
    fresh = folder / demo.file_name
    marked = folder / "marked.xlsx"
    actions.refresh_workbook(fresh, marked, today=TODAY)
    return {"fresh": fresh, "marked": marked}


def _record(xw: Any, path: Path, control_id: str, active: str) -> list[dict[str, Any]]:
    from samarbejde_xl.addin.ribbon import on_ribbon_action

    book = xw.Book(json=copy.deepcopy(_payload(path, active, xw.__version__)))
    on_ribbon_action(control_id, book, TODAY)
    recorded: list[dict[str, Any]] = book.json()["actions"]
    return recorded


def _first_case_sheet(path: Path) -> str:
    return actions.check_workbook(path, today=TODAY).data.cases[0].sheet


CASES: list[Any] = [
    pytest.param("NewCase", "fresh", schema.SHEET_GUIDE),
    pytest.param("RegisterMeeting", "fresh", "case", id="RegisterMeeting-case-sheet"),
    pytest.param("RegisterMeeting", "fresh", schema.SHEET_OVERVIEW, id="RegisterMeeting-elsewhere"),
    pytest.param("Validate", "fresh", schema.SHEET_GUIDE),
    pytest.param("Validate", "marked", schema.SHEET_GUIDE, id="Validate-again"),
    pytest.param("RefreshPlan", "fresh", schema.SHEET_GUIDE),
    pytest.param("Overview", "fresh", schema.SHEET_GUIDE),
    pytest.param("Diagnose", "fresh", schema.SHEET_GUIDE),
    pytest.param("Help", "fresh", schema.SHEET_GUIDE),
]


def test_every_handler_has_a_contract_case() -> None:
    from samarbejde_xl.addin.ribbon import HANDLERS

    assert {case.values[0] for case in CASES} == set(HANDLERS)


@pytest.mark.parametrize(("control_id", "workbook", "active"), CASES)
def test_handler_records_only_actions_the_officejs_client_implements(
    xw: Any, workbooks: dict[str, Path], control_id: str, workbook: str, active: str
) -> None:
    path = workbooks[workbook]
    recorded = _record(xw, path, control_id, _first_case_sheet(path) if active == "case" else active)
    assert recorded, "the handler recorded nothing: the case exercises no writes"
    assert unsupported_actions(recorded) == [], f"not in the Office.js client ({SOURCE})"


def test_the_contract_fails_on_an_action_the_client_lacks(
    xw: Any, workbooks: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that adds a cell note (an action the Office.js client lacks) is caught."""
    from samarbejde_xl.addin import ribbon

    def probe(book: Any, today: dt.date) -> str:
        book.sheets[schema.SHEET_GUIDE]["A1"].add_note("prøve")
        return "ok"

    handler: Callable[[Any, dt.date], str] = probe
    monkeypatch.setitem(ribbon.HANDLERS, "Probe", handler)
    recorded = _record(xw, workbooks["fresh"], "Probe", schema.SHEET_GUIDE)
    assert unsupported_actions(recorded) == ["addNote"]
    with pytest.raises(AssertionError):
        assert unsupported_actions(recorded) == [], "not in the Office.js client"


def test_the_list_is_the_clients_and_not_the_python_sides() -> None:
    """The pinned xlwings' Python side can record actions the client lacks; the list must not grow to match."""
    assert len(SUPPORTED_ACTIONS) == 44
    assert {"addNote", "deleteNote", "copySheet"}.isdisjoint(SUPPORTED_ACTIONS)
    assert {"setValues", "setRangeColor", "addSheet", "resizeTable", "alert"} <= SUPPORTED_ACTIONS


@pytest.mark.parametrize(("control_id", "classic_only"), [("NewCase", "copySheet"), ("Validate", "addNote")])
def test_only_the_classic_capability_copies_sheets_and_adds_notes(
    xw: Any, workbooks: dict[str, Path], monkeypatch: pytest.MonkeyPatch, control_id: str, classic_only: str
) -> None:
    """The same handler on a COM book (here: the remote engine told it is one) uses the actions Lite lacks."""
    from samarbejde_xl.addin import book

    lite = {action["func"] for action in _record(xw, workbooks["fresh"], control_id, schema.SHEET_GUIDE)}
    monkeypatch.setattr(book, "officejs_client", lambda _: False)
    classic = {action["func"] for action in _record(xw, workbooks["fresh"], control_id, schema.SHEET_GUIDE)}
    assert classic_only in classic - lite
