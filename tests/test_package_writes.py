"""Issue 13: refresh, new-case and register-meeting patch the package and change only what the tools own.

The acceptance fixture is a case workbook a guide has made their own: a picture and a chart on a case sheet, a note
(comment) of their own, a defined name, a conditional format, an extra column in the Mødetjekliste table, a custom
document property and a VBA project (.xlsm). After each write:

- every zip part the tool does not own is byte-identical;
- in the parts it owns, every cell it did not write has the same value and style (compared cell by cell);
- the package passes ``package_rule_violations``, the rules Excel enforces that can be checked here (Excel offers to
  repair a file that breaks them):

  1. content types: every part has one (an Override or a Default for its extension), and every Override names a part
     that exists;
  2. relationships: every internal relationship target exists, and ids are unique within each .rels part;
  3. workbook: sheet names unique (case-insensitively), sheetIds and r:ids unique, every local defined name points
     at an existing sheet index;
  4. tables: the ref's header row holds the column names in order, the column count matches the ref's width, the
     autoFilter lies inside the ref, table ids and names are unique in the workbook;
  5. shared strings: uniqueCount is the number of entries, count the number of cells referring to them, and every
     reference is in range;
  6. styles: every cell's style index is below the number of cell formats, and each list's count matches;
  7. notes: every comment has a VML note shape on its sheet's drawing, and VML shape ids are unique in the workbook.

- openpyxl and python-calamine read the same values; LibreOffice headless opens the output and saves it again.
"""

from __future__ import annotations

import io
import posixpath
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import msoffcrypto
import pytest
from defusedxml import ElementTree as SafeTree
from lxml import etree
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from python_calamine import CalamineWorkbook

from samarbejde_xl import actions, schema
from samarbejde_xl.addin.ovba import VbaModule, build_vba_project
from samarbejde_xl.core.errors import ActionError, WorkbookError
from samarbejde_xl.core.sheet_writes import MARK_AUTHOR, SheetWrites, workbook_writes
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook.data_writer import build_workbook
from samarbejde_xl.workbook.package import PackageEditor, _retarget_formula
from samarbejde_xl.workbook.save import workbook_bytes

TODAY = date(2026, 3, 16)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
VML = "urn:schemas-microsoft-com:vml"
EXCEL_VML = "urn:schemas-microsoft-com:office:excel"
OFFICE_VML = "urn:schemas-microsoft-com:office:office"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
XLSM_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
USER_SHEET = "U-0001"
USER_NOTE_CELL = "C20"
USER_COLUMN_HEADER = "Guidens note"
USER_NAME = "GuidensListe"
PASSWORD = "Hemmelig-1"


# --------------------------------------------------------------------------------------------------
# The acceptance fixture
# --------------------------------------------------------------------------------------------------


def _png() -> bytes:
    """A 2x2 red PNG, written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _guide_workbook() -> Workbook:
    """A demo workbook with a planted entry mistake (so refresh marks a cell) and the guide's own additions."""
    demo = generate_municipality(workbooks=1, cases=3, seed=7, today=TODAY, clean=True)[0]
    workbook = build_workbook(demo.data, today=TODAY)
    case = workbook[USER_SHEET]
    case[schema.CASE_FIELDS_BY_KEY["birth_date"].cell] = "ikke en dato"  # a problem: refresh marks this cell
    case[USER_NOTE_CELL].comment = Comment("Ring til skolen først", "Guide")
    case.conditional_formatting.add(
        "C20:C30", CellIsRule(operator="equal", formula=['"x"'], fill=PatternFill("solid", start_color="00B050"))
    )
    chart = BarChart()
    chart.add_data(Reference(case, min_col=2, min_row=20, max_row=24))
    case.add_chart(chart, "J4")
    workbook.defined_names[USER_NAME] = DefinedName(USER_NAME, attr_text="Lister!$A$1:$A$3")
    checklist = workbook[schema.SHEET_CHECKLIST]
    table = checklist.tables[schema.CHECKLIST_TABLE_NAME]
    column = schema.CHECKLIST_LAST_COLUMN + 1
    checklist.cell(schema.CHECKLIST_HEADER_ROW, column, USER_COLUMN_HEADER)
    checklist.cell(schema.CHECKLIST_FIRST_ROW, column, "husk bus")
    first, _, last = table.ref.partition(":")
    last_row = schema.parse_cell(last)[0]
    table.ref = f"{first}:{schema.cell_address(last_row, column)}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    assert not table.tableColumns  # openpyxl names the columns from the header row when it saves
    workbook.custom_doc_props.append(StringProperty(name="Afdeling", value="Ungeenheden"))  # type: ignore[attr-defined]
    return workbook


def _zip_replace(data: bytes, changes: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members.update(changes)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _add_picture_and_macros(data: bytes) -> bytes:
    """Put a picture into the case sheet's drawing (beside the chart) and make the workbook an .xlsm."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    drawing_name = next(n for n in members if n.startswith("xl/drawings/drawing") and n.endswith(".xml"))
    drawing = _xml(members[drawing_name])
    rels_name = posixpath.join("xl/drawings/_rels", posixpath.basename(drawing_name) + ".rels")
    rels = _xml(members[rels_name])
    etree.SubElement(
        rels, f"{{{PKG_REL}}}Relationship", Id="rIdPic1", Type=f"{REL}/image", Target="/xl/media/image1.png"
    )
    anchor = etree.SubElement(drawing, f"{{{DRAWING}}}oneCellAnchor")
    start = etree.SubElement(anchor, f"{{{DRAWING}}}from")
    for tag, value in (("col", "9"), ("colOff", "0"), ("row", "20"), ("rowOff", "0")):
        etree.SubElement(start, f"{{{DRAWING}}}{tag}").text = value
    etree.SubElement(anchor, f"{{{DRAWING}}}ext", cx="952500", cy="952500")
    pic = etree.SubElement(anchor, f"{{{DRAWING}}}pic")
    nv = etree.SubElement(pic, f"{{{DRAWING}}}nvPicPr")
    etree.SubElement(nv, f"{{{DRAWING}}}cNvPr", id="5", name="Billede 1")
    etree.SubElement(nv, f"{{{DRAWING}}}cNvPicPr")
    fill = etree.SubElement(pic, f"{{{DRAWING}}}blipFill")
    etree.SubElement(fill, f"{{{A}}}blip").set(f"{{{REL}}}embed", "rIdPic1")
    etree.SubElement(etree.SubElement(fill, f"{{{A}}}stretch"), f"{{{A}}}fillRect")
    shape = etree.SubElement(pic, f"{{{DRAWING}}}spPr")
    etree.SubElement(etree.SubElement(shape, f"{{{A}}}prstGeom", prst="rect"), f"{{{A}}}avLst")
    etree.SubElement(anchor, f"{{{DRAWING}}}clientData")

    types = _xml(members["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CT}}}Default", Extension="png", ContentType="image/png")
    etree.SubElement(types, f"{{{CT}}}Default", Extension="bin", ContentType="application/vnd.ms-office.vbaProject")
    for override in types.findall(f"{{{CT}}}Override"):
        if override.get("PartName") == "/xl/workbook.xml":
            override.set("ContentType", XLSM_TYPE)
    workbook_rels = _xml(members["xl/_rels/workbook.xml.rels"])
    etree.SubElement(
        workbook_rels, f"{{{PKG_REL}}}Relationship", Id="rIdVba1", Type=VBA_REL, Target="/xl/vbaProject.bin"
    )
    module = VbaModule("Guide", 'Attribute VB_Name = "Guide"\nSub Hej()\n    MsgBox "Hej"\nEnd Sub\n')
    import uuid

    vba = build_vba_project([module], uuid.UUID(int=13))
    return _zip_replace(
        data,
        {
            drawing_name: etree.tostring(drawing, xml_declaration=True, encoding="UTF-8", standalone=True),
            rels_name: etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True),
            "[Content_Types].xml": etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True),
            "xl/_rels/workbook.xml.rels": etree.tostring(workbook_rels, xml_declaration=True, encoding="UTF-8"),
            "xl/media/image1.png": _png(),
            "xl/vbaProject.bin": vba,
        },
    )


@pytest.fixture(scope="module")
def fixture_bytes() -> bytes:
    return _add_picture_and_macros(workbook_bytes(_guide_workbook()))


@pytest.fixture
def fixture_path(tmp_path: Path, fixture_bytes: bytes) -> Path:
    path = tmp_path / "vejleder.xlsm"
    path.write_bytes(fixture_bytes)
    return path


# --------------------------------------------------------------------------------------------------
# Package rules (Excel's repair triggers that can be checked here)
# --------------------------------------------------------------------------------------------------


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _rels_of(members: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """id -> (type, resolved target) of ``part``'s internal relationships."""
    name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if name not in members:
        return {}
    root = SafeTree.fromstring(members[name])
    return {
        rel.get("Id"): (rel.get("Type"), _resolve(part, rel.get("Target")))
        for rel in root.findall(f"{{{PKG_REL}}}Relationship")
        if rel.get("TargetMode") != "External"
    }


def _sheet_parts(members: dict[str, bytes]) -> list[tuple[str, str]]:
    workbook = SafeTree.fromstring(members["xl/workbook.xml"])
    rels = _rels_of(members, "xl/workbook.xml")
    return [(s.get("name"), rels[s.get(f"{{{REL}}}id")][1]) for s in workbook.iter(f"{{{MAIN}}}sheet")]


def _range(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.replace("$", "").partition(":")
    top, left = schema.parse_cell(first)
    bottom, right = schema.parse_cell(last or first)
    return top, left, bottom, right


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{MAIN}}}t"))


def package_rule_violations(data: bytes) -> list[str]:
    """Every broken rule of the module docstring's list, as readable lines (empty when the package is sound)."""
    members = _members(data)
    problems: list[str] = []
    # 1. content types
    types = SafeTree.fromstring(members["[Content_Types].xml"])
    overrides = {o.get("PartName").lstrip("/").lower() for o in types.findall(f"{{{CT}}}Override")}
    defaults = {d.get("Extension").lower() for d in types.findall(f"{{{CT}}}Default")}
    lower_names = {name.lower() for name in members}
    for name in members:
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        extension = posixpath.basename(name).rpartition(".")[2].lower()
        if name.lower() not in overrides and extension not in defaults:
            problems.append(f"1: {name} has no content type")
    problems += [f"1: override for missing part {o}" for o in sorted(overrides - lower_names)]
    # 2. relationships
    for name in members:
        if not name.endswith(".rels"):
            continue
        root = SafeTree.fromstring(members[name])
        ids = [rel.get("Id") for rel in root.findall(f"{{{PKG_REL}}}Relationship")]
        if len(ids) != len(set(ids)):
            problems.append(f"2: duplicate relationship ids in {name}")
        source = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[: -len(".rels")])
        for _, (_, target) in _rels_of(members, source if name != "_rels/.rels" else "").items():
            if target not in members:
                problems.append(f"2: {name} points at missing {target}")
    # 3. workbook
    workbook = SafeTree.fromstring(members["xl/workbook.xml"])
    sheets = list(workbook.iter(f"{{{MAIN}}}sheet"))
    for attribute, label in (("name", "names"), ("sheetId", "ids"), (f"{{{REL}}}id", "r:ids")):
        values = [s.get(attribute).casefold() for s in sheets]
        if len(values) != len(set(values)):
            problems.append(f"3: sheet {label} not unique: {values}")
    for defined in workbook.iter(f"{{{MAIN}}}definedName"):
        local = defined.get("localSheetId")
        if local is not None and not 0 <= int(local) < len(sheets):
            problems.append(f"3: defined name {defined.get('name')} on missing sheet {local}")
    # 4. tables (5. and 6. gather per sheet on the way)
    strings: list[str] = []
    if "xl/sharedStrings.xml" in members:
        sst = SafeTree.fromstring(members["xl/sharedStrings.xml"])
        items = sst.findall(f"{{{MAIN}}}si")
        strings = [_text(si) for si in items]
        if int(sst.get("uniqueCount", len(items))) != len(items):
            problems.append(f"5: uniqueCount {sst.get('uniqueCount')} but {len(items)} entries")
    styles = SafeTree.fromstring(members["xl/styles.xml"])
    for container in styles:
        if container.get("count") is not None and int(container.get("count")) != len(container):
            problems.append(
                f"6: styles <{container.tag.split('}')[1]}> count {container.get('count')} != {len(container)}"
            )
    cell_formats = len(styles.find(f"{{{MAIN}}}cellXfs"))
    string_refs = 0
    table_ids: list[str] = []
    table_names: list[str] = []
    vml_ids: list[str] = []
    for sheet_name, part in _sheet_parts(members):
        root = SafeTree.fromstring(members[part])
        values: dict[str, str] = {}
        for cell in root.iter(f"{{{MAIN}}}c"):
            if int(cell.get("s", "0")) >= cell_formats:
                problems.append(f"6: {sheet_name}!{cell.get('r')} style {cell.get('s')} out of range")
            value = cell.find(f"{{{MAIN}}}v")
            if cell.get("t") == "s" and value is not None:
                string_refs += 1
                index = int(value.text)
                if not 0 <= index < len(strings):
                    problems.append(f"5: {sheet_name}!{cell.get('r')} refers to missing string {index}")
                else:
                    values[cell.get("r")] = strings[index]
            elif cell.get("t") == "inlineStr":
                values[cell.get("r")] = _text(cell)
            elif value is not None:
                values[cell.get("r")] = value.text or ""
        rels = _rels_of(members, part)
        for _, (kind, target) in rels.items():
            if kind == f"{REL}/table":
                table = SafeTree.fromstring(members[target])
                table_ids.append(table.get("id"))
                table_names.append(table.get("displayName", "").casefold())
                top, left, bottom, right = _range(table.get("ref"))
                columns = [c.get("name") for c in table.iter(f"{{{MAIN}}}tableColumn")]
                if len(columns) != right - left + 1:
                    problems.append(f"4: table {table.get('name')} has {len(columns)} columns for {table.get('ref')}")
                headers = [values.get(schema.cell_address(top, col), "") for col in range(left, right + 1)]
                if headers != columns:
                    problems.append(f"4: table {table.get('name')} header row {headers} != columns {columns}")
                auto_filter = table.find(f"{{{MAIN}}}autoFilter")
                if auto_filter is not None:
                    f_top, f_left, f_bottom, f_right = _range(auto_filter.get("ref"))
                    if not (top <= f_top and left <= f_left and f_bottom <= bottom and f_right <= right):
                        problems.append(f"4: table {table.get('name')} filter outside the table")
        # 7. notes
        comment_parts = [target for kind, target in rels.values() if kind == f"{REL}/comments"]
        legacy = root.find(f"{{{MAIN}}}legacyDrawing")
        shapes: set[tuple[int, int]] = set()
        if legacy is not None:
            vml = _xml(members[rels[legacy.get(f"{{{REL}}}id")][1]])
            for shape in vml.iter(f"{{{VML}}}shape"):
                vml_ids.append(shape.get("id"))
                data = shape.find(f"{{{EXCEL_VML}}}ClientData")
                if data is not None and data.get("ObjectType") == "Note":
                    row = int(data.find(f"{{{EXCEL_VML}}}Row").text)
                    col = int(data.find(f"{{{EXCEL_VML}}}Column").text)
                    shapes.add((row + 1, col + 1))
        for target in comment_parts:
            for comment in SafeTree.fromstring(members[target]).iter(f"{{{MAIN}}}comment"):
                if schema.parse_cell(comment.get("ref")) not in shapes:
                    problems.append(f"7: note {sheet_name}!{comment.get('ref')} has no VML shape")
    if strings and "xl/sharedStrings.xml" in members:
        count = int(SafeTree.fromstring(members["xl/sharedStrings.xml"]).get("count", string_refs))
        if count != string_refs:
            problems.append(f"5: shared-string count {count} but {string_refs} references")
    if len(table_ids) != len(set(table_ids)) or len(table_names) != len(set(table_names)):
        problems.append(f"4: table ids {table_ids} or names {table_names} not unique")
    if len(vml_ids) != len(set(vml_ids)):
        problems.append(f"7: VML shape ids not unique: {vml_ids}")
    return problems


def test_the_rules_checker_catches_broken_packages(fixture_bytes: bytes) -> None:
    """The checker is not a test that cannot fail: break each kind of rule and see it reported."""
    assert package_rule_violations(fixture_bytes) == []
    members = _members(fixture_bytes)
    table_name = next(n for n in members if n.startswith("xl/tables/"))
    broken_table = members[table_name].replace(USER_COLUMN_HEADER.encode(), b"Andet navn")
    types = members["[Content_Types].xml"].replace(b'Extension="png"', b'Extension="gif"')
    found = package_rule_violations(
        _zip_replace(fixture_bytes, {table_name: broken_table, "[Content_Types].xml": types})
    )
    assert any(line.startswith("4:") for line in found)
    assert any(line.startswith("1:") and "image1.png" in line for line in found)


# --------------------------------------------------------------------------------------------------
# Comparing the workbook before and after
# --------------------------------------------------------------------------------------------------


OWNED_COMMON = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}


def _owned_parts(members: dict[str, bytes], sheets: set[str]) -> set[str]:
    """The parts a write may change: the written sheets with their notes, drawings for notes and tables, and the
    workbook-wide lists (content types, workbook, styles, shared strings)."""
    owned = set(OWNED_COMMON) | {"xl/sharedStrings.xml", "xl/calcChain.xml"}
    for name, part in _sheet_parts(members):
        if name in sheets:
            owned.add(part)
            owned.add(posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels"))
            for kind, target in _rels_of(members, part).values():
                if kind in (f"{REL}/comments", f"{REL}/vmlDrawing", f"{REL}/table"):
                    owned.add(target)
    return owned


_STYLES: dict[tuple[int, tuple[int, ...]], tuple[Any, ...]] = {}


def _style(cell: Any) -> tuple[Any, ...]:
    """The cell's look (resolved once per workbook and style-index array: comparing ~25,000 cells stays fast)."""
    key = (id(cell.parent.parent), tuple(cell._style or ()))
    if key not in _STYLES:
        _STYLES[key] = _resolve_style(cell)
    return _STYLES[key]


def _resolve_style(cell: Any) -> tuple[Any, ...]:
    return (
        cell.number_format,
        copy(cell.font),
        copy(cell.fill),
        copy(cell.border),
        copy(cell.alignment),
        copy(cell.protection),
    )


def _cells(sheet: Any) -> Iterator[str]:
    for row in sheet.iter_rows():
        for cell in row:
            yield cell.coordinate


@dataclass
class Written:
    """What a write may change: cells (value and style), marks (fill and note)."""

    cells: set[tuple[str, str]]
    marks: set[tuple[str, str]]


def _written(writes: SheetWrites, before: Workbook) -> Written:
    cells = {(w.sheet, w.cell) for w in writes.values}
    for table in writes.tables:
        if table.sheet not in before.sheetnames:
            continue
        last = max(before[table.sheet].max_row, table.first_row + len(table.rows) - 1)
        for row in range(table.first_row, last + 1):
            cells |= {(table.sheet, schema.cell_address(row, col)) for col in range(1, table.columns + 1)}
    marks = {(m.sheet, m.cell) for m in writes.marks}
    for sheet in before.worksheets:  # earlier marks are cleared
        for address in _cells(sheet):
            comment = sheet[address].comment
            if comment is not None and comment.author == MARK_AUTHOR:
                marks.add((sheet.title, address))
    return Written(cells, marks)


def assert_only_owned_changed(before_bytes: bytes, after_bytes: bytes, written: Written, sheets: set[str]) -> None:
    before_members, after_members = _members(before_bytes), _members(after_bytes)
    owned = _owned_parts(before_members, sheets)
    for name, content in before_members.items():
        if name not in owned:
            assert after_members.get(name) == content, f"{name} changed"
    before = load_workbook(io.BytesIO(before_bytes))
    after = load_workbook(io.BytesIO(after_bytes))
    _STYLES.clear()  # keyed by id(): only for workbooks alive now
    compared = 0
    for sheet in before.worksheets:
        new = after[sheet.title]
        for address in set(_cells(sheet)) | set(_cells(new)):
            key = (sheet.title, address)
            if key in written.cells:
                continue
            old_cell, new_cell = sheet[address], new[address]
            assert new_cell.value == old_cell.value, key
            if key in written.marks:
                continue
            assert _style(new_cell) == _style(old_cell), key
            assert (new_cell.comment and new_cell.comment.text) == (old_cell.comment and old_cell.comment.text), key
            compared += 1
    assert compared > 1000


def _refresh_writes(path: Path) -> SheetWrites:
    check = actions.check_workbook(path, today=TODAY)
    return workbook_writes(check.data, check.plans, check.problems, check.settings, TODAY)


def _case_sheets(data: bytes) -> set[str]:
    return {name for name, _ in _sheet_parts(_members(data)) if name.startswith("U-")}


# --------------------------------------------------------------------------------------------------
# The acceptance tests
# --------------------------------------------------------------------------------------------------


def test_refresh_changes_only_what_it_owns(fixture_path: Path, fixture_bytes: bytes, tmp_path: Path) -> None:
    writes = _refresh_writes(fixture_path)
    assert writes.marks, "the fixture plants a problem, so refresh marks a cell"
    output = tmp_path / "ud.xlsm"
    actions.refresh_workbook(fixture_path, output, today=TODAY)
    after = output.read_bytes()
    assert fixture_path.read_bytes() == fixture_bytes  # the input is never written
    sheets = _case_sheets(fixture_bytes) | {schema.SHEET_OVERVIEW, schema.SHEET_PROBLEMS}
    assert_only_owned_changed(fixture_bytes, after, _written(writes, load_workbook(fixture_path)), sheets)
    assert package_rule_violations(after) == []
    refreshed = load_workbook(io.BytesIO(after))
    case = refreshed[USER_SHEET]
    assert case[USER_NOTE_CELL].comment.text == "Ring til skolen først"
    birth = case[schema.CASE_FIELDS_BY_KEY["birth_date"].cell]
    assert birth.comment is not None and birth.comment.author == MARK_AUTHOR
    assert birth.fill.start_color.rgb[-6:] == schema.MARK_COLOURS["fejl"]
    assert refreshed[schema.SHEET_PROBLEMS].max_row >= 2
    assert USER_NAME in refreshed.defined_names


def test_refresh_twice_is_stable(fixture_path: Path, tmp_path: Path) -> None:
    """A second refresh replaces the marks instead of piling them up, and adds no styles or strings."""
    once, twice = tmp_path / "1.xlsm", tmp_path / "2.xlsm"
    actions.refresh_workbook(fixture_path, once, today=TODAY)
    actions.refresh_workbook(once, twice, today=TODAY)
    first, second = _members(once.read_bytes()), _members(twice.read_bytes())
    assert first["xl/styles.xml"] == second["xl/styles.xml"]
    for name in first:
        if "comments" in name or name.endswith(".vml"):
            assert first[name] == second[name], name
    assert package_rule_violations(twice.read_bytes()) == []


def test_new_case_adds_a_sheet_part_and_changes_nothing_else(
    fixture_path: Path, fixture_bytes: bytes, tmp_path: Path
) -> None:
    output = tmp_path / "ny.xlsm"
    result = actions.new_case(fixture_path, output, today=TODAY)
    after = output.read_bytes()
    new_sheet = str(result.detail["sheet"])
    assert package_rule_violations(after) == []
    staged = PackageEditor(fixture_bytes)
    staged.add_case_sheet(new_sheet)
    writes = _refresh_writes(output)
    written = _written(writes, load_workbook(fixture_path))
    sheets = _case_sheets(fixture_bytes) | {schema.SHEET_OVERVIEW, schema.SHEET_PROBLEMS}
    assert_only_owned_changed(fixture_bytes, after, written, sheets)
    workbook = load_workbook(io.BytesIO(after))
    names = workbook.sheetnames
    assert names.index(new_sheet) == names.index("U-0003") + 1
    added = workbook[new_sheet]
    template = workbook[schema.SHEET_CASE_TEMPLATE]
    id_cell = schema.CASE_FIELDS_BY_KEY["case_id"].cell
    assert added[id_cell].value == result.detail["case_id"]
    for address in _cells(template):  # the copy looks exactly like the template sheet
        if address != id_cell and (new_sheet, address) not in written.cells | written.marks:
            assert added[address].value == template[address].value, address
            assert _style(added[address]) == _style(template[address]), address
    assert len(added.data_validations.dataValidation) == len(template.data_validations.dataValidation)
    assert added.print_title_rows == template.print_title_rows
    assert [c.case_id for c in actions.check_workbook(output, today=TODAY).data.cases][-1] == result.detail["case_id"]


def test_register_meeting_grows_the_table_with_the_users_column(
    fixture_path: Path, fixture_bytes: bytes, tmp_path: Path
) -> None:
    output = tmp_path / "møde.xlsm"
    result = actions.register_meeting(fixture_path, output, case_id="U-0002", today=TODAY)
    after = output.read_bytes()
    assert package_rule_violations(after) == []
    row = int(str(result.detail["row"]))
    columns = {schema.checklist_cell(row, key) for key in ("case_id", "date", "kind")}
    written = Written({(schema.SHEET_CHECKLIST, address) for address in columns}, set())
    assert_only_owned_changed(fixture_bytes, after, written, {schema.SHEET_CHECKLIST})
    changed = {n for n, c in _members(after).items() if _members(fixture_bytes).get(n) != c}
    checklist_part = dict(_sheet_parts(_members(after)))[schema.SHEET_CHECKLIST]
    assert changed <= {checklist_part, "xl/tables/table1.xml"}
    workbook = load_workbook(io.BytesIO(after))
    table = workbook[schema.SHEET_CHECKLIST].tables[schema.CHECKLIST_TABLE_NAME]
    assert table.ref.endswith(schema.cell_address(max(row, 2), schema.CHECKLIST_LAST_COLUMN + 1))
    assert table.tableColumns[-1].name == USER_COLUMN_HEADER
    assert workbook[schema.SHEET_CHECKLIST][schema.checklist_cell(row, "date")].value == datetime(2026, 3, 16)


def test_macro_workbook_stays_a_macro_workbook(fixture_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "ud.xlsm"
    actions.refresh_workbook(fixture_path, output, today=TODAY)
    members = _members(output.read_bytes())
    assert members["xl/vbaProject.bin"] == _members(fixture_path.read_bytes())["xl/vbaProject.bin"]
    assert XLSM_TYPE.encode() in members["[Content_Types].xml"]
    with pytest.raises(ActionError, match=r"\.xlsm"):
        actions.refresh_workbook(fixture_path, tmp_path / "ud.xlsx", today=TODAY)


def _values_openpyxl(data: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(data), data_only=True)
    out = {}
    for sheet in workbook.worksheets:
        out[sheet.title] = [[_normal(c.value) for c in row] for row in sheet.iter_rows()]
    return out


def _normal(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    trimmed = [list(row) for row in rows]
    for row in trimmed:
        while row and row[-1] == "":
            row.pop()
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def test_openpyxl_and_calamine_read_the_same_values(fixture_path: Path, tmp_path: Path) -> None:
    output = tmp_path / "ud.xlsm"
    actions.refresh_workbook(fixture_path, output, today=TODAY)
    data = output.read_bytes()
    expected = _values_openpyxl(data)
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in calamine.sheet_names:
        rows = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
        got = [[_normal(v) for v in row] for row in rows]
        assert _trim(got) == _trim(expected[name]), name


def test_encrypted_workbook_is_written_encrypted_with_the_same_password(fixture_bytes: bytes, tmp_path: Path) -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(fixture_bytes)).encrypt(PASSWORD, encrypted)
    source = tmp_path / "hemmelig.xlsm"
    source.write_bytes(encrypted.getvalue())
    output = tmp_path / "ud.xlsm"
    actions.refresh_workbook(source, output, today=TODAY, password=PASSWORD)
    actions.new_case(output, in_place=True, today=TODAY, password=PASSWORD, now=datetime(2026, 3, 16, 9))
    data = output.read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # an encrypted package (OLE), never a plain zip
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=PASSWORD)
    plain = io.BytesIO()
    office.decrypt(plain)
    assert package_rule_violations(plain.getvalue()) == []
    assert "U-0004" in load_workbook(plain).sheetnames
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == sorted([source.name, output.name, *(p.name for p in tmp_path.glob("ud.backup-*"))])


def _libreoffice_saved(soffice: str, source: Path, tmp_path: Path) -> Path:
    """``source`` opened and saved again as .xlsx by LibreOffice headless (a private profile under ``tmp_path``)."""
    converted = tmp_path / "lo"
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(converted),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr
    saved = converted / f"{source.stem}.xlsx"
    assert saved.exists(), completed.stdout + completed.stderr
    return saved


@pytest.mark.libreoffice
def test_libreoffice_opens_and_saves_the_output(fixture_path: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    output = tmp_path / "ud.xlsm"
    actions.refresh_workbook(fixture_path, output, today=TODAY)
    actions.new_case(output, in_place=True, today=TODAY, now=datetime(2026, 3, 16, 9))
    actions.register_meeting(output, in_place=True, case_id="U-0004", today=TODAY, now=datetime(2026, 3, 16, 10))
    saved = _libreoffice_saved(soffice, output, tmp_path)
    again = load_workbook(saved)
    assert {"U-0004", schema.SHEET_PROBLEMS} <= set(again.sheetnames)
    # A package another program wrote (LibreOffice: shared strings, its own style lists) is patched without new
    # faults. (LibreOffice itself gives every note shape the id "shape_0", which Excel accepts.)
    known = package_rule_violations(saved.read_bytes())
    assert all(line.startswith("7: VML shape ids") for line in known), known
    patched_again = tmp_path / "igen.xlsx"
    actions.refresh_workbook(saved, patched_again, today=TODAY)
    actions.register_meeting(patched_again, in_place=True, case_id="U-0002", today=TODAY, now=datetime(2026, 3, 17))
    assert [line for line in package_rule_violations(patched_again.read_bytes()) if not line.startswith("7: VML")] == []
    ours = load_workbook(output)
    for name in (USER_SHEET, schema.SHEET_OVERVIEW, schema.SHEET_CHECKLIST):
        assert [[_normal(c.value) for c in row] for row in ours[name].iter_rows(max_col=8)][:40] == [
            [_normal(c.value) for c in row] for row in again[name].iter_rows(max_col=8)
        ][:40], name


def _with_shared_strings(data: bytes) -> bytes:
    """``data`` with its inline strings moved into a shared-strings part, as Excel and LibreOffice save text."""
    members = _members(data)
    strings: dict[str, int] = {}
    references = 0
    changes: dict[str, bytes] = {}
    for _, part in _sheet_parts(members):
        root = _xml(members[part])
        for cell in root.iter(f"{{{MAIN}}}c"):
            if cell.get("t") != "inlineStr":
                continue
            text = _text(cell)
            for child in list(cell):
                cell.remove(child)
            cell.set("t", "s")
            etree.SubElement(cell, f"{{{MAIN}}}v").text = str(strings.setdefault(text, len(strings)))
            references += 1
        changes[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    sst = etree.Element(f"{{{MAIN}}}sst", nsmap={None: MAIN}, count=str(references), uniqueCount=str(len(strings)))
    for text in strings:
        etree.SubElement(etree.SubElement(sst, f"{{{MAIN}}}si"), f"{{{MAIN}}}t").text = text
    changes["xl/sharedStrings.xml"] = etree.tostring(sst, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = _xml(members["xl/_rels/workbook.xml.rels"])
    etree.SubElement(
        rels, f"{{{PKG_REL}}}Relationship", Id="rIdSst1", Type=f"{REL}/sharedStrings", Target="sharedStrings.xml"
    )
    changes["xl/_rels/workbook.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
    types = _xml(members["[Content_Types].xml"])
    etree.SubElement(
        types,
        f"{{{CT}}}Override",
        PartName="/xl/sharedStrings.xml",
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    )
    changes["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
    return _zip_replace(data, changes)


def test_shared_strings_are_appended_to_and_counted(fixture_bytes: bytes, tmp_path: Path) -> None:
    """Workbooks Excel saved keep their text in shared strings: existing entries keep their numbers, new text is
    appended, and count/uniqueCount stay right through refresh, new-case and register-meeting."""
    source = tmp_path / "excel.xlsm"
    source.write_bytes(_with_shared_strings(fixture_bytes))
    assert package_rule_violations(source.read_bytes()) == []
    output = tmp_path / "ud.xlsm"
    writes = _refresh_writes(source)
    actions.refresh_workbook(source, output, today=TODAY)
    after = output.read_bytes()
    assert package_rule_violations(after) == []
    sheets = _case_sheets(fixture_bytes) | {schema.SHEET_OVERVIEW, schema.SHEET_PROBLEMS}
    assert_only_owned_changed(source.read_bytes(), after, _written(writes, load_workbook(source)), sheets)
    old_items = SafeTree.fromstring(_members(source.read_bytes())["xl/sharedStrings.xml"]).findall(f"{{{MAIN}}}si")
    new_items = SafeTree.fromstring(_members(after)["xl/sharedStrings.xml"]).findall(f"{{{MAIN}}}si")
    assert [_text(si) for si in new_items[: len(old_items)]] == [_text(si) for si in old_items]
    actions.new_case(output, in_place=True, today=TODAY, now=datetime(2026, 3, 16, 9))
    actions.register_meeting(output, in_place=True, case_id="U-0004", today=TODAY, now=datetime(2026, 3, 16, 10))
    assert package_rule_violations(output.read_bytes()) == []
    assert b't="inlineStr"' not in b"".join(
        content for name, content in _members(output.read_bytes()).items() if name.startswith("xl/worksheets/")
    )


def test_a_table_grown_past_the_template_rows_keeps_its_dropdowns(fixture_bytes: bytes) -> None:
    editor = PackageEditor(fixture_bytes)
    last_template_row = schema.CHECKLIST_FIRST_ROW + schema.CHECKLIST_TEMPLATE_ROWS - 1
    editor.write(schema.SHEET_CHECKLIST, schema.checklist_cell(last_template_row, "case_id"), "U-0001")
    row = editor.append_checklist_row({"case_id": "U-0002", "date": TODAY})
    assert row == last_template_row + 1
    data = editor.to_bytes()
    assert package_rule_violations(data) == []
    sheet = load_workbook(io.BytesIO(data))[schema.SHEET_CHECKLIST]
    kind_cell = schema.checklist_cell(row, "kind")
    assert any(kind_cell in validation.sqref for validation in sheet.data_validations.dataValidation)
    assert sheet.tables[schema.CHECKLIST_TABLE_NAME].ref.split(":")[1].endswith(str(row))


@pytest.mark.parametrize(
    ("what", "part", "old", "new"),
    [
        ("a style index that is not a number", "xl/worksheets/sheet8.xml", b'<c r="E6" s="', b'<c r="E6" s="x'),
        ("styles without cell formats", "xl/styles.xml", b"cellXfs", b"cellXfsGone"),
        ("a table part that is not XML", "xl/tables/table1.xml", b"<table ", b"<table <"),
    ],
)
def test_a_package_the_writer_cannot_follow_is_refused_with_a_clear_message(
    fixture_bytes: bytes, tmp_path: Path, what: str, part: str, old: bytes, new: bytes
) -> None:
    members = _members(fixture_bytes)
    source = tmp_path / "odd.xlsm"
    source.write_bytes(_zip_replace(fixture_bytes, {part: members[part].replace(old, new, 1)}))
    output = tmp_path / "ud.xlsm"
    with pytest.raises(WorkbookError) as raised:
        if part.startswith("xl/tables/"):
            actions.register_meeting(source, output, case_id="U-0001", today=TODAY)
        else:
            actions.refresh_workbook(source, output, today=TODAY)
    assert str(source) in str(raised.value) and "Åbn den i Excel" in str(raised.value), what
    assert not output.exists()


# --------------------------------------------------------------------------------------------------
# New case sheets keep the template sheet's life-area chart (issue 14 point 8)
# --------------------------------------------------------------------------------------------------

CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _sheet_charts(members: dict[str, bytes], sheet: str) -> list[tuple[str, list[str]]]:
    """(chart part, its series formulas) of every chart in ``sheet``'s drawing, followed through the package."""
    part = dict(_sheet_parts(members))[sheet]
    charts = []
    for kind, drawing in _rels_of(members, part).values():
        if kind != f"{REL}/drawing":
            continue
        for chart_kind, chart in _rels_of(members, drawing).values():
            if chart_kind == f"{REL}/chart":
                formulas = [f.text for f in SafeTree.fromstring(members[chart]).iter(f"{{{CHART}}}f")]
                charts.append((chart, formulas))
    return charts


def test_new_case_sheets_get_their_own_life_area_chart(fixture_path: Path, tmp_path: Path) -> None:
    """Three new cases in a row: each sheet has its own drawing and chart part, reading its own cells."""
    output = tmp_path / "ny.xlsm"
    shutil.copy(fixture_path, output)
    added = [
        str(actions.new_case(output, in_place=True, today=TODAY, now=datetime(2026, 3, 16, 9, n)).detail["sheet"])
        for n in range(3)
    ]
    data = output.read_bytes()
    assert package_rule_violations(data) == []
    members = _members(data)
    template_charts = _sheet_charts(members, schema.SHEET_CASE_TEMPLATE)
    assert len(template_charts) == 2  # first vs latest (radar) and the scores over time (line)
    for _, template_formulas in template_charts:
        assert template_formulas and all(f.startswith(f"'{schema.SHEET_CASE_TEMPLATE}'!") for f in template_formulas)
    seen_parts = {part for part, _ in template_charts}
    workbook = load_workbook(io.BytesIO(data))
    for sheet in added:
        charts = _sheet_charts(members, sheet)
        assert len(charts) == 2
        prefix = f"'{sheet}'!"  # U-0004 has a dash, so Excel quotes it
        for (chart_part, formulas), (_, template_formulas) in zip(charts, template_charts, strict=True):
            assert chart_part not in seen_parts
            seen_parts.add(chart_part)
            assert formulas == [prefix + f.split("!", 1)[1] for f in template_formulas]
        read_back = workbook[sheet]._charts  # openpyxl reads the charts back from the copy
        assert len(read_back) == 2 and all(chart.series[0].val.numRef.f.startswith(prefix) for chart in read_back)
    linked = [target for _, part in _sheet_parts(members) for _, target in _rels_of(members, part).values()]
    assert len(linked) == len(set(linked)), "no two sheets share a drawing (or any other part)"
    # The fixture's picture sits in the template sheet's drawing: the copies share the image part, as Excel does.
    new_part = dict(_sheet_parts(members))[added[0]]
    new_drawing = next(t for k, t in _rels_of(members, new_part).values() if k == f"{REL}/drawing")
    assert "xl/media/image1.png" in {target for _, target in _rels_of(members, new_drawing).values()}
    assert not any(name.startswith("xl/media/") and name != "xl/media/image1.png" for name in members)


def test_a_copied_chart_quotes_the_sheet_name_only_where_excel_must(fixture_bytes: bytes) -> None:
    editor = PackageEditor(fixture_bytes)
    for name in ("Sagen", "Ny sag", "Sag7"):  # Sag7 reads as a cell address (column SAG, row 7)
        editor.add_case_sheet(name)
    data = editor.to_bytes()
    assert package_rule_violations(data) == []
    members = _members(data)
    for name, prefix in (("Sagen", "Sagen!"), ("Ny sag", "'Ny sag'!"), ("Sag7", "'Sag7'!")):
        charts = _sheet_charts(members, name)
        assert len(charts) == 2
        for _, formulas in charts:
            assert formulas and all(f.startswith(prefix) for f in formulas), (name, formulas)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("'Sagsskabelon'!$B$74:$B$83", "'U-0004'!$B$74:$B$83"),
        ("Sagsskabelon!B73", "'U-0004'!B73"),
        ("sagsskabelon!B73", "'U-0004'!B73"),  # Excel compares sheet names case-insensitively
        ("(Sagsskabelon!$A$1,'Andet ark'!$B$2)", "('U-0004'!$A$1,'Andet ark'!$B$2)"),
        ("XSagsskabelon!A1", "XSagsskabelon!A1"),  # another sheet whose name ends the same
        ('"Sagsskabelon!"&A1', '"Sagsskabelon!"&A1'),  # a string literal
        ("'Sag''s'!A1", "'Sag''s'!A1"),
    ],
)
def test_chart_formulas_are_retargeted_reference_by_reference(formula: str, expected: str) -> None:
    assert _retarget_formula(formula, schema.SHEET_CASE_TEMPLATE, "U-0004") == expected


def test_a_quoted_source_name_with_an_apostrophe_is_retargeted() -> None:
    assert _retarget_formula("'Sag''s'!A1:B2", "Sag's", "Ny's") == "'Ny''s'!A1:B2"
    assert _retarget_formula("'Sag''s'!A1", "Sag's", "R1C1") == "'R1C1'!A1"  # reads as a cell address: quoted
    assert _retarget_formula("'Sag''s'!A1", "Sag's", "Sag") == "Sag!A1"


def _scored_meetings(path: Path, case_id: str) -> None:
    """Two meetings with life-area scores for ``case_id`` (first 3-6, latest 6-9), written into Mødetjekliste."""
    editor = PackageEditor(path.read_bytes())
    codes = [code for code, _ in schema.LIFE_AREA.values]
    for day, base, kind in ((date(2026, 1, 5), 3, "start"), (date(2026, 3, 2), 6, "follow_up")):
        row: dict[str, Any] = {
            "case_id": case_id,
            "date": day,
            "kind": dict(schema.MEETING_KIND.values)[kind],
            "young_person_present": schema.YES,
        }
        row.update({schema.SCORE_PREFIX + code: base + i % 4 for i, code in enumerate(codes)})
        editor.append_checklist_row(row)
    path.write_bytes(editor.to_bytes())


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_new_sheets_chart_on_its_own_cells(fixture_path: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    output = tmp_path / "ud.xlsm"
    result = actions.new_case(fixture_path, output, today=TODAY)
    sheet, case_id = str(result.detail["sheet"]), str(result.detail["case_id"])
    _scored_meetings(output, case_id)
    actions.refresh_workbook(output, in_place=True, today=TODAY, now=datetime(2026, 3, 16, 9))
    block = schema.CASE_BLOCKS_BY_KEY["life_areas"]
    scored = load_workbook(output)[sheet]
    first = scored.cell(block.first_row, block.column_of("first_score")).value
    latest = scored.cell(block.first_row, block.column_of("latest_score")).value
    assert (first, latest) == (3, 6), "refresh fills the block the chart reads"
    history = schema.CASE_BLOCKS_BY_KEY["score_history"]
    dates = [scored.cell(history.first_row + i, history.column_of("date")).value for i in range(3)]
    assert [d.date() if isinstance(d, datetime) else d for d in dates] == [date(2026, 1, 5), date(2026, 3, 2), None]
    saved = _libreoffice_saved(soffice, output, tmp_path)
    charts = _sheet_charts(_members(saved.read_bytes()), sheet)
    assert len(charts) == 2
    for _, formulas in charts:
        assert formulas and all(f.startswith(f"'{sheet}'!") or f.startswith(f"{sheet}!") for f in formulas), formulas
