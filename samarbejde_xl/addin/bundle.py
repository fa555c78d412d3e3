"""``samarbejde-xl addin bundle``: what a municipality's IT deploys, in one folder.

- ``samarbejde_xl.xlam``, built with the per-user environment's interpreter (``build.DEFAULT_INTERPRETER``);
- ``wheels/``: the project's wheel and every dependency as a binary wheel for 64-bit Windows and each supported
  Python, so the install needs no internet and builds nothing;
- ``Install-Samarbejde.ps1`` / ``Uninstall-Samarbejde.ps1`` (from ``macros/``) and ``SHA256SUMS.txt``.

pip evaluates environment markers against the machine it runs on even with ``--platform``, so on Linux it skips
Windows-only dependencies (xlwings' pywin32, click's colorama). The wheelhouse is therefore closed by reading each
wheel's requirements with Windows' markers and downloading what is missing, and then checked twice: every
requirement has a compatible wheel (``missing_requirements``), and pip resolves the project offline for each
platform tag (``pip install --dry-run --no-index``).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from email.parser import HeaderParser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from samarbejde_xl import __version__, schema
from samarbejde_xl.addin.build import MACROS_DIR, AddinBuildError, AddinConfig, build_addin
from samarbejde_xl.fileio import sha256_of

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")
"""python.org CPython versions the bundle installs on (64-bit)."""
WINDOWS_PLATFORM = "win_amd64"
WHEELS_DIR = "wheels"
SCRIPTS = ("Install-Samarbejde.ps1", "Uninstall-Samarbejde.ps1")
CHECKSUMS = "SHA256SUMS.txt"
PROJECT = "samarbejde-xl"
SOURCE_ROOT = Path(__file__).resolve().parents[2]
"""The source checkout (pyproject.toml, samarbejde_xl/, macros/): the project's wheel is built from it."""
_SOURCE_PARTS = ("pyproject.toml", "README.md", "samarbejde_xl", "macros")
_CLOSING_ROUNDS = 5


def windows_environment(python: str) -> dict[str, str]:
    """PEP 508 marker values on 64-bit Windows with CPython ``python`` (e.g. "3.12")."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "win32",
    }


def windows_tags(python: str) -> set[Tag]:
    version = tuple(int(part) for part in python.split("."))
    interpreter = f"cp{version[0]}{version[1]}"
    return {
        *cpython_tags(version, platforms=[WINDOWS_PLATFORM]),
        *compatible_tags(version, interpreter=interpreter, platforms=[WINDOWS_PLATFORM]),
    }


def _wheels(wheel_dir: Path, python: str) -> dict[str, list[tuple[Version, Path]]]:
    """Wheels installable on Windows with ``python``, by canonical name: (version, path), oldest first."""
    tags = windows_tags(python)
    found: dict[str, list[tuple[Version, Path]]] = {}
    for path in wheel_dir.glob("*.whl"):
        name, version, _, wheel_tags = parse_wheel_filename(path.name)
        if wheel_tags & tags:
            found.setdefault(str(name), []).append((version, path))
    return {name: sorted(versions) for name, versions in found.items()}


@functools.cache  # the closing rounds ask for the same wheels again; a wheel file never changes in place
def _metadata(wheel: Path) -> tuple[SpecifierSet, list[Requirement]]:
    """A wheel's Requires-Python and Requires-Dist."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        headers = HeaderParser().parsestr(archive.read(metadata).decode("utf-8"))
    requirements = [Requirement(text) for text in headers.get_all("Requires-Dist") or []]
    return SpecifierSet(headers.get("Requires-Python") or ""), requirements


def missing_requirements(wheel_dir: Path, python: str, root: str = PROJECT) -> list[str]:
    """Requirements, reachable from ``root`` under Windows' markers for ``python``, with no compatible wheel in
    ``wheel_dir`` (empty: the wheelhouse installs ``root`` offline)."""
    wheels = _wheels(wheel_dir, python)
    environment = windows_environment(python)
    missing: list[str] = []
    seen: set[str] = set()
    pending = [(Requirement(root), "")]
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = str(canonicalize_name(requirement.name))
        matches = [
            path
            for version, path in wheels.get(name, [])
            if requirement.specifier.contains(version, True) and _metadata(path)[0].contains(python, True)
        ]
        if not matches:
            missing.append(f"{requirement.name}{requirement.specifier}")
            continue
        for extra_name in ("", *sorted(requirement.extras)):
            key = f"{name}[{extra_name}]"
            if key not in seen:  # pip picks the newest matching wheel: follow its requirements
                seen.add(key)
                pending += [(dependency, extra_name) for dependency in _metadata(matches[-1])[1]]
    return sorted(set(missing))


def _pip(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *arguments], capture_output=True, text=True, check=False)


def _pip_error(what: str, result: subprocess.CompletedProcess[str]) -> AddinBuildError:
    tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
    return AddinBuildError(f"{what} mislykkedes:\n{tail}")


def _project_wheel(wheel_dir: Path, source: Path) -> Path:
    """Build the project's wheel from a copy of the checkout (setuptools writes build files into its tree)."""
    if not (source / "pyproject.toml").is_file():
        raise AddinBuildError(
            f"{source}: ingen pyproject.toml. 'addin bundle' bygger projektets wheel fra kildekoden: "
            "kør kommandoen fra en kopi af projektets repository."
        )
    with tempfile.TemporaryDirectory(prefix="samarbejde-wheel-") as scratch:
        copy = Path(scratch) / "source"
        copy.mkdir()
        for part in _SOURCE_PARTS:
            if (source / part).is_dir():
                shutil.copytree(source / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif (source / part).is_file():
                shutil.copy2(source / part, copy / part)
        result = _pip("wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(copy))
        if result.returncode != 0:
            raise _pip_error("Byggeriet af projektets wheel", result)
    return next(wheel_dir.glob("samarbejde_xl-*.whl"))


def _windows_wheels_only(wheel_dir: Path, python: str) -> tuple[str, ...]:
    """pip options: binary wheels for 64-bit Windows CPython ``python``, also looked for in ``wheel_dir``."""
    target = ("--platform", WINDOWS_PLATFORM, "--python-version", python, "--implementation", "cp")
    return ("--only-binary=:all:", *target, "--find-links", str(wheel_dir))


def _download(wheel_dir: Path, python: str, requirements: Sequence[str]) -> None:
    result = _pip("download", "-q", *_windows_wheels_only(wheel_dir, python), "-d", str(wheel_dir), *requirements)
    if result.returncode != 0:
        raise _pip_error(f"Hentningen af wheels til Python {python} ({WINDOWS_PLATFORM})", result)


def offline_resolution_error(wheel_dir: Path, python: str) -> str | None:
    """pip's own check: does the project resolve from ``wheel_dir`` alone, as binary wheels, for Windows and
    ``python``? None when it does, else pip's message. --isolated ignores pip config and PIP_* variables (a
    configured find-links or index would hide a missing wheel); --target only enables the platform options,
    --dry-run writes nothing. --ignore-requires-python: pip (23.x) checks a chosen wheel's Requires-Python against
    the interpreter it runs on, not --python-version, and would refuse numpy for 3.12 when run by 3.11;
    ``missing_requirements`` checks Requires-Python against the target instead."""
    with tempfile.TemporaryDirectory(prefix="samarbejde-dry-run-") as scratch:
        result = _pip(
            "--isolated",
            "install",
            "--dry-run",
            "--no-index",
            *_windows_wheels_only(wheel_dir, python),
            "--target",
            str(Path(scratch) / "target"),
            "--ignore-requires-python",
            f"{PROJECT}=={__version__}",
        )
    if result.returncode == 0:
        return None
    return (result.stderr or result.stdout).strip() or f"pip exit code {result.returncode}"


def fill_wheelhouse(wheel_dir: Path, project_wheel: Path, pythons: Sequence[str]) -> None:
    """Download every dependency of ``project_wheel`` for Windows and each of ``pythons``, closing the set under
    Windows' markers; refuse when a requirement stays without a wheel."""
    for python in pythons:
        _download(wheel_dir, python, [str(project_wheel)])
        for _ in range(_CLOSING_ROUNDS):
            missing = missing_requirements(wheel_dir, python)
            if not missing:
                break
            _download(wheel_dir, python, missing)
        missing = missing_requirements(wheel_dir, python)
        if missing:
            raise AddinBuildError(
                f"Ingen wheel til Python {python} ({WINDOWS_PLATFORM}) for: {', '.join(missing)}. "
                "Vælg Python-versioner, som alle afhængigheder har wheels til (--python)."
            )


def _checksums(folder: Path) -> str:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = sha256_of(path)
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}")
    return "\n".join(lines) + "\n"


def build_bundle(
    output_dir: Path,
    pythons: Sequence[str] = SUPPORTED_PYTHONS,
    source: Path = SOURCE_ROOT,
    macros_dir: Path = MACROS_DIR,
) -> Path:
    """Write the bundle into ``output_dir`` (new or empty), all or nothing: it is made beside it and renamed."""
    unsupported = [python for python in pythons if python not in SUPPORTED_PYTHONS]
    if unsupported or not pythons:
        raise AddinBuildError(
            f"Python {', '.join(unsupported) or '(ingen)'} understøttes ikke; "
            f"vælg blandt {', '.join(SUPPORTED_PYTHONS)}."
        )
    if output_dir.exists() and (not output_dir.is_dir() or any(output_dir.iterdir())):
        raise AddinBuildError(f"{output_dir} findes allerede og er ikke en tom mappe. Vælg en ny mappe til pakken.")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))
    try:
        wheel_dir = staging / WHEELS_DIR
        wheel_dir.mkdir()
        project_wheel = _project_wheel(wheel_dir, source)
        fill_wheelhouse(wheel_dir, project_wheel, pythons)
        for python in pythons:
            error = offline_resolution_error(wheel_dir, python)
            if error is not None:
                raise AddinBuildError(f"Pakken kan ikke installeres uden net med Python {python}:\n{error}")
        build_addin(staging, macros_dir, AddinConfig())
        for script in SCRIPTS:
            shutil.copyfile(macros_dir / script, staging / script)
        (staging / CHECKSUMS).write_text(_checksums(staging), encoding="ascii", newline="\n")
        if output_dir.exists():
            output_dir.rmdir()
        os.replace(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output_dir / schema.ADDIN_FILE
