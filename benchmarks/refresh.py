"""Benchmark: refresh's write step, the lossless package writer vs today's openpyxl round trip, same run.

Run: .venv/bin/python benchmarks/refresh.py [--repeats 7] [--cases 25]

Builds one synthetic 25-case workbook (demo data with entry mistakes, so refresh marks cells), computes refresh's
writes once, then times in paired rounds:
- openpyxl: load_workbook + apply_writes + the reproducible save (what refresh did before issue 13);
- package:  PackageEditor(data).apply(writes).to_bytes() (what refresh does now);
and prints the median milliseconds of each and the median of the paired ratios openpyxl / package (target >= 1:
no slower than openpyxl, preferably much faster). The whole command (read, check, write) is timed too.

Ratios use CPU time (time.process_time): the machine is shared, and wall-clock medians swing with other load.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from openpyxl import load_workbook

from samarbejde_xl import actions
from samarbejde_xl.core.sheet_writes import SheetWrites, workbook_writes
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook.apply import apply_writes
from samarbejde_xl.workbook.data_writer import write_workbook_bytes
from samarbejde_xl.workbook.package import PackageEditor
from samarbejde_xl.workbook.save import workbook_bytes

TODAY = date(2026, 3, 16)


def openpyxl_route(data: bytes, writes: SheetWrites) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    apply_writes(workbook, writes)
    return workbook_bytes(workbook)


def package_route(data: bytes, writes: SheetWrites) -> bytes:
    editor = PackageEditor(data)
    editor.apply(writes)
    return editor.to_bytes()


def timed(function: Callable[[], object]) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cases", type=int, default=25)
    args = parser.parse_args(argv)

    demo = generate_municipality(workbooks=1, cases=args.cases, seed=13, today=TODAY, clean=False)[0]
    data = write_workbook_bytes(demo.data, cell_overrides=demo.cell_overrides, today=TODAY)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vejleder.xlsx"
        path.write_bytes(data)
        check = actions.check_workbook(path, today=TODAY)
        writes = workbook_writes(check.data, check.plans, check.problems, check.settings, TODAY)
        print(
            f"workbook: {args.cases} cases, {len(data) // 1024} KiB, {len(writes.values)} cells, "
            f"{len(writes.marks)} marks"
        )
        output = Path(folder) / "ud.xlsx"
        openpyxl_times: list[float] = []
        package_times: list[float] = []
        command_times: list[float] = []
        for round_number in range(args.repeats):
            # Alternate the order so neither route always runs on a warmer cache.
            routes = [("openpyxl", openpyxl_times), ("package", package_times)]
            for name, times in routes if round_number % 2 == 0 else routes[::-1]:
                route = openpyxl_route if name == "openpyxl" else package_route
                times.append(timed(partial(route, data, writes)))
            command_times.append(timed(partial(actions.refresh_workbook, path, output, today=TODAY)))
    ratios = [o / p for o, p in zip(openpyxl_times, package_times, strict=True)]
    print(f"openpyxl round trip: {statistics.median(openpyxl_times) * 1000:8.1f} ms (median CPU)")
    print(f"package writer:      {statistics.median(package_times) * 1000:8.1f} ms (median CPU)")
    print(f"whole refresh command (read, check, write): {statistics.median(command_times) * 1000:.1f} ms")
    print(f"ratio openpyxl / package: {statistics.median(ratios):.2f}x (target >= 1; median of {len(ratios)} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
