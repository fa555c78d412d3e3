"""read_folder and consolidate --export (issue 15 point 2): the tables reproduce the report, read back typed, and
open in a Danish LibreOffice into the right columns and types."""

from __future__ import annotations

import importlib.util
import math
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from click.testing import CliRunner
from corpus import TODAY as CORPUS_TODAY
from corpus import Variant
from corpus.build import Package as CorpusPackage
from openpyxl import load_workbook
from test_privacy import NAMES, PLANTED_CPR, PLANTED_CPR_IN_VALUE_CELLS, PLANTED_NAMES

import samarbejde_xl
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import ConsolidationError, ConsolidationRun, consolidate
from samarbejde_xl.core.figures import ConsolidationResult, OutcomeTable
from samarbejde_xl.core.quarter import Quarter
from samarbejde_xl.demo.municipality import write_demo_workbooks
from samarbejde_xl.fileio import sha256_of
from samarbejde_xl.tables import (
    CSV_ENCODING,
    Tables,
    export_tables,
    read_folder,
    tables_from_run,
    write_csv,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLES_TODAY = date(2026, 10, 1)  # examples/README.md: the day the examples are meant to be read on
DEMO_TODAY = date(2026, 10, 15)
NOW = datetime(2026, 10, 15, 8, 0)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated municipality with the demo's planted entry mistakes. Read-only."""
    folder = tmp_path_factory.mktemp("demo")
    write_demo_workbooks(folder, workbooks=6, cases=20, seed=3, today=DEMO_TODAY)
    return folder


@pytest.fixture(scope="module")
def runs(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ConsolidationRun, Path]]:
    out = tmp_path_factory.mktemp("reports")
    return {
        "examples": (consolidate([EXAMPLES], out / "examples.xlsx", today=EXAMPLES_TODAY, now=NOW, jobs=1), EXAMPLES),
        "demo": (consolidate([demo_folder], out / "demo.xlsx", today=DEMO_TODAY, now=NOW, jobs=2), demo_folder),
    }


def _report_and_tables(runs: dict[str, tuple[ConsolidationRun, Path]], name: str) -> tuple[ConsolidationResult, Tables]:
    run, folder = runs[name]
    return run.result, read_folder(folder, today=run.result.today, jobs=1)


def _outcome_counts(cases: pd.DataFrame) -> dict[str, int]:
    return {str(label): int(count) for label, count in cases["udfald"].value_counts(sort=False).items()}


def _report_outcome_counts(table: OutcomeTable) -> dict[str, int]:
    return {row.label: row.count for row in table.rows}


def _close(left: float | None, right: float | None) -> bool:
    return (left is None and right is None) or (
        left is not None and right is not None and math.isclose(left, right, abs_tol=1e-12)
    )


@pytest.mark.parametrize("name", ["examples", "demo"])
def test_the_tables_reproduce_the_reports_outcomes(runs: dict[str, tuple[ConsolidationRun, Path]], name: str) -> None:
    result, tables = _report_and_tables(runs, name)
    cases = tables.cases
    active = cases[cases["aktiv"]]
    assert len(cases) == result.counts.young_people
    assert len(active) == result.counts.active
    assert (int(active["startet"].sum()), int(active["afsluttet"].sum())) == (
        result.counts.started,
        result.counts.ended,
    )
    assert int((~cases["har_forløb"]).sum()) == result.counts.incomplete
    assert _outcome_counts(active) == _report_outcome_counts(result.outcomes)
    assert int(active["udfald"].isna().sum()) == result.outcome_unregistered
    for table in result.outcomes_by_variant:
        assert _outcome_counts(active[active["variant"] == table.label]) == _report_outcome_counts(table)
    for table in result.outcomes_by_age_band:
        assert _outcome_counts(active[active["aldersgruppe"] == table.label]) == _report_outcome_counts(table)
    assert result.outcomes.total > 0  # the comparison above is about real figures


@pytest.mark.parametrize("name", ["examples", "demo"])
def test_the_tables_reproduce_the_reports_compliance(runs: dict[str, tuple[ConsolidationRun, Path]], name: str) -> None:
    result, tables = _report_and_tables(runs, name)
    active = set(tables.cases.loc[tables.cases["aktiv"], "ung_nr"])
    milestones = tables.milestones[tables.milestones["ung_nr"].isin(active)]
    meetings = result.meetings
    assert len(milestones) == meetings.milestones_due > 0
    assert int(milestones["holdt_i_vinduet"].sum()) == meetings.milestones_held_in_window
    assert int(milestones["holdt_for_sent"].sum()) == meetings.milestones_held_late
    assert _close(milestones["holdt_i_vinduet"].mean(), meetings.compliance)
    per_kind = milestones.groupby("milepæl", observed=False)["holdt_i_vinduet"].agg(["size", "sum"])
    for row in meetings.by_milestone:
        assert (int(per_kind.loc[row.label, "size"]), int(per_kind.loc[row.label, "sum"])) == (
            row.due,
            row.held_in_window,
        )
    held = tables.meetings[tables.meetings["ung_nr"].isin(active)]
    assert len(held) == meetings.held_in_quarter
    assert _close(held["den_unge_deltog"].mean(), meetings.young_person.rate)
    assert len(tables.overdue) == len(result.overdue)
    assert sorted(tables.overdue["dage_over_vinduet"]) == sorted(row.days_overdue for row in result.overdue)
    agreements = tables.agreements[tables.agreements["ung_nr"].isin(active)]
    assert (len(agreements), int(agreements["overskredet"].sum())) == (
        result.agreements.total,
        result.agreements.overdue,
    )


@pytest.mark.parametrize("name", ["examples", "demo"])
def test_the_tables_reproduce_the_reports_life_areas_and_involvement(
    runs: dict[str, tuple[ConsolidationRun, Path]], name: str
) -> None:
    result, tables = _report_and_tables(runs, name)
    active = set(tables.cases.loc[tables.cases["aktiv"], "ung_nr"])
    scores = tables.life_areas[tables.life_areas["ung_nr"].isin(active)]
    for row in result.life_areas:
        area = scores[scores["livsområde"] == row.label]
        assert len(area) == row.n
        trend = area["udvikling"].value_counts(normalize=True)
        if row.n:
            assert _close(area["første"].mean(), row.first_avg)
            assert _close(area["seneste"].mean(), row.latest_avg)
            assert _close(trend["forbedret"], row.improved)
            assert _close(trend["uændret"], row.unchanged)
            assert _close(trend["forværret"], row.worsened)
    assert sum(row.n for row in result.life_areas) > 0
    answers = tables.involvement[tables.involvement["ung_nr"].isin(active)]
    for item in result.involvement:
        given = answers[answers["udsagn"] == item.label]
        assert len(given) == item.answered
        assert int(given["ved_ikke"].sum()) == item.dont_know
        assert tuple(int((given["svar"] == score).sum()) for score in range(1, 6)) == item.counts


def test_read_folder_gives_the_tables_behind_the_report(runs: dict[str, tuple[ConsolidationRun, Path]]) -> None:
    run, folder = runs["demo"]
    read = read_folder(folder, today=DEMO_TODAY, jobs=1)
    behind = tables_from_run(run)
    for (name, left), (_, right) in zip(read.named(), behind.named(), strict=True):
        pd.testing.assert_frame_equal(left, right, obj=name)
    assert read.problems["antal"].sum() == run.result.counts.errors + run.result.counts.warnings


def test_read_folder_is_exported_lazily_from_the_package() -> None:
    assert samarbejde_xl.read_folder is read_folder
    code = "import sys, samarbejde_xl, samarbejde_xl.cli; print('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_the_quarter_and_reference_day_are_in_the_tables(runs: dict[str, tuple[ConsolidationRun, Path]]) -> None:
    _, tables = _report_and_tables(runs, "examples")
    assert set(tables.cases["kvartal"]) == {"2026Q3"}
    assert set(tables.cases["opgjort_pr"]) == {pd.Timestamp(2026, 9, 30)}
    earlier = read_folder(EXAMPLES, today=EXAMPLES_TODAY, quarter=Quarter(2026, 2), jobs=1)
    assert set(earlier.cases["kvartal"]) == {"2026Q2"}


def _text_cells(folder: Path) -> Iterator[str]:
    for path in folder.glob("*.csv"):
        for line in path.read_text(encoding=CSV_ENCODING).splitlines():
            yield from line.split(";")


def test_no_initials_names_or_file_names_in_the_export(demo_folder: Path, tmp_path: Path) -> None:
    run = consolidate([demo_folder], tmp_path / "r.xlsx", today=DEMO_TODAY, now=NOW, jobs=1)
    export_tables(tables_from_run(run), tmp_path / "ud")
    cells = set(_text_cells(tmp_path / "ud"))
    initials = {case.coordinator for facts in run.facts for case in facts.cases}
    files = {Path(row.file).name for row in run.result.data_quality} | {Path(row.file).stem for row in run.facts}
    assert initials and not initials & cells
    assert not files & cells
    assert {case.case_id for facts in run.facts for case in facts.cases} <= cells  # the pseudonymous id stays


def test_the_parquet_files_read_back_with_the_same_types(
    runs: dict[str, tuple[ConsolidationRun, Path]], tmp_path: Path
) -> None:
    tables = tables_from_run(runs["demo"][0])
    written = export_tables(tables, tmp_path / "tabeller")
    assert sorted(path.name for path in written) == sorted(path.name for path in (tmp_path / "tabeller").iterdir())
    for name, table in tables.named():
        back = pd.read_parquet(tmp_path / "tabeller" / f"{name}.parquet")
        assert back.dtypes.to_dict() == table.dtypes.to_dict(), name
        pd.testing.assert_frame_equal(back, table, obj=name)


def test_an_empty_table_is_written_with_its_columns(tmp_path: Path) -> None:
    tables = read_folder(EXAMPLES / "vejleder-01.xlsx", today=EXAMPLES_TODAY, jobs=1)
    empty = tables.overdue.iloc[0:0]
    write_csv(empty, tmp_path / "tom.csv")
    header = (tmp_path / "tom.csv").read_bytes().decode(CSV_ENCODING)
    assert header == ";".join(tables.overdue.columns) + "\r\n"


def test_the_export_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    tables = read_folder(EXAMPLES, today=EXAMPLES_TODAY, jobs=1)
    fake_input = tmp_path / "unge.csv"
    fake_input.write_text("kundeliste", encoding="utf-8")
    with pytest.raises(ConsolidationError, match="overskrives ikke"):
        export_tables(tables, tmp_path, inputs=[fake_input])
    assert fake_input.read_text(encoding="utf-8") == "kundeliste"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["unge.csv"]


def test_consolidate_export_writes_the_tables_and_leaves_the_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "ind"
    shutil.copytree(EXAMPLES, inputs)
    before = {path.name: sha256_of(path) for path in inputs.iterdir()}
    result = CliRunner().invoke(
        cli,
        [
            "consolidate",
            str(inputs),
            "-o",
            str(tmp_path / "rapport.xlsx"),
            "--today",
            "2026-10-01",
            "--no-history",
            "-j",
            "1",
            "--export",
            str(tmp_path / "tabeller"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Tabeller: 18 filer (CSV og Parquet) i {tmp_path / 'tabeller'}" in result.output
    assert {path.name: sha256_of(path) for path in inputs.iterdir()} == before
    names = sorted(path.name for path in (tmp_path / "tabeller").iterdir())
    assert len(names) == 18 and "unge.csv" in names and "møder.parquet" in names  # no temporary files left


def test_consolidate_export_to_a_file_is_refused_before_reading(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["consolidate", str(EXAMPLES), "-o", str(tmp_path / "r.xlsx"), "--export", str(blocker / "ud"), "--no-history"],
    )
    assert result.exit_code == 2
    assert "er en fil, ikke en mappe" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.xlsx").exists()


def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice


def _open_in_danish_calc(csv: Path, tmp_path: Path) -> list[tuple[object, ...]]:
    """Open ``csv`` as Danish Excel users do (';', UTF-8, language da-DK = LCID 1030) and read the cells back."""
    out = tmp_path / "lo-out"
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--infilter=CSV:59,34,76,1,,1030",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(csv),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = load_workbook(out / f"{csv.stem}.xlsx").active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.libreoffice
def test_the_csv_opens_in_danish_libreoffice_into_the_right_columns_and_types(
    runs: dict[str, tuple[ConsolidationRun, Path]], tmp_path: Path
) -> None:
    tables = tables_from_run(runs["examples"][0])
    # One file holding every kind of column the export writes, plus a decimal and text with the separator in it.
    overdue = tables.overdue.merge(tables.cases[["ung_nr", "ung_id", "aktiv", "udfald"]], on="ung_nr")
    overdue["andel"] = overdue["dage_over_vinduet"] / 7
    overdue.loc[0, "ung_id"] = '=HYPERLINK("x";"æøå")'
    write_csv(overdue, tmp_path / "overskredne_møder.csv")
    header, *rows = _open_in_danish_calc(tmp_path / "overskredne_møder.csv", tmp_path)
    assert list(header) == list(overdue.columns)
    assert len(rows) == len(overdue) > 0
    assert not overdue["andel"].map(float.is_integer).all()  # decimals are in the file
    for row, (_, expected) in zip(rows, overdue.iterrows(), strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["ung_nr"] == expected["ung_nr"] and isinstance(cells["ung_nr"], int)
        assert cells["mødetype"] == expected["mødetype"]  # Danish labels with æ/ø/å and ½
        assert cells["forfaldsdato"] == expected["forfaldsdato"].to_pydatetime()  # a date, not text
        assert cells["vinduet_sluttede"] == expected["vinduet_sluttede"].to_pydatetime()
        assert cells["aktiv"] == int(expected["aktiv"])  # 1/0: a sum counts
        assert isinstance(cells["andel"], int | float) and math.isclose(cells["andel"], expected["andel"])  # "4,5"
        assert cells["udfald"] == (None if pd.isna(expected["udfald"]) else expected["udfald"])
    assert rows[0][list(header).index("ung_id")] == '\'=HYPERLINK("x";"æøå")'  # shown as text, not run


def _analysis_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("analysis", EXAMPLES / "analysis.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_analysis_examples_pivots_agree_with_the_report(runs: dict[str, tuple[ConsolidationRun, Path]]) -> None:
    result, tables = _report_and_tables(runs, "examples")
    analysis = _analysis_module()
    outcomes = analysis.outcomes_by_variant(tables.cases)
    for table in result.outcomes_by_variant:
        assert outcomes[table.label].drop("I alt").to_dict() == _report_outcome_counts(table)
    assert outcomes.loc["I alt", "I alt"] == result.outcomes.total
    milestones = analysis.milestones_in_time_by_guide(tables.cases, tables.milestones)
    assert milestones.loc["I alt", "milepælsmøder"] == result.meetings.milestones_due
    assert milestones.loc["I alt", "holdt_i_tide"] == result.meetings.milestones_held_in_window
    shown = subprocess.run(
        [sys.executable, str(EXAMPLES / "analysis.py")], capture_output=True, text=True, check=True
    ).stdout
    assert "Udfald pr. modelvariant (2026Q3" in shown
    assert f"{result.meetings.compliance:.0%}" in shown.splitlines()[-1]


@pytest.fixture(scope="module")
def planted_export(corpus: list[Variant], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The exported tables (CSV and Parquet) of a workbook with test_privacy's CPR numbers and names planted."""
    base = next(variant.path for variant in corpus if variant.name == "valid-base")
    package = CorpusPackage(base.read_bytes())
    for _name, sheet, cell, text in PLANTED_CPR + PLANTED_NAMES + PLANTED_CPR_IN_VALUE_CELLS:
        package.set_cell(sheet, cell, text)
    folder = tmp_path_factory.mktemp("planted")
    (folder / "ind").mkdir()
    (folder / "ind" / "vejleder.xlsx").write_bytes(package.to_bytes())
    tables = read_folder(folder / "ind", today=CORPUS_TODAY, jobs=1)
    assert len(tables.cases) == 3 and len(tables.life_areas) > 0
    written = export_tables(tables, folder / "ud")
    csv = "\n".join(path.read_text(encoding=CSV_ENCODING) for path in written if path.suffix == ".csv")
    parquet = "\n".join(
        pd.read_parquet(path).astype(str).to_csv(index=False) for path in written if path.suffix == ".parquet"
    )
    return csv + "\n" + parquet


def test_no_cpr_number_name_or_initials_reach_the_tables(planted_export: str) -> None:
    assert "U-0001" in planted_export  # control: the search sees the pseudonymous ids
    digits = re.sub(r"[- ]", "", planted_export)
    for _name, _sheet, _cell, text in PLANTED_CPR + PLANTED_CPR_IN_VALUE_CELLS:
        match = re.search(r"(\d{6})[- ]?(\d{4})", text)
        assert match is not None
        assert match.group(1) + match.group(2) not in digits, text
    for name in NAMES:
        assert name not in planted_export
