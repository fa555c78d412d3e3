"""Issue 6: nothing is lost. Reading never changes a file; writing goes to a new file, or in place only after a
backup copy, through an atomic replace; a write killed halfway leaves the old file as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from corpus import TODAY, Variant
from v1_workbook import downgrade_to_v1

from samarbejde_xl.cli import cli
from samarbejde_xl.fileio import atomic_output
from samarbejde_xl.workbook.discover import find_workbooks
from samarbejde_xl.workbook.reader import read_workbook

TODAY_OPTION = ["--today", TODAY.isoformat()]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _changed(runs: Any) -> list[str]:
    before, after = runs.hashes_before, runs.hashes_after
    return sorted(str(path) for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def test_validate_plan_and_consolidate_leave_every_input_byte_identical(
    corpus: list[Variant], corpus_runs: Any
) -> None:
    hashed = corpus_runs.hashes_before
    assert len(hashed) >= len(corpus)  # the corpus files, the companions and the examples
    assert any("examples" in path.parts for path in hashed)
    assert {"validate", "plan", "consolidate"} <= {run.command for run in corpus_runs.runs}
    assert _changed(corpus_runs) == []


@pytest.mark.slow  # about a minute: refresh -o writes every readable variant
def test_refresh_to_a_new_file_leaves_every_input_byte_identical(corpus_refresh_runs: Any) -> None:
    written = [run for run in corpus_refresh_runs.runs if run.command == "refresh" and run.exit_code == 0]
    assert len(written) >= 50
    assert _changed(corpus_refresh_runs) == []


@pytest.fixture
def workbook(corpus: list[Variant], tmp_path: Path) -> Path:
    """A private copy of the corpus' valid workbook."""
    base = next(variant.path for variant in corpus if variant.name == "valid-base")
    folder = tmp_path / "guide"
    folder.mkdir()
    return Path(shutil.copy(base, folder / "vejleder.xlsx"))


WRITING_COMMANDS = {
    "refresh": [],
    "new-case": ["--id", "U-0100"],
    "register-meeting": ["--id", "U-0001"],
}


@pytest.mark.parametrize("command", sorted(WRITING_COMMANDS))
def test_in_place_writes_a_backup_copy_first_then_replaces_the_file(workbook: Path, command: str) -> None:
    original = workbook.read_bytes()
    result = CliRunner().invoke(cli, [command, *TODAY_OPTION, *WRITING_COMMANDS[command], "--in-place", str(workbook)])
    assert result.exit_code == 0, result.output
    backups = sorted(workbook.parent.glob("vejleder.backup-*.xlsx"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == original
    assert workbook.read_bytes() != original
    read_workbook(workbook)  # the replaced file is a complete workbook
    assert sorted(path.name for path in workbook.parent.iterdir()) == sorted(["vejleder.xlsx", backups[0].name])


REFUSED_IN_PLACE = {
    "old template": ("refresh", []),
    "old template, new case": ("new-case", []),
    "old template, meeting": ("register-meeting", ["--id", "U-0001"]),
    "unknown id": ("register-meeting", ["--id", "U-9999"]),
    "duplicate id": ("new-case", ["--id", "U-0001"]),
}


@pytest.mark.parametrize("case", sorted(REFUSED_IN_PLACE))
def test_a_refused_in_place_write_leaves_the_file_and_no_backup(workbook: Path, case: str) -> None:
    if case.startswith("old template"):
        downgrade_to_v1(workbook, workbook)
    before = _sha(workbook)
    command, options = REFUSED_IN_PLACE[case]
    result = CliRunner().invoke(cli, [command, *TODAY_OPTION, *options, "--in-place", str(workbook)])
    assert result.exit_code in (1, 2), result.output  # 2: the old template (use upgrade), 1: the others
    assert _sha(workbook) == before
    assert [path.name for path in workbook.parent.iterdir()] == ["vejleder.xlsx"]


@pytest.mark.parametrize("command", sorted(WRITING_COMMANDS))
def test_writing_to_a_new_file_leaves_the_input_alone(workbook: Path, command: str) -> None:
    before = _sha(workbook)
    output = workbook.with_name("ny.xlsx")
    result = CliRunner().invoke(
        cli, [command, *TODAY_OPTION, *WRITING_COMMANDS[command], "-o", str(output), str(workbook)]
    )
    assert result.exit_code == 0, result.output
    assert _sha(workbook) == before
    read_workbook(output)
    assert sorted(path.name for path in workbook.parent.iterdir()) == ["ny.xlsx", "vejleder.xlsx"]


@pytest.mark.parametrize("command", sorted(WRITING_COMMANDS))
def test_an_output_onto_the_input_is_refused(workbook: Path, command: str) -> None:
    before = _sha(workbook)
    result = CliRunner().invoke(
        cli, [command, *TODAY_OPTION, *WRITING_COMMANDS[command], "-o", str(workbook), str(workbook)]
    )
    assert result.exit_code == 2
    assert "--in-place" in result.output
    assert _sha(workbook) == before


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "rapport.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError), atomic_output(target) as temp:
        temp.write_bytes(b"half a new rep")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old report"
    assert [path.name for path in tmp_path.iterdir()] == ["rapport.xlsx"]


SLOW_WRITER = textwrap.dedent(
    """
    import sys, time
    from samarbejde_xl.fileio import atomic_output

    with atomic_output(sys.argv[1]) as temp:
        with open(temp, "wb") as out:
            out.write(b"PK\\x03\\x04" + b"x" * 1_000_000)
            out.flush()
            print(temp, flush=True)
            while True:  # until killed
                out.write(b"x" * 100_000)
                out.flush()
                time.sleep(0.01)
    """
)


def _kill_mid_write(target: Path) -> Path:
    """Start a write of ``target`` in another process, SIGKILL it mid-write; return the temp file it was writing."""
    with subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            temp = Path(process.stdout.readline().strip())
            assert temp.exists() and temp.stat().st_size > 1_000_000  # the write is under way
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return temp


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("existing", [True, False], ids=["old-file", "no-file"])
def test_a_write_killed_halfway_leaves_the_old_file_intact(tmp_path: Path, existing: bool) -> None:
    target = tmp_path / "vejleder.xlsx"
    old = b"PK\x03\x04 the old workbook"
    if existing:
        target.write_bytes(old)
    temp = _kill_mid_write(target)
    assert temp.parent == tmp_path and temp != target
    if existing:
        assert target.read_bytes() == old
    else:
        assert not target.exists()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_temp_file_left_by_a_killed_write_is_not_taken_for_a_workbook(tmp_path: Path) -> None:
    target = tmp_path / "vejleder.xlsx"
    target.write_bytes(b"PK\x03\x04 the old workbook")
    _kill_mid_write(target)
    assert find_workbooks([str(tmp_path)]).workbooks == (target,)


def test_in_place_backups_are_not_consolidated(workbook: Path) -> None:
    result = CliRunner().invoke(cli, ["refresh", *TODAY_OPTION, "--in-place", str(workbook)])
    assert result.exit_code == 0, result.output
    assert find_workbooks([str(workbook.parent)]).workbooks == (workbook,)
