"""The dependency rule: the core imports no Excel, data-frame or CLI library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "samarbejde_xl"
FORBIDDEN_IN_CORE = {"openpyxl", "python_calamine", "xlwings", "pandas", "click", "xlsxwriter", "msoffcrypto"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_modules_import_no_adapter_library() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(_imported_roots(path) & FORBIDDEN_IN_CORE)
        for path in sorted((PACKAGE / "core").glob("*.py"))
    }
    assert {name: libs for name, libs in offenders.items() if libs} == {}


def test_core_imports_only_schema_from_the_package() -> None:
    for path in sorted((PACKAGE / "core").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("samarbejde_xl"):
                if node.module == "samarbejde_xl":
                    names = {alias.name for alias in node.names}
                    assert names <= {"schema"}, f"{path.name} imports {names} from samarbejde_xl"
                else:
                    assert node.module == "samarbejde_xl.schema" or node.module.startswith("samarbejde_xl.core"), (
                        f"{path.name} imports {node.module}"
                    )


def test_importing_the_core_loads_no_adapter_library() -> None:
    code = (
        "import sys, importlib, pkgutil, samarbejde_xl.core as core\n"
        "for info in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('samarbejde_xl.core.' + info.name)\n"
        f"print(sorted(m for m in {sorted(FORBIDDEN_IN_CORE)!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


ADAPTERS: dict[str, set[str]] = {
    "openpyxl": {"workbook"},
    "python_calamine": {"workbook"},
    "msoffcrypto": {"workbook"},
    "xlwings": {"addin", "lite"},  # the classic add-in; lite/: the same functions and handlers in xlwings Lite
    "xlsxwriter": {"report", "addin"},  # the report, and the add-in file the builder writes
}
"""Each Excel library and the packages that adapt it; everything else (the core, the use cases in actions.py, the
engine interface, the commands) goes through them."""


def test_every_excel_library_is_imported_only_in_its_adapter_packages() -> None:
    offenders = sorted(
        (str(path.relative_to(PACKAGE)), library)
        for path in PACKAGE.rglob("*.py")
        for library in _imported_roots(path) & set(ADAPTERS)
        if path.relative_to(PACKAGE).parts[0] not in ADAPTERS[library]
    )
    assert offenders == []


def test_the_fence_sees_an_import_outside_its_adapter(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text("import os\nfrom openpyxl.styles import Font\nimport xlwings as xw\n", encoding="utf-8")
    assert _imported_roots(stray) & set(ADAPTERS) == {"openpyxl", "xlwings"}


def test_the_use_cases_and_the_engine_interface_import_no_adapter_library() -> None:
    for name in ("actions.py", "use_cases.py", "engine.py"):
        assert _imported_roots(PACKAGE / name) & FORBIDDEN_IN_CORE == set(), name


def test_the_demo_generator_is_pure_and_the_core_never_imports_the_demo() -> None:
    """The demo's data (generator, planted mistakes) is as pure as the core; only its writer reaches the adapters."""
    for name in ("generator.py", "mistakes.py"):
        assert _imported_roots(PACKAGE / "demo" / name) & FORBIDDEN_IN_CORE == set(), name
    for path in sorted((PACKAGE / "core").glob("*.py")):
        assert "samarbejde_xl.demo" not in path.read_text(encoding="utf-8"), path.name
