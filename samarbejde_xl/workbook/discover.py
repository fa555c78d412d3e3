"""Finding case workbooks in the paths a user names."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.fileio import OutputRefusedError, is_case_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_lock_file(path: str | os.PathLike[str]) -> bool:
    """Excel's owner file ``~$name.xlsx``, present while someone has ``name.xlsx`` open."""
    return Path(path).name.startswith("~$")


_BACKUP_NAME = re.compile(r"\.backup-\d{8}-\d{6}(-\d+)?$")


def is_skipped_in_folders(path: Path) -> bool:
    """Files a folder search passes over: hidden files (our unfinished temp files, macOS '._' files) and the
    backup copies --in-place writes (they would count every young person twice)."""
    return path.name.startswith(".") or bool(_BACKUP_NAME.search(path.stem))


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
            candidates = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in WORKBOOK_SUFFIXES and not is_skipped_in_folders(p)
            )
        elif path.exists():
            candidates = [path]
        else:
            missing.append(path)
            continue
        for candidate in candidates:
            (locks if is_lock_file(candidate) else found)[candidate] = None
    return Discovery(tuple(sorted(found)), tuple(sorted(locks)), tuple(missing))


def refuse_replacing_guides_workbooks(
    targets: list[Path] | tuple[Path, ...], *, replaceable: Callable[[WorkbookData], bool], what: str
) -> None:
    """Raise ``OutputRefusedError`` when one of ``targets`` exists and is a case workbook that ``replaceable`` does
    not accept (a guide's real workbook where the demo or the template would be written)."""
    from samarbejde_xl.workbook.reader import read_workbook  # the reader imports this module

    for target in targets:
        if not (target.exists() and is_case_workbook(target)):
            continue
        try:
            keep = not replaceable(read_workbook(target).data)
        except SamarbejdeError:
            keep = True
        if keep:
            raise OutputRefusedError(
                f"{target}: der ligger allerede en projektmappe, som ikke er {what}, og den overskrives ikke. "
                "Vælg en anden (tom) mappe eller et andet filnavn"
            )
