"""The demo municipality on disk: its workbooks written from the generator, and the demo consolidation.

The writer (openpyxl) and the consolidation are imported when a function runs, so importing this module is cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from samarbejde_xl.demo.generator import FILE_NAME_PATTERN, MUNICIPALITY, DemoWorkbook, generate_municipality
from samarbejde_xl.workbook.discover import refuse_replacing_guides_workbooks

if TYPE_CHECKING:
    from samarbejde_xl.consolidation import ConsolidationRun

ProgressCallback = Callable[[int, int], None]
"""Called after each step with (steps done, steps in total)."""

DEMO_FOLDER = "samarbejde-demo"
DEMO_WORKBOOK_FOLDER = "arbejdsbøger"
DEMO_WORKBOOKS = 12
DEMO_CASES = 20
DEMO_SEED = 1


def write_demo_municipality(
    outdir: str | os.PathLike[str],
    *,
    workbooks: int,
    cases: int,
    seed: int,
    today: date,
    clean: bool,
    on_written: ProgressCallback | None = None,
) -> list[DemoWorkbook]:
    """Generate a synthetic municipality (:func:`demo.generator.generate_municipality`) and write its workbooks.

    ``outdir`` is created if needed. Each workbook replaces a file of the same name atomically; other files in
    ``outdir`` are left alone. The same arguments always give byte-identical files.
    """
    from samarbejde_xl.workbook.data_writer import write_workbook  # openpyxl: only when writing workbooks

    generated = generate_municipality(workbooks=workbooks, cases=cases, seed=seed, today=today, clean=clean)
    folder = Path(outdir)
    folder.mkdir(parents=True, exist_ok=True)
    for done, demo in enumerate(generated, start=1):
        write_workbook(demo.data, folder / demo.file_name, cell_overrides=demo.cell_overrides, today=today)
        if on_written is not None:
            on_written(done, len(generated))
    return generated


def refuse_replacing_real_workbooks(folder: Path, workbooks: int) -> None:
    """Refuse a demo folder where a file the demo writes is a case workbook of a real municipality."""
    targets = [folder / FILE_NAME_PATTERN.format(index=index + 1) for index in range(workbooks)]
    refuse_replacing_guides_workbooks(
        targets, replaceable=lambda data: data.municipality == MUNICIPALITY, what="demoens"
    )


def write_demo_workbooks(
    folder: Path, *, workbooks: int, cases: int, seed: int, today: date, on_written: ProgressCallback | None = None
) -> list[Path]:
    """Synthetic guide workbooks (with a few planted entry mistakes) written to ``folder``; a guide's real workbook
    of the same name is never replaced (``OutputRefusedError``)."""
    refuse_replacing_real_workbooks(folder, workbooks)
    generated = write_demo_municipality(
        folder, workbooks=workbooks, cases=cases, seed=seed, today=today, clean=False, on_written=on_written
    )
    return [folder / book.file_name for book in generated]


def run_demo(
    outdir: Path,
    *,
    today: date,
    jobs: int | None = None,
    on_written: ProgressCallback | None = None,
    on_progress: ProgressCallback | None = None,
) -> ConsolidationRun:
    """Generate the demo municipality in ``outdir`` and consolidate it; the report lands in ``outdir``.
    ``on_written`` follows the workbooks being written, ``on_progress`` them being read."""
    from samarbejde_xl.consolidation import HISTORY_FILE_NAME, consolidate
    from samarbejde_xl.core.quarter import last_complete_quarter

    quarter = last_complete_quarter(today)
    paths = write_demo_workbooks(
        outdir / DEMO_WORKBOOK_FOLDER,
        workbooks=DEMO_WORKBOOKS,
        cases=DEMO_CASES,
        seed=DEMO_SEED,
        today=today,
        on_written=on_written,
    )
    return consolidate(
        paths,
        outdir / f"ledelsesrapport-{quarter.code}.xlsx",
        today=today,
        quarter=quarter,
        history=outdir / HISTORY_FILE_NAME,
        jobs=jobs,
        on_progress=on_progress,
    )
