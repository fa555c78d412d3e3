"""The schema package is the only place that spells sheet names, cell addresses and column letters.

Every other module of the package must ask the schema (``schema.SHEET_CHECKLIST``, ``Block.cell``,
``schema.column_letter``...), so that moving a cell is a one-line change. This test parses every module and
lists the string literals that break the rule, as ``file:line: reason``.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from samarbejde_xl import schema

SCHEMA_DIR = Path(schema.__file__).resolve().parent
PACKAGE = SCHEMA_DIR.parent

ADDRESS = re.compile(r"^\$?[A-Z]{1,3}\$?[0-9]{1,7}(:\$?[A-Z]{1,3}\$?[0-9]{1,7})?$")
# An address inside longer text: after a sheet's "!" or written absolute ("$B$5").
EMBEDDED_ADDRESS = re.compile(r"(![$]?[A-Z]{1,3}[$]?[0-9]{1,7}\b)|([$][A-Z]{1,3}[$][0-9]{1,7}\b)")
COLUMN_LETTER = re.compile(r"^[A-Z]{1,2}$")
SHEET_NAMES: tuple[str, ...] = (*schema.FIXED_SHEETS, schema.SHEET_PROBLEMS)
SHEET_NAME_WORD = re.compile(r"(?<!\w)(" + "|".join(re.escape(name) for name in SHEET_NAMES) + r")(?!\w)")

# Uppercase words that are legitimately passed as arguments or subscripts. Keep this list short and explained.
ALLOWED_UPPERCASE: dict[str, str] = {
    "OK": "status word",
    "ID": "abbreviation in messages",
}
# Address-shaped strings that are not addresses.
ALLOWED_ADDRESS_SHAPED: dict[str, str] = {
    "UTF8": "encoding name",
    "ISO8601": "date format name",
    "AMD64": "Windows' platform_machine (addin/bundle.py)",
}
# Colours are written as 6 or 8 hex digits ("FFE699"), which can look like an address far to the right.
RGB_COLOUR = re.compile(r"^([0-9A-F]{6}|[0-9A-F]{8})$")
# Where a sheet name is also an ordinary Danish word: "Fejl: ..." is the usual "Error: ..." prefix of a message.
ORDINARY_WORD_PREFIXES: tuple[str, ...] = ("Fejl: ",)
# Calls whose first argument is a type variable's name, not a column ("F = TypeVar('F')").
TYPE_NAME_CALLS = frozenset({"TypeVar", "ParamSpec", "TypeVarTuple", "NewType", "NamedTuple", "TypedDict"})


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (documentation, not code)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _text_problems(text: str, whole: bool) -> list[str]:
    """Problems of one literal; ``whole`` is False for a constant part of an f-string."""
    problems = []
    if whole and ADDRESS.match(text) and text not in ALLOWED_ADDRESS_SHAPED and not RGB_COLOUR.match(text):
        problems.append(f"cell address or range {text!r}")
    elif EMBEDDED_ADDRESS.search(text):
        problems.append(f"cell address inside {text!r}")
    prefix = next((prefix for prefix in ORDINARY_WORD_PREFIXES if text.startswith(prefix)), "")
    match = SHEET_NAME_WORD.search(text, len(prefix))
    if match:
        problems.append(f"sheet name {match.group(1)!r} in {text!r}")
    return problems


def _column_letter_arguments(tree: ast.AST) -> list[tuple[ast.Constant, str]]:
    found: list[tuple[ast.Constant, str]] = []

    def check(node: ast.expr, where: str) -> None:
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and COLUMN_LETTER.match(node.value)
            and node.value not in ALLOWED_UPPERCASE
        ):
            found.append((node, f"column letter {node.value!r} used as {where}"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            check(node.slice, "a subscript")
        elif isinstance(node, ast.Call):
            function = node.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
            arguments = node.args[1:] if name in TYPE_NAME_CALLS else node.args
            for argument in arguments:
                check(argument, "an argument")
            for keyword in node.keywords:
                check(keyword.value, "an argument")
    return found


def find_violations(source: str, filename: str = "<snippet>") -> list[str]:
    """``filename:line: reason`` for every literal that belongs in the schema package."""
    tree = ast.parse(source, filename=filename)
    docstrings = _docstring_nodes(tree)
    in_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            in_fstring.update(id(part) for part in node.values if isinstance(part, ast.Constant))
    violations = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in docstrings:
            continue
        for problem in _text_problems(node.value, whole=id(node) not in in_fstring):
            violations.append(f"{filename}:{node.lineno}: {problem}")
    for node, problem in _column_letter_arguments(tree):
        violations.append(f"{filename}:{node.lineno}: {problem}")
    return sorted(set(violations))


def _package_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if SCHEMA_DIR not in path.resolve().parents)


def test_no_sheet_names_addresses_or_column_letters_outside_schema() -> None:
    violations: list[str] = []
    for path in _package_modules():
        relative = path.relative_to(PACKAGE.parent).as_posix()
        violations.extend(find_violations(path.read_text(encoding="utf-8"), relative))
    assert not violations, "use samarbejde_xl.schema instead of spelling these out:\n" + "\n".join(violations)


def test_the_scan_covers_the_package() -> None:
    names = {path.relative_to(PACKAGE).as_posix() for path in _package_modules()}
    assert "cli.py" in names and "core/parse.py" in names
    assert not any(name.startswith("schema/") for name in names)


VIOLATING_SNIPPETS = [
    ('sheet["B5"] = 1', "cell address or range 'B5'"),
    ('ref = "A1:C3"', "cell address or range 'A1:C3'"),
    ('ref = "$B$5"', "cell address or range '$B$5'"),
    ('formula = "=SUM(Lister!$A$2:$A$9)"', "cell address inside"),
    ('name = "Mødetjekliste"', "sheet name 'Mødetjekliste'"),
    ('message = "Se arket Fejl for detaljer."', "sheet name 'Fejl'"),
    ('message = f"Se {x} på arket Indstillinger"', "sheet name 'Indstillinger'"),
    ('sheet.column_dimensions["B"].width = 3', "column letter 'B' used as a subscript"),
    ('sheet.cell(column_index_from_string("AB"), 1)', "column letter 'AB' used as an argument"),
    ('read(sheet, column="C")', "column letter 'C' used as an argument"),
    ('message = "Fejl: se arket Fejl"', "sheet name 'Fejl'"),
    ('message = "Fejl i datoen"', "sheet name 'Fejl'"),
]


@pytest.mark.parametrize(("snippet", "expected"), VIOLATING_SNIPPETS, ids=[s for s, _ in VIOLATING_SNIPPETS])
def test_checker_finds_violations(snippet: str, expected: str) -> None:
    violations = find_violations(snippet)
    assert any(expected in violation for violation in violations), violations


CLEAN_SNIPPET = textwrap.dedent(
    '''
    """Docstrings may mention Mødetjekliste and B5."""
    sheet = workbook[schema.SHEET_CHECKLIST]
    sheet[schema.CASE_TITLE_CELL] = schema.CASE_SHEET_TITLE
    status = "OK"
    check(status, "OK")
    text = f"Skriv på arket {schema.SHEET_SETTINGS}, fx U-0001"
    colour = "FFE699"
    F = TypeVar("F")
    message = "Fejl: datoen mangler"
    lowercase_word = "fejl i cellen"
    longer_word = "Fejlliste"
    '''
)


def test_checker_accepts_schema_based_code() -> None:
    assert find_violations(CLEAN_SNIPPET) == []
