"""Commands on one guide's workbook: plan, validate, refresh, and the CLI twins of the ribbon buttons."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from samarbejde_xl import actions, schema
from samarbejde_xl.commands.common import (
    batch_settings,
    format_table,
    handles_user_errors,
    output_options,
    password_option,
    printable,
    resolve_today,
    settings_option,
    show_date,
    to_json,
    today_option,
)
from samarbejde_xl.core.meetings import MeetingPlan
from samarbejde_xl.core.problems import Severity
from samarbejde_xl.core.wording import counted

WORKBOOK = click.Path(exists=True, dir_okay=False)
WORKBOOK_METAVAR = "ARBEJDSBOG"


@click.command()
@click.argument("workbook", type=WORKBOOK, metavar=WORKBOOK_METAVAR)
@click.option("--id", "case_id", metavar="ID", default=None, help="Kun denne unge (pseudonymt id, fx U-0001).")
@today_option
@click.option("--json", "as_json", is_flag=True, help="Udskriv JSON i stedet for en tabel.")
@password_option
@settings_option
@handles_user_errors
def plan(
    workbook: str,
    case_id: str | None,
    today: datetime | None,
    as_json: bool,
    password: str | None,
    settings_file: str | None,
) -> None:
    """Vis mødeplanen for hver ung i ARBEJDSBOG."""
    plans = actions.plan_workbook(
        workbook,
        today=resolve_today(today),
        case_id=case_id,
        password=password,
        base_settings=batch_settings(settings_file),
    )
    if as_json:
        click.echo(to_json([_plan_json(p) for p in plans]))
        return
    if not plans:
        click.echo(printable(f"{workbook}: projektmappen har ingen unge endnu, så der er ingen mødeplan at vise."))
        click.echo("Opret en ung med knappen Ny sag i Excel eller med samarbejde-xl new-case.")
    for meeting_plan in plans:
        click.echo(
            f"\n{meeting_plan.case_id}  (forløb {show_date(meeting_plan.course_start)} – "
            f"{show_date(meeting_plan.course_end)})"
        )
        if meeting_plan.missing:
            click.echo(f"  ingen mødeplan: {', '.join(meeting_plan.missing)} mangler")
            continue
        rows = [
            [
                m.label,
                show_date(m.due),
                f"{show_date(m.window_start)} – {show_date(m.window_end)}",
                show_date(m.held_on),
                m.status_label,
            ]
            for m in meeting_plan.meetings
        ]
        click.echo(format_table(["Møde", "Forfalder", "Vindue", "Afholdt", "Status"], rows))


def _plan_json(meeting_plan: MeetingPlan) -> dict[str, object]:
    return {
        "case_id": meeting_plan.case_id,
        "course_start": meeting_plan.course_start,
        "course_end": meeting_plan.course_end,
        "ended": meeting_plan.ended,
        "missing": list(meeting_plan.missing),
        "meetings": [
            {
                "kind": m.kind,
                "label": m.label,
                "due": m.due,
                "window_start": m.window_start,
                "window_end": m.window_end,
                "held_on": m.held_on,
                "status": m.status,
                "status_label": m.status_label,
            }
            for m in meeting_plan.meetings
        ],
    }


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True), metavar="STIER...")
@today_option
@click.option("--json", "as_json", is_flag=True, help="Udskriv JSON i stedet for linjer.")
@password_option
@settings_option
@handles_user_errors
def validate(
    paths: tuple[str, ...], today: datetime | None, as_json: bool, password: str | None, settings_file: str | None
) -> None:
    """Kontrollér projektmapper (filer eller mapper) og vis hvert problem.

    Slutkoder: 0 ingen problemer, 1 problemer fundet, 2 en fil kunne ikke læses eller forkert brug.
    """
    run = actions.validate_paths(
        paths, today=resolve_today(today), password=password, base_settings=batch_settings(settings_file)
    )
    problems = run.problems
    if as_json:
        click.echo(
            to_json(
                {
                    "problems": [
                        {
                            "file": p.file,
                            "sheet": p.sheet,
                            "cell": p.cell,
                            "code": p.code,
                            "severity": p.severity.value,
                            "message": p.message,
                            "case_id": p.case_id,
                        }
                        for p in problems
                    ],
                    "unreadable": [{"file": str(f.path), "reason": str(f.error)} for f in run.unreadable],
                    "lock_files_skipped": [str(p) for p in run.lock_files],
                }
            )
        )
    else:
        for problem in problems:
            click.echo(printable(str(problem)))
        for lock in run.lock_files:
            click.echo(printable(f"sprunget over: {lock}: Excels låsefil (projektmappen er åben et sted)"), err=True)
        for path, why in (*run.skipped, *run.unreadable_folders):
            click.echo(printable(f"sprunget over: {path}: {why}"), err=True)
        for failed in run.unreadable:
            click.echo(printable(f"kan ikke læses: {failed.error}"), err=True)
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        click.echo(
            f"{counted(len(run.files), 'arbejdsbog')}: {counted(errors, 'fejl')}, "
            f"{counted(len(problems) - errors, 'advarsel')}, {counted(len(run.unreadable), 'ulæselig')}",
            err=True,
        )
    sys.exit(2 if run.unreadable else 1 if problems or run.unreadable_folders else 0)


@click.command()
@click.argument("workbook", type=WORKBOOK, metavar=WORKBOOK_METAVAR)
@output_options
@today_option
@password_option
@handles_user_errors
def refresh(workbook: str, output: str | None, in_place: bool, today: datetime | None, password: str | None) -> None:
    """Skriv mødeplaner, Oversigt, fejlmarkeringer og arket Fejl (det samme som båndets Opdatér mødeplan)."""
    result = actions.refresh_workbook(
        workbook, output, in_place=in_place, today=resolve_today(today), password=password
    )
    if result.backup:
        click.echo(f"sikkerhedskopi: {result.backup}")
    click.echo(f"skrev {result.output} ({counted(len(result.problems), 'problem')} markeret)")


@click.command("new-case")
@click.argument("workbook", type=WORKBOOK, metavar=WORKBOOK_METAVAR)
@output_options
@click.option(
    "--id", "case_id", metavar="ID", default=None, help="Id til den nye sag (standard: det næste ledige U-NNNN)."
)
@today_option
@password_option
@handles_user_errors
def new_case(
    workbook: str,
    output: str | None,
    in_place: bool,
    case_id: str | None,
    today: datetime | None,
    password: str | None,
) -> None:
    """Tilføj et sagsark til en ny ung (båndets Ny sag)."""
    result = actions.new_case(
        workbook, output, in_place=in_place, case_id=case_id, today=resolve_today(today), password=password
    )
    click.echo(f"sagen {result.detail['case_id']} er tilføjet -> {result.output}")


def _meeting_kind(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A meeting kind by its code (m17_5) or its Danish label (Møde ved 17½ år)."""
    if value is None:
        return None
    if value in schema.MEETING_KIND.codes:
        return value
    code = schema.MEETING_KIND.code_of(value)
    if code is None:
        known = ", ".join(f"{code} ({label})" for code, label in schema.MEETING_KIND.values)
        raise click.BadParameter(f"{value!r} er ikke en mødetype; brug en af: {known}")
    return code


@click.command("register-meeting")
@click.argument("workbook", type=WORKBOOK, metavar=WORKBOOK_METAVAR)
@output_options
@click.option("--id", "case_id", metavar="ID", required=True, help="Den unges pseudonyme id.")
@click.option(
    "--kind",
    metavar="MØDETYPE",
    callback=_meeting_kind,
    default=None,
    help="Mødetype som kode (start, m16, m17_5, m18_5, quarterly, follow_up, extra, end) eller dens danske navn "
    "(standard: mødet, hvis vindue rummer datoen, ellers det mest forfaldne, ellers et ekstra møde).",
)
@click.option(
    "--attended",
    type=click.Choice([schema.YES, schema.NO]),
    default=None,
    help="Om den unge deltog (Den unge deltog); tom, hvis den ikke angives.",
)
@click.option("--allow-duplicate", is_flag=True, help="Registrér, selv om den unge allerede har et møde den dag.")
@today_option
@password_option
@handles_user_errors
def register_meeting(
    workbook: str,
    output: str | None,
    in_place: bool,
    case_id: str,
    kind: str | None,
    attended: str | None,
    allow_duplicate: bool,
    today: datetime | None,
    password: str | None,
) -> None:
    """Tilføj en udfyldt række i Mødetjekliste for en ung, dateret --today (båndets Registrér møde)."""
    result = actions.register_meeting(
        workbook,
        output,
        in_place=in_place,
        case_id=case_id,
        today=resolve_today(today),
        kind=kind,
        attended=None if attended is None else attended == schema.YES,
        allow_duplicate=allow_duplicate,
        password=password,
    )
    label = schema.MEETING_KIND.label_of(str(result.detail["kind"]))
    click.echo(
        f"række {result.detail['row']} i {schema.SHEET_CHECKLIST} er tilføjet for {result.detail['case_id']} ({label}) "
        f"-> {result.output}"
    )
    if result.detail["attended"] is None:
        present = schema.CHECKLIST_COLUMNS_BY_KEY["young_person_present"].header
        click.echo(f"'{present}' er tom: mødet tæller først, når der står {schema.YES} (--attended {schema.YES})")


@click.command()
@click.argument("workbook", type=WORKBOOK, metavar=WORKBOOK_METAVAR)
@today_option
@click.option("--json", "as_json", is_flag=True, help="Udskriv JSON i stedet for en tabel.")
@password_option
@handles_user_errors
def overview(workbook: str, today: datetime | None, as_json: bool, password: str | None) -> None:
    """Vis rækkerne i Oversigt: hver ung, det næste møde og dets status."""
    rows = actions.overview(workbook, today=resolve_today(today), password=password)
    if as_json:
        click.echo(to_json(rows))
        return
    if not rows:
        click.echo(printable(f"{workbook}: projektmappen har ingen unge endnu, så {schema.SHEET_OVERVIEW} er tom."))
        return
    headers = {column.key: column.header for column in schema.OVERVIEW_COLUMNS}  # the sheet's own Danish headers
    keys = list(rows[0])
    table = format_table([headers[key] for key in keys], [[_show(row[key]) for key in keys] for row in rows])
    click.echo(printable(table))


def _show(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return show_date(value)  # type: ignore[arg-type]
    if isinstance(value, float):
        return str(value).replace(".", ",")  # Danish decimal comma, as in the sheet
    return str(value)


@click.command()
@click.argument("workbook", type=WORKBOOK, required=False, metavar=WORKBOOK_METAVAR)
def diagnose(workbook: str | None) -> None:
    """Vis versioner, og om ARBEJDSBOGs skabelonversion understøttes (båndets Diagnose)."""
    for label, value in actions.diagnose(workbook):
        click.echo(f"{label}: {value}")


@click.command("help")
def help_command() -> None:
    """Vis, hvad hver knap på båndet gør (båndets Hjælp åbner arket Vejledning)."""
    for line in actions.guide_text():
        click.echo(line)


COMMANDS: list[click.Command] = [plan, validate, refresh, new_case, register_meeting, overview, diagnose, help_command]
