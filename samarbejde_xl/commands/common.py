"""Option bundles and error translation shared by the command modules."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

import click

from samarbejde_xl.core.errors import SamarbejdeError, SettingsError, WorkbookError

F = TypeVar("F", bound=Callable[..., Any])


class UnreadableInput(click.ClickException):
    """An input file that cannot be read at all: exit code 2, like a usage error."""

    exit_code = 2


def today_option(function: F) -> F:
    """``--today YYYY-MM-DD``: the reference date for every rule (default: the computer's date)."""
    option = click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Reference date, YYYY-MM-DD (default: today).",
    )
    return option(function)


def resolve_today(value: datetime | None) -> date:
    return value.date() if value is not None else date.today()


def output_options(function: F) -> F:
    """``-o OUTPUT`` or ``--in-place`` (which first writes a backup copy beside the file)."""
    function = click.option(
        "--in-place", is_flag=True, help="Change the workbook itself, after writing a backup copy beside it."
    )(function)
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the result to this new file."
    )(function)


def check_output_choice(output: str | None, in_place: bool) -> None:
    if (output is not None) != in_place:
        return
    raise click.UsageError("give exactly one of -o OUTPUT or --in-place")


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate the package's typed errors into click errors with their message (no traceback)."""
    try:
        yield
    except WorkbookError as error:
        raise UnreadableInput(str(error)) from error
    except SettingsError as error:
        raise click.UsageError(str(error)) from error
    except SamarbejdeError as error:
        raise click.ClickException(str(error)) from error


def handles_user_errors(function: F) -> F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with user_errors():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def to_json(value: object) -> str:
    def default(item: object) -> object:
        if isinstance(item, date):
            return item.isoformat()
        if isinstance(item, (set, frozenset, tuple)):
            return list(item)
        raise TypeError(f"not JSON serialisable: {type(item).__name__}")

    return json.dumps(value, default=default, ensure_ascii=False, indent=2)


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows)) if rows else len(headers[i]) for i in range(len(headers))
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    return "\n".join(lines)


def show_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""
