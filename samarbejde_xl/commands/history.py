"""``samarbejde-xl history``: list and remove the quarters stored in the history store (the report's trend)."""

from __future__ import annotations

from datetime import datetime

import click

from samarbejde_xl.commands.common import format_table, handles_user_errors
from samarbejde_xl.consolidation import HISTORY_FILE_NAME
from samarbejde_xl.core.quarter import parse_quarter
from samarbejde_xl.report.history_store import HistoryError, list_snapshots, remove_snapshot

_HISTORY_OPTION = click.option(
    "--history",
    "history_file",
    metavar="FIL",
    type=click.Path(dir_okay=False),
    default=HISTORY_FILE_NAME,
    show_default=True,
    help="Historikken (SQLite), som samarbejde-xl consolidate skriver ved siden af rapporten.",
)


@click.group("history")
def history() -> None:
    """Historikken bag rapportens udvikling (Udvikling): vis eller fjern gemte kvartaler."""


@history.command("list")
@_HISTORY_OPTION
@handles_user_errors
def list_command(history_file: str) -> None:
    """Vis de gemte kvartaler, ældste først."""
    try:
        stored = list_snapshots(history_file)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    if not stored:
        click.echo(f"{history_file}: historikken er tom")
        return
    rows = [
        [
            item.figures.quarter,
            item.figures.label,
            str(item.figures.young_people),
            str(item.figures.active),
            _show_saved(item.saved_at),
            item.tool_version,
        ]
        for item in stored
    ]
    click.echo(format_table(["Kvartal", "Periode", "Unge", "Aktive", "Gemt", "Version"], rows))


def _show_saved(saved_at: str) -> str:
    """An ISO timestamp ('2026-10-15T09:00:00') as '2026-10-15 09:00:00'."""
    try:
        return datetime.fromisoformat(saved_at).isoformat(sep=" ")
    except ValueError:  # a hand-edited store: show what is there
        return saved_at


@history.command("remove")
@click.argument("quarter", metavar="KVARTAL")
@_HISTORY_OPTION
@handles_user_errors
def remove_command(quarter: str, history_file: str) -> None:
    """Fjern de gemte nøgletal for KVARTAL (fx 2026Q3) fra historikken."""
    try:
        code = parse_quarter(quarter).code
    except ValueError as error:
        raise click.BadParameter(
            f"{quarter!r} er ikke et kvartal; skriv det som 2026Q3", param_hint="KVARTAL"
        ) from error
    try:
        removed = remove_snapshot(history_file, code)
    except HistoryError as error:
        raise click.UsageError(str(error)) from error
    if not removed:
        raise click.UsageError(
            f"{history_file}: kvartalet {code} er ikke gemt. Se de gemte kvartaler med 'history list'"
        )
    click.echo(f"fjernede {code} fra {history_file}")


COMMANDS: list[click.Command] = [history]
