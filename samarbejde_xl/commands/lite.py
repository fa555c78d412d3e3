"""``samarbejde-xl lite``: the zero-install edition for xlwings Lite (main.py and requirements.txt)."""

from __future__ import annotations

from pathlib import Path

import click

from samarbejde_xl.commands.common import handles_user_errors
from samarbejde_xl.core.wording import os_reason
from samarbejde_xl.fileio import atomic_write_bytes


@click.group()
def lite() -> None:
    """Udgaven uden installation: de samme funktioner og knapper i xlwings Lite (Python i Excel via Pyodide)."""


@lite.command("build")
@click.option(
    "-o",
    "--output-dir",
    metavar="MAPPE",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist") / "lite",
    show_default=True,
    help="Mappe, som main.py og requirements.txt skrives i (oprettes om nødvendigt).",
)
@handles_user_errors
def build(output_dir: Path) -> None:
    """Skriv main.py og requirements.txt til xlwings Lite. Programkoden ligger inde i main.py, så intet hentes
    fra nettet: indsæt de to filer i xlwings Lite-editoren (se docs/lite.md)."""
    from samarbejde_xl.lite.bundle import main_py, requirements_txt  # imports xlwings: only when used

    files = {"main.py": main_py(), "requirements.txt": requirements_txt()}
    for name, text in files.items():
        try:
            atomic_write_bytes(output_dir / name, text.encode("utf-8"))
        except OSError as error:
            raise click.ClickException(
                f"Kan ikke skrive {output_dir / name}: {os_reason(error)}. Vælg en anden mappe med -o."
            ) from error
        click.echo(str(output_dir / name))


COMMANDS: list[click.Command] = [lite]
