"""Issue 6: formula injection. Text from a workbook that starts with =, +, -, @ (or a tab or CR before them) is
written as text, never as a formula, in every workbook the tools write: the refreshed case workbook (Oversigt,
Fejl, marks), the rows and sheets the ribbon twins add, the leader-group report and the politicians' summary.

Every payload carries a marker ``INJ-…``: no formula in any output may contain a marker, and every marker must
be found as text somewhere in the outputs (so the test fails if a payload silently went missing).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus import TODAY, Variant
from corpus.build import Package as CorpusPackage
from corpus.build import RawText
from openpyxl import load_workbook

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.consolidation import consolidate

TODAY_OPTION = ["--today", TODAY.isoformat()]

CASE_ID_PAYLOAD = '=HYPERLINK("http://example.invalid/INJ-id","klik")'
PAYLOADS: dict[str, tuple[str, str, str]] = {
    # name: (sheet, cell, text). Case ids, initials and coordinators are copied to Oversigt and the report.
    "equals-case-id": ("U-0001", schema.CASE_FIELDS_BY_KEY["case_id"].cell, CASE_ID_PAYLOAD),
    "plus-initials": ("U-0002", schema.CASE_FIELDS_BY_KEY["initials"].cell, "+INJ-plus"),
    "minus-coordinator": ("U-0002", schema.CASE_FIELDS_BY_KEY["coordinator"].cell, "-INJ-minus+1"),
    "at-initials": ("U-0003", schema.CASE_FIELDS_BY_KEY["initials"].cell, "@SUM(INJ-at)"),
    "tab-coordinator": ("U-0003", schema.CASE_FIELDS_BY_KEY["coordinator"].cell, "\t=INJ-tab"),
    "cr-municipality": (schema.SHEET_SETTINGS, schema.settings_value_cell("municipality"), "\r=INJ-cr"),
    "space-equals-value": ("U-0003", schema.CASE_FIELDS_BY_KEY["variant"].cell, " =INJ-value"),
    "dde-meeting-notes": (schema.SHEET_CHECKLIST, schema.checklist_cell(2, "notes"), "=cmd|' /C calc'!INJ-dde"),
}
SHEET_NAME_PAYLOAD = "-INJ-sheet"  # a case sheet renamed by hand; sheet names are echoed on Fejl and in the report
FILE_NAME_PAYLOADS = ("=INJ-file.xlsx", "@INJ-unreadable.xlsx")


def _payload_workbook(base: Path, folder: Path) -> Path:
    package = CorpusPackage(base.read_bytes())
    for sheet, cell, text in PAYLOADS.values():
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "_x000D_").replace("\t", "&#9;")
        package.set_cell(sheet, cell, RawText(escaped))
    package.rename_sheet("U-0002", SHEET_NAME_PAYLOAD)
    path = folder / "kommune" / FILE_NAME_PAYLOADS[0]
    path.parent.mkdir()
    path.write_bytes(package.to_bytes())
    (folder / "kommune" / FILE_NAME_PAYLOADS[1]).write_bytes(b"")  # unreadable: listed by name in the report
    return path


@pytest.fixture(scope="module")
def outputs(corpus: list[Variant], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every workbook the tools write from the payload workbook."""
    folder = tmp_path_factory.mktemp("injection")
    base = next(variant.path for variant in corpus if variant.name == "valid-base")
    source = _payload_workbook(base, folder)
    out = folder / "out"
    out.mkdir()
    runner = CliRunner()
    written = {
        "refresh": (["refresh", *TODAY_OPTION, str(source), "-o", str(out / "opdateret.xlsx")], out / "opdateret.xlsx"),
        "register-meeting": (
            ["register-meeting", *TODAY_OPTION, "--id", CASE_ID_PAYLOAD, str(source), "-o", str(out / "moede.xlsx")],
            out / "moede.xlsx",
        ),
        "new-case": (
            ["new-case", *TODAY_OPTION, "--id", "=INJ-new", str(source), "-o", str(out / "ny-sag.xlsx")],
            out / "ny-sag.xlsx",
        ),
    }
    for args, path in written.values():
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert path.exists()
    consolidate([source.parent], out / "rapport.xlsx", today=TODAY, history=None, jobs=1)
    return {
        **{name: path for name, (_, path) in written.items()},
        "report": out / "rapport.xlsx",
        "politicians": out / "rapport-politikere.xlsx",
    }


def _formulas_and_texts(path: Path) -> tuple[list[str], list[str]]:
    workbook = load_workbook(path)
    formulas: list[str] = []
    texts: list[str] = list(workbook.sheetnames)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(str(cell.value))
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    workbook.close()
    return formulas, texts


@pytest.mark.parametrize(
    "output",
    [
        "refresh",
        "register-meeting",
        "new-case",
        "report",
        "politicians",
    ],
)
def test_no_formula_in_an_output_comes_from_workbook_text(outputs: dict[str, Path], output: str) -> None:
    formulas, _texts = _formulas_and_texts(outputs[output])
    assert [formula for formula in formulas if "INJ-" in formula] == []


def _texts_of(outputs: dict[str, Path], names: tuple[str, ...]) -> str:
    return "\n".join(text for name in names for text in _formulas_and_texts(outputs[name])[1])


MARKERS_IN_CASE_WORKBOOK = ("INJ-id", "INJ-plus", "INJ-minus", "INJ-at", "INJ-tab", "INJ-value", "INJ-sheet", "INJ-dde")


@pytest.mark.parametrize("marker", MARKERS_IN_CASE_WORKBOOK)
def test_refresh_keeps_the_payload_as_text(outputs: dict[str, Path], marker: str) -> None:
    assert marker in _texts_of(outputs, ("refresh",))


def test_register_meeting_writes_the_case_id_as_text(outputs: dict[str, Path]) -> None:
    workbook = load_workbook(outputs["register-meeting"])
    sheet = workbook[schema.SHEET_CHECKLIST]
    column = schema.checklist_column("case_id")
    ids = [sheet.cell(row, column) for row in range(schema.CHECKLIST_FIRST_ROW, sheet.max_row + 1)]
    assert [(cell.value, cell.data_type) for cell in ids if cell.value == CASE_ID_PAYLOAD] == [(CASE_ID_PAYLOAD, "s")]


def test_new_case_writes_the_id_as_text(outputs: dict[str, Path]) -> None:
    workbook = load_workbook(outputs["new-case"])
    sheet = workbook[schema.case_sheet_name("=INJ-new")]
    cell = sheet[schema.CASE_FIELDS_BY_KEY["case_id"].cell]
    assert (cell.value, cell.data_type) == ("=INJ-new", "s")


@pytest.mark.parametrize("marker", ["INJ-file", "INJ-unreadable"])
def test_the_report_keeps_file_names_as_text(outputs: dict[str, Path], marker: str) -> None:
    assert marker in _texts_of(outputs, ("report",))


def test_a_municipality_that_is_not_a_municipalitys_name_is_left_out(outputs: dict[str, Path]) -> None:
    """Issue 12: the municipality cell reaches the politicians only as a municipality's name; '\r=INJ-cr' is not one,
    so it is in no report (validate warns about it: municipality-unknown)."""
    assert "INJ-cr" not in _texts_of(outputs, ("report",))
