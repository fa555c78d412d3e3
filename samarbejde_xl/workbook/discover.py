"""Finding case workbooks in the paths a user names."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.core.wording import os_reason
from samarbejde_xl.fileio import OutputRefusedError, is_case_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def is_lock_file(path: str | os.PathLike[str]) -> bool:
    """Excel's owner file ``~$name.xlsx``, present while someone has ``name.xlsx`` open."""
    return Path(path).name.startswith("~$")


_BACKUP_NAME = re.compile(r"\.backup-\d{8}-\d{6}(-\d+)?$")


@dataclass(frozen=True)
class Discovery:
    workbooks: tuple[Path, ...]  # sorted, unique
    lock_files: tuple[Path, ...]  # skipped
    missing: tuple[Path, ...]  # named on the command line but not there
    skipped: tuple[tuple[Path, str], ...] = ()  # (path, Danish reason): hidden, backups, special files, link loops
    unreadable_folders: tuple[tuple[Path, str], ...] = ()  # (folder, Danish reason): could not be listed


SKIP_HIDDEN = "skjult fil (fx en midlertidig fil fra en afbrudt skrivning)"
SKIP_BACKUP = "sikkerhedskopi fra --in-place (den ville tælle de unge to gange)"
SKIP_SPECIAL = "ikke en almindelig fil (FIFO, socket eller enhed)"
SKIP_LOOP = "symbolsk link til en mappe, der allerede er gennemgået (en ring)"
SKIP_BROKEN_LINK = "symbolsk link, der ikke kan følges (brudt, eller peger på sig selv)"


class _Walk:
    """A folder search that never follows a link loop twice, never opens a special file, and lists what it skips."""

    def __init__(self) -> None:
        self.found: dict[Path, None] = {}
        self.locks: dict[Path, None] = {}
        self.skipped: dict[Path, str] = {}
        self.unreadable: dict[Path, str] = {}
        self.visited: set[tuple[int, int]] = set()

    def folder(self, root: Path) -> None:
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                info = folder.stat()
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name, reverse=True)
            except OSError as error:
                self.unreadable[folder] = f"mappen kan ikke læses ({os_reason(error)})"
                continue
            key = (info.st_dev, info.st_ino)
            if key in self.visited:
                self.skipped[folder] = SKIP_LOOP
                continue
            self.visited.add(key)
            for entry in entries:
                path = Path(entry.path)
                try:
                    mode = os.stat(entry.path).st_mode  # follows links
                except OSError:
                    if entry.is_symlink():
                        self.skipped[path] = SKIP_BROKEN_LINK
                    continue
                if stat.S_ISDIR(mode) and path.suffix.lower() not in WORKBOOK_SUFFIXES:
                    stack.append(path)
                elif stat.S_ISDIR(mode):  # a folder named like a workbook: the reader says what it is
                    self.file(path)
                elif not stat.S_ISREG(mode):
                    self.skipped[path] = SKIP_SPECIAL
                elif path.suffix.lower() in WORKBOOK_SUFFIXES:
                    self.file(path)

    def file(self, path: Path) -> None:
        if is_lock_file(path):
            self.locks[path] = None
        elif path.name.startswith("."):
            self.skipped[path] = SKIP_HIDDEN
        elif _BACKUP_NAME.search(path.stem):
            self.skipped[path] = SKIP_BACKUP
        else:
            self.found[path] = None


def find_workbooks(paths: list[str] | tuple[str, ...]) -> Discovery:
    """Files named directly are taken whatever their suffix (so a bad one is reported, not ignored);
    folders are searched recursively for .xlsx/.xlsm files (links followed once, loops and special files listed)."""
    walk = _Walk()
    missing: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir() and path.suffix.lower() not in WORKBOOK_SUFFIXES:
            walk.folder(path)
        elif path.exists():
            (walk.locks if is_lock_file(path) else walk.found)[path] = None
        elif path.is_symlink():
            walk.skipped[path] = SKIP_BROKEN_LINK
        else:
            missing.append(path)
    return Discovery(
        tuple(sorted(walk.found)),
        tuple(sorted(walk.locks)),
        tuple(missing),
        tuple(sorted(walk.skipped.items())),
        tuple(sorted(walk.unreadable.items())),
    )


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
