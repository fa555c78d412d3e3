"""``samarbejde-xl template``: build the empty case workbook from the schema."""

from __future__ import annotations

from pathlib import Path

import click

from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.fileio import OutputRefusedError
from samarbejde_xl.workbook.discover import refuse_replacing_guides_workbooks

DEFAULT_TEMPLATE_PATH = Path("workbook_templates") / "samarbejde.xlsx"
DEFAULT_SURVEY_PATH = Path("workbook_templates") / "fagpersoners-vurdering.xlsx"


@click.group()
def template() -> None:
    """The case workbook template."""


@template.command("build")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=DEFAULT_TEMPLATE_PATH,
    show_default=True,
    help="Where to write the template (.xlsx).",
)
def build(output: Path) -> None:
    """Build the empty case workbook (all sheets, dropdowns, protection) from the schema."""
    from samarbejde_xl.workbook.template import save_template  # openpyxl: only when this command runs

    try:
        refuse_replacing_guides_workbooks([output], replaceable=_is_template, what="skabelonen")
        save_template(output)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from error
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
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=DEFAULT_SURVEY_PATH,
    show_default=True,
    help="Where to write the survey workbook (.xlsx).",
)
def survey(output: Path) -> None:
    """Build the professionals' survey workbook (Fagpersoners vurdering): the four statements, three answers.

    Send a copy to the partners; consolidate reads the filled-in copies with --survey.
    """
    from samarbejde_xl.workbook.survey import save_survey_template  # openpyxl: only when this command runs

    try:
        save_survey_template(output)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from error
    click.echo(str(output))


COMMANDS: list[click.Command] = [template]
