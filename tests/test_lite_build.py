"""``samarbejde-xl lite build``: main.py and requirements.txt for xlwings Lite, loadable by Pyodide."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from click.testing import CliRunner

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.lite import bundle
from samarbejde_xl.lite.scripts import LITE_ACTIONS, SCRIPT_FUNCTIONS


def _build(tmp_path: Path) -> tuple[str, str]:
    result = CliRunner().invoke(cli, ["lite", "build", "-o", str(tmp_path / "lite")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(tmp_path / "lite" / name) for name in ("main.py", "requirements.txt")]
    return (tmp_path / "lite" / "main.py").read_text("utf-8"), (tmp_path / "lite" / "requirements.txt").read_text()


def test_build_writes_main_py_and_requirements(tmp_path: Path) -> None:
    main_py, requirements = _build(tmp_path)
    import xlwings

    assert requirements == f"xlwings=={xlwings.__version__}\n"
    tree = ast.parse(main_py)
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    roots = {str(name).split(".")[0] for name in imported}
    assert roots - set(sys.stdlib_module_names) == {"samarbejde_xl"}
    assert "Registrér møde" in main_py and "SAM_NAESTE_MOEDE" in main_py


def test_main_py_offers_every_classic_function_and_a_script_per_lite_action(tmp_path: Path) -> None:
    main_py, _ = _build(tmp_path)
    names = {
        alias.asname or alias.name
        for node in ast.parse(main_py).body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    from samarbejde_xl.addin import udfs

    assert {name for name in dir(udfs) if name.startswith("SAM_")} <= names
    assert {SCRIPT_FUNCTIONS[control_id] for control_id in LITE_ACTIONS} <= names
    assert set(LITE_ACTIONS) == {button.control_id for button in schema.RIBBON_BUTTONS} - {"Diagnose"}


def test_what_main_py_loads_imports_nothing_pyodide_lacks() -> None:
    """The functions and the scripts' module load with the standard library and xlwings alone."""
    assert bundle.foreign_imports((bundle.UDF_MODULE, bundle.SCRIPT_MODULE)) == {}


def test_the_bundle_holds_the_handlers_import_closure_and_is_reproducible() -> None:
    import io
    import zipfile

    data = bundle.bundle_zip()
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"samarbejde_xl/addin/ribbon.py", "samarbejde_xl/addin/udfs.py", "samarbejde_xl/lite/scripts.py"} <= names
    assert "samarbejde_xl/cli.py" not in names and not any(name.startswith("samarbejde_xl/commands") for name in names)
    assert bundle.bundle_zip() == data
    assert bundle.main_py() == bundle.main_py()


def test_a_file_as_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["lite", "build", "-o", str(blocker)])
    assert result.exit_code == 2 and "fil" in result.output
    assert blocker.read_text() == "x"


def test_the_handlers_load_with_what_pyodide_has() -> None:
    assert bundle.foreign_imports(("samarbejde_xl.addin.ribbon",)) == {}
