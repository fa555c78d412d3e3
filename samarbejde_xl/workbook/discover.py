"""Finding case workbooks in the paths a user names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_lock_file(path: str | os.PathLike[str]) -> bool:
    """Excel's owner file ``~$name.xlsx``, present while someone has ``name.xlsx`` open."""
    return Path(path).name.startswith("~$")


@dataclass(frozen=True)
class Discovery:
    workbooks: tuple[Path, ...]  # sorted, unique
    lock_files: tuple[Path, ...]  # skipped
    missing: tuple[Path, ...]  # named on the command line but not there


def find_workbooks(paths: list[str] | tuple[str, ...]) -> Discovery:
    """Files named directly are taken whatever their suffix (so a bad one is reported, not ignored);
    folders are searched recursively for .xlsx/.xlsm files."""
    found: dict[Path, None] = {}
    locks: dict[Path, None] = {}
    missing: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            candidates = sorted(p for p in path.rglob("*") if p.suffix.lower() in WORKBOOK_SUFFIXES)
        elif path.exists():
            candidates = [path]
        else:
            missing.append(path)
            continue
        for candidate in candidates:
            (locks if is_lock_file(candidate) else found)[candidate] = None
    return Discovery(tuple(sorted(found)), tuple(sorted(locks)), tuple(missing))
