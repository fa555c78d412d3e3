"""The facts cache: each workbook's facts from the last consolidation, so a re-run reads only the changed files.

A coordinator fixes a few workbooks and runs the quarter again; without the cache every file is read again. With
it, a file's :class:`~samarbejde_xl.core.facts.WorkbookFacts` are taken from the cache only when everything
they depend on is unchanged: the file's path, size, modification time and content (SHA-256 of its bytes), the
tool (version, and a fingerprint of the package's own source so a changed install never reuses old facts), the
python-calamine version, the batch settings, the reference date and the period. The content hash is computed on
every run: a file changed without a new modification time (or restored to the same size) is still read again.

Not cached: unreadable files (the reason may be passing, e.g. the file was open in Excel), encrypted workbooks
(their facts would lie decrypted in the cache), and a file whose size or time changed while it was read.

The cache holds pseudonymous case ids and guide initials, as the report does: it lives in the user's own local
cache folder (:func:`default_cache_path`), not beside the report. It is a disposable SQLite file: a damaged or
unreadable cache is ignored (and replaced), never a reason for the run to fail. A cold run: ``consolidate
--no-cache``, or delete the file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from samarbejde_xl import __version__
from samarbejde_xl.core.facts import WorkbookFacts
from samarbejde_xl.core.quarter import ReportPeriod
from samarbejde_xl.core.settings import Settings
from samarbejde_xl.fileio import OLE_MAGIC

CACHE_ENV = "SAMARBEJDE_XL_CACHE_DIR"
"""Environment variable naming the folder of the cache (default: the user's local cache folder)."""
CACHE_FILE_NAME = "facts-cache.sqlite"
HASH_THREADS = 4
"""Files read and hashed at once when the cache is consulted."""
SCHEMA_VERSION = "1"
_QUERY_PATHS = 500
"""Paths looked up per query (SQLite's limit of parameters is 999 in old versions)."""
_PACKAGE = Path(__file__).resolve().parent.parent


def default_cache_path() -> Path:
    """``%LOCALAPPDATA%\\samarbejde-xl`` on Windows, ``$XDG_CACHE_HOME/samarbejde-xl`` (``~/.cache``) elsewhere."""
    folder = os.environ.get(CACHE_ENV)
    if folder:
        return Path(folder) / CACHE_FILE_NAME
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "samarbejde-xl" / CACHE_FILE_NAME


@cache
def tool_fingerprint() -> str:
    """The tool as far as facts depend on it: its version, its source files' bytes and python-calamine's version."""
    digest = hashlib.sha256(f"{__version__}\0{_calamine_version()}\0".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _calamine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # ~50 ms to import: only when consolidating

    try:
        return version("python-calamine")
    except PackageNotFoundError:
        return "unknown"


def run_fingerprint(settings: Settings, today: date, quarter: ReportPeriod, tool: str) -> str:
    """What every file's facts of one run depend on beside the file itself."""
    text = f"{SCHEMA_VERSION}\0{tool}\0{settings!r}\0{today.isoformat()}\0{quarter!r}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _stored_path(path: str) -> str:
    """``path`` as SQLite can store it: a file name that is not valid UTF-8 (surrogates) gets escapes instead."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class FileState:
    """A file as it was when its key was computed."""

    path: str
    display: str
    size: int
    mtime_ns: int
    content: str  # SHA-256 of the bytes
    encrypted: bool  # an OLE container: a workbook saved with a password (or an old .xls)

    def key(self, run: str) -> str:
        text = f"{run}\0{self.path}\0{self.display}\0{self.size}\0{self.mtime_ns}\0{self.content}"
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def file_state(path: str, display: str) -> FileState | None:
    """The file's state now; None when it cannot be read (the worker then reports why)."""
    try:
        with open(path, "rb") as file:
            before = os.fstat(file.fileno())
            encrypted = file.read(len(OLE_MAGIC)) == OLE_MAGIC
            file.seek(0)
            content = hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None
    return FileState(os.path.abspath(path), display, before.st_size, before.st_mtime_ns, content, encrypted)


def _unchanged_since(state: FileState) -> bool:
    try:
        now = os.stat(state.path)
    except OSError:
        return False
    return (now.st_size, now.st_mtime_ns) == (state.size, state.mtime_ns)


class FactsCache:
    """Cached facts of one run's files (one row per file path: the newest facts). Use :func:`open_cache`."""

    def __init__(self, connection: sqlite3.Connection, run: str) -> None:
        self._connection = connection
        self._run = run
        self._states: dict[str, tuple[FileState, str]] = {}  # display name -> state and key, for put()
        self._new: list[tuple[str, str, bytes]] = []

    def get(self, path: str, display: str) -> WorkbookFacts | None:
        """The cached facts of ``path`` if nothing they depend on changed; None otherwise."""
        return self.load(self._stored([file_state(path, display)], [display])[0], display)

    def find_all(self, files: Sequence[tuple[str, str]]) -> list[bytes | None]:
        """The stored facts of each (path, display), still pickled (:meth:`load` them), where nothing they depend
        on changed; None for the others. The files are read and hashed a few at a time in threads (reading and
        SHA-256 release the GIL): on a network share most of a re-run's wait is for the server."""
        from concurrent.futures import ThreadPoolExecutor  # only when a cache is used

        with ThreadPoolExecutor(HASH_THREADS) as pool:  # joined before any worker process is forked
            states = list(pool.map(file_state, [path for path, _ in files], [display for _, display in files]))
        return self._stored(states, [display for _, display in files])

    def load(self, stored: bytes | None, display: str) -> WorkbookFacts | None:
        """The facts of :meth:`find_all`'s ``stored`` bytes for ``display``; None for a miss or a damaged row."""
        if stored is None:
            return None
        try:
            facts = pickle.loads(stored)
        except (pickle.UnpicklingError, AttributeError, EOFError, ImportError, IndexError, TypeError, ValueError):
            return None
        return facts if isinstance(facts, WorkbookFacts) and facts.file == display else None

    def _stored(self, states: Sequence[FileState | None], displays: Sequence[str]) -> list[bytes | None]:
        """Each state's stored facts if they were stored under the state's key now (one query for all of them)."""
        wanted: list[tuple[str, str] | None] = []  # per state: (stored path, key now)
        for state, display in zip(states, displays, strict=True):
            if state is None:
                wanted.append(None)
                continue
            key = state.key(self._run)
            self._states[display] = (state, key)
            wanted.append((_stored_path(state.path), key))
        paths = sorted({path for path, _ in filter(None, wanted)})
        rows: dict[tuple[str, str], bytes] = {}  # (path, key) -> facts
        try:
            for start in range(0, len(paths), _QUERY_PATHS):
                chunk = paths[start : start + _QUERY_PATHS]
                query = f"SELECT path, key, facts FROM facts WHERE path IN ({', '.join('?' * len(chunk))})"
                rows.update(((path, key), facts) for path, key, facts in self._connection.execute(query, chunk))
        except sqlite3.Error:
            return [None] * len(states)  # an unreadable cache is a miss
        return [None if place is None else rows.get(place) for place in wanted]

    def put(self, facts: WorkbookFacts) -> None:
        """Keep freshly read facts (after :meth:`get` for the same file), unless they must not be reused."""
        known = self._states.get(facts.file)
        if known is None or known[0].encrypted or facts.unreadable is not None or not _unchanged_since(known[0]):
            return
        state, key = known
        self._new.append((_stored_path(state.path), key, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)))

    def save(self) -> None:
        with self._connection:
            self._connection.executemany("INSERT OR REPLACE INTO facts (path, key, facts) VALUES (?, ?, ?)", self._new)
        self._new.clear()


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            connection.execute("CREATE TABLE IF NOT EXISTS facts (path TEXT PRIMARY KEY, key TEXT, facts BLOB)")
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:
                connection.execute("DELETE FROM facts")
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def open_cache(
    path: str | os.PathLike[str] | None, *, settings: Settings, today: date, quarter: ReportPeriod
) -> Iterator[FactsCache | None]:
    """The cache at ``path`` for one run (None: no cache). A cache that cannot be opened is replaced, or the run
    goes without one; the new facts are saved when the block ends without an error."""
    if path is None:
        yield None
        return
    cache_path = Path(path)
    connection = None
    for attempt in range(2):
        try:
            connection = _connect(cache_path)
            break
        except (sqlite3.Error, OSError):
            if attempt == 0:
                _remove(cache_path)  # damaged or not a cache: start a new one
    if connection is None:
        yield None
        return
    with closing(connection):
        facts_cache = FactsCache(connection, run_fingerprint(settings, today, quarter, tool_fingerprint()))
        yield facts_cache
        try:
            facts_cache.save()
        except sqlite3.Error:
            pass  # a cache that cannot be written costs speed next time, nothing else


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass
