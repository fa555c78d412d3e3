"""Validation cost against reading: `validate` of a 25-young-person workbook should take at most 2x the read.

Run: python benchmarks/validate.py [--repeats N]
Writes one realistic 25-case demo workbook to a temporary folder, then in one run times (median of N, CPU time):
- read:     samarbejde_xl.workbook.reader.read_workbook (the baseline),
- validate: actions.check_workbook = read + settings + validation rules + every young person's meeting plan,
and prints the ratio validate / read (target <= 2.0). Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from samarbejde_xl.actions import check_workbook
from samarbejde_xl.demo.generator import generate_municipality
from samarbejde_xl.workbook.data_writer import write_workbook
from samarbejde_xl.workbook.reader import read_workbook

TODAY = date(2026, 10, 1)
TARGET_RATIO = 2.0


def _cpu_ms(function: Callable[[], object]) -> float:
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vejleder.xlsx"
        demo = generate_municipality(workbooks=1, cases=25, seed=3, today=TODAY, clean=False)[0]
        write_workbook(demo.data, path, cell_overrides=demo.cell_overrides, today=TODAY)
        meetings = len(demo.data.meetings)
        read_workbook(path)  # warm up imports and caches for both
        check_workbook(path, today=TODAY)
        # Interleave the two so a noisy neighbour hits both alike.
        reads, validates = [], []
        for _ in range(args.repeats):
            reads.append(_cpu_ms(lambda: read_workbook(path)))
            validates.append(_cpu_ms(lambda: check_workbook(path, today=TODAY)))
        read_ms, validate_ms = statistics.median(reads), statistics.median(validates)
    ratio = validate_ms / read_ms
    print(f"workbook: 25 young people, {meetings} Mødetjekliste rows; median CPU ms of {args.repeats} runs")
    print(f"read (baseline):              {read_ms:7.1f} ms")
    print(f"validate (read+rules+plans):  {validate_ms:7.1f} ms")
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    print(f"validate / read: {ratio:.2f} (target <= {TARGET_RATIO}) {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
