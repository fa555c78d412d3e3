"""Lossless writes: change a workbook by patching its package instead of re-creating it.

openpyxl's load-and-save round trip drops what it does not model (pictures, charts, a .xlsm's VBA project, threaded
comments, extensions) and renumbers styles. :class:`PackageEditor` instead edits only the XML parts the tools own:

- every zip part it does not touch is copied byte for byte (same name, same order, same zip entry metadata);
- in a sheet it touches, only the written cells (and the rows that hold them), the marks' comments and the
  Mødetjekliste table range change; every other element of the part is kept as lxml parsed it;
- shared strings and styles are only appended to (an existing equal style or string is reused), so no untouched
  cell changes its look;
- new case sheets are copies of the template sheet's part, added with their relationship, content type,
  ``workbook.xml`` entry and local defined names (print titles), and their own copy of its drawing and charts
  (the life-area chart), whose formulas read the new sheet;
- a .xlsm stays a .xlsm (its content types and ``vbaProject.bin`` are untouched parts), and an encrypted workbook is
  re-encrypted in memory with the same password.

Parsing is hardened against hostile packages: no DTDs, no entity expansion, no network.
"""

from __future__ import annotations

import functools
import io
import math
import os
import posixpath
import re
import zipfile
from bisect import bisect_left, insort
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from lxml import etree

from samarbejde_xl import schema
from samarbejde_xl.core.errors import WorkbookError
from samarbejde_xl.core.raw import CellValue
from samarbejde_xl.core.sheet_writes import MARK_AUTHOR, CellMark, SheetWrites, TableWrite
from samarbejde_xl.core.wording import os_reason, package_reason
from samarbejde_xl.fileio import OLE_MAGIC, atomic_output
from samarbejde_xl.workbook.reader import decrypted_package

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
VML_NS = "urn:schemas-microsoft-com:vml"
OFFICE_NS = "urn:schemas-microsoft-com:office:office"
EXCEL_NS = "urn:schemas-microsoft-com:office:excel"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

REL_WORKSHEET = f"{REL_NS}/worksheet"
REL_SHARED_STRINGS = f"{REL_NS}/sharedStrings"
REL_STYLES = f"{REL_NS}/styles"
REL_COMMENTS = f"{REL_NS}/comments"
REL_VML = f"{REL_NS}/vmlDrawing"
REL_TABLE = f"{REL_NS}/table"
REL_CALC_CHAIN = f"{REL_NS}/calcChain"
REL_OFFICE_DOCUMENT = f"{REL_NS}/officeDocument"
REL_DRAWING = f"{REL_NS}/drawing"
# Charts name their data in <c:f> (classic charts) or <cx:f> (Excel 2016 chart types) formulas.
CHART_FORMULA_TAGS = (
    "{http://schemas.openxmlformats.org/drawingml/2006/chart}f",
    "{http://schemas.microsoft.com/office/drawing/2014/chartex}f",
)

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
MACRO_ENABLED_TYPES = frozenset(
    {
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.template.macroEnabled.main+xml",
    }
)

_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COMMENT_SIZE = (120, 320)  # height, width: the same box openpyxl's route draws (room for two Danish sentences)
_VML_BLOCK = 1024  # VML shape ids come in blocks of 1024 per drawing (o:idmap)

# Worksheet children in the order CT_Worksheet requires; new elements are inserted at their place.
_WORKSHEET_ORDER = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection protectedRanges "
    "scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells phoneticPr conditionalFormatting "
    "dataValidations hyperlinks printOptions pageMargins pageSetup headerFooter rowBreaks colBreaks "
    "customProperties cellWatches ignoredErrors smartTags drawing legacyDrawing legacyDrawingHF drawingHF picture "
    "oleObjects controls webPublishItems tableParts extLst"
).split()
# Built-in number formats that show a date or time (ECMA-376 18.8.30).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_FIRST_CUSTOM_FORMAT_ID = 164
_FIRST_CELL = schema.cell_address(1, 1)
# A sheet name Excel writes without quotes in a reference: a plain identifier that cannot be read as a cell address.
_PLAIN_SHEET_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_CELL_LIKE_NAME = re.compile(r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*|(?i:true|false)")
_NAME_STOPS = frozenset(" !,;:()+-*/^&=<>{}%\"'\n\t")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@functools.lru_cache(maxsize=1 << 16)
def _cell_position(address: str) -> tuple[int, int]:
    """``schema.parse_cell``, remembered: every case sheet has the same few hundred addresses, and indexing and
    writing them was a quarter of a refresh's time."""
    return schema.parse_cell(address)


def _q(tag: str, ns: str = MAIN_NS) -> str:
    return f"{{{ns}}}{tag}"


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


# --------------------------------------------------------------------------------------------------
# Encryption
# --------------------------------------------------------------------------------------------------


def is_encrypted(data: bytes) -> bool:
    """An encrypted OOXML workbook is an OLE compound file (a plain one is a zip)."""
    return data.startswith(OLE_MAGIC)


def encrypt(data: bytes, password: str) -> bytes:
    """``data`` (a zip package) encrypted with ``password`` (ECMA-376 agile encryption, as Excel writes it)."""
    out = io.BytesIO()
    from msoffcrypto.format.ooxml import OOXMLFile  # ~30 ms to import: only when an encrypted workbook is written

    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------


def excel_serial(value: date | datetime | time, date1904: bool = False) -> float:
    """The Excel serial number of a date or time (1900 system with its phantom 29-02-1900, or 1904)."""
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400
    day = value.date() if isinstance(value, datetime) else value
    if date1904:
        serial: float = (day - date(1904, 1, 1)).days
    else:
        serial = (day - date(1899, 12, 30)).days
        if day < date(1900, 3, 1):
            serial -= 1
    if isinstance(value, datetime):
        serial += (value - datetime.combine(day, time(), value.tzinfo)) / timedelta(days=1)
    return serial


def _number_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def clean_text(text: str) -> str:
    """Text without the characters XML (and so xlsx) cannot hold."""
    return _ILLEGAL_XML_CHARS.sub("", text)


def _text_element(parent: etree._Element, text: str) -> None:
    t = etree.SubElement(parent, _q("t"))
    t.text = text
    if text != text.strip() or "\n" in text:
        t.set(XML_SPACE, "preserve")


def _rich_text(element: etree._Element | None) -> str:
    """The text of an ``<si>`` / ``<is>`` / comment ``<text>``: its ``<t>`` runs without phonetic hints."""
    if element is None:
        return ""
    parts = []
    for t in element.iter(_q("t")):
        parent = t.getparent()
        if parent is not None and _local(parent.tag) == "rPh":
            continue
        parts.append(t.text or "")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------
# Parts: parsing, relationships, content types
# --------------------------------------------------------------------------------------------------


def _parse(data: bytes, part: str, name: str) -> etree._Element:
    try:
        tree = etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError as error:
        raise WorkbookError(
            name,
            f"delen {part} er ikke gyldig XML (fejl i linje {error.lineno})",
            "Åbn den i Excel, gem den igen, og kør igen",
            code="corrupt",
        ) from error
    # defusedxml's policy: a DTD is never loaded (no network, no files), and one that declares entities is refused.
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[union-attr]  # lxml-stubs
        raise _entities_refused(name, part)
    return tree.getroot()


def _entities_refused(name: str, part: str) -> WorkbookError:
    return WorkbookError(
        name,
        f"delen {part} indeholder en XML-dokumenttypeerklæring (DTD) med entiteter, hvad Excel aldrig skriver; "
        "den åbnes ikke til skrivning",
        "Åbn den i Excel, og gem den igen (og kontrollér, hvor filen kommer fra)",
        code="unsafe-xml",
    )


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rels_path(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


class _Rels:
    """One part's relationships (``_rels/x.rels``), created on first use when the part has none."""

    def __init__(self, package: PackageEditor, source: str) -> None:
        self.source = source
        self.path = _rels_path(source)
        self._package = package
        if package.has_part(self.path):
            self.root = package.xml(self.path)
        else:
            self.root = etree.Element(_q("Relationships", PKG_REL_NS), nsmap={None: PKG_REL_NS})  # type: ignore[dict-item]  # lxml-stubs: None is the default namespace

    def __iter__(self) -> Iterator[etree._Element]:
        return iter(self.root.findall(_q("Relationship", PKG_REL_NS)))

    def target(self, rel_id: str) -> str | None:
        for rel in self:
            if rel.get("Id") == rel_id and rel.get("TargetMode") != "External":
                return _resolve(self.source, rel.get("Target", ""))
        return None

    def of_type(self, rel_type: str) -> list[tuple[str, str]]:
        """(id, part) of every internal relationship of ``rel_type``."""
        return [
            (rel.get("Id", ""), _resolve(self.source, rel.get("Target", "")))
            for rel in self
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External"
        ]

    def add(self, rel_type: str, target: str) -> str:
        used = {rel.get("Id") for rel in self}
        number = len(used) + 1
        while f"rId{number}" in used:
            number += 1
        rel_id = f"rId{number}"
        etree.SubElement(
            self.root,
            _q("Relationship", PKG_REL_NS),
            Id=rel_id,
            Type=rel_type,
            Target=_relative(self.source, target),
        )
        self._package.set_xml(self.path, self.root)
        return rel_id

    def remove(self, rel_id: str) -> None:
        for rel in self:
            if rel.get("Id") == rel_id:
                self.root.remove(rel)
        self._package.set_xml(self.path, self.root)


class _ContentTypes:
    PATH = "[Content_Types].xml"

    def __init__(self, package: PackageEditor) -> None:
        self._package = package
        self.root = package.xml(self.PATH)

    def of(self, part: str) -> str | None:
        name = "/" + part
        for override in self.root.findall(_q("Override", CT_NS)):
            if override.get("PartName", "").lower() == name.lower():
                return override.get("ContentType")
        extension = posixpath.splitext(part)[1].lstrip(".").lower()
        for default in self.root.findall(_q("Default", CT_NS)):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType")
        return None

    def add_override(self, part: str, content_type: str) -> None:
        etree.SubElement(self.root, _q("Override", CT_NS), PartName="/" + part, ContentType=content_type)
        self._package.set_xml(self.PATH, self.root)

    def ensure_default(self, extension: str, content_type: str) -> None:
        defaults = self.root.findall(_q("Default", CT_NS))
        if any(d.get("Extension", "").lower() == extension for d in defaults):
            return
        element = etree.Element(_q("Default", CT_NS), Extension=extension, ContentType=content_type)
        # Defaults come before overrides (CT_Types allows any order, but Excel writes them first).
        self.root.insert(len(defaults), element)
        self._package.set_xml(self.PATH, self.root)

    def remove_override(self, part: str) -> None:
        for override in self.root.findall(_q("Override", CT_NS)):
            if override.get("PartName", "").lower() == "/" + part.lower():
                self.root.remove(override)
        self._package.set_xml(self.PATH, self.root)


# --------------------------------------------------------------------------------------------------
# Shared strings and styles: appended to, never renumbered
# --------------------------------------------------------------------------------------------------


class _SharedStrings:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.items = root.findall(_q("si"))
        self._index: dict[str, int] = {}
        for index, si in enumerate(self.items):
            children = list(si)
            # Only plain entries are reused: a rich-text entry looks different from the plain text it holds.
            if len(children) == 1 and children[0].tag == _q("t"):
                self._index.setdefault(children[0].text or "", index)
        self.count = int(root.get("count", len(self.items)))

    def index(self, text: str) -> int:
        self.count += 1
        known = self._index.get(text)
        if known is not None:
            return known
        si = etree.SubElement(self.root, _q("si"))
        _text_element(si, text)
        self.items.append(si)
        self._index[text] = len(self.items) - 1
        return len(self.items) - 1

    def release(self) -> None:
        self.count = max(0, self.count - 1)

    def text(self, index: int) -> str:
        return _rich_text(self.items[index]) if 0 <= index < len(self.items) else ""

    def finish(self) -> etree._Element:
        self.root.set("count", str(self.count))
        self.root.set("uniqueCount", str(len(self.items)))
        return self.root


_APPLY_FLAGS = frozenset(
    {"applyNumberFormat", "applyFont", "applyFill", "applyBorder", "applyAlignment", "applyProtection"}
)


def _key(element: etree._Element) -> tuple[object, ...]:
    """A structural form: equal elements (prefixes, attribute order and apply flags aside) give equal keys.

    The apply flags are left out so a cleared mark finds the cell's original style again (openpyxl's route writes
    none of them, and Excel shows a cell format's values either way)."""
    attributes = tuple(sorted((k, v) for k, v in element.attrib.items() if k not in _APPLY_FLAGS))
    text = (element.text or "").strip()
    return (_local(element.tag), attributes, text, tuple(_key(child) for child in element))


class _Styles:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self._xfs = self._container("cellXfs")
        self._xf_list = self._xfs.findall(_q("xf"))
        self._fills = self._container("fills")
        self._xf_keys: dict[tuple[object, ...], int] | None = None
        self._fill_keys: dict[tuple[object, ...], int] | None = None
        self._derived: dict[tuple[int, str, str], int] = {}
        self.changed = False

    def _container(self, container: str) -> etree._Element:
        found = self.root.find(_q(container))
        if found is None:
            raise ValueError(f"styles.xml has no <{container}>")  # reported by _guarded
        return found

    def _xf(self, index: int) -> etree._Element:
        xfs = self._xf_list
        return xfs[index] if 0 <= index < len(xfs) else xfs[0]

    def number_format(self, style: int) -> tuple[int, str | None]:
        format_id = int(self._xf(style).get("numFmtId", "0"))
        formats = self.root.find(_q("numFmts"))
        code = None
        if formats is not None:
            for fmt in formats.findall(_q("numFmt")):
                if fmt.get("numFmtId") == str(format_id):
                    code = fmt.get("formatCode")
        return format_id, code

    def is_date(self, style: int) -> bool:
        format_id, code = self.number_format(style)
        if code is None:
            return format_id in _DATE_FORMAT_IDS
        plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)  # quoted text, [colour]/[$-locale], escapes
        return any(ch in plain.lower() for ch in "dmyhs")

    def fill_colour(self, style: int) -> str | None:
        """The RGB (six hex digits, upper case) of a solid fill on ``style``; None for any other fill."""
        fills = self._fills.findall(_q("fill"))
        fill_id = int(self._xf(style).get("fillId", "0"))
        if not 0 <= fill_id < len(fills):
            return None
        pattern = fills[fill_id].find(_q("patternFill"))
        if pattern is None or pattern.get("patternType") != "solid":
            return None
        colour = pattern.find(_q("fgColor"))
        rgb = colour.get("rgb") if colour is not None else None
        return rgb[-6:].upper() if rgb else None

    def _append(self, container: etree._Element, element: etree._Element, keys: dict[tuple[object, ...], int]) -> int:
        key = _key(element)
        if key in keys:
            return keys[key]
        container.append(element)
        if container is self._xfs:
            self._xf_list.append(element)
        index = len(container) - 1
        keys[key] = index
        container.set("count", str(len(container)))
        self.changed = True
        return index

    def _xf_index(self, xf: etree._Element) -> int:
        if self._xf_keys is None:
            self._xf_keys = {}
            for index, existing in enumerate(self._xfs.findall(_q("xf"))):
                self._xf_keys.setdefault(_key(existing), index)
        return self._append(self._xfs, xf, self._xf_keys)

    def _fill_index(self, colour: str) -> int:
        if self._fill_keys is None:
            self._fill_keys = {}
            for index, existing in enumerate(self._fills.findall(_q("fill"))):
                self._fill_keys.setdefault(_key(existing), index)
        # The form openpyxl writes for a PatternFill, so workbooks refreshed by either route share one fill.
        fill = etree.Element(_q("fill"))
        pattern = etree.SubElement(fill, _q("patternFill"), patternType="solid")
        etree.SubElement(pattern, _q("fgColor"), rgb=f"00{colour}")
        etree.SubElement(pattern, _q("bgColor"), rgb=f"00{colour}")
        return self._append(self._fills, fill, self._fill_keys)

    def _number_format_id(self, code: str) -> int:
        formats = self.root.find(_q("numFmts"))
        if formats is None:
            formats = etree.Element(_q("numFmts"), count="0")
            self.root.insert(0, formats)
        used = [_FIRST_CUSTOM_FORMAT_ID - 1]
        for fmt in formats.findall(_q("numFmt")):
            if fmt.get("formatCode") == code:
                return int(fmt.get("numFmtId", "0"))
            used.append(int(fmt.get("numFmtId", "0")))
        format_id = max(used) + 1
        etree.SubElement(formats, _q("numFmt"), numFmtId=str(format_id), formatCode=code)
        formats.set("count", str(len(formats)))
        self.changed = True
        return format_id

    def with_number_format(self, style: int, code: str) -> int:
        """``style`` with number format ``code`` (an existing equal style is reused)."""
        cache_key = (style, "numFmt", code)
        if cache_key not in self._derived:
            xf = etree.fromstring(etree.tostring(self._xf(style)))
            xf.set("numFmtId", str(self._number_format_id(code)))
            xf.set("applyNumberFormat", "1")
            self._derived[cache_key] = self._xf_index(xf)
        return self._derived[cache_key]

    def with_fill(self, style: int, colour: str) -> int:
        """``style`` with a solid fill of ``colour`` (six hex digits)."""
        cache_key = (style, "fill", colour)
        if cache_key not in self._derived:
            xf = etree.fromstring(etree.tostring(self._xf(style)))
            xf.set("fillId", str(self._fill_index(colour)))
            xf.set("applyFill", "1")
            self._derived[cache_key] = self._xf_index(xf)
        return self._derived[cache_key]


# --------------------------------------------------------------------------------------------------
# A worksheet part
# --------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    element: etree._Element
    cells: dict[int, etree._Element]
    columns: list[int]  # sorted keys of cells


class _Sheet:
    def __init__(self, package: PackageEditor, name: str, part: str) -> None:
        self.name = name
        self.part = part
        self.root = package.xml(part)
        self.rels = _Rels(package, part)
        data = self.root.find(_q("sheetData"))
        if data is None:
            data = etree.Element(_q("sheetData"))
            self._insert_child(data)
        self.data = data
        self._rows: dict[int, _Row] = {}
        self._row_numbers: list[int] = []
        self._index_rows()
        self._merged: list[tuple[int, int, int, int]] | None = None

    def _index_rows(self) -> None:
        previous = 0
        for row_element in self.data.findall(_q("row")):
            number = int(row_element.get("r") or previous + 1)
            row_element.set("r", str(number))
            previous = number
            cells: dict[int, etree._Element] = {}
            column = 0
            for cell in row_element.findall(_q("c")):
                address = cell.get("r")
                column = _cell_position(address)[1] if address else column + 1
                if not address:
                    cell.set("r", schema.cell_address(number, column))
                cells[column] = cell
            self._rows[number] = _Row(row_element, cells, sorted(cells))
            self._row_numbers.append(number)
        self._row_numbers.sort()

    def _insert_child(self, element: etree._Element) -> None:
        """Insert a worksheet child at the place the schema's sequence requires."""
        rank = _WORKSHEET_ORDER.index(_local(element.tag))
        for index, child in enumerate(self.root):
            name = _local(child.tag)
            if name in _WORKSHEET_ORDER and _WORKSHEET_ORDER.index(name) > rank:
                self.root.insert(index, element)
                return
        self.root.append(element)

    def child(self, tag: str) -> etree._Element | None:
        return self.root.find(_q(tag))

    @property
    def max_row(self) -> int:
        """The last row holding a cell (openpyxl's ``max_row`` for a loaded sheet)."""
        for number in reversed(self._row_numbers):
            if self._rows[number].cells:
                return number
        return 0

    def rows_between(self, first: int, last: int) -> list[int]:
        start = bisect_left(self._row_numbers, first)
        end = bisect_left(self._row_numbers, last + 1)
        return self._row_numbers[start:end]

    def cell(self, row: int, column: int, create: bool) -> etree._Element | None:
        found = self._rows.get(row)
        if found is None:
            if not create:
                return None
            element = etree.Element(_q("row"), r=str(row))
            position = bisect_left(self._row_numbers, row)
            if position < len(self._row_numbers):
                self._rows[self._row_numbers[position]].element.addprevious(element)
            else:
                self.data.append(element)
            found = _Row(element, {}, [])
            self._rows[row] = found
            self._row_numbers.insert(position, row)
        cell = found.cells.get(column)
        if cell is None and create:
            cell = etree.Element(_q("c"), r=schema.cell_address(row, column))
            position = bisect_left(found.columns, column)
            if position < len(found.columns):
                found.cells[found.columns[position]].addprevious(cell)
            else:
                found.element.append(cell)
            found.cells[column] = cell
            insort(found.columns, column)
            if found.element.get("spans"):
                found.element.set("spans", f"{found.columns[0]}:{found.columns[-1]}")
            self._grow_dimension(row, column)
        return cell

    def _grow_dimension(self, row: int, column: int) -> None:
        dimension = self.child("dimension")
        if dimension is None:
            return
        ref = dimension.get("ref", _FIRST_CELL).replace("$", "")
        first, _, last = ref.partition(":")
        try:
            top, left = schema.parse_cell(first)
            bottom, right = schema.parse_cell(last or first)
        except ValueError:
            return
        if top <= row <= bottom and left <= column <= right:
            return
        top, left = min(top, row), min(left, column)
        bottom, right = max(bottom, row), max(right, column)
        dimension.set("ref", schema.range_address(top, left, bottom, right))

    @property
    def merged(self) -> list[tuple[int, int, int, int]]:
        if self._merged is None:
            self._merged = []
            container = self.child("mergeCells")
            for merge in container.findall(_q("mergeCell")) if container is not None else []:
                bounds = _range_bounds(merge.get("ref", ""))
                if bounds is not None:
                    self._merged.append(bounds)
        return self._merged

    def merged_range(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        for bounds in self.merged:
            top, left, bottom, right = bounds
            if top <= row <= bottom and left <= column <= right:
                return bounds
        return None


def _range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of ``A1:C5`` or ``A1``; None when it is not a plain range."""
    first, _, last = ref.replace("$", "").partition(":")
    try:
        top, left = schema.parse_cell(first)
        bottom, right = schema.parse_cell(last or first)
    except ValueError:
        return None
    return top, left, bottom, right


# --------------------------------------------------------------------------------------------------
# Comments (the marks' notes) and their legacy VML shapes
# --------------------------------------------------------------------------------------------------


class _Comments:
    """A sheet's comments part and the VML drawing that shows them; created when the sheet has none."""

    def __init__(self, package: PackageEditor, sheet: _Sheet, create: bool) -> None:
        self._package = package
        self.sheet = sheet
        self.root: etree._Element | None = None
        self.vml: etree._Element | None = None
        self.vml_part: str | None = None
        found = sheet.rels.of_type(REL_COMMENTS)
        if found:
            self.part = found[0][1]
            self.root = package.xml(self.part)
        elif create:
            self.part = package.new_part_name("xl/comments/comment{}.xml")
            self.root = etree.Element(_q("comments"), nsmap={None: MAIN_NS})  # type: ignore[dict-item]
            etree.SubElement(self.root, _q("authors"))
            etree.SubElement(self.root, _q("commentList"))
            package.set_xml(self.part, self.root)
            sheet.rels.add(REL_COMMENTS, self.part)
            package.content_types.add_override(self.part, CT_COMMENTS)
        else:
            return
        self._load_vml(create)

    def _load_vml(self, create: bool) -> None:
        legacy = self.sheet.child("legacyDrawing")
        rel_id = legacy.get(_q("id", REL_NS)) if legacy is not None else None
        target = self.sheet.rels.target(rel_id) if rel_id else None
        if target is not None and self._package.has_part(target):
            try:
                self.vml = self._package.xml(target)
                self.vml_part = target
            except WorkbookError:
                self.vml = None  # VML that is not XML (old Excel): the notes are left as they are
            return
        if not create or legacy is not None:
            return
        self.vml_part = self._package.new_part_name("xl/drawings/commentsDrawing{}.vml")
        self.vml = _new_vml(self._package.next_vml_block())
        self._package.set_xml(self.vml_part, self.vml)
        self._package.content_types.ensure_default("vml", CT_VML)
        rel = self.sheet.rels.add(REL_VML, self.vml_part)
        element = etree.Element(_q("legacyDrawing"))
        element.set(_q("id", REL_NS), rel)
        self.sheet._insert_child(element)

    @property
    def usable(self) -> bool:
        return self.root is not None and self.vml is not None

    def _list(self) -> etree._Element:
        assert self.root is not None
        found = self.root.find(_q("commentList"))
        if found is None:
            found = etree.SubElement(self.root, _q("commentList"))
        return found

    def _authors(self) -> list[str]:
        assert self.root is not None
        authors = self.root.find(_q("authors"))
        return [a.text or "" for a in authors.findall(_q("author"))] if authors is not None else []

    def refs(self) -> set[str]:
        return {c.get("ref", "") for c in self._list().findall(_q("comment"))}

    def remove_tool_comments(self) -> list[str]:
        """Remove the tools' earlier notes; return the cells they were on."""
        if not self.usable:
            return []
        authors = self._authors()
        removed = []
        for comment in self._list().findall(_q("comment")):
            author = int(comment.get("authorId", "-1"))
            if 0 <= author < len(authors) and authors[author] == MARK_AUTHOR:
                self._list().remove(comment)
                removed.append(comment.get("ref", ""))
        if removed:
            self._remove_shapes({schema.parse_cell(ref) for ref in removed if ref})
            self._touch()
        return removed

    def add(self, address: str, text: str) -> None:
        assert self.root is not None and self.vml is not None
        authors = self._authors()
        if MARK_AUTHOR not in authors:
            container = self.root.find(_q("authors"))
            assert container is not None
            etree.SubElement(container, _q("author")).text = MARK_AUTHOR
            authors.append(MARK_AUTHOR)
        comment = etree.SubElement(
            self._list(), _q("comment"), ref=address, authorId=str(authors.index(MARK_AUTHOR)), shapeId="0"
        )
        run = etree.SubElement(etree.SubElement(comment, _q("text")), _q("r"))
        _text_element(run, text)
        row, column = schema.parse_cell(address)
        self.vml.append(_note_shape(self._next_shape_id(), row, column))
        self._touch()

    def _shapes(self) -> list[etree._Element]:
        assert self.vml is not None
        return [s for s in self.vml.iter(_q("shape", VML_NS)) if _note_position(s) is not None]

    def _remove_shapes(self, cells: set[tuple[int, int]]) -> None:
        for shape in self._shapes():
            if _note_position(shape) in cells:
                parent = shape.getparent()
                if parent is not None:
                    parent.remove(shape)

    def _next_shape_id(self) -> str:
        assert self.vml is not None
        used = [_shape_number(s.get("id", "")) for s in self.vml.iter(_q("shape", VML_NS))]
        idmap = self.vml.find(f"{_q('shapelayout', OFFICE_NS)}/{_q('idmap', OFFICE_NS)}")
        block = int((idmap.get("data", "1") if idmap is not None else "1").split(",")[0])
        number = max([block * _VML_BLOCK + 1, *(n + 1 for n in used if n is not None)])
        return f"_x0000_s{number:04d}"

    def _touch(self) -> None:
        assert self.root is not None
        self._package.set_xml(self.part, self.root)
        if self.vml is not None and self.vml_part is not None:
            self._package.set_xml(self.vml_part, self.vml)


def _shape_number(shape_id: str) -> int | None:
    digits = shape_id.rpartition("_s")[2]
    return int(digits) if digits.isdigit() else None


def _note_position(shape: etree._Element) -> tuple[int, int] | None:
    """(row, column), 1-based, of a note shape; None for any other shape (buttons, pictures)."""
    data = shape.find(_q("ClientData", EXCEL_NS))
    if data is None or data.get("ObjectType") != "Note":
        return None
    row, column = data.find(_q("Row", EXCEL_NS)), data.find(_q("Column", EXCEL_NS))
    if row is None or column is None or not (row.text or "").strip().isdigit():
        return None
    if not (column.text or "").strip().isdigit():
        return None
    return int((row.text or "").strip()) + 1, int((column.text or "").strip()) + 1


def _new_vml(block: int) -> etree._Element:
    root = etree.Element("xml", nsmap={"v": VML_NS, "o": OFFICE_NS, "x": EXCEL_NS})
    layout = etree.SubElement(root, _q("shapelayout", OFFICE_NS), {_q("ext", VML_NS): "edit"})
    etree.SubElement(layout, _q("idmap", OFFICE_NS), {_q("ext", VML_NS): "edit", "data": str(block)})
    shape_type = etree.SubElement(
        root,
        _q("shapetype", VML_NS),
        {
            "id": "_x0000_t202",
            "coordsize": "21600,21600",
            _q("spt", OFFICE_NS): "202",
            "path": "m,l,21600r21600,l21600,xe",
        },
    )
    etree.SubElement(shape_type, _q("stroke", VML_NS), joinstyle="miter")
    etree.SubElement(shape_type, _q("path", VML_NS), {"gradientshapeok": "t", _q("connecttype", OFFICE_NS): "rect"})
    return root


def _note_shape(shape_id: str, row: int, column: int) -> etree._Element:
    height, width = _COMMENT_SIZE
    shape = etree.Element(
        _q("shape", VML_NS),
        {
            "id": shape_id,
            "type": "#_x0000_t202",
            "style": f"position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:{width}px;height:{height}px;"
            "z-index:1;visibility:hidden",
            "fillcolor": "#ffffe1",
            _q("insetmode", OFFICE_NS): "auto",
        },
    )
    etree.SubElement(shape, _q("fill", VML_NS), color2="#ffffe1")
    etree.SubElement(shape, _q("shadow", VML_NS), color="black", obscured="t")
    etree.SubElement(shape, _q("path", VML_NS), {_q("connecttype", OFFICE_NS): "none"})
    textbox = etree.SubElement(shape, _q("textbox", VML_NS), style="mso-direction-alt:auto")
    etree.SubElement(textbox, "div", style="text-align:left")
    data = etree.SubElement(shape, _q("ClientData", EXCEL_NS), ObjectType="Note")
    etree.SubElement(data, _q("MoveWithCells", EXCEL_NS))
    etree.SubElement(data, _q("SizeWithCells", EXCEL_NS))
    etree.SubElement(data, _q("AutoFill", EXCEL_NS)).text = "False"
    etree.SubElement(data, _q("Row", EXCEL_NS)).text = str(row - 1)
    etree.SubElement(data, _q("Column", EXCEL_NS)).text = str(column - 1)
    return shape


# --------------------------------------------------------------------------------------------------
# The editor
# --------------------------------------------------------------------------------------------------


class SheetNameError(ValueError):
    """A new sheet's name is taken, or the sheet to copy is missing."""


P = ParamSpec("P")
R = TypeVar("R")


def _guarded(method: Callable[Concatenate[PackageEditor, P], R]) -> Callable[Concatenate[PackageEditor, P], R]:
    """A package that breaks what the writer expects (a style index that is not a number, a part of the wrong
    shape) becomes a ``WorkbookError`` naming the file, never a traceback."""

    @functools.wraps(method)
    def wrapper(editor: PackageEditor, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(editor, *args, **kwargs)
        except (WorkbookError, SheetNameError):
            raise
        except (ValueError, IndexError, KeyError, TypeError, AttributeError, etree.LxmlError) as error:
            summary = " ".join(str(error).split())[:200] or type(error).__name__
            raise WorkbookError(
                editor.name,
                f"projektmappen kunne ikke ændres ({type(error).__name__}: {summary})",
                "Åbn den i Excel, gem den igen, og kør igen",
                code="corrupt",
            ) from error

    return wrapper


class PackageEditor:
    """Edits one workbook package in memory; :meth:`to_bytes` gives the changed workbook.

    ``data`` is the file's bytes; an encrypted workbook needs ``password`` and comes out encrypted with it again.
    ``name`` (the file's name) goes into error messages.
    """

    @_guarded
    def __init__(self, data: bytes, *, password: str | None = None, name: str = "projektmappen") -> None:
        self.name = name
        self._password: str | None = None
        if is_encrypted(data):
            data = decrypted_package(data, name, password)
            self._password = password
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self._infos = archive.infolist()
                self._original = {info.filename: archive.read(info) for info in self._infos}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise WorkbookError(
                name, f"pakken kan ikke læses ({package_reason(error)})", "Åbn den i Excel, gem den igen, og kør igen"
            ) from error
        self._refuse_entities()
        self._xml: dict[str, etree._Element] = {}  # parsed parts
        self._dirty: set[str] = set()
        self._added: list[str] = []
        self._removed: set[str] = set()
        self.content_types = _ContentTypes(self)
        self._workbook_part = self._find_workbook_part()
        self.workbook = self.xml(self._workbook_part)
        if self.workbook.tag != _q("workbook"):
            raise WorkbookError(
                name,
                "det er en Strict Open XML-projektmappe, som værktøjerne ikke skriver i",
                "Åbn den i Excel, gem den som 'Excel-projektmappe (*.xlsx)', og kør igen",
                code="strict",
            )
        self.workbook_rels = _Rels(self, self._workbook_part)
        self._sheets: dict[str, _Sheet] = {}
        self._strings: _SharedStrings | None = None
        self._strings_part: str | None = None
        self._styles: _Styles | None = None
        self._styles_part = next(iter(p for _, p in self.workbook_rels.of_type(REL_STYLES)), None)
        properties = self.workbook.find(_q("workbookPr"))
        self._date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self._formula_removed = False

    # ---- parts

    def _refuse_entities(self) -> None:
        """Refuse a package whose XML declares entities anywhere, also in parts that are only copied: the output
        must not carry an entity attack on to the next program (openpyxl's route refused these files too)."""
        for part, content in self._original.items():
            if part.lower().endswith((".xml", ".rels", ".vml")) and b"<!ENTITY" in content:
                raise _entities_refused(self.name, part)

    def _find_workbook_part(self) -> str:
        root_rels = self.xml("_rels/.rels")
        for rel in root_rels.findall(_q("Relationship", PKG_REL_NS)):
            if rel.get("Type", "").endswith("/officeDocument"):
                return _resolve("", rel.get("Target", ""))
        raise WorkbookError(
            self.name, "pakken har ingen projektmappedel", "Kontrollér, at det er en Excel-projektmappe"
        )

    def has_part(self, part: str) -> bool:
        return part in self._xml or (part in self._original and part not in self._removed)

    def part_names(self) -> list[str]:
        names = [info.filename for info in self._infos if info.filename not in self._removed]
        return names + [p for p in self._added if p not in self._removed]

    def xml(self, part: str) -> etree._Element:
        found = self._xml.get(part)
        if found is None:
            if part not in self._original:
                raise WorkbookError(self.name, f"delen {part} mangler", "Åbn den i Excel, gem den igen, og kør igen")
            found = _parse(self._original[part], part, self.name)
            self._xml[part] = found
        return found

    def set_xml(self, part: str, root: etree._Element) -> None:
        """Mark ``part`` as changed (or new) with ``root`` as its content."""
        self._xml[part] = root
        self._dirty.add(part)
        self._removed.discard(part)
        if part not in self._original and part not in self._added:
            self._added.append(part)

    def remove_part(self, part: str) -> None:
        self._removed.add(part)
        self._dirty.discard(part)
        self._xml.pop(part, None)
        self.content_types.remove_override(part)

    def new_part_name(self, pattern: str) -> str:
        used = {name.lower() for name in self.part_names()}
        number = 1
        while pattern.format(number).lower() in used:
            number += 1
        return pattern.format(number)

    def next_vml_block(self) -> int:
        """An o:idmap block no VML drawing of the workbook uses yet (shape ids must be unique per workbook)."""
        used = {0}
        for part in self.part_names():
            if not part.lower().endswith(".vml"):
                continue
            try:
                root = self.xml(part)
            except WorkbookError:
                continue
            for idmap in root.iter(_q("idmap", OFFICE_NS)):
                used.update(int(x) for x in idmap.get("data", "").split(",") if x.strip().isdigit())
            for shape in root.iter(_q("shape", VML_NS)):  # some programs write no idmap: go by the ids
                number = _shape_number(shape.get("id", ""))
                if number is not None:
                    used.add(number // _VML_BLOCK)
        return max(used) + 1

    @property
    def macro_enabled(self) -> bool:
        return self.content_types.of(self._workbook_part) in MACRO_ENABLED_TYPES

    # ---- sheets

    def _sheet_elements(self) -> list[etree._Element]:
        sheets = self.workbook.find(_q("sheets"))
        return sheets.findall(_q("sheet")) if sheets is not None else []

    @property
    def sheet_names(self) -> list[str]:
        return [element.get("name", "") for element in self._sheet_elements()]

    def _sheet_element(self, name: str) -> etree._Element | None:
        for element in self._sheet_elements():
            if element.get("name", "").casefold() == name.casefold():
                return element
        return None

    def sheet(self, name: str) -> _Sheet:
        found = self._sheets.get(name.casefold())
        if found is not None:
            return found
        element = self._sheet_element(name)
        part = self.workbook_rels.target(element.get(_q("id", REL_NS), "")) if element is not None else None
        if element is None or part is None or not self.has_part(part):
            raise WorkbookError(self.name, f"arket {name!r} mangler", "Åbn den i Excel, og kontrollér dens ark")
        if self.xml(part).tag != _q("worksheet"):
            raise WorkbookError(
                self.name, f"arket {name!r} er ikke et regneark (et diagramark?)", "Omdøb eller fjern det ark"
            )
        found = _Sheet(self, element.get("name", name), part)
        self._sheets[name.casefold()] = found
        return found

    def _touch(self, sheet: _Sheet) -> None:
        self.set_xml(sheet.part, sheet.root)

    @property
    def strings(self) -> _SharedStrings | None:
        """The shared strings, when the workbook has them (else text is written inline, as openpyxl does)."""
        if self._strings_part is None:
            found = self.workbook_rels.of_type(REL_SHARED_STRINGS)
            if not found or not self.has_part(found[0][1]):
                return None
            self._strings_part = found[0][1]
            self._strings = _SharedStrings(self.xml(self._strings_part))
        return self._strings

    @property
    def styles(self) -> _Styles:
        if self._styles is None:
            if self._styles_part is None:
                raise WorkbookError(self.name, "pakken har ingen typografidel", "Åbn den i Excel, og gem den igen")
            self._styles = _Styles(self.xml(self._styles_part))
        return self._styles

    # ---- cells

    def cell_text(self, sheet: _Sheet, address: str) -> str | None:
        """The text of a text cell (shared or inline); None for any other cell."""
        row, column = schema.parse_cell(address)
        cell = sheet.cell(row, column, create=False)
        if cell is None:
            return None
        kind = cell.get("t")
        if kind == "s" and self.strings is not None:
            value = cell.find(_q("v"))
            return self.strings.text(int(value.text or "-1")) if value is not None else None
        if kind == "inlineStr":
            return _rich_text(cell.find(_q("is")))
        if kind == "str":
            value = cell.find(_q("v"))
            return value.text or "" if value is not None else None
        return None

    def _style(self, cell: etree._Element) -> int:
        return int(cell.get("s", "0"))

    def _put(self, sheet: _Sheet, row: int, column: int, value: CellValue) -> None:
        """Write a computed value: text is a string (never a formula); a cell merged into another is skipped."""
        merged = sheet.merged_range(row, column)
        if merged is not None and (merged[0], merged[1]) != (row, column):
            return
        cell = sheet.cell(row, column, create=value is not None)
        if cell is None:
            return
        self._touch(sheet)
        for child in list(cell):
            if child.tag == _q("f"):
                self._formula_removed = True
            if child.tag in (_q("f"), _q("v"), _q("is")):
                cell.remove(child)
        if cell.get("t") == "s" and self.strings is not None:
            self.strings.release()
        for attribute in ("t", "cm", "vm"):
            _drop_attribute(cell, attribute)
        if value is None:
            return
        if isinstance(value, bool):
            cell.set("t", "b")
            etree.SubElement(cell, _q("v")).text = "1" if value else "0"
        elif isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                return
            etree.SubElement(cell, _q("v")).text = _number_text(value)
        elif isinstance(value, date | datetime | time):
            etree.SubElement(cell, _q("v")).text = _number_text(excel_serial(value, self._date1904))
            if not self.styles.is_date(self._style(cell)):
                cell.set("s", str(self.styles.with_number_format(self._style(cell), schema.DATE_FORMAT)))
        else:
            text = clean_text(str(value))
            if self.strings is not None:
                cell.set("t", "s")
                etree.SubElement(cell, _q("v")).text = str(self.strings.index(text))
            else:
                cell.set("t", "inlineStr")
                _text_element(etree.SubElement(cell, _q("is")), text)

    @_guarded
    def write(self, sheet_name: str, address: str, value: CellValue) -> None:
        row, column = _cell_position(address)
        self._put(self.sheet(sheet_name), row, column, value)

    # ---- applying SheetWrites (the file twin of the ribbon's writes)

    @_guarded
    def apply(self, writes: SheetWrites) -> None:
        """Computed cells, tables (Oversigt, Fejl), and the problem marks, as ``workbook/apply.py`` writes them."""
        self._problems_sheet()
        for write in writes.values:
            self.write(write.sheet, write.cell, write.value)
        for table in writes.tables:
            self._write_table(table)
        self._clear_marks()
        for mark in writes.marks:
            self._mark(mark)

    def _write_table(self, table: TableWrite) -> None:
        sheet = self.sheet(table.sheet)
        for offset, values in enumerate(table.rows):
            for column, value in enumerate(values, start=1):
                self._put(sheet, table.first_row + offset, column, value)
        # Stale rows below: clear the table's columns of rows that hold cells (styles stay, as openpyxl's route).
        for row in sheet.rows_between(table.first_row + len(table.rows), sheet.max_row):
            for column in range(1, table.columns + 1):
                self._put(sheet, row, column, None)

    def _problems_sheet(self) -> None:
        """Add the Fejl sheet when the workbook has none (the header styled like Oversigt's)."""
        if self._sheet_element(schema.SHEET_PROBLEMS) is not None:
            return
        header_style: str | None = None
        if self._sheet_element(schema.SHEET_OVERVIEW) is not None:
            header = self.sheet(schema.SHEET_OVERVIEW).cell(schema.OVERVIEW_HEADER_ROW, 1, create=False)
            header_style = header.get("s") if header is not None else None
        root = etree.Element(_q("worksheet"), nsmap={None: MAIN_NS, "r": REL_NS})  # type: ignore[dict-item]
        etree.SubElement(etree.SubElement(root, _q("sheetPr")), _q("pageSetUpPr"), fitToPage="1")
        etree.SubElement(root, _q("dimension"), ref=_FIRST_CELL)
        views = etree.SubElement(etree.SubElement(root, _q("sheetViews")), _q("sheetView"), workbookViewId="0")
        freeze_row, freeze_column = schema.parse_cell(schema.PROBLEMS_FREEZE_CELL)
        pane = etree.SubElement(views, _q("pane"), topLeftCell=schema.PROBLEMS_FREEZE_CELL, state="frozen")
        if freeze_column > 1:
            pane.set("xSplit", str(freeze_column - 1))
        pane.set("ySplit", str(freeze_row - 1))
        pane.set("activePane", "bottomLeft")
        etree.SubElement(views, _q("selection"), pane="bottomLeft", activeCell=_FIRST_CELL, sqref=_FIRST_CELL)
        etree.SubElement(root, _q("sheetFormatPr"), defaultRowHeight="15")
        cols = etree.SubElement(root, _q("cols"))
        for index, column in enumerate(schema.PROBLEMS_COLUMNS, start=1):
            etree.SubElement(cols, _q("col"), min=str(index), max=str(index), width=str(column.width), customWidth="1")
        etree.SubElement(root, _q("sheetData"))
        etree.SubElement(
            root, _q("pageMargins"), left="0.75", right="0.75", top="1", bottom="1", header="0.5", footer="0.5"
        )
        # Printed like the template's sheets: landscape A4, one page wide (the message column is long).
        etree.SubElement(root, _q("pageSetup"), paperSize="9", orientation="landscape", fitToWidth="1", fitToHeight="0")
        name = self._add_sheet_part(schema.SHEET_PROBLEMS, root, len(self._sheet_elements()))
        sheet = self.sheet(name)
        for index, column in enumerate(schema.PROBLEMS_COLUMNS, start=1):
            self._put(sheet, schema.PROBLEMS_HEADER_ROW, index, column.header)
            if header_style is not None:
                cell = sheet.cell(schema.PROBLEMS_HEADER_ROW, index, create=True)
                assert cell is not None
                cell.set("s", header_style)

    # ---- marks

    def _sheets_with_comments(self) -> Iterator[_Sheet]:
        """Sheets with a notes part (found from their relationships: other sheets are not even parsed)."""
        for element in self._sheet_elements():
            part = self.workbook_rels.target(element.get(_q("id", REL_NS), ""))
            if part is None or not _Rels(self, part).of_type(REL_COMMENTS):
                continue
            try:
                yield self.sheet(element.get("name", ""))
            except WorkbookError:
                continue  # a chart sheet or a broken entry: nothing of ours

    def _clear_marks(self) -> None:
        """Remove the tools' earlier marks (notes by MARK_AUTHOR, and the mark fill under them)."""
        mark_colours = {colour.upper() for colour in schema.MARK_COLOURS.values()}
        for sheet in list(self._sheets_with_comments()):
            for address in _Comments(self, sheet, create=False).remove_tool_comments():
                row, column = schema.parse_cell(address)
                cell = sheet.cell(row, column, create=False)
                if cell is not None and self.styles.fill_colour(self._style(cell)) in mark_colours:
                    cell.set("s", str(self.styles.with_fill(self._style(cell), schema.ENTERED_COLOUR.upper())))
                    self._touch(sheet)

    def _mark(self, mark: CellMark) -> None:
        if self._sheet_element(mark.sheet) is None:
            return
        sheet = self.sheet(mark.sheet)
        row, column = schema.parse_cell(mark.cell)
        merged = sheet.merged_range(row, column)
        if merged is not None:
            row, column = merged[0], merged[1]
        address = schema.cell_address(row, column)
        cell = sheet.cell(row, column, create=True)
        assert cell is not None
        colour = schema.MARK_COLOURS[mark.severity.value].upper()
        cell.set("s", str(self.styles.with_fill(self._style(cell), colour)))
        self._touch(sheet)
        comments = _Comments(self, sheet, create=True)
        # A note someone wrote on this cell stays theirs: the mark is then the fill (and the Fejl list) only.
        if comments.usable and address not in comments.refs():
            comments.add(address, clean_text(mark.comment))

    # ---- new sheets

    def _add_sheet_part(self, name: str, root: etree._Element, position: int) -> str:
        """Add a worksheet part as sheet number ``position`` (0-based); return its name."""
        part = self.new_part_name("xl/worksheets/sheet{}.xml")
        self.set_xml(part, root)
        self.content_types.add_override(part, CT_WORKSHEET)
        rel_id = self.workbook_rels.add(REL_WORKSHEET, part)
        elements = self._sheet_elements()
        sheet_id = max([int(e.get("sheetId", "0")) for e in elements] + [0]) + 1
        element = etree.Element(_q("sheet"), name=name, sheetId=str(sheet_id))
        element.set(_q("id", REL_NS), rel_id)
        sheets = self.workbook.find(_q("sheets"))
        assert sheets is not None
        if position < len(elements):
            elements[position].addprevious(element)
            self._shift_sheet_indexes(position)
        else:
            sheets.append(element)
        self.set_xml(self._workbook_part, self.workbook)
        return name

    def _shift_sheet_indexes(self, position: int) -> None:
        """Sheet indexes at or after ``position`` move one up (local defined names, the active tab)."""
        names = self.workbook.find(_q("definedNames"))
        for defined in names.findall(_q("definedName")) if names is not None else []:
            local = defined.get("localSheetId")
            if local is not None and local.isdigit() and int(local) >= position:
                defined.set("localSheetId", str(int(local) + 1))
        views = self.workbook.find(_q("bookViews"))
        for view in views.findall(_q("workbookView")) if views is not None else []:
            for attribute in ("activeTab", "firstSheet"):
                value = view.get(attribute)
                if value is not None and value.isdigit() and int(value) >= position and int(value) > 0:
                    view.set(attribute, str(int(value) + 1))

    def _is_case_sheet(self, name: str) -> bool:
        try:
            sheet = self.sheet(name)
        except WorkbookError:
            return False
        return self.cell_text(sheet, schema.CASE_TITLE_CELL) == schema.CASE_SHEET_TITLE

    @_guarded
    def add_case_sheet(self, name: str, from_sheet: str = schema.SHEET_CASE_TEMPLATE) -> str:
        """Add sheet ``name`` as a copy of ``from_sheet`` after the last case sheet; return the name.

        The copy gets its own part and its own copy of the template sheet's drawing and charts (their formulas read
        the copy); notes, tables and printer settings are not copied.
        Raises ValueError when a sheet of that name exists (Excel compares names case-insensitively) or the
        template sheet is missing."""
        if self._sheet_element(name) is not None:
            raise SheetNameError(f"projektmappen har allerede et ark med navnet {name!r}")
        source = self.sheet(from_sheet) if self._sheet_element(from_sheet) is not None else None
        if source is None:
            raise SheetNameError(f"projektmappen har intet ark {from_sheet!r} at kopiere")
        root = _parse(_serialise(source.root), source.part, self.name)
        keep = {rel.get("Id", "") for rel in source.rels if rel.get("TargetMode") == "External"}
        drawing = root.find(_q("drawing"))
        drawing_part = source.rels.target(drawing.get(_q("id", REL_NS), "")) if drawing is not None else None
        if drawing is not None and drawing_part is not None and self.has_part(drawing_part):
            keep.add(drawing.get(_q("id", REL_NS), ""))  # the drawing (the life-area chart) is cloned below
        else:
            drawing_part = None
        _drop_internal_links(root, keep)
        for view in root.iter(_q("sheetView")):
            _drop_attribute(view, "tabSelected")  # two selected tabs would group the sheets
        if self.strings is not None:  # the copy's text cells are new references to the shared strings
            self.strings.count += sum(1 for cell in root.iter(_q("c")) if cell.get("t") == "s")
        fixed = {*(n.casefold() for n in schema.FIXED_SHEETS), schema.SHEET_PROBLEMS.casefold()}
        names = self.sheet_names
        positions = [i for i, n in enumerate(names) if n.casefold() in fixed or self._is_case_sheet(n)]
        position = max(positions) + 1 if positions else len(names)
        template_index = [n.casefold() for n in names].index(from_sheet.casefold())
        self._add_sheet_part(name, root, position)
        copied = self.sheet(name)
        external = [rel for rel in source.rels if rel.get("TargetMode") == "External"]
        for rel in external:
            copied.rels.root.append(etree.fromstring(etree.tostring(rel)))
        if external:
            self.set_xml(copied.rels.path, copied.rels.root)
        kept_drawing = copied.child("drawing")
        if drawing_part is not None and kept_drawing is not None:
            clone = self._clone_part(drawing_part, (source.name, name), {})
            kept_drawing.set(_q("id", REL_NS), copied.rels.add(REL_DRAWING, clone))
            self._touch(copied)
        self._copy_local_names(
            source.name, template_index if template_index < position else template_index + 1, name, position
        )
        return name

    def _clone_part(self, part: str, sheets: tuple[str, str], cloned: dict[str, str]) -> str:
        """Copy XML ``part`` and the XML parts it links to (a drawing's charts, a chart's style and colours) under new
        names; return the copy's name. Chart formulas that read sheet ``sheets[0]`` read ``sheets[1]`` in the copy.
        Binary parts (pictures, embedded workbooks) are shared, as Excel shares a picture pasted twice."""
        known = cloned.get(part)
        if known is not None:
            return known
        root = _parse(_serialise(self.xml(part)), part, self.name)
        copy_name = self.new_part_name(_numbered_pattern(part))
        cloned[part] = copy_name
        self.set_xml(copy_name, root)  # reserves the name before the linked parts pick theirs
        content_type = self.content_types.of(part)
        if content_type is not None and self.content_types.of(copy_name) != content_type:
            self.content_types.add_override(copy_name, content_type)
        for tag in CHART_FORMULA_TAGS:
            for formula in root.iter(tag):
                formula.text = _retarget_formula(formula.text or "", *sheets)
        if not self.has_part(_rels_path(part)):
            return copy_name
        rels = _Rels(self, copy_name)
        for rel in _Rels(self, part):
            copy = etree.fromstring(etree.tostring(rel))
            target = _resolve(part, rel.get("Target", ""))
            if rel.get("TargetMode") != "External" and self.has_part(target) and _is_xml_part(target):
                copy.set("Target", _relative(copy_name, self._clone_part(target, sheets, cloned)))
            rels.root.append(copy)
        self.set_xml(rels.path, rels.root)
        return copy_name

    def _copy_local_names(self, source: str, source_index: int, target: str, target_index: int) -> None:
        """Copy the template sheet's local defined names (print titles, print area) to the new sheet."""
        names = self.workbook.find(_q("definedNames"))
        if names is None:
            return
        old = _sheet_reference(source)
        new = _sheet_reference(target)
        for defined in list(names.findall(_q("definedName"))):
            if defined.get("localSheetId") != str(source_index):
                continue
            copy = etree.fromstring(etree.tostring(defined))
            copy.set("localSheetId", str(target_index))
            formula = copy.text or ""
            for form in {old, f"{source}!"}:
                formula = formula.replace(form, new)
            copy.text = formula
            defined.addnext(copy)
        self.set_xml(self._workbook_part, self.workbook)

    # ---- the Mødetjekliste table

    @_guarded
    def append_checklist_row(self, values: Mapping[str, CellValue]) -> int:
        """Write ``values`` (column key -> value) into the next free Mødetjekliste row; grow the table over it."""
        sheet = self.sheet(schema.SHEET_CHECKLIST)
        row = schema.CHECKLIST_HEADER_ROW
        for number in reversed(sheet.rows_between(schema.CHECKLIST_FIRST_ROW, sheet.max_row)):
            if any(self._has_value(sheet, number, c) for c in range(1, schema.CHECKLIST_LAST_COLUMN + 1)):
                row = number
                break
        row += 1
        for key, value in values.items():
            self._put(sheet, row, schema.checklist_column(key), value)
        self._grow_table(sheet, schema.CHECKLIST_TABLE_NAME, row)
        return row

    @_guarded
    def extend_checklist(self, last_row: int) -> None:
        """Grow the Mødetjekliste table (filter, dropdowns) down to ``last_row``; a table that reaches further, or
        a removed table, stays as it is."""
        self._grow_table(self.sheet(schema.SHEET_CHECKLIST), schema.CHECKLIST_TABLE_NAME, last_row)

    def _has_value(self, sheet: _Sheet, row: int, column: int) -> bool:
        cell = sheet.cell(row, column, create=False)
        if cell is None:
            return False
        if cell.find(_q("f")) is not None or cell.find(_q("is")) is not None:
            return True
        value = cell.find(_q("v"))
        if value is None:
            return False
        if cell.get("t") == "s" and self.strings is not None:
            return self.strings.text(int(value.text or "-1")) != ""
        return (value.text or "") != ""

    def tables(self, sheet: _Sheet) -> list[tuple[str, etree._Element]]:
        return [(part, self.xml(part)) for _, part in sheet.rels.of_type(REL_TABLE) if self.has_part(part)]

    def _grow_table(self, sheet: _Sheet, table_name: str, last_row: int) -> None:
        """Extend the table (and its filter) down to ``last_row``; its columns, user's included, stay as they are."""
        for part, table in self.tables(sheet):
            if table_name not in (table.get("displayName"), table.get("name")):
                continue
            bounds = _range_bounds(table.get("ref", ""))
            if bounds is None:
                return
            top, left, bottom, right = bounds
            totals = int(table.get("totalsRowCount", "0") or 0)
            if last_row <= bottom - totals:
                return
            ref = schema.range_address(top, left, last_row + totals, right)
            table.set("ref", ref)
            self._extend_validations(sheet, left, right, last_row)
            auto_filter = table.find(_q("autoFilter"))
            if auto_filter is not None:
                auto_filter.set("ref", schema.range_address(top, left, last_row, right))
            self.set_xml(part, table)
            return

    def _extend_validations(self, sheet: _Sheet, left: int, right: int, row: int) -> None:
        """Dropdowns and date checks that reach the row above a new table row reach the new row too, as when
        Excel grows a table as someone types under it."""
        container = sheet.child("dataValidations")
        for validation in container.findall(_q("dataValidation")) if container is not None else []:
            ranges = validation.get("sqref", "").split()
            grown = []
            for ref in ranges:
                bounds = _range_bounds(ref)
                if bounds is not None and bounds[2] == row - 1 and left <= bounds[1] and bounds[3] <= right:
                    ref = schema.range_address(bounds[0], bounds[1], row, bounds[3])
                grown.append(ref)
            if grown != ranges:
                validation.set("sqref", " ".join(grown))
                self._touch(sheet)

    # ---- output

    def _finish(self) -> None:
        if self._strings is not None and self._strings_part is not None:
            self.set_xml(self._strings_part, self._strings.finish())
        if self._styles is not None and self._styles.changed and self._styles_part is not None:
            self.set_xml(self._styles_part, self._styles.root)
        if self._formula_removed:
            # Excel repairs a workbook whose calculation chain names a cell without a formula; it rebuilds the
            # chain itself when the part is absent.
            for rel_id, part in self.workbook_rels.of_type(REL_CALC_CHAIN):
                self.workbook_rels.remove(rel_id)
                self.remove_part(part)

    @_guarded
    def to_bytes(self) -> bytes:
        """The changed workbook: untouched parts byte for byte, in their order; encrypted again if it was."""
        self._finish()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
            for info in self._infos:
                name = info.filename
                if name in self._removed:
                    continue
                content = _serialise(self._xml[name]) if name in self._dirty else self._original[name]
                copy = zipfile.ZipInfo(name, date_time=info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                copy.create_system = info.create_system
                target.writestr(copy, content)
            for name in self._added:
                if name in self._removed:
                    continue
                info = zipfile.ZipInfo(
                    name, date_time=self._infos[0].date_time if self._infos else (1980, 1, 1, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, _serialise(self._xml[name]))
        data = buffer.getvalue()
        return encrypt(data, self._password) if self._password else data


def _drop_attribute(element: etree._Element, name: str) -> None:
    if name in element.attrib:
        del element.attrib[name]


def _sheet_reference(name: str) -> str:
    return "'" + name.replace("'", "''") + "'!"


def _formula_sheet_prefix(name: str) -> str:
    """``name!`` as Excel writes it in a formula: quoted only when the name needs it (a space, a dash, non-ASCII
    letters, or a name that reads as a cell address)."""
    if _PLAIN_SHEET_NAME.fullmatch(name) and not _CELL_LIKE_NAME.fullmatch(name):
        return f"{name}!"
    return _sheet_reference(name)


def _retarget_formula(formula: str, old: str, new: str) -> str:
    """``formula`` with its references to sheet ``old`` (quoted or not, any case) pointed at sheet ``new``.

    A small scanner, not a text replace: a string literal, another sheet whose name ends in ``old`` or a defined
    name that happens to equal it are left alone."""
    out: list[str] = []
    position = 0
    length = len(formula)
    while position < length:
        char = formula[position]
        if char == '"':  # a string literal ("" inside is an escaped quote)
            end = position + 1
            while end < length and not (formula[end] == '"' and formula[end + 1 : end + 2] != '"'):
                end += 2 if formula[end] == '"' else 1
            out.append(formula[position : end + 1])
            position = end + 1
            continue
        if char == "'":  # a quoted sheet name ('' inside is an escaped apostrophe)
            end = position + 1
            while end < length and not (formula[end] == "'" and formula[end + 1 : end + 2] != "'"):
                end += 2 if formula[end] == "'" else 1
            name = formula[position + 1 : end].replace("''", "'")
        elif char not in _NAME_STOPS:
            end = position
            while end + 1 < length and formula[end + 1] not in _NAME_STOPS:
                end += 1
            name = formula[position : end + 1]
        else:
            out.append(char)
            position += 1
            continue
        token = formula[position : end + 1]
        if formula[end + 1 : end + 2] == "!" and name.casefold() == old.casefold():
            out.append(_formula_sheet_prefix(new))
            position = end + 2
        else:
            out.append(token)
            position = end + 1
    return "".join(out)


def _numbered_pattern(part: str) -> str:
    """``xl/charts/chart1.xml`` -> ``xl/charts/chart{}.xml``: the name pattern for copies of ``part``."""
    folder, base = posixpath.split(part)
    stem, extension = posixpath.splitext(base)
    stem = stem.rstrip("0123456789") or stem

    def escaped(text: str) -> str:
        return text.replace("{", "{{").replace("}", "}}")

    return escaped(posixpath.join(folder, stem)) + "{}" + escaped(extension)


def _is_xml_part(part: str) -> bool:
    return part.lower().endswith((".xml", ".vml"))


_LINK_CONTAINERS = {"tableParts", "oleObjects", "controls", "hyperlinks"}


def _drop_internal_links(root: etree._Element, keep: set[str]) -> None:
    """Remove from a copied sheet every element that points at a part of the original sheet (a drawing, notes,
    tables, controls); those parts belong to one sheet only. Relationship ids in ``keep`` stay."""
    rel_attribute = _q("id", REL_NS)
    for element in list(root.iter()):
        link = element.get(rel_attribute)
        if link is None or link in keep:
            continue
        if _local(element.tag) == "pageSetup":
            del element.attrib[rel_attribute]  # printer settings: the copy uses the defaults
            continue
        parent = element.getparent()
        if parent is None:
            continue
        parent.remove(element)
        if _local(parent.tag) in _LINK_CONTAINERS and len(parent) == 0:
            grandparent = parent.getparent()
            if grandparent is not None:
                grandparent.remove(parent)
        elif _local(parent.tag) == "tableParts":
            parent.set("count", str(len(parent)))


def open_package(path: str | os.PathLike[str], *, password: str | None = None) -> PackageEditor:
    """The package of the workbook at ``path``, read into memory for patching."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise WorkbookError(
            name, f"filen kan ikke åbnes ({os_reason(error)})", "Kontrollér, at du må læse den"
        ) from error
    return PackageEditor(data, password=password, name=name)


def save_package(data: bytes | PackageEditor, path: str | os.PathLike[str]) -> None:
    """Write the patched workbook (or its bytes) to ``path`` atomically (temp file in the same folder, then replace)."""
    content = data.to_bytes() if isinstance(data, PackageEditor) else data
    with atomic_output(path) as staged:
        staged.write_bytes(content)
