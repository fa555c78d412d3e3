"""How long a worksheet function call takes under Pyodide, as in xlwings Lite (target: median < 5 ms).

Run: .venv/bin/python benchmarks/lite.py   (needs Node.js and `npm ci` in tests/lite)
Builds main.py (``samarbejde-xl lite build``), loads it in Pyodide (npm pyodide in Node, offline) and times
SAM_NAESTE_MOEDE for one young person among a 150-row Mødetjekliste: median of many calls after warm-up. The same
job runs under CPython in the same run as the baseline, so the ratio compares across machines. Exits 0 always.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import xlwings

from samarbejde_xl import schema
from samarbejde_xl.lite.bundle import main_py

TARGET_MS = 5.0
WARMUP, REPEAT = 100, 1000
LITE_TESTS = Path(__file__).resolve().parents[1] / "tests" / "lite"
_EPOCH = date(1899, 12, 30)


def _serial(day: date) -> float:
    return float((day - _EPOCH).days)


def _arguments() -> list[object]:
    """SAM_NAESTE_MOEDE's arguments as Excel passes them: dates as serials, the checklist as rows."""
    kinds = schema.MEETING_KIND.labels
    checklist = [
        [f"U-{1 + row % 19:04d}", _serial(date(2024, 1, 8) + timedelta(days=5 * row)), kinds[row % len(kinds)], "ja"]
        for row in range(150)
    ]
    return [_serial(date(2008, 5, 10)), "psykisk", _serial(date(2024, 6, 3)), "U-0001", checklist, None, 46000.0, None]


def _report(command: list[str], job_file: Path) -> dict[str, object]:
    done = subprocess.run([*command, str(job_file)], capture_output=True, text=True, check=True)
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def main() -> None:
    bench = {"function": "SAM_NAESTE_MOEDE", "args": _arguments(), "warmup": WARMUP, "repeat": REPEAT}
    job = {"main_py": main_py(), "bench": bench}
    with tempfile.TemporaryDirectory() as folder:
        job_file = Path(folder) / "job.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        cpython = _report([sys.executable, str(LITE_TESTS / "harness.py")], job_file)
        pyodide = _report(["node", str(LITE_TESTS / "run.mjs"), str(Path(xlwings.__file__).parent)], job_file)
    medians = {}
    for name, report in (("CPython", cpython), ("Pyodide", pyodide)):
        timings = report["bench_seconds"]
        assert isinstance(timings, list)
        medians[name] = statistics.median(timings) * 1000
        print(f"{name:8} median {medians[name]:.3f} ms  p90 {statistics.quantiles(timings, n=10)[-1] * 1000:.3f} ms")
    print(f"main.py load under Pyodide: {pyodide['load_seconds']:.2f} s")
    verdict = "PASS" if medians["Pyodide"] < TARGET_MS else "MISS"
    print(
        f"Pyodide / CPython {medians['Pyodide'] / medians['CPython']:.2f}x; "
        f"target median < {TARGET_MS} ms under Pyodide: {verdict}"
    )


if __name__ == "__main__":
    main()
