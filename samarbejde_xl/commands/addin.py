"""``samarbejde-xl addin``: build the Excel add-in (samarbejde_xl.xlam) and regenerate its generated sources."""

from __future__ import annotations

from pathlib import Path

import click

from samarbejde_xl.commands.common import handles_user_errors
from samarbejde_xl.core.wording import os_reason
from samarbejde_xl.fileio import sha256_of

_MACROS_OPTION = click.option(
    "--macros",
    "macros_dir",
    metavar="MAPPE",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help=(
        "Mappe med VBA-modulerne (*.bas, *.cls) og customUI14.xml "
        "[standard: macros/ i kildekoden, ellers kopien, der blev installeret med pakken]."
    ),
)


@click.group()
def addin() -> None:
    """Excel-tilføjelsesprogrammet: båndet, regnearksfunktionerne og xlwings' VBA-modul i én .xlam."""


@addin.command("build")
@click.option(
    "-o",
    "--output-dir",
    metavar="MAPPE",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Mappe, som samarbejde_xl.xlam skrives i.",
)
@_MACROS_OPTION
@click.option(
    "--interpreter",
    metavar="STI",
    default=None,
    help=(
        "python.exe, som Excel skal køre (miljøvariabler som %LOCALAPPDATA% udfyldes på pc'en) "
        "[standard: python.exe i brugerens eget miljø, som samarbejde-xl addin bundle installerer, "
        "%LOCALAPPDATA%\\samarbejde-xl\\venv\\Scripts\\python.exe]."
    ),
)
@click.option(
    "--pythonpath", metavar="STIER", default="", help="Ekstra mapper til Pythons importsti (adskilt med ';')."
)
@handles_user_errors
def build(output_dir: Path, macros_dir: Path | None, interpreter: str | None, pythonpath: str) -> None:
    """Byg samarbejde_xl.xlam reproducerbart (samme input, samme bytes), og vis stien og dens sha256."""
    from samarbejde_xl.addin.build import DEFAULT_INTERPRETER, MACROS_DIR, AddinConfig, build_addin  # imports xlwings

    config = AddinConfig(DEFAULT_INTERPRETER if interpreter is None else interpreter, pythonpath)
    try:
        path = build_addin(output_dir, macros_dir or MACROS_DIR, config)
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive i {output_dir}: {os_reason(error)}") from error
    click.echo(f"{path}\nsha256 {sha256_of(path)}")


@addin.command("bundle")
@click.option(
    "-o",
    "--output-dir",
    metavar="MAPPE",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Ny (eller tom) mappe til pakken.",
)
@click.option(
    "--python",
    "pythons",
    metavar="VERSION",
    multiple=True,
    help="Pythonversion, der skal med hjul til (kan gentages) [standard: alle understøttede: 3.11, 3.12, 3.13].",
)
@_MACROS_OPTION
@handles_user_errors
def bundle(output_dir: Path, pythons: tuple[str, ...], macros_dir: Path | None) -> None:
    """Det, IT udruller: samarbejde_xl.xlam (til brugerens eget miljø), projektets hjul og alle afhængigheder som
    hjul til 64-bit Windows (til installation uden net), Install-/Uninstall-Samarbejde.ps1 og SHA256SUMS.txt.
    Kræver kildekoden og pakkeindekset; installationen på pc'erne kræver ingen af delene."""
    from samarbejde_xl.addin.build import MACROS_DIR
    from samarbejde_xl.addin.bundle import SUPPORTED_PYTHONS, build_bundle

    try:
        addin_path = build_bundle(output_dir, pythons or SUPPORTED_PYTHONS, macros_dir=macros_dir or MACROS_DIR)
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive i {output_dir}: {os_reason(error)}") from error
    click.echo(f"{output_dir}\nsha256 {sha256_of(addin_path)}  {addin_path.name}")


@addin.command("generate")
@_MACROS_OPTION
@handles_user_errors
def generate(macros_dir: Path | None) -> None:
    """Dan macros/customUI14.xml (ud fra skemaet) og macros/xlwings_udfs.bas (ud fra regnearksfunktionerne) igen."""
    from samarbejde_xl.addin.build import MACROS_DIR, generate_files

    for path in generate_files(macros_dir or MACROS_DIR):
        click.echo(str(path))


COMMANDS: list[click.Command] = [addin]
