"""Option bundles and error translation shared by the command modules."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from samarbejde_xl.core.errors import SamarbejdeError, SettingsError, WorkbookError
from samarbejde_xl.core.parse import guess_date
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings, parse_settings_toml
from samarbejde_xl.fileio import OutputChoiceError

F = TypeVar("F", bound=Callable[..., Any])


class UnreadableInput(click.ClickException):
    """An input file that cannot be read at all: exit code 2, like a usage error."""

    exit_code = 2


if TYPE_CHECKING:  # click 8.5 made ParamType generic; older versions cannot subscript it at runtime
    _DateParamType = click.ParamType[datetime, Any]
else:
    _DateParamType = click.ParamType


class IsoDate(_DateParamType):
    """A date written YYYY-MM-DD; a Danish spelling such as 01-10-2026 gets the ISO form it means as a hint."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            meant = guess_date(text)
            hint = f"; did you mean {meant.isoformat()}?" if meant is not None else ", e.g. 2026-10-01"
            self.fail(f"{text!r} is not a date written YYYY-MM-DD{hint}", param, ctx)


def today_option(function: F) -> F:
    """``--today YYYY-MM-DD``: the reference date for every rule (default: the computer's date)."""
    option = click.option(
        "--today", type=IsoDate(), default=None, help="Reference date for every rule (default: today)."
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


PASSWORD_ENV = "SAMARBEJDE_XL_PASSWORD"
"""Environment variable with the password of encrypted workbooks (used when no option gives one)."""


def settings_option(function: F) -> F:
    """``--settings FILE``: a TOML file with the rules for the whole batch (a workbook's Indstillinger apply on top)."""
    option = click.option(
        "--settings",
        "settings_file",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help="TOML file with the rules for the whole batch (each workbook's own settings sheet still applies on top).",
    )
    return option(function)


def batch_settings(settings_file: str | None) -> Settings:
    """The rules from ``--settings`` (raises SettingsError naming the file and setting), or the defaults."""
    if settings_file is None:
        return DEFAULT_SETTINGS
    return parse_settings_toml(Path(settings_file).read_text(encoding="utf-8"), source=settings_file)


def password_option(function: F) -> F:
    """``--password-file FILE`` / ``--ask-password`` / ``$SAMARBEJDE_XL_PASSWORD``: the password for workbooks saved
    with Excel's "Encrypt with password". The command receives it as ``password`` (``None`` when none is given);
    it is used for the encrypted workbooks only, which are decrypted in memory."""

    @functools.wraps(function)
    def wrapper(*args: Any, password_file: str | None, ask_password: bool, **kwargs: Any) -> Any:
        return function(*args, password=resolve_password(password_file, ask_password), **kwargs)

    wrapper = click.option(
        "--ask-password", is_flag=True, help="Ask for the password of encrypted workbooks (typed without echo)."
    )(wrapper)
    wrapper = click.option(
        "--password-file",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help=f"File whose first line is the password of encrypted workbooks (default: ${PASSWORD_ENV}).",
    )(wrapper)
    return wrapper  # type: ignore[return-value]


def resolve_password(password_file: str | None, ask_password: bool) -> str | None:
    """The password from the file, the prompt or the environment, in that order; ``None`` when none is given."""
    if password_file is not None and ask_password:
        raise click.UsageError("give --password-file or --ask-password, not both")
    if password_file is not None:
        with open(password_file, encoding="utf-8-sig") as stream:
            return stream.readline().rstrip("\r\n")
    if ask_password:
        answer: str = click.prompt("Password", hide_input=True, err=True)
        return answer
    return os.environ.get(PASSWORD_ENV) or None


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate the package's typed errors into click errors with their message (no traceback)."""
    try:
        yield
    except WorkbookError as error:
        raise UnreadableInput(str(error)) from error
    except (SettingsError, OutputChoiceError) as error:
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


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from workbooks, safe to print: control characters (terminal escapes) become '?'."""
    return _CONTROL_CHARACTERS.sub("?", text)


def show_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""
