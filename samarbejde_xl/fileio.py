"""Writing outputs safely: every file the tools write goes through here.

A write goes to a temporary file in the target's folder, is flushed to disk, and then replaces the target in one
``os.replace``: an interrupted write leaves the old file (or no file) behind, never a half-written one. The temp
file's name carries the writer's process id, so the next write beside it removes what a killed writer left.

Outputs never replace an input or an existing case workbook (:func:`refuse_overwriting`); an in-place change holds
a lock on the workbook (:func:`in_place_lock`) and is refused while Excel has it open or the file is read-only.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.schema import REPORT_MARKER_SHEETS, SHEET_SETTINGS

NAME_LIMIT = 255
"""Longest file name (bytes of UTF-8 on Linux/macOS; Windows counts UTF-16 units, never more than these bytes)."""

_TEMP_MARK = ".tmp"
_TEMP_NAME = re.compile(r"^\.(?P<stem>.*)\.(?P<pid>[0-9]+)-[^.]+\.tmp(?P<suffix>\.[^.]*)?$")


class OutputRefusedError(SamarbejdeError):
    """An output that would replace an input or a case workbook, or an in-place change that cannot be made safely
    now (open in Excel, read-only, another change under way). A usage error: nothing was read or written."""


def _fit_stem(stem: str, reserved: int) -> str:
    """``stem`` shortened (whole characters) so that it and ``reserved`` more bytes fit in :data:`NAME_LIMIT`."""
    room = max(NAME_LIMIT - reserved, 1)
    encoded = stem.encode("utf-8")
    return encoded[:room].decode("utf-8", "ignore") if len(encoded) > room else stem


def _fit_name(stem: str, rest: str) -> str:
    """``stem + rest``, the stem shortened so the name stays within :data:`NAME_LIMIT` bytes."""
    return _fit_stem(stem, len(rest.encode("utf-8"))) + rest


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no cheap liveness probe: treat as alive (its temp file stays until it is old)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


_STALE_SECONDS = 24 * 3600
"""Where a writer's liveness cannot be probed, its temp file counts as left behind after a day."""


def clean_stale_temp_files(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temp files of ``target`` that a killed or crashed write left beside it; returns them."""
    target_path = Path(target)
    folder = target_path.parent if str(target_path.parent) else Path(".")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = datetime.now().timestamp()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or not target_path.name.startswith(match.group("stem")):
            continue
        if (match.group("suffix") or "") != target_path.suffix:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            alive = _process_alive(int(match.group("pid")))
            if alive and (os.name == "posix" or now - entry.stat().st_mtime < _STALE_SECONDS):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except (OSError, ValueError):
            continue
    return removed


class OutputChoiceError(SamarbejdeError):
    """Neither or both of -o OUTPUT and --in-place: a usage error, found before anything is read."""


def write_target(source: Path, output: Path | None, in_place: bool) -> Path:
    """Where a command that changes ``source`` writes: ``output``, or ``source`` itself with ``in_place``. The one
    check of the -o / --in-place choice for every writing command."""
    if in_place == (output is not None):
        raise OutputChoiceError("angiv enten -o FIL eller --in-place (præcis én af dem)")
    if output is None:
        return source
    refuse_overwriting(output, [source], offers_in_place=True)
    return output


@contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` atomically."""
    target_path = Path(target)
    folder = target_path.parent if str(target_path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    clean_stale_temp_files(target_path)
    suffix = f"{_TEMP_MARK}{target_path.suffix}"
    # mkstemp adds 8 random characters; the pid lets the next run tell a dead writer's file from a live one's.
    tail = f".{os.getpid()}-"
    prefix = _fit_stem(f".{target_path.stem}", len(tail) + 8 + len(suffix.encode("utf-8"))) + tail
    import tempfile  # imported here: read-only commands never write (issue 17's start-up)

    handle, temp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        yield temp_path
        with open(temp_path, "rb+") as written:
            os.fsync(written.fileno())
        # mkstemp creates 0600; give the output the mode a plain open() would (or keep the replaced file's mode).
        mode = target_path.stat().st_mode & 0o777 if target_path.exists() else 0o666 & ~_umask()
        os.chmod(temp_path, mode)
        os.replace(temp_path, target_path)
    finally:
        if temp_path.exists():
            temp_path.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_output(target) as temp_path:
        temp_path.write_bytes(data)


def backup_name(source: Path, now: datetime, counter: int = 0) -> Path:
    """``<stem>.backup-YYYYMMDD-HHMMSS[-N]<suffix>`` beside ``source``, the stem shortened to fit the name limit."""
    stamp = now.strftime("%Y%m%d-%H%M%S") + (f"-{counter}" if counter else "")
    return source.with_name(_fit_name(source.stem, f".backup-{stamp}{source.suffix}"))


def backup_copy(path: str | os.PathLike[str], now: datetime) -> Path:
    """Copy ``path`` to :func:`backup_name` beside it (before an in-place change)."""
    source = Path(path)
    counter = 0
    backup = backup_name(source, now)
    while backup.exists():
        counter += 1
        backup = backup_name(source, now, counter)
    import shutil

    with atomic_output(backup) as temp_path:
        shutil.copyfile(source, temp_path)
    return backup


def sha256_of(path: str | os.PathLike[str]) -> str:
    import hashlib  # loads OpenSSL: only when a hash is asked for

    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------------
# Outputs never replace inputs or case workbooks
# --------------------------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an OLE compound file starts: an encrypted workbook (or an old .xls), not a zip package."""
_SHEET_NAME = re.compile(rb'<sheet\b[^>]*\bname="([^"]*)"')


def is_case_workbook(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is (or may be) a guide's case workbook: an xlsx/xlsm package with the settings sheet, or an
    encrypted Office file (its sheets cannot be seen without the password). Reports and other files are not."""
    names = _sheet_names(path)
    return names is None or SHEET_SETTINGS.casefold() in names


def is_report_workbook(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is an earlier samarbejde-xl report or politicians' summary (a report's sheet, no settings
    sheet)."""
    names = _sheet_names(path) or set()
    return any(sheet.casefold() in names for sheet in REPORT_MARKER_SHEETS) and SHEET_SETTINGS.casefold() not in names


def _sheet_names(path: str | os.PathLike[str]) -> set[str] | None:
    """The case-folded sheet names of an xlsx package; ``set()`` for other files, ``None`` for an encrypted one."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
            if head.startswith(OLE_MAGIC):
                return None
            if not head.startswith(b"PK"):
                return set()
            stream.seek(0)
            with zipfile.ZipFile(stream) as package:
                info = package.getinfo("xl/workbook.xml")
                if info.file_size > 8 * 1024 * 1024:  # no real workbook part is this big; do not inflate it
                    return None
                names = _SHEET_NAME.findall(package.read(info))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError, NotImplementedError):
        return set()
    import html

    return {html.unescape(name.decode("utf-8", "replace")).casefold() for name in names}


def nearest_existing(path: Path) -> Path:
    """``path`` or its nearest ancestor that exists: where an output's missing folders would be created."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file (symlinks, ``..``, hard links, case-insensitive file systems)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def refuse_overwriting(
    output: str | os.PathLike[str],
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    option: str = "-o",
    replaces_reports: bool = False,
    offers_in_place: bool = False,
) -> None:
    """Raise :class:`OutputRefusedError` when ``output`` is one of ``inputs`` or an existing case workbook (only
    ``--in-place`` changes a workbook itself). ``replaces_reports``: an earlier report there may be replaced.
    ``offers_in_place``: the command has --in-place, so the message may point to it."""
    target = Path(output)
    if not (target.exists() or target.is_symlink()):
        return
    if replaces_reports and target.is_file() and is_report_workbook(target):
        return
    if target.is_dir():
        raise OutputRefusedError(f"{target}: {option} er en mappe. Angiv et filnavn")
    for given in inputs:
        if same_file(target, given):
            raise OutputRefusedError(
                f"{target}: {option} peger på inputfilen {given}, og den må ikke overskrives. Angiv et andet filnavn"
                + (
                    ", eller brug --in-place for at ændre projektmappen selv (med en sikkerhedskopi)"
                    if offers_in_place
                    else ""
                )
            )
    if is_case_workbook(target):
        raise OutputRefusedError(
            f"{target}: {option} peger på en eksisterende projektmappe (den har arket '{SHEET_SETTINGS}'), "
            "og den overskrives ikke. Angiv et nyt filnavn, eller flyt/slet filen først"
        )


# --------------------------------------------------------------------------------------------------
# In-place changes: one at a time, never over a workbook open in Excel or marked read-only
# --------------------------------------------------------------------------------------------------


def excel_lock_files(path: str | os.PathLike[str]) -> list[Path]:
    """The owner files Excel (``~$name``) and LibreOffice (``.~lock.name#``) keep beside an open workbook."""
    workbook = Path(path)
    candidates = (workbook.with_name(f"~${workbook.name}"), workbook.with_name(f".~lock.{workbook.name}#"))
    return [candidate for candidate in candidates if candidate.exists()]


def _lock_path(workbook: Path) -> Path:
    return workbook.with_name(_fit_name(f".{workbook.stem}", f"{workbook.suffix}.samarbejde-lock"))


def _try_lock(stream: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def in_place_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the in-place lock of ``path`` for a read-change-write; refuse (``OutputRefusedError``) when Excel has it
    open, it is read-only, or another samarbejde-xl change of it is under way (a second writer would lose rows)."""
    workbook = Path(path)
    owners = excel_lock_files(workbook)
    if owners:
        raise OutputRefusedError(
            f"{workbook}: projektmappen er åben i Excel eller LibreOffice (låsefilen {owners[0].name} ligger ved "
            "siden af), så --in-place ændrer den ikke. Luk projektmappen og kør igen; findes låsefilen stadig, "
            "efter at alle har lukket den, så slet låsefilen"
        )
    try:
        mode = workbook.stat().st_mode
    except OSError:
        mode = stat.S_IWUSR  # a missing file is reported by the reader
    if stat.S_IMODE(mode) & 0o222 == 0:
        raise OutputRefusedError(
            f"{workbook}: projektmappen er skrivebeskyttet, så --in-place ændrer den ikke. Fjern "
            "skrivebeskyttelsen (Egenskaber > Skrivebeskyttet) eller skriv til en ny fil med -o"
        )
    lock = _lock_path(workbook)
    while True:
        try:
            stream = open(lock, "ab")  # noqa: SIM115 - held open for the whole change, closed below
        except OSError:
            yield  # a folder we may not create files in: the write itself will say so
            return
        if not _try_lock(stream):
            stream.close()
            raise OutputRefusedError(
                f"{workbook}: en anden samarbejde-xl-kommando ændrer allerede projektmappen. Vent, til den er "
                "færdig, og kør igen"
            )
        # The holder before us may have removed the file between our open and our lock: lock the current one.
        try:
            current = os.stat(lock)
        except OSError:
            current = None
        opened = os.fstat(stream.fileno())
        if current is not None and (current.st_ino, current.st_dev) == (opened.st_ino, opened.st_dev):
            break
        stream.close()
    try:
        yield
    finally:
        try:
            lock.unlink()
        except OSError:
            pass
        stream.close()


F = TypeVar("F", bound=Callable[..., Any])


def locked_when_in_place(function: F) -> F:
    """Run a use case ``function(source, ..., in_place=...)`` under :func:`in_place_lock` of ``source`` when it
    changes the workbook in place, from its first read to its last write."""

    @functools.wraps(function)
    def wrapper(source: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("in_place"):
            return function(source, *args, **kwargs)
        with in_place_lock(source):
            return function(source, *args, **kwargs)

    return cast(F, wrapper)
