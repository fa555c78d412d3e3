"""Build ``samarbejde_xl.xlam`` on any OS, byte for byte reproducibly.

Inputs: the VBA modules in ``macros/`` (text, the source of truth), the ribbon ``macros/customUI14.xml`` (generated
from ``schema.RIBBON_BUTTONS``), the function help from ``samarbejde_xl.addin.udfs`` and the config values.
Steps: ``ovba.build_vba_project`` writes the source-only ``vbaProject.bin``; XlsxWriter writes the workbook (config
sheet and function sheet) and packages the binary; the zip is then rewritten with the ribbon part, its package
relationship and the add-in content type, with fixed timestamps. Never open the result with openpyxl: it drops the
ribbon relationship and refuses .xlam.

Two files in ``macros/`` are generated (``generate_files``): the ribbon XML and ``xlwings_udfs.bas``, the VBA that
Excel's "Import Functions" would write. xlwings makes that VBA with ``xlwings.udfs.generate_vba_wrapper``, which
imports pywin32; it runs here in a subprocess with those Windows modules stubbed and xlwings' real UDF decorators
in place of the no-op ones.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import xlsxwriter

from samarbejde_xl import __version__, schema
from samarbejde_xl.addin import udfs
from samarbejde_xl.addin.ovba import VbaModule, build_vba_project
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.fileio import atomic_write_bytes

_CHECKOUT_MACROS = Path(__file__).resolve().parents[2] / "macros"
_PACKAGED_MACROS = Path(__file__).resolve().parents[1] / "macros"  # the same files, installed with the package
MACROS_DIR = _CHECKOUT_MACROS if _CHECKOUT_MACROS.is_dir() else _PACKAGED_MACROS
"""``macros/`` of the source checkout, else the copy installed with the package."""

RIBBON_FILE = "customUI14.xml"
UDF_MODULE_FILE = "xlwings_udfs.bas"
XLWINGS_MODULE_FILE = "xlwings.bas"

PROJECT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://samarbejde-xl/addin")
"""The VBA project's id: fixed, so builds are reproducible."""

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_CREATED = datetime(2024, 1, 1)

CUSTOMUI_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_CUSTOMUI_REL_ID = "rIdSamarbejdeRibbon"
_MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ADDIN_WORKBOOK_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"

# Document modules of the add-in: the workbook and its two sheets (code names match macros/*.cls).
_WORKBOOK_CODE_NAME = "ThisWorkbook"
_CONFIG_SHEET_CODE_NAME = "Sheet1"
_FUNCTIONS_SHEET_CODE_NAME = "Sheet2"

VERSION_CONFIG_KEY = "SAMARBEJDE_XL_VERSION"
"""Config row with the package version the add-in was built from (Diagnose shows it)."""


class AddinBuildError(SamarbejdeError):
    """The add-in cannot be built from these inputs; the message says what to do."""


DEFAULT_INTERPRETER = r"%LOCALAPPDATA%\samarbejde-xl\venv\Scripts\python.exe"
"""The per-user environment the bundle's install script creates; xlwings expands %LOCALAPPDATA% per user."""


@dataclass(frozen=True)
class AddinConfig:
    """Values for the add-in's config sheet (xlwings reads it before any config file, so a stray
    samarbejde_xl.conf next to a case workbook cannot change them)."""

    interpreter: str = DEFAULT_INTERPRETER  # Interpreter_Win: python.exe of the environment with samarbejde-xl
    pythonpath: str = ""


@dataclass(frozen=True)
class FunctionHelp:
    name: str
    category: str
    description: str
    arguments: tuple[str, ...]


# --------------------------------------------------------------------------------------------------
# Generated inputs
# --------------------------------------------------------------------------------------------------


def _group(group_id: str, label: str, buttons: Sequence[schema.RibbonButton]) -> str:
    lines = "\n".join(
        f"          <button id={quoteattr(button.control_id)} label={quoteattr(button.label)}"
        f" screentip={quoteattr(button.label)} supertip={quoteattr(button.screentip)}"
        f' imageMso={quoteattr(button.image_mso)} size="large" onAction={quoteattr(schema.RIBBON_CALLBACK)}/>'
        for button in buttons
    )
    return f"        <group id={quoteattr(group_id)} label={quoteattr(label)}>\n{lines}\n        </group>\n"


def ribbon_xml() -> str:
    """The ribbon (customUI14.xml) from the schema: one tab, the guides' group and the managers', one callback."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<customUI xmlns="{CUSTOMUI_NAMESPACE}">\n'
        "  <ribbon>\n"
        "    <tabs>\n"
        f"      <tab id={quoteattr(schema.RIBBON_TAB_ID)} label={quoteattr(schema.RIBBON_TAB_LABEL)}>\n"
        + _group(schema.RIBBON_GROUP_ID, schema.RIBBON_GROUP_LABEL, schema.RIBBON_BUTTONS)
        + _group(schema.RIBBON_MANAGER_GROUP_ID, schema.RIBBON_MANAGER_GROUP_LABEL, schema.MANAGER_BUTTONS)
        + "      </tab>\n"
        "    </tabs>\n"
        "  </ribbon>\n"
        "</customUI>\n"
    )


# Runs in a fresh interpreter: stub pywin32, swap in xlwings' real UDF decorators, import the UDF module and
# write what "Import Functions" would (xlwings.udfs.import_udfs, minus the COM calls) plus the help metadata.
_GENERATOR = r"""
import io, json, sys, types
for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["pythoncom"].CoInitialize = lambda: None
sys.modules["pywintypes"].com_error = type("com_error", (Exception,), {})
sys.modules["win32com.client"].Dispatch = None
sys.modules["win32com"].client = sys.modules["win32com.client"]
import xlwings, xlwings.udfs as xu
xlwings.func, xlwings.arg, xlwings.ret, xlwings.sub = xu.xlfunc, xu.xlarg, xu.xlret, xu.xlsub
module_name, workbook_name = sys.argv[1], sys.argv[2]
module = __import__(module_name, fromlist=["_"])
out = io.StringIO()
vba = xlwings.utils.VBAWriter(out)
vba.writeln('Attribute VB_Name = "xlwings_udfs"')
vba.writeln("'Autogenerated code by xlwings - changes will be lost with next import!")
vba.writeln('#Const App = "Microsoft Excel" \'Adjust when using outside of Excel')
xu.generate_vba_wrapper(module_name, module, out, types.SimpleNamespace(Name=workbook_name))
functions = []
for attr in dir(module):
    info = getattr(getattr(module, attr), "__xlfunc__", None)
    if info is not None:
        functions.append({
            "name": info["name"],
            "category": info["category"],
            "description": info["ret"]["doc"][:255],
            "arguments": [arg["doc"][:255] for arg in info["args"] if not arg["vba"]],
        })
json.dump({"vba": out.getvalue(), "functions": functions}, sys.stdout)
"""


def _run_generator() -> tuple[str, list[FunctionHelp]]:
    result = subprocess.run(
        [sys.executable, "-c", _GENERATOR, udfs.MODULE, schema.ADDIN_FILE],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode != 0:
        raise AddinBuildError(f"generating the UDF VBA wrapper failed:\n{result.stderr.strip()}")
    data = json.loads(result.stdout)
    functions = [
        FunctionHelp(item["name"], item["category"], item["description"], tuple(item["arguments"]))
        for item in data["functions"]
    ]
    return str(data["vba"]), functions


def udf_vba_module() -> str:
    """``xlwings_udfs.bas`` as xlwings' "Import Functions" would write it for this add-in (LF line ends)."""
    return _run_generator()[0]


def generate_files(macros_dir: Path = MACROS_DIR) -> list[Path]:
    """(Re)write the generated files in ``macros/``: the ribbon XML and the UDF VBA module."""
    written = []
    for name, text in ((RIBBON_FILE, ribbon_xml()), (UDF_MODULE_FILE, udf_vba_module())):
        atomic_write_bytes(macros_dir / name, text.encode("utf-8"))
        written.append(macros_dir / name)
    return written


# --------------------------------------------------------------------------------------------------
# Reading macros/
# --------------------------------------------------------------------------------------------------

_VB_NAME = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"$')


def read_modules(macros_dir: Path = MACROS_DIR) -> list[VbaModule]:
    """The VBA modules in ``macros/``: document modules (*.cls) first, then standard modules (*.bas), by name."""
    if not macros_dir.is_dir():
        raise AddinBuildError(f"{macros_dir}: folder not found. Build from a source checkout or pass --macros DIR.")
    modules = []
    for pattern, document in (("*.cls", True), ("*.bas", False)):
        for path in sorted(macros_dir.glob(pattern), key=lambda item: item.name.casefold()):
            text = path.read_text(encoding="utf-8")
            match = _VB_NAME.match(text.split("\n", 1)[0].rstrip("\r"))
            if match is None or match.group(1) != path.stem:
                raise AddinBuildError(f'{path}: the first line must be Attribute VB_Name = "{path.stem}".')
            if not text.isascii():
                raise AddinBuildError(f"{path}: VBA must be ASCII-only; put Danish text in the ribbon XML or a sheet.")
            modules.append(VbaModule(path.stem, text, document))
    return modules


# --------------------------------------------------------------------------------------------------
# Packaging
# --------------------------------------------------------------------------------------------------


def config_rows(config: AddinConfig) -> list[tuple[str, str]]:
    """The add-in's xlwings settings. ADD_WORKBOOK_TO_PYTHONPATH is off: otherwise every click maps a
    OneDrive/SharePoint URL to a local path (which fails for localised library names such as "Delte dokumenter")
    and puts the case workbook's folder first on sys.path (a stray pandas.py on a share would be imported)."""
    if not config.interpreter.strip():
        raise AddinBuildError(
            "Tilføjelsen skal have den fulde sti til python.exe (--interpreter). Uden den starter Excel den "
            "'python', der tilfældigvis findes på PATH."
        )
    rows = [
        (VERSION_CONFIG_KEY, __version__),
        ("UDF Modules", udfs.MODULE),
        ("Interpreter_Win", config.interpreter.strip()),
        ("ADD_WORKBOOK_TO_PYTHONPATH", "false"),
    ]
    if config.pythonpath:
        rows.append(("PYTHONPATH", config.pythonpath))
    return rows


def _workbook_bytes(vba_project: bytes, config: AddinConfig, functions: Sequence[FunctionHelp]) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    workbook.set_properties({"title": schema.ADDIN_FILE, "created": _FIXED_CREATED})
    workbook.set_vba_name(_WORKBOOK_CODE_NAME)
    workbook.add_vba_project(io.BytesIO(vba_project), is_stream=True)

    # xlwings reads its config from column 1 (key) and 2 (value), from the first row down to the first gap.
    config_sheet = workbook.add_worksheet(schema.ADDIN_CONFIG_SHEET)
    config_sheet.set_vba_name(_CONFIG_SHEET_CODE_NAME)
    config_sheet.set_column(0, 0, 24)
    config_sheet.set_column(1, 1, 60)
    for row, (key, value) in enumerate(config_rows(config)):
        config_sheet.write_string(row, 0, key)
        config_sheet.write_string(row, 1, value)

    help_sheet = workbook.add_worksheet(schema.ADDIN_FUNCTIONS_SHEET)
    help_sheet.set_vba_name(_FUNCTIONS_SHEET_CODE_NAME)
    help_sheet.write_row(0, 0, schema.ADDIN_FUNCTIONS_HEADERS)
    for row, function in enumerate(functions, start=1):
        help_sheet.write_row(row, 0, (function.name, function.category, function.description, *function.arguments))
    workbook.close()
    return output.getvalue()


def _add_relationship(rels: str) -> str:
    relationship = f'<Relationship Id="{_CUSTOMUI_REL_ID}" Type="{CUSTOMUI_REL_TYPE}" Target="{CUSTOMUI_PART}"/>'
    if "</Relationships>" not in rels:
        raise AddinBuildError("unexpected package relationships from XlsxWriter")
    return rels.replace("</Relationships>", relationship + "</Relationships>")


def _add_in_package(workbook: bytes, ribbon: str) -> bytes:
    """Rewrite the zip: add-in content type, ribbon part and relationship, fixed timestamps and order."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        for name in source.namelist():
            parts[name] = source.read(name)
    content_types = parts["[Content_Types].xml"].decode("utf-8")
    if _MACRO_WORKBOOK_TYPE not in content_types:
        raise AddinBuildError("unexpected content types from XlsxWriter: no macro-enabled workbook")
    parts["[Content_Types].xml"] = content_types.replace(_MACRO_WORKBOOK_TYPE, ADDIN_WORKBOOK_TYPE).encode("utf-8")
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"].decode("utf-8")).encode("utf-8")
    parts[CUSTOMUI_PART] = ribbon.encode("utf-8")

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, data, compresslevel=6)
    return output.getvalue()


def build_addin_bytes(macros_dir: Path = MACROS_DIR, config: AddinConfig = AddinConfig()) -> bytes:
    """The add-in file's bytes. Fails when the committed UDF module no longer matches the UDFs."""
    modules = read_modules(macros_dir)
    ribbon_path = macros_dir / RIBBON_FILE
    if not ribbon_path.is_file():
        raise AddinBuildError(f"{ribbon_path}: not found. Run: samarbejde-xl addin generate")
    udf_vba, functions = _run_generator()
    committed = next((module.source for module in modules if module.name == Path(UDF_MODULE_FILE).stem), None)
    if committed is None or committed.replace("\r\n", "\n") != udf_vba:
        raise AddinBuildError(
            f"{macros_dir / UDF_MODULE_FILE} does not match samarbejde_xl/addin/udfs.py. "
            "Run: samarbejde-xl addin generate"
        )
    vba_project = build_vba_project(modules, PROJECT_ID)
    workbook = _workbook_bytes(vba_project, config, functions)
    return _add_in_package(workbook, ribbon_path.read_text(encoding="utf-8"))


def build_addin(output_dir: Path, macros_dir: Path = MACROS_DIR, config: AddinConfig = AddinConfig()) -> Path:
    """Write ``samarbejde_xl.xlam`` into ``output_dir`` (atomically) and return its path."""
    target = output_dir / schema.ADDIN_FILE
    atomic_write_bytes(target, build_addin_bytes(macros_dir, config))
    return target
