"""Issue 12 point 8: a workbook copied in Explorer ("vejleder-01 - Kopi.xlsx") does not count its young people twice.

The same young person (same id, same birth date) in several workbooks counts once; the report's data quality sheet
and the terminal summary say which files overlap, which copy was used and why.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from samarbejde_xl import actions
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import consolidate
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook.data_writer import write_workbook

TODAY = date(2026, 10, 1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "arbejdsbøger"
    folder.mkdir()
    books = generate_municipality(workbooks=2, cases=4, seed=12, today=TODAY, clean=True)
    for book in books:
        write_workbook(book.data, folder / book.file_name, today=TODAY)
    return folder


def _young_people(folder: Path, tmp_path: Path) -> int:
    run = consolidate([folder], tmp_path / "rapport.xlsx", today=TODAY, jobs=1)
    return run.result.counts.young_people


def test_an_explorer_copy_counts_each_young_person_once(folder: Path, tmp_path: Path) -> None:
    alone = _young_people(folder, tmp_path / "a")
    shutil.copy2(folder / "vejleder-01.xlsx", folder / "vejleder-01 - Kopi.xlsx")
    run = consolidate([folder], tmp_path / "b" / "rapport.xlsx", today=TODAY, jobs=1)
    assert run.result.counts.young_people == alone
    assert len(run.result.copies) == 4
    for note in run.result.copies:
        assert {note.used, *note.others} == {
            f"{folder.as_posix()}/vejleder-01.xlsx",
            f"{folder.as_posix()}/vejleder-01 - Kopi.xlsx",
        }
    assert not [row for row in run.result.data_quality if row.errors]  # a copy is not a duplicate-id error


def test_the_copy_with_the_latest_meeting_is_used(folder: Path, tmp_path: Path) -> None:
    original = folder / "vejleder-01.xlsx"
    copy = folder / "vejleder-01 - Kopi.xlsx"
    actions.register_meeting(original, copy, case_id="U-0002", today=date(2026, 9, 20))
    os.utime(copy, (1_000_000_000, 1_000_000_000))  # older on disk: the meeting decides, not the file time
    run = consolidate([folder], tmp_path / "rapport.xlsx", today=TODAY, jobs=1)
    notes = {note.case_id: note for note in run.result.copies}
    assert notes["U-0002"].used.endswith("vejleder-01 - Kopi.xlsx")
    assert "seneste møde (2026-09-20)" in notes["U-0002"].reason
    assert notes["U-0003"].used.endswith("vejleder-01.xlsx")  # same meetings: the file saved last
    assert "gemt senest" in notes["U-0003"].reason


def test_same_id_with_another_birth_date_is_not_a_copy(folder: Path, tmp_path: Path) -> None:
    books = generate_municipality(workbooks=1, cases=4, seed=99, today=TODAY, clean=True)
    write_workbook(books[0].data, folder / "vejleder-09.xlsx", today=TODAY)
    run = consolidate([folder], tmp_path / "rapport.xlsx", today=TODAY, jobs=1)
    assert run.result.copies == ()
    assert run.result.counts.young_people == 12
    assert sum(row.errors for row in run.result.data_quality) > 0  # the duplicate ids are still errors


def test_report_and_terminal_say_which_files_overlap(folder: Path, tmp_path: Path) -> None:
    shutil.copy2(folder / "vejleder-02.xlsx", folder / "vejleder-02 - Kopi.xlsx")
    report = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(
        cli, ["consolidate", "--today", TODAY.isoformat(), "--no-history", "-j", "1", str(folder), "-o", str(report)]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Kopi:")]
    assert len(lines) == 4
    assert all("vejleder-02 - Kopi.xlsx" in line and "talt én gang" in line for line in lines)
    with zipfile.ZipFile(report) as package:
        text = "".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml"))
    assert "Samme unge i flere projektmapper" in text and "vejleder-02 - Kopi.xlsx" in text
