"""The history store: aggregates only, one snapshot per quarter, replaced on re-run."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from samarbejde_xl.core.aggregate import KeyFigures
from samarbejde_xl.report.history import HistoryError, load_history, save_snapshot

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
    with pytest.raises(HistoryError, match="newer samarbejde-xl"):
        load_history(store)


def test_figures_survive_float_and_none_values(tmp_path: Path) -> None:
    store = tmp_path / "h.sqlite"
    original = replace(figures("2024Q1", 0), success_share=None, partial_share=1 / 3, none_share=2 / 3)
    save_snapshot(store, original, saved_at=SAVED, tool_version="0.1.0")
    assert load_history(store) == [original]
