"""The quick zip check (issue 17): one read of the file and a walk of its central directory, judging plain packages
itself and handing anything unusual to the full checks through ``zipfile``. It must never pass a package the full
checks refuse, and it must really be the path plain workbooks take."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.workbook import reader

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.xlsx"))


def _full_check_passes(data: bytes, full: bool) -> bool:
    try:
        _zipfile_check(data, full)
    except WorkbookError:
        return False
    return True


def _zipfile_check(data: bytes, full: bool) -> None:
    """The checks through zipfile alone, as before the quick check (what it must agree with)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            reader._check_package(package, "x.xlsx", full)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise WorkbookError("x.xlsx", f"damaged ({error})", "", code="corrupt") from error


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_plain_workbooks_take_the_quick_path(example: Path) -> None:
    data = example.read_bytes()
    assert reader._quick_check(data, full=False)
    assert reader._quick_check(data, full=True)


def test_the_quick_check_never_passes_what_the_full_check_refuses(corpus: list[Any]) -> None:
    judged = 0
    for variant in corpus:
        if not variant.path.is_file():
            continue
        data = variant.path.read_bytes()
        if not data.startswith(b"PK\x03\x04"):
            continue
        for full in (False, True):
            if reader._quick_check(data, full):
                judged += 1
                assert _full_check_passes(data, full), (variant.name, full)
    assert judged > 100  # most of the corpus is plain packages with odd cells: the quick path judged them


def _example() -> bytes:
    return EXAMPLES[0].read_bytes()


def _rezipped(data: bytes, change: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, change.get(member.filename, source.read(member)))
    return out.getvalue()


def _with_comment(data: bytes) -> bytes:
    return data[:-2] + struct.pack("<H", 5) + b"hello"


def _prepended(data: bytes) -> bytes:
    return b"junk" * 10 + data


def _flipped_crc_of_a_sheet(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = next(m for m in package.infolist() if m.filename.startswith("xl/worksheets/sheet"))
    entry = data.rindex(sheet.filename.encode()) - 46  # the central directory's copy of the name comes last
    assert data[entry : entry + 4] == b"PK\x01\x02"
    crc = struct.unpack_from("<L", data, entry + 16)[0]
    return data[: entry + 16] + struct.pack("<L", crc ^ 1) + data[entry + 20 :]


def _with_extra_field(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            member.extra = struct.pack("<HH", 0x5455, 1) + b"\x00"  # an extended time stamp, as Info-ZIP writes
            target.writestr(member, source.read(member))
    return out.getvalue()


@pytest.mark.parametrize(
    "unusual", [_with_comment, _prepended, _flipped_crc_of_a_sheet, _with_extra_field], ids=lambda f: f.__name__
)
def test_unusual_packages_go_to_the_full_check(unusual: Any) -> None:
    data = unusual(_example())
    assert not reader._quick_check(data, full=True)


def test_a_flipped_checksum_is_refused_by_the_full_check() -> None:
    data = _flipped_crc_of_a_sheet(_example())
    with pytest.raises(WorkbookError) as raised:
        reader._check_zip(io.BytesIO(data), data, "x.xlsx", True)
    assert raised.value.code == "corrupt"


def _sheet_xml(cells: str) -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{cells}</sheetData></worksheet>"
    ).encode()


@pytest.mark.parametrize(
    "cells",
    [
        '<row r="1"><c r="A1"><v>1</v></c></row>',
        '<row r="9"><c r="Z9"><v>1</v></c></row>',
        '<row r="1"><c r="A99999"><v>1</v></c></row>',  # a cell's row longer than its row's
        '<row r="1"><c r="A100001"><v>1</v></c></row>',
        '<row r="99"><c r="AA1"/><c r="XFD99"/></row>',  # columns past Z
        '<row r="25000"><c r="CV25000"/></row>',  # 25,000 x 100 > 2,000,000 cells
        '<row r="25000"><c r="Z25000"/></row>',
        '<row r="1"><c\nr="XFD1048576"/></row>',  # other white space before r
        '<row\tr="1048576"><c r="A1"/></row>',
        '<c r="B7"/>',  # no row element at all
        "",
    ],
)
def test_the_extent_bound_agrees_with_the_exact_extent(cells: str) -> None:
    xml = _sheet_xml(cells)
    assert reader._extent_within_limits(xml) == reader._within_limits(*reader._cell_extent(xml))


def test_a_far_cell_behind_a_small_dimension_is_refused_with_its_message() -> None:
    data = _example()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = next(m.filename for m in package.infolist() if m.filename.startswith("xl/worksheets/sheet"))
        xml = package.read(sheet)
    far = xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    hostile = _rezipped(data, {sheet: far})
    assert not reader._quick_check(hostile, full=True)
    with pytest.raises(WorkbookError) as raised:
        reader._check_zip(io.BytesIO(hostile), hostile, "x.xlsx", True)
    assert raised.value.code == "too-large"
    assert "XFD1048576" in raised.value.reason


def _extra_media(name: str) -> Any:
    def add(data: bytes) -> bytes:
        out = io.BytesIO(data)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(name, b"x")
        return out.getvalue()

    add.__name__ = f"with {name!r}"
    return add


def _nul_in_a_name(data: bytes) -> bytes:
    data = _extra_media("xl/media/aXb.png")(data)  # zipfile cuts a name at NUL: put it in the directory's copy
    entry = data.rindex(b"xl/media/aXb.png")
    return data[:entry] + b"xl/media/a\x00b.png" + data[entry + 16 :]


def _repeated_member(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with pytest.warns(UserWarning), zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/styles.xml", b"<styleSheet/>")  # a second member of that name
    return out.getvalue()


def _one_entry_too_many(data: bytes) -> bytes:
    end = len(data) - 22
    on_disk, total = struct.unpack_from("<HH", data, end + 8)
    return data[: end + 8] + struct.pack("<HH", on_disk + 1, total + 1) + data[end + 12 :]


@pytest.mark.parametrize(
    "unusual",
    [
        _repeated_member,
        _one_entry_too_many,
        _extra_media("xl/media/billede-æ.png"),
        _extra_media("xl/media/a\\b.png"),
        _nul_in_a_name,
    ],
    ids=lambda f: f.__name__,
)
def test_names_the_walk_does_not_judge_go_to_the_full_check(unusual: Any) -> None:
    # The walk reads names as bytes and checks them all at once: anything but unique, clean ASCII names is unusual.
    data = unusual(_example())
    for full in (False, True):
        assert not reader._quick_check(data, full)


def test_a_package_with_a_non_ascii_name_passes_the_full_check() -> None:
    data = _extra_media("xl/media/billede-æ.png")(_example())
    assert not reader._quick_check(data, full=True)
    checked = reader._check_zip(io.BytesIO(data), data, "x.xlsx", True)
    assert checked is not None and checked.getvalue() == data  # the full check passed it as it is: no view


def test_the_worksheet_names_found_are_those_the_full_check_reads() -> None:
    names = [
        b"xl/worksheets/sheet1.xml",
        b"xl/worksheets/_rels/sheet1.xml.rels",
        b"axl/worksheets/sheet2.xml",
        b"xl/worksheets/a.xml.xml",
        b"xl/worksheets/.xml",
        b"xl/worksheets/sheet3.xmlx",
        b"xl/worksheets/",
        b"xl/worksheets/a\nb.xml",
        b"xl/worksheets/xl/worksheets/sheet4.xml",
    ]
    for order in (names, names[::-1], names[1:], names[:-1]):
        found = reader._WORKSHEET_NAME.findall(b"\x00%s\x00" % b"\x00".join(order))
        assert found == [name for name in order if name.startswith(b"xl/worksheets/") and name.endswith(b".xml")]


def test_a_file_too_large_to_hold_is_checked_and_read_through_zipfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "stor.xlsx"
    path.write_bytes(_example())
    expected = reader.read_workbook(path)
    monkeypatch.setattr(reader, "_QUICK_CHECK_BYTES", 1000)
    assert reader._open_source(path, path.name, None) == path  # not read into memory: calamine reads the path
    assert reader.read_workbook(path) == expected
    path.write_bytes(_flipped_crc_of_a_sheet(_example()))
    with pytest.raises(WorkbookError) as raised:
        reader.read_workbook(path)
    assert raised.value.code == "corrupt"
