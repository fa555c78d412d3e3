"""Saving openpyxl workbooks byte-reproducibly and atomically.

openpyxl stamps the zip entries and the ``modified`` document property with the current time, so two saves of the
same workbook differ. Here the workbook is serialised without touching its properties, and the zip is rewritten with
a fixed timestamp and a stable entry order, so the same workbook always gives the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from samarbejde_xl.fileio import atomic_write_bytes

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can carry; used for every entry."""

_FIRST_ENTRY = "[Content_Types].xml"
_FILE_MODE = 0o644 << 16


def _openpyxl_bytes(workbook: Workbook) -> bytes:
    # ExcelWriter directly instead of Workbook.save: save() would overwrite properties.modified with "now".
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an xlsx zip with fixed timestamps and sorted entries ([Content_Types].xml first)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        contents = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(contents, key=lambda name: (name != _FIRST_ENTRY, name))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _FILE_MODE
            info.create_system = 0
            target.writestr(info, contents[name], compresslevel=6)
    return buffer.getvalue()


def workbook_bytes(workbook: Workbook) -> bytes:
    """The xlsx bytes of ``workbook``: the same workbook content always gives the same bytes."""
    return normalise_zip(_openpyxl_bytes(workbook))


def save_workbook(workbook: Workbook, path: str | os.PathLike[str]) -> None:
    """Save ``workbook`` to ``path`` reproducibly and atomically (temp file in the same folder, then replace)."""
    atomic_write_bytes(path, workbook_bytes(workbook))
