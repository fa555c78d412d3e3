"""Golden test: consolidating examples/ gives exactly the committed report and politicians' summary (a canonical dump
of cells, not bytes).

After an intended change of the report, regenerate with: UPDATE_GOLDEN=1 python -m pytest tests/test_report_golden.py
and review the diff of tests/golden/*.json like any other change.
"""

from __future__ import annotations

import difflib
import os
from datetime import date, datetime
from pathlib import Path

import pytest

from samarbejde_xl.consolidation import consolidate
from samarbejde_xl.core.quarter import parse_quarter
from samarbejde_xl.workbook.canonical import canonical_dump, dump_json

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "report-examples.json"
GOLDEN_POLITICIANS = ROOT / "tests" / "golden" / "politicians-examples.json"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The report and the politicians' summary of examples/."""
    report = tmp_path_factory.mktemp("golden") / "rapport.xlsx"
    here = Path.cwd()
    os.chdir(ROOT)  # the cover names the workbooks' folder as given: a relative path keeps it checkout-independent
    try:
        run = consolidate(
            ["examples"],
            report,
            today=date(2026, 10, 1),
            quarter=parse_quarter("2026Q3"),
            history=None,
            jobs=1,
            now=datetime(2026, 10, 1, 8, 0, 0),
        )
    finally:
        os.chdir(here)
    assert run.exit_code == 0
    assert run.politicians is not None
    return report, run.politicians


def _compare(path: Path, golden: Path) -> None:
    actual = dump_json(canonical_dump(path))
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), "golden", "actual", n=2
            )
        )
        raise AssertionError(f"{path.name} differs from {golden.name}:\n{diff[:6000]}")


def test_report_of_the_examples_matches_the_golden_dump(outputs: tuple[Path, Path]) -> None:
    _compare(outputs[0], GOLDEN)


def test_politicians_summary_of_the_examples_matches_the_golden_dump(outputs: tuple[Path, Path]) -> None:
    _compare(outputs[1], GOLDEN_POLITICIANS)
