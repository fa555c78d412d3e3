"""The history store: one snapshot of key figures per quarter, in a SQLite file (standard library only).

Only aggregates are stored (:class:`~samarbejde_xl.core.figures.KeyFigures`: counts and shares), never an id,
a name or a file name, so the file holds no personal data. Re-running a quarter replaces that quarter's
snapshot; the Udvikling sheet shows the stored quarters oldest first.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.figures import KeyFigures

SCHEMA_VERSION = 1
_TABLE = "quarter_figures"
_FIELDS = tuple(field.name for field in fields(KeyFigures))
_FLOAT_FIELDS = frozenset(field.name for field in fields(KeyFigures) if "float" in str(field.type))
_TEXT_FIELDS = frozenset({"quarter", "label"})


class HistoryError(SamarbejdeError):
    """The history file exists but is not a samarbejde-xl history store (or is damaged)."""


def _column_type(name: str) -> str:
    if name in _TEXT_FIELDS:
        return "TEXT NOT NULL"
    if name in _FLOAT_FIELDS:
        return "REAL"
    return "INTEGER NOT NULL"


_CREATE = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {_TABLE} ("
    + ", ".join(f"{name} {_column_type(name)}{' PRIMARY KEY' if name == 'quarter' else ''}" for name in _FIELDS)
    + ", saved_at TEXT NOT NULL, tool_version TEXT NOT NULL)",
)


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        with closing(sqlite3.connect(path)) as connection:
            with connection:  # one transaction: committed on success, rolled back on error
                _prepare(connection, path)
                yield connection
    except sqlite3.DatabaseError as error:
        raise HistoryError(
            f"{path}: ikke en historik fra samarbejde-xl, eller den er beskadiget. "
            "Angiv en anden fil med --history, eller flyt denne væk for at starte en ny historik"
        ) from error


def _prepare(connection: sqlite3.Connection, path: Path) -> None:
    for statement in _CREATE:
        connection.execute(statement)
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        connection.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    elif int(row[0]) > SCHEMA_VERSION:
        raise HistoryError(
            f"{path}: historikken er skrevet af en nyere samarbejde-xl (skema {row[0]}). "
            "Opdatér samarbejde-xl (pip install -U samarbejde-xl)"
        )


def load_history(path: str | os.PathLike[str]) -> list[KeyFigures]:
    """All stored quarters, oldest first; an absent file is an empty history (nothing is created)."""
    history_path = Path(path)
    if not history_path.exists():
        return []
    with _connect(history_path) as connection:
        rows = connection.execute(f"SELECT {', '.join(_FIELDS)} FROM {_TABLE} ORDER BY quarter").fetchall()
    return [KeyFigures(*row) for row in rows]


def save_snapshot(path: str | os.PathLike[str], figures: KeyFigures, *, saved_at: datetime, tool_version: str) -> None:
    """Store one quarter's key figures, replacing an earlier snapshot of the same quarter."""
    history_path = Path(path)
    history_path.parent.mkdir(parents=True, exist_ok=True)
    values = [getattr(figures, name) for name in _FIELDS]
    columns = (*_FIELDS, "saved_at", "tool_version")
    placeholders = ", ".join("?" for _ in columns)
    with _connect(history_path) as connection:
        connection.execute(
            f"INSERT OR REPLACE INTO {_TABLE} ({', '.join(columns)}) VALUES ({placeholders})",
            (*values, saved_at.isoformat(timespec="seconds"), tool_version),
        )


@dataclass(frozen=True)
class StoredQuarter:
    """One stored snapshot as ``history list`` shows it."""

    figures: KeyFigures
    saved_at: str
    tool_version: str


def list_snapshots(path: str | os.PathLike[str]) -> list[StoredQuarter]:
    """Every stored quarter with when and by which version it was saved, oldest quarter first."""
    history_path = _existing(path)
    with _connect(history_path) as connection:
        rows = connection.execute(
            f"SELECT {', '.join(_FIELDS)}, saved_at, tool_version FROM {_TABLE} ORDER BY quarter"
        ).fetchall()
    return [StoredQuarter(KeyFigures(*row[: len(_FIELDS)]), row[-2], row[-1]) for row in rows]


def remove_snapshot(path: str | os.PathLike[str], quarter: str) -> bool:
    """Delete the snapshot of ``quarter`` ("2026Q3"); False when it was not stored."""
    history_path = _existing(path)
    with _connect(history_path) as connection:
        removed = connection.execute(f"DELETE FROM {_TABLE} WHERE quarter = ?", (quarter,)).rowcount
    return bool(removed)


def _existing(path: str | os.PathLike[str]) -> Path:
    history_path = Path(path)
    if not history_path.is_file():
        raise HistoryError(
            f"{history_path}: historikfilen findes ikke. Angiv den med --history (den ligger normalt ved siden af "
            "rapporten)"
        )
    return history_path
