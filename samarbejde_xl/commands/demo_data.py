"""``samarbejde-xl demo-data`` and ``demo-examples``: synthetic case workbooks (invented data only) for demos, tests
and the shipped examples/."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import click

from samarbejde_xl.commands.common import resolve_today, terminal_progress, today_option
from samarbejde_xl.demo.generator import CASE_ID_LIMIT, DemoWorkbook
from samarbejde_xl.fileio import OutputRefusedError


def _echo_planted(written: list[DemoWorkbook], *, describe: bool = True) -> None:
    """One line per planted mistake: file, cell and problem code (and the English description for developers)."""
    for demo in written:
        for mistake in demo.planted:
            description = f" {mistake.description}" if describe else ""
            click.echo(f"  {demo.file_name}: {mistake.sheet}!{mistake.cell} [{mistake.code}]{description}")


@click.command("demo-data")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--workbooks", type=click.IntRange(1, 500), default=6, show_default=True, help="Guides (one workbook each)."
)
@click.option("--cases", type=click.IntRange(0, 500), default=8, show_default=True, help="Young people per workbook.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same files (byte for byte).")
@today_option
@click.option("--clean", is_flag=True, help="Plant no entry mistakes: validation then reports nothing.")
def demo_data(outdir: Path, workbooks: int, cases: int, seed: int, today: datetime | None, clean: bool) -> None:
    """Write WORKBOOKS synthetic workbooks vejleder-01.xlsx ... into OUTDIR (created if needed).

    Files of the same name in OUTDIR are replaced (atomically); other files are left alone. Unless --clean,
    0-3 typical entry mistakes are planted per workbook; they are listed after the summary line.
    """
    if workbooks * cases > CASE_ID_LIMIT:
        raise click.UsageError(f"at most {CASE_ID_LIMIT} young people in all (--workbooks x --cases)")
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
        raise click.ClickException(f"cannot write to {outdir}: {error.strerror or error}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    people = sum(len(demo.data.cases) for demo in written)
    meetings = sum(len(demo.data.meetings) for demo in written)
    planted = sum(len(demo.planted) for demo in written)
    click.echo(
        f"wrote {len(written)} workbooks to {outdir}: {people} young people, {meetings} meetings, "
        f"{planted} planted mistakes (seed {seed}, today {reference.isoformat()})"
    )
    _echo_planted(written)


@click.command("demo-examples")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path), default="examples")
def demo_examples(outdir: Path) -> None:
    """Skriv eksempel-arbejdsbøgerne i OUTDIR (standard: ./examples), opdateret.

    Altid de samme demo-arbejdsbøger (samarbejde_xl.demo.generator.EXAMPLES_PARAMETERS), hver opdateret, som
    knappen Opdatér mødeplan gør det: beregnede felter, mødeplaner, Oversigt, fejlmarkeringer og arket Fejl er
    udfyldt. Kør kommandoen fra projektets rodmappe efter en ændring af skabelonen, skriveren eller generatoren, og
    commit filerne.
    """
    from samarbejde_xl.demo.examples import write_examples

    try:
        with ExitStack() as stack:
            written = write_examples(outdir, on_written=terminal_progress(stack, "Opdaterer eksemplerne"))
    except OSError as error:
        raise click.ClickException(f"Eksemplerne kunne ikke skrives i {outdir}: {error.strerror or error}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    planted = sum(len(demo.planted) for demo in written)
    click.echo(f"Skrev {len(written)} opdaterede eksempler i {outdir} ({planted} indplantede fejl):")
    _echo_planted(written, describe=False)


COMMANDS: list[click.Command] = [demo_data, demo_examples]
