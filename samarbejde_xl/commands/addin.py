"""``samarbejde-xl addin``: build the Excel add-in (samarbejde_xl.xlam) and regenerate its generated sources."""

from __future__ import annotations

from pathlib import Path

import click

from samarbejde_xl.commands.common import handles_user_errors
from samarbejde_xl.fileio import sha256_of

_MACROS_OPTION = click.option(
    "--macros",
    "macros_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help=(
        "Folder with the VBA modules (*.bas, *.cls) and customUI14.xml "
        "[default: macros/ of the source checkout, else the copy installed with the package]."
    ),
)


@click.group()
def addin() -> None:
    """The Excel add-in: ribbon, UDFs and the xlwings VBA module in one .xlam."""


@addin.command("build")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder to write samarbejde_xl.xlam into.",
)
@_MACROS_OPTION
@click.option(
    "--interpreter",
    default=None,
    help=(
        "python.exe for Excel to run (environment variables such as %LOCALAPPDATA% are expanded on the PC) "
        "[default: python.exe of the per-user environment that 'addin bundle' installs, "
        "%LOCALAPPDATA%\\samarbejde-xl\\venv\\Scripts\\python.exe]."
    ),
)
@click.option("--pythonpath", default="", help="Extra folders for Python's import path (';'-separated).")
@handles_user_errors
def build(output_dir: Path, macros_dir: Path | None, interpreter: str | None, pythonpath: str) -> None:
    """Build samarbejde_xl.xlam reproducibly (same inputs, same bytes) and print its path and sha256."""
    from samarbejde_xl.addin.build import DEFAULT_INTERPRETER, MACROS_DIR, AddinConfig, build_addin  # imports xlwings

    config = AddinConfig(DEFAULT_INTERPRETER if interpreter is None else interpreter, pythonpath)
    try:
        path = build_addin(output_dir, macros_dir or MACROS_DIR, config)
    except OSError as error:
        raise click.ClickException(f"cannot write into {output_dir}: {error.strerror or error}") from error
    click.echo(f"{path}\nsha256 {sha256_of(path)}")


@addin.command("bundle")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="New (or empty) folder for the bundle.",
)
@click.option(
    "--python",
    "pythons",
    multiple=True,
    help="Python version to include wheels for (repeatable) [default: every supported version: 3.11, 3.12, 3.13].",
)
@_MACROS_OPTION
@handles_user_errors
def bundle(output_dir: Path, pythons: tuple[str, ...], macros_dir: Path | None) -> None:
    """What IT deploys: samarbejde_xl.xlam (for the per-user environment), the project's wheel and an offline
    wheelhouse for 64-bit Windows, Install-/Uninstall-Samarbejde.ps1 and SHA256SUMS.txt. Needs the source checkout
    and the package index; the install on the PCs needs neither."""
    from samarbejde_xl.addin.build import MACROS_DIR
    from samarbejde_xl.addin.bundle import SUPPORTED_PYTHONS, build_bundle

    try:
        addin_path = build_bundle(output_dir, pythons or SUPPORTED_PYTHONS, macros_dir=macros_dir or MACROS_DIR)
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive i {output_dir}: {error.strerror or error}") from error
    click.echo(f"{output_dir}\nsha256 {sha256_of(addin_path)}  {addin_path.name}")


@addin.command("generate")
@_MACROS_OPTION
@handles_user_errors
def generate(macros_dir: Path | None) -> None:
    """Regenerate macros/customUI14.xml (from the schema) and macros/xlwings_udfs.bas (from the UDFs)."""
    from samarbejde_xl.addin.build import MACROS_DIR, generate_files

    for path in generate_files(macros_dir or MACROS_DIR):
        click.echo(str(path))


COMMANDS: list[click.Command] = [addin]
