"""The fast reader: a workbook file -> typed case data and problems (python-calamine + core.parse).

Only the sheets the parser needs are turned into Python values (Indstillinger, Mødetjekliste and the case
sheets, the latter only down to their last entered block); help, lists, the case template and computed
sheets are skipped. The file is opened read-only and never changed: the file's bytes are read once, checked, and
handed to calamine as a view in memory in which each sheet part starts with an empty ``<mergeCells>``, so that
python-calamine's second pass over every sheet stops at once (``_calamine_view``; the checks that pass made are
made here). Anything that stops the whole file from being read raises ``WorkbookError`` naming the file and what
to do; cell content becomes problems.

Limits (README "Limits"): a workbook unpacks to at most 200 MB (``MAX_UNCOMPRESSED_BYTES``); a sheet's used range
is at most 100,000 rows (``MAX_SHEET_ROWS``) and 2,000,000 cells (``MAX_SHEET_CELLS``), checked before calamine
allocates it; within them a file reads in well under 10 s and 500 MB on a 2-core machine (tests/test_limits.py
measures it). Consolidation's worker processes enforce 10 s and 500 MB per file on top.

Formula and error cells: calamine returns only cached values, and an Excel error value (``#REF!``, ``#N/A`` …)
as an empty cell. With ``detect_formulas`` the reader inflates the sheet XML once more (a few ms per workbook),
finds ``<f>`` elements and error cells (``t="e"``) in it and hands their positions to the parser, which reports
formulas and error values in entered cells. Without it there is no such pass, and an error value reads as empty.
"""

from __future__ import annotations

import gc
import io
import os
import re
import stat
import struct
import types
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import python_calamine
from defusedxml import ElementTree

from samarbejde_xl.core.wording import os_reason, package_reason

from ..core.errors import WorkbookError
from ..core.model import WorkbookData
from ..core.parse import CASE_SHEET_LAST_ROW, IGNORED_SHEETS, SETTINGS_LAST_ROW, parse_workbook
from ..core.problems import Problem
from ..core.raw import RawSheet, RawWorkbook
from ..fileio import OLE_MAGIC
from ..schema import FIXED_SHEETS, SHEET_CHECKLIST, SHEET_SETTINGS, column_index
from .discover import is_lock_file

fast_zlib: types.ModuleType
try:  # zlib-ng inflates and checksums about twice as fast as zlib; where it is not installed (Pyodide), zlib
    from zlib_ng import zlib_ng as fast_zlib
except ImportError:  # pragma: no cover - installed with the package except in Pyodide
    fast_zlib = zlib
_INFLATE_ERROR: type[Exception] = fast_zlib.error

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""Largest total uncompressed size of a workbook's zip members (from the central directory): a guard
against zip bombs. A real case workbook is well under 5 MB."""

MAX_SHEET_ROWS = 100_000
"""Most rows of one sheet that are read; a real checklist has a few thousand."""

MAX_SHEET_CELLS = 2_000_000
"""Largest used range (rows x columns) of one sheet. A stray value far below the data (row 1,048,576, say) makes a
sheet's grid huge: calamine would spend seconds and gigabytes on it, so it is refused with a message instead."""

_ZIP_MAGIC = b"PK\x03\x04"
_WORKBOOK_PART = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_WORKBOOK_PART_NAME = _WORKBOOK_PART.encode()
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)')
# An error cell, with or without the formula that gave the error; error values always start with "#".
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?\st="e"[^>]*>\s*(?:<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*)?<v>(#[^<]{1,31})</v>'
)
_ERROR_VALUE_IN_CELL = re.compile(
    rb'(<c r="[A-Z]{1,3}[0-9]+"[^>]*?\st="e"[^>]*>\s*(?:<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*)?<v>)(#[^<]{1,31})(</v>)'
)
_CALAMINE_ERROR_VALUES = frozenset({b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"})
"""The error values python-calamine reads; any other (#SPILL!, #CALC! …) makes it refuse the whole file."""
_UNSUPPORTED_ERROR_VALUE = "Unsupported cell error value"
_DIMENSION = re.compile(rb'<dimension ref="\$?[A-Z]{1,3}\$?[0-9]+:\$?([A-Z]{1,3})\$?([0-9]+)"')
_VISIBILITY = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryhidden"}  # SheetVisibleEnum member names
_FIXED_BY_FOLDED = {name.casefold(): name for name in FIXED_SHEETS}
_SAVE_AS_XLSX = "Åbn den i Excel, gem den som 'Excel-projektmappe (*.xlsx)', og kør igen"


@dataclass(frozen=True)
class ReadResult:
    data: WorkbookData
    problems: tuple[Problem, ...]


def read_workbook(
    path: str | os.PathLike[str],
    *,
    display_name: str | None = None,
    password: str | None = None,
    detect_formulas: bool = False,
    check_extent: bool = True,
) -> ReadResult:
    """Read one case workbook. Raises ``WorkbookError`` (and nothing else) when the file cannot be read.

    ``detect_formulas`` also inflates the sheet XML to warn about formulas in entered cells (``formula-in-data``)
    and to find cells showing an Excel error value (``error-value``; calamine reads them as empty cells); it costs
    about a third of the read time, so batch reads (consolidation) leave it off and Validér turns it on. Without it
    there is no extra pass at all, and an error value reads as an empty cell.

    ``check_extent`` scans every sheet for its real last row and column (a lying <dimension> could otherwise make
    calamine allocate gigabytes or abort); about a quarter of the read time. Consolidation turns it off: its worker
    processes run under a memory and time limit instead, so such a file fails alone (see ``consolidate``).
    """
    name = display_name if display_name is not None else os.fspath(path)
    source = _open_source(Path(path), name, password, check_extent)
    # Reading makes tens of thousands of small lists and none of them form cycles: pausing the cyclic garbage
    # collector meanwhile saves its repeated scans (about 5% of the read time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            raw = _read_raw(source, name, detect_formulas)
            data, problems = parse_workbook(raw)
        except (WorkbookError, ValueError, OverflowError) as error:
            # INF / NaN / 1e309 in a number or date cell (Excel never writes them; other programs do) make calamine
            # panic or the date arithmetic fail: read a copy that has them as text, so the cell gets its message.
            finite = _with_finite_numbers(source)
            if finite is None:
                if isinstance(error, WorkbookError):
                    raise
                raise _unexpected(name, error) from error
            raw = _read_raw(finite, name, detect_formulas)
            try:
                data, problems = parse_workbook(raw)
            except (ValueError, OverflowError) as second:
                raise _unexpected(name, second) from second
    finally:
        if collecting:
            gc.enable()
    return ReadResult(data, tuple(problems))


_ERROR_KIND = re.compile(r"\s*([A-Za-z]+Error)\b")  # calamine's texts start with their kind: "XmlError: …"


def _unexpected(name: str, error: BaseException) -> WorkbookError:
    """A file calamine or the parser failed on where no check before foresaw it. The library's own text (English,
    naming bytes and tags) tells a coordinator nothing: the message says what is wrong in Danish and names the
    kind of failure for a bug report."""
    found = _ERROR_KIND.match(str(error))
    kind = found.group(1) if found else type(error).__name__
    what = "et ark i den er ikke gyldig XML" if kind.startswith("Xml") else "den er ødelagt eller i et ukendt format"
    return WorkbookError(
        name,
        f"projektmappen kunne ikke læses ({what}; teknisk årsag: {kind})",
        "Åbn den i Excel, gem den igen som .xlsx, og kør igen; lykkes det ikke, så hent den fra en sikkerhedskopi",
        code="corrupt",
    )


# A number cell (no t="..." type, or t="n") whose value is not a finite number Excel could have written.
_NON_FINITE_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]+)"((?:\s+(?!t=)[a-zA-Z:]+="[^"]*")*)(?:\s+t="n")?\s*>\s*<v>\s*'
    rb"([-+]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]|[0-9.]+[eE]\+?[0-9]{3,}))\s*</v>\s*</c>"
)


def _with_finite_numbers(source: Path | io.BytesIO) -> io.BytesIO | None:
    """An in-memory copy of the package whose non-finite number cells are text cells; None when there are none."""

    def as_text(match: re.Match[bytes]) -> bytes:
        return b'<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (match.group(1), match.group(2), match.group(3))

    if isinstance(source, io.BytesIO):
        source.seek(0)
    changed = False
    copy = io.BytesIO()
    try:
        with zipfile.ZipFile(source) as package:
            sheets = [member for member in package.infolist() if member.filename.startswith("xl/worksheets/")]
            if not any(_NON_FINITE_CELL.search(package.read(member)) for member in sheets):
                return None
        if isinstance(source, io.BytesIO):
            source.seek(0)
        with zipfile.ZipFile(source) as package, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as rewritten:
            for member in package.infolist():
                data = package.read(member)
                if member.filename.startswith("xl/worksheets/"):
                    data, count = _NON_FINITE_CELL.subn(as_text, data)
                    changed = changed or count > 0
                rewritten.writestr(member, data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return None
    finally:
        if isinstance(source, io.BytesIO):
            source.seek(0)
    copy.seek(0)
    return copy if changed else None


def read_raw_workbook(
    path: str | os.PathLike[str],
    *,
    display_name: str | None = None,
    password: str | None = None,
    detect_formulas: bool = False,
    check_extent: bool = True,
) -> RawWorkbook:
    """The cells :func:`read_workbook` parses (for the buttons, which compute their writes from them)."""
    name = display_name if display_name is not None else os.fspath(path)
    source = _open_source(Path(path), name, password, check_extent)
    if check_extent:  # the callers parse the cells themselves: INF / NaN cells must already read as text
        source = _with_finite_numbers(source) or source
    try:
        return _read_raw(source, name, detect_formulas)
    except WorkbookError:
        finite = _with_finite_numbers(source)  # INF / NaN cells: read them as text (see read_workbook)
        if finite is None:
            raise
        return _read_raw(finite, name, detect_formulas)


# --------------------------------------------------------------------------------------------------
# File checks before calamine sees the file
# --------------------------------------------------------------------------------------------------


def _open_source(path: Path, name: str, password: str | None, full: bool = False) -> Path | io.BytesIO:
    """The file to hand to calamine (the path, or decrypted bytes), after cheap checks of what it is."""
    try:
        if not path.exists():
            raise WorkbookError(name, "filen findes ikke", "Kontrollér stien og filnavnet", code="not-found")
        if path.is_dir():
            raise WorkbookError(
                name, "er en mappe, ikke en projektmappe", "Angiv stien til en .xlsx-fil", code="folder"
            )
        if is_lock_file(path):
            raise WorkbookError(
                name,
                "en låsefil fra Excel (den findes, mens nogen har projektmappen åben), ikke en projektmappe",
                f"Angiv selve projektmappen: {path.name.removeprefix('~$')}",
                code="lock-file",
            )
        if not stat.S_ISREG(path.stat().st_mode):  # opening a FIFO would wait forever for a writer
            raise WorkbookError(
                name,
                "ikke en almindelig fil (en FIFO, en socket eller en enhed), så den åbnes ikke",
                "Angiv stien til en .xlsx-fil",
                code="special-file",
            )
        with path.open("rb", buffering=0) as handle:  # unbuffered: the whole file is read in one piece below
            head = handle.read(8)
            if not head:
                raise WorkbookError(
                    name,
                    "filen er tom (0 bytes)",
                    "Hent projektmappen fra en sikkerhedskopi eller en kollegas kopi",
                    code="empty",
                )
            if head.startswith(OLE_MAGIC):
                return _open_ole(io.BufferedReader(handle), name, password, full)
            whole = _whole_file(handle) if head.startswith(_ZIP_MAGIC) else b""
    except OSError as error:
        raise WorkbookError(
            name, f"filen kan ikke åbnes ({os_reason(error)})", "Kontrollér, at du må læse den"
        ) from error
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(
            name,
            "ikke en Excel-projektmappe (.xlsx): indholdet er ikke en zip-pakke",
            "Kontrollér, at du har valgt den rigtige fil; en omdøbt tekst- eller CSV-fil kan ikke læses",
            code="not-xlsx",
        )
    checked = _check_zip(path, whole, name, full)
    if checked is not None:  # calamine reads the bytes that were checked: one read, and no file swapped in between
        return checked
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not valid UTF-8: calamine takes only UTF-8 paths
        return io.BytesIO(path.read_bytes())
    return path


def _whole_file(handle: io.FileIO) -> bytes:
    """The bytes of an open file for the zip checks; b"" for a file too large to hold in memory or one that fails
    to read (zipfile's checks then read it, and say what is wrong)."""
    try:
        if os.fstat(handle.fileno()).st_size > _QUICK_CHECK_BYTES:
            return b""
        handle.seek(0)
        return handle.readall()
    except OSError:
        return b""


def decrypted_package(data: bytes, name: str, password: str | None) -> bytes:
    """The zip package inside an encrypted workbook's bytes, decrypted in memory and checked as a read checks it."""
    return _open_ole(io.BytesIO(data), name, password, True).getvalue()


def _open_ole(handle: IO[bytes], name: str, password: str | None, full: bool) -> io.BytesIO:
    import msoffcrypto  # ~30 ms to import: only for the rare OLE file, not at every command's start
    from msoffcrypto.exceptions import InvalidKeyError

    handle.seek(0)
    try:
        office = msoffcrypto.OfficeFile(handle)
        encrypted = bool(office.is_encrypted())
    except Exception:  # msoffcrypto raises assorted errors on OLE files it does not know
        office, encrypted = None, False
    if not encrypted or office is None:
        raise WorkbookError(
            name,
            "en gammel Excel 97-2003-projektmappe (.xls) eller en anden Office-fil, ikke en .xlsx-projektmappe",
            _SAVE_AS_XLSX,
            code="xls",
        )
    if password == "":  # msoffcrypto takes an empty password for none given
        raise WorkbookError(
            name, "kodeordet er forkert (det er tomt)", "Kontrollér kodeordet, og prøv igen", code="wrong-password"
        )
    if password is None:
        raise WorkbookError(
            name,
            "projektmappen er beskyttet med kodeord (krypteret)",
            "Angiv kodeordet med --password-file FIL, --ask-password eller miljøvariablen "
            "SAMARBEJDE_XL_PASSWORD, eller gem en kopi uden kodeord (Filer > Oplysninger > Beskyt projektmappe)",
            code="encrypted",
        )
    decrypted = io.BytesIO()
    try:
        office.load_key(password=password)
        office.decrypt(decrypted)
    except InvalidKeyError:
        raise WorkbookError(
            name, "kodeordet er forkert", "Kontrollér kodeordet, og prøv igen", code="wrong-password"
        ) from None
    except Exception as error:
        raise WorkbookError(
            name,
            "projektmappen kunne ikke dekrypteres (en kryptering, der ikke kan læses, eller en ødelagt fil)",
            "Gem en kopi uden kodeord, og læs den",
        ) from error
    decrypted.seek(0)
    _check_zip(decrypted, decrypted.getvalue(), name, full)
    decrypted.seek(0)
    return decrypted


def _check_zip(source: Path | io.BytesIO, data: bytes, name: str, full: bool) -> io.BytesIO | None:
    """Corrupt, truncated, ODS or oversized packages are refused before calamine inflates anything. ``data``: the
    bytes of ``source`` when they were read whole (all but huge files), else b"". Returns the bytes that passed for
    calamine to read (:func:`_calamine_view` of a plain package), or None when there were none.

    First from those bytes and a walk of their central directory (:func:`_quick_check`); anything that walk does
    not find plainly in order goes through ``zipfile`` and the full checks, which give the message."""
    if data:
        directory = _quick_check(data, full)
        if directory is not None:
            return _calamine_view(data, *directory)
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data else source) as package:  # the bytes read above, if any
            _check_package(package, name, full)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise WorkbookError(
            name,
            f"projektmappen er beskadiget og kunne ikke læses (zip-pakken kan ikke læses: {package_reason(error)})",
            "Hent den fra en sikkerhedskopi, eller åbn den i Excel, lad Excel reparere den, og gem den igen",
            code="corrupt",
        ) from error
    if isinstance(source, io.BytesIO):
        source.seek(0)
    return io.BytesIO(data) if data else None


def _check_package(package: zipfile.ZipFile, name: str, full: bool) -> None:
    members = package.infolist()
    names = {member.filename for member in members}
    if "content.xml" in names or "mimetype" in names:
        raise WorkbookError(
            name,
            "et OpenDocument-regneark (.ods), ikke en Excel-projektmappe",
            "Åbn det i LibreOffice eller Excel, gem det som .xlsx, og kør igen",
            code="ods",
        )
    if _WORKBOOK_PART not in names:
        raise WorkbookError(
            name,
            "ikke en Excel-projektmappe (.xlsx): zip-pakken har ingen projektmappedel",
            "Kontrollér, at du har valgt den rigtige fil (en Word- eller anden zip-fil kan ikke læses)",
            code="not-xlsx",
        )
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(
            name,
            f"projektmappen fylder {total // (1024 * 1024)} MB udpakket, mere end grænsen på "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB",
            "Slet billeder eller indsatte data i projektmappen, eller kontrollér, at det er den rigtige fil",
            code="too-large",
        )
    _check_used_ranges(package, members, name, full)


# --------------------------------------------------------------------------------------------------
# The quick check: one read of the file, a walk of its central directory
# --------------------------------------------------------------------------------------------------

_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
# Of a central directory entry: the fields the walk checks (magic, version needed, flags, method, sizes, lengths,
# offset), and those a member's record keeps (method, checksum, sizes, offset).
_ENTRY_CHECKED = struct.Struct("<4s2xBx2H8x2L3H8xL")
_ENTRY_RECORD = struct.Struct("<10xH4x3L14xL")
_LOCAL_HEADER = struct.Struct("<4s22x2H")  # magic, name and extra field lengths
_ZIP64_LOCATOR_MAGIC = b"PK\x06\x07"
_UNSUPPORTED_FLAGS = 0x61  # encrypted, compressed patch data, strong encryption
_MAX_EXTRACT_VERSION = 63  # zipfile refuses members needing a later version
_QUICK_CHECK_BYTES = 64 * 1024 * 1024
"""Larger files (no real workbook is near this) are not read into memory whole: zipfile's checks read them."""


class _Unusual(Exception):
    """Something the quick check does not judge itself: the full checks through ``zipfile`` decide."""


def _directory(data: bytes) -> tuple[dict[bytes, int], int]:
    """The central directory of a plain package: member name (ASCII bytes) -> offset of its entry (``_member_bytes``
    reads it), and the members' total uncompressed size. No comment, no zip64, no bytes before it, no encryption,
    only stored or deflated members with unique, clean ASCII names; ``_Unusual`` for anything else."""
    if len(data) < _END_OF_DIRECTORY.size:
        raise _Unusual
    end = len(data) - _END_OF_DIRECTORY.size
    magic, disk, start_disk, on_disk, total, size, offset, comment = _END_OF_DIRECTORY.unpack_from(data, end)
    if magic != b"PK\x05\x06" or disk or start_disk or on_disk != total or comment or offset + size != end:
        raise _Unusual
    if data[end - 20 : end - 16] == _ZIP64_LOCATOR_MAGIC:
        raise _Unusual
    entries: dict[bytes, int] = {}
    unpack, entry_size, position, unpacked = _ENTRY_CHECKED.unpack_from, _ENTRY_CHECKED.size, offset, 0
    stored, deflated, large = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, 0xFFFFFFFF
    try:
        for _ in range(total):  # one entry overrunning the directory makes the end check below fail
            (magic, version, flags, method, compressed, size, name_length, extra_length, comment_length,
             header_offset) = unpack(data, position)  # fmt: skip
            if (
                magic != b"PK\x01\x02"
                or flags & _UNSUPPORTED_FLAGS
                or version > _MAX_EXTRACT_VERSION
                or extra_length  # an extra field may hold zip64 sizes
                or (method != deflated and method != stored)
                or compressed == large
                or size == large
                or header_offset == large
            ):
                raise _Unusual
            name_start = position + entry_size
            entries[data[name_start : name_start + name_length]] = position
            unpacked += size
            position = name_start + name_length + comment_length
    except struct.error:
        raise _Unusual from None
    # The names checked all at once: ASCII reads the same in UTF-8 and cp437, so a name read as bytes is the name
    # zipfile reads; a repeated name leaves fewer entries than the directory counts.
    names = b"".join(entries)
    if position != end or len(entries) != total or not names.isascii() or b"\x00" in names or b"\\" in names:
        raise _Unusual
    return entries, unpacked


def _member_bytes(data: bytes, raw_name: bytes, entry: int, head: bool = False) -> bytes:
    """The member named ``raw_name`` whose central directory entry starts at ``entry``, inflated from the file's
    bytes (``head``: its first bytes only, as :func:`_sheet_head` reads them); ``_Unusual`` when its local header,
    length or checksum is off."""
    method, crc, compressed, size, header = _ENTRY_RECORD.unpack_from(data, entry)
    start = _member_start(data, raw_name, header, compressed)
    if head:
        raw = data[start : start + min(compressed, 512)]
        if method == zipfile.ZIP_STORED:
            return raw
        try:
            first: bytes = fast_zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, 2048)
        except _INFLATE_ERROR:
            raise _Unusual from None
        return first
    raw = data[start : start + compressed]
    try:
        inflated = raw if method == zipfile.ZIP_STORED else fast_zlib.decompress(raw, -zlib.MAX_WBITS)
    except _INFLATE_ERROR:
        raise _Unusual from None
    if len(inflated) != size or fast_zlib.crc32(inflated) != crc:
        raise _Unusual
    return inflated


def _member_start(data: bytes, raw_name: bytes, header: int, compressed: int) -> int:
    """Where the compressed bytes of the member named ``raw_name`` start, from its local header at ``header``;
    ``_Unusual`` when that header is not the member's or its bytes run past the file."""
    if header + _LOCAL_HEADER.size > len(data):
        raise _Unusual
    magic, name_length, extra_length = _LOCAL_HEADER.unpack_from(data, header)
    name_start = header + _LOCAL_HEADER.size
    if magic != _ZIP_MAGIC or data[name_start : name_start + name_length] != raw_name:
        raise _Unusual
    start: int = name_start + name_length + extra_length
    if start + compressed > len(data):
        raise _Unusual
    return start


# A worksheet part's name in the member names joined, started and ended by NUL (which no checked name contains).
_WORKSHEET_NAME = re.compile(rb"\x00(xl/worksheets/[^\x00]*\.xml)(?=\x00)")


def _quick_check(data: bytes, full: bool) -> tuple[dict[bytes, int], list[bytes], dict[bytes, bytes]] | None:
    """The package's directory (:func:`_directory`), its worksheet parts and those of them it inflated whole (for
    :func:`_calamine_view`, which would otherwise inflate them again) when it passes every check of
    :func:`_check_package`, judged from its bytes; None when it fails one or is unusual in any way, for the full
    checks to give the message (or to pass it after all)."""
    try:
        entries, unpacked = _directory(data)
        if b"content.xml" in entries or b"mimetype" in entries or _WORKBOOK_PART_NAME not in entries:
            return None
        if unpacked > MAX_UNCOMPRESSED_BYTES:
            return None
        worksheets: list[bytes] = _WORKSHEET_NAME.findall(b"\x00%s\x00" % b"\x00".join(entries))
        inflated: dict[bytes, bytes] = {}
        for raw_name in worksheets:
            entry = entries[raw_name]
            match = _DIMENSION.search(_member_bytes(data, raw_name, entry, head=True))
            if match is not None and not _within_limits(int(match[2]), column_index(match[1].decode())):
                return None
            if match is None or full:
                inflated[raw_name] = _member_bytes(data, raw_name, entry)
                if not _extent_within_limits(inflated[raw_name]):
                    return None
        if full:

            def read(part: str) -> bytes:
                raw_name = part.encode("utf-8")  # a name that is not ASCII is not among the entries
                if raw_name not in entries:
                    raise KeyError(part)
                return _member_bytes(data, raw_name, entries[raw_name])

            try:
                parts = _sheet_parts(read)
            except _Unusual:
                raise
            except Exception:  # as _check_used_ranges: a damaged workbook part is the read's to report
                parts = {}
            if len(set(parts.values())) != len(parts):
                return None
    except _Unusual:
        return None
    return entries, worksheets, inflated


# --------------------------------------------------------------------------------------------------
# What calamine reads: the checked package, without calamine's second pass over every sheet
# --------------------------------------------------------------------------------------------------

_STOP_MERGE_SCAN = b"<mergeCells></mergeCells>"
# A non-final stored DEFLATE block holding it: put before a part's own DEFLATE data, it is inflated first.
_STOP_BLOCK = b"\x00" + struct.pack("<2H", len(_STOP_MERGE_SCAN), len(_STOP_MERGE_SCAN) ^ 0xFFFF) + _STOP_MERGE_SCAN
_STOP_CHECKSUM_STATE = zlib.crc32(_STOP_MERGE_SCAN) ^ 0xFFFFFFFF
_CENTRAL_ENTRY = struct.Struct("<4s6H3L5H2L")
_LOCAL_ENTRY = struct.Struct("<4s5H3L2H")
_DATA_DESCRIPTOR_FLAG = 0x08
_VIEW_PART_BYTES = 16 * 1024 * 1024
"""A worksheet part larger than this (inflated; none is near it) leaves its package to calamine as it is."""
_MARKUP_START = frozenset(b"<\xef \t\r\n")  # UTF-8 XML starts so (a byte-order mark, a tag, white space)
_CELLS_END = b"sheetData>"
_ROOT_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?worksheet\s*>")
_ROOT_START = re.compile(rb"<(?![?!/])[^>]*>")  # the first element's start tag (past a declaration or comments)
_zeros = memoryview(b"")
_judged_endings: dict[bytes, bool] = {}  # a sheet's XML without its cells -> well-formed (most sheets share it)


class _CalamineView(io.BytesIO):
    """A checked package as :func:`_calamine_view` gives it to calamine; ``original``: its bytes as they are (read
    again from these when calamine fails on the view: the view is an optimisation, never the reason for an error)."""

    def __init__(self, view: bytes, original: bytes) -> None:
        super().__init__(view)
        self.original = original


def _calamine_view(
    data: bytes, entries: dict[bytes, int], worksheets: list[bytes], inflated: dict[bytes, bytes]
) -> io.BytesIO:
    """The package ``data`` (passed by :func:`_quick_check`) for calamine, each worksheet part starting with an empty
    ``<mergeCells>`` element: a copy in memory, never written anywhere.

    Why: python-calamine's ``get_sheet_by_name`` inflates and parses each sheet's XML twice, once for its cells and
    once more to the end, looking for ``<mergeCells>`` (its ``merged_cell_ranges``, which this tool does not use).
    That second pass is about 40 % of calamine's time on a case workbook. With the empty element first it stops at
    once, and the cell pass reads past anything before ``<sheetData>`` but ``<dimension>``, so the cells read the same
    (test_calamine_view.py). Reading to the end, the second pass also checked each part's checksum and that the XML
    after the cells is not cut off or malformed: :func:`_whole_part` checks that here, and a part that fails or is
    unusual in any way leaves the whole package to calamine as it is, as does any failure on the view
    (:func:`_read_raw`). A part is appended as a new member: a stored DEFLATE block with the element, then its own
    compressed bytes unchanged (so the view is hardly larger than the file), its checksum derived from the stored one
    (:func:`_checksum_with_stop`); the central directory points at the new members, and the original ones stay where
    they were, unreferenced."""
    end = len(data) - _END_OF_DIRECTORY.size
    directory_start = _END_OF_DIRECTORY.unpack_from(data, end)[6]
    appended: list[bytes] = []
    patched: dict[int, bytes] = {}  # central directory entry offset -> its fixed fields, pointing at the new member
    offset = directory_start
    for raw_name in worksheets:
        entry = entries[raw_name]
        fields = list(_CENTRAL_ENTRY.unpack_from(data, entry))
        _, _, needed, flags, method, time, day, checksum, compressed, size, name_length, *_ = fields
        if method != zipfile.ZIP_DEFLATED or size > _VIEW_PART_BYTES:
            return io.BytesIO(data)
        if not _whole_part(inflated.get(raw_name) or _inflated_or_none(data, raw_name, entry)):
            return io.BytesIO(data)
        start = _member_start(data, raw_name, fields[-1], compressed)  # checked by _member_bytes already
        flags &= ~_DATA_DESCRIPTOR_FLAG  # the sizes are in the new local header
        checksum = _checksum_with_stop(checksum, size)
        new_compressed, size = compressed + len(_STOP_BLOCK), size + len(_STOP_MERGE_SCAN)
        local = _LOCAL_ENTRY.pack(
            _ZIP_MAGIC, needed, flags, method, time, day, checksum, new_compressed, size, name_length, 0
        )
        appended += (local, raw_name, _STOP_BLOCK, data[start : start + compressed])
        fields[3], fields[7], fields[8], fields[9], fields[-1] = flags, checksum, new_compressed, size, offset
        patched[entry] = _CENTRAL_ENTRY.pack(*fields)
        offset += len(local) + name_length + new_compressed
    if not patched:
        return io.BytesIO(data)
    directory: list[bytes] = []
    position = directory_start
    for entry in sorted(patched):
        directory += (data[position:entry], patched[entry])
        position = entry + _CENTRAL_ENTRY.size
    directory.append(data[position:end])
    closing = list(_END_OF_DIRECTORY.unpack_from(data, end))
    closing[6] = offset
    return _CalamineView(
        b"".join([data[:directory_start], *appended, *directory, _END_OF_DIRECTORY.pack(*closing)]), data
    )


def _inflated_or_none(data: bytes, raw_name: bytes, entry: int) -> bytes | None:
    """:func:`_member_bytes` (length and checksum checked), or None when they are off."""
    try:
        return _member_bytes(data, raw_name, entry)
    except _Unusual:
        return None


def _whole_part(xml: bytes | None) -> bool:
    """Whether a worksheet part inflated (length and checksum right; None: not) starts as UTF-8 XML, ends with its
    root's end tag, and the XML between its cells (the ``</sheetData>``, where the cell pass stops) and that tag is
    well-formed (:func:`_well_formed_ending`)."""
    if not xml or xml[0] not in _MARKUP_START:
        return False
    root_end = xml.rfind(b"</")
    if root_end < 0 or _ROOT_END.fullmatch(xml, root_end, len(xml.rstrip())) is None:
        return False
    # The end of the cells, found from the end (what follows them is short): the one </sheetData> (or </x:sheetData>)
    # after the one start tag; a part with more sheetData tags, or none, goes to calamine as it is.
    found = xml.rfind(_CELLS_END, 0, root_end)
    root = _ROOT_START.search(xml)
    if found < 0 or xml[xml.rfind(b"<", 0, found) + 1] != ord("/") or xml.count(_CELLS_END) != 2:
        return False
    if root is None or root.end() > found:
        return False
    return _well_formed_ending(root[0] + xml[found + len(_CELLS_END) : root_end] + xml[root_end:])


def _well_formed_ending(document: bytes) -> bool:
    """Whether a sheet's XML without its cells (root start tag, what follows the cells, root end tag) parses: strict
    XML, so what calamine's own pass would refuse fails here too, and a little more, which then goes to calamine as
    it is. Remembered: a workbook's sheets, copies of one template, mostly end alike."""
    known = _judged_endings.get(document)
    if known is None:
        try:
            ElementTree.fromstring(document)
            known = True
        except Exception:  # ParseError, or defusedxml refusing a declaration: not a plain ending
            known = False
        if len(_judged_endings) >= 64:
            _judged_endings.clear()
        _judged_endings[document] = known
    return known


def _checksum_with_stop(checksum: int, size: int) -> int:
    """CRC-32 of ``_STOP_MERGE_SCAN`` followed by a part of ``size`` bytes whose CRC-32 is ``checksum``, without the
    part: CRC-32 is linear, so the element's share is its register run on through ``size`` zero bytes (in C)."""
    global _zeros
    if len(_zeros) < size:
        _zeros = memoryview(bytes(max(size, 2 * len(_zeros), 1 << 20)))  # calloc: pages stay unmapped until read
    advanced: int = fast_zlib.crc32(_zeros[:size], _STOP_CHECKSUM_STATE)
    return checksum ^ advanced ^ 0xFFFFFFFF


def _within_limits(last_row: int, columns: int) -> bool:
    return last_row <= MAX_SHEET_ROWS and last_row * columns <= MAX_SHEET_CELLS


_LETTERS = 26  # columns with a one-letter name
_ROW_NUMBERS = re.compile(rb'<row\s+r="([0-9]{1,9})"')
# A cell whose row number has more than N digits, or whose column name has two or more letters (N = 1 … 9).
_CELL_PAST = [re.compile(rb'<c\s+r="(?:[A-Z]{1,3}[0-9]{%d}|[A-Z]{2})' % (digits + 1)) for digits in range(10)]


def _extent_within_limits(xml: bytes) -> bool:
    """Whether :func:`_cell_extent` of the sheet is within the limits, judged first from a bound that needs no list
    of every cell: when no cell has a row number longer than the longest ``<row r>`` nor a column past Z, the
    sheet ends by row 10^digits - 1 and column 26. Two searches instead of ~20,000 matches on a case workbook; the
    exact extent when the bound is not enough."""
    digits = max(map(len, _ROW_NUMBERS.findall(xml)), default=0)
    if 0 < digits < len(_CELL_PAST) and _CELL_PAST[digits].search(xml) is None:
        if _within_limits(10**digits - 1, _LETTERS):
            return True
    return _within_limits(*_cell_extent(xml))


def _sheet_head(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The first few hundred bytes of a member, inflated straight from the archive (``ZipFile.open`` costs ~30 µs a
    member, which over 30 sheets is several percent of a whole read)."""
    stream = package.fp
    if stream is None:
        return b""
    stream.seek(member.header_offset)
    header = stream.read(30)
    if len(header) < 30:
        raise zipfile.BadZipFile(f"truncated local header of {member.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    stream.seek(member.header_offset + 30 + name_length + extra_length)
    raw = stream.read(min(member.compress_size, 512))
    if member.compress_type == zipfile.ZIP_STORED:
        return raw
    if member.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, 2048)
    return b""


def _check_used_ranges(package: zipfile.ZipFile, members: list[zipfile.ZipInfo], name: str, full: bool) -> None:
    """Refuse a sheet whose used range is absurdly large before calamine, which allocates the whole rectangle up
    front (a single cell at XFD1048576 aborts the process), sees it. The sheet's <dimension>, near the start of its
    XML, says the range cheaply; a sheet without one, and with ``full`` every sheet (the <dimension> may lie), is
    scanned for its real last row and column. ``full`` also refuses one sheet part shared by several sheets."""
    worksheets = [
        member
        for member in members
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    ]
    for member in worksheets:
        match = _DIMENSION.search(_sheet_head(package, member))
        if match is not None:
            _check_extent(package, member, name, int(match.group(2)), column_index(match.group(1).decode()))
        if match is None or full:
            last_row, last_column = _cell_extent(package.read(member))
            _check_extent(package, member, name, last_row, last_column)
    if full:
        try:
            parts = _sheet_parts(package.read)
        except Exception:  # a damaged workbook part is reported by the read itself, with its own message
            parts = {}
        shared = {part for part, uses in Counter(parts.values()).items() if uses > 1}
        if shared:
            sheets = ", ".join(f"'{title}'" for title, part in parts.items() if part in shared)
            raise WorkbookError(
                name,
                f"arkene {sheets} deler én arkdel, hvad Excel aldrig skriver (filen er beskadiget eller lavet til "
                "et angreb)",
                "Åbn den i Excel, gem den igen som .xlsx, og kør igen, eller hent den fra en sikkerhedskopi",
                code="corrupt",
            )


def _check_extent(package: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, last_row: int, columns: int) -> None:
    if _within_limits(last_row, columns):
        return
    try:
        titles = {part: title for title, part in _sheet_parts(package.read).items()}
    except Exception:  # the name is only for the message; an odd workbook part must not hide the real problem
        titles = {}
    sheet = titles.get(member.filename, member.filename)
    cell = f"{cell_column_letters(columns)}{last_row}"
    raise WorkbookError(
        name,
        f"arket '{sheet}' har indhold helt ude i cellen {cell}, langt fra dataene (der læses højst "
        f"{MAX_SHEET_ROWS:_} rækker og {MAX_SHEET_CELLS:_} celler pr. ark)".replace("_", "."),
        "Slet de vildfarne celler under og til højre for dataene (markér de tomme rækker eller kolonner, "
        "højreklik, Slet), gem, og kør igen",
        code="too-large",
    )


_CELL_COLUMNS = re.compile(rb'<c\s+r="([A-Z]{1,3})[0-9]')
_CELL_ROWS = re.compile(rb'<(?:c\s+r="[A-Z]{1,3}|row\s+r=")([0-9]{1,9})"')


def cell_column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"


def _cell_extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) of the cells in a sheet's XML: two linear passes, distinct values compared."""
    columns = set(_CELL_COLUMNS.findall(xml))
    rows = set(_CELL_ROWS.findall(xml))
    last_row = max((int(row) for row in rows), default=0)
    last_column = max((column_index(column.decode()) for column in columns), default=0)
    return last_row, last_column


# --------------------------------------------------------------------------------------------------
# Reading the sheets
# --------------------------------------------------------------------------------------------------


def _read_raw(source: Path | io.BytesIO, name: str, detect_formulas: bool) -> RawWorkbook:
    try:
        return _read_raw_once(source, name, detect_formulas)
    except WorkbookError:
        if not isinstance(source, _CalamineView):
            raise
        return _read_raw_once(io.BytesIO(source.original), name, detect_formulas)  # the file as it is decides


def _read_raw_once(source: Path | io.BytesIO, name: str, detect_formulas: bool) -> RawWorkbook:
    try:
        try:
            return _read_sheets(source, name, detect_formulas)
        except python_calamine.CalamineError as error:
            if _UNSUPPORTED_ERROR_VALUE not in str(error):
                raise
            # Excel 365's newer error values (#SPILL!, #CALC! …) stop calamine for the whole file: read a copy that
            # shows them as #N/A instead (the cells read as empty either way); the scan keeps the original text.
            return _read_sheets(_with_classic_error_values(source), name, detect_formulas, scan_source=source)
    except WorkbookError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # calamine errors and Rust panics (pyo3's PanicException is a BaseException)
        raise _unexpected(name, error) from error


def _with_classic_error_values(source: Path | io.BytesIO) -> io.BytesIO:
    """An in-memory copy of the package whose error cells hold only the error values calamine knows."""

    def classic(match: re.Match[bytes]) -> bytes:
        value = match.group(2)
        return match.group(0) if value in _CALAMINE_ERROR_VALUES else match.group(1) + b"#N/A" + match.group(3)

    if isinstance(source, io.BytesIO):
        source.seek(0)
    copy = io.BytesIO()
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for member in package.infolist():
            data = package.read(member)
            if member.filename.startswith("xl/worksheets/") and b't="e"' in data:
                data = _ERROR_VALUE_IN_CELL.sub(classic, data)
            rewritten.writestr(member, data)
    if isinstance(source, io.BytesIO):
        source.seek(0)
    copy.seek(0)
    return copy


def _read_sheets(
    source: Path | io.BytesIO, name: str, detect_formulas: bool, scan_source: Path | io.BytesIO | None = None
) -> RawWorkbook:
    """The sheets the parser needs, from ``source``; formulas and error values (``detect_formulas``) are scanned
    from ``scan_source`` when given (the original of a rewritten copy)."""
    book = python_calamine.load_workbook(source)
    try:
        wanted: list[tuple[str, str, int | None]] = []
        original: dict[str, str] = {}  # template name -> the name in the file, when only the letter case differs
        present = {str(meta.name) for meta in book.sheets_metadata}
        for meta in book.sheets_metadata:
            sheet_name = str(meta.name)
            canonical = _FIXED_BY_FOLDED.get(sheet_name.casefold(), sheet_name)
            if canonical != sheet_name and canonical not in present:  # Excel's sheet names are case-blind
                original[canonical] = sheet_name
                sheet_name = canonical
            if sheet_name in IGNORED_SHEETS:
                continue
            visible = _VISIBILITY.get(str(meta.visible).rpartition(".")[2], "visible")
            if sheet_name == SHEET_SETTINGS:
                nrows: int | None = SETTINGS_LAST_ROW
            elif sheet_name == SHEET_CHECKLIST:
                nrows = None
            else:
                nrows = CASE_SHEET_LAST_ROW
            wanted.append((sheet_name, visible, nrows))
        names = [original.get(sheet_name, sheet_name) for sheet_name, _, _ in wanted]
        scanned = _scan_sheet_xml(scan_source or source, names) if detect_formulas else {}
        sheets: dict[str, RawSheet] = {}
        for sheet_name, visible, nrows in wanted:
            in_file = original.get(sheet_name, sheet_name)
            rows: Any = book.get_sheet_by_name(in_file).to_python(skip_empty_area=False, nrows=nrows)
            formulas, errors = scanned.get(in_file, ({}, {}))
            sheets[sheet_name] = RawSheet(sheet_name, rows, visible, formulas, errors)
    finally:
        book.close()
    return RawWorkbook(name, sheets)


_Cells = dict[tuple[int, int], str]


def _cell_position(column_letters: bytes, row_digits: bytes) -> tuple[int, int]:
    column = 0
    for char in column_letters:
        column = column * 26 + char - 64
    return int(row_digits), column


def _scan_sheet_xml(source: Path | io.BytesIO, sheet_names: list[str]) -> dict[str, tuple[_Cells, _Cells]]:
    """Sheet name -> ((row, col) -> formula text, (row, col) -> error value) for the named sheets: calamine gives
    only cached values, and error values as empty cells. One inflate per sheet; the patterns run only on sheets
    that have formulas / error cells at all. Best effort: an unusual package layout just means no warnings."""
    if isinstance(source, io.BytesIO):
        source.seek(0)
    found: dict[str, tuple[_Cells, _Cells]] = {}
    try:
        with zipfile.ZipFile(source) as package:
            parts = _sheet_parts(package.read)
            for sheet_name in sheet_names:
                part = parts.get(sheet_name)
                if part is None:
                    continue
                xml = package.read(part)
                formulas: _Cells = {}
                errors: _Cells = {}
                if b"<f>" in xml or b"<f " in xml:  # not <formula> (conditional formats, validations)
                    for match in _FORMULA_CELL.finditer(xml):
                        text = (match.group(3) or b"").decode("utf-8", "replace")
                        formulas[_cell_position(match.group(1), match.group(2))] = "=" + text
                if b't="e"' in xml:
                    for match in _ERROR_CELL.finditer(xml):
                        text = match.group(3).decode("utf-8", "replace").strip()
                        errors[_cell_position(match.group(1), match.group(2))] = text
                if formulas or errors:
                    found[sheet_name] = (formulas, errors)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}
    finally:
        if isinstance(source, io.BytesIO):
            source.seek(0)
    return found


def _sheet_parts(read: Callable[[str], bytes]) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from the workbook part and its relationships (``read``: a member's
    bytes by name)."""
    targets: dict[str, str] = {}
    for relation in ElementTree.fromstring(read(_WORKBOOK_RELS)):
        target = relation.get("Target", "")
        if target.startswith("/"):
            member = target.lstrip("/")
        else:
            member = str(PurePosixPath("xl") / target)
        targets[relation.get("Id", "")] = os.path.normpath(member).replace(os.sep, "/")
    parts: dict[str, str] = {}
    workbook = ElementTree.fromstring(read(_WORKBOOK_PART))
    sheets = workbook.find(f"{_NS_MAIN}sheets")
    for sheet in sheets if sheets is not None else ():
        relation_id = sheet.get(f"{_NS_REL}id", "")
        if relation_id in targets:
            parts[sheet.get("name", "")] = targets[relation_id]
    return parts
