"""Runs a built main.py the way xlwings Lite does and reports what each function and script gave, as JSON.

The same file runs under Pyodide (tests/lite/run.mjs) and under CPython (tests/test_lite_pyodide.py), so both
sides load, call and encode identically and the test compares their outputs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import time
import traceback
import types
from typing import Any


def encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    return value


def load_main(source: str) -> types.ModuleType:
    """main.py as its own module, as xlwings Lite imports it (xlwings in server mode: the real @func/@script)."""
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    os.environ["XLWINGS_ON_SERVER"] = "true"
    module = types.ModuleType("main")
    module.__file__ = "main.py"
    sys.modules["main"] = module
    exec(compile(source, "main.py", "exec"), module.__dict__)
    return module


def _failure() -> dict[str, Any]:
    kind, error, _ = sys.exc_info()
    return {"error": f"{kind.__name__ if kind else '?'}: {error}", "traceback": traceback.format_exc()}


async def _officejs_call(main: types.ModuleType, call: dict[str, Any]) -> Any:
    from xlwings.pro import custom_functions_call

    return await custom_functions_call(call, main)


async def _script_call(main: types.ModuleType, name: str, book: Any) -> Any:
    """A script the way xlwings Lite runs it: xlwings injects the book into the parameter typed ``xw.Book``."""
    import xlwings as xw
    from xlwings.pro.udfs_officejs import custom_scripts_call

    return await custom_scripts_call(main, name, typehint_to_value={xw.Book: book})


async def run(job: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    main = load_main(job["main_py"])
    report: dict[str, Any] = {"load_seconds": time.perf_counter() - started, "platform": sys.platform}
    from xlwings.pro import custom_functions_meta
    from xlwings.pro.udfs_officejs import custom_scripts_meta

    # What xlwings Lite registers with Excel: function names, arguments, help; script names.
    report["functions_meta"] = custom_functions_meta(main)
    report["scripts_meta"] = custom_scripts_meta(main)
    report["calls"] = []
    for call in job.get("calls", []):
        try:
            report["calls"].append({"result": encode(getattr(main, call["function"])(*call["args"]))})
        except Exception:  # noqa: BLE001 - reported, the test fails on it
            report["calls"].append(_failure())
    report["officejs_calls"] = []
    for call in job.get("officejs_calls", []):
        try:
            report["officejs_calls"].append({"result": encode(await _officejs_call(main, call))})
        except Exception:  # noqa: BLE001
            report["officejs_calls"].append(_failure())
    report["scripts"] = []
    for script in job.get("scripts", []):
        import xlwings as xw

        try:
            book = await _script_call(main, script["script"], xw.Book(json=script["payload"]))
            report["scripts"].append({"actions": book.json()["actions"]})
        except Exception:  # noqa: BLE001
            report["scripts"].append(_failure())
    bench = job.get("bench")
    if bench:
        function = getattr(main, bench["function"])
        for _ in range(bench["warmup"]):
            function(*bench["args"])
        timings = []
        for _ in range(bench["repeat"]):
            start = time.perf_counter()
            function(*bench["args"])
            timings.append(time.perf_counter() - start)
        report["bench_seconds"] = timings
    return report


def main() -> None:
    """CPython: ``python harness.py job.json`` prints the report."""
    with open(sys.argv[1], encoding="utf-8") as stream:
        job = json.load(stream)
    print(json.dumps(asyncio.run(run(job)), ensure_ascii=False))


if __name__ == "__main__":
    main()
