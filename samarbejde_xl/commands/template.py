"""``samarbejde-xl template``: build the empty case workbook from the schema."""

from __future__ import annotations

from pathlib import Path

import click

from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.core.wording import os_reason
from samarbejde_xl.fileio import OutputRefusedError
from samarbejde_xl.workbook.discover import refuse_replacing_guides_workbooks

DEFAULT_TEMPLATE_PATH = Path("workbook_templates") / "samarbejde.xlsx"
DEFAULT_SURVEY_PATH = Path("workbook_templates") / "fagpersoners-vurdering.xlsx"


@click.group()
def template() -> None:
    """Skabelonen til sagsprojektmappen og fagpersonernes spørgeskema."""


@template.command("build")
@click.option(
    "-o",
    "--output",
    metavar="FIL",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=DEFAULT_TEMPLATE_PATH,
    show_default=True,
    help="Hvor skabelonen skrives (.xlsx).",
)
def build(output: Path) -> None:
    """Byg den tomme sagsprojektmappe (alle ark, rullelister og beskyttelse) ud fra skemaet."""
    from samarbejde_xl.workbook.template import save_template  # openpyxl: only when this command runs

    try:
        refuse_replacing_guides_workbooks([output], replaceable=_is_template, what="skabelonen")
        save_template(output)
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive {output}: {os_reason(error)}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    click.echo(str(output))


def _is_template(data: WorkbookData) -> bool:
    """An empty template (no young person) may be rebuilt over; a guide's workbook never."""
    return not data.cases and not data.meetings


@template.command("survey")
@click.option(
    "-o",
    "--output",
    metavar="FIL",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=DEFAULT_SURVEY_PATH,
    show_default=True,
    help="Hvor spørgeskemaet skrives (.xlsx).",
)
def survey(output: Path) -> None:
    """Byg fagpersonernes spørgeskema (Fagpersoners vurdering): de fire udsagn og tre svarmuligheder.

    Send en kopi til samarbejdspartnerne; samarbejde-xl consolidate læser de udfyldte kopier med --survey.
    """
    from samarbejde_xl.workbook.survey import save_survey_template  # openpyxl: only when this command runs

    try:
        save_survey_template(output)
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive {output}: {os_reason(error)}") from error
    click.echo(str(output))


COMMANDS: list[click.Command] = [template]
