"""``samarbejde-xl addin bundle``: what IT deploys installs offline on 64-bit Windows with every supported Python.

One bundle is built per test run (it downloads about 100 MB of wheels from the package index, once; pip's cache
makes later runs faster) and every check below reads it.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
import python_calamine
from click.testing import CliRunner

from samarbejde_xl import __version__, schema
from samarbejde_xl.addin import build
from samarbejde_xl.addin.bundle import (
    CHECKSUMS,
    SCRIPTS,
    SUPPORTED_PYTHONS,
    WHEELS_DIR,
    missing_requirements,
    offline_resolution_error,
    windows_environment,
)
from samarbejde_xl.cli import cli

_NO_INDEX = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bundle") / "samarbejde-xl-bundle"
    result = CliRunner().invoke(cli, ["addin", "bundle", "-o", str(target)])
    if result.exit_code != 0 and any(marker in result.output for marker in _NO_INDEX):
        pytest.skip(f"the package index cannot be reached: {result.output.strip().splitlines()[-1]}")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == str(target)
    return target


def _linked_copy(bundle: Path, tmp_path: Path, leave_out: str) -> Path:
    """The bundle's wheelhouse without the wheels whose file name starts with ``leave_out``."""
    wheels = tmp_path / "wheels"
    wheels.mkdir(parents=True)
    for wheel in (bundle / WHEELS_DIR).iterdir():
        if not wheel.name.lower().startswith(leave_out):
            (wheels / wheel.name).symlink_to(wheel)
    return wheels


@pytest.mark.package_index
@pytest.mark.slow
def test_the_bundle_installs_offline_on_windows_for_every_supported_python(bundle: Path, tmp_path: Path) -> None:
    names = sorted(path.name for path in bundle.iterdir())
    assert names == sorted([CHECKSUMS, WHEELS_DIR, schema.ADDIN_FILE, *SCRIPTS])
    wheels = bundle / WHEELS_DIR
    assert (wheels / f"samarbejde_xl-{__version__}-py3-none-any.whl").is_file()
    assert all(path.suffix == ".whl" for path in wheels.iterdir())  # binary wheels only, nothing to build
    for python in SUPPORTED_PYTHONS:
        tag = f"cp{python.replace('.', '')}"
        assert any(path.name.startswith("numpy-") and f"-{tag}-" in path.name for path in wheels.iterdir()), python
        assert any(path.name.startswith("pywin32-") and f"-{tag}-" in path.name for path in wheels.iterdir()), python
        assert missing_requirements(wheels, python) == [], python
        assert offline_resolution_error(wheels, python) is None, python

    # The add-in runs the per-user environment's python.exe, which the install script creates.
    config = python_calamine.CalamineWorkbook.from_path(str(bundle / schema.ADDIN_FILE))
    rows = {row[0]: row[1] for row in config.get_sheet_by_name(schema.ADDIN_CONFIG_SHEET).to_python()}
    assert rows["Interpreter_Win"] == build.DEFAULT_INTERPRETER
    assert (bundle / schema.ADDIN_FILE).read_bytes() == build.build_addin_bytes()
    script = (bundle / "Install-Samarbejde.ps1").read_bytes()
    assert script.startswith(b"\xef\xbb\xbf")  # Windows PowerShell 5.1 reads UTF-8 only with a BOM
    text = script.decode("utf-8-sig")
    assert "samarbejde-xl\\venv" in build.DEFAULT_INTERPRETER and '"samarbejde-xl"' in text and '"venv"' in text
    assert "--no-index" in text and "--find-links" in text

    # SHA256SUMS.txt covers every file; the install script refuses a bundle that does not match it.
    listed = dict(line.split("  ")[::-1] for line in (bundle / CHECKSUMS).read_text("ascii").splitlines())
    files = {path.relative_to(bundle).as_posix() for path in bundle.rglob("*") if path.is_file()} - {CHECKSUMS}
    assert set(listed) == files
    assert all(hashlib.sha256((bundle / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())

    # Both checks fail on a broken wheelhouse: pip's dry run misses a Windows-only dependency (it evaluates
    # markers for the machine it runs on), the marker-aware check does not; a missing wheel fails both.
    without_pywin32 = _linked_copy(bundle, tmp_path / "a", "pywin32-")
    assert missing_requirements(without_pywin32, SUPPORTED_PYTHONS[0]) == ["pywin32>=224"]
    without_numpy = _linked_copy(bundle, tmp_path / "b", "numpy-")
    assert any(item.startswith("numpy") for item in missing_requirements(without_numpy, SUPPORTED_PYTHONS[0]))
    assert "numpy" in (offline_resolution_error(without_numpy, SUPPORTED_PYTHONS[0]) or "")


def test_windows_markers_and_unsupported_versions(tmp_path: Path) -> None:
    assert windows_environment("3.12")["sys_platform"] == "win32"
    result = CliRunner().invoke(cli, ["addin", "bundle", "-o", str(tmp_path / "b"), "--python", "3.9"])
    assert result.exit_code == 1 and "3.9" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "b").exists()


def test_the_bundle_never_overwrites_a_folder_with_content(tmp_path: Path) -> None:
    target = tmp_path / "full"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["addin", "bundle", "-o", str(target), "--python", "3.11"])
    assert result.exit_code == 1 and "findes allerede" in result.output
    assert [path.name for path in target.iterdir()] == ["keep.txt"]


def test_the_scripts_ship_with_the_package_data() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"*.ps1"' in pyproject
    for script in SCRIPTS:
        data = (build.MACROS_DIR / script).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data, script


def test_a_wheelhouse_without_the_project_is_missing_it(tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    with zipfile.ZipFile(tmp_path / "w" / "other-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("other-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 1.0\n")
    assert missing_requirements(tmp_path / "w", "3.12") == ["samarbejde-xl"]
    shutil.rmtree(tmp_path / "w")
