"""The quarterly consolidation into the leader-group report, and the demo that runs it on synthetic data."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from samarbejde_xl import consolidation as use_case
from samarbejde_xl.commands.common import (
    FIRST_YEAR,
    JOBS_HELP,
    LAST_YEAR,
    IsoDate,
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
from samarbejde_xl.core.wording import os_reason
from samarbejde_xl.demo import municipality as demo
from samarbejde_xl.report.facts_cache import default_cache_path
from samarbejde_xl.report.history_store import HistoryError

EXIT_CODES_HELP = """
\b
Slutkoder:
  0  alle arbejdsbøger blev læst; rapporten er skrevet
  1  nogle arbejdsbøger kunne ikke læses, eller en mappe kunne ikke
     gennemsøges (vist på stderr og på rapportens ark Datakvalitet);
     rapporten er skrevet ud fra de andre.
     Også når --pdf mislykkes (LibreOffice mangler): xlsx-rapporten er skrevet
  2  forkert brug: forkert tilvalg eller indstillingsfil, en sti der ikke
     findes, ingen arbejdsbøger fundet, en --history-fil der ikke er en
     historik, en rapportsti der ikke er .xlsx, ikke kan skrives eller ville
     erstatte en inputfil eller en sagsprojektmappe, et kvartal der ikke er
     slut eller ikke har nogen aktiv ung, mens der føres historik (medmindre
     --force)
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
        raise click.UsageError(f"angiv kun én af {', '.join(given)}, ikke flere")
    if (first is None) != (last is None):
        raise click.UsageError("angiv både --from og --to (periodens første og sidste dag)")
    if first is not None and last is not None:
        if last < first:
            raise click.BadParameter(f"{last:%Y-%m-%d} ligger før --from {first:%Y-%m-%d}", param_hint="--to")
        return between(first.date(), last.date())
    if period is not None:
        try:
            return parse_period(period, today)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from error
    return quarter


def _progress(stack: ExitStack) -> use_case.ProgressCallback | None:
    return terminal_progress(stack, "Læser arbejdsbøger")


def _note_lock_file(path: Path) -> None:
    click.echo(printable(f"Sprunget over: {path}: Excels låsefil (nogen har projektmappen åben)"), err=True)


def _finish(run: use_case.ConsolidationRun) -> None:
    for line in run.notes():
        click.echo(line, err=True)
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True), metavar="STIER...")
@click.option(
    "-o",
    "--output",
    metavar="FIL",
    required=True,
    type=click.Path(dir_okay=False),
    help="Rapporten, der skrives (.xlsx).",
)
@click.option(
    "--quarter",
    metavar="KVARTAL",
    callback=_quarter,
    default=None,
    help="Kvartalet, fx 2026Q3 (standard: det seneste kvartal, der sluttede før --today).",
)
@click.option(
    "--period",
    metavar="PERIODE",
    default=None,
    help="En anden periode: et halvår (2026H1), et år (2026) eller en kohorte: 'kohorte' = alle unge siden "
    "modellens start, 'kohorte:2025' = de unge, der kom ind i 2025; afsluttede forløb tæller med deres status ved "
    "afslutningen. Gemmes ikke i historikken.",
)
@click.option(
    "--from",
    "date_from",
    type=IsoDate(),
    default=None,
    help="Periodens første dag (ÅÅÅÅ-MM-DD), sammen med --to.",
)
@click.option("--to", "date_to", type=IsoDate(), default=None, help="Periodens sidste dag (ÅÅÅÅ-MM-DD).")
@today_option
@click.option(
    "--history",
    metavar="FIL",
    type=click.Path(dir_okay=False),
    default=None,
    help=f"Historikken (SQLite) bag udviklingen; standard: {use_case.HISTORY_FILE_NAME} ved siden af rapporten.",
)
@click.option("--no-history", is_flag=True, help="Hverken læs eller skriv en historik.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Læs alle arbejdsbøger forfra (kold kørsel): brug ikke gemte fakta fra tidligere kørsler og gem ingen. "
    "Uden den læses kun de arbejdsbøger, der er ændret siden sidst.",
)
@click.option(
    "--survey",
    "surveys",
    metavar="FIL",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="En udfyldt spørgeskema-projektmappe fra fagpersonerne (Fagpersoners vurdering; lav en med "
    "samarbejde-xl template survey). Gentag for flere.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Gem et kvartal, der ikke er slut pr. --today, eller hvor ingen ung var i forløb, i historikken alligevel.",
)
@click.option(
    "--politicians",
    metavar="FIL",
    type=click.Path(dir_okay=False),
    default=None,
    help="Sammenfatningen til politikere (.xlsx), en fil for sig uden id'er; standard: RAPPORT-politikere.xlsx ved "
    "siden af rapporten.",
)
@click.option("--pdf", is_flag=True, help="Skriv også sammenfatningen til politikerne som PDF (kræver LibreOffice).")
@click.option("-j", "--jobs", metavar="ANTAL", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@click.option(
    "--min-count",
    metavar="ANTAL",
    type=click.IntRange(min=1),
    default=DEFAULT_MIN_COUNT,
    show_default=True,
    help="Antal under denne grænse skjules i sammenfatningen til politikerne.",
)
@click.option(
    "--export",
    "export_dir",
    metavar="MAPPE",
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
    """Saml sagsprojektmapperne (mapper gennemsøges med undermapper) i ledergruppens kvartalsrapport.

    Det samme som knappen Kvartalsrapport på båndet i Excel.
    """
    settings = batch_settings(settings_file)
    if export_dir is not None:
        _check_export(Path(export_dir))
    if no_history and history is not None:
        raise click.UsageError("angiv enten --history eller --no-history, ikke begge")
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
            f"Tabellerne kunne ikke skrives i {folder}: {os_reason(error)}. Kontrollér, at du må skrive i "
            "mappen, og at ingen af filerne er åbne i Excel eller Power BI, og kør igen"
        ) from error
    click.echo(f"Tabeller: {len(written)} filer (CSV og Parquet) i {folder}", err=True)


@click.command("demo", epilog=EXIT_CODES_HELP)
@click.argument("outdir", required=False, type=click.Path(file_okay=False), default=demo.DEMO_FOLDER, metavar="[MAPPE]")
@today_option
@click.option("-j", "--jobs", metavar="ANTAL", type=click.IntRange(min=1), default=None, help=JOBS_HELP)
@handles_user_errors
def demo_command(outdir: str, today: datetime | None, jobs: int | None) -> None:
    """Lav en opdigtet kommune (12 vejledere x 20 unge) i MAPPE og saml den i en kvartalsrapport.

    MAPPE er som standard ./samarbejde-demo; arbejdsbøgerne lægges i MAPPE/arbejdsbøger, rapporten i MAPPE.
    """
    with ExitStack() as stack:
        run = demo.run_demo(
            Path(outdir),
            today=resolve_today(today),
            jobs=jobs,
            on_written=terminal_progress(stack, "Skriver demoens arbejdsbøger"),
            on_progress=terminal_progress(stack, "Læser arbejdsbøger"),
        )
    click.echo(f"Demoens arbejdsbøger: {Path(outdir) / demo.DEMO_WORKBOOK_FOLDER}")
    _finish(run)


COMMANDS: list[click.Command] = [consolidate_command, demo_command]
