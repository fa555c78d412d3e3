"""The add-in build: reproducible bytes, every VBA module as in macros/, the ribbon, the package parts."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import python_calamine
from click.testing import CliRunner

from samarbejde_xl import __version__, schema
from samarbejde_xl.addin import build, udfs
from samarbejde_xl.cli import cli

with warnings.catch_warnings():  # oletools uses deprecated pyparsing names at import
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

MACROS = build.MACROS_DIR
XLWINGS_CUSTOM_ADDIN_MODULE = Path(__import__("xlwings").__file__).parent / "xlwings_custom_addin.bas"


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_addin(tmp_path_factory.mktemp("addin"))


def _macro_files() -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(MACROS.glob("*.*s"))
        if path.suffix in {".bas", ".cls"}
    }


def test_build_is_byte_reproducible(addin: Path, tmp_path: Path) -> None:
    again = build.build_addin(tmp_path)
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(addin.read_bytes()).hexdigest()


def test_cli_build_prints_path_and_sha256(addin: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["addin", "build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path, digest = result.output.splitlines()
    assert Path(path) == tmp_path / schema.ADDIN_FILE
    assert digest == "sha256 " + hashlib.sha256(addin.read_bytes()).hexdigest()


def test_config_changes_the_bytes_but_stays_reproducible(tmp_path: Path) -> None:
    config = build.AddinConfig(interpreter=r"C:\Program Files\Python311\python.exe", pythonpath=r"C:\samarbejde")
    first = build.build_addin_bytes(config=config)
    assert first == build.build_addin_bytes(config=config)
    assert first != build.build_addin_bytes()


def test_olevba_reads_every_module_exactly_as_in_macros(addin: Path) -> None:
    parser = VBA_Parser(str(addin))
    try:
        extracted = {name: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    assert extracted == _macro_files()


def test_macros_are_ascii_and_named_after_their_files() -> None:
    for name, text in _macro_files().items():
        assert text.isascii(), name
        assert text.splitlines()[0] == f'Attribute VB_Name = "{Path(name).stem}"'


def test_xlwings_module_is_xlwings_custom_addin_module_with_our_project_name() -> None:
    shipped = XLWINGS_CUSTOM_ADDIN_MODULE.read_text(encoding="ascii").replace("\r\n", "\n")
    expected = shipped.replace(
        'Public Const PROJECT_NAME As String = "myaddin"',
        f'Public Const PROJECT_NAME As String = "{schema.ADDIN_NAME}"',
    )
    assert expected != shipped
    assert (MACROS / build.XLWINGS_MODULE_FILE).read_text(encoding="ascii") == expected


def test_udf_vba_module_does_not_drift() -> None:
    """Regenerate what Excel's "Import Functions" would import and compare it with the committed module."""
    assert build.udf_vba_module() == (MACROS / build.UDF_MODULE_FILE).read_text(encoding="ascii")


def test_udf_vba_module_wraps_every_udf() -> None:
    text = (MACROS / build.UDF_MODULE_FILE).read_text(encoding="ascii")
    names = {name for name in dir(udfs) if name.startswith("SAM_")}
    assert set(re.findall(r"^Function (SAM_[A-Z_]+)\(", text, re.MULTILINE)) == names
    assert all(f'XLPy.CallUDF("{udfs.MODULE}", "{name}"' in text for name in names)


def test_build_refuses_a_stale_udf_module(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    stale = macros / build.UDF_MODULE_FILE
    stale.write_text(stale.read_text(encoding="ascii").replace("SAM_ALDER", "SAM_OLD"), encoding="ascii")
    with pytest.raises(build.AddinBuildError, match="addin generate"):
        build.build_addin_bytes(macros)
    result = CliRunner().invoke(cli, ["addin", "build", "-o", str(tmp_path), "--macros", str(macros)])
    assert result.exit_code == 1
    assert "samarbejde-xl addin generate" in result.output
    assert not (tmp_path / schema.ADDIN_FILE).exists()


def test_build_refuses_non_ascii_vba(tmp_path: Path) -> None:
    macros = tmp_path / "macros"
    shutil.copytree(MACROS, macros)
    (macros / "Extra.bas").write_text('Attribute VB_Name = "Extra"\n\' Møde\n', encoding="utf-8")
    with pytest.raises(build.AddinBuildError, match="ASCII-only"):
        build.build_addin_bytes(macros)


def test_ribbon_xml_is_generated_from_the_schema() -> None:
    assert (MACROS / build.RIBBON_FILE).read_text(encoding="utf-8") == build.ribbon_xml()


def test_package_parts(addin: Path) -> None:
    with zipfile.ZipFile(addin) as package:
        content_types = package.read("[Content_Types].xml").decode("utf-8")
        rels = ElementTree.fromstring(package.read("_rels/.rels"))
        ribbon = package.read(build.CUSTOMUI_PART).decode("utf-8")
        assert "xl/vbaProject.bin" in package.namelist()
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in package.infolist())
    assert build.ADDIN_WORKBOOK_TYPE in content_types
    assert "sheet.macroEnabled.main" not in content_types
    targets = {rel.get("Type"): rel.get("Target") for rel in rels}
    assert targets[build.CUSTOMUI_REL_TYPE] == build.CUSTOMUI_PART
    assert ribbon == build.ribbon_xml()


def test_config_and_function_sheets(tmp_path: Path) -> None:
    path = tmp_path / schema.ADDIN_FILE
    path.write_bytes(build.build_addin_bytes(config=build.AddinConfig(interpreter=r"C:\Python\python.exe")))
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == [schema.ADDIN_CONFIG_SHEET, schema.ADDIN_FUNCTIONS_SHEET]
    config = workbook.get_sheet_by_name(schema.ADDIN_CONFIG_SHEET).to_python()
    assert config == [
        [build.VERSION_CONFIG_KEY, __version__],
        ["UDF Modules", udfs.MODULE],
        ["Interpreter_Win", r"C:\Python\python.exe"],
        ["ADD_WORKBOOK_TO_PYTHONPATH", "false"],
    ]

    functions = workbook.get_sheet_by_name(schema.ADDIN_FUNCTIONS_SHEET).to_python()
    assert functions[0][: len(schema.ADDIN_FUNCTIONS_HEADERS)] == list(schema.ADDIN_FUNCTIONS_HEADERS)
    rows = {row[0]: row for row in functions[1:]}
    assert set(rows) == {name for name in dir(udfs) if name.startswith("SAM_")}
    age = rows["SAM_ALDER"]
    assert age[1] == udfs.CATEGORY
    assert age[2] == udfs.SAM_ALDER.__doc__
    assert [text for text in age[3:] if text] == [
        "Den unges fødselsdato.",
        "Valgfri: alderen på denne dato (standard: i dag).",
    ]


def test_the_default_build_names_the_per_user_interpreter_and_an_empty_one_is_refused(tmp_path: Path) -> None:
    assert build.AddinConfig().interpreter == build.DEFAULT_INTERPRETER
    assert ("Interpreter_Win", build.DEFAULT_INTERPRETER) in build.config_rows(build.AddinConfig())
    result = CliRunner().invoke(cli, ["addin", "build", "-o", str(tmp_path), "--interpreter", " "])
    assert result.exit_code == 1 and "--interpreter" in result.output and "Traceback" not in result.output
    assert not (tmp_path / schema.ADDIN_FILE).exists()


@pytest.mark.libreoffice
def test_libreoffice_imports_every_module(addin: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    copy = tmp_path / "copy.xlam"
    shutil.copyfile(addin, copy)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--infilter=Calc MS Excel 2007 VBA XML",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path / "out"),
            str(copy),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with zipfile.ZipFile(tmp_path / "out" / "copy.ods") as converted:
        basic = {
            Path(name).stem: converted.read(name).decode("utf-8")
            for name in converted.namelist()
            if name.startswith("Basic/VBAProject/") and not name.endswith("script-lb.xml")
        }
    assert set(basic) == {Path(name).stem for name in _macro_files()}
    assert "Public Sub OnRibbonAction(control As IRibbonControl)" in basic["Samarbejde"]
    assert "Function SAM_ALDER(foedselsdato, Optional paa_dato)" in basic["xlwings_udfs"]


@pytest.mark.slow
def test_the_installed_package_builds_the_same_addin_without_the_checkout(addin: Path, tmp_path: Path) -> None:
    """docs/windows.md has IT run `pip install samarbejde-xl` and then `samarbejde-xl addin build`: the wheel must
    carry macros/, and the build from it must give the same bytes as the build from the checkout."""
    root, source = Path(__file__).resolve().parents[1], tmp_path / "source"  # setuptools builds in the tree
    source.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(root / part, source / part)
    for folder in ("samarbejde_xl", "macros"):
        shutil.copytree(root / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(wheels)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 and "Could not find a version that satisfies the requirement setuptools" in done.stderr:
        pytest.skip("no package index to build the wheel with (setuptools cannot be fetched)")
    assert done.returncode == 0, done.stderr
    installed = tmp_path / "site"
    with zipfile.ZipFile(next(wheels.glob("samarbejde_xl-*.whl"))) as wheel:
        wheel.extractall(installed)
    assert sorted(path.name for path in (installed / "samarbejde_xl" / "macros").iterdir()) == sorted(
        path.name for path in MACROS.iterdir() if path.suffix in {".bas", ".cls", ".xml", ".ps1"}
    )
    output = tmp_path / "addin"
    script = (
        "import sys; from pathlib import Path; from samarbejde_xl.addin import build; "
        "print(build.MACROS_DIR); build.build_addin(Path(sys.argv[1]))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, str(output)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
    )
    assert ran.returncode == 0, ran.stderr
    assert Path(ran.stdout.strip()) == installed / "samarbejde_xl" / "macros"
    assert (output / schema.ADDIN_FILE).read_bytes() == addin.read_bytes()


def test_the_windows_checklist_records_this_build(addin: Path) -> None:
    """IT compares the add-in's sha256 with docs/windows-checklist.md: a change to macros/, the ribbon or the UDFs
    must come with the new hash there (run `samarbejde-xl addin build` and put its sha256 in the table)."""
    checklist = (Path(__file__).resolve().parents[1] / "docs" / "windows-checklist.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(addin.read_bytes()).hexdigest()
    assert f"`{digest}`" in checklist, f"docs/windows-checklist.md lacks the current build's sha256 {digest}"
