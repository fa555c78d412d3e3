"""Issue 12 point 5: in-place writes. Two at once never lose a row (the second is refused); a workbook open in
Excel (its ``~$`` owner file beside it) or marked read-only is refused with a Danish message; temp files left by a
killed write are removed by the next write; backup and temp names stay within the file-name limit."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from samarbejde_xl.cli import cli
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.fileio import NAME_LIMIT, atomic_write_bytes, backup_copy, in_place_lock, sha256_of
from samarbejde_xl.workbook.data_writer import write_workbook_bytes
from samarbejde_xl.workbook.discover import find_workbooks
from samarbejde_xl.workbook.reader import read_workbook

TODAY = date(2026, 10, 1)
TODAY_ARGS = ("--today", TODAY.isoformat())


@pytest.fixture(scope="module")
def clean_bytes() -> bytes:
    data = generate_municipality(workbooks=1, cases=3, seed=3, today=TODAY, clean=True)[0].data
    return write_workbook_bytes(data, today=TODAY)


@pytest.fixture
def workbook(tmp_path: Path, clean_bytes: bytes) -> Path:
    path = tmp_path / "vejleder-01.xlsx"
    path.write_bytes(clean_bytes)
    return path


IN_PLACE_COMMANDS = {
    "refresh": [],
    "new-case": [],
    "register-meeting": ["--id", "U-0001"],
}


def _in_place(command: str, workbook: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [command, *TODAY_ARGS, *IN_PLACE_COMMANDS[command], "--in-place", str(workbook)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("owner", ["~${name}", ".~lock.{name}#"], ids=["excel", "libreoffice"])
@pytest.mark.parametrize("command", sorted(IN_PLACE_COMMANDS))
def test_in_place_refuses_a_workbook_open_in_excel(workbook: Path, command: str, owner: str) -> None:
    lock = workbook.with_name(owner.format(name=workbook.name))
    lock.write_bytes(b"\x0bKim Vejleder" + b" " * 40)
    before = sha256_of(workbook)
    code, output = _in_place(command, workbook)
    assert code == 2, output
    assert "åben i Excel" in output and lock.name in output and "Luk projektmappen" in output
    assert sha256_of(workbook) == before
    assert sorted(path.name for path in workbook.parent.iterdir()) == sorted([workbook.name, lock.name])


@pytest.mark.skipif(os.name != "posix", reason="file mode bits")
@pytest.mark.parametrize("command", sorted(IN_PLACE_COMMANDS))
def test_in_place_refuses_a_read_only_workbook(workbook: Path, command: str) -> None:
    workbook.chmod(stat.S_IRUSR | stat.S_IRGRP)
    before = sha256_of(workbook)
    code, output = _in_place(command, workbook)
    assert code == 2, output
    assert "skrivebeskyttet" in output and "-o" in output
    assert sha256_of(workbook) == before
    assert [path.name for path in workbook.parent.iterdir()] == [workbook.name]


def test_upgrade_in_place_is_refused_while_the_workbook_is_open(workbook: Path) -> None:
    workbook.with_name(f"~${workbook.name}").write_bytes(b"owner")
    result = CliRunner().invoke(cli, ["upgrade", "--in-place", str(workbook)])
    assert result.exit_code == 2 and "åben i Excel" in result.output


def test_a_second_in_place_change_while_one_is_under_way_is_refused(workbook: Path) -> None:
    before = sha256_of(workbook)
    with in_place_lock(workbook):
        code, output = _in_place("new-case", workbook)
    assert code == 2, output
    assert "allerede" in output and "Vent" in output
    assert sha256_of(workbook) == before
    # once the first change is done, the lock is gone and the next change goes ahead
    assert _in_place("new-case", workbook)[0] == 0
    assert [path.name for path in workbook.parent.iterdir() if path.name.startswith(".")] == []


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from samarbejde_xl.fileio import in_place_lock

    with in_place_lock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_concurrent_in_place_writes_never_lose_a_row(workbook: Path) -> None:
    """Another process holds the lock (mid-change): this one is refused; when that process dies, its lock dies
    with it and the next change goes ahead. Every case added is in the file at the end."""
    with subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(workbook)], stdout=subprocess.PIPE, text=True) as held:
        assert held.stdout is not None and held.stdout.readline().strip() == "locked"
        code, output = _in_place("new-case", workbook)
        held.send_signal(signal.SIGKILL)
        held.wait(timeout=30)
    assert code == 2 and "allerede" in output
    cases_before = len(read_workbook(workbook).data.cases)
    assert _in_place("new-case", workbook)[0] == 0
    assert _in_place("new-case", workbook)[0] == 0
    assert len(read_workbook(workbook).data.cases) == cases_before + 2


KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from samarbejde_xl.fileio import atomic_output

    with atomic_output(sys.argv[1]) as temp:
        temp.write_bytes(b"PK half a workbook")
        print(temp, flush=True)
        time.sleep(60)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_the_next_write_removes_temp_files_of_a_killed_write(workbook: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(workbook)], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout is not None
        temp = Path(writer.stdout.readline().strip())
        assert temp.exists()
        # while the writer lives, its temp file is left alone
        atomic_write_bytes(workbook.with_name("andet.xlsx"), b"x")
        atomic_write_bytes(workbook.with_name("vejleder-01.xlsx.txt"), b"x")
        assert temp.exists()
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert temp.exists()
    assert _in_place("refresh", workbook)[0] == 0
    assert not temp.exists()
    assert find_workbooks([str(workbook.parent)]).workbooks == (workbook.with_name("andet.xlsx"), workbook)


@pytest.mark.parametrize("stem_length", [200, 240, 251])
def test_backup_and_temp_names_stay_within_the_name_limit(tmp_path: Path, clean_bytes: bytes, stem_length: int) -> None:
    stem = ("æøå-" * 100)[: stem_length // 2]  # two bytes a letter in UTF-8
    path = tmp_path / f"{stem}.xlsx"
    if len(path.name.encode()) > NAME_LIMIT:
        pytest.skip("the workbook name itself is over the limit")
    path.write_bytes(clean_bytes)
    now = datetime(2026, 10, 1, 12, 0, 0)
    first = backup_copy(path, now)
    second = backup_copy(path, now)
    for backup in (first, second):
        assert len(backup.name.encode()) <= NAME_LIMIT and backup.suffix == ".xlsx"
        assert sha256_of(backup) == sha256_of(path)
    assert first != second
    assert find_workbooks([str(tmp_path)]).workbooks == (path,)  # backups are skipped in folder searches
    code, output = _in_place("refresh", path)
    assert code == 0, output
