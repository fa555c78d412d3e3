"""``samarbejde-xl demo-data``: write synthetic case workbooks (invented data only) for demos and tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from samarbejde_xl.commands.common import resolve_today, today_option
from samarbejde_xl.consolidate import refuse_replacing_real_workbooks
from samarbejde_xl.core.demo import CASE_ID_LIMIT
from samarbejde_xl.core.wording import counted, os_reason
from samarbejde_xl.fileio import OutputRefusedError


@click.command("demo-data")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path), metavar="MAPPE")
@click.option(
    "--workbooks",
    metavar="ANTAL",
    type=click.IntRange(1, 500),
    default=6,
    show_default=True,
    help="Vejledere (én arbejdsbog hver).",
)
@click.option(
    "--cases", metavar="ANTAL", type=click.IntRange(0, 500), default=8, show_default=True, help="Unge pr. arbejdsbog."
)
@click.option(
    "--seed", metavar="TAL", type=int, default=1, show_default=True, help="Samme frø, samme filer (byte for byte)."
)
@today_option
@click.option("--clean", is_flag=True, help="Indbyg ingen tastefejl: valideringen finder så ingenting.")
def demo_data(outdir: Path, workbooks: int, cases: int, seed: int, today: datetime | None, clean: bool) -> None:
    """Skriv opdigtede arbejdsbøger vejleder-01.xlsx ... (så mange som --workbooks) i MAPPE (oprettes om nødvendigt).

    Filer med samme navn i MAPPE erstattes (atomart); andre filer røres ikke. Uden --clean indbygges 0-3 typiske
    tastefejl pr. arbejdsbog; de vises efter opsummeringen.
    """
    if workbooks * cases > CASE_ID_LIMIT:
        raise click.UsageError(f"højst {CASE_ID_LIMIT} unge i alt (--workbooks x --cases)")
    from samarbejde_xl.workbook.writer import write_demo_municipality  # openpyxl: only when this command runs

    reference = resolve_today(today)
    try:
        refuse_replacing_real_workbooks(outdir, workbooks)
        written = write_demo_municipality(
            outdir, workbooks=workbooks, cases=cases, seed=seed, today=reference, clean=clean
        )
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive i {outdir}: {os_reason(error)}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    people = sum(len(demo.data.cases) for demo in written)
    meetings = sum(len(demo.data.meetings) for demo in written)
    planted = [(demo.file_name, mistake) for demo in written for mistake in demo.planted]
    click.echo(
        f"skrev {counted(len(written), 'arbejdsbog')} i {outdir}: {counted(people, 'ung')}, "
        f"{counted(meetings, 'møde')}, {counted(len(planted), 'indbygget fejl')} "
        f"(frø {seed}, dato {reference.isoformat()})"
    )
    for file_name, mistake in planted:
        click.echo(f"  {file_name}: {mistake.sheet}!{mistake.cell} [{mistake.code}] {mistake.description}")


COMMANDS: list[click.Command] = [demo_data]
