"""``samarbejde-xl demo-data`` and ``demo-examples``: synthetic case workbooks (invented data only) for demos, tests
and the shipped examples/."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import click

from samarbejde_xl.commands.common import resolve_today, terminal_progress, today_option
from samarbejde_xl.core.wording import counted, os_reason
from samarbejde_xl.demo.generator import CASE_ID_LIMIT, DemoWorkbook
from samarbejde_xl.fileio import OutputRefusedError


def _echo_planted(written: list[DemoWorkbook]) -> None:
    """One line per planted mistake: file, cell, problem code and what was typed."""
    for demo in written:
        for mistake in demo.planted:
            click.echo(f"  {demo.file_name}: {mistake.sheet}!{mistake.cell} [{mistake.code}] {mistake.description}")


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
    from samarbejde_xl.demo.municipality import refuse_replacing_real_workbooks, write_demo_municipality

    reference = resolve_today(today)
    try:
        refuse_replacing_real_workbooks(outdir, workbooks)
        with ExitStack() as stack:
            written = write_demo_municipality(
                outdir,
                workbooks=workbooks,
                cases=cases,
                seed=seed,
                today=reference,
                clean=clean,
                on_written=terminal_progress(stack, "Skriver arbejdsbøger"),
            )
    except OSError as error:
        raise click.ClickException(f"kan ikke skrive i {outdir}: {os_reason(error)}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    people = sum(len(demo.data.cases) for demo in written)
    meetings = sum(len(demo.data.meetings) for demo in written)
    planted = sum(len(demo.planted) for demo in written)
    click.echo(
        f"skrev {counted(len(written), 'arbejdsbog')} i {outdir}: {counted(people, 'ung')}, "
        f"{counted(meetings, 'møde')}, {counted(planted, 'indbygget fejl')} "
        f"(frø {seed}, dato {reference.isoformat()})"
    )
    _echo_planted(written)


@click.command("demo-examples")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path), default="examples", metavar="[MAPPE]")
def demo_examples(outdir: Path) -> None:
    """Skriv eksempel-arbejdsbøgerne i MAPPE (standard: ./examples), opdateret.

    Altid de samme opdigtede arbejdsbøger (samme frø og dato), hver opdateret, som
    knappen Opdatér mødeplan gør det: beregnede felter, mødeplaner, Oversigt, fejlmarkeringer og arket Fejl er
    udfyldt. Kør kommandoen fra projektets rodmappe efter en ændring af skabelonen, skriveren eller generatoren, og
    gem filerne i git.
    """
    from samarbejde_xl.demo.examples import write_examples

    try:
        with ExitStack() as stack:
            written = write_examples(outdir, on_written=terminal_progress(stack, "Opdaterer eksemplerne"))
    except OSError as error:
        raise click.ClickException(f"Eksemplerne kunne ikke skrives i {outdir}: {os_reason(error)}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    planted = sum(len(demo.planted) for demo in written)
    click.echo(f"Skrev {len(written)} opdaterede eksempler i {outdir} ({planted} indplantede fejl):")
    _echo_planted(written)


COMMANDS: list[click.Command] = [demo_data, demo_examples]
