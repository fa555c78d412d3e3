"""The consolidate use case and command: finding files, bad files, exit codes, parallel = serial, the demo."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import ConsolidationError, consolidate
from samarbejde_xl.core.quarter import Quarter
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.demo.municipality import run_demo
from samarbejde_xl.fileio import sha256_of
from samarbejde_xl.report.history_store import load_history
from samarbejde_xl.workbook.data_writer import write_workbook

TODAY = date(2026, 10, 15)
Q3 = Quarter(2026, 3)
NOW = datetime(2026, 10, 15, 8, 0)
GOOD = ("vejleder-01.xlsx", "vejleder-02.xlsx", "vejleder-03.xlsx")
BAD_REASONS = {
    "tom.xlsx": "empty",
    "tekst.xlsx": "not-xlsx",
    "afbrudt.xlsx": "corrupt",
    "fremmed.xlsx": "foreign",
    "nyere.xlsx": "newer-template",
}


@pytest.fixture(scope="module")
def good_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three clean demo workbooks with four young people each. Treat as read-only (copy before changing)."""
    folder = tmp_path_factory.mktemp("good")
    for book in generate_municipality(workbooks=3, cases=4, seed=7, today=TODAY, clean=True):
        write_workbook(book.data, folder / book.file_name, today=TODAY)
    return folder


@pytest.fixture(scope="module")
def mixed_folder(good_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Good workbooks (one in a subfolder) plus every kind of bad file and an Excel lock file."""
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "sub").mkdir()
    shutil.copy(good_folder / GOOD[0], folder / GOOD[0])
    shutil.copy(good_folder / GOOD[1], folder / "sub" / GOOD[1])
    (folder / "tom.xlsx").write_bytes(b"")
    (folder / "tekst.xlsx").write_text("Ung-id;Mødedato\nU-0001;01-02-2026\n", encoding="utf-8")
    whole = (good_folder / GOOD[2]).read_bytes()
    (folder / "afbrudt.xlsx").write_bytes(whole[: len(whole) // 2])
    foreign = Workbook()
    foreign.active.title = "Budget"  # type: ignore[union-attr]
    foreign.active.append(["Post", "Beløb"])  # type: ignore[union-attr]
    foreign.save(folder / "fremmed.xlsx")
    newer = generate_municipality(workbooks=1, cases=1, seed=8, today=TODAY, clean=True)[0]
    overrides = {(schema.SHEET_SETTINGS, schema.TEMPLATE_VERSION_CELL): schema.TEMPLATE_VERSION + 1}
    write_workbook(newer.data, folder / "nyere.xlsx", cell_overrides=overrides, today=TODAY)
    (folder / "~$vejleder-01.xlsx").write_bytes(b"owner file")
    (folder / "noter.txt").write_text("not a workbook", encoding="utf-8")
    return folder


def _hashes(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): sha256_of(path) for path in sorted(folder.rglob("*")) if path.is_file()}


def test_bad_files_are_listed_and_the_good_ones_consolidated(mixed_folder: Path, tmp_path: Path) -> None:
    before = _hashes(mixed_folder)
    report = tmp_path / "rapport.xlsx"
    args = ["consolidate", str(mixed_folder), "-o", str(report), "--today", "2026-10-15", "--quarter", "2026Q3"]
    result = CliRunner().invoke(cli, [*args, "--jobs", "1", "--no-history"])

    assert result.exit_code == 1, result.output
    for name in BAD_REASONS:
        assert f"Kan ikke læses: {(mixed_folder / name).as_posix()}: " in result.stderr
    assert "filen er tom" in result.stderr
    assert "skabelonversion" in result.stderr
    assert f"Sprunget over: {mixed_folder / '~$vejleder-01.xlsx'}: Excels låsefil" in result.stderr
    assert result.stdout.strip() == (
        f"Læste 7 arbejdsbøger (5 ulæselige), 8 unge, 0 fejl, 0 advarsler -> {report}. Se arket Datakvalitet i "
        "rapporten, eller kør samarbejde-xl validate MAPPE for at se hver fejl med ark og celle"
    )
    assert report.exists()
    assert _hashes(mixed_folder) == before  # inputs untouched

    written = load_workbook(report, read_only=True)
    rows = list(written[schema.REPORT_SHEET_DATA_QUALITY].values)
    cover = [row for row in written[schema.REPORT_SHEET_COVER].values if row[0] == "Mappe"]
    written.close()  # read-only mode keeps the file open: left to the GC, its ResourceWarning fails a later test
    text = "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in rows)
    # The cover names the folder once; the lists name each file below it (the one in a subfolder with it).
    assert [row[1] for row in cover] == [mixed_folder.as_posix()]
    for name in [*BAD_REASONS, f"sub/{GOOD[1]}"]:
        assert [row[0] for row in rows].count(name) == 1, name
    assert mixed_folder.as_posix() not in text
    assert "Filen er tom (0 byte)" in text
    assert "nyere skabelonversion" in text


def test_each_bad_file_has_its_reason_in_the_result(mixed_folder: Path, tmp_path: Path) -> None:
    run = consolidate([mixed_folder], tmp_path / "r.xlsx", today=TODAY, quarter=Q3, jobs=1, now=NOW)
    rows = {Path(row.file).name: row for row in run.result.data_quality}
    assert {name: row.unreadable.code for name, row in rows.items() if row.unreadable} == BAD_REASONS
    assert all(rows[name].unreadable_reason and rows[name].unreadable_detail for name in BAD_REASONS)
    assert [rows[name].young_people for name in GOOD[:2]] == [4, 4]
    assert all(not rows[name].unreadable_reason for name in GOOD[:2])
    assert len(run.result.skipped_lock_files) == 1
    assert run.exit_code == 1


def test_jobs_one_and_two_give_identical_results(good_folder: Path, tmp_path: Path) -> None:
    serial = consolidate([good_folder], tmp_path / "a" / "rapport.xlsx", today=TODAY, quarter=Q3, jobs=1, now=NOW)
    parallel = consolidate([good_folder], tmp_path / "b" / "rapport.xlsx", today=TODAY, quarter=Q3, jobs=2, now=NOW)
    assert serial.result.counts.young_people == 12
    assert parallel.result == serial.result
    assert serial.exit_code == parallel.exit_code == 0
    for name in ("rapport.xlsx", "rapport-politikere.xlsx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("collecting", [True, False])
def test_the_garbage_collector_is_left_as_it_was(good_folder: Path, tmp_path: Path, collecting: bool) -> None:
    """Writing sets the facts aside from the collector (gc.freeze) and puts them back; a program's own frozen
    objects stay frozen, and a collector the caller turned off stays off."""
    was_enabled = gc.isenabled()
    try:
        gc.enable() if collecting else gc.disable()
        consolidate([good_folder], tmp_path / "a.xlsx", today=TODAY, quarter=Q3, jobs=1, now=NOW)
        assert gc.isenabled() is collecting
        assert gc.get_freeze_count() == 0
        gc.freeze()
        frozen = gc.get_freeze_count()
        consolidate([good_folder], tmp_path / "b.xlsx", today=TODAY, quarter=Q3, jobs=1, now=NOW)
        assert gc.isenabled() is collecting
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        gc.enable() if was_enabled else gc.disable()


def test_rerunning_a_quarter_replaces_its_history_snapshot(good_folder: Path, tmp_path: Path) -> None:
    history = tmp_path / "historik.sqlite"
    consolidate([good_folder], tmp_path / "q2.xlsx", today=TODAY, quarter=Quarter(2026, 2), history=history, jobs=1)
    consolidate([good_folder], tmp_path / "q3.xlsx", today=TODAY, quarter=Q3, history=history, jobs=1)
    again = consolidate([good_folder / GOOD[0]], tmp_path / "q3.xlsx", today=TODAY, quarter=Q3, history=history, jobs=1)
    stored = load_history(history)
    assert [row.quarter for row in stored] == ["2026Q2", "2026Q3"]
    assert stored[-1].workbooks == 1  # the re-run replaced the first Q3 snapshot (three workbooks)
    assert [row.quarter for row in again.result.trend] == ["2026Q2", "2026Q3"]


def test_the_report_in_the_scanned_folder_is_not_read_back(good_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(good_folder, folder)
    for _ in range(2):
        run = consolidate([folder], folder / "rapport.xlsx", today=TODAY, quarter=Q3, jobs=1)
        assert run.result.counts.workbooks_found == 3 and run.exit_code == 0


def test_an_earlier_report_among_the_workbooks_is_skipped_not_unreadable(good_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(good_folder, folder)
    consolidate([folder], tmp_path / "rapport-2026Q2.xlsx", today=TODAY, quarter=Quarter(2026, 2), jobs=1)
    shutil.move(tmp_path / "rapport-2026Q2.xlsx", folder / "rapport-2026Q2.xlsx")
    output = tmp_path / "rapport-2026Q3.xlsx"
    result = CliRunner().invoke(
        cli, ["consolidate", str(folder), "-o", str(output), "--today", TODAY.isoformat(), "--no-history"]
    )
    assert result.exit_code == 0, result.output
    assert "rapport-2026Q2.xlsx: en tidligere samarbejde-xl-rapport, ikke en sagsprojektmappe" in result.stderr
    assert "Læste 3 arbejdsbøger," in result.stdout
    quality = load_workbook(output)[schema.REPORT_SHEET_DATA_QUALITY]
    texts = [cell for row in quality.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert "Tidligere rapporter der blev sprunget over" in texts
    assert any(text.endswith("rapport-2026Q2.xlsx") for text in texts)
    validate = CliRunner().invoke(cli, ["validate", str(folder / "rapport-2026Q2.xlsx")])
    assert validate.exit_code != 0 and "en samarbejde-xl-rapport, ikke en sagsprojektmappe" in validate.output


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("rapport.csv", "rapporten skal være en .xlsx-fil"),
        ("noter.txt/rapport.xlsx", "det er en fil, ikke en mappe"),
    ],
    ids=["not-xlsx", "under-a-file"],
)
def test_a_report_path_that_cannot_work_is_refused_before_reading(
    good_folder: Path, tmp_path: Path, output: str, message: str
) -> None:
    (tmp_path / "noter.txt").write_text("a file where a folder is expected", encoding="utf-8")
    result = CliRunner().invoke(cli, ["consolidate", str(good_folder), "-o", str(tmp_path / output), "--no-history"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["noter.txt"]


def test_a_report_that_cannot_be_written_is_a_clear_error(
    good_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samarbejde_xl.report import leader_report

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(leader_report, "write_report", refuse)
    output = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(cli, ["consolidate", str(good_folder), "-o", str(output), "--no-history", "-j", "1"])
    assert result.exit_code == 2
    assert f"rapporten {output} kunne ikke skrives: adgang nægtet" in result.stderr
    assert "ikke er åben i Excel" in result.stderr
    assert "Traceback" not in result.output


def test_no_workbooks_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "~$open.xlsx").write_bytes(b"x")
    result = CliRunner().invoke(cli, ["consolidate", str(tmp_path), "-o", str(tmp_path / "r.xlsx"), "--no-history"])
    assert result.exit_code == 2
    assert "ingen arbejdsbøger (.xlsx/.xlsm) i" in result.stderr
    with pytest.raises(ConsolidationError):
        consolidate([tmp_path], tmp_path / "r.xlsx", today=TODAY)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--quarter", "2026Q5"], "skriv det som 2026Q3"),
        (["--jobs", "0"], "--jobs"),
        (["--history", "h.sqlite", "--no-history"], "ikke begge"),
    ],
    ids=["bad-quarter", "zero-jobs", "history-twice"],
)
def test_usage_errors_exit_2(good_folder: Path, tmp_path: Path, extra: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["consolidate", str(good_folder), "-o", str(tmp_path / "r.xlsx"), *extra])
    assert result.exit_code == 2
    assert message in result.stderr


def test_help_documents_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["consolidate", "--help"])
    assert result.exit_code == 0
    assert "Slutkoder:" in result.stdout and "nogle arbejdsbøger kunne ikke læses" in result.stdout


def test_default_history_lives_beside_the_report(good_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "out" / "rapport.xlsx"
    args = ["consolidate", str(good_folder), "-o", str(report), "--today", "2026-10-15", "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    # The default period is the last quarter that has ended.
    assert [row.quarter for row in load_history(report.parent / "samarbejde-historik.sqlite")] == ["2026Q3"]


@pytest.mark.slow
def test_demo_writes_workbooks_and_report(tmp_path: Path) -> None:
    run = run_demo(tmp_path / "demo", today=TODAY, jobs=1)
    assert run.report == tmp_path / "demo" / "ledelsesrapport-2026Q3.xlsx"
    assert run.report.exists() and run.exit_code == 0
    assert (run.result.counts.workbooks_read, run.result.counts.young_people) == (12, 240)
    assert run.result.counts.errors > 0  # the demo plants a few entry mistakes to show Datakvalitet


def test_a_bad_settings_file_is_a_usage_error(good_folder: Path, tmp_path: Path) -> None:
    settings = tmp_path / "regler.toml"
    settings.write_text("soon_days = 9999\n", encoding="utf-8")
    args = ["consolidate", str(good_folder), "-o", str(tmp_path / "r.xlsx"), "--settings", str(settings)]
    result = CliRunner().invoke(cli, [*args, "--no-history", "--jobs", "1"])
    assert result.exit_code == 2
    assert "soon_days" in result.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_batch_settings_change_the_figures(good_folder: Path, tmp_path: Path) -> None:
    from samarbejde_xl.core.settings import parse_settings_toml

    short = parse_settings_toml("[udsatte]\nend_age = 16\n")  # udsatte courses end at 16 instead of 23
    default = consolidate([good_folder], tmp_path / "a.xlsx", today=TODAY, quarter=Q3, jobs=1)
    shorter = consolidate([good_folder], tmp_path / "b.xlsx", today=TODAY, quarter=Q3, jobs=1, settings=short)
    udsatte = [
        row.active for run in (default, shorter) for row in run.result.caseload_by_variant if row.key == "udsatte"
    ]
    assert udsatte[0] > udsatte[1]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_of_the_politicians_summary(good_folder: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    run = consolidate([good_folder], tmp_path / "rapport.xlsx", today=TODAY, quarter=Q3, jobs=1, pdf=True)
    assert run.pdf == tmp_path / "rapport-politikere.pdf"
    assert run.pdf.read_bytes().startswith(b"%PDF")


def test_a_copied_workbook_counts_its_young_people_once(good_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(good_folder, folder)
    alone = consolidate([folder], tmp_path / "alone.xlsx", today=TODAY, quarter=Q3, jobs=1).result.counts
    shutil.copy(folder / GOOD[0], folder / "vejleder-99.xlsx")  # the same four young people again (issue 12)
    run = consolidate([folder], tmp_path / "rapport.xlsx", today=TODAY, quarter=Q3, jobs=1)
    assert run.result.counts.young_people == alone.young_people
    assert [(row.code, row.count) for row in run.result.top_problems] == []
    assert len(run.result.copies) == 4
    assert {Path(note.used).name for note in run.result.copies} <= {GOOD[0], "vejleder-99.xlsx"}


_WRITERS_IMPORTED_WHILE_READING = """
import json, sys
from datetime import date
from pathlib import Path
from samarbejde_xl.consolidation import consolidate

seen = []
def on_progress(done, total):
    seen.append("samarbejde_xl.report.leader_report" in sys.modules and "xlsxwriter" in sys.modules)

assert "xlsxwriter" not in sys.modules
consolidate([Path(sys.argv[1])], Path(sys.argv[2]), today=date(2026, 10, 15), jobs=2, history=None,
            on_progress=on_progress)
print(json.dumps(seen))
"""


def test_the_report_writers_are_imported_while_the_workers_read(good_folder: Path, tmp_path: Path) -> None:
    """Importing XlsxWriter and the writers is part of the serial tail unless done while the workers read (issue 17):
    by the time the last workbook's facts come back, they are imported. A fresh interpreter: this session has
    imported them long ago. Twelve files, so the workers keep the main process waiting more than once."""
    folder = tmp_path / "mapper"
    folder.mkdir()
    for copy in range(4):
        for name in GOOD:
            shutil.copy(good_folder / name, folder / f"{copy}-{name}")
    code = _WRITERS_IMPORTED_WHILE_READING
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(tmp_path / "r.xlsx")], capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(seen) == 4 * len(GOOD)
    assert seen[-1] is True
