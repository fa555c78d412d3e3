"""Writing outputs safely: every file the tools write goes through here.

A write goes to a temporary file in the target's folder, is flushed to disk, and then replaces the target in one
``os.replace``: an interrupted write leaves the old file (or no file) behind, never a half-written one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from samarbejde_xl.core.errors import SamarbejdeError


class OutputChoiceError(SamarbejdeError):
    """Neither or both of -o OUTPUT and --in-place: a usage error, found before anything is read."""


class OutputIsInputError(SamarbejdeError):
    """-o names the input file itself."""


def write_target(source: Path, output: Path | None, in_place: bool) -> Path:
    """Where a command that changes ``source`` writes: ``output``, or ``source`` itself with ``in_place``. The one
    check of the -o / --in-place choice for every writing command."""
    if in_place == (output is not None):
        raise OutputChoiceError("give exactly one of -o OUTPUT or --in-place")
    if output is None:
        return source
    if output.exists() and output.resolve() == source.resolve():
        raise OutputIsInputError(
            f"{output}: the output would overwrite the input; give another -o or use --in-place to change the file "
            "itself"
        )
    return output


@contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` atomically."""
    target_path = Path(target)
    folder = target_path.parent if str(target_path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target_path.stem}.", suffix=f".tmp{target_path.suffix}", dir=folder)
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


def backup_copy(path: str | os.PathLike[str], now: datetime) -> Path:
    """Copy ``path`` to ``<stem>.backup-YYYYMMDD-HHMMSS<suffix>`` beside it (before an in-place change)."""
    source = Path(path)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    backup = source.with_name(f"{source.stem}.backup-{stamp}{source.suffix}")
    counter = 1
    while backup.exists():
        backup = source.with_name(f"{source.stem}.backup-{stamp}-{counter}{source.suffix}")
        counter += 1
    with atomic_output(backup) as temp_path:
        shutil.copyfile(source, temp_path)
    return backup


def sha256_of(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
