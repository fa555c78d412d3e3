"""The quarterly consolidation into the leader-group report, and the demo that runs it on synthetic data."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from samarbejde_xl import consolidate as use_case
from samarbejde_xl.commands.common import (
    FIRST_YEAR,
    LAST_YEAR,
    batch_settings,
    handles_user_errors,
    password_option,
    printable,
    resolve_today,
    settings_option,
    terminal_progress,
    today_option,
)
from samarbejde_xl.core.quarter import Quarter, ReportPeriod, between, parse_period, parse_quarter
from samarbejde_xl.core.suppression import DEFAULT_MIN_COUNT
from samarbejde_xl.demo import municipality as demo
from samarbejde_xl.report.facts_cache import default_cache_path
from samarbejde_xl.report.history import HistoryError

EXIT_CODES_HELP = """
\b
Exit codes:
  0  every workbook was read; the report is written
  1  some workbooks could not be read, or a folder could not be searched
     (listed on stderr and in the report's data quality sheet); the report
     is written from the others.
     Also when --pdf fails (LibreOffice missing): the xlsx report is written
  2  usage error: bad option or settings file, missing path, no workbooks
     found, a --history file that is not a history store, a report path
     that is not .xlsx or cannot be written or would replace an input or a
     case workbook, a quarter that has not ended or has no active young
     person while a history is kept (unless --force)
"""


def _quarter(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Quarter | None:
    if value is None:
        return None
    try:
        quarter = parse_quarter(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} er ikke et kvartal; skriv det som 2026Q3") from error
    if not FIRST_YEAR <= quarter.year <= LAST_YEAR:
        raise click.BadParameter(f"{value}: året skal ligge mellem {FIRST_YEAR} og {LAST_YEAR}, fx 2026Q3")
    return quarter


def _report_period(
    quarter: Quarter | None, period: str | None, first: datetime | None, last: datetime | None, today: date
) -> ReportPeriod | None:
    """The one period the options name; None = the default (the last quarter that ended)."""
    given = [
        name for name, value in (("--quarter", quarter), ("--period", period), ("--from/--to", first or last)) if value
    ]
    if len(given) > 1:
        raise click.UsageError(f"give one of {', '.join(given)}, not several")
    if (first is None) != (last is None):
        raise click.UsageError("give both --from and --to (the first and the last day of the period)")
    if first is not None and last is not None:
        if last < first:
            raise click.BadParameter(f"{last:%Y-%m-%d} is before --from {first:%Y-%m-%d}", param_hint="--to")
        return between(first.date(), last.date())
    if period is not None:
        try:
            return parse_period(period, today)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from error
    return quarter


def _progress(stack: ExitStack) -> use_case.ProgressCallback | None:
    return terminal_progress(stack, "Reading workbooks")


def _note_lock_file(path: Path) -> None:
    click.echo(printable(f"Skipped {path}: an Excel lock file (someone has the workbook open)"), err=True)


def _finish(run: use_case.ConsolidationRun) -> None:
    for file in run.skipped_reports:
        click.echo(printable(f"Skipped {file}: an earlier samarbejde-xl report, not a case workbook"), err=True)
    for file, reason in run.unreadable:
        click.echo(printable(f"Unreadable: {file}: {reason}"), err=True)
    for file, why in run.result.skipped_files:
        click.echo(f"Sprunget over: {printable(file)}: {why}", err=True)
    for copy in run.result.copies:
        others = ", ".join(printable(other) for other in copy.others)
        click.echo(
            f"Kopi: {copy.case_id} (samme id og fødselsdato) findes i {printable(copy.used)} og {others}; "
            f"talt én gang, fra {printable(copy.used)}, fordi {copy.reason}",
            err=True,
        )
    if run.politicians is not None:
        click.echo(printable(f"Til politikere: {run.politicians}"), err=True)
    if run.pdf is not None:
        click.echo(f"PDF: {run.pdf}", err=True)
    click.echo(printable(run.summary()))
    if run.exit_code:
        sys.exit(run.exit_code)


def _consolidate(paths: list[str], output: str, **options: Any) -> use_case.ConsolidationRun:
    try:
        with ExitStack() as stack:
            return use_case.consolidate(
                paths, output, on_progress=_progress(stack), on_lock_file=_note_lock_file, **options
            )
    except (use_case.ConsolidationError, HistoryError) as error:
        raise click.UsageError(printable(str(error))) from error


@click.command("consolidate", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The report to write (.xlsx).")
@click.option(
    "--quarter",
    callback=_quarter,
    default=None,
    help="The quarter, e.g. 2026Q3 (default: the last quarter that ended before --today).",
)
@click.option(
    "--period",
    default=None,
    help="Another period: a half-year (2026H1), a year (2026), or a cohort: 'kohorte' = every young person since "
    "the start of the model, 'kohorte:2025' = those included in 2025; ended courses count with their status at "
    "the end. Not stored in the history.",
)
@click.option(
    "--from",
    "date_from",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First day of the period (YYYY-MM-DD), with --to.",
)
@click.option(
    "--to", "date_to", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Last day of the period."
)
@today_option
@click.option(
    "--history",
    type=click.Path(dir_okay=False),
    default=None,
    help=f"History store (SQLite) for the trend; default: {use_case.HISTORY_FILE_NAME} beside the report.",
)
@click.option("--no-history", is_flag=True, help="Neither read nor write a history store.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Læs alle arbejdsbøger forfra (kold kørsel): brug ikke gemte fakta fra tidligere kørsler og gem ingen. "
    "Uden den læses kun de arbejdsbøger, der er ændret siden sidst.",
)
@click.option(
    "--survey",
    "surveys",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A filled-in survey workbook of the professionals (Fagpersoners vurdering; build one with "
    "'samarbejde-xl template survey'). Repeat for several.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Store a quarter that has not ended by --today, or in which no young person was active, in the history.",
)
@click.option(
    "--politicians",
    type=click.Path(dir_okay=False),
    default=None,
    help="Sammenfatningen til politikere (.xlsx), en fil for sig uden id'er; standard: RAPPORT-politikere.xlsx ved "
    "siden af rapporten.",
)
@click.option("--pdf", is_flag=True, help="Also write the politicians' summary as PDF (needs LibreOffice).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=DEFAULT_MIN_COUNT,
    show_default=True,
    help="Counts below this are suppressed in the politicians' summary.",
)
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Skriv også dataene bag rapporten som tabeller (CSV og Parquet) til Excel og Power BI i denne mappe.",
)
@settings_option
@password_option
@handles_user_errors
def consolidate_command(
    paths: tuple[str, ...],
    output: str,
    quarter: Quarter | None,
    period: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    today: datetime | None,
    history: str | None,
    no_history: bool,
    force: bool,
    no_cache: bool,
    surveys: tuple[str, ...],
    politicians: str | None,
    pdf: bool,
    jobs: int | None,
    min_count: int,
    settings_file: str | None,
    password: str | None,
    export_dir: str | None,
) -> None:
    """Consolidate case workbooks (folders are searched recursively) into the leader-group report."""
    settings = batch_settings(settings_file)
    if export_dir is not None:
        _check_export(Path(export_dir))
    if no_history and history is not None:
        raise click.UsageError("give --history or --no-history, not both")
    history_path = None if no_history else (history or str(Path(output).parent / use_case.HISTORY_FILE_NAME))
    day = resolve_today(today)
    run = _consolidate(
        list(paths),
        output,
        today=day,
        quarter=_report_period(quarter, period, date_from, date_to, day),
        history=history_path,
        settings=settings,
        settings_source=settings_file or "",
        jobs=jobs,
        min_count=min_count,
        pdf=pdf,
        password=password,
        force=force,
        cache=None if no_cache else default_cache_path(),
        survey=surveys,
        politicians=politicians,
    )
    if export_dir is not None:
        _export(run, Path(export_dir))
    _finish(run)


def _check_export(folder: Path) -> None:
    from samarbejde_xl.tables import check_export_folder  # pandas: only with --export

    try:
        check_export_folder(folder)
    except use_case.ConsolidationError as error:
        raise click.UsageError(str(error)) from error


def _export(run: use_case.ConsolidationRun, folder: Path) -> None:
    from samarbejde_xl.tables import export_tables, tables_from_run

    inputs = [Path(row.file) for row in run.result.data_quality]
    try:
        written = export_tables(tables_from_run(run), folder, inputs=[*inputs, run.report])
    except OSError as error:
        raise click.ClickException(
            f"Tabellerne kunne ikke skrives i {folder}: {error.strerror or error}. Kontrollér, at du må skrive i "
            "mappen, og at ingen af filerne er åbne i Excel eller Power BI, og kør igen"
        ) from error
    click.echo(f"Tabeller: {len(written)} filer (CSV og Parquet) i {folder}", err=True)


@click.command("demo", epilog=EXIT_CODES_HELP)
@click.argument("outdir", required=False, type=click.Path(file_okay=False), default=demo.DEMO_FOLDER)
@today_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@handles_user_errors
def demo_command(outdir: str, today: datetime | None, jobs: int | None) -> None:
    """Generate a synthetic municipality (12 guides x 20 young people) in OUTDIR and consolidate it.

    OUTDIR defaults to ./samarbejde-demo; the workbooks go to OUTDIR/arbejdsbøger, the report to OUTDIR.
    """
    with ExitStack() as stack:
        run = demo.run_demo(
            Path(outdir),
            today=resolve_today(today),
            jobs=jobs,
            on_written=terminal_progress(stack, "Skriver demoens arbejdsbøger"),
            on_progress=terminal_progress(stack, "Læser arbejdsbøger"),
        )
    click.echo(f"Demo workbooks: {Path(outdir) / demo.DEMO_WORKBOOK_FOLDER}")
    _finish(run)


COMMANDS: list[click.Command] = [consolidate_command, demo_command]
