"""Render a workbook's printed pages to PNGs for the docs: LibreOffice (headless) -> PDF -> pdftoppm -> PNG.

    python docs/render_pages.py WORKBOOK NAME [--sheet SHEET]... [--pages N] [--dpi D] [--out DIR]

writes DIR/NAME-1.png, DIR/NAME-2.png, ... (DIR defaults to docs/pages/) as the workbook would print with its own
page setup: orientation, fit to width, repeated title rows and columns. ``--sheet`` renders only those sheets (the
others are hidden in a temporary copy, so LibreOffice does not print them). The input file is never changed.
LibreOffice runs with a private profile, so it neither disturbs nor waits for another LibreOffice on the machine.
Not part of the package: a tool for people writing the docs (needs ``soffice`` and ``pdftoppm`` on PATH).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
TIMEOUT_SECONDS = 300


def _sheet_entries(workbook_xml: str) -> list[re.Match[str]]:
    return list(re.finditer(r"<(?:\w+:)?sheet\b[^>]*?/>", workbook_xml))


def _attribute(element: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', element)
    return found.group(1) if found else None


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _only_sheets(workbook_xml: str, wanted: list[str]) -> str:
    """workbook.xml with every sheet not in ``wanted`` hidden and the first wanted sheet active."""
    entries = _sheet_entries(workbook_xml)
    names = [_unescape(_attribute(entry.group(0), "name") or "") for entry in entries]
    missing = [name for name in wanted if name not in names]
    if missing:
        raise SystemExit(f"no sheet {', '.join(missing)} in the workbook (it has: {', '.join(names)})")
    out, last = [], 0
    for entry, name in zip(entries, names, strict=True):
        element = re.sub(r'\sstate="[^"]*"', "", entry.group(0))
        if name not in wanted:
            element = element.replace("/>", ' state="hidden"/>')
        out += [workbook_xml[last : entry.start()], element]
        last = entry.end()
    xml = "".join(out) + workbook_xml[last:]
    active = names.index(wanted[0])
    xml = re.sub(r'\s(activeTab|firstSheet)="\d+"', "", xml)
    return re.sub(r"<((?:\w+:)?workbookView)\b", rf'<\1 activeTab="{active}" firstSheet="{active}"', xml, count=1)


def copy_with_sheets(source: Path, target: Path, sheets: list[str]) -> None:
    """A copy of ``source`` at ``target`` in which only ``sheets`` are visible (every other part byte-identical)."""
    with zipfile.ZipFile(source) as reader, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as writer:
        for item in reader.infolist():
            data = reader.read(item)
            if item.filename == "xl/workbook.xml":
                data = _only_sheets(data.decode("utf-8"), sheets).encode("utf-8")
            writer.writestr(item, data)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")


def _require(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install -y libreoffice-calc-nogui poppler-utils)")


def to_pdf(workbook: Path, name: str, folder: Path, *, sheets: list[str]) -> Path:
    """``folder/name.pdf``: the printed pages of ``workbook`` (of ``sheets`` only, when given)."""
    _require("soffice")
    source = folder / f"{name}{workbook.suffix}"
    if sheets:
        copy_with_sheets(workbook, source, sheets)
    else:
        shutil.copyfile(workbook, source)
    profile = (folder / "libreoffice-profile").as_uri()
    _run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
          str(folder), str(source)])  # fmt: skip
    return folder / f"{name}.pdf"


def render(workbook: Path, name: str, out: Path, *, sheets: list[str], pages: int | None, dpi: int) -> list[Path]:
    """The PNGs of ``workbook``'s printed pages (of ``sheets`` only, when given), as ``out/name-N.png``."""
    _require("soffice", "pdftoppm")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="render-pages-") as scratch:
        folder = Path(scratch)
        pdf = to_pdf(workbook, name, folder, sheets=sheets)
        for old in out.glob(f"{name}-*.png"):
            old.unlink()
        last = ["-l", str(pages)] if pages else []
        _run(["pdftoppm", "-png", "-r", str(dpi), *last, str(pdf), str(folder / name)])
        written = []
        for png in sorted(folder.glob(f"{name}-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1])):
            target = out / f"{name}-{int(png.stem.rsplit('-', 1)[1])}.png"
            shutil.move(png, target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("name", help="file name stem of the PNGs, e.g. example-case")
    parser.add_argument("--sheet", action="append", default=[], help="render only this sheet (repeatable)")
    parser.add_argument("--pages", type=int, default=None, help="render at most this many pages")
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--out", type=Path, default=DOCS / "pages")
    arguments = parser.parse_args(argv)
    if not arguments.workbook.is_file():
        parser.error(f"no such workbook: {arguments.workbook}")
    written = render(
        arguments.workbook, arguments.name, arguments.out, sheets=arguments.sheet, pages=arguments.pages,
        dpi=arguments.dpi,
    )  # fmt: skip
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
