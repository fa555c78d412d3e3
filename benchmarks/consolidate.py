"""Benchmark for ``samarbejde-xl consolidate`` (issue 5): how close to the floor, how far ahead of the naive loop.

In one run, on the same generated files and with the same number of worker processes:

(a) consolidate: the whole use case, end to end (find, read, validate, plan, aggregate, write the report);
(b) floor:       python-calamine reading every sheet of every file to Python values, in a process pool with the
                 same number of processes, each worker returning only a cell count. Its ``get_sheet_by_name``
                 parses each sheet twice (the second pass looks for merged cells and, reading to the end, checks
                 the part's checksum); consolidate's reader skips that pass and checks each part itself
                 (``reader._calamine_view``), so its calamine stage costs less than the floor's. ``--breakdown``
                 also times the floor through that view, for reference;
(c) naive:       what a user would write: a loop of ``pandas.read_excel(path, sheet_name=None)`` (openpyxl
                 engine). It is timed on a subset of the files (``--naive-files``) and extrapolated linearly to all
                 of them; the output says so.

Targets (issue 17, at 1,000 workbooks x 25 young people): (a) within 1.4x of (b) as the median of at least 5
paired rounds (floor and consolidate one after the other, which goes first alternating over an even number of
rounds; each round's ratio taken on its own: the floor itself varies by a third between rounds on a shared
machine), at least 30x faster than (c), peak
memory under 200 MB; and

(d) warm:        a re-run with the facts cache after 1 % of the files changed (``--changed``), each run a fresh
                 process as a coordinator would start it: first a cold run that fills the cache, then the re-run.
                 Target: at most 0.15x the cold consolidate (the median of the paired rounds). The files are
                 hard-linked into a scratch folder and the changed ones rewritten there, so the generated set stays
                 as it is.

Byte code: every measurement runs with byte code as a user's installation has it (``installed_bytecode.py``); the
byte code is written to a private folder by an untimed run of each measurement on a few files first.

Memory: every measurement runs in its own fresh Python process. Peak RSS from ``resource.getrusage``:
``main`` = ``RUSAGE_SELF`` ru_maxrss of that process, ``worker`` = ``RUSAGE_CHILDREN`` ru_maxrss (on Linux the
largest single worker). ``total (bound)`` = main + jobs x worker, an upper bound of the memory in use at once.

The workbooks are generated with the demo-data generator (seed 1; planted entry mistakes included) and the workbook
writer into a cache folder keyed by the parameters and reused by later runs. Writing one workbook with openpyxl takes
about 2 s, so only the first 100 are written that way; a larger set is made of copies of those 100 with every case
id renumbered (zip-level rewrite of the sheet names and id cells), so all ids stay unique across the batch.

    python benchmarks/consolidate.py --workbooks 1000 --cases 25
    python benchmarks/consolidate.py --workbooks 100 --cases 25 --jobs 2
    python benchmarks/consolidate.py --breakdown 200     # where a worker's time goes, per file and stage

``--breakdown N`` times, in one process and file by file, the floor's read and each stage of consolidate's worker
(file checks, calamine, parse, checks, facts, pickling the result) on the first N files, then the serial part of the
main process (sorting plus the cross-workbook check, aggregation, report writing) on all files. It shows what is
left for the Python work once calamine has run, against what a 1.3x target allows.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from installed_bytecode import installed_environment

TODAY = date(2026, 10, 15)
SEED = 1
COMPLETE_MARKER = "COMPLETE"
UNIQUE_WORKBOOKS = 100
"""Workbooks written by the generator; larger sets are copies of these with renumbered ids (see generate)."""

_GENERATED: list[Any] = []  # set before forking the writer pool; workers inherit it


# --------------------------------------------------------------------------------------------------
# Generating the files (cached)
# --------------------------------------------------------------------------------------------------


def cache_folder(root: Path, workbooks: int, cases: int) -> Path:
    from samarbejde_xl import schema

    return root / f"demo-{workbooks}x{cases}-seed{SEED}-{TODAY.isoformat()}-template{schema.TEMPLATE_VERSION}"


def _renumbered(book: Any, offset: int, file_name: str) -> Any:
    """A demo workbook with its ids moved up by ``offset`` (the generator keeps ids below 10,000 per call)."""
    from samarbejde_xl import schema

    def new_id(text: str) -> str:
        match = re.fullmatch(r"U-(\d+)", text)
        return f"U-{int(match.group(1)) + offset:05d}" if match else text

    sheets = {case.sheet: schema.case_sheet_name(new_id(case.sheet)) for case in book.data.cases}
    data = replace(
        book.data,
        file=file_name,
        cases=tuple(replace(case, case_id=new_id(case.case_id), sheet=sheets[case.sheet]) for case in book.data.cases),
        meetings=tuple(replace(meeting, case_id=new_id(meeting.case_id)) for meeting in book.data.meetings),
    )
    planted = tuple(replace(mistake, sheet=sheets.get(mistake.sheet, mistake.sheet)) for mistake in book.planted)
    return replace(book, file_name=file_name, data=data, planted=planted)


def _write_one(index: int) -> None:
    from samarbejde_xl.workbook.data_writer import write_workbook

    book, folder = _GENERATED[index], _GENERATED[-1]
    target = folder / book.file_name
    if not target.exists():
        write_workbook(book.data, target, cell_overrides=book.cell_overrides, today=TODAY)


def _generate_unique(folder: Path, workbooks: int, cases: int, jobs: int) -> None:
    """Demo workbooks in chunks of at most 9,999 young people (seed 1, 2, ...), ids renumbered to stay unique."""
    from samarbejde_xl.demo.generator import CASE_ID_LIMIT, generate_municipality
    from samarbejde_xl.workbook import data_writer  # noqa: F401  imported once here; the forked writers inherit it

    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    per_chunk = max(1, CASE_ID_LIMIT // max(1, cases))
    books: list[Any] = []
    for chunk, first in enumerate(range(0, workbooks, per_chunk)):
        count = min(per_chunk, workbooks - first)
        generated = generate_municipality(workbooks=count, cases=cases, seed=SEED + chunk, today=TODAY, clean=False)
        for index, book in enumerate(generated):
            books.append(_renumbered(book, first * cases, f"vejleder-{first + index + 1:04d}.xlsx"))
    _GENERATED[:] = [*books, folder]
    print(f"Writing {workbooks} workbooks x {cases} young people to {folder} with {jobs} processes ...", flush=True)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for done, _ in enumerate(pool.imap_unordered(_write_one, range(len(books)), chunksize=4), start=1):
            if done % 25 == 0 or done == len(books):
                print(f"  {done}/{len(books)} ({time.perf_counter() - started:.0f} s)", flush=True)
    _GENERATED.clear()
    (folder / COMPLETE_MARKER).write_text("ok\n", encoding="utf-8")


_CASE_ID_BYTES = re.compile(rb"U-(\d{4,5})(?!\d)")


def _renumbered_copy(job: tuple[str, str, int]) -> None:
    """Copy a workbook with every case id moved up by ``offset`` (sheet names, id cells, checklist rows)."""
    source, target, offset = job
    if Path(target).exists():
        return
    temporary = target + ".tmp"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as new:
        for member in old.infolist():
            data = old.read(member)
            if member.filename.endswith((".xml", ".rels")):
                data = _CASE_ID_BYTES.sub(lambda match: b"U-%05d" % (int(match.group(1)) + offset), data)
            new.writestr(member, data)
    os.replace(temporary, target)


def generate(root: Path, workbooks: int, cases: int, jobs: int) -> Path:
    """The benchmark's files (cached under ``root``): up to UNIQUE_WORKBOOKS written by the demo generator and
    the workbook writer (about 2 s each with openpyxl); beyond that, copies of those with renumbered ids."""
    unique = min(workbooks, UNIQUE_WORKBOOKS)
    base = cache_folder(root, unique, cases)
    if not (base / COMPLETE_MARKER).exists():
        _generate_unique(base, unique, cases, jobs)
    if workbooks == unique:
        return base
    folder = cache_folder(root, workbooks, cases)
    if (folder / COMPLETE_MARKER).exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(base.glob("*.xlsx"))
    copies = [
        (
            os.fspath(sources[index % unique]),
            os.fspath(folder / f"vejleder-{index + 1:04d}.xlsx"),
            (index // unique) * unique * cases,
        )
        for index in range(workbooks)
    ]
    print(f"Copying {unique} generated workbooks to {workbooks} with renumbered ids in {folder} ...", flush=True)
    with multiprocessing.get_context().Pool(jobs) as pool:
        pool.map(_renumbered_copy, copies, chunksize=16)
    (folder / COMPLETE_MARKER).write_text("ok\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------------------------------
# Measurements (each in a fresh process)
# --------------------------------------------------------------------------------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xlsx"))


def _read_all_sheets(path: Any) -> int:
    """The floor's worker: every sheet of one file (a path, or a file object) to Python values; only a count goes
    back."""
    import python_calamine

    book = python_calamine.load_workbook(path)
    try:
        cells = 0
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(row) for row in rows)
        return cells
    finally:
        book.close()


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its reaped children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_floor(folder: Path, jobs: int) -> dict[str, Any]:
    from samarbejde_xl.consolidation import chunksize

    files = [os.fspath(path) for path in _files(folder)]
    cpu, started = _cpu_seconds(), time.perf_counter()
    with multiprocessing.get_context().Pool(jobs) as pool:
        cells = sum(pool.imap_unordered(_read_all_sheets, files, chunksize=chunksize(len(files), jobs)))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu_seconds": _cpu_seconds() - cpu, "files": len(files), "cells": cells}


def measure_consolidate(folder: Path, jobs: int, output: Path, cache: Path | None = None) -> dict[str, Any]:
    from samarbejde_xl.consolidation import consolidate

    cpu, started = _cpu_seconds(), time.perf_counter()
    run = consolidate([folder], output, today=TODAY, jobs=jobs, history=None, cache=cache)
    seconds = time.perf_counter() - started
    counts = run.result.counts
    return {
        "seconds": seconds,
        "cpu_seconds": _cpu_seconds() - cpu,
        "files": counts.workbooks_found,
        "young_people": counts.young_people,
    }


def measure_naive(folder: Path, files: int) -> dict[str, Any]:
    import warnings

    import pandas

    subset = _files(folder)[:files]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validation extensions
        for path in subset:
            pandas.read_excel(path, sheet_name=None, engine="openpyxl")
    return {"seconds": time.perf_counter() - started, "files": len(subset)}


def _stage_seconds(path: Path, today: date) -> dict[str, float]:
    """CPU seconds of each stage of consolidate's worker for one file (the reader's internals are called one by one
    so calamine and the Python parse are timed apart)."""
    import pickle

    from samarbejde_xl.consolidation import case_identities
    from samarbejde_xl.core.check import check_data
    from samarbejde_xl.core.facts import workbook_facts
    from samarbejde_xl.core.identifiers import public_municipality
    from samarbejde_xl.core.parse import parse_workbook
    from samarbejde_xl.core.quarter import last_complete_quarter
    from samarbejde_xl.core.settings import DEFAULT_SETTINGS
    from samarbejde_xl.workbook import reader

    clock, stages = time.process_time, {}
    started = clock()
    _read_all_sheets(os.fspath(path))
    stages["floor: calamine, all sheets"] = clock() - started
    view = reader._open_source(path, path.name, None)  # checked first: the reference times calamine alone
    started = clock()
    _read_all_sheets(view)
    stages["floor through the reader's view"] = clock() - started
    started = clock()
    source = reader._open_source(path, path.name, None)
    stages["file checks (zip, sizes, used ranges)"] = clock() - started
    started = clock()
    raw = reader._read_raw(source, path.name, False)
    stages["calamine, sheets read"] = clock() - started
    started = clock()
    data, problems = parse_workbook(raw)
    stages["parse to typed cases and meetings"] = clock() - started
    started = clock()
    settings, problems = check_data(data, problems, DEFAULT_SETTINGS, today)
    stages["settings and validation rules"] = clock() - started
    started = clock()
    facts = workbook_facts(data, problems, settings, last_complete_quarter(today), today)
    stages["facts and meeting plans"] = clock() - started
    started = clock()
    facts = replace(facts, municipality=public_municipality(facts.municipality), identities=case_identities(data))
    stages["municipality check and copy identities"] = clock() - started
    started = clock()
    pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
    stages["pickling the facts for the main process"] = clock() - started
    return stages


def measure_breakdown(folder: Path, files: int) -> dict[str, Any]:
    """Per-file CPU by stage on the first ``files`` files, then the main process's serial tail on all files."""
    import gc
    from datetime import datetime

    from samarbejde_xl.consolidation import _add_batch_problems, _tasks, iter_facts
    from samarbejde_xl.core.aggregate import aggregate
    from samarbejde_xl.core.figures import ConsolidationResult
    from samarbejde_xl.core.quarter import last_complete_quarter
    from samarbejde_xl.core.settings import DEFAULT_SETTINGS
    from samarbejde_xl.report.leader_report import write_report

    gc.disable()  # as consolidate's workers do
    paths = _files(folder)
    totals: dict[str, float] = {}
    for path in paths[:files]:
        for stage, seconds in _stage_seconds(path, TODAY).items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    per_file = {stage: 1000 * seconds / min(files, len(paths)) for stage, seconds in totals.items()}

    quarter = last_complete_quarter(TODAY)
    collected = list(iter_facts(_tasks(paths, quarter, TODAY, DEFAULT_SETTINGS, None), jobs=2))
    tail: dict[str, float] = {}
    started = time.process_time()
    collected = _add_batch_problems(sorted(collected, key=lambda facts: facts.file))
    tail["sort and cross-workbook check"] = time.process_time() - started
    started = time.process_time()
    figures = aggregate(collected, quarter=quarter, today=TODAY)
    result = ConsolidationResult.of(figures, generated_at=datetime(2026, 10, 15), tool_version="")
    tail["aggregation"] = time.process_time() - started
    with tempfile.TemporaryDirectory() as scratch:
        started = time.process_time()
        write_report(result, Path(scratch) / "rapport.xlsx")
        tail["report writing"] = time.process_time() - started
    return {"files_timed": min(files, len(paths)), "files": len(paths), "per_file_ms": per_file, "tail_seconds": tail}


def print_breakdown(result: dict[str, Any], jobs: int) -> None:
    per_file, tail = result["per_file_ms"], result["tail_seconds"]
    floor = per_file.pop("floor: calamine, all sheets")
    viewed_floor = per_file.pop("floor through the reader's view")
    worker = sum(per_file.values())
    print(f"\nPer file, CPU in one process, mean of {result['files_timed']} files (ms):")
    print(f"  {'floor: calamine reading every sheet':45} {floor:7.2f}")
    print(
        f"  {'  (for reference: the same through the view)':45} {viewed_floor:7.2f}  (the view's checks not included)"
    )
    for stage, milliseconds in per_file.items():
        print(f"  {stage:45} {milliseconds:7.2f}")
    print(f"  {'consolidate worker, all stages':45} {worker:7.2f}  ({worker / floor:.2f} x floor)")
    tail_seconds = sum(tail.values())
    print(f"Serial tail in the main process for {result['files']} files (s):")
    for stage, seconds in tail.items():
        print(f"  {stage:45} {seconds:7.2f}")
    # Wall time ~ files x per-file CPU / jobs + tail; the floor's wall ~ files x floor / jobs.
    floor_wall = result["files"] * floor / 1000 / jobs
    allowed = 1.3 * floor_wall - tail_seconds
    budget = allowed * jobs * 1000 / result["files"]
    calamine = per_file["calamine, sheets read"]
    print(
        f"Modelled with {jobs} processes: floor {floor_wall:.2f} s, consolidate "
        f"{result['files'] * worker / 1000 / jobs + tail_seconds:.2f} s "
        f"({(result['files'] * worker / 1000 / jobs + tail_seconds) / floor_wall:.2f} x). "
        f"For 1.3 x, a worker may spend {budget:.2f} ms a file, {budget - calamine:.2f} ms of it beyond calamine "
        f"(today {worker - calamine:.2f} ms)."
    )


def _peak_memory() -> dict[str, float]:
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return {
        "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / scale / 1024,
    }


BYTE_CODE = Path(tempfile.gettempdir()) / "samarbejde-xl-bench-pycache"
"""Where the measured processes keep their byte code (installed_bytecode.py); written by :func:`_warm_up`."""


def _measure_in_subprocess(kind: str, folder: Path, jobs: int, extra: list[str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", kind, "--folder", os.fspath(folder), "--jobs", str(jobs), *extra]
    environment = installed_environment(BYTE_CODE)
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    if done.returncode != 0:
        raise SystemExit(f"measurement {kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _linked_copy(folder: Path, target: Path) -> None:
    target.mkdir()
    for path in _files(folder):
        os.link(path, target / path.name)


def _change(path: Path) -> None:
    """A real change to the file's bytes that leaves what is read alone (the first member's time stamp), written as
    a new file so the hard-linked original is untouched."""
    data = bytearray(path.read_bytes())
    data[10] ^= 0x01
    path.unlink()
    path.write_bytes(bytes(data))


def measure_warm(folder: Path, jobs: int, changed: float) -> dict[str, Any]:
    """A cold run filling the facts cache, ``changed`` of the files changed, the re-run: each a fresh process."""
    with tempfile.TemporaryDirectory() as scratch:
        copy, cache, report = Path(scratch) / "arbejdsbøger", Path(scratch) / "cache.sqlite", Path(scratch) / "r.xlsx"
        _linked_copy(folder, copy)
        extra = ["--output", os.fspath(report), "--with-cache", os.fspath(cache)]
        cold = _measure_in_subprocess("consolidate", copy, jobs, extra)
        files = _files(copy)
        count = max(1, round(len(files) * changed))
        for path in files[:: max(1, len(files) // count)][:count]:
            _change(path)
        warm = _measure_in_subprocess("consolidate", copy, jobs, extra)
    return {"cold_fill": cold, "warm": warm, "changed": count}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _even_rounds(repeat: int) -> int:
    """Paired rounds for ``--repeat``: at least 2 and even, so that each goes first as often (on this VM the second
    run of a pair ran up to 8 % slower: with 7 rounds, 4 of one order and 3 of the other, the median leaned)."""
    return max(2, repeat + repeat % 2)


def _warm_cache(folder: Path) -> None:
    for path in _files(folder):
        path.read_bytes()


def _warm_up(folder: Path, jobs: int) -> None:
    """Each measurement once on a few files, untimed: the byte code of what they import is written (BYTE_CODE)."""
    with tempfile.TemporaryDirectory() as scratch:
        few = Path(scratch) / "few"
        few.mkdir()
        for path in _files(folder)[: jobs + 1]:
            os.link(path, few / path.name)
        _measure_in_subprocess("floor", few, jobs, [])
        _measure_in_subprocess("consolidate", few, jobs, ["--output", os.fspath(Path(scratch) / "rapport.xlsx")])
        _measure_in_subprocess("naive", few, 1, ["--naive-files", "1"])


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workbooks", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=25)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--naive-files", type=int, default=50, help="files timed for the naive loop")
    parser.add_argument(
        "--repeat", type=int, default=6, help="paired rounds, which goes first alternating (rounded up to even)"
    )
    parser.add_argument("--changed", type=float, default=0.01, help="share of files changed for the warm re-run")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm re-run")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "samarbejde-xl-bench", help="generated files"
    )
    parser.add_argument("--generate-only", action="store_true", help="generate (or find) the files and stop")
    parser.add_argument(
        "--breakdown", type=int, metavar="N", help="time each stage per file on N files, and the serial tail; no race"
    )
    parser.add_argument("--measure", choices=["floor", "consolidate", "naive", "breakdown"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--with-cache", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def _run_measurement(args: argparse.Namespace) -> None:
    if args.measure == "floor":
        result = measure_floor(args.folder, args.jobs)
    elif args.measure == "consolidate":
        result = measure_consolidate(args.folder, args.jobs, args.output, args.with_cache)
    elif args.measure == "breakdown":
        result = measure_breakdown(args.folder, args.naive_files)
    else:
        result = measure_naive(args.folder, args.naive_files)
    print(json.dumps({**result, **_peak_memory()}))


def main() -> None:
    args = _arguments()
    if args.measure:
        _run_measurement(args)
        return
    from samarbejde_xl.consolidation import default_jobs

    jobs = args.jobs or default_jobs()
    folder = generate(args.cache, args.workbooks, args.cases, jobs)
    if args.generate_only:
        return
    _warm_cache(folder)
    _warm_up(folder, jobs)
    if args.breakdown:
        print_breakdown(_measure_in_subprocess("breakdown", folder, jobs, ["--naive-files", str(args.breakdown)]), jobs)
        return
    load_before = os.getloadavg()

    floors, consolidations = [], []
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "rapport.xlsx"
        for round_number in range(_even_rounds(args.repeat)):
            # Which goes first alternates: a machine that slows down under sustained load (a throttled VM) would
            # otherwise always slow the second of each pair. An even number of rounds gives each order as many.
            measure_floor = functools.partial(_measure_in_subprocess, "floor", folder, jobs, [])
            measure_ours = functools.partial(
                _measure_in_subprocess, "consolidate", folder, jobs, ["--output", os.fspath(output)]
            )
            if round_number % 2:
                consolidations.append(measure_ours())
                floors.append(measure_floor())
            else:
                floors.append(measure_floor())
                consolidations.append(measure_ours())
    warm = None if args.no_warm else measure_warm(folder, jobs, args.changed)
    naive = _measure_in_subprocess("naive", folder, 1, ["--naive-files", str(args.naive_files)])
    load_after = os.getloadavg()
    print_summary(args, jobs, floors, consolidations, warm, naive, (load_before, load_after))


def print_summary(
    args: argparse.Namespace,
    jobs: int,
    floors: list[dict[str, Any]],
    consolidations: list[dict[str, Any]],
    warm: dict[str, Any] | None,
    naive: dict[str, Any],
    loads: tuple[tuple[float, ...], tuple[float, ...]],
) -> None:
    pairs = list(zip(floors, consolidations, strict=True))
    wall_ratios = [ours["seconds"] / floor["seconds"] for floor, ours in pairs]
    cpu_ratios = [ours["cpu_seconds"] / floor["cpu_seconds"] for floor, ours in pairs]
    ours_seconds = _median([ours["seconds"] for ours in consolidations])
    floor_seconds = _median([floor["seconds"] for floor in floors])
    files = consolidations[0]["files"]
    naive_all = naive["seconds"] / naive["files"] * files
    peak = max(consolidations, key=lambda item: item["main_mb"] + jobs * item["worker_mb"])
    bound = peak["main_mb"] + jobs * peak["worker_mb"]
    ratio_floor, ratio_cpu, ratio_naive = _median(wall_ratios), _median(cpu_ratios), naive_all / ours_seconds

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    print()
    print(
        f"{files} workbooks x {args.cases} young people ({consolidations[0]['young_people']} in all), {jobs} processes"
    )
    print(
        f"load average (1 min) before {loads[0][0]:.2f}, after {loads[1][0]:.2f}: the machine is shared, so the "
        "ratios of paired rounds say more than the seconds"
    )
    print(
        f"(a) consolidate, median of {len(pairs)}: {ours_seconds:8.2f} s  ({1000 * ours_seconds / files:.1f} ms/file)"
    )
    print(
        f"(b) floor, median of {len(pairs)}:       {floor_seconds:8.2f} s  ({1000 * floor_seconds / files:.1f} ms/file)"
    )
    print(
        f"(c) naive pandas+openpyxl loop:   {naive_all:8.2f} s  (timed on {naive['files']} files: "
        f"{naive['seconds']:.2f} s, extrapolated linearly to {files})"
    )
    print(
        "rounds (floor s, consolidate s, ratio):",
        [(round(f["seconds"], 2), round(c["seconds"], 2), round(c["seconds"] / f["seconds"], 2)) for f, c in pairs],
    )
    print(
        f"consolidate / floor, median of {len(pairs)} paired rounds = {ratio_floor:.2f} "
        f"(range {min(wall_ratios):.2f}-{max(wall_ratios):.2f}; target <= 1.4)  {verdict(ratio_floor <= 1.4)}"
    )
    first_floor, first_ours = _median(wall_ratios[0::2]), _median(wall_ratios[1::2])
    print(f"  by order: floor first {first_floor:.2f}, consolidate first {first_ours:.2f} (median of each)")
    print(
        f"CPU time, all processes, consolidate / floor, median = {ratio_cpu:.2f} "
        f"(range {min(cpu_ratios):.2f}-{max(cpu_ratios):.2f}; less disturbed by other load, serial work counts once)"
    )
    print(f"naive / consolidate = {ratio_naive:.1f}x (target >= 30)  {verdict(ratio_naive >= 30)}")
    print(
        f"peak RSS of consolidate: main {peak['main_mb']:.0f} MB, largest worker {peak['worker_mb']:.0f} MB, "
        f"total (bound) {bound:.0f} MB (target < 200)  {verdict(bound < 200)}"
    )
    if warm is not None:
        fill, rerun = warm["cold_fill"], warm["warm"]
        ratio_warm = rerun["seconds"] / ours_seconds
        print(
            f"(d) warm re-run, {warm['changed']} of {files} files changed: {rerun['seconds']:.2f} s = "
            f"{ratio_warm:.3f}x the cold median (target <= 0.15)  {verdict(ratio_warm <= 0.15)}; "
            f"the cold run filling the cache took {fill['seconds']:.2f} s; "
            f"peak RSS of the re-run: main {rerun['main_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
