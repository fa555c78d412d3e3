"""The dependency rule: the core imports no Excel, data-frame or CLI library, and keeps no module-level mutable
state."""

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


# --------------------------------------------------------------------------------------------------
# The core keeps no module-level mutable state
# --------------------------------------------------------------------------------------------------

MUTABLE_CONSTRUCTORS = frozenset(
    {"dict", "list", "set", "bytearray", "defaultdict", "Counter", "OrderedDict", "deque", "ChainMap"}
)
MEMOISERS = frozenset({"cache", "lru_cache"})
"""Decorators that keep a module-level memo of every call. Instance caches (``cached_property``) are the object's."""


def _name_of(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def _is_mutable(value: ast.expr | None) -> bool:
    literals = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
    return isinstance(value, literals) or (isinstance(value, ast.Call) and _name_of(value) in MUTABLE_CONSTRUCTORS)


def mutable_state(source: str) -> list[str]:
    """What a module leaves mutable at its top level: names whose last binding is a dict, list, set … (a name
    filled while the module is imported and then frozen or deleted is fine), memoised functions and ``global``
    statements. Found with ast, so a module is judged as written, whatever it imports."""
    tree = ast.parse(source)
    bound: dict[str, int] = {}  # name -> line of a still-mutable last binding
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    if _is_mutable(node.value):
                        bound[target.id] = node.lineno
                    else:
                        bound.pop(target.id, None)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    bound.pop(target.id, None)
    found = [f"{name} (line {line})" for name, line in bound.items() if not name.startswith("__")]
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found += [f"@{_name_of(d)} {node.name}" for d in node.decorator_list if _name_of(d) in MEMOISERS]
        elif isinstance(node, ast.Global):
            found.append(f"global {', '.join(node.names)} (line {node.lineno})")
    return found


def test_the_core_keeps_no_module_level_mutable_state() -> None:
    found = {path.name: mutable_state(path.read_text(encoding="utf-8")) for path in (PACKAGE / "core").glob("*.py")}
    assert {name: state for name, state in found.items() if state} == {}


def test_the_core_modules_hold_no_mutable_container_when_imported() -> None:
    # The same from the other side: what the imported modules hold (also a set an expression made). The schema's
    # own maps, bound to a name in the core, are the schema's.
    code = (
        "import importlib, pkgutil, samarbejde_xl.core as core\n"
        "from samarbejde_xl import schema\n"
        "kinds = (dict, list, set, bytearray)\n"
        "schemas = {id(value) for value in vars(schema).values()}\n"
        "for info in pkgutil.iter_modules(core.__path__):\n"
        "    module = importlib.import_module('samarbejde_xl.core.' + info.name)\n"
        "    for name, value in vars(module).items():\n"
        "        if name.startswith('__') or id(value) in schemas:\n"
        "            continue\n"
        "        if isinstance(value, kinds) or hasattr(value, 'cache_info'):\n"
        "            print(info.name, name)\n"
    )
    held = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert [line for line in held if line] == []


def test_the_state_check_sees_mutable_state() -> None:
    stray = (
        "from functools import lru_cache\n"
        "from types import MappingProxyType\n"
        "CACHE = {}\n"
        "SEEN: list[str] = []\n"
        "COUNTS = Counter()\n"
        "FROZEN = MappingProxyType({'a': 1})\n"
        "CODES = frozenset({'a'})\n"
        "ORDER = ('a', 'b')\n"
        "_building = {}\n"
        "BUILT = MappingProxyType(_building)\n"
        "del _building\n"
        "LATER = {}\n"
        "LATER = MappingProxyType(LATER)\n"
        "@lru_cache(maxsize=8)\n"
        "def rules(x): return x\n"
        "def bump():\n"
        "    global TOTAL\n"
    )
    assert mutable_state(stray) == [
        "CACHE (line 3)",
        "SEEN (line 4)",
        "COUNTS (line 5)",
        "@lru_cache rules",
        "global TOTAL (line 17)",
    ]
