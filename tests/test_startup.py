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
HEAVY = ("openpyxl", "pandas", "numpy", "xlwings", "xlsxwriter", "msoffcrypto", "lxml")

_RUN_COMMAND = """
import json, sys
from samarbejde_xl.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(name for name in sys.modules if "." not in name)))
"""


def _top_modules(code: str, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


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
    loaded = _top_modules(_RUN_COMMAND, *args)
    assert "python_calamine" in loaded  # the command did run (and read the workbook)
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
