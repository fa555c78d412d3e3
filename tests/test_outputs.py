"""Issue 12 point 1: no output ever replaces an input or a guide's case workbook; only --in-place changes a file.

Every output option (consolidate -o / --history / --pdf, refresh / new-case / register-meeting / upgrade -o, demo,
demo-data, template build) is tried against every kind of path to an input: the input file itself, another file
in the input folder, a case workbook elsewhere, a symlink to the input, a path through ``..``, and the input's name
in other letter case. Each is refused with exit 2 and a Danish message, or (letter case on a case-sensitive file
system) writes a new file; every input stays byte-identical.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from samarbejde_xl.cli import cli
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.fileio import sha256_of
from samarbejde_xl.workbook.data_writer import write_workbook_bytes

TODAY = date(2026, 10, 1)
TODAY_ARGS = ("--today", TODAY.isoformat())


def _real_workbooks(count: int) -> list[bytes]:
    """Workbooks of a (synthetic) real municipality: not the demo's, so the demo may not replace them."""
    books = generate_municipality(workbooks=count, cases=3, seed=5, today=TODAY, clean=True)
    return [
        write_workbook_bytes(dataclasses.replace(book.data, municipality="Prøvekommune"), today=TODAY) for book in books
    ]


@pytest.fixture(scope="module")
def workbook_bytes() -> list[bytes]:
    return _real_workbooks(3)


@dataclasses.dataclass(frozen=True)
class Layout:
    root: Path
    folder: Path  # the input folder: vejleder-01.xlsx (the input) and vejleder-02.xlsx
    own: Path
    neighbour: Path
    elsewhere: Path  # a case workbook in another folder

    def all_inputs(self) -> list[Path]:
        return [self.own, self.neighbour, self.elsewhere]


@pytest.fixture
def layout(tmp_path: Path, workbook_bytes: list[bytes]) -> Layout:
    folder = tmp_path / "arbejdsbøger"
    folder.mkdir()
    (folder / "under").mkdir()
    other = tmp_path / "andet"
    other.mkdir()
    own, neighbour, elsewhere = folder / "vejleder-01.xlsx", folder / "vejleder-02.xlsx", other / "vejleder-09.xlsx"
    for path, data in zip((own, neighbour, elsewhere), workbook_bytes, strict=True):
        path.write_bytes(data)
    return Layout(tmp_path, folder, own, neighbour, elsewhere)


def _symlink(layout: Layout) -> Path:
    link = layout.root / "genvej.xlsx"
    link.symlink_to(layout.own)
    return link


PATH_KINDS: dict[str, Callable[[Layout], Path]] = {
    "the-input": lambda layout: layout.own,
    "file-in-input-folder": lambda layout: layout.neighbour,
    "case-workbook-elsewhere": lambda layout: layout.elsewhere,
    "symlink-to-input": _symlink,
    "dotdot-to-input": lambda layout: layout.folder / "under" / ".." / layout.own.name,
    "letter-case-of-input": lambda layout: layout.folder / layout.own.name.upper(),
}

OUTPUT_OPTIONS: dict[str, Callable[[Layout, Path], list[str]]] = {
    "consolidate-o": lambda layout, out: ["consolidate", str(layout.folder), "-o", str(out), "--no-history"],
    "consolidate-history": lambda layout, out: [
        "consolidate",
        str(layout.folder),
        "-o",
        str(layout.root / "rapport.xlsx"),
        "--history",
        str(out),
    ],
    "refresh-o": lambda layout, out: ["refresh", str(layout.own), "-o", str(out)],
    "new-case-o": lambda layout, out: ["new-case", str(layout.own), "-o", str(out)],
    "register-meeting-o": lambda layout, out: ["register-meeting", str(layout.own), "--id", "U-0001", "-o", str(out)],
    "upgrade-o": lambda layout, out: ["upgrade", str(layout.own), "-o", str(out)],
    "template-build-o": lambda layout, out: ["template", "build", "-o", str(out)],
}
_WITH_TODAY = {"consolidate", "refresh", "new-case", "register-meeting"}


def _case_insensitive(folder: Path) -> bool:
    probe = folder / "Probe-Case.tmp"
    probe.write_text("x")
    try:
        return (folder / "probe-case.tmp").exists()
    finally:
        probe.unlink()


def _invoke(args: list[str]) -> tuple[int, str, BaseException | None]:
    if args[0] in _WITH_TODAY:
        args = [args[0], *TODAY_ARGS, *args[1:]]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output, result.exception


@pytest.mark.parametrize("kind", sorted(PATH_KINDS))
@pytest.mark.parametrize("option", sorted(OUTPUT_OPTIONS))
def test_no_output_replaces_an_input_or_a_case_workbook(layout: Layout, option: str, kind: str) -> None:
    out = PATH_KINDS[kind](layout)
    before = {path: sha256_of(path) for path in layout.all_inputs()}
    existed = out.exists()
    code, output, exception = _invoke(OUTPUT_OPTIONS[option](layout, out))
    assert exception is None or isinstance(exception, SystemExit), output
    assert "Traceback" not in output
    assert {path: sha256_of(path) for path in layout.all_inputs()} == before
    if kind == "letter-case-of-input" and not existed:
        assert not _case_insensitive(layout.folder)
        assert code in (0, 1), output  # a new file beside the input, on a case-sensitive file system
        return
    assert code == 2, output
    assert "overskrive" in output or "overskrives" in output, output


def test_consolidate_may_replace_its_earlier_report_in_the_input_folder(layout: Layout) -> None:
    report = layout.folder / "rapport.xlsx"
    args = ["consolidate", *TODAY_ARGS, str(layout.folder), "-o", str(report), "--no-history"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "Læste 2 arbejdsbøger" in again.output  # the earlier report is skipped, not read or refused


def test_demo_never_replaces_a_real_workbook_of_the_same_name(layout: Layout) -> None:
    outdir = layout.root / "demo"
    target = outdir / "arbejdsbøger" / "vejleder-01.xlsx"
    target.parent.mkdir(parents=True)
    shutil.copyfile(layout.own, target)
    before = sha256_of(target)
    result = CliRunner().invoke(cli, ["demo", *TODAY_ARGS, str(outdir)])
    assert result.exit_code == 2, result.output
    assert "overskrives ikke" in result.output and "vejleder-01.xlsx" in result.output
    assert sha256_of(target) == before
    data = CliRunner().invoke(cli, ["demo-data", *TODAY_ARGS, str(outdir / "arbejdsbøger")])
    assert data.exit_code == 2, data.output
    assert sha256_of(target) == before


def test_demo_may_run_again_over_its_own_files(tmp_path: Path) -> None:
    outdir = tmp_path / "demo"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["demo", *TODAY_ARGS, "-j", "1", str(outdir)])
        assert result.exit_code in (0, 1), result.output


def test_template_build_may_replace_the_template_but_not_a_guides_workbook(layout: Layout) -> None:
    template = layout.root / "skabelon.xlsx"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["template", "build", "-o", str(template)])
        assert result.exit_code == 0, result.output
    before = sha256_of(layout.own)
    refused = CliRunner().invoke(cli, ["template", "build", "-o", str(layout.own)])
    assert refused.exit_code == 2 and sha256_of(layout.own) == before


@pytest.mark.skipif(os.name != "posix", reason="hard links as the tests make them")
def test_a_hard_link_to_the_input_is_the_input(layout: Layout) -> None:
    link = layout.root / "hård-kopi.txt"
    os.link(layout.own, link)
    before = sha256_of(layout.own)
    code, output, _ = _invoke(["refresh", str(layout.own), "-o", str(link)])
    assert code == 2 and "inputfilen" in output
    assert sha256_of(layout.own) == before


@pytest.mark.parametrize("kind", ["input-folder", "the-input"])
def test_addin_bundle_never_writes_into_an_input_folder_or_over_a_workbook(layout: Layout, kind: str) -> None:
    target = layout.folder if kind == "input-folder" else layout.own
    before = {path: sha256_of(path) for path in layout.all_inputs()}
    result = CliRunner().invoke(cli, ["addin", "bundle", "-o", str(target)])
    # a folder that is not empty: the bundle's own refusal (exit 1); a file: not a folder (usage error, exit 2)
    assert result.exit_code == (1 if kind == "input-folder" else 2), result.output
    assert {path: sha256_of(path) for path in layout.all_inputs()} == before
    assert sorted(path.name for path in layout.folder.iterdir()) == ["under", "vejleder-01.xlsx", "vejleder-02.xlsx"]
