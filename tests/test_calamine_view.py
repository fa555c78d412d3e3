"""The package calamine reads (issue 17): each worksheet part led by an empty <mergeCells>, so that python-calamine's
second pass over every sheet (it looks for merged cells, which the tool does not use) stops at once.

The cells must read exactly as from the file itself, and what that second pass used to notice in passing (a part
whose checksum is wrong, XML cut off or malformed after the cells) must still make the file unreadable, with the same
message."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from corpus.build import Package
from openpyxl import load_workbook

from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.core.raw import RawWorkbook
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook import reader
from samarbejde_xl.workbook.data_writer import write_workbook

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [*sorted((ROOT / "examples").glob("*.xlsx")), ROOT / "workbook_templates" / "samarbejde.xlsx"]
STOP = b"<mergeCells></mergeCells>"
TODAY = date(2026, 10, 1)


def _outcome(read: Callable[[], RawWorkbook]) -> Any:
    """What a read gives: every sheet's cells, visibility, formulas and error values, or the error's message."""
    try:
        raw = read()
    except WorkbookError as error:
        return ("unreadable", str(error))
    return {name: (s.rows, s.visible, s.formulas, s.errors) for name, s in raw.sheets.items()}


def _both(path: Path) -> tuple[Any, Any, Path | io.BytesIO]:
    """The read through the view and the read of the file's bytes as they are (formulas and error values scanned)."""
    source = reader._open_source(path, path.name, None)
    original = source.original if isinstance(source, reader._CalamineView) else path.read_bytes()
    through_view = _outcome(lambda: reader._read_raw(source, path.name, True))
    as_it_is = _outcome(lambda: reader._read_raw_once(io.BytesIO(original), path.name, True))
    return through_view, as_it_is, source


def _rewritten(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """``source`` with every worksheet part changed by ``change(name, xml)``, deflated again."""
    package = Package(source.read_bytes())
    for name, xml in package.members.items():
        if name.startswith("xl/worksheets/sheet"):
            package.members[name] = change(name, xml)
    target.write_bytes(package.to_bytes())
    return target


def _prefixed(_name: str, xml: bytes) -> bytes:
    """The sheet with its elements in a prefixed namespace (``<x:c>``), as some programs write them."""
    xml = re.sub(rb"<(/?)(?=[A-Za-z])", rb"<\1x:", xml)
    return xml.replace(b'xmlns="', b'xmlns:x="', 1)


VARIANTS: dict[str, Callable[[str, bytes], bytes]] = {
    "xml-declaration": lambda _n, xml: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + xml,
    "byte-order-mark": lambda _n, xml: b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n' + xml,
    "prefixed-namespace": _prefixed,
    "trailing-white-space": lambda _n, xml: xml + b"\r\n\r\n",
}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_calamine_reads_the_same_cells_from_the_view(path: Path) -> None:
    through_view, as_it_is, source = _both(path)
    assert isinstance(source, reader._CalamineView)  # the view is really the path plain workbooks take
    assert through_view == as_it_is and isinstance(through_view, dict)


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_view_reads_sheets_as_other_programs_write_them_the_same(variant: str, tmp_path: Path) -> None:
    path = _rewritten(SHIPPED[0], tmp_path / f"{variant}.xlsx", VARIANTS[variant])
    through_view, as_it_is, source = _both(path)
    assert isinstance(source, reader._CalamineView)
    assert through_view == as_it_is and isinstance(through_view, dict)


def test_the_view_reads_merged_cells_and_generated_workbooks_the_same(tmp_path: Path) -> None:
    books = generate_municipality(workbooks=3, cases=6, seed=5, today=TODAY, clean=False)
    paths = [tmp_path / book.file_name for book in books]
    for book, path in zip(books, paths, strict=True):
        write_workbook(book.data, path, today=TODAY)
    merged = Package(SHIPPED[0].read_bytes())
    for sheet in load_workbook(SHIPPED[0], read_only=True).sheetnames:
        merged.merge(sheet, "H1:J2")  # real <mergeCells> after the cells: python-calamine's second pass stopped there
    (tmp_path / "flettet.xlsx").write_bytes(merged.to_bytes())
    assert all(b'<mergeCell ref="H1:J2"/>' in xml for name, xml in merged.members.items() if "worksheets/sheet" in name)
    for path in [*paths, tmp_path / "flettet.xlsx"]:
        through_view, as_it_is, source = _both(path)
        assert isinstance(source, reader._CalamineView), path.name
        assert through_view == as_it_is and isinstance(through_view, dict), path.name


def test_every_corpus_workbook_reads_the_same_through_the_view(corpus: list[Any]) -> None:
    viewed = 0
    for variant in corpus:
        if not variant.path.is_file():
            continue
        try:
            through_view, as_it_is, source = _both(variant.path)
        except WorkbookError:
            continue  # refused before calamine: the view plays no part
        viewed += isinstance(source, reader._CalamineView)
        assert through_view == as_it_is, variant.name
    assert viewed > 30


def test_the_view_leads_each_sheet_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = Path(shutil.copy(SHIPPED[0], tmp_path / "sag.xlsx"))
    before = path.read_bytes()
    source = reader._open_source(path, path.name, None)
    assert isinstance(source, reader._CalamineView) and source.original == before
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as view, zipfile.ZipFile(path) as package:
        assert view.testzip() is None  # every checksum is right
        assert view.namelist() == package.namelist()
        for member in view.infolist():
            if member.filename.startswith("xl/worksheets/sheet"):
                assert member.compress_type == zipfile.ZIP_DEFLATED
                assert view.read(member) == STOP + package.read(member.filename)
            else:
                assert view.read(member) == package.read(member.filename)
    assert path.read_bytes() == before


def _with_member_checksum(source: Path, target: Path, member: str, checksum: int) -> Path:
    """``source`` with the checksum of ``member`` set to ``checksum`` in its local header and the directory."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as package:
        struct.pack_into("<L", data, package.getinfo(member).header_offset + 14, checksum)
    entry = struct.unpack_from("<L", data, data.rindex(b"PK\x05\x06") + 16)[0]  # the directory's start
    while data[entry + 46 : entry + 46 + struct.unpack_from("<H", data, entry + 28)[0]] != member.encode():
        entry += 46 + sum(struct.unpack_from("<3H", data, entry + 28))
    struct.pack_into("<L", data, entry + 16, checksum)
    target.write_bytes(bytes(data))
    return target


def test_a_part_with_a_wrong_checksum_is_left_to_calamine_and_refused_as_before(tmp_path: Path) -> None:
    member = "xl/worksheets/sheet10.xml"
    with zipfile.ZipFile(SHIPPED[0]) as package:
        good = package.getinfo(member).CRC
    path = _with_member_checksum(SHIPPED[0], tmp_path / "bitfejl.xlsx", member, good ^ 0x1)
    source = reader._open_source(path, path.name, None)
    assert not isinstance(source, reader._CalamineView)  # calamine reads the file as it is and finds the fault
    with pytest.raises(WorkbookError, match="kunne ikke læses"):
        reader.read_workbook(path)


@pytest.mark.parametrize("cut", [40, 301])
def test_a_sheet_cut_off_in_a_tag_is_left_to_calamine_and_refused_as_before(cut: int, tmp_path: Path) -> None:
    def cut_off(name: str, xml: bytes) -> bytes:
        if name != "xl/worksheets/sheet10.xml":
            return xml
        end = len(xml) - cut
        while xml[end - 1 : end] in (b">", b" "):  # in a tag: between two tags the XML is still whole markup
            end -= 1
        return xml[:end]

    path = _rewritten(SHIPPED[0], tmp_path / "afkortet.xlsx", cut_off)
    assert not isinstance(reader._open_source(path, path.name, None), reader._CalamineView)
    with pytest.raises(WorkbookError, match="kunne ikke læses"):
        reader.read_workbook(path)


def test_when_calamine_fails_on_the_view_the_file_as_it_is_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    read_once = reader._read_raw_once

    def failing_on_the_view(source: Any, name: str, detect_formulas: bool) -> RawWorkbook:
        if isinstance(source, reader._CalamineView):
            raise WorkbookError(name, "kunne ikke læses (prøve)", "")
        return read_once(source, name, detect_formulas)

    monkeypatch.setattr(reader, "_read_raw_once", failing_on_the_view)
    path = SHIPPED[0]
    raw = reader._read_raw(reader._open_source(path, path.name, None), path.name, False)
    monkeypatch.undo()
    assert _outcome(lambda: raw) == _outcome(lambda: reader._read_raw_once(path, path.name, False))


MALFORMED_AFTER_THE_CELLS = {
    "unclosed-quote": b'<pageSetup orientation="landscape/><pageMargins left="0.7"/></worksheet>',
    "stray-end-tag": b"</sheetData></worksheet>",
    "unclosed-cdata": b"<![CDATA[ x </worksheet>",
    "unclosed-instruction": b"<?foo </worksheet>",
    "unclosed-comment": b"<!-- x </worksheet>",
    "misspelt-end-tag": b"<pageSetup></pageSetupp></worksheet>",
    "unknown-entity": b'<pageSetup a="&bogus;"/></worksheet>',
    "second-root-with-cells": b'</worksheet><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t>'
    b"</is></c></row></sheetData></worksheet>",
}


@pytest.mark.parametrize("damage", MALFORMED_AFTER_THE_CELLS)
def test_xml_after_the_cells_is_judged_as_calamine_judges_the_file_itself(damage: str, tmp_path: Path) -> None:
    """The second pass parsed what follows the cells; the reader checks it instead, so a file calamine refuses as it
    is (an unclosed quote, CDATA or comment, a stray end tag) is refused with the same message, and one it reads is
    read the same."""
    tail = MALFORMED_AFTER_THE_CELLS[damage]

    def damaged(name: str, xml: bytes) -> bytes:
        return xml.replace(b"</worksheet>", tail) if name == "xl/worksheets/sheet10.xml" else xml

    through_view, as_it_is, _ = _both(_rewritten(SHIPPED[0], tmp_path / f"{damage}.xlsx", damaged))
    assert through_view == as_it_is
    refused = {"unclosed-quote", "stray-end-tag", "unclosed-cdata", "unclosed-instruction", "unclosed-comment"}
    assert isinstance(through_view, tuple) == (damage in refused)  # as python-calamine 0.9 judges them


def test_without_zlib_ng_the_standard_zlib_checks_the_parts_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """zlib-ng is not installed everywhere (Pyodide): the reader then inflates with zlib, with the same result."""
    import zlib

    path = SHIPPED[0]
    with_zlib_ng = _both(path)[:2]
    monkeypatch.setattr(reader, "fast_zlib", zlib)
    monkeypatch.setattr(reader, "_INFLATE_ERROR", zlib.error)
    through_view, as_it_is, source = _both(path)
    assert isinstance(source, reader._CalamineView)
    assert (through_view, as_it_is) == with_zlib_ng


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek back in: it writes each member's sizes in a data descriptor after its bytes, as
    streaming writers (Java's ZipOutputStream, some web exports) do."""

    def __init__(self) -> None:
        self.written = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.written += data
        return len(data)


@pytest.mark.parametrize("layout", ["data-descriptors", "zip64-local-headers"])
def test_packages_written_by_streaming_zip_writers_read_the_same_through_the_view(layout: str, tmp_path: Path) -> None:
    target: Any = _Unseekable() if layout == "data-descriptors" else io.BytesIO()
    with zipfile.ZipFile(SHIPPED[0]) as package, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for member in package.infolist():
            with rewritten.open(member.filename, "w", force_zip64=layout != "data-descriptors") as stream:
                stream.write(package.read(member))
    path = tmp_path / f"{layout}.xlsx"
    path.write_bytes(bytes(target.written) if layout == "data-descriptors" else target.getvalue())
    through_view, as_it_is, source = _both(path)
    assert isinstance(source, reader._CalamineView)
    assert through_view == as_it_is and isinstance(through_view, dict)
