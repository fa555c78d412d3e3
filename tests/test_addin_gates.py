"""The add-in's static gates (tests/addin_gates.py): the sources and the built add-in pass each, and each gate fails
on a deliberately broken input."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import python_calamine
import xlwings
from addin_gates import (
    config_findings,
    excel_control_ids,
    excel_function_names,
    image_findings,
    ribbon_schema_findings,
    udf_name_findings,
    vba_addin_findings,
    vba_module_findings,
    xlwings_module_findings,
)

from samarbejde_xl import schema
from samarbejde_xl.addin import build, udfs

MACROS = build.MACROS_DIR
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
RELEASE_MODULE = Path(xlwings.__file__).parent / "xlwings_custom_addin.bas"

# What docs/windows.md (section 3) promises about the add-in's settings.
PROMISED_CONFIG = {
    "ADD_WORKBOOK_TO_PYTHONPATH": "false",
    "Interpreter_Win": build.DEFAULT_INTERPRETER,
    "UDF Modules": udfs.MODULE,
    build.VERSION_CONFIG_KEY: __import__("samarbejde_xl").__version__,
}


def _macro_files() -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="ascii")
        for path in sorted(MACROS.iterdir())
        if path.suffix in {".bas", ".cls"}
    }


def _udf_signatures() -> dict[str, list[str]]:
    return {
        name: list(inspect.signature(getattr(udfs, name)).parameters) for name in dir(udfs) if name.startswith("SAM_")
    }


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_addin(tmp_path_factory.mktemp("addin"))


# --------------------------------------------------------------------------------------------------
# VBA compiles
# --------------------------------------------------------------------------------------------------


def test_every_vba_module_passes_the_vba_analyser() -> None:
    assert vba_module_findings(_macro_files()) == []


def test_the_built_addin_passes_the_vba_analyser(addin: Path) -> None:
    assert vba_addin_findings(addin) == []


_SAMARBEJDE = "Samarbejde.bas"
_BROKEN_VBA = {
    "reserved-word-parameter": (
        build.UDF_MODULE_FILE,
        lambda text: text.replace("modelvariant", "variant"),
        "invalid-declaration-name",
        {"64-bit Office", "32-bit Office"},
    ),
    "declare-without-ptrsafe": (
        _SAMARBEJDE,
        lambda text: text.replace(
            "Option Explicit\n",
            "Option Explicit\n#If VBA7 Then\n"
            'Private Declare Function GetTickCount Lib "kernel32" () As Long\n#End If\n',
        ),
        "declare-missing-ptrsafe",
        {"64-bit Office"},  # 32-bit VBA7 still accepts a Declare without PtrSafe
    ),
    "undeclared-name": (
        _SAMARBEJDE,
        lambda text: text.replace("    AllowToolWrites ActiveWorkbook\n", "    AllowToolWrites ActiveWorkbok\n"),
        "undeclared-variable",
        {"64-bit Office", "32-bit Office"},
    ),
}


@pytest.mark.parametrize("case", sorted(_BROKEN_VBA))
def test_the_vba_gate_fails_a_broken_module(case: str) -> None:
    name, breaks, code, builds = _BROKEN_VBA[case]
    files = _macro_files()
    broken = breaks(files[name])
    assert broken != files[name]
    findings = vba_module_findings({**files, name: broken})
    assert any(f": {code}: " in finding for finding in findings), findings
    assert {finding.split(":")[0] for finding in findings if f": {code}: " in finding} == builds


# --------------------------------------------------------------------------------------------------
# Ribbon
# --------------------------------------------------------------------------------------------------


def test_the_ribbon_validates_against_the_customui_schema(addin: Path) -> None:
    import zipfile

    with zipfile.ZipFile(addin) as package:
        shipped = package.read(build.CUSTOMUI_PART).decode("utf-8")
    assert ribbon_schema_findings(shipped) == []


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('size="large"', 'size="large" color="red"', "color"),  # an attribute the schema does not allow
        ('size="large"', 'size="huge"', "huge"),
        ("<tabs>", "<tabs><group/>", "group"),
    ],
    ids=["forbidden-attribute", "bad-value", "misplaced-element"],
)
def test_the_schema_gate_fails_a_broken_ribbon(old: str, new: str, reason: str) -> None:
    broken = build.ribbon_xml().replace(old, new, 1)
    findings = ribbon_schema_findings(broken)
    assert findings and reason in " ".join(findings), findings


def test_every_ribbon_image_is_an_excel_control_id(addin: Path) -> None:
    import zipfile

    with zipfile.ZipFile(addin) as package:
        shipped = package.read(build.CUSTOMUI_PART).decode("utf-8")
    assert image_findings(shipped, excel_control_ids()) == []
    assert len(re.findall("imageMso=", shipped)) == len(schema.RIBBON_BUTTONS) + len(schema.MANAGER_BUTTONS)


@pytest.mark.parametrize("image", ["AcceptInvitation", "CalendarInsert", "TentativeAcceptInvitation", "Nope"])
def test_the_image_gate_fails_an_outlook_or_unknown_id(image: str) -> None:
    broken = build.ribbon_xml().replace('imageMso="RefreshAll"', f'imageMso="{image}"')
    assert image_findings(broken, excel_control_ids()) == [
        f"button RefreshPlan: imageMso {image!r} is not an Excel control id"
    ]


def test_the_image_gate_fails_a_button_without_an_image() -> None:
    broken = build.ribbon_xml().replace(' imageMso="RefreshAll"', "")
    assert image_findings(broken, excel_control_ids()) == ["button RefreshPlan: no image"]


# --------------------------------------------------------------------------------------------------
# xlwings module and settings
# --------------------------------------------------------------------------------------------------


def test_xlwings_is_the_pinned_release() -> None:
    pinned = re.search(r'"xlwings==([0-9.]+)"', PYPROJECT.read_text(encoding="utf-8"))
    assert pinned is not None and xlwings.__version__ == pinned.group(1)
    assert f'Public Const XLWINGS_VERSION As String = "{pinned.group(1)}"' in RELEASE_MODULE.read_text("ascii")


def test_the_xlwings_module_is_the_releases_own() -> None:
    ours = (MACROS / build.XLWINGS_MODULE_FILE).read_text(encoding="ascii")
    assert xlwings_module_findings(ours, RELEASE_MODULE.read_text(encoding="ascii"), schema.ADDIN_NAME) == []


def test_the_xlwings_gate_fails_a_drifted_module() -> None:
    ours = (MACROS / build.XLWINGS_MODULE_FILE).read_text(encoding="ascii")
    drifted = ours.replace(
        'GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "true")', 'GetConfig("ADD_WORKBOOK_TO_PYTHONPATH", "false")'
    )
    assert drifted != ours
    findings = xlwings_module_findings(drifted, RELEASE_MODULE.read_text(encoding="ascii"), schema.ADDIN_NAME)
    assert len(findings) == 1 and "first difference at line" in findings[0]


def _config_sheet(addin: Path) -> list[tuple[str, str]]:
    sheet = python_calamine.CalamineWorkbook.from_path(str(addin)).get_sheet_by_name(schema.ADDIN_CONFIG_SHEET)
    rows = []
    for row in sheet.to_python():
        if not row or row[0] in ("", None):
            break  # xlwings stops at the first gap
        rows.append((str(row[0]), str(row[1])))
    return rows


def test_the_addin_settings_hold_what_the_docs_promise(addin: Path) -> None:
    assert config_findings(_config_sheet(addin), PROMISED_CONFIG) == []
    docs = (Path(__file__).resolve().parents[1] / "docs" / "windows.md").read_text(encoding="utf-8")
    for key, value in PROMISED_CONFIG.items():
        if key != build.VERSION_CONFIG_KEY:
            assert f"`{key}`" in docs and f"`{value}`" in docs, key


@pytest.mark.parametrize(
    ("key", "change"),
    [("ADD_WORKBOOK_TO_PYTHONPATH", None), ("Interpreter_Win", None), ("ADD_WORKBOOK_TO_PYTHONPATH", "true")],
    ids=["missing-pythonpath-row", "missing-interpreter-row", "pythonpath-true"],
)
def test_the_config_gate_fails_a_missing_or_wrong_row(addin: Path, key: str, change: str | None) -> None:
    rows = _config_sheet(addin)
    broken = (
        [(k, v) for k, v in rows if k != key] if change is None else [(k, change if k == key else v) for k, v in rows]
    )
    findings = config_findings(broken, PROMISED_CONFIG)
    assert len(findings) == 1 and key in findings[0]


# --------------------------------------------------------------------------------------------------
# UDF names
# --------------------------------------------------------------------------------------------------


def test_udf_and_parameter_names_are_safe() -> None:
    signatures = _udf_signatures()
    assert signatures and udf_name_findings(signatures, excel_function_names()) == []


@pytest.mark.parametrize(
    ("signatures", "expected"),
    [
        ({"SAM_X": ["variant"]}, "SAM_X: parameter 'variant' is a VBA reserved word"),
        ({"SAM_X": ["idag"]}, "SAM_X: parameter 'idag' is the name of a built-in Excel function"),
        ({"SAM_X": ["vaerdi"]}, "SAM_X: parameter 'vaerdi' is the name of a built-in Excel function"),
        ({"TODAY": []}, "TODAY: function 'TODAY' is the name of a built-in Excel function"),
        ({"SAM_X": ["møder"]}, "SAM_X: parameter 'møder' is not a VBA identifier"),
    ],
    ids=["reserved-word", "danish-function", "danish-function-ascii", "english-function", "non-ascii"],
)
def test_the_name_gate_fails_a_bad_name(signatures: dict[str, list[str]], expected: str) -> None:
    assert expected in udf_name_findings(signatures, excel_function_names())
