"""``samarbejde-xl upgrade``: move a workbook of an older template version to the current one."""

from __future__ import annotations

import click

from samarbejde_xl.commands.common import handles_user_errors, output_options
from samarbejde_xl.core.wording import counted


@click.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False), metavar="ARBEJDSBOG")
@output_options
@handles_user_errors
def upgrade(workbook: str, output: str | None, in_place: bool) -> None:
    """Kopiér ARBEJDSBOG over i den nyeste skabelonversion med alle indtastede værdier.

    Slutkoder: 0 opgraderet (eller allerede nyeste), 2 forkert brug, et resultat der ville overskrive inputfilen
    eller en anden sagsprojektmappe, eller projektmappen kan ikke læses (fx lavet med en nyere samarbejde-xl:
    opdatér værktøjet).
    """
    from samarbejde_xl.workbook.upgrade import upgrade_workbook  # openpyxl: only when this command runs

    result = upgrade_workbook(workbook, output, in_place=in_place)
    if result.already_current:
        copy = f"; skrev en uændret kopi til {result.output}" if result.output else "; intet at gøre"
        click.echo(f"{workbook} bruger allerede skabelonversion {result.to_version}{copy}")
        return
    if result.backup:
        click.echo(f"sikkerhedskopi: {result.backup}")
    click.echo(
        f"opgraderede {workbook} fra skabelonversion {result.from_version} til {result.to_version} -> "
        f"{result.output} ({counted(result.cells_copied, 'celle')}, {counted(len(result.case_sheets), 'sagsark')})"
    )
    for name in result.extra_sheets:
        click.echo(f"arket '{name}' er ikke en del af skabelonen: værdierne er kopieret, formateringen ikke", err=True)
    for line in result.not_copied:
        click.echo(f"advarsel: {line}", err=True)
    click.echo("kør samarbejde-xl refresh på den nye fil, så mødeplaner og fejlmarkeringer skrives igen", err=True)


COMMANDS: list[click.Command] = [upgrade]
