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

WORKBOOK = click.Path(exists=True, dir_okay=False)


@click.command()
@click.argument("workbook", type=WORKBOOK)
@click.option("--id", "case_id", default=None, help="Only this young person (pseudonymous id, e.g. U-0001).")
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
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
    """Show the meeting plan of each young person in WORKBOOK."""
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
    for meeting_plan in plans:
        click.echo(
            f"\n{meeting_plan.case_id}  (forløb {show_date(meeting_plan.course_start)} – "
            f"{show_date(meeting_plan.course_end)})"
        )
        if meeting_plan.missing:
            click.echo(f"  no plan: missing {', '.join(meeting_plan.missing)}")
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@password_option
@settings_option
@handles_user_errors
def validate(
    paths: tuple[str, ...], today: datetime | None, as_json: bool, password: str | None, settings_file: str | None
) -> None:
    """Check workbooks (files or folders) and list every problem.

    Exit codes: 0 no problems, 1 problems found, 2 a file could not be read or bad usage.
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
            click.echo(f"skipped {lock}: Excel lock file (the workbook is open somewhere)", err=True)
        for failed in run.unreadable:
            click.echo(printable(f"error: {failed.error}"), err=True)
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        click.echo(
            f"{len(run.files)} workbook(s): {errors} error(s), {len(problems) - errors} warning(s), "
            f"{len(run.unreadable)} unreadable",
            err=True,
        )
    sys.exit(2 if run.unreadable else 1 if problems else 0)


@click.command()
@click.argument("workbook", type=WORKBOOK)
@output_options
@today_option
@password_option
@handles_user_errors
def refresh(workbook: str, output: str | None, in_place: bool, today: datetime | None, password: str | None) -> None:
    """Write the meeting plans, Oversigt, problem marks and the Fejl sheet (what the ribbon writes)."""
    result = actions.refresh_workbook(
        workbook, output, in_place=in_place, today=resolve_today(today), password=password
    )
    if result.backup:
        click.echo(f"backup: {result.backup}")
    click.echo(f"wrote {result.output} ({len(result.problems)} problem(s) marked)")


@click.command("new-case")
@click.argument("workbook", type=WORKBOOK)
@output_options
@click.option("--id", "case_id", default=None, help="Id for the new case (default: the next free U-NNNN).")
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
    """Add a case sheet for a new young person (the ribbon's Ny sag)."""
    result = actions.new_case(
        workbook, output, in_place=in_place, case_id=case_id, today=resolve_today(today), password=password
    )
    click.echo(f"added case {result.detail['case_id']} -> {result.output}")


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
@click.argument("workbook", type=WORKBOOK)
@output_options
@click.option("--id", "case_id", required=True, help="The young person's pseudonymous id.")
@click.option(
    "--kind",
    callback=_meeting_kind,
    default=None,
    help="Meeting kind, as a code (start, m16, m17_5, m18_5, quarterly, follow_up, extra, end) or its Danish label "
    "(default: the meeting whose window contains the date, else the most overdue one, else an extra meeting).",
)
@click.option(
    "--attended",
    type=click.Choice([schema.YES, schema.NO]),
    default=None,
    help="Whether the young person took part (Den unge deltog); left empty when not given.",
)
@click.option(
    "--allow-duplicate", is_flag=True, help="Register even if the young person already has a meeting that day."
)
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
    """Add a prefilled Mødetjekliste row for one young person, dated --today (the ribbon's Registrér møde)."""
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
    click.echo(f"added {schema.SHEET_CHECKLIST} row {result.detail['row']} for {case_id} ({label}) -> {result.output}")
    if result.detail["attended"] is None:
        present = schema.CHECKLIST_COLUMNS_BY_KEY["young_person_present"].header
        click.echo(f"'{present}' er tom: mødet tæller først, når der står {schema.YES} (--attended {schema.YES})")


@click.command()
@click.argument("workbook", type=WORKBOOK)
@today_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@password_option
@handles_user_errors
def overview(workbook: str, today: datetime | None, as_json: bool, password: str | None) -> None:
    """Show the Oversigt rows: each young person, the next meeting and its status."""
    rows = actions.overview(workbook, today=resolve_today(today), password=password)
    if as_json:
        click.echo(to_json(rows))
        return
    headers = list(rows[0]) if rows else ["case_id"]
    click.echo(printable(format_table(headers, [[_show(row[h]) for h in headers] for row in rows])))


def _show(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return show_date(value)  # type: ignore[arg-type]
    return str(value)


@click.command()
@click.argument("workbook", type=WORKBOOK, required=False)
def diagnose(workbook: str | None) -> None:
    """Print versions and whether WORKBOOK's template version is supported (the ribbon's Diagnose)."""
    for label, value in actions.diagnose(workbook):
        click.echo(f"{label}: {value}")


@click.command("help")
def help_command() -> None:
    """Print what each ribbon button does (the ribbon's Hjælp opens the Vejledning sheet)."""
    for line in actions.guide_text():
        click.echo(line)


COMMANDS: list[click.Command] = [plan, validate, refresh, new_case, register_meeting, overview, diagnose, help_command]
