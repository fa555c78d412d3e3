"""Static gates for the Excel add-in: what would fail the first time a coordinator opens it in real Excel.

Each gate returns its findings (empty: passed) so that a test can feed it a broken variant and see it fail.

VBA: pyvbaanalysis (PyPI) parses and analyses VBA against Excel's object model and flags what the VBA compiler
rejects (reserved words as names, Declare without PtrSafe, undeclared names under Option Explicit, missing type
library references, ...), each rule with its MS-VBAL reference. It reads loose .bas/.cls files and the
vbaProject.bin inside the built .xlam, runs in pure Python and has no Office dependency. The alternatives on the
package index were weaker for this: vba-linter (PyPI) checks style (line length, whitespace) and syntax only, and
vbalidator is a commercial-leaning pre-checker without the per-host object model.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

DATA = Path(__file__).resolve().parent / "data"
CUSTOMUI_XSD = DATA / "customui14.xsd"
EXCEL_CONTROL_IDS = DATA / "excel-control-ids.txt"
DANISH_FUNCTION_NAMES = DATA / "excel-function-names-da.txt"
CUSTOMUI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"

# Office builds the add-in must compile in: 64-bit and 32-bit Office 2010+ (VBA7). Mac is not supported.
OFFICE_BUILDS: dict[str, dict[str, int]] = {
    "64-bit Office": {"VBA7": 1, "VBA6": 1, "Win64": 1, "Win32": 1, "Win16": 0, "Mac": 0},
    "32-bit Office": {"VBA7": 1, "VBA6": 1, "Win64": 0, "Win32": 1, "Win16": 0, "Mac": 0},
}

# Findings the analyser reports in code that never compiles on Windows: xlwings' own module (which must stay as
# the release ships it) uses the Mac-only Dictionary class inside "#If Mac Then"; the analyser checks type
# references in inactive branches too. Each entry: (module, rule code, the flagged source line).
KNOWN_FALSE_POSITIVES = frozenset({("xlwings", "missing-library-reference", "Dim d As Dictionary")})


def _error_findings(results: Mapping[str, Iterable[Any]], sources: Mapping[str, str], build: str) -> list[str]:
    from pyvbaanalysis import DiagnosticSeverity, line_col

    findings = []
    for module, diagnostics in results.items():
        source = sources.get(module, "")
        for diagnostic in diagnostics:
            if diagnostic.severity is not DiagnosticSeverity.ERROR:
                continue
            line, _ = line_col(source, diagnostic.span.start) if source else (0, 0)
            text = source.splitlines()[line - 1].strip() if source and line else ""
            if (module, diagnostic.code, text) in KNOWN_FALSE_POSITIVES and _inside_mac_branch(source, line):
                continue
            findings.append(f"{build}: {module}:{line}: {diagnostic.code}: {diagnostic.message}")
    return findings


def _inside_mac_branch(source: str, line: int) -> bool:
    """Whether ``line`` (1-based) sits in an ``#If Mac Then`` branch (before its ``#Else``/``#End If``)."""
    depth_mac: list[bool] = []
    for number, text in enumerate(source.splitlines(), start=1):
        stripped = text.strip().lower()
        if number == line:
            return bool(depth_mac) and depth_mac[-1]
        if stripped.startswith("#if "):
            depth_mac.append(stripped.startswith("#if mac then"))
        elif stripped.startswith(("#else", "#elseif")) and depth_mac:
            depth_mac[-1] = False
        elif stripped.startswith("#end if") and depth_mac:
            depth_mac.pop()
    return False


def _analyser() -> Any:
    with warnings.catch_warnings():  # keep a deprecation in the analyser's dependencies out of the test run
        warnings.simplefilter("ignore")
        import pyvbaanalysis
    return pyvbaanalysis


def vba_module_findings(modules: Mapping[str, str]) -> list[str]:
    """Compile-class findings in VBA modules given as {file name (``X.bas``/``X.cls``): text}, analysed together
    as one whole project, in every supported Office build."""
    analyser = _analyser()
    findings = []
    with tempfile.TemporaryDirectory(prefix="samarbejde-vba-gate-") as scratch:
        paths = []
        for name, text in modules.items():
            path = Path(scratch) / name
            path.write_text(text, encoding="ascii")
            paths.append(path)
        sources = {Path(name).stem: text for name, text in modules.items()}
        for build, constants in OFFICE_BUILDS.items():
            environment = analyser.ConditionalCompilationEnvironment(compiler_constants=constants)
            results = analyser.analyze_loose_files(paths, conditional_compilation=environment, whole_project=True)
            findings += _error_findings(results, sources, build)
    return findings


def vba_addin_findings(addin: Path) -> list[str]:
    """Compile-class findings in the VBA project inside the built add-in, with the project's own references."""
    analyser = _analyser()
    from pyvbaanalysis.reader import read_office_project

    sources = {module.name: module.source for module in read_office_project(addin).modules}
    findings = []
    for build, constants in OFFICE_BUILDS.items():
        environment = analyser.ConditionalCompilationEnvironment(compiler_constants=constants)
        results = analyser.analyze_office_file(addin, conditional_compilation=environment)
        findings += _error_findings(results, sources, build)
    return findings


def ribbon_schema_findings(ribbon_xml: str) -> list[str]:
    """Where the ribbon XML breaks Microsoft's customUI 2009/07 schema (Excel then shows no tab at all)."""
    import xmlschema

    schema = xmlschema.XMLSchema(CUSTOMUI_XSD)
    return [f"{error.path}: {error.reason}" for error in schema.iter_errors(ribbon_xml)]


def excel_control_ids() -> frozenset[str]:
    lines = EXCEL_CONTROL_IDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def image_findings(ribbon_xml: str, control_ids: frozenset[str]) -> list[str]:
    """Buttons whose imageMso is not an Excel control id (Excel shows them blank) or that have no image."""
    root = ElementTree.fromstring(ribbon_xml)
    findings = []
    for button in root.iter(f"{CUSTOMUI_NS}button"):
        image = button.get("imageMso")
        if image is None and button.get("image") is None and button.get("getImage") is None:
            findings.append(f"button {button.get('id')}: no image")
        elif image is not None and image not in control_ids:
            findings.append(f"button {button.get('id')}: imageMso {image!r} is not an Excel control id")
    return findings


def xlwings_module_findings(module: str, release_module: str, project_name: str) -> list[str]:
    """Differences between our xlwings module and the pinned release's own custom add-in module, which may
    differ only in PROJECT_NAME."""
    expected = release_module.replace("\r\n", "\n").replace(
        'Public Const PROJECT_NAME As String = "myaddin"', f'Public Const PROJECT_NAME As String = "{project_name}"'
    )
    if expected == release_module.replace("\r\n", "\n"):
        return ["the release module has no 'PROJECT_NAME = \"myaddin\"' line to replace"]
    ours, theirs = module.replace("\r\n", "\n").splitlines(), expected.splitlines()
    if ours == theirs:
        return []
    differing = [number for number, (a, b) in enumerate(zip(ours, theirs, strict=False), start=1) if a != b]
    where = f"first difference at line {differing[0]}" if differing else f"{len(ours)} lines, release {len(theirs)}"
    return [f"xlwings module differs from the pinned release's: {where}"]


def config_findings(rows: Iterable[tuple[str, str]], promised: Mapping[str, str]) -> list[str]:
    """Config rows (xlwings reads keys case-insensitively, from row 1 down to the first gap) against what
    docs/windows.md promises: each promised key present once, with exactly that value."""
    found: dict[str, list[str]] = {}
    for key, value in rows:
        found.setdefault(key.upper(), []).append(value)
    findings = []
    for key, value in promised.items():
        values = found.get(key.upper(), [])
        if len(values) != 1:
            findings.append(f"config {key}: {len(values)} rows (want 1)")
        elif values[0] != value:
            findings.append(f"config {key}: {values[0]!r} (want {value!r})")
    return findings


def _ascii_fold(name: str) -> str:
    """Danish letters as a VBA-safe ASCII name spells them (VÆRDI -> VAERDI), other accents dropped."""
    folded = name.upper().replace("Æ", "AE").replace("Ø", "OE").replace("Å", "AA")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")


def excel_function_names() -> frozenset[str]:
    """Built-in Excel function names in English (openpyxl's list) and Danish (tests/data), also ASCII-folded."""
    from openpyxl.utils import FORMULAE

    lines = DANISH_FUNCTION_NAMES.read_text(encoding="utf-8").splitlines()
    danish = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    names = {name.upper() for name in FORMULAE} | {name.upper() for name in danish}
    return frozenset(names | {_ascii_fold(name) for name in names})


_VBA_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def udf_name_findings(signatures: Mapping[str, Iterable[str]], function_names: frozenset[str]) -> list[str]:
    """UDF and parameter names that VBA cannot compile (reserved words, non-identifiers) or that a user would
    confuse with a built-in Excel function (English or Danish)."""
    from pyvbaanalysis.lexer.keyword_table import is_reserved_identifier

    findings = []
    for function, parameters in signatures.items():
        for kind, name in [("function", function), *(("parameter", parameter) for parameter in parameters)]:
            where = f"{function}: {kind} {name!r}"
            if not _VBA_IDENTIFIER.match(name):
                findings.append(f"{where} is not a VBA identifier")
            if is_reserved_identifier(name):
                findings.append(f"{where} is a VBA reserved word")
            if name.upper() in function_names or _ascii_fold(name) in function_names:
                findings.append(f"{where} is the name of a built-in Excel function")
    return findings
