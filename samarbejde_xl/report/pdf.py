"""PDF and PNG renderings of the report through LibreOffice headless (``soffice``) and poppler (``pdftoppm``).

Only the politicians' summary goes to PDF by default: the other sheets hold an internal overdue list with
pseudonymous ids. A copy of the workbook with every other sheet hidden is converted (LibreOffice does not print
hidden sheets), so the charts survive; no Excel library is needed for that (the copy edits ``xl/workbook.xml``).

Each conversion uses a private LibreOffice profile in a temporary folder, so parallel runs do not clash, and is
stopped after ``timeout`` seconds. Outputs are written atomically.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from samarbejde_xl import schema
from samarbejde_xl.core.aggregate import ConsolidationResult
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.suppression import DEFAULT_MIN_COUNT
from samarbejde_xl.fileio import atomic_output
from samarbejde_xl.report.writer import write_politicians_summary

DEFAULT_TIMEOUT_SECONDS = 180
SOFFICE_INSTALL_HINT = (
    "LibreOffice (soffice) blev ikke fundet; installér det (Debian: apt-get install libreoffice-calc-nogui), "
    "eller kør uden --pdf"
)
PDFTOPPM_INSTALL_HINT = "pdftoppm blev ikke fundet; installér poppler (Debian: apt-get install poppler-utils)"

_WORKBOOK_PART = "xl/workbook.xml"
_SHEET_ELEMENT = re.compile(r"<sheet\b[^>]*?/>")
_NAME_ATTRIBUTE = re.compile(r'\bname="([^"]*)"')
_STATE_ATTRIBUTE = re.compile(r'\s+state="[^"]*"')
_WORKBOOK_VIEW = re.compile(r"<workbookView\b[^>]*?/>")


class ReportRenderError(SamarbejdeError):
    """The report could not be turned into PDF or PNG."""


class LibreOfficeNotFoundError(ReportRenderError):
    """``soffice`` is not installed (or not on PATH)."""

    def __init__(self) -> None:
        super().__init__(SOFFICE_INSTALL_HINT)


def find_soffice(command: str | None = None) -> str:
    """The path of LibreOffice's ``soffice`` (or of ``command``); raises LibreOfficeNotFoundError."""
    for candidate in (command,) if command else ("soffice", "libreoffice"):
        found = shutil.which(candidate)
        if found:
            return found
    raise LibreOfficeNotFoundError()


def only_sheet_visible(xlsx: bytes, sheet: str) -> bytes:
    """A copy of an xlsx in which every sheet but ``sheet`` is hidden and ``sheet`` is the active one."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        workbook_xml = source.read(_WORKBOOK_PART).decode("utf-8")
        elements = _SHEET_ELEMENT.findall(workbook_xml)
        names = [html.unescape(match.group(1)) for match in map(_NAME_ATTRIBUTE.search, elements) if match]
        if sheet not in names:
            raise ReportRenderError(f"arket {sheet!r} findes ikke i projektmappen (arkene: {', '.join(names)})")
        index = names.index(sheet)

        def restate(match: re.Match[str]) -> str:
            element = _STATE_ATTRIBUTE.sub("", match.group(0))
            name_match = _NAME_ATTRIBUTE.search(element)
            if name_match and html.unescape(name_match.group(1)) == sheet:
                return element
            return element[: -len("/>")].rstrip() + ' state="hidden"/>'

        def reactivate(match: re.Match[str]) -> str:
            element = re.sub(r'\s+(activeTab|firstSheet)="[^"]*"', "", match.group(0))
            return element[: -len("/>")].rstrip() + f' activeTab="{index}" firstSheet="{index}"/>'

        workbook_xml = _SHEET_ELEMENT.sub(restate, workbook_xml)
        workbook_xml = _WORKBOOK_VIEW.sub(reactivate, workbook_xml)
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = workbook_xml.encode("utf-8") if info.filename == _WORKBOOK_PART else source.read(info)
                target.writestr(info, data)
        return output.getvalue()


def _run(command: list[str], timeout: int, what: str) -> None:
    """Run ``command`` in its own process group; on timeout stop that group (and only it)."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ReportRenderError(f"{what} blev ikke færdig inden for {timeout} sekunder") from None
    if process.returncode != 0:
        raise ReportRenderError(f"{what} mislykkedes (slutkode {process.returncode}): {stderr.strip()}")


def _convert_to_pdf(source: Path, folder: Path, soffice: str, timeout: int) -> Path:
    profile = (folder / "lo-profile").resolve().as_uri()
    outdir = folder / "pdf"
    _run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ],
        timeout,
        "LibreOffice",
    )
    produced = outdir / (source.stem + ".pdf")
    if not produced.exists():
        raise ReportRenderError(f"LibreOffice skrev ingen PDF for {source.name}")
    return produced


def render_pdf(
    report_xlsx: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    sheet: str | None = schema.REPORT_SHEET_POLITICIANS,
    soffice: str | None = None,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
) -> Path:
    """Convert ``report_xlsx`` to ``pdf_path``: only ``sheet`` (default: the politicians' summary), or every
    visible sheet when ``sheet`` is None. Raises LibreOfficeNotFoundError / ReportRenderError."""
    command = find_soffice(soffice)
    source_path = Path(report_xlsx)
    with tempfile.TemporaryDirectory(prefix="samarbejde-xl-pdf-") as temp:
        folder = Path(temp)
        source = folder / "report.xlsx"
        data = source_path.read_bytes()
        source.write_bytes(only_sheet_visible(data, sheet) if sheet else data)
        produced = _convert_to_pdf(source, folder, command, timeout)
        target = Path(pdf_path)
        with atomic_output(target) as temp_pdf:
            shutil.copyfile(produced, temp_pdf)
    return target


def write_politicians_pdf(
    result: ConsolidationResult,
    pdf_path: str | os.PathLike[str],
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    soffice: str | None = None,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
) -> Path:
    """The politicians' summary as PDF, straight from the result (no full report needed)."""
    find_soffice(soffice)
    with tempfile.TemporaryDirectory(prefix="samarbejde-xl-summary-") as temp:
        summary = Path(temp) / "politikere.xlsx"
        write_politicians_summary(result, summary, min_count=min_count)
        return render_pdf(summary, pdf_path, sheet=None, soffice=soffice, timeout=timeout)


def render_pngs(
    report_xlsx: str | os.PathLike[str],
    outdir: str | os.PathLike[str],
    pages: Mapping[str, str],
    *,
    dpi: int = 60,
    soffice: str | None = None,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
) -> list[Path]:
    """PNG pictures of report sheets (for the docs): ``pages`` maps a PNG file name to a sheet name; the
    first printed page of that sheet is rendered at ``dpi``. Returns the written files."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ReportRenderError(PDFTOPPM_INSTALL_HINT)
    target_folder = Path(outdir)
    target_folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="samarbejde-xl-png-") as temp:
        for index, (png_name, sheet) in enumerate(pages.items()):
            pdf = render_pdf(
                report_xlsx, Path(temp) / f"page{index}.pdf", sheet=sheet, soffice=soffice, timeout=timeout
            )
            stem = Path(temp) / f"page{index}"
            _run(
                [pdftoppm, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                timeout,
                "pdftoppm",
            )
            target = target_folder / png_name
            with atomic_output(target) as temp_png:
                shutil.copyfile(stem.with_suffix(".png"), temp_png)
            written.append(target)
    return written
