"""The history store: aggregates only, one snapshot per quarter, replaced on re-run."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from samarbejde_xl.cli import cli
from samarbejde_xl.core.figures import KeyFigures
from samarbejde_xl.demo.municipality import write_demo_municipality
from samarbejde_xl.report.history_store import HistoryError, load_history, save_snapshot
from samarbejde_xl.report.leader_report import TREND_MAX_QUARTERS, trend_columns

SAVED = datetime(2026, 10, 15, 9, 0)


def figures(quarter: str, active: int, compliance: float | None = 0.75) -> KeyFigures:
    return KeyFigures(
        quarter=quarter,
        label=f"label {quarter}",
        workbooks=3,
        young_people=active + 2,
        active=active,
        started=2,
        ended=1,
        meetings_held=17,
        milestone_compliance=compliance,
        m18_5_compliance=None,
        young_person_attendance=0.8,
        success_share=0.5,
        partial_share=0.25,
        none_share=0.25,
        overdue=4,
        errors=1,
        warnings=0,
    )


def test_snapshots_round_trip_oldest_first(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    for quarter, active in [("2026Q3", 30), ("2025Q4", 10), ("2026Q1", 20)]:
        save_snapshot(store, figures(quarter, active), saved_at=SAVED, tool_version="0.1.0")
    assert load_history(store) == [figures("2025Q4", 10), figures("2026Q1", 20), figures("2026Q3", 30)]


def test_rerunning_a_quarter_replaces_its_snapshot(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    save_snapshot(store, figures("2026Q3", 30), saved_at=SAVED, tool_version="0.1.0")
    save_snapshot(store, figures("2026Q3", 31, compliance=None), saved_at=SAVED, tool_version="0.1.0")
    assert load_history(store) == [figures("2026Q3", 31, compliance=None)]


def test_an_absent_store_is_an_empty_history_and_is_not_created(tmp_path: Path) -> None:
    assert load_history(tmp_path / "none.sqlite") == []
    assert not (tmp_path / "none.sqlite").exists()


def test_the_store_holds_only_aggregate_columns(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    save_snapshot(store, figures("2026Q3", 30), saved_at=SAVED, tool_version="0.1.0")
    with sqlite3.connect(store) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {row[1] for row in connection.execute("PRAGMA table_info(quarter_figures)")}
    connection.close()
    assert tables == {"meta", "quarter_figures"}
    assert columns == {*KeyFigures.__dataclass_fields__, "saved_at", "tool_version"}
    assert not {"case_id", "file", "guide", "initials", "name"} & columns


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all, just some text that is long enough" * 20, b"SQLite format 3\x00garbage"],
    ids=["text", "damaged-header"],
)
def test_a_file_that_is_not_a_store_is_refused_with_a_hint(tmp_path: Path, content: bytes) -> None:
    store = tmp_path / "h.sqlite"
    store.write_bytes(content)
    with pytest.raises(HistoryError, match="--history"):
        load_history(store)
    assert store.read_bytes() == content


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    save_snapshot(store, figures("2026Q3", 30), saved_at=SAVED, tool_version="0.1.0")
    with sqlite3.connect(store) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.close()
    with pytest.raises(HistoryError, match="nyere samarbejde-xl"):
        load_history(store)


def test_figures_survive_float_and_none_values(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    original = replace(figures("2024Q1", 0), success_share=None, partial_share=1 / 3, none_share=2 / 3)
    save_snapshot(store, original, saved_at=SAVED, tool_version="0.1.0")
    assert load_history(store) == [original]


# --------------------------------------------------------------------------------------------------
# Issue 12 point 7: history integrity
# --------------------------------------------------------------------------------------------------


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def guide_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history-guides")
    write_demo_municipality(folder, workbooks=2, cases=4, seed=8, today=date(2026, 10, 1), clean=True)
    return folder


def _consolidate(folder: Path, out: Path, *extra: str) -> Any:
    return _cli("consolidate", str(folder), "-o", str(out / "rapport.xlsx"), "--history", str(out / "h.sqlite"), *extra)


def test_a_quarter_not_ended_by_today_is_refused_unless_forced(guide_folder: Path, tmp_path: Path) -> None:
    running = _consolidate(guide_folder, tmp_path, "--today", "2026-10-01", "--quarter", "2026Q4")
    assert running.exit_code == 2, running.output
    assert "4. kvartal 2026" in running.output and "--force" in running.output
    assert not (tmp_path / "rapport.xlsx").exists() and not (tmp_path / "h.sqlite").exists()
    preliminary = _cli(
        "consolidate", str(guide_folder), "-o", str(tmp_path / "r.xlsx"), "--no-history", "--today", "2026-10-01",
        "--quarter", "2026Q4",
    )  # fmt: skip
    assert preliminary.exit_code == 0, preliminary.output
    forced = _consolidate(guide_folder, tmp_path, "--today", "2026-10-01", "--quarter", "2026Q4", "--force")
    assert forced.exit_code == 0, forced.output
    assert [figures.quarter for figures in load_history(tmp_path / "h.sqlite")] == ["2026Q4"]


def test_a_quarter_far_from_the_data_is_refused_unless_forced(guide_folder: Path, tmp_path: Path) -> None:
    far = _consolidate(guide_folder, tmp_path, "--today", "2026-10-01", "--quarter", "1990Q1")
    assert far.exit_code == 2, far.output
    assert "langt fra dataene" in far.output and "--force" in far.output
    assert not (tmp_path / "rapport.xlsx").exists() and not (tmp_path / "h.sqlite").exists()
    forced = _consolidate(guide_folder, tmp_path, "--today", "2026-10-01", "--quarter", "1990Q1", "--force")
    assert forced.exit_code == 0, forced.output


@pytest.mark.parametrize(
    "extra",
    [
        ("--quarter", "9999Q4"),
        ("--quarter", "1900Q1"),
        ("--quarter", "2026Q0"),
        ("--quarter", "99999999999999999999Q1"),
        ("--today", "9999-12-31"),
        ("--today", "0001-01-01"),
        ("--today", "1-1-1"),
    ],
)
def test_extreme_quarter_and_today_values_are_usage_errors(
    guide_folder: Path, tmp_path: Path, extra: tuple[str, ...]
) -> None:
    result = _consolidate(guide_folder, tmp_path, *extra)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert not (tmp_path / "rapport.xlsx").exists()


@pytest.mark.parametrize("command", ["refresh", "plan", "validate"])
def test_extreme_today_is_refused_by_every_command(guide_folder: Path, command: str, tmp_path: Path) -> None:
    workbook = sorted(guide_folder.glob("*.xlsx"))[0]
    extra = ["-o", str(tmp_path / "ud.xlsx")] if command == "refresh" else []
    result = _cli(command, "--today", "9999-12-31", *extra, str(workbook))
    assert result.exit_code == 2 and "året skal ligge mellem" in result.output


def test_history_list_and_remove(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    for quarter in ("2025Q4", "2026Q1", "2026Q3"):
        save_snapshot(store, figures(quarter, 10), saved_at=SAVED, tool_version="0.1.0")
    listed = _cli("history", "list", "--history", str(store))
    assert listed.exit_code == 0, listed.output
    assert [line.split()[0] for line in listed.output.splitlines()[2:]] == ["2025Q4", "2026Q1", "2026Q3"]
    assert "2026-10-15 09:00:00" in listed.output
    removed = _cli("history", "remove", "2026Q1", "--history", str(store))
    assert removed.exit_code == 0 and "fjernede 2026Q1" in removed.output
    assert [row.quarter for row in load_history(store)] == ["2025Q4", "2026Q3"]
    again = _cli("history", "remove", "2026q1", "--history", str(store))
    assert again.exit_code == 2 and "er ikke gemt" in again.output
    bad = _cli("history", "remove", "sidste kvartal", "--history", str(store))
    assert bad.exit_code == 2 and "2026Q3" in bad.output
    missing = _cli("history", "list", "--history", str(tmp_path / "ingen.sqlite"))
    assert missing.exit_code == 2 and "findes ikke" in missing.output
    assert not (tmp_path / "ingen.sqlite").exists()
    not_a_store = tmp_path / "tekst.sqlite"
    not_a_store.write_text("hej")
    damaged = _cli("history", "list", "--history", str(not_a_store))
    assert damaged.exit_code == 2 and "Traceback" not in damaged.output


def test_the_trend_puts_quarters_on_a_time_axis_with_gaps() -> None:
    trend = [figures("2025Q3", 5), figures("2026Q1", 7), figures("2026Q3", 9)]
    columns = trend_columns(trend)
    assert [label for label, _ in columns] == [
        "3. kvartal 2025", "4. kvartal 2025", "1. kvartal 2026", "2. kvartal 2026", "3. kvartal 2026",
    ]  # fmt: skip
    assert [row.active if row else None for _, row in columns] == [5, None, 7, None, 9]


def test_the_trend_shows_at_most_ten_years() -> None:
    columns = trend_columns([figures("1990Q1", 1), figures("2026Q3", 2)])
    assert len(columns) == TREND_MAX_QUARTERS and columns[-1][1] is not None
