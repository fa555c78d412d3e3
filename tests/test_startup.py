"""Commands import only what they use (issue 17): a read-only command, and the ribbon's Python as xlwings starts it
for every button click, load neither openpyxl nor pandas nor numpy. Checked in a fresh process, since this test
session has imported them long ago."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "vejleder-01.xlsx"
HEAVY = ("openpyxl", "pandas", "numpy", "xlwings", "xlsxwriter", "msoffcrypto", "lxml", "pyarrow")
# Not heavy, but a command that only reads one workbook has no use for them (the report's cache, the worker pool,
# a --settings file, the survey and Diagnose): each is a few ms of every start.
NOT_FOR_READING = ("sqlite3", "multiprocessing", "tomllib", "importlib.metadata")

_RUN_COMMAND = """
import json, sys
from samarbejde_xl.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules(code: str, *args: str) -> set[str]:
    """Every module the code has imported when it ends (run in a fresh interpreter)."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _top_modules(code: str, *args: str) -> set[str]:
    return {name.partition(".")[0] for name in _modules(code, *args)}


@pytest.mark.parametrize(
    "args",
    [
        ["validate", str(EXAMPLE), "--today", "2026-10-01"],
        ["plan", str(EXAMPLE), "--today", "2026-10-01"],
        ["plan", str(EXAMPLE), "--today", "2026-10-01", "--json"],
        ["overview", str(EXAMPLE), "--today", "2026-10-01"],
    ],
    ids=lambda args: " ".join(arg for arg in args if not arg.endswith(".xlsx")),
)
def test_read_only_commands_start_without_openpyxl_pandas_or_numpy(args: list[str]) -> None:
    loaded = _modules(_RUN_COMMAND, *args)
    assert "python_calamine" in loaded  # the command did run (and read the workbook)
    assert {name.partition(".")[0] for name in loaded}.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert loaded.isdisjoint(NOT_FOR_READING), sorted(loaded & set(NOT_FOR_READING))


@pytest.mark.parametrize(
    "args", [["--help"], ["validate", "--help"], ["template", "--help"], ["--version"]], ids=" ".join
)
def test_help_starts_without_the_excel_libraries(args: list[str]) -> None:
    # --help lists every command, so it imports every command module: those import their libraries when they run.
    loaded = _top_modules(_RUN_COMMAND, *args)
    assert "samarbejde_xl" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_lazy_imports_of_the_file_engine_resolve(tmp_path: Path) -> None:
    # A typo in a function-level import would show only when a guide runs the command.
    from samarbejde_xl import actions

    engine = actions._file_engine(EXAMPLE, tmp_path / "ny.xlsx", False, None, None)
    assert engine.source == EXAMPLE
    assert any("Skabelon" in label or "skabelon" in label for label, _ in actions.diagnose(EXAMPLE))


def test_the_ribbon_module_starts_without_openpyxl_pandas_numpy_or_xlwings() -> None:
    # What RunPython executes before the handler runs; xlwings itself is imported only to find the calling book.
    code = (
        "import json, sys\nimport samarbejde_xl.addin.ribbon as ribbon\nassert ribbon.HANDLERS\n"
        "print(json.dumps(sorted(name for name in sys.modules if '.' not in name)))"
    )
    loaded = _top_modules(code)
    assert "samarbejde_xl" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_every_command_is_found_in_the_module_the_cli_names() -> None:
    import importlib
    import pkgutil

    from samarbejde_xl import commands
    from samarbejde_xl.cli import COMMAND_MODULES, cli

    found: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        for command in getattr(module, "COMMANDS", ()):
            assert command.name is not None
            found[command.name] = module_info.name
    assert found == COMMAND_MODULES
    context = click.Context(cli)
    assert all(cli.get_command(context, name) is not None for name in cli.list_commands(context))
