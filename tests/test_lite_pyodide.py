"""The built main.py under Pyodide (npm ``pyodide``, in Node, offline) gives what it gives under CPython.

One job runs each worksheet function (directly and through xlwings' own custom-functions call path, da-DK) and
each script on a book payload made from a generated workbook, in Pyodide (tests/lite/run.mjs) and in CPython
(tests/lite/harness.py), and the reports are compared. A function that raises inside Pyodide shows as the
"uventet fejl" cell text or an error; a script that raises shows as an error: both fail here.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xlwings
from test_addin_ribbon import _payload

from samarbejde_xl import schema
from samarbejde_xl.addin.values import UNEXPECTED_ERROR
from samarbejde_xl.demo.municipality import write_demo_municipality
from samarbejde_xl.lite import bundle
from samarbejde_xl.lite.officejs import SOURCE, unsupported_actions
from samarbejde_xl.lite.scripts import LITE_ACTIONS, SCRIPT_FUNCTIONS

LITE_DIR = Path(__file__).parent / "lite"
PYODIDE = LITE_DIR / "node_modules" / "pyodide"
XLWINGS_DIR = Path(xlwings.__file__).parent
TODAY = dt.date(2026, 10, 1)
_EPOCH = dt.date(1899, 12, 30)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed"),
    # In CI a missing install is a failure (.ci/run installs it), not a skip.
    pytest.mark.skipif(
        not PYODIDE.is_dir() and os.environ.get("CI") != "true",
        reason="npm pyodide missing: run 'npm ci' in tests/lite (.ci/run does)",
    ),
]


def _serial(day: dt.date) -> float:
    return float((day - _EPOCH).days)


def _cell(sheet: dict[str, Any], cell: str) -> Any:
    row, column = schema.parse_cell(cell)
    values = sheet["values"]
    return values[row - 1][column - 1] if row <= len(values) and column <= len(values[row - 1]) else ""


def _function_calls(payload: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """Function name -> argument lists as Excel hands them over (dates as serial numbers), from the workbook."""
    sheets = {sheet["name"]: sheet for sheet in payload["sheets"]}
    checklist = [row[:4] for row in sheets[schema.SHEET_CHECKLIST]["values"][schema.CHECKLIST_FIRST_ROW - 1 :]]
    settings_sheet = sheets[schema.SHEET_SETTINGS]["values"]
    settings = [[row[schema.SETTINGS_LABEL_COL - 1], row[schema.SETTINGS_VALUE_COL - 1]] for row in settings_sheet]
    today = _serial(TODAY)
    plans, ages, checks = [], [], []
    for sheet in sheets.values():
        fields = {key: _cell(sheet, field.cell) for key, field in schema.CASE_FIELDS_BY_KEY.items()}
        if not str(fields["case_id"]).startswith("U-"):
            continue
        plans.append(
            [
                fields["birth_date"],
                fields["variant"],
                fields["inclusion_date"],
                fields["case_id"],
                checklist,
                fields["end_date"] or None,
                today,
                settings,
            ]
        )
        ages.append([fields["birth_date"], today])
        checks.append(["Fødselsdato", fields["birth_date"]])
    assert plans, "the generated workbook has case sheets"
    education, job = schema.EDUCATION.labels, schema.JOB.labels
    outcome = [[_serial(dt.date(2025, 1, 5))], [_serial(dt.date(2026, 3, 1))]]
    return {
        "SAM_NAESTE_MOEDE": plans,
        "SAM_MOEDEPLAN": plans,
        "SAM_ALDER": [*ages, ["", today], [_serial(dt.date(2030, 1, 1)), today]],
        "SAM_TJEK": [*checks, ["Mødetype", "kaffe"], ["Intet felt", 1]],
        "SAM_UDFALD": [
            [outcome, [[education[4]], [education[4]]], [[job[0]], [job[1]]], None, settings],
            [outcome, [[education[0]], [education[0]]], [[job[0]], [job[0]]], None, None],
        ],
    }


def _officejs_args(args: list[Any]) -> list[Any]:
    """Office.js hands each argument over as a 2-D array (a scalar as [[value]], an empty cell as null)."""
    return [arg if isinstance(arg, list) and arg and isinstance(arg[0], list) else [[arg]] for arg in args]


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("lite")
    (demo,) = write_demo_municipality(folder, workbooks=1, cases=4, seed=16, today=TODAY, clean=False)
    path = folder / demo.file_name
    payload = _payload(path, demo.data.cases[0].sheet, xlwings.__version__)
    calls = _function_calls(payload)
    flat = [{"function": name, "args": args} for name, arg_lists in calls.items() for args in arg_lists]
    culture = {"version": xlwings.__version__, "client": "Office.js", "runtime": "1.4"}
    culture |= {"culture_info_name": "da-DK", "date_format": "dd-MM-yyyy"}
    return {
        "main_py": bundle.main_py(),
        "calls": flat,
        "officejs_calls": [
            {"func_name": call["function"], "args": _officejs_args(call["args"]), **culture} for call in flat
        ],
        "scripts": [{"script": SCRIPT_FUNCTIONS[control_id], "payload": payload} for control_id in LITE_ACTIONS],
    }


def _run(command: list[str], job: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    job_file = tmp_path / "job.json"
    job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([*command, str(job_file)], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.fixture(scope="module")
def reports(job: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = tmp_path_factory.mktemp("lite-run")
    cpython = _run([sys.executable, str(LITE_DIR / "harness.py")], job, folder)
    (folder / "pyodide").mkdir()
    pyodide = _run(["node", str(LITE_DIR / "run.mjs"), str(XLWINGS_DIR)], job, folder / "pyodide")
    return cpython, pyodide


def test_pyodide_really_ran(reports: tuple[dict[str, Any], dict[str, Any]]) -> None:
    cpython, pyodide = reports
    assert (cpython["platform"], pyodide["platform"]) == (sys.platform, "emscripten")


def test_excel_gets_the_classic_functions_with_their_danish_help(
    reports: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """The custom-function metadata xlwings Lite registers: same names, arguments and help as the add-in's UDFs."""
    cpython, pyodide = reports
    assert pyodide["functions_meta"] == cpython["functions_meta"]
    assert pyodide["scripts_meta"] == cpython["scripts_meta"]
    from samarbejde_xl.addin import udfs

    functions = {function["name"]: function for function in pyodide["functions_meta"]["functions"]}
    assert sorted(functions) == bundle.udf_names()
    for name, function in functions.items():
        classic = getattr(udfs, name)
        assert function["description"] == classic.__doc__
        assert [parameter["name"] for parameter in function["parameters"]] == list(
            inspect.signature(classic).parameters
        )
    birth = functions["SAM_ALDER"]["parameters"][0]
    assert birth["description"] == "Den unges fødselsdato."
    labels = {button.control_id: button.label for button in schema.RIBBON_BUTTONS}
    assert {script["name"] for script in pyodide["scripts_meta"]} == {labels[control_id] for control_id in LITE_ACTIONS}


def test_every_worksheet_function_is_called(job: dict[str, Any]) -> None:
    assert {call["function"] for call in job["calls"]} == set(bundle.udf_names())


@pytest.mark.parametrize("path", ["calls", "officejs_calls"], ids=["direct", "officejs-da-DK"])
def test_functions_give_the_same_results_under_pyodide(
    reports: tuple[dict[str, Any], dict[str, Any]], job: dict[str, Any], path: str
) -> None:
    cpython, pyodide = reports
    for call, expected, got in zip(job["calls"], cpython[path], pyodide[path], strict=True):
        assert "error" not in got, got.get("traceback")
        assert got == expected, call["function"]
        assert UNEXPECTED_ERROR not in json.dumps(got, ensure_ascii=False), call
    assert len(pyodide[path]) == len(job["calls"])


def test_danish_dates_through_the_officejs_call_path(reports: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """A date result reaches a da-DK Excel as a number with the culture's short date format, not as text."""
    _, pyodide = reports
    dates = [
        cell
        for call in pyodide["officejs_calls"]
        for row in call["result"]
        for cell in row
        if isinstance(cell, dict) and cell.get("type") == "FormattedNumber"
    ]
    assert dates and all(cell["numberFormat"] == "dd-MM-yyyy" for cell in dates)


@pytest.mark.parametrize("control_id", LITE_ACTIONS)
def test_scripts_run_under_pyodide_as_under_cpython(
    reports: tuple[dict[str, Any], dict[str, Any]], control_id: str
) -> None:
    """The same handler, the same recorded actions, and only actions xlwings' Office.js client replays."""
    cpython, pyodide = reports
    index = LITE_ACTIONS.index(control_id)
    expected, got = cpython["scripts"][index], pyodide["scripts"][index]
    assert "error" not in expected, expected.get("traceback")
    assert "error" not in got, got.get("error")
    assert got == expected
    assert got["actions"], "the script recorded nothing, not even its message"
    assert unsupported_actions(got["actions"]) == [], f"not in the Office.js client ({SOURCE})"
