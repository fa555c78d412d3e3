"""Issue 12 point 4: folder walks. Special files (FIFOs, sockets) are skipped and listed, never opened; symlink
loops, self-links and broken links are listed, not a crash; an unreadable subfolder is listed and gives exit 1;
file names that are not UTF-8 are read and shown safely; hidden files and backups are listed as skipped; control
characters in a file name are never printed raw."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from samarbejde_xl.cli import cli
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.fileio import sha256_of
from samarbejde_xl.workbook.data_writer import write_workbook_bytes
from samarbejde_xl.workbook.discover import SKIP_BACKUP, SKIP_HIDDEN, SKIP_LOOP, SKIP_SPECIAL, find_workbooks

TODAY = date(2026, 10, 1)
RAW_CONTROL = ("\x1b", "\x01", "\x07", "\u202e")
HOSTILE_NAME = os.fsdecode(b"vejleder-\xe6\x01\x1b[31m\xe2\x80\xaeslx.xlsx")  # Latin-1 'æ', escapes, RLO


@pytest.fixture(scope="module")
def workbook_bytes() -> list[bytes]:
    books = generate_municipality(workbooks=2, cases=3, seed=21, today=TODAY, clean=True)
    return [write_workbook_bytes(book.data, today=TODAY) for book in books]


@pytest.fixture
def hostile_folder(tmp_path: Path, workbook_bytes: list[bytes]) -> Iterator[Path]:
    if os.name != "posix":
        pytest.skip("FIFOs, sockets and byte file names as POSIX makes them")
    root = tmp_path / "kommune"
    (root / "team").mkdir(parents=True)
    (root / "vejleder-01.xlsx").write_bytes(workbook_bytes[0])
    (root / "team" / HOSTILE_NAME).write_bytes(workbook_bytes[1])
    (root / ".skjult.xlsx").write_bytes(workbook_bytes[0])
    (root / "vejleder-01.backup-20260901-120000.xlsx").write_bytes(workbook_bytes[0])
    os.mkfifo(root / "rør.xlsx")
    os.mkfifo(root / "rør-uden-endelse")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "sok.xlsx"))
    (root / "team" / "op-igen").symlink_to(root, target_is_directory=True)  # a loop
    (root / "sig-selv.xlsx").symlink_to(root / "sig-selv.xlsx")  # a self-link
    (root / "brudt.xlsx").symlink_to(root / "findes-ikke.xlsx")
    try:
        yield root
    finally:
        server.close()


def _regular_files(root: Path) -> dict[Path, str]:
    return {
        path: sha256_of(path)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o170000 == 0o100000
    }


def test_discovery_lists_what_it_skips(hostile_folder: Path) -> None:
    found = find_workbooks([str(hostile_folder)])
    assert found.workbooks == (hostile_folder / "team" / HOSTILE_NAME, hostile_folder / "vejleder-01.xlsx")
    reasons = {path.name: why for path, why in found.skipped}
    assert reasons[".skjult.xlsx"] == SKIP_HIDDEN
    assert reasons["vejleder-01.backup-20260901-120000.xlsx"] == SKIP_BACKUP
    assert reasons["rør.xlsx"] == reasons["rør-uden-endelse"] == reasons["sok.xlsx"] == SKIP_SPECIAL
    assert reasons["op-igen"] == SKIP_LOOP
    assert {"sig-selv.xlsx", "brudt.xlsx"} <= set(reasons)
    assert found.unreadable_folders == ()


def test_consolidate_walks_a_hostile_folder_without_hanging(hostile_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "ud" / "rapport.xlsx"
    before = _regular_files(hostile_folder)
    command = [sys.executable, "-m", "samarbejde_xl", "consolidate", "--today", TODAY.isoformat(), "--no-history"]
    done = subprocess.run(
        [*command, str(hostile_folder), "-o", str(report)], capture_output=True, timeout=300, check=False
    )
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "Læste 2 arbejdsbøger, 6 unge" in stdout
    for listed in ("rør.xlsx", "sok.xlsx", ".skjult.xlsx", "backup-20260901", "op-igen", "sig-selv.xlsx"):
        assert listed in stderr, listed
    assert not any(char in stdout + stderr for char in RAW_CONTROL)
    assert _regular_files(hostile_folder) == before
    with zipfile.ZipFile(report) as package:
        text = "".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml"))
    assert "vejleder-\ufffd??[31m?slx.xlsx" in text  # the undecodable byte and controls shown safely
    assert not any(char in text for char in RAW_CONTROL)


def test_validate_reads_a_file_name_that_is_not_utf8(hostile_folder: Path) -> None:
    workbook = hostile_folder / "team" / HOSTILE_NAME
    result = CliRunner().invoke(cli, ["validate", "--today", TODAY.isoformat(), str(workbook)])
    assert result.exit_code == 0, result.output
    assert not any(char in result.output for char in RAW_CONTROL)


def test_a_fifo_named_directly_is_refused_not_opened(hostile_folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "samarbejde_xl", "validate", str(hostile_folder / "rør.xlsx")],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "ikke en almindelig fil" in done.stderr.decode("utf-8")


def test_an_unreadable_subfolder_is_listed_and_gives_exit_1(
    tmp_path: Path, workbook_bytes: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "kommune"
    locked = root / "låst"
    locked.mkdir(parents=True)
    (root / "vejleder-01.xlsx").write_bytes(workbook_bytes[0])
    (locked / "vejleder-02.xlsx").write_bytes(workbook_bytes[1])
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads every folder: make listing it fail as it does for a guide
        real_scandir = os.scandir

        def scandir(path: str | os.PathLike[str]) -> object:
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        report = tmp_path / "rapport.xlsx"
        args = ["consolidate", "--today", TODAY.isoformat(), "--no-history", "-j", "1", str(root), "-o", str(report)]
        result = CliRunner().invoke(cli, args)
        validated = CliRunner().invoke(cli, ["validate", "--today", TODAY.isoformat(), str(root)])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert "låst" in result.stderr and "kunne ikke gennemsøges" in result.stderr
    assert "Læste 1 arbejdsbog" in result.stdout and report.exists()
    assert validated.exit_code == 1 and "låst" in validated.stderr
