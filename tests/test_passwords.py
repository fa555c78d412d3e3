"""Issue 6: password-protected workbooks (Excel's "Encrypt with password").

The password comes from ``--password-file``, the environment variable ``SAMARBEJDE_XL_PASSWORD`` or a prompt
(``--ask-password``); the workbook is decrypted in memory and no decrypted copy is ever written; a wrong password
is a clear message for that file only, and the rest of a batch is read.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus import PASSWORD, TODAY
from corpus.build import SEED, encrypted

from samarbejde_xl.cli import cli
from samarbejde_xl.commands.common import PASSWORD_ENV
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook.data_writer import write_workbook_bytes
from samarbejde_xl.workbook.reader import read_workbook

TODAY_OPTION = ["--today", TODAY.isoformat()]
OTHER_PASSWORD = "Et-andet-kodeord"


@pytest.fixture(scope="module")
def books() -> list[bytes]:
    """Three clean workbooks with different young people (so a batch of them has no duplicate ids)."""
    generated = generate_municipality(workbooks=3, cases=2, seed=SEED, today=TODAY, clean=True)
    return [write_workbook_bytes(book.data, today=TODAY) for book in generated]


@pytest.fixture(scope="module")
def encrypted_bytes(books: list[bytes]) -> bytes:
    return encrypted(books[0], PASSWORD)


@pytest.fixture
def folder(tmp_path: Path, books: list[bytes], encrypted_bytes: bytes) -> Path:
    """A municipality folder: one workbook with the password, one without, and (beside it) a password file."""
    folder = tmp_path / "kommune"
    folder.mkdir()
    (folder / "a-kodeord.xlsx").write_bytes(encrypted_bytes)
    (folder / "b-uden.xlsx").write_bytes(books[1])
    (tmp_path / "kodeord.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def no_password_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


def test_the_encrypted_workbook_reads_like_the_plain_one(folder: Path, books: list[bytes], tmp_path: Path) -> None:
    plain_path = tmp_path / "plain.xlsx"
    plain_path.write_bytes(books[0])
    plain = read_workbook(plain_path, display_name="x")
    decrypted = read_workbook(folder / "a-kodeord.xlsx", display_name="x", password=PASSWORD)
    assert decrypted == plain
    assert len(decrypted.data.cases) == 2


@pytest.mark.parametrize(
    ("password", "code", "message"),
    [
        (None, "encrypted", "--password-file"),
        ("forkert", "wrong-password", "kodeordet er forkert"),
        ("", "wrong-password", "kodeordet er forkert"),
    ],
    ids=["no-password", "wrong-password", "empty-password"],
)
def test_a_missing_or_wrong_password_is_a_clear_message(
    folder: Path, password: str | None, code: str, message: str
) -> None:
    path = folder / "a-kodeord.xlsx"
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path, password=password)
    assert raised.value.code == code
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)
    assert PASSWORD not in str(raised.value)


def test_a_password_for_a_plain_workbook_is_ignored(folder: Path) -> None:
    assert read_workbook(folder / "b-uden.xlsx", password=PASSWORD).problems == ()


def _validate(args: list[str], *, env: dict[str, str] | None = None, prompt: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *TODAY_OPTION, *args], env=env, input=prompt)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_validate_with_a_password_file(folder: Path) -> None:
    code, output = _validate(["--password-file", str(folder.parent / "kodeord.txt"), str(folder)])
    assert (code, output.strip().splitlines()[-1]) == (0, "2 arbejdsbøger: 0 fejl, 0 advarsler, 0 ulæselige")


def test_validate_with_the_environment_variable(folder: Path) -> None:
    code, output = _validate([str(folder)], env={PASSWORD_ENV: PASSWORD})
    assert code == 0, output


def test_validate_asks_for_the_password(folder: Path) -> None:
    code, output = _validate(["--ask-password", str(folder)], prompt=PASSWORD + "\n")
    assert code == 0, output
    assert PASSWORD not in output  # typed without echo


def test_a_password_file_wins_over_the_environment(folder: Path) -> None:
    code, output = _validate(
        ["--password-file", str(folder.parent / "kodeord.txt"), str(folder)], env={PASSWORD_ENV: "forkert"}
    )
    assert code == 0, output


def test_without_a_password_only_the_encrypted_file_is_unreadable(folder: Path) -> None:
    code, output = _validate([str(folder)])
    assert code == 2
    assert f"kan ikke læses: {folder / 'a-kodeord.xlsx'}: projektmappen er beskyttet med kodeord" in output
    assert "1 ulæselig" in output and "b-uden.xlsx" not in output


def test_a_wrong_password_is_reported_for_that_file_only(folder: Path, books: list[bytes]) -> None:
    (folder / "c-andet-kodeord.xlsx").write_bytes(encrypted(books[2], OTHER_PASSWORD))
    code, output = _validate(["--password-file", str(folder.parent / "kodeord.txt"), str(folder)])
    assert code == 2
    assert f"kan ikke læses: {folder / 'c-andet-kodeord.xlsx'}: kodeordet er forkert" in output
    assert "a-kodeord.xlsx" not in output and "3 arbejdsbøger: 0 fejl, 0 advarsler, 1 ulæselig" in output


def test_plan_reads_an_encrypted_workbook(folder: Path) -> None:
    path = str(folder / "a-kodeord.xlsx")
    without = CliRunner().invoke(cli, ["plan", *TODAY_OPTION, path])
    assert without.exit_code == 2 and "beskyttet med kodeord" in without.output
    with_file = CliRunner().invoke(
        cli, ["plan", *TODAY_OPTION, "--password-file", str(folder.parent / "kodeord.txt"), path]
    )
    assert with_file.exit_code == 0, with_file.output
    assert "U-0001" in with_file.output and "U-0002" in with_file.output


def test_password_file_and_prompt_together_is_a_usage_error(folder: Path) -> None:
    code, output = _validate(["--password-file", str(folder.parent / "kodeord.txt"), "--ask-password", str(folder)])
    assert code == 2 and "ikke begge" in output


def _tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_no_decrypted_copy_is_written_anywhere(folder: Path, tmp_path: Path) -> None:
    """A real process, with its own empty temp folder and working folder: afterwards both are still empty and the
    guide's folder is unchanged."""
    temp, work = tmp_path / "tmp", tmp_path / "cwd"
    temp.mkdir()
    work.mkdir()
    before = _tree(folder.parent)
    env = {**os.environ, "TMPDIR": str(temp), PASSWORD_ENV: PASSWORD}
    for command in (["validate", str(folder)], ["plan", str(folder / "a-kodeord.xlsx")]):
        completed = subprocess.run(
            [sys.executable, "-m", "samarbejde_xl", command[0], *TODAY_OPTION, *command[1:]],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr
    assert _tree(folder.parent) == before
    assert list(temp.iterdir()) == [] and list(work.iterdir()) == []


def test_refresh_of_an_encrypted_workbook_is_refused_clearly(folder: Path, tmp_path: Path) -> None:
    """Writing would need a decrypted copy (or re-encryption): refresh says so instead of writing one."""
    result = CliRunner().invoke(
        cli, ["refresh", *TODAY_OPTION, str(folder / "a-kodeord.xlsx"), "-o", str(tmp_path / "ud.xlsx")]
    )
    assert result.exit_code == 2 and "beskyttet med kodeord" in result.output
    assert not (tmp_path / "ud.xlsx").exists()


def test_consolidate_reads_encrypted_workbooks_with_the_password(folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "rapport.xlsx"
    base = ["consolidate", str(folder), "-o", str(report), "--no-history", "--jobs", "1", *TODAY_OPTION]
    without = CliRunner().invoke(cli, base)
    assert without.exit_code == 1 and "a-kodeord.xlsx" in without.output and "1 ulæselig" in without.output
    with_password = CliRunner().invoke(cli, [*base, "--password-file", str(tmp_path / "kodeord.txt")])
    assert with_password.exit_code == 0, with_password.output
    assert "Læste 2 arbejdsbøger, 4 unge" in with_password.output
