"""``samarbejde-xl upgrade``: move a workbook of an older template version to the current one."""

from __future__ import annotations

import click

from samarbejde_xl.commands.common import handles_user_errors, output_options


@click.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@output_options
@handles_user_errors
def upgrade(workbook: str, output: str | None, in_place: bool) -> None:
    """Copy WORKBOOK into the current template version, keeping every entered value.

    Exit codes: 0 upgraded (or already current), 2 bad usage, an output that would overwrite the input or
    another case workbook, or the workbook cannot be read (e.g. made with a newer samarbejde-xl: update the tool).
    """
    from samarbejde_xl.workbook.upgrade import upgrade_workbook  # openpyxl: only when this command runs

    result = upgrade_workbook(workbook, output, in_place=in_place)
    if result.already_current:
        copy = f"; wrote an unchanged copy to {result.output}" if result.output else "; nothing to do"
        click.echo(f"{workbook} already uses template version {result.to_version}{copy}")
        return
    if result.backup:
        click.echo(f"backup: {result.backup}")
    click.echo(
        f"upgraded {workbook} from template version {result.from_version} to {result.to_version} -> "
        f"{result.output} ({result.cells_copied} cell(s), {len(result.case_sheets)} case sheet(s))"
    )
    for name in result.extra_sheets:
        click.echo(f"sheet '{name}' is not part of the template: copied its values, not its formatting", err=True)
    for line in result.not_copied:
        click.echo(f"warning: {line}", err=True)
    click.echo("run 'samarbejde-xl refresh' on the new file to rewrite the meeting plans and problem marks", err=True)


COMMANDS: list[click.Command] = [upgrade]
