"""Build the hostile-workbook corpus: one small valid workbook, mutated in every way users and attackers do.

The base is written by ``workbook.writer.write_workbook`` from ``samarbejde_xl.demo`` data (clean, three young people).
Every variant is made by rewriting parts inside the zip (cells, sheets, whole packages), a few milliseconds each, so
the whole corpus builds in about two seconds. Each :class:`Variant` declares exactly what reading it must report:
the problem or ``WorkbookError`` code, the place and a fragment of the message.

Only synthetic data: the planted CPR-like numbers and names are made up for the scanner tests.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr, unescape

from samarbejde_xl import schema
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook.data_writer import write_workbook_bytes
from samarbejde_xl.workbook.reader import MAX_UNCOMPRESSED_BYTES

TODAY = date(2026, 10, 1)
SEED = 61
PASSWORD = "Hemmelig-123"
"""Password of the corpus' encrypted workbook (read without it, it must say it is encrypted)."""

Kind = Literal["unreadable", "problem", "skipped", "clean"]


@dataclass(frozen=True)
class ExpectedOutcome:
    """What reading a variant must give.

    - ``unreadable``: a ``WorkbookError`` with ``code`` whose text contains ``message_part``.
    - ``problem``: a problem ``code`` at ``sheet``/``cell`` whose message contains ``message_part``.
    - ``skipped``: discovery skips the file (``code`` says why: ``lock-file``).
    - ``clean``: read without any problem (the change is harmless and must stay so).
    """

    kind: Kind
    code: str = ""
    sheet: str = ""
    cell: str = ""
    message_part: str = ""


@dataclass(frozen=True)
class Variant:
    name: str
    path: Path
    expect: ExpectedOutcome
    companions: tuple[Path, ...] = ()  # read in the same batch (the duplicate-id and lock-file variants)


def unreadable(code: str, message_part: str) -> ExpectedOutcome:
    return ExpectedOutcome("unreadable", code, message_part=message_part)


def problem(code: str, sheet: str, cell: str, message_part: str) -> ExpectedOutcome:
    return ExpectedOutcome("problem", code, sheet, cell, message_part)


CLEAN = ExpectedOutcome("clean")

# --------------------------------------------------------------------------------------------------
# Places (all from the schema)
# --------------------------------------------------------------------------------------------------

CASE = "U-0001"  # the case sheet most cell variants change
CHECKLIST = schema.SHEET_CHECKLIST
SETTINGS = schema.SHEET_SETTINGS
FIRST_MEETING_ROW = schema.CHECKLIST_FIRST_ROW


def serial(day: date) -> int:
    """Excel's number for ``day`` (1900 date system)."""
    return (day - date(1899, 12, 30)).days


def field_cell(key: str) -> str:
    return schema.CASE_FIELDS_BY_KEY[key].cell


def block_cell(block: str, index: int, key: str) -> str:
    return schema.CASE_BLOCKS_BY_KEY[block].cell(index, key)


def meeting_cell(key: str, row: int = FIRST_MEETING_ROW) -> str:
    return schema.checklist_cell(row, key)


def label_of_field(key: str) -> str:
    return schema.CASE_FIELDS_BY_KEY[key].label


def header_of(key: str) -> str:
    return schema.CHECKLIST_COLUMNS_BY_KEY[key].header


# --------------------------------------------------------------------------------------------------
# Editing the package at the XML level
# --------------------------------------------------------------------------------------------------


class Formula(str):
    """A cell value written as a formula (``<f>``), without a cached value unless ``cached`` is given."""

    cached: str | None = None


def formula(text: str, cached: str | None = None) -> Formula:
    value = Formula(text)
    value.cached = cached
    return value


class ErrorValue(str):
    """A cell holding an Excel error (``#REF!``)."""


class Unformatted(int):
    """A number written without the cell's number format (typed into a cell formatted as General)."""


class RawCell:
    """A cell element written as given: extra attributes and inner XML (shared strings, ISO date cells)."""

    def __init__(self, attributes: str, inner: str) -> None:
        self.attributes = attributes
        self.inner = inner


class RawText(str):
    """Text written into ``<t>`` without escaping (Excel's ``_x0007_`` escapes, entity references)."""


CellInput = str | int | float | bool | RawCell | None

_ROW = r'<row r="{row}"(?:\s[^>]*)?(?:/>|>.*?</row>)'
_CELL = re.compile(r'<c r="([A-Z]{1,3})([0-9]+)"([^>]*?)(?:/>|>.*?</c>)', re.S)
_STYLE = re.compile(r'\ss="([0-9]+)"')
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"


def _cell_xml(address: str, value: CellInput, style: str) -> str:
    style_attr = f' s="{style}"' if style and not isinstance(value, Unformatted) else ""
    if value is None:
        return f'<c r="{address}"{style_attr}/>'
    if isinstance(value, RawCell):
        return f'<c r="{address}"{style_attr} {value.attributes}>{value.inner}</c>'
    if isinstance(value, Formula):
        cached = f"<v>{escape(value.cached)}</v>" if value.cached is not None else ""
        if value.cached is not None and value.cached.startswith("#"):
            style_attr += ' t="e"'
        return f'<c r="{address}"{style_attr}><f>{escape(str(value).removeprefix("="))}</f>{cached}</c>'
    if isinstance(value, ErrorValue):
        return f'<c r="{address}"{style_attr} t="e"><v>{escape(str(value))}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{address}"{style_attr} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{address}"{style_attr}><v>{value!r}</v></c>'
    text = value if isinstance(value, RawText) else escape(value)
    return f'<c r="{address}"{style_attr} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def set_cell_xml(xml: str, address: str, value: CellInput) -> str:
    """``xml`` (a worksheet part) with the cell at ``address`` replaced, inserted or (``None``) emptied."""
    row, column = schema.parse_cell(address)
    row_match = re.search(_ROW.format(row=row), xml, re.S)
    if row_match is None:
        new_row = f'<row r="{row}">{_cell_xml(address, value, "")}</row>'
        for other in re.finditer(r'<row r="([0-9]+)"', xml):
            if int(other.group(1)) > row:
                return xml[: other.start()] + new_row + xml[other.start() :]
        if "<sheetData/>" in xml:
            return xml.replace("<sheetData/>", f"<sheetData>{new_row}</sheetData>")
        return xml.replace("</sheetData>", new_row + "</sheetData>")
    row_xml = row_match.group(0)
    if row_xml.endswith("/>"):
        row_xml = row_xml[:-2] + "></row>"
    insert_at = row_xml.rindex("</row>")
    new_row_xml = None
    for cell in _CELL.finditer(row_xml):
        other_column = schema.column_index(cell.group(1))
        if other_column == column:
            style_match = _STYLE.search(cell.group(3))
            new_cell = _cell_xml(address, value, style_match.group(1) if style_match else "")
            new_row_xml = row_xml[: cell.start()] + new_cell + row_xml[cell.end() :]
            break
        if other_column > column:
            insert_at = cell.start()
            break
    if new_row_xml is None:
        new_row_xml = row_xml[:insert_at] + _cell_xml(address, value, "") + row_xml[insert_at:]
    return xml[: row_match.start()] + new_row_xml + xml[row_match.end() :]


class Package:
    """The members of an xlsx zip, editable by sheet name."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            self.members: dict[str, bytes] = {info.filename: source.read(info) for info in source.infolist()}

    def copy(self) -> Package:
        clone = Package.__new__(Package)
        clone.members = dict(self.members)
        return clone

    def text(self, member: str) -> str:
        return self.members[member].decode("utf-8")

    def put(self, member: str, text: str) -> None:
        self.members[member] = text.encode("utf-8")

    def sheet_part(self, sheet: str) -> str:
        relation_id = self._sheet_attributes(sheet)["r:id"]
        rels = self.text(WORKBOOK_RELS)
        for relation in re.finditer(r"<Relationship [^>]*>", rels):
            if f'Id="{relation_id}"' in relation.group(0):
                target = re.search(r'Target="([^"]+)"', relation.group(0))
                assert target is not None
                # Absolute ("/xl/worksheets/…", as the corpus' writer puts it) or relative to xl/ (as openpyxl does).
                path = target.group(1)
                return path[1:] if path.startswith("/") else f"xl/{path}"
        raise KeyError(sheet)

    def _sheet_element(self, sheet: str) -> re.Match[str]:
        match = re.search(r"<sheet name=" + re.escape(quoteattr(sheet)) + r"[^>]*/>", self.text(WORKBOOK_PART))
        if match is None:
            raise KeyError(sheet)
        return match

    def _sheet_attributes(self, sheet: str) -> dict[str, str]:
        return dict(re.findall(r'(\S+)="([^"]*)"', self._sheet_element(sheet).group(0)))

    def cell_text(self, sheet: str, address: str) -> str:
        """The text of an inline-string cell ("" when it holds something else)."""
        xml = self.text(self.sheet_part(sheet))
        match = re.search(rf'<c r="{address}"[^>]*t="inlineStr"[^>]*><is><t[^>]*>([^<]*)</t>', xml)
        return unescape(match.group(1)) if match else ""

    def set_cell(self, sheet: str, address: str, value: CellInput) -> None:
        part = self.sheet_part(sheet)
        self.put(part, set_cell_xml(self.text(part), address, value))

    def set_state(self, sheet: str, state: str) -> None:
        element = self._sheet_element(sheet)
        workbook = self.text(WORKBOOK_PART)
        changed = re.sub(r'state="[^"]*"', f'state="{state}"', element.group(0))
        self.put(WORKBOOK_PART, workbook[: element.start()] + changed + workbook[element.end() :])

    def rename_sheet(self, sheet: str, new_name: str) -> None:
        element = self._sheet_element(sheet)
        workbook = self.text(WORKBOOK_PART)
        changed = element.group(0).replace(f"name={quoteattr(sheet)}", f"name={quoteattr(new_name)}")
        self.put(WORKBOOK_PART, workbook[: element.start()] + changed + workbook[element.end() :])

    def remove_sheet(self, sheet: str) -> None:
        """Drop the sheet from the workbook part (its XML part stays, orphaned: harmless to readers)."""
        element = self._sheet_element(sheet)
        workbook = self.text(WORKBOOK_PART)
        workbook = workbook[: element.start()] + workbook[element.end() :]
        # Print titles etc. point at sheets by position: drop them rather than leave them pointing elsewhere.
        workbook = re.sub(r"<definedNames>.*?</definedNames>", "", workbook, flags=re.S)
        self.put(WORKBOOK_PART, workbook)

    def copy_sheet(self, sheet: str, new_name: str) -> None:
        """A hand-made copy of ``sheet`` (what 'Flyt eller kopiér' does), added at the end."""
        source_part = self.sheet_part(sheet)
        number = 1 + max(int(n) for n in re.findall(r"sheetId=\"([0-9]+)\"", self.text(WORKBOOK_PART)))
        part = f"xl/worksheets/sheet{number}.xml"
        while part in self.members:
            number += 1
            part = f"xl/worksheets/sheet{number}.xml"
        relation_id = f"rIdCopy{number}"
        self.members[part] = self.members[source_part]
        self.put(
            WORKBOOK_RELS,
            self.text(WORKBOOK_RELS).replace(
                "</Relationships>",
                f'<Relationship Type="{_NS_REL}/worksheet" Target="/{part}" Id="{relation_id}"/></Relationships>',
            ),
        )
        self.put(
            WORKBOOK_PART,
            self.text(WORKBOOK_PART).replace(
                "</sheets>",
                f'<sheet name={quoteattr(new_name)} sheetId="{number}" state="visible" r:id="{relation_id}"/></sheets>',
            ),
        )
        worksheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        self.put(
            CONTENT_TYPES,
            self.text(CONTENT_TYPES).replace(
                "</Types>", f'<Override PartName="/{part}" ContentType="{worksheet_type}"/></Types>'
            ),
        )

    def merge(self, sheet: str, cell_range: str) -> None:
        """Merge ``cell_range`` as Excel does: only the top-left value survives."""
        first, last = cell_range.split(":")
        first_row, first_col = schema.parse_cell(first)
        last_row, last_col = schema.parse_cell(last)
        part = self.sheet_part(sheet)
        xml = self.text(part)
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                if (row, col) != (first_row, first_col):
                    xml = set_cell_xml(xml, schema.cell_address(row, col), None)
        merge = f'<mergeCells count="1"><mergeCell ref="{cell_range}"/></mergeCells>'
        protection = re.search(r"<sheetProtection[^>]*/>", xml)
        at = protection.end() if protection else xml.index("</sheetData>") + len("</sheetData>")
        self.put(part, xml[:at] + merge + xml[at:])

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for name, content in self.members.items():
                target.writestr(name, content, compresslevel=1)
        return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# Hand-made non-xlsx files
# --------------------------------------------------------------------------------------------------


def minimal_xls() -> bytes:
    """A tiny Excel 97-2003 file: an OLE compound file holding a ``Workbook`` stream (BOF + EOF records).

    Version 3 compound file, 512-byte sectors: header, one FAT sector, one directory sector, and an 8-sector
    ``Workbook`` stream (4096 bytes, so no mini stream is needed).
    """
    sector = 512
    free, end_of_chain, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    stream_sectors = 8
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:26] = (0x3E).to_bytes(2, "little")  # minor version
    header[26:28] = (3).to_bytes(2, "little")  # major version
    header[28:30] = (0xFFFE).to_bytes(2, "little")  # byte order
    header[30:32] = (9).to_bytes(2, "little")  # sector shift: 512
    header[32:34] = (6).to_bytes(2, "little")  # mini sector shift: 64
    header[44:48] = (1).to_bytes(4, "little")  # FAT sectors
    header[48:52] = (1).to_bytes(4, "little")  # first directory sector
    header[56:60] = (4096).to_bytes(4, "little")  # mini stream cutoff
    header[60:64] = end_of_chain.to_bytes(4, "little")  # first mini FAT sector
    header[68:72] = end_of_chain.to_bytes(4, "little")  # first DIFAT sector
    header[76:80] = (0).to_bytes(4, "little")  # DIFAT[0]: the FAT is sector 0
    for index in range(1, 109):
        header[76 + 4 * index : 80 + 4 * index] = free.to_bytes(4, "little")

    fat = [fat_sector, end_of_chain, *range(3, 2 + stream_sectors), end_of_chain]
    fat += [free] * (sector // 4 - len(fat))
    fat_bytes = b"".join(entry.to_bytes(4, "little") for entry in fat)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        raw[0 : len(encoded)] = encoded
        raw[64:66] = len(encoded).to_bytes(2, "little")
        raw[66] = kind
        raw[67] = 1  # black
        raw[68:72] = no_stream.to_bytes(4, "little")
        raw[72:76] = no_stream.to_bytes(4, "little")
        raw[76:80] = child.to_bytes(4, "little")
        raw[116:120] = start.to_bytes(4, "little")
        raw[120:124] = size.to_bytes(4, "little")
        return bytes(raw)

    directory = (
        entry("Root Entry", 5, 1, end_of_chain, 0)
        + entry("Workbook", 2, no_stream, 2, stream_sectors * sector)
        + entry("", 0, no_stream, 0, 0) * 2
    )
    bof = (
        (0x0809).to_bytes(2, "little") + (16).to_bytes(2, "little") + bytes.fromhex("0006100000000000c1c0000006000000")
    )
    eof = (0x000A).to_bytes(2, "little") + (0).to_bytes(2, "little")
    stream = (bof + eof).ljust(stream_sectors * sector, b"\0")
    return bytes(header) + fat_bytes + directory + stream


def minimal_ods() -> bytes:
    """An OpenDocument spreadsheet package (what LibreOffice saves by default)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        package.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            '<table:table table:name="Ark1"><table:table-row><table:table-cell><text:p>U-0001</text:p>'
            "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
            "</office:document-content>",
        )
        package.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "</manifest:manifest>",
        )
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(base: Package) -> bytes:
    """The base workbook plus a picture part that inflates to just over the reader's limit (about 200 kB packed)."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in base.members.items():
            package.writestr(name, content, compresslevel=1)
        with package.open("xl/media/image1.png", "w", force_zip64=True) as bomb:
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
                bomb.write(chunk)
    return buffer.getvalue()


def understated_size(base: Package, member: str, padding: int) -> bytes:
    """A package whose ``member`` inflates to ``padding`` bytes more than its headers declare (the other kind of
    zip bomb: the declared sizes look harmless)."""
    original = base.members[member]
    padded = original.replace(b"</sheetData>", b"</sheetData>" + b" " * padding)
    members = {**base.members, member: padded}
    data = bytearray(zip_of(members))
    declared = len(original).to_bytes(4, "little")
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        local_header = package.getinfo(member).header_offset
    data[local_header + 22 : local_header + 26] = declared
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + name_length] == member.encode():
            data[central + 24 : central + 28] = declared
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def encrypted(data: bytes, password: str) -> bytes:
    """``data`` encrypted as Excel's 'Encrypt with password' does (agile encryption, in an OLE container)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    output = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, output)
    return output.getvalue()


def lock_file_bytes(user: str) -> bytes:
    """Excel's owner file: the user name as a length-prefixed string, padded to 165 bytes."""
    name = user.encode("latin-1")
    return (bytes([len(name)]) + name).ljust(54, b" ") + (bytes([len(name), 0]) + user.encode("utf-16-le")).ljust(
        111, b" "
    )


# --------------------------------------------------------------------------------------------------
# XML attacks
# --------------------------------------------------------------------------------------------------

BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + "]>"
)
EXTERNAL_ENTITY_DTD = '<!DOCTYPE data [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
EXTERNAL_DTD = '<!DOCTYPE data SYSTEM "http://example.invalid/evil.dtd">'
PARAMETER_ENTITY_DTD = (
    '<!DOCTYPE data [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd">%remote;<!ENTITY local "x">]>'
)
SECRET_MARKER = "root:"
"""Text of /etc/passwd that must never appear in anything read or written."""


def with_doctype(xml: str, doctype: str) -> str:
    """``xml`` with a document type declaration after its XML declaration (or at the start)."""
    if xml.startswith("<?xml"):
        end = xml.index("?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml


# --------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------


def base_data() -> WorkbookData:
    return generate_municipality(workbooks=1, cases=3, seed=SEED, today=TODAY, clean=True)[0].data


Content = bytes | Callable[[], bytes]


class _Builder:
    """Collects the variants; with ``write`` False nothing is generated (the names and expectations are static,
    so tests can parametrize over them at collection time without building anything)."""

    def __init__(self, folder: Path, *, write: bool) -> None:
        self.folder = folder
        self.write = write
        self.variants: list[Variant] = []
        self._base_bytes: bytes | None = None
        self._base: Package | None = None

    @property
    def base_bytes(self) -> bytes:
        if self._base_bytes is None:
            self._base_bytes = write_workbook_bytes(base_data(), today=TODAY)
        return self._base_bytes

    @property
    def base(self) -> Package:
        if self._base is None:
            self._base = Package(self.base_bytes)
        return self._base

    def path(self, file_name: str) -> Path:
        return self.folder / file_name

    def add_path(self, name: str, path: Path, expect: ExpectedOutcome, companions: tuple[Path, ...] = ()) -> None:
        self.variants.append(Variant(name, path, expect, companions))

    def add_bytes(
        self,
        name: str,
        data: Content,
        expect: ExpectedOutcome,
        *,
        file_name: str = "",
        companions: tuple[Path, ...] = (),
    ) -> Path:
        path = self.path(file_name or f"{name}.xlsx")
        if self.write:
            path.write_bytes(data() if callable(data) else data)
        self.add_path(name, path, expect, companions)
        return path

    def add(self, name: str, change: Callable[[Package], None], expect: ExpectedOutcome, file_name: str = "") -> Path:
        def content() -> bytes:
            package = self.base.copy()
            change(package)
            return package.to_bytes()

        return self.add_bytes(name, content, expect, file_name=file_name)

    def cell(self, name: str, sheet: str, address: str, value: CellInput, expect: ExpectedOutcome) -> Path:
        return self.add(name, lambda package: package.set_cell(sheet, address, value), expect)

    def cell_from(
        self, name: str, sheet: str, address: str, value: Callable[[str], CellInput], expect: ExpectedOutcome
    ) -> Path:
        """Like :meth:`cell`, with the new value computed from the cell's current text."""

        def change(package: Package) -> None:
            package.set_cell(sheet, address, value(package.cell_text(sheet, address)))

        return self.add(name, change, expect)


def _file_variants(b: _Builder) -> None:
    folder_variant = b.path("mappe.xlsx")
    if b.write:
        folder_variant.mkdir()
    b.add_path("folder-named-xlsx", folder_variant, unreadable("folder", "er en mappe"))
    b.add_bytes("empty-0-bytes", b"", unreadable("empty", "filen er tom (0 bytes)"))
    b.add_bytes("one-byte", b"P", unreadable("not-xlsx", "ikke en Excel-projektmappe"))
    text = "Ung-id;Fødselsdato\nU-0001;01-02-2008\n"
    b.add_bytes("text-renamed", "Noter til møder\n".encode(), unreadable("not-xlsx", "ikke en zip-pakke"))
    b.add_bytes("csv-renamed", text.encode("utf-8"), unreadable("not-xlsx", "omdøbt tekst- eller CSV-fil"))
    b.add_bytes("csv-utf8-bom-renamed", b"\xef\xbb\xbf" + text.encode("utf-8"), unreadable("not-xlsx", "ikke en zip"))
    b.add_bytes("csv-utf16-renamed", text.encode("utf-16"), unreadable("not-xlsx", "ikke en zip-pakke"))
    html = "<html><body><table><tr><td>U-0001</td></tr></table></body></html>"
    b.add_bytes("html-renamed", html.encode(), unreadable("not-xlsx", "ikke en Excel-projektmappe"))
    b.add_bytes("xml-spreadsheet-2003-renamed", b'<?xml version="1.0"?><Workbook/>', unreadable("not-xlsx", "zip"))
    b.add_bytes("random-bytes", bytes(range(256)) * 8, unreadable("not-xlsx", "ikke en Excel-projektmappe"))
    b.add_bytes("xls-file", minimal_xls(), unreadable("xls", "Excel 97-2003"), file_name="gammel.xls")
    b.add_bytes("xls-renamed-xlsx", minimal_xls(), unreadable("xls", "gem den som 'Excel-projektmappe (*.xlsx)'"))
    b.add_bytes("ods-file", minimal_ods(), unreadable("ods", "OpenDocument-regneark"), file_name="libre.ods")
    b.add_bytes("ods-renamed-xlsx", minimal_ods(), unreadable("ods", "gem det som .xlsx"))
    b.add_bytes(
        "truncated-half",
        lambda: b.base_bytes[: len(b.base_bytes) // 2],
        unreadable("corrupt", "projektmappen er beskadiget"),
    )
    b.add_bytes("truncated-100-bytes", lambda: b.base_bytes[:100], unreadable("corrupt", "zip-pakken kan ikke læses"))
    b.add_bytes("truncated-end-record", lambda: b.base_bytes[:-10], unreadable("corrupt", "beskadiget"))
    b.add_bytes("pk-header-only", b"PK\x03\x04" + b"\0" * 40, unreadable("corrupt", "beskadiget"))
    docx = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})
    b.add_bytes("docx-renamed", docx, unreadable("not-xlsx", "ingen projektmappedel"))
    b.add_bytes("plain-zip", zip_of({"notes.txt": b"hej"}), unreadable("not-xlsx", "ingen projektmappedel"))
    b.add_bytes("zip-bomb", lambda: zip_bomb(b.base), unreadable("too-large", "mere end grænsen"))
    b.add_bytes(
        "zip-understated-size",
        lambda: understated_size(b.base, b.base.sheet_part(SETTINGS), 5_000_000),
        unreadable("corrupt", "beskadiget"),  # the sheet scan's CRC check or calamine's size check, whichever first
    )
    b.add_bytes(
        "encrypted-no-password",
        lambda: encrypted(b.base_bytes, PASSWORD),
        unreadable("encrypted", "beskyttet med kodeord"),
    )

    def damaged() -> bytes:
        """A few bytes overwritten inside a sheet the reader reads: the packed data no longer inflates."""
        part = b.base.sheet_part(SETTINGS)
        data = bytearray(b.base.to_bytes())
        offset = data.index(part.encode()) + len(part) + 40
        data[offset : offset + 8] = b"\xff" * 8
        return bytes(data)

    b.add_bytes("corrupt-sheet-data", damaged, unreadable("corrupt", "kunne ikke læses"))

    def broken_xml(package: Package) -> None:
        part = package.sheet_part(SETTINGS)
        package.put(part, package.text(part)[:-300])

    b.add("sheet-xml-cut-off", broken_xml, unreadable("corrupt", "kunne ikke læses"))

    def no_workbook_part(package: Package) -> None:
        del package.members[WORKBOOK_PART]

    b.add("workbook-part-missing", no_workbook_part, unreadable("not-xlsx", "ingen projektmappedel"))

    def no_sheet_part(package: Package) -> None:
        del package.members[package.sheet_part(SETTINGS)]

    b.add("settings-part-missing", no_sheet_part, unreadable("corrupt", "kunne ikke læses"))

    # Lock file beside its workbook: discovery skips it; the workbook itself is read.
    workbook = b.path("laast.xlsx")
    lock = b.path("~$laast.xlsx")
    if b.write:
        workbook.write_bytes(b.base_bytes)
        lock.write_bytes(lock_file_bytes("Guide AB"))
    b.add_path("excel-lock-file", lock, ExpectedOutcome("skipped", "lock-file"), (workbook,))


def _xml_attack_variants(b: _Builder) -> None:
    def doctype_in(member_of: Callable[[Package], str], doctype: str, reference: str = "") -> Callable[[Package], None]:
        def change(package: Package) -> None:
            member = member_of(package)
            package.put(member, with_doctype(package.text(member), doctype))
            if reference:
                package.set_cell(SETTINGS, schema.settings_value_cell("municipality"), RawText(reference))

        return change

    def settings_part(package: Package) -> str:
        return package.sheet_part(SETTINGS)

    def workbook_part(_package: Package) -> str:
        return WORKBOOK_PART

    def content_types(_package: Package) -> str:
        return CONTENT_TYPES

    b.add(
        "billion-laughs-in-sheet",
        doctype_in(settings_part, BILLION_LAUGHS_DTD, "&lol9;"),
        unreadable("corrupt", "kunne ikke læses"),
    )
    b.add(
        "billion-laughs-declared-unused",
        doctype_in(workbook_part, BILLION_LAUGHS_DTD),
        CLEAN,
    )
    b.add(
        "external-entity-in-sheet",
        doctype_in(settings_part, EXTERNAL_ENTITY_DTD, "&xxe;"),
        unreadable("corrupt", "kunne ikke læses"),
    )
    b.add("external-dtd-in-workbook-part", doctype_in(workbook_part, EXTERNAL_DTD), CLEAN)
    b.add("parameter-entity-in-sheet", doctype_in(settings_part, PARAMETER_ENTITY_DTD), CLEAN)
    b.add("external-entity-in-content-types", doctype_in(content_types, EXTERNAL_ENTITY_DTD), CLEAN)


def _sheet_variants(b: _Builder) -> None:
    version_cell = schema.TEMPLATE_VERSION_CELL
    b.cell("template-version-0-older", SETTINGS, version_cell, 0, unreadable("old-template", "gamle skabelonversion 0"))
    b.cell("template-version-99-newer", SETTINGS, version_cell, 99, unreadable("newer-template", "version 99"))
    b.cell(
        "template-version-2-newer",
        SETTINGS,
        version_cell,
        schema.TEMPLATE_VERSION + 1,
        unreadable("newer-template", "Opdatér samarbejde-xl"),
    )
    b.cell("template-version-empty", SETTINGS, version_cell, None, unreadable("foreign", "ingen skabelonversion"))
    b.cell("template-version-text", SETTINGS, version_cell, "ny", unreadable("foreign", "ikke en samarbejde-xl"))
    b.cell("template-version-as-text", SETTINGS, version_cell, str(schema.TEMPLATE_VERSION), CLEAN)
    b.add(
        "settings-sheet-renamed",
        lambda p: p.rename_sheet(SETTINGS, "Opsætning"),
        unreadable("foreign", f"arket '{SETTINGS}' mangler"),
    )
    b.add("settings-sheet-deleted", lambda p: p.remove_sheet(SETTINGS), unreadable("foreign", "ikke en samarbejde-xl"))
    b.add(
        "checklist-deleted",
        lambda p: p.remove_sheet(CHECKLIST),
        problem("missing-sheet", CHECKLIST, "", f"Arket '{CHECKLIST}' mangler"),
    )
    b.add(
        "checklist-renamed",
        lambda p: p.rename_sheet(CHECKLIST, f"{CHECKLIST} (2)"),
        problem("missing-sheet", CHECKLIST, "", "Kopiér det fra en ny skabelon"),
    )
    b.add(
        "checklist-renamed-unknown-sheet",
        lambda p: p.rename_sheet(CHECKLIST, "Møder gammel"),
        problem("unknown-sheet", "Møder gammel", "", "bliver ikke læst"),
    )
    b.add("case-template-deleted", lambda p: p.remove_sheet(schema.SHEET_CASE_TEMPLATE), CLEAN)
    b.add("lists-sheet-deleted", lambda p: p.remove_sheet(schema.SHEET_LISTS), CLEAN)
    b.add("guide-sheet-deleted", lambda p: p.remove_sheet(schema.SHEET_GUIDE), CLEAN)
    b.add("case-sheet-renamed", lambda p: p.rename_sheet(CASE, "Ny sag 1"), CLEAN)
    b.add(
        "case-sheet-hidden",
        lambda p: p.set_state(CASE, "hidden"),
        problem("hidden-case-sheet", CASE, "", "er skjult, men bliver læst med"),
    )
    b.add(
        "case-sheet-very-hidden",
        lambda p: p.set_state(CASE, "veryHidden"),
        problem("hidden-case-sheet", CASE, "", "Vis arket igen"),
    )
    b.add("checklist-hidden", lambda p: p.set_state(CHECKLIST, "hidden"), CLEAN)
    b.add("settings-very-hidden", lambda p: p.set_state(SETTINGS, "veryHidden"), CLEAN)

    def user_sheet(package: Package) -> None:
        package.copy_sheet(schema.SHEET_GUIDE, "Mine noter")

    b.add("extra-user-sheet", user_sheet, problem("unknown-sheet", "Mine noter", "", "Opret sager med knappen Ny sag"))
    b.cell(
        "case-title-overwritten",
        CASE,
        schema.CASE_TITLE_CELL,
        "Min sag",
        problem("unknown-sheet", CASE, "", "hverken et sagsark"),
    )

    def copied_once(package: Package) -> None:
        package.copy_sheet(CASE, f"{CASE} (2)")

    def copied_twice(package: Package) -> None:
        package.copy_sheet(CASE, f"{CASE} (2)")
        package.copy_sheet(CASE, f"{CASE} (3)")

    b.add(
        "case-sheet-copied-once",
        copied_once,
        problem("duplicate-case-id", f"{CASE} (2)", field_cell("case_id"), f"bruges også på arket '{CASE}'"),
    )
    b.add(
        "case-sheet-copied-twice",
        copied_twice,
        problem("duplicate-case-id", f"{CASE} (3)", field_cell("case_id"), f"bruges også på arket '{CASE}'"),
    )

    original = b.path("dublet-a-original.xlsx")
    if b.write:
        original.write_bytes(b.base_bytes)
    b.add_bytes(
        "duplicate-ids-across-workbooks",
        lambda: b.base_bytes,
        problem("duplicate-case-id-across", CASE, field_cell("case_id"), "dublet-a-original.xlsx"),
        file_name="dublet-b-kopi.xlsx",
        companions=(original,),
    )

    def merged_checklist(package: Package) -> None:
        package.merge(CHECKLIST, f"{meeting_cell('case_id')}:{meeting_cell('case_id', FIRST_MEETING_ROW + 1)}")

    b.add(
        "merged-cells-over-checklist-ids",
        merged_checklist,
        problem("required-missing", CHECKLIST, meeting_cell("case_id", FIRST_MEETING_ROW + 1), "Ung-id mangler"),
    )

    def merged_case_fields(package: Package) -> None:
        package.merge(CASE, f"{field_cell('inclusion_date')}:{field_cell('coordinator')}")

    b.add(
        "merged-cells-over-case-fields",
        merged_case_fields,
        problem("required-missing", CASE, field_cell("coordinator"), "Udfyld feltet"),
    )

    def merged_across_columns(package: Package) -> None:
        first = schema.CASE_BLOCKS_BY_KEY["team"].cell(0, "name")
        last = schema.CASE_BLOCKS_BY_KEY["team"].cell(0, "profession")
        package.merge(CASE, f"{first}:{last}")

    b.add(
        "merged-cells-over-team-row",
        merged_across_columns,  # the merge wipes the coordinator's profession
        problem("team-no-coordinator", CASE, block_cell("team", 0, "profession"), "Tilføj koordinatoren"),
    )


def _column_variants(b: _Builder) -> None:
    header = schema.CHECKLIST_HEADER_ROW
    b.cell(
        "checklist-id-header-renamed",
        CHECKLIST,
        schema.checklist_cell(header, "case_id"),
        "Id",
        problem("checklist-not-read", CHECKLIST, "", f"kolonnen '{header_of('case_id')}' mangler"),
    )
    b.cell(
        "checklist-kind-header-renamed",
        CHECKLIST,
        schema.checklist_cell(header, "kind"),
        "Type",
        problem("checklist-header", CHECKLIST, schema.checklist_cell(header, "kind"), "men hedder 'Type'"),
    )
    b.cell(
        "checklist-header-emptied",
        CHECKLIST,
        schema.checklist_cell(header, "notes"),
        None,
        problem("checklist-header", CHECKLIST, schema.checklist_cell(header, "notes"), "Ret overskriften tilbage"),
    )
    b.cell(
        "extra-column-after-table",
        CHECKLIST,
        schema.cell_address(header, schema.CHECKLIST_LAST_COLUMN + 1),
        "Min egen kolonne",
        CLEAN,
    )
    b.cell(
        "extra-column-values-after-table",
        CHECKLIST,
        schema.cell_address(FIRST_MEETING_ROW, schema.CHECKLIST_LAST_COLUMN + 2),
        "ekstra",
        CLEAN,
    )

    def shifted(insert: bool) -> Callable[[Package], None]:
        """Columns moved: every cell of the checklist from the date column on, one column right or left."""

        def change(package: Package) -> None:
            part = package.sheet_part(CHECKLIST)
            date_column = schema.checklist_column("date")

            def move(match: re.Match[str]) -> str:
                column = schema.column_index(match.group(1))
                if column < date_column:
                    return match.group(0)
                new_column = column + 1 if insert else column - 1
                if new_column < date_column:  # the deleted column
                    return ""
                return match.group(0).replace(
                    f'r="{match.group(1)}{match.group(2)}"', f'r="{schema.column_letter(new_column)}{match.group(2)}"'
                )

            package.put(part, _CELL.sub(move, package.text(part)))

        return change

    b.add(
        "checklist-column-deleted",
        shifted(insert=False),
        problem(
            "checklist-not-read",
            CHECKLIST,
            "",
            f"kolonnen '{header_of('date')}' mangler",
        ),
    )
    b.add(
        "checklist-column-inserted",
        shifted(insert=True),
        problem("checklist-header", CHECKLIST, schema.checklist_cell(header, "date"), "flyt ikke kolonner"),
    )


DATE_SPELLINGS: tuple[tuple[str, str, str], ...] = (
    # (name, text, expected hint fragment)
    ("dk-dashes", "01-02-2024", "Mente du 01-02-2024?"),
    ("dk-dashes-short", "1-2-2024", "Mente du 01-02-2024?"),
    ("dk-dots", "01.02.2024", "Mente du 01-02-2024?"),
    ("dk-dots-short", "1.2.2024", "Mente du 01-02-2024?"),
    ("dk-slashes", "01/02/2024", "Mente du 01-02-2024?"),
    ("dk-slashes-short", "1/2/2024", "Mente du 01-02-2024?"),
    ("dk-spaces-around", "  01-02-2024 ", "Mente du 01-02-2024?"),
    ("dk-month-abbrev", "1. feb 2024", "Mente du 01-02-2024?"),
    ("dk-month-abbrev-dot", "1. feb. 2024", "Mente du 01-02-2024?"),
    ("dk-month-name", "1. februar 2024", "Mente du 01-02-2024?"),
    ("dk-month-name-capital", "1. Februar 2024", "Mente du 01-02-2024?"),
    ("dk-month-maj", "17. maj 2024", "Mente du 17-05-2024?"),
    ("dk-month-mrt", "3 mrt 2024", "Mente du 03-03-2024?"),
    ("iso", "2024-02-01", "Mente du 01-02-2024?"),
    ("iso-short", "2024-2-1", "Mente du 01-02-2024?"),
    ("leap-day", "29-02-2024", "Mente du 29-02-2024?"),
    ("iso-datetime", "2024-02-01T10:00:00", "Skriv datoen som dd-mm-åååå"),
    ("two-digit-year", "01-02-24", "Skriv datoen som dd-mm-åååå"),
    ("digits-only", "01022024", "Skriv datoen som dd-mm-åååå"),
    ("no-such-day", "32-01-2024", "Skriv datoen som dd-mm-åååå"),
    ("no-leap-day", "29-02-2023", "Skriv datoen som dd-mm-åååå"),
    ("us-order", "02/31/2024", "Skriv datoen som dd-mm-åååå"),
    ("words", "i går", "Skriv datoen som dd-mm-åååå"),
    ("emoji", "📅 01-02-2024", "er tekst, ikke en dato"),
)

DATE_CELLS: tuple[tuple[str, str, str], ...] = (
    # (sheet, cell, label) where the spellings are typed, in turn
    (CASE, field_cell("birth_date"), label_of_field("birth_date")),
    (CASE, field_cell("inclusion_date"), label_of_field("inclusion_date")),
    (CHECKLIST, meeting_cell("date"), header_of("date")),
    (CHECKLIST, meeting_cell("next_meeting"), header_of("next_meeting")),
    (CASE, field_cell("end_date"), label_of_field("end_date")),
    (CASE, block_cell("consent", 0, "given_on"), "Dato"),
    (CASE, block_cell("agreements", 0, "deadline"), "Frist"),
)


def _date_variants(b: _Builder) -> None:
    for index, (name, text, hint) in enumerate(DATE_SPELLINGS):
        sheet, cell, _label = DATE_CELLS[index % len(DATE_CELLS)]
        b.cell(f"date-as-text-{name}", sheet, cell, text, problem("date-text", sheet, cell, hint))
    birth = field_cell("birth_date")
    label = label_of_field("birth_date")
    typo = Unformatted(1022008)  # 01022008 typed into a General cell
    b.cell("date-typo-number", CASE, birth, typo, problem("date-invalid", CASE, birth, "'1022008' i " + label))
    b.cell(
        "date-typo-number-date-formatted",
        CASE,
        birth,
        1022008,  # Excel shows 27-02-4698
        problem("date-invalid", CASE, birth, "'27-02-4698' i " + label),
    )
    b.cell(
        "date-excel-fake-leap-day",
        CASE,
        birth,
        Unformatted(60),
        problem("date-invalid", CASE, birth, "ikke en gyldig dato"),
    )
    b.cell("date-negative", CASE, birth, Unformatted(-5), problem("date-invalid", CASE, birth, "dd-mm-åååå"))
    b.cell("date-boolean", CASE, birth, True, problem("date-invalid", CASE, birth, "'ja' i " + label))
    # An error value without a formula: calamine reads it as an empty cell, the XML pass of validate finds it.
    b.cell(
        "date-error-value",
        CASE,
        birth,
        ErrorValue("#REF!"),
        problem("error-value", CASE, birth, label + " viser fejlværdien #REF! i stedet for en værdi"),
    )
    end_serial = Unformatted(serial(TODAY) - 1)
    b.cell("date-as-serial-number", CASE, field_cell("end_date"), end_serial, CLEAN)


def _value_variants(b: _Builder) -> None:
    score = meeting_cell(schema.SCORE_PREFIX + "social")
    score_label = schema.CHECKLIST_COLUMNS_BY_KEY[schema.SCORE_PREFIX + "social"].header
    for name, value, part in (
        ("score-0", 0, "'0' i " + score_label),
        ("score-11", 11, "'11' i " + score_label),
        ("score-negative", -1, "'-1'"),
        ("score-decimal-comma", "7,5", "'7,5' i " + score_label),
        ("score-decimal-point", 7.5, "'7.5'"),
        ("score-word", "syv", "'syv' i " + score_label),
        ("score-boolean", True, "'ja'"),
        ("score-control-character", RawText("7_x0008_"), "helt tal fra 1 til 10"),
    ):
        b.cell(name, CHECKLIST, score, value, problem("score-range", CHECKLIST, score, part))
    b.cell("score-as-text", CHECKLIST, score, "7", problem("number-as-text", CHECKLIST, score, "'7' i " + score_label))
    b.cell("score-as-text-spaces", CHECKLIST, score, " 8 ", problem("number-as-text", CHECKLIST, score, "'8'"))
    b.cell("score-10-as-float", CHECKLIST, score, 10.0, CLEAN)

    count = meeting_cell("agreements_made")
    for name, value, part in (
        ("count-decimal-comma", "1,5", "'1,5'"),
        ("count-negative", -2, "'-2'"),
        ("count-word", "to", "'to'"),
    ):
        b.cell(name, CHECKLIST, count, value, problem("number-invalid", CHECKLIST, count, part))
    b.cell("count-as-text", CHECKLIST, count, "2", problem("number-as-text", CHECKLIST, count, "gemt som tekst"))

    involvement = meeting_cell(schema.INVOLVEMENT_PREFIX + "heard")
    for name, value, part in (
        ("involvement-6", 6, "'6'"),
        ("involvement-0", 0, "'0'"),
        ("involvement-word", "måske", "'måske'"),
        ("involvement-decimal", 2.5, "'2.5'"),
    ):
        b.cell(name, CHECKLIST, involvement, value, problem("involvement-range", CHECKLIST, involvement, part))
    b.cell("involvement-dont-know", CHECKLIST, involvement, "Ved ikke", CLEAN)

    variant = field_cell("variant")
    kind = meeting_cell("kind")
    yes_no = meeting_cell("young_person_present")
    profession = meeting_cell(schema.PROFESSION_PRESENT_PREFIX + "uu")
    for name, sheet, cell, value, part in (
        ("choice-variant-unknown", CASE, variant, "udsat", "'udsat' i Modelvariant findes ikke på listen"),
        ("choice-variant-control-char", CASE, variant, RawText("udsatte_x0007_"), "findes ikke på listen"),
        ("choice-meeting-kind-unknown", CHECKLIST, kind, "Møde", "Vælg en af: Startmøde"),
        ("choice-yes-no-letter", CHECKLIST, yes_no, "j", "Vælg en af: ja, nej"),
        ("choice-profession-cross", CHECKLIST, profession, "x", "'x'"),
        ("choice-yes-no-number", CHECKLIST, yes_no, 1, "'1'"),
        ("choice-end-reason-unknown", CASE, field_cell("end_reason"), "stoppet", "'stoppet'"),
        ("choice-team-profession-unknown", CASE, block_cell("team", 0, "profession"), "læge", "'læge'"),
    ):
        b.cell(name, sheet, cell, value, problem("not-in-list", sheet, cell, part))
    b.cell_from("choice-variant-case-and-spaces", CASE, variant, lambda label: f"  {label.upper()} ", CLEAN)
    b.cell_from("choice-variant-non-breaking-space", CASE, variant, lambda label: label + "\u00a0", CLEAN)
    b.cell("choice-yes-no-true-cell", CHECKLIST, yes_no, True, CLEAN)

    for name, sheet, cell, label in (
        ("required-case-id-empty", CASE, field_cell("case_id"), label_of_field("case_id")),
        ("required-birth-date-empty", CASE, field_cell("birth_date"), label_of_field("birth_date")),
        ("required-variant-spaces", CASE, field_cell("variant"), label_of_field("variant")),
        ("required-meeting-date-empty", CHECKLIST, meeting_cell("date"), header_of("date")),
        ("required-meeting-kind-empty", CHECKLIST, meeting_cell("kind"), header_of("kind")),
    ):
        value: CellInput = "   " if name.endswith("spaces") else None
        b.cell(name, sheet, cell, value, problem("required-missing", sheet, cell, f"{label} mangler"))


def _text_variants(b: _Builder) -> None:
    notes = field_cell("notes")
    meeting_notes = meeting_cell("notes")
    own_view = meeting_cell("own_view")
    long_text = ("Lang note om forløbet. " * 500)[:10_000]
    b.cell("notes-10000-characters", CASE, notes, long_text, problem("text-too-long", CASE, notes, "10000 tegn lang"))
    b.cell(
        "meeting-notes-10000-characters",
        CHECKLIST,
        meeting_notes,
        long_text,
        problem("text-too-long", CHECKLIST, meeting_notes, "Kort teksten ned"),
    )
    b.cell(
        "own-view-emoji-5000",
        CHECKLIST,
        own_view,
        "😀" * 5000,
        problem("text-too-long", CHECKLIST, own_view, "5000 tegn"),
    )
    b.cell("notes-emoji", CASE, notes, "Glad i dag 😀👍 – går til fodbold ⚽", CLEAN)
    b.cell("notes-control-characters", CASE, notes, RawText("Linje 1_x000D__x000A_Linje 2_x0007__x001B_[31m"), CLEAN)
    b.cell("notes-newlines-and-tabs", CASE, notes, "Linje 1\nLinje 2\tmed tab", CLEAN)
    # Read fine, but copied to Oversigt by refresh:
    b.cell("initials-control-character", CASE, field_cell("initials"), RawText("AB_x0007_"), CLEAN)
    b.cell("notes-right-to-left-override", CASE, notes, "note \u202egnp.exe", CLEAN)
    b.cell("notes-xml-special-characters", CASE, notes, "<b>fed</b> & \"citat\" 'enkelt'", CLEAN)
    b.cell("notes-formula-like-text", CASE, notes, '=HYPERLINK("http://example.invalid";"klik")', CLEAN)
    b.cell_from(
        "checklist-id-zero-width-space",
        CHECKLIST,
        meeting_cell("case_id"),
        lambda case_id: case_id + "\u200b",  # pasted from a web page or a mail
        problem("meeting-unknown-case", CHECKLIST, meeting_cell("case_id"), "Der er intet sagsark med Ung-id"),
    )
    for name, sheet, cell, text in (
        ("cpr-with-dash-in-notes", CASE, notes, "Den unges cpr er 010203-1234, se fagsystemet."),
        ("cpr-without-dash-in-notes", CASE, notes, "cpr 0102031234"),
        ("cpr-with-space-in-own-view", CHECKLIST, own_view, "Mit nummer er 311299 4321"),
        ("cpr-in-meeting-notes", CHECKLIST, meeting_notes, "Ringede om 150607-2345 i dag"),
        ("cpr-in-tools-used", CHECKLIST, meeting_cell("tools_used"), "netværkskort 280208-1111"),
        ("cpr-as-initials", CASE, field_cell("initials"), "290200-1234"),
        ("cpr-in-agreement-goal", CASE, block_cell("agreements", 0, "goal"), "Søg bolig (cpr 010190-1234)"),
        ("cpr-in-network-relation", CASE, block_cell("network", 0, "relation"), "mor, 020370-2222"),
    ):
        b.cell(name, sheet, cell, text, problem("cpr-like", sheet, cell, "ser ud til at indeholde et CPR-nummer"))
    b.cell("cpr-like-but-no-date", CASE, notes, "Sagsnummer 991399-1234 og 12345678901", CLEAN)


def _formula_variants(b: _Builder) -> None:
    birth = field_cell("birth_date")
    for name, sheet, cell, value in (
        ("formula-in-birth-date", CASE, birth, formula("=DATE(2008,1,1)", "39448")),
        ("formula-today-in-inclusion", CASE, field_cell("inclusion_date"), formula("=TODAY()")),
        (
            "formula-hyperlink-in-checklist-id",
            CHECKLIST,
            meeting_cell("case_id"),
            formula('=HYPERLINK("http://example.invalid","U-0003")'),
        ),
        ("formula-dde-in-notes", CASE, field_cell("notes"), formula("=cmd|' /C calc'!A0")),
        (
            "external-link-in-score",
            CHECKLIST,
            meeting_cell(schema.SCORE_PREFIX + "social"),
            formula("='[Andre sager.xlsx]Ark1'!B2", "5"),
        ),
        ("formula-sum-in-count", CHECKLIST, meeting_cell("agreements_made"), formula("=1+1", "2")),
    ):
        b.cell(name, sheet, cell, value, problem("formula-in-data", sheet, cell, "indeholder en formel"))
    # A formula showing an error value is reported once, as the error value (its message says: no formula).
    b.cell(
        "formula-error-in-birth-date",
        CASE,
        birth,
        formula("=VLOOKUP(B4,X:Y,2,0)", "#N/A"),
        problem("error-value", CASE, birth, "viser fejlværdien #N/A i stedet for en værdi. Skriv værdien direkte"),
    )
    present = meeting_cell("young_person_present")
    b.cell(
        "error-value-in-checklist",
        CHECKLIST,
        present,
        ErrorValue("#DIV/0!"),
        problem("error-value", CHECKLIST, present, header_of("young_person_present") + " viser fejlværdien #DIV/0!"),
    )


def _tool_variants(b: _Builder) -> None:
    """Files as other tools or other computers leave them."""
    apple_double = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\0" * 64
    b.add_bytes(
        "macos-apple-double-file",
        apple_double,
        unreadable("not-xlsx", "ikke en zip-pakke"),
        file_name="._vejleder.xlsx",
    )
    b.add_bytes("macro-enabled-xlsm", lambda: b.base_bytes, CLEAN, file_name="makroer.xlsm")

    def shared_rich_text(package: Package) -> None:
        """The variant typed as rich text (two formatting runs) in a shared string, as Excel stores text."""
        label = package.cell_text(CASE, field_cell("variant"))
        runs = f"<r><t>{escape(label[:2])}</t></r><r><rPr><b/></rPr><t>{escape(label[2:])}</t></r>"
        package.members["xl/sharedStrings.xml"] = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            f"<si>{runs}</si></sst>"
        ).encode()
        package.put(
            WORKBOOK_RELS,
            package.text(WORKBOOK_RELS).replace(
                "</Relationships>",
                f'<Relationship Type="{_NS_REL}/sharedStrings" Target="/xl/sharedStrings.xml" Id="rIdStrings"/>'
                "</Relationships>",
            ),
        )
        strings_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        package.put(
            CONTENT_TYPES,
            package.text(CONTENT_TYPES).replace(
                "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{strings_type}"/></Types>'
            ),
        )
        package.set_cell(CASE, field_cell("variant"), RawCell('t="s"', "<v>0</v>"))

    b.add("shared-string-rich-text", shared_rich_text, CLEAN)

    # A date stored as an ISO 8601 date cell (t="d"), as some tools (not Excel) write them; read as that date.
    b.cell(
        "iso-date-cell",
        CASE,
        field_cell("end_date"),
        RawCell('t="d"', "<v>2001-02-03T00:00:00</v>"),
        problem("end-before-inclusion", CASE, field_cell("end_date"), "Slutdatoen 03-02-2001"),
    )

    def empty_new_case(package: Package) -> None:
        """'Ny sag' pressed, nothing typed: a copy of the case template."""
        package.copy_sheet(schema.SHEET_CASE_TEMPLATE, "Sag")

    b.add(
        "empty-new-case-sheet",
        empty_new_case,
        problem("required-missing", "Sag", field_cell("case_id"), "Ung-id mangler"),
    )


def _rule_variants(b: _Builder) -> None:
    b.cell(
        "meeting-for-unknown-case",
        CHECKLIST,
        meeting_cell("case_id"),
        "U-9999",
        problem("meeting-unknown-case", CHECKLIST, meeting_cell("case_id"), "Ung-id 'U-9999'"),
    )
    b.cell(
        "meeting-in-future",
        CHECKLIST,
        meeting_cell("date"),
        serial(date(2030, 1, 2)),
        problem("meeting-in-future", CHECKLIST, meeting_cell("date"), "02-01-2030"),
    )
    b.cell(
        "inclusion-before-birth",
        CASE,
        field_cell("inclusion_date"),
        serial(date(2000, 1, 1)),
        problem("inclusion-before-birth", CASE, field_cell("inclusion_date"), "01-01-2000"),
    )
    soon = schema.settings_value_cell("soon_days")
    b.cell(
        "setting-not-a-number",
        SETTINGS,
        soon,
        "tre uger",
        problem("setting-invalid", SETTINGS, soon, "Ret værdien på arket Indstillinger"),
    )
    b.cell("setting-negative", SETTINGS, soon, -5, problem("setting-invalid", SETTINGS, soon, "Indstillinger"))


def _collect(folder: Path, *, write: bool) -> list[Variant]:
    b = _Builder(folder, write=write)
    b.add_bytes("valid-base", lambda: b.base_bytes, CLEAN)
    _file_variants(b)
    _xml_attack_variants(b)
    _sheet_variants(b)
    _column_variants(b)
    _date_variants(b)
    _value_variants(b)
    _text_variants(b)
    _formula_variants(b)
    _rule_variants(b)
    _tool_variants(b)
    names = [variant.name for variant in b.variants]
    if len(names) != len(set(names)):
        raise ValueError("variant names must be unique")
    return b.variants


def build_corpus(folder: Path) -> list[Variant]:
    """Write every variant into ``folder`` (created; should be empty) and return them with their expected outcome."""
    folder.mkdir(parents=True, exist_ok=True)
    return _collect(folder, write=True)


def variant_names() -> list[str]:
    """The variants' names, without building anything (for ``pytest.mark.parametrize``)."""
    return [variant.name for variant in _collect(Path("corpus-not-built"), write=False)]
