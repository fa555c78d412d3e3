"""How long a coordinator waits for a command or a ribbon button (issue 17): each command as a fresh process.

xlwings starts a new Python process for every button click and a command is a new process too, so start-up
(imports) is most of what a user waits for on one workbook. Every measurement here is a fresh process, run
``--rounds`` times, median wall time; the runs of all commands are interleaved round by round so a burst of
other load on the shared machine hits them alike. The bare interpreter (``python -c pass``) is timed the same way as
the baseline.

- validate / plan / overview / diagnose: one generated workbook (25 young people);
- refresh -o: the same workbook, written to a new file (openpyxl load and save);
- consolidate --no-cache: the same workbook, one process (the small end of the use case);
- ribbon start-up: what RunPython runs before a handler reads the book: ``import samarbejde_xl.addin.ribbon``
  and finding the handler. On Windows xlwings' own COM server has imported xlwings (and with it numpy and
  pandas, when installed) before that; that part is timed apart (``import xlwings``) and is not ours to cut.

Targets: validate <= 0.2 s, plan <= 0.2 s, ribbon start-up <= 0.3 s, refresh of 25 cases <= 0.6 s; each printed
with its figure and PASS or MISS.

Byte code: the commands run with byte code as a user's installation has it (``installed_bytecode.py``), written to
a private folder by one untimed warm-up round first.

    python benchmarks/commands.py
    python benchmarks/commands.py --rounds 11
    python benchmarks/commands.py --compare-with /tmp/base   # also each command with another copy of the package
                                                             # (e.g. git archive main samarbejde_xl | tar -x -C ...)

With ``--compare-with DIR`` every command also runs with ``PYTHONPATH=DIR`` (that copy of ``samarbejde_xl``
first on the path) in the same rounds, and the ratio of the medians is printed: on a loaded machine that ratio
says more than the seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from installed_bytecode import installed_environment

TARGETS = {"validate": 0.2, "plan": 0.2, "ribbon start-up": 0.3, "refresh -o": 0.6}
RIBBON_START = (
    "import samarbejde_xl.addin.ribbon as ribbon\n"
    "handler = ribbon.HANDLERS['Validate']\n"
    "import sys\n"
    "assert not {'openpyxl', 'pandas', 'numpy'} & set(sys.modules), 'a heavy library was imported'\n"
)


def _benchmark() -> Any:
    """benchmarks/consolidate.py (its file generator): this script's folder is first on the path."""
    import consolidate

    return consolidate


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "samarbejde_xl", *args]


def commands(workbook: Path, scratch: Path, today: str) -> dict[str, list[str]]:
    return {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "validate": _cli("validate", os.fspath(workbook), "--today", today),
        "plan": _cli("plan", os.fspath(workbook), "--today", today),
        "overview": _cli("overview", os.fspath(workbook), "--today", today),
        "diagnose": _cli("diagnose", os.fspath(workbook)),
        "refresh -o": _cli("refresh", os.fspath(workbook), "-o", os.fspath(scratch / "ny.xlsx"), "--today", today),
        "consolidate --no-cache": _cli(
            *("consolidate", os.fspath(workbook), "-o", os.fspath(scratch / "rapport.xlsx"), "--today", today),
            *("--no-history", "--no-cache", "-j", "1"),
        ),
        "ribbon start-up": [sys.executable, "-c", RIBBON_START],
        "import xlwings (xlwings' own start, not ours)": [sys.executable, "-c", "import xlwings"],
    }


def _time(command: list[str], scratch: Path, python_path: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one fresh run of ``command``."""
    for leftover in ("ny.xlsx", "rapport.xlsx"):
        (scratch / leftover).unlink(missing_ok=True)
    environment = installed_environment(scratch / "pycache", python_path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment, cwd=scratch)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: the workbook has (planted) problems
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cases", type=int, default=25)
    parser.add_argument("--compare-with", type=Path, help="a folder holding another samarbejde_xl package")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "samarbejde-xl-bench", help="generated files"
    )
    args = parser.parse_args()
    benchmark = _benchmark()
    folder = benchmark.generate(args.cache, 1, args.cases, 1)
    workbook = sorted(folder.glob("*.xlsx"))[0]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        runs = commands(workbook, Path(scratch), benchmark.TODAY.isoformat())
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        other: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        for command in runs.values():  # the untimed warm-up: writes the byte code and fills the file cache
            _time(command, Path(scratch))
            if args.compare_with is not None and "--no-cache" not in command:
                _time(command, Path(scratch), args.compare_with)
        for _ in range(args.rounds):
            for name, command in runs.items():
                times[name].append(_time(command, Path(scratch)))
                if args.compare_with is not None and "--no-cache" not in command:  # an older copy may lack it
                    other[name].append(_time(command, Path(scratch), args.compare_with))
    load_after = os.getloadavg()
    print(f"\nOne workbook, {args.cases} young people ({workbook.name}); fresh process each, median of {args.rounds}")
    print(
        f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} (shared machine: on a loaded "
        "machine the CPU time of the process says more than the wall time)"
    )
    baseline = _median([wall for wall, _ in times["python -c pass (baseline)"]])
    for name, values in times.items():
        walls, cpus = [wall for wall, _ in values], [cpu for _, cpu in values]
        median = _median(walls)
        target = TARGETS.get(name)
        verdict = f"  target <= {target:.1f} s: {'PASS' if median <= target else 'MISS'}" if target else ""
        spread = f"(range {min(walls):.3f}-{max(walls):.3f}, {median - baseline:+.3f} s over the bare interpreter)"
        print(f"  {name:46} {median:6.3f} s, CPU {_median(cpus):6.3f} s {spread}{verdict}")
        if other[name]:
            theirs, their_cpu = _median([wall for wall, _ in other[name]]), _median([cpu for _, cpu in other[name]])
            print(
                f"  {'':46} {theirs:6.3f} s, CPU {their_cpu:6.3f} s with {args.compare_with}: ratio "
                f"{median / theirs:.2f}, CPU ratio {_median(cpus) / their_cpu:.2f}"
            )


if __name__ == "__main__":
    main()
