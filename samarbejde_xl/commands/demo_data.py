"""``samarbejde-xl demo-data``: write synthetic case workbooks (invented data only) for demos and tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from samarbejde_xl.commands.common import resolve_today, today_option
from samarbejde_xl.consolidate import refuse_replacing_real_workbooks
from samarbejde_xl.core.demo import CASE_ID_LIMIT
from samarbejde_xl.fileio import OutputRefusedError


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
    from samarbejde_xl.workbook.writer import write_demo_municipality  # openpyxl: only when this command runs

    reference = resolve_today(today)
    try:
        refuse_replacing_real_workbooks(outdir, workbooks)
        written = write_demo_municipality(
            outdir, workbooks=workbooks, cases=cases, seed=seed, today=reference, clean=clean
        )
    except OSError as error:
        raise click.ClickException(f"cannot write to {outdir}: {error.strerror or error}") from error
    except OutputRefusedError as error:
        raise click.UsageError(str(error)) from error
    people = sum(len(demo.data.cases) for demo in written)
    meetings = sum(len(demo.data.meetings) for demo in written)
    planted = [(demo.file_name, mistake) for demo in written for mistake in demo.planted]
    click.echo(
        f"wrote {len(written)} workbooks to {outdir}: {people} young people, {meetings} meetings, "
        f"{len(planted)} planted mistakes (seed {seed}, today {reference.isoformat()})"
    )
    for file_name, mistake in planted:
        click.echo(f"  {file_name}: {mistake.sheet}!{mistake.cell} [{mistake.code}] {mistake.description}")


COMMANDS: list[click.Command] = [demo_data]
