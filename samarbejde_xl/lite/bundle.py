"""main.py and requirements.txt for xlwings Lite, with the project's own code inside main.py.

xlwings Lite stores main.py and requirements.txt in the workbook. Its requirements.txt installs packages from
PyPI (or a wheel URL on a server that sends CORS headers, or a self-hosted Lite's private index): a municipality
without a public web server has none of these for its own package. So main.py carries the package itself, as a
zip of exactly the modules the functions and scripts import; at start it writes the zip into Pyodide's in-memory
file system and puts it on ``sys.path``. The code then travels with the workbook and nothing is fetched.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib
import inspect
import io
import sys
import textwrap
import zipfile
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import samarbejde_xl
from samarbejde_xl import __version__

PACKAGE = "samarbejde_xl"
PACKAGE_DIR = Path(samarbejde_xl.__file__).resolve().parent

UDF_MODULE = "samarbejde_xl.addin.udfs"
SCRIPT_MODULE = "samarbejde_xl.lite.scripts"
ENTRY_MODULES = (UDF_MODULE, SCRIPT_MODULE, "samarbejde_xl.addin.ribbon")
"""What main.py imports, and the handlers its scripts import when they run."""

LITE_IMPORTS = frozenset({"xlwings", "pyodide", "js"})
"""Besides the standard library, what xlwings Lite always has loaded."""

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same code gives the same main.py


def module_path(name: str) -> Path | None:
    """The file of the package's module ``name``; None for a name outside the package or not a module."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    relative = Path(*parts[1:])
    for candidate in (PACKAGE_DIR / relative / "__init__.py", (PACKAGE_DIR / relative).with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _nodes(tree: ast.AST, *, load_time_only: bool) -> Iterator[ast.AST]:
    """All nodes, or with ``load_time_only`` those run when the module is imported (not function bodies)."""
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        yield node
        if load_time_only and (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) or _is_type_checking(node)
        ):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _imports(tree: ast.AST, name: str, *, load_time_only: bool) -> set[str]:
    """Absolute names of the modules a module imports (``from x import y`` yields x.y when that is a module)."""
    found: set[str] = set()
    for node in _nodes(tree, load_time_only=load_time_only):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                path = module_path(name)
                parts = name.split(".") if path is not None and path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if module_path(f"{base}.{alias.name}"))
    return found


def _tree(name: str) -> ast.AST:
    path = module_path(name)
    assert path is not None, name
    return ast.parse(path.read_text(encoding="utf-8"))


def _reachable(entries: tuple[str, ...], *, load_time_only: bool) -> dict[str, set[str]]:
    """The package's modules reachable from ``entries`` (with their parent packages) -> what each imports."""
    found: dict[str, set[str]] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in found or module_path(name) is None:
            continue
        found[name] = _imports(_tree(name), name, load_time_only=load_time_only)
        parts = name.split(".")
        todo.extend(".".join(parts[:end]) for end in range(1, len(parts)))
        todo.extend(imported for imported in found[name] if imported.split(".")[0] == PACKAGE)
    return found


def module_closure(entries: tuple[str, ...] = ENTRY_MODULES) -> list[str]:
    """The package's modules reachable from ``entries`` through any import (also ones inside functions), with
    their parent packages: what the bundle must hold."""
    return sorted(_reachable(entries, load_time_only=False))


def foreign_imports(entries: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> top-level names of what it imports at load time from outside the package, the standard library
    and xlwings Lite: each is a module Pyodide cannot load without fetching it. Follows load-time imports only."""
    result: dict[str, set[str]] = {}
    for name, imports in _reachable(entries, load_time_only=True).items():
        roots = {imported.split(".")[0] for imported in imports}
        foreign = roots - set(sys.stdlib_module_names) - LITE_IMPORTS - {PACKAGE, "__future__"}
        if foreign:
            result[name] = foreign
    return result


def bundle_zip() -> bytes:
    """The modules of ``module_closure()`` as a zip with fixed timestamps (same code, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in module_closure():
            path = module_path(name)
            assert path is not None
            info = zipfile.ZipInfo(path.relative_to(PACKAGE_DIR.parent).as_posix(), _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def udf_names() -> list[str]:
    """The classic add-in's worksheet functions, read from its module so renames follow."""
    module = importlib.import_module(UDF_MODULE)
    return [
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == UDF_MODULE and not name.startswith("_")
    ]


def script_names() -> list[str]:
    from samarbejde_xl.lite.scripts import LITE_ACTIONS, SCRIPT_FUNCTIONS

    return [SCRIPT_FUNCTIONS[control_id] for control_id in LITE_ACTIONS]


_MAIN = '''\
# Samarbejdsmodellen i xlwings Lite: regnefunktionerne {functions}
# og knapperne {labels} (vælg dem under Scripts).
# Lavet af "samarbejde-xl lite build" (samarbejde-xl {version}). Ret ikke i filen: byg den igen.
# Programkoden ligger som zip i _PACKAGE herunder, så intet hentes fra nettet, og data bliver på pc'en.
import base64
import hashlib
import sys
import tempfile
from pathlib import Path

_PACKAGE = (
{package}
)
_SHA256 = "{sha256}"


def _load_package():
    """Put the zipped package on sys.path (once per Python session; a rebuilt main.py replaces an older copy)."""
    path = Path(tempfile.gettempdir()) / f"samarbejde_xl-{{_SHA256[:16]}}.zip"
    if str(path) in sys.path:
        return
    data = base64.b64decode("".join(_PACKAGE))
    if hashlib.sha256(data).hexdigest() != _SHA256:
        raise RuntimeError("main.py er beskadiget: kør 'samarbejde-xl lite build' og indsæt filen igen.")
    sys.path[:] = [entry for entry in sys.path if not Path(entry).name.startswith("samarbejde_xl-")]
    for name in [name for name in sys.modules if name == "samarbejde_xl" or name.startswith("samarbejde_xl.")]:
        del sys.modules[name]
    path.write_bytes(data)
    sys.path.insert(0, str(path))


_load_package()

from samarbejde_xl.addin.udfs import (  # noqa: E402
{udf_imports}
)
from samarbejde_xl.lite.scripts import (  # noqa: E402
{script_imports}
)
'''


def main_py() -> str:
    from samarbejde_xl import schema
    from samarbejde_xl.lite.scripts import LITE_ACTIONS

    data = bundle_zip()
    encoded = base64.b64encode(data).decode("ascii")
    functions = udf_names()
    labels = [button.label for button in schema.RIBBON_BUTTONS if button.control_id in LITE_ACTIONS]
    return _MAIN.format(
        functions=", ".join(functions),
        labels=", ".join(labels),
        version=__version__,
        package="\n".join(f'    "{line}"' for line in textwrap.wrap(encoded, 100)),
        sha256=hashlib.sha256(data).hexdigest(),
        udf_imports="\n".join(f"    {name}," for name in functions),
        script_imports="\n".join(f"    {name}," for name in script_names()),
    )


def requirements_txt() -> str:
    """xlwings at the version the classic add-in pins: Lite installs it from PyPI (a pure-Python wheel)."""
    return f"xlwings=={version('xlwings')}\n"
