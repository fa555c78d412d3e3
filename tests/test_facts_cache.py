"""The facts cache (issue 17): a re-run reads only changed files, gives what a cold run gives, and never serves a
changed file, setting, date, period or tool from the cache."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from samarbejde_xl import consolidation as use_case
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import ConsolidationRun, ReadTask, consolidate
from samarbejde_xl.core.facts import WorkbookFacts
from samarbejde_xl.core.quarter import Quarter
from samarbejde_xl.core.settings import DEFAULT_SETTINGS
from samarbejde_xl.report import facts_cache

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TODAY = date(2026, 10, 1)
Q3 = Quarter(2026, 3)
NOW = datetime(2026, 10, 1, 8, 0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "arbejdsbøger"
    target.mkdir()
    for path in sorted(EXAMPLES.glob("*.xlsx")):
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """File names the workers read (jobs=1 reads in this process)."""
    seen: list[str] = []
    original: Callable[[ReadTask], WorkbookFacts] = use_case.read_facts

    def recording(task: ReadTask) -> WorkbookFacts:
        seen.append(Path(task.path).name)
        return original(task)

    monkeypatch.setattr(use_case, "read_facts", recording)
    return seen


def _run(folder: Path, cache: Path | None, **options: Any) -> ConsolidationRun:
    options = {"today": TODAY, "quarter": Q3, "now": NOW, "jobs": 1, **options}
    return consolidate([folder], folder.parent / "rapport.xlsx", cache=cache, **options)


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.xlsx"))


def test_a_rerun_reads_nothing_and_gives_the_cold_result(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache.sqlite"
    cold = _run(folder, cache)
    assert sorted(reads) == _names(folder)
    reads.clear()
    warm = _run(folder, cache)
    assert reads == []
    assert warm.result == cold.result
    assert warm.result == _run(folder, None).result


def test_two_workers_fill_and_use_the_cache_too(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    cold = _run(folder, cache, jobs=2)
    assert _run(folder, cache, jobs=2).result == cold.result


def _touch_as_before(path: Path, before: os.stat_result) -> None:
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_one_changed_byte_is_read_again_even_with_the_same_size_and_time(
    folder: Path, tmp_path: Path, reads: list[str]
) -> None:
    cache = tmp_path / "cache.sqlite"
    _run(folder, cache)
    reads.clear()
    path = folder / "vejleder-03.xlsx"
    before = path.stat()
    data = bytearray(path.read_bytes())
    assert data[:4] == b"PK\x03\x04"
    data[10] ^= 0x01  # the first member's modification time: a real change that no reader looks at
    path.write_bytes(bytes(data))
    _touch_as_before(path, before)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _run(folder, cache)
    assert reads == ["vejleder-03.xlsx"]


def test_another_workbook_in_the_same_place_gives_its_own_facts(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache.sqlite"
    _run(folder, cache)
    reads.clear()
    path = folder / "vejleder-01.xlsx"
    before = path.stat()
    shutil.copyfile(folder / "vejleder-02.xlsx", path)  # a guide saved a different workbook under this name
    _touch_as_before(path, before)
    warm = _run(folder, cache)
    assert reads == ["vejleder-01.xlsx"]
    assert warm.result == _run(folder, None).result


@pytest.mark.parametrize(
    "change",
    [
        {"settings": DEFAULT_SETTINGS.__class__(soon_days=14)},
        {"today": date(2026, 10, 2)},
        {"quarter": Quarter(2026, 2)},
    ],
    ids=["settings", "today", "quarter"],
)
def test_other_settings_date_or_period_read_every_file_again(
    folder: Path, tmp_path: Path, reads: list[str], change: dict[str, Any]
) -> None:
    cache = tmp_path / "cache.sqlite"
    _run(folder, cache)
    reads.clear()
    changed = _run(folder, cache, **change)
    assert sorted(reads) == _names(folder)
    assert changed.result == _run(folder, None, **change).result


def test_another_tool_version_reads_every_file_again(
    folder: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache.sqlite"
    _run(folder, cache)
    reads.clear()
    facts_cache.tool_fingerprint.cache_clear()
    monkeypatch.setattr(facts_cache, "__version__", "99.0.0")
    try:
        _run(folder, cache)
    finally:
        facts_cache.tool_fingerprint.cache_clear()
    assert sorted(reads) == _names(folder)


def test_a_changed_source_file_of_the_tool_changes_its_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "samarbejde_xl"
    (package / "core").mkdir(parents=True)
    (package / "core" / "parse.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(facts_cache, "_PACKAGE", package)
    facts_cache.tool_fingerprint.cache_clear()
    try:
        first = facts_cache.tool_fingerprint()
        (package / "core" / "parse.py").write_text("X = 2\n", encoding="utf-8")
        facts_cache.tool_fingerprint.cache_clear()
        assert facts_cache.tool_fingerprint() != first
    finally:
        facts_cache.tool_fingerprint.cache_clear()


def test_unreadable_files_are_not_cached(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache.sqlite"
    whole = (folder / "vejleder-02.xlsx").read_bytes()
    (folder / "afbrudt.xlsx").write_bytes(whole[: len(whole) // 2])
    _run(folder, cache)
    reads.clear()
    run = _run(folder, cache)
    assert reads == ["afbrudt.xlsx"]
    assert [file for file, _ in run.unreadable] == [(folder / "afbrudt.xlsx").as_posix()]


def test_an_encrypted_workbook_is_never_kept(tmp_path: Path) -> None:
    # An OLE container (a workbook saved with a password): its decrypted facts must not lie in the cache.
    path = tmp_path / "hemmelig.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600))
    with facts_cache.open_cache(tmp_path / "c.sqlite", settings=DEFAULT_SETTINGS, today=TODAY, quarter=Q3) as cache:
        assert cache is not None
        assert cache.get(os.fspath(path), path.name) is None
        cache.put(WorkbookFacts(file=path.name, municipality="Testby"))
    with facts_cache.open_cache(tmp_path / "c.sqlite", settings=DEFAULT_SETTINGS, today=TODAY, quarter=Q3) as cache:
        assert cache is not None
        assert cache.get(os.fspath(path), path.name) is None


def test_a_damaged_cache_is_replaced_not_a_failure(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    cold = _run(folder, cache)
    assert sorted(reads) == _names(folder)
    reads.clear()
    assert _run(folder, cache).result == cold.result
    assert reads == []


def test_the_command_uses_the_cache_and_no_cache_forces_a_cold_run(
    folder: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(facts_cache.CACHE_ENV, os.fspath(tmp_path / "brugercache"))
    arguments = [
        *("consolidate", os.fspath(folder), "-o", os.fspath(tmp_path / "rapport.xlsx")),
        *("--today", TODAY.isoformat(), "--no-history", "-j", "1"),
    ]
    for extra, expected in (([], _names(folder)), ([], []), (["--no-cache"], _names(folder))):
        reads.clear()
        outcome = CliRunner().invoke(cli, [*arguments, *extra])
        assert outcome.exit_code == 0, outcome.output
        assert sorted(reads) == expected, extra
    assert (tmp_path / "brugercache" / facts_cache.CACHE_FILE_NAME).exists()
    assert "--no-cache" in CliRunner().invoke(cli, ["consolidate", "--help"]).output


def test_looking_up_many_files_at_once_gives_what_one_at_a_time_gives(folder: Path, tmp_path: Path) -> None:
    """find_all hashes in threads; what it finds, loaded, is in the given order what get gives: hits, a changed file
    and a gone file."""
    cache_path = tmp_path / "c.sqlite"
    _run(folder, cache_path)
    names = _names(folder)
    changed = folder / names[1]
    changed.write_bytes(changed.read_bytes() + b"\0")  # a trailing byte: the content hash differs
    (folder / names[2]).unlink()
    files = [(os.fspath(folder / name), (folder / name).as_posix()) for name in reversed(names)]
    options = {"settings": DEFAULT_SETTINGS, "today": TODAY, "quarter": Q3}
    with facts_cache.open_cache(cache_path, **options) as cache:
        assert cache is not None
        one_at_a_time = [cache.get(path, display) for path, display in files]
    with facts_cache.open_cache(cache_path, **options) as cache:
        assert cache is not None
        found = cache.find_all(files)
        all_at_once = [cache.load(stored, display) for stored, (_, display) in zip(found, files, strict=True)]
    assert all_at_once == one_at_a_time
    hits = [display for (_, display), facts in zip(files, all_at_once, strict=True) if facts is not None]
    assert hits == [(folder / name).as_posix() for name in reversed(names) if name not in names[1:3]]
    assert all(facts.file == display for (_, display), facts in zip(files, all_at_once, strict=True) if facts)


def test_a_damaged_row_is_read_again_and_gives_the_cold_result(folder: Path, tmp_path: Path, reads: list[str]) -> None:
    import sqlite3

    cache = tmp_path / "cache.sqlite"
    cold = _run(folder, cache)
    with sqlite3.connect(cache) as connection:
        changed = connection.execute("UPDATE facts SET facts = ? WHERE path LIKE ?", (b"\x80\x05broken", "%-02.xlsx"))
        assert changed.rowcount == 1
    connection.close()
    reads.clear()
    assert _run(folder, cache).result == cold.result
    assert reads == ["vejleder-02.xlsx"]
    assert _run(folder, cache, jobs=2).result == cold.result


def test_the_cached_facts_load_while_the_workers_read(folder: Path) -> None:
    """The main process takes its other steps while it waits for the workers' first answer, not after the last."""
    tasks = use_case._tasks(sorted(folder.glob("*.xlsx")), Q3, TODAY, DEFAULT_SETTINGS, None)
    answered: list[str] = []
    answers_at_each_step: list[int] = []

    def steps() -> Any:
        for _ in range(3):
            answers_at_each_step.append(len(answered))
            yield None

    for facts in use_case.iter_facts(tasks, jobs=2, meanwhile=steps()):
        answered.append(facts.file)
    assert sorted(answered) == sorted(task.display for task in tasks)
    assert answers_at_each_step == [0, 0, 0]
