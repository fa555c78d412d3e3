"""Same results before and after a speed change (issue 17): the facts of many generated workbooks, compared between
this checkout and another git ref (default ``main``).

For every workbook of the benchmark's generated set (see ``benchmarks/consolidate.py``; 1,000 x 25 by default) it
records, with each version of the code in its own fresh process: what the reader gives (typed cases, meetings and
problems), what the checks give (settings and all problems), the facts a consolidation worker sends back, and at
the end the aggregated result of the whole batch. Each is reduced to a canonical text (types kept: 1, 1.0 and True
differ; sets sorted) and compared file by file. The other ref's package is exported with ``git archive`` into a
temporary folder, so no worktree is touched.

    python benchmarks/compare_facts.py                       # this checkout against main, 1,000 workbooks
    python benchmarks/compare_facts.py --ref HEAD~3 --workbooks 100

Exit code 0 when everything is identical, 1 with the first differences printed otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _benchmark() -> Any:
    """benchmarks/consolidate.py (its file generator): this script's folder is first on the path."""
    import consolidate

    return consolidate


def canonical(value: Any) -> Any:
    """A JSON-able form of ``value`` that keeps types and is independent of set order and hash seeds."""
    if value is None or isinstance(value, bool | int | float | str | date | datetime | enum.Enum):
        return [type(value).__name__, repr(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [[field.name, canonical(getattr(value, field.name))] for field in dataclasses.fields(value)]
        return [type(value).__name__, fields]
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # named tuple
        return [type(value).__name__, [[name, canonical(getattr(value, name))] for name in value._fields]]
    if isinstance(value, dict):
        return ["dict", [[canonical(key), canonical(item)] for key, item in value.items()]]
    if isinstance(value, set | frozenset):
        return [type(value).__name__, sorted(json.dumps(canonical(item)) for item in value)]
    if isinstance(value, list | tuple):
        return [type(value).__name__, [canonical(item) for item in value]]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(canonical(value)).encode()).hexdigest()


def dump(folder: Path, today: date, output: Path) -> None:
    """In a fresh process with one version of the code: canonical texts of every stage for every file."""
    import samarbejde_xl
    from samarbejde_xl.consolidation import _add_batch_problems
    from samarbejde_xl.core.aggregate import aggregate
    from samarbejde_xl.core.check import check_data
    from samarbejde_xl.core.errors import WorkbookError
    from samarbejde_xl.core.facts import Unreadable, unreadable_facts, workbook_facts
    from samarbejde_xl.core.quarter import last_complete_quarter
    from samarbejde_xl.core.settings import DEFAULT_SETTINGS
    from samarbejde_xl.workbook.reader import read_workbook

    quarter = last_complete_quarter(today)
    files: dict[str, dict[str, Any]] = {}
    collected = []
    for path in sorted(folder.glob("*.xlsx")):
        stages: dict[str, Any] = {}
        try:
            read = read_workbook(path, display_name=path.name)
            stages["read"] = canonical((read.data, read.problems))
            settings, problems = check_data(read.data, read.problems, DEFAULT_SETTINGS, today)
            stages["checked"] = canonical((settings, problems))
            facts = workbook_facts(read.data, problems, settings, quarter, today)
        except WorkbookError as error:
            facts = unreadable_facts(path.name, Unreadable.of(error.code), f"{error.reason}. {error.hint}")
        stages["facts"] = canonical(facts)
        collected.append(facts)
        files[path.name] = stages
    result = aggregate(
        _add_batch_problems(sorted(collected, key=lambda facts: facts.file)),
        quarter=quarter,
        today=today,
    )
    summary = {"code": samarbejde_xl.__file__, "files": files, "aggregate": canonical(result)}
    output.write_text(json.dumps(summary), encoding="utf-8")


def _run_dump(python_path: Path, folder: Path, today: date, output: Path) -> dict[str, Any]:
    """The dump made with the package in ``python_path``, which comes first on the path, ahead of any installed
    copy (an editable install may point at another checkout)."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.fspath(python_path)
    command = [sys.executable, __file__, "--dump", os.fspath(output), "--folder", os.fspath(folder)]
    command += ["--today", today.isoformat()]
    subprocess.run(command, check=True, env=environment, cwd=tempfile.gettempdir())
    loaded: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    if not Path(loaded["code"]).resolve().is_relative_to(python_path.resolve()):
        raise SystemExit(f"the dump ran {loaded['code']}, not the package in {python_path}")
    return loaded


def _export(ref: str, target: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", ref, "samarbejde_xl", "macros"], cwd=ROOT, check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", os.fspath(target)], input=archive.stdout, check=True)
    macros = target / "macros"
    if macros.exists():  # the package ships macros/ as samarbejde_xl/macros
        macros.rename(target / "samarbejde_xl" / "macros")


def _differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    lines = []
    if set(ours["files"]) != set(theirs["files"]):
        lines.append(f"different files: {sorted(set(ours['files']) ^ set(theirs['files']))[:5]}")
    for name in sorted(set(ours["files"]) & set(theirs["files"])):
        for stage, value in ours["files"][name].items():
            if theirs["files"][name].get(stage) != value:
                lines.append(f"{name}: {stage} differs")
                if len(lines) == 1:
                    lines.append(f"  this checkout: {json.dumps(value)[:1500]}")
                    lines.append(f"  the ref:       {json.dumps(theirs['files'][name].get(stage))[:1500]}")
    if ours["aggregate"] != theirs["aggregate"]:
        lines.append("the aggregated result differs")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref", default="main", help="git ref to compare against (default: main)")
    parser.add_argument("--workbooks", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=25)
    parser.add_argument("--jobs", type=int, default=2, help="processes for generating the files")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "samarbejde-xl-bench", help="generated files"
    )
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump(args.folder, args.today, args.dump)
        return
    benchmark = _benchmark()
    folder = benchmark.generate(args.cache, args.workbooks, args.cases, args.jobs)
    with tempfile.TemporaryDirectory() as scratch:
        exported = Path(scratch) / "ref"
        exported.mkdir()
        _export(args.ref, exported)
        ours = _run_dump(ROOT, folder, benchmark.TODAY, Path(scratch) / "ours.json")
        theirs = _run_dump(exported, folder, benchmark.TODAY, Path(scratch) / "theirs.json")
    if not theirs["code"].startswith(os.fspath(exported)) or theirs["code"] == ours["code"]:
        raise SystemExit(f"the ref's code was not the one imported ({theirs['code']}); nothing compared")
    files = len(ours["files"])
    stages = sum(len(stages) for stages in ours["files"].values())
    differences = _differences(ours, theirs)
    if differences:
        print(f"DIFFERENT from {args.ref} on {files} workbooks:")
        print("\n".join(differences[:40]))
        raise SystemExit(1)
    print(
        f"identical to {args.ref}: {files} workbooks x {args.cases} young people, {stages} per-file results "
        "(read, checked, facts) and the aggregated result"
    )


if __name__ == "__main__":
    main()
