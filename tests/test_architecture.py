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
# The rules speak the vocabulary; where a value sits is the layout's business
# --------------------------------------------------------------------------------------------------

RULE_MODULES = ("meetings.py", "outcomes.py", "model.py", "settings.py", "dates.py", "quarter.py")
"""The model's rules (due meetings, outcome categories, the case model, the settings they read, date arithmetic).
They use codes, Danish labels and settings: :mod:`samarbejde_xl.schema.vocabulary`, never the layout. Validation
names places (below); parse, migrate, buttons and sheet_writes translate between cells and the model and so read
the layout by design."""
PLACE_NAMING_MODULES = ("validation.py", "check.py", "problems.py")
"""Modules that report problems: they name logical places (schema.Place) and build no cell address."""
ADDRESS_BUILDERS = frozenset(
    {"cell_address", "parse_cell", "range_address", "column_letter", "column_index", "checklist_cell"}
    | {"settings_value_cell", "settings_row", "checklist_column", "overview_column", "CASE_FIELDS_BY_KEY"}
)


def _schema_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(names used from the schema package as ``schema.X`` or imported from it, schema submodules imported)."""
    names: set[str] = set()
    submodules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "schema":
            names.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if "schema" in parts:
                tail = parts[parts.index("schema") + 1 :]
                submodules.update(tail)
                names.update(alias.name for alias in node.names)
    return names, submodules


def _layout_uses(source: str) -> list[str]:
    from samarbejde_xl.schema import vocabulary

    names, submodules = _schema_names(ast.parse(source))
    allowed = {name for name in vars(vocabulary) if not name.startswith("_")}
    return sorted((names - allowed) | {f"schema.{sub}" for sub in submodules - {"vocabulary"}})


def test_the_rule_modules_use_only_the_vocabulary() -> None:
    uses = {name: _layout_uses((PACKAGE / "core" / name).read_text(encoding="utf-8")) for name in RULE_MODULES}
    assert {name: found for name, found in uses.items() if found} == {}


def test_the_vocabulary_fence_sees_a_layout_use() -> None:
    source = "from .. import schema\nfrom ..schema.layout import Block\nx = schema.CASE_BLOCKS\ny = schema.VARIANT\n"
    assert _layout_uses(source) == ["Block", "CASE_BLOCKS", "schema.layout"]
    assert _layout_uses("from samarbejde_xl.schema import Choice, Kind, LIFE_AREA\n") == []


def _address_building(source: str) -> list[str]:
    tree = ast.parse(source)
    names, _ = _schema_names(tree)
    calls_cell = any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cell"
        for node in ast.walk(tree)
    )
    return sorted(names & ADDRESS_BUILDERS) + (["Block.cell"] if calls_cell else [])


def test_problem_reporting_modules_name_places_not_cells() -> None:
    found = {
        name: _address_building((PACKAGE / "core" / name).read_text(encoding="utf-8")) for name in PLACE_NAMING_MODULES
    }
    assert {name: uses for name, uses in found.items() if uses} == {}


def test_the_place_fence_sees_an_address() -> None:
    source = "from .. import schema\ncell = schema.checklist_cell(3, 'date')\nother = block.cell(0, 'goal')\n"
    assert _address_building(source) == ["checklist_cell", "Block.cell"]


def test_the_demo_generator_is_pure_and_the_core_never_imports_the_demo() -> None:
    """The demo's data (generator, planted mistakes) is as pure as the core; only its writer reaches the adapters."""
    for name in ("generator.py", "mistakes.py"):
        assert _imported_roots(PACKAGE / "demo" / name) & FORBIDDEN_IN_CORE == set(), name
    for path in sorted((PACKAGE / "core").glob("*.py")):
        assert "samarbejde_xl.demo" not in path.read_text(encoding="utf-8"), path.name


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


# --------------------------------------------------------------------------------------------------
# Short functions
# --------------------------------------------------------------------------------------------------

MAX_FUNCTION_LINES = 60


def _long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    functions = (
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1})"
        for node in functions
        if node.end_lineno - node.lineno + 1 > limit
    ]


def test_no_function_in_the_package_is_longer_than_60_lines() -> None:
    found = {
        str(path.relative_to(PACKAGE)): long
        for path in sorted(PACKAGE.rglob("*.py"))
        if (long := _long_functions(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_length_fence_sees_a_long_function() -> None:
    body = "".join(f"    x{n} = {n}\n" for n in range(60))
    assert _long_functions(f"def long():\n{body}") == ["long (61)"]
    assert _long_functions(f"def short():\n{body[: body.rindex('    x59')]}") == []


# --------------------------------------------------------------------------------------------------
# What an installed package holds
# --------------------------------------------------------------------------------------------------


def test_every_subpackage_is_installed() -> None:
    """pyproject.toml lists the packages a wheel holds; a subpackage left out works in the editable install the
    tests use and fails with ImportError after ``pip install .`` (the README's quick start)."""
    import tomllib

    listed = set(
        tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    )
    found = {".".join(path.parent.relative_to(PACKAGE.parent).parts) for path in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
