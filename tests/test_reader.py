"""workbook.reader: real files end to end, and every file that cannot be read."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from samarbejde_xl import schema
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.workbook import reader
from samarbejde_xl.workbook.discover import is_lock_file
from samarbejde_xl.workbook.reader import ReadResult, read_workbook
from samarbejde_xl.workbook.save import save_workbook, workbook_bytes
from samarbejde_xl.workbook.template import add_case_sheet

FIELDS = schema.CASE_FIELDS_BY_KEY
PASSWORD = "hemmelig-test"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_case(workbook: Workbook, case_id: str) -> None:
    sheet = add_case_sheet(workbook, case_id)
    sheet[FIELDS["birth_date"].cell] = dt.date(2008, 3, 1)
    sheet[FIELDS["variant"].cell] = "psykisk"
    sheet[FIELDS["inclusion_date"].cell] = dt.date(2024, 4, 1)
    sheet[FIELDS["coordinator"].cell] = "KL"
    team = schema.CASE_BLOCKS_BY_KEY["team"]
    sheet[team.cell(1, "name")] = "Fagperson"
    sheet[team.cell(1, "profession")] = "UU-vejleder"


def add_meeting(workbook: Workbook, row: int, case_id: str, **values: Any) -> None:
    checklist = workbook[schema.SHEET_CHECKLIST]
    filled = {"case_id": case_id, "date": dt.date(2024, 5, 2), "kind": "Startmøde", "young_person_present": "ja"}
    for key, value in {**filled, **values}.items():
        checklist[schema.checklist_cell(row, key)] = value


@pytest.fixture
def case_workbook(template_workbook: Workbook) -> Workbook:
    fill_case(template_workbook, "U-0001")
    fill_case(template_workbook, "U-0002")
    add_meeting(template_workbook, schema.CHECKLIST_FIRST_ROW, "U-0001", **{schema.SCORE_PREFIX + "social": 6})
    add_meeting(template_workbook, schema.CHECKLIST_FIRST_ROW + 2, "U-0002", kind="Møde")
    return template_workbook


@pytest.fixture
def case_file(case_workbook: Workbook, tmp_path: Path) -> Path:
    path = tmp_path / "sager.xlsx"
    save_workbook(case_workbook, path)
    return path


def test_reads_a_saved_workbook_end_to_end_without_changing_it(case_file: Path) -> None:
    before = sha256(case_file)
    result = read_workbook(case_file, display_name="sager.xlsx")
    assert sha256(case_file) == before
    assert isinstance(result, ReadResult)
    data = result.data
    assert data.file == "sager.xlsx"
    assert data.template_version == schema.TEMPLATE_VERSION
    assert [(case.sheet, case.case_id, case.variant) for case in data.cases] == [
        ("U-0001", "U-0001", "psykisk"),
        ("U-0002", "U-0002", "psykisk"),
    ]
    assert data.cases[0].birth_date == dt.date(2008, 3, 1)
    assert [(m.profession, m.row) for m in data.cases[0].team] == [
        ("uu", schema.CASE_BLOCKS_BY_KEY["team"].first_row + 1)
    ]
    assert [(m.row, m.case_id, m.kind, m.scores) for m in data.meetings] == [
        (schema.CHECKLIST_FIRST_ROW, "U-0001", "start", {"social": 6}),
        (schema.CHECKLIST_FIRST_ROW + 2, "U-0002", None, {}),
    ]
    assert [(p.code, p.file, p.sheet, p.cell, p.case_id) for p in result.problems] == [
        (
            "not-in-list",
            "sager.xlsx",
            schema.SHEET_CHECKLIST,
            schema.checklist_cell(schema.CHECKLIST_FIRST_ROW + 2, "kind"),
            "U-0002",
        )
    ]


def test_calamine_reads_the_bytes_that_were_checked(case_file: Path, tmp_path: Path) -> None:
    """The file is read once: a file replaced between the checks and the read (a sync client, an attacker) is not
    what gets read, so nothing unchecked reaches calamine."""
    source = reader._open_source(case_file, "sager.xlsx", None)
    replacement = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(replacement, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    case_file.write_bytes(replacement.read_bytes())
    raw = reader._read_raw(source, "sager.xlsx", False)
    assert {"U-0001", "U-0002", schema.SHEET_CHECKLIST} <= set(raw.sheets)


def test_the_empty_template_reads_as_no_cases_and_no_problems(template_path: Path) -> None:
    result = read_workbook(template_path)
    assert result.data.cases == ()
    assert result.data.meetings == ()
    assert result.problems == ()
    assert result.data.file == str(template_path)


def test_hidden_case_sheet_and_unknown_sheet(case_workbook: Workbook, tmp_path: Path) -> None:
    case_workbook["U-0002"].sheet_state = "hidden"
    case_workbook.create_sheet("Noter")["A1"] = "mine noter"
    path = tmp_path / "skjult.xlsx"
    save_workbook(case_workbook, path)
    result = read_workbook(path)
    assert [(p.code, p.sheet) for p in result.problems if p.code != "not-in-list"] == [
        ("hidden-case-sheet", "U-0002"),
        ("unknown-sheet", "Noter"),
    ]
    assert len(result.data.cases) == 2


def test_formulas_in_entered_cells_are_found_when_asked(case_workbook: Workbook, tmp_path: Path) -> None:
    case_workbook["U-0001"][FIELDS["coordinator"].cell] = '=LOWER("KL")'
    path = tmp_path / "formel.xlsx"
    save_workbook(case_workbook, path)
    assert "formula-in-data" not in [p.code for p in read_workbook(path).problems]
    found = [p for p in read_workbook(path, detect_formulas=True).problems if p.code == "formula-in-data"]
    assert [(p.sheet, p.cell) for p in found] == [("U-0001", FIELDS["coordinator"].cell)]


MARKER = 987654321
"""A number written into the cell whose XML a test then replaces."""

ERROR_CELL_SPELLINGS: dict[str, tuple[str, str | None]] = {
    # name: (the cell element after its r="..." attribute, the error value the reader must find or None)
    "excel-constant": (' s="{style}" t="e"><v>#REF!</v></c>', "#REF!"),
    "excel-formula-cached-error": (' s="{style}" t="e"><f>VLOOKUP(B4,X:Y,2,0)</f><v>#N/A</v></c>', "#N/A"),
    "libreoffice-constant-as-formula": (' s="{style}" t="e"><f aca="false">#REF!</f><v>#REF!</v></c>', "#REF!"),
    "shared-formula": (
        ' s="{style}" t="e"><f t="shared" ref="{cell}:{cell}" si="0">1/0</f><v>#DIV/0!</v></c>',
        "#DIV/0!",
    ),
    "dynamic-array-attributes": (
        ' s="{style}" t="e" cm="1"><f t="array" ref="{cell}">A1:A2/0</f><v>#VALUE!</v></c>',
        "#VALUE!",
    ),
    # Excel 365's newer error values: python-calamine refuses a whole file that holds one, so the reader reads a
    # copy where they show as #N/A (the guide is still told the real one).
    "excel365-spill": (
        ' s="{style}" t="e" cm="1"><f t="array" ref="{cell}">SEQUENCE(3)</f><v>#SPILL!</v></c>',
        "#SPILL!",
    ),
    "excel365-calc": (' s="{style}" t="e"><v>#CALC!</v></c>', "#CALC!"),
    "error-cell-without-value": (' s="{style}" t="e"/>', None),
    "text-mentioning-t-e": (' s="{style}" t="inlineStr"><is><t>t="e" #REF!</t></is></c>', None),
}


def _replace_marked_cell(path: Path, inner: str) -> None:
    """Rewrite the cell holding ``MARKER`` (the XML spellings of other tools cannot be written with openpyxl)."""
    marked = re.compile(rf'<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?(?: t="n")?><v>{MARKER}</v></c>')
    with zipfile.ZipFile(path) as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    replaced = 0
    for name, data in members.items():
        if name.startswith("xl/worksheets/") and marked.search(data.decode()):
            text, replaced = marked.subn(
                lambda m: f'<c r="{m.group(1)}"' + inner.format(style=m.group(2) or "0", cell=m.group(1)),
                data.decode(),
            )
            members[name] = text.encode()
    assert replaced == 1
    path.write_bytes(zip_bytes(members))


@pytest.mark.parametrize("spelling", list(ERROR_CELL_SPELLINGS), ids=str)
def test_error_values_are_found_only_with_formula_detection(
    spelling: str, case_workbook: Workbook, tmp_path: Path
) -> None:
    inner, error = ERROR_CELL_SPELLINGS[spelling]
    case_workbook["U-0002"][FIELDS["birth_date"].cell] = MARKER
    path = tmp_path / "fejlvaerdi.xlsx"
    save_workbook(case_workbook, path)
    _replace_marked_cell(path, inner)
    place = ("U-0002", FIELDS["birth_date"].cell)
    plain = [(p.code, p.sheet, p.cell) for p in read_workbook(path).problems if p.sheet == place[0]]
    detected = [p for p in read_workbook(path, detect_formulas=True).problems if p.sheet == place[0]]
    if error is None:  # not an error value: detection changes nothing
        assert [(p.code, p.sheet, p.cell) for p in detected] == plain != []
    else:
        assert plain == [("required-missing", *place)]  # no XML pass without detect_formulas: it reads as empty
        assert [(p.code, p.sheet, p.cell) for p in detected] == [("error-value", *place)]
        assert f"viser fejlværdien {error} i stedet for en værdi" in detected[0].message


def test_error_values_in_the_checklist_and_several_sheets(case_workbook: Workbook, tmp_path: Path) -> None:
    errors = {
        ("U-0001", FIELDS["notes"].cell): "#NAME?",
        ("U-0002", FIELDS["coordinator"].cell): "#NUM!",
        (schema.SHEET_CHECKLIST, schema.checklist_cell(schema.CHECKLIST_FIRST_ROW, "young_person_present")): "#NULL!",
    }
    for (sheet, cell), error in errors.items():
        case_workbook[sheet][cell].value = error
        case_workbook[sheet][cell].data_type = "e"  # written as <c t="e"><v>#NAME?</v></c>
    path = tmp_path / "fejlvaerdier.xlsx"
    save_workbook(case_workbook, path)
    before = sha256(path)
    found = {
        (p.sheet, p.cell): p for p in read_workbook(path, detect_formulas=True).problems if p.code != "not-in-list"
    }
    assert sha256(path) == before
    assert {place: p.code for place, p in found.items()} == dict.fromkeys(errors, "error-value")
    assert all(error in found[place].message for place, error in errors.items())
    assert (
        found[
            (schema.SHEET_CHECKLIST, schema.checklist_cell(schema.CHECKLIST_FIRST_ROW, "young_person_present"))
        ].case_id
        == "U-0001"
    )
    plain = {(p.sheet, p.cell): p.code for p in read_workbook(path).problems if p.code != "not-in-list"}
    assert plain == {place: "required-missing" for place in errors if place[1] != FIELDS["notes"].cell}


def test_a_foreign_xlsx_is_not_our_workbook(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = "Budget"  # type: ignore[index]
    save_workbook(workbook, path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert caught.value.code == "foreign"
    assert "budget.xlsx" in str(caught.value)


# --------------------------------------------------------------------------------------------------
# Files that cannot be read
# --------------------------------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def truncated(template: bytes) -> bytes:
    return template[: len(template) // 2]


def garbage_workbook_part(template: bytes) -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not really xml"})


BAD_FILES: dict[str, tuple[Callable[[bytes], bytes], str, str]] = {
    "empty": (lambda template: b"", "empty", "0 bytes"),
    "text-renamed": (lambda template: "Ung-id;Mødedato\nU-0001;01-02-2024\n".encode(), "not-xlsx", "zip"),
    "truncated-zip": (truncated, "corrupt", "beskadiget"),
    "ods": (
        lambda template: zip_bytes(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
        ),
        "ods",
        ".ods",
    ),
    "docx-like-zip": (lambda template: zip_bytes({"word/document.xml": b"<w/>"}), "not-xlsx", "projektmappedel"),
    "old-xls": (lambda template: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "xls", ".xls"),
    "broken-workbook-xml": (garbage_workbook_part, "corrupt", "kunne ikke læses"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES), ids=str)
def test_unreadable_files_raise_workbook_error_naming_the_file(kind: str, template_path: Path, tmp_path: Path) -> None:
    make, code, words = BAD_FILES[kind]
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(make(template_path.read_bytes()))
    before = sha256(path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert caught.value.code == code
    assert caught.value.file == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert words in str(caught.value)
    assert caught.value.hint
    assert sha256(path) == before


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as missing:
        read_workbook(tmp_path / "findes-ikke.xlsx")
    assert missing.value.code == "not-found"
    assert "findes-ikke.xlsx" in str(missing.value)
    with pytest.raises(WorkbookError) as folder:
        read_workbook(tmp_path, display_name="mappen")
    assert folder.value.code == "folder"
    assert str(folder.value).startswith("mappen: ")


def test_zip_bomb_guard_uses_the_central_directory(
    template_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(template_path) as package:
        total = sum(member.file_size for member in package.infolist())
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", total - 1)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(template_path)
    assert caught.value.code == "too-large"
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED_BYTES", total)
    assert read_workbook(template_path).data.cases == ()


# --------------------------------------------------------------------------------------------------
# Password-protected workbooks
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def encrypted_file(case_workbook: Workbook, tmp_path: Path) -> Path:
    path = tmp_path / "krypteret.xlsx"
    plain = io.BytesIO(workbook_bytes(case_workbook))
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt(PASSWORD, out)
    return path


def test_encrypted_workbook_reads_in_memory_with_the_password(encrypted_file: Path) -> None:
    before = sha256(encrypted_file)
    result = read_workbook(encrypted_file, password=PASSWORD)
    assert [case.case_id for case in result.data.cases] == ["U-0001", "U-0002"]
    assert sha256(encrypted_file) == before
    assert list(encrypted_file.parent.iterdir()) == [encrypted_file]  # no decrypted copy on disk


@pytest.mark.parametrize(
    ("password", "code"), [(None, "encrypted"), ("forkert", "wrong-password")], ids=["no-password", "wrong"]
)
def test_encrypted_workbook_without_the_right_password(encrypted_file: Path, password: str | None, code: str) -> None:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(encrypted_file, password=password)
    assert caught.value.code == code
    assert "krypteret.xlsx" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("~$sager.xlsx", True), ("sager.xlsx", False), ("kopi ~$ sager.xlsx", False)],
    ids=["owner-file", "workbook", "tilde-inside"],
)
def test_is_lock_file(tmp_path: Path, name: str, expected: bool) -> None:
    assert is_lock_file(tmp_path / name) is expected


def test_a_stray_cell_far_below_the_data_is_refused_quickly_with_its_place(tmp_path: Path) -> None:
    from openpyxl import load_workbook as openpyxl_load

    from samarbejde_xl.demo.generator import generate_municipality
    from samarbejde_xl.workbook.data_writer import write_workbook

    today = dt.date(2026, 10, 1)
    demo = generate_municipality(workbooks=1, cases=2, seed=2, today=today, clean=True)[0]
    path = tmp_path / "stray.xlsx"
    write_workbook(demo.data, path, today=today)
    workbook = openpyxl_load(path)
    workbook[schema.SHEET_CHECKLIST].cell(1_048_576, schema.CHECKLIST_LAST_COLUMN, "x")
    workbook.save(path)
    with pytest.raises(WorkbookError) as raised:
        read_workbook(path)
    assert raised.value.code == "too-large"
    message = str(raised.value)
    assert "stray.xlsx" in message and schema.SHEET_CHECKLIST in message
    assert f"{schema.column_letter(schema.CHECKLIST_LAST_COLUMN)}1048576" in message and "Slet" in message
