"""The shipped ``examples/``: the demo workbooks of :data:`EXAMPLES_PARAMETERS`, left as a guide's refresh leaves them.

Each workbook is written from the generator into a temporary folder, refreshed there by the CLI twin of the
ribbon's Opdatér mødeplan (``actions.refresh_workbook``) and then moved into the target folder atomically. The
computed cells, the meeting plans, Oversigt, the problem marks and the Fejl list hold values the Python computed, so
Excel and LibreOffice show them on opening without recalculating anything. The document dates are the examples'
day, so the same code always writes the same bytes.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from samarbejde_xl.demo.generator import EXAMPLES_PARAMETERS, DemoWorkbook
from samarbejde_xl.demo.municipality import ProgressCallback, refuse_replacing_real_workbooks, write_demo_municipality
from samarbejde_xl.fileio import atomic_write_bytes

EXAMPLES_FOLDER = "examples"


def write_examples(folder: Path, *, on_written: ProgressCallback | None = None) -> list[DemoWorkbook]:
    """(Re)write the example workbooks into ``folder`` (created if needed), refreshed; other files are left alone."""
    from samarbejde_xl.actions import refresh_workbook  # openpyxl and the package writer: only when this runs

    parameters = EXAMPLES_PARAMETERS
    refuse_replacing_real_workbooks(folder, parameters.workbooks)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime(parameters.today.year, parameters.today.month, parameters.today.day)
    with tempfile.TemporaryDirectory(prefix="samarbejde-eksempler-") as scratch:
        written = write_demo_municipality(
            scratch,
            workbooks=parameters.workbooks,
            cases=parameters.cases,
            seed=parameters.seed,
            today=parameters.today,
            clean=parameters.clean,
        )
        for done, book in enumerate(written, start=1):
            # Refreshed beside the original, then moved in: the CLI refuses to overwrite any existing case workbook.
            refreshed = Path(scratch) / f"opdateret-{book.file_name}"
            refresh_workbook(Path(scratch) / book.file_name, refreshed, today=parameters.today, now=now)
            atomic_write_bytes(folder / book.file_name, refreshed.read_bytes())
            if on_written is not None:
                on_written(done, len(written))
    return written
